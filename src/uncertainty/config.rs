//! The uncertainty model's parameters, read from grid-data/uncertainty.toml and checked once.

use serde::Deserialize;

use crate::Error;
use crate::defaults::{DEFAULT_PUE, DEFAULT_UPTIME};

/// The schema an uncertainty file must declare.
pub const UNCERTAINTY_SCHEMA: &str = "hashmix.uncertainty.v1";

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
}

impl Config {
    /// Parse and check uncertainty.toml.
    pub fn parse(text: &str) -> Result<Config, Error> {
        let err = |message: String| Error::GridData {
            file: "uncertainty.toml".into(),
            message,
        };
        let c: Config = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        if c.schema != UNCERTAINTY_SCHEMA {
            return Err(err(format!("schema '{}': expected {UNCERTAINTY_SCHEMA}", c.schema)));
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
    fn an_unknown_key_is_refused() {
        let text = embedded().replace("[mix]", "[mix]\nyears = 3");
        assert!(Config::parse(&text).is_err());
    }
}
