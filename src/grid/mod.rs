//! Grid-mix tables: the generation of every region by source, annual and (for China's
//! provinces) monthly, the region hierarchy (province -> country -> world) and the choice of
//! data year and month.
//!
//! Values are kept in the unit the source publishes (TWh, or % for Canada's provinces);
//! shares are computed here, so a share can always be traced back to the published numbers.

mod data;
pub mod factors;
pub mod site_mix;

use std::collections::{BTreeMap, HashMap};

pub use data::{Dataset, GridFiles};
pub use site_mix::{SiteMix, mix_owner};

use crate::Error;
use crate::months::{self, Months};
use crate::source::{SOURCE_COUNT, Source};

/// Level of a region in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
    /// ISO 3166-1 alpha-2 code, ISO 3166-2 code, or `WORLD`.
    pub code: String,
    /// English name.
    pub name: String,
    /// Level in the hierarchy.
    pub level: Level,
    /// The parent region's code (`WORLD` for countries), none for the world.
    pub parent: Option<String>,
    /// Former codes that still name this region (`KZ-PAV` for `KZ-55`).
    pub aliases: Vec<String>,
    /// What a user should know about the region's boundary or code.
    pub note: Option<String>,
}

/// Generation of one region over one period: a year, or some months of a year.
#[derive(Debug, Clone)]
pub struct PeriodMix {
    /// Calendar year.
    pub year: u16,
    /// The months covered: every month for a full year, `1-11` for an annual figure that
    /// lacks December, one month (or `1-2`) for a monthly figure.
    pub months: Months,
    /// Dataset id (see [`Dataset`]).
    pub dataset: String,
    /// Unit of `values`: `TWh` or `%`.
    pub unit: String,
    /// Generation by source in `unit`, ordered like [`Source::ALL`].
    pub values: [f64; SOURCE_COUNT],
    /// How the row was derived, where that needs saying (thermal split, missing months).
    pub note: Option<String>,
}

impl PeriodMix {
    /// Total generation in `unit`.
    pub fn total(&self) -> f64 {
        self.values.iter().sum()
    }

    /// Share of each source, fractions summing to 1.
    pub fn shares(&self) -> [f64; SOURCE_COUNT] {
        let total = self.total();
        self.values.map(|v| v / total)
    }
}

/// The mix chosen for a site, with what had to be substituted to get it.
#[derive(Debug, Clone)]
pub struct MixChoice<'a> {
    /// The region whose data is used (the site's own, or a parent).
    pub data_region: &'a RegionInfo,
    /// The period used.
    pub mix: &'a PeriodMix,
    /// True when the period is a month (or China's January-February) rather than a year.
    pub monthly: bool,
    /// What was substituted and why, for the output's notes.
    pub notes: Vec<String>,
}

/// Every region and its annual and monthly mix.
#[derive(Debug, Clone)]
pub struct GridData {
    regions: BTreeMap<String, RegionInfo>,
    /// Former codes -> current code.
    aliases: HashMap<String, String>,
    /// Years in ascending order per region; only rows with positive total generation.
    annual: HashMap<String, Vec<PeriodMix>>,
    /// Monthly rows per region, ascending by year then month.
    monthly: HashMap<String, Vec<PeriodMix>>,
    /// Datasets the tables come from.
    pub datasets: Vec<Dataset>,
    /// The latest year among the children of each parent (`""` = the top level).
    latest_by_parent: HashMap<String, u16>,
    /// The newest year [`GridData::choose`] may use (the year of `--as-of`), if any.
    newest_usable: Option<u16>,
}

/// The first columns of regions.csv, in order.
const REGION_COLUMNS: [&str; 4] = ["region", "name", "level", "parent"];

/// Refuse parents that lead back to a region: every walk up the hierarchy (the fallback from a
/// province to its country, the risk's relations) would never end.
fn check_no_cycle(regions: &BTreeMap<String, RegionInfo>) -> Result<(), Error> {
    for start in regions.values() {
        let mut chain = vec![start.code.as_str()];
        let mut current = start;
        while let Some(p) = current.parent.as_deref().and_then(|p| regions.get(p)) {
            if chain.contains(&p.code.as_str()) {
                chain.push(&p.code);
                return Err(Error::GridData {
                    file: "regions.csv".into(),
                    message: format!(
                        "column parent: the parents of {} form a cycle ({}): expected each chain of parents to end at a region without one",
                        start.code,
                        chain.join(" -> ")
                    ),
                });
            }
            chain.push(&p.code);
            current = p;
        }
    }
    Ok(())
}

fn grid_err(file: &str, line: usize, message: impl std::fmt::Display) -> Error {
    Error::GridData {
        file: file.into(),
        message: format!("line {line}: {message}"),
    }
}

