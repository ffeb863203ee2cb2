//! Site files from spreadsheets (calamine): the first sheet's first non-empty row is the
//! header, read with the CSV reader's column names and aliases; every later row that holds a
//! value is a site, and line N is the sheet's row N. Empty rows are skipped, as blank lines of
//! a CSV are, and a cell under no header is ignored, as a CSV column of an unknown name is.
//!
//! A number cell's text is the plain decimal it holds (`42`, `101.1`, `0.0000001`, never an
//! exponent), and the row marks it as a machine number: it is read with a decimal point
//! whatever decimal mark the sheet's text cells use, and it tells nothing of that mark.
//!
//! A workbook is a zip archive that can declare anything, so it is checked before it is opened
//! (issue 20): the central directory's declared sizes are held to the limits below (the zip
//! crate never decompresses an entry past its declared size, so these bound the bytes read).
//! An .xlsx sheet is then streamed cell by cell on its own thread: memory holds a few rows,
//! never the sheet's dense grid, so one cell at `XFD1048576` costs one cell. Each cell's text
//! is held to Excel's own limit.

use std::io::{BufReader, Read, Seek};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, DataRef, Reader, Xlsx, open_workbook_auto};

use super::{ColumnNames, FIELD_COUNT, Field, Position, RawRow, check_location_columns};
use crate::Error;

/// Largest declared uncompressed size of one worksheet part (`xl/worksheets/*.xml`, an .ods
/// `content.xml`). A sheet is streamed, but one cell's text is held whole while it is read,
/// so this bounds that. 512 MiB holds Excel's 1,048,576 rows of about a dozen numeric cells
/// (a numeric cell `<c r="L1048576"><v>1234.5</v></c>` is under 40 bytes).
pub const MAX_SHEET_PART_BYTES: u64 = 512 * 1024 * 1024;

/// Largest declared uncompressed size of any other part (shared strings, styles, workbook):
/// these are read whole into memory by calamine. 128 MiB holds a million distinct names of
/// a hundred characters.
pub const MAX_OTHER_PART_BYTES: u64 = 128 * 1024 * 1024;

/// Largest declared uncompressed size of all parts together.
pub const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;

/// Largest compression ratio (uncompressed / compressed) of a part larger than
/// [`RATIO_CHECKED_FROM_BYTES`]. A workbook's XML compresses well, but not that well: a sheet
/// of 300,000 identical rows of four cells deflates 11:1 (measured with zlib at level 9 for
/// issue 20); a zip bomb uses deflate's maximum of about 1,032:1 (zlib technical details, "Maximum compression
/// factor", <https://zlib.net/zlib_tech.html>).
pub const MAX_COMPRESSION_RATIO: u64 = 500;

/// Parts smaller than this are not held to [`MAX_COMPRESSION_RATIO`]: a small part that
/// compresses well cannot exhaust memory.
pub const RATIO_CHECKED_FROM_BYTES: u64 = 1024 * 1024;

/// Most characters one cell may hold: Excel's own limit ("Total number of characters that a
/// cell can contain: 32,767", Microsoft Support, "Excel specifications and limits").
pub const MAX_CELL_CHARS: usize = 32_767;

/// Excel's grid: 1,048,576 rows by 16,384 columns (XFD) ("Excel specifications and limits").
pub const MAX_SHEET_ROWS: u32 = 1_048_576;
/// See [`MAX_SHEET_ROWS`].
pub const MAX_SHEET_COLUMNS: u32 = 16_384;

/// How many rows the sheet's thread gathers before handing them on.
const BATCH_ROWS: usize = 256;
/// How many batches may wait between the sheet's thread and the reader.
const BATCHES_IN_FLIGHT: usize = 4;

fn unusable(path: &str, message: String) -> Error {
    Error::UnusableInput {
        input: path.into(),
        message,
    }
}

