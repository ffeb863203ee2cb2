//! How current each region's data is (issue 23): the newest year of every source a region has,
//! the edition of the dataset a mix comes from, and whether a region's newest data lag so far
//! behind the rest of the grid data that its mix may no longer describe its grid.
//!
//! Everything here is worked out once per region (start-up or the run's region cache), never
//! per row.

use std::collections::BTreeMap;

use crate::months::Months;

use super::published::PublishedFactors;
use super::{GridData, UsedDatasets};

/// A region's data are stale when its newest annual generation data are more than this many
/// years older than the reference year (see [`GridData::staleness`]). Issue 23 sets three:
/// the yearly sources publish a year one to two years later (Ember's Yearly Electricity Data
/// gives year Y in the spring of Y+1, EIA's final state figures come in the autumn of Y+1,
/// OWID republishes Ember's), so a region one to three years behind the newest is the usual
/// publication lag, while one four or more years behind has a series that stopped (Western
/// Sahara's OWID series ends in 2009).
pub const STALE_AFTER_YEARS: u16 = 3;

/// A region whose newest data are more than [`STALE_AFTER_YEARS`] older than the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staleness {
    /// The newest year of the region's annual generation data (that the run may use).
    pub newest: u16,
    /// The year it is compared with: the newest year of annual generation data of any region,
    /// or the year the run assesses when that is earlier.
    pub reference: u16,
    /// Whether `reference` is the year the run assesses: `--year`, or the last full year
    /// before `--as-of`.
    pub asked: bool,
}

