//! Draws around a published rate (issue 22): a site whose intensity is a rate that EPA, MEE,
//! ECCC, Khepri or Ember publish for its grid gets draws whose median is that rate and whose
//! relative spread is the mix model's for the same region, year and months (no publisher states
//! an uncertainty for its rates: grid-data/uncertainty.toml, `[published]`).

use super::config::Spread;
use super::info::InputRange;
use super::{Centre, ClassRef, MixKey, MonteCarlo, SiteInputs};
use crate::grid::GridData;
use crate::source::SOURCE_COUNT;

/// A published rate a site's intensity comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedRate<'a> {
    /// The dataset's id in published-datasets.csv (`egrid-power-profiler`, `ember-api`, ...).
    pub dataset: &'a str,
    /// The rate, gCO2e/kWh (the site's headline intensity).
    pub g_per_kwh: f64,
}

impl MonteCarlo {
    /// The class of the sites with this mix and these given inputs: centred on the published
    /// `rate` when their intensity is one ([`MonteCarlo::published_class`]), else the mix
    /// model's ([`MonteCarlo::class`]).
    pub fn class_at(
        &self,
        grid: &GridData,
        key: &MixKey,
        shares: &[f64; SOURCE_COUNT],
        inputs: SiteInputs,
        rate: Option<PublishedRate>,
    ) -> ClassRef {
        match rate {
            Some(rate) => self.published_class(grid, key, shares, inputs, rate),
            None => self.class(grid, key, shares, inputs),
        }
    }

    /// The class of the sites with this mix and these given inputs whose intensity is the
    /// published `rate`: the mix model's draws for `key` and `shares`, each times (rate / their
    /// median), so that the intensity's median is the rate. Where the mix model's median is 0
    /// (an all-hydro region on the direct basis), every draw is the rate and the class says so.
    pub fn published_class(
        &self,
        grid: &GridData,
        key: &MixKey,
        shares: &[f64; SOURCE_COUNT],
        inputs: SiteInputs,
        rate: PublishedRate,
    ) -> ClassRef {
        let class_key = (key.clone(), inputs, Some(rate.g_per_kwh.to_bits()));
        {
            let mut cache = self.lock();
            if !cache.published.contains(rate.dataset) {
                cache.published.insert(rate.dataset.to_string());
            }
            if let Some((id, class)) = cache.class(&class_key) {
                return ClassRef(id, class);
            }
        }
        let (mix, intensity) = self.mix(grid, key, shares);
        let median = mix.interval.p50;
        let (centre, note) = if median > 0.0 && median.is_finite() {
            (Centre::Scaled(rate.g_per_kwh / median), mix.note.clone())
        } else {
            let note = format!(
                "{}: the published rate is held at {} gCO2e/kWh in every draw, as the mix model gives 0 and so no relative spread",
                rate.dataset, rate.g_per_kwh
            );
            (Centre::Fixed(rate.g_per_kwh), Some(note))
        };
        self.new_class(class_key, mix, &intensity, centre, note)
    }

    /// How a published dataset's rates are drawn, for the description.
    pub(super) fn published_input(&self, dataset: &str) -> InputRange {
        let (spread, source) = match self.config.published.get(dataset) {
            Some(p) => (p.spread, p.source.clone()),
            None => (
                Spread::Mix,
                "no spread given for this dataset in uncertainty.toml: the mix model's relative spread".into(),
            ),
        };
        let distribution = match spread {
            Spread::Mix => {
                "the mix model's draws for the region, times the published rate over their median (median: the published rate)"
            }
        };
        InputRange {
            input: format!("published:{dataset}"),
            distribution: distribution.into(),
            low: None,
            central: None,
            high: None,
            source,
        }
    }
}
