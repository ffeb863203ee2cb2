//! Tests of turning raw rows into sites: ranges, units, the catalogue and the messages of bad rows.

use super::*;
use crate::sites::{Decimals, Position};
use std::sync::Arc;

fn row(pairs: &[(Field, &str)], decimal_comma: bool) -> RawRow {
    let decimals = if decimal_comma {
        Decimals::Comma
    } else {
        Decimals::Point
    };
    let mut row = RawRow::new(Position::Line(4), Arc::new(Default::default()), decimals, 0);
    for (f, v) in pairs {
        row.set(*f, Some(v));
    }
    row
}

fn catalogue() -> Catalogue {
    Catalogue::parse(include_str!("../../../grid-data/miners.csv")).unwrap()
}

#[test]
fn a_latitude_out_of_range_that_fits_a_longitude_is_probably_swapped() {
    let r = row(
        &[(Field::Lat, "103.8"), (Field::Lon, "1.35"), (Field::HashrateThs, "1")],
        false,
    );
    let e = validate(&r, &catalogue()).unwrap_err().to_string();
    assert_eq!(
        e,
        "line 4, column 'lat', value '103.8': expected a latitude between -90 and 90; it fits a longitude, so lat and lon are probably swapped"
    );
}

#[test]
fn machines_and_model_give_hashrate_and_efficiency() {
    let r = row(
        &[
            (Field::Region, "kz"),
            (Field::Machines, "10300"),
            (Field::Model, "A1246"),
        ],
        false,
    );
    let s = validate(&r, &catalogue()).unwrap();
    assert_eq!(s.hashrate_ths, Some(927_000.0));
    assert_eq!(s.efficiency_j_per_th, Some(38.0));
    assert_eq!(s.region.as_deref(), Some("KZ"));
    assert_eq!(s.pue, DEFAULT_PUE);
}

#[test]
fn semicolon_files_accept_decimal_commas() {
    let r = row(
        &[
            (Field::Region, "DE"),
            (Field::HashratePhs, "1,5"),
            (Field::Efficiency, "21,5"),
        ],
        true,
    );
    let s = validate(&r, &catalogue()).unwrap();
    assert_eq!(s.hashrate_ths, Some(1500.0));
    assert_eq!(s.efficiency_j_per_th, Some(21.5));
}

#[test]
fn a_reading_that_depends_on_the_files_decimal_mark_is_noted_on_the_row() {
    // Issue 20: 60.000 machines of a file of decimal commas are 60,000 (at 90 TH/s each).
    let r = row(
        &[
            (Field::Region, "KZ"),
            (Field::Machines, "60.000"),
            (Field::Model, "A1246"),
            (Field::Pue, "1.1"),
        ],
        true,
    );
    let s = validate(&r, &catalogue()).unwrap();
    assert_eq!(s.hashrate_ths, Some(5_400_000.0));
    assert_eq!(s.pue, 1.1);
    let notes: Vec<&str> = s.notes.iter().map(|n| n.as_ref()).collect();
    assert!(
        notes.contains(&"machines '60.000' read as 60000: this file writes decimal commas, so '.' separates thousands"),
        "{notes:?}"
    );
    assert!(
        notes.contains(&"pue '1.1' read as 1.1, with a decimal point, though this file writes decimal commas"),
        "{notes:?}"
    );
    // The same row where nothing tells the decimal mark is an error.
    let mut r = r;
    r.decimals = Decimals::Unknown;
    let e = validate(&r, &catalogue()).unwrap_err();
    assert_eq!(
        (e.column.as_deref(), e.value.as_deref()),
        (Some("machines"), Some("60.000"))
    );
    assert!(
        e.expected
            .starts_with("ambiguous number: 60 if '.' is the decimal mark, 60000 if it"),
        "{}",
        e.expected
    );
}

#[test]
fn a_number_cell_is_read_with_a_decimal_point_in_a_file_of_decimal_commas() {
    // Issue 20: a spreadsheet's number cell 21.125 is 21.125 J/TH, not 21125, and 0.5 is
    // 0.5 without a note, though the sheet's text cells write decimal commas; its text
    // cell 60.000 is still 60000 machines.
    let mut r = row(
        &[
            (Field::Region, "KZ"),
            (Field::Machines, "60.000"),
            (Field::Model, "A1246"),
        ],
        true,
    );
    r.set_number_cell(Field::Efficiency, "21.125");
    r.set_number_cell(Field::Uptime, "0.5");
    r.set_number_cell(Field::Pue, "1.125");
    let s = validate(&r, &catalogue()).unwrap();
    assert_eq!(s.hashrate_ths, Some(5_400_000.0));
    assert_eq!(s.efficiency_j_per_th, Some(21.125));
    assert_eq!(s.uptime, 0.5);
    assert_eq!(s.pue, 1.125);
    let notes: Vec<&str> = s.notes.iter().map(|n| n.as_ref()).collect();
    assert_eq!(
        notes,
        [
            "hashrate 60000 x 90 TH/s from the catalogue (AvalonMiner 1246 (90 TH))",
            "machines '60.000' read as 60000: this file writes decimal commas, so '.' separates thousands"
        ]
    );
    // In a file that does not tell, a number cell is still not ambiguous.
    r.decimals = Decimals::Unknown;
    r.set(Field::Machines, Some("60000"));
    assert_eq!(validate(&r, &catalogue()).unwrap().efficiency_j_per_th, Some(21.125));
    // An error on a number cell quotes its plain decimal.
    r.set_number_cell(Field::Uptime, "1.5");
    let e = validate(&r, &catalogue()).unwrap_err();
    assert_eq!((e.column.as_deref(), e.value.as_deref()), (Some("uptime"), Some("1.5")));
}

