//! Regions side by side: the mix, the intensity and the CO2 per terahash of a reference
//! machine in each region, for `hashmix compare`.

use serde::Serialize;

use crate::assess;
use crate::assess::result::{IntervalFields, Match, RegionResult, SiteFigures, SiteResult, SiteSize};
use crate::defaults::DEFAULT_PUE;
use crate::grid::{Level, RegionInfo};
use crate::grid::{SiteMix, UsedDatasets};
use crate::output::fields::{SITE_COLUMNS, SiteJson};
use crate::pipeline::{Assessor, rate_key};
use crate::regions::Zone;
use crate::sites::Position;
use crate::uncertainty::{PublishedRate, SiteInputs};

/// The schema name written in JSON output of `hashmix compare`.
pub const COMPARE_SCHEMA: &str = "hashmix.compare.v5";

/// One region's row: what the region determines for any site there, and a reference
/// machine's figures in it. It is written through the column table of `hashmix assess`
/// (`output::fields`) as the reference site's result, under the fields of [`COMPARE_FIELDS`].
#[derive(Debug, Clone)]
pub struct CompareRecord {
    /// The region, its data, mix and risk, as a site there gets them.
    pub region: RegionResult,
    /// Reference machine efficiency, J/TH.
    pub efficiency_j_per_th: f64,
    /// Reference PUE.
    pub pue: f64,
    /// g CO2e per terahash at the reference efficiency and PUE, and its 90% interval (empty
    /// without draws), with the intensity's.
    pub figures: SiteFigures,
    /// Fallbacks and derivations, joined with "; ".
    pub notes: String,
    /// The datasets the row draws on, for the output's `sources` (not a column).
    pub datasets: UsedDatasets,
    /// The grid zone the row is of (a zone's row only): its code, name and country.
    pub zone: Option<[String; 3]>,
}

impl CompareRecord {
    /// The reference site's result: what the column table reads.
    pub fn site(&self) -> SiteResult<'_> {
        SiteResult {
            matched: Some(Match::Declared),
            region: Some(&self.region),
            size: Some(SiteSize {
                efficiency_j_per_th: Some(self.efficiency_j_per_th),
                pue: Some(self.pue),
                ..SiteSize::default()
            }),
            figures: Some(self.figures.clone()),
            notes: self.notes.clone(),
            zone: self.zone.as_ref().map(|[code, name, country]| Zone {
                code,
                name,
                country,
                km_outside: None,
            }),
            ..SiteResult::new(Position::Line(0))
        }
    }

    /// The indexes of [`COMPARE_FIELDS`] in the column table, in their order.
    pub fn columns() -> Vec<usize> {
        COMPARE_FIELDS
            .iter()
            .filter_map(|name| SITE_COLUMNS.iter().position(|c| c.name == *name))
            .collect()
    }
}

impl Serialize for CompareRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let kept = CompareRecord::columns();
        SiteJson {
            result: &self.site(),
            kept: &kept,
        }
        .serialize(s)
    }
}

/// The fields of a compare row in output order: site fields of `hashmix assess`, whose
/// units, decimals and values the column table gives.
pub const COMPARE_FIELDS: [&str; 38] = [
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
    "basis",
    "intensity_source",
    "grid_zone",
    "data_edition",
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

/// Why a grid zone has no mix: its data is a published rate.
fn zone_without_data(zone: &crate::regions::Region) -> String {
    let country = zone.parent.as_deref().unwrap_or_default();
    format!(
        "{} ({}) is a grid zone of {country}: its data is a published rate, not a generation mix; use its country {country} (`hashmix regions --country {country}` lists its regions and zones)",
        zone.code, zone.name
    )
}

/// A region found by its code (or a former code), and the mix a site there gets.
pub struct RegionMix<'a> {
    /// The region the code names.
    pub region: &'a RegionInfo,
    /// Whether the code given is a former code of the region.
    pub former: bool,
    /// The mix a site in the region gets, with its data region, year and notes.
    pub mix: SiteMix,
}

