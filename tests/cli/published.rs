//! Published factors and the two bases (issue 22): `--basis`, `--factors published|ipcc|FILE`,
//! and the rate each site gets.

use super::*;

#[test]
fn factors_lifecycle_with_basis_direct_is_a_usage_error_naming_both_flags() {
    // Issue 22: `--factors lifecycle` means `--factors ipcc --basis lifecycle`.
    hashmix()
        .args(["assess", &data("kz.csv"), "--factors", "lifecycle", "--basis", "direct"])
        .assert()
        .code(2)
        .stderr(
            "hashmix: --factors lifecycle and --basis direct: --factors lifecycle means --factors ipcc --basis lifecycle; give --factors ipcc --basis direct, or drop one of them\n",
        );
}

#[test]
fn an_unknown_basis_is_a_usage_error() {
    hashmix()
        .args(["compare", "KZ", "--basis", "upstream"])
        .assert()
        .code(2)
        .stderr("hashmix: --basis upstream: expected direct or lifecycle\n");
}

// Kazakhstan 2023, direct IPCC factors: (75.91x760 + 23.37x370 + 0.07x406) / 113.88 = 582.779.
#[test]
fn factors_ipcc_with_basis_direct_is_what_factors_direct_was() {
    for args in [
        ["--factors", "ipcc", "--basis", "direct"],
        ["--factors", "direct", "--basis", "direct"],
    ] {
        let mut all = vec!["assess", &data("kz.csv"), "--format", "json", "--year", "2023"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        all.extend(args.map(String::from));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let (v, code) = json_of(&all);
        assert_eq!(code, 0);
        close(&v["sites"][0]["intensity_g_per_kwh"], 582.779);
    }
}

#[test]
fn a_factor_file_is_read_on_the_basis_that_basis_declares() {
    let (v, code) = json_of(&[
        "assess",
        &data("kz.csv"),
        "--format",
        "json",
        "--factors",
        &data("factors-custom.csv"),
        "--basis",
        "direct",
    ]);
    assert_eq!(code, 0);
    let user = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "user-factors")
        .unwrap();
    assert_eq!(
        user["used_for"],
        "emission factors per source, on the direct basis that --basis declares"
    );
}

/// Assess `csv` (given on standard input) as JSON with `args`; the sites and the exit code.
fn assess(csv: &str, args: &[&str]) -> (Vec<Value>, i32) {
    let out = hashmix()
        .args(["assess", "-", "--format", "json", "--draws", "0"])
        .args(args)
        .write_stdin(csv.to_string())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (v["sites"].as_array().unwrap().clone(), out.status.code().unwrap())
}

const HEADER: &str = "id,lat,lon,region,hashrate_ths,efficiency_j_per_th,pue\n";

#[test]
fn a_texas_site_gets_ercots_published_rate_not_the_state_average() {
    // Issue 22. eGRID2023 rev2 SRC2ERTA ERCT 736.629 lb/MWh x 0.45359237 = 334.129 g/kWh; the
    // state of Texas' STC2ERTA is another figure. 1,000 TH/s x 20 J/TH x PUE 1 = 0.02 MW =
    // 175.2 MWh/yr -> 58.539 t/yr.
    let (sites, code) = assess(
        &format!("{HEADER}rockdale,30.6557,-97.0014,,1000,20,1\n"),
        &["--factors", "published", "--basis", "direct"],
    );
    assert_eq!(code, 0);
    let s = &sites[0];
    assert_eq!(s["region"], "US-TX");
    close(&s["intensity_g_per_kwh"], 334.129);
    close(&s["co2_t_per_year"], 58.539);
    assert_eq!(
        (&s["basis"], &s["intensity_source"], &s["grid_zone"]),
        (
            &Value::from("direct"),
            &Value::from("eGRID2023 rev2 SRC2ERTA, ERCT"),
            &Value::from("US-ERCT")
        )
    );
    let notes = s["notes"].as_str().unwrap();
    assert!(
        notes.contains(
            "intensity: grid zone US-ERCT's published rate; shares: US-TX's mix (the zone's shares are not in the data)"
        ),
        "{notes}"
    );
}

