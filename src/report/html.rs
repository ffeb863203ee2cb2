//! The report as one self-contained HTML file: inline CSS and SVG, no script, nothing
//! fetched, readable on screen and when printed to PDF.

use std::fmt::Write;

use super::Report;
use super::content::{Block, blocks};
use super::svg::escape;

/// A cell of at most this many characters ("notes", "low 4", "US-TX") is never broken.
const SHORT_TEXT_CHARS: usize = 10;
/// A one-word cell of at most this many characters (an event id, `CN-XJ-2021-06-09`) is never
/// broken either.
const SHORT_WORD_CHARS: usize = 18;
/// A cell with more characters than this is given a readable minimum width.
const LONG_TEXT_CHARS: usize = 120;

/// The style: readable on screen, and in print on A4 or US Letter portrait: tables wrap within
/// the page (any cell but a number may break inside a word, so no column is wider than the
/// page), repeat their header on each page (`thead` as a header group), and rows are not split
/// across pages; the charts start on a page of their own after the first page.
const STYLE: &str = "@page{margin:12mm 10mm}body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;\
max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}h1{font-size:1.6em;margin:.2em 0}\
h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}h3{font-size:1em;margin:1.2em 0 .3em}\
table{border-collapse:collapse;margin:.6em 0;font-size:.85em;max-width:100%}thead{display:table-header-group}\
th,td{border:1px solid #ccc;padding:.25em .4em;vertical-align:top;overflow-wrap:anywhere}\
th{background:#f2f2f2;text-align:left;overflow-wrap:normal}td.n{text-align:right;overflow-wrap:normal;\
font-variant-numeric:tabular-nums}figure{margin:1em 0}figcaption{font-size:.85em;color:#555}svg{max-width:100%;\
height:auto}pre{background:#f7f7f7;padding:.8em;white-space:pre-wrap;font-size:.8em}td.w{min-width:16em}td.k{overflow-wrap:normal;white-space:nowrap}\
td:first-child{overflow-wrap:break-word;min-width:6em}a{color:#0b4f8a}section#charts{break-before:page}\
@media print{body{margin:0;max-width:none;padding:0;font-size:9.5pt}h2,h3{break-after:avoid}\
figure,tr{break-inside:avoid}table{font-size:7.5pt}td.w{min-width:12em}}";

/// The report as HTML.
pub fn render(report: &Report) -> String {
    let blocks = blocks(report);
    let title = match blocks.first() {
        Some(Block::Heading(_, _, t)) => t.clone(),
        _ => "hashmix report".into(),
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let mut open_section = false;
    for b in &blocks {
        match b {
            Block::Heading(level, id, text) => {
                if *level == 2 {
                    if open_section {
                        h.push_str("</section>\n");
                    }
                    let _ = writeln!(h, "<section id=\"{id}\">");
                    open_section = true;
                    let _ = writeln!(h, "<h2>{}</h2>", escape(text));
                } else if id.is_empty() {
                    let _ = writeln!(h, "<h{level}>{}</h{level}>", escape(text));
                } else {
                    let _ = writeln!(h, "<h{level} id=\"{id}\">{}</h{level}>", escape(text));
                }
            }
            Block::Para(text) => {
                let _ = writeln!(h, "<p>{}</p>", escape(text));
            }
            Block::List(items) => {
                h.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(h, "<li>{}</li>", escape(i));
                }
                h.push_str("</ul>\n");
            }
            Block::Pre(text) => {
                let _ = writeln!(h, "<pre>{}</pre>", escape(text));
            }
            Block::Table(header, rows, numeric) => {
                h.push_str("<table>\n<thead><tr>");
                for c in header {
                    let _ = write!(h, "<th>{}</th>", escape(c));
                }
                h.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    h.push_str("<tr>");
                    for (k, c) in row.iter().enumerate() {
                        let class = cell_class(c, numeric.get(k).copied().unwrap_or(false));
                        let text = escape(c);
                        // A source's address is a link (followed only when clicked; nothing is
                        // fetched to show the report).
                        match class {
                            " class=\"u\"" => {
                                let _ = write!(h, "<td{class}><a href=\"{text}\">{text}</a></td>");
                            }
                            _ => {
                                let _ = write!(h, "<td{class}>{text}</td>");
                            }
                        }
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</tbody>\n</table>\n");
            }
            Block::Figure(name, svg, caption) => {
                let _ = writeln!(
                    h,
                    "<figure id=\"chart-{name}\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
                    escape(caption)
                );
            }
        }
    }
    if open_section {
        h.push_str("</section>\n");
    }
    h.push_str("<footer><p>Made with hashmix. Data: see Sources.</p></footer>\n</body>\n</html>\n");
    h
}

/// A table cell's class: numbers align right; an address is a link; a long text (a reason, a
/// note) keeps a readable width instead of a column of single words; a short one is never
/// broken.
fn cell_class(text: &str, numeric: bool) -> &'static str {
    if numeric {
        " class=\"n\""
    } else if text.starts_with("https://") || text.starts_with("http://") {
        " class=\"u\""
    } else if text.chars().count() > LONG_TEXT_CHARS {
        " class=\"w\""
    } else if text.chars().count() <= SHORT_TEXT_CHARS
        || (text.chars().count() <= SHORT_WORD_CHARS && !text.contains(char::is_whitespace))
    {
        " class=\"k\""
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_addresses_and_long_texts_get_their_print_classes() {
        assert_eq!(cell_class("650.5", true), " class=\"n\"");
        assert_eq!(
            cell_class("https://ourworldindata.org/grapher/x", false),
            " class=\"u\""
        );
        assert_eq!(cell_class(&"a".repeat(LONG_TEXT_CHARS), false), "");
        assert_eq!(cell_class("notes", false), " class=\"k\"");
        assert_eq!(cell_class("severe 100", false), " class=\"k\"");
        assert_eq!(cell_class("Texas, USA!", false), "");
        assert_eq!(cell_class("CN-XJ-2021-06-09", false), " class=\"k\"");
        assert_eq!(cell_class(&"a".repeat(LONG_TEXT_CHARS + 1), false), " class=\"w\"");
        assert_eq!(cell_class("Ekibastuz, Kazakhstan", false), "");
    }
}