/// Parse mix-annual.csv or mix-monthly.csv: region, year, months, dataset, unit, one column
/// per source, note.
fn parse_mix(
    text: &str,
    file: &str,
    regions: &BTreeMap<String, RegionInfo>,
) -> Result<HashMap<String, Vec<PeriodMix>>, Error> {
    let mut out: HashMap<String, Vec<PeriodMix>> = HashMap::new();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header = rdr.headers().map_err(|e| grid_err(file, 1, e))?.clone();
    let fixed = ["region", "year", "months", "dataset", "unit"];
    for (j, name) in fixed.iter().enumerate() {
        if header.get(j) != Some(name) {
            return Err(grid_err(file, 1, format!("column {} should be {name}", j + 1)));
        }
    }
    for (j, s) in Source::ALL.iter().enumerate() {
        if header.get(fixed.len() + j) != Some(s.name()) {
            return Err(grid_err(
                file,
                1,
                format!("column {} should be {}", fixed.len() + j + 1, s.name()),
            ));
        }
    }
    for (i, row) in rdr.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| grid_err(file, line, e))?;
        let region = row[0].to_string();
        if !regions.contains_key(&region) {
            return Err(grid_err(file, line, format!("region {region} is not in regions.csv")));
        }
        let year: u16 = row[1]
            .parse()
            .map_err(|_| grid_err(file, line, format!("column year: '{}': expected a year", &row[1])))?;
        let months =
            Months::parse(&row[2]).map_err(|e| grid_err(file, line, format!("column months: '{}': {e}", &row[2])))?;
        let unit = row[4].to_string();
        if unit != "TWh" && unit != "%" {
            return Err(grid_err(file, line, format!("unit {unit} should be TWh or %")));
        }
        let mut values = [0.0; SOURCE_COUNT];
        for (j, v) in values.iter_mut().enumerate() {
            let text = &row[fixed.len() + j];
            // Issue 20: `inf` and `NaN` parse as numbers but would turn every share into NaN.
            *v = text.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| {
                grid_err(
                    file,
                    line,
                    format!(
                        "column {}: '{text}': expected a finite number ({unit})",
                        Source::ALL[j].name()
                    ),
                )
            })?;
        }
        let note = row.get(fixed.len() + SOURCE_COUNT).filter(|n| !n.is_empty());
        let mix = PeriodMix {
            year,
            months,
            dataset: row[3].to_string(),
            unit,
            values,
            note: note.map(str::to_string),
        };
        if mix.total() > 0.0 {
            out.entry(region).or_default().push(mix);
        }
    }
    for rows in out.values_mut() {
        rows.sort_by_key(|m| (m.year, m.months.iter().next()));
    }
    Ok(out)
}

/// "August", or "January-February" for a two-month period.
fn period_name(months: Months) -> String {
    let first = months.iter().next().unwrap_or(1);
    let last = months.iter().last().unwrap_or(first);
    if first == last {
        months::NAMES[first as usize - 1].to_string()
    } else {
        format!(
            "{}-{}",
            months::NAMES[first as usize - 1],
            months::NAMES[last as usize - 1]
        )
    }
}

