//! `hashmix report`: assess the sites and write a report people read, in HTML or Markdown.

use std::io::Write;
use std::path::Path;

use crate::Error;
use crate::cli::ReportArgs;
use crate::commands::target::{Inputs, PendingFile};
use crate::commands::{Outcome, progress};
use crate::output::text::visible;
use crate::pipeline::Assessor;
use crate::report::{Report, html, markdown};
use crate::sites::SiteReader;

/// The report formats, from the output's extension.
enum Kind {
    Html,
    Markdown,
}

fn kind(path: &Path) -> Result<Kind, Error> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => Ok(Kind::Html),
        Some("md" | "markdown") => Ok(Kind::Markdown),
        _ => Err(Error::Usage(format!(
            "-o {}: expected a file ending in .html or .md",
            path.display()
        ))),
    }
}

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
    let kind = kind(&args.output)?;
    // The report is checked and started before any work (see `target`); its charts, named
    // once it is built, are checked the same way.
    let inputs = Inputs::default().sites(&args.sites).model(&args.model);
    let mut file = PendingFile::create(&args.output, &inputs)?;
    let assessor = Assessor::embedded(super::options(&args.model))?;
    let reader = SiteReader::open(&args.sites)?;
    super::print_input_notes(&reader);
    let bar = progress(args.quiet);
    // Each row's error and warnings go to standard error as assess prints them (issue 20).
    let name = visible(&reader.name).into_owned();
    let mut stderr = std::io::stderr().lock();
    let report = Report::build(&assessor, reader, |n, site| {
        super::print_row_messages(
            &mut stderr,
            &name,
            site.error.as_deref(),
            &site.warnings,
            site.position.as_ref(),
        );
        if n % 256 == 0 {
            bar.set_position(n);
        }
    })?;
    drop(stderr);
    bar.finish_and_clear();
    let mut charts = Vec::new();
    match kind {
        Kind::Html => file.write_all(html::render(&report).as_bytes())?,
        Kind::Markdown => {
            let stem = args
                .output
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("report")
                .to_string();
            let (text, svgs) = markdown::render(&report, &stem);
            let dir = args.output.parent().unwrap_or(Path::new(""));
            for (name, svg) in svgs {
                charts.push(side_file(&args.output, &dir.join(name), &svg, &inputs)?);
            }
            file.write_all(text.as_bytes())?;
        }
    }
    // Every file is complete: the charts are put in place, then the report that shows them.
    for chart in charts {
        let name = chart.target().to_path_buf();
        chart.commit().map_err(|e| match e {
            Error::Output { message, .. } => Error::Output {
                path: args.output.clone(),
                message: format!("its chart {}: {message}", name.display()),
            },
            other => other,
        })?;
    }
    file.commit()?;
    Ok(if report.portfolio.sites_failed > 0 {
        Outcome::SomeRowsFailed
    } else {
        Outcome::AllOk
    })
}