impl Staleness {
    /// The warning of a site whose data region (`code`, `name`) is stale.
    pub fn warning(&self, code: &str, name: &str) -> String {
        let what = match self.asked {
            true => "the year assessed",
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

    /// Whether the data of region `code` are stale for a run assessing `year` (`--year`, or
    /// the last full year before `--as-of`; each region's latest when `None`): its newest
    /// annual year is more than [`STALE_AFTER_YEARS`] before the reference, the newest annual
    /// year of any region in the grid data (no later than the year of `--as-of`), or `year`
    /// when that is earlier. A run assessing an early year is not warned about data that were
    /// current then.
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

    /// The newest year of each mix dataset region `code` has, by dataset id: its newest annual
    /// year or complete monthly year (all twelve months), and the last month of monthly data
    /// past it. Issue 23: Beijing's NBS months run to April 2024, but its newest complete year,
    /// the one a site uses and the stale check counts, is 2023.
    pub fn newest_by_dataset(&self, code: &str) -> BTreeMap<&str, Newest> {
        let mut newest: BTreeMap<&str, Newest> = BTreeMap::new();
        for m in self.years(code) {
            let e = newest.entry(m.dataset.as_str()).or_default();
            e.year = e.year.max(Some(m.year));
        }
        // The months of each (dataset, year), to tell complete years from partial ones.
        let mut months: BTreeMap<(&str, u16), Months> = BTreeMap::new();
        for m in self.months(code) {
            let e = months.entry((m.dataset.as_str(), m.year)).or_insert(Months::NONE);
            *e = e.union(m.months);
        }
        for ((dataset, year), ms) in months {
            let e = newest.entry(dataset).or_default();
            if ms == Months::ALL {
                e.year = e.year.max(Some(year));
            }
            let last = ms.iter().last().map(|m| (year, m));
            e.months_to = e.months_to.max(last);
        }
        for e in newest.values_mut() {
            // Months within a complete year add nothing.
            e.months_to = e.months_to.filter(|&(y, _)| Some(y) > e.year);
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

/// The newest data of one dataset of a region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Newest {
    /// The newest complete year: an annual figure, a year of all twelve monthly figures, or a
    /// published rate's year.
    pub year: Option<u16>,
    /// The last month (year, month) of monthly data after `year`, a partial year.
    pub months_to: Option<(u16, u8)>,
}

impl std::fmt::Display for Newest {
    /// `2023`, `2023, months to 2024-04`, or `months to 2024-04` without a complete year.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.year, self.months_to) {
            (Some(y), None) => write!(f, "{y}"),
            (Some(y), Some((my, m))) => write!(f, "{y}, months to {my}-{m:02}"),
            (None, Some((my, m))) => write!(f, "months to {my}-{m:02}"),
            (None, None) => write!(f, "-"),
        }
    }
}

/// The newest data of each source of region `code`, its mix datasets' and its published
/// rates', by dataset id: `ember-api 2023; owid-ember 2000`, `china-nbs 2023, months to
/// 2024-04` (a dataset in both counts its newest year in either; a partial year of monthly
/// data is shown by its last month, never as a year).
pub fn newest_years(grid: &GridData, published: &PublishedFactors, code: &str) -> String {
    let mut newest = grid.newest_by_dataset(code);
    for (d, y) in published.newest_by_dataset(code) {
        let e = newest.entry(d).or_default();
        e.year = e.year.max(Some(y));
        e.months_to = e.months_to.filter(|&(my, _)| my > y);
    }
    newest_text(newest)
}

/// `owid-ember 2023; us-eia 2019` from dataset ids and their newest data.
pub fn newest_text<'a>(newest: impl IntoIterator<Item = (&'a str, Newest)>) -> String {
    newest
        .into_iter()
        .map(|(d, n)| format!("{d} {n}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{GridFiles, data::Text};

    /// The embedded grid data with the annual mix of tests/data/fresh-grid: WORLD 2024, AE 2020,
    /// KZ 2021, MN 2018 (edition B), US-TX 2019 (edition B) and 2023 (edition A).
    fn fixture() -> GridData {
        let embedded = GridFiles::embedded();
        let extra = include_str!("../../tests/data/fresh-grid/datasets-extra.csv");
        let files = GridFiles {
            mix_annual: Text::Borrowed(include_str!("../../tests/data/fresh-grid/mix-annual.csv")),
            datasets: Text::Owned(format!("{}\n{extra}", embedded.datasets.trim_end())),
            ..embedded
        };
        GridData::parse(&files).unwrap()
    }

    // Issue 23: "more than three years older" is the boundary: 4 years warn, 3 do not.
    #[test]
    fn a_region_is_stale_four_years_behind_the_newest_and_not_three() {
        let g = fixture();
        assert_eq!(g.newest_year_of_any(), Some(2024));
        assert_eq!(
            g.staleness("AE", None),
            Some(Staleness {
                newest: 2020,
                reference: 2024,
                asked: false
            })
        );
        assert_eq!(g.staleness("KZ", None), None);
        assert_eq!(g.staleness("US-TX", None), None);
        // A region without data of its own is not judged: its data region is.
        assert_eq!(g.staleness("KZ-55", None), None);
    }

    #[test]
    fn an_earlier_year_assessed_is_the_reference_and_a_later_one_is_not() {
        let g = fixture();
        assert_eq!(g.staleness("AE", Some(2023)), None);
        let mn = g.staleness("MN", Some(2023)).unwrap();
        assert_eq!((mn.newest, mn.reference, mn.asked), (2018, 2023, true));
        assert_eq!(
            mn.warning("MN", "Mongolia"),
            "the newest generation data for Mongolia (MN) are from 2018, 5 years before 2023 (the year assessed): the mix may no longer describe its grid"
        );
        let ae = g.staleness("AE", Some(2030)).unwrap();
        assert_eq!((ae.reference, ae.asked), (2024, false));
        assert_eq!(
            ae.warning("AE", "United Arab Emirates"),
            "the newest generation data for United Arab Emirates (AE) are from 2020, 4 years before 2024 (the newest year of generation data in the grid data): the mix may no longer describe its grid"
        );
    }

    #[test]
    fn as_of_a_day_only_the_data_known_then_count() {
        let mut g = fixture();
        g.use_no_year_after(2023);
        // WORLD's 2024 is not usable: US-TX's 2023 is the newest.
        assert_eq!(g.newest_year_of_any(), Some(2023));
        assert_eq!(g.staleness("AE", None), None);
        assert_eq!(g.staleness("MN", None).map(|s| s.reference), Some(2023));
    }

    #[test]
    fn a_regions_newest_year_of_each_dataset_and_the_editions_of_a_set() {
        let g = fixture();
        let tx: Vec<(&str, Option<u16>)> = g
            .newest_by_dataset("US-TX")
            .into_iter()
            .map(|(d, n)| (d, n.year))
            .collect();
        assert_eq!(tx, [("fixture-a", Some(2023)), ("fixture-b", Some(2019))]);
        assert_eq!(
            newest_text(g.newest_by_dataset("US-TX")),
            "fixture-a 2023; fixture-b 2019"
        );
        let c = g.choose("US-TX", Some(2019), None).unwrap();
        assert_eq!(g.editions(c.mix.own_dataset), "fixture-b (edition B (1990-2019))");
        let both = c
            .mix
            .own_dataset
            .with(g.choose("US-TX", None, None).unwrap().mix.own_dataset);
        assert_eq!(
            g.editions(both),
            "fixture-a (edition A (2024)); fixture-b (edition B (1990-2019))"
        );
    }

    // Issue 23: a year inside a region's series but missing uses the nearest earlier year; past
    // its newest, the note says the data end there.
    #[test]
    fn a_gap_year_names_the_nearest_earlier_year_and_a_later_one_the_newest() {
        let g = fixture();
        let c = g.choose("US-TX", Some(2021), None).unwrap();
        assert_eq!(c.mix.year, 2019);
        assert_eq!(c.notes, ["no US-TX data for 2021; using 2019 (nearest earlier year)"]);
        let c = g.choose("US-TX", Some(2024), None).unwrap();
        assert_eq!(c.notes, ["no US-TX data for 2024; using 2023, its newest year"]);
    }

    // Issue 23: Beijing's NBS months run to April 2024 (2023 without December); its newest
    // complete year is its annual 2023, the year its sites use and the stale check counts, and
    // the months after it are shown as a month, never as the year 2024.
    #[test]
    fn a_partial_year_of_monthly_data_is_shown_by_its_last_month_not_as_a_year() {
        let g = GridData::parse(&GridFiles::embedded()).unwrap();
        let published = PublishedFactors::parse(&GridFiles::embedded().published_factors).unwrap();
        assert_eq!(
            g.newest_by_dataset("CN-BJ")["china-nbs"],
            Newest {
                year: Some(2023),
                months_to: Some((2024, 4))
            }
        );
        assert_eq!(g.newest_year("CN-BJ"), Some(2023));
        assert_eq!(
            newest_years(&g, &published, "CN-BJ"),
            "china-nbs 2023, months to 2024-04; mee-china-2023 2023"
        );
        // Tibet has NBS's annual 2024 and January-November 2024 monthly: nothing past 2024.
        assert_eq!(
            newest_years(&g, &published, "CN-XZ").split("; ").next(),
            Some("china-nbs 2024")
        );
    }

    #[test]
    fn a_year_of_all_twelve_months_is_complete_and_months_alone_have_no_year() {
        let n = Newest {
            year: None,
            months_to: Some((2024, 4)),
        };
        assert_eq!(n.to_string(), "months to 2024-04");
        assert_eq!(Newest::default().to_string(), "-");
    }

    #[test]
    fn the_newest_years_of_a_region_join_its_mix_and_its_published_rates() {
        let g = fixture();
        let published =
            PublishedFactors::parse(include_str!("../../tests/data/fresh-grid/published-factors.csv")).unwrap();
        assert_eq!(
            newest_years(&g, &published, "US-TX"),
            "fixture-a 2023; fixture-b 2019; fixture-rates 2022"
        );
        assert_eq!(newest_years(&g, &published, "KZ-55"), "");
    }
}
