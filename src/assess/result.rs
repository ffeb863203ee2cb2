//! What assessing one row gives: a [`SiteResult`], typed (enums for the status, the match and
//! the levels, numbers exact). Writers turn results into bytes through the column table
//! (`output::fields`); the portfolio adds results directly. Nothing reads an output record back.

use std::sync::OnceLock;

use compact_str::CompactString;

use crate::grid::published::Basis;
use crate::grid::{Level, UsedDatasets};
use crate::risk::{Reason, Risk, RiskLevel};
use crate::sites::Position;
use crate::source::SOURCE_COUNT;
use crate::uncertainty::Interval;

/// Whether a row was assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every figure was worked out.
    Ok,
    /// The row failed; `error` says why.
    Error,
}

impl Status {
    /// As written in output: `ok` or `error`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Error => "error",
        }
    }
}

impl PartialEq<&str> for Status {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

/// How a site's region was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The coordinates are inside the region's polygon.
    Inside,
    /// Outside every polygon, within `regions::NEAREST_MAX_KM` of this one.
    Nearest,
    /// From the row's `region` column (no coordinates).
    Declared,
    /// No region could be found, or none with electricity data of its own.
    None,
}

impl Match {
    /// As written in output: `inside`, `nearest`, `declared` or `none`.
    pub fn name(self) -> &'static str {
        match self {
            Match::Inside => "inside",
            Match::Nearest => "nearest",
            Match::Declared => "declared",
            Match::None => "none",
        }
    }
}

impl PartialEq<&str> for Match {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

/// One row's result: where it was in the input, what it said of itself, and what was worked
/// out (its region's part, shared with the other sites alike; its size part) or why not.
///
/// A row wrong only in its size still has its region part: its region, mix, intensity and
/// risk, with status error (issue 20).
#[derive(Debug, Clone)]
pub struct SiteResult<'a> {
    /// Where the row is in the input.
    pub position: Position,
    /// Identifier from the input (held inline, without an allocation, up to 24 bytes).
    pub id: Option<CompactString>,
    /// Name from the input (inline up to 24 bytes).
    pub name: Option<CompactString>,
    /// Latitude, degrees, as given.
    pub lat: Option<f64>,
    /// Longitude, degrees, as given.
    pub lon: Option<f64>,
    /// How the region was found (none when the row failed before).
    pub matched: Option<Match>,
    /// The grid zone the site's coordinates lie in, within the country they were located in
    /// (eGRID subregion, bidding zone...; none without coordinates or where the country has
    /// no zones). Output as `grid_zone`.
    pub zone: Option<crate::regions::Zone<'a>>,
    /// What the site's region and operating months determine, borrowed from the assessor's
    /// per-region lookups.
    pub region: Option<&'a RegionResult>,
    /// The size the row gave, as used.
    pub size: Option<SiteSize>,
    /// The figures worked out from the size and the mix.
    pub figures: Option<SiteFigures>,
    /// Why the row failed: line, column, value and what was expected.
    pub error: Option<String>,
    /// Defaults, substitutions and fallbacks used, joined with "; ".
    pub notes: String,
    /// What looks wrong in the row though it was assessed, joined with "; ".
    pub warnings: String,
    /// The datasets of datasets.csv behind what the result says (its boundaries, mix,
    /// factors, risk, miner model), for the output's `sources` (issue 22).
    pub datasets: UsedDatasets,
    /// Scope 1, 2 and 3 (category 3) and the energy mix for filings (issue 24); none for a
    /// failed row or a run on the lifecycle basis.
    pub scope: Option<Box<crate::scope::SiteScope>>,
}

