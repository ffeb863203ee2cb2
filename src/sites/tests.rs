//! Tests of `sites`.

use super::*;

#[test]
fn a_row_read_or_copied_into_a_used_row_is_the_row_read_afresh() {
    // Short rows, bad values, quotes, a semicolon file with decimal commas, and GeoJSON;
    // the rows keep being reused from one file to the next, so columns change too.
    let mut reused = RawRow::new(Position::Line(0), Arc::new(Default::default()), Decimals::Point, 0);
    // Each row is also copied into a row that held the row before (`clone_from`).
    let mut copied = reused.clone();
    let mut rows = 0;
    // A quoted name holding a comma and a line break, and a row too long.
    let odd = b"id,name,lat,lon\nq,\"a,\nb\",3,4\nlong,x,1,2,5\n".to_vec();
    for file in [
        "tests/data/bad-rows.csv",
        "tests/data/semicolon-bom-crlf.csv",
        "examples/seed-sites.csv",
        "tests/data/sites.geojson",
        "odd",
    ] {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + file;
        let open = || match file {
            "odd" => SiteReader::from_bytes(odd.clone(), file).unwrap(),
            _ => SiteReader::open(&path).unwrap(),
        };
        let (mut fresh, mut reader) = (open(), open());
        while let Some(row) = fresh.next_row() {
            reader.read_into(&mut reused).unwrap().unwrap();
            let row = format!("{:?}", row.unwrap());
            assert_eq!(format!("{reused:?}"), row, "{file}");
            copied.clone_from(&reused);
            assert_eq!(format!("{copied:?}"), row, "{file}");
            rows += 1;
        }
        assert!(reader.read_into(&mut reused).is_none(), "{file}");
    }
    // 9 + 1 + 6 + 3 + 2 rows.
    assert_eq!(rows, 21);
}

#[test]
fn a_message_cuts_a_hundred_megabyte_value_to_two_hundred_characters() {
    // Issue 20: a 100 MB field went whole to standard error.
    let e = RowError {
        position: Position::Line(7),
        column: Some("é".repeat(300)),
        value: Some("x".repeat(100_000_000)),
        expected: "expected a number".into(),
    };
    let shown = e.to_string();
    assert_eq!(
        shown,
        format!(
            "line 7, column '{}…', value '{}…': expected a number",
            "é".repeat(200),
            "x".repeat(200)
        )
    );
    // Short texts are shown whole.
    assert_eq!(Clip("Québec", 6).to_string(), "Québec");
    assert_eq!(Clip("Québec", 5).to_string(), "Québe…");
}

#[test]
fn a_row_holds_each_fields_text_in_one_buffer() {
    let mut row = RawRow::new(Position::Line(2), Arc::new(Default::default()), Decimals::Point, 0);
    row.set(Field::Id, Some("kz-1"));
    row.set(Field::Lat, Some("51.7236"));
    row.set(Field::Name, Some(""));
    row.set(Field::Lon, None);
    assert_eq!(row.get(Field::Id), Some("kz-1"));
    assert_eq!(row.get(Field::Lat), Some("51.7236"));
    assert_eq!(row.get(Field::Name), None);
    assert_eq!(row.get(Field::Lon), None);
    // A field given again takes the new text; blank text takes it away.
    row.set(Field::Id, Some("kz-2"));
    assert_eq!(row.get(Field::Id), Some("kz-2"));
    row.set(Field::Lat, Some(""));
    assert_eq!(row.get(Field::Lat), None);
    assert_eq!(row.text, "kz-151.7236kz-2");
}

#[test]
fn coordinates_that_are_plain_numbers_are_read_once_when_set() {
    let mut row = RawRow::new(Position::Line(2), Arc::new(Default::default()), Decimals::Comma, 0);
    row.set(Field::Lat, Some("51.7236"));
    row.set(Field::Lon, Some("-1e2"));
    row.set(Field::HashrateThs, Some("100"));
    assert_eq!(row.plain_coordinate(Field::Lat), Some(51.7236));
    assert_eq!(row.plain_coordinate(Field::Lon), Some(-100.0));
    // Only coordinates are read.
    assert_eq!(row.plain_coordinate(Field::HashrateThs), None);
    // A comma (decimal or not), a non-finite number or text that is not a number is left
    // to the caller; so is a field taken away.
    for text in ["51,7236", "1.234,5", "inf", "NaN", "north", " 51.7"] {
        row.set(Field::Lat, Some(text));
        assert_eq!(row.plain_coordinate(Field::Lat), None, "{text}");
        assert_eq!(row.get(Field::Lat), Some(text));
    }
    row.set(Field::Lon, None);
    assert_eq!(row.plain_coordinate(Field::Lon), None);
    row.set(Field::Lat, Some("7.5"));
    let copy = row.clone();
    let mut reused = RawRow::new(Position::Line(9), Arc::new(Default::default()), Decimals::Point, 0);
    reused.clone_from(&row);
    row.reset(Position::Line(3), &Arc::new(Default::default()), Decimals::Point);
    assert_eq!(row.plain_coordinate(Field::Lat), None);
    assert_eq!(copy.plain_coordinate(Field::Lat), Some(7.5));
    assert_eq!(reused.plain_coordinate(Field::Lat), Some(7.5));
}

#[test]
fn a_number_cells_field_is_read_with_a_decimal_point_whatever_the_file_writes() {
    // Issue 20: a number cell is a machine number; the sheet's decimal commas are not its.
    let mut row = RawRow::new(Position::Line(2), Arc::new(Default::default()), Decimals::Comma, 0);
    row.set_number_cell(Field::Efficiency, "21.125");
    row.set(Field::Machines, Some("60.000"));
    assert_eq!(row.get(Field::Efficiency), Some("21.125"));
    assert!(row.is_number_cell(Field::Efficiency));
    assert!(!row.is_number_cell(Field::Machines));
    assert_eq!(row.decimals_of(Field::Efficiency), Decimals::Point);
    assert_eq!(row.decimals_of(Field::Machines), Decimals::Comma);
    // Copies keep the mark; a field given again as text, and a reset row, lose it.
    let copy = row.clone();
    let mut reused = RawRow::new(Position::Line(9), Arc::new(Default::default()), Decimals::Point, 0);
    reused.clone_from(&row);
    assert!(copy.is_number_cell(Field::Efficiency) && reused.is_number_cell(Field::Efficiency));
    row.set(Field::Efficiency, Some("21,125"));
    assert_eq!(row.decimals_of(Field::Efficiency), Decimals::Comma);
    reused.reset(Position::Line(3), &Arc::new(Default::default()), Decimals::Comma);
    assert!(!reused.is_number_cell(Field::Efficiency));
}
