//! The emission factors' distributions: IPCC's lifecycle ranges (or a factor file's own), and
//! hydro's narrower range outside the tropics (issue 22: a single global range up to 2,200
//! gCO2e/kWh, which comes from warm reservoirs, put Quebec's and Norway's 95th percentile near
//! 400 gCO2e/kWh against published lifecycle figures near 25).

use std::collections::BTreeMap;

use super::config::Config;
use super::distributions::SplitLogNormal;
use crate::Error;
use crate::grid::factors::Factors;
use crate::source::{SOURCE_COUNT, Source};

/// The emission factors' distributions: one per source with a published range; the others
/// are held at their value.
#[derive(Debug, Clone)]
pub struct FactorModel {
    /// The factor of each source at the headline (gCO2e/kWh).
    pub central: [f64; SOURCE_COUNT],
    /// The distribution of each source with a range.
    pub ranges: [Option<SplitLogNormal>; SOURCE_COUNT],
    /// (min, max) of each source with a range, for the description.
    pub bounds: [Option<(f64, f64)>; SOURCE_COUNT],
    /// Citation of the ranges.
    pub source: String,
    /// Hydro outside the tropics, when the model has it and the factors are the embedded
    /// lifecycle ones (hydro with a range).
    pub hydro_climate: Option<HydroModel>,
}

/// Hydro's distribution outside the tropics, and how much of each region's hydro lies there.
#[derive(Debug, Clone)]
pub struct HydroModel {
    /// The distribution outside the tropics (the same median as inside).
    pub extratropical: SplitLogNormal,
    /// Its (min, max), for the description.
    pub bounds: (f64, f64),
    /// Degrees from the equator within which hydro is tropical.
    pub tropics_latitude: f64,
    /// Each region's share of hydro capacity within the tropics.
    tropical_share: BTreeMap<String, f64>,
    /// Citation of the range, of the tropics' latitude and of the shares.
    pub source: String,
}

impl HydroModel {
    /// The share (0-1) of `region`'s hydro within the tropics; 1 for a region not in the table,
    /// which so keeps the wider range.
    pub fn tropical_share(&self, region: &str) -> f64 {
        self.tropical_share.get(region).copied().unwrap_or(1.0)
    }
}

/// The error of a range that does not hold its median.
fn unheld(what: &str, min: f64, median: f64, max: f64) -> Error {
    Error::GridData {
        file: "emission-factors.csv".into(),
        message: format!("{what}: min {min}, median {median}, max {max} do not hold the median"),
    }
}

impl FactorModel {
    /// The distributions of a set of factors: a split log-normal within each source's range
    /// (the IPCC's for the lifecycle factors, the user's own in a factor file); sources without
    /// a range are held fixed.
    pub fn of(factors: &Factors, config: &Config) -> Result<FactorModel, Error> {
        let mut model = FactorModel::fixed(factors.g_per_kwh);
        let p = config.factors.range_percentile;
        for s in Source::ALL {
            let i = s.index();
            let Some((min, max)) = factors.ranges[i] else { continue };
            let median = factors.g_per_kwh[i];
            let d = SplitLogNormal::new(min, median, max, p).ok_or_else(|| unheld(s.name(), min, median, max))?;
            model.ranges[i] = Some(d);
            model.bounds[i] = Some((min, max));
        }
        model.source = if factors.is_user() {
            factors.label.clone()
        } else {
            config.factors.source.clone()
        };
        let hydro = Source::Hydro.index();
        if let (Some(h), false, Some(_)) = (&config.hydro_climate, factors.is_user(), factors.ranges[hydro]) {
            let (min, median, max) = (h.extratropical_min, factors.g_per_kwh[hydro], h.extratropical_max);
            let extratropical = SplitLogNormal::new(min, median, max, p)
                .ok_or_else(|| unheld("hydro outside the tropics (uncertainty.toml)", min, median, max))?;
            model.hydro_climate = Some(HydroModel {
                extratropical,
                bounds: (min, max),
                tropics_latitude: h.tropics_latitude,
                tropical_share: h.tropical_share.clone(),
                source: format!(
                    "{}; tropics: {}; share of each region's hydro within them: {}",
                    h.source, h.tropics_source, h.share_source
                ),
            });
        }
        Ok(model)
    }

