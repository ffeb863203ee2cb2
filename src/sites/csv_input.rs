//! CSV input, streamed row by row through one reused record buffer.

use std::io::Read;
use std::sync::Arc;

use super::{ColumnNames, FIELD_COUNT, Field, Position, RawRow, RowError, check_location_columns};
use crate::Error;

/// Streaming CSV rows.
pub(super) struct CsvRows {
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: csv::ByteRecord,
    /// For each input column, the field it feeds.
    mapping: Vec<Option<Field>>,
    columns: ColumnNames,
    header_len: usize,
    decimal_comma: bool,
    name: String,
}

/// The delimiter of the header line: whichever of `,`, `;` and tab occurs most outside quotes.
fn detect_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
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

impl CsvRows {
    pub(super) fn new(input: Box<dyn Read + Send>, head: &[u8], name: &str) -> Result<CsvRows, Error> {
        let delimiter = detect_delimiter(head);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(input);
        let unusable = |message: String| Error::UnusableInput {
            input: name.into(),
            message,
        };
        let header = reader
            .byte_headers()
            .map_err(|e| unusable(format!("cannot read the header row: {e}")))?
            .clone();
        let mut columns: [Option<String>; FIELD_COUNT] = Default::default();
        let mut mapping = Vec::with_capacity(header.len());
        for raw in header.iter() {
            let text = String::from_utf8_lossy(raw).trim().to_string();
            let field = Field::from_header(&text);
            if let Some(f) = field {
                if let Some(prev) = &columns[f as usize] {
                    return Err(unusable(format!(
                        "columns '{prev}' and '{text}' both give {}; keep one",
                        f.canonical()
                    )));
                }
                columns[f as usize] = Some(text);
            }
            mapping.push(field);
        }
        check_location_columns(&columns, name)?;
        Ok(CsvRows {
            reader,
            record: csv::ByteRecord::new(),
            header_len: mapping.len(),
            mapping,
            columns: Arc::new(columns),
            decimal_comma: delimiter == b';',
            name: name.into(),
        })
    }

    pub(super) fn next_row(&mut self) -> Option<Result<RawRow, Error>> {
        let mut row = RawRow::new(Position::Line(0), Arc::clone(&self.columns), self.decimal_comma, 0);
        self.read_into(&mut row).map(|read| read.map(|()| row))
    }

    pub(super) fn read_into(&mut self, row: &mut RawRow) -> Option<Result<(), Error>> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                self.fill(row);
                Some(Ok(()))
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(_) => Some(Err(Error::UnusableInput {
                    input: self.name.clone(),
                    message: e.to_string(),
                })),
                _ => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    row.reset(Position::Line(line), &self.columns, self.decimal_comma);
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
    fn fill(&self, row: &mut RawRow) {
        let line = self.record.position().map(|p| p.line()).unwrap_or(0);
        let position = Position::Line(line);
        row.reset(position, &self.columns, self.decimal_comma);
        row.text.reserve(self.record.as_slice().len());
        // A row of valid UTF-8 (nearly every row) is checked once, not field by field: each
        // field is valid text if the whole row is and the field starts and ends on a character
        // (one character cut across two fields is valid in the whole row and in neither field).
        if let Ok(all) = std::str::from_utf8(self.record.as_slice()) {
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
                Ok(text) => row.set(*field, Some(text.trim())),
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
    }

    /// The rows of a CSV given as bytes, read as rows past the first 64 KiB are (`SiteReader`
    /// refuses a file with bad UTF-8 in its first 64 KiB outright).
    fn rows(bytes: &[u8]) -> Vec<RawRow> {
        let mut csv = CsvRows::new(Box::new(std::io::Cursor::new(bytes.to_vec())), bytes, "test.csv").unwrap();
        std::iter::from_fn(|| csv.next_row().map(Result::unwrap)).collect()
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
