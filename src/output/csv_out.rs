//! CSV: a header with every site field, then one row per site. The portfolio is not part
//! of the CSV (use json, ndjson or geojson for it). Rows can be encoded on any thread.

use std::io::Write;

use std::collections::HashMap;

use super::cells::{self, Segment};
use super::{Columns, CsvOptions, Formulas, Tail};
use crate::pipeline::{MixFields, SITE_FIELDS, SharedRisk, SiteRecord};

/// Writes sites as CSV rows.
pub struct CsvWriter<'a> {
    out: Box<dyn Write + 'a>,
    columns: Columns,
    formulas: Formulas,
}

/// One site as a CSV row of the fields `columns` keeps, text cells as `formulas` says.
fn encode(record: &SiteRecord, columns: &Columns, formulas: Formulas, out: &mut Vec<u8>) -> std::io::Result<()> {
    let Some(shared) = record.risk_reasons else {
        cells::write_site_row(record, columns.keep(), formulas, &[], out);
        return Ok(());
    };
    REGION_CELLS.with_borrow_mut(|cache| {
        let cells = match cache.get(&shared.id()) {
            Some(cells) if cells.fits(record, columns, formulas) => cells,
            _ => {
                if cache.len() >= MAX_CACHED_REGIONS {
                    cache.clear();
                }
                let cells = RegionCells::of(record, shared, columns, formulas);
                cache.entry(shared.id()).insert_entry(cells).into_mut()
            }
        };
        cells::write_site_row(record, columns.keep(), formulas, &cells.segments(), out);
        Ok(())
    })
}

/// The runs of fields that every site of one region and set of operating months shares: the
/// region and its names, the year and the mix, the data region, the risk.
const SHARED_RUNS: [(&str, &str); 4] = [
    ("region", "region_level"),
    ("data_year", "intensity_g_per_kwh"),
    ("data_region", "data_region"),
    ("risk_score", "risk_reasons"),
];

/// The positions of [`SHARED_RUNS`] in the contract, first and past the last.
fn shared_ranges() -> [(usize, usize); 4] {
    let at = |name: &str| SITE_FIELDS.iter().position(|f| *f == name).expect("a contract field");
    SHARED_RUNS.map(|(first, last)| (at(first), at(last) + 1))
}

/// Regions kept per thread before the cache starts again (a run has a few thousand at most).
const MAX_CACHED_REGIONS: usize = 8192;

thread_local! {
    /// Each thread's cells of the regions it has written, by their shared risk's id (one per
    /// region and set of operating months).
    static REGION_CELLS: std::cell::RefCell<HashMap<u64, RegionCells>> = Default::default();
}

/// A region's shared cells, written once, and the values and columns they were written from:
/// a record whose own values differ (a caller may change a record) is written cell by cell.
struct RegionCells {
    /// The shared risk's id: its summary is the one written.
    risk: u64,
    keep: cells::Keep,
    formulas: Formulas,
    region: Option<String>,
    region_name: Option<String>,
    region_level: Option<&'static str>,
    data_year: Option<u16>,
    data_month: Option<String>,
    mix: MixFields,
    data_region: Option<String>,
    risk_score: Option<u8>,
    risk_level: Option<&'static str>,
    risk_as_of: Option<String>,
    /// The cells of each run of `SHARED_RUNS`.
    runs: [(usize, usize, Vec<u8>); 4],
}

impl RegionCells {
    /// Write the shared cells of `record`, whose shared risk is `risk`, under `columns` and
    /// `formulas`.
    fn of(record: &SiteRecord, risk: &SharedRisk, columns: &Columns, formulas: Formulas) -> RegionCells {
        let mut runs = shared_ranges().map(|(start, end)| (start, end, Vec::new()));
        for (start, end, bytes) in &mut runs {
            cells::write_cells(record, columns.keep(), formulas, *start..*end, bytes);
        }
        let owned = |text: Option<&str>| text.map(str::to_string);
        RegionCells {
            risk: risk.id(),
            keep: *columns.keep(),
            formulas,
            region: owned(record.region),
            region_name: owned(record.region_name),
            region_level: record.region_level,
            data_year: record.data_year,
            data_month: owned(record.data_month),
            mix: record.mix.clone(),
            data_region: owned(record.data_region),
            risk_score: record.risk_score,
            risk_level: record.risk_level,
            risk_as_of: owned(record.risk_as_of),
            runs,
        }
    }

