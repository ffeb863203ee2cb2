//! The distributions of the uncertain inputs, built on statrs: each can be sampled with a
//! seeded generator and has a quantile function, so tests can compare the sampled
//! percentiles with the exact ones.

use rand::Rng;
use rand::distr::Distribution;
use statrs::distribution::{ContinuousCDF, Normal, Uniform};

/// A log-normal on each side of a median: below it with the spread that puts `min` at the
/// quantile `1 - p`, above it with the spread that puts `max` at `p`; draws are clamped to
/// `[min, max]`. For a range that is lopsided in log terms (hydro: 1 / 24 / 2,200 gCO2e/kWh)
/// this keeps the median where the source puts it and the long tail on its own side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SplitLogNormal {
    median: f64,
    min: f64,
    max: f64,
    sigma_low: f64,
    sigma_high: f64,
}

/// The standard normal distribution.
fn standard_normal() -> Normal {
    Normal::standard()
}

impl SplitLogNormal {
    /// The distribution with `min` and `max` at the quantiles `1 - p` and `p` (0.5 < p < 1).
    /// `None` unless 0 < min <= median <= max.
    pub fn new(min: f64, median: f64, max: f64, p: f64) -> Option<SplitLogNormal> {
        if !(min > 0.0 && min <= median && median <= max && p > 0.5 && p < 1.0) {
            return None;
        }
        let z = standard_normal().inverse_cdf(p);
        Some(SplitLogNormal {
            median,
            min,
            max,
            sigma_low: (median / min).ln() / z,
            sigma_high: (max / median).ln() / z,
        })
    }

    /// The value at a standard normal deviate `z`.
    fn at(&self, z: f64) -> f64 {
        let sigma = if z < 0.0 { self.sigma_low } else { self.sigma_high };
        (self.median * (sigma * z).exp()).clamp(self.min, self.max)
    }

    /// The exact quantile at probability `q` (0-1).
    pub fn quantile(&self, q: f64) -> f64 {
        self.at(standard_normal().inverse_cdf(q))
    }
}

impl Distribution<f64> for SplitLogNormal {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.at(standard_normal().sample(rng))
    }
}

/// Half the mass uniform on `[low, mid]`, half on `[mid, high]`: a range whose median is a
/// known central value but whose two sides are not the same length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SplitUniform {
    low: f64,
    mid: f64,
    high: f64,
}

impl SplitUniform {
    /// `None` unless low <= mid <= high.
    pub fn new(low: f64, mid: f64, high: f64) -> Option<SplitUniform> {
        (low <= mid && mid <= high && low.is_finite() && high.is_finite()).then_some(SplitUniform { low, mid, high })
    }

    /// The exact quantile at probability `q` (0-1).
    pub fn quantile(&self, q: f64) -> f64 {
        if q < 0.5 {
            self.low + (self.mid - self.low) * q * 2.0
        } else {
            self.mid + (self.high - self.mid) * (q - 0.5) * 2.0
        }
    }
}

impl Distribution<f64> for SplitUniform {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let unit = Uniform::new(0.0, 1.0).expect("0 < 1 is a valid uniform range");
        self.quantile(unit.sample(rng))
    }
}

/// Uniform on `[low, high]` (statrs), or the single value `low` when the two are equal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flat {
    low: f64,
    high: f64,
}

impl Flat {
    /// `None` unless low <= high, both finite.
    pub fn new(low: f64, high: f64) -> Option<Flat> {
        (low <= high && low.is_finite() && high.is_finite()).then_some(Flat { low, high })
    }

    /// The exact quantile at probability `q` (0-1).
    pub fn quantile(&self, q: f64) -> f64 {
        self.low + (self.high - self.low) * q
    }
}

impl Distribution<f64> for Flat {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match Uniform::new(self.low, self.high) {
            Ok(u) => u.sample(rng),
            Err(_) => self.low,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_ipcc_range_sits_at_the_half_percent_tails_of_hydro() {
        // z(0.995) = 2.575829; sigma_low = ln(24/1)/z = 1.233798, sigma_high = ln(2200/24)/z = 1.754060.
        let d = SplitLogNormal::new(1.0, 24.0, 2200.0, 0.995).unwrap();
        assert!((d.sigma_low - 1.233_798).abs() < 1e-6);
        assert!((d.sigma_high - 1.754_060).abs() < 1e-6);
        assert_eq!(d.quantile(0.5), 24.0);
        assert!((d.quantile(0.005) - 1.0).abs() < 1e-9);
        assert!((d.quantile(0.995) - 2200.0).abs() < 1e-6);
        // p95 = 24 x exp(1.644854 x 1.754060) = 24 x 17.90664 = 429.759.
        assert!((d.quantile(0.95) - 429.759).abs() < 1e-3);
        // p05 = 24 x exp(-1.644854 x 1.233798) = 24 x 0.131412 = 3.15389.
        assert!((d.quantile(0.05) - 3.153_89).abs() < 1e-5);
    }

    #[test]
    fn draws_stay_inside_the_published_range() {
        let d = SplitLogNormal::new(1.0, 24.0, 2200.0, 0.995).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let draws: Vec<f64> = (0..20_000).map(|_| d.sample(&mut rng)).collect();
        assert!(draws.iter().all(|x| (1.0..=2200.0).contains(x)));
        // About 0.5% of draws pass each end and are clamped to it.
        let at_max = draws.iter().filter(|x| **x == 2200.0).count();
        assert!((60..=140).contains(&at_max), "{at_max}");
    }

    #[test]
    fn a_range_that_does_not_hold_its_median_is_refused() {
        assert!(SplitLogNormal::new(900.0, 820.0, 910.0, 0.995).is_none());
        assert!(SplitLogNormal::new(0.0, 24.0, 2200.0, 0.995).is_none());
        assert!(SplitLogNormal::new(1.0, 24.0, 2200.0, 0.4).is_none());
    }

    #[test]
    fn split_uniform_keeps_its_median_in_the_middle() {
        let pue = SplitUniform::new(1.01, 1.05, 1.20).unwrap();
        assert_eq!(pue.quantile(0.5), 1.05);
        assert!((pue.quantile(0.25) - 1.03).abs() < 1e-12);
        assert!((pue.quantile(0.75) - 1.125).abs() < 1e-12);
        assert!((pue.quantile(0.95) - 1.185).abs() < 1e-12);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let below = (0..10_000).filter(|_| pue.sample(&mut rng) < 1.05).count();
        assert!((4_800..=5_200).contains(&below), "{below}");
    }

    #[test]
    fn a_flat_range_of_one_value_always_gives_it() {
        let one = Flat::new(1.0, 1.0).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(one.sample(&mut rng), 1.0);
        assert_eq!(Flat::new(0.95, 1.05).unwrap().quantile(0.5), 1.0);
    }
}
