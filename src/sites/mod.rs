//! Reading sites: CSV (comma, semicolon or tab; UTF-8 with or without BOM; CRLF or LF) or a
//! GeoJSON FeatureCollection of Points, turned into typed, validated [`Site`]s.
//!
//! Reading is split in two so that one bad row never stops the run: the readers yield a
//! [`RawRow`] per input row (streaming, for CSV), and [`validate`] turns it into a `Site` or
//! a [`RowError`] that names the line, the column, the value and what was expected.

pub mod columns;
mod csv_input;
mod geojson_input;
pub mod numbers;
pub mod plausibility;
mod spreadsheet;
mod validate;

use std::fmt;
use std::io::{Cursor, Read};
use std::sync::Arc;

pub use columns::{FIELD_COUNT, Field};
pub use numbers::Decimals;
pub(crate) use spreadsheet::check_archive;
pub use validate::{SWAPPED_HINT, location, validate};

use crate::Error;

/// Where a row sits in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// 1-based line of a CSV file (the header is line 1).
    Line(u64),
    /// 1-based feature of a GeoJSON FeatureCollection.
    Feature(u64),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(n) => write!(f, "line {n}"),
            Position::Feature(n) => write!(f, "feature {n}"),
        }
    }
}

/// Why one row cannot be assessed.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// Where the row is.
    pub position: Position,
    /// The column as the input names it, when one column is at fault.
    pub column: Option<String>,
    /// The value given, when there is one.
    pub value: Option<String>,
    /// What was expected, and what to do.
    pub expected: String,
}

impl RowError {
    /// An error about the row as a whole.
    pub fn row(position: Position, expected: impl Into<String>) -> RowError {
        RowError {
            position,
            column: None,
            value: None,
            expected: expected.into(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.position)?;
        if let Some(c) = &self.column {
            write!(f, ", column '{}'", Clip(c, VALUE_CHARS))?;
        }
        if let Some(v) = &self.value {
            write!(f, ", value '{}'", Clip(v, VALUE_CHARS))?;
        }
        write!(f, ": {}", Clip(&self.expected, MESSAGE_CHARS))
    }
}

/// The most characters of a value (or a column name) that a message shows: enough to find
/// the cell, while a 100 MB field does not flood standard error or the output's `error`.
pub const VALUE_CHARS: usize = 200;

/// The most characters of what a message says was expected; it may quote values too (a
/// region code, a month). The longest hashmix writes is under 400.
pub const MESSAGE_CHARS: usize = 1000;

/// Text shown up to a number of characters, then `…` when it is longer.
pub struct Clip<'a>(pub &'a str, pub usize);

impl fmt::Display for Clip<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Clip(text, max) = *self;
        // A text of at most `max` bytes has at most `max` characters.
        if text.len() <= max {
            return f.write_str(text);
        }
        match text.char_indices().nth(max) {
            Some((end, _)) => write!(f, "{}…", &text[..end]),
            None => f.write_str(text),
        }
    }
}

/// The span of an absent field (a given field's text is never empty, so never ends where it
/// starts).
const NO_SPAN: (u32, u32) = (0, 0);

/// The input's column names, shared by every row it yields.
pub type ColumnNames = Arc<[Option<String>; FIELD_COUNT]>;

/// One input row before validation: the text of each known field.
#[derive(Debug)]
pub struct RawRow {
    /// Where the row is.
    pub position: Position,
    /// The fields' texts, one after another in one buffer (one allocation per row).
    text: String,
    /// Where each field's text lies in `text` (start, end), indexed by `Field as usize`;
    /// [`NO_SPAN`] when absent or blank.
    spans: [(u32, u32); FIELD_COUNT],
    /// How the input names each field.
    pub columns: ColumnNames,
    /// How the input writes numbers (see [`numbers`]).
    pub decimals: Decimals,
    /// A defect found while reading (wrong field count, bad encoding, non-Point geometry);
    /// boxed, since few rows have one and every row is copied once into the curve order.
    pub defect: Option<Box<RowError>>,
    /// Latitude and longitude as read when set (see [`RawRow::plain_coordinate`]): the
    /// curve order and validation both need them, and read them once.
    plain: [Option<f64>; 2],
    /// The fields whose text a spreadsheet's number cell gave, one bit per `Field as usize`
    /// (see [`RawRow::set_number_cell`]).
    number_cells: u32,
}

