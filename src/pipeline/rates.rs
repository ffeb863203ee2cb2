//! Which rate a site gets (issue 22). Under `--factors published` (`published_first`): the
//! published headline rate of the site's grid zone on the run's basis if there is one; else
//! that of the region whose mix the site uses (its own region, or the parent whose mix it
//! takes, so the intensity and the shares describe the same grid; never a country's rate for a
//! province with a mix of its own); else the mix times the basis' per-source factors. Under
//! `ipcc` or a factor file, always the mix times the factors.
//!
//! Where only the country's rate exists for a province with a mix of its own, the province's mix
//! is multiplied by factors whose fossil part is scaled to the country's rate (issue 22, "may").
//!
//! Published rates are annual: a month's or operating months' mix keeps the year's rate, noted.

use super::Assessor;
use crate::grid::published::PublishedRate;
use crate::grid::{Level, SiteMix};
use crate::source::{SOURCE_COUNT, Source};

/// A site's carbon intensity and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Intensity {
    /// gCO2e/kWh on the run's basis.
    pub g_per_kwh: f64,
    /// Where it comes from, as the output's `intensity_source` writes it.
    pub source: String,
    /// What a user should know about it (what the published rate counts, its year against the
    /// mix's), for the site's notes.
    pub notes: Vec<String>,
    /// The dataset id (datasets.csv) of the published rate the intensity comes from (the rate
    /// itself, or the country's rate the fossil factors are scaled to); none for the mix x the
    /// factors. The draws are then centred on the intensity (`figures::with_intervals`).
    pub published: Option<String>,
    /// The year of that published rate: its draws carry the mix's moves from that year to the
    /// year asked for, so an older rate has a wider interval.
    pub published_year: Option<u16>,
    /// The mixes it was worked out from besides the site's own (the country's, for fossil
    /// factors scaled to the country's rate), for the output's `sources`.
    pub other_mixes: crate::grid::UsedDatasets,
}

impl Assessor {
    /// The published rate of a region or zone code on the run's basis, of the latest year not
    /// after the run's year, when published rates come first; none otherwise.
    pub fn published_rate(&self, code: &str) -> Option<&PublishedRate> {
        if !self.published_first {
            return None;
        }
        self.published.rate(code, self.basis, self.year)
    }

    /// Whether a site's intensity is a published rate where one exists (`--factors published`).
    pub fn published_first(&self) -> bool {
        self.published_first
    }

    /// Where the run's intensities come from, in words, for the settings a compare or a report
    /// writes: the factors' label, or under published rates "published rates on the direct
    /// basis where they exist, else the mix x direct combustion (...)".
    pub fn intensity_text(&self) -> String {
        match self.published_first {
            true => format!(
                "published rates on the {} basis where they exist, else the mix x {}",
                self.basis.name(),
                self.factors.label
            ),
            false => self.factors.label.clone(),
        }
    }

    /// The intensity a site in region `code` whose mix is `mix` gets, without a grid zone of
    /// its own: the region's own published rate (also when its mix is its parent's, as for a
    /// province before its mix data starts: Quebec's NIR rate, not Canada's), else the rate of
    /// the mix's region, else the mix times the factors.
    pub fn region_intensity(&self, code: &str, mix: &SiteMix) -> Intensity {
        if code != mix.data_region.code
            && let Some(rate) = self.published_rate(code)
        {
            return self.published_intensity(rate, mix, Some(code));
        }
        let code = &mix.data_region.code;
        match self.published_rate(code) {
            Some(rate) => self.published_intensity(rate, mix, None),
            None => {
                if let Some(scaled) = self.scaled_to_country(mix) {
                    return scaled;
                }
                // `intensity_source` says it ("mix x IPCC AR5 direct factors"): no note repeats
                // it on every row.
                self.mix_intensity(mix)
            }
        }
    }

    /// The intensity a site in grid zone `zone` gets when the zone has a published rate.
    pub fn zone_intensity(&self, zone: &str, mix: &SiteMix) -> Option<Intensity> {
        let rate = self.published_rate(zone)?;
        Some(self.published_intensity(rate, mix, Some(zone)))
    }

