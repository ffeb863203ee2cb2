//! CSV: a header with every site field, then one row per site. The portfolio is not part
//! of the CSV (use json, ndjson or geojson for it). Rows can be encoded on any thread.

use std::io::Write;

use super::Tail;
use crate::pipeline::{SITE_FIELDS, SiteRecord};

/// Writes sites as CSV rows.
pub struct CsvWriter<'a> {
    out: Box<dyn Write + 'a>,
}

/// One site as a CSV row.
fn encode(record: &SiteRecord, out: &mut Vec<u8>) -> std::io::Result<()> {
    // Cells come from the record's serialization, so they carry exactly the rounding and
    // field names of the JSON formats, in contract order.
    let reasons = record.risk_reasons.as_ref().map(|r| r.summary.as_str());
    super::cells::write_row(record, &SITE_FIELDS, reasons, out).map_err(std::io::Error::other)
}

impl<'a> CsvWriter<'a> {
    /// Start a CSV with its header row.
    pub fn new(mut out: Box<dyn Write + 'a>) -> std::io::Result<Self> {
        let mut header = Vec::new();
        super::cells::write_header(&SITE_FIELDS, &mut header);
        out.write_all(&header)?;
        Ok(CsvWriter { out })
    }
}

impl super::Writer for CsvWriter<'_> {
    fn site(&mut self, record: &SiteRecord) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        encode(record, &mut bytes)?;
        self.out.write_all(&bytes)
    }

    fn encoder(&self) -> Option<super::Encoder> {
        Some(encode)
    }

    fn encoded(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)
    }

    fn finish(&mut self, _: &Tail) -> std::io::Result<()> {
        self.out.flush()
    }
}