/// Find a region by its code and the mix a site there gets, through the assessor's public,
/// read-only API; the error says why the region cannot be compared (or scored).
pub fn region_mix<'a>(assessor: &'a Assessor, code: &str) -> Result<RegionMix<'a>, CompareError> {
    let Some((region, former)) = assessor.grid.resolve(code) else {
        // A grid zone is a place hashmix knows, but its data is a published factor, not a
        // mix: never show its country's mix under its code.
        if let Some(zone) = assessor.zones.find(code) {
            return Err(CompareError::NoData(zone_without_data(zone)));
        }
        return Err(CompareError::Unknown(code.to_string(), closest_regions(assessor, code)));
    };
    let mix = assessor.site_mix(&region.code, None).ok_or_else(|| {
        CompareError::NoData(format!(
            "no generation data for {} in or before the year asked",
            region.code
        ))
    })?;
    // Issue 20: a territory with nothing of its own nor of a country's would show the
    // world's mix under its code; assess refuses a site there, and so does compare.
    if mix.data_region.level == Level::World && region.code != "WORLD" {
        return Err(CompareError::NoData(format!(
            "{} ({}) has no electricity data {}; compare WORLD for the world's mix",
            region.name,
            region.code,
            assessor.grid.lacking(&region.code)
        )));
    }
    Ok(RegionMix { region, former, mix })
}

/// Compare one region at a reference efficiency (J/TH) and PUE (`None`: the default PUE,
/// which the draws then vary).
pub fn compare(
    assessor: &Assessor,
    code: &str,
    efficiency: f64,
    pue: Option<f64>,
) -> Result<CompareRecord, CompareError> {
    let pue_given = pue.is_some();
    let pue = pue.unwrap_or(DEFAULT_PUE);
    if assessor.grid.resolve(code).is_none()
        && let Some(zone) = assessor.zones.find(code)
    {
        return compare_zone(assessor, zone, efficiency * pue, pue_given).map(|r| CompareRecord {
            pue,
            efficiency_j_per_th: efficiency,
            ..r
        });
    }
    let RegionMix { region, former, mix } = region_mix(assessor, code)?;
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
    let intensity = assessor.region_intensity(&region.code, &mix);
    notes.extend(intensity.notes.iter().cloned());
    let region_result = assessor.region_result(region, &mix, &intensity);
    let datasets = assessor
        .mix_datasets(&mix, &region_result.risk.risk)
        .with(assessor.intensity_datasets(&intensity));
    let g_per_th = assess::co2_g_per_th(efficiency * pue, intensity.g_per_kwh);
    let intervals = assessor.monte_carlo.as_ref().map(|mc| {
        let inputs = SiteInputs {
            power_measured: false,
            pue_given,
            uptime_given: true,
        };
        let key = rate_key(&mix, intensity.published_year);
        let rate = intensity.published.as_deref().map(|dataset| PublishedRate {
            dataset,
            g_per_kwh: intensity.g_per_kwh,
        });
        let class = mc.class_at(&assessor.grid, &key, &mix.shares, inputs, rate);
        class.intervals(0.0, Some(efficiency * pue))
    });
    notes.extend(intervals.as_ref().and_then(|i| i.note.clone()));
    // Issue 23: a row has no warnings field; a stale region says so at the end of its notes
    // (and `hashmix compare` prints it to standard error).
    notes.extend(region_result.stale_warning.clone());
    let intervals = row_intervals(intervals.as_ref());
    Ok(CompareRecord {
        region: region_result,
        efficiency_j_per_th: efficiency,
        pue,
        figures: SiteFigures {
            co2_g_per_th: Some(g_per_th),
            co2_kg_per_ths_day: Some(assess::co2_kg_per_ths_day(g_per_th)),
            intervals,
            ..SiteFigures::default()
        },
        notes: notes.join("; "),
        datasets,
        zone: None,
    })
}

