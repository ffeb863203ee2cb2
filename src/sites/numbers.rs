//! Numbers as the user's spreadsheet showed them.
//!
//! A spreadsheet saved as CSV writes numbers the way its locale shows them: `1,234.5` in
//! English, `1.234,5` in German or Spanish (where Excel then separates fields with `;`),
//! `12 000` with a space, or a non-breaking one, in French. The same text can mean two
//! numbers: `60.000` machines is sixty where `.` is the decimal mark and sixty thousand where
//! it separates thousands. So each file's convention ([`Decimals`]) is decided once, from the
//! values of its first rows that read only one way ([`Evidence`]); each value is then read by
//! it, and a value that reads two ways in a file that does not tell is a row error
//! ([`NumberError::Ambiguous`]), never a guess.
//!
//! A number's grammar: an optional sign; digits, whose integer part may be grouped by threes
//! with one separator (the convention's, a space, U+00A0 or U+202F), the first group of one to
//! three digits not starting with 0; an optional decimal mark and fraction. A number with an
//! exponent (`5.17236e1`) is machine-written: its one separator, `.` or `,`, is its decimal
//! mark, and it reads the same in every file. So is a spreadsheet's number cell, written as a
//! plain decimal ([`cell_text`]): its field is read with [`Decimals::Point`] whatever the file's
//! convention (see [`RawRow::decimals_of`]).

use std::borrow::Cow;
use std::fmt;

use super::{Field, RawRow};

/// How a file writes its numbers, decided from its first rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decimals {
    /// `.` is the decimal mark; `,` separates thousands (`1,234.5`).
    Point,
    /// `,` is the decimal mark; `.` separates thousands (`1.234,5`).
    Comma,
    /// The first rows do not tell, or tell both: a value that reads two ways is an error.
    #[default]
    Unknown,
}

/// How a value was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// It reads one way only (`51.7236`, `1.234,5`, `12 000`), or its separator is the
    /// file's decimal mark (`1.234` in a file of decimal points).
    Plain,
    /// It reads two ways, and the file's convention made its separator group thousands
    /// (`60.000` is 60000 in a file of decimal commas): worth a note on the row.
    Grouped,
    /// It reads one way only, and that way is not the file's (`21.5` in a file of decimal
    /// commas): worth a note on the row.
    Against,
}

/// A value read from text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// The number.
    pub value: f64,
    /// Whether its reading needs a note.
    pub how: How,
}

/// Why a text is not read as a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberError {
    /// It is not a number at all.
    NotANumber,
    /// It is infinite or not a number (`inf`, `NaN`, `1e400`).
    NotFinite,
    /// It reads two ways and the file does not tell which: `point` with `.` as the decimal
    /// mark and `,` grouping thousands, `comma` the other way round.
    Ambiguous {
        /// The value with `.` as the decimal mark.
        point: f64,
        /// The value with `,` as the decimal mark.
        comma: f64,
        /// The one separator in the text, `.` or `,`.
        separator: char,
    },
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            NumberError::NotANumber => write!(f, "expected a number"),
            NumberError::NotFinite => write!(f, "expected a finite number"),
            NumberError::Ambiguous {
                point,
                comma,
                separator,
            } => {
                let (decimal, grouped) = if separator == '.' {
                    (point, comma)
                } else {
                    (comma, point)
                };
                write!(
                    f,
                    "ambiguous number: {decimal} if '{separator}' is the decimal mark, {grouped} if it separates \
                     thousands, and the file's first rows do not settle which; write it as {grouped}, or with a \
                     fourth decimal digit (a trailing 0) if it means {decimal}"
                )
            }
        }
    }
}

/// What the first rows of a file tell about its decimal mark: how many values read only
/// with a decimal point or only with a decimal comma, and the first of each. Coordinates are
/// counted apart and decide only when no other number does: a coordinate pasted from a web
/// map keeps its point in a sheet whose own numbers have commas.
#[derive(Debug, Default)]
pub struct Evidence {
    /// Point-only and comma-only counts of sizes (hashrate, machines, power...), then of coordinates.
    counts: [[u64; 2]; 2],
    /// The first point-only and comma-only value seen: (line, column, text).
    first: [Option<(u64, String, String)>; 2],
}

