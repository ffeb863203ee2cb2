//! A site's CSV cells, written straight from its result by walking the column table
//! ([`SITE_COLUMNS`]): the JSON formats' rounding, and numbers as serde_json writes them. A
//! test checks every cell of many results against their JSON.
//!
//! The cells that every site of one region shares (its names, mix and risk) are encoded once
//! per region and kept with the region's lookup ([`RegionResult`]), for the first way of
//! writing (columns and formulas) a run uses.

use super::fields::{Cell, Column, SITE_COLUMNS};
use super::round;
use super::text::{Formulas, starts_formula};
use crate::assess::result::{EncodedCells, RegionResult, SiteResult};

/// How a run writes its CSV rows: which columns, how text that looks like a formula is
/// written, and which runs of them every site of a region shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvLayout {
    /// The columns written, as indexes into [`SITE_COLUMNS`], in order.
    kept: Vec<usize>,
    formulas: Formulas,
    /// The kept columns in runs: each a range of `kept`, and whether a region shares it.
    runs: Vec<(std::ops::Range<usize>, bool)>,
    /// What tells this layout from another: the kept columns and the formulas.
    key: Box<[u8]>,
}

impl CsvLayout {
    /// The layout of the columns at `kept` (indexes into [`SITE_COLUMNS`], in order).
    pub fn new(kept: &[usize], formulas: Formulas) -> CsvLayout {
        let mut runs: Vec<(std::ops::Range<usize>, bool)> = Vec::new();
        for (at, &i) in kept.iter().enumerate() {
            let shared = SITE_COLUMNS[i].shared;
            match runs.last_mut() {
                Some((range, s)) if *s == shared => range.end = at + 1,
                _ => runs.push((at..at + 1, shared)),
            }
        }
        let mut key: Vec<u8> = kept.iter().flat_map(|i| (*i as u32).to_le_bytes()).collect();
        key.push(formulas as u8);
        CsvLayout {
            kept: kept.to_vec(),
            formulas,
            runs,
            key: key.into(),
        }
    }

    /// The columns written, in order.
    fn columns(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &'static Column> + '_ {
        self.kept[range].iter().map(|&i| &SITE_COLUMNS[i])
    }

    /// The region's shared cells for this layout: encoded now if no layout has encoded them
    /// yet; none when another layout did.
    fn region_cells<'r>(&self, region: &'r RegionResult, result: &SiteResult) -> Option<&'r EncodedCells> {
        let encoded = region.encoded.get_or_init(|| EncodedCells {
            layout: self.key.clone(),
            runs: self
                .runs
                .iter()
                .filter(|(_, shared)| *shared)
                .map(|(range, _)| {
                    let mut bytes = Vec::new();
                    self.write_cells(result, range.clone(), &mut bytes);
                    bytes
                })
                .collect(),
        });
        (encoded.layout == self.key).then_some(encoded)
    }

    /// Append the cells of the kept columns `range` (of `kept`), joined by commas.
    fn write_cells(&self, result: &SiteResult, range: std::ops::Range<usize>, out: &mut Vec<u8>) {
        for (n, column) in self.columns(range).enumerate() {
            if n > 0 {
                out.push(b',');
            }
            write_cell(column, result, self.formulas, out);
        }
    }
}

/// Append a site's row of the layout's columns, and a newline.
pub fn write_site_row(result: &SiteResult, layout: &CsvLayout, out: &mut Vec<u8>) {
    let cached = result.region.and_then(|region| layout.region_cells(region, result));
    let mut shared_runs = cached.map(|c| c.runs.iter());
    for (n, (range, shared)) in layout.runs.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        match shared_runs.as_mut().filter(|_| *shared).and_then(Iterator::next) {
            Some(bytes) => out.extend_from_slice(bytes),
            None => layout.write_cells(result, range.clone(), out),
        }
    }
    out.push(b'\n');
}

/// Append one column's cell of a result; text as the [`Formulas`] say.
pub fn write_cell(column: &Column, result: &SiteResult, formulas: Formulas, out: &mut Vec<u8>) {
    match (column.value)(result) {
        Cell::Text(v) => text(v, formulas, out),
        Cell::Reasons(v) => text(v.map(|r| r.summary.as_str()), formulas, out),
        Cell::Integer(Some(n)) => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
        Cell::Number(Some(x)) => match column.decimals {
            Some(d) => write_rounded(x, usize::from(d), out),
            None => write_number(x, out),
        },
        Cell::Integer(None) | Cell::Number(None) => {}
    }
}

