//! Hydro's lifecycle range by climate (issue 22): outside the tropics hydro is drawn between
//! UNECE's 6 and 147 gCO2e/kWh around IPCC's median 24, inside them on IPCC's 1-24-2,200, a
//! region's hydro weighing the two by its share of hydro capacity within the tropics (GEM). So
//! the 95th percentile of Quebec's, Norway's and Paraguay's intensity falls from about 400
//! gCO2e/kWh to under 90 (Paraguay's dams, Itaipu and Yacyreta, lie south of the tropic), and
//! Brazil's, 71.85% of its hydro within the tropics, from 334 to 277.
//!
//! The exact values are those of seed 1 and 1,000 draws; the hand-checked bounds beside them
//! come from the hydro distributions' quantiles (src/uncertainty/factors.rs): outside the
//! tropics hydro's p95 is 24 exp(1.644854 x ln(147/24) / 2.575829) = 76.35 gCO2e/kWh, inside
//! 429.76.

use super::*;

/// (p05, p50, p95) of each region's intensity from `compare --factors lifecycle`.
fn intervals(regions: &[&str]) -> Vec<(String, f64, f64, f64, f64)> {
    let mut args = vec!["compare"];
    args.extend_from_slice(regions);
    args.extend_from_slice(&[
        "--factors",
        "lifecycle",
        "--format",
        "json",
        "--draws",
        "1000",
        "--seed",
        "1",
    ]);
    let (v, code) = json_of(&args);
    assert_eq!(code, 0, "{v}");
    let f = |r: &Value, k: &str| r[k].as_f64().unwrap_or_else(|| panic!("{k}: {}", r[k]));
    v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["region"].as_str().unwrap().to_string(),
                f(r, "hydro_share"),
                f(r, "intensity_g_per_kwh_p05"),
                f(r, "intensity_g_per_kwh_p50"),
                f(r, "intensity_g_per_kwh_p95"),
            )
        })
        .collect()
}

#[test]
fn the_95th_percentile_of_quebec_norway_and_paraguay_falls_to_unece_s_range() {
    // Before issue 22 the same run gave p95 395.653 (CA-QC), 378.495 (NO), 415.904 (PY) and
    // 334.238 (BR).
    // Issue 23: asked for 2026, the new default as-of year, the mix drifts one more year; asked
    // for 2025 the same run gave (18.96, 36.058, 85.24) CA-QC (before Quebec's own NIR series for
    // 2005-2022 replaced Canada's mix moves; with it, 14.216, 28.269, 74.606 for 2025), (17.651, 32.276, 76.576) NO,
    // (9.612, 24.672, 75.357) PY and (54.052, 108.189, 276.789) BR.
    let got = intervals(&["CA-QC", "NO", "PY", "BR"]);
    assert_eq!(
        got,
        [
            ("CA-QC".to_string(), 0.920908, 14.282, 28.26, 74.807),
            ("NO".to_string(), 0.885214, 17.513, 31.901, 73.899),
            ("PY".to_string(), 1.0, 9.636, 24.66, 75.357),
            ("BR".to_string(), 0.604728, 54.172, 111.948, 264.909),
        ]
    );
    // Hand check: a mix of hydro share h cannot pass h x hydro's p95 by much more than its
    // other sources (wind, gas, ...) and the mix's moves add: Quebec 0.920908 x 76.35 = 70.3,
    // Norway 0.885214 x 76.35 = 67.6, both below their p95 and far below 0.92 x 429.76 = 395.
    for (region, hydro, _, _, p95) in &got[..2] {
        assert!(*p95 > hydro * 76.35 && *p95 < 100.0, "{region}: {p95}");
    }
    // Paraguay is all hydro and the 2023 mix is its latest, but the year asked for is 2025: the
    // mix's own two-year changes move it a little, so its p95 is near, not at, 76.35.
    assert!((got[2].4 / 76.35 - 1.0).abs() < 0.03, "{}", got[2].4);
}

#[test]
fn the_output_describes_hydro_s_range_outside_the_tropics_with_its_source() {
    let (v, code) = json_of(&["compare", "NO", "--factors", "lifecycle", "--format", "json"]);
    assert_eq!(code, 0);
    let inputs = v["uncertainty"]["inputs"].as_array().unwrap();
    let h = inputs
        .iter()
        .find(|i| i["input"] == "factor:hydro:extratropical")
        .expect("hydro outside the tropics");
    assert_eq!(
        (h["low"].as_f64(), h["central"].as_f64(), h["high"].as_f64()),
        (Some(6.0), Some(24.0), Some(147.0))
    );
    let source = h["source"].as_str().unwrap();
    assert!(
        source.starts_with("UNECE (2022), Carbon Neutrality in the UNECE Region"),
        "{source}"
    );
    assert!(
        source.contains("tropics: the tropics of Cancer and Capricorn"),
        "{source}"
    );
    // The direct factors give hydro 0 with no range: nothing to draw by climate.
    let (v, _) = json_of(&["compare", "NO", "--factors", "direct", "--format", "json"]);
    let inputs = v["uncertainty"]["inputs"].as_array().unwrap();
    assert!(inputs.iter().all(|i| i["input"] != "factor:hydro:extratropical"));
}