impl Evidence {
    /// Count one value of the first rows (`line` and `column` name it in the decision's note).
    pub fn add(&mut self, text: &str, field: Field, line: u64, column: &str) {
        let (point, comma) = readings(text, field);
        let k = match (point, comma) {
            (Some(_), None) => 0,
            (None, Some(_)) => 1,
            _ => return,
        };
        // Issue 20 review: a coordinate with a point (as web maps write them) says nothing of
        // how the user writes thousands; only one with a comma tells.
        if is_coordinate(field) && k == 0 {
            return;
        }
        self.counts[usize::from(is_coordinate(field))][k] += 1;
        self.first[k].get_or_insert_with(|| (line, column.to_string(), text.to_string()));
    }

    /// The file's convention, and a note saying how it was decided when it is not the plain
    /// decimal point.
    pub fn decide(&self) -> (Decimals, Option<String>) {
        let one_way = |[point, comma]: [u64; 2]| match (point > 0, comma > 0) {
            (true, false) => Some(Decimals::Point),
            (false, true) => Some(Decimals::Comma),
            (true, true) => Some(Decimals::Unknown),
            (false, false) => None,
        };
        let decimals = one_way(self.counts[0])
            .or_else(|| one_way(self.counts[1]))
            .unwrap_or(Decimals::Unknown);
        let example = |k: usize| {
            self.first[k]
                .as_ref()
                .map(|(line, column, text)| {
                    format!("line {line}, {column} '{}'", super::Clip(text, super::VALUE_CHARS))
                })
                .unwrap_or_default()
        };
        let note = match decimals {
            Decimals::Comma => Some(format!(
                "numbers are read with a decimal comma, as the first rows write them ({}): '.' separates \
                 thousands, so 60.000 is 60000",
                example(1)
            )),
            Decimals::Unknown if self.first.iter().all(Option::is_some) => Some(format!(
                "the first rows write numbers both with a decimal point ({}) and with a decimal comma ({}): \
                 a value that reads both ways, such as 1.234, is an error",
                example(0),
                example(1)
            )),
            _ => None,
        };
        (decimals, note)
    }
}

/// Read `text` (trimmed, not empty) as the number of a `field` of a file written with
/// `decimals`. A field whose values are all below 1000 (latitude, longitude, PUE, uptime)
/// takes its separator as the decimal mark whenever the text reads both ways; a coordinate is never
/// noted as against the file's convention (one pasted from a web map keeps its point).
pub fn read(text: &str, decimals: Decimals, field: Field) -> Result<Reading, NumberError> {
    let coordinate = is_coordinate(field);
    let b = text.as_bytes();
    // Most numbers are ASCII digits with at most one '.': f64's own syntax, read in one go.
    let mut dots = 0;
    if b.iter().all(|&c| {
        dots += usize::from(c == b'.');
        c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+')
    }) && dots <= 1
        && (dots == 0 || !groups_thousands(b, b'.'))
    {
        let value: f64 = text.parse().map_err(|_| NumberError::NotANumber)?;
        if !value.is_finite() {
            return Err(NumberError::NotFinite);
        }
        let against = dots == 1 && decimals == Decimals::Comma && !coordinate;
        let how = if against { How::Against } else { How::Plain };
        return Ok(Reading { value, how });
    }
    let (point, comma) = readings(text, field);
    let plain = |value: f64| Ok(Reading { value, how: How::Plain });
    let reading = match (point, comma) {
        (None, None) => {
            return Err(match text.parse::<f64>() {
                Ok(v) if !v.is_finite() => NumberError::NotFinite,
                _ => NumberError::NotANumber,
            });
        }
        (Some(p), Some(c)) if p == c => plain(p),
        (Some(p), None) => Ok(Reading {
            value: p,
            how: if decimals == Decimals::Comma {
                How::Against
            } else {
                How::Plain
            },
        }),
        (None, Some(c)) => Ok(Reading {
            value: c,
            how: if decimals == Decimals::Point {
                How::Against
            } else {
                How::Plain
            },
        }),
        (Some(p), Some(c)) => {
            // Reads two ways: one separator, `.` or `,`, before three digits.
            let separator = if b.contains(&b',') { ',' } else { '.' };
            let grouped = |value| {
                Ok(Reading {
                    value,
                    how: How::Grouped,
                })
            };
            match (decimals, separator) {
                (Decimals::Point, '.') => plain(p),
                (Decimals::Point, _) => grouped(p),
                (Decimals::Comma, ',') => plain(c),
                (Decimals::Comma, _) => grouped(c),
                (Decimals::Unknown, _) => {
                    return Err(NumberError::Ambiguous {
                        point: p,
                        comma: c,
                        separator,
                    });
                }
            }
        }
    };
    match reading {
        Ok(r) if !r.value.is_finite() => Err(NumberError::NotFinite),
        Ok(r) if coordinate => plain(r.value),
        other => other,
    }
}

