//! Tests of `sites::spreadsheet`.

use std::io::Write;

use super::*;
use crate::sites::{Decimals, Field, Position, SiteReader};

/// A minimal .xlsx whose one sheet is `sheet_data` (the inside of `<sheetData>`); parts are
/// stored uncompressed so that a test can change their declared sizes.
fn workbook(sheet_data: &str) -> Vec<u8> {
    let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts = [
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0"?><workbook {ns}><sheets><sheet name="Sites" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0"?><worksheet {ns}><sheetData>{sheet_data}</sheetData></worksheet>"#),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// An inline-string cell.
fn c(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Set the sizes the central directory declares for the part `name`.
fn declare(zip: &mut [u8], name: &str, compressed: u32, uncompressed: u32) {
    let at = (0..zip.len() - 46)
        .find(|&i| {
            zip[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] && {
                let len = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
                zip.get(i + 46..i + 46 + len) == Some(name.as_bytes())
            }
        })
        .expect("the part is in the central directory");
    zip[at + 20..at + 24].copy_from_slice(&compressed.to_le_bytes());
    zip[at + 24..at + 28].copy_from_slice(&uncompressed.to_le_bytes());
}

/// Open `bytes` saved as an .xlsx, and read all its rows.
fn read(bytes: &[u8]) -> Result<Vec<crate::sites::RawRow>, Error> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let mut reader = SiteReader::open(path.to_str().unwrap())?;
    std::iter::from_fn(|| reader.next_row()).collect()
}

fn message(e: Error) -> String {
    match e {
        Error::UnusableInput { message, .. } => message,
        other => panic!("not an unusable input: {other}"),
    }
}

#[test]
fn a_streamed_sheet_gives_the_rows_of_its_cells_with_sheet_row_n_as_line_n() {
    let sheet = [
        format!(
            r#"<row r="1">{}{}{}</row>"#,
            c("A1", "id"),
            c("B1", "lat"),
            c("C1", "lon")
        ),
        // Row 2 is empty; row 3 skips column B; text is trimmed.
        format!(
            r#"<row r="3">{}<c r="C3"><v>75.5</v></c></row>"#,
            c("A3", " a,&quot;b&quot;;c ")
        ),
        format!(
            r#"<row r="4">{}<c r="B4"><v>51</v></c><c r="C4"><v>75</v></c></row>"#,
            c("A4", "x")
        ),
    ]
    .concat();
    let rows = read(&workbook(&sheet)).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].position, Position::Line(3));
    assert_eq!(rows[0].get(Field::Id), Some("a,\"b\";c"));
    assert_eq!(rows[0].get(Field::Lat), None);
    assert_eq!(
        rows[0].get(Field::Lon),
        Some("75.5"),
        "a number cell in the form numbers::cell_text gives"
    );
    assert!(rows[0].is_number_cell(Field::Lon));
    assert!(!rows[0].is_number_cell(Field::Id));
    assert_eq!(rows[1].position, Position::Line(4));
    assert_eq!(rows[1].get(Field::Lat), Some("51"));
}

/// A row's line, then for each field its text and whether a number cell gave it.
type Fields = (Position, Vec<(Option<String>, bool)>);

/// Each row of `rows` as [`Fields`].
fn fields(rows: &mut SheetRows) -> Vec<Fields> {
    std::iter::from_fn(|| rows.next_row())
        .map(|r| {
            let r = r.unwrap();
            let cells = crate::sites::columns::ALIASES
                .iter()
                .map(|&(f, _)| (r.get(f).map(str::to_string), r.is_number_cell(f)))
                .collect();
            (r.position, cells)
        })
        .collect()
}

#[test]
fn number_cells_read_the_same_streamed_and_whole_as_plain_decimals_and_marked() {
    // Issue 20: number cells in text fields came out as `1.011e2`; an .xlsx is streamed and
    // an .xls or .ods read whole, and both must give the same rows.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["id", "name", "lat", "lon", "machines", "model", "uptime", "j_per_th"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_number(1, 0, 42).unwrap();
    ws.write_number(1, 1, 101.1).unwrap();
    ws.write_string(1, 2, "51,7236").unwrap();
    ws.write_string(1, 3, "75,3233").unwrap();
    ws.write_number(1, 4, 60000).unwrap();
    ws.write_string(1, 5, "A1246").unwrap();
    ws.write_number(1, 6, 0.5).unwrap();
    ws.write_number(1, 7, 1e-7).unwrap();
    ws.write_string(2, 0, "b").unwrap();
    ws.write_number(2, 2, 51.7236).unwrap();
    ws.write_number(2, 3, 1e20).unwrap();
    ws.write_string(2, 4, "60.000").unwrap();
    wb.save(&path).unwrap();
    let path = path.to_str().unwrap();
    let mut streamed = SheetRows::open(path).unwrap();
    let mut whole = SheetRows::whole(path).unwrap();
    // Only the text cells decide: decimal commas.
    assert_eq!((streamed.decimals, whole.decimals), (Decimals::Comma, Decimals::Comma));
    let got = fields(&mut streamed);
    assert_eq!(got, fields(&mut whole));
    let cell = |row: usize, f: Field| {
        let (text, number) = &got[row].1[f as usize];
        (text.as_deref(), *number)
    };
    assert_eq!(cell(0, Field::Id), (Some("42"), true));
    assert_eq!(cell(0, Field::Name), (Some("101.1"), true));
    assert_eq!(cell(0, Field::Lat), (Some("51,7236"), false));
    assert_eq!(cell(0, Field::Machines), (Some("60000"), true));
    assert_eq!(cell(0, Field::Model), (Some("A1246"), false));
    assert_eq!(cell(0, Field::Uptime), (Some("0.5"), true));
    assert_eq!(cell(0, Field::Efficiency), (Some("0.0000001"), true));
    assert_eq!(cell(1, Field::Lat), (Some("51.7236"), true));
    assert_eq!(cell(1, Field::Lon), (Some("100000000000000000000"), true));
    assert_eq!(cell(1, Field::Machines), (Some("60.000"), false));
}