// One bit of `RawRow::number_cells` per field.
const _: () = assert!(FIELD_COUNT <= 32);

impl Clone for RawRow {
    fn clone(&self) -> RawRow {
        RawRow {
            position: self.position,
            text: self.text.clone(),
            spans: self.spans,
            columns: Arc::clone(&self.columns),
            decimals: self.decimals,
            defect: self.defect.clone(),
            plain: self.plain,
            number_cells: self.number_cells,
        }
    }

    /// Copy `source` into this row's own text buffer: a reused row allocates nothing.
    fn clone_from(&mut self, source: &RawRow) {
        self.position = source.position;
        self.text.clone_from(&source.text);
        self.spans = source.spans;
        if !Arc::ptr_eq(&self.columns, &source.columns) {
            self.columns = Arc::clone(&source.columns);
        }
        self.decimals = source.decimals;
        self.defect.clone_from(&source.defect);
        self.plain = source.plain;
        self.number_cells = source.number_cells;
    }
}

impl RawRow {
    /// A row with no field given yet; `capacity` bytes of text are reserved.
    pub fn new(position: Position, columns: ColumnNames, decimals: Decimals, capacity: usize) -> RawRow {
        RawRow {
            position,
            text: String::with_capacity(capacity),
            spans: [NO_SPAN; FIELD_COUNT],
            columns,
            decimals,
            defect: None,
            plain: [None; 2],
            number_cells: 0,
        }
    }

    /// Make the row blank for reuse, keeping its text buffer: a reader that refills one row
    /// allocates nothing per row.
    pub fn reset(&mut self, position: Position, columns: &ColumnNames, decimals: Decimals) {
        self.position = position;
        self.text.clear();
        self.spans = [NO_SPAN; FIELD_COUNT];
        if !Arc::ptr_eq(&self.columns, columns) {
            self.columns = Arc::clone(columns);
        }
        self.decimals = decimals;
        self.defect = None;
        self.plain = [None; 2];
        self.number_cells = 0;
    }

    /// The text of a field, if given.
    pub fn get(&self, field: Field) -> Option<&str> {
        let (start, end) = self.spans[field as usize];
        if (start, end) == NO_SPAN {
            return None;
        }
        self.text.get(start as usize..end as usize)
    }

    /// Give a field's text (blank text, or none, leaves it absent).
    pub fn set(&mut self, field: Field, text: Option<&str>) {
        self.number_cells &= !(1 << field as u32);
        let plain = match field {
            Field::Lat => Some(0),
            Field::Lon => Some(1),
            _ => None,
        };
        if let Some(k) = plain {
            self.plain[k] = text.and_then(plain_number);
        }
        let Some(text) = text.filter(|t| !t.is_empty()) else {
            self.spans[field as usize] = NO_SPAN;
            return;
        };
        let start = self.text.len();
        self.text.push_str(text);
        // A row's text past 4 GiB is out of reach, as if absent.
        self.spans[field as usize] = u32::try_from(start)
            .ok()
            .zip(u32::try_from(self.text.len()).ok())
            .unwrap_or(NO_SPAN);
    }

    /// Give a field the text of a spreadsheet's number cell (as [`numbers::cell_text`] writes
    /// it): a machine number, read with a decimal point and no grouping whatever the decimal
    /// mark of the sheet's text cells (see [`RawRow::decimals_of`]).
    pub fn set_number_cell(&mut self, field: Field, text: &str) {
        self.set(field, Some(text));
        self.number_cells |= 1 << field as u32;
    }

    /// Whether a field's text came from a spreadsheet's number cell.
    pub fn is_number_cell(&self, field: Field) -> bool {
        self.number_cells & (1 << field as u32) != 0
    }

    /// How a field's text writes its number: the input's convention, or the decimal point
    /// of a number cell (issue 20: a number cell 0.5 in a sheet of decimal commas is 0.5,
    /// and 60000 is 60000).
    pub fn decimals_of(&self, field: Field) -> Decimals {
        if self.is_number_cell(field) {
            Decimals::Point
        } else {
            self.decimals
        }
    }

