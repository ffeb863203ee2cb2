//! GeoJSON input: a FeatureCollection of Point features whose properties use the CSV column
//! names. The features array is streamed (issue 20: the whole document as one `Value` took 15
//! times its size in memory): a thread parses the document and hands each feature on, so
//! memory holds a few features, whatever their count. Nesting deeper than serde_json's limit
//! of 128 levels is refused as unusable input, as are a document that is not a
//! FeatureCollection and invalid JSON (after the features before the fault, when it lies
//! past them).
//!
//! A feature's column names are those its properties use; a field no feature up to it
//! names is called by its canonical name (`geometry` for the coordinates).

use std::cell::RefCell;
use std::fmt;
use std::io::{BufReader, Read};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{FIELD_COUNT, Field, Position, RawRow, RowError};
use crate::Error;

/// How many parsed features may wait between the parsing thread and the reader.
const FEATURES_IN_FLIGHT: usize = 256;

/// What the parsing thread hands on: a feature, or why the document is unusable.
type Message = Result<Value, String>;

/// The features of a FeatureCollection, handed out one at a time.
pub(super) struct GeoJsonRows {
    features: Receiver<Message>,
    /// The first feature, read when the input was opened.
    first: Option<Message>,
    next: u64,
    /// Each field's name as the properties so far give it.
    names: [Option<String>; FIELD_COUNT],
    columns: super::ColumnNames,
    name: String,
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_string()),
        other => Some(other.to_string()),
    }
}

/// Any JSON value, skipped with serde_json's nesting limit (`IgnoredAny` skips without it).
struct Skip;

impl<'de> serde::Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<IgnoredAny, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// The parsing thread's side: sends features, and keeps the first fault that is about
/// GeoJSON rather than JSON (a JSON fault is serde_json's own error).
struct Sender<'a> {
    send: &'a SyncSender<Message>,
    fault: &'a RefCell<Option<String>>,
}

impl Sender<'_> {
    /// Stop parsing for `message`.
    fn fail<E: serde::de::Error>(&self, message: &str) -> E {
        self.fault.borrow_mut().get_or_insert_with(|| message.to_string());
        E::custom(message)
    }
}

/// The top-level document.
struct Document<'a>(Sender<'a>);

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        const NOT_A_COLLECTION: &str = "expected a GeoJSON object with \"type\": \"FeatureCollection\"";
        let mut typed = false;
        let mut features = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => {
                    let value: Value = map.next_value()?;
                    if value.as_str() != Some("FeatureCollection") {
                        return Err(self.0.fail(NOT_A_COLLECTION));
                    }
                    typed = true;
                }
                "features" => {
                    map.next_value_seed(Features(&self.0))?;
                    features = true;
                }
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        if !typed {
            return Err(self.0.fail(NOT_A_COLLECTION));
        }
        if !features {
            return Err(self.0.fail("the FeatureCollection has no \"features\" array"));
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // The whole array is read first, so that nesting past the limit is reported as such.
        while seq.next_element::<Skip>()?.is_some() {}
        Err(self.0.fail("expected a GeoJSON FeatureCollection object"))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.0.fail("expected a GeoJSON FeatureCollection object"))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.0.fail("expected a GeoJSON FeatureCollection object"))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.0.fail("expected a GeoJSON FeatureCollection object"))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.0.fail("expected a GeoJSON FeatureCollection object"))
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.0.fail("expected a GeoJSON FeatureCollection object"))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(self.0.fail("expected a GeoJSON FeatureCollection object"))
    }
}

/// The `features` array: each element is sent on as it is parsed.
struct Features<'s, 'a>(&'s Sender<'a>);

impl<'de> DeserializeSeed<'de> for Features<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(feature) = seq.next_element::<Value>()? {
            if self.0.send.send(Ok(feature)).is_err() {
                // The reader has gone (the run stopped early): stop parsing.
                return Err(serde::de::Error::custom("the reader has gone"));
            }
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.0.fail("the FeatureCollection has no \"features\" array"))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.0.fail("the FeatureCollection has no \"features\" array"))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.0.fail("the FeatureCollection has no \"features\" array"))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.0.fail("the FeatureCollection has no \"features\" array"))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.0.fail("the FeatureCollection has no \"features\" array"))
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.0.fail("the FeatureCollection has no \"features\" array"))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(self.0.fail("the FeatureCollection has no \"features\" array"))
    }
}

/// Parse the document from `input`, sending each feature, then the fault if there is one.
fn parse(input: Box<dyn Read + Send>, send: &SyncSender<Message>) {
    let fault = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_reader(BufReader::new(input));
    let result = de
        .deserialize_any(Document(Sender { send, fault: &fault }))
        .and_then(|()| de.end());
    let Err(e) = result else { return };
    let message = match fault.into_inner() {
        Some(message) => message,
        None if e.to_string().contains("recursion limit") => {
            "the JSON is nested more than 128 levels deep; expected a GeoJSON FeatureCollection".into()
        }
        None => format!("not valid JSON ({e}); expected a GeoJSON FeatureCollection"),
    };
    // A reader that has gone needs no message.
    let _ = send.send(Err(message));
}

