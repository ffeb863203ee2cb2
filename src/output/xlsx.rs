//! Excel workbooks for `assess` and `compare` (rust_xlsxwriter): the records on one sheet,
//! with units in the headers and numbers as numbers, then the totals or settings, the sources
//! and the draws. The sites sheet is written row by row in constant memory.
//!
//! Text is written as string cells, never as formulas, so a site id `=1+1` stays text. A text
//! longer than a cell holds is cut, with a note saying so, rather than failing the workbook.
//! The same input gives the same bytes: the workbook's creation time is fixed.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use super::fields::{Cell, SITE_COLUMNS, column};
use super::{Columns, Tail, Writer, csv_cells};
use crate::assess::SiteResult;
use crate::grid::Dataset;
use crate::uncertainty::UncertaintyInfo;

/// The unit of an output field, for its header (from the column table).
pub fn unit(field: &str) -> Option<&'static str> {
    column(field).and_then(|c| c.unit)
}

/// A header cell: the field name, with its unit in brackets.
fn header(field: &str) -> String {
    match unit(field) {
        Some(u) => format!("{field} ({u})"),
        None => field.to_string(),
    }
}

/// How a number of this unit is shown (issue 26): shares as percentages, tonnes and MWh with
/// thousands separators; the cell holds the full value, as JSON writes it.
fn number_format(unit: Option<&str>) -> Option<Format> {
    let code = match unit? {
        "fraction" => "0.00%",
        "MWh/yr" | "t CO2e/yr" | "gCO2e/kWh" | "MWh" | "t CO2e" => "#,##0.0",
        "TH/s" => "#,##0",
        "MW" => "#,##0.000",
        "J/TH" | "ratio" => "0.00",
        "g CO2e/TH" => "0.000000000",
        "kg CO2e per TH/s-day" => "0.0000",
        "degrees" => "0.0000",
        "year" | "0-100" => "0",
        _ => return None,
    };
    Some(Format::new().set_num_format(code))
}

/// The format of a date cell.
fn date_format() -> Format {
    Format::new().set_num_format("yyyy-mm-dd")
}

/// A column's width in characters: wide for the texts people read, enough for the header
/// otherwise.
fn column_width(field: &str) -> f64 {
    match field {
        "notes" | "warnings" | "risk_reasons" | "error" | "note" | "reason" => 60.0,
        "intensity_source" | "data_edition" | "scope2_market_basis" | "label" | "title" | "used_for" => 40.0,
        "name" | "region_name" | "url" | "reference" => 28.0,
        _ => (header(field).len() as f64 + 2.0).clamp(10.0, 24.0),
    }
}

fn err(e: XlsxError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// The most a cell holds, in UTF-16 code units: Excel's limit of 32,767 characters per cell
/// ("Excel specifications and limits", Microsoft Support), which rust_xlsxwriter enforces by
/// refusing the cell.
pub const MAX_CELL_UTF16: usize = 32_767;

/// `text` as a cell holds it: as it is when it fits, else cut (at a character, never inside
/// one) and ended by a note giving the length of the whole text, within [`MAX_CELL_UTF16`].
pub fn cell_text(text: &str) -> Cow<'_, str> {
    // UTF-16 needs at most as many units as UTF-8 needs bytes.
    if text.len() <= MAX_CELL_UTF16 || text.encode_utf16().count() <= MAX_CELL_UTF16 {
        return Cow::Borrowed(text);
    }
    let note = format!(
        "… [cut to fit an Excel cell: {} characters in all; the CSV and JSON outputs hold the whole text]",
        text.chars().count()
    );
    let room = MAX_CELL_UTF16 - note.encode_utf16().count();
    let mut used = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            used += c.len_utf16();
            used > room
        })
        .map_or(text.len(), |(at, _)| at);
    Cow::Owned(format!("{}{note}", &text[..end]))
}

/// Write a string cell, cut to fit (see [`cell_text`]).
fn write_text(ws: &mut Worksheet, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
    ws.write_string(row, col, cell_text(text).as_ref())?;
    Ok(())
}

/// A new workbook whose creation time is fixed at 1980-01-01 00:00 UTC, the time
/// rust_xlsxwriter gives every entry of the zip archive (the earliest a zip entry can hold):
/// the workbook then carries no time of its own, and the same input gives the same bytes.
fn new_workbook() -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(1980, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    Ok(workbook)
}

/// Write one row of cells: numbers as numbers, text as text, nulls blank.
fn write_row(
    ws: &mut Worksheet,
    row: u32,
    value: &Value,
    fields: &[&str],
    reasons: Option<&[crate::risk::Reason]>,
) -> Result<(), XlsxError> {
    // A workbook's text cells are strings, never formulas: they are written as they are.
    let text = csv_cells(value, fields, reasons, super::Formulas::Allow);
    for (col, (field, cell)) in fields.iter().zip(text).enumerate() {
        let col = col as u16;
        match value.get(field) {
            Some(Value::Number(n)) => {
                ws.write_number(row, col, n.as_f64().unwrap_or(f64::NAN))?;
            }
            _ if cell.is_empty() => {}
            _ => write_text(ws, row, col, &cell)?,
        }
    }
    Ok(())
}

