//! The report as Markdown for wikis and repositories: the same sections and tables as the
//! HTML report, with each chart written as an SVG file beside the Markdown file.

use std::fmt::Write;

use super::Report;
use super::content::{Block, blocks};

/// Text safe in a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown text, and the charts as (file name, SVG) to write beside it. Chart files are
/// named `<stem>-<chart>.svg`.
pub fn render(report: &Report, stem: &str) -> (String, Vec<(String, String)>) {
    let mut m = String::new();
    let mut files = Vec::new();
    for b in blocks(report) {
        match b {
            Block::Heading(level, _, text) => {
                let _ = writeln!(m, "{} {text}\n", "#".repeat(level as usize));
            }
            Block::Para(text) => {
                let _ = writeln!(m, "{text}\n");
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(m, "- {i}");
                }
                m.push('\n');
            }
            Block::Pre(text) => {
                let _ = writeln!(m, "```\n{text}\n```\n");
            }
            Block::Table(header, rows, numeric) => {
                let _ = writeln!(
                    m,
                    "| {} |",
                    header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
                );
                let align: Vec<&str> = (0..header.len())
                    .map(|k| {
                        if numeric.get(k).copied().unwrap_or(false) {
                            "---:"
                        } else {
                            "---"
                        }
                    })
                    .collect();
                let _ = writeln!(m, "|{}|", align.join("|"));
                for row in rows {
                    let _ = writeln!(m, "| {} |", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
                }
                m.push('\n');
            }
            Block::Figure(name, svg, caption) => {
                let file = format!("{stem}-{name}.svg");
                let _ = writeln!(m, "![{caption}]({file})\n\n*{caption}*\n");
                files.push((file, svg));
            }
        }
    }
    (m, files)
}
