//! JSON, NDJSON and GeoJSON: the same field names, written as each site is assessed.

use std::io::Write;

use super::Columns;
use super::Tail;
use super::fields::SiteJson;
use crate::assess::SiteResult;
use crate::pipeline::ASSESS_SCHEMA;

/// A site as a JSON object: every field, or those `columns` keeps, in contract order.
fn write_site(out: &mut dyn Write, result: &SiteResult, columns: &Columns) -> std::io::Result<()> {
    let site = SiteJson {
        result,
        kept: columns.kept(),
    };
    Ok(serde_json::to_writer(out, &site)?)
}

fn tail_json(tail: &Tail) -> std::io::Result<String> {
    let text = serde_json::to_string(tail)?;
    // Drop the outer braces: the tail continues an object already open.
    Ok(text[1..text.len() - 1].to_string())
}

/// `{"schema": ..., "sites": [...], "portfolio": {...}, "sources": [...]}`
pub struct JsonWriter<'a> {
    out: Box<dyn Write + 'a>,
    first: bool,
    columns: Columns,
}

impl<'a> JsonWriter<'a> {
    /// Open the document; sites get the fields `columns` keeps.
    pub fn new(mut out: Box<dyn Write + 'a>, columns: Columns) -> std::io::Result<Self> {
        write!(out, "{{\"schema\":\"{ASSESS_SCHEMA}\",\"sites\":[")?;
        Ok(JsonWriter {
            out,
            first: true,
            columns,
        })
    }
}

impl super::Writer for JsonWriter<'_> {
    fn site(&mut self, record: &SiteResult) -> std::io::Result<()> {
        self.out.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        write_site(&mut self.out, record, &self.columns)
    }

    fn finish(&mut self, tail: &Tail) -> std::io::Result<()> {
        writeln!(self.out, "\n],{}}}", tail_json(tail)?)?;
        self.out.flush()
    }
}

/// One site object per line; the last line holds the schema, portfolio and sources.
pub struct NdjsonWriter<'a> {
    out: Box<dyn Write + 'a>,
    columns: Columns,
}

impl<'a> NdjsonWriter<'a> {
    /// A writer with nothing written yet; sites get the fields `columns` keeps.
    pub fn new(out: Box<dyn Write + 'a>, columns: Columns) -> Self {
        NdjsonWriter { out, columns }
    }
}

impl super::Writer for NdjsonWriter<'_> {
    fn site(&mut self, record: &SiteResult) -> std::io::Result<()> {
        write_site(&mut self.out, record, &self.columns)?;
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
    columns: Columns,
}

impl<'a> GeoJsonWriter<'a> {
    /// Open the collection; features get the fields `columns` keeps as properties.
    pub fn new(mut out: Box<dyn Write + 'a>, columns: Columns) -> std::io::Result<Self> {
        write!(
            out,
            "{{\"type\":\"FeatureCollection\",\"schema\":\"{ASSESS_SCHEMA}\",\"features\":["
        )?;
        Ok(GeoJsonWriter {
            out,
            first: true,
            columns,
        })
    }
}

impl super::Writer for GeoJsonWriter<'_> {
    fn site(&mut self, record: &SiteResult) -> std::io::Result<()> {
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
        write_site(&mut self.out, record, &self.columns)?;
        self.out.write_all(b"}")
    }

    fn finish(&mut self, tail: &Tail) -> std::io::Result<()> {
        writeln!(self.out, "\n],{}}}", tail_json(tail)?)?;
        self.out.flush()
    }
}