/// The display format of each kept site column (see [`number_format`]; dates as dates).
fn site_formats(kept: &[usize]) -> Vec<Option<Format>> {
    kept.iter()
        .map(|&i| match SITE_COLUMNS[i].name {
            "risk_as_of" => Some(date_format()),
            _ => number_format(SITE_COLUMNS[i].unit),
        })
        .collect()
}

/// Write a site's row of the columns at `kept`: numbers as numbers (rounded as in JSON) in
/// their column's format, a date as a date, text as text, empty cells blank. A workbook's text
/// cells are strings, never formulas.
fn write_site_row(
    ws: &mut Worksheet,
    row: u32,
    result: &SiteResult,
    kept: &[usize],
    formats: &[Option<Format>],
) -> Result<(), XlsxError> {
    for (col, &i) in kept.iter().enumerate() {
        let format = formats.get(col).and_then(Option::as_ref);
        let col = col as u16;
        let number = |ws: &mut Worksheet, x: f64| -> Result<(), XlsxError> {
            match format {
                Some(f) => ws.write_number_with_format(row, col, x, f)?,
                None => ws.write_number(row, col, x)?,
            };
            Ok(())
        };
        match SITE_COLUMNS[i].json_value(result) {
            // JSON has no NaN or infinity: such a number is blank, as its null is.
            Cell::Number(Some(x)) if x.is_finite() => number(ws, x)?,
            Cell::Integer(Some(n)) => number(ws, n as f64)?,
            Cell::Text(Some(t)) if SITE_COLUMNS[i].name == "risk_as_of" => match ExcelDateTime::parse_from_str(t) {
                Ok(day) => {
                    ws.write_datetime_with_format(row, col, &day, &date_format())?;
                }
                Err(_) => write_text(ws, row, col, t)?,
            },
            Cell::Text(Some(t)) if !t.is_empty() => write_text(ws, row, col, t)?,
            Cell::Reasons(Some(r)) if !r.summary.is_empty() => write_text(ws, row, col, &r.summary)?,
            _ => {}
        }
    }
    Ok(())
}

/// The header row, bold and frozen, with each column's width.
fn write_header(ws: &mut Worksheet, fields: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (col, f) in fields.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, header(f), &bold)?;
        ws.set_column_width(col as u16, column_width(f))?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// An autofilter over the header and `rows` rows of `columns` columns.
fn filter(ws: &mut Worksheet, rows: u32, columns: usize) -> Result<(), XlsxError> {
    if rows > 0 && columns > 0 {
        ws.autofilter(0, 0, rows, columns as u16 - 1)?;
    }
    Ok(())
}

/// A two-column sheet of `name (unit)` and value, from a flat or nested JSON object.
fn key_values(ws: &mut Worksheet, value: &Value) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, "measure (unit)", &bold)?;
    ws.write_string_with_format(0, 1, "value", &bold)?;
    ws.set_column_width(0, 40)?;
    ws.set_column_width(1, 60)?;
    let mut row = 1;
    let mut put = |name: String, v: &Value, ws: &mut Worksheet| -> Result<(), XlsxError> {
        ws.write_string(row, 0, header(&name))?;
        let field = name.rsplit('.').next().unwrap_or(&name);
        match v {
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                match number_format(unit(field)) {
                    Some(f) => ws.write_number_with_format(row, 1, x, &f)?,
                    None => ws.write_number(row, 1, x)?,
                };
            }
            Value::String(s) => write_text(ws, row, 1, s)?,
            Value::Null => {}
            other => write_text(ws, row, 1, &other.to_string())?,
        }
        row += 1;
        Ok(())
    };
    if let Value::Object(map) = value {
        for (k, v) in map {
            match v {
                Value::Object(inner) => {
                    for (k2, v2) in inner {
                        put(format!("{k}.{k2}"), v2, ws)?;
                    }
                }
                _ => put(k.clone(), v, ws)?,
            }
        }
    }
    Ok(())
}

fn sources_sheet(wb: &mut Workbook, sources: &[Dataset]) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Sources")?;
    let fields = ["id", "title", "publisher", "vintage", "licence", "url", "used_for"];
    write_header(ws, &fields)?;
    for (i, d) in sources.iter().enumerate() {
        let value = serde_json::to_value(d).unwrap_or(Value::Null);
        write_row(ws, i as u32 + 1, &value, &fields, None)?;
    }
    Ok(())
}

