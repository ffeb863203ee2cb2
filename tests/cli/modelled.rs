//! Regions modelled from plant capacity (issue 23): Irkutsk, Krasnoyarsk, Sarawak and
//! Kazakhstan's oblasts have no generation figures of their own; their mix is GEM's operating
//! units x the country's generation per MW of GEM capacity by source (tools/gem_model.py).

use super::*;

/// BitRiver's site at Bratsk, Irkutsk oblast.
const BRATSK: &str = "id,lat,lon,hashrate_ths,efficiency_j_per_th\nbratsk,56.15,101.63,1000,30\n";

fn bratsk_csv() -> (tempfile::TempDir, String) {
    sites_csv(BRATSK)
}

// Issue 23: Bratsk had Russia's national mix. RU-IRK 2023 in mix-annual.csv: coal 3,682 MW x
// Russia's 4,988 h = 18.365590703089 TWh, hydro 9,088 MW x 4,040 h = 36.713043758433 TWh (the
// hours: Russia's 2023 OWID/Ember generation / GEM's operating capacity in Russia). Hydro
// 36.713043758433 / 55.078634461522 = 0.666557; direct intensity = coal 0.333443 x 760 =
// 253.417 g/kWh (Russia has no published rate on the direct basis: mix x factors).
#[test]
fn a_site_at_bratsk_is_in_irkutsk_at_the_modelled_level_and_its_note_says_so() {
    let (_d, path) = bratsk_csv();
    let (v, code) = json_of(&["assess", &path, "--format", "json"]);
    assert_eq!(code, 0);
    let s = &v["sites"][0];
    assert_eq!(s["region"], "RU-IRK");
    assert_eq!(s["region_level"], "modelled");
    assert_eq!(s["data_region"], "RU-IRK");
    assert_eq!(s["data_year"], 2023);
    let hydro: f64 = 36.713043758433 / (18.365590703089 + 36.713043758433);
    assert!((hydro - 0.666557).abs() < 5e-7, "{hydro}");
    let coal = 1.0 - hydro;
    assert!((num(s, "intensity_g_per_kwh") - (coal * 760.0 * 1000.0).round() / 1000.0).abs() < 1e-9);
    let notes = s["notes"].as_str().unwrap();
    assert!(
        notes.contains("RU-IRK 2023: modelled from plant capacity, not measured generation"),
        "{notes}"
    );
    assert!(notes.contains("GEM tracks no wind or solar units"), "{notes}");
}

/// (p95 - p05) / p50 of a site's intensity.
fn relative_width(s: &Value) -> f64 {
    (num(s, "intensity_g_per_kwh_p95") - num(s, "intensity_g_per_kwh_p05")) / num(s, "intensity_g_per_kwh_p50")
}

// Issue 23: the same mix, once as modelled rows and once relabelled as if measured, so that only
// the level differs: the modelled one's interval is wider by the modelled widening (each draw x
// uniform MODELLED_LOW 0.602 .. MODELLED_HIGH 1.030), the measured one's is the mix model's alone.
#[test]
fn a_modelled_mix_has_a_wider_interval_than_the_same_mix_measured() {
    let (_d, path) = bratsk_csv();
    let (modelled, _) = json_of(&["assess", &path, "--format", "json", "--draws", "2000"]);
    let (_g, copy) = grid_copy("mix-annual.csv", |t| {
        t.lines()
            .map(|l| match l.starts_with("RU-IRK,") {
                true => l.replacen(",gem-model,", ",owid-ember,", 1),
                false => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    let (measured, code) = json_of(&[
        "assess",
        &path,
        "--format",
        "json",
        "--draws",
        "2000",
        "--grid-data",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let (m, s) = (&modelled["sites"][0], &measured["sites"][0]);
    assert_eq!(m["region_level"], "modelled");
    assert_eq!(s["region_level"], "subnational");
    assert_eq!(m["intensity_g_per_kwh"], s["intensity_g_per_kwh"]);
    let (wide, narrow) = (relative_width(m), relative_width(s));
    // The widening multiplies each draw by a factor uniform on 0.602..1.030, whose 90% range is
    // 0.385 wide; added to the measured mix's relative width (0.279 as of the default 2026-04-30,
    // seed 1) it widens the interval well beyond the margin asserted, which leaves room for the
    // non-normal shapes: more than 0.05 wider.
    assert!(wide > narrow + 0.05, "modelled {wide}, measured {narrow}");
}

// Issue 23: the table's `mix of` column marks a modelled mix, so a reader of the table alone
// does not take Bratsk's mix for measured data; the legend is written once, after the portfolio.
#[test]
fn the_table_marks_a_modelled_mix_and_explains_the_mark_once() {
    let (_d, path) = bratsk_csv();
    let out = hashmix().args(["assess", &path, "--draws", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text.lines().find(|l| l.starts_with("bratsk")).unwrap();
    assert!(row.contains(" RU-IRK ") && row.contains(" model~ "), "{row}");
    let legend = "~ model: the region publishes no generation figures; its mix is modelled from its power plants' capacity (region_level modelled, wider interval; METHOD.md)";
    assert_eq!(text.matches(legend).count(), 1, "{text}");
    // A measured region gets neither.
    let (_q, quebec) = sites_csv("id,region,power_mw\nq,CA-QC,10\n");
    let out = hashmix().args(["assess", &quebec, "--draws", "0"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("model~") && !text.contains("~ model:"), "{text}");
}