    /// The latitude's (`Field::Lat`) or longitude's (`Field::Lon`) value when its text is a
    /// plain number: one that holds no comma and reads (by `f64::from_str`) as a finite number.
    /// Read once, when the field was set; none for any other text and any other field, which
    /// are left to the caller to read.
    pub fn plain_coordinate(&self, field: Field) -> Option<f64> {
        match field {
            Field::Lat => self.plain[0],
            Field::Lon => self.plain[1],
            _ => None,
        }
    }

    /// The column name the input uses for a field (its canonical name if absent).
    pub fn column(&self, field: Field) -> String {
        self.columns[field as usize]
            .clone()
            .unwrap_or_else(|| field.canonical().to_string())
    }
}

/// `text` read as a number, when it holds no comma and reads (by `f64::from_str`) as a finite
/// one: every reading of a coordinate gives this value for such a text.
fn plain_number(text: &str) -> Option<f64> {
    if text.contains(',') {
        return None;
    }
    text.parse().ok().filter(|v: &f64| v.is_finite())
}

/// A validated site, ready to locate.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Identifier from the input (held inline, without an allocation, up to 24 bytes).
    pub id: Option<compact_str::CompactString>,
    /// Name from the input (inline up to 24 bytes).
    pub name: Option<compact_str::CompactString>,
    /// Latitude, degrees.
    pub lat: Option<f64>,
    /// Longitude, degrees.
    pub lon: Option<f64>,
    /// Declared region code, upper case.
    pub region: Option<String>,
    /// Hashrate, TH/s.
    pub hashrate_ths: Option<f64>,
    /// Efficiency at the machine, J/TH.
    pub efficiency_j_per_th: Option<f64>,
    /// Measured facility draw, MW.
    pub power_mw: Option<f64>,
    /// Power usage effectiveness.
    pub pue: f64,
    /// Whether the input gave the PUE (else `pue` is the default).
    pub pue_given: bool,
    /// Fraction of the operating time running, 0-1.
    pub uptime: f64,
    /// Whether the input gave the uptime (else `uptime` is the default).
    pub uptime_given: bool,
    /// Operating months; `None` = all year.
    pub months: Option<crate::months::Months>,
    /// Notes on defaults and catalogue values used (a default's note is borrowed, not copied).
    pub notes: Vec<std::borrow::Cow<'static, str>>,
    /// What looks wrong in the row though it can be assessed (see [`plausibility`]).
    pub warnings: Vec<String>,
    /// Where its power comes from besides the grid, and what it claims (issue 24).
    pub supply: Supply,
}

/// A site's own generation, its supplier's rate and its renewable claim, as the row gives
/// them (issue 24). The default: all power from the grid, no supplier rate, no claim.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Supply {
    /// Fraction of the energy generated on site, 0-1.
    pub onsite_share: f64,
    /// What the site's own generation runs on (given whenever `onsite_share` > 0).
    pub onsite_fuel: Option<crate::source::OnsiteFuel>,
    /// The own generation's measured direct emissions, gCO2e/kWh.
    pub onsite_g_per_kwh: Option<f64>,
    /// The own generators' electrical efficiency, 0-1.
    pub onsite_efficiency: Option<f64>,
    /// The supplier's emission rate for the site's grid power, gCO2e/kWh.
    pub supplier_g_per_kwh: Option<f64>,
    /// The renewable share the site claims, 0-1.
    pub claimed_renewable_share: Option<f64>,
}

/// How many bytes are read up front to recognise the format.
const SNIFF_BYTES: u64 = 64 * 1024;

/// The rows of one input, CSV or GeoJSON.
pub struct SiteReader {
    inner: Inner,
    /// The input's name for messages (a path or `standard input`).
    pub name: String,
    /// What was decided about the whole input that its user should know (see [`SiteReader::notes`]).
    notes: Vec<String>,
}

enum Inner {
    Csv(Box<csv_input::CsvRows>),
    Sheet(Box<spreadsheet::SheetRows>),
    GeoJson(Box<geojson_input::GeoJsonRows>),
}

