//! CSV: a header with every site field, then one row per site. The portfolio is not part
//! of the CSV (use json, ndjson or geojson for it). Rows can be encoded on any thread.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use super::Tail;
use crate::pipeline::{SITE_FIELDS, SiteRecord};

/// Writes sites as CSV rows.
pub struct CsvWriter<'a> {
    out: Box<dyn Write + 'a>,
}

/// A byte buffer that a csv::Writer fills and its owner empties.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Encode one CSV record with this thread's reusable buffers.
fn encode_with(
    out: &mut Vec<u8>,
    fill: impl FnOnce(&mut csv::ByteRecord) -> std::io::Result<()>,
) -> std::io::Result<()> {
    thread_local! {
        static ROW: RefCell<(csv::ByteRecord, csv::Writer<Shared>, Shared)> = {
            let sink = Shared::default();
            RefCell::new((csv::ByteRecord::new(), csv::Writer::from_writer(sink.clone()), sink))
        };
    }
    ROW.with_borrow_mut(|(row, writer, sink)| {
        fill(row)?;
        writer.write_byte_record(row)?;
        writer.flush()?;
        out.append(&mut sink.0.borrow_mut());
        Ok(())
    })
}

/// One site as a CSV row.
fn encode(record: &SiteRecord, out: &mut Vec<u8>) -> std::io::Result<()> {
    encode_with(out, |row| {
        // Cells come from the record's serialization, so they carry exactly the rounding and
        // field names of the JSON formats, in contract order.
        let reasons = record.risk_reasons.as_ref().map(|r| r.summary.as_str());
        super::cells::push_cells(record, &SITE_FIELDS, reasons, row).map_err(std::io::Error::other)
    })
}

impl<'a> CsvWriter<'a> {
    /// Start a CSV with its header row.
    pub fn new(mut out: Box<dyn Write + 'a>) -> std::io::Result<Self> {
        let mut header = Vec::new();
        encode_with(&mut header, |row| {
            row.clear();
            SITE_FIELDS.iter().for_each(|f| row.push_field(f.as_bytes()));
            Ok(())
        })?;
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