impl SiteResult<'_> {
    /// A result with nothing worked out yet (status error until it has figures).
    pub fn new(position: Position) -> Self {
        SiteResult {
            position,
            id: None,
            name: None,
            lat: None,
            lon: None,
            matched: None,
            zone: None,
            region: None,
            size: None,
            figures: None,
            error: None,
            notes: String::new(),
            warnings: String::new(),
            datasets: UsedDatasets::NONE,
            scope: None,
        }
    }

    /// `Ok` when every figure was worked out, else `Error`.
    pub fn status(&self) -> Status {
        match (&self.error, &self.figures) {
            (None, Some(_)) => Status::Ok,
            _ => Status::Error,
        }
    }

    /// The region the site is in (ISO 3166-2, ISO 3166-1 alpha-2 or WORLD).
    pub fn region_code(&self) -> Option<&str> {
        self.region.map(|r| r.region.as_str())
    }

    /// The region's name.
    pub fn region_name(&self) -> Option<&str> {
        self.region.map(|r| r.region_name.as_str())
    }

    /// Year of the generation data used.
    pub fn data_year(&self) -> Option<u16> {
        self.region.map(|r| r.data_year)
    }

    /// Months of the monthly data used, if any.
    pub fn data_month(&self) -> Option<&str> {
        self.region.and_then(|r| r.data_month.as_deref())
    }

    /// Hashrate, TH/s.
    pub fn hashrate_ths(&self) -> Option<f64> {
        self.size.as_ref().and_then(|s| s.hashrate_ths)
    }

    /// Facility power, MW.
    pub fn power_mw(&self) -> Option<f64> {
        self.figures.as_ref().map(|f| f.power_mw)
    }

    /// Emissions of one TH/s for one day, kg CO2e.
    pub fn co2_kg_per_ths_day(&self) -> Option<f64> {
        self.figures.as_ref().and_then(|f| f.co2_kg_per_ths_day)
    }

    /// The 90% intervals (empty without draws or figures).
    pub fn intervals(&self) -> IntervalFields {
        self.figures.as_ref().map(|f| f.intervals.clone()).unwrap_or_default()
    }

    /// The region whose generation data was used.
    pub fn data_region(&self) -> Option<&str> {
        self.region.map(|r| r.data_region.as_str())
    }

    /// The crackdown-risk level.
    pub fn risk_level(&self) -> Option<RiskLevel> {
        self.region.map(|r| r.risk.risk.level)
    }

    /// The crackdown-risk score, 0-100.
    pub fn risk_score(&self) -> Option<u8> {
        self.region.map(|r| r.risk.risk.score)
    }

    /// The mix's fields (empty without a region part).
    pub fn mix(&self) -> Option<&MixFields> {
        self.region.map(|r| &r.mix)
    }

    /// Emissions, t CO2e per year.
    pub fn co2_t_per_year(&self) -> Option<f64> {
        self.figures.as_ref().map(|f| f.co2_t_per_year)
    }
}

/// The size of a site as used: what the row gave, with the defaults filled in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteSize {
    /// Hashrate, TH/s.
    pub hashrate_ths: Option<f64>,
    /// Machine efficiency, J/TH (before PUE).
    pub efficiency_j_per_th: Option<f64>,
    /// Fraction of the year running.
    pub uptime: f64,
    /// Power usage effectiveness used (none when the power was measured).
    pub pue: Option<f64>,
    /// The site's operating months, as given in its `months` column (normalised).
    pub months: Option<String>,
}

/// The figures of an assessed site. Exact here; output rounds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteFigures {
    /// Facility power, MW.
    pub power_mw: f64,
    /// Energy, MWh per year.
    pub energy_mwh_per_year: f64,
    /// Emissions, tonnes CO2e per year.
    pub co2_t_per_year: f64,
    /// Emissions per terahash, g CO2e/TH (none without a hashrate).
    pub co2_g_per_th: Option<f64>,
    /// Emissions of one TH/s for one day, kg CO2e.
    pub co2_kg_per_ths_day: Option<f64>,
    /// Energy per terahash at the meter, J/TH: efficiency x PUE, or measured power over
    /// hashrate (used for the intervals).
    pub j_per_th_at_meter: Option<f64>,
    /// Fraction of the year's hours the site computes: uptime x operating days / 365 (used
    /// for the portfolio's terahashes).
    pub year_fraction: f64,
    /// 90% intervals of the headline numbers (empty without draws).
    pub intervals: IntervalFields,
    /// The site's class of draws (used for the portfolio's intervals).
    pub draw_class: Option<usize>,
    /// Energy the site generates itself, MWh per year (issue 24; 0 for a site on the grid
    /// alone). The emissions count it at its own factor, the rest at the grid's intensity.
    pub onsite_mwh_per_year: f64,
    /// Emissions of that energy, t CO2e per year (the draws move its energy, not its factor).
    pub onsite_co2_t_per_year: f64,
    /// The source that energy counts as in a mix (its fuel's: gas for flare gas, oil for
    /// diesel); none without own generation.
    pub onsite_source: Option<crate::source::Source>,
}

