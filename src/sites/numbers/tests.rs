//! Tests of `sites::numbers`.

use super::*;

fn value(text: &str, decimals: Decimals) -> Result<f64, NumberError> {
    read(text, decimals, Field::Machines).map(|r| r.value)
}

fn how(text: &str, decimals: Decimals) -> How {
    read(text, decimals, Field::Machines).unwrap().how
}

#[test]
fn a_dot_before_three_digits_groups_thousands_in_a_file_of_decimal_commas() {
    // Issue 20: `60.000` machines is 60,000 where `,` is the decimal mark.
    assert_eq!(value("60.000", Decimals::Comma), Ok(60000.0));
    assert_eq!(how("60.000", Decimals::Comma), How::Grouped);
    assert_eq!(value("1.234,5", Decimals::Comma), Ok(1234.5));
    assert_eq!(how("1.234,5", Decimals::Comma), How::Plain);
    assert_eq!(value("1.234.567,89", Decimals::Comma), Ok(1234567.89));
    assert_eq!(value("21,5", Decimals::Comma), Ok(21.5));
    assert_eq!(value("1,234", Decimals::Comma), Ok(1.234));
    assert_eq!(how("1,234", Decimals::Comma), How::Plain);
    assert_eq!(value("-1.234,5", Decimals::Comma), Ok(-1234.5));
}

#[test]
fn a_comma_before_three_digits_groups_thousands_in_a_file_of_decimal_points() {
    // Issue 20: `1,234.5` is 1234.5 in a file of decimal points.
    assert_eq!(value("1,234.5", Decimals::Point), Ok(1234.5));
    assert_eq!(value("1,234", Decimals::Point), Ok(1234.0));
    assert_eq!(how("1,234", Decimals::Point), How::Grouped);
    assert_eq!(value("1.234", Decimals::Point), Ok(1.234));
    assert_eq!(how("1.234", Decimals::Point), How::Plain);
    assert_eq!(value("12,345,678", Decimals::Point), Ok(12345678.0));
    assert_eq!(value("120.5", Decimals::Point), Ok(120.5));
}

#[test]
fn numbers_that_read_one_way_read_so_in_any_file() {
    for d in [Decimals::Point, Decimals::Comma, Decimals::Unknown] {
        assert_eq!(value("1,234.5", d), Ok(1234.5), "{d:?}");
        assert_eq!(value("1.234,5", d), Ok(1234.5), "{d:?}");
        assert_eq!(value("60000", d), Ok(60000.0), "{d:?}");
        assert_eq!(value("0.500", d), Ok(0.5), "{d:?}");
        assert_eq!(value("1.2345", d), Ok(1.2345), "{d:?}");
        assert_eq!(value("1.234.567", d), Ok(1234567.0), "{d:?}");
        assert_eq!(value("5.17236e1", d), Ok(51.7236), "{d:?}");
        assert_eq!(value("1,5E3", d), Ok(1500.0), "{d:?}");
    }
    // One that is not the file's way is read, and noted.
    assert_eq!(
        read("21.5", Decimals::Comma, Field::Efficiency),
        Ok(Reading {
            value: 21.5,
            how: How::Against
        })
    );
    assert_eq!(
        read("21,5", Decimals::Point, Field::Efficiency),
        Ok(Reading {
            value: 21.5,
            how: How::Against
        })
    );
    assert_eq!(how("5.17236e1", Decimals::Comma), How::Plain);
}

#[test]
fn spaces_group_thousands_in_any_file() {
    // Issue 20: `12 000` is 12000; also with a no-break space and a narrow one.
    for text in ["12 000", "12\u{a0}000", "12\u{202f}000"] {
        for d in [Decimals::Point, Decimals::Comma, Decimals::Unknown] {
            assert_eq!(value(text, d), Ok(12000.0), "{text:?} {d:?}");
            assert_eq!(how(text, d), How::Plain, "{text:?} {d:?}");
        }
    }
    assert_eq!(value("1 234 567,5", Decimals::Unknown), Ok(1234567.5));
    assert_eq!(value("1 234.5", Decimals::Unknown), Ok(1234.5));
    for bad in ["12 00", "1 2000", "1 234,567.8", "1.234 567", "12  000", " 12"] {
        assert_eq!(value(bad, Decimals::Unknown), Err(NumberError::NotANumber), "{bad:?}");
    }
}

#[test]
fn a_value_that_reads_two_ways_in_a_file_that_does_not_tell_is_an_error() {
    // Issue 20: never a guess.
    assert_eq!(
        value("1.234", Decimals::Unknown),
        Err(NumberError::Ambiguous {
            point: 1.234,
            comma: 1234.0,
            separator: '.'
        })
    );
    let e = value("60.000", Decimals::Unknown).unwrap_err();
    assert_eq!(
        e.to_string(),
        "ambiguous number: 60 if '.' is the decimal mark, 60000 if it separates thousands, and the \
         file's first rows do not settle which; write it as 60000, or with a fourth decimal digit (a \
         trailing 0) if it means 60"
    );
    assert!(matches!(
        value("1,234", Decimals::Unknown),
        Err(NumberError::Ambiguous { .. })
    ));
}