impl GridData {
    /// Parse regions.csv, mix-annual.csv, mix-monthly.csv and datasets.csv.
    pub fn parse(files: &GridFiles) -> Result<GridData, Error> {
        let mut regions = BTreeMap::new();
        let mut aliases = HashMap::new();
        let mut rdr = csv::Reader::from_reader(files.regions.as_bytes());
        let header = rdr.headers().map_err(|e| grid_err("regions.csv", 1, e))?.clone();
        for (j, name) in REGION_COLUMNS.iter().enumerate() {
            if header.get(j) != Some(name) {
                return Err(grid_err(
                    "regions.csv",
                    1,
                    format!("column {} is '{}': expected {name}", j + 1, header.get(j).unwrap_or("")),
                ));
            }
        }
        for (i, row) in rdr.records().enumerate() {
            let line = i + 2;
            let row = row.map_err(|e| grid_err("regions.csv", line, e))?;
            let cell = |j: usize| row.get(j).unwrap_or("");
            let level = match cell(2) {
                "world" => Level::World,
                "national" => Level::National,
                "subnational" => Level::Subnational,
                other => {
                    return Err(grid_err(
                        "regions.csv",
                        line,
                        format!("column level: '{other}': expected world, national or subnational"),
                    ));
                }
            };
            if cell(0).is_empty() {
                return Err(grid_err(
                    "regions.csv",
                    line,
                    "column region: '': expected a region code",
                ));
            }
            let parent = (!cell(3).is_empty()).then(|| cell(3).to_string());
            let info = RegionInfo {
                code: cell(0).to_string(),
                name: cell(1).to_string(),
                level,
                parent,
                aliases: cell(5).split_whitespace().map(str::to_string).collect(),
                note: row.get(6).filter(|n| !n.is_empty()).map(str::to_string),
            };
            for a in &info.aliases {
                aliases.insert(a.clone(), info.code.clone());
            }
            regions.insert(info.code.clone(), info);
        }
        for (i, r) in regions.values().enumerate() {
            if let Some(p) = &r.parent
                && !regions.contains_key(p)
            {
                return Err(grid_err(
                    "regions.csv",
                    i + 2,
                    format!("parent {p} of {} is unknown", r.code),
                ));
            }
        }
        check_no_cycle(&regions)?;
        let annual = parse_mix(&files.mix_annual, "mix-annual.csv", &regions)?;
        if annual.is_empty() {
            // Issue 20: a header alone would leave every site without data, or on the world's
            // mix, without saying why.
            return Err(grid_err(
                "mix-annual.csv",
                2,
                "no annual mix with any generation: expected at least one region's row",
            ));
        }
        let monthly = parse_mix(&files.mix_monthly, "mix-monthly.csv", &regions)?;
        let datasets = data::parse_datasets(&files.datasets)?;
        let mut latest_by_parent: HashMap<String, u16> = HashMap::new();
        for r in regions.values() {
            if let Some(last) = annual.get(&r.code).and_then(|v| v.last()) {
                let e = latest_by_parent
                    .entry(r.parent.clone().unwrap_or_default())
                    .or_insert(last.year);
                *e = (*e).max(last.year);
            }
        }
        Ok(GridData {
            regions,
            aliases,
            annual,
            monthly,
            datasets,
            latest_by_parent,
            newest_usable: None,
        })
    }

    /// A region by its code (`KZ`, `CN-SC`, `WORLD`).
    pub fn region(&self, code: &str) -> Option<&RegionInfo> {
        self.regions.get(code)
    }

    /// A region by its code or a former code, in any case. The second value is true when a
    /// former code was used.
    pub fn resolve(&self, code: &str) -> Option<(&RegionInfo, bool)> {
        let code = code.trim().to_uppercase();
        if let Some(r) = self.regions.get(&code) {
            return Some((r, false));
        }
        self.aliases
            .get(&code)
            .and_then(|c| self.regions.get(c))
            .map(|r| (r, true))
    }

    /// Every region, ordered by code.
    pub fn regions(&self) -> impl Iterator<Item = &RegionInfo> {
        self.regions.values()
    }

    /// The annual rows of a region, ascending by year.
    pub fn years(&self, code: &str) -> &[PeriodMix] {
        self.annual.get(code).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The monthly rows of a region, ascending.
    pub fn months(&self, code: &str) -> &[PeriodMix] {
        self.monthly.get(code).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Is `ancestor` the region itself or one of its parents?
    pub fn is_within(&self, code: &str, ancestor: &str) -> bool {
        let mut current = Some(code);
        while let Some(c) = current {
            if c == ancestor {
                return true;
            }
            current = self.regions.get(c).and_then(|r| r.parent.as_deref());
        }
        false
    }

    /// Choose no figure of a year after `year`: an assessment as of a day uses only data that
    /// could be known by then (its year at the latest; issue 20). A region whose data all come
    /// later takes its parent's figure up to `year`, as a region without data does, and says so.
    pub fn use_no_year_after(&mut self, year: u16) {
        self.newest_usable = Some(year);
    }

    /// The rows of `rows` (ascending by year) that [`GridData::choose`] may use.
    fn usable<'a>(&self, rows: &'a [PeriodMix]) -> &'a [PeriodMix] {
        match self.newest_usable {
            Some(newest) => &rows[..rows.partition_point(|r| r.year <= newest)],
            None => rows,
        }
    }

    /// What a region lacks when [`GridData::choose`] takes another region's mix for it: "of
    /// its own", or, when all its data come after [`GridData::use_no_year_after`], the year.
    pub fn lacking(&self, code: &str) -> String {
        match (self.years(code).first(), self.newest_usable) {
            (Some(first), Some(newest)) if first.year > newest => {
                format!("up to {newest}, the year of --as-of (its data start in {})", first.year)
            }
            _ => "of its own".to_string(),
        }
    }

    /// The latest year of any region.
    pub fn latest_year(&self) -> Option<u16> {
        self.annual.values().filter_map(|v| v.last()).map(|y| y.year).max()
    }

