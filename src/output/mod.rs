//! Writing results: one file per format behind the [`Writer`] trait. Every writer streams:
//! a site is written as soon as it is assessed, and only the portfolio comes at the end.

pub mod cells;
pub mod columns;
mod csv_out;
pub mod esrs;
pub mod fields;
mod json_out;
pub mod portfolio;
pub use crate::round;
mod table;
pub mod text;
pub mod xlsx;

use std::io::Write;

use serde::Serialize;

use crate::assess::SiteResult;
use crate::grid::Dataset;
use crate::uncertainty::UncertaintyInfo;

pub use columns::Columns;
pub use csv_out::CsvWriter;
pub use json_out::{GeoJsonWriter, JsonWriter, NdjsonWriter};
pub use portfolio::{ByRiskLevel, PortfolioRecord};
pub use table::{TableWriter, interval_line};
pub use text::Formulas;

/// How CSV output is written: the flags `--bom` and `--allow-formulas`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CsvOptions {
    /// Begin with a UTF-8 byte-order mark ([`text::BOM`]), for Excel.
    pub bom: bool,
    /// How text cells that a spreadsheet would run as formulas are written.
    pub formulas: Formulas,
}

impl CsvOptions {
    /// Start a CSV document: the byte-order mark, if asked for.
    pub fn begin(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.bom {
            out.write_all(text::BOM)?;
        }
        Ok(())
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns in human units (default).
    Table,
    /// One row per site, every field.
    Csv,
    /// One JSON document: schema, sites, portfolio, sources.
    Json,
    /// One site per line, then a line with the portfolio and sources.
    Ndjson,
    /// A FeatureCollection of Points with the fields as properties.
    Geojson,
    /// An Excel workbook (needs `-o FILE.xlsx`): sheets Sites, Portfolio, Sources, and the
    /// Scope 1/2 table and instruments.
    Xlsx,
    /// The Scope 1/2 table of ESRS E1-6 and E1-5 (with IFRS S2's paragraphs) for the whole
    /// input, as CSV; the sites themselves are not written.
    Esrs,
}

/// What follows the sites: the portfolio, the sources and how the intervals were drawn.
#[derive(Debug, Serialize)]
pub struct Tail<'a> {
    /// Totals over the sites.
    pub portfolio: &'a PortfolioRecord,
    /// The datasets behind the results.
    pub sources: &'a [Dataset],
    /// The draws and the distributions behind the intervals (null without draws).
    pub uncertainty: Option<&'a UncertaintyInfo>,
    /// The reporting year, the ESRS table and the instruments' verdicts (v8, issue 24).
    pub scope: &'a esrs::ScopeTail,
}

/// Turns a site's result into a format's bytes, on any thread.
pub type Encoder = std::sync::Arc<dyn Fn(&SiteResult, &mut Vec<u8>) -> std::io::Result<()> + Send + Sync>;

/// A sink for assessed sites.
pub trait Writer {
    /// Write one site.
    fn site(&mut self, result: &SiteResult) -> std::io::Result<()>;
    /// How to encode a site away from the writer, so that rows can be encoded on all cores
    /// and written in order with [`Writer::encoded`]; `None` when the format cannot.
    fn encoder(&self) -> Option<Encoder> {
        None
    }
    /// Write a site that `encoder` turned into bytes.
    fn encoded(&mut self, _bytes: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::other("this format writes results itself"))
    }
    /// Write the portfolio, sources and draws, and close the document.
    fn finish(&mut self, tail: &Tail) -> std::io::Result<()>;
}

/// One row of text cells from a record serialised to JSON (the workbook's Sources and
/// Uncertainty sheets; site fields go through [`fields::SITE_COLUMNS`]): the fields in
/// `fields` order, with JSON's rounding and names; `risk_reasons` as their one-line summaries joined with "; ". Text
/// cells (JSON strings and the reasons) are neutralised as `formulas` says; numbers never are.
pub fn csv_cells(
    value: &serde_json::Value,
    fields: &[&str],
    reasons: Option<&[crate::risk::Reason]>,
    formulas: Formulas,
) -> Vec<String> {
    let text = |s: String| match text::neutralise(&s, formulas) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(neutralised) => neutralised,
    };
    fields
        .iter()
        .map(|f| match value.get(f) {
            _ if *f == "risk_reasons" => text(reasons.map(crate::risk::Reason::join).unwrap_or_default()),
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => text(s.clone()),
            Some(other) => other.to_string(),
        })
        .collect()
}

/// A writer for a format, writing the site fields `columns` keeps (the table has its own
/// columns and ignores them); a CSV as `csv` says.
pub fn writer<'a>(
    format: Format,
    out: Box<dyn Write + 'a>,
    columns: &Columns,
    csv: CsvOptions,
) -> std::io::Result<Box<dyn Writer + 'a>> {
    let columns = columns.clone();
    Ok(match format {
        Format::Table => Box::new(TableWriter::new(out)?),
        Format::Csv => Box::new(CsvWriter::new(out, columns, csv)?),
        Format::Json => Box::new(JsonWriter::new(out, columns)?),
        Format::Ndjson => Box::new(NdjsonWriter::new(out, columns)),
        Format::Geojson => Box::new(GeoJsonWriter::new(out, columns)?),
        Format::Esrs => Box::new(esrs::EsrsWriter::new(out, csv.formulas)),
        Format::Xlsx => {
            return Err(std::io::Error::other(
                "an Excel workbook is written to a file: use -o FILE.xlsx",
            ));
        }
    })
}
