//! Grid-mix tables: the annual generation of every region by source, the region hierarchy
//! (country -> world) and the choice of data year.
//!
//! Values are kept in TWh exactly as the source publishes them; shares are computed here, so
//! a share can always be traced back to the published numbers.

mod data;
pub mod factors;

use std::collections::{BTreeMap, HashMap};

pub use data::{Dataset, GridFiles};

use crate::Error;
use crate::source::{SOURCE_COUNT, Source};

/// Level of a region in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The whole world.
    World,
    /// A country (ISO 3166-1).
    National,
    /// A province or state (ISO 3166-2).
    Subnational,
}

impl Level {
    /// The name used in output (`world`, `national`, `subnational`).
    pub fn name(self) -> &'static str {
        match self {
            Level::World => "world",
            Level::National => "national",
            Level::Subnational => "subnational",
        }
    }
}

/// A region's name and place in the hierarchy.
#[derive(Debug, Clone)]
pub struct RegionInfo {
    /// ISO 3166-1 alpha-2 code, or `WORLD`.
    pub code: String,
    /// English name.
    pub name: String,
    /// Level in the hierarchy.
    pub level: Level,
    /// The parent region's code (`WORLD` for countries), empty for the world.
    pub parent: Option<String>,
}

/// One year of generation for one region.
#[derive(Debug, Clone)]
pub struct YearMix {
    /// Calendar year.
    pub year: u16,
    /// Dataset id (see [`Dataset`]).
    pub dataset: String,
    /// Generation by source, TWh, ordered like [`Source::ALL`].
    pub twh: [f64; SOURCE_COUNT],
}

impl YearMix {
    /// Total generation, TWh.
    pub fn total_twh(&self) -> f64 {
        self.twh.iter().sum()
    }

    /// Share of each source, fractions summing to 1.
    pub fn shares(&self) -> [f64; SOURCE_COUNT] {
        let total = self.total_twh();
        self.twh.map(|v| v / total)
    }
}

/// The mix chosen for a site, with what had to be substituted to get it.
#[derive(Debug, Clone)]
pub struct MixChoice<'a> {
    /// The region whose data is used (the site's own, or a parent).
    pub data_region: &'a RegionInfo,
    /// The year used.
    pub year: &'a YearMix,
    /// What was substituted and why, for the output's notes.
    pub notes: Vec<String>,
}

/// Every region and its annual mix.
#[derive(Debug, Clone)]
pub struct GridData {
    regions: BTreeMap<String, RegionInfo>,
    /// Years in ascending order per region; only years with positive total generation.
    mix: HashMap<String, Vec<YearMix>>,
    /// Datasets the tables come from.
    pub datasets: Vec<Dataset>,
    /// The latest year of any region, to flag regions whose data lags behind.
    latest: Option<u16>,
}

fn grid_err(file: &str, line: usize, message: impl std::fmt::Display) -> Error {
    Error::GridData {
        file: file.into(),
        message: format!("line {line}: {message}"),
    }
}

impl GridData {
    /// Parse regions.csv, mix-annual.csv and datasets.csv.
    pub fn parse(files: &GridFiles) -> Result<GridData, Error> {
        let mut regions = BTreeMap::new();
        let mut rdr = csv::Reader::from_reader(files.regions.as_bytes());
        for (i, row) in rdr.records().enumerate() {
            let row = row.map_err(|e| grid_err("regions.csv", i + 2, e))?;
            let level = match &row[2] {
                "world" => Level::World,
                "national" => Level::National,
                "subnational" => Level::Subnational,
                other => return Err(grid_err("regions.csv", i + 2, format!("unknown level {other}"))),
            };
            let parent = (!row[3].is_empty()).then(|| row[3].to_string());
            let info = RegionInfo {
                code: row[0].to_string(),
                name: row[1].to_string(),
                level,
                parent,
            };
            regions.insert(info.code.clone(), info);
        }
        let mut mix: HashMap<String, Vec<YearMix>> = HashMap::new();
        let mut rdr = csv::Reader::from_reader(files.mix_annual.as_bytes());
        let header = rdr.headers().map_err(|e| grid_err("mix-annual.csv", 1, e))?.clone();
        for (j, s) in Source::ALL.iter().enumerate() {
            if header.get(3 + j) != Some(&format!("{}_twh", s.name())) {
                return Err(grid_err(
                    "mix-annual.csv",
                    1,
                    format!("column {} should be {}_twh", 4 + j, s.name()),
                ));
            }
        }
        for (i, row) in rdr.records().enumerate() {
            let line = i + 2;
            let row = row.map_err(|e| grid_err("mix-annual.csv", line, e))?;
            let region = row[0].to_string();
            if !regions.contains_key(&region) {
                return Err(grid_err(
                    "mix-annual.csv",
                    line,
                    format!("region {region} is not in regions.csv"),
                ));
            }
            let year: u16 = row[1].parse().map_err(|e| grid_err("mix-annual.csv", line, e))?;
            let mut twh = [0.0; SOURCE_COUNT];
            for (j, v) in twh.iter_mut().enumerate() {
                *v = row[3 + j].parse().map_err(|e| grid_err("mix-annual.csv", line, e))?;
            }
            let ym = YearMix {
                year,
                dataset: row[2].to_string(),
                twh,
            };
            if ym.total_twh() > 0.0 {
                mix.entry(region).or_default().push(ym);
            }
        }
        for years in mix.values_mut() {
            years.sort_by_key(|y| y.year);
        }
        let datasets = data::parse_datasets(&files.datasets)?;
        let latest = mix.values().filter_map(|v| v.last()).map(|y| y.year).max();
        Ok(GridData {
            regions,
            mix,
            datasets,
            latest,
        })
    }

