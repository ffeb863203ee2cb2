//! End-to-end tests of the `hashmix` binary: every format, standard input, each class of
//! bad input and its exit code. Expected numbers are worked out by hand in the comments.

use assert_cmd::Command;
use serde_json::Value;

fn hashmix() -> Command {
    Command::cargo_bin("hashmix").expect("the binary is built by cargo test")
}

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn json_of(args: &[&str]) -> (Value, i32) {
    let out = hashmix().args(args).output().unwrap();
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (v, out.status.code().unwrap())
}

fn close(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
}

/// `text` written to sites.csv in a temporary folder (kept while the first value lives) and
/// the file's path.
fn sites_csv(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.csv");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap().to_string();
    (dir, path)
}

/// The Markdown report of a sites CSV given as text (the run must exit 0).
fn report_md(sites: &str) -> String {
    let (dir, path) = sites_csv(sites);
    let md = dir.path().join("r.md");
    let out = hashmix()
        .args(["report", &path, "-q", "-o", md.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(md).unwrap()
}

/// A number field of a JSON record.
fn num(v: &Value, field: &str) -> f64 {
    v[field]
        .as_f64()
        .unwrap_or_else(|| panic!("{field} is not a number: {}", v[field]))
}

/// One 1000 TH/s site of 30 J/TH at (lat, lon) assessed as of `day`: its JSON record.
fn site_as_of(lat: &str, lon: &str, day: &str) -> Value {
    let (_dir, path) = sites_csv(&format!(
        "id,lat,lon,hashrate_ths,efficiency_j_per_th\nsite,{lat},{lon},1000,30\n"
    ));
    let (v, code) = json_of(&["assess", &path, "--as-of", day, "--format", "json"]);
    assert_eq!(code, 0, "{v}");
    v["sites"][0].clone()
}

/// The (rule, event id, points) of each of a site's risk reasons that names an event.
fn reasons_by_event(site: &Value) -> Vec<(String, String, f64)> {
    site["risk_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["event_id"].is_null())
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["event_id"].as_str().unwrap().to_string(),
                r["points"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// A copy of grid-data/ in a temporary folder, with `file` changed by `edit`.
fn grid_copy(file: &str, edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("grid-data");
    std::fs::create_dir(&copy).unwrap();
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("grid-data");
    for entry in std::fs::read_dir(&from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    let text = std::fs::read_to_string(copy.join(file)).unwrap();
    std::fs::write(copy.join(file), edit(text)).unwrap();
    (dir, copy)
}

// Kazakhstan 2023 (OWID/Ember): coal 75.91, gas 23.37, oil 0.07, hydro 8.77, wind 3.93,
// solar 1.83 TWh of 113.88. Lifecycle intensity = (75.91x820 + 23.37x490 + 0.07x650 +
// 8.77x24 + 3.93x11 + 1.83x48) / 113.88 = 650.549 g/kWh. 1,000 TH/s x 30 J/TH x PUE 1 =
// 0.03 MW = 262.8 MWh/yr -> 170.964 t/yr; 30/3.6e6 x 650.549 = 0.005421244 g/TH.
#[test]
fn a_declared_kazakh_site_gets_hand_checked_values() {
    let (v, code) = json_of(&[
        "assess",
        "--factors",
        "lifecycle",
        &data("kz.csv"),
        "--format",
        "json",
        "--year",
        "2023",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["schema"], "hashmix.assess.v8");
    let s = &v["sites"][0];
    assert_eq!(s["region"], "KZ");
    assert_eq!(s["match"], "declared");
    assert_eq!(s["region_level"], "national");
    assert_eq!(s["data_year"], 2023);
    close(&s["coal_share"], 0.666579);
    close(&s["hydro_share"], 0.077011);
    close(&s["intensity_g_per_kwh"], 650.549);
    close(&s["power_mw"], 0.03);
    close(&s["energy_mwh_per_year"], 262.8);
    close(&s["co2_t_per_year"], 170.964);
    close(&s["co2_g_per_th"], 0.005421244);
    close(&s["co2_kg_per_ths_day"], 0.468395);
    assert_eq!(s["status"], "ok");
    let p = &v["portfolio"];
    assert_eq!(
        (p["sites"].as_u64(), p["sites_ok"].as_u64(), p["sites_failed"].as_u64()),
        (Some(1), Some(1), Some(0))
    );
    close(&p["intensity_g_per_kwh"], 650.549);
    let ids: Vec<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    // Issue 22: only the datasets the run used (no model). A declared code is placed without
    // the boundaries, but the risk cites Kyrgyzstan's ban next door (KG-2025-11-12), found
    // through neighbours.csv, which is drawn from them: they are credited (issue 23).
    assert_eq!(
        ids,
        [
            "natural-earth-admin0",
            "natural-earth-admin1",
            "owid-ember",
            "ipcc-ar5",
            "policy-events",
            "grid-data",
            "risk-rules"
        ]
    );
}

// Direct factors: (75.91x760 + 23.37x370 + 0.07x406) / 113.88 = 582.779 g/kWh.
#[test]
fn direct_factors_count_combustion_only() {
    let (v, _) = json_of(&[
        "assess",
        &data("kz.csv"),
        "--format",
        "json",
        "--year",
        "2023",
        "--factors",
        "direct",
    ]);
    close(&v["sites"][0]["intensity_g_per_kwh"], 582.779);
}

// Custom factors: (75.91x1000 + 23.37x500 + 0.07x700) / 113.88 = 769.617 g/kWh.
#[test]
fn a_custom_factor_file_replaces_the_defaults() {
    let (v, code) = json_of(&[
        "assess",
        &data("kz.csv"),
        "--format",
        "json",
        "--year",
        "2023",
        "--factors",
        &data("factors-custom.csv"),
    ]);
    assert_eq!(code, 0);
    close(&v["sites"][0]["intensity_g_per_kwh"], 769.617);
    let ids: Vec<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"user-factors") && !ids.contains(&"ipcc-ar5"), "{ids:?}");
}

#[test]
fn an_incomplete_factor_file_is_unusable_and_names_the_missing_sources() {
    hashmix()
        .args(["assess", &data("kz.csv"), "--factors", &data("factors-incomplete.csv")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no factor for oil, nuclear, hydro, wind, solar, bioenergy, other_renewables",
        ));
}

#[test]
fn every_format_carries_the_same_fields() {
    let fields: Vec<&str> = hashmix::output::fields::site_field_names();
    let (v, _) = json_of(&["assess", &data("kz.csv"), "--format", "json"]);
    // The JSON object as written, in the column table's order (the tests read it with
    // serde_json's preserve_order).
    let keys: Vec<&str> = v["sites"][0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, fields);

    let csv = hashmix()
        .args(["assess", &data("kz.csv"), "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(text.lines().next().unwrap(), fields.join(","));
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("kz-1,,,,KZ,Kazakhstan,national,declared,2023,,0.666579,")
    );

    let nd = hashmix()
        .args(["assess", &data("kz.csv"), "--format", "ndjson"])
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(nd.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["region"], "KZ");
    assert_eq!(lines[1]["schema"], "hashmix.assess.v8");
    assert_eq!(lines[1]["portfolio"]["sites_ok"], 1);

    let (g, _) = json_of(&["assess", &data("sites.geojson"), "--format", "geojson"]);
    assert_eq!(g["type"], "FeatureCollection");
    assert_eq!(g["features"][0]["geometry"]["coordinates"][0], 75.3233);
    assert_eq!(
        g["features"][1]["geometry"],
        Value::Null,
        "a declared site has no geometry"
    );
    assert_eq!(g["features"][0]["properties"]["region"], "KZ-55");
    assert_eq!(g["portfolio"]["sites"], 3);

    let table = hashmix().args(["assess", &data("kz.csv")]).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.starts_with("site "), "{text}");
    assert!(text.contains("kz-1"));
    assert!(text.contains("portfolio: 1 sites (1 ok, 0 failed)"));
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let input = std::fs::read(data("kz.csv")).unwrap();
    let out = hashmix()
        .args(["assess", "-", "--format", "csv"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().contains("kz-1,,,,KZ,"));
}

#[test]
fn a_dash_as_output_writes_to_standard_output() {
    // Run in an empty directory: `-o -` must not leave a file named "-" behind.
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| hashmix().current_dir(dir.path()).args(args).output().unwrap();
    let kz = data("kz.csv");
    let to_stdout = run(&["assess", &kz, "--format", "csv", "-o", "-"]);
    let plain = run(&["assess", &kz, "--format", "csv"]);
    assert_eq!(to_stdout.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&to_stdout.stdout).contains("kz-1,,,,KZ,"));
    assert_eq!(to_stdout.stdout, plain.stdout);
    let regions = run(&["regions", "--format", "csv", "-o", "-"]);
    assert_eq!(regions.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&regions.stdout).contains("KZ-55"));
    // A workbook is a file: `-o -` is refused as a missing file name is.
    for args in [
        vec!["assess", &kz, "--format", "xlsx", "-o", "-"],
        vec!["compare", "KZ", "CN-SC", "--format", "xlsx", "-o", "-"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("give -o FILE.xlsx"),
            "{args:?}"
        );
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn semicolons_decimal_commas_bom_and_crlf_are_understood() {
    let (v, code) = json_of(&["assess", &data("semicolon-bom-crlf.csv"), "--format", "json"]);
    assert_eq!(code, 0, "{v}");
    let s = &v["sites"][0];
    assert_eq!(s["id"], "ekibastuz");
    assert_eq!(s["region"], "KZ-55");
    assert_eq!(s["match"], "inside");
    close(&s["lat"], 51.7236);
    close(&s["hashrate_ths"], 1500.0);
    close(&s["pue"], 1.05);
}

#[test]
fn tab_separated_files_and_column_aliases_are_understood() {
    let (v, code) = json_of(&["assess", &data("tab.tsv"), "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(v["sites"][0]["region"], "US-TX");
    close(&v["sites"][0]["efficiency_j_per_th"], 30.0);
}

#[test]
fn machines_and_model_size_the_seed_fleet() {
    // 10,300 AvalonMiner 1246 x 90 TH/s = 927,000 TH/s; x 38 J/TH x 1.05 = 36.9873 MW.
    let (v, code) = json_of(&["assess", &data("sites.geojson"), "--format", "json"]);
    assert_eq!(code, 1, "the Polygon feature fails");
    let s = &v["sites"][0];
    close(&s["hashrate_ths"], 927_000.0);
    close(&s["power_mw"], 36.9873);
    assert_eq!(s["region"], "KZ-55");
    let bad = &v["sites"][2];
    assert_eq!(bad["status"], "error");
    assert_eq!(
        bad["error"],
        "feature 3, column 'geometry', value 'Polygon': expected a Point geometry (or null with a region property)"
    );
}

#[test]
fn bad_rows_are_reported_in_place_and_exit_1() {
    let out = hashmix()
        .args(["assess", &data("bad-rows.csv"), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sites = v["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 9, "every input row appears in the output");
    let errors: Vec<&str> = sites.iter().map(|s| s["error"].as_str().unwrap_or("")).collect();
    assert_eq!(errors[0], "");
    assert_eq!(
        errors[1],
        "line 3, column 'lat', value '103.8': expected a latitude between -90 and 90; it fits a longitude, so lat and lon are probably swapped"
    );
    assert_eq!(errors[2], "line 4: the row has 3 fields but the header has 8");
    assert_eq!(
        errors[3],
        "line 5, column 'hashrate_ths', value 'NaN': expected a finite number"
    );
    assert_eq!(
        errors[4],
        "line 6, column 'efficiency_j_per_th', value '-3': expected a positive number of J/TH"
    );
    assert!(
        errors[5].starts_with(
            "line 7, column 'model', value 'S19 Prp': unknown miner model; closest: Antminer S19 Pro (110 TH)"
        ),
        "{}",
        errors[5]
    );
    assert!(
        errors[6].starts_with("line 8: no efficiency: add efficiency_j_per_th"),
        "{}",
        errors[6]
    );
    assert_eq!(
        errors[7],
        "line 9: (0, -150) is outside every region and more than 10 km from land; check the coordinates"
    );
    assert_eq!(sites[7]["match"], "none");
    assert!(
        errors[8].starts_with("line 10, column 'region', value 'XX': unknown region code"),
        "{}",
        errors[8]
    );
    assert_eq!(v["portfolio"]["sites_failed"], 8);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad-rows.csv:3: line 3, column 'lat'"), "{stderr}");
}

#[test]
fn strict_stops_at_the_first_bad_row() {
    let out = hashmix()
        .args(["assess", &data("bad-rows.csv"), "--format", "ndjson", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "two sites and the portfolio: {text}");
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("stopped at the first bad row")
    );
}

#[test]
fn unusable_inputs_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.csv");
    std::fs::write(&garbage, [0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe, 0x00, 0x13]).unwrap();
    let nested = dir.path().join("nested.geojson");
    std::fs::write(&nested, format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))).unwrap();
    let malformed = dir.path().join("malformed.geojson");
    std::fs::write(
        &malformed,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature""#,
    )
    .unwrap();
    let not_fc = dir.path().join("point.geojson");
    std::fs::write(&not_fc, r#"{"type":"Point","coordinates":[1,2]}"#).unwrap();
    // A header and no rows, or a collection without features: no sites to assess.
    let header_only = dir.path().join("header-only.csv");
    std::fs::write(&header_only, "id,name,lat,lon,hashrate_ths\r\n").unwrap();
    let no_features = dir.path().join("none.geojson");
    std::fs::write(&no_features, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let cases = [
        (data("missing.csv"), "cannot read"),
        (data("empty.csv"), "the input is empty"),
        (
            data("no-location.csv"),
            "no location columns: give latitude (lat, latitude) and longitude (lon, longitude, lng, long), or region",
        ),
        (garbage.display().to_string(), "binary data"),
        (nested.display().to_string(), "nested more than 128 levels"),
        (malformed.display().to_string(), "not valid JSON"),
        (not_fc.display().to_string(), "FeatureCollection"),
        (
            header_only.display().to_string(),
            "no sites: the input has a header but no rows",
        ),
        (
            no_features.display().to_string(),
            "no sites: the input has a header but no rows (or no features)",
        ),
    ];
    for (path, message) in cases {
        hashmix()
            .args(["assess", &path])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(message));
    }
}

#[test]
fn a_year_before_the_data_is_a_usage_error() {
    hashmix()
        .args(["assess", &data("kz.csv"), "--year", "1989"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--year 1989: the grid data starts in 1990"));
}

#[test]
fn output_goes_to_a_file_with_o() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    hashmix()
        .args([
            "assess",
            &data("kz.csv"),
            "--format",
            "json",
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(0)
        .stdout("");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(v["sites"][0]["region"], "KZ");
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let run = || {
        hashmix()
            .args(["assess", &data("bad-rows.csv"), "--format", "json"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn miners_lists_the_catalogue() {
    let out = hashmix().args(["miners"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("AvalonMiner 1246 (90 TH)"));
    assert_eq!(text.lines().count(), 39, "a header and 38 models");
}

#[test]
fn the_seed_example_assesses_every_site() {
    let (v, code) = json_of(&[
        "assess",
        &format!("{}/examples/seed-sites.csv", env!("CARGO_MANIFEST_DIR")),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let regions: Vec<&str> = v["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["region"].as_str().unwrap())
        .collect();
    assert_eq!(regions, ["KZ-55", "CN-SC", "CN-NM", "US-TX", "US-NY", "CA-QC"]);
}

/// Real mining towns and awkward places, located in the embedded Natural Earth polygons.
#[test]
fn real_towns_resolve_to_their_country_coast_border_and_antimeridian_included() {
    use hashmix::pipeline::Assessor;
    use hashmix::regions::Located;
    use hashmix::settings::Options;
    let a = Assessor::embedded(Options::default()).unwrap();
    let cases = [
        ("Ekibastuz", 51.7236, 75.3233, "KZ", "inside"),
        ("Leshan", 29.5521, 103.7656, "CN", "inside"),
        ("Rockdale", 30.6555, -97.0014, "US", "inside"),
        ("Massena", 44.9281, -74.8919, "US", "inside"),
        ("Suva, Fiji", -18.1416, 178.4419, "FJ", "inside"),
        ("Lakeba, Fiji (west of the antimeridian)", -18.2, -178.8, "FJ", "inside"),
        (
            "Uelen, Chukotka (negative longitude)",
            66.1597,
            -169.8092,
            "RU",
            "nearest",
        ),
        (
            "Anadyr (a coastal town offshore at 10m)",
            64.7337,
            177.5089,
            "RU",
            "nearest",
        ),
        ("Baie-Comeau port", 49.2167, -68.15, "CA", "nearest"),
        ("Tromso", 69.6492, 18.9553, "NO", "nearest"),
        (
            "Dhekelia base (no ISO code; surrounded by Cyprus)",
            35.0,
            33.75,
            "CY",
            "nearest",
        ),
    ];
    for (name, lat, lon, code, how) in cases {
        let (idx, got_how) = match a.index.locate(lat, lon) {
            Located::Inside(i) => (i, "inside"),
            Located::Nearest(i, km) => {
                assert!(km <= 10.0, "{name}: {km} km");
                (i, "nearest")
            }
            Located::Outside => panic!("{name} is outside every region"),
        };
        assert_eq!((a.index.region(idx).code.as_str(), got_how), (code, how), "{name}");
    }
    assert_eq!(a.index.locate(0.0, -150.0), Located::Outside);
}

/// Issue 2's check against a published figure. CCAF's January 2022 mining map (US 37.84%,
/// China 21.11%, Kazakhstan 13.22%, Canada 6.48%, Russia 4.66%, the other 16.69% taken as
/// the world) weighting Ember's published 2022 intensities (OWID carbon-intensity-electricity:
/// US 410.37, CN 586.70, KZ 831.56, CA 156.79, RU 438.42, World 489.75 g/kWh) gives a network
/// intensity of 501.40 g/kWh. hashmix, with the per-fuel factors implied by Ember's data
/// (tools/fit_ember_factors.py), gives 508.15: 1.3% above.
#[test]
fn a_published_hashrate_distribution_reproduces_the_published_network_intensity() {
    let dir = format!("{}/examples/network-2022", env!("CARGO_MANIFEST_DIR"));
    let (v, code) = json_of(&[
        "assess",
        &format!("{dir}/hashrate-jan2022.csv"),
        "--year",
        "2022",
        "--factors",
        &format!("{dir}/ember-implied-factors.csv"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    close(&v["portfolio"]["intensity_g_per_kwh"], 508.15);
    let published = 501.396;
    let ratio = v["portfolio"]["intensity_g_per_kwh"].as_f64().unwrap() / published;
    assert!((ratio - 1.0).abs() < 0.03, "{ratio}");
}

#[test]
fn grid_data_from_a_directory_gives_the_embedded_result_and_a_missing_one_exits_2() {
    let dir = format!("{}/grid-data", env!("CARGO_MANIFEST_DIR"));
    let run = |extra: &[&str]| {
        let mut args = vec!["assess".to_string(), data("kz.csv"), "--format".into(), "json".into()];
        args.extend(extra.iter().map(|s| s.to_string()));
        hashmix().args(&args).output().unwrap()
    };
    let embedded = run(&[]);
    let from_dir = run(&["--grid-data", &dir]);
    assert_eq!(from_dir.status.code(), Some(0));
    // Identical but for the name of the uncertainty model the draws were read from.
    let mut a: serde_json::Value = serde_json::from_slice(&embedded.stdout).unwrap();
    let mut b: serde_json::Value = serde_json::from_slice(&from_dir.stdout).unwrap();
    assert_eq!(a["uncertainty"]["model"], "embedded uncertainty.toml");
    assert_eq!(b["uncertainty"]["model"], format!("{dir}/uncertainty.toml"));
    a["uncertainty"]["model"] = serde_json::Value::Null;
    b["uncertainty"]["model"] = serde_json::Value::Null;
    // And for the copy of the data that `sources` names (issue 20).
    let grid_source = |v: &mut serde_json::Value| {
        let row = v["sources"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|d| d["id"] == "grid-data")
            .unwrap();
        let named = (
            row["title"].as_str().unwrap().to_string(),
            row["vintage"].as_str().unwrap().to_string(),
        );
        row["title"] = serde_json::Value::Null;
        row["vintage"] = serde_json::Value::Null;
        named
    };
    assert_eq!(grid_source(&mut a).0, "grid data embedded in hashmix");
    assert_eq!(
        grid_source(&mut b),
        (format!("grid data from {dir}"), "as found in that directory".into())
    );
    // And for the rules, named by where they were read (issue 20).
    let rules_source = |v: &mut serde_json::Value| {
        let row = v["sources"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|d| d["id"] == "risk-rules")
            .unwrap();
        std::mem::take(&mut row["title"])
    };
    assert_eq!(rules_source(&mut a), "risk rules: embedded risk-rules.toml");
    assert_eq!(rules_source(&mut b), format!("risk rules: {dir}/risk-rules.toml"));
    assert_eq!(a, b);
    let missing = run(&["--grid-data", "/nonexistent/grid-data"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8(missing.stderr)
            .unwrap()
            .contains("cannot read /nonexistent/grid-data/")
    );
}

/// Mining towns in China, the US, Canada and Kazakhstan, coastal and border towns included,
/// resolve to their province or state through the whole pipeline.
#[test]
fn real_mining_towns_resolve_to_their_province_or_state() {
    let (v, code) = json_of(&["assess", &data("towns.csv"), "--format", "json"]);
    assert_eq!(code, 0, "{v}");
    let got: Vec<(String, String, String)> = v["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["region"].as_str().unwrap().to_string(),
                s["region_level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("leshan", "CN-SC", "subnational"),
        ("xichang", "CN-SC", "subnational"),
        ("kangding", "CN-SC", "subnational"),
        ("ordos", "CN-NM", "subnational"),
        ("yining", "CN-XJ", "subnational"),
        ("horgos-border", "CN-XJ", "subnational"),
        ("hami", "CN-XJ", "subnational"),
        ("puer", "CN-YN", "subnational"),
        ("golmud", "CN-QH", "subnational"),
        ("rockdale", "US-TX", "subnational"),
        ("corpus-christi-coast", "US-TX", "subnational"),
        ("massena-border", "US-NY", "subnational"),
        ("plattsburgh", "US-NY", "subnational"),
        ("wenatchee", "US-WA", "subnational"),
        ("calvert-city", "US-KY", "subnational"),
        ("dalton", "US-GA", "subnational"),
        ("baie-comeau-coast", "CA-QC", "subnational"),
        ("medicine-hat", "CA-AB", "subnational"),
        // Issue 23: mixes modelled from GEM's plant units.
        ("ekibastuz", "KZ-55", "modelled"),
        ("almaty-city", "KZ-75", "modelled"),
        ("semey-abay", "KZ-63", "modelled"),
        ("bratsk", "RU-IRK", "modelled"),
        ("tromso-coast", "NO-55", "national"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    // Semey is in Abay region, created in 2022 after the boundary file: the note says so.
    let semey = &v["sites"][20];
    assert!(
        semey["notes"].as_str().unwrap().contains("Abay (KZ-10)"),
        "{}",
        semey["notes"]
    );
    // A province without figures of its own whose plants are known has a modelled mix, and
    // says so (issue 23; before it, Pavlodar used Kazakhstan's mix).
    let ekibastuz = v["sites"][18]["notes"].as_str().unwrap();
    assert!(
        ekibastuz.contains("KZ-55 2023: modelled from plant capacity, not measured generation"),
        "{ekibastuz}"
    );
}

// The README's seed example: the same AvalonMiner fleet at Ekibastuz and Ordos emits several
// times more per terahash than at Leshan. Sichuan Jan-Nov 2023 (NBS): hydro 33,238,000 of
// 43,308,163.36 (x 10 MWh) = 0.767477.
#[test]
fn the_same_fleet_emits_several_times_more_at_ekibastuz_or_ordos_than_at_leshan() {
    let (v, _) = json_of(&[
        "assess",
        &format!("{}/examples/seed-sites.csv", env!("CARGO_MANIFEST_DIR")),
        "--format",
        "json",
    ]);
    let g = |i: usize| v["sites"][i]["co2_g_per_th"].as_f64().unwrap();
    let (ekibastuz, leshan, ordos) = (g(0), g(1), g(2));
    close(&v["sites"][1]["hydro_share"], 0.767477);
    assert!(ekibastuz / leshan > 3.5, "{ekibastuz} / {leshan}");
    assert!(ordos / leshan > 3.5, "{ordos} / {leshan}");
}

// Sichuan August 2023 (NBS, 10 MWh, YTD differences): hydro 4,807,000 of 5,465,851 = 0.879460;
// January-February 2023: hydro 4,779,000 of 6,865,544 = 0.696085.
#[test]
fn compare_shows_sichuans_seasonal_swing() {
    let run = |month: &str| {
        json_of(&[
            "compare",
            "--factors",
            "lifecycle",
            "CN-SC",
            "--year",
            "2023",
            "--month",
            month,
            "--format",
            "json",
        ])
        .0
    };
    let (feb, aug) = (run("2"), run("8"));
    assert_eq!(aug["schema"], "hashmix.compare.v5");
    let (f, a) = (&feb["regions"][0], &aug["regions"][0]);
    assert_eq!(
        (f["data_month"].as_str(), a["data_month"].as_str()),
        (Some("1-2"), Some("8"))
    );
    assert_eq!(a["region_level"], "subnational");
    close(&a["hydro_share"], 0.87946);
    close(&f["hydro_share"], 0.696085);
    assert!(f["co2_g_per_th"].as_f64().unwrap() > 1.5 * a["co2_g_per_th"].as_f64().unwrap());
    // The JSON fields are those of assess, in the column table's order.
    let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, hashmix::compare::COMPARE_FIELDS.to_vec());
}

#[test]
fn compare_accepts_countries_former_codes_and_rejects_unknown_ones() {
    let (v, code) = json_of(&[
        "compare",
        "--factors",
        "lifecycle",
        "KZ",
        "KZ-PAV",
        "US-TX",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let r = &v["regions"];
    assert_eq!(r[1]["region"], "KZ-55");
    // Issue 23: Pavlodar's mix is modelled from its plants (coal units only: 820 g/kWh, the
    // IPCC lifecycle median for coal), no longer Kazakhstan's.
    assert_eq!(r[1]["region_level"], "modelled");
    close(&r[1]["intensity_g_per_kwh"], 820.0);
    // 29.5 J/TH x 1.05 / 3.6e6 x 650.549 g/kWh (Kazakhstan 2023) = 0.0055974 g/TH.
    close(&r[0]["intensity_g_per_kwh"], 650.549);
    let g = r[0]["co2_g_per_th"].as_f64().unwrap();
    assert!((g - 29.5 * 1.05 / 3.6e6 * 650.549).abs() < 1e-8, "{g}");
    hashmix()
        .args(["compare", "--factors", "lifecycle", "CN-SX", "CN-ZZ"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown region CN-ZZ"));
}

// A wet-season miner in Sichuan: May-October is 184 days, so energy is 184/365 of a full
// year, and the mix is the day-weighted mean of the six months, here checked against the
// six monthly figures `compare` gives.
#[test]
fn a_months_column_weights_the_mix_and_the_energy_over_the_operating_months() {
    let (v, code) = json_of(&["assess", &data("seasonal.csv"), "--year", "2023", "--format", "json"]);
    assert_eq!(code, 1, "the last row is bad");
    let wet = &v["sites"][0];
    let all_year = &v["sites"][1];
    assert_eq!(wet["months"], "5-10");
    assert_eq!(wet["data_month"], "5-10");
    assert_eq!(all_year["data_month"], Value::Null);
    // 1,000 TH/s x 30 J/TH x 1.05 = 0.0315 MW; x 24 h x 184 days = 139.104 MWh.
    close(&wet["energy_mwh_per_year"], 139.104);
    close(&all_year["energy_mwh_per_year"], 275.94);
    let days = [(5, 31.0), (6, 30.0), (7, 31.0), (8, 31.0), (9, 30.0), (10, 31.0)];
    let mut hydro = 0.0;
    for (m, d) in days {
        let (c, _) = json_of(&[
            "compare",
            "CN-SC",
            "--year",
            "2023",
            "--month",
            &m.to_string(),
            "--format",
            "json",
        ]);
        hydro += d * c["regions"][0]["hydro_share"].as_f64().unwrap();
    }
    let want = hydro / 184.0;
    let got = wet["hydro_share"].as_f64().unwrap();
    assert!((got - want).abs() < 2e-6, "{got} vs {want}");
    let dry = v["sites"][2]["hydro_share"].as_f64().unwrap();
    let annual = all_year["hydro_share"].as_f64().unwrap();
    assert!(got > annual && annual > dry, "wet {got}, annual {annual}, dry {dry}");
    // A wrapping dry-season range and a bad value.
    assert_eq!(v["sites"][2]["months"], "11-4");
    assert_eq!(
        v["sites"][3]["error"],
        "line 5, column 'months', value '5-13': '13' is not a month number 1-12; expected operating months such as 5-10, 11-4 or 6,7,8"
    );
}

#[test]
fn declared_iso_3166_2_codes_use_the_province_and_old_codes_are_translated() {
    let (v, _) = json_of(&["assess", &data("declared-subdivisions.csv"), "--format", "json"]);
    let s = v["sites"].as_array().unwrap();
    assert_eq!(
        (s[0]["region"].as_str(), s[0]["region_level"].as_str()),
        (Some("US-TX"), Some("subnational"))
    );
    assert_eq!(
        (s[1]["region"].as_str(), s[1]["region_level"].as_str()),
        (Some("CN"), Some("national"))
    );
    assert_eq!(s[2]["region"], "KZ-55");
    assert!(
        s[2]["notes"]
            .as_str()
            .unwrap()
            .starts_with("KZ-PAV is a former code of KZ-55 (Pavlodar)")
    );
    assert_eq!(s[3]["region"], "NO-46");
    assert_eq!(s[4]["status"], "error");
}

#[test]
fn regions_lists_the_hierarchy_coverage_and_boundaries() {
    let (v, code) = json_of(&["regions", "--country", "CN", "--level", "1", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(v["schema"], "hashmix.regions.v3");
    let regions = v["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 31);
    let sc = regions.iter().find(|r| r["region"] == "CN-SC").unwrap();
    assert_eq!(sc["years"], "2015-2023");
    assert_eq!(sc["monthly_years"], "2015-2024");
    assert_eq!(sc["datasets"], "china-nbs");
    assert_eq!(sc["boundary"], true);

    let (kz, _) = json_of(&["regions", "--country", "kz", "--format", "json"]);
    let abay = kz["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region"] == "KZ-10")
        .unwrap();
    assert_eq!(abay["boundary"], false);
    assert_eq!(abay["years"], "");

    let (g, _) = json_of(&["regions", "--country", "US", "--format", "geojson"]);
    let features = g["features"].as_array().unwrap();
    // Issue 22: and its eGRID subregions, level `zone`, in code order among the states: 26 of
    // the 27, since Puerto Rico's PRMS is listed under PR, a country of its own here.
    assert_eq!(features.len(), 52 + 26, "the country, its 51 states and 26 grid zones");
    assert_eq!(features[0]["properties"]["region"], "US");
    assert_eq!(features[1]["properties"]["region"], "US-AK");
    assert_eq!(features[2]["properties"]["region"], "US-AKGD");
    assert_eq!(features[2]["properties"]["level"], "zone");
    assert_eq!(features[1]["geometry"]["type"], "MultiPolygon");
}

/// Every region with data has a polygon a site can fall in, or is a country whose
/// polygon holds it (WORLD aside).
#[test]
fn every_region_with_data_has_a_polygon() {
    use hashmix::pipeline::Assessor;
    use hashmix::settings::Options;
    let a = Assessor::embedded(Options::default()).unwrap();
    let mut with_polygon: std::collections::HashSet<&str> = a.index.regions().iter().map(|r| r.code.as_str()).collect();
    with_polygon.extend(a.subdivisions.regions().iter().map(|r| r.code.as_str()));
    let mut checked = 0;
    for r in a.grid.regions() {
        if r.code == "WORLD" || a.grid.years(&r.code).is_empty() {
            continue;
        }
        assert!(
            with_polygon.contains(r.code.as_str()),
            "{} has data but no polygon",
            r.code
        );
        checked += 1;
    }
    assert!(checked > 250, "{checked}");
    // And every subdivision polygon names a known region under its country.
    for s in a.subdivisions.regions() {
        let info = a.grid.region(&s.code).unwrap_or_else(|| panic!("{}", s.code));
        assert_eq!(info.parent, s.parent);
    }
}

#[path = "cli/risk.rs"]
mod risk;

#[path = "cli/uncertainty.rs"]
mod uncertainty;

#[path = "cli/report.rs"]
mod report;

#[path = "cli/xlsx.rs"]
mod xlsx;

#[path = "cli/columns.rs"]
mod columns;

#[path = "cli/sources.rs"]
mod sources;

#[path = "cli/row_checks.rs"]
mod row_checks;

#[path = "cli/escaping.rs"]
mod escaping;

#[path = "cli/output_safety.rs"]
mod output_safety;

#[path = "cli/numbers.rs"]
mod numbers;

#[path = "cli/miners.rs"]
mod miners;

#[path = "cli/miners_hydro.rs"]
mod miners_hydro;

#[path = "cli/data.rs"]
mod data;

#[path = "cli/sheets.rs"]
mod sheets;

#[path = "cli/sheet_numbers.rs"]
mod sheet_numbers;

#[path = "cli/numbers_review.rs"]
mod numbers_review;
#[path = "cli/review_fixes.rs"]
mod review_fixes;

#[path = "cli/as_of_years.rs"]
mod as_of_years;
#[path = "cli/cr_line_numbers.rs"]
mod cr_line_numbers;
#[path = "cli/events.rs"]
mod events;
#[path = "cli/events3.rs"]
mod events3;
#[path = "cli/fresh_review.rs"]
mod fresh_review;
#[path = "cli/hydro_climate.rs"]
mod hydro_climate;
#[path = "cli/layers.rs"]
mod layers;
#[path = "cli/library.rs"]
mod library;
#[path = "cli/line_ends.rs"]
mod line_ends;
#[path = "cli/modelled.rs"]
mod modelled;
#[path = "cli/modelled_review.rs"]
mod modelled_review;
#[path = "cli/north_america.rs"]
mod north_america;
#[path = "cli/published.rs"]
mod published;
#[path = "cli/published_done.rs"]
mod published_done;
#[path = "cli/published_values.rs"]
mod published_values;
#[path = "cli/termination.rs"]
mod termination;
#[path = "cli/zones.rs"]
mod zones;
// Issue 23: data freshness.
#[path = "cli/freshness.rs"]
mod freshness;
// Issue 24: Scope 1 and 2 on the worked example.
#[path = "cli/scope.rs"]
mod scope;
// Issue 26: compare shows every source.
#[path = "cli/compare_columns.rs"]
mod compare_columns;
// Issue 26: the workbook an analyst filters.
#[path = "cli/workbook_formats.rs"]
mod workbook_formats;
// Issue 25: MiCA sustainability indicators.
#[path = "cli/mica.rs"]
mod mica;
// Issue 26: a map of every region.
#[path = "cli/map.rs"]
mod map;