    /// Factors without ranges: every draw uses them as they are.
    pub fn fixed(central: [f64; SOURCE_COUNT]) -> FactorModel {
        FactorModel {
            central,
            ranges: [None; SOURCE_COUNT],
            bounds: [None; SOURCE_COUNT],
            source: String::new(),
            hydro_climate: None,
        }
    }

    /// The weight of IPCC's (tropical) range in the hydro factor of data region `region`'s
    /// mixes: 1 without the range outside the tropics.
    pub fn tropical_hydro_share(&self, region: &str) -> f64 {
        self.hydro_climate.as_ref().map_or(1.0, |h| h.tropical_share(region))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::GridFiles;
    use crate::grid::factors::FactorChoice;
    use crate::grid::published::Basis;

    fn model(basis: Basis) -> FactorModel {
        let files = GridFiles::embedded();
        let factors = Factors::load(&FactorChoice::Ipcc, basis, &files).unwrap();
        FactorModel::of(&factors, &Config::parse(&files.uncertainty).unwrap()).unwrap()
    }

    #[test]
    fn hydro_outside_the_tropics_is_drawn_between_unece_s_6_and_147_around_ipcc_s_24() {
        // z(0.995) = 2.575829; sigma_low = ln(24/6)/z = 0.538193, sigma_high = ln(147/24)/z =
        // 0.703610. p05 = 24 exp(-1.644854 x 0.538193) = 24 x 0.412611 = 9.90267;
        // p95 = 24 exp(1.644854 x 0.703610) = 24 x 3.181444 = 76.3547.
        let m = model(Basis::Lifecycle);
        let h = m.hydro_climate.as_ref().expect("lifecycle factors with the v2 model");
        assert_eq!(h.bounds, (6.0, 147.0));
        let d = h.extratropical;
        assert_eq!(d.quantile(0.5), 24.0);
        assert!((d.quantile(0.05) - 9.902_67).abs() < 1e-4, "{}", d.quantile(0.05));
        assert!((d.quantile(0.95) - 76.354_7).abs() < 1e-3, "{}", d.quantile(0.95));
        assert!((d.quantile(0.995) - 147.0).abs() < 1e-9);
    }

    #[test]
    fn quebec_norway_and_paraguay_draw_hydro_outside_the_tropics_unknown_regions_inside() {
        let m = model(Basis::Lifecycle);
        assert_eq!(m.tropical_hydro_share("CA-QC"), 0.0);
        assert_eq!(m.tropical_hydro_share("NO"), 0.0);
        assert_eq!(m.tropical_hydro_share("PY"), 0.0);
        assert_eq!(m.tropical_hydro_share("CN-SC"), 0.0);
        assert_eq!(m.tropical_hydro_share("BR"), 0.7185);
        assert_eq!(m.tropical_hydro_share("CD"), 1.0);
        assert_eq!(m.tropical_hydro_share("XX-NOWHERE"), 1.0);
        assert_eq!(model(Basis::Direct).tropical_hydro_share("NO"), 1.0);
    }

    #[test]
    fn the_direct_factors_and_a_factor_file_keep_hydro_as_they_give_it() {
        // Direct: hydro is 0 with no range, so there is nothing to draw.
        assert!(model(Basis::Direct).hydro_climate.is_none());
        let files = GridFiles::embedded();
        let mut user = Factors::load(&FactorChoice::Ipcc, Basis::Lifecycle, &files).unwrap();
        user.label = "user factors from test.csv".into();
        let m = FactorModel::of(&user, &Config::parse(&files.uncertainty).unwrap()).unwrap();
        assert!(m.hydro_climate.is_none());
    }
}