/// Check a zip archive's central directory against the limits above before anything in it
/// is decompressed. Not a zip archive (an .xls) passes: its reader finds out.
pub fn check_archive<R: Read + Seek>(reader: R, path: &str) -> Result<(), Error> {
    let Ok(archive) = zip::ZipArchive::new(reader) else {
        return Ok(());
    };
    let metadata = archive.metadata();
    let mut total: u64 = 0;
    for i in 0..metadata.len() {
        let Ok(entry) = metadata.entry(i) else {
            continue;
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let (size, compressed) = (entry.size(), entry.compressed_size());
        let sheet = name.starts_with("xl/worksheets/") || name == "content.xml";
        let limit = if sheet {
            MAX_SHEET_PART_BYTES
        } else {
            MAX_OTHER_PART_BYTES
        };
        if size > limit {
            return Err(unusable(
                path,
                format!(
                    "the workbook part {name} declares {size} bytes uncompressed, over the limit of {limit} bytes; refused as a possible zip bomb"
                ),
            ));
        }
        if size > RATIO_CHECKED_FROM_BYTES && size / compressed.max(1) > MAX_COMPRESSION_RATIO {
            return Err(unusable(
                path,
                format!(
                    "the workbook part {name} expands {size} bytes from {compressed}, over the limit of {MAX_COMPRESSION_RATIO} to 1; refused as a possible zip bomb"
                ),
            ));
        }
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err(unusable(
                path,
                format!(
                    "the workbook declares over {MAX_TOTAL_BYTES} bytes uncompressed in all; refused as a possible zip bomb"
                ),
            ));
        }
    }
    Ok(())
}

/// One non-empty cell of a sheet: its zero-based column, its text, and whether it is a number
/// cell (whose text is [`super::numbers::cell_text`]'s, a machine number).
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    col: u32,
    text: String,
    number: bool,
}

/// The text of a cell as CSV would hold it, and whether it is a number: numbers as
/// [`super::numbers::cell_text`] writes them, plain decimals (issue 20).
fn cell(d: &Data) -> (String, bool) {
    match d {
        Data::Empty => (String::new(), false),
        Data::String(s) => (s.clone(), false),
        Data::Float(f) => (super::numbers::cell_text(*f), true),
        Data::Int(i) => (i.to_string(), true),
        Data::Bool(b) => (b.to_string(), false),
        // A date or time in a cell is a number of days: a machine number, as a float cell.
        Data::DateTime(t) => (super::numbers::cell_text(t.as_f64()), true),
        Data::DateTimeIso(s) | Data::DurationIso(s) => (s.clone(), false),
        Data::Error(e) => (format!("#{e:?}"), false),
    }
}

/// [`cell`] for a streamed cell.
fn cell_ref(d: &DataRef<'_>) -> (String, bool) {
    cell(&Data::from(d.clone()))
}

/// The A1 name of a zero-based (row, column).
fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        // Below 26: a letter's offset from A.
        let rem = ((c - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// One sheet row that holds a value: its zero-based index, and its cells.
type SheetRow = (u32, Vec<Cell>);

/// What the sheet's thread hands on: rows, or why the sheet cannot be read.
type Batch = Result<Vec<SheetRow>, String>;

/// Gathers cells, given in row order, into rows, and hands them on in batches.
struct Rows<'a> {
    send: &'a SyncSender<Batch>,
    batch: Vec<SheetRow>,
    /// The last cell taken, to hold the cells to row order.
    last: Option<(u32, u32)>,
}

impl Rows<'_> {
    /// Take one non-empty cell; false once the reader has gone (the run stopped early).
    fn push(&mut self, row: u32, col: u32, (text, number): (String, bool)) -> Result<bool, String> {
        if row >= MAX_SHEET_ROWS || col >= MAX_SHEET_COLUMNS {
            return Err(format!(
                "cell {} lies outside Excel's grid of {MAX_SHEET_ROWS} rows by {MAX_SHEET_COLUMNS} columns",
                a1(row, col)
            ));
        }
        if self.last.is_some_and(|last| (row, col) <= last) {
            return Err(format!(
                "cell {} comes after a later cell: the sheet's cells are not in row order (save the file again from Excel)",
                a1(row, col)
            ));
        }
        if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
            return Err(format!(
                "cell {} holds {} characters, over Excel's limit of {MAX_CELL_CHARS}",
                a1(row, col),
                text.chars().count()
            ));
        }
        self.last = Some((row, col));
        let cell = Cell { col, text, number };
        match self.batch.last_mut() {
            Some((r, cells)) if *r == row => cells.push(cell),
            _ => {
                if self.batch.len() >= BATCH_ROWS {
                    let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_ROWS));
                    if self.send.send(Ok(full)).is_err() {
                        return Ok(false);
                    }
                }
                self.batch.push((row, vec![cell]));
            }
        }
        Ok(true)
    }

    fn finish(self) {
        // A reader that has gone needs nothing more.
        let _ = self.send.send(Ok(self.batch));
    }
}

