//! Hostile spreadsheets (issue 20): a zip bomb is refused with exit 2 before it is
//! decompressed, and a cell at Excel's last cell is read as one row, quickly.

use super::*;

/// A workbook of a header and one site, as rust_xlsxwriter writes it, with `cell` written too.
fn workbook(path: &std::path::Path, cell: Option<(u32, u16, &str)>) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["id", "region", "hashrate_ths", "efficiency_j_per_th"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "kz-1").unwrap();
    ws.write_string(1, 1, "KZ").unwrap();
    ws.write_number(1, 2, 1000).unwrap();
    ws.write_number(1, 3, 30).unwrap();
    if let Some((row, col, text)) = cell {
        ws.write_string(row, col, text).unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn a_workbook_whose_sheet_declares_gigabytes_is_refused_with_exit_2() {
    // Issue 20: 3 GB of whitespace in a 1.5 MB workbook aborted on allocation.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    workbook(&path, None);
    let mut bytes = std::fs::read(&path).unwrap();
    // The central directory's uncompressed size of the sheet (offset 24 of its record).
    let name = b"xl/worksheets/sheet1.xml";
    let at = (0..bytes.len() - 46)
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] && bytes[i + 46..].starts_with(name))
        .unwrap();
    bytes[at + 24..at + 28].copy_from_slice(&3_000_000_000u32.to_le_bytes());
    std::fs::write(&path, bytes).unwrap();
    hashmix()
        .args(["assess", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "the workbook part xl/worksheets/sheet1.xml declares 3000000000 bytes uncompressed, over the limit of 536870912 bytes; refused as a possible zip bomb",
        ));
}

#[test]
fn a_cell_at_excels_last_cell_is_read_as_one_more_row() {
    // Issue 20: one cell at XFD1048576 made the reader allocate the whole grid (549 GB).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.xlsx");
    workbook(&path, Some((1_048_575, 16_383, "stray")));
    let (v, code) = json_of(&["assess", path.to_str().unwrap(), "--format", "json", "--year", "2023"]);
    assert_eq!(code, 1);
    assert_eq!(v["sites"][0]["status"], "ok");
    // The row holds a value in no named column: it is a row with no location.
    assert_eq!(v["sites"][1]["status"], "error");
    let e = v["sites"][1]["error"].as_str().unwrap();
    assert!(e.starts_with("line 1048576: no location"), "{e}");
    assert_eq!(v["sites"].as_array().unwrap().len(), 2);
}
