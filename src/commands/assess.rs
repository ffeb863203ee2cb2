//! `hashmix assess`: read sites, assess each as it arrives, write, then the portfolio.

use std::ops::ControlFlow;

use crate::Error;
use crate::cli::AssessArgs;
use crate::commands::Outcome;
use crate::commands::target::{Inputs, Output, PendingFile};
use crate::output::text::visible;
use crate::output::{self, Writer};
use crate::settings::{self, AssessSettings};
use crate::sites::SiteReader;
use crate::stream;

/// Rows between two updates of the progress counter: often enough to look alive, rarely
/// enough to cost nothing.
const PROGRESS_ROWS: u64 = 1024;

/// Run `hashmix assess`.
pub fn run(args: &AssessArgs) -> Result<Outcome, Error> {
    let settings = AssessSettings::from_args(args)?;
    // The output is checked and started before any work: a target that cannot be written, or
    // must not be (an input), fails now and names itself. A file is written aside and put in
    // place only once complete (see `target`): a failed or stopped run leaves none.
    let inputs = Inputs::default().sites(&settings.sites).options(&settings.options);
    let mut out = match &settings.workbook {
        Some(path) => Output::File(PendingFile::for_workbook(path, &inputs)?),
        None => Output::open(&settings.output, &inputs)?,
    };
    // A workbook is saved by its writer, not through `out`: its errors name it here.
    let failed = |e: Error| match (e, &settings.workbook) {
        (Error::Write(e), Some(path)) => Error::Output {
            path: path.clone(),
            message: e.to_string(),
        },
        (e, _) => e,
    };
    let assessor = settings::assessor(settings.options.clone())?;
    let reader = SiteReader::open(&settings.sites)?;
    super::print_input_notes(&reader);
    let columns = &settings.columns;
    let mut writer: Box<dyn Writer> = match &mut out {
        Output::File(file) if settings.workbook.is_some() => {
            Box::new(output::xlsx::XlsxWriter::new(file.path(), columns)?)
        }
        out => output::writer(settings.format, Box::new(out), columns, settings.csv)?,
    };
    let bar = super::progress(settings.quiet);
    let name = visible(&reader.name).into_owned();
    let mut stderr = std::io::stderr().lock();
    let mut stopped_by = None;
    let streamed = stream::assess_rows(reader, &assessor, &mut *writer, |row| {
        super::print_row_messages(&mut stderr, &name, row.error, row.warnings, &row.position);
        if row.rows_done % PROGRESS_ROWS == 0 {
            bar.set_position(row.rows_done);
        }
        match row.error {
            Some(message) if settings.strict => {
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
        if settings.to_stdout() {
            stream::finish(&mut *writer, &assessor, &portfolio)?;
        }
        return Err(Error::Strict(format!("{name}: {message}")));
    }
    stream::finish(&mut *writer, &assessor, &portfolio).map_err(|e| failed(Error::Write(e)))?;
    drop(writer);
    // A file of a header and no rows is as unusable as an empty one: no output is left.
    super::refuse_no_sites(portfolio.sites, &name)?;
    out.commit()?;
    bar.finish_and_clear();
    let instruments_failed = super::finish_instruments(&assessor, args.accounting.instruments.as_deref());
    Ok(if portfolio.sites_failed > 0 || instruments_failed {
        Outcome::SomeRowsFailed
    } else {
        Outcome::AllOk
    })
}
