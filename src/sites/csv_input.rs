//! CSV input, streamed row by row through one reused record buffer.
//!
//! The file's number convention is decided once, from its first rows (see
//! [`super::numbers`]), and a record is capped at [`RECORD_BYTES_MAX`], so that an
//! unterminated quote on a stream cannot take all the memory there is.

use std::borrow::Cow;
use std::io::Read;
use std::sync::Arc;

use super::numbers::{Decimals, Evidence, SIZE_FIELDS};
use super::{Clip, ColumnNames, FIELD_COUNT, Field, Position, RawRow, RowError, VALUE_CHARS, check_location_columns};
use crate::Error;

/// The most bytes one CSV record (one row, with every line of its quoted fields) may hold:
/// 1 MiB. A row of site data is a few hundred bytes, and 1 MiB holds 32 cells of Excel's
/// longest text (32,767 characters, Microsoft's "Excel specifications and limits"); past it,
/// the record is almost surely a quoted field that never ends, which would otherwise grow
/// until the rest of the input (on standard input, without bound) is in memory.
pub const RECORD_BYTES_MAX: u64 = 1 << 20;

/// The line ends in the bytes given to the CSV reader, kept from the first record not yet
/// numbered. The csv crate's own line count skips blank lines, counts a CRLF file's rows one
/// line early (BurntSushi/rust-csv issue 395) and counts no bare `\r` (old Mac line ends), so a
/// row's line is counted here from the offsets of its bytes, which the crate gives right for
/// every line end. A line end is a `\n`, a bare `\r` or a `\r\n`, which is one line end noted at
/// its `\r`: the csv crate ends a record at each of them.
#[derive(Debug, Default)]
struct Newlines {
    /// Offsets of the line ends not yet passed.
    ahead: std::collections::VecDeque<u64>,
    /// Line ends passed.
    passed: u64,
    /// The last byte noted was a `\r`, so a `\n` at the start of the next bytes completes it.
    after_cr: bool,
}

impl Newlines {
    /// The line ends of `bytes`, which start at offset `base` in the input.
    fn note(&mut self, base: u64, bytes: &[u8]) {
        let Some(&last) = bytes.last() else { return };
        let after_cr = self.after_cr;
        self.ahead.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| !ends_crlf(bytes, i, after_cr))
                .map(|i| base + i as u64),
        );
        self.after_cr = last == b'\r';
    }

    /// The number of line ends before byte `offset`; offsets asked for never decrease.
    fn before(&mut self, offset: u64) -> u64 {
        while self.ahead.front().is_some_and(|&at| at < offset) {
            self.ahead.pop_front();
            self.passed += 1;
        }
        self.passed
    }
}

/// Whether byte `i` of `bytes` is the `\n` of a `\r\n` (`after_cr`: the byte before `bytes` is
/// a `\r`), which the `\r` before it already counts as a line end.
fn ends_crlf(bytes: &[u8], i: usize, after_cr: bool) -> bool {
    bytes[i] == b'\n'
        && match i.checked_sub(1) {
            Some(before) => bytes[before] == b'\r',
            None => after_cr,
        }
}

/// The number of line ends in `bytes` (see [`Newlines`]).
fn line_ends(bytes: &[u8]) -> u64 {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| !ends_crlf(bytes, i, false))
        .count() as u64
}

/// The 1-based line a record starts on, from the line ends before its last byte (`end` is the
/// offset just past the record and its line end) and the line ends inside its quoted fields.
/// A record ending in `\r\n` ends, for the csv crate, past the `\r`, where its line end is
/// noted; the line end of a record ending in `\n` or `\r` is at `end - 1`: neither is counted.
fn record_line(newlines: &mut Newlines, end: u64, record: &csv::ByteRecord) -> u64 {
    let last_line = newlines.before(end.saturating_sub(1)) + 1;
    let inside = line_ends(record.as_slice());
    last_line.saturating_sub(inside).max(1)
}

