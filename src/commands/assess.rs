//! `hashmix assess`: read sites, assess each as it arrives, write, then the portfolio.

use std::io::Write;

use std::ops::ControlFlow;

use crate::Error;
use crate::cli::AssessArgs;
use crate::commands::Outcome;
use crate::commands::target::{Inputs, Output, PendingFile};
use crate::grid::factors::FactorChoice;
use crate::output::text::visible;
use crate::output::{self, Writer};
use crate::pipeline::Assessor;
use crate::sites::{Position, SiteReader};
use crate::stream::{self, RowOutcome};

/// Rows between two updates of the progress counter: often enough to look alive, rarely
/// enough to cost nothing.
const PROGRESS_ROWS: u64 = 1024;

/// Turn `--factors` into a typed choice.
pub fn factor_choice(text: &str) -> FactorChoice {
    match text {
        "lifecycle" => FactorChoice::Lifecycle,
        "direct" => FactorChoice::Direct,
        path => FactorChoice::File(path.to_string()),
    }
}

/// Run `hashmix assess`.
pub fn run(args: &AssessArgs) -> Result<Outcome, Error> {
    let options = super::options(&args.model);
    let columns = match &args.columns {
        None => output::Columns::all(),
        Some(_) if args.format == output::Format::Table => {
            return Err(Error::Usage(
                "--columns chooses the fields of csv, json, ndjson, geojson and xlsx; the table has its own".into(),
            ));
        }
        Some(list) => output::Columns::parse(list).map_err(Error::Usage)?,
    };
    let csv = super::csv_options(&args.csv, args.format == output::Format::Csv)?;
    // The output is checked and started before any work: a target that cannot be written, or
    // must not be (an input), fails now and names itself. A file is written aside and put in
    // place only once complete (see `target`): a failed or stopped run leaves none.
    let inputs = Inputs::default().sites(&args.sites).model(&args.model);
    let workbook = match (args.format, super::output_file(&args.output)) {
        (output::Format::Xlsx, Some(path)) => Some(path),
        (output::Format::Xlsx, None) => {
            return Err(Error::Usage(
                "--format xlsx writes a workbook: give -o FILE.xlsx".into(),
            ));
        }
        _ => None,
    };
    let to_stdout = super::output_file(&args.output).is_none();
    let mut out = match workbook {
        Some(path) => Output::File(PendingFile::for_workbook(path, &inputs)?),
        None => Output::open(&args.output, &inputs)?,
    };
    // A workbook is saved by its writer, not through `out`: its errors name it here.
    let failed = |e: Error| match (e, workbook) {
        (Error::Write(e), Some(path)) => Error::Output {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
        (e, _) => e,
    };
    let assessor = Assessor::embedded(options)?;
    let reader = SiteReader::open(&args.sites)?;
    super::print_input_notes(&reader);
    let mut writer: Box<dyn Writer> = match &mut out {
        Output::File(file) if workbook.is_some() => Box::new(output::xlsx::XlsxWriter::new(file.path(), &columns)?),
        out => output::writer(args.format, Box::new(out), &columns, csv)?,
    };
    let bar = super::progress(args.quiet);

    let name = visible(&reader.name).into_owned();
    let mut stderr = std::io::stderr().lock();
    let mut stopped_by = None;
    let streamed = stream::assess_rows(reader, &assessor, &mut *writer, |row| {
        print_row_messages(&mut stderr, &name, row);
        if row.rows_done % PROGRESS_ROWS == 0 {
            bar.set_position(row.rows_done);
        }
        match row.error {
            Some(message) if args.strict => {
                stopped_by = Some(visible(message).into_owned());
                ControlFlow::Break(())
            }
            _ => ControlFlow::Continue(()),
        }
    })
    .map_err(failed)?;
    let portfolio = streamed.portfolio;
    if let Some(message) = stopped_by {
        // Under --strict, standard output ends with the first failed row; a file is not
        // written at all (`out` is dropped without being put in place).
        if to_stdout {
            stream::finish(&mut *writer, &assessor, &portfolio)?;
        }
        return Err(Error::Strict(format!("{name}: {message}")));
    }
    stream::finish(&mut *writer, &assessor, &portfolio).map_err(|e| failed(Error::Write(e)))?;
    drop(writer);
    out.commit()?;
    bar.finish_and_clear();
    Ok(if portfolio.sites_failed > 0 {
        Outcome::SomeRowsFailed
    } else {
        Outcome::AllOk
    })
}

/// Print a row's error and warnings to standard error, each on a line of its own naming the
/// file and the line (GeoJSON: the feature), with control characters made visible: a value in
/// a message cannot drive the terminal or forge a line.
fn print_row_messages(stderr: &mut impl Write, name: &str, row: &RowOutcome) {
    if let Some(message) = row.error {
        let message = visible(message);
        let _ = match row.position {
            Some(Position::Line(n)) => writeln!(stderr, "{name}:{n}: {message}"),
            _ => writeln!(stderr, "{name}: {message}"),
        };
    }
    for warning in row.warnings() {
        let warning = visible(warning);
        let _ = match row.position {
            Some(Position::Line(n)) => writeln!(stderr, "{name}:{n}: warning: {warning}"),
            Some(p) => writeln!(stderr, "{name}: {p}: warning: {warning}"),
            None => writeln!(stderr, "{name}: warning: {warning}"),
        };
    }
}