fn uncertainty_sheet(wb: &mut Workbook, u: Option<&UncertaintyInfo>) -> Result<(), XlsxError> {
    let Some(u) = u else { return Ok(()) };
    let ws = wb.add_worksheet();
    ws.set_name("Uncertainty")?;
    let fields = ["input", "distribution", "low", "central", "high", "source"];
    write_header(ws, &fields)?;
    for (i, input) in u.inputs.iter().enumerate() {
        let value = serde_json::to_value(input).unwrap_or(Value::Null);
        write_row(ws, i as u32 + 1, &value, &fields, None)?;
    }
    let n = u.inputs.len() as u32 + 2;
    ws.write_string(n, 0, format!("{} draws, seed {}; {}", u.draws, u.seed, u.percentiles))?;
    Ok(())
}

/// The Scope 1/2 table (sheet "ESRS E1", in the layout of E1-6 and E1-5) and every
/// instrument's verdict (sheet "Instruments"), where the run has them (issue 24).
fn scope_sheets(wb: &mut Workbook, scope: &super::esrs::ScopeTail) -> Result<(), XlsxError> {
    let tables: [(&str, Vec<Value>, &[&str]); 2] = [
        (
            "ESRS E1",
            scope
                .esrs
                .iter()
                .map(|l| serde_json::to_value(l).unwrap_or(Value::Null))
                .collect(),
            &["table", "reference", "label", "value", "unit", "note"],
        ),
        (
            "Instruments",
            scope
                .instruments
                .iter()
                .map(|v| serde_json::to_value(v).unwrap_or(Value::Null))
                .collect(),
            &[
                "line",
                "site_id",
                "type",
                "source",
                "tracking_id",
                "mwh",
                "used_mwh",
                "g_per_kwh",
                "status",
                "reason",
            ],
        ),
    ];
    for (name, rows, fields) in tables {
        if rows.is_empty() {
            continue;
        }
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        write_header(ws, fields)?;
        for (i, value) in rows.iter().enumerate() {
            write_row(ws, i as u32 + 1, value, fields, None)?;
        }
        filter(ws, rows.len() as u32, fields.len())?;
    }
    Ok(())
}

/// The Notes sheet: what the workbook holds, the units, the method and where the sources are,
/// so a workbook sent on its own still says how its numbers were made.
fn notes_sheet(wb: &mut Workbook, tail: &Tail) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Notes")?;
    ws.set_column_width(0, 120)?;
    let year = tail
        .scope
        .reporting_year
        .map(|y| format!("Reporting year (--year): {y}."))
        .unwrap_or_else(|| "No --year: each region's latest data year (data_year on each row).".into());
    let lines = [
        format!(
            "hashmix {} (schema {}): what electricity each site runs on, what it emits and its crackdown risk.",
            env!("CARGO_PKG_VERSION"),
            crate::pipeline::ASSESS_SCHEMA
        ),
        year,
        "Sites: one row per input row, in input order; status error rows say why in `error`. Units are in the headers; shares are fractions shown as percentages; the cells hold the full values.".into(),
        "Portfolio: the totals, in the order of the summary. ESRS E1: Scope 1, Scope 2 location- and market-based and the energy mix in the layout of ESRS E1-6 and E1-5. Instruments: every row of --instruments with its verdict.".into(),
        "Method: intensity = the published rate of the site's grid zone or region (or its mix x IPCC AR5 factors); energy = power x hours x uptime; CO2 = energy x intensity. See METHOD.md in the hashmix repository for every formula, the risk score and the intervals.".into(),
        format!(
            "Sources: sheet Sources ({} datasets, with publisher, vintage and licence).",
            tail.sources.len()
        ),
    ];
    for (i, line) in lines.iter().enumerate() {
        ws.write_string(i as u32, 0, line)?;
    }
    Ok(())
}

/// `hashmix assess --format xlsx`: sheets Sites, Portfolio, Sources (and Uncertainty with
/// draws; ESRS E1 and Instruments with Scope figures and instruments), saved when the run
/// finishes.
pub struct XlsxWriter {
    workbook: Workbook,
    path: PathBuf,
    row: u32,
    /// The site fields written, as indexes into the column table, in contract order.
    kept: Vec<usize>,
    /// Their display formats.
    formats: Vec<Option<Format>>,
}

impl XlsxWriter {
    /// Start a workbook to be saved at `path`, its Sites sheet with the fields `columns` keeps.
    pub fn new(path: &Path, columns: &Columns) -> std::io::Result<XlsxWriter> {
        let mut workbook = new_workbook().map_err(err)?;
        let ws = workbook.add_worksheet_with_constant_memory().map_err(err)?;
        ws.set_name("Sites").map_err(err)?;
        write_header(ws, &columns.names()).map_err(err)?;
        Ok(XlsxWriter {
            workbook,
            path: path.to_path_buf(),
            row: 1,
            kept: columns.kept().to_vec(),
            formats: site_formats(columns.kept()),
        })
    }
}