/// A text cell, or an empty one; one that a spreadsheet would run as a formula gets a
/// leading `'` unless `formulas` allows them.
fn text(v: Option<&str>, formulas: Formulas, out: &mut Vec<u8>) {
    let Some(v) = v else { return };
    if formulas == Formulas::Neutralise && starts_formula(v.as_bytes()) {
        write_text(b"'", v.as_bytes(), out);
    } else {
        write_text(b"", v.as_bytes(), out);
    }
}

/// Append a header row of `fields` to `out`.
pub fn write_header(fields: &[&str], out: &mut Vec<u8>) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_text(b"", f.as_bytes(), out);
    }
    out.push(b'\n');
}

/// The text cell `prefix` then `text`, quoted (with quotes doubled) when `text` holds a comma,
/// a quote or a line break, as the csv crate writes it. The prefix holds none of them.
fn write_text(prefix: &[u8], text: &[u8], out: &mut Vec<u8>) {
    if memchr::memchr3(b',', b'"', b'\n', text).is_none() && memchr::memchr(b'\r', text).is_none() {
        out.extend_from_slice(prefix);
        out.extend_from_slice(text);
        return;
    }
    out.push(b'"');
    out.extend_from_slice(prefix);
    for part in text.split_inclusive(|b| *b == b'"') {
        out.extend_from_slice(part);
        if part.ends_with(b"\"") {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// A number as serde_json writes it; nothing for NaN and infinities (JSON's null).
fn write_number(v: f64, out: &mut Vec<u8>) {
    if !v.is_finite() || write_short_decimal(v, out) {
        return;
    }
    // Writing to a vector cannot fail.
    let _ = serde_json::to_writer(out, &v);
}

/// `x` rounded to `d` decimals (at most 9) as output rounds it ([`round::to`]), written as
/// serde_json writes the rounded number.
///
/// The rounded number is the f64 nearest to the decimal `m / 10^d`, where `m` is `x * 10^d`
/// rounded to an integer. When `|m| < 10^15` that decimal has at most 15 significant digits,
/// so it is the shortest that reads back as the rounded number (two different decimals of at
/// most 15 significant digits never read back as the same f64), which is what serde_json
/// writes. From 0.00001 up to 10^16 serde_json writes it without an exponent, with at least
/// one decimal. Any other number goes to serde_json.
fn write_rounded(x: f64, d: usize, out: &mut Vec<u8>) {
    const POW10: [f64; 10] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
    let Some(&p) = POW10.get(d) else {
        return write_number(round::to(x, d as i32), out);
    };
    // The same integer as round::to's; NaN and infinities fail the first test.
    let m = round::half_away(x * p);
    // |m / 10^d| >= 0.00001 when |m| >= 10^(d-5).
    let small = d >= 5 && m.abs() < POW10[d - 5];
    let in_range = m.abs() < 1e15 && (!small || m == 0.0);
    if !in_range {
        return write_number(round::to(x, d as i32), out);
    }
    // round::to never gives -0.
    write_decimal(m < 0.0, m.abs() as u64, d, out);
}

/// Append `v` as serde_json writes it, if it is a number output writes often: at most 15
/// significant digits and 9 decimals, between 0.00001 and 10^12 (or zero). Returns false,
/// writing nothing, for any other number.
///
/// serde_json writes the shortest decimal that reads back as `v`. When the decimal `n / 10^d`
/// with `n < 10^15` reads back as `v`, it is that shortest decimal: two different decimals of
/// at most 15 significant digits never read back as the same f64. Between 0.00001 and 10^16
/// serde_json writes it without an exponent, with at least one decimal.
fn write_short_decimal(v: f64, out: &mut Vec<u8>) -> bool {
    let a = v.abs();
    let (scale, decimals): (f64, usize) = if a == 0.0 {
        (1.0, 0)
    } else if (1e-5..1e6).contains(&a) {
        (1e9, 9)
    } else if (1e6..1e9).contains(&a) {
        (1e6, 6)
    } else if (1e9..1e12).contains(&a) {
        (1e3, 3)
    } else {
        return false;
    };
    let n = crate::output::round::half_away(a * scale);
    if n / scale != a {
        return false;
    }
    // n < 10^15, so the conversion is exact.
    write_decimal(v.is_sign_negative(), n as u64, decimals, out);
    true
}

/// Append the decimal `n / 10^decimals` (`n < 10^15`, at most 9 decimals), with a minus sign
/// if `negative`, without trailing zeros but with at least one digit after the point.
fn write_decimal(negative: bool, mut n: u64, mut decimals: usize, out: &mut Vec<u8>) {
    while decimals > 1 && n.is_multiple_of(10) {
        n /= 10;
        decimals -= 1;
    }
    if decimals == 0 {
        n *= 10;
        decimals = 1;
    }
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(n).as_bytes();
    if negative {
        out.push(b'-');
    }
    match digits.len().checked_sub(decimals) {
        Some(whole) if whole > 0 => {
            out.extend_from_slice(&digits[..whole]);
            out.push(b'.');
            out.extend_from_slice(&digits[whole..]);
        }
        // Fewer digits than decimals: `0.` and the zeros after the point.
        _ => {
            out.extend_from_slice(b"0.");
            out.resize(out.len() + decimals - digits.len(), b'0');
            out.extend_from_slice(digits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Assessor;
    use crate::settings::Options;
    use crate::sites::SiteReader;

    /// What the csv crate writes for these cells, as one row.
    fn csv_crate_row(cells: &[&str]) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(cells).unwrap();
        w.into_inner().unwrap()
    }

    #[test]
    fn text_cells_are_quoted_only_where_the_csv_crate_quotes_them() {
        let cells = [
            "plain",
            "",
            "a, b",
            "say \"hi\"",
            "\"",
            "two\nlines",
            "cr\rhere",
            "semi; colon",
            "Québec",
        ];
        let mut ours = Vec::new();
        write_header(&cells, &mut ours);
        assert_eq!(
            String::from_utf8(ours.clone()).unwrap(),
            "plain,,\"a, b\",\"say \"\"hi\"\"\",\"\"\"\",\"two\nlines\",\"cr\rhere\",semi; colon,Québec\n"
        );
        assert_eq!(ours, csv_crate_row(&cells));
    }

    /// A number's cell, and serde_json's text for it.
    fn number_cell(v: f64) -> (String, String) {
        let mut ours = Vec::new();
        write_number(v, &mut ours);
        (String::from_utf8(ours).unwrap(), serde_json::to_string(&v).unwrap())
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        // Edges of the short-decimal path: zero, signs, the bounds of each scale, exponent
        // notation below 0.00001 and from 10^16, and long fractions that must go to serde_json.
        let edges = [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (-2.5, "-2.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e-5, "0.00001"),
            (9.9e-6, "9.9e-6"),
            (0.000442473, "0.000442473"),
            (999999.999999999, "999999.999999999"),
            (1e6, "1000000.0"),
            (12818.032, "12818.032"),
            (123456789.123456, "123456789.123456"),
            (1e9 + 0.5, "1000000000.5"),
            (1e12, "1000000000000.0"),
            (1e16, "1e+16"),
            (8.241829, "8.241829"),
            (1.0 / 3.0, "0.3333333333333333"),
        ];
        for (v, text) in edges {
            let (ours, json) = number_cell(v);
            assert_eq!(json, text, "serde_json on {v:e}");
            assert_eq!(ours, text, "cell of {v:e}");
        }
        // Rounded to d decimals: each side of 0.00001 and of 10^15 once rounded, halves, zero
        // and -0, and numbers out of range.
        let rounded = [
            (0.123456789, 9, "0.123456789"),
            (0.0000099999, 9, "0.00001"),
            (0.0000099994, 9, "9.999e-6"),
            (0.00000442473, 9, "4.425e-6"),
            (-0.0000004, 6, "0.0"),
            (-0.0, 3, "0.0"),
            (2.5, 0, "3.0"),
            (-2.5, 0, "-3.0"),
            (1.0005, 3, "1.001"),
            (1.05, 6, "1.05"),
            (123456789012.3456, 3, "123456789012.346"),
            (999999999999.9996, 3, "1000000000000.0"),
            (1e15 / 1e3 + 0.1, 3, "1000000000000.1"),
            (1e15, 3, "1000000000000000.0"),
            (-1e16, 0, "-1e+16"),
            (f64::NAN, 3, ""),
            (f64::INFINITY, 6, ""),
            (1.23456789, 12, "1.23456789"),
        ];
        for (x, d, text) in rounded {
            let mut ours = Vec::new();
            write_rounded(x, d, &mut ours);
            assert_eq!(String::from_utf8(ours).unwrap(), text, "{x:e} to {d} decimals");
            if x.is_finite() {
                assert_eq!(number_cell(round::to(x, d as i32)).1, text, "serde_json on {x:e}");
            }
        }
        // JSON has no NaN or infinity (serde_json writes null): the cell is empty.
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(number_cell(v), (String::new(), "null".to_string()));
        }
        // Seeded values across the magnitudes output has: raw, and rounded to 0-9 decimals
        // as output rounds them.
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200_000 {
            let raw = 10f64.powf(rng.random_range(-7.0..13.0)) * if rng.random_bool(0.1) { -1.0 } else { 1.0 };
            let d = rng.random_range(0..10);
            let rounded = round::to(raw, d as i32);
            for v in [raw, rounded] {
                let (ours, json) = number_cell(v);
                assert_eq!(ours, json, "cell of {v:e}");
            }
            let mut ours = Vec::new();
            write_rounded(raw, d, &mut ours);
            assert_eq!(ours, number_cell(rounded).1.as_bytes(), "{raw:e} to {d} decimals");
        }
    }

    /// Every row of these inputs, assessed by `assessor`.
    fn records<'a>(assessor: &'a Assessor, files: &[&str]) -> Vec<SiteResult<'a>> {
        let mut records = Vec::new();
        for file in files {
            let mut reader = SiteReader::open(file).unwrap();
            while let Some(row) = reader.next_row() {
                records.push(assessor.assess(row.unwrap()));
            }
        }
        records
    }

    /// Every column's index.
    fn all() -> Vec<usize> {
        (0..SITE_COLUMNS.len()).collect()
    }

    /// The CSV cell of each field of a result, from its JSON, as compare's CSV gets its
    /// cells: strings as they are (neutralised as `formulas` says), numbers as serde_json
    /// writes them, null as nothing, and the risk reasons' summary.
    fn cells_from_json(record: &SiteResult, formulas: Formulas) -> Vec<String> {
        let kept = all();
        let json = serde_json::to_value(crate::output::fields::SiteJson {
            result: record,
            kept: &kept,
        })
        .unwrap();
        assert_eq!(json.as_object().unwrap().len(), SITE_COLUMNS.len());
        crate::output::csv_cells(
            &json,
            &crate::output::fields::site_field_names(),
            record.region.map(|r| r.risk.risk.reasons.as_slice()),
            formulas,
        )
    }

    /// A result's row as `write_site_row` writes it, every field.
    fn row_of(record: &SiteResult, formulas: Formulas) -> String {
        let mut out = Vec::new();
        write_site_row(record, &CsvLayout::new(&all(), formulas), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_cell_is_the_records_json_value() {
        // Failed rows, fallbacks, operating months, a month's data and draws between them
        // fill every field, empty and not.
        let files = [
            "examples/seed-sites.csv",
            "tests/data/bad-rows.csv",
            "tests/data/seasonal.csv",
            "tests/data/kz.csv",
            "tests/data/declared-subdivisions.csv",
            "tests/data/row-checks.csv",
            "tests/data/injection.csv",
            "tests/data/supply.csv",
        ];
        let draws = Options {
            draws: 200,
            seed: 3,
            ..Default::default()
        };
        let month = Options {
            month: Some(8),
            ..Default::default()
        };
        let mut filled = [false; SITE_COLUMNS.len()];
        let mut rows = 0;
        for options in [Options::default(), draws, month] {
            let assessor = Assessor::embedded(options).unwrap();
            for record in records(&assessor, &files) {
                for formulas in [Formulas::Neutralise, Formulas::Allow] {
                    let cells = cells_from_json(&record, formulas);
                    for (f, cell) in cells.iter().enumerate() {
                        filled[f] |= !cell.is_empty();
                    }
                    let mut expected = Vec::new();
                    for (f, cell) in cells.iter().enumerate() {
                        if f > 0 {
                            expected.push(b',');
                        }
                        write_text(b"", cell.as_bytes(), &mut expected);
                    }
                    expected.push(b'\n');
                    assert_eq!(row_of(&record, formulas), String::from_utf8(expected).unwrap());
                }
                rows += 1;
            }
        }
        assert!(rows > 40, "{rows} rows");
        let empty: Vec<_> = SITE_COLUMNS
            .iter()
            .map(|c| c.name)
            .zip(filled)
            .filter(|(_, f)| !f)
            .collect();
        // The methane a flare would have let through has no checked factor (grid-data/onsite-fuels.csv):
        // the field is empty on every row rather than guessed.
        let empty: Vec<_> = empty
            .into_iter()
            .filter(|(n, _)| *n != "flare_methane_avoided_t_per_year")
            .collect();
        assert!(empty.is_empty(), "never filled: {empty:?}");
    }

    #[test]
    fn text_cells_that_a_spreadsheet_would_run_get_a_quote_and_numbers_keep_their_sign() {
        // Issue 20: OWASP's CSV injection, in ids and names; a negative latitude is a number.
        let assessor = Assessor::embedded(Options::default()).unwrap();
        let sites = records(&assessor, &["tests/data/injection.csv"]);
        let rows = |formulas| -> Vec<String> { sites.iter().map(|s| row_of(s, formulas)).collect() };
        let neutralised = rows(Formulas::Neutralise);
        assert!(
            neutralised[0].starts_with("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",Ekibastuz,51.7236,"),
            "{}",
            neutralised[0]
        );
        assert!(
            neutralised[1].starts_with("'-5,'-minus,51.7236,75.3233,"),
            "{}",
            neutralised[1]
        );
        assert!(
            neutralised[2].starts_with("'@SUM(A1),'+plus,51.7236,"),
            "{}",
            neutralised[2]
        );
        assert!(
            neutralised[6].starts_with("sydney,Sydney,-33.8688,151.2093,AU-NSW,"),
            "{}",
            neutralised[6]
        );
        // The failed row: its id and name are text like any other, its message begins with "line".
        assert!(neutralised[7].starts_with("bad,'=1+1,,75.3233,"), "{}", neutralised[7]);
        let allowed = rows(Formulas::Allow);
        assert!(allowed[1].starts_with("-5,-minus,51.7236,"), "{}", allowed[1]);
        assert!(allowed[7].starts_with("bad,=1+1,,75.3233,"), "{}", allowed[7]);
        // A leading tab or carriage return (trimmed from input files, but a record may hold
        // one): the quote goes inside the quotes a carriage return needs.
        let mut record = sites[6].clone();
        record.id = Some("\tx".into());
        record.name = Some("\rx".into());
        assert!(row_of(&record, Formulas::Neutralise).starts_with("'\tx,\"'\rx\",-33.8688,"));
        assert!(row_of(&record, Formulas::Allow).starts_with("\tx,\"\rx\",-33.8688,"));
    }

    #[test]
    fn left_out_fields_leave_no_cell_and_a_regions_cells_stand_for_their_fields() {
        let assessor = Assessor::embedded(Options::default()).unwrap();
        let record = &records(&assessor, &["examples/seed-sites.csv"])[0];
        let at = |name: &str| SITE_COLUMNS.iter().position(|c| c.name == name).unwrap();
        let row = |kept: &[&str]| {
            let kept: Vec<usize> = kept.iter().map(|n| at(n)).collect();
            let mut out = Vec::new();
            write_site_row(record, &CsvLayout::new(&kept, Formulas::Neutralise), &mut out);
            String::from_utf8(out).unwrap()
        };
        // The first and last kept fields have no comma before or after them; the region's
        // cells are encoded for the first of these layouts and written cell by cell for the
        // second, alike.
        assert_eq!(
            row(&["id", "region", "status", "co2_g_per_th_p95"]),
            "ekibastuz,KZ-55,ok,\n"
        );
        assert_eq!(row(&["region", "status", "co2_g_per_th_p95"]), "KZ-55,ok,\n");
        let layout = CsvLayout::new(&[at("id"), at("region"), at("status")], Formulas::Neutralise);
        let cached = record.region.unwrap().encoded.get().unwrap();
        assert_eq!(cached.runs, [b"KZ-55".to_vec()]);
        assert_ne!(cached.layout, layout.key);
        // Runs: a region's fields together, the site's own apart.
        let runs: Vec<_> = layout.runs.iter().map(|(r, shared)| (r.clone(), *shared)).collect();
        assert_eq!(runs, [(0..1, false), (1..2, true), (2..3, false)]);
    }
}
