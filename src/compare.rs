//! Regions side by side: the mix, the intensity and the CO2 per terahash of a reference
//! machine in each region, for `hashmix compare`.

use serde::Serialize;

use crate::assess;
use crate::grid::Level;
use crate::pipeline::{Assessor, MixFields, mix_key, round};
use crate::uncertainty::{Interval, SiteInputs};

/// The schema name written in JSON output of `hashmix compare`.
pub const COMPARE_SCHEMA: &str = "hashmix.compare.v3";

/// Reference efficiency when `--efficiency` is not given, J/TH: the Antminer S19j Pro's in the
/// miner catalogue, a machine generation that made up much of the 2021-2024 fleet.
pub const DEFAULT_EFFICIENCY_J_PER_TH: f64 = 29.5;

/// One region's row. Field names are those of `hashmix assess`.
#[derive(Debug, Clone, Serialize)]
pub struct CompareRecord {
    /// The region's current code.
    pub region: String,
    /// Its name.
    pub region_name: String,
    /// Level of the data used: world, national or subnational.
    pub region_level: String,
    /// The region whose data was used (the region itself, or a parent).
    pub data_region: String,
    /// Year of the data used.
    pub data_year: u16,
    /// Months of the monthly data used (`8`, `1-2`); empty for annual data.
    pub data_month: Option<String>,
    /// Shares, group shares and intensity, as in `hashmix assess`.
    #[serde(flatten)]
    pub mix: MixFields,
    /// Reference machine efficiency, J/TH.
    #[serde(serialize_with = "round::r6")]
    pub efficiency_j_per_th: Option<f64>,
    /// Reference PUE.
    #[serde(serialize_with = "round::r6")]
    pub pue: Option<f64>,
    /// g CO2e per terahash at the reference efficiency and PUE.
    #[serde(serialize_with = "round::r9")]
    pub co2_g_per_th: Option<f64>,
    /// kg CO2e of one TH/s for one day.
    #[serde(serialize_with = "round::r6")]
    pub co2_kg_per_ths_day: Option<f64>,
    /// Fallbacks and derivations, joined with "; ".
    pub notes: String,
    /// Crackdown risk of a site in the region, 0-100 (see METHOD.md).
    pub risk_score: u8,
    /// low, elevated, high or severe.
    pub risk_level: &'static str,
    /// The day the risk is scored as of.
    pub risk_as_of: String,
    /// Why: one object per rule and event (CSV: summaries joined with "; ").
    pub risk_reasons: Vec<crate::risk::Reason>,
    /// The 90% intervals of the intensity and of CO2 per terahash (empty without draws).
    #[serde(flatten)]
    pub intervals: RegionIntervals,
}

/// `intensity_g_per_kwh_p05/_p50/_p95` and `co2_g_per_th_p05/_p50/_p95` of a region.
#[derive(Debug, Clone, Default)]
pub struct RegionIntervals {
    /// Intensity, gCO2e/kWh.
    pub intensity_g_per_kwh: Option<Interval>,
    /// g CO2e per terahash of the reference machine.
    pub co2_g_per_th: Option<Interval>,
}

impl Serialize for RegionIntervals {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(6))?;
        round::interval(&mut map, &round::INTENSITY, self.intensity_g_per_kwh, 3)?;
        round::interval(&mut map, &round::CO2_G_PER_TH, self.co2_g_per_th, 9)?;
        map.end()
    }
}

/// The fields of [`CompareRecord`] in output order.
pub const COMPARE_FIELDS: [&str; 34] = [
    "region",
    "region_name",
    "region_level",
    "data_region",
    "data_year",
    "data_month",
    "coal_share",
    "gas_share",
    "oil_share",
    "nuclear_share",
    "hydro_share",
    "wind_share",
    "solar_share",
    "bioenergy_share",
    "other_renewables_share",
    "fossil_share",
    "renewable_share",
    "low_carbon_share",
    "intensity_g_per_kwh",
    "efficiency_j_per_th",
    "pue",
    "co2_g_per_th",
    "co2_kg_per_ths_day",
    "notes",
    "risk_score",
    "risk_level",
    "risk_as_of",
    "risk_reasons",
    "intensity_g_per_kwh_p05",
    "intensity_g_per_kwh_p50",
    "intensity_g_per_kwh_p95",
    "co2_g_per_th_p05",
    "co2_g_per_th_p50",
    "co2_g_per_th_p95",
];

/// Why a region cannot be compared.
#[derive(Debug, Clone, PartialEq)]
pub enum CompareError {
    /// Not a code hashmix knows; the closest codes and names.
    Unknown(String, Vec<String>),
    /// Known, but without data at or before the year.
    NoData(String),
}

