//! JSON, NDJSON and GeoJSON: the same field names, written as each site is assessed.

use std::io::Write;

use super::Tail;
use crate::pipeline::{ASSESS_SCHEMA, SiteRecord};

fn tail_json(tail: &Tail) -> std::io::Result<String> {
    let text = serde_json::to_string(tail)?;
    // Drop the outer braces: the tail continues an object already open.
    Ok(text[1..text.len() - 1].to_string())
}

/// `{"schema": ..., "sites": [...], "portfolio": {...}, "sources": [...]}`
pub struct JsonWriter<'a> {
    out: Box<dyn Write + 'a>,
    first: bool,
}

impl<'a> JsonWriter<'a> {
    /// Open the document.
    pub fn new(mut out: Box<dyn Write + 'a>) -> std::io::Result<Self> {
        write!(out, "{{\"schema\":\"{ASSESS_SCHEMA}\",\"sites\":[")?;
        Ok(JsonWriter { out, first: true })
    }
}

impl super::Writer for JsonWriter<'_> {
    fn site(&mut self, record: &SiteRecord) -> std::io::Result<()> {
        self.out.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, record)?;
        Ok(())
    }

    fn finish(&mut self, tail: &Tail) -> std::io::Result<()> {
        writeln!(self.out, "\n],{}}}", tail_json(tail)?)?;
        self.out.flush()
    }
}

/// One site object per line; the last line holds the schema, portfolio and sources.
pub struct NdjsonWriter<'a> {
    out: Box<dyn Write + 'a>,
}

impl<'a> NdjsonWriter<'a> {
    /// A writer with nothing written yet.
    pub fn new(out: Box<dyn Write + 'a>) -> Self {
        NdjsonWriter { out }
    }
}

impl super::Writer for NdjsonWriter<'_> {
    fn site(&mut self, record: &SiteRecord) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, record)?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self, tail: &Tail) -> std::io::Result<()> {
        writeln!(self.out, "{{\"schema\":\"{ASSESS_SCHEMA}\",{}}}", tail_json(tail)?)?;
        self.out.flush()
    }
}

/// A FeatureCollection: one Point per site (null geometry without coordinates), the site
/// fields as properties; schema, portfolio and sources as members of the collection.
pub struct GeoJsonWriter<'a> {
    out: Box<dyn Write + 'a>,
    first: bool,
}

impl<'a> GeoJsonWriter<'a> {
    /// Open the collection.
    pub fn new(mut out: Box<dyn Write + 'a>) -> std::io::Result<Self> {
        write!(
            out,
            "{{\"type\":\"FeatureCollection\",\"schema\":\"{ASSESS_SCHEMA}\",\"features\":["
        )?;
        Ok(GeoJsonWriter { out, first: true })
    }
}

impl super::Writer for GeoJsonWriter<'_> {
    fn site(&mut self, record: &SiteRecord) -> std::io::Result<()> {
        self.out.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        let geometry = match (record.lat, record.lon) {
            (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                serde_json::json!({"type": "Point", "coordinates": [lon, lat]})
            }
            _ => serde_json::Value::Null,
        };
        write!(
            self.out,
            "{{\"type\":\"Feature\",\"geometry\":{geometry},\"properties\":"
        )?;
        serde_json::to_writer(&mut self.out, record)?;
        self.out.write_all(b"}")
    }

    fn finish(&mut self, tail: &Tail) -> std::io::Result<()> {
        writeln!(self.out, "\n],{}}}", tail_json(tail)?)?;
        self.out.flush()
    }
}
