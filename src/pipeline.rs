//! One row through the whole chain: validate -> locate -> look up -> compute, giving the
//! output record. [`Assessor`] holds everything built once per run (index, tables, factors).

use std::borrow::Cow;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::Error;
use crate::assess::result::{IntervalFields, MixFields, SharedRisk};
use crate::assess::result::{Match, RegionResult, SiteFigures, SiteResult, SiteSize};
use crate::assess::{self, Portfolio};
use crate::error::OptionsError;
use crate::grid::factors::{FactorChoice, Factors};
use crate::grid::{Dataset, GridData, GridFiles, Level, MixChoice, RegionInfo};
use crate::miners::Catalogue;
use crate::months::Months;
use crate::regions::{Located, NEAREST_MAX_KM, RegionIndex};
use crate::risk::events::year_of;
use crate::risk::{Risk, RiskInput, RiskModel, SeasonalSwing};
use crate::sites::{Clip, Field, RawRow, RowError, Site, VALUE_CHARS, validate};
use crate::source::SOURCE_COUNT;
use compact_str::CompactString;

use crate::uncertainty::{self, FactorModel, MixKey, MonteCarlo, SiteInputs};

mod nearby;
pub use nearby::{nearby_first, nearby_key, nearby_order};

/// The schema name written in JSON, NDJSON and GeoJSON output.
pub const ASSESS_SCHEMA: &str = "hashmix.assess.v5";

/// The latitude south of which a site is in Antarctica or its ocean, where no grid runs: 60°S,
/// the limit of the Antarctic Treaty area (Antarctic Treaty, 1959, Article VI).
pub const ANTARCTIC_LATITUDE: f64 = -60.0;

/// The ISO 3166-1 code of Antarctica: a site there is an error, whatever its latitude.
const ANTARCTICA: &str = "AQ";

/// Options that change the result.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use this year's mix (or the nearest earlier one); `None` = each region's latest.
    pub year: Option<u16>,
    /// Use this month's mix where monthly data exists (1-12).
    pub month: Option<u8>,
    /// Which emission factors.
    pub factors: Option<FactorChoice>,
    /// Read grid data from this directory instead of the embedded copy.
    pub grid_data: Option<PathBuf>,
    /// Score risk as of this day: only events public by then, and (unless `year` says
    /// otherwise) mix data of the year before it. `None` = the rules' default date.
    pub as_of: Option<NaiveDate>,
    /// Read the risk rules from this file instead of the embedded risk-rules.toml.
    pub risk_rules: Option<PathBuf>,
    /// Monte Carlo draws for the intervals; 0 = none (the `_p05/_p50/_p95` fields stay empty).
    pub draws: usize,
    /// Seed of the draws.
    pub seed: u64,
}

/// Everything needed to assess rows, built once.
pub struct Assessor {
    /// Country polygons.
    pub index: RegionIndex,
    /// Province and state polygons (property `parent` names the country).
    pub subdivisions: RegionIndex,
    /// Mix tables.
    pub grid: GridData,
    /// Emission factors in use.
    pub factors: Factors,
    /// Miner catalogue.
    pub catalogue: Catalogue,
    /// Policy events and risk rules.
    pub risk: RiskModel,
    /// The day risk is scored as of.
    pub as_of: NaiveDate,
    /// `as_of` as written in the output.
    as_of_text: String,
    /// What a region and a set of operating months determine, worked out once per run: the
    /// mix, its fields, the risk, the notes and the classes of draws.
    looked_up: LookedUp,
    /// The slot of each region of `index` and of `subdivisions`, by the region's index there
    /// (none for a region without an entry in regions.csv): a site placed by its coordinates
    /// finds its slot without hashing its region's code.
    country_slots: Vec<Option<usize>>,
    subdivision_slots: Vec<Option<usize>>,
    /// Whether each country of `index` has provinces or states in `subdivisions`.
    subdivided: Vec<bool>,
    /// The draws behind the intervals, when asked for.
    pub monte_carlo: Option<MonteCarlo>,
    year: Option<u16>,
    month: Option<u8>,
    user_factors: bool,
    /// `--grid-data DIR`, if given (the output names the copy of the data used).
    grid_data: Option<PathBuf>,
}

/// The intervals as written: `<name>_p05`, `<name>_p50`, `<name>_p95` with the headline
/// numbers' rounding (the portfolio's totals).
impl Serialize for IntervalFields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(9))?;
        round::interval(&mut map, &round::INTENSITY, self.intensity_g_per_kwh, 3)?;
        round::interval(&mut map, &round::CO2_T, self.co2_t_per_year, 3)?;
        round::interval(&mut map, &round::CO2_G_PER_TH, self.co2_g_per_th, 9)?;
        map.end()
    }
}

/// Fixed rounding for output, so results are stable and readable.
pub mod round {
    use serde::Serializer;
    use serde::ser::SerializeMap;

    use crate::source::{SOURCE_COUNT, Source};

    /// Round to `d` decimals (and never print -0).
    pub fn to(x: f64, d: i32) -> f64 {
        let p = 10f64.powi(d);
        let v = half_away(x * p) / p;
        if v == 0.0 { 0.0 } else { v }
    }

