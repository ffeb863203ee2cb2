//! `hashmix report`: assess the sites and write a report people read, in HTML or Markdown.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;

use crate::Error;
use crate::cli::ReportArgs;
use crate::commands::target::{Inputs, PendingFile};
use crate::commands::{Outcome, progress};
use crate::output::text::visible;
use crate::report::{Report, html, markdown};
use crate::settings::{self, ReportKind, ReportSettings};
use crate::sites::SiteReader;
use crate::stream::{self, Collected};

/// Write `text` to a file beside the report (a chart), checked as the report is; its errors
/// name the report, then the chart.
fn side_file(report: &Path, path: &Path, text: &str, inputs: &Inputs) -> Result<PendingFile, Error> {
    let about = |message: String| Error::Output {
        path: report.to_path_buf(),
        message: format!("its chart {}: {message}", path.display()),
    };
    let mut file = PendingFile::create(path, inputs).map_err(|e| match e {
        Error::Output { message, .. } => about(message),
        other => other,
    })?;
    file.write_all(text.as_bytes()).map_err(|e| about(e.to_string()))?;
    Ok(file)
}

/// Run `hashmix report`.
pub fn run(args: &ReportArgs) -> Result<Outcome, Error> {
    let settings = ReportSettings::from_args(args)?;
    // The report is checked and started before any work (see `target`); its charts, named
    // once it is built, are checked the same way.
    let inputs = Inputs::default().sites(&settings.sites).options(&settings.options);
    let mut file = PendingFile::create(&settings.output, &inputs)?;
    let assessor = settings::assessor(settings.options)?;
    let reader = SiteReader::open(&settings.sites)?;
    super::print_input_notes(&reader);
    let bar = progress(settings.quiet);
    let input = reader.name.clone();
    // Each row's error and warnings go to standard error as assess prints them (issue 20).
    let name = visible(&input).into_owned();
    let mut stderr = std::io::stderr().lock();
    let mut sites = Collected::default();
    let streamed = stream::assess_rows(reader, &assessor, &mut sites, |row| {
        super::print_row_messages(&mut stderr, &name, row.error, row.warnings, &row.position);
        if row.rows_done % 256 == 0 {
            bar.set_position(row.rows_done);
        }
        ControlFlow::Continue(())
    })?;
    drop(stderr);
    let report = Report::of(
        &assessor,
        settings.title.clone(),
        input,
        sites.sites,
        &streamed.portfolio,
    );
    bar.finish_and_clear();
    super::refuse_no_sites(report.portfolio.sites, &name)?;
    let mut charts = Vec::new();
    match settings.kind {
        ReportKind::Html => file.write_all(html::render(&report).as_bytes())?,
        ReportKind::Markdown => {
            let stem = args
                .output
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("report")
                .to_string();
            let (text, svgs) = markdown::render(&report, &stem);
            let dir = settings.output.parent().unwrap_or(Path::new(""));
            for (name, svg) in svgs {
                charts.push(side_file(&settings.output, &dir.join(name), &svg, &inputs)?);
            }
            file.write_all(text.as_bytes())?;
        }
    }
    // Every file is complete: the charts are put in place, then the report that shows them.
    for chart in charts {
        let name = chart.target().to_path_buf();
        chart.commit().map_err(|e| match e {
            Error::Output { message, .. } => Error::Output {
                path: settings.output.clone(),
                message: format!("its chart {}: {message}", name.display()),
            },
            other => other,
        })?;
    }
    file.commit()?;
    let instruments_failed = super::finish_instruments(&assessor, args.accounting.instruments.as_deref());
    Ok(if report.portfolio.sites_failed > 0 || instruments_failed {
        Outcome::SomeRowsFailed
    } else {
        Outcome::AllOk
    })
}