/// The numeric fields other than the coordinates (which read the same in every file).
pub(super) const SIZE_FIELDS: [Field; 13] = [
    Field::HashrateThs,
    Field::HashratePhs,
    Field::HashrateEhs,
    Field::Machines,
    Field::PowerMw,
    Field::Efficiency,
    Field::Pue,
    Field::Uptime,
    Field::OnsiteShare,
    Field::OnsiteGPerKwh,
    Field::OnsiteEfficiency,
    Field::SupplierGPerKwh,
    Field::ClaimedRenewableShare,
];

/// Add a note for each value of a valid row whose reading depended on the file's convention
/// ([`How::Grouped`]) or went against it ([`How::Against`]). A value that holds no
/// separator of the other convention (`,` in a file of decimal points) needs no note and
/// costs one scan of its bytes.
pub fn note_readings(row: &RawRow, notes: &mut Vec<Cow<'static, str>>) {
    let (other, written) = match row.decimals {
        Decimals::Point => (b',', "decimal points, so ',' separates thousands"),
        Decimals::Comma => (b'.', "decimal commas, so '.' separates thousands"),
        Decimals::Unknown => return,
    };
    for field in SIZE_FIELDS {
        // A number cell's text is a machine number: it follows no convention of the file's.
        if row.is_number_cell(field) {
            continue;
        }
        let Some(text) = row.get(field).filter(|t| memchr::memchr(other, t.as_bytes()).is_some()) else {
            continue;
        };
        let Ok(reading) = read(text, row.decimals, field) else {
            continue;
        };
        let column = row.column(field);
        let text = super::Clip(text, super::VALUE_CHARS);
        let value = reading.value;
        match reading.how {
            How::Plain => {}
            How::Grouped => notes.push(format!("{column} '{text}' read as {value}: this file writes {written}").into()),
            How::Against => {
                let (mark, file) = match row.decimals {
                    Decimals::Comma => ("a decimal point", "decimal commas"),
                    _ => ("a decimal comma", "decimal points"),
                };
                notes.push(
                    format!("{column} '{text}' read as {value}, with {mark}, though this file writes {file}").into(),
                );
            }
        }
    }
}

/// Whether a field is a latitude or a longitude.
fn is_coordinate(field: Field) -> bool {
    matches!(field, Field::Lat | Field::Lon)
}

/// Whether every valid value of a field is below 1000: latitude (±90), longitude (±180), PUE
/// (1-3) and uptime (0-1). Such a number never groups thousands: `1.050` is a PUE of 1.05,
/// as 1050 it would be refused.
fn below_a_thousand(field: Field) -> bool {
    matches!(
        field,
        Field::Lat
            | Field::Lon
            | Field::Pue
            | Field::Uptime
            | Field::OnsiteShare
            | Field::OnsiteEfficiency
            | Field::ClaimedRenewableShare
    )
}

/// A latitude's or longitude's value as any file reads it (see [`read`]), if it is a number.
pub fn coordinate(text: &str) -> Option<f64> {
    read(text, Decimals::Unknown, Field::Lat).ok().map(|r| r.value)
}

/// A spreadsheet's number cell as text: the shortest plain decimal that reads back as the
/// same f64, never with an exponent (issue 20: an id 101.1 was shown as `1.011e2`). Whole
/// numbers have no `.0` (`42`), small and large ones are written out (`0.0000001`,
/// `100000000000000000000`), and -0 is `0`. Such a text is a machine number: the reader marks
/// it so ([`RawRow::set_number_cell`]) and reads it with a decimal point whatever the sheet's
/// text cells use.
pub fn cell_text(value: f64) -> String {
    // f64's Display is the shortest round-trip decimal, and never has an exponent; adding 0
    // turns -0 into 0.
    (value + 0.0).to_string()
}

/// Whether `b` (ASCII, one `sep`) could be a whole number whose `sep` groups thousands: an
/// optional sign, one to three digits not starting with 0, `sep`, three digits.
fn groups_thousands(b: &[u8], sep: u8) -> bool {
    let digits = b.strip_prefix(b"-").or_else(|| b.strip_prefix(b"+")).unwrap_or(b);
    let Some(at) = digits.iter().position(|&c| c == sep) else {
        return false;
    };
    (1..=3).contains(&at) && digits[0] != b'0' && digits.len() - at - 1 == 3
}