    /// The earliest year of any region.
    pub fn earliest_year(&self) -> Option<u16> {
        self.annual.values().filter_map(|v| v.first()).map(|y| y.year).min()
    }

    /// The latest year of the regions that share a parent, to flag a region whose data lags
    /// behind its neighbours in the hierarchy.
    fn sibling_latest(&self, parent: Option<&str>) -> Option<u16> {
        self.latest_by_parent.get(parent.unwrap_or("")).copied()
    }

    /// Choose the mix for a region: its own data if it has any, else its parent's, and so on
    /// up to the world. With `year`, that year, else the region's own nearest year, earlier or
    /// later (the earlier on a tie; noted), never its parent's: a parent's mix is used only for
    /// a region without any data of its own. Without `year`, the latest year. With `month`, the
    /// monthly figure that covers it where the region has monthly data (the annual figure
    /// elsewhere, noted); without `year`, from the year of the region's latest annual figure.
    /// After [`GridData::use_no_year_after`], a figure of a later year counts as no data.
    /// Returns `None` only when no region up the chain has any data.
    pub fn choose(&self, code: &str, year: Option<u16>, month: Option<u8>) -> Option<MixChoice<'_>> {
        let mut notes = Vec::new();
        let mut current = self.regions.get(code)?;
        loop {
            let all_years = self.years(&current.code);
            let years = self.usable(all_years);
            if years.is_empty() {
                let parent = current.parent.as_deref().and_then(|p| self.regions.get(p))?;
                let level = match parent.level {
                    Level::National => " (national)",
                    _ => "",
                };
                let up_to = match all_years.is_empty() {
                    true => String::new(),
                    false => format!(" {}", self.lacking(&current.code)),
                };
                notes.push(format!(
                    "no generation data for {} ({}){up_to}; using {} ({}){level}",
                    current.name, current.code, parent.name, parent.code
                ));
                current = parent;
                continue;
            }
            if let Some(m) = month
                && let Some(found) = self.month_figure(current, years, year, m, &mut notes)
            {
                return Some(MixChoice {
                    data_region: current,
                    mix: found,
                    monthly: true,
                    notes,
                });
            }
            let chosen = self.year_figure(current, years, year, &mut notes);
            return Some(MixChoice {
                data_region: current,
                mix: chosen,
                monthly: false,
                notes,
            });
        }
    }

    /// The region's own figure for month `m` (the year asked or of its latest annual figure,
    /// else its nearest earlier, else its later one), with notes; `None`, noted, when it has
    /// none and the annual figure is used.
    fn month_figure<'a>(
        &'a self,
        current: &RegionInfo,
        years: &[PeriodMix],
        year: Option<u16>,
        m: u8,
        notes: &mut Vec<String>,
    ) -> Option<&'a PeriodMix> {
        let rows = self.usable(self.months(&current.code));
        if !rows.is_empty() {
            // Without a year, the year of the region's latest annual figure, so that
            // every month of one run comes from the same year where it can.
            let wanted = year.unwrap_or(years[years.len() - 1].year);
            let earlier = rows.iter().rev().find(|r| r.months.contains(m) && r.year <= wanted);
            // The region's own later figure for the month comes before its parent's.
            let found = earlier
                .map(|r| (r, "nearest earlier"))
                .or_else(|| rows.iter().find(|r| r.months.contains(m)).map(|r| (r, "nearest later")));
            if let Some((found, which)) = found {
                if found.year != wanted {
                    notes.push(format!(
                        "no {} data for {} {wanted}; using {} {} ({which})",
                        current.code,
                        months::NAMES[m as usize - 1],
                        period_name(found.months),
                        found.year
                    ));
                }
                if found.months.len() > 1 {
                    notes.push(format!(
                        "{} {}: the source publishes {} as one figure",
                        current.code,
                        months::NAMES[m as usize - 1],
                        period_name(found.months)
                    ));
                }
                if let Some(n) = &found.note {
                    notes.push(format!("{} {}: {n}", current.code, found.year));
                }
                return Some(found);
            }
            notes.push(format!(
                "no {} monthly data for {} in or before {}; annual data used",
                current.code,
                months::NAMES[m as usize - 1],
                year.map(|y| y.to_string()).unwrap_or_default()
            ));
        } else {
            notes.push(format!("no monthly data for {}; annual data used", current.code));
        }
        None
    }

    /// The region's annual figure for the year asked, else its own nearest year, with notes.
    fn year_figure<'a>(
        &self,
        current: &RegionInfo,
        years: &'a [PeriodMix],
        year: Option<u16>,
        notes: &mut Vec<String>,
    ) -> &'a PeriodMix {
        // The year asked, else the region's own nearest year, earlier or later, which
        // describes the region better than its parent's figure would.
        let chosen = match year {
            None => &years[years.len() - 1],
            Some(y) => &years[nearest_year(years.iter().map(|m| m.year), y)],
        };
        match (year, self.sibling_latest(current.parent.as_deref())) {
            (Some(y), _) if chosen.year > y => notes.push(format!(
                "no {} data for {y}; using its own {} (nearest later year)",
                current.code, chosen.year
            )),
            (Some(y), _) if chosen.year != y => notes.push(format!(
                "no {} data for {y}; using {} (nearest earlier year)",
                current.code, chosen.year
            )),
            (None, Some(latest)) if chosen.year < latest => notes.push(format!(
                "latest {} data is from {}; other regions under {} have data to {latest}",
                current.code,
                chosen.year,
                current.parent.as_deref().unwrap_or("WORLD")
            )),
            _ => {}
        }
        if let Some(n) = &chosen.note {
            notes.push(format!("{} {}: {n}", current.code, chosen.year));
        }
        chosen
    }
}