impl SiteReader {
    /// Open a path, or standard input for `-`. A spreadsheet (`.xlsx`, `.xlsm`, `.xls`,
    /// `.ods`) is read from its first sheet (an .xlsx streamed), with the CSV reader's column
    /// names; see `spreadsheet`.
    pub fn open(path: &str) -> Result<SiteReader, Error> {
        if path == "-" {
            return SiteReader::from_reader(Box::new(std::io::BufReader::new(std::io::stdin())), "standard input");
        }
        let lower = path.to_ascii_lowercase();
        if [".xlsx", ".xlsm", ".xls", ".ods"].iter().any(|e| lower.ends_with(e)) {
            let sheet = spreadsheet::SheetRows::open(path)?;
            return Ok(SiteReader {
                notes: sheet.note.clone().into_iter().collect(),
                inner: Inner::Sheet(Box::new(sheet)),
                name: path.into(),
            });
        }
        let file = std::fs::File::open(path).map_err(|source| Error::Read {
            path: path.into(),
            source,
        })?;
        SiteReader::from_reader(Box::new(std::io::BufReader::new(file)), path)
    }

    /// Read the first sheet of an .xlsx workbook held in memory, checked and streamed as a
    /// file's is (see [`SiteReader::open`]).
    pub fn from_xlsx_bytes(bytes: Vec<u8>, name: &str) -> Result<SiteReader, Error> {
        let sheet = spreadsheet::SheetRows::from_xlsx_bytes(bytes, name)?;
        Ok(SiteReader {
            notes: sheet.note.clone().into_iter().collect(),
            inner: Inner::Sheet(Box::new(sheet)),
            name: name.into(),
        })
    }

    /// Read from bytes in memory.
    pub fn from_bytes(bytes: Vec<u8>, name: &str) -> Result<SiteReader, Error> {
        SiteReader::from_reader(Box::new(Cursor::new(bytes)), name)
    }

    /// Read from any reader: the format is recognised from the first bytes. Text that is not
    /// UTF-8 is read as UTF-16 when it starts with UTF-16's byte-order mark (Excel's "Unicode
    /// text"), else as Windows-1252 (Excel's "CSV" on Windows; Latin-1 reads the same), with
    /// a note (see [`SiteReader::notes`]).
    pub fn from_reader(mut reader: Box<dyn Read + Send>, name: &str) -> Result<SiteReader, Error> {
        let head = sniff(&mut reader, name)?;
        let (encoding, note) = match text_encoding(&head) {
            Ok(None) => return SiteReader::from_utf8(head, reader, name, Vec::new()),
            Ok(Some(found)) => found,
            Err(message) => {
                return Err(Error::UnusableInput {
                    input: name.into(),
                    message: message.into(),
                });
            }
        };
        let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .bom_override(true)
            .strip_bom(true)
            .build(Cursor::new(head).chain(reader));
        let mut decoded: Box<dyn Read + Send> = Box::new(decoded);
        let head = sniff(&mut decoded, name)?;
        SiteReader::from_utf8(head, decoded, name, note.into_iter().collect())
    }

    /// Read UTF-8 text whose first bytes, `head`, were taken from `reader` already.
    fn from_utf8(
        mut head: Vec<u8>,
        reader: Box<dyn Read + Send>,
        name: &str,
        notes: Vec<String>,
    ) -> Result<SiteReader, Error> {
        let unusable = |message: String| Error::UnusableInput {
            input: name.into(),
            message,
        };
        let complete = (head.len() as u64) < SNIFF_BYTES;
        if head.starts_with(b"\xEF\xBB\xBF") {
            head.drain(..3);
        }
        if head.iter().all(u8::is_ascii_whitespace) {
            return Err(unusable(
                "the input is empty; expected a CSV with a header row, or a GeoJSON FeatureCollection".into(),
            ));
        }
        let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
        let all: Box<dyn Read + Send> = Box::new(Cursor::new(head.clone()).chain(reader));
        let mut notes = notes;
        let inner = if matches!(first, Some(b'{') | Some(b'[')) {
            Inner::GeoJson(Box::new(geojson_input::GeoJsonRows::read(all, name)?))
        } else {
            let csv = csv_input::CsvRows::new(all, &head, complete, name)?;
            notes.extend(csv.note.clone());
            Inner::Csv(Box::new(csv))
        };
        Ok(SiteReader {
            inner,
            name: name.into(),
            notes,
        })
    }

