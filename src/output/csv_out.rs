//! CSV: a header with every site field, then one row per site. The portfolio is not part
//! of the CSV (use json, ndjson or geojson for it). Rows can be encoded on any thread.

use std::io::Write;
use std::sync::Arc;

use super::cells::{self, CsvLayout};
use super::{Columns, CsvOptions, Tail};
use crate::assess::SiteResult;

/// Writes sites as CSV rows.
pub struct CsvWriter<'a> {
    out: Box<dyn Write + 'a>,
    layout: Arc<CsvLayout>,
}

impl<'a> CsvWriter<'a> {
    /// Start a CSV with its header row: the fields `columns` keeps, after a byte-order mark
    /// if `csv` asks for one.
    pub fn new(mut out: Box<dyn Write + 'a>, columns: Columns, csv: CsvOptions) -> std::io::Result<Self> {
        csv.begin(&mut out)?;
        let mut header = Vec::new();
        cells::write_header(&columns.names(), &mut header);
        out.write_all(&header)?;
        Ok(CsvWriter {
            out,
            layout: Arc::new(CsvLayout::new(columns.kept(), csv.formulas)),
        })
    }
}

impl super::Writer for CsvWriter<'_> {
    fn site(&mut self, result: &SiteResult) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        cells::write_site_row(result, &self.layout, &mut bytes);
        self.out.write_all(&bytes)
    }

    fn encoder(&self) -> Option<super::Encoder> {
        let layout = Arc::clone(&self.layout);
        Some(Arc::new(move |result, out| {
            cells::write_site_row(result, &layout, out);
            Ok(())
        }))
    }

    fn encoded(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)
    }

    fn finish(&mut self, _: &Tail) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::RegionResult;
    use crate::output::Formulas;
    use crate::output::fields::SITE_COLUMNS;
    use crate::pipeline::Assessor;
    use crate::sites::{Field, Position, RawRow};

    /// A site at (lat, lon) of 1,000 TH/s at 30 J/TH.
    fn site<'a>(assessor: &'a Assessor, lat: &str, lon: &str) -> SiteResult<'a> {
        let mut row = RawRow::new(
            Position::Line(2),
            std::sync::Arc::new(Default::default()),
            crate::sites::Decimals::Point,
            0,
        );
        for (field, text) in [
            (Field::Lat, lat),
            (Field::Lon, lon),
            (Field::HashrateThs, "1000"),
            (Field::Efficiency, "30"),
        ] {
            row.set(field, Some(text));
        }
        assessor.assess(row)
    }

    /// The row as written cell by cell, without the region's cells.
    fn plain(record: &SiteResult, columns: &Columns, formulas: Formulas) -> Vec<u8> {
        let mut out = Vec::new();
        for (n, &i) in columns.kept().iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            cells::write_cell(&SITE_COLUMNS[i], record, formulas, &mut out);
        }
        out.push(b'\n');
        out
    }

    fn encoded(record: &SiteResult, columns: &Columns, formulas: Formulas) -> Vec<u8> {
        let mut out = Vec::new();
        cells::write_site_row(record, &CsvLayout::new(columns.kept(), formulas), &mut out);
        out
    }

    #[test]
    fn a_regions_cells_are_cached_for_one_way_of_writing_formulas() {
        // Issue 20: a region name from --grid-data that begins with `=`, written both ways:
        // the cells encoded for one are not reused for the other.
        let assessor = Assessor::embedded(Default::default()).unwrap();
        let mut record = site(&assessor, "51.7236", "75.3233");
        let region = RegionResult {
            region_name: "=Pavlodar".into(),
            ..record.region.unwrap().clone()
        };
        record.region = Some(&region);
        let all = Columns::all();
        for _ in 0..2 {
            for (formulas, cell) in [(Formulas::Neutralise, ",'=Pavlodar,"), (Formulas::Allow, ",=Pavlodar,")] {
                let text = String::from_utf8(encoded(&record, &all, formulas)).unwrap();
                assert!(text.contains(cell), "{text}");
            }
        }
    }

    #[test]
    fn a_regions_cells_written_once_read_as_if_written_cell_by_cell() {
        let assessor = Assessor::embedded(Default::default()).unwrap();
        // Two sites in Pavlodar (KZ-55), one in Sichuan, and one at sea (failed: no shared cells).
        let sites = [
            site(&assessor, "51.7236", "75.3233"),
            site(&assessor, "52.3", "76.9"),
            site(&assessor, "29.5521", "103.7656"),
            site(&assessor, "0.0", "-150.0"),
        ];
        assert_eq!(sites[0].region_code(), Some("KZ-55"));
        assert!(std::ptr::eq(sites[0].region.unwrap(), sites[1].region.unwrap()));
        assert_eq!(sites[3].status(), "error");
        let few = Columns::parse("region,coal_share,co2_t_per_year,risk_level").unwrap();
        let neutralise = Formulas::Neutralise;
        for columns in [Columns::all(), few] {
            // Twice: the first pass encodes the region's cells, the second reads them.
            for _ in 0..2 {
                for s in &sites {
                    assert_eq!(encoded(s, &columns, neutralise), plain(s, &columns, neutralise));
                }
            }
        }
        // A result pointed at a changed region keeps the changed values, though the region
        // it was copied from has its cells encoded for these columns.
        let all = Columns::all();
        let original = sites[1].region.unwrap();
        let mut intensity = original.clone();
        intensity.mix.intensity_g_per_kwh = Some(1.0);
        let mut name = original.clone();
        name.region_name = "Elsewhere".into();
        let mut level = original.clone();
        level.risk.risk.level = crate::risk::RiskLevel::Low;
        for (region, cell) in [(&intensity, ",1.0,"), (&name, ",Elsewhere,"), (&level, ",low,")] {
            assert_eq!(encoded(&sites[1], &all, neutralise), plain(&sites[1], &all, neutralise));
            let mut changed = sites[1].clone();
            changed.region = Some(region);
            let text = String::from_utf8(encoded(&changed, &all, neutralise)).unwrap();
            assert_eq!(text.as_bytes(), plain(&changed, &all, neutralise));
            assert!(text.contains(cell), "{text}");
        }
    }
}