/// Stream the first sheet of an .xlsx workbook into `send`.
fn stream_xlsx<RS: Read + Seek>(workbook: &mut Xlsx<RS>, send: &SyncSender<Batch>) -> Result<(), String> {
    let first = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| "the workbook has no sheet".to_string())?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|e| format!("the first sheet cannot be read: {e}"))?;
    let mut rows = Rows {
        send,
        batch: Vec::with_capacity(BATCH_ROWS),
        last: None,
    };
    while let Some(c) = cells
        .next_cell()
        .map_err(|e| format!("the first sheet cannot be read: {e}"))?
    {
        let (row, col) = c.get_position();
        if matches!(c.get_value(), DataRef::Empty) {
            continue;
        }
        if !rows.push(row, col, cell_ref(c.get_value()))? {
            return Ok(());
        }
    }
    rows.finish();
    Ok(())
}

/// Send the first sheet of any other workbook (.xls, .ods: calamine reads these only whole).
fn send_range(path: &str, send: &SyncSender<Batch>) -> Result<(), String> {
    let mut workbook = open_workbook_auto(path).map_err(|e| format!("not a readable spreadsheet: {e}"))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| "the workbook has no sheet".to_string())?
        .map_err(|e| format!("the first sheet cannot be read: {e}"))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = Rows {
        send,
        batch: Vec::with_capacity(BATCH_ROWS),
        last: None,
    };
    for (r, row) in (first_row..).zip(range.rows()) {
        for (c, d) in (first_col..).zip(row) {
            if !matches!(d, Data::Empty) && !rows.push(r, c, cell(d))? {
                return Ok(());
            }
        }
    }
    rows.finish();
    Ok(())
}

/// Run the sheet's thread: its fault, or a panic in the spreadsheet library, is sent as the
/// last batch, so that the reader never takes a failed sheet for a short one.
fn guarded(send: &SyncSender<Batch>, work: impl FnOnce(&SyncSender<Batch>) -> Result<(), String>) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(send)));
    let message = match outcome {
        Ok(Ok(())) => return,
        Ok(Err(message)) => message,
        Err(_) => "the spreadsheet library failed on this file; save it again from Excel, or as CSV".into(),
    };
    // A reader that has gone needs no message.
    let _ = send.send(Err(message));
}

/// The rows of a workbook's first sheet, read on their own thread.
pub(super) struct SheetRows {
    batches: Receiver<Batch>,
    pending: std::vec::IntoIter<SheetRow>,
    /// For each sheet column under the header, the field it feeds.
    mapping: Vec<Option<Field>>,
    columns: ColumnNames,
    name: String,
    /// The decimal mark the sheet's text cells use, decided from its first rows.
    decimals: super::Decimals,
    /// How that was decided, when that is worth saying (see `numbers::Evidence`).
    pub(super) note: Option<String>,
}

/// Rows of a sheet whose text cells decide its decimal mark, as a CSV file's first 64 KiB do.
const DECIDING_ROWS: usize = 1000;