/// The text's value with `.` as the decimal mark, and with `,` (in that order); none where it
/// does not read that way. The number of a field whose values are all below 1000 that reads
/// both ways keeps only the smaller reading (see [`read`]).
fn readings(text: &str, field: Field) -> (Option<f64>, Option<f64>) {
    if text.bytes().any(|c| matches!(c, b'e' | b'E')) {
        let v = exponent_form(text);
        return (v, v);
    }
    let point = read_with(text, b'.');
    let comma = read_with(text, b',');
    match (point, comma) {
        (Some(p), Some(c)) if below_a_thousand(field) && p != c => {
            if p.abs() <= c.abs() {
                (Some(p), None)
            } else {
                (None, Some(c))
            }
        }
        other => other,
    }
}

/// The ASCII form of a number, built without allocating for any number of up to 64 bytes.
struct Digits {
    stack: [u8; 64],
    len: usize,
    heap: Vec<u8>,
}

impl Digits {
    fn new() -> Digits {
        Digits {
            stack: [0; 64],
            len: 0,
            heap: Vec::new(),
        }
    }

    fn push(&mut self, c: u8) {
        if self.len < self.stack.len() {
            self.stack[self.len] = c;
            self.len += 1;
        } else {
            if self.heap.is_empty() {
                self.heap.extend_from_slice(&self.stack);
            }
            self.heap.push(c);
        }
    }

    fn parse(&self) -> Option<f64> {
        let bytes = if self.heap.is_empty() {
            &self.stack[..self.len]
        } else {
            &self.heap[..]
        };
        std::str::from_utf8(bytes).ok()?.parse().ok()
    }
}

/// A number with an exponent: sign, digits with at most one `.` or `,` as the decimal mark,
/// `e` or `E`, signed digits; no grouping.
fn exponent_form(text: &str) -> Option<f64> {
    let mut out = Digits::new();
    let mut marks = 0;
    for c in text.bytes() {
        match c {
            b'.' | b',' => {
                marks += 1;
                out.push(b'.');
            }
            b'0'..=b'9' | b'+' | b'-' | b'e' | b'E' => out.push(c),
            _ => return None,
        }
    }
    if marks > 1 {
        return None;
    }
    out.parse()
}

/// A separator that may group thousands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    /// The convention's: `,` with a decimal point, `.` with a decimal comma.
    Mark,
    /// A space, a no-break space (U+00A0) or a narrow no-break space (U+202F), as French
    /// and other locales group digits.
    Space,
}

/// The text's value with `mark` (`.` or `,`) as the decimal mark and the other one, or a
/// space, grouping thousands; none when it does not read that way.
fn read_with(text: &str, mark: u8) -> Option<f64> {
    let group_mark = if mark == b'.' { b',' } else { b'.' };
    let mut out = Digits::new();
    let mut chars = text.char_indices().peekable();
    if let Some(&(_, c @ ('-' | '+'))) = chars.peek() {
        out.push(c as u8);
        chars.next();
    }
    // The integer part.
    let mut group: Option<Group> = None;
    let mut run = 0; // digits since the last separator
    let mut first_run_lead = None; // the first digit
    let mut digits = 0;
    let mut fraction = false;
    for (_, c) in chars.by_ref() {
        let sep = match c {
            '0'..='9' => {
                first_run_lead.get_or_insert(c);
                out.push(c as u8);
                run += 1;
                digits += 1;
                continue;
            }
            _ if c as u32 == u32::from(mark) => {
                fraction = true;
                break;
            }
            _ if c as u32 == u32::from(group_mark) => Group::Mark,
            ' ' | '\u{a0}' | '\u{202f}' => Group::Space,
            _ => return None,
        };
        // A separator: the first group has 1-3 digits and no leading 0, the others 3.
        let valid = match group {
            None => (1..=3).contains(&run) && first_run_lead != Some('0'),
            Some(g) => g == sep && run == 3,
        };
        if !valid {
            return None;
        }
        group = Some(sep);
        run = 0;
    }
    if group.is_some() && run != 3 {
        return None;
    }
    if fraction {
        out.push(b'.');
        for (_, c) in chars {
            if !c.is_ascii_digit() {
                return None;
            }
            out.push(c as u8);
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    out.parse()
}

#[cfg(test)]
mod tests;