/// The input under the CSV reader: it gives no byte past [`RECORD_BYTES_MAX`] of the record
/// being read, and notes where the line ends are. The CSV reader asks for more only once it
/// has used every byte it was given, so all the bytes given since the record's start belong to
/// that record. The reader owns it; [`CsvRows`] reaches it through the reader between records.
struct Capped {
    inner: Box<dyn Read + Send>,
    /// Bytes given so far.
    given: u64,
    /// The byte offset of the record being read.
    start: u64,
    /// Set when the input refused to go past [`RECORD_BYTES_MAX`] into one record.
    tripped: bool,
    /// Where the line ends are in the bytes given, to number each row's line.
    newlines: Newlines,
}

impl Read for Capped {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let used = self.given.saturating_sub(self.start);
        if used >= RECORD_BYTES_MAX {
            self.tripped = true;
            return Err(std::io::Error::other("a record is too long"));
        }
        let room = usize::try_from(RECORD_BYTES_MAX - used).unwrap_or(usize::MAX);
        let end = buf.len().min(room);
        let n = self.inner.read(&mut buf[..end])?;
        self.newlines.note(self.given, &buf[..n]);
        self.given += n as u64;
        Ok(n)
    }
}

/// `text` with each `\r\n` read as `\n`. The csv crate takes a record's `\r\n` line end
/// itself, but keeps a quoted field's own line ends as written: a name spread over two lines of
/// a CRLF file (as Excel writes it) reads as the same name in an LF file. A lone `\r` stays.
fn lf_lines(text: &str) -> Cow<'_, str> {
    if memchr::memmem::find(text.as_bytes(), b"\r\n").is_some() {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Streaming CSV rows.
pub(super) struct CsvRows {
    reader: csv::Reader<Capped>,
    record: csv::ByteRecord,
    /// For each input column, the field it feeds.
    mapping: Vec<Option<Field>>,
    columns: ColumnNames,
    header_len: usize,
    decimals: Decimals,
    /// How the number convention was decided, when that is worth saying.
    pub(super) note: Option<String>,
    name: String,
}

/// The message of a record cut at [`RECORD_BYTES_MAX`], naming the line where it starts.
fn too_long(line: u64) -> String {
    format!(
        "line {line}: the row starting here runs past {} MiB without ending (a quoted field without its closing \
         quote?); a row may hold at most {} bytes",
        RECORD_BYTES_MAX >> 20,
        RECORD_BYTES_MAX
    )
}

/// The delimiter of the header line: whichever of `,`, `;` and tab occurs most outside quotes.
fn detect_delimiter(head: &[u8]) -> u8 {
    // A bare `\r` ends the header line too (old Mac files), as it ends it for the csv crate.
    let line = head.split(|&b| b == b'\n' || b == b'\r').next().unwrap_or(head);
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// What the values of `head` (the first bytes of the file; `complete` when they are all of
/// it) tell about the file's decimal mark. Only whole lines are looked at.
fn decide_decimals(
    head: &[u8],
    complete: bool,
    delimiter: u8,
    mapping: &[Option<Field>],
) -> (Decimals, Option<String>) {
    let whole = match (complete, memchr::memrchr2(b'\n', b'\r', head)) {
        (true, _) => head,
        (false, Some(end)) => &head[..end],
        (false, None) => &[],
    };
    let mut newlines = Newlines::default();
    newlines.note(0, whole);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(whole);
    let mut evidence = Evidence::default();
    let mut record = csv::ByteRecord::new();
    let header = reader.byte_headers().cloned().unwrap_or_default();
    while let Ok(true) = reader.read_byte_record(&mut record) {
        let line = record_line(&mut newlines, reader.position().byte(), &record);
        for (i, raw) in record.iter().enumerate() {
            let Some(Some(field)) = mapping.get(i) else { continue };
            if !matches!(field, Field::Lat | Field::Lon) && !SIZE_FIELDS.contains(field) {
                continue;
            }
            let Ok(text) = std::str::from_utf8(raw) else { continue };
            let text = lf_lines(text);
            let text = text.trim();
            if !text.is_empty() {
                let column = header.get(i).map(String::from_utf8_lossy).unwrap_or_default();
                evidence.add(text, *field, line, column.trim());
            }
        }
    }
    evidence.decide()
}

impl CsvRows {
    /// Read the header of `input`, whose first bytes are `head` (all of it when `complete`),
    /// and decide the delimiter and the number convention from `head`.
    pub(super) fn new(input: Box<dyn Read + Send>, head: &[u8], complete: bool, name: &str) -> Result<CsvRows, Error> {
        let delimiter = detect_delimiter(head);
        let capped = Capped {
            inner: input,
            given: 0,
            start: 0,
            tripped: false,
            newlines: Newlines::default(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(capped);
        let unusable = |message: String| Error::UnusableInput {
            input: name.into(),
            message,
        };
        let header = match reader.byte_headers().cloned() {
            Ok(header) => header,
            Err(_) if reader.get_ref().tripped => return Err(unusable(too_long(1))),
            Err(e) => return Err(unusable(format!("cannot read the header row: {e}"))),
        };
        let mut columns: [Option<String>; FIELD_COUNT] = Default::default();
        let mut mapping = Vec::with_capacity(header.len());
        for raw in header.iter() {
            let text = lf_lines(&String::from_utf8_lossy(raw)).trim().to_string();
            let field = Field::from_header(&text);
            if let Some(f) = field {
                if let Some(prev) = &columns[f as usize] {
                    return Err(unusable(format!(
                        "columns '{}' and '{}' both give {}; keep one",
                        Clip(prev, VALUE_CHARS),
                        Clip(&text, VALUE_CHARS),
                        f.canonical()
                    )));
                }
                columns[f as usize] = Some(text);
            }
            mapping.push(field);
        }
        check_location_columns(&columns, name)?;
        let (decimals, note) = decide_decimals(head, complete, delimiter, &mapping);
        Ok(CsvRows {
            reader,
            record: csv::ByteRecord::new(),
            header_len: mapping.len(),
            mapping,
            columns: Arc::new(columns),
            decimals,
            note,
            name: name.into(),
        })
    }

    pub(super) fn next_row(&mut self) -> Option<Result<RawRow, Error>> {
        let mut row = RawRow::new(Position::Line(0), Arc::clone(&self.columns), self.decimals, 0);
        self.read_into(&mut row).map(|read| read.map(|()| row))
    }

    pub(super) fn read_into(&mut self, row: &mut RawRow) -> Option<Result<(), Error>> {
        let start = self.reader.position().byte();
        self.reader.get_mut().start = start;
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                self.fill(row);
                Some(Ok(()))
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(_) => Some(Err(Error::UnusableInput {
                    input: self.name.clone(),
                    message: if self.reader.get_ref().tripped {
                        // The record starts past `start`, or at the `\n` of the `\r\n` before it.
                        too_long(self.reader.get_mut().newlines.before(start + 1) + 1)
                    } else {
                        e.to_string()
                    },
                })),
                _ => {
                    // The record starts past `start`, or at the `\n` of the `\r\n` before it.
                    let line = self.reader.get_mut().newlines.before(start + 1) + 1;
                    row.reset(Position::Line(line), &self.columns, self.decimals);
                    row.defect = Some(Box::new(RowError::row(
                        Position::Line(line),
                        format!("unreadable CSV: {e}"),
                    )));
                    Some(Ok(()))
                }
            },
        }
    }

    /// Fill `row` from the record just read.
    fn fill(&mut self, row: &mut RawRow) {
        let end = self.reader.position().byte();
        let line = record_line(&mut self.reader.get_mut().newlines, end, &self.record);
        let position = Position::Line(line);
        row.reset(position, &self.columns, self.decimals);
        row.text.reserve(self.record.as_slice().len());
        // A row of valid UTF-8 (nearly every row) is checked once, not field by field: each
        // field is valid text if the whole row is and the field starts and ends on a character
        // (one character cut across two fields is valid in the whole row and in neither field).
        // A row with a `\r` (in a quoted field) takes the field by field way, through `lf_lines`.
        let plain = memchr::memchr(b'\r', self.record.as_slice()).is_none();
        if plain && let Ok(all) = std::str::from_utf8(self.record.as_slice()) {
            let fields = self
                .mapping
                .iter()
                .enumerate()
                .filter_map(|(i, field)| Some(((*field)?, self.record.range(i)?)));
            if fields.clone().all(|(_, range)| all.get(range).is_some()) {
                for (field, range) in fields {
                    row.set(field, all.get(range).map(str::trim));
                }
                self.check_length(row, position);
                return;
            }
        }
        for (i, raw) in self.record.iter().enumerate() {
            let Some(Some(field)) = self.mapping.get(i) else {
                continue;
            };
            match std::str::from_utf8(raw) {
                Ok(text) => row.set(*field, Some(lf_lines(text).trim())),
                Err(_) => {
                    row.defect = Some(Box::new(RowError {
                        position,
                        column: Some(row.column(*field)),
                        value: Some(String::from_utf8_lossy(raw).into_owned()),
                        expected: "the value is not valid UTF-8 text; save the file as UTF-8".into(),
                    }));
                }
            }
        }
        self.check_length(row, position);
    }

    /// A row whose field count is not the header's gets that defect, unless it has one.
    fn check_length(&self, row: &mut RawRow, position: Position) {
        if self.record.len() != self.header_len && row.defect.is_none() {
            row.defect = Some(Box::new(RowError::row(
                position,
                format!(
                    "the row has {} fields but the header has {}",
                    self.record.len(),
                    self.header_len
                ),
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_most_frequent_one_outside_quotes() {
        assert_eq!(detect_delimiter(b"id,lat,lon\n1,2,3"), b',');
        assert_eq!(detect_delimiter(b"id;lat;lon;\"a,b,c,d\"\n"), b';');
        assert_eq!(detect_delimiter(b"id\tlat\tlon\n"), b'\t');
        assert_eq!(detect_delimiter(b"region\nKZ\n"), b',');
        // Issue 20: a bare-CR file's header line ends at its `\r`; the commas of the rows below
        // (a decimal-comma file) made it read as comma-separated.
        let rows = "a;x, y, z;51,7;75,3\r".repeat(4);
        assert_eq!(detect_delimiter(format!("id;name;lat;lon\r{rows}").as_bytes()), b';');
    }

    /// The rows of a CSV given as bytes, read as rows past the first 64 KiB are (`SiteReader`
    /// refuses a file with bad UTF-8 in its first 64 KiB outright).
    fn rows(bytes: &[u8]) -> Vec<RawRow> {
        let mut csv = CsvRows::new(Box::new(std::io::Cursor::new(bytes.to_vec())), bytes, true, "test.csv").unwrap();
        std::iter::from_fn(|| csv.next_row().map(Result::unwrap)).collect()
    }

    // Issue 20: the csv crate's line count skips blank lines and counted a CRLF file's rows one
    // line early, so messages sent the user to the wrong row.
    #[test]
    fn each_row_is_numbered_with_the_line_it_starts_on_across_blank_lines_quotes_and_crlf() {
        let lines = |bytes: &[u8]| -> Vec<Position> { rows(bytes).iter().map(|r| r.position).collect() };
        let lf = b"id,name,lat,lon\n\na,x,1,1\n\n\nb,\"two\nlines\",2,2\nc,y,3,3\n\nd,z,4,4";
        let want = [3, 6, 8, 10].map(Position::Line);
        assert_eq!(lines(lf), want);
        let crlf: Vec<u8> = String::from_utf8_lossy(lf).replace('\n', "\r\n").into_bytes();
        assert_eq!(lines(&crlf), want);
    }

    // Issue 20: the csv crate takes each line end itself, CRLF and bare CR included, with no
    // pass before it that turns CRLF into LF; the values must read as in an LF file.
    #[test]
    fn a_crlf_or_cr_line_end_is_in_no_value_and_a_quoted_crlf_reads_as_lf() {
        let lf = "id,name,lat,lon\na,\"two\nlines\",1,1\nb,\"cr\rinside\",2,2\nc,z,3,3";
        let values = |bytes: &[u8]| -> Vec<(Option<String>, Option<String>)> {
            let text = |row: &RawRow, field| row.get(field).map(String::from);
            rows(bytes)
                .iter()
                .map(|r| (text(r, Field::Name), text(r, Field::Lon)))
                .collect()
        };
        let want = values(lf.as_bytes());
        let own = |name: &str, lon: &str| (Some(name.to_string()), Some(lon.to_string()));
        assert_eq!(want, [own("two\nlines", "1"), own("cr\rinside", "2"), own("z", "3")]);
        assert_eq!(values(lf.replace('\n', "\r\n").as_bytes()), want);
        assert_eq!(values((lf.replace('\n', "\r\n") + "\r\n").as_bytes()), want);
        // With bare CR line ends the quoted line end is a `\r` too.
        let cr = lf.replace('\n', "\r");
        let mut want_cr = want.clone();
        want_cr[0].0 = Some("two\rlines".into());
        assert_eq!(values(cr.as_bytes()), want_cr);
    }

    // Issue 20: the csv crate ends a row at a bare `\r`, but the line count counted only `\n`:
    // every row of an old Mac file was "line 1". A quoted field's own `\r` is a line too.
    #[test]
    fn each_row_of_a_bare_cr_file_is_numbered_with_the_line_it_starts_on() {
        let lines = |bytes: &[u8]| -> Vec<Position> { rows(bytes).iter().map(|r| r.position).collect() };
        let cr = b"id,name,lat,lon\r\ra,x,1,1\r\r\rb,\"two\rlines\",2,2\rc,y,3,3\r\rd,z,4,4\r";
        assert_eq!(lines(cr), [3, 6, 8, 10].map(Position::Line));
        let quoted_cr = b"id,name,lat,lon\ra,\"two\rlines\",1,1\rb,\"cr\rinside\",2,2\rc,z,3,3";
        assert_eq!(lines(quoted_cr), [2, 4, 6].map(Position::Line));
    }

    // Issue 20: a file whose rows end in `\n`, `\r\n` and `\r` by turns (pasted together from
    // several exports) is numbered line by line; each `\r\n` is one line end.
    #[test]
    fn each_row_of_a_file_with_mixed_line_ends_is_numbered_with_the_line_it_starts_on() {
        let lines = |bytes: &[u8]| -> Vec<Position> { rows(bytes).iter().map(|r| r.position).collect() };
        let mixed = b"id,name,lat,lon\r\na,x,1,1\nb,\"two\r\nlines\",2,2\rc,y,3,3\r\n\r\nd,z,4,4\n";
        assert_eq!(lines(mixed), [2, 3, 5, 7].map(Position::Line));
    }

    // A `\r\n` cut between two reads of the input is still one line end.
    #[test]
    fn a_crlf_split_across_two_reads_is_one_line_end() {
        let mut newlines = Newlines::default();
        newlines.note(0, b"ab\r");
        newlines.note(3, b"\ncd\r");
        newlines.note(7, b"");
        newlines.note(7, b"e\n");
        assert_eq!(newlines.ahead, [2, 6, 8]);
        assert_eq!(line_ends(b"\r\n\n\r\r"), 4);
    }

    // Issue 20: the line of a record cut at the cap is counted from the line ends too.
    #[test]
    fn a_row_past_the_cap_in_a_crlf_file_names_the_line_it_starts_on() {
        let input = format!(
            "id,name,lat,lon\r\na,x,1,2\r\nb,\"{}",
            "y".repeat(2 * RECORD_BYTES_MAX as usize)
        );
        let bytes = input.into_bytes();
        let mut csv = CsvRows::new(Box::new(std::io::Cursor::new(bytes.clone())), &bytes[..64], false, "in").unwrap();
        assert_eq!(csv.next_row().unwrap().unwrap().position, Position::Line(2));
        let Some(Err(Error::UnusableInput { message, .. })) = csv.next_row() else {
            panic!("the long row stops the input")
        };
        assert_eq!(message, too_long(3));
    }

    #[test]
    fn a_row_up_to_the_cap_is_read_and_one_past_it_stops_the_input_naming_its_line() {
        // Issue 20: an unterminated quote took every byte that followed into memory.
        let header = "id,name,lat,lon\n";
        let fits = format!("a,\"{}\",1,2\n", "x".repeat(RECORD_BYTES_MAX as usize - 9));
        assert_eq!(fits.len() as u64, RECORD_BYTES_MAX);
        let input = format!("{header}{fits}b,\"{}", "y".repeat(3 * RECORD_BYTES_MAX as usize));
        let bytes = input.into_bytes();
        let mut csv = CsvRows::new(Box::new(std::io::Cursor::new(bytes.clone())), &bytes[..64], false, "in").unwrap();
        let row = csv.next_row().unwrap().unwrap();
        assert_eq!(row.get(Field::Lon), Some("2"));
        let Some(Err(Error::UnusableInput { message, .. })) = csv.next_row() else {
            panic!("the long row stops the input")
        };
        assert_eq!(message, too_long(3));
        // A header past the cap is refused as line 1.
        let header = format!("id,lat,lon,{}", "z".repeat(2 * RECORD_BYTES_MAX as usize));
        let Err(Error::UnusableInput { message, .. }) = CsvRows::new(
            Box::new(std::io::Cursor::new(header.clone().into_bytes())),
            b"id,lat,lon",
            false,
            "in",
        ) else {
            panic!("the long header stops the input")
        };
        assert_eq!(message, too_long(1));
    }

    #[test]
    fn the_decimal_mark_is_decided_from_the_whole_lines_of_the_first_bytes() {
        let mapping = [Some(Field::Id), Some(Field::Machines), Some(Field::Efficiency)];
        let head = b"id;machines;efficiency_j_per_th\na;60.000;21,5\nb;7;20.";
        // The last line may be cut ("20." of "20.5"): only whole lines count.
        assert_eq!(decide_decimals(head, false, b';', &mapping).0, Decimals::Comma);
        // All of the file: its last line counts, and the file writes both.
        assert_eq!(decide_decimals(head, true, b';', &mapping).0, Decimals::Unknown);
        // Names and ids are not numbers.
        let head = b"id;machines\n1.5;60.000\n";
        assert_eq!(decide_decimals(head, true, b';', &mapping), (Decimals::Unknown, None));
    }

    #[test]
    fn a_character_cut_across_two_fields_is_invalid_in_each_though_the_row_is_valid() {
        // "é" is C3 A9: here its first byte ends the name and its second starts the latitude.
        let rows = rows(b"id,name,lat,lon\na, Qu\xc3\xa9bec ,51.7,75.3\nb,x\xc3,\xa9 51.7,75.3\nc,y,51.7\n");
        assert_eq!(rows.len(), 3);
        // Text in a valid row is trimmed, multi-byte characters and all.
        assert_eq!(rows[0].get(Field::Name), Some("Qu\u{e9}bec"));
        assert_eq!(rows[0].get(Field::Lat), Some("51.7"));
        assert_eq!(rows[0].defect, None);
        let defect = rows[1].defect.as_ref().expect("the cut character is a defect");
        assert_eq!(defect.position, Position::Line(3));
        // Both fields are invalid; the message names the last.
        assert_eq!(defect.column.as_deref(), Some("lat"));
        assert_eq!(defect.value.as_deref(), Some("\u{fffd} 51.7"));
        assert!(defect.expected.contains("not valid UTF-8"), "{}", defect.expected);
        assert_eq!(rows[1].get(Field::Id), Some("b"));
        assert_eq!(rows[1].get(Field::Lon), Some("75.3"));
        // A short row is a defect of the row, with the fields it has.
        assert_eq!(rows[2].get(Field::Lat), Some("51.7"));
        assert_eq!(rows[2].get(Field::Lon), None);
        assert!(
            rows[2]
                .defect
                .as_ref()
                .unwrap()
                .expected
                .contains("3 fields but the header has 4")
        );
    }
}
