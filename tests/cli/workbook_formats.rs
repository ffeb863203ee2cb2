//! Issue 26 item 2: the workbook an analyst filters: number formats, a frozen header, an
//! autofilter, dates as dates, the Portfolio sheet in the summary's order and a Notes sheet.

use super::*;
use calamine::{Data, Reader, open_workbook_auto};
use std::io::Read;

/// A part of the workbook's zip archive, as text.
fn part(path: &std::path::Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn the_sites_sheet_filters_freezes_formats_and_holds_dates_as_dates() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("seed.xlsx");
    let out = hashmix()
        .args([
            "assess",
            &format!("{}/examples/seed-sites.csv", env!("CARGO_MANIFEST_DIR")),
        ])
        .args(["--format", "xlsx", "-o", book.to_str().unwrap(), "-q", "--draws", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let sheet = part(&book, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<autoFilter ref=\"A1:"), "no autofilter");
    assert!(sheet.contains("state=\"frozen\""), "header not frozen");
    let styles = part(&book, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.00%\""), "shares are not percentages");
    assert!(styles.contains("formatCode=\"#,##0.0\""), "no thousands separators");
    let mut wb = open_workbook_auto(&book).unwrap();
    let sites = wb.worksheet_range("Sites").unwrap();
    let header: Vec<String> = sites.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let at = header.iter().position(|h| h == "risk_as_of").unwrap();
    let cell = sites.rows().nth(1).unwrap()[at].clone();
    let Data::DateTime(day) = cell else {
        panic!("risk_as_of is {cell:?}")
    };
    // 2026-04-30 is day 46,142 of Excel's 1900 date system.
    assert_eq!(day.as_f64(), 46_142.0);
    // The portfolio in the order of the summary: sites first, not alphabetical.
    let portfolio = wb.worksheet_range("Portfolio").unwrap();
    let names: Vec<String> = portfolio.rows().skip(1).take(4).map(|r| r[0].to_string()).collect();
    assert_eq!(names, ["sites", "sites_ok", "sites_failed", "sites_with_warnings"]);
    let notes = wb.worksheet_range("Notes").unwrap();
    let first = notes.rows().next().unwrap()[0].to_string();
    assert!(
        first.starts_with(&format!(
            "hashmix {} (schema hashmix.assess.v8)",
            env!("CARGO_PKG_VERSION")
        )),
        "{first}"
    );
}
