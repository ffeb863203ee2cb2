//! A record's CSV cells straight from its serde serialization: the same names, order and
//! rounding as JSON (numbers are formatted by serde_json itself), without building a JSON
//! value per row. Used for the sites CSV, where rows are many.

use serde::ser::{self, Impossible, Serialize};

/// Why a record could not be turned into cells (a field out of contract order).
#[derive(Debug)]
pub struct CellError(String);

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CellError {}

impl ser::Error for CellError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        CellError(msg.to_string())
    }
}

/// Append `record` to `out` as one CSV row (fields separated by commas, quoted only where a
/// value holds a comma, a quote or a line break, ended by a newline), its fields in `fields`
/// order, each written only where `keep` (one flag per field) says so. The field
/// `risk_reasons` gets `reasons` (its CSV summary) instead of its value.
///
/// Field names are checked against `fields` in debug builds (and so in every test); a release
/// build only counts them, since a record's fields come in the same order every time.
pub fn write_row<T: Serialize>(
    record: &T,
    fields: &[&str],
    keep: &[bool],
    reasons: Option<&str>,
    out: &mut Vec<u8>,
) -> Result<(), CellError> {
    write_row_with(record, fields, keep, reasons, &[], out)
}

/// Cells already written for a run of fields: the text [`write_row`] gives for `fields[range]`
/// under the same `keep` (cells joined by commas, no newline), so that cells which many rows
/// share are formatted once.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    /// The fields, by position in `fields`.
    pub range: (usize, usize),
    /// Their cells.
    pub bytes: &'a [u8],
}

/// [`write_row`], with the fields of each segment (ordered, not overlapping) written from the
/// segment's bytes instead of from the record.
pub fn write_row_with<T: Serialize>(
    record: &T,
    fields: &[&str],
    keep: &[bool],
    reasons: Option<&str>,
    segments: &[Segment],
    out: &mut Vec<u8>,
) -> Result<(), CellError> {
    if keep.len() != fields.len() {
        return Err(CellError(format!("{} flags for {} fields", keep.len(), fields.len())));
    }
    let mut row = Row {
        fields,
        keep,
        segments,
        written: false,
        at: 0,
        reasons,
        out,
        key: Vec::new(),
    };
    record.serialize(&mut row)?;
    if row.at != fields.len() {
        return Err(CellError(format!(
            "{} fields written, {} expected",
            row.at,
            fields.len()
        )));
    }
    row.out.push(b'\n');
    Ok(())
}

/// Append a header row of `fields` to `out`.
pub fn write_header(fields: &[&str], out: &mut Vec<u8>) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_text(f.as_bytes(), out);
    }
    out.push(b'\n');
}

/// A text cell, quoted (with quotes doubled) when it holds a comma, a quote or a line break,
/// as the csv crate writes it.
fn write_text(text: &[u8], out: &mut Vec<u8>) {
    if memchr::memchr3(b',', b'"', b'\n', text).is_none() && memchr::memchr(b'\r', text).is_none() {
        out.extend_from_slice(text);
        return;
    }
    out.push(b'"');
    for part in text.split_inclusive(|b| *b == b'"') {
        out.extend_from_slice(part);
        if part.ends_with(b"\"") {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

struct Row<'a> {
    fields: &'a [&'a str],
    keep: &'a [bool],
    /// The segments not yet passed.
    segments: &'a [Segment<'a>],
    /// Whether a cell is written yet (the next one needs a comma).
    written: bool,
    at: usize,
    reasons: Option<&'a str>,
    out: &'a mut Vec<u8>,
    /// The last map key, kept for the name check of debug builds.
    key: Vec<u8>,
}