#[test]
fn a_declared_state_gets_egrids_state_rate() {
    // eGRID2023 STC2ERTA TX: grid-data/published-factors.csv row US-TX 2023 direct.
    let (sites, _) = assess(
        &format!("{HEADER}tx,,,US-TX,1000,20,1\n"),
        &["--factors", "published", "--basis", "direct", "--year", "2023"],
    );
    let want = published_value("US-TX", "2023", "direct");
    near(&sites[0]["intensity_g_per_kwh"], want);
}

/// An output intensity, written to 3 decimals, against a rate with more.
fn near(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((got - want).abs() <= 0.0005 + 1e-9, "got {got}, want {want}");
}

/// A headline rate of grid-data/published-factors.csv.
fn published_value(region: &str, year: &str, basis: &str) -> f64 {
    let path = format!("{}/grid-data/published-factors.csv", env!("CARGO_MANIFEST_DIR"));
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    rdr.records()
        .map(|r| r.unwrap())
        .find(|r| {
            r[col("region")] == *region
                && r[col("year")] == *year
                && r[col("basis")] == *basis
                && &r[col("headline")] == "true"
        })
        .unwrap_or_else(|| panic!("{region} {year} {basis}"))[col("g_per_kwh")]
    .parse()
    .unwrap()
}

#[test]
fn sichuan_gets_mees_factor_with_what_it_counts_and_keeps_it_for_a_month() {
    // MEE/NBS 2023 provincial factor, Sichuan: 156.4 gCO2/kWh (CO2 only, consumed electricity).
    for extra in [&[][..], &["--month", "8"][..]] {
        let mut args = vec!["--factors", "published", "--basis", "direct"];
        args.extend_from_slice(extra);
        let (sites, _) = assess(&format!("{HEADER}leshan,,,CN-SC,1000,20,1\n"), &args);
        close(&sites[0]["intensity_g_per_kwh"], 156.4);
        let notes = sites[0]["notes"].as_str().unwrap();
        assert!(
            notes.contains("MEE/NBS Announcement 2025 No. 47 provincial average electricity CO2 emission factor, Sichuan, 2023: CO2 only; consumed electricity: counts inter-provincial transfers"),
            "{notes}"
        );
        assert_eq!(
            notes.contains("published rates are annual: the 2023 rate is used"),
            !extra.is_empty(),
            "{notes}"
        );
    }
}

// China 2023 (OWID/Ember, TWh of 9,459.59): coal 5,741.51, gas 307.6, oil 73.52, nuclear 434.72,
// hydro 1,245.17, wind 885.87, solar 584.15, bioenergy 187.05. x IPCC lifecycle medians: fossil
// 518.685 + other 12.253 g/kWh; Ember's China 2023 is 583.61, so the fossil factors scale by
// k = (583.61 - 12.253) / 518.685 = 1.101549. Sichuan 2023 (NBS, TWh of 433.082; thermal split
// by GEM's coal and gas capacity since issue 23): coal 76.329, gas 2.150, oil 0.954, hydro
// 332.38, wind 14.873, solar 3.969, bioenergy 2.427: fossil 148.387 x k + other 20.526 =
// 183.981 g/kWh (the IPCC medians alone give 168.912; China's rate 583.61).
#[test]
fn sichuan_on_lifecycle_keeps_its_own_mix_with_fossil_factors_scaled_to_chinas_rate() {
    // Issue 22: Ember publishes China's lifecycle intensity, not Sichuan's; Sichuan has a mix of
    // its own, which keeps giving its intensity, at the published level of its country.
    let csv = format!("{HEADER}leshan,,,CN-SC,1000,20,1\n");
    let (published, _) = assess(
        &csv,
        &["--factors", "published", "--basis", "lifecycle", "--year", "2023"],
    );
    close(&published[0]["intensity_g_per_kwh"], 183.981);
    assert_eq!(
        published[0]["intensity_source"],
        "mix x IPCC AR5 lifecycle factors, fossil scaled to Ember data API, May 2025 emissions_intensity_gco2_per_kwh, China, 2023"
    );
    let notes = published[0]["notes"].as_str().unwrap();
    assert!(
        notes.contains("no published lifecycle rate for CN-SC: its mix x the factors with the fossil factors x1.1015, the scale at which CN's mix of 2023 reproduces Ember data API, May 2025 emissions_intensity_gco2_per_kwh, China, 2023 (583.61 g/kWh)"),
        "{notes}"
    );
    let (ipcc, _) = assess(&csv, &["--factors", "ipcc", "--basis", "lifecycle", "--year", "2023"]);
    close(&ipcc[0]["intensity_g_per_kwh"], 168.912);
}