    /// For a province or state with a mix of its own but no published rate on the basis, whose
    /// country has one (China's and Canada's provinces on lifecycle: Ember publishes the
    /// countries only): its mix x the factors, with the fossil factors (coal, gas, oil) scaled
    /// by the one number k that makes the country's mix of the rate's year reproduce the
    /// country's rate, so the province's intensity keeps its own mix (Sichuan is not China's
    /// average) on the published level. A region whose mix is modelled from plant capacity
    /// (Irkutsk, Sarawak, Kazakhstan's oblasts; issue 23) is scaled the same way: it has no
    /// rate of its own, and the note says whose rate set the level. None where the country has
    /// no rate, no fossil generation, or k would not be positive.
    fn scaled_to_country(&self, mix: &SiteMix) -> Option<Intensity> {
        if !matches!(mix.data_region.level, Level::Subnational | Level::Modelled) {
            return None;
        }
        let country = mix.data_region.parent.as_deref()?;
        let rate = self.published_rate(country)?;
        let national = self.grid.site_mix(country, Some(rate.year), None, None)?;
        let (fossil, other) = self.fossil_and_other(&national.shares);
        let k = (rate.g_per_kwh - other) / fossil;
        if !(fossil > 0.0 && k.is_finite() && k > 0.0) {
            return None;
        }
        let (fossil, other) = self.fossil_and_other(&mix.shares);
        let note = format!(
            "no published {} rate for {}: its mix x the factors with the fossil factors x{k:.4}, the scale at which {country}'s mix of {} reproduces {} ({} g/kWh)",
            self.basis.name(),
            mix.data_region.code,
            national.data_year,
            rate.source,
            rate.g_per_kwh
        );
        Some(Intensity {
            g_per_kwh: fossil * k + other,
            source: format!("{}, fossil scaled to {}", self.mix_source, rate.source),
            notes: vec![note],
            published: Some(rate.dataset.clone()),
            published_year: Some(rate.year),
            other_mixes: national.datasets,
        })
    }

    /// The datasets behind an intensity besides the site's mix (the published rate's, the
    /// country's mix the fossil factors were scaled on), for the output's `sources`.
    pub fn intensity_datasets(&self, intensity: &Intensity) -> crate::grid::UsedDatasets {
        let rate = intensity.published.as_deref().map(|d| self.grid.used_dataset(d));
        rate.unwrap_or_default().with(intensity.other_mixes)
    }

    /// The intensity of the fossil sources' shares x factors, and of the others', gCO2e/kWh.
    fn fossil_and_other(&self, shares: &[f64; SOURCE_COUNT]) -> (f64, f64) {
        let f = &self.factors.g_per_kwh;
        Source::ALL.iter().fold((0.0, 0.0), |(fossil, other), s| {
            let g = shares[s.index()] * f[s.index()];
            match s {
                Source::Coal | Source::Gas | Source::Oil => (fossil + g, other),
                _ => (fossil, other + g),
            }
        })
    }

    /// The mix times the run's per-source factors.
    fn mix_intensity(&self, mix: &SiteMix) -> Intensity {
        Intensity {
            g_per_kwh: crate::assess::intensity_g_per_kwh(&mix.shares, &self.factors.g_per_kwh),
            source: self.mix_source.clone(),
            notes: Vec::new(),
            published: None,
            published_year: None,
            other_mixes: crate::grid::UsedDatasets::NONE,
        }
    }

    /// A published rate, with the notes that say what it counts and how it meets the mix;
    /// `of`: the zone or region whose rate it is, when not the mix's region.
    fn published_intensity(&self, rate: &PublishedRate, mix: &SiteMix, of: Option<&str>) -> Intensity {
        let mut notes = Vec::new();
        let data = &mix.data_region.code;
        if let Some(of) = of {
            let what = match self.grid.region(of) {
                Some(_) => format!("{of}'s published rate; shares: {data}'s mix ({of} has none for the year)"),
                None => format!(
                    "grid zone {of}'s published rate; shares: {data}'s mix (the zone's shares are not in the data)"
                ),
            };
            notes.push(format!("intensity: {what}"));
        }
        if let Some(n) = &rate.note {
            notes.push(format!("{}: {n}", rate.source));
        }
        if rate.year != mix.data_year {
            notes.push(format!(
                "intensity: published rate of {}; shares: {data}'s mix of {}",
                rate.year, mix.data_year
            ));
        }
        if let Some(months) = mix.data_month.as_deref() {
            notes.push(format!(
                "published rates are annual: the {} rate is used with the shares of months {months}; --factors ipcc gives the months' mix-based intensity",
                rate.year
            ));
        }
        Intensity {
            g_per_kwh: rate.g_per_kwh,
            source: rate.source.clone(),
            notes,
            published: Some(rate.dataset.clone()),
            published_year: Some(rate.year),
            other_mixes: crate::grid::UsedDatasets::NONE,
        }
    }
}
