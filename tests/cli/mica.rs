//! `hashmix mica` (issue 25): the MiCA indicators reconcile with hashrate x J/TH x PUE x hours
//! and the grids' published direct factors, worked out by hand below.

use super::*;

/// The indicators of a run over 2021-01-01 to -10 at 30 J/TH and PUE 1.1 on a geography file
/// (100 EH/s unless `extra` gives --hashrate).
fn mica_json(geography: &str, extra: &[&str]) -> Value {
    let (_dir, path) = sites_csv(geography);
    let mut args = vec![
        "mica",
        "--from",
        "2021-01-01",
        "--to",
        "2021-01-10",
        "--efficiency-j-per-th",
        "30",
        "--pue",
        "1.1",
        "--geography",
        &path,
        "--format",
        "json",
    ];
    if !extra.contains(&"--hashrate") {
        args.extend_from_slice(&["--hashrate-ehs", "100"]);
    }
    args.extend_from_slice(extra);
    let (v, code) = json_of(&args);
    assert_eq!(code, 0, "{v}");
    v
}

/// `hashmix mica --from 2021-01-01 --to 2021-12-31` with `extra`: exit code and standard error.
fn mica_2021(extra: &[&str]) -> (Option<i32>, String) {
    let out = hashmix()
        .args(["mica", "--from", "2021-01-01", "--to", "2021-12-31"])
        .args(extra)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).to_string())
}

fn value(v: &Value, code: &str) -> f64 {
    num(&v["indicators"][code], "value")
}

#[test]
fn energy_scope_2_and_per_transaction_figures_reconcile_by_hand() {
    let v = mica_json("region,share\nUS,1\n", &["--draws", "0", "--transactions", "1000000"]);
    assert_eq!(v["schema"], "hashmix.mica.v1");
    // 10 days = 240 h. 100 EH/s = 1e8 TH/s; x 30 J/TH x 1.1 = 3.3e9 W = 3.3e6 kW;
    // x 240 h = 7.92e8 kWh.
    assert!((value(&v, "S.8") - 7.92e8).abs() < 1e-3);
    // US 2021, eGRID2021 on the direct basis: 857.019 lb/MWh x 453.59237 g/lb / 1000 kWh/MWh
    // = 388.73727934503 gCO2e/kWh (grid-data/published-factors.csv). 7.92e8 kWh x that
    // = 3.0787992524e11 g = 307,879.92524 t.
    assert!((value(&v, "S.13") - 307_879.925_241).abs() < 1e-5);
    assert_eq!(value(&v, "S.12"), 0.0);
    // Per transaction (average): 7.92e8 kWh / 1e6 = 792 kWh; 307,879.92524 t x 1000 kg/t / 1e6
    // = 307.87993 kg.
    assert!((value(&v, "S.11") - 792.0).abs() < 1e-9);
    assert!((value(&v, "S.14") - 307.879_925).abs() < 1e-6);
    // US renewable share of generation in 2021: 0.207429 (the mix `hashmix compare US` shows),
    // written in percent in {DECIMAL-11/10}, the template's format for a percentage: 20.7429.
    assert!((value(&v, "S.10") - 20.7429).abs() < 1e-3);
    assert_eq!(v["indicators"]["S.10"]["format"], "{DECIMAL-11/10}");
    // 8 decimals, so that even 100% keeps within the format's 11 digits.
    let formatted = v["indicators"]["S.10"]["formatted"].as_str().unwrap();
    assert_eq!(formatted.split_once('.').unwrap().1.len(), 8, "{formatted}");
    assert!(formatted.starts_with("20.742"), "{formatted}");
    // Carbon intensity in kgCO2e/kWh: S.13 / S.8 = the US factor, 388.73728 g/kWh = 0.38873728 kg.
    assert!((value(&v, "S.19") - 0.388_737_279_345).abs() < 1e-9);
    assert_eq!(v["indicators"]["S.6"]["value"], "2021-01-01");
    assert_eq!(v["indicators"]["S.7"]["value"], "2021-01-10");
    assert_eq!(v["indicators"]["S.8"]["formatted"], "792000000.00000");
    assert!(v["indicators"]["S.8"]["p05"].is_null(), "no draws, no interval");
    // Ten days are not a calendar year: the totals are not annualised, and the notes say so.
    assert_eq!(
        v["notes"][0],
        "S.8 and the other totals are the period's (10 days), not annualised: the template expresses S.8 per calendar year"
    );
}

