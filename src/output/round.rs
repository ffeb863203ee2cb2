//! Fixed rounding for output, so that results are stable and readable: each number is
//! rounded to its column's decimals (see [`super::fields`]) only when it is written.

use serde::Serializer;
use serde::ser::SerializeMap;

use crate::source::{SOURCE_COUNT, Source};

/// Round to `d` decimals (and never print -0).
pub fn to(x: f64, d: i32) -> f64 {
    let p = 10f64.powi(d);
    let v = half_away(x * p) / p;
    if v == 0.0 { 0.0 } else { v }
}

/// `x.round()`, halves away from zero, without the call into libm that `f64::round`
/// makes on baseline x86-64 (output rounds some thirty numbers a row).
pub fn half_away(x: f64) -> f64 {
    // From 2^52 on, every f64 is an integer; NaN and infinities stay as they are.
    if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
        return x;
    }
    // Truncated toward zero (exact in this range), with the sign of x kept for -0.
    let t = (x as i64 as f64).copysign(x);
    let r = x - t;
    if r >= 0.5 {
        t + 1.0
    } else if r <= -0.5 {
        t - 1.0
    } else {
        t
    }
}

fn opt<S: Serializer>(v: &Option<f64>, d: i32, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) => s.serialize_f64(to(*x, d)),
        None => s.serialize_none(),
    }
}

/// 3 decimals.
pub fn r3<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    opt(v, 3, s)
}
/// 6 decimals.
pub fn r6<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    opt(v, 6, s)
}
/// 9 decimals (g/TH values are around 0.001-0.01).
pub fn r9<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    opt(v, 9, s)
}
/// A number and its decimals, rounded only when serialized: a serializer that leaves the
/// field out (CSV with `--columns`) never rounds it.
#[derive(Debug, Clone, Copy)]
pub struct Rounded(pub Option<f64>, pub i32);

impl serde::Serialize for Rounded {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        opt(&self.0, self.1, s)
    }
}

/// Each share as `<source>_share`, 6 decimals.
pub fn shares<S: Serializer>(v: &Option<[f64; SOURCE_COUNT]>, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(SOURCE_COUNT))?;
    for src in Source::ALL {
        let share = v.map(|sh| sh[src.index()]);
        map.serialize_entry(SHARE_KEYS[src.index()], &Rounded(share, 6))?;
    }
    map.end()
}

/// The entries `<name>_p05`, `<name>_p50` and `<name>_p95` of an interval, `d` decimals
/// (null without one).
pub fn interval<M: SerializeMap>(
    map: &mut M,
    keys: &[&str; 3],
    interval: Option<crate::uncertainty::Interval>,
    d: i32,
) -> Result<(), M::Error> {
    let values = interval.map(|i| [i.p05, i.p50, i.p95]);
    for (k, key) in keys.iter().enumerate() {
        map.serialize_entry(key, &Rounded(values.map(|v| v[k]), d))?;
    }
    Ok(())
}

/// The interval fields of the intensity.
pub const INTENSITY: [&str; 3] = [
    "intensity_g_per_kwh_p05",
    "intensity_g_per_kwh_p50",
    "intensity_g_per_kwh_p95",
];
/// The interval fields of the emissions per year.
pub const CO2_T: [&str; 3] = ["co2_t_per_year_p05", "co2_t_per_year_p50", "co2_t_per_year_p95"];
/// The interval fields of the emissions per terahash.
pub const CO2_G_PER_TH: [&str; 3] = ["co2_g_per_th_p05", "co2_g_per_th_p50", "co2_g_per_th_p95"];

/// `<source>_share` field names, ordered like `Source::ALL`.
pub const SHARE_KEYS: [&str; SOURCE_COUNT] = [
    "coal_share",
    "gas_share",
    "oil_share",
    "nuclear_share",
    "hydro_share",
    "wind_share",
    "solar_share",
    "bioenergy_share",
    "other_renewables_share",
];

#[cfg(test)]
mod tests {
    use super::{half_away, to};

    #[test]
    fn half_away_rounds_exactly_as_f64_round() {
        let edges = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9_007_199_254_740_993.0,
            1e300,
            -1e300,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in edges {
            assert_eq!(half_away(x).to_bits(), x.round().to_bits(), "{x:e}");
        }
        assert!(half_away(f64::NAN).is_nan());
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for _ in 0..500_000 {
            let x = 10f64.powf(rng.random_range(-3.0..17.0)) * if rng.random_bool(0.5) { -1.0 } else { 1.0 };
            for y in [x, x.trunc() + 0.5, x.trunc() - 0.5] {
                assert_eq!(half_away(y).to_bits(), y.round().to_bits(), "{y:e}");
            }
        }
        // Output rounding: 6 decimals, halves away from zero, no -0.
        assert_eq!(to(0.1234565, 6), 0.123457);
        assert_eq!(to(-0.0000004, 6).to_bits(), 0.0f64.to_bits());
    }
}
