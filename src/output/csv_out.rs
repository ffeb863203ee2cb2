//! CSV: a header with every site field, then one row per site. The portfolio is not part
//! of the CSV (use json, ndjson or geojson for it). Rows can be encoded on any thread.

use std::io::Write;

use super::{Columns, Tail};
use crate::pipeline::{SITE_FIELDS, SiteRecord};

/// Writes sites as CSV rows.
pub struct CsvWriter<'a> {
    out: Box<dyn Write + 'a>,
    columns: Columns,
}

/// One site as a CSV row of the fields `columns` keeps.
fn encode(record: &SiteRecord, columns: &Columns, out: &mut Vec<u8>) -> std::io::Result<()> {
    // Cells come from the record's serialization, so they carry exactly the rounding and
    // field names of the JSON formats, in contract order.
    let reasons = record.risk_reasons.as_ref().map(|r| r.summary.as_str());
    super::cells::write_row(record, &SITE_FIELDS, columns.keep(), reasons, out).map_err(std::io::Error::other)
}

impl<'a> CsvWriter<'a> {
    /// Start a CSV with its header row: the fields `columns` keeps.
    pub fn new(mut out: Box<dyn Write + 'a>, columns: Columns) -> std::io::Result<Self> {
        let mut header = Vec::new();
        super::cells::write_header(&columns.names(), &mut header);
        out.write_all(&header)?;
        Ok(CsvWriter { out, columns })
    }
}

impl super::Writer for CsvWriter<'_> {
    fn site(&mut self, record: &SiteRecord) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        encode(record, &self.columns, &mut bytes)?;
        self.out.write_all(&bytes)
    }

    fn encoder(&self) -> Option<super::Encoder> {
        let columns = self.columns.clone();
        Some(std::sync::Arc::new(move |record, out| encode(record, &columns, out)))
    }

    fn encoded(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)
    }

    fn finish(&mut self, _: &Tail) -> std::io::Result<()> {
        self.out.flush()
    }
}
