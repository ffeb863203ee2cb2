//! Turning a raw row into a typed [`Site`]: numbers, ranges, units and the miner catalogue.

use super::{Field, RawRow, RowError, Site, numbers, plausibility};
use crate::defaults::{DEFAULT_PUE, DEFAULT_UPTIME};
use crate::miners::{Catalogue, LookupError};
use crate::months::Months;

/// The note of a site that takes the default PUE, formatted once.
static DEFAULT_PUE_NOTE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("PUE {DEFAULT_PUE} assumed (default)"));

/// The range of PUE accepted: below 1 is impossible; above 3 is far beyond any mining
/// facility and almost certainly a unit mistake.
const PUE_RANGE: (f64, f64) = (1.0, 3.0);

/// TH/s per PH/s and per EH/s.
const THS_PER_PHS: f64 = 1e3;
const THS_PER_EHS: f64 = 1e6;

fn invalid(row: &RawRow, field: Field, value: &str, expected: impl Into<String>) -> RowError {
    RowError {
        position: row.position,
        column: Some(row.column(field)),
        value: Some(value.to_string()),
        expected: expected.into(),
    }
}

/// Read a number as the file writes them (see [`numbers`]).
fn number(row: &RawRow, field: Field) -> Result<Option<f64>, RowError> {
    let Some(text) = row.get(field) else { return Ok(None) };
    // A coordinate that f64 reads was read already, as below.
    if let Some(v) = row.plain_coordinate(field) {
        return Ok(Some(v));
    }
    match numbers::read(text, row.decimals_of(field), field) {
        Ok(reading) => Ok(Some(reading.value)),
        Err(e) => Err(invalid(row, field, text, e.to_string())),
    }
}

fn positive(row: &RawRow, field: Field, unit: &str) -> Result<Option<f64>, RowError> {
    match number(row, field)? {
        Some(v) if v <= 0.0 => Err(invalid(
            row,
            field,
            row.get(field).unwrap_or(""),
            format!("expected a positive number of {unit}"),
        )),
        other => Ok(other),
    }
}

/// The end of an out-of-range latitude's message when the two values fit the other way
/// round. The assessor, which knows the boundaries, replaces it with the country the swapped
/// point lands in, when it lands in one.
pub const SWAPPED_HINT: &str = "; it fits a longitude, so lat and lon are probably swapped";

fn coordinates(row: &RawRow) -> Result<(Option<f64>, Option<f64>), RowError> {
    let lat = number(row, Field::Lat)?;
    let lon = number(row, Field::Lon)?;
    match (lat, lon) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) {
                let hint = if (-90.0..=90.0).contains(&lon) && (-180.0..=180.0).contains(&lat) {
                    SWAPPED_HINT
                } else {
                    ""
                };
                let text = row.get(Field::Lat).unwrap_or("");
                return Err(invalid(
                    row,
                    Field::Lat,
                    text,
                    format!("expected a latitude between -90 and 90{hint}"),
                ));
            }
            if !(-180.0..=180.0).contains(&lon) {
                let text = row.get(Field::Lon).unwrap_or("");
                return Err(invalid(
                    row,
                    Field::Lon,
                    text,
                    "expected a longitude between -180 and 180",
                ));
            }
            Ok((Some(lat), Some(lon)))
        }
        (Some(_), None) => Err(RowError {
            position: row.position,
            column: Some(row.column(Field::Lon)),
            value: None,
            expected: "the latitude is given but the longitude is empty; give both".into(),
        }),
        (None, Some(_)) => Err(RowError {
            position: row.position,
            column: Some(row.column(Field::Lat)),
            value: None,
            expected: "the longitude is given but the latitude is empty; give both".into(),
        }),
        (None, None) => Ok((None, None)),
    }
}