impl std::fmt::Display for CompareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompareError::Unknown(code, close) if close.is_empty() => {
                write!(f, "unknown region {code}; see `hashmix regions`")
            }
            CompareError::Unknown(code, close) => {
                write!(
                    f,
                    "unknown region {code}; closest: {} (see `hashmix regions`)",
                    close.join(", ")
                )
            }
            CompareError::NoData(m) => write!(f, "{m}"),
        }
    }
}

/// Why a grid zone cannot be compared yet.
fn zone_without_data(zone: &crate::regions::Region) -> String {
    let country = zone.parent.as_deref().unwrap_or_default();
    format!(
        "{} ({}) is a grid zone of {country}: zone data comes from published factors, which this version of hashmix does not read yet; compare its country {country} instead (`hashmix regions --country {country}` lists its regions and zones)",
        zone.code, zone.name
    )
}

impl Assessor {
    /// Compare one region at a reference efficiency (J/TH) and PUE (`None`: the default PUE,
    /// which the draws then vary).
    pub fn compare(&self, code: &str, efficiency: f64, pue: Option<f64>) -> Result<CompareRecord, CompareError> {
        let pue_given = pue.is_some();
        let pue = pue.unwrap_or(crate::sites::DEFAULT_PUE);
        let Some((region, former)) = self.grid.resolve(code) else {
            // A grid zone is a place hashmix knows, but its data is a published factor, not a
            // mix: never show its country's mix under its code.
            if let Some(zone) = self.zones.find(code) {
                return Err(CompareError::NoData(zone_without_data(zone)));
            }
            return Err(CompareError::Unknown(code.to_string(), self.closest_regions(code)));
        };
        let mix = self.site_mix(&region.code, None).ok_or_else(|| {
            CompareError::NoData(format!(
                "no generation data for {} in or before the year asked",
                region.code
            ))
        })?;
        // Issue 20: a territory with nothing of its own nor of a country's would show the
        // world's mix under its code; assess refuses a site there, and so does compare.
        if mix.data_region.level == Level::World && region.code != "WORLD" {
            return Err(CompareError::NoData(format!(
                "{} ({}) has no electricity data of its own; compare WORLD for the world's mix",
                region.name, region.code
            )));
        }
        let mut notes = Vec::new();
        if former {
            notes.push(format!(
                "{} is a former code of {}",
                code.trim().to_uppercase(),
                region.code
            ));
        }
        if let Some(n) = &region.note {
            notes.push(format!("{}: {n}", region.code));
        }
        notes.extend(mix.notes.iter().cloned());
        let fields = MixFields::of(mix.shares, &self.factors.g_per_kwh);
        let risk = self.risk_of(&region.code, &mix);
        let intensity = fields.intensity_g_per_kwh.unwrap_or_default();
        let g_per_th = assess::co2_g_per_th(efficiency * pue, intensity);
        let intervals = self.monte_carlo.as_ref().map(|mc| {
            let inputs = SiteInputs {
                power_measured: false,
                pue_given,
                uptime_given: true,
            };
            mc.site(
                &self.grid,
                &mix_key(&mix),
                &mix.shares,
                inputs,
                0.0,
                Some(efficiency * pue),
            )
        });
        notes.extend(intervals.as_ref().and_then(|i| i.note.clone()));
        let intervals = RegionIntervals {
            intensity_g_per_kwh: intervals.as_ref().map(|i| i.intensity_g_per_kwh),
            co2_g_per_th: intervals.as_ref().and_then(|i| i.co2_g_per_th),
        };
        Ok(CompareRecord {
            region: region.code.clone(),
            region_name: region.name.clone(),
            region_level: mix.data_region.level.name().to_string(),
            data_region: mix.data_region.code.clone(),
            data_year: mix.data_year,
            data_month: mix.data_month.clone(),
            mix: fields,
            efficiency_j_per_th: Some(efficiency),
            pue: Some(pue),
            co2_g_per_th: Some(g_per_th),
            co2_kg_per_ths_day: Some(assess::co2_kg_per_ths_day(g_per_th)),
            notes: notes.join("; "),
            risk_score: risk.risk.score,
            risk_level: risk.risk.level,
            risk_as_of: self.as_of.to_string(),
            risk_reasons: risk.risk.reasons.clone(),
            intervals,
        })
    }

    /// Up to three region codes or names closest to a text, for error messages.
    fn closest_regions(&self, text: &str) -> Vec<String> {
        let t = text.trim().to_lowercase();
        let mut scored: Vec<(f64, String)> = self
            .grid
            .regions()
            .map(|r| {
                let s = strsim::jaro_winkler(&t, &r.code.to_lowercase())
                    .max(strsim::jaro_winkler(&t, &r.name.to_lowercase()));
                (s, format!("{} ({})", r.code, r.name))
            })
            .filter(|(s, _)| *s > 0.8)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        scored.into_iter().take(3).map(|(_, s)| s).collect()
    }
}
