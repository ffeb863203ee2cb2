//! The pure calculation: shares, carbon intensity, power, energy and CO2 per terahash.
//! Every function takes values and returns values, so each can be checked by hand.

mod portfolio;
pub mod result;

pub use portfolio::{Contribution, Portfolio};
pub use result::{Match, RegionResult, SiteFigures, SiteResult, SiteSize, Status};

use crate::source::{SOURCE_COUNT, Source};

/// Hours in a (non-leap) year.
pub const HOURS_PER_YEAR: f64 = 8760.0;
/// Joules per kWh.
pub const J_PER_KWH: f64 = 3.6e6;
/// Seconds per day: one TH/s for a day is 86,400 TH.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// Watts per megawatt.
const W_PER_MW: f64 = 1e6;

/// The derived shares of a mix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Groups {
    /// Coal + gas + oil.
    pub fossil: f64,
    /// Hydro + wind + solar + bioenergy + other renewables.
    pub renewable: f64,
    /// Renewable + nuclear.
    pub low_carbon: f64,
}

/// Fossil, renewable and low-carbon shares of a mix.
pub fn groups(shares: &[f64; SOURCE_COUNT]) -> Groups {
    let sum = |pick: fn(Source) -> bool| {
        Source::ALL
            .iter()
            .filter(|s| pick(**s))
            .map(|s| shares[s.index()])
            .sum::<f64>()
    };
    let fossil = sum(Source::is_fossil);
    let renewable = sum(Source::is_renewable);
    Groups {
        fossil,
        renewable,
        low_carbon: renewable + shares[Source::Nuclear.index()],
    }
}

/// Carbon intensity of a mix, gCO2e/kWh: the sum of share x factor.
pub fn intensity_g_per_kwh(shares: &[f64; SOURCE_COUNT], factors: &[f64; SOURCE_COUNT]) -> f64 {
    shares.iter().zip(factors).map(|(s, f)| s * f).sum()
}

/// Facility power, MW: hashrate (TH/s) x efficiency (J/TH = W per TH/s) x PUE.
pub fn power_mw(hashrate_ths: f64, efficiency_j_per_th: f64, pue: f64) -> f64 {
    hashrate_ths * efficiency_j_per_th * pue / W_PER_MW
}

/// Energy per year, MWh: power x 8,760 h x uptime.
pub fn energy_mwh_per_year(power_mw: f64, uptime: f64) -> f64 {
    power_mw * HOURS_PER_YEAR * uptime
}

/// Energy over some days of the year, MWh: power x 24 h x days x uptime. A site that runs
/// every day of the year (365 days) gives [`energy_mwh_per_year`].
pub fn energy_mwh_in_days(power_mw: f64, days: f64, uptime: f64) -> f64 {
    power_mw * (24.0 * days) * uptime
}

/// Emissions per year, tonnes: MWh x gCO2e/kWh (= kg/MWh) / 1000.
pub fn co2_t_per_year(energy_mwh_per_year: f64, intensity_g_per_kwh: f64) -> f64 {
    energy_mwh_per_year * intensity_g_per_kwh / 1000.0
}

/// Emissions per terahash computed, g: energy per TH at the meter (J/TH x PUE) in kWh x intensity.
pub fn co2_g_per_th(j_per_th_at_meter: f64, intensity_g_per_kwh: f64) -> f64 {
    j_per_th_at_meter / J_PER_KWH * intensity_g_per_kwh
}

/// Emissions of one TH/s running for one day, kg: 86,400 TH x g/TH / 1000.
pub fn co2_kg_per_ths_day(co2_g_per_th: f64) -> f64 {
    co2_g_per_th * SECONDS_PER_DAY / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const COAL_ONLY: [f64; 9] = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    const IPCC: [f64; 9] = [820.0, 490.0, 650.0, 12.0, 24.0, 11.0, 48.0, 230.0, 38.0];

    #[test]
    fn intensity_is_the_share_weighted_sum_of_factors() {
        assert_eq!(intensity_g_per_kwh(&COAL_ONLY, &IPCC), 820.0);
        // Half coal, half hydro: 0.5 x 820 + 0.5 x 24 = 422.
        let half = [0.5, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0];
        assert_eq!(intensity_g_per_kwh(&half, &IPCC), 422.0);
    }

    #[test]
    fn groups_add_up_the_right_sources() {
        let shares = [0.1, 0.2, 0.05, 0.15, 0.3, 0.1, 0.05, 0.03, 0.02];
        let g = groups(&shares);
        assert!((g.fossil - 0.35).abs() < 1e-12);
        assert!((g.renewable - 0.5).abs() < 1e-12);
        assert!((g.low_carbon - 0.65).abs() < 1e-12);
    }

    #[test]
    fn ten_thousand_three_hundred_avalon_1246_draw_about_37_mw() {
        // 10,300 x 90 TH/s = 927,000 TH/s; x 38 J/TH = 35.226 MW; x PUE 1.05 = 36.9873 MW.
        let p = power_mw(927_000.0, 38.0, 1.05);
        assert!((p - 36.9873).abs() < 1e-9);
        // x 8,760 h = 324,008.748 MWh per year.
        assert!((energy_mwh_per_year(p, 1.0) - 324_008.748).abs() < 1e-6);
        assert!((energy_mwh_per_year(p, 0.5) - 162_004.374).abs() < 1e-6);
        assert_eq!(energy_mwh_in_days(p, 365.0, 1.0), energy_mwh_per_year(p, 1.0));
        // May-October only: 184 days x 24 h = 4,416 h x 36.9873 MW = 163,335.9168 MWh.
        assert!((energy_mwh_in_days(p, 184.0, 1.0) - 163_335.916_8).abs() < 1e-6);
    }

    #[test]
    fn tonnes_per_year_are_mwh_times_intensity_over_1000() {
        // 1,000 MWh at 500 g/kWh = 500,000 kg = 500 t.
        assert_eq!(co2_t_per_year(1000.0, 500.0), 500.0);
    }

    #[test]
    fn co2_per_terahash_follows_the_documented_formula() {
        // 38 J/TH x 1.05 = 39.9 J/TH = 1.108333e-5 kWh/TH; x 820 g/kWh = 0.0090883 g/TH.
        let g = co2_g_per_th(38.0 * 1.05, 820.0);
        assert!((g - 0.009_088_333_333).abs() < 1e-12);
        // x 86,400 TH per TH/s-day / 1000 = 0.78523 kg.
        assert!((co2_kg_per_ths_day(g) - 0.785_232).abs() < 1e-9);
    }
}
