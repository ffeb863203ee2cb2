//! Number cells of a spreadsheet (issue 20): shown as the plain decimals the sheet holds
//! (`42`, `101.1`, `0.5`), never with an exponent, and read as machine numbers, with a decimal
//! point, whatever decimal mark the sheet's text cells use.

use super::*;

/// One cell to write: a text or a number.
enum C {
    T(&'static str),
    N(f64),
}

/// Save a workbook whose first sheet is `header`, then `rows` (None leaves a cell empty).
fn workbook(path: &std::path::Path, header: &[&str], rows: &[&[Option<C>]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Some(C::T(t)) => ws.write_string(r, c, *t).map(|_| ()).unwrap(),
                Some(C::N(n)) => ws.write_number(r, c, *n).map(|_| ()).unwrap(),
                None => {}
            }
        }
    }
    wb.save(path).unwrap();
}

fn assess(path: &std::path::Path) -> (Value, i32, String) {
    let out = hashmix()
        .args(["assess", path.to_str().unwrap(), "--format", "json", "--year", "2023"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (v, out.status.code().unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn a_number_cell_in_a_text_field_is_shown_as_the_sheet_shows_it() {
    // Issue 20: the id 42 was `42` but the name 101.1 came out as `1.011e2`.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ids.xlsx");
    workbook(
        &path,
        &["id", "name", "region", "hashrate_ths", "efficiency_j_per_th"],
        &[
            &[
                Some(C::N(42.0)),
                Some(C::N(101.1)),
                Some(C::T("KZ")),
                Some(C::N(1000.0)),
                Some(C::N(30.0)),
            ],
            &[
                Some(C::N(0.0000001)),
                Some(C::N(1e20)),
                Some(C::T("KZ")),
                Some(C::N(1000.0)),
                Some(C::N(30.0)),
            ],
        ],
    );
    let (v, code, _) = assess(&path);
    assert_eq!(code, 0, "{v}");
    let s = &v["sites"];
    assert_eq!(
        (&s[0]["id"], &s[0]["name"]),
        (&Value::from("42"), &Value::from("101.1"))
    );
    assert_eq!(
        (&s[1]["id"], &s[1]["name"]),
        (&Value::from("0.0000001"), &Value::from("100000000000000000000"))
    );
    let csv = hashmix()
        .args(["assess", path.to_str().unwrap(), "--format", "csv", "--year", "2023"])
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.lines().nth(1).unwrap().starts_with("42,101.1,,,KZ,"), "{text}");
}

#[test]
fn number_cells_in_a_sheet_of_decimal_commas_are_read_with_a_decimal_point() {
    // Issue 20: the sheet's text cells write decimal commas (`51,7236`, `0,5`), so its text
    // `60.000` is 60,000 machines; its number cells are machine numbers: 60000 is 60000, 0.5 is
    // 0.5 and 21.125 J/TH is 21.125 (it was read as 21125), with no note against the sheet's
    // decimal commas. 60,000 AvalonMiner 1246 x 90 TH/s = 5,400,000 TH/s.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("comma.xlsx");
    workbook(
        &path,
        &["id", "lat", "lon", "machines", "model", "uptime", "efficiency_j_per_th"],
        &[
            &[
                Some(C::T("cells")),
                Some(C::T("51,7236")),
                Some(C::T("75,3233")),
                Some(C::N(60000.0)),
                Some(C::T("A1246")),
                Some(C::N(0.5)),
                Some(C::N(21.125)),
            ],
            &[
                Some(C::T("text")),
                Some(C::T("51,7236")),
                Some(C::T("75,3233")),
                Some(C::T("60.000")),
                Some(C::T("A1246")),
                Some(C::T("0,5")),
                None,
            ],
        ],
    );
    let (v, code, stderr) = assess(&path);
    assert_eq!(code, 0, "{v}");
    assert!(stderr.contains("numbers are read with a decimal comma"), "{stderr}");
    let (cells, text) = (&v["sites"][0], &v["sites"][1]);
    for s in [cells, text] {
        assert_eq!(s["status"], "ok", "{s}");
        assert_eq!(s["region"], "KZ-55");
        close(&s["hashrate_ths"], 5_400_000.0);
        close(&s["uptime"], 0.5);
        close(&s["lat"], 51.7236);
    }
    close(&cells["efficiency_j_per_th"], 21.125);
    let notes = cells["notes"].as_str().unwrap_or("");
    assert!(!notes.contains("read as"), "{notes}");
    assert!(
        text["notes"]
            .as_str()
            .unwrap()
            .contains("machines '60.000' read as 60000: this file writes decimal commas, so '.' separates thousands"),
        "{}",
        text["notes"]
    );
}

#[test]
fn an_error_on_a_number_cell_quotes_the_plain_decimal() {
    // Issue 20: the errors quoted `'1.5e0'` and `'5e-1'`, exponents the sheet never showed.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xlsx");
    workbook(
        &path,
        &["id", "region", "hashrate_ths", "efficiency_j_per_th", "uptime", "pue"],
        &[
            &[
                Some(C::T("a")),
                Some(C::T("KZ")),
                Some(C::N(1000.0)),
                Some(C::N(30.0)),
                Some(C::N(1.5)),
                None,
            ],
            &[
                Some(C::T("b")),
                Some(C::T("KZ")),
                Some(C::N(1000.0)),
                Some(C::N(30.0)),
                None,
                Some(C::N(0.5)),
            ],
        ],
    );
    let (v, code, _) = assess(&path);
    assert_eq!(code, 1);
    assert_eq!(
        v["sites"][0]["error"],
        "line 2, column 'uptime', value '1.5': expected a fraction of the year above 0 and at most 1"
    );
    assert_eq!(
        v["sites"][1]["error"],
        "line 3, column 'pue', value '0.5': expected a PUE between 1 and 3"
    );
}
