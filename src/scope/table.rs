//! Small tables the user gives beside the sites (the instruments file, the residual mixes):
//! CSV or a spreadsheet's first sheet, read whole, with the sites reader's habits: UTF-8 with
//! or without its byte-order mark, UTF-16 with its mark, else Windows-1252 as Excel writes it;
//! the delimiter (`,`, `;` or tab) taken from the header line; a semicolon file's numbers read
//! with a decimal comma; any line ending; a workbook checked for zip bombs before it is opened.
//! Line N is the file's line N, or the sheet's row N.

use std::io::Read;

use calamine::{Data, Reader};

use crate::Error;
use crate::sites::Decimals;
use crate::sites::numbers::{self, NumberError};

/// Largest file read: a table of instruments or residual mixes is a few thousand rows; 64 MiB
/// holds a million.
pub const MAX_TABLE_BYTES: u64 = 64 * 1024 * 1024;

/// A table as read: its header (trimmed, lower case) and its rows, each with its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The column names.
    pub header: Vec<String>,
    /// Each non-empty row: its line and its cells (trimmed).
    pub rows: Vec<(u64, Vec<String>)>,
    /// How its text numbers are written.
    pub decimals: Decimals,
}

impl Table {
    /// The index of the first column named any of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|h| names.contains(&h.as_str()))
    }
}

/// What went wrong reading a table, for the caller's error.
fn unusable(what: &str, path: &str, message: impl Into<String>) -> Error {
    Error::UnusableInput {
        input: format!("{what} {path}"),
        message: message.into(),
    }
}

/// Read a table file: a spreadsheet by its extension (`.xlsx`, `.xlsm`, `.xls`, `.ods`), else
/// CSV. `what` names the flag in messages (`--instruments`).
pub fn read(path: &str, what: &str) -> Result<Table, Error> {
    let lower = path.to_ascii_lowercase();
    if [".xlsx", ".xlsm", ".xls", ".ods"].iter().any(|e| lower.ends_with(e)) {
        return read_sheet(path, what);
    }
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.into(),
        source,
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_TABLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read {
            path: path.into(),
            source,
        })?;
    if bytes.len() as u64 > MAX_TABLE_BYTES {
        return Err(unusable(what, path, format!("larger than {MAX_TABLE_BYTES} bytes")));
    }
    let text = decode(&bytes).map_err(|m| unusable(what, path, m))?;
    csv_table(&text).map_err(|m| unusable(what, path, m))
}

/// The text of a file's bytes, in the encoding the sites reader would take.
fn decode(bytes: &[u8]) -> Result<String, &'static str> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let encoding = crate::sites::text_encoding(head)?.map(|(e, _)| e);
    let (text, _, _) = encoding.unwrap_or(encoding_rs::UTF_8).decode(bytes);
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

/// A CSV table from its text.
fn csv_table(text: &str) -> Result<Table, String> {
    // One line break each, as LF: the csv crate counts CRLF files' lines one short, and an old
    // Mac's bare CR would be one line.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.as_str();
    let first = text.split(['\n', '\r']).next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let decimals = match delimiter {
        b';' => Decimals::Comma,
        b',' => Decimals::Point,
        _ => Decimals::Unknown,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(e.to_string()),
        }
        let line = record.position().map_or(0, |p| p.line());
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match header {
            None => header = Some(cells.iter().map(|c| c.to_lowercase()).collect()),
            Some(_) => rows.push((line, cells)),
        }
    }
    let header = header.ok_or("the file is empty: expected a header line and rows")?;
    Ok(Table { header, rows, decimals })
}

/// A table from a spreadsheet's first sheet.
fn read_sheet(path: &str, what: &str) -> Result<Table, Error> {
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.into(),
        source,
    })?;
    crate::sites::check_archive(std::io::BufReader::new(file), path)?;
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| unusable(what, path, e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unusable(what, path, "the workbook has no sheet"))?
        .map_err(|e| unusable(what, path, e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r);
    let mut header = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let line = u64::from(first_row) + i as u64 + 1;
        match header {
            None => header = Some(cells.iter().map(|c| c.to_lowercase()).collect()),
            Some(_) => rows.push((line, cells)),
        }
    }
    let header = header.ok_or_else(|| unusable(what, path, "the sheet is empty: expected a header row and rows"))?;
    // A sheet's number cells are machine numbers, written with a point.
    Ok(Table {
        header,
        rows,
        decimals: Decimals::Point,
    })
}

/// A cell's text: a number as the plain decimal it holds.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::Float(f) => numbers::cell_text(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::String(s) => s.trim().to_string(),
        other => other.to_string().trim().to_string(),
    }
}

/// A number as the table writes it: `1 234,5` in a file of decimal commas, `1,234.5` in one of
/// points; the message says what was expected.
pub fn number(text: &str, decimals: Decimals) -> Result<f64, String> {
    // The size columns' reading: grouping and decimal marks as the file writes them.
    numbers::read(text, decimals, crate::sites::Field::PowerMw)
        .map(|reading| reading.value)
        .map_err(|e: NumberError| e.to_string())
}