/// The index, among `years` (ascending, at least one), of the year nearest `asked`: the year
/// itself when present, else the closer of the years either side; at equal distance the
/// earlier, which was published before the year asked (issue 20).
fn nearest_year(years: impl Iterator<Item = u16>, asked: u16) -> usize {
    let mut best = (0, u16::MAX);
    for (i, y) in years.enumerate() {
        let distance = y.abs_diff(asked);
        // Strictly nearer only: of two at equal distance the first, the earlier, stays.
        if distance < best.1 {
            best = (i, distance);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 20: a region without the year asked took its latest earlier year even when a
    // later one was nearer (2015 for 2020 with 2015 and 2021 given).
    #[test]
    fn a_missing_year_takes_the_nearest_year_and_the_earlier_on_a_tie() {
        let at = |years: &[u16], asked| years[nearest_year(years.iter().copied(), asked)];
        assert_eq!(at(&[2015, 2021], 2020), 2021);
        assert_eq!(at(&[2015, 2021], 2017), 2015);
        assert_eq!(at(&[2016, 2020], 2018), 2016);
        assert_eq!(at(&[2016, 2018, 2020], 2018), 2018);
        assert_eq!(at(&[2019, 2020], 2010), 2019);
        assert_eq!(at(&[2019, 2020], 2030), 2020);
        assert_eq!(at(&[2019], 2019), 2019);
    }

    fn grid() -> GridData {
        GridData::parse(&GridFiles::embedded()).expect("embedded grid data parses")
    }

    // Issue 20: as of a day, a region took its own nearest later year (Québec 2023 as of 2021),
    // data no one had on that day. Québec's data start in 2023 (CER): as of 2022 it takes
    // Canada's 2021 (OWID-Ember: coal 35.83 TWh of 646.77), and says so.
    #[test]
    fn no_year_after_the_as_of_year_is_chosen_not_even_the_regions_own() {
        let mut g = grid();
        assert_eq!(g.choose("CA-QC", Some(2021), None).unwrap().mix.year, 2023);
        g.use_no_year_after(2022);
        let c = g.choose("CA-QC", Some(2021), None).unwrap();
        assert_eq!((c.data_region.code.as_str(), c.mix.year), ("CA", 2021));
        assert!((c.mix.shares()[Source::Coal.index()] - 35.83 / 646.77).abs() < 1e-12);
        assert_eq!(
            c.notes,
            [
                "no generation data for Québec (CA-QC) up to 2022, the year of --as-of (its data start in 2023); \
              using Canada (CA) (national)"
            ]
        );
        assert_eq!(
            g.lacking("CA-QC"),
            "up to 2022, the year of --as-of (its data start in 2023)"
        );
        // Texas has 2019 and 2023: as of 2023 its own 2023 is allowed.
        g.use_no_year_after(2023);
        assert_eq!(g.choose("US-TX", Some(2022), None).unwrap().mix.year, 2023);
        assert_eq!(g.lacking("US-TX"), "of its own");
    }

    // Issue 20: the monthly figures obey the same limit: Sichuan's August 2015 (NBS) is not
    // used as of 2014, nor is its 2015 annual figure; China's 2013 is.
    #[test]
    fn no_monthly_figure_after_the_as_of_year_is_chosen() {
        let mut g = grid();
        assert_eq!(g.choose("CN-SC", Some(2013), Some(8)).unwrap().mix.year, 2015);
        g.use_no_year_after(2014);
        let c = g.choose("CN-SC", Some(2013), Some(8)).unwrap();
        assert_eq!(
            (c.data_region.code.as_str(), c.mix.year, c.monthly),
            ("CN", 2013, false)
        );
    }

    #[test]
    fn kazakhstan_2023_coal_share_equals_the_owid_ember_value() {
        // OWID electricity-prod-source-stacked.csv, Kazakhstan 2023: coal 75.91 TWh of
        // 1.83 + 3.93 + 8.77 + 0.07 + 23.37 + 75.91 = 113.88 TWh in all.
        let g = grid();
        let c = g.choose("KZ", Some(2023), None).unwrap();
        assert_eq!(c.mix.year, 2023);
        let shares = c.mix.shares();
        assert!((shares[Source::Coal.index()] - 75.91 / 113.88).abs() < 1e-12);
        assert!((shares[Source::Coal.index()] - 0.666579).abs() < 1e-6);
        assert!(c.notes.is_empty());
    }

    #[test]
    fn every_country_with_a_polygon_has_a_mix_from_itself_or_the_world() {
        let g = grid();
        for r in g.regions() {
            let c = g
                .choose(&r.code, None, None)
                .unwrap_or_else(|| panic!("{} has no mix", r.code));
            let sum: f64 = c.mix.shares().iter().sum();
            assert!((sum - 1.0).abs() < 0.001, "{} shares sum to {sum}", r.code);
        }
    }

    #[test]
    fn shares_sum_to_one_for_every_region_year_and_month() {
        let g = grid();
        let (mut n_years, mut n_months) = (0, 0);
        for r in g.regions() {
            for (rows, monthly) in [(g.years(&r.code), false), (g.months(&r.code), true)] {
                for m in rows {
                    let shares = m.shares();
                    let sum: f64 = shares.iter().sum();
                    let at = format!("{} {} {}", r.code, m.year, m.months);
                    assert!((sum - 1.0).abs() < 0.001, "{at} sums to {sum}");
                    // EIA and Ember report net generation, slightly negative where a plant used
                    // more than it made (Connecticut's nuclear in 1997, New Mexico's other
                    // fossil in 2024); kept as published.
                    assert!(shares.iter().all(|s| (-0.01..=1.0).contains(s)), "{at}: {shares:?}");
                    assert!((1990..=2025).contains(&m.year), "{at}");
                    if m.unit == "%" {
                        // CER's rounded percentages must still add up to about 100.
                        assert!((m.total() - 100.0).abs() <= 0.25, "{at} totals {}", m.total());
                    }
                    if monthly {
                        n_months += 1;
                        assert!(m.months.len() <= 2, "{at}");
                    } else {
                        n_years += 1;
                        assert!(m.months.len() >= 11, "{at}");
                    }
                }
            }
        }
        assert!(n_years > 5000, "only {n_years} region-years");
        // 31 provinces: 11 periods a year in 2015-2017, 10 in 2018-2023 (no December wind),
        // 3 in 2024 (no wind after April) = 96 each, 2,976 in all, less the periods where a
        // cumulative value falls (a few provinces and years).
        assert!(n_months > 2900, "only {n_months} region-months");
    }

    #[test]
    fn codes_are_iso_shaped_and_subdivisions_sit_under_their_country() {
        let g = grid();
        let mut subdivisions = 0;
        for r in g.regions() {
            match r.level {
                Level::World => assert_eq!(r.code, "WORLD"),
                Level::National => {
                    assert!(
                        r.code.len() == 2 && r.code.chars().all(|c| c.is_ascii_uppercase()),
                        "{}",
                        r.code
                    );
                    assert_eq!(r.parent.as_deref(), Some("WORLD"));
                }
                Level::Subnational => {
                    subdivisions += 1;
                    let (cc, sub) = r.code.split_once('-').expect("ISO 3166-2 has a dash");
                    assert_eq!(Some(cc), r.parent.as_deref(), "{}", r.code);
                    assert!(
                        (1..=3).contains(&sub.len())
                            && sub.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
                        "{}",
                        r.code
                    );
                    assert_eq!(g.region(cc).map(|p| p.level), Some(Level::National));
                }
            }
        }
        // CN 31 + US 51 + CA 13 + RU 83 + KZ 20 + AU 8 + IN 36 + BR 27 + NO 17 + MY 16.
        // (India: the file's 37 less IN-DD and IN-DN, merged into IN-DH in 2020.)
        assert_eq!(subdivisions, 31 + 51 + 13 + 83 + 20 + 8 + 36 + 27 + 17 + 16);
        // Old and file-specific codes are accepted as input but never output.
        assert_eq!(
            g.resolve("KZ-PAV").map(|(r, old)| (r.code.as_str(), old)),
            Some(("KZ-55", true))
        );
        assert_eq!(g.resolve("kz-ala").map(|(r, _)| r.code.as_str()), Some("KZ-75"));
        assert_eq!(g.resolve("KZ-ALM").map(|(r, _)| r.code.as_str()), Some("KZ-19"));
        assert_eq!(g.resolve("NO-05").map(|(r, _)| r.code.as_str()), Some("NO-34"));
        assert_eq!(g.resolve("IN-DD").map(|(r, _)| r.code.as_str()), Some("IN-DH"));
        assert_eq!(
            g.resolve("cn-sc").map(|(r, old)| (r.code.as_str(), old)),
            Some(("CN-SC", false))
        );
        assert!(g.regions().all(|r| !r.code.contains('~')));
    }

    fn share(m: &PeriodMix, s: Source) -> f64 {
        m.shares()[s.index()]
    }

    #[test]
    fn sichuan_annual_and_monthly_shares_equal_the_nbs_figures() {
        let g = grid();
        // NBS year-to-date, 10 MWh, Sichuan, November 2023 (December wind is not published):
        // thermal 8,186,000, hydro 33,238,000, wind 1,487,308.36, solar 396,855.
        let c = g.choose("CN-SC", Some(2023), None).unwrap();
        assert_eq!(c.mix.months.to_string(), "1-11");
        let total = 8_186_000.0 + 33_238_000.0 + 1_487_308.36 + 396_855.0;
        assert!((share(c.mix, Source::Hydro) - 33_238_000.0 / total).abs() < 1e-9);
        let thermal = [Source::Coal, Source::Gas, Source::Oil, Source::Bioenergy]
            .iter()
            .map(|s| share(c.mix, *s))
            .sum::<f64>();
        assert!((thermal - 8_186_000.0 / total).abs() < 1e-9);
        // Coal is thermal x China's 2023 coal share of thermal generation in OWID/Ember:
        // 5741.51 / (5741.51 + 307.6 + 73.52 + 187.05).
        let coal_of_thermal = 5741.51 / (5741.51 + 307.6 + 73.52 + 187.05);
        assert!((share(c.mix, Source::Coal) - thermal * coal_of_thermal).abs() < 1e-9);
        assert!(
            c.notes.iter().any(|n| n.contains("January-November only")),
            "{:?}",
            c.notes
        );

        // August 2023 = August YTD - July YTD: thermal 6,452,000 - 5,887,000, hydro
        // 21,695,000 - 16,888,000, wind 1,090,000 - 1,040,000, solar 265,471 - 221,620.
        let aug = g.choose("CN-SC", Some(2023), Some(8)).unwrap();
        assert!(aug.monthly);
        let aug_total = 565_000.0 + 4_807_000.0 + 50_000.0 + 43_851.0;
        assert!((share(aug.mix, Source::Hydro) - 4_807_000.0 / aug_total).abs() < 1e-9);
        // January-February 2023 is one published figure: hydro 4,779,000 of
        // 1,690,000 + 4,779,000 + 350,000 + 46,544.
        let feb = g.choose("CN-SC", Some(2023), Some(2)).unwrap();
        assert_eq!(feb.mix.months.to_string(), "1-2");
        let feb_total = 1_690_000.0 + 4_779_000.0 + 350_000.0 + 46_544.0;
        assert!((share(feb.mix, Source::Hydro) - 4_779_000.0 / feb_total).abs() < 1e-9);
        // The wet season: about 0.88 hydro in August against about 0.70 in the dry winter.
        assert!(share(aug.mix, Source::Hydro) > share(feb.mix, Source::Hydro) + 0.15);
    }

    #[test]
    fn december_wind_is_missing_after_2017_so_december_uses_2017_and_says_so() {
        let g = grid();
        let c = g.choose("CN-SC", Some(2023), Some(12)).unwrap();
        assert_eq!(c.mix.year, 2017);
        assert_eq!(
            c.notes[0],
            "no CN-SC data for December 2023; using December 2017 (nearest earlier)"
        );
        // A region without monthly data uses its annual mix and says so.
        let tx = g.choose("US-TX", Some(2024), Some(8)).unwrap();
        assert!(!tx.monthly);
        assert_eq!(tx.notes, vec!["no monthly data for US-TX; annual data used"]);
    }

    #[test]
    fn us_and_canadian_shares_equal_the_eia_ember_and_cer_figures() {
        let g = grid();
        // EIA 2019, Kentucky, Total Electric Power Industry, MWh: coal 51,714,430 of a total
        // of 71,804,254 (the sum of the listed sources, 71,804,253, rounds the same).
        let ky = g.choose("US-KY", Some(2019), None).unwrap();
        assert!((share(ky.mix, Source::Coal) - 51_714_430.0 / 71_804_253.0).abs() < 1e-9);
        assert_eq!(ky.mix.dataset, "us-eia");
        // Ember 2024, Texas, TWh.
        let tx = g.choose("US-TX", Some(2024), None).unwrap();
        let tx_total = 0.91645 + 65.54524 + 293.19347 + 0.77674 + 38.61312 + 2.56316 + 0.06454 + 45.51476 + 124.27751;
        assert!((share(tx.mix, Source::Coal) - 65.54524 / tx_total).abs() < 1e-9);
        assert!((share(tx.mix, Source::Wind) - 124.27751 / tx_total).abs() < 1e-9);
        // CER 2023, British Columbia: hydro 86.8 % of components that sum to 99.9 %.
        let bc = g.choose("CA-BC", None, None).unwrap();
        assert!((share(bc.mix, Source::Hydro) - 86.8 / 99.9).abs() < 1e-12);
        assert!((share(bc.mix, Source::Hydro) - 0.868).abs() < 0.001);
        // A state's gap years use its nearest earlier year: 2021 -> EIA 2019.
        let tx21 = g.choose("US-TX", Some(2021), None).unwrap();
        assert_eq!(tx21.mix.year, 2019);
    }

    #[test]
    fn a_subdivision_without_data_uses_its_country_as_national() {
        let g = grid();
        let c = g.choose("KZ-55", None, None).unwrap();
        assert_eq!(c.data_region.code, "KZ");
        assert_eq!(c.data_region.level, Level::National);
        assert_eq!(
            c.notes,
            vec!["no generation data for Pavlodar (KZ-55); using Kazakhstan (KZ) (national)"]
        );
    }

    #[test]
    fn a_missing_year_uses_the_nearest_earlier_one_and_says_so() {
        let g = grid();
        // OWID's Kazakhstan series ends in 2023.
        let c = g.choose("KZ", Some(2025), None).unwrap();
        assert_eq!(c.mix.year, 2023);
        assert_eq!(c.notes, vec!["no KZ data for 2025; using 2023 (nearest earlier year)"]);
    }

    #[test]
    fn a_province_whose_data_starts_after_the_year_uses_its_own_later_year_and_says_so() {
        // Issue 20: CER's Canadian provincial data is 2023 only. Quebec in 2020 used to get
        // Canada's national mix (6.2% coal) under its own code; it gets its own 2023 mix:
        // CER 2023, Quebec, %: gas 0.2, oil 0.3, hydro 92.1, wind 6.7, solar 0.01,
        // bioenergy 0.7, of 100.01 in all.
        let g = grid();
        let c = g.choose("CA-QC", Some(2020), None).unwrap();
        assert_eq!((c.data_region.code.as_str(), c.mix.year), ("CA-QC", 2023));
        assert_eq!(
            c.notes[0],
            "no CA-QC data for 2020; using its own 2023 (nearest later year)"
        );
        assert!((share(c.mix, Source::Hydro) - 92.1 / 100.01).abs() < 1e-12);
        assert_eq!(share(c.mix, Source::Coal), 0.0);
        // OWID's Kazakhstan series starts in 2000: 1999 uses 2000, Kazakhstan's own.
        let kz = g.choose("KZ", Some(1999), None).unwrap();
        assert_eq!((kz.data_region.code.as_str(), kz.mix.year), ("KZ", 2000));
    }

    #[test]
    fn a_month_before_a_provinces_monthly_data_uses_its_own_later_month() {
        // NBS monthly data for Sichuan starts in 2015.
        let g = grid();
        let c = g.choose("CN-SC", Some(2012), Some(8)).unwrap();
        assert!(c.monthly);
        assert_eq!((c.data_region.code.as_str(), c.mix.year), ("CN-SC", 2015));
        assert_eq!(
            c.notes[0],
            "no CN-SC data for August 2012; using August 2015 (nearest later)"
        );
    }

    #[test]
    fn a_region_whose_data_stops_early_says_so() {
        // OWID's stacked series for the United Arab Emirates has no complete year after 2000.
        let g = grid();
        let c = g.choose("AE", None, None).unwrap();
        assert_eq!(c.mix.year, 2000);
        assert_eq!(
            c.notes,
            vec!["latest AE data is from 2000; other regions under WORLD have data to 2023"]
        );
    }

    #[test]
    fn a_country_without_data_falls_back_to_the_world_and_says_so() {
        let g = grid();
        let c = g.choose("SG", None, None).unwrap();
        assert_eq!(c.data_region.code, "WORLD");
        assert_eq!(c.data_region.level, Level::World);
        assert_eq!(
            c.notes,
            vec!["no generation data for Singapore (SG); using World (WORLD)"]
        );
    }
}