/// A grid zone's row (issue 22): its published rate on the run's basis, without shares (the
/// data has none for a zone: they stay empty, never filled from another region), and the risk of
/// its country. `j_per_th`: the reference efficiency x PUE. Its intervals are drawn around the
/// rate with the relative spread of its country's mix (the zone has none of its own).
fn compare_zone(
    assessor: &Assessor,
    zone: &crate::regions::Region,
    j_per_th: f64,
    pue_given: bool,
) -> Result<CompareRecord, CompareError> {
    let country = zone.parent.as_deref().unwrap_or_default();
    let basis = assessor.basis.name();
    let Some(rate) = assessor.published_rate(&zone.code) else {
        let why = match assessor.published.has(&zone.code, assessor.basis) {
            true => "give --factors published".to_string(),
            false => format!("none is published on the {basis} basis"),
        };
        return Err(CompareError::NoData(format!(
            "{} ({}) is a grid zone of {country}: hashmix knows its intensity only as a published rate ({why}); compare its country {country} instead (`hashmix regions --country {country}` lists its regions and zones)",
            zone.code, zone.name
        )));
    };
    let rate_year = rate.year;
    let country_region = assessor.grid.region(country);
    let country_mix = assessor.site_mix(country, None);
    let (Some(country_region), Some(country_mix)) = (country_region, country_mix) else {
        return Err(CompareError::NoData(format!(
            "no generation data for {country}, {}'s country",
            zone.code
        )));
    };
    let mut notes = vec![format!(
        "shares: no data for grid zone {} (its published rate has no generation mix); risk: that of its country {country}",
        zone.code
    )];
    notes.extend(rate.note.as_ref().map(|n| format!("{}: {n}", rate.source)));
    let intervals = assessor.monte_carlo.as_ref().map(|mc| {
        let inputs = SiteInputs {
            power_measured: false,
            pue_given,
            uptime_given: true,
        };
        let rate = PublishedRate {
            dataset: &rate.dataset,
            g_per_kwh: rate.g_per_kwh,
        };
        let key = rate_key(&country_mix, Some(rate_year));
        mc.published_class(&assessor.grid, &key, &country_mix.shares, inputs, rate)
            .intervals(0.0, Some(j_per_th))
    });
    if intervals.is_some() {
        notes.push(format!(
            "intervals: drawn around the rate with the relative spread of {country}'s mix"
        ));
    }
    notes.extend(intervals.as_ref().and_then(|i| i.note.clone()));
    let region = RegionResult {
        region: zone.code.clone(),
        region_name: zone.name.clone(),
        level: Level::Zone,
        data_region: zone.code.clone(),
        data_year: rate.year,
        data_month: None,
        mix: crate::assess::result::MixFields {
            intensity_g_per_kwh: Some(rate.g_per_kwh),
            ..Default::default()
        },
        basis: assessor.basis,
        intensity_source: rate.source.clone(),
        risk: assessor.risk_of(&country_region.code, &country_mix),
        risk_as_of: assessor.as_of.to_string(),
        // The zone's data are its published rate.
        data_edition: assessor.grid.editions(assessor.grid.used_dataset(&rate.dataset)),
        stale_warning: None,
        encoded: Default::default(),
    };
    let datasets = assessor
        .mix_datasets(&country_mix, &region.risk.risk)
        .with(assessor.grid.used_dataset(&rate.dataset));
    let g_per_th = assess::co2_g_per_th(j_per_th, rate.g_per_kwh);
    Ok(CompareRecord {
        region,
        efficiency_j_per_th: 0.0,
        pue: 0.0,
        figures: SiteFigures {
            co2_g_per_th: Some(g_per_th),
            co2_kg_per_ths_day: Some(assess::co2_kg_per_ths_day(g_per_th)),
            intervals: row_intervals(intervals.as_ref()),
            ..SiteFigures::default()
        },
        notes: notes.join("; "),
        datasets,
        zone: Some([zone.code.clone(), zone.name.clone(), country.to_string()]),
    })
}

/// A compare row's intervals: intensity and CO2 per terahash (a reference machine has no
/// yearly CO2).
fn row_intervals(i: Option<&crate::uncertainty::SiteIntervals>) -> IntervalFields {
    IntervalFields {
        intensity_g_per_kwh: i.map(|i| i.intensity_g_per_kwh),
        co2_t_per_year: None,
        co2_g_per_th: i.and_then(|i| i.co2_g_per_th),
    }
}

/// Up to three region codes or names closest to a text, for error messages.
fn closest_regions(assessor: &Assessor, text: &str) -> Vec<String> {
    let t = text.trim().to_lowercase();
    let mut scored: Vec<(f64, String)> = assessor
        .grid
        .regions()
        .map(|r| {
            let s =
                strsim::jaro_winkler(&t, &r.code.to_lowercase()).max(strsim::jaro_winkler(&t, &r.name.to_lowercase()));
            (s, format!("{} ({})", r.code, r.name))
        })
        .filter(|(s, _)| *s > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(3).map(|(_, s)| s).collect()
}