/// The hashrate from whichever single unit column is given.
fn hashrate(row: &RawRow) -> Result<Option<f64>, RowError> {
    let units = [
        (Field::HashrateThs, 1.0),
        (Field::HashratePhs, THS_PER_PHS),
        (Field::HashrateEhs, THS_PER_EHS),
    ];
    let given = || units.iter().filter(|(f, _)| row.get(*f).is_some());
    let mut first_two = given();
    match (first_two.next(), first_two.next()) {
        (None, _) => Ok(None),
        (Some((field, scale)), None) => Ok(positive(row, *field, "hashrate")?.map(|v| v * scale)),
        (Some(_), Some(_)) => Err(RowError::row(
            row.position,
            format!(
                "the hashrate is given in several columns ({}); keep one",
                given().map(|(f, _)| row.column(*f)).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// Validate a raw row into a site.
pub fn validate(row: &RawRow, catalogue: &Catalogue) -> Result<Site, RowError> {
    let mut site = location(row)?;
    size(row, catalogue, &mut site)?;
    Ok(site)
}

/// Validate the part of a row that places it (the coordinates or the region, and the operating
/// months): a site without a size. A row whose [`validate`] fails while this succeeds is wrong
/// only in its size, and can still be placed and screened by place (issue 20).
pub fn location(row: &RawRow) -> Result<Site, RowError> {
    if let Some(defect) = &row.defect {
        return Err(RowError::clone(defect));
    }
    let (lat, lon) = coordinates(row)?;
    let region = row.get(Field::Region).map(|r| r.to_uppercase());
    if lat.is_none() && region.is_none() {
        return Err(RowError::row(
            row.position,
            "no location: give lat and lon, or region (such as KZ or WORLD)",
        ));
    }
    let months = match row.get(Field::Months) {
        None => None,
        Some(text) => Some(Months::parse(text).map_err(|e| {
            invalid(
                row,
                Field::Months,
                text,
                format!("{e}; expected operating months such as 5-10, 11-4 or 6,7,8"),
            )
        })?),
    };
    Ok(Site {
        id: row.get(Field::Id).map(compact_str::CompactString::from),
        name: row.get(Field::Name).map(compact_str::CompactString::from),
        lat,
        lon,
        region,
        hashrate_ths: None,
        efficiency_j_per_th: None,
        power_mw: None,
        pue: DEFAULT_PUE,
        pue_given: false,
        uptime: DEFAULT_UPTIME,
        uptime_given: false,
        months,
        notes: Vec::new(),
        warnings: Vec::new(),
    })
}

/// Validate the size of a row (hashrate, machines and model, efficiency, power, PUE, uptime)
/// into a located site.
fn size(row: &RawRow, catalogue: &Catalogue, site: &mut Site) -> Result<(), RowError> {
    let notes = &mut site.notes;
    let mut hashrate_ths = hashrate(row)?;
    let given_hashrate = hashrate_ths;
    let mut efficiency = positive(row, Field::Efficiency, "J/TH")?;
    let power_mw = positive(row, Field::PowerMw, "MW")?;
    let machines = positive(row, Field::Machines, "machines")?;
    let mut model = None;

    if let Some(model_name) = row.get(Field::Model) {
        let miner = catalogue.lookup(model_name).map_err(|e| {
            let expected = match e {
                LookupError::Unknown(close) => {
                    format!(
                        "unknown miner model; closest: {} (see `hashmix miners`)",
                        close.join(", ")
                    )
                }
                LookupError::Ambiguous(all) => format!("several models match: {}; name one", all.join(", ")),
            };
            invalid(row, Field::Model, model_name, expected)
        })?;
        model = Some((miner.model.as_str(), miner.hashrate_ths));
        if efficiency.is_none() {
            efficiency = Some(miner.efficiency_j_per_th);
            notes.push(
                format!(
                    "efficiency {} J/TH from the catalogue ({})",
                    miner.efficiency_j_per_th, miner.model
                )
                .into(),
            );
        }
        if let (Some(n), None) = (machines, hashrate_ths) {
            let per = miner.hashrate_ths.ok_or_else(|| {
                invalid(
                    row,
                    Field::Model,
                    model_name,
                    format!("{} has no verified hashrate; give hashrate_ths", miner.model),
                )
            })?;
            hashrate_ths = Some(n * per);
            notes.push(format!("hashrate {n} x {per} TH/s from the catalogue ({})", miner.model).into());
        }
    } else if machines.is_some() && hashrate_ths.is_none() {
        let text = row.get(Field::Machines).unwrap_or("");
        return Err(invalid(
            row,
            Field::Machines,
            text,
            "machines needs a model column (see `hashmix miners`) or a hashrate",
        ));
    }

    if hashrate_ths.is_none() && power_mw.is_none() {
        return Err(RowError::row(
            row.position,
            "no size: add hashrate_ths (or hashrate_phs, hashrate_ehs), or machines and model, or power_mw",
        ));
    }
    if hashrate_ths.is_some() && efficiency.is_none() && power_mw.is_none() {
        return Err(RowError::row(
            row.position,
            "no efficiency: add efficiency_j_per_th (or efficiency_j_th, j_per_th), or a model from `hashmix miners`, or power_mw",
        ));
    }
    plausibility::check_limits(row, hashrate_ths, efficiency, power_mw)?;

    let pue = match number(row, Field::Pue)? {
        Some(p) if !(PUE_RANGE.0..=PUE_RANGE.1).contains(&p) => {
            let text = row.get(Field::Pue).unwrap_or("");
            return Err(invalid(
                row,
                Field::Pue,
                text,
                format!("expected a PUE between {} and {}", PUE_RANGE.0, PUE_RANGE.1),
            ));
        }
        Some(p) => p,
        None => {
            if power_mw.is_none() {
                notes.push(DEFAULT_PUE_NOTE.as_str().into());
            }
            DEFAULT_PUE
        }
    };
    let uptime = match number(row, Field::Uptime)? {
        Some(u) if !(u > 0.0 && u <= 1.0) => {
            let text = row.get(Field::Uptime).unwrap_or("");
            return Err(invalid(
                row,
                Field::Uptime,
                text,
                "expected a fraction of the year above 0 and at most 1",
            ));
        }
        Some(u) => u,
        None => DEFAULT_UPTIME,
    };
    numbers::note_readings(row, &mut site.notes);
    let fleet = machines.map(|machines| plausibility::Fleet { machines, model });
    plausibility::size_warnings(
        row,
        given_hashrate,
        hashrate_ths,
        efficiency,
        power_mw,
        fleet,
        &mut site.warnings,
    );
    site.hashrate_ths = hashrate_ths;
    site.efficiency_j_per_th = efficiency;
    site.power_mw = power_mw;
    site.pue = pue;
    site.pue_given = row.get(Field::Pue).is_some();
    site.uptime = uptime;
    site.uptime_given = row.get(Field::Uptime).is_some();
    Ok(())
}

#[cfg(test)]
mod tests {
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
        Catalogue::parse(include_str!("../../grid-data/miners.csv")).unwrap()
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
            notes.contains(
                &"machines '60.000' read as 60000: this file writes decimal commas, so '.' separates thousands"
            ),
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
}