#[test]
fn a_cell_at_excels_last_cell_is_one_row_not_the_whole_grid() {
    // Issue 20: this 1.6 KB workbook made the reader allocate 549 GB for the dense grid.
    let sheet = format!(
        r#"<row r="1">{}{}</row><row r="1048576">{}{}</row>"#,
        c("A1", "region"),
        c("B1", "id"),
        c("B1048576", "far"),
        c("XFD1048576", "past the header")
    );
    let bytes = workbook(&sheet);
    assert!(bytes.len() < 2000, "{}", bytes.len());
    let rows = read(&bytes).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].position, Position::Line(1_048_576));
    assert_eq!(rows[0].get(Field::Id), Some("far"));
    // A cell under no header is ignored, as a CSV column of an unknown name is.
    assert_eq!(rows[0].get(Field::Region), None);
}

#[test]
fn a_cell_past_excels_grid_or_out_of_row_order_makes_the_sheet_unusable() {
    let past = format!(
        r#"<row r="1">{}</row><row r="1048577">{}</row>"#,
        c("A1", "region"),
        c("A1048577", "x")
    );
    assert_eq!(
        message(read(&workbook(&past)).unwrap_err()),
        "cell A1048577 lies outside Excel's grid of 1048576 rows by 16384 columns"
    );
    let back = format!(
        r#"<row r="1">{}{}</row><row r="2">{}{}</row>"#,
        c("A1", "region"),
        c("B1", "id"),
        c("B2", "x"),
        c("A2", "KZ")
    );
    assert_eq!(
        message(read(&workbook(&back)).unwrap_err()),
        "cell A2 comes after a later cell: the sheet's cells are not in row order (save the file again from Excel)"
    );
}

#[test]
fn a_cell_over_excels_32767_characters_makes_the_sheet_unusable() {
    // Issue 20: one cell of 1.5 GB aborted the reader on allocation.
    let long = "é".repeat(MAX_CELL_CHARS + 1);
    let sheet = format!(
        r#"<row r="1">{}</row><row r="2">{}</row>"#,
        c("A1", "region"),
        c("A2", &long)
    );
    assert_eq!(
        message(read(&workbook(&sheet)).unwrap_err()),
        "cell A2 holds 32768 characters, over Excel's limit of 32767"
    );
    // Excel's own limit is read.
    let most = "é".repeat(MAX_CELL_CHARS);
    let sheet = format!(
        r#"<row r="1">{}{}</row><row r="2">{}</row>"#,
        c("A1", "name"),
        c("B1", "region"),
        c("A2", &most)
    );
    let rows = read(&workbook(&sheet)).unwrap();
    assert_eq!(
        rows[0].get(Field::Name).map(|n| n.chars().count()),
        Some(MAX_CELL_CHARS)
    );
}

#[test]
fn a_part_declaring_more_than_its_limit_is_refused_before_it_is_read() {
    // Issue 20: 3 GB of whitespace in 1.5 MB aborted on allocation; a zip bomb is refused
    // from its central directory, before anything is decompressed.
    let sheet = format!(r#"<row r="1">{}</row>"#, c("A1", "region"));
    let mut bytes = workbook(&sheet);
    declare(&mut bytes, "xl/worksheets/sheet1.xml", 1_500_000, 3_000_000_000);
    assert_eq!(
        message(read(&bytes).unwrap_err()),
        "the workbook part xl/worksheets/sheet1.xml declares 3000000000 bytes uncompressed, over the limit of 536870912 bytes; refused as a possible zip bomb"
    );
    let mut bytes = workbook(&sheet);
    declare(&mut bytes, "xl/workbook.xml", 1_000, 200_000_000);
    assert!(message(read(&bytes).unwrap_err()).contains("over the limit of 134217728 bytes"));
    // Within the sizes but compressed 2,000 to 1.
    let mut bytes = workbook(&sheet);
    declare(&mut bytes, "xl/worksheets/sheet1.xml", 1_000, 2_000_000);
    assert_eq!(
        message(read(&bytes).unwrap_err()),
        "the workbook part xl/worksheets/sheet1.xml expands 2000000 bytes from 1000, over the limit of 500 to 1; refused as a possible zip bomb"
    );
}

#[test]
fn a_part_that_holds_more_than_it_declares_is_not_read_past_its_declared_size() {
    // The limits hold because the zip reader stops at the declared size.
    let sheet = format!(
        r#"<row r="1">{}</row><row r="2">{}</row>"#,
        c("A1", "region"),
        c("A2", "KZ")
    );
    let mut bytes = workbook(&sheet);
    let size = sheet.len() as u32;
    declare(&mut bytes, "xl/worksheets/sheet1.xml", size + 100, 100);
    let e = message(read(&bytes).unwrap_err());
    assert!(e.contains("File is larger than its declared uncompressed size"), "{e}");
}

#[test]
fn a_panic_in_the_spreadsheet_library_is_a_fault_not_the_end_of_the_sheet() {
    let (send, batches) = sync_channel(1);
    guarded(&send, |_| panic!("a fault inside calamine"));
    assert_eq!(
        batches.try_recv().unwrap(),
        Err("the spreadsheet library failed on this file; save it again from Excel, or as CSV".to_string())
    );
}

#[test]
fn cell_names_count_columns_as_excel_does() {
    assert_eq!(a1(0, 0), "A1");
    assert_eq!(a1(9, 25), "Z10");
    assert_eq!(a1(0, 26), "AA1");
    assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
}