impl Writer for XlsxWriter {
    fn site(&mut self, result: &SiteResult) -> std::io::Result<()> {
        let ws = self.workbook.worksheet_from_index(0).map_err(err)?;
        write_site_row(ws, self.row, result, &self.kept, &self.formats).map_err(err)?;
        self.row += 1;
        Ok(())
    }

    fn finish(&mut self, tail: &Tail) -> std::io::Result<()> {
        let sites = self.workbook.worksheet_from_index(0).map_err(err)?;
        filter(sites, self.row - 1, self.kept.len()).map_err(err)?;
        // The portfolio in the order of the summary (the record's own order).
        let ws = self.workbook.add_worksheet();
        ws.set_name("Portfolio").map_err(err)?;
        key_values(ws, &serde_json::to_value(tail.portfolio)?).map_err(err)?;
        scope_sheets(&mut self.workbook, tail.scope).map_err(err)?;
        notes_sheet(&mut self.workbook, tail).map_err(err)?;
        sources_sheet(&mut self.workbook, tail.sources).map_err(err)?;
        uncertainty_sheet(&mut self.workbook, tail.uncertainty).map_err(err)?;
        self.workbook.save(&self.path).map_err(err)
    }
}

/// `hashmix compare --format xlsx`: sheets Regions (each region as its reference site's
/// result, the columns at `kept`), Settings, Sources (and Uncertainty).
pub fn compare(
    path: &Path,
    kept: &[usize],
    regions: &[SiteResult],
    settings: &Value,
    sources: &[Dataset],
    uncertainty: Option<&UncertaintyInfo>,
) -> std::io::Result<()> {
    let mut wb = new_workbook().map_err(err)?;
    let ws = wb.add_worksheet();
    ws.set_name("Regions").map_err(err)?;
    let fields: Vec<&str> = kept.iter().map(|&i| SITE_COLUMNS[i].name).collect();
    write_header(ws, &fields).map_err(err)?;
    let formats = site_formats(kept);
    for (i, region) in regions.iter().enumerate() {
        write_site_row(ws, i as u32 + 1, region, kept, &formats).map_err(err)?;
    }
    filter(ws, regions.len() as u32, kept.len()).map_err(err)?;
    let ws = wb.add_worksheet();
    ws.set_name("Settings").map_err(err)?;
    key_values(ws, settings).map_err(err)?;
    sources_sheet(&mut wb, sources).map_err(err)?;
    uncertainty_sheet(&mut wb, uncertainty).map_err(err)?;
    wb.save(path).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn headers_carry_their_units() {
        assert_eq!(header("co2_t_per_year_p95"), "co2_t_per_year_p95 (t CO2e/yr)");
        assert_eq!(header("coal_share"), "coal_share (fraction)");
        assert_eq!(header("region"), "region");
        assert!(SITE_COLUMNS.iter().filter(|c| unit(c.name).is_some()).count() >= 30);
    }

    #[test]
    fn a_text_longer_than_a_cell_is_cut_with_a_note_and_a_short_one_is_kept() {
        // Issue 20: 40,000 characters, two of them outside the Basic Multilingual Plane (two
        // UTF-16 units each), so the cut is counted in UTF-16 units, not in bytes or chars.
        let long = format!("{}😀{}😀", "é".repeat(20_000), "x".repeat(19_998));
        assert_eq!(long.chars().count(), 40_000);
        let cut = cell_text(&long);
        let note =
            "… [cut to fit an Excel cell: 40000 characters in all; the CSV and JSON outputs hold the whole text]";
        assert!(cut.ends_with(note), "{}", &cut[cut.len() - 200..]);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_UTF16);
        let kept = MAX_CELL_UTF16 - note.encode_utf16().count();
        // 20,000 é, the emoji (2 units), then x up to the room left.
        assert_eq!(
            cut.strip_suffix(note).unwrap(),
            format!("{}😀{}", "é".repeat(20_000), "x".repeat(kept - 20_002))
        );
        // The emoji is not split: with one unit of room left before it, it is left out.
        let edge = format!("{}😀", "x".repeat(kept - 1)) + &"y".repeat(MAX_CELL_UTF16);
        assert_eq!(
            cell_text(&edge)
                .strip_suffix(note.replace("40000", &(kept + MAX_CELL_UTF16).to_string()).as_str())
                .unwrap(),
            "x".repeat(kept - 1)
        );
        let exact = "x".repeat(MAX_CELL_UTF16);
        assert!(matches!(cell_text(&exact), Cow::Borrowed(_)));
        assert!(matches!(cell_text("Québec"), Cow::Borrowed("Québec")));
    }
}