impl GeoJsonRows {
    pub(super) fn read(input: Box<dyn Read + Send>, name: &str) -> Result<GeoJsonRows, Error> {
        let (send, features) = sync_channel(FEATURES_IN_FLIGHT);
        std::thread::spawn(move || {
            // A panic in the parser is a fault, never the end of the features.
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse(input, &send))).is_err() {
                let _ = send.send(Err("the JSON parser failed on this input".into()));
            }
        });
        let mut rows = GeoJsonRows {
            features,
            first: None,
            next: 0,
            names: Default::default(),
            columns: Arc::new(Default::default()),
            name: name.into(),
        };
        rows.columns = rows.named_columns();
        // The first feature, or the fault, before any row: most faults lie before it.
        match rows.features.recv() {
            Ok(Err(message)) => Err(rows.unusable(message)),
            first => {
                rows.first = first.ok();
                Ok(rows)
            }
        }
    }

    fn unusable(&self, message: String) -> Error {
        Error::UnusableInput {
            input: self.name.clone(),
            message,
        }
    }

    /// The column names to give rows: the properties' own, else `geometry` for the
    /// coordinates.
    fn named_columns(&self) -> super::ColumnNames {
        let mut columns = self.names.clone();
        columns[Field::Lat as usize].get_or_insert_with(|| "geometry".into());
        columns[Field::Lon as usize].get_or_insert_with(|| "geometry".into());
        Arc::new(columns)
    }

    /// The next feature as a row, or the fault that makes the rest of the input unusable.
    pub(super) fn next_row(&mut self) -> Option<Result<RawRow, Error>> {
        let message = match self.first.take() {
            Some(first) => first,
            None => self.features.recv().ok()?,
        };
        match message {
            Ok(feature) => Some(Ok(self.row(&feature))),
            Err(message) => Some(Err(self.unusable(message))),
        }
    }

    /// Learn the column names a feature's properties use.
    fn learn_names(&mut self, feature: &Value) {
        let Some(Value::Object(props)) = feature.get("properties") else {
            return;
        };
        let mut learned = false;
        for key in props.keys() {
            if let Some(field) = Field::from_header(key)
                && self.names[field as usize].is_none()
            {
                self.names[field as usize] = Some(key.clone());
                learned = true;
            }
        }
        if learned {
            self.columns = self.named_columns();
        }
    }

    fn row(&mut self, feature: &Value) -> RawRow {
        self.learn_names(feature);
        self.next += 1;
        let position = Position::Feature(self.next);
        let mut row = RawRow::new(position, Arc::clone(&self.columns), super::Decimals::Point, 64);
        if feature.get("type").and_then(Value::as_str) != Some("Feature") {
            row.defect = Some(Box::new(RowError::row(position, "expected a GeoJSON Feature object")));
            return row;
        }
        if let Some(Value::Object(props)) = feature.get("properties") {
            for (key, v) in props {
                if let Some(field) = Field::from_header(key)
                    && row.get(field).is_none()
                {
                    row.set(field, value_text(v).as_deref());
                }
            }
        }
        match feature.get("geometry") {
            None | Some(Value::Null) => {}
            Some(geometry) => match geometry.get("type").and_then(Value::as_str) {
                Some("Point") => match geometry.get("coordinates").and_then(Value::as_array) {
                    Some(c) if c.len() >= 2 && c[0].is_number() && c[1].is_number() => {
                        row.set(Field::Lon, value_text(&c[0]).as_deref());
                        row.set(Field::Lat, value_text(&c[1]).as_deref());
                    }
                    _ => {
                        row.defect = Some(Box::new(RowError {
                            position,
                            column: Some("geometry".into()),
                            value: geometry.get("coordinates").map(Value::to_string),
                            expected: "a Point's coordinates must be [longitude, latitude] numbers".into(),
                        }))
                    }
                },
                other => {
                    row.defect = Some(Box::new(RowError {
                        position,
                        column: Some("geometry".into()),
                        value: Some(other.unwrap_or("(no type)").to_string()),
                        expected: "expected a Point geometry (or null with a region property)".into(),
                    }))
                }
            },
        }
        row
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::SiteReader;

    /// Read every row of a GeoJSON text: the rows, then the fault that ended them, if any.
    fn read(text: &str) -> (Vec<RawRow>, Option<String>) {
        let mut reader = SiteReader::from_bytes(text.as_bytes().to_vec(), "test.geojson").unwrap();
        let mut rows = Vec::new();
        while let Some(row) = reader.next_row() {
            match row {
                Ok(row) => rows.push(row),
                Err(e) => return (rows, Some(e.to_string())),
            }
        }
        (rows, None)
    }

    const FEATURE: &str =
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[75.3,51.7]},"properties":{"id":"a"}}"#;

    /// Features without end, and an I/O error once `limit` bytes have been read: a reader
    /// that reads the whole input before the first row fails on it.
    struct Endless {
        at: usize,
        limit: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.at >= self.limit {
                return Err(std::io::Error::other("read past the features the test needs"));
            }
            let head = r#"{"type":"FeatureCollection","features":["#;
            let text = if self.at == 0 {
                format!("{head}{FEATURE}")
            } else {
                format!(",{FEATURE}")
            };
            let n = text.len().min(buf.len());
            buf[..n].copy_from_slice(&text.as_bytes()[..n]);
            // Whole pieces only: the buffer is far larger than one feature here.
            assert_eq!(n, text.len());
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn features_are_read_one_at_a_time_not_as_a_whole_document() {
        // Issue 20: the whole document was parsed into memory first (15 times its size).
        let input = Endless {
            at: 0,
            limit: 10_000_000,
        };
        let mut reader =
            SiteReader::from_reader(Box::new(std::io::BufReader::with_capacity(1 << 16, input)), "endless").unwrap();
        for n in 1..=10_000 {
            let row = reader.next_row().unwrap().unwrap();
            assert_eq!(row.position, Position::Feature(n));
            assert_eq!(row.get(Field::Lon), Some("75.3"));
        }
    }

    #[test]
    fn the_type_may_follow_the_features() {
        let (rows, fault) = read(&format!(
            r#"{{"features":[{FEATURE},{FEATURE}],"bbox":[[1]],"type":"FeatureCollection"}}"#
        ));
        assert_eq!((rows.len(), fault), (2, None));
        assert_eq!(rows[1].get(Field::Id), Some("a"));
    }

    #[test]
    fn a_fault_past_the_first_feature_ends_the_rows_read_before_it() {
        let (rows, fault) = read(&format!(
            r#"{{"type":"FeatureCollection","features":[{FEATURE},{FEATURE},{{"type":]}}"#
        ));
        assert_eq!(rows.len(), 2);
        let fault = fault.unwrap();
        assert!(
            fault.starts_with("test.geojson: not valid JSON (expected value at line 1 column "),
            "{fault}"
        );
        let (rows, fault) = read(&format!(r#"{{"features":[{FEATURE}],"type":"Feature"}}"#));
        assert_eq!(rows.len(), 1);
        assert_eq!(
            fault.unwrap(),
            r#"test.geojson: expected a GeoJSON object with "type": "FeatureCollection""#
        );
        let (rows, fault) = read(&format!(r#"{{"type":"FeatureCollection","features":[{FEATURE}]}} ,"#));
        assert_eq!(rows.len(), 1);
        assert!(fault.unwrap().contains("trailing characters"));
    }

    #[test]
    fn a_document_that_is_not_a_feature_collection_is_unusable_before_any_row() {
        for (text, message) in [
            ("[1,2]", "expected a GeoJSON FeatureCollection object"),
            (
                r#"{"type":"FeatureCollection"}"#,
                r#"the FeatureCollection has no "features" array"#,
            ),
            (
                r#"{"type":"FeatureCollection","features":{}}"#,
                r#"the FeatureCollection has no "features" array"#,
            ),
            (
                r#"{"features":[]}"#,
                r#"expected a GeoJSON object with "type": "FeatureCollection""#,
            ),
            (
                r#"{"type":["FeatureCollection"],"features":[]}"#,
                r#"expected a GeoJSON object with "type": "FeatureCollection""#,
            ),
        ] {
            let Err(e) = SiteReader::from_bytes(text.as_bytes().to_vec(), "t") else {
                panic!("{text} was read");
            };
            assert_eq!(e.to_string(), format!("t: {message}"), "{text}");
        }
        // Nesting is refused as such, in the features or elsewhere, not read without end.
        for text in [
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
            format!(
                r#"{{"type":"FeatureCollection","bbox":{}1{}}}"#,
                "[".repeat(200),
                "]".repeat(200)
            ),
            format!(
                r#"{{"type":"FeatureCollection","features":{}{}}}"#,
                "[".repeat(200),
                "]".repeat(200)
            ),
        ] {
            let Err(e) = SiteReader::from_bytes(text.as_bytes().to_vec(), "t") else {
                panic!("nesting was read");
            };
            assert!(e.to_string().contains("nested more than 128 levels deep"), "{e}");
        }
    }

    #[test]
    fn a_features_columns_are_the_names_its_properties_use() {
        let later = r#"{"type":"Feature","geometry":null,"properties":{"latitude":"north","lon":1}}"#;
        let (rows, _) = read(&format!(
            r#"{{"type":"FeatureCollection","features":[{FEATURE},{later}]}}"#
        ));
        assert_eq!(rows[0].column(Field::Lat), "geometry");
        assert_eq!(rows[1].column(Field::Lat), "latitude");
        assert_eq!(rows[1].column(Field::Lon), "lon");
        assert_eq!(rows[1].get(Field::Lat), Some("north"));
    }
}