impl SheetRows {
    /// Check and open the workbook at `path`, and read its header row.
    pub(super) fn open(path: &str) -> Result<SheetRows, Error> {
        let open = || {
            std::fs::File::open(path)
                .map(BufReader::new)
                .map_err(|source| Error::Read {
                    path: path.into(),
                    source,
                })
        };
        check_archive(open()?, path)?;
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
            return SheetRows::xlsx(open()?, path);
        }
        SheetRows::whole(path)
    }

    /// Open a workbook (checked already) that calamine reads only whole (.xls, .ods), and read
    /// its first sheet.
    fn whole(path: &str) -> Result<SheetRows, Error> {
        let (send, batches) = sync_channel(BATCHES_IN_FLIGHT);
        let owned = path.to_string();
        std::thread::spawn(move || guarded(&send, |send| send_range(&owned, send)));
        SheetRows::with_header(batches, path)
    }

    /// Check and open an .xlsx workbook held in memory, and read its header row.
    pub(super) fn from_xlsx_bytes(bytes: Vec<u8>, name: &str) -> Result<SheetRows, Error> {
        check_archive(std::io::Cursor::new(&bytes), name)?;
        SheetRows::xlsx(std::io::Cursor::new(bytes), name)
    }

    /// Open an .xlsx workbook (checked already) and stream its first sheet.
    fn xlsx<RS: Read + Seek + Send + 'static>(reader: RS, name: &str) -> Result<SheetRows, Error> {
        let (send, batches) = sync_channel(BATCHES_IN_FLIGHT);
        std::thread::spawn(move || {
            guarded(&send, |send| {
                let mut workbook: Xlsx<RS> =
                    Xlsx::new(reader).map_err(|e| format!("not a readable spreadsheet: {e}"))?;
                stream_xlsx(&mut workbook, send)
            })
        });
        SheetRows::with_header(batches, name)
    }

    /// Take the first row the sheet's thread hands on as the header.
    fn with_header(batches: Receiver<Batch>, path: &str) -> Result<SheetRows, Error> {
        let mut rows = SheetRows {
            batches,
            pending: Vec::new().into_iter(),
            mapping: Vec::new(),
            columns: Arc::new(Default::default()),
            name: path.into(),
            decimals: super::Decimals::Unknown,
            note: None,
        };
        let Some((_, header)) = rows.next_sheet_row().transpose()? else {
            return Err(unusable(path, "the first sheet is empty; expected a header row".into()));
        };
        let mut columns: [Option<String>; FIELD_COUNT] = Default::default();
        for Cell { col, text, .. } in header {
            let text = text.trim().to_string();
            let Some(field) = Field::from_header(&text) else {
                continue;
            };
            if let Some(prev) = &columns[field as usize] {
                return Err(unusable(
                    path,
                    format!(
                        "columns '{prev}' and '{text}' both give {}; keep one",
                        field.canonical()
                    ),
                ));
            }
            columns[field as usize] = Some(text);
            let col = col as usize;
            if rows.mapping.len() <= col {
                rows.mapping.resize(col + 1, None);
            }
            rows.mapping[col] = Some(field);
        }
        check_location_columns(&columns, path)?;
        rows.decide_decimals(&columns)?;
        rows.columns = Arc::new(columns);
        Ok(rows)
    }

    /// Decide the decimal mark of the sheet's text cells from its first rows, as for a CSV
    /// file (see `numbers::Evidence`); number cells are machine numbers whatever it is, and tell
    /// nothing of it. The rows read to decide are handed on first.
    fn decide_decimals(&mut self, columns: &[Option<String>; FIELD_COUNT]) -> Result<(), Error> {
        let mut first = Vec::new();
        while first.len() < DECIDING_ROWS {
            match self.next_sheet_row() {
                Some(row) => first.push(row?),
                None => break,
            }
        }
        let mut evidence = super::numbers::Evidence::default();
        for (index, cells) in &first {
            for Cell { col, text, number } in cells {
                if *number {
                    continue;
                }
                let Some(Some(field)) = self.mapping.get(*col as usize) else {
                    continue;
                };
                if !matches!(field, Field::Lat | Field::Lon) && !super::numbers::SIZE_FIELDS.contains(field) {
                    continue;
                }
                let column = columns[*field as usize].as_deref().unwrap_or("");
                let text = text.trim();
                if !text.is_empty() {
                    evidence.add(text, *field, u64::from(*index) + 1, column);
                }
            }
        }
        (self.decimals, self.note) = evidence.decide();
        first.extend(std::mem::take(&mut self.pending));
        self.pending = first.into_iter();
        Ok(())
    }

    fn next_sheet_row(&mut self) -> Option<Result<SheetRow, Error>> {
        loop {
            if let Some(row) = self.pending.next() {
                return Some(Ok(row));
            }
            match self.batches.recv() {
                Ok(Ok(batch)) => self.pending = batch.into_iter(),
                Ok(Err(message)) => return Some(Err(unusable(&self.name, message))),
                // The thread has ended: the sheet is done.
                Err(_) => return None,
            }
        }
    }

    /// The next row that holds a value.
    pub(super) fn next_row(&mut self) -> Option<Result<RawRow, Error>> {
        let (index, cells) = match self.next_sheet_row()? {
            Ok(row) => row,
            Err(e) => return Some(Err(e)),
        };
        let mut row = RawRow::new(
            Position::Line(u64::from(index) + 1),
            Arc::clone(&self.columns),
            // A text cell is read with the decimal mark the sheet's first rows show; a number
            // cell is marked, and read with a decimal point (see `RawRow::set_number_cell`).
            self.decimals,
            64,
        );
        for Cell { col, text, number } in cells {
            match self.mapping.get(col as usize) {
                Some(Some(field)) if number => row.set_number_cell(*field, &text),
                Some(Some(field)) => row.set(*field, Some(text.trim())),
                _ => {}
            }
        }
        Some(Ok(row))
    }
}

#[cfg(test)]
mod tests;