    /// What was decided about the whole input that its user should know, once: that its text
    /// was not UTF-8 and how it was read; that its numbers are read with a decimal comma, or
    /// that its first rows write them both ways. Print them before the rows' messages.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The next row, or an error that makes the rest of the input unusable.
    pub fn next_row(&mut self) -> Option<Result<RawRow, Error>> {
        match &mut self.inner {
            Inner::Csv(c) => c.next_row(),
            Inner::Sheet(s) => s.next_row(),
            Inner::GeoJson(g) => g.next_row(),
        }
    }

    /// Read the next row into `row`, reusing its buffer (CSV), as [`SiteReader::next_row`]
    /// would give it; `row` is left as it was at the end of the input or on an error.
    pub fn read_into(&mut self, row: &mut RawRow) -> Option<Result<(), Error>> {
        match &mut self.inner {
            Inner::Csv(c) => c.read_into(row),
            Inner::Sheet(s) => s.next_row().map(|r| r.map(|r| *row = r)),
            Inner::GeoJson(g) => g.next_row().map(|r| r.map(|r| *row = r)),
        }
    }
}

/// Up to [`SNIFF_BYTES`] from the start of `reader`, to recognise the format.
fn sniff(reader: &mut Box<dyn Read + Send>, name: &str) -> Result<Vec<u8>, Error> {
    let mut head = Vec::new();
    reader
        .by_ref()
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .map_err(|source| Error::Read {
            path: name.into(),
            source,
        })?;
    Ok(head)
}

/// The text encoding of an input from its first bytes: `None` for UTF-8 (with or without its
/// byte-order mark), else the encoding to read it with and the note to give; an error for
/// data that is not text (it holds NUL bytes, which no text in these encodings has).
pub(crate) fn text_encoding(
    head: &[u8],
) -> Result<Option<(&'static encoding_rs::Encoding, Option<String>)>, &'static str> {
    if head.starts_with(b"\xFF\xFE") {
        return Ok(Some((encoding_rs::UTF_16LE, None)));
    }
    if head.starts_with(b"\xFE\xFF") {
        return Ok(Some((encoding_rs::UTF_16BE, None)));
    }
    if head.contains(&0) {
        // A header's first character is ASCII: in UTF-16 one of its two bytes is NUL.
        let utf16 = matches!(head, [a, b, ..] if (*a == 0) != (*b == 0));
        return Err(if utf16 {
            "this looks like UTF-16 text without its byte-order mark; save it as \"CSV UTF-8\" (or as UTF-16 with its mark)"
        } else {
            "this is binary data, not text; expected a CSV or GeoJSON file"
        });
    }
    match std::str::from_utf8(head) {
        Ok(_) => Ok(None),
        // Cut in the middle of a character at the end of the sniffed block: still UTF-8.
        Err(e) if e.error_len().is_none() => Ok(None),
        Err(_) => Ok(Some((
            encoding_rs::WINDOWS_1252,
            Some(
                "the file is not UTF-8 text: it was read as Windows-1252 (Excel's \"CSV\" on Windows; Latin-1 reads \
                 the same); if names look wrong, save it as \"CSV UTF-8\""
                    .to_string(),
            ),
        ))),
    }
}

/// Check that a set of recognised columns can locate a site; list the accepted names if not.
pub(crate) fn check_location_columns(columns: &[Option<String>; FIELD_COUNT], name: &str) -> Result<(), Error> {
    let has = |f: Field| columns[f as usize].is_some();
    let unusable = |message: String| Error::UnusableInput {
        input: name.into(),
        message,
    };
    match (has(Field::Lat), has(Field::Lon), has(Field::Region)) {
        (true, true, _) | (false, false, true) => Ok(()),
        (true, false, _) => Err(unusable(format!(
            "there is a latitude column but no longitude column; accepted names: {}",
            Field::Lon.accepted()
        ))),
        (false, true, _) => Err(unusable(format!(
            "there is a longitude column but no latitude column; accepted names: {}",
            Field::Lat.accepted()
        ))),
        (false, false, false) => Err(unusable(format!(
            "no location columns: give latitude ({}) and longitude ({}), or region (ISO 3166-1 code such as KZ, or WORLD)",
            Field::Lat.accepted(),
            Field::Lon.accepted()
        ))),
    }
}

#[cfg(test)]
mod tests;
