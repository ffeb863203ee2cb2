//! Excel end to end: a workbook written by assess and compare, read back with calamine, holds
//! the numbers of the JSON output as numbers; site files in .xlsx are read with the CSV rules.

use super::*;
use calamine::{Data, Reader, open_workbook_auto};

/// A sheet's cells, row by row.
pub(super) fn sheet(path: &std::path::Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb = open_workbook_auto(path).unwrap();
    wb.worksheet_range(name).unwrap().rows().map(|r| r.to_vec()).collect()
}

#[test]
fn an_assess_workbook_read_back_gives_the_json_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fleet.xlsx");
    let seed = data("../../examples/seed-sites.csv");
    let out = hashmix()
        .args(["assess", &seed, "--format", "xlsx", "-o", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let (json, _) = json_of(&["assess", &seed, "--format", "json"]);
    let sites = sheet(&path, "Sites");
    assert_eq!(sites.len(), 7);
    let header: Vec<String> = sites[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header[0], "id");
    assert_eq!(header[2], "lat (degrees)");
    assert!(header.contains(&"co2_t_per_year_p95 (t CO2e/yr)".to_string()));
    let mut numbers = 0;
    for (row, site) in sites[1..].iter().zip(json["sites"].as_array().unwrap()) {
        for (h, cell) in header.iter().zip(row) {
            let field = h.split(' ').next().unwrap();
            match &site[field] {
                Value::Number(n) => {
                    assert_eq!(cell, &Data::Float(n.as_f64().unwrap()), "{field}");
                    numbers += 1;
                }
                // An empty text (no warnings) is a blank cell.
                Value::String(s) if s.is_empty() => assert_eq!(cell, &Data::Empty, "{field}"),
                // The as-of day is a date cell (issue 26): 2026-04-30 is Excel's day 46,142.
                Value::String(s) if field == "risk_as_of" => {
                    assert_eq!(s, "2026-04-30");
                    assert!(matches!(cell, Data::DateTime(d) if d.as_f64() == 46_142.0), "{cell:?}");
                }
                Value::String(s) => assert_eq!(cell, &Data::String(s.clone()), "{field}"),
                Value::Null => assert_eq!(cell, &Data::Empty, "{field}"),
                _ => assert_eq!(field, "risk_reasons"),
            }
        }
    }
    assert!(numbers > 6 * 30, "{numbers}");
    let portfolio = sheet(&path, "Portfolio");
    let co2 = portfolio
        .iter()
        .find(|r| r[0] == Data::String("co2_t_per_year (t CO2e/yr)".into()))
        .unwrap();
    assert_eq!(
        co2[1],
        Data::Float(json["portfolio"]["co2_t_per_year"].as_f64().unwrap())
    );
    let by_level = portfolio
        .iter()
        .find(|r| r[0] == Data::String("sites_by_risk_level.severe".into()))
        .unwrap();
    assert_eq!(by_level[1], Data::Float(2.0));
    assert_eq!(sheet(&path, "Sources")[0][0], Data::String("id".into()));
    assert!(sheet(&path, "Uncertainty").len() > 13);
}

#[test]
fn a_compare_workbook_holds_the_regions_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cmp.xlsx");
    let out = hashmix()
        .args([
            "compare",
            "--factors",
            "lifecycle",
            "KZ",
            "CN-SC",
            "--year",
            "2023",
            "--format",
            "xlsx",
            "-o",
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let regions = sheet(&path, "Regions");
    assert_eq!(regions.len(), 3);
    assert_eq!(regions[1][0], Data::String("KZ".into()));
    let col = regions[0]
        .iter()
        .position(|c| *c == Data::String("intensity_g_per_kwh (gCO2e/kWh)".into()))
        .unwrap();
    assert_eq!(regions[1][col], Data::Float(650.549));
    let settings = sheet(&path, "Settings");
    assert!(
        settings
            .iter()
            .any(|r| r[0] == Data::String("efficiency_j_per_th (J/TH)".into()) && r[1] == Data::Float(29.5))
    );
    let no_file = hashmix()
        .args(["compare", "--factors", "lifecycle", "KZ", "--format", "xlsx"])
        .output()
        .unwrap();
    assert_eq!(no_file.status.code(), Some(2));
}

#[test]
fn an_xlsx_site_file_is_read_like_a_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["id", "region", "hashrate_ths", "efficiency_j_per_th", "pue"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "kz-1").unwrap();
    ws.write_string(1, 1, "KZ").unwrap();
    ws.write_number(1, 2, 1000).unwrap();
    ws.write_number(1, 3, 30).unwrap();
    ws.write_number(1, 4, 1).unwrap();
    ws.write_string(2, 0, "bad").unwrap();
    ws.write_string(2, 1, "KZ").unwrap();
    ws.write_string(2, 2, "lots").unwrap();
    ws.write_number(2, 3, 30).unwrap();
    wb.save(&path).unwrap();
    let (v, code) = json_of(&[
        "assess",
        "--factors",
        "lifecycle",
        path.to_str().unwrap(),
        "--format",
        "json",
        "--year",
        "2023",
    ]);
    assert_eq!(code, 1);
    // The same hand-checked values as tests/data/kz.csv.
    close(&v["sites"][0]["intensity_g_per_kwh"], 650.549);
    close(&v["sites"][0]["co2_t_per_year"], 170.964);
    assert_eq!(v["sites"][1]["status"], "error");
    let e = v["sites"][1]["error"].as_str().unwrap();
    assert!(e.starts_with("line 3, column 'hashrate_ths', value 'lots'"), "{e}");
}
