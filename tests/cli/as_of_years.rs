//! No look-ahead with `--as-of`: a run as of a day uses no grid data of a later year, not even
//! a region's own nearest year; a region whose data all come later takes its parent's figure
//! up to that year, visibly (a note and the `mix of` marker), or has no data.
//!
//! Hand-checked from grid-data/mix-annual.csv: Nunavut (CA-NU) starts in 2005 (NIR: its 1990
//! and 2000 figures are aggregated with the Northwest Territories); Canada (CA) 2003 has coal
//! 109.56 TWh of 588.27 (OWID-Ember), a share of 0.186241, and 2002 110.7 of 599.79, 0.184565;
//! Texas (US-TX) has 1990-2000 (EIA), 2001-2024 (Ember's API) and 2025 (Ember); Sichuan (CN-SC) starts in 2015 (NBS) and China (CN)
//! 2013 has coal 4077.37 TWh of 5431.63, 0.751.

use super::*;

// Issue 23: Québec, the region these tests used, now has NIR data from 1990; Nunavut's start in 2005.
const NU_NOTE: &str = "no generation data for Nunavut (CA-NU) up to 2004, the year of --as-of (its data start in \
                       2005); using Canada (CA) (national)";

// Issue 20: `compare CA-QC --as-of 2022-06-30` showed Québec's 2023 mix, published after the day.
// These tests are about the mix's year: they read the IPCC factors, so that no published rate's
// note joins the notes they check.
#[test]
fn compare_as_of_a_day_uses_the_parents_mix_for_a_region_whose_data_all_come_later() {
    let (v, code) = json_of(&[
        "compare",
        "CA-NU",
        "US-TX",
        "--as-of",
        "2004-06-30",
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
        (Some("CA-NU"), Some("CA"))
    );
    assert_eq!(qc["data_year"], 2003);
    close(&qc["coal_share"], 0.186241);
    assert_eq!(qc["notes"], NU_NOTE);
    // Texas's own 2003 (Ember's API), the year before the as-of year, like Canada's.
    let tx = &v["regions"][1];
    assert_eq!(
        (tx["data_region"].as_str(), tx["data_year"].as_u64()),
        (Some("US-TX"), Some(2003))
    );
}

// Issue 20: an explicit --year takes no later year either (as of 2022, --year 2020 took
// Québec's 2023); the year itself is kept where the parent has it.
#[test]
fn an_explicit_year_with_as_of_takes_no_later_year_either() {
    let (v, code) = json_of(&[
        "compare",
        "CA-NU",
        "--as-of",
        "2004-06-30",
        "--year",
        "2002",
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
        (Some("CA"), Some(2002))
    );
    close(&qc["coal_share"], 0.184565);
    assert_eq!(qc["notes"], NU_NOTE);
}

// Issue 20: the same for a site; the table marks the borrowed mix.
#[test]
fn assess_as_of_a_day_marks_a_site_whose_regions_data_all_come_later() {
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("iqaluit.csv");
    std::fs::write(
        &sites,
        "id,lat,lon,hashrate_ths,efficiency_j_per_th\nq,63.7467,-68.517,1000,30\n",
    )
    .unwrap();
    let sites = sites.to_str().unwrap();
    let out = hashmix()
        .args([
            "assess",
            sites,
            "--as-of",
            "2004-06-30",
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
             q,CA-NU,2003,0.186241,ok,,\"PUE 1.05 assumed (default); {NU_NOTE}\",CA\n"
        )
    );
    let table = hashmix()
        .args(["assess", sites, "--as-of", "2004-06-30", "--draws", "0"])
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains(" 2003      CA* "), "{table}");
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
