//! Grid-mix tables: the generation of every region by source, annual and (for China's
//! provinces) monthly, the region hierarchy (province -> country -> world) and the choice of
//! data year and month.
//!
//! Values are kept in the unit the source publishes (TWh, or % for Canada's provinces);
//! shares are computed here, so a share can always be traced back to the published numbers.

mod data;
pub mod factors;
pub mod freshness;
pub mod published;
mod region_table;
pub mod site_mix;
mod used;

use std::collections::{BTreeMap, HashMap};

pub use data::{Dataset, GridFiles};
pub use freshness::{STALE_AFTER_YEARS, Staleness};
pub use site_mix::{SiteMix, mix_owner};
pub use used::{DatasetIndex, MAX_DATASETS, UsedDatasets};

use region_table::parse_regions;

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
    /// A province or state without generation figures of its own whose mix is modelled from
    /// its power plants' capacity (rows of the [`MODELLED_DATASET`]; issue 23).
    Modelled,
    /// A grid zone (eGRID subregion, bidding zone): only `compare` shows one as a row of its
    /// own, from its published rate; zones have no mix in the data.
    Zone,
}

impl Level {
    /// The name used in output (`world`, `national`, `subnational`, `modelled`, `zone`).
    pub fn name(self) -> &'static str {
        match self {
            Level::World => "world",
            Level::National => "national",
            Level::Subnational => "subnational",
            Level::Modelled => "modelled",
            Level::Zone => "zone",
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
    /// The datasets the row's figures come from: its `dataset`, and any its derivation draws
    /// on (see [`DRAWS_ON`]).
    pub datasets: UsedDatasets,
    /// The dataset its `dataset` column names alone, whose edition the output's
    /// `data_edition` gives.
    pub own_dataset: UsedDatasets,
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
    /// The newest annual year of any region that [`GridData::choose`] may use: what a
    /// region's newest year is compared with (see [`GridData::staleness`]).
    newest_of_any: Option<u16>,
}

fn grid_err(file: &str, line: usize, message: impl std::fmt::Display) -> Error {
    Error::GridData {
        file: file.into(),
        message: format!("line {line}: {message}"),
    }
}

/// The latest year with annual data among the children of each parent (`""` = the top level).
fn latest_year_by_parent(
    regions: &BTreeMap<String, RegionInfo>,
    annual: &HashMap<String, Vec<PeriodMix>>,
) -> HashMap<String, u16> {
    let mut latest: HashMap<String, u16> = HashMap::new();
    for r in regions.values() {
        if let Some(last) = annual.get(&r.code).and_then(|v| v.last()) {
            let e = latest.entry(r.parent.clone().unwrap_or_default()).or_insert(last.year);
            *e = (*e).max(last.year);
        }
    }
    latest
}

/// The datasets a mix row draws on besides the one its `dataset` column names: NBS publishes
/// China's provincial thermal generation unsplit, and every such row divides it into coal, gas,
/// oil and bioenergy by China's national thermal mix from Our World in Data / Ember, its coal
/// and gas part by the province's operating coal and gas capacity in Global Energy Monitor's
/// trackers (issue 23; grid-data/SOURCES.md, "China's provinces (NBS)"; each row's note says so).
/// A modelled mix ([`MODELLED_DATASET`]) draws on the country's generation (OWID/Ember) and the
/// same GEM trackers.
pub const DRAWS_ON: [(&str, &str); 4] = [
    ("china-nbs", "owid-ember"),
    ("china-nbs", "gem-plants"),
    ("gem-model", "owid-ember"),
    ("gem-model", "gem-plants"),
];

/// The dataset of the mix rows modelled from Global Energy Monitor's plant units (operating
/// capacity x the country's generation per MW of capacity, by source: tools/gem_model.py and
/// grid-data/SOURCES.md). A site whose mix is such a row reports `region_level` `modelled` and
/// gets a wider interval ([`crate::uncertainty::MODELLED_LOW`], [`crate::uncertainty::MODELLED_HIGH`]).
pub const MODELLED_DATASET: &str = "gem-model";

/// The first columns of mix-annual.csv and mix-monthly.csv, before one per source.
const MIX_COLUMNS: [&str; 5] = ["region", "year", "months", "dataset", "unit"];

/// Refuse a mix table whose columns are not [`MIX_COLUMNS`] then the sources, in order.
fn check_mix_header(header: &csv::StringRecord, file: &str) -> Result<(), Error> {
    let fixed = MIX_COLUMNS;
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
    Ok(())
}

/// The datasets of a mix row whose `dataset` column is `id`: that row of datasets.csv, and
/// those its derivation draws on ([`DRAWS_ON`]).
/// The first is the row's own dataset alone.
fn mix_row_datasets(id: &str, datasets: &[Dataset]) -> Result<(UsedDatasets, UsedDatasets), String> {
    let ids = || datasets.iter().map(|d| &d.id);
    let index = used::index_of(ids(), id)
        .ok_or_else(|| format!("column dataset: '{id}': expected the id of a row of datasets.csv"))?;
    let own = UsedDatasets::of(index);
    let mut used = own;
    for (_, also) in DRAWS_ON.iter().filter(|(d, _)| *d == id) {
        used.mark_if(used::index_of(ids(), also));
    }
    Ok((own, used))
}

/// Parse mix-annual.csv or mix-monthly.csv: region, year, months, dataset, unit, one column
/// per source, note.
fn parse_mix(
    text: &str,
    file: &str,
    regions: &BTreeMap<String, RegionInfo>,
    datasets: &[Dataset],
) -> Result<HashMap<String, Vec<PeriodMix>>, Error> {
    let mut out: HashMap<String, Vec<PeriodMix>> = HashMap::new();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header = rdr.headers().map_err(|e| grid_err(file, 1, e))?.clone();
    check_mix_header(&header, file)?;
    let fixed = MIX_COLUMNS;
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
        let (own, used) = mix_row_datasets(&row[3], datasets).map_err(|e| grid_err(file, line, e))?;
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
            datasets: used,
            own_dataset: own,
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
        let (regions, aliases) = parse_regions(&files.regions)?;
        let datasets = data::parse_datasets(&files.datasets)?;
        let annual = parse_mix(&files.mix_annual, "mix-annual.csv", &regions, &datasets)?;
        if annual.is_empty() {
            // Issue 20: a header alone would leave every site without data, or on the world's
            // mix, without saying why.
            return Err(grid_err(
                "mix-annual.csv",
                2,
                "no annual mix with any generation: expected at least one region's row",
            ));
        }
        let monthly = parse_mix(&files.mix_monthly, "mix-monthly.csv", &regions, &datasets)?;
        let latest_by_parent = latest_year_by_parent(&regions, &annual);
        let mut grid = GridData {
            regions,
            aliases,
            annual,
            monthly,
            datasets,
            latest_by_parent,
            newest_usable: None,
            newest_of_any: None,
        };
        grid.newest_of_any = grid.newest_year_of_any();
        Ok(grid)
    }

