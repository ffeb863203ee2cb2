//! CSV: a header with every site field, then one row per site. The portfolio is not part
//! of the CSV (use json, ndjson or geojson for it).

use std::io::Write;

use super::Tail;
use crate::pipeline::{SITE_FIELDS, SiteRecord};

/// Writes sites as CSV rows.
pub struct CsvWriter<'a> {
    inner: csv::Writer<Box<dyn Write + 'a>>,
    row: csv::ByteRecord,
}

impl<'a> CsvWriter<'a> {
    /// Start a CSV with its header row.
    pub fn new(out: Box<dyn Write + 'a>) -> std::io::Result<Self> {
        let mut inner = csv::WriterBuilder::new().has_headers(false).from_writer(out);
        inner.write_record(SITE_FIELDS)?;
        Ok(CsvWriter {
            inner,
            row: csv::ByteRecord::new(),
        })
    }
}

impl super::Writer for CsvWriter<'_> {
    fn site(&mut self, record: &SiteRecord) -> std::io::Result<()> {
        // Cells come from the record's serialization, so they carry exactly the rounding and
        // field names of the JSON formats, in contract order.
        let reasons = record.risk_reasons.as_ref().map(|r| r.summary.as_str());
        super::cells::push_cells(record, &SITE_FIELDS, reasons, &mut self.row).map_err(std::io::Error::other)?;
        self.inner.write_byte_record(&self.row)?;
        Ok(())
    }

    fn finish(&mut self, _: &Tail) -> std::io::Result<()> {
        self.inner.flush()
    }
}
