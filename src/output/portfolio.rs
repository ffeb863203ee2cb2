//! The portfolio's totals as written after the sites, in every format.

use serde::Serialize;
use serde::ser::SerializeMap;

use super::round;
use crate::assess::result::IntervalFields;
use crate::assess::{self, Portfolio};
use crate::source::SOURCE_COUNT;

/// The intervals as written: `<name>_p05`, `<name>_p50`, `<name>_p95` with the headline
/// numbers' rounding (the portfolio's totals).
impl Serialize for IntervalFields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(9))?;
        interval(&mut map, &INTENSITY, self.intensity_g_per_kwh, 3)?;
        interval(&mut map, &CO2_T, self.co2_t_per_year, 3)?;
        interval(&mut map, &CO2_G_PER_TH, self.co2_g_per_th, 9)?;
        map.end()
    }
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
    /// Scope 1, 2 and 3 (category 3) totals and the energy mix (v8, issue 24).
    #[serde(flatten)]
    pub scope: ScopeRecord,
}

/// The portfolio's Scope totals as written: the sums of the sites' fields of the same names
/// (none on a run on the lifecycle basis, which has no Scope figures).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScopeRecord {
    /// Electricity from the grid, MWh per year.
    #[serde(serialize_with = "round::r3")]
    pub grid_mwh_per_year: Option<f64>,
    /// Electricity generated on site, MWh per year.
    #[serde(serialize_with = "round::r3")]
    pub onsite_mwh_per_year: Option<f64>,
    /// Gross Scope 1, t CO2e per year.
    #[serde(serialize_with = "round::r3")]
    pub scope1_t_per_year: Option<f64>,
    /// Gross Scope 2 location-based, t CO2e per year.
    #[serde(serialize_with = "round::r3")]
    pub scope2_location_t_per_year: Option<f64>,
    /// Gross Scope 2 market-based, t CO2e per year.
    #[serde(serialize_with = "round::r3")]
    pub scope2_market_t_per_year: Option<f64>,
    /// Grid MWh covered by accepted certificates and PPAs.
    #[serde(serialize_with = "round::r3")]
    pub market_instruments_mwh_per_year: Option<f64>,
    /// Grid MWh at supplier rates.
    #[serde(serialize_with = "round::r3")]
    pub market_supplier_mwh_per_year: Option<f64>,
    /// Grid MWh at the residual mix.
    #[serde(serialize_with = "round::r3")]
    pub market_residual_mwh_per_year: Option<f64>,
    /// Grid MWh at the location-based factor for want of anything else (flagged).
    #[serde(serialize_with = "round::r3")]
    pub market_location_fallback_mwh_per_year: Option<f64>,
    /// Sites whose market-based figure falls back in part to the location-based factor.
    pub sites_market_fallback: Option<u64>,
    /// Scope 3 category 3 (upstream of purchased electricity), t CO2e per year.
    #[serde(serialize_with = "round::r3")]
    pub scope3_upstream_t_per_year: Option<f64>,
    /// Methane avoided by flare gas, t CO2e per year (apart, never netted).
    #[serde(serialize_with = "round::r3")]
    pub flare_methane_avoided_t_per_year: Option<f64>,
    /// Energy consumption from fossil sources (fuel burnt and purchased), MWh per year.
    #[serde(serialize_with = "round::r3")]
    pub energy_fossil_mwh_per_year: Option<f64>,
    /// Energy consumption from nuclear, MWh per year.
    #[serde(serialize_with = "round::r3")]
    pub energy_nuclear_mwh_per_year: Option<f64>,
    /// Energy consumption from renewable sources, MWh per year.
    #[serde(serialize_with = "round::r3")]
    pub energy_renewable_mwh_per_year: Option<f64>,
}

impl ScopeRecord {
    /// The record of a portfolio's Scope totals.
    pub fn of(t: &crate::scope::ScopeTotals) -> ScopeRecord {
        if t.sites == 0 {
            return ScopeRecord::default();
        }
        ScopeRecord {
            grid_mwh_per_year: Some(t.grid_mwh),
            onsite_mwh_per_year: Some(t.onsite_mwh),
            scope1_t_per_year: Some(t.scope1_t),
            scope2_location_t_per_year: Some(t.scope2_location_t),
            scope2_market_t_per_year: Some(t.scope2_market_t()),
            market_instruments_mwh_per_year: Some(t.market.instruments.mwh),
            market_supplier_mwh_per_year: Some(t.market.supplier.mwh),
            market_residual_mwh_per_year: Some(t.market.residual.mwh),
            market_location_fallback_mwh_per_year: Some(t.market.location.mwh),
            sites_market_fallback: Some(t.sites_falling_back),
            scope3_upstream_t_per_year: Some(t.scope3_upstream_t),
            flare_methane_avoided_t_per_year: (t.flare_sites > 0 && t.flare_sites_without_methane == 0)
                .then_some(t.methane_avoided_t),
            energy_fossil_mwh_per_year: Some(t.energy.fossil_mwh()),
            energy_nuclear_mwh_per_year: Some(t.energy.purchased_nuclear_mwh),
            energy_renewable_mwh_per_year: Some(t.energy.renewable_mwh()),
        }
    }
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
            scope: ScopeRecord::of(&p.scope),
        }
    }
}

impl PortfolioRecord {
    /// The portfolio's record from an assessor's run, with its intervals when there are draws.
    pub fn of(assessor: &crate::pipeline::Assessor, portfolio: &Portfolio) -> PortfolioRecord {
        let mut record = PortfolioRecord::from(portfolio);
        if let Some(i) = assessor
            .monte_carlo
            .as_ref()
            .and_then(|mc| mc.portfolio(&assessor.grid, &portfolio.by_class))
        {
            record.intervals = IntervalFields {
                intensity_g_per_kwh: i.intensity_g_per_kwh,
                co2_t_per_year: Some(i.co2_t_per_year),
                co2_g_per_th: i.co2_g_per_th,
            };
        }
        record
    }
}

/// The entries `<name>_p05`, `<name>_p50` and `<name>_p95` of an interval, `d` decimals
/// (null without one).
fn interval<M: SerializeMap>(
    map: &mut M,
    keys: &[&str; 3],
    interval: Option<crate::uncertainty::Interval>,
    d: i32,
) -> Result<(), M::Error> {
    let values = interval.map(|i| [i.p05, i.p50, i.p95]);
    for (k, key) in keys.iter().enumerate() {
        map.serialize_entry(key, &round::Rounded(values.map(|v| v[k]), d))?;
    }
    Ok(())
}

/// The interval fields of the intensity.
const INTENSITY: [&str; 3] = [
    "intensity_g_per_kwh_p05",
    "intensity_g_per_kwh_p50",
    "intensity_g_per_kwh_p95",
];
/// The interval fields of the emissions per year.
const CO2_T: [&str; 3] = ["co2_t_per_year_p05", "co2_t_per_year_p50", "co2_t_per_year_p95"];
/// The interval fields of the emissions per terahash.
const CO2_G_PER_TH: [&str; 3] = ["co2_g_per_th_p05", "co2_g_per_th_p50", "co2_g_per_th_p95"];

impl PortfolioRecord {
    /// ", N with warnings" after a count of sites, or nothing when no site has a warning: the
    /// table's and the report's summaries say it alike.
    pub fn with_warnings(&self) -> String {
        match self.sites_with_warnings {
            0 => String::new(),
            n => format!(", {n} with warnings"),
        }
    }
}