#[test]
fn a_coordinate_never_groups_thousands() {
    for d in [Decimals::Point, Decimals::Comma, Decimals::Unknown] {
        assert_eq!(
            read("51,723", d, Field::Lat),
            Ok(Reading {
                value: 51.723,
                how: How::Plain
            })
        );
        assert_eq!(
            read("51.723", d, Field::Lat),
            Ok(Reading {
                value: 51.723,
                how: How::Plain
            })
        );
        assert_eq!(
            read("-1.234", d, Field::Lat),
            Ok(Reading {
                value: -1.234,
                how: How::Plain
            })
        );
        assert_eq!(read("181,000", d, Field::Lat).map(|r| r.value), Ok(181.0));
    }
    assert_eq!(coordinate("51,7236"), Some(51.7236));
    assert_eq!(coordinate("north"), None);
}

#[test]
fn a_pue_or_an_uptime_never_groups_thousands() {
    assert_eq!(read("1.050", Decimals::Unknown, Field::Pue).map(|r| r.value), Ok(1.05));
    assert_eq!(read("1,050", Decimals::Unknown, Field::Pue).map(|r| r.value), Ok(1.05));
    assert_eq!(read("1.000", Decimals::Comma, Field::Uptime).map(|r| r.value), Ok(1.0));
    // Unlike a coordinate's, a point in a file of decimal commas is noted.
    assert_eq!(
        read("1.050", Decimals::Comma, Field::Pue).map(|r| r.how),
        Ok(How::Against)
    );
    assert_eq!(
        read("51.723", Decimals::Comma, Field::Lon).map(|r| r.how),
        Ok(How::Plain)
    );
}

#[test]
fn text_that_is_not_a_finite_number_says_which() {
    for (text, e) in [
        ("inf", NumberError::NotFinite),
        ("NaN", NumberError::NotFinite),
        ("-infinity", NumberError::NotFinite),
        ("1e400", NumberError::NotFinite),
        ("north", NumberError::NotANumber),
        ("1,2,3", NumberError::NotANumber),
        ("1.23,4", NumberError::NotANumber),
        (".", NumberError::NotANumber),
        ("1..2", NumberError::NotANumber),
        ("0,123.4", NumberError::NotANumber),
        ("1,23,456", NumberError::NotANumber),
        ("--1", NumberError::NotANumber),
    ] {
        assert_eq!(value(text, Decimals::Point), Err(e), "{text}");
    }
}

#[test]
fn the_first_rows_decide_the_convention_sizes_before_coordinates() {
    let decide = |values: &[(&str, bool)]| {
        let mut e = Evidence::default();
        for (k, (text, coordinate)) in values.iter().enumerate() {
            let field = if *coordinate { Field::Lat } else { Field::Machines };
            e.add(text, field, k as u64 + 2, if *coordinate { "lat" } else { "machines" });
        }
        e.decide()
    };
    assert_eq!(decide(&[("51,7236", true), ("60.000", false)]).0, Decimals::Comma);
    assert_eq!(
        decide(&[("51,7236", true)]).1.as_deref(),
        Some(
            "numbers are read with a decimal comma, as the first rows write them (line 2, lat '51,7236'): '.' separates thousands, so 60.000 is 60000"
        )
    );
    assert_eq!(decide(&[("51.7236", true), ("21.5", false)]), (Decimals::Point, None));
    // Issue 20 review: a coordinate with a point is no evidence of a decimal point, so
    // `60.000` machines stays ambiguous (it was read as 60).
    assert_eq!(
        decide(&[("49.2167", true), ("-68.15", true), ("60.000", false)]),
        (Decimals::Unknown, None)
    );
    // A coordinate pasted with a point does not outvote the sheet's own commas.
    assert_eq!(decide(&[("51.7236", true), ("1,5", false)]).0, Decimals::Comma);
    // Nothing that tells, or both.
    assert_eq!(
        decide(&[("60.000", false), ("12 000", false), ("7", false)]),
        (Decimals::Unknown, None)
    );
    let (d, note) = decide(&[("21.5", false), ("1,5", false)]);
    assert_eq!(d, Decimals::Unknown);
    assert_eq!(
        note.as_deref(),
        Some(
            "the first rows write numbers both with a decimal point (line 2, machines '21.5') and with a decimal comma (line 3, machines '1,5'): a value that reads both ways, such as 1.234, is an error"
        )
    );
}

#[test]
fn a_spreadsheets_number_cell_is_written_as_a_plain_decimal_that_reads_back_exactly() {
    // Issue 20: an id 101.1 came out as `1.011e2`, and an error quoted `'5e-1'`.
    for (v, text) in [
        (42.0, "42"),
        (60000.0, "60000"),
        (101.1, "101.1"),
        (0.5, "0.5"),
        (-0.5, "-0.5"),
        (51.7236, "51.7236"),
        (1.234, "1.234"),
        (21.125, "21.125"),
        (1e-7, "0.0000001"),
        (1e20, "100000000000000000000"),
        (-0.0, "0"),
    ] {
        assert_eq!(cell_text(v), text);
        // Read as a number cell is, with a decimal point: the same number, with no note.
        assert_eq!(
            read(text, Decimals::Point, Field::HashrateThs),
            Ok(Reading {
                value: v + 0.0,
                how: How::Plain
            }),
            "{text}"
        );
    }
    assert_eq!(cell_text(1e300).len(), 301);
    assert_eq!(cell_text(1e300).parse::<f64>(), Ok(1e300));
}
