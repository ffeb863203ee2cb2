//! Review of data freshness and of modelled regions (issue 23): a partial year of monthly data
//! is never shown as a year, `regions` says which regions' data are modelled, and `compare`
//! shows a stale region's warning on standard error and at the end of its notes.

use super::*;

const STALE_EH: &str = "the newest generation data for Western Sahara (EH) are from 2009, 16 years before 2025 (the newest year of generation data in the grid data): the mix may no longer describe its grid";

/// The `regions` JSON row of `code`.
fn region_row(v: &Value, code: &str) -> Value {
    v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region"] == code)
        .unwrap_or_else(|| panic!("no row {code}"))
        .clone()
}

// Issue 23: Pavlodar, Irkutsk and Sarawak are listed at their boundary's level, with their data
// said to be modelled, as assess's region_level `modelled` says.
#[test]
fn regions_says_which_regions_data_are_modelled_measured_none_or_a_rate() {
    let (v, code) = json_of(&["regions", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(v["schema"], "hashmix.regions.v3");
    let level_data = |c: &str| {
        let r = region_row(&v, c);
        (
            r["level"].as_str().unwrap().to_string(),
            r["data"].as_str().unwrap().to_string(),
        )
    };
    for modelled in ["KZ-55", "RU-IRK", "MY-13"] {
        assert_eq!(
            level_data(modelled),
            ("subnational".into(), "modelled".into()),
            "{modelled}"
        );
    }
    assert_eq!(level_data("CN-BJ"), ("subnational".into(), "measured".into()));
    assert_eq!(level_data("EH"), ("national".into(), "measured".into()));
    assert_eq!(level_data("AD"), ("national".into(), "none".into()));
    assert_eq!(level_data("US-ERCT"), ("zone".into(), "rate".into()));
}

#[test]
fn the_regions_table_has_a_data_column_after_the_level() {
    let out = hashmix()
        .args(["regions", "--country", "KZ", "--level", "1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("region   name                               level       data     parent")
    );
    let pavlodar = text.lines().find(|l| l.starts_with("KZ-55")).unwrap();
    assert!(
        pavlodar.starts_with("KZ-55    Pavlodar                           subnational modelled KZ     yes"),
        "{pavlodar}"
    );
}

// Issue 23: Beijing's NBS months run to April 2024 but its newest complete year, the one its
// sites use, is 2023: `regions` said `china-nbs 2024`.
#[test]
fn regions_shows_a_partial_year_of_months_by_its_last_month() {
    let (v, _) = json_of(&["regions", "--country", "CN", "--level", "1", "--format", "json"]);
    assert_eq!(
        region_row(&v, "CN-BJ")["newest_years"],
        "china-nbs 2023, months to 2024-04; mee-china-2023 2023"
    );
}

// Issue 23: `hashmix compare EH` wrote nothing to standard error, its stale text was not at
// the end of its notes, its notes named three reference years, and its interval was 406.0-406.0.
#[test]
fn compare_prints_a_stale_regions_warning_and_ends_its_notes_with_it() {
    let out = hashmix().args(["compare", "EH", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("EH: warning: {STALE_EH}\n")
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["regions"][0];
    assert_eq!(
        r["notes"],
        format!(
            "mix interval: fewer than 3 17-year changes up to 2009 in the data of EH, WORLD; WORLD's 17-year changes in 2004-2023 used; {STALE_EH}"
        )
    );
    let (p05, p95) = (
        r["intensity_g_per_kwh_p05"].as_f64().unwrap(),
        r["intensity_g_per_kwh_p95"].as_f64().unwrap(),
    );
    assert!(p05 < p95, "a 16-year-old mix has a zero-width interval: {p05}-{p95}");
}

#[test]
fn compare_of_a_current_region_writes_nothing_to_standard_error() {
    let out = hashmix().args(["compare", "KZ-55", "CN-BJ"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // The level column of a modelled region says so.
    let text = String::from_utf8_lossy(&out.stdout);
    let pavlodar = text.lines().find(|l| l.starts_with("KZ-55")).unwrap();
    assert!(
        pavlodar.starts_with("KZ-55   Pavlodar               modelled"),
        "{pavlodar}"
    );
}
