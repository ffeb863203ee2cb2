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

/// Push the cells of `record` onto `out`, checking each field name against `fields`, in order.
/// The field `risk_reasons` gets `reasons` (its CSV summary) instead of its value.
pub fn push_cells<T: Serialize>(
    record: &T,
    fields: &[&str],
    reasons: Option<&str>,
    out: &mut csv::ByteRecord,
) -> Result<(), CellError> {
    out.clear();
    let mut row = Row {
        fields,
        at: 0,
        reasons,
        out,
        scratch: Vec::with_capacity(32),
        key: Vec::with_capacity(32),
    };
    record.serialize(&mut row)?;
    if row.at != fields.len() {
        return Err(CellError(format!(
            "{} fields written, {} expected",
            row.at,
            fields.len()
        )));
    }
    Ok(())
}

struct Row<'a> {
    fields: &'a [&'a str],
    at: usize,
    reasons: Option<&'a str>,
    out: &'a mut csv::ByteRecord,
    scratch: Vec<u8>,
    key: Vec<u8>,
}

impl Row<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &[u8], value: &T) -> Result<(), CellError> {
        let name = || String::from_utf8_lossy(key).into_owned();
        let Some(expected) = self.fields.get(self.at) else {
            return Err(CellError(format!("field {} beyond the contract", name())));
        };
        if expected.as_bytes() != key {
            return Err(CellError(format!("field {} where {expected} was expected", name())));
        }
        self.at += 1;
        if key == b"risk_reasons" {
            self.out.push_field(self.reasons.unwrap_or("").as_bytes());
            return Ok(());
        }
        self.scratch.clear();
        value.serialize(Cell(&mut self.scratch))?;
        self.out.push_field(&self.scratch);
        Ok(())
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
        self.key.clear();
        key.serialize(Cell(&mut self.key))
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

/// One cell's text: strings as they are, numbers as serde_json writes them, nothing for null.
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

    as_json!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_f32(self, v: f32) -> Result<(), CellError> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), CellError> {
        // JSON has no NaN or infinity: serde_json writes null, which CSV leaves empty.
        if v.is_finite() { self.json(v) } else { Ok(()) }
    }
    fn serialize_char(self, v: char) -> Result<(), CellError> {
        let mut b = [0; 4];
        self.0.extend_from_slice(v.encode_utf8(&mut b).as_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), CellError> {
        self.0.extend_from_slice(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CellError> {
        self.0.extend_from_slice(v);
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
