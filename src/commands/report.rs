//! `hashmix report`: assess the sites and write a report people read, in HTML or Markdown.

use std::path::Path;

use crate::Error;
use crate::cli::ReportArgs;
use crate::commands::{Outcome, progress};
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

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text)
        .map_err(|e| Error::Write(std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))))
}

/// Run `hashmix report`.
pub fn run(args: &ReportArgs) -> Result<Outcome, Error> {
    let kind = kind(&args.output)?;
    let assessor = Assessor::embedded(super::options(&args.model))?;
    let reader = SiteReader::open(&args.sites)?;
    super::print_input_notes(&reader);
    let bar = progress(args.quiet);
    let report = Report::build(&assessor, reader, |n| {
        if n % 256 == 0 {
            bar.set_position(n);
        }
    })?;
    bar.finish_and_clear();
    match kind {
        Kind::Html => write(&args.output, &html::render(&report))?,
        Kind::Markdown => {
            let stem = args
                .output
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("report")
                .to_string();
            let (text, charts) = markdown::render(&report, &stem);
            let dir = args.output.parent().unwrap_or(Path::new(""));
            for (name, svg) in charts {
                write(&dir.join(name), &svg)?;
            }
            write(&args.output, &text)?;
        }
    }
    Ok(if report.portfolio.sites_failed > 0 {
        Outcome::SomeRowsFailed
    } else {
        Outcome::AllOk
    })
}
