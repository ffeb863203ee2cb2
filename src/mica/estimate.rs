//! The network's energy and emissions over a period, from hashrate x J/TH x PUE x hours and
//! each region's grid, with the same draws as `hashmix assess` (PUE, machine efficiency, each
//! grid's intensity). Every region's figures come through the assessor's public API, as
//! `hashmix compare` gets them: no second implementation of a region's intensity.

use crate::assess::J_PER_KWH;
use crate::compare::{RegionMix, region_mix};
use crate::grid::UsedDatasets;
use crate::pipeline::{Assessor, rate_key};
use crate::uncertainty::{PublishedRate, SiteInputs};

use super::MicaError;
use super::inputs::Geography;

/// Terahashes per second in one exahash per second.
pub const TH_PER_EH: f64 = 1e6;

/// Seconds in an hour.
const SECONDS_PER_HOUR: f64 = 3600.0;

/// What the estimate takes besides the geography.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Network {
    /// Mean hashrate over the period, EH/s.
    pub hashrate_ehs: f64,
    /// Fleet efficiency, J/TH.
    pub j_per_th: f64,
    /// PUE (the default when not given, which the draws then vary).
    pub pue: f64,
    /// Whether the PUE was given (then it is not drawn).
    pub pue_given: bool,
    /// Hours in the period.
    pub hours: f64,
}

impl Network {
    /// Energy at the meter over the period, kWh: EH/s x 1e6 TH/s per EH/s x J/TH x PUE x hours
    /// x 3600 s/h / 3.6e6 J/kWh.
    pub fn energy_kwh(&self) -> f64 {
        self.hashrate_ehs * TH_PER_EH * self.j_per_th * self.pue * self.hours * SECONDS_PER_HOUR / J_PER_KWH
    }
}

/// One region's part of the estimate.
#[derive(Debug, Clone)]
pub struct RegionPart {
    /// Region code as given, and the region's name.
    pub region: String,
    /// The region's name.
    pub name: String,
    /// Share of the network's hashrate, 0-1.
    pub share: f64,
    /// Energy from the grid, kWh.
    pub grid_kwh: f64,
    /// Energy generated off-grid on site, kWh.
    pub off_grid_kwh: f64,
    /// The grid's intensity, gCO2e/kWh (direct basis), and where it is from.
    pub intensity_g_per_kwh: f64,
    /// The intensity's source (a published dataset, or the mix x IPCC direct factors).
    pub intensity_source: String,
    /// The data's year.
    pub data_year: u16,
    /// Renewable, fossil and nuclear shares of the grid's generation, 0-1.
    pub renewable_share: f64,
    /// Fossil share, 0-1.
    pub fossil_share: f64,
    /// Low-carbon share (renewables and nuclear), 0-1.
    pub low_carbon_share: f64,
    /// Off-grid factor, gCO2e/kWh.
    pub off_grid_g_per_kwh: f64,
    /// Fallbacks, joined with "; ".
    pub notes: String,
}

/// The network's totals, and each per draw (empty without draws).
#[derive(Debug, Clone, Default)]
pub struct Totals {
    /// Energy, kWh.
    pub energy_kwh: f64,
    /// Renewable energy, kWh (grid power's renewable share; off-grid power counts as not
    /// renewable, as its factor is a fuel's).
    pub renewable_kwh: f64,
    /// Fossil energy, kWh (grid fossil share, and all off-grid power).
    pub fossil_kwh: f64,
    /// Nuclear energy, kWh.
    pub nuclear_kwh: f64,
    /// Scope 1 (off-grid), t CO2e.
    pub scope1_t: f64,
    /// Scope 2 (grid, location-based, direct factors), t CO2e.
    pub scope2_t: f64,
    /// Energy in each draw, kWh.
    pub energy_draws: Vec<f64>,
    /// Scope 1 in each draw, t.
    pub scope1_draws: Vec<f64>,
    /// Scope 2 in each draw, t.
    pub scope2_draws: Vec<f64>,
    /// Renewable energy in each draw, kWh.
    pub renewable_draws: Vec<f64>,
}

/// The estimate of one geography.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// The geography's label.
    pub geography: String,
    /// Each region's part, in the geography's order.
    pub parts: Vec<RegionPart>,
    /// The totals.
    pub totals: Totals,
    /// What was assumed (the geography's notes and each region's).
    pub notes: Vec<String>,
    /// The datasets used.
    pub datasets: UsedDatasets,
}

