//! How current each region's data is (issue 23): the newest year of every source a region has,
//! the edition of the dataset a mix comes from, and whether a region's newest data lag so far
//! behind the rest of the grid data that its mix may no longer describe its grid.
//!
//! Everything here is worked out once per region (start-up or the run's region cache), never
//! per row.

use std::collections::BTreeMap;

use super::{GridData, UsedDatasets};

/// A region's data are stale when its newest annual generation data are more than this many
/// years older than the reference year (see [`GridData::staleness`]). Issue 23 sets three:
/// the yearly sources publish a year one to two years later (Ember's Yearly Electricity Data
/// gives year Y in the spring of Y+1, EIA's final state figures come in the autumn of Y+1,
/// OWID republishes Ember's), so a region one to three years behind the newest is the usual
/// publication lag, while one four or more years behind has a series that stopped (the UAE's
/// OWID series ends in 2000).
pub const STALE_AFTER_YEARS: u16 = 3;

/// A region whose newest data are more than [`STALE_AFTER_YEARS`] older than the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staleness {
    /// The newest year of the region's annual generation data (that the run may use).
    pub newest: u16,
    /// The year it is compared with: the newest year of annual generation data of any region,
    /// or the year asked when that is earlier.
    pub reference: u16,
    /// Whether `reference` is the year asked (`--year`, or the year of `--as-of`).
    pub asked: bool,
}

impl Staleness {
    /// The warning of a site whose data region (`code`, `name`) is stale.
    pub fn warning(&self, code: &str, name: &str) -> String {
        let what = match self.asked {
            true => "the year asked",
            false => "the newest year of generation data in the grid data",
        };
        format!(
            "the newest generation data for {name} ({code}) are from {}, {} years before {} ({what}): the mix may no longer describe its grid",
            self.newest,
            self.reference - self.newest,
            self.reference
        )
    }
}

impl GridData {
    /// The newest annual year of region `code` that [`GridData::choose`] may use.
    pub fn newest_year(&self, code: &str) -> Option<u16> {
        self.usable(self.years(code)).last().map(|m| m.year)
    }

    /// The newest annual year of any region that [`GridData::choose`] may use.
    pub fn newest_year_of_any(&self) -> Option<u16> {
        self.regions().filter_map(|r| self.newest_year(&r.code)).max()
    }

    /// Whether the data of region `code` are stale for a run asking `year` (each region's
    /// latest when `None`): its newest annual year is more than [`STALE_AFTER_YEARS`] before
    /// the reference, the newest annual year of any region in the grid data (after
    /// `--as-of`), or `year` when that is earlier. A run asking an early year is not warned
    /// about data that were current then.
    pub fn staleness(&self, code: &str, year: Option<u16>) -> Option<Staleness> {
        let newest = self.newest_year(code)?;
        let newest_of_any = self.newest_of_any?;
        let (reference, asked) = match year {
            Some(y) if y < newest_of_any => (y, true),
            _ => (newest_of_any, false),
        };
        (reference > newest + STALE_AFTER_YEARS).then_some(Staleness {
            newest,
            reference,
            asked,
        })
    }

    /// The newest year of each mix dataset region `code` has, annual or monthly, by dataset id.
    pub fn newest_by_dataset(&self, code: &str) -> BTreeMap<&str, u16> {
        let mut newest: BTreeMap<&str, u16> = BTreeMap::new();
        for m in self.years(code).iter().chain(self.months(code)) {
            let e = newest.entry(m.dataset.as_str()).or_insert(m.year);
            *e = (*e).max(m.year);
        }
        newest
    }

    /// The edition of the datasets of `set`, in the order of datasets.csv: `id (vintage)`,
    /// joined with `; ` (`owid-ember (OWID download, series to 2023)`).
    pub fn editions(&self, set: UsedDatasets) -> String {
        self.datasets
            .iter()
            .enumerate()
            .filter(|(i, _)| super::DatasetIndex::of_row(*i).is_some_and(|d| set.contains(d)))
            .map(|(_, d)| format!("{} ({})", d.id, d.vintage))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `owid-ember 2023; us-eia 2019` from dataset ids and years.
pub fn newest_text<'a>(newest: impl IntoIterator<Item = (&'a str, u16)>) -> String {
    newest
        .into_iter()
        .map(|(d, y)| format!("{d} {y}"))
        .collect::<Vec<_>>()
        .join("; ")
}