#[test]
fn a_kazakh_site_on_lifecycle_gets_embers_intensity() {
    // Ember data API, Kazakhstan 2023: 821.9 gCO2/kWh (the mix x IPCC medians gives 650.549).
    let (sites, _) = assess(
        &format!("{HEADER}kz,,,KZ,1000,30,1\n"),
        &["--factors", "published", "--basis", "lifecycle", "--year", "2023"],
    );
    close(&sites[0]["intensity_g_per_kwh"], 821.9);
}

#[test]
fn the_risk_score_reads_the_same_mix_intensity_under_published_rates() {
    // Issue 22: the risk rules' thresholds are written on the IPCC lifecycle basis.
    let csv = format!("{HEADER}kz,,,KZ,1000,30,1\ntx,,,US-TX,1000,30,1\nsc,,,CN-SC,1000,30,1\n");
    let (ipcc, _) = assess(&csv, &["--factors", "lifecycle"]);
    for basis in ["direct", "lifecycle"] {
        let (published, _) = assess(&csv, &["--factors", "published", "--basis", basis]);
        for (a, b) in ipcc.iter().zip(&published) {
            assert_eq!(a["risk_score"], b["risk_score"]);
            assert_eq!(a["risk_reasons"], b["risk_reasons"]);
        }
    }
}

#[test]
fn quebec_2021_gets_nirs_generation_intensity() {
    // NIR 2024 Annex 13, Table A13-6 (Quebec), generation intensity 2021: 1.3 g CO2 eq/kWh.
    let (sites, _) = assess(
        &format!("{HEADER}qc,,,CA-QC,1000,30,1\n"),
        &["--factors", "published", "--basis", "direct", "--year", "2021"],
    );
    close(&sites[0]["intensity_g_per_kwh"], 1.3);
}

