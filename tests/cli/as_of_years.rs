//! No look-ahead with `--as-of`: a run as of a day uses no grid data of a later year, not even
//! a region's own nearest year; a region whose data all come later takes its parent's figure
//! up to that year, visibly (a note and the `mix of` marker), or has no data.
//!
//! Hand-checked from grid-data/mix-annual.csv: Québec (CA-QC) has 2023 only (CER); Canada (CA)
//! 2021 has coal 35.83 TWh of 646.77 (OWID-Ember), a share of 0.055398; Texas (US-TX) has
//! 1990-2019 (EIA) and 2023-2025 (Ember); Sichuan (CN-SC) starts in 2015 (NBS) and China (CN)
//! 2013 has coal 4077.37 TWh of 5431.63, 0.751.

use super::*;

const QC_NOTE: &str = "no generation data for Québec (CA-QC) up to 2022, the year of --as-of (its data start in \
                       2023); using Canada (CA) (national)";

// Issue 20: `compare CA-QC --as-of 2022-06-30` showed Québec's 2023 mix, published after the day.
// These tests are about the mix's year: they read the IPCC factors, so that no published rate's
// note joins the notes they check.
#[test]
fn compare_as_of_a_day_uses_the_parents_mix_for_a_region_whose_data_all_come_later() {
    let (v, code) = json_of(&[
        "compare",
        "CA-QC",
        "US-TX",
        "--as-of",
        "2022-06-30",
        "--factors",
        "lifecycle",
        "--draws",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let qc = &v["regions"][0];
    assert_eq!(
        (qc["region"].as_str(), qc["data_region"].as_str()),
        (Some("CA-QC"), Some("CA"))
    );
    assert_eq!(qc["data_year"], 2021);
    close(&qc["coal_share"], 0.055398);
    assert_eq!(qc["notes"], QC_NOTE);
    // Texas's own 2019 (nearer 2021 than 2023 is not, and the earlier wins the tie) is allowed.
    let tx = &v["regions"][1];
    assert_eq!(
        (tx["data_region"].as_str(), tx["data_year"].as_u64()),
        (Some("US-TX"), Some(2019))
    );
}

// Issue 20: an explicit --year takes no later year either (as of 2022, --year 2020 took
// Québec's 2023); the year itself is kept where the parent has it.
#[test]
fn an_explicit_year_with_as_of_takes_no_later_year_either() {
    let (v, code) = json_of(&[
        "compare",
        "CA-QC",
        "--as-of",
        "2022-06-30",
        "--year",
        "2020",
        "--factors",
        "lifecycle",
        "--draws",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let qc = &v["regions"][0];
    assert_eq!(
        (qc["data_region"].as_str(), qc["data_year"].as_u64()),
        (Some("CA"), Some(2020))
    );
    assert_eq!(qc["notes"], QC_NOTE);
}

// Issue 20: the same for a site; the table marks the borrowed mix.
#[test]
fn assess_as_of_a_day_marks_a_site_whose_regions_data_all_come_later() {
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("qc.csv");
    std::fs::write(
        &sites,
        "id,lat,lon,hashrate_ths,efficiency_j_per_th\nq,46.5,-72.5,1000,30\n",
    )
    .unwrap();
    let sites = sites.to_str().unwrap();
    let out = hashmix()
        .args([
            "assess",
            sites,
            "--as-of",
            "2022-06-30",
            "--factors",
            "lifecycle",
            "--draws",
            "0",
            "--format",
            "csv",
        ])
        .args(["--columns", "id,region,data_region,data_year,coal_share,notes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "id,region,data_year,coal_share,status,error,notes,data_region\n\
             q,CA-QC,2021,0.055398,ok,,\"PUE 1.05 assumed (default); {QC_NOTE}\",CA\n"
        )
    );
    let table = hashmix()
        .args(["assess", sites, "--as-of", "2022-06-30", "--draws", "0"])
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains(" 2021      CA* "), "{table}");
}

// Issue 20: a region with nothing up to the year, and no parent's data to use, has no data.
#[test]
fn compare_as_of_a_day_before_a_countrys_only_year_reports_no_data() {
    // Sri Lanka's only year is 2022; as of 2021 it has none, and the world's mix is not its own.
    let out = hashmix()
        .args(["compare", "LK", "--as-of", "2021-06-30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "hashmix: Sri Lanka (LK) has no electricity data up to 2021, the year of --as-of (its data start in \
         2022); compare WORLD for the world's mix\n"
    );
}

// Issue 20: backtest as of 2014-06-30 scored Sichuan on its 2015 mix (hydro: score 0); it now
// uses China's 2013 mix: coal 0.751 gives 20 x (0.751 - 0.2) / 0.6 = 18.4 points and 636.2
// gCO2e/kWh gives 10 x (636.2 - 300) / 600 = 5.6, 24 in all.
#[test]
fn backtest_as_of_a_day_scores_a_region_without_data_by_then_on_its_parents_mix() {
    let (v, code) = json_of(&["backtest", "--as-of", "2014-06-30", "--format", "json"]);
    assert_eq!(code, 0);
    let regions = v["regions"].as_array().unwrap();
    let sc = regions.iter().find(|r| r["region"] == "CN-SC").unwrap();
    assert_eq!(sc["risk_score"], 24);
    assert_eq!(
        sc["top_reasons"],
        "coal_share +18.4: coal_share 0.751 in CN-SC, from China's national mix (CN) (0 points at 0.200, 20 at \
         0.800); intensity +5.6: intensity_g_per_kwh 636.2 gCO2e/kWh in CN-SC, from China's national mix (CN) (0 \
         points at 300.0 gCO2e/kWh, 10 at 900.0 gCO2e/kWh)"
    );
}