    /// `x.round()`, halves away from zero, without the call into libm that `f64::round`
    /// makes on baseline x86-64 (output rounds some thirty numbers a row).
    pub fn half_away(x: f64) -> f64 {
        // From 2^52 on, every f64 is an integer; NaN and infinities stay as they are.
        if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
            return x;
        }
        // Truncated toward zero (exact in this range), with the sign of x kept for -0.
        let t = (x as i64 as f64).copysign(x);
        let r = x - t;
        if r >= 0.5 {
            t + 1.0
        } else if r <= -0.5 {
            t - 1.0
        } else {
            t
        }
    }

    fn opt<S: Serializer>(v: &Option<f64>, d: i32, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(x) => s.serialize_f64(to(*x, d)),
            None => s.serialize_none(),
        }
    }

    /// 3 decimals.
    pub fn r3<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        opt(v, 3, s)
    }
    /// 6 decimals.
    pub fn r6<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        opt(v, 6, s)
    }
    /// 9 decimals (g/TH values are around 0.001-0.01).
    pub fn r9<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        opt(v, 9, s)
    }
    /// A number and its decimals, rounded only when serialized: a serializer that leaves the
    /// field out (CSV with `--columns`) never rounds it.
    #[derive(Debug, Clone, Copy)]
    pub struct Rounded(pub Option<f64>, pub i32);

    impl serde::Serialize for Rounded {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            opt(&self.0, self.1, s)
        }
    }

    /// Each share as `<source>_share`, 6 decimals.
    pub fn shares<S: Serializer>(v: &Option<[f64; SOURCE_COUNT]>, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(SOURCE_COUNT))?;
        for src in Source::ALL {
            let share = v.map(|sh| sh[src.index()]);
            map.serialize_entry(SHARE_KEYS[src.index()], &Rounded(share, 6))?;
        }
        map.end()
    }

    /// The entries `<name>_p05`, `<name>_p50` and `<name>_p95` of an interval, `d` decimals
    /// (null without one).
    pub fn interval<M: SerializeMap>(
        map: &mut M,
        keys: &[&str; 3],
        interval: Option<crate::uncertainty::Interval>,
        d: i32,
    ) -> Result<(), M::Error> {
        let values = interval.map(|i| [i.p05, i.p50, i.p95]);
        for (k, key) in keys.iter().enumerate() {
            map.serialize_entry(key, &Rounded(values.map(|v| v[k]), d))?;
        }
        Ok(())
    }

    /// The interval fields of the intensity.
    pub const INTENSITY: [&str; 3] = [
        "intensity_g_per_kwh_p05",
        "intensity_g_per_kwh_p50",
        "intensity_g_per_kwh_p95",
    ];
    /// The interval fields of the emissions per year.
    pub const CO2_T: [&str; 3] = ["co2_t_per_year_p05", "co2_t_per_year_p50", "co2_t_per_year_p95"];
    /// The interval fields of the emissions per terahash.
    pub const CO2_G_PER_TH: [&str; 3] = ["co2_g_per_th_p05", "co2_g_per_th_p50", "co2_g_per_th_p95"];

    /// `<source>_share` field names, ordered like `Source::ALL`.
    pub const SHARE_KEYS: [&str; SOURCE_COUNT] = [
        "coal_share",
        "gas_share",
        "oil_share",
        "nuclear_share",
        "hydro_share",
        "wind_share",
        "solar_share",
        "bioenergy_share",
        "other_renewables_share",
    ];
}

/// Portfolio totals as written in output.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioRecord {
    /// Rows read.
    pub sites: u64,
    /// Rows assessed.
    pub sites_ok: u64,
    /// Rows with status error.
    pub sites_failed: u64,
    /// Rows with warnings (ok or not).
    pub sites_with_warnings: u64,
    /// Total hashrate, TH/s.
    #[serde(serialize_with = "round::r6")]
    pub hashrate_ths: Option<f64>,
    /// Total facility power, MW.
    #[serde(serialize_with = "round::r6")]
    pub power_mw: Option<f64>,
    /// Total energy, MWh per year.
    #[serde(serialize_with = "round::r3")]
    pub energy_mwh_per_year: Option<f64>,
    /// Total emissions, t CO2e per year.
    #[serde(serialize_with = "round::r3")]
    pub co2_t_per_year: Option<f64>,
    /// Energy-weighted intensity, gCO2e/kWh.
    #[serde(serialize_with = "round::r3")]
    pub intensity_g_per_kwh: Option<f64>,
    /// Energy-weighted shares.
    #[serde(flatten, serialize_with = "round::shares")]
    pub shares: Option<[f64; SOURCE_COUNT]>,
    /// Energy-weighted fossil share.
    #[serde(serialize_with = "round::r6")]
    pub fossil_share: Option<f64>,
    /// Energy-weighted renewable share.
    #[serde(serialize_with = "round::r6")]
    pub renewable_share: Option<f64>,
    /// Energy-weighted low-carbon share.
    #[serde(serialize_with = "round::r6")]
    pub low_carbon_share: Option<f64>,
    /// The fleet's emissions per terahash, g CO2e/TH.
    #[serde(serialize_with = "round::r9")]
    pub co2_g_per_th: Option<f64>,
    /// The fleet's emissions of one TH/s for one day, kg CO2e.
    #[serde(serialize_with = "round::r6")]
    pub co2_kg_per_ths_day: Option<f64>,
    /// Assessed sites at each risk level.
    pub sites_by_risk_level: ByRiskLevel<u64>,
    /// Hashrate at each risk level, TH/s.
    pub hashrate_ths_by_risk_level: ByRiskLevel<f64>,
    /// 90% intervals of the totals (empty without draws).
    #[serde(flatten)]
    pub intervals: IntervalFields,
}

/// One value per risk level.
#[derive(Debug, Clone, Serialize)]
pub struct ByRiskLevel<T> {
    /// Level `low`.
    pub low: T,
    /// Level `elevated`.
    pub elevated: T,
    /// Level `high`.
    pub high: T,
    /// Level `severe`.
    pub severe: T,
}

impl<T: Copy> ByRiskLevel<T> {
    fn of(v: [T; 4]) -> Self {
        ByRiskLevel {
            low: v[0],
            elevated: v[1],
            high: v[2],
            severe: v[3],
        }
    }
}

impl PortfolioRecord {
    /// The record of a portfolio's totals.
    pub fn from(p: &Portfolio) -> PortfolioRecord {
        let shares = p.shares();
        let groups = shares.as_ref().map(assess::groups);
        let co2_g_per_th = p.co2_g_per_th();
        let some_if = |x: f64| (p.sites_ok > 0).then_some(x);
        PortfolioRecord {
            sites: p.sites,
            sites_ok: p.sites_ok,
            sites_failed: p.sites_failed,
            sites_with_warnings: p.sites_with_warnings,
            hashrate_ths: some_if(p.hashrate_ths),
            power_mw: some_if(p.power_mw),
            energy_mwh_per_year: some_if(p.energy_mwh_per_year),
            co2_t_per_year: some_if(p.co2_t_per_year),
            intensity_g_per_kwh: p.intensity_g_per_kwh(),
            shares,
            fossil_share: groups.map(|g| g.fossil),
            renewable_share: groups.map(|g| g.renewable),
            low_carbon_share: groups.map(|g| g.low_carbon),
            co2_g_per_th,
            co2_kg_per_ths_day: co2_g_per_th.map(assess::co2_kg_per_ths_day),
            sites_by_risk_level: ByRiskLevel::of(p.risk_sites),
            hashrate_ths_by_risk_level: ByRiskLevel::of(p.risk_hashrate_ths.map(|h| round::to(h, 6))),
            intervals: IntervalFields::default(),
        }
    }
}

/// The mix used for one site.
#[derive(Debug, Clone)]
pub struct SiteMix {
    /// Share of each source, fractions summing to 1.
    pub shares: [f64; SOURCE_COUNT],
    /// The region whose data was used.
    pub data_region: RegionInfo,
    /// The (latest) year of the data used.
    pub data_year: u16,
    /// The months of monthly data used, if any.
    pub data_month: Option<String>,
    /// What was substituted and why.
    pub notes: Vec<String>,
}

