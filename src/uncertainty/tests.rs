//! Tests of `uncertainty`.

use super::*;

#[test]
fn percentiles_follow_statrs_type_8() {
    // 1..=20: h = (20 + 1/3) x 0.05 + 1/3 = 1.35 -> 1 + 0.35 x (2 - 1) = 1.35.
    let v: Vec<f64> = (1..=20).map(f64::from).collect();
    let i = Interval::of(&v).unwrap();
    assert!((i.p05 - 1.35).abs() < 1e-12);
    assert!((i.p50 - 10.5).abs() < 1e-12);
    assert!((i.p95 - 19.65).abs() < 1e-12);
    assert_eq!(Interval::of(&[]), None);
}

/// Draws for the embedded data, keeping at most `kept_values` mix draws.
fn monte_carlo(n: usize, kept_values: usize) -> (GridData, MonteCarlo) {
    use crate::grid::GridFiles;
    use crate::grid::factors::FactorChoice;
    let files = GridFiles::embedded();
    let grid = GridData::parse(&files).expect("embedded grid data");
    let factors =
        Factors::load(&FactorChoice::Ipcc, crate::grid::published::Basis::Lifecycle, &files).expect("embedded factors");
    let config = Config::parse(&files.uncertainty).expect("embedded model");
    let model = FactorModel::of(&factors, &config).expect("embedded ranges");
    let mut mc = MonteCarlo::new(n, 1, config, model, 2025, "test");
    mc.kept_values = kept_values;
    (grid, mc)
}

#[test]
fn mix_draws_beyond_the_budget_are_drawn_again_and_give_the_same_intervals() {
    // Issue 20: every (region, months) kept one f64 per draw for the whole run. Now at most
    // the budget is kept; the rest is drawn again from the seed, to the same bits.
    let n = 400;
    let run = |kept_values: usize| {
        let (grid, mc) = monte_carlo(n, kept_values);
        let mut sums = Vec::new();
        let mut sites = Vec::new();
        for code in ["CN-SC", "CN-XJ", "CN-NM", "KZ", "US-TX"] {
            for months in [None, Some("5-10"), Some("11-4"), Some("6,7,8"), Some("1-3")] {
                let months = months.map(|m| Months::parse(m).expect("months"));
                let year = grid.years(code).last().expect("data").year;
                let key = MixKey {
                    region: code.into(),
                    year,
                    months: months.filter(|_| !grid.months(code).is_empty()),
                };
                let shares = grid.years(code).last().expect("data").shares();
                for inputs in [
                    SiteInputs::default(),
                    SiteInputs {
                        pue_given: true,
                        ..Default::default()
                    },
                ] {
                    let class = mc.class(&grid, &key, &shares, inputs);
                    let i = class.intervals(1000.0, Some(30.0));
                    sites.push((i.intensity_g_per_kwh, i.co2_t_per_year, i.co2_g_per_th));
                    if sums.len() <= i.class {
                        sums.resize(i.class + 1, ClassSums::default());
                    }
                    sums[i.class] = ClassSums {
                        energy_mwh: 1000.0,
                        hashed_energy_mwh: 1000.0,
                        th_per_year: 1e9,
                    };
                }
            }
        }
        let p = mc.portfolio(&grid, &sums).expect("energy");
        let kept = mc.lock().kept.len();
        (sites, p.co2_t_per_year, p.intensity_g_per_kwh, p.co2_g_per_th, kept)
    };
    let all = run(KEPT_MIX_VALUES);
    let one = run(n);
    assert_eq!(one.4, 1, "one mix's draws kept");
    assert!(all.4 > 10, "every mix kept under the default budget: {}", all.4);
    assert_eq!((all.0, all.1, all.2, all.3), (one.0, one.1, one.2, one.3));
}

#[test]
fn streams_are_stable_and_distinct() {
    use rand::Rng;
    assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
    // FNV-1a of "a" is 0xaf63dc4c8601ec8c (the published test vector).
    assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    let a = stream(1, "pue").next_u64();
    assert_eq!(a, stream(1, "pue").next_u64());
    assert_ne!(a, stream(1, "uptime").next_u64());
    assert_ne!(a, stream(2, "pue").next_u64());
}
