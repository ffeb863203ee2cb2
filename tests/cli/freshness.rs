//! Data freshness in every output (issue 23): the edition of the data behind `data_year`, the
//! newest year of each source per region, and a warning on a site whose region's newest data
//! are more than three years older than the newest in the grid data.
//!
//! Exact values come from the fixture grid data in tests/data/fresh-grid (a copy of grid-data/
//! with its mix-annual.csv and published-factors.csv, and three datasets added): the newest
//! annual year of any region is WORLD's 2024; AE's newest is 2020 (4 years older: stale), KZ's
//! 2021 (3 years older: current), US-TX's 2023 (edition A; its 2019 is edition B), MN's 2018
//! (edition B, 6 years older: stale).

use super::*;

const STALE_AE: &str = "the newest generation data for United Arab Emirates (AE) are from 2020, 4 years before 2024 (the newest year of generation data in the grid data): the mix may no longer describe its grid";

const STALE_MN: &str = "the newest generation data for Mongolia (MN) are from 2018, 6 years before 2024 (the newest year of generation data in the grid data): the mix may no longer describe its grid";

fn edition_b() -> String {
    "fixture-b (edition B (1990-2019))".into()
}

fn fixture(name: &str) -> String {
    data(&format!("fresh-grid/{name}"))
}

/// The fixture grid data in a temporary folder.
fn fresh_grid() -> (tempfile::TempDir, String) {
    let extra = std::fs::read_to_string(fixture("datasets-extra.csv")).unwrap();
    let (dir, copy) = grid_copy("datasets.csv", |t| format!("{}\n{extra}", t.trim_end()));
    for file in ["mix-annual.csv", "published-factors.csv"] {
        std::fs::copy(fixture(file), copy.join(file)).unwrap();
    }
    let copy = copy.to_str().unwrap().to_string();
    (dir, copy)
}