    /// A region by its code (`KZ`, `WORLD`).
    pub fn region(&self, code: &str) -> Option<&RegionInfo> {
        self.regions.get(code)
    }

    /// Every region, ordered by code.
    pub fn regions(&self) -> impl Iterator<Item = &RegionInfo> {
        self.regions.values()
    }

    /// The years a region has data for, ascending.
    pub fn years(&self, code: &str) -> &[YearMix] {
        self.mix.get(code).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The latest year in any region.
    pub fn latest_year(&self) -> Option<u16> {
        self.latest
    }

    /// The earliest year in any region.
    pub fn earliest_year(&self) -> Option<u16> {
        self.mix.values().filter_map(|v| v.first()).map(|y| y.year).min()
    }

    /// Choose the mix for a region: its own data if it has any, else its parent's, and so on
    /// up to the world. With `year`, the latest year not after it; without, the latest year.
    /// Returns `None` only when no region up the chain has a year at or before `year`.
    pub fn choose(&self, code: &str, year: Option<u16>) -> Option<MixChoice<'_>> {
        let mut notes = Vec::new();
        let mut current = self.regions.get(code)?;
        loop {
            let years = self.years(&current.code);
            if years.is_empty() {
                let parent = current.parent.as_deref().and_then(|p| self.regions.get(p))?;
                notes.push(format!(
                    "no generation data for {} ({}); using {} ({})",
                    current.name, current.code, parent.name, parent.code
                ));
                current = parent;
                continue;
            }
            let chosen = match year {
                None => years.last(),
                Some(y) => years.iter().rev().find(|m| m.year <= y),
            };
            let chosen = chosen?;
            match (year, self.latest) {
                (Some(y), _) if chosen.year != y => notes.push(format!(
                    "no {} data for {y}; using {} (nearest earlier year)",
                    current.code, chosen.year
                )),
                (None, Some(latest)) if chosen.year < latest => notes.push(format!(
                    "latest {} data is from {}; other regions have data to {latest}",
                    current.code, chosen.year
                )),
                _ => {}
            }
            return Some(MixChoice {
                data_region: current,
                year: chosen,
                notes,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> GridData {
        GridData::parse(&GridFiles::embedded()).expect("embedded grid data parses")
    }

    #[test]
    fn kazakhstan_2023_coal_share_equals_the_owid_ember_value() {
        // OWID electricity-prod-source-stacked.csv, Kazakhstan 2023: coal 75.91 TWh of
        // 1.83 + 3.93 + 8.77 + 0.07 + 23.37 + 75.91 = 113.88 TWh in all.
        let g = grid();
        let c = g.choose("KZ", Some(2023)).unwrap();
        assert_eq!(c.year.year, 2023);
        let shares = c.year.shares();
        assert!((shares[Source::Coal.index()] - 75.91 / 113.88).abs() < 1e-12);
        assert!((shares[Source::Coal.index()] - 0.666579).abs() < 1e-6);
        assert!(c.notes.is_empty());
    }

    #[test]
    fn every_country_with_a_polygon_has_a_mix_from_itself_or_the_world() {
        let g = grid();
        for r in g.regions() {
            let c = g
                .choose(&r.code, None)
                .unwrap_or_else(|| panic!("{} has no mix", r.code));
            let sum: f64 = c.year.shares().iter().sum();
            assert!((sum - 1.0).abs() < 0.001, "{} shares sum to {sum}", r.code);
        }
    }

    #[test]
    fn shares_sum_to_one_for_every_region_and_year() {
        let g = grid();
        let mut n = 0;
        for r in g.regions() {
            for y in g.years(&r.code) {
                let sum: f64 = y.shares().iter().sum();
                assert!((sum - 1.0).abs() < 0.001, "{} {} sums to {sum}", r.code, y.year);
                assert!(y.year >= 2000);
                n += 1;
            }
        }
        assert!(n > 4000, "only {n} region-years");
    }

    #[test]
    fn a_missing_year_uses_the_nearest_earlier_one_and_says_so() {
        let g = grid();
        // OWID's Kazakhstan series ends in 2023.
        let c = g.choose("KZ", Some(2025)).unwrap();
        assert_eq!(c.year.year, 2023);
        assert_eq!(c.notes, vec!["no KZ data for 2025; using 2023 (nearest earlier year)"]);
        assert!(g.choose("KZ", Some(1999)).is_none());
    }

    #[test]
    fn a_region_whose_data_stops_early_says_so() {
        // OWID's stacked series for the United Arab Emirates has no complete year after 2000.
        let g = grid();
        let c = g.choose("AE", None).unwrap();
        assert_eq!(c.year.year, 2000);
        assert_eq!(
            c.notes,
            vec!["latest AE data is from 2000; other regions have data to 2023"]
        );
    }

    #[test]
    fn a_country_without_data_falls_back_to_the_world_and_says_so() {
        let g = grid();
        let c = g.choose("SG", None).unwrap();
        assert_eq!(c.data_region.code, "WORLD");
        assert_eq!(c.data_region.level, Level::World);
        assert_eq!(
            c.notes,
            vec!["no generation data for Singapore (SG); using World (WORLD)"]
        );
    }
}
