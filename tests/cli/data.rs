//! Whose data a number rests on (issue 20, part 9): a region's own nearest year before its
//! parent's, a parent's mix marked wherever it is used, years and dates outside the data
//! refused; and a `--grid-data` copy checked when it is loaded (part 11).

use std::path::Path;
use std::time::Duration;

use super::*;

fn seed_sites() -> String {
    format!("{}/examples/seed-sites.csv", env!("CARGO_MANIFEST_DIR"))
}

/// Kyzylorda (KZ-43) has neither generation figures nor a modelled mix (GEM lists no operating
/// unit there), so a site there uses Kazakhstan's national mix. Since issue 23 Ekibastuz's
/// Pavlodar (KZ-55) has a mix modelled from its plants, so no seed site is on a parent's mix.
const ON_A_PARENTS_MIX: &str = "id,name,lat,lon,machines,model,uptime
kyzylorda,\"Kyzylorda, Kazakhstan\",44.85,65.50,10300,AvalonMiner 1246,1
leshan,\"Leshan, Sichuan\",29.5521,103.7656,10300,AvalonMiner 1246,1
baie-comeau,\"Baie-Comeau, Quebec\",49.2217,-68.1497,10300,AvalonMiner 1246,1
";

/// [`ON_A_PARENTS_MIX`] in a temporary file.
fn on_a_parents_mix() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.csv");
    std::fs::write(&path, ON_A_PARENTS_MIX).unwrap();
    (dir, path.to_str().unwrap().to_string())
}

/// The output's site whose name is `name`.
fn site<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no site {name}"))
}