#[test]
fn hashrate_comes_from_one_column_in_any_unit_and_two_columns_are_an_error() {
    let with = |pairs: &[(Field, &str)]| {
        let mut all = vec![(Field::Region, "DE"), (Field::Efficiency, "20")];
        all.extend_from_slice(pairs);
        validate(&row(&all, false), &catalogue())
    };
    assert_eq!(
        with(&[(Field::HashrateEhs, "0.5")]).unwrap().hashrate_ths,
        Some(500_000.0)
    );
    assert_eq!(with(&[(Field::HashrateThs, "120")]).unwrap().hashrate_ths, Some(120.0));
    assert_eq!(with(&[]).unwrap_err().expected.split(':').next(), Some("no size"));
    let e = with(&[(Field::HashrateThs, "120"), (Field::HashrateEhs, "0.5")]).unwrap_err();
    assert_eq!(
        e.expected,
        "the hashrate is given in several columns (hashrate_ths, hashrate_ehs); keep one"
    );
    let e = with(&[
        (Field::HashrateThs, "1"),
        (Field::HashratePhs, "2"),
        (Field::HashrateEhs, "3"),
    ])
    .unwrap_err();
    assert!(
        e.expected.contains("(hashrate_ths, hashrate_phs, hashrate_ehs)"),
        "{}",
        e.expected
    );
}

#[test]
fn nan_infinity_zero_and_negative_sizes_are_errors() {
    for (v, want) in [
        ("NaN", "expected a finite number"),
        ("inf", "expected a finite number"),
        ("0", "expected a positive number of hashrate"),
        ("-5", "expected a positive number of hashrate"),
    ] {
        let r = row(
            &[
                (Field::Region, "KZ"),
                (Field::HashrateThs, v),
                (Field::Efficiency, "30"),
            ],
            false,
        );
        let e = validate(&r, &catalogue()).unwrap_err();
        assert_eq!(e.expected, want, "{v}");
        assert_eq!(e.value.as_deref(), Some(v));
    }
}

#[test]
fn a_row_without_efficiency_says_which_columns_to_add() {
    let r = row(&[(Field::Region, "KZ"), (Field::HashrateThs, "100")], false);
    let e = validate(&r, &catalogue()).unwrap_err();
    assert!(
        e.expected.starts_with("no efficiency: add efficiency_j_per_th"),
        "{}",
        e.expected
    );
}

#[test]
fn an_unknown_model_suggests_the_closest_names() {
    let r = row(
        &[
            (Field::Region, "KZ"),
            (Field::Machines, "10"),
            (Field::Model, "S19 Prp"),
        ],
        false,
    );
    let e = validate(&r, &catalogue()).unwrap_err();
    assert!(
        e.expected
            .starts_with("unknown miner model; closest: Antminer S19 Pro (110 TH)"),
        "{}",
        e.expected
    );
}

// Issue 20 part 8: the location of a row without a size is still read.
#[test]
fn a_row_wrong_only_in_its_size_is_still_located() {
    let r = row(
        &[
            (Field::Lat, "51.7236"),
            (Field::Lon, "75.3233"),
            (Field::Months, "5-10"),
        ],
        false,
    );
    let e = validate(&r, &catalogue()).unwrap_err();
    assert!(e.expected.starts_with("no size: "), "{}", e.expected);
    let s = location(&r).unwrap();
    assert_eq!((s.lat, s.lon, s.hashrate_ths), (Some(51.7236), Some(75.3233), None));
    assert_eq!(s.months.map(|m| m.to_string()).as_deref(), Some("5-10"));
    // Bad months are the location's error, not the size's.
    let r = row(&[(Field::Region, "KZ"), (Field::Months, "5-13")], false);
    assert_eq!(location(&r).unwrap_err().column.as_deref(), Some("months"));
}

// Issue 20 part 7: validation collects the size's warnings; the site is valid.
#[test]
fn a_valid_site_carries_the_warnings_of_its_size() {
    let r = row(
        &[
            (Field::Region, "KZ"),
            (Field::Machines, "3.5"),
            (Field::Model, "S21 (200 TH)"),
            (Field::Efficiency, "200"),
        ],
        false,
    );
    let s = validate(&r, &catalogue()).unwrap();
    assert_eq!(s.hashrate_ths, Some(700.0));
    assert_eq!(
        s.warnings,
        [
            "efficiency_j_per_th 200 J/TH is outside the plausible 10-150 J/TH of Bitcoin ASICs (check the unit)",
            "machines 3.5 is not a whole number of machines"
        ]
    );
}

#[test]
fn pue_below_one_is_an_error() {
    let r = row(
        &[
            (Field::Region, "KZ"),
            (Field::HashrateThs, "1"),
            (Field::Efficiency, "30"),
            (Field::Pue, "0.9"),
        ],
        false,
    );
    assert_eq!(
        validate(&r, &catalogue()).unwrap_err().expected,
        "expected a PUE between 1 and 3"
    );
}