impl Row<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &[u8], value: &T) -> Result<(), CellError> {
        let Some(expected) = self.fields.get(self.at) else {
            return Err(CellError(format!(
                "field {} beyond the contract",
                String::from_utf8_lossy(key)
            )));
        };
        if cfg!(debug_assertions) && expected.as_bytes() != key {
            return Err(CellError(format!(
                "field {} where {expected} was expected",
                String::from_utf8_lossy(key)
            )));
        }
        let at = self.at;
        self.at += 1;
        if let Some(segment) = self.segments.first()
            && at >= segment.range.0
        {
            if at == segment.range.0 && !segment.bytes.is_empty() {
                if self.written {
                    self.out.push(b',');
                }
                self.out.extend_from_slice(segment.bytes);
                self.written = true;
            }
            if at + 1 >= segment.range.1 {
                self.segments = &self.segments[1..];
            }
            return Ok(());
        }
        if !self.keep[at] {
            return Ok(());
        }
        if self.written {
            self.out.push(b',');
        }
        self.written = true;
        if *expected == "risk_reasons" {
            write_text(self.reasons.unwrap_or("").as_bytes(), self.out);
            return Ok(());
        }
        value.serialize(Cell(self.out))
    }
}

/// The serializer methods for nested values that neither a flat record nor a cell takes,
/// each refused with `$msg`.
macro_rules! refuse_nested {
    ($msg:expr) => {
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), CellError> {
            Err(CellError($msg.into()))
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, CellError> {
            Err(CellError($msg.into()))
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, CellError> {
            Err(CellError($msg.into()))
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, CellError> {
            Err(CellError($msg.into()))
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, CellError> {
            Err(CellError($msg.into()))
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, CellError> {
            Err(CellError($msg.into()))
        }
    };
}

macro_rules! not_a_record {
    ($($name:ident: $t:ty),*) => {
        $(fn $name(self, _: $t) -> Result<(), CellError> {
            Err(CellError("a record is a struct or map".into()))
        })*
    };
}

impl<'b, 'a> ser::Serializer for &'b mut Row<'a> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Impossible<(), CellError>;
    type SerializeTuple = Impossible<(), CellError>;
    type SerializeTupleStruct = Impossible<(), CellError>;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), CellError>;

    not_a_record!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str, serialize_bytes: &[u8]);

    fn serialize_none(self) -> Result<(), CellError> {
        Err(CellError("a record is a struct or map".into()))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), CellError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        Err(CellError("a record is a struct or map".into()))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CellError> {
        Err(CellError("a record is a struct or map".into()))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), CellError> {
        Err(CellError("a record is a struct or map".into()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), CellError> {
        v.serialize(self)
    }
    refuse_nested!("a record is a struct or map");
    fn serialize_map(self, _: Option<usize>) -> Result<Self, CellError> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, CellError> {
        Ok(self)
    }
}

impl ser::SerializeStruct for &mut Row<'_> {
    type Ok = ();
    type Error = CellError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), CellError> {
        self.field(key.as_bytes(), value)
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

impl ser::SerializeMap for &mut Row<'_> {
    type Ok = ();
    type Error = CellError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), CellError> {
        if cfg!(debug_assertions) {
            self.key.clear();
            key.serialize(Cell(&mut self.key))?;
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CellError> {
        let key = std::mem::take(&mut self.key);
        let result = self.field(&key, value);
        self.key = key;
        result
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

/// One cell's text, appended to a row: strings as the csv crate quotes them, numbers as
/// serde_json writes them, nothing for null.
struct Cell<'a>(&'a mut Vec<u8>);

impl Cell<'_> {
    fn json<T: Serialize>(self, v: T) -> Result<(), CellError> {
        serde_json::to_writer(self.0, &v).map_err(|e| CellError(e.to_string()))
    }
}

macro_rules! as_json {
    ($($name:ident: $t:ty),*) => {
        $(fn $name(self, v: $t) -> Result<(), CellError> {
            self.json(v)
        })*
    };
}

/// Integers as serde_json writes them (it uses itoa too).
macro_rules! as_integer {
    ($($name:ident: $t:ty),*) => {
        $(fn $name(self, v: $t) -> Result<(), CellError> {
            self.0.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            Ok(())
        })*
    };
}

/// Append `v` as serde_json writes it, if it is a number output writes often: at most 15
/// significant digits and 9 decimals, between 0.00001 and 10^12 (or zero). Returns false,
/// writing nothing, for any other number.
///
/// serde_json writes the shortest decimal that reads back as `v`. When the decimal `n / 10^d`
/// with `n < 10^15` reads back as `v`, it is that shortest decimal: two different decimals of
/// at most 15 significant digits never read back as the same f64. Between 0.00001 and 10^16
/// serde_json writes it without an exponent, with at least one decimal.
fn write_short_decimal(v: f64, out: &mut Vec<u8>) -> bool {
    let a = v.abs();
    let (scale, decimals): (f64, u32) = if a == 0.0 {
        (1.0, 0)
    } else if (1e-5..1e6).contains(&a) {
        (1e9, 9)
    } else if (1e6..1e9).contains(&a) {
        (1e6, 6)
    } else if (1e9..1e12).contains(&a) {
        (1e3, 3)
    } else {
        return false;
    };
    let n = crate::pipeline::round::half_away(a * scale);
    if n / scale != a {
        return false;
    }
    // n < 10^15, so the conversion is exact. Its digits are the decimal's, with the point
    // `decimals` digits from the right; the text is put together on the stack and copied once.
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(n as u64).as_bytes();
    let decimals = decimals as usize;
    let mut text = [b'0'; 40];
    let mut len = 0;
    if v.is_sign_negative() {
        text[0] = b'-';
        len = 1;
    }
    if digits.len() > decimals {
        let (whole, fraction) = digits.split_at(digits.len() - decimals);
        text[len..len + whole.len()].copy_from_slice(whole);
        len += whole.len();
        text[len] = b'.';
        text[len + 1..len + 1 + fraction.len()].copy_from_slice(fraction);
        len += 1 + fraction.len();
    } else {
        // 0.000ddd: the zeros before and after the point are already in the buffer.
        text[len + 1] = b'.';
        len += 2 + decimals - digits.len();
        text[len..len + digits.len()].copy_from_slice(digits);
        len += digits.len();
    }
    // No trailing zeros, but at least one digit after the point.
    while text[len - 1] == b'0' && text[len - 2] != b'.' {
        len -= 1;
    }
    if text[len - 1] == b'.' {
        text[len] = b'0';
        len += 1;
    }
    out.extend_from_slice(&text[..len]);
    true
}

impl ser::Serializer for Cell<'_> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Impossible<(), CellError>;
    type SerializeTuple = Impossible<(), CellError>;
    type SerializeTupleStruct = Impossible<(), CellError>;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Impossible<(), CellError>;
    type SerializeStruct = Impossible<(), CellError>;
    type SerializeStructVariant = Impossible<(), CellError>;

    as_json!(serialize_bool: bool);
    as_integer!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_f32(self, v: f32) -> Result<(), CellError> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), CellError> {
        // JSON has no NaN or infinity: serde_json writes null, which CSV leaves empty.
        if !v.is_finite() || write_short_decimal(v, self.0) {
            return Ok(());
        }
        self.json(v)
    }
    fn serialize_char(self, v: char) -> Result<(), CellError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), CellError> {
        write_text(v.as_bytes(), self.0);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CellError> {
        write_text(v, self.0);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), CellError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), CellError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), CellError> {
        v.serialize(self)
    }
    refuse_nested!("a cell holds one value");

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, CellError> {
        Err(CellError("a cell holds one value".into()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, CellError> {
        Err(CellError("a cell holds one value".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the csv crate writes for these cells, as one row.
    fn csv_crate_row(cells: &[&str]) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(cells).unwrap();
        w.into_inner().unwrap()
    }

    #[test]
    fn text_cells_are_quoted_only_where_the_csv_crate_quotes_them() {
        let cells = [
            "plain",
            "",
            "a, b",
            "say \"hi\"",
            "\"",
            "two\nlines",
            "cr\rhere",
            "semi; colon",
            "Québec",
        ];
        let mut ours = Vec::new();
        write_header(&cells, &mut ours);
        assert_eq!(
            String::from_utf8(ours.clone()).unwrap(),
            "plain,,\"a, b\",\"say \"\"hi\"\"\",\"\"\"\",\"two\nlines\",\"cr\rhere\",semi; colon,Québec\n"
        );
        assert_eq!(ours, csv_crate_row(&cells));
    }

    /// A number's cell, and serde_json's text for it.
    fn number_cell(v: f64) -> (String, String) {
        let mut ours = Vec::new();
        v.serialize(Cell(&mut ours)).unwrap();
        (String::from_utf8(ours).unwrap(), serde_json::to_string(&v).unwrap())
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        // Edges of the short-decimal path: zero, signs, the bounds of each scale, exponent
        // notation below 0.00001 and from 10^16, and long fractions that must go to serde_json.
        let edges = [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (-2.5, "-2.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e-5, "0.00001"),
            (9.9e-6, "9.9e-6"),
            (0.000442473, "0.000442473"),
            (999999.999999999, "999999.999999999"),
            (1e6, "1000000.0"),
            (12818.032, "12818.032"),
            (123456789.123456, "123456789.123456"),
            (1e9 + 0.5, "1000000000.5"),
            (1e12, "1000000000000.0"),
            (1e16, "1e+16"),
            (8.241829, "8.241829"),
            (1.0 / 3.0, "0.3333333333333333"),
        ];
        for (v, text) in edges {
            let (ours, json) = number_cell(v);
            assert_eq!(json, text, "serde_json on {v:e}");
            assert_eq!(ours, text, "cell of {v:e}");
        }
        // Seeded values across the magnitudes output has: raw, and rounded to 0-9 decimals
        // as output rounds them.
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200_000 {
            let raw = 10f64.powf(rng.random_range(-7.0..13.0)) * if rng.random_bool(0.1) { -1.0 } else { 1.0 };
            let d = rng.random_range(0..10);
            for v in [raw, crate::pipeline::round::to(raw, d)] {
                let (ours, json) = number_cell(v);
                assert_eq!(ours, json, "cell of {v:e}");
            }
        }
    }

    #[derive(serde::Serialize)]
    struct Flat {
        name: &'static str,
        value: Option<f64>,
        count: u8,
        risk_reasons: Vec<u8>,
    }

    #[test]
    fn a_record_becomes_one_row_in_field_order_with_json_numbers() {
        let fields = ["name", "value", "count", "risk_reasons"];
        let mut out = b"before\n".to_vec();
        let r = Flat {
            name: "x, y",
            value: Some(0.1 + 0.2),
            count: 7,
            risk_reasons: vec![1, 2],
        };
        write_row(&r, &fields, &[true; 4], Some("coal +20: 0.9"), &mut out).unwrap();
        let empty = Flat {
            name: "z",
            value: None,
            count: 0,
            risk_reasons: vec![],
        };
        write_row(&empty, &fields, &[true; 4], None, &mut out).unwrap();
        // Fields left out leave no cell and no comma, first and last ones included.
        write_row(&r, &fields, &[false, true, true, false], None, &mut out).unwrap();
        write_row(&r, &fields, &[true, false, false, true], Some("r"), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "before\n\"x, y\",0.30000000000000004,7,coal +20: 0.9\nz,,0,\n0.30000000000000004,7\n\"x, y\",r\n"
        );
        // A record with fields out of contract order is refused (checked in debug builds, so
        // in every test run).
        let err = write_row(
            &r,
            &["name", "count", "value", "risk_reasons"],
            &[true; 4],
            None,
            &mut Vec::new(),
        );
        assert!(
            err.unwrap_err()
                .to_string()
                .contains("field value where count was expected")
        );
        let err = write_row(&r, &["name", "value"], &[true; 2], None, &mut Vec::new());
        assert!(err.unwrap_err().to_string().contains("beyond the contract"));
    }
}