    /// Whether these cells are the record's own under these columns and formulas.
    fn fits(&self, r: &SiteRecord, columns: &Columns, formulas: Formulas) -> bool {
        r.risk_reasons.is_some_and(|s| s.id() == self.risk)
            && self.keep == *columns.keep()
            && self.formulas == formulas
            && self.region.as_deref() == r.region
            && self.region_name.as_deref() == r.region_name
            && self.region_level == r.region_level
            && self.data_year == r.data_year
            && self.data_month.as_deref() == r.data_month
            && self.mix == r.mix
            && self.data_region.as_deref() == r.data_region
            && self.risk_score == r.risk_score
            && self.risk_level == r.risk_level
            && self.risk_as_of.as_deref() == r.risk_as_of
    }

    fn segments(&self) -> [Segment<'_>; 4] {
        self.runs.each_ref().map(|(start, end, bytes)| Segment {
            range: (*start, *end),
            bytes,
        })
    }
}

impl<'a> CsvWriter<'a> {
    /// Start a CSV with its header row: the fields `columns` keeps, after a byte-order mark
    /// if `csv` asks for one.
    pub fn new(mut out: Box<dyn Write + 'a>, columns: Columns, csv: CsvOptions) -> std::io::Result<Self> {
        csv.begin(&mut out)?;
        let mut header = Vec::new();
        super::cells::write_header(&columns.names(), &mut header);
        out.write_all(&header)?;
        Ok(CsvWriter {
            out,
            columns,
            formulas: csv.formulas,
        })
    }
}

impl super::Writer for CsvWriter<'_> {
    fn site(&mut self, record: &SiteRecord) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        encode(record, &self.columns, self.formulas, &mut bytes)?;
        self.out.write_all(&bytes)
    }

    fn encoder(&self) -> Option<super::Encoder> {
        let (columns, formulas) = (self.columns.clone(), self.formulas);
        Some(std::sync::Arc::new(move |record, out| {
            encode(record, &columns, formulas, out)
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
    use crate::pipeline::Assessor;
    use crate::sites::{Field, Position, RawRow};

    /// A site at (lat, lon) of 1,000 TH/s at 30 J/TH.
    fn site<'a>(assessor: &'a Assessor, lat: &str, lon: &str) -> SiteRecord<'a> {
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

    /// The row as written cell by cell, without the region cache.
    fn plain(record: &SiteRecord, columns: &Columns) -> Vec<u8> {
        let mut out = Vec::new();
        cells::write_site_row(record, columns.keep(), Formulas::Neutralise, &[], &mut out);
        out
    }

    fn encoded(record: &SiteRecord, columns: &Columns) -> Vec<u8> {
        let mut out = Vec::new();
        encode(record, columns, Formulas::Neutralise, &mut out).unwrap();
        out
    }

    #[test]
    fn a_regions_cells_are_cached_for_one_way_of_writing_formulas() {
        // Issue 20: a region name from --grid-data that begins with `=`, written both ways on
        // one thread: the cells cached for one are not reused for the other.
        let assessor = Assessor::embedded(Default::default()).unwrap();
        let mut record = site(&assessor, "51.7236", "75.3233");
        record.region_name = Some("=Pavlodar");
        let all = Columns::all();
        for _ in 0..2 {
            for (formulas, cell) in [(Formulas::Neutralise, ",'=Pavlodar,"), (Formulas::Allow, ",=Pavlodar,")] {
                let mut out = Vec::new();
                encode(&record, &all, formulas, &mut out).unwrap();
                let text = String::from_utf8(out).unwrap();
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
        assert_eq!(sites[0].region, Some("KZ-55"));
        assert!(std::ptr::eq(
            sites[0].risk_reasons.unwrap(),
            sites[1].risk_reasons.unwrap()
        ));
        assert_eq!(sites[3].status, "error");
        let few = Columns::parse("region,coal_share,co2_t_per_year,risk_level").unwrap();
        for columns in [Columns::all(), few] {
            // Twice: the first pass writes the cache, the second reads it.
            for _ in 0..2 {
                for s in &sites {
                    assert_eq!(encoded(s, &columns), plain(s, &columns));
                }
            }
        }
        // A record changed after assessing keeps its own values, though it shares the region's risk
        // and the region's cells are cached for these columns: each shared field is checked.
        let all = Columns::all();
        let mut intensity = sites[1].clone();
        intensity.mix.intensity_g_per_kwh = Some(1.0);
        let mut name = sites[1].clone();
        name.region_name = Some("Elsewhere");
        let mut level = sites[1].clone();
        level.risk_level = Some("low");
        for (changed, cell) in [(intensity, ",1.0,"), (name, ",Elsewhere,"), (level, ",low,")] {
            assert_eq!(encoded(&sites[1], &all), plain(&sites[1], &all));
            let text = String::from_utf8(encoded(&changed, &all)).unwrap();
            assert_eq!(text.as_bytes(), plain(&changed, &all));
            assert!(text.contains(cell), "{text}");
        }
    }
}