    /// The place of dataset `id` in datasets.csv, if it is there: resolve it once, then mark it
    /// in a run's [`UsedDatasets`] without a lookup by name.
    pub fn dataset_index(&self, id: &str) -> Option<DatasetIndex> {
        used::index_of(self.datasets.iter().map(|d| &d.id), id)
    }

    /// The set of the one dataset `id` names; empty when datasets.csv does not list it.
    pub fn used_dataset(&self, id: &str) -> UsedDatasets {
        let mut used = UsedDatasets::NONE;
        used.mark_if(self.dataset_index(id));
        used
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
        self.newest_of_any = self.newest_year_of_any();
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
            // Issue 23: past a region's newest year, the note says the data end there, not
            // merely that an earlier year was nearest.
            (Some(y), _) if chosen.year != y && std::ptr::eq(chosen, &years[years.len() - 1]) => notes.push(format!(
                "no {} data for {y}; using {}, its newest year",
                current.code, chosen.year
            )),
            (Some(y), _) if chosen.year != y => notes.push(format!(
                "no {} data for {y}; using {} (nearest earlier year)",
                current.code, chosen.year
            )),
            // Issue 23: a stale region's warning names its newest year and the one reference
            // year; a second reference (its siblings' newest) here would contradict it.
            (None, Some(latest)) if chosen.year < latest && self.staleness(&current.code, None).is_none() => notes
                .push(format!(
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
mod tests;
