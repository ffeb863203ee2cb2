//! GeoJSON input: a FeatureCollection of Point features whose properties use the CSV column
//! names. The document is parsed whole (GeoJSON cannot be streamed by row); nesting deeper
//! than serde_json's limit of 128 levels is refused as unusable input.

use std::io::Read;
use std::sync::Arc;

use serde_json::Value;

use super::{ColumnNames, FIELD_COUNT, Field, Position, RawRow, RowError, check_location_columns};
use crate::Error;

/// The features of a FeatureCollection, handed out one at a time.
pub(super) struct GeoJsonRows {
    features: std::vec::IntoIter<Value>,
    next: u64,
    columns: ColumnNames,
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_string()),
        other => Some(other.to_string()),
    }
}

impl GeoJsonRows {
    pub(super) fn read(mut input: Box<dyn Read + Send>, name: &str) -> Result<GeoJsonRows, Error> {
        let unusable = |message: String| Error::UnusableInput {
            input: name.into(),
            message,
        };
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(|source| Error::Read {
            path: name.into(),
            source,
        })?;
        let doc: Value = serde_json::from_slice(&bytes).map_err(|e| {
            if e.to_string().contains("recursion limit") {
                unusable("the JSON is nested more than 128 levels deep; expected a GeoJSON FeatureCollection".into())
            } else {
                unusable(format!("not valid JSON ({e}); expected a GeoJSON FeatureCollection"))
            }
        })?;
        let Value::Object(mut obj) = doc else {
            return Err(unusable("expected a GeoJSON FeatureCollection object".into()));
        };
        if obj.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
            return Err(unusable(
                "expected a GeoJSON object with \"type\": \"FeatureCollection\"".into(),
            ));
        }
        let Some(Value::Array(features)) = obj.remove("features") else {
            return Err(unusable("the FeatureCollection has no \"features\" array".into()));
        };
        // Columns: every property name any feature uses, plus the Point geometry itself.
        let mut columns: [Option<String>; FIELD_COUNT] = Default::default();
        for f in &features {
            if let Some(Value::Object(props)) = f.get("properties") {
                for key in props.keys() {
                    if let Some(field) = Field::from_header(key) {
                        columns[field as usize].get_or_insert_with(|| key.clone());
                    }
                }
            }
        }
        columns[Field::Lat as usize].get_or_insert_with(|| "geometry".into());
        columns[Field::Lon as usize].get_or_insert_with(|| "geometry".into());
        check_location_columns(&columns, name)?;
        Ok(GeoJsonRows {
            features: features.into_iter(),
            next: 0,
            columns: Arc::new(columns),
        })
    }

    pub(super) fn next_row(&mut self) -> Option<RawRow> {
        let feature = self.features.next()?;
        self.next += 1;
        let position = Position::Feature(self.next);
        let mut row = RawRow::new(position, Arc::clone(&self.columns), super::Decimals::Point, 64);
        if feature.get("type").and_then(Value::as_str) != Some("Feature") {
            row.defect = Some(Box::new(RowError::row(position, "expected a GeoJSON Feature object")));
            return Some(row);
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
        Some(row)
    }
}
