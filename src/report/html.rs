//! The report as one self-contained HTML file: inline CSS and SVG, no script, nothing
//! fetched, readable on screen and when printed to PDF.

use std::fmt::Write;

use super::Report;
use super::content::{Block, blocks};
use super::svg::escape;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;\
padding:0 1em;color:#222;line-height:1.45}h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;\
margin-top:1.8em}table{border-collapse:collapse;margin:1em 0;font-size:.85em}th,td{border:1px solid #ccc;\
padding:.3em .5em;vertical-align:top}th{background:#f2f2f2;text-align:left}td.n{text-align:right;\
font-variant-numeric:tabular-nums}figure{margin:1em 0}figcaption{font-size:.85em;color:#555}svg{max-width:100%;\
height:auto}pre{background:#f7f7f7;padding:.8em;overflow-x:auto;font-size:.85em}\
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}figure,tr{page-break-inside:avoid}}";

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
                        let class = if numeric.get(k).copied().unwrap_or(false) {
                            " class=\"n\""
                        } else {
                            ""
                        };
                        let _ = write!(h, "<td{class}>{}</td>", escape(c));
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