// Issue 22 (review): as of a day before Quebec's mix data start, the site takes Canada's mix
// (issue 20), but its intensity stays Quebec's own NIR rate of the as-of year's latest published
// year, not Canada's 110 g/kWh: NIR 2024 Annex 13, Table A13-6, generation intensity 2021 1.3
// and 2019 1.2 g CO2 eq/kWh. Issue 23 gave Quebec NIR's mix from 1990, so the grid data here
// keep only its 2023 (CER), as before.
#[test]
fn a_province_on_its_countrys_mix_keeps_its_own_published_rate() {
    let (_d, copy) = grid_copy("mix-annual.csv", |t| {
        t.lines()
            .filter(|l| !l.starts_with("CA-QC,") || l.contains(",cer-canada,"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    let grid = copy.to_str().unwrap();
    for (as_of, want, year) in [("2022-06-30", 1.3, 2021), ("2020-06-01", 1.2, 2019)] {
        let (sites, code) = assess(
            &format!("{HEADER}qc,,,CA-QC,1000,30,1\n"),
            &["--as-of", as_of, "--grid-data", grid],
        );
        assert_eq!(code, 0);
        let s = &sites[0];
        assert_eq!(s["data_region"], "CA", "{as_of}");
        assert_eq!(s["intensity_g_per_kwh"], want, "{as_of}");
        assert_eq!(
            s["intensity_source"],
            format!(
                "NIR 2024 (1990-2022), Annex 13 Generation Intensity (g CO2 eq / kWh), Quebec (Table A13-6), {year}"
            )
        );
        assert!(
            s["notes"]
                .as_str()
                .unwrap()
                .contains("intensity: CA-QC's published rate; shares: CA's mix (CA-QC has none for the year)"),
            "{}",
            s["notes"]
        );
    }
}

#[test]
fn a_mix_based_intensity_says_its_factors_and_basis() {
    let (sites, _) = assess(&format!("{HEADER}kz,,,KZ,1000,30,1\n"), &["--factors", "lifecycle"]);
    assert_eq!(sites[0]["basis"], "lifecycle");
    assert_eq!(sites[0]["intensity_source"], "mix x IPCC AR5 lifecycle factors");
    assert_eq!(sites[0]["grid_zone"], Value::Null);
}

// Issue 22: where no rate is published (Kazakhstan on the direct basis), `intensity_source`
// says the mix gives the intensity; the notes do not repeat it on every row.
#[test]
fn without_a_published_rate_the_source_says_mix_and_the_notes_stay_short() {
    let (sites, _) = assess(&format!("{HEADER}kz,,,KZ,1000,30,1\n"), &[]);
    assert_eq!(sites[0]["basis"], "direct");
    assert_eq!(sites[0]["intensity_source"], "mix x IPCC AR5 direct factors");
    // 0.666579 x 760 + 0.205216 x 370 + 0.000615 x 406 (coal, gas, oil; the rest 0).
    assert_eq!(sites[0]["intensity_g_per_kwh"], 582.779);
    assert_eq!(sites[0]["notes"], "");
}

#[test]
fn the_intervals_of_a_published_rate_are_centred_on_it() {
    // Issue 22: the mix-model draws scaled by published rate / their median, around Ember's
    // Kazakhstan 2023 lifecycle intensity, 821.9 g/kWh.
    let out = hashmix()
        .args(["assess", "-", "--format", "json", "--draws", "200", "--year", "2023"])
        .args(["--factors", "published", "--basis", "lifecycle"])
        .write_stdin(format!("{HEADER}kz,,,KZ,1000,30,1\n"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &v["sites"][0];
    close(&s["intensity_g_per_kwh_p50"], 821.9);
    assert!(s["intensity_g_per_kwh_p05"].as_f64().unwrap() < 821.9);
    assert!(s["intensity_g_per_kwh_p95"].as_f64().unwrap() > 821.9);
}

// Issue 22: a published rate older than the year asked for carries the mix's moves since its
// year. Rockdale gets eGRID2023's ERCOT rate; Texas' mix is of 2025. Asked for 2023, the rate's
// own year, on the direct basis (fixed factors, no gap), the interval is the rate itself; asked
// for 2025 it carries two years of Texas' moves (seed 1, 1,000 draws), centred on the rate.
#[test]
fn an_older_published_rate_has_an_interval_from_the_mixs_moves_since_its_year() {
    let interval = |year: &str| {
        let out = hashmix()
            .args(["assess", "-", "--format", "json", "--year", year])
            .write_stdin(format!("{HEADER}rockdale,30.6557,-97.0014,,1000,30,1.05\n"))
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let s = &v["sites"][0];
        assert_eq!(s["intensity_source"], "eGRID2023 rev2 SRC2ERTA, ERCT");
        ["p05", "p50", "p95"].map(|p| s[format!("intensity_g_per_kwh_{p}")].as_f64().unwrap())
    };
    assert_eq!(interval("2023"), [334.129, 334.129, 334.129]);
    // Issue 23: Texas' moves are Ember's API 2001-2024 and 2025 (were EIA's to 2019 and Ember's
    // 2023-2025: 276.668, 334.129, 412.606).
    assert_eq!(interval("2025"), [276.596, 334.129, 413.205]);
}

#[test]
fn compare_shows_ercot_beside_texas_with_its_rate_and_no_shares() {
    // Issue 22: ERCT's row is eGRID2023's subregion rate, 334.129 g/kWh; 29.5 J/TH x 1.05 /
    // 3.6e6 x 334.129 = 0.002874904 g/TH. Texas' row is eGRID2023's state rate.
    let (v, code) = json_of(&[
        "compare",
        "US-ERCT",
        "US-TX",
        "--factors",
        "published",
        "--basis",
        "direct",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let (zone, state) = (&v["regions"][0], &v["regions"][1]);
    assert_eq!(
        (
            &zone["region"],
            &zone["region_level"],
            &zone["grid_zone"],
            &zone["basis"]
        ),
        (
            &Value::from("US-ERCT"),
            &Value::from("zone"),
            &Value::from("US-ERCT"),
            &Value::from("direct")
        )
    );
    assert_eq!(zone["intensity_source"], "eGRID2023 rev2 SRC2ERTA, ERCT");
    close(&zone["intensity_g_per_kwh"], 334.129);
    close(&zone["co2_g_per_th"], 0.002874904);
    for share in ["coal_share", "gas_share", "fossil_share", "low_carbon_share"] {
        assert_eq!(zone[share], Value::Null, "{share}");
    }
    assert!(
        zone["notes"]
            .as_str()
            .unwrap()
            .starts_with("shares: no data for grid zone US-ERCT (its published rate has no generation mix); risk: that of its country US"),
        "{}",
        zone["notes"]
    );
    // The zone's interval is drawn around its rate (the median is the rate) with the relative
    // spread of the country's mix: 2023's rate asked for 2026, the default as-of year since issue
    // 23 (seed 1, 1,000 draws; [281.044, 334.129, 385.383] asked for 2025).
    assert_eq!(
        ["p05", "p50", "p95"].map(|p| zone[format!("intensity_g_per_kwh_{p}")].as_f64().unwrap()),
        [257.902, 334.129, 373.06]
    );
    assert_eq!(state["intensity_source"], "eGRID2023 rev2 STC2ERTA, TX");
    assert_eq!(state["grid_zone"], Value::Null);
    near(
        &state["intensity_g_per_kwh"],
        published_value("US-TX", "2023", "direct"),
    );
}

#[test]
fn a_declared_grid_zone_is_placed_in_its_country_and_gets_the_zones_rate() {
    // Issue 22: `region` may name a grid zone; the shares are its country's mix (the zone's are
    // not in the data), the intensity the zone's published rate where there is one.
    let csv = "id,region,hashrate_ths,efficiency_j_per_th,pue\nercot,US-ERCT,1000,20,1\nno5,no-no5,1000,20,1\n";
    let (direct, code) = assess(csv, &[]);
    assert_eq!(code, 1, "NO5 has no direct rate");
    let ercot = &direct[0];
    assert_eq!(
        (&ercot["region"], &ercot["grid_zone"], &ercot["match"]),
        (&Value::from("US"), &Value::from("US-ERCT"), &Value::from("declared"))
    );
    close(&ercot["intensity_g_per_kwh"], 334.129);
    assert!(
        ercot["notes"]
            .as_str()
            .unwrap()
            .starts_with("US-ERCT is a grid zone of US: the site is placed in US"),
        "{}",
        ercot["notes"]
    );
    // No direct rate is published for NO5: declared, it would only be Norway's figures under
    // NO5's code, so it is a row error (a site in NO5 given by its coordinates gets Norway's mix).
    assert_eq!(direct[1]["status"], "error");
    // On lifecycle, Khepri's NO5 intensity of 2025.
    let (lifecycle, code) = assess(csv, &["--basis", "lifecycle"]);
    assert_eq!(code, 1, "ERCOT has no lifecycle rate");
    assert_eq!(lifecycle[1]["grid_zone"], "NO-NO5");
    assert_eq!(lifecycle[1]["intensity_g_per_kwh"], 24.46);
}

// Issue 22 (review): a site in Puerto Rico got eGRID2019's state rate whatever the year, since
// PRMS was a zone of the US and Puerto Rico is a country here; it gets eGRID2023's PRMS rate,
// 1548.53 lb/MWh x 0.45359237 = 702.401 g/kWh (rounded to 3 decimals).
#[test]
fn a_site_in_puerto_rico_gets_egrids_prms_rate() {
    let (sites, code) = assess(&format!("{HEADER}sj,18.4663,-66.1057,,1000,30,1\n"), &[]);
    assert_eq!(code, 0);
    assert_eq!(sites[0]["region"], "PR");
    assert_eq!(sites[0]["grid_zone"], "US-PRMS");
    assert_eq!(sites[0]["intensity_source"], "eGRID2023 rev2 SRC2ERTA, PRMS");
    assert_eq!(sites[0]["intensity_g_per_kwh"], 702.401);
}

// Issue 22 (review): a declared zone without a rate on the basis took its whole country's
// figures (on lifecycle, US-ERCT got the US's Ember rate); it is a row error saying what to
// give instead.
#[test]
fn a_declared_zone_without_a_rate_on_the_basis_is_a_row_error() {
    let (sites, code) = assess(&format!("{HEADER}z,,,US-ERCT,1000,30,1\n"), &["--basis", "lifecycle"]);
    assert_eq!(code, 1);
    assert_eq!(sites[0]["status"], "error");
    assert_eq!(
        sites[0]["error"],
        "line 2, column 'region', value 'US-ERCT': a grid zone with a published lifecycle rate under --factors published; US-ERCT has none: give the site's coordinates or its state or province (see `hashmix regions --country US`)"
    );
}