/// `hashmix` with the fixture grid data: its standard output and exit code.
fn run(grid: &str, args: &[&str]) -> (String, i32) {
    let out = hashmix().args(args).args(["--grid-data", grid]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

/// Each site's id, data_year, data_edition and warnings, from assess's JSON.
fn sites_of(v: &Value) -> Vec<(String, u64, String, String)> {
    v["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["data_year"].as_u64().unwrap(),
                s["data_edition"].as_str().unwrap().to_string(),
                s["warnings"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn assess_json(grid: &str, flags: &[&str]) -> Value {
    let sites = fixture("sites.csv");
    let mut args = vec!["assess", &sites, "-q", "--draws", "0", "--format", "json"];
    args.extend(flags);
    let (out, code) = run(grid, &args);
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(&out).unwrap()
}

fn edition_a() -> String {
    "fixture-a (edition A (2024))".into()
}

// Issue 23: a region four years behind the newest carries a warning; one three years behind
// does not; every site says the edition of its data.
#[test]
fn a_region_four_years_behind_the_newest_warns_and_one_three_years_behind_does_not() {
    let (_d, grid) = fresh_grid();
    let v = assess_json(&grid, &[]);
    assert_eq!(v["schema"], "hashmix.assess.v8");
    assert_eq!(
        sites_of(&v),
        [
            ("ae".into(), 2020, edition_a(), STALE_AE.into()),
            ("kz".into(), 2021, edition_a(), String::new()),
            ("tx".into(), 2023, edition_a(), String::new()),
            ("mn".into(), 2018, edition_b(), STALE_MN.into()),
        ]
    );
    assert_eq!(v["portfolio"]["sites_with_warnings"], 2);
}

// Issue 23: the reference is the year assessed when it is earlier than the newest in the
// data: AE's 2020 is three years before 2023 (current), MN's 2018 five (stale). A year in
// Texas's older edition names that edition.
#[test]
fn the_year_assessed_is_the_reference_when_it_is_earlier_than_the_newest() {
    let (_d, grid) = fresh_grid();
    let v = assess_json(&grid, &["--year", "2023"]);
    let warnings: Vec<String> = sites_of(&v).into_iter().map(|s| s.3).collect();
    assert_eq!(
        warnings,
        [
            "",
            "",
            "",
            "the newest generation data for Mongolia (MN) are from 2018, 5 years before 2023 (the year assessed): the mix may no longer describe its grid"
        ]
    );
    let v = assess_json(&grid, &["--year", "2019"]);
    let tx = &sites_of(&v)[2];
    assert_eq!((tx.1, tx.2.clone()), (2019, edition_b()));
    // With 2024, the newest in the data, the warning names the data's newest.
    let v = assess_json(&grid, &["--year", "2024"]);
    assert_eq!(sites_of(&v)[0].3, STALE_AE);
    let notes = v["sites"][2]["notes"].as_str().unwrap();
    assert!(
        notes.contains("no US-TX data for 2024; using 2023, its newest year"),
        "{notes}"
    );
}

// Issue 23: as of a day, the run assesses the last full year before it, with the data that
// could be known then: as of 2023-06-30, 2022, and AE's 2020 is current; as of 2025-06-30,
// 2024, and it is stale.
#[test]
fn as_of_a_day_the_year_before_it_is_the_reference() {
    let (_d, grid) = fresh_grid();
    let v = assess_json(&grid, &["--as-of", "2023-06-30"]);
    assert_eq!(sites_of(&v)[0].3, "");
    let v = assess_json(&grid, &["--as-of", "2025-06-30"]);
    assert_eq!(sites_of(&v)[0].3, STALE_AE);
}

#[test]
fn csv_ndjson_geojson_and_xlsx_carry_the_edition_last_and_the_warning() {
    let (_d, grid) = fresh_grid();
    let sites = fixture("sites.csv");
    let base = ["assess", sites.as_str(), "-q", "--draws", "0", "--format"];
    // CSV: data_edition follows grid_zone (v8 added the Scope fields after it).
    let (csv, code) = run(&grid, &[&base[..], &["csv"]].concat());
    assert_eq!(code, 0);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let names: Vec<&str> = header.iter().collect();
    let edition = names.iter().position(|h| *h == "data_edition").unwrap();
    assert_eq!(names[edition - 1], "grid_zone");
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][at("data_edition")], "fixture-a (edition A (2024))");
    assert_eq!(&rows[0][at("data_year")], "2020");
    assert_eq!(&rows[0][at("warnings")], STALE_AE);
    assert_eq!(&rows[1][at("warnings")], "");
    // NDJSON: one site a line, then the portfolio's line with the schema.
    let (nd, _) = run(&grid, &[&base[..], &["ndjson"]].concat());
    let lines: Vec<Value> = nd.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["data_edition"], "fixture-a (edition A (2024))");
    assert_eq!(lines[0]["warnings"], STALE_AE);
    assert_eq!(lines[4]["schema"], "hashmix.assess.v8");
    // GeoJSON: the properties.
    let (geo, _) = run(&grid, &[&base[..], &["geojson"]].concat());
    let geo: Value = serde_json::from_str(&geo).unwrap();
    let ae = &geo["features"][0]["properties"];
    assert_eq!(
        (&ae["data_edition"], &ae["warnings"]),
        (&Value::from("fixture-a (edition A (2024))"), &Value::from(STALE_AE))
    );
    // The workbook.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.xlsx");
    let (_, code) = run(&grid, &[&base[..], &["xlsx", "-o", path.to_str().unwrap()]].concat());
    assert_eq!(code, 0);
    let rows = super::xlsx::sheet(&path, "Sites");
    let col = rows[0]
        .iter()
        .position(|c| *c == calamine::Data::String("data_edition".into()))
        .unwrap();
    assert_eq!(rows[1][col].to_string(), "fixture-a (edition A (2024))");
    assert_eq!(rows[3][col].to_string(), "fixture-a (edition A (2024))");
}

#[test]
fn compare_gives_each_regions_edition() {
    let (_d, grid) = fresh_grid();
    let (out, code) = run(&grid, &["compare", "AE", "US-TX", "--draws", "0", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "hashmix.compare.v5");
    let r = v["regions"].as_array().unwrap();
    assert_eq!(
        (&r[0]["data_year"], &r[0]["data_edition"]),
        (&Value::from(2020), &Value::from("fixture-a (edition A (2024))"))
    );
    assert_eq!(r[1]["data_edition"], "fixture-a (edition A (2024))");
    // compare has no warnings field: the stale region's notes end with the warning.
    assert!(r[0]["notes"].as_str().unwrap().ends_with(STALE_AE), "{}", r[0]["notes"]);
    assert!(!r[1]["notes"].as_str().unwrap().contains("newest generation data"));
}

#[test]
fn regions_lists_the_newest_year_of_each_source_of_a_region() {
    let (_d, grid) = fresh_grid();
    let (out, code) = run(&grid, &["regions", "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "hashmix.regions.v3");
    let newest = |code: &str| {
        v["regions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["region"] == code)
            .unwrap()["newest_years"]
            .clone()
    };
    assert_eq!(newest("US-TX"), "fixture-a 2023; fixture-b 2019; fixture-rates 2022");
    assert_eq!(newest("AE"), "fixture-a 2020; fixture-rates 2021");
    // A region without data of its own has no sources.
    assert_eq!(newest("KZ-55"), "");
    let (csv, _) = run(&grid, &["regions", "--format", "csv"]);
    assert!(
        csv.lines().next().unwrap().ends_with(",note,newest_years,data"),
        "{csv}"
    );
    assert!(
        csv.contains(
            "\nAE,United Arab Emirates,national,WORLD,true,2020,,fixture-a,,,fixture-a 2020; fixture-rates 2021,measured\n"
        ),
        "{csv}"
    );
    let (table, _) = run(&grid, &["regions", "--country", "AE"]);
    assert!(table.lines().next().unwrap().ends_with(" newest"), "{table}");
    assert!(table.contains(" fixture-a 2020; fixture-rates 2021\n"), "{table}");
}

#[test]
fn the_reports_freshness_table_marks_the_stale_region() {
    let (_d, grid) = fresh_grid();
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("fresh.md");
    let (_, code) = run(
        &grid,
        &[
            "report",
            &fixture("sites.csv"),
            "--draws",
            "0",
            "-o",
            md.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0);
    let md = std::fs::read_to_string(md).unwrap();
    for row in [
        "| AE | 2020 | annual | fixture-a 2020; fixture-rates 2021 | stale: newest 2020, 4 years before 2024 | 1 |",
        "| KZ | 2021 | annual | fixture-a 2021 | current | 1 |",
        "| US-TX | 2023 | annual | fixture-a 2023; fixture-b 2019; fixture-rates 2022 | current | 1 |",
        "| MN | 2018 | annual | fixture-b 2018 | stale: newest 2018, 6 years before 2024 | 1 |",
    ] {
        assert!(md.contains(row), "{row}\n{md}");
    }
    let html = dir.path().join("fresh.html");
    run(
        &grid,
        &[
            "report",
            &fixture("sites.csv"),
            "--draws",
            "0",
            "-o",
            html.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains("stale: newest 2020, 4 years before 2024"), "{html}");
}

// Issue 23, on the embedded data: no region with data uses data more than three years older
// than the newest without a warning (the UAE's OWID series ended in 2000 when this was
// written), and none within three years carries one.
#[test]
fn on_the_embedded_data_every_region_more_than_three_years_behind_warns_and_no_other() {
    let (v, code) = json_of(&["regions", "--format", "json"]);
    assert_eq!(code, 0);
    let regions = v["regions"].as_array().unwrap();
    // The newest annual year of any region: the last year of its `years` ranges.
    let last_year = |r: &Value| {
        r["years"]
            .as_str()
            .unwrap()
            .rsplit(['-', ','])
            .next()?
            .parse::<u64>()
            .ok()
    };
    let newest = regions.iter().filter_map(last_year).max().unwrap();
    let countries: Vec<&str> = regions
        .iter()
        .filter(|r| r["level"] == "national" && r["years"] != "")
        .map(|r| r["region"].as_str().unwrap())
        .collect();
    let mut csv = String::from("id,region,hashrate_ths,efficiency_j_per_th\n");
    for c in &countries {
        csv.push_str(&format!("{c},{c},1000,20\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("countries.csv");
    std::fs::write(&path, csv).unwrap();
    let (v, _) = json_of(&[
        "assess",
        path.to_str().unwrap(),
        "-q",
        "--draws",
        "0",
        "--format",
        "json",
    ]);
    let sites = v["sites"].as_array().unwrap();
    let mut stale = 0;
    for s in sites {
        let (code, year) = (s["id"].as_str().unwrap(), s["data_year"].as_u64().unwrap());
        let warned = s["warnings"]
            .as_str()
            .unwrap()
            .contains(&format!("({code}) are from {year}, "));
        assert_eq!(warned, newest - year > 3, "{code} {year}: {}", s["warnings"]);
        stale += usize::from(warned);
    }
    assert!(stale >= 1, "the UAE at least");
}