impl SiteMix {
    fn from_choice(c: &MixChoice<'_>) -> SiteMix {
        SiteMix {
            shares: c.mix.shares(),
            data_region: c.data_region.clone(),
            data_year: c.mix.year,
            data_month: c.monthly.then(|| c.mix.months.to_string()),
            notes: c.notes.clone(),
        }
    }
}

/// Whose mix a region's is, in words, for a site that uses it: `Kazakhstan's national mix
/// (KZ)`, `the world's mix (WORLD)`.
pub fn mix_owner(region: &RegionInfo) -> String {
    match region.level {
        crate::grid::Level::World => format!("the world's mix ({})", region.code),
        crate::grid::Level::National => format!("{}'s national mix ({})", region.name, region.code),
        crate::grid::Level::Subnational => format!("{}'s mix ({})", region.name, region.code),
    }
}

/// A coordinate as given, for the record of a row: read as validation reads it, in any file
/// (a coordinate's separator is always its decimal mark; see [`crate::sites::numbers::read`]).
fn coordinate(row: &RawRow, field: Field) -> Option<f64> {
    if let Some(v) = row.plain_coordinate(field) {
        return Some(v);
    }
    crate::sites::numbers::coordinate(row.get(field)?)
}

/// The key of a mix's draws: its data region, year and months.
pub fn mix_key(mix: &SiteMix) -> MixKey {
    MixKey {
        region: mix.data_region.code.clone(),
        year: mix.data_year,
        months: mix.data_month.as_deref().and_then(|m| Months::parse(m).ok()),
    }
}

/// The boundaries: from the binary build.rs prepared when there is one, else parsed from GeoJSON.
fn region_index(prepared: Option<&[u8]>, geojson: &str, file: &str) -> Result<RegionIndex, Error> {
    match prepared {
        Some(bytes) => RegionIndex::from_binary(bytes, file),
        None => RegionIndex::from_geojson(geojson, file),
    }
}

/// Drop repeated notes, keeping the first of each.
fn dedup_in_order(notes: &mut Vec<Cow<'_, str>>) {
    // A site has a handful of notes: comparing with the earlier ones costs less than hashing.
    let mut i = 0;
    while i < notes.len() {
        if notes[..i].contains(&notes[i]) {
            notes.remove(i);
        } else {
            i += 1;
        }
    }
}

/// The looked-up regions of a run, one slot per region code of the grid data, made at the
/// start: reading a slot takes no lock, so the cores do not queue on a shared one. The slots
/// are found by code (short codes from the data, hashed with rustc-hash's fast hash) or by
/// their place.
struct LookedUp {
    slots: Vec<LookedSlot>,
    by_code: rustc_hash::FxHashMap<String, usize>,
}

impl LookedUp {
    /// The place of the slot of a region code.
    fn place(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The slot of a region code.
    fn get(&self, code: &str) -> Option<&LookedSlot> {
        self.place(code).map(|i| &self.slots[i])
    }
}

/// A region's lookups: all year, and for each set of operating months that sites give.
/// Both only grow while the run lasts, so records can borrow from them.
#[derive(Default)]
struct LookedSlot {
    all_year: std::sync::OnceLock<Looked>,
    by_months: MonthsLink,
}

/// A list of the lookups for sets of operating months, in the order sites first gave them,
/// that any core can add to without a lock around the whole list: each link is set once.
type MonthsLink = std::sync::OnceLock<Box<MonthsNode>>;

/// The lookup for one set of operating months, and the link to the next.
struct MonthsNode {
    months: Months,
    looked: Looked,
    next: MonthsLink,
}

/// Everything a site's region and operating months determine, shared by the sites alike.
struct Looked {
    region: String,
    region_name: String,
    /// `CODE: note` about the region's boundary or code.
    region_note: Option<String>,
    /// The mix, or none when no region up the chain has data for the year.
    mix: Option<LookedMix>,
}

/// The mix part of [`Looked`].
struct LookedMix {
    mix: SiteMix,
    /// What every site of the region and months gets.
    result: RegionResult,
    key: MixKey,
    /// The class of draws for each combination of given inputs (`SiteInputs::index`).
    classes: [std::sync::OnceLock<uncertainty::ClassRef>; 8],
}

/// How a site's region was found.
struct Placement<'a> {
    /// Borrowed from the boundaries or the grid data, but for a subdivision code that only
    /// its country is known for.
    code: Cow<'a, str>,
    how: Match,
    notes: Vec<String>,
    /// What looks wrong in the placement: a declared region the coordinates disagree with.
    warnings: Vec<String>,
    /// The code's slot in the run's lookups; none for a code regions.csv has no entry for.
    slot: Option<&'a LookedSlot>,
}

/// The part of an ISO 3166-2 code before the dash (`CN` of `CN-SC`), if it looks like one.
fn country_of_subdivision(code: &str) -> Option<&str> {
    let (cc, sub) = code.split_once('-')?;
    let ok = cc.len() == 2
        && cc.chars().all(|c| c.is_ascii_uppercase())
        && (1..=3).contains(&sub.len())
        && sub.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then_some(cc)
}

/// The date the policy events run to: the day up to which they were compiled, as the
/// risk-rules.toml shipped with them says (`shipped_rules`, the embedded file or the one in
/// `--grid-data`; never a `--risk-rules` file, which says nothing of the events), and never
/// before the last day an event was public. A month without events is still covered: the
/// compiler checked it.
fn events_end(events: &[crate::risk::PolicyEvent], shipped_rules: &str) -> NaiveDate {
    let last_event = events.iter().map(|e| e.known).max();
    let compiled = crate::risk::Rules::parse(shipped_rules).ok().map(|r| r.default_as_of());
    match (last_event, compiled) {
        (Some(e), Some(c)) => e.max(c),
        (Some(e), None) => e,
        (None, Some(c)) => c,
        // The events are never empty (see `parse_events`).
        (None, None) => NaiveDate::MIN,
    }
}

impl Assessor {
    /// Build from the embedded grid data (or `options.grid_data`).
    pub fn embedded(options: Options) -> Result<Assessor, Error> {
        let dir = options.grid_data.clone();
        Assessor::embedded_from(options).map_err(|e| e.in_grid_dir(dir.as_deref()))
    }