/// Estimate the network's energy and emissions with the regions of `geo`.
pub fn estimate(assessor: &Assessor, geo: &Geography, net: &Network) -> Result<Estimate, MicaError> {
    let energy = net.energy_kwh();
    let n = assessor.monte_carlo.as_ref().map_or(0, |mc| mc.draws.n);
    let mut t = Totals {
        energy_kwh: energy,
        energy_draws: vec![0.0; n],
        scope1_draws: vec![0.0; n],
        scope2_draws: vec![0.0; n],
        renewable_draws: vec![0.0; n],
        ..Totals::default()
    };
    let mut parts = Vec::new();
    let mut notes = geo.notes.clone();
    let mut datasets = UsedDatasets::NONE;
    for s in &geo.shares {
        let RegionMix { region, mix, .. } = region_mix(assessor, &s.region).map_err(|e| match s.line {
            Some(line) => MicaError::Input(format!("{}:{line}: column region: {e}", geo.label)),
            None => MicaError::Usage(format!("{}: {e}", geo.label)),
        })?;
        let intensity = assessor.region_intensity(&region.code, &mix);
        let result = assessor.region_result(region, &mix, &intensity);
        datasets = datasets
            .with(assessor.mix_datasets(&mix, &result.risk.risk))
            .with(assessor.intensity_datasets(&intensity));
        let region_kwh = energy * s.share;
        let off_grid_kwh = region_kwh * s.off_grid_share;
        let grid_kwh = region_kwh - off_grid_kwh;
        let og_factor = s.off_grid_g_per_kwh.unwrap_or(0.0);
        let ren = result.mix.renewable_share.unwrap_or(0.0);
        let fossil = result.mix.fossil_share.unwrap_or(0.0);
        let low_carbon = result.mix.low_carbon_share.unwrap_or(0.0);
        t.renewable_kwh += grid_kwh * ren;
        t.fossil_kwh += grid_kwh * fossil + off_grid_kwh;
        t.nuclear_kwh += grid_kwh * (low_carbon - ren).max(0.0);
        // kWh x g/kWh = g; / 1e6 = t.
        t.scope2_t += grid_kwh * intensity.g_per_kwh / 1e6;
        t.scope1_t += off_grid_kwh * og_factor / 1e6;
        let mut region_notes: Vec<String> = mix.notes.iter().chain(&intensity.notes).cloned().collect();
        if let Some(mc) = &assessor.monte_carlo {
            let inputs = SiteInputs {
                power_measured: false,
                pue_given: net.pue_given,
                uptime_given: true,
            };
            let key = rate_key(&mix, intensity.published_year);
            let rate = intensity.published.as_deref().map(|dataset| PublishedRate {
                dataset,
                g_per_kwh: intensity.g_per_kwh,
            });
            let class = mc.class_at(&assessor.grid, &key, &mix.shares, inputs, rate);
            let (i_draws, e_draws) = mc.class_draws(&assessor.grid, &class);
            region_notes.extend(class.intervals(0.0, None).note);
            for d in 0..n {
                let e = e_draws[d];
                // Every region shares the draw's efficiency and PUE: the network's energy is
                // the headline times that factor (summed by region it would only add rounding).
                t.energy_draws[d] = energy * e;
                t.renewable_draws[d] += grid_kwh * e * ren;
                t.scope2_draws[d] += grid_kwh * e * i_draws[d] / 1e6;
                t.scope1_draws[d] += off_grid_kwh * e * og_factor / 1e6;
            }
        }
        let notes_text = region_notes.join("; ");
        if !notes_text.is_empty() {
            notes.push(format!("{}: {notes_text}", region.code));
        }
        parts.push(RegionPart {
            region: region.code.clone(),
            name: region.name.clone(),
            share: s.share,
            grid_kwh,
            off_grid_kwh,
            intensity_g_per_kwh: intensity.g_per_kwh,
            intensity_source: result.intensity_source.clone(),
            data_year: result.data_year,
            renewable_share: ren,
            fossil_share: fossil,
            low_carbon_share: low_carbon,
            off_grid_g_per_kwh: og_factor,
            notes: notes_text,
        });
    }
    Ok(Estimate {
        geography: geo.label.clone(),
        parts,
        totals: t,
        notes,
        datasets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn energy_is_hashrate_times_j_per_th_times_pue_times_hours() {
        let net = Network {
            hashrate_ehs: 100.0,
            j_per_th: 30.0,
            pue: 1.1,
            pue_given: true,
            hours: 8760.0,
        };
        // 100 EH/s = 1e8 TH/s; x 30 J/TH x 1.1 = 3.3e9 W = 3.3e6 kW; x 8760 h = 2.8908e10 kWh.
        assert!((net.energy_kwh() - 2.8908e10).abs() < 1.0);
    }
}
