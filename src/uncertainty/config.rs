//! The uncertainty model's parameters, read from grid-data/uncertainty.toml and checked once.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::Error;
use crate::defaults::{DEFAULT_PUE, DEFAULT_UPTIME};

/// The schema of the embedded uncertainty file: v1 with `[published]` and `[hydro_climate]`.
pub const UNCERTAINTY_SCHEMA: &str = "hashmix.uncertainty.v2";
/// The schema before issue 22, still read: without those two sections, hydro is drawn on IPCC's
/// range everywhere and every published rate takes the mix model's relative spread.
pub const UNCERTAINTY_SCHEMA_V1: &str = "hashmix.uncertainty.v1";

/// Where the emission factors' range sits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorRange {
    /// The quantile at which the published maximum sits (the minimum at 1 minus it).
    pub range_percentile: f64,
    /// Citation.
    pub source: String,
}

/// A range of an input, with its citation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Lowest value.
    pub low: f64,
    /// Highest value.
    pub high: f64,
    /// Citation.
    pub source: String,
}

/// How the mix's history is used.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MixHistory {
    /// How many years back changes are taken from.
    pub history_years: u16,
    /// Fewest changes a region needs before its parent's are used.
    pub min_changes: usize,
    /// Citation.
    pub source: String,
}

/// How a published rate's draws spread around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Spread {
    /// The mix model's draws for the same region, rescaled so that their median is the rate.
    Mix,
}

/// The spread of one published dataset's rates, with its citation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedSpread {
    /// How the draws spread.
    pub spread: Spread,
    /// Citation (or why there is none).
    pub source: String,
}

/// Hydropower's lifecycle range outside the tropics, and each region's share of hydro within them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HydroClimate {
    /// Hydro within this many degrees of the equator is tropical.
    pub tropics_latitude: f64,
    /// Citation of the tropics' latitude.
    pub tropics_source: String,
    /// Lowest hydro factor outside the tropics, gCO2e/kWh.
    pub extratropical_min: f64,
    /// Highest hydro factor outside the tropics, gCO2e/kWh.
    pub extratropical_max: f64,
    /// Citation of the range.
    pub source: String,
    /// Citation of the tropical shares.
    pub share_source: String,
    /// Each region's share (0-1) of hydro capacity within the tropics (tools/hydro_tropical_shares.py).
    pub tropical_share: BTreeMap<String, f64>,
}

/// Every parameter of the uncertainty model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Must be [`UNCERTAINTY_SCHEMA`].
    pub schema: String,
    /// Emission factors.
    pub factors: FactorRange,
    /// Efficiency multiplier against the nameplate.
    pub efficiency: Range,
    /// PUE when a site gives none.
    pub pue: Range,
    /// Uptime when a site gives none.
    pub uptime: Range,
    /// The mix between its data year and the year asked for.
    pub mix: MixHistory,
    /// Each published dataset's spread, by dataset id (v2; none in v1).
    #[serde(default)]
    pub published: BTreeMap<String, PublishedSpread>,
    /// Hydro's range outside the tropics (v2; none in v1).
    #[serde(default)]
    pub hydro_climate: Option<HydroClimate>,
}

impl Config {
    /// Parse and check uncertainty.toml.
    pub fn parse(text: &str) -> Result<Config, Error> {
        let err = |message: String| Error::GridData {
            file: "uncertainty.toml".into(),
            message,
        };
        let c: Config = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let v1 = c.schema == UNCERTAINTY_SCHEMA_V1;
        if !v1 && c.schema != UNCERTAINTY_SCHEMA {
            return Err(err(format!(
                "schema '{}': expected {UNCERTAINTY_SCHEMA} (or {UNCERTAINTY_SCHEMA_V1})",
                c.schema
            )));
        }
        if v1 && (c.hydro_climate.is_some() || !c.published.is_empty()) {
            return Err(err(format!(
                "[published] and [hydro_climate] are new in {UNCERTAINTY_SCHEMA}: declare that schema to use them"
            )));
        }
        if let Some(h) = &c.hydro_climate {
            check_hydro_climate(h).map_err(err)?;
        }
        let p = c.factors.range_percentile;
        if !(p > 0.5 && p < 1.0) {
            return Err(err(format!(
                "factors.range_percentile {p}: expected above 0.5 and below 1"
            )));
        }
        let check = |name: &str, r: &Range, central: f64, floor: f64, ceiling: f64| {
            let ok = r.low.is_finite()
                && r.high.is_finite()
                && floor <= r.low
                && r.low <= central
                && central <= r.high
                && r.high <= ceiling;
            if ok {
                Ok(())
            } else {
                Err(err(format!(
                    "{name}: low {} and high {} must hold {central} and lie within {floor}-{ceiling}",
                    r.low, r.high
                )))
            }
        };
        check("efficiency", &c.efficiency, 1.0, f64::MIN_POSITIVE, f64::MAX)?;
        check("pue", &c.pue, DEFAULT_PUE, 1.0, 3.0)?;
        check("uptime", &c.uptime, DEFAULT_UPTIME, f64::MIN_POSITIVE, 1.0)?;
        if c.mix.history_years == 0 || c.mix.min_changes == 0 {
            return Err(err("mix.history_years and mix.min_changes must be at least 1".into()));
        }
        Ok(c)
    }
}