/// What a region and a set of operating months determine for every site there: worked out
/// once per run and borrowed by each site's result.
#[derive(Debug)]
pub struct RegionResult {
    /// The region's code.
    pub region: String,
    /// The region's name.
    pub region_name: String,
    /// Level of the data used.
    pub level: Level,
    /// The region whose generation data was used (the region itself, or a parent).
    pub data_region: String,
    /// Year of the generation data used.
    pub data_year: u16,
    /// Months of the monthly data used (`8`, `1-2`, or the operating months `5-10`); none
    /// when annual data was used.
    pub data_month: Option<String>,
    /// The shares, group shares and intensity.
    pub mix: MixFields,
    /// What the intensity counts (`--basis`).
    pub basis: Basis,
    /// Where the intensity comes from: a published rate ("eGRID2023 rev2 SRC2ERTA, ERCT") or
    /// the mix times per-source factors ("mix x IPCC AR5 direct factors").
    pub intensity_source: String,
    /// The crackdown risk and its reasons' summary.
    pub risk: SharedRisk,
    /// The day the risk is scored as of, as written.
    pub risk_as_of: String,
    /// The edition of the dataset whose figures give the mix, `id (vintage)` as datasets.csv
    /// lists it (`owid-ember (OWID download, series to 2023)`); several joined with `; `.
    pub data_edition: String,
    /// The warning of every site here when the data region's newest data are stale (issue 23,
    /// see [`crate::grid::GridData::staleness`]); none on most regions.
    pub stale_warning: Option<String>,
    /// Cells a writer encoded once for every site of this region (see [`EncodedCells`]).
    pub(crate) encoded: OnceLock<EncodedCells>,
}

impl Clone for RegionResult {
    /// A copy without the cells encoded for the original: a changed copy is encoded anew.
    fn clone(&self) -> Self {
        RegionResult {
            region: self.region.clone(),
            region_name: self.region_name.clone(),
            level: self.level,
            data_region: self.data_region.clone(),
            data_year: self.data_year,
            data_month: self.data_month.clone(),
            mix: self.mix.clone(),
            basis: self.basis,
            intensity_source: self.intensity_source.clone(),
            risk: self.risk.clone(),
            risk_as_of: self.risk_as_of.clone(),
            data_edition: self.data_edition.clone(),
            stale_warning: self.stale_warning.clone(),
            encoded: OnceLock::new(),
        }
    }
}

/// A region's cells as one way of writing encoded them (the writer's `layout`: which fields,
/// how text is written): the first layout of a run is kept; another is written cell by cell.
#[derive(Debug)]
pub(crate) struct EncodedCells {
    /// What the writer encoded them for.
    pub layout: Box<[u8]>,
    /// The bytes, one run of cells each.
    pub runs: Vec<Vec<u8>>,
}

/// A scored risk and its reasons' CSV summary, shared by the sites of one region and mix.
#[derive(Debug, Clone)]
pub struct SharedRisk {
    /// The score, level and reasons.
    pub risk: Risk,
    /// The reasons as CSV writes them: summaries joined with "; ".
    pub summary: String,
}

impl SharedRisk {
    /// The risk and its CSV summary.
    pub fn new(risk: Risk) -> SharedRisk {
        SharedRisk {
            summary: Reason::join(&risk.reasons),
            risk,
        }
    }
}

/// The 5th, 50th and 95th percentiles of the three headline numbers over the draws. Empty
/// without draws, or where the number itself is empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntervalFields {
    /// Intensity, gCO2e/kWh.
    pub intensity_g_per_kwh: Option<Interval>,
    /// Emissions, t CO2e per year.
    pub co2_t_per_year: Option<Interval>,
    /// Emissions per terahash, g CO2e/TH.
    pub co2_g_per_th: Option<Interval>,
}

/// The mix part of a site or region: every share, the group shares and the carbon intensity.
/// Exact here; output rounds them (see `output::fields`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MixFields {
    /// Share of each source, fractions, ordered like `Source::ALL`.
    pub shares: Option<[f64; SOURCE_COUNT]>,
    /// Coal + gas + oil share.
    pub fossil_share: Option<f64>,
    /// Hydro + wind + solar + bioenergy + other renewables share.
    pub renewable_share: Option<f64>,
    /// Renewable + nuclear share.
    pub low_carbon_share: Option<f64>,
    /// Carbon intensity of the mix, gCO2e/kWh.
    pub intensity_g_per_kwh: Option<f64>,
}

impl MixFields {
    /// The fields of a mix under the given emission factors.
    pub fn of(shares: [f64; SOURCE_COUNT], factors: &[f64; SOURCE_COUNT]) -> MixFields {
        let groups = super::groups(&shares);
        MixFields {
            shares: Some(shares),
            fossil_share: Some(groups.fossil),
            renewable_share: Some(groups.renewable),
            low_carbon_share: Some(groups.low_carbon),
            intensity_g_per_kwh: Some(super::intensity_g_per_kwh(&shares, factors)),
        }
    }
}
