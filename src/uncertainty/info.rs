//! What the output says about the draws: every uncertain input, its distribution, its range
//! and where the range comes from.

use serde::Serialize;

use super::{MonteCarlo, PERCENTILE_METHOD, config};
use crate::defaults::{DEFAULT_PUE, DEFAULT_UPTIME};
use crate::source::Source;

/// One uncertain input as the output describes it.
#[derive(Debug, Clone, Serialize)]
pub struct InputRange {
    /// `factor:coal` (each source), `factor:hydro:extratropical`, `efficiency`, `pue`, `uptime`,
    /// `mix` or `published:<dataset>`.
    pub input: String,
    /// The distribution, in words.
    pub distribution: String,
    /// Lowest value (none for the mix).
    pub low: Option<f64>,
    /// The headline value (none for the mix).
    pub central: Option<f64>,
    /// Highest value (none for the mix).
    pub high: Option<f64>,
    /// Where the range comes from.
    pub source: String,
}

/// What the output says about the draws.
#[derive(Debug, Clone, Serialize)]
pub struct UncertaintyInfo {
    /// Number of draws.
    pub draws: usize,
    /// The seed.
    pub seed: u64,
    /// How the percentiles are estimated.
    pub percentiles: &'static str,
    /// The year the mix's changes run to (`--year`, else the as-of year).
    pub year_asked: u16,
    /// The model file.
    pub model: String,
    /// Every uncertain input.
    pub inputs: Vec<InputRange>,
}

impl MonteCarlo {
    /// The description written with the results.
    pub fn info(&self) -> UncertaintyInfo {
        let mut inputs = self.factor_inputs();
        inputs.extend(self.other_inputs());
        UncertaintyInfo {
            draws: self.draws.n,
            seed: self.draws.seed,
            percentiles: PERCENTILE_METHOD,
            year_asked: self.year_asked,
            model: self.model.clone(),
            inputs,
        }
    }

    /// The distribution of a source with a range, in words.
    fn split_log_normal(&self) -> String {
        let p = self.config.factors.range_percentile;
        format!(
            "split log-normal around the median, min and max at the {:.1}th and {:.1}th percentiles, clamped to them",
            (1.0 - p) * 100.0,
            p * 100.0
        )
    }

    /// Each emission factor, with hydro outside the tropics after hydro when drawn apart.
    fn factor_inputs(&self) -> Vec<InputRange> {
        let mut inputs = Vec::new();
        for s in Source::ALL {
            let i = s.index();
            let central = Some(self.factors.central[i]);
            inputs.push(match self.factors.bounds[i] {
                Some((low, high)) => InputRange {
                    input: format!("factor:{}", s.name()),
                    distribution: self.split_log_normal(),
                    low: Some(low),
                    central,
                    high: Some(high),
                    source: self.factors.source.clone(),
                },
                None => InputRange {
                    input: format!("factor:{}", s.name()),
                    distribution: "fixed: no published range".into(),
                    low: None,
                    central,
                    high: None,
                    source: String::new(),
                },
            });
            if let (Source::Hydro, Some(h)) = (s, &self.factors.hydro_climate) {
                inputs.push(InputRange {
                    input: "factor:hydro:extratropical".into(),
                    distribution: format!(
                        "hydro beyond {} deg of latitude: {}; the same normal deviate as factor:hydro in each draw, a region's hydro factor the mean of the two weighted by its share of hydro within the tropics",
                        h.tropics_latitude,
                        self.split_log_normal()
                    ),
                    low: Some(h.bounds.0),
                    central,
                    high: Some(h.bounds.1),
                    source: h.source.clone(),
                });
            }
        }
        inputs
    }

    /// Efficiency, PUE, uptime, the mix, and the published datasets whose rates were drawn.
    fn other_inputs(&self) -> Vec<InputRange> {
        let c = &self.config;
        let mut inputs = Vec::new();
        let range = |input: &str, distribution: &str, r: &config::Range, central: f64| InputRange {
            input: input.into(),
            distribution: distribution.into(),
            low: Some(r.low),
            central: Some(central),
            high: Some(r.high),
            source: r.source.clone(),
        };
        inputs.push(range(
            "efficiency",
            "uniform multiplier of the nameplate J/TH; not applied to measured power",
            &c.efficiency,
            1.0,
        ));
        inputs.push(range(
            "pue",
            "when not given: half uniform below the default, half above",
            &c.pue,
            DEFAULT_PUE,
        ));
        inputs.push(range("uptime", "when not given: uniform", &c.uptime, DEFAULT_UPTIME));
        inputs.push(InputRange {
            input: "mix".into(),
            distribution: format!(
                "one of the region's own changes over the gap between its data year and {}, from its last {} years (too few: its parent's; a gap longer than that history holds: the newest changes over the gap up its chain), with a random sign",
                self.year_asked, c.mix.history_years
            ),
            low: None,
            central: None,
            high: None,
            source: c.mix.source.clone(),
        });
        let used = self.lock().published.clone();
        inputs.extend(used.iter().map(|dataset| self.published_input(dataset)));
        inputs
    }
}