#[test]
fn off_grid_power_is_scope_1_at_the_factor_the_geography_gives() {
    let v = mica_json(
        "region,share,off_grid_share,off_grid_g_per_kwh\nUS,1,25%,900\n",
        &["--draws", "0"],
    );
    // 7.92e8 kWh: a quarter off-grid, 1.98e8 kWh x 900 g/kWh = 178,200 t (Scope 1);
    // 5.94e8 kWh x 388.73727934503 g/kWh = 230,909.94393 t (Scope 2).
    assert!((value(&v, "S.12") - 178_200.0).abs() < 1e-6);
    assert!((value(&v, "S.13") - 230_909.943_931).abs() < 1e-5);
    // Off-grid power is not renewable: 20.7429% x 0.75 = 15.557175%.
    assert!((value(&v, "S.10") - 15.557_175).abs() < 1e-3);
    // Carbon intensity: (178,200 + 230,909.94393) t x 1000 kg/t / 7.92e8 kWh = 0.51655296 kg/kWh.
    assert!((value(&v, "S.19") - 0.516_552_959).abs() < 1e-8);
    assert!(v["indicators"]["S.11"]["value"].is_null(), "no --transactions: no data");
}

#[test]
fn an_off_grid_share_without_its_factor_is_refused_naming_the_line() {
    let (_dir, path) = sites_csv("region,share,off_grid_share\nUS,1,0.5\n");
    let out = hashmix()
        .args([
            "mica",
            "--from",
            "2021-01-01",
            "--to",
            "2021-01-10",
            "--hashrate-ehs",
            "100",
            "--geography",
            &path,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sites.csv:2: off_grid_share 0.5 needs off_grid_g_per_kwh"),
        "{err}"
    );
}

#[test]
fn a_compared_geography_shares_the_draws_so_an_equal_energy_changes_by_nothing() {
    let v = mica_json("region,share\nUS,1\n", &["--compare-map", "2021-08", "--draws", "200"]);
    let change = &v["compared"]["change"];
    // The same hashrate, machines and PUE in both: energy changes by 0 in every draw.
    close(&change["S.8"]["value"], 0.0);
    close(&change["S.8"]["p05"], 0.0);
    close(&change["S.8"]["p95"], 0.0);
    // Scope 2 changes by (the map's mean intensity - 388.73728) x energy: a figure on both sides.
    assert!(change["S.13"]["p05"].as_f64().unwrap() <= change["S.13"]["p95"].as_f64().unwrap());
}

#[test]
fn the_checked_in_example_is_what_the_binary_writes() {
    let dir = format!("{}/examples/mica-bitcoin-2021", env!("CARGO_MANIFEST_DIR"));
    let args_text = std::fs::read_to_string(format!("{dir}/args.txt")).unwrap();
    // One argument per line (a source's text has spaces).
    let args: Vec<&str> = args_text.lines().filter(|l| !l.is_empty()).collect();
    let out = hashmix().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let want = std::fs::read_to_string(format!("{dir}/indicators.csv")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
    // One row per indicator, every row as wide as the header.
    let mut reader = csv::Reader::from_reader(want.as_bytes());
    let width = reader.headers().unwrap().len();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 19, "S.1 to S.19");
    let codes: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    let want_codes: Vec<String> = (1..=19).map(|i| format!("S.{i}")).collect();
    assert_eq!(codes, want_codes);
    assert!(rows.iter().all(|r| r.len() == width));
    let s8: Vec<&str> = rows[7].iter().collect();
    assert_eq!(
        [s8[0], s8[1], s8[3], s8[4]],
        ["S.8", "Energy consumption", "kWh", "{DECIMAL-18/5}"]
    );
}

#[test]
fn a_hashrate_series_gives_its_mean_over_the_period() {
    let mut series = String::from("date,hashrate_ehs\n2020-12-31,999\n2021-01-01,90\n2021-01-02,110\n");
    for day in 3..=10 {
        series.push_str(&format!("2021-01-{day:02},100\n"));
    }
    let (_dir, hashrate) = sites_csv(&series);
    let v = mica_json("region,share\nUS,1\n", &["--draws", "0", "--hashrate", &hashrate]);
    // Only 2021-01-01 to -10 lie in the period: (90 + 110 + 8 x 100) / 10 = 100 EH/s, the same
    // energy as --hashrate-ehs 100: 7.92e8 kWh.
    assert!((value(&v, "S.8") - 7.92e8).abs() < 1e-3);
}

// A series with a day of the period missing is refused (issue 25 review: two days of a year gave
// a whole year at their mean, and S.9 said it was the year's); so is a hashrate no network has
// (a figure in TH/s given as EH/s wrote an infinite S.8).
#[test]
fn a_series_with_a_gap_and_a_hashrate_no_network_has_are_refused() {
    let (dir, geography) = sites_csv("region,share\nUS,1\n");
    let run = |extra: &[&str]| {
        let mut args = vec!["--geography", geography.as_str(), "--efficiency-j-per-th", "30"];
        args.extend_from_slice(extra);
        mica_2021(&args)
    };
    let series = dir.path().join("h.csv");
    std::fs::write(&series, "date,hashrate_ehs\n2021-01-01,100\n2021-01-02,120\n").unwrap();
    let (code, stderr) = run(&["--hashrate", series.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains(
            "no row for 2021-01-03; the period's mean hashrate needs one row per day (365 days from 2021-01-01 to 2021-12-31, 2 given)"
        ),
        "{stderr}"
    );
    for h in ["1e305", "0", "-5", "250000"] {
        let (code, stderr) = run(&[&format!("--hashrate-ehs={h}")]);
        assert_eq!(code, Some(2), "{h}");
        assert!(
            stderr.contains("expected a network hashrate in EH/s, above 0 and at most 100000"),
            "{h}: {stderr}"
        );
    }
    std::fs::write(&series, "date,hashrate_ehs\n2021-01-01,150000000\n").unwrap();
    let (code, stderr) = run(&["--hashrate", series.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains(":2: column hashrate_ehs: \"150000000\" is not a hashrate in EH/s"),
        "{stderr}"
    );
}

#[test]
fn a_transactions_column_gives_the_periods_sum_and_the_per_transaction_figures() {
    // Ten rows, 2021-01-01 to -10, each 100 EH/s and 100,000 transactions: 1,000,000 in the
    // period (the row of 2020-12-31 is outside it).
    let mut series = String::from("date,hashrate_ehs,transactions\n2020-12-31,100,777\n");
    for day in 1..=10 {
        series.push_str(&format!("2021-01-{day:02},100,100000\n"));
    }
    let (_dir, hashrate) = sites_csv(&series);
    let v = mica_json("region,share\nUS,1\n", &["--draws", "0", "--hashrate", &hashrate]);
    // As with --transactions 1000000: 7.92e8 kWh / 1e6 = 792 kWh per transaction.
    assert!((value(&v, "S.11") - 792.0).abs() < 1e-9);
    assert_eq!(v["inputs"]["transactions"], 1_000_000.0);
    let s9 = v["indicators"]["S.9"]["value"].as_str().unwrap();
    assert!(
        s9.contains("Transactions (for S.11): sum of the transactions column of"),
        "{s9}"
    );
    // Both the column and --transactions: refused, naming both.
    let (_g, geo) = sites_csv("region,share\nUS,1\n");
    let out = hashmix()
        .args([
            "mica",
            "--from",
            "2021-01-01",
            "--to",
            "2021-01-10",
            "--efficiency-j-per-th",
            "30",
            "--geography",
            &geo,
            "--hashrate",
            &hashrate,
            "--transactions",
            "5",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--transactions and the transactions column of"), "{err}");
}

#[test]
fn the_workbook_holds_the_indicators_as_numbers() {
    let (dir, geo) = sites_csv("region,share\nUS,1\n");
    let book = std::path::Path::new(&geo).with_file_name("mica.xlsx");
    let out = hashmix()
        .args([
            "mica",
            "--from",
            "2021-01-01",
            "--to",
            "2021-01-10",
            "--hashrate-ehs",
            "100",
        ])
        .args([
            "--efficiency-j-per-th",
            "30",
            "--pue",
            "1.1",
            "--draws",
            "0",
            "--geography",
            &geo,
        ])
        .args(["--format", "xlsx", "-o", book.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = super::xlsx::sheet(&book, "Indicators");
    assert_eq!(rows[8][0], calamine::Data::String("S.8".into()));
    // 7.92e8 kWh, as in the JSON (hand computation above).
    match rows[8][2] {
        calamine::Data::Float(v) => assert!((v - 7.92e8).abs() < 1e-3, "{v}"),
        ref other => panic!("S.8 is not a number: {other:?}"),
    }
    drop(dir);
}

#[test]
fn the_published_maps_give_the_network_replays_intensities() {
    // METHOD.md, "Network replays", direct basis: 406.6 gCO2e/kWh in 2021-04 (China by
    // province), 386.0 in 2021-08, 402.8 in 2022-01 (16.69% unattributed, on the world's mix).
    // S.19 is the same energy-weighted intensity, in kg/kWh.
    for (month, year, want) in [
        ("2021-04", "2021", 0.4066),
        ("2021-08", "2021", 0.3860),
        ("2022-01", "2022", 0.4028),
    ] {
        let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
        let (v, code) = json_of(&[
            "mica",
            "--from",
            &from,
            "--to",
            &to,
            "--hashrate-ehs",
            "100",
            "--map",
            month,
            "--draws",
            "0",
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{v}");
        assert!(
            (value(&v, "S.19") - want).abs() < 0.00005,
            "{month}: {}",
            value(&v, "S.19")
        );
    }
}

#[test]
fn an_unknown_region_names_its_line_and_column() {
    let (_dir, path) = sites_csv("region,share\nUS,0.5\nXX,0.5\n");
    let out = hashmix()
        .args([
            "mica",
            "--from",
            "2021-01-01",
            "--to",
            "2021-01-10",
            "--hashrate-ehs",
            "100",
            "--geography",
            &path,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sites.csv:3: column region: unknown region XX"), "{err}");
}

#[test]
fn a_period_after_the_grid_data_uses_the_last_year_and_says_so() {
    let (v, code) = json_of(&[
        "mica",
        "--from",
        "2027-01-01",
        "--to",
        "2027-12-31",
        "--hashrate-ehs",
        "100",
        "--map",
        "2022-01",
        "--draws",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{v}");
    let first = v["notes"][0].as_str().unwrap();
    assert!(first.starts_with("grids: the data end in "), "{first}");
    assert!(first.contains("the period ends in 2027"), "{first}");
}

// The worked example's figures, by hand from its cited inputs (issue 25): 145.2184 EH/s (Coin
// Metrics, mean of 2021's daily hashrate), 97,741,463 transactions (Coin Metrics, 2021's sum),
// the 14 catalogue models of 2017-2021 (J/TH summing to 629.76), PUE 1.05, 8,760 h.
#[test]
fn the_examples_figures_reconcile_by_hand_with_its_cited_inputs() {
    let dir = format!("{}/examples/mica-bitcoin-2021", env!("CARGO_MANIFEST_DIR"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(format!("{dir}/indicators.json")).unwrap()).unwrap();
    // S.8 = 145.2184e6 TH/s x 629.76 / 14 J/TH x 1.05 x 8,760 h / 1,000 = 60,084,449,906.688 kWh.
    assert_eq!(value(&v, "S.8"), 60_084_449_906.688);
    // S.11 = S.8 / 97,741,463 = 614.728367 kWh per transaction; S.14 = (S.12 + S.13) x 1,000 /
    // 97,741,463 kgCO2e per transaction, S.12 being 0 (the map has no off-grid shares).
    let transactions = 97_741_463.0;
    assert!((value(&v, "S.11") - 60_084_449_906.688 / transactions).abs() < 1e-9);
    assert_eq!(value(&v, "S.12"), 0.0);
    assert!((value(&v, "S.14") - value(&v, "S.13") * 1000.0 / transactions).abs() < 1e-9);
    // The template's text ({DECIMAL-18/5}) in the CSV: 614.72837 and, from S.13's
    // 24,428,630.41733 t, 249.93109.
    let csv_text = std::fs::read_to_string(format!("{dir}/indicators.csv")).unwrap();
    let cell = |code: &str| {
        let line = csv_text.lines().find(|l| l.starts_with(&format!("{code},"))).unwrap();
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()[2]
            .to_string()
    };
    assert_eq!(cell("S.11"), "614.72837");
    assert_eq!(cell("S.13"), "24428630.41733");
    assert_eq!(cell("S.14"), "249.93109");
    // S.9 names where the hashrate and the transactions come from.
    let s9 = v["indicators"]["S.9"]["value"].as_str().unwrap();
    assert!(
        s9.contains("Hashrate: --hashrate-ehs, as given (source: Coin Metrics community network data"),
        "{s9}"
    );
    assert!(
        s9.contains("Transactions (for S.11): --transactions, as given (source: Coin Metrics community network data (csv/btc.csv): sum of the daily TxCnt, 2021-01-01 to 2021-12-31)"),
        "{s9}"
    );
}

// A source given for the hashrate without transactions names the hashrate's only; an empty one
// is left out.
#[test]
fn the_sources_named_for_hashrate_and_transactions_go_into_s9() {
    let v = mica_json(
        "region,share\nUS,1\n",
        &[
            "--draws",
            "0",
            "--hashrate-source",
            "node export",
            "--transactions-source",
            "x",
        ],
    );
    let s9 = v["indicators"]["S.9"]["value"].as_str().unwrap();
    assert!(
        s9.contains("Hashrate: --hashrate-ehs, as given (source: node export)."),
        "{s9}"
    );
    assert!(s9.contains("Transactions (for S.11): not given."), "{s9}");
    let v = mica_json("region,share\nUS,1\n", &["--draws", "0", "--hashrate-source", " "]);
    let s9 = v["indicators"]["S.9"]["value"].as_str().unwrap();
    assert!(s9.contains("Hashrate: --hashrate-ehs, as given."), "{s9}");
}

// The HTML page (issue 25: "the filled template ready to publish"): one row per indicator in
// the template's table; a compared geography gets a table of its figures and the change, and
// only the texts that differ, so no text is written twice side by side.
#[test]
fn the_html_page_is_the_template_then_the_comparison() {
    let dir = format!("{}/examples/mica-bitcoin-2021", env!("CARGO_MANIFEST_DIR"));
    let html = std::fs::read_to_string(format!("{dir}/indicators.html")).unwrap();
    let tables: Vec<&str> = html.split("<table>").skip(1).collect();
    assert_eq!(
        tables.len(),
        3,
        "the template, the compared figures, the compared texts"
    );
    let codes = |table: &str| -> Vec<String> {
        table
            .split("<tr><td>")
            .skip(1)
            .map(|row| row.split('<').next().unwrap().to_string())
            .collect()
    };
    let all: Vec<String> = (1..=19).map(|i| format!("S.{i}")).collect();
    assert_eq!(codes(tables[0]), all);
    assert_eq!(
        codes(tables[1]),
        ["S.8", "S.10", "S.11", "S.12", "S.13", "S.14", "S.19"]
    );
    // S.15 (where the hashrate is) and S.17 (the mix) differ between the maps; S.16 does not.
    assert_eq!(codes(tables[2]), ["S.15", "S.17"]);
    assert_eq!(html.matches("Bottom-up estimate by hashmix").count(), 1);
    // S.13's row in the comparison: both figures and the change with its interval, to the
    // template's five decimals.
    let s13 = tables[1].split("<tr>").find(|r| r.contains(">S.13<")).unwrap();
    for text in [
        "24428630.41733",
        "23189679.00966",
        "-1238951.40767",
        "-1427095.81564 – -1149018.43992",
    ] {
        assert!(s13.contains(text), "{s13}");
    }
    // The per-transaction figures carry their definition under the number.
    assert!(html.contains(
        "614.72837<div class=\"d\">average: the period's total divided by the transactions validated in the period</div>"
    ));
}

// Shares a rounding away from 1 (0.995 to 1.005) are scaled to 1, so every kWh of S.8 is on a
// grid; the note says so (issue 25 review: 0.5% of the energy had no emissions).
#[test]
fn shares_a_rounding_away_from_one_are_scaled_to_place_all_the_energy() {
    let v = mica_json("region,share\nUS,0.498\nCA,0.498\n", &["--draws", "0"]);
    let exact = mica_json("region,share\nUS,0.5\nCA,0.5\n", &["--draws", "0"]);
    for code in ["S.10", "S.13", "S.19"] {
        assert!(
            (value(&v, code) - value(&exact, code)).abs() < 1e-9 * value(&exact, code).abs().max(1.0),
            "{code}"
        );
    }
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("the shares sum to 0.9960; each is scaled by 1/0.9960 to place all the energy"),
        "{notes}"
    );
}

// Without a geography the message names both ways to give one.
#[test]
fn without_a_geography_the_message_names_the_file_and_the_map() {
    let (code, stderr) = mica_2021(&["--hashrate-ehs", "100"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("give --geography FILE or --map YYYY-MM"));
}