    fn embedded_from(options: Options) -> Result<Assessor, Error> {
        let files = match &options.grid_data {
            Some(dir) => GridFiles::from_dir(dir)?,
            None => GridFiles::embedded(),
        };
        // The boundaries are most of the start-up: each index is built on a thread of its own
        // while this one reads the rest.
        std::thread::scope(|scope| {
            let countries = scope.spawn(|| region_index(files.countries_bin, &files.countries, "countries.geojson"));
            let subdivisions =
                scope.spawn(|| region_index(files.subdivisions_bin, &files.subdivisions, "subdivisions.geojson"));
            let join = |index: std::thread::ScopedJoinHandle<'_, Result<RegionIndex, Error>>| {
                index.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            };
            Assessor::build(options, &files, || Ok((join(countries)?, join(subdivisions)?)))
        })
    }

    /// Build from these files; `indexes` gives the countries' and the subdivisions' boundaries.
    fn build(
        options: Options,
        files: &GridFiles,
        indexes: impl FnOnce() -> Result<(RegionIndex, RegionIndex), Error>,
    ) -> Result<Assessor, Error> {
        let choice = options.factors.clone().unwrap_or(FactorChoice::Lifecycle);
        let factors = Factors::load(&choice, files)?;
        let mut grid = GridData::parse(files)?;
        if let (Some(y), Some(first), Some(last)) = (options.year, grid.earliest_year(), grid.latest_year())
            && !(first..=last).contains(&y)
        {
            return Err(OptionsError::YearOutOfRange { asked: y, first, last }.into());
        }
        if let Some(m) = options.month
            && !(1..=12).contains(&m)
        {
            return Err(OptionsError::MonthOutOfRange(m).into());
        }
        let (rules_text, rules_label) = match &options.risk_rules {
            Some(path) => (
                std::fs::read_to_string(path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?,
                path.display().to_string(),
            ),
            // Issue 20: rules read from --grid-data are labelled with their path, not as embedded.
            None => (
                files.risk_rules.to_string(),
                match &options.grid_data {
                    Some(dir) => dir.join("risk-rules.toml").display().to_string(),
                    None => "embedded risk-rules.toml".to_string(),
                },
            ),
        };
        let risk = RiskModel::parse(
            &rules_text,
            &rules_label,
            &files.policy_events,
            &files.neighbours,
            &files.mining_regions,
            &grid,
        )?;
        // A day after the events' end would count every measure as lapsed or absent that the
        // data cannot see. The end is the events' own (issue 20), whatever rules are given.
        let events_end = events_end(&risk.events, &files.risk_rules);
        if let Some(day) = options.as_of
            && day > events_end
        {
            return Err(OptionsError::AsOfAfterEvents {
                asked: day,
                events_end,
                default: risk.rules.default_as_of().min(events_end),
            }
            .into());
        }
        let default_as_of = risk.rules.default_as_of();
        if options.as_of.is_none() && default_as_of > events_end {
            return Err(OptionsError::DefaultAsOfAfterEvents {
                rules: rules_label,
                default_as_of,
                events_end,
            }
            .into());
        }
        let as_of = options.as_of.unwrap_or(default_as_of);
        let monte_carlo = match options.draws {
            0 => None,
            n if n > uncertainty::MAX_DRAWS => {
                return Err(OptionsError::TooManyDraws {
                    asked: n,
                    most: uncertainty::MAX_DRAWS,
                }
                .into());
            }
            n => {
                let config = uncertainty::Config::parse(&files.uncertainty)?;
                let model = FactorModel::of(&factors, &config)?;
                let year_asked = options.year.unwrap_or_else(|| year_of(as_of));
                let label = match &options.grid_data {
                    Some(dir) => dir.join("uncertainty.toml").display().to_string(),
                    None => "embedded uncertainty.toml".to_string(),
                };
                Some(MonteCarlo::new(n, options.seed, config, model, year_asked, &label))
            }
        };
        let year = match (options.as_of, options.year) {
            (Some(day), Some(y)) if y > year_of(day) => {
                return Err(OptionsError::YearAfterAsOf { year: y, as_of: day }.into());
            }
            // What was knowable on the day: the last full year before it.
            (Some(day), None) => Some(year_of(day).saturating_sub(1)),
            (_, y) => y,
        };
        // No data newer than the as-of day's year, not even a region's own nearest later year
        // (issue 20: a backtest or a filing as of a day must not look ahead).
        if let Some(day) = options.as_of {
            grid.use_no_year_after(year_of(day));
        }
        let looked_up = LookedUp {
            slots: grid.regions().map(|_| LookedSlot::default()).collect(),
            by_code: grid.regions().enumerate().map(|(i, r)| (r.code.clone(), i)).collect(),
        };
        let (index, subdivisions) = indexes()?;
        let subdivided = index
            .regions()
            .iter()
            .map(|r| subdivisions.has_children(&r.code))
            .collect();
        let slots_of = |regions: &[crate::regions::Region]| regions.iter().map(|r| looked_up.place(&r.code)).collect();
        Ok(Assessor {
            country_slots: slots_of(index.regions()),
            subdivision_slots: slots_of(subdivisions.regions()),
            index,
            subdivisions,
            subdivided,
            catalogue: Catalogue::parse(&files.miners)?,
            grid,
            factors,
            risk,
            as_of,
            as_of_text: as_of.to_string(),
            looked_up,
            monte_carlo,
            year,
            month: options.month,
            user_factors: matches!(choice, FactorChoice::File(_)),
            grid_data: options.grid_data,
        })
    }

    /// The year asked for with `--year` (or implied by `--as-of`); `None` = each region's latest.
    pub fn year(&self) -> Option<u16> {
        self.year
    }

    /// Which copy of the grid data and which risk rules the run used, as two rows of the
    /// output's `sources` (ids `grid-data` and `risk-rules`).
    fn data_used(&self) -> [Dataset; 2] {
        let (title, vintage) = match &self.grid_data {
            Some(dir) => (
                format!("grid data from {}", dir.display()),
                "as found in that directory".to_string(),
            ),
            None => (
                "grid data embedded in hashmix".to_string(),
                format!("hashmix {}", env!("CARGO_PKG_VERSION")),
            ),
        };
        let row = |id: &str, title: String, vintage: String, used_for: &str| Dataset {
            id: id.into(),
            title,
            publisher: "hashmix".into(),
            vintage,
            licence: String::new(),
            url: String::new(),
            used_for: used_for.into(),
        };
        [
            row(
                "grid-data",
                title,
                vintage,
                "every table behind the results: regions, mixes, factors, miners, policy events",
            ),
            row(
                "risk-rules",
                format!("risk rules: {}", self.risk.rules_label),
                String::new(),
                "crackdown-risk rules and weights",
            ),
        ]
    }

    /// The datasets behind the results, for the output's `sources`.
    pub fn sources(&self) -> Vec<Dataset> {
        let mut out: Vec<Dataset> = self.grid.datasets.clone();
        out.extend(self.data_used());
        for d in out.iter_mut().filter(|d| d.id == "ipcc-ar5") {
            d.used_for = format!("emission factors: {}", self.factors.label);
        }
        if self.user_factors {
            out.retain(|d| d.id != "ipcc-ar5");
            out.push(Dataset {
                id: "user-factors".into(),
                title: self.factors.label.clone(),
                publisher: "the user".into(),
                vintage: String::new(),
                licence: String::new(),
                url: String::new(),
                used_for: "emission factors".into(),
            });
        }
        out
    }

    /// Assess one row and add it to the portfolio. Never fails: a bad row becomes a result
    /// with status `error`.
    pub fn assess_into(&self, row: RawRow, portfolio: &mut Portfolio) -> SiteResult<'_> {
        let result = self.assess(row);
        portfolio.add(&result);
        result
    }

    /// Assess one row.
    pub fn assess(&self, row: RawRow) -> SiteResult<'_> {
        self.assess_row(&row)
    }

    /// Assess one row, leaving it to the caller to reuse (see [`SiteReader::read_into`]).
    ///
    /// [`SiteReader::read_into`]: crate::sites::SiteReader::read_into
    pub fn assess_row(&self, row: &RawRow) -> SiteResult<'_> {
        // A row wrong only in its size is still placed and screened by place: it reports its
        // region, mix, intensity and risk, with status error and the size's message (issue 20).
        let (mut site, size_error) = match validate(row, &self.catalogue) {
            Ok(site) => (Some(site), None),
            Err(e) => (crate::sites::location(row).ok(), Some(e)),
        };
        // A located site's coordinates were parsed from the same text, in the same way.
        let (lat, lon) = match &site {
            Some(site) => (site.lat, site.lon),
            _ => (coordinate(row, Field::Lat), coordinate(row, Field::Lon)),
        };
        // A located site's id and name are the row's, copied already: the result takes them.
        let (id, name) = match &mut site {
            Some(site) => (site.id.take(), site.name.take()),
            None => (
                row.get(Field::Id).map(CompactString::from),
                row.get(Field::Name).map(CompactString::from),
            ),
        };
        let mut result = SiteResult {
            id,
            name,
            lat,
            lon,
            ..SiteResult::new(row.position)
        };
        let Some(mut site) = site else {
            result.error = size_error.map(|mut e| {
                // A latitude that fits a longitude: name the country the swapped point is in
                // (issue 20), as for a point in the sea or in Antarctica.
                if let Some(rest) = e.expected.strip_suffix(crate::sites::SWAPPED_HINT) {
                    let hint = self.swap_hint(lat, lon);
                    if !hint.is_empty() {
                        e.expected = format!("{rest}{hint}");
                    }
                }
                e.to_string()
            });
            return result;
        };
        let (placement, looked, m) = match self.place_and_look_up(&site, row) {
            Ok(found) => found,
            Err((matched, message)) => {
                result.matched = matched;
                result.error = Some(message);
                return result;
            }
        };
        result.region = Some(&m.result);
        result.matched = Some(placement.how);
        // The region's and the mix's notes are borrowed from the run's cache, not copied.
        // In order: the placement's, the region's, the site's and the mix's. The site's vector
        // of notes is reused.
        let mut notes: Vec<Cow<str>> = std::mem::take(&mut site.notes);
        let first = placement.notes.into_iter().map(Cow::Owned);
        notes.splice(0..0, first.chain(looked.region_note.as_deref().map(Cow::Borrowed)));
        notes.extend(m.mix.notes.iter().map(|n| Cow::Borrowed(n.as_str())));
        // The placement's warnings, then the size's (none on most rows: nothing is allocated).
        let mut warnings = placement.warnings;
        warnings.append(&mut site.warnings);
        result.warnings = warnings.join("; ");
        if let Some(e) = size_error {
            result.error = Some(e.to_string());
        } else {
            let intensity = m.result.mix.intensity_g_per_kwh.unwrap_or_default();
            let (size, figures) = self.compute(&site, intensity, &mut notes);
            result.size = Some(size);
            match figures {
                Ok(figures) => result.figures = Some(self.with_intervals(&site, m, figures, &mut notes)),
                Err(message) => result.error = Some(RowError::row(row.position, message).to_string()),
            }
        }
        dedup_in_order(&mut notes);
        result.notes = notes.join("; ");
        result
    }

    /// Place a site and look up its region's mix and risk; else whether it was matched and
    /// the row's error.
    #[allow(clippy::type_complexity)]
    fn place_and_look_up(
        &self,
        site: &Site,
        row: &RawRow,
    ) -> Result<(Placement<'_>, &Looked, &LookedMix), (Option<Match>, String)> {
        let placement = self.place(site, row).map_err(|(how, e)| (how, e.to_string()))?;
        let row_error = |message: String| RowError::row(row.position, message).to_string();
        let Some(looked) = placement
            .slot
            .map(|slot| self.look_up(slot, &placement.code, site.months))
        else {
            let message = format!("region {} has no entry in regions.csv", placement.code);
            return Err((None, row_error(message)));
        };
        let Some(m) = &looked.mix else {
            let year = self.year.map(|y| y.to_string()).unwrap_or_default();
            let message = format!("no generation data for {} in or before {year}", looked.region);
            return Err((Some(placement.how), row_error(message)));
        };
        if m.mix.data_region.level == Level::World && looked.region != "WORLD" {
            // Nothing of the region's own, nor of its country's: no electricity data to use.
            let place = match (site.lat, site.lon) {
                (Some(lat), Some(lon)) => format!("({lat}, {lon}) is in {}", looked.region_name),
                _ => format!("region {}", looked.region_name),
            };
            return Err((
                Some(Match::None),
                row_error(format!(
                    "{place} ({}), which has no electricity data {}; check the location, or give region WORLD (without coordinates) for the world's mix{}",
                    looked.region,
                    self.grid.lacking(&looked.region),
                    self.swap_hint(site.lat, site.lon)
                )),
            ));
        }
        Ok((placement, looked, m))
    }

    /// The figures with their intervals and class of draws, when there are draws.
    fn with_intervals(
        &self,
        site: &Site,
        m: &LookedMix,
        mut figures: SiteFigures,
        notes: &mut Vec<Cow<str>>,
    ) -> SiteFigures {
        let Some(mc) = &self.monte_carlo else {
            return figures;
        };
        let inputs = SiteInputs {
            power_measured: site.power_mw.is_some(),
            pue_given: site.pue_given,
            uptime_given: site.uptime_given,
        };
        let class = m.classes[inputs.index()].get_or_init(|| mc.class(&self.grid, &m.key, &m.mix.shares, inputs));
        let i = class.intervals(figures.energy_mwh_per_year, figures.j_per_th_at_meter);
        figures.intervals = IntervalFields {
            intensity_g_per_kwh: Some(i.intensity_g_per_kwh),
            co2_t_per_year: Some(i.co2_t_per_year),
            co2_g_per_th: i.co2_g_per_th,
        };
        figures.draw_class = Some(i.class);
        notes.extend(i.note.map(Cow::Owned));
        figures
    }
    /// "; did you swap lat and lon? (lon, lat) would be in Kazakhstan" when the swapped point
    /// lies in (or near) a country with electricity data of its own, else nothing.
    fn swap_hint(&self, lat: Option<f64>, lon: Option<f64>) -> String {
        let (Some(lat), Some(lon)) = (lat, lon) else {
            return String::new();
        };
        if !(-90.0..=90.0).contains(&lon) || lat == lon || lon < ANTARCTIC_LATITUDE {
            return String::new();
        }
        let idx = match self.index.locate(lon, lat) {
            Located::Inside(i) | Located::Nearest(i, _) => i,
            Located::Outside => return String::new(),
        };
        let region = self.index.region(idx);
        let has_data = self
            .grid
            .choose(&region.code, self.year, None)
            .is_some_and(|c| c.data_region.level != Level::World);
        if region.code == ANTARCTICA || !has_data {
            return String::new();
        }
        format!("; did you swap lat and lon? ({lon}, {lat}) would be in {}", region.name)
    }

    /// What a region (its code and its slot in the run's lookups) and a site's operating
    /// months determine, from the run's cache or worked out now and kept.
    fn look_up<'s>(&'s self, slot: &'s LookedSlot, code: &str, months: Option<Months>) -> &'s Looked {
        let Some(ms) = months else {
            return slot.all_year.get_or_init(|| self.work_out(code, None));
        };
        // Walk the list: the first empty link gets these months (another core adding at the
        // same link waits for it, then walks on if its months differ).
        let mut link = &slot.by_months;
        loop {
            let node = link.get_or_init(|| {
                Box::new(MonthsNode {
                    months: ms,
                    looked: self.work_out(code, months),
                    next: MonthsLink::new(),
                })
            });
            if node.months == ms {
                return &node.looked;
            }
            link = &node.next;
        }
    }

    /// Work out what a region and a site's operating months determine.
    fn work_out(&self, code: &str, months: Option<Months>) -> Looked {
        let region = self.grid.region(code).expect("placement returns known codes");
        let mix = self.site_mix(code, months).map(|mix| LookedMix {
            result: RegionResult {
                region: region.code.clone(),
                region_name: region.name.clone(),
                level: mix.data_region.level,
                data_region: mix.data_region.code.clone(),
                data_year: mix.data_year,
                data_month: mix.data_month.clone(),
                mix: MixFields::of(mix.shares, &self.factors.g_per_kwh),
                risk: self.risk_of(code, &mix),
                risk_as_of: self.as_of_text.clone(),
                encoded: Default::default(),
            },
            key: mix_key(&mix),
            classes: Default::default(),
            mix,
        });
        Looked {
            region: region.code.as_str().into(),
            region_name: region.name.as_str().into(),
            region_note: region.note.as_ref().map(|n| format!("{}: {n}", region.code)),
            mix,
        }
    }

    /// The portfolio's record, with its intervals when there are draws.
    pub fn portfolio_record(&self, portfolio: &Portfolio) -> PortfolioRecord {
        let mut record = PortfolioRecord::from(portfolio);
        if let Some(i) = self
            .monte_carlo
            .as_ref()
            .and_then(|mc| mc.portfolio(&self.grid, &portfolio.by_class))
        {
            record.intervals = IntervalFields {
                intensity_g_per_kwh: i.intensity_g_per_kwh,
                co2_t_per_year: Some(i.co2_t_per_year),
                co2_g_per_th: i.co2_g_per_th,
            };
        }
        record
    }

    /// What the output says about the draws, when there are any.
    pub fn uncertainty(&self) -> Option<uncertainty::UncertaintyInfo> {
        self.monte_carlo.as_ref().map(MonteCarlo::info)
    }

    /// The crackdown risk of a site in region `code` whose grid mix is `mix`, with its CSV
    /// summary. `assess` scores it once per region and set of operating months (`look_up`).
    pub fn risk_of(&self, code: &str, mix: &SiteMix) -> SharedRisk {
        SharedRisk::new(self.score_risk(code, mix))
    }

    fn score_risk(&self, code: &str, mix: &SiteMix) -> Risk {
        let groups = assess::groups(&mix.shares);
        let input = RiskInput {
            region: code.to_string(),
            coal_share: mix.shares[crate::source::Source::Coal.index()],
            fossil_share: groups.fossil,
            hydro_share: mix.shares[crate::source::Source::Hydro.index()],
            intensity_g_per_kwh: assess::intensity_g_per_kwh(&mix.shares, &self.factors.g_per_kwh),
            seasonal: self.seasonal_swing(&mix.data_region.code),
            mix_of: (mix.data_region.code != code).then(|| mix_owner(&mix.data_region)),
        };
        self.risk.assess(&input, self.as_of)
    }

    /// The months with the most and the least fossil power in the latest year (not after
    /// `--year` or the as-of year) in which a region's monthly data covers at least ten months.
    pub fn seasonal_swing(&self, code: &str) -> Option<SeasonalSwing> {
        let rows = self.grid.months(code);
        let cap = self.year.unwrap_or(u16::MAX);
        let mut years: Vec<u16> = rows.iter().map(|r| r.year).filter(|y| *y <= cap).collect();
        years.dedup();
        let year = years.into_iter().rev().find(|y| {
            rows.iter()
                .filter(|r| r.year == *y)
                .map(|r| r.months.days())
                .sum::<u32>()
                >= 300
        })?;
        let fossil = |r: &crate::grid::PeriodMix| assess::groups(&r.shares()).fossil;
        let in_year = || rows.iter().filter(|r| r.year == year);
        let high = in_year().max_by(|a, b| fossil(a).total_cmp(&fossil(b)))?;
        let low = in_year().min_by(|a, b| fossil(a).total_cmp(&fossil(b)))?;
        Some(SeasonalSwing {
            region: code.to_string(),
            year,
            high: (high.months.to_string(), fossil(high)),
            low: (low.months.to_string(), fossil(low)),
        })
    }

    /// The mix for a site: one year, one month (`--month`), or the day-weighted mean over the
    /// site's operating months.
    pub fn site_mix(&self, code: &str, months: Option<Months>) -> Option<SiteMix> {
        let months = months.filter(|m| *m != Months::ALL);
        if let Some(m) = self.month {
            let c = self.grid.choose(code, self.year, Some(m))?;
            let mut mix = SiteMix::from_choice(&c);
            if let Some(ms) = months {
                mix.notes.push(format!(
                    "--month {m} sets the mix; the operating months {ms} set the energy"
                ));
            }
            return Some(mix);
        }
        let Some(ms) = months else {
            return Some(SiteMix::from_choice(&self.grid.choose(code, self.year, None)?));
        };
        let mut acc = [0.0; SOURCE_COUNT];
        let mut notes = Vec::new();
        let mut years = Vec::new();
        let mut any_monthly = false;
        let mut data_region = None;
        for m in ms.iter() {
            let c = self.grid.choose(code, self.year, Some(m))?;
            let w = f64::from(crate::months::DAYS[m as usize - 1]);
            for (a, s) in acc.iter_mut().zip(c.mix.shares()) {
                *a += w * s;
            }
            notes.extend(c.notes.iter().cloned());
            years.push(c.mix.year);
            any_monthly |= c.monthly;
            data_region = Some(c.data_region);
        }
        let days = f64::from(ms.days());
        years.sort_unstable();
        years.dedup();
        let data_region = data_region?;
        if any_monthly {
            notes.push(format!(
                "mix weighted by days over the operating months {ms} of {}'s monthly data",
                data_region.code
            ));
        }
        Some(SiteMix {
            shares: acc.map(|a| a / days),
            data_region: data_region.clone(),
            data_year: *years.last()?,
            data_month: any_monthly.then(|| ms.to_string()),
            notes,
        })
    }

    /// Find the site's region: by coordinates (the country, then its province or state),
    /// else by its declared code.
    fn place(&self, site: &Site, row: &RawRow) -> Result<Placement<'_>, (Option<Match>, RowError)> {
        if let (Some(lat), Some(lon)) = (site.lat, site.lon) {
            let error = |message: String| Err((Some(Match::None), RowError::row(row.position, message)));
            if lat == 0.0 && lon == 0.0 {
                return error(
                    "(0, 0) is in the sea off West Africa, where a missing coordinate often lands as zeros; give the site's coordinates".into(),
                );
            }
            let located = self.index.locate(lat, lon);
            let in_antarctica = match located {
                Located::Inside(i) | Located::Nearest(i, _) => self.index.region(i).code == ANTARCTICA,
                Located::Outside => false,
            };
            if lat < ANTARCTIC_LATITUDE || in_antarctica {
                return error(format!(
                    "({lat}, {lon}) is in Antarctica or its ocean (south of 60°S), where no grid runs; check the coordinates{}",
                    self.swap_hint(Some(lat), Some(lon))
                ));
            }
            let (idx, mut how, mut notes) = match located {
                Located::Inside(i) => (i, Match::Inside, vec![]),
                Located::Nearest(i, km) => (
                    i,
                    Match::Nearest,
                    vec![format!(
                        "outside every region polygon; nearest region {} is {km:.1} km away",
                        self.index.region(i).code
                    )],
                ),
                Located::Outside => {
                    return error(format!(
                        "({lat}, {lon}) is outside every region and more than {NEAREST_MAX_KM} km from land; check the coordinates{}",
                        self.swap_hint(Some(lat), Some(lon))
                    ));
                }
            };
            let country = self.index.region(idx).code.as_str();
            let mut code = country;
            let mut slot = self.country_slots[idx];
            if self.subdivided[idx] {
                let province = match self.subdivisions.locate_within(lat, lon, country) {
                    Located::Inside(j) => Some(j),
                    Located::Nearest(j, km) => {
                        how = Match::Nearest;
                        notes.push(format!(
                            "outside every province or state polygon of {country}; nearest is {}, {km:.1} km away",
                            self.subdivisions.region(j).code
                        ));
                        Some(j)
                    }
                    Located::Outside => {
                        notes.push(format!(
                            "not within {NEAREST_MAX_KM} km of any province or state polygon of {country}; national data used"
                        ));
                        None
                    }
                };
                if let Some(j) = province {
                    code = &self.subdivisions.region(j).code;
                    slot = self.subdivision_slots[j];
                }
            }
            let mut warnings = Vec::new();
            if let Some(declared) = &site.region {
                let declared_code = self.grid.resolve(declared).map(|(r, _)| r.code.as_str());
                let agrees = declared == "WORLD"
                    || declared_code.is_some_and(|d| self.grid.is_within(code, d) || self.grid.is_within(d, code));
                if !agrees {
                    warnings.push(format!(
                        "declared region {} differs from the located region {code} (the coordinates are used)",
                        Clip(declared, VALUE_CHARS)
                    ));
                }
            }
            let Some(slot) = slot.map(|i| &self.looked_up.slots[i]) else {
                return Err((
                    Some(how),
                    RowError::row(
                        row.position,
                        format!("region {code} has a polygon but no entry in regions.csv"),
                    ),
                ));
            };
            return Ok(Placement {
                code: Cow::Borrowed(code),
                how,
                notes,
                warnings,
                slot: Some(slot),
            });
        }
        let declared = site
            .region
            .as_deref()
            .expect("validate requires coordinates or a region");
        if let Some((region, former)) = self.grid.resolve(declared) {
            if region.code == ANTARCTICA {
                return Err((
                    Some(Match::None),
                    RowError {
                        position: row.position,
                        column: Some(row.column(Field::Region)),
                        value: row.get(Field::Region).map(str::to_string),
                        expected:
                            "Antarctica has no electricity grid; expected the region the site draws its power from"
                                .into(),
                    },
                ));
            }
            let mut notes = vec![];
            if former {
                notes.push(format!(
                    "{declared} is a former code of {} ({}); the current code is used",
                    region.code, region.name
                ));
            }
            return Ok(Placement {
                code: Cow::Borrowed(&region.code),
                how: Match::Declared,
                notes,
                warnings: Vec::new(),
                slot: self.looked_up.get(&region.code),
            });
        }
        if let Some(cc) = country_of_subdivision(declared).filter(|cc| self.grid.region(cc).is_some()) {
            return Ok(Placement {
                code: Cow::Owned(cc.to_string()),
                how: Match::Declared,
                notes: vec![format!(
                    "{declared} is not a subdivision hashmix knows; using {cc} (national); see `hashmix regions --country {cc}`"
                )],
                warnings: Vec::new(),
                slot: self.looked_up.get(cc),
            });
        }
        Err((
            Some(Match::None),
            RowError {
                position: row.position,
                column: Some(row.column(Field::Region)),
                value: row.get(Field::Region).map(str::to_string),
                expected: "unknown region code; expected an ISO 3166-1 alpha-2 code such as KZ, an ISO 3166-2 code such as CN-SC, or WORLD (see `hashmix regions`)".into(),
            },
        ))
    }

    /// The size as used, and the figures it gives at this intensity. A figure too large to
    /// hold (not finite) is an error naming what made it so: validation bounds the size, so
    /// only the emission factors can.
    fn compute(
        &self,
        site: &Site,
        intensity: f64,
        notes: &mut Vec<Cow<str>>,
    ) -> (SiteSize, Result<SiteFigures, String>) {
        let mut size = SiteSize {
            hashrate_ths: site.hashrate_ths,
            efficiency_j_per_th: site.efficiency_j_per_th,
            uptime: site.uptime,
            pue: None,
            months: site.months.map(|m| m.to_string()),
        };
        let (power, j_per_th_at_meter) = match (site.power_mw, site.hashrate_ths, site.efficiency_j_per_th) {
            (Some(p), h, _) => {
                notes.push("power_mw given: energy and per-TH values use the measured draw".into());
                (p, h.map(|h| p * 1e6 / h))
            }
            (None, Some(h), Some(e)) => {
                size.pue = Some(site.pue);
                (assess::power_mw(h, e, site.pue), Some(e * site.pue))
            }
            _ => unreachable!("validate guarantees power_mw, or hashrate and efficiency"),
        };
        let operating = site.months.unwrap_or(Months::ALL);
        let days = f64::from(operating.days());
        let energy = assess::energy_mwh_in_days(power, days, site.uptime);
        let co2_g_per_th = j_per_th_at_meter.map(|j| assess::co2_g_per_th(j, intensity));
        let figures = SiteFigures {
            power_mw: power,
            energy_mwh_per_year: energy,
            co2_t_per_year: assess::co2_t_per_year(energy, intensity),
            co2_g_per_th,
            co2_kg_per_ths_day: co2_g_per_th.map(assess::co2_kg_per_ths_day),
            j_per_th_at_meter,
            year_fraction: site.uptime * days / f64::from(Months::ALL.days()),
            intervals: IntervalFields::default(),
            draw_class: None,
        };
        let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
        let show = crate::sites::plausibility::show;
        if !(power.is_finite() && energy.is_finite()) {
            let message = format!(
                "the power ({} MW) or the energy ({} MWh/yr) is too large to compute; check the size columns",
                show(power),
                show(energy)
            );
            return (size, Err(message));
        }
        if !(intensity.is_finite()
            && figures.co2_t_per_year.is_finite()
            && finite(figures.co2_g_per_th)
            && finite(figures.co2_kg_per_ths_day))
        {
            let message = format!(
                "the emissions are too large to compute: {} MWh/yr at {} gCO2e/kWh from the emission factors ({}); check the factors",
                show(energy),
                show(intensity),
                self.factors.label
            );
            return (size, Err(message));
        }
        (size, Ok(figures))
    }
}

