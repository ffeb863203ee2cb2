//! The report as Markdown for wikis and repositories: the same sections and tables as the
//! HTML report, with each chart written as an SVG file beside the Markdown file.
//!
//! Every text is escaped ([`markdown`]) as the HTML report escapes it: the blocks mix the
//! report's words with site ids, names, notes, messages and file names from the input, and
//! none of them may become a tag, a link, an image or a break in a table. The report then
//! reads on a Markdown page as it reads in HTML, where code spans are plain text too.

use std::fmt::Write;

use super::Report;
use super::content::{Block, blocks};
use crate::output::text::markdown as cell;

/// The Markdown text, and the charts as (file name, SVG) to write beside it. Chart files are
/// named `<stem>-<chart>.svg`.
pub fn render(report: &Report, stem: &str) -> (String, Vec<(String, String)>) {
    let mut m = String::new();
    let mut files = Vec::new();
    for b in blocks(report) {
        match b {
            Block::Heading(level, _, text) => {
                let _ = writeln!(m, "{} {}\n", "#".repeat(level as usize), cell(&text));
            }
            Block::Para(text) => {
                let _ = writeln!(m, "{}\n", cell(&text));
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(m, "- {}", cell(&i));
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
                // The file name comes from -o: in angle brackets, spaces and parentheses in it do
                // not end the link, and its own angle brackets and backslashes are escaped.
                let mut link = String::with_capacity(file.len());
                for c in file.chars() {
                    if matches!(c, '<' | '>' | '\\') {
                        link.push('\\');
                    }
                    link.push(c);
                }
                let caption = cell(&caption);
                let _ = writeln!(m, "![{caption}](<{link}>)\n\n*{caption}*\n");
                files.push((file, svg));
            }
        }
    }
    (m, files)
}