// Issue 20: `compare CA-QC CA-BC CA-AB --year 2020` printed Canada's national mix three times
// under the provinces' codes. Issue 23: each province now has NIR's 2020 figures (GWh, Annex 13):
// Quebec other fuels 1,270, hydro 176,000, other renewables 10,800 (counted as wind): hydro
// 176 / 188.07 = 0.935822, lifecycle (1.27x650 + 176x24 + 10.8x11) / 188.07 = 27.481 g/kWh;
// British Columbia gas 680, other fuels 1,000, hydro 55,000, other renewables 1,760: hydro
// 55 / 58.44 = 0.941136; Alberta coal 22,400, gas 24,300, other fuels 640, hydro 2,150, other
// renewables 5,960, other generation 300: coal 22.4 / 55.75 = 0.401794, gas 0.435874.
#[test]
fn each_canadian_province_in_2020_shows_its_own_2020_mix_not_canadas() {
    let (v, code) = json_of(&[
        "compare",
        "--factors",
        "lifecycle",
        "CA-QC",
        "CA-BC",
        "CA-AB",
        "--year",
        "2020",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let r = v["regions"].as_array().unwrap();
    for (x, want) in r.iter().zip(["CA-QC", "CA-BC", "CA-AB"]) {
        assert_eq!(x["region"], want);
        assert_eq!(x["data_region"], want);
        assert_eq!(x["region_level"], "subnational");
        assert_eq!(x["data_year"], 2020);
        assert!(
            x["notes"].as_str().unwrap().starts_with(&format!(
                "{want} 2020: ECCC NIR 2024 Annex 13, main-activity producers (NAICS 22111) only"
            )),
            "{}",
            x["notes"]
        );
    }
    close(&r[0]["hydro_share"], 0.935822);
    close(&r[0]["coal_share"], 0.0);
    close(&r[0]["intensity_g_per_kwh"], 27.481);
    close(&r[1]["hydro_share"], 0.941136);
    close(&r[2]["gas_share"], 0.435874);
    close(&r[2]["coal_share"], 0.401794);
}

// Issue 20: Baie-Comeau in 2021 showed 131 g/kWh and 6.2% coal (Canada's). Issue 23: Quebec's
// own 2021 (NIR, GWh): gas 1.8, other fuels 1,270, hydro 183,000, other renewables 10,500, of
// 194,771.8: hydro 0.939561; lifecycle (0.0018x490 + 1.27x650 + 183x24 + 10.5x11) / 194.7718 =
// 27.385 g/kWh. 10,300 x 90 TH/s x 38 J/TH x PUE 1.05 = 36.9873 MW x 8,760 h = 324,008.748 MWh
// x 27.38531 g/kWh = 8,873.073 t.
#[test]
fn baie_comeau_in_2021_gets_quebecs_own_2021_mix() {
    let (v, code) = json_of(&[
        "assess",
        "--factors",
        "lifecycle",
        &seed_sites(),
        "--year",
        "2021",
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(code, 0);
    let s = site(&v, "Baie-Comeau, Quebec");
    assert_eq!(
        (s["region"].as_str(), s["data_region"].as_str()),
        (Some("CA-QC"), Some("CA-QC"))
    );
    assert_eq!(s["data_year"], 2021);
    close(&s["coal_share"], 0.0);
    close(&s["hydro_share"], 0.939561);
    close(&s["intensity_g_per_kwh"], 27.385);
    close(&s["co2_t_per_year"], 8873.073);
    assert!(
        s["notes"]
            .as_str()
            .unwrap()
            .contains("CA-QC 2021: ECCC NIR 2024 Annex 13")
    );
}

#[test]
fn the_table_marks_a_site_on_its_countrys_mix_and_says_what_the_mark_means() {
    // Issue 20: Ekibastuz lay in Pavlodar (KZ-55), which had no data of its own; Kyzylorda
    // (KZ-43) still has none (issue 23).
    let (_d, sites) = on_a_parents_mix();
    let out = hashmix()
        .args(["assess", &sites, "-q", "--draws", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.starts_with("site                  region match    data      mix of  coal%"));
    let kyzylorda = table.lines().find(|l| l.starts_with("Kyzylorda")).unwrap();
    assert!(kyzylorda.contains(" KZ-43  inside   2023      KZ*   "), "{kyzylorda}");
    let leshan = table.lines().find(|l| l.starts_with("Leshan")).unwrap();
    assert!(!leshan.contains('*'), "{leshan}");
    assert!(table.contains(
        "\n* mix of: the site's own region has no generation data; the mix shown is that of the region named (a parent, or the world)\n"
    ));
}

#[test]
fn a_risk_reason_from_a_parents_mix_names_the_parent() {
    // Issue 20: "coal_share 0.667 in KZ-55" read as Pavlodar's own coal share; Kyzylorda
    // (KZ-43) is on Kazakhstan's mix since Pavlodar's is modelled (issue 23).
    let (_d, sites) = on_a_parents_mix();
    let (v, _) = json_of(&["assess", &sites, "--format", "json", "-q", "--draws", "0"]);
    let reasons = site(&v, "Kyzylorda, Kazakhstan")["risk_reasons"]
        .as_array()
        .unwrap()
        .clone();
    let coal = reasons.iter().find(|r| r["rule"] == "coal_share").unwrap();
    // OWID/Ember Kazakhstan 2023: coal 75.91 of 113.88 TWh = 0.667.
    assert_eq!(
        coal["value"],
        "coal_share 0.667 in KZ-43, from Kazakhstan's national mix (KZ) (0 points at 0.200, 20 at 0.800)"
    );
    let leshan = site(&v, "Leshan, Sichuan")["risk_reasons"].as_array().unwrap().clone();
    let own = leshan.iter().find(|r| r["rule"] == "coal_share").unwrap();
    assert!(!own["value"].as_str().unwrap().contains("from"), "{own}");
}

#[test]
fn the_report_lists_the_sites_on_another_regions_mix() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("r.md");
    let (_d, sites) = on_a_parents_mix();
    hashmix()
        .args(["report", &sites, "-o", md.to_str().unwrap(), "-q"])
        .assert()
        .code(0);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("## Sites on another region's mix"), "{text}");
    assert!(
        text.contains("| Kyzylorda, Kazakhstan | Kyzylorda (KZ-43) | KZ | national | 2023 |"),
        "{text}"
    );
    assert!(!text.contains("| Baie-Comeau, Quebec | Québec (CA-QC)"));
}

#[test]
fn a_year_after_the_data_and_an_as_of_after_the_events_are_refused_with_the_range() {
    // Issue 20: --as-of after the events' end silently lowered every score.
    hashmix()
        .args(["compare", "KZ", "--year", "2099"])
        .assert()
        .code(2)
        .stderr("hashmix: --year 2099: the grid data ends in 2025; it covers 1990-2025\n");
    hashmix()
        .args(["compare", "KZ", "--as-of", "2027-01-01"])
        .assert()
        .code(2)
        .stderr(
            "hashmix: --as-of 2027-01-01: the policy events run to 2026-04-30; give a date up to then (the default is 2026-04-30)\n",
        );
    // Issue 23: the events now run to 2026-04-30.
    hashmix()
        .args(["assess", &seed_sites(), "--as-of", "2026-05-01"])
        .assert()
        .code(2);
    let (v, code) = json_of(&["compare", "KZ", "--as-of", "2026-04-30", "--format", "json"]);
    assert_eq!((code, v["risk_as_of"].as_str()), (0, Some("2026-04-30")));
}

#[test]
fn a_day_that_does_not_exist_is_named_and_a_one_digit_month_is_read() {
    // Issue 20: 2021-02-30 got a generic parse error.
    hashmix()
        .args(["compare", "KZ", "--as-of", "2021-02-30"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "'2021-02-30': the day is invalid: February 2021 has no day 30 (it has 28 days)",
        ));
    // 2021-3-1 is read as in policy-events.csv (see risk::events tests).
    let (v, code) = json_of(&["compare", "KZ", "--as-of", "2021-3-1", "--format", "json"]);
    assert_eq!((code, v["risk_as_of"].as_str()), (0, Some("2021-03-01")));
}

/// Run assess on kz.csv with a grid-data copy; its exit code and standard error.
fn with_grid(copy: &Path) -> (Option<i32>, String) {
    let out = hashmix()
        .args([
            "assess",
            &data("kz.csv"),
            "-q",
            "--draws",
            "0",
            "--grid-data",
            copy.to_str().unwrap(),
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn grid_data_whose_parents_form_a_cycle_is_refused_quickly() {
    // Issue 20: WORLD -> KZ -> WORLD hung every command.
    let (_d, copy) = grid_copy("regions.csv", |t| {
        t.replacen("WORLD,World,world,,", "WORLD,World,world,KZ,", 1)
    });
    let (code, err) = with_grid(&copy);
    assert_eq!(code, Some(2), "{err}");
    let file = copy.join("regions.csv");
    assert!(
        err.contains(&format!("grid data {}: column parent: the parents of ", file.display())),
        "{err}"
    );
    assert!(err.contains("form a cycle (") && err.contains("KZ -> WORLD"), "{err}");
    // `regions` walks the hierarchy too.
    hashmix()
        .args(["regions", "--grid-data", copy.to_str().unwrap()])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2);
}

#[test]
fn a_malformed_grid_data_row_is_refused_with_its_file_line_and_column() {
    // Issue 20: AF 2000 with coal 'abc'; line 25 of mix-annual.csv since issue 23 put the United
    // Arab Emirates' 2001-2022 (OWID's share file) before it.
    let (_d, copy) = grid_copy("mix-annual.csv", |t| {
        t.replacen("AF,2000,1-12,owid-ember,TWh,0,", "AF,2000,1-12,owid-ember,TWh,abc,", 1)
    });
    let (code, err) = with_grid(&copy);
    assert_eq!(code, Some(2));
    let file = copy.join("mix-annual.csv");
    assert_eq!(
        err,
        format!(
            "hashmix: grid data {}: line 25: column coal: 'abc': expected a finite number (TWh)\n",
            file.display()
        )
    );
}

#[test]
fn grid_data_csvs_with_missing_columns_are_refused_not_a_panic() {
    // Issue 20: a short header made regions.csv, neighbours.csv and mining-regions.csv panic.
    for (file, first_line) in [
        ("regions.csv", "region,name"),
        ("neighbours.csv", "region"),
        ("mining-regions.csv", "region,name,evidence"),
    ] {
        let (_d, copy) = grid_copy(file, |t| {
            let rest = t.split_once('\n').unwrap().1;
            let cut: String = rest
                .lines()
                .map(|l| {
                    l.split(',')
                        .take(first_line.split(',').count())
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .collect::<Vec<_>>()
                .join("\n");
            format!("{first_line}\n{cut}\n")
        });
        let (code, err) = with_grid(&copy);
        assert_eq!(code, Some(2), "{file}: {err}");
        assert!(
            err.contains(&format!("{}: line 1: column", copy.join(file).display())),
            "{file}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn an_empty_policy_events_file_is_refused() {
    // Issue 20: no events scored every site low without a word.
    for text in [
        "",
        "id,date,date_precision,effective_date,end_date,jurisdictions,coverage,type,scope,status,confidence,season,description,source,source_url,note\n",
    ] {
        let (_d, copy) = grid_copy("policy-events.csv", |_| text.to_string());
        let (code, err) = with_grid(&copy);
        assert_eq!(code, Some(2), "{err}");
        assert!(
            err.contains(&format!(
                "grid data {}: line 2: no events: expected at least one policy event",
                copy.join("policy-events.csv").display()
            )),
            "{err}"
        );
    }
}

#[test]
fn a_nan_efficiency_in_the_miner_catalogue_is_refused() {
    // Issue 20: line 2 of miners.csv is the Antminer S9 (13.5 TH) at 98 J/TH.
    let (_d, copy) = grid_copy("miners.csv", |t| t.replacen(",1323,,98,", ",1323,,NaN,", 1));
    let (code, err) = with_grid(&copy);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        format!(
            "hashmix: grid data {}: line 2, column efficiency_j_per_th: 'NaN': expected a positive finite number\n",
            copy.join("miners.csv").display()
        )
    );
}

#[test]
fn an_infinite_value_in_a_mix_is_refused() {
    // Issue 20: `inf` parsed as a number and turned every share into NaN. Line 2 is CN-AH's
    // January-February 2015.
    let (_d, copy) = grid_copy("mix-monthly.csv", |t| {
        t.replacen(
            "CN-AH,2015,1-2,china-nbs,TWh,31.344474857155,",
            "CN-AH,2015,1-2,china-nbs,TWh,inf,",
            1,
        )
    });
    let (code, err) = with_grid(&copy);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        format!(
            "hashmix: grid data {}: line 2: column coal: 'inf': expected a finite number (TWh)\n",
            copy.join("mix-monthly.csv").display()
        )
    );
}

#[test]
fn the_sources_name_the_grid_data_and_the_risk_rules_used() {
    let (v, _) = json_of(&["assess", &data("kz.csv"), "--format", "json", "--draws", "0"]);
    let sources = v["sources"].as_array().unwrap();
    let grid = sources.iter().find(|d| d["id"] == "grid-data").unwrap();
    assert_eq!(grid["title"], "grid data embedded in hashmix");
    assert_eq!(grid["vintage"], format!("hashmix {}", env!("CARGO_PKG_VERSION")));
    let rules = sources.iter().find(|d| d["id"] == "risk-rules").unwrap();
    assert_eq!(rules["title"], "risk rules: embedded risk-rules.toml");
}