#[cfg(test)]
mod tests {
    use super::round::{half_away, to};

    #[test]
    fn half_away_rounds_exactly_as_f64_round() {
        let edges = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9_007_199_254_740_993.0,
            1e300,
            -1e300,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in edges {
            assert_eq!(half_away(x).to_bits(), x.round().to_bits(), "{x:e}");
        }
        assert!(half_away(f64::NAN).is_nan());
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for _ in 0..500_000 {
            let x = 10f64.powf(rng.random_range(-3.0..17.0)) * if rng.random_bool(0.5) { -1.0 } else { 1.0 };
            for y in [x, x.trunc() + 0.5, x.trunc() - 0.5] {
                assert_eq!(half_away(y).to_bits(), y.round().to_bits(), "{y:e}");
            }
        }
        // Output rounding: 6 decimals, halves away from zero, no -0.
        assert_eq!(to(0.1234565, 6), 0.123457);
        assert_eq!(to(-0.0000004, 6).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn ids_and_names_short_and_long_come_through_whole_on_valid_and_failed_rows() {
        use crate::sites::{Field, Position, RawRow};
        let assessor = super::Assessor::embedded(Default::default()).unwrap();
        // Held inline up to 24 bytes, on the heap beyond: both read back whole.
        let long_id = "an-identifier-longer-than-24-bytes";
        let long_name = "\u{d6}skemen hydro site \u{2116}7 (Ust-Kamenogorsk, East Kazakhstan)";
        for (id, name) in [("kz-1", "Ekibastuz"), (long_id, long_name)] {
            for lat in ["51.7236", "north"] {
                let mut row = RawRow::new(
                    Position::Line(2),
                    std::sync::Arc::new(Default::default()),
                    crate::sites::Decimals::Point,
                    0,
                );
                for (field, text) in [
                    (Field::Id, id),
                    (Field::Name, name),
                    (Field::Lat, lat),
                    (Field::Lon, "75.3233"),
                    (Field::HashrateThs, "1000"),
                    (Field::Efficiency, "30"),
                ] {
                    row.set(field, Some(text));
                }
                let record = assessor.assess_row(&row);
                assert_eq!(record.status(), if lat == "north" { "error" } else { "ok" });
                assert_eq!(record.id.as_deref(), Some(id));
                assert_eq!(record.name.as_deref(), Some(name));
            }
        }
    }
}

#[cfg(test)]
mod start_up_tests {
    use super::*;

    /// A copy of grid-data/ with some files replaced.
    fn grid_data_with(replaced: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let source = concat!(env!("CARGO_MANIFEST_DIR"), "/grid-data");
        for entry in std::fs::read_dir(source).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
        for (file, text) in replaced {
            std::fs::write(dir.path().join(file), text).unwrap();
        }
        dir
    }

    fn error_of(dir: &tempfile::TempDir) -> String {
        let options = Options {
            grid_data: Some(dir.path().to_path_buf()),
            ..Options::default()
        };
        // The message names the file by its path in DIR; the tests compare the file's name.
        match Assessor::embedded(options) {
            Ok(_) => "no error".into(),
            Err(e) => e.to_string().replace(&format!("{}/", dir.path().display()), ""),
        }
    }

    #[test]
    fn a_broken_boundary_file_built_on_its_own_thread_is_reported_by_name() {
        for file in ["countries.geojson", "subdivisions.geojson"] {
            let dir = grid_data_with(&[(file, "{")]);
            assert!(
                error_of(&dir).starts_with(&format!("grid data {file}: ")),
                "{}",
                error_of(&dir)
            );
        }
        // Both broken: the countries are reported, as when the indexes were built in turn; and a
        // broken mix table is reported before either, as before.
        let both = [("countries.geojson", "{"), ("subdivisions.geojson", "{")];
        assert!(error_of(&grid_data_with(&both)).starts_with("grid data countries.geojson: "));
        let mix = [("countries.geojson", "{"), ("mix-annual.csv", "region\n")];
        assert!(
            error_of(&grid_data_with(&mix)).starts_with("grid data mix-annual.csv: "),
            "{}",
            error_of(&grid_data_with(&mix))
        );
    }
}
