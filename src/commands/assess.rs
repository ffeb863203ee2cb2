//! `hashmix assess`: read sites, assess each as it arrives, write, then the portfolio.

use std::io::Write;

use crate::Error;
use crate::assess::Portfolio;
use crate::cli::AssessArgs;
use crate::commands::Outcome;
use crate::grid::factors::FactorChoice;
use crate::output::{self, Tail, Writer};
use crate::pipeline::Assessor;
use crate::sites::{Position, SiteReader};

/// Turn `--factors` into a typed choice.
pub fn factor_choice(text: &str) -> FactorChoice {
    match text {
        "lifecycle" => FactorChoice::Lifecycle,
        "direct" => FactorChoice::Direct,
        path => FactorChoice::File(path.to_string()),
    }
}

/// Write the portfolio, the sources and the draws' description, and close the output.
fn finish(writer: &mut dyn Writer, assessor: &Assessor, portfolio: &Portfolio) -> std::io::Result<()> {
    let uncertainty = assessor.uncertainty();
    writer.finish(&Tail {
        portfolio: &assessor.portfolio_record(portfolio),
        sources: &assessor.sources(),
        uncertainty: uncertainty.as_ref(),
    })
}

/// Run `hashmix assess`.
pub fn run(args: &AssessArgs) -> Result<Outcome, Error> {
    let options = super::options(&args.model);
    let assessor = Assessor::embedded(options)?;
    let mut reader = SiteReader::open(&args.sites)?;
    let mut writer: Box<dyn Writer> = match (args.format, &args.output) {
        (output::Format::Xlsx, Some(path)) => Box::new(output::xlsx::XlsxWriter::new(path)?),
        (output::Format::Xlsx, None) => {
            return Err(Error::Usage(
                "--format xlsx writes a workbook: give -o FILE.xlsx".into(),
            ));
        }
        (format, path) => output::writer(format, super::open_output(path)?)?,
    };
    let bar = super::progress(args.quiet);

    let mut portfolio = Portfolio::default();
    let mut stderr = std::io::stderr().lock();
    while let Some(row) = reader.next_row() {
        let record = assessor.assess_into(row?, &mut portfolio);
        if portfolio.sites % 256 == 0 {
            bar.set_position(portfolio.sites);
        }
        writer.site(&record)?;
        if let Some(message) = &record.error {
            // Errors also go to standard error as FILE:LINE (GeoJSON: FILE, then the feature).
            let _ = match record.position {
                Some(Position::Line(n)) => writeln!(stderr, "{}:{n}: {message}", reader.name),
                _ => writeln!(stderr, "{}: {message}", reader.name),
            };
            if args.strict {
                finish(&mut *writer, &assessor, &portfolio)?;
                return Err(Error::Strict(format!("{}: {message}", reader.name)));
            }
        }
    }
    finish(&mut *writer, &assessor, &portfolio)?;
    bar.finish_and_clear();
    Ok(if portfolio.sites_failed > 0 {
        Outcome::SomeRowsFailed
    } else {
        Outcome::AllOk
    })
}
