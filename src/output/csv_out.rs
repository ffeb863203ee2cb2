//! CSV: a header with every site field, then one row per site. The portfolio is not part
//! of the CSV (use json, ndjson or geojson for it).

use std::io::Write;

use super::Tail;
use crate::pipeline::{SITE_FIELDS, SiteRecord};

/// Writes sites as CSV rows.
pub struct CsvWriter<'a> {
    inner: csv::Writer<Box<dyn Write + 'a>>,
}

impl<'a> CsvWriter<'a> {
    /// Start a CSV with its header row.
    pub fn new(out: Box<dyn Write + 'a>) -> std::io::Result<Self> {
        let mut inner = csv::WriterBuilder::new().has_headers(false).from_writer(out);
        inner.write_record(SITE_FIELDS)?;
        Ok(CsvWriter { inner })
    }
}

impl super::Writer for CsvWriter<'_> {
    fn site(&mut self, record: &SiteRecord) -> std::io::Result<()> {
        // Serialise through JSON values so that CSV cells carry exactly the rounding and
        // field names of the JSON formats, in contract order.
        let value = serde_json::to_value(record)?;
        let cells = super::csv_cells(&value, &SITE_FIELDS, record.risk_reasons.as_deref());
        self.inner.write_record(cells)?;
        Ok(())
    }

    fn finish(&mut self, _: &Tail) -> std::io::Result<()> {
        self.inner.flush()
    }
}