/// A tropics latitude within 0-90 degrees, a range above zero, and shares within 0-1.
fn check_hydro_climate(h: &HydroClimate) -> Result<(), String> {
    if !(0.0..=90.0).contains(&h.tropics_latitude) {
        return Err(format!(
            "hydro_climate.tropics_latitude {}: expected 0 to 90 degrees",
            h.tropics_latitude
        ));
    }
    if !(h.extratropical_min > 0.0 && h.extratropical_min <= h.extratropical_max && h.extratropical_max.is_finite()) {
        return Err(format!(
            "hydro_climate: extratropical_min {} and extratropical_max {} must be above 0, the min at most the max",
            h.extratropical_min, h.extratropical_max
        ));
    }
    match h.tropical_share.iter().find(|(_, s)| !(0.0..=1.0).contains(*s)) {
        Some((region, s)) => Err(format!("hydro_climate.tropical_share: {region} = {s}, expected 0 to 1")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> String {
        crate::grid::GridFiles::embedded().uncertainty.to_string()
    }

    #[test]
    fn the_embedded_model_parses() {
        let c = Config::parse(&embedded()).unwrap();
        assert_eq!(c.factors.range_percentile, 0.995);
        assert_eq!((c.pue.low, c.pue.high), (1.01, 1.20));
        assert_eq!((c.uptime.low, c.uptime.high), (0.82, 1.0));
    }

    #[test]
    fn a_pue_range_that_misses_the_default_is_refused() {
        let text = embedded().replace("low = 1.01", "low = 1.10");
        let e = Config::parse(&text).unwrap_err().to_string();
        assert!(e.contains("pue: low 1.1 and high 1.2 must hold 1.05"), "{e}");
    }

    #[test]
    fn the_embedded_model_places_the_hydro_of_quebec_norway_and_paraguay_outside_the_tropics() {
        let c = Config::parse(&embedded()).unwrap();
        let h = c.hydro_climate.expect("v2 has hydro_climate");
        assert_eq!(
            (h.tropics_latitude, h.extratropical_min, h.extratropical_max),
            (23.44, 6.0, 147.0)
        );
        // From tools/hydro_tropical_shares.py and GEM's operating units: Paraguay's centroid lies
        // inside the Tropic of Capricorn (-23.23), but its dams, Itaipu (25.4 S) and Yacyreta
        // (27.5 S), lie outside; 71.85% of Brazil's hydro capacity lies inside.
        assert_eq!(h.tropical_share["CA-QC"], 0.0);
        assert_eq!(h.tropical_share["NO"], 0.0);
        assert_eq!(h.tropical_share["PY"], 0.0);
        assert_eq!(h.tropical_share["BR"], 0.7185);
        assert_eq!(h.tropical_share["CD"], 1.0);
        assert_eq!(c.published["ember-api"].spread, Spread::Mix);
    }

    #[test]
    fn a_v1_file_is_still_read_and_a_v1_file_with_the_new_sections_is_refused() {
        // Issue 22: the schema became v2; a copied grid-data/ of v1 keeps working.
        let text = embedded();
        let v1 = text.replace(UNCERTAINTY_SCHEMA, UNCERTAINTY_SCHEMA_V1);
        let old = v1.split("\n[published]").next().unwrap().to_string();
        let c = Config::parse(&old).unwrap();
        assert!(c.hydro_climate.is_none() && c.published.is_empty());
        let e = Config::parse(&v1).unwrap_err().to_string();
        assert!(e.contains("new in hashmix.uncertainty.v2"), "{e}");
        let e = Config::parse(&text.replace(UNCERTAINTY_SCHEMA, "hashmix.uncertainty.v9"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("expected hashmix.uncertainty.v2 (or hashmix.uncertainty.v1)"),
            "{e}"
        );
    }

    #[test]
    fn a_hydro_range_below_zero_or_a_share_above_one_is_refused() {
        let e = Config::parse(&embedded().replace("extratropical_min = 6.0", "extratropical_min = 0.0"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("extratropical_min 0 and extratropical_max 147"), "{e}");
        let e = Config::parse(&embedded().replace("\"NO\" = 0.0", "\"NO\" = 1.5"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("NO = 1.5, expected 0 to 1"), "{e}");
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let text = embedded().replace("[mix]", "[mix]\nyears = 3");
        assert!(Config::parse(&text).is_err());
    }
}
