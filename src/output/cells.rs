//! A site's CSV cells, written straight from its record: the fields of the contract
//! ([`SITE_FIELDS`]) in its order, with the JSON formats' rounding, and numbers as serde_json
//! writes them. A test checks every cell of many records against their JSON.

use super::text::{Formulas, starts_formula};
use crate::pipeline::{SITE_FIELDS, SiteRecord, round};
use crate::uncertainty::Interval;

/// Which of [`SITE_FIELDS`] are written: bit `i` for the field at `i`. A row's cells are
/// then written by walking the set bits, not by testing every field of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep(u64);

const _: () = assert!(SITE_FIELDS.len() < 64, "a Keep holds a bit per field");

impl Keep {
    /// Every field.
    pub const ALL: Keep = Keep((1 << SITE_FIELDS.len()) - 1);
    /// No field.
    pub const NONE: Keep = Keep(0);

    /// These fields and the one at `index` (of [`SITE_FIELDS`]; an index past them adds none).
    pub fn with(self, index: usize) -> Keep {
        Keep(self.0 | (Self::bit(index) & Self::ALL.0))
    }

    /// These fields without the one at `index`.
    pub fn without(self, index: usize) -> Keep {
        Keep(self.0 & !Self::bit(index))
    }

    fn bit(index: usize) -> u64 {
        u32::try_from(index).ok().and_then(|i| 1u64.checked_shl(i)).unwrap_or(0)
    }

    /// Whether the field at `index` is kept.
    pub fn has(self, index: usize) -> bool {
        self.0 & Self::bit(index) != 0
    }

    /// How many fields are kept.
    pub fn count(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The kept fields among `range`, in order.
    fn within(self, range: std::ops::Range<usize>) -> impl Iterator<Item = usize> {
        let end = range.end.min(SITE_FIELDS.len());
        let start = range.start.min(end);
        // The bits start..end.
        let span = ((1u64 << (end - start)) - 1) << start;
        let mut bits = self.0 & span;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                i
            })
        })
    }
}

/// Writes one field's cell of a record; text cells as the [`Formulas`] say.
type WriteCell = fn(&SiteRecord, Formulas, &mut Vec<u8>);

/// How each field of [`SITE_FIELDS`] is written, in the same order.
const SITE_CELLS: [WriteCell; SITE_FIELDS.len()] = [
    |r, f, o| text(r.id.as_deref(), f, o),
    |r, f, o| text(r.name.as_deref(), f, o),
    |r, _, o| number(r.lat, o),
    |r, _, o| number(r.lon, o),
    |r, f, o| text(r.region, f, o),
    |r, f, o| text(r.region_name, f, o),
    |r, f, o| text(r.region_level, f, o),
    |r, f, o| text(r.match_, f, o),
    |r, _, o| integer(r.data_year, o),
    |r, f, o| text(r.data_month, f, o),
    |r, _, o| share(r, 0, o),
    |r, _, o| share(r, 1, o),
    |r, _, o| share(r, 2, o),
    |r, _, o| share(r, 3, o),
    |r, _, o| share(r, 4, o),
    |r, _, o| share(r, 5, o),
    |r, _, o| share(r, 6, o),
    |r, _, o| share(r, 7, o),
    |r, _, o| share(r, 8, o),
    |r, _, o| rounded(r.mix.fossil_share, 6, o),
    |r, _, o| rounded(r.mix.renewable_share, 6, o),
    |r, _, o| rounded(r.mix.low_carbon_share, 6, o),
    |r, _, o| rounded(r.mix.intensity_g_per_kwh, 3, o),
    |r, _, o| rounded(r.hashrate_ths, 6, o),
    |r, _, o| rounded(r.efficiency_j_per_th, 6, o),
    |r, _, o| rounded(r.power_mw, 6, o),
    |r, _, o| rounded(r.energy_mwh_per_year, 3, o),
    |r, _, o| rounded(r.co2_t_per_year, 3, o),
    |r, _, o| rounded(r.co2_g_per_th, 9, o),
    |r, _, o| rounded(r.co2_kg_per_ths_day, 6, o),
    |r, f, o| text(Some(r.status), f, o),
    |r, f, o| text(r.error.as_deref(), f, o),
    |r, f, o| text(Some(&r.notes), f, o),
    |r, f, o| text(Some(&r.warnings), f, o),
    |r, _, o| rounded(r.uptime, 6, o),
    |r, _, o| rounded(r.pue, 6, o),
    |r, f, o| text(r.data_region, f, o),
    |r, f, o| text(r.months.as_deref(), f, o),
    |r, _, o| integer(r.risk_score, o),
    |r, f, o| text(r.risk_level, f, o),
    |r, f, o| text(r.risk_as_of, f, o),
    // CSV has the reasons' summary, where JSON has one object per reason.
    |r, f, o| text(r.risk_reasons.map(|s| s.summary.as_str()), f, o),
    |r, _, o| interval(r.intervals.intensity_g_per_kwh, |i| i.p05, 3, o),
    |r, _, o| interval(r.intervals.intensity_g_per_kwh, |i| i.p50, 3, o),
    |r, _, o| interval(r.intervals.intensity_g_per_kwh, |i| i.p95, 3, o),
    |r, _, o| interval(r.intervals.co2_t_per_year, |i| i.p05, 3, o),
    |r, _, o| interval(r.intervals.co2_t_per_year, |i| i.p50, 3, o),
    |r, _, o| interval(r.intervals.co2_t_per_year, |i| i.p95, 3, o),
    |r, _, o| interval(r.intervals.co2_g_per_th, |i| i.p05, 9, o),
    |r, _, o| interval(r.intervals.co2_g_per_th, |i| i.p50, 9, o),
    |r, _, o| interval(r.intervals.co2_g_per_th, |i| i.p95, 9, o),
];

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

/// An integer cell, or an empty one.
fn integer<T: itoa::Integer>(v: Option<T>, out: &mut Vec<u8>) {
    if let Some(v) = v {
        out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }
}

/// A number cell as given, or an empty one.
fn number(v: Option<f64>, out: &mut Vec<u8>) {
    if let Some(v) = v {
        write_number(v, out);
    }
}

/// A number cell rounded to `d` decimals, or an empty one.
fn rounded(v: Option<f64>, d: usize, out: &mut Vec<u8>) {
    if let Some(v) = v {
        write_rounded(v, d, out);
    }
}

/// The share of the source at `index` (ordered like `Source::ALL`), 6 decimals.
fn share(r: &SiteRecord, index: usize, out: &mut Vec<u8>) {
    rounded(r.mix.shares.map(|s| s[index]), 6, out);
}

/// One percentile of an interval, `d` decimals.
fn interval(v: Option<Interval>, percentile: fn(&Interval) -> f64, d: usize, out: &mut Vec<u8>) {
    rounded(v.as_ref().map(percentile), d, out);
}

/// Cells already written for a run of fields: the text [`write_cells`] gives for the fields
/// `range` under the same keep flags, so that cells which many rows share are formatted once.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    /// The fields, by position in [`SITE_FIELDS`]: first, and past the last.
    pub range: (usize, usize),
    /// Their cells.
    pub bytes: &'a [u8],
}

/// Append `record` to `out` as one CSV row: the fields of [`SITE_FIELDS`] that `keep` (one
/// flag per field) keeps, separated by commas, text quoted only where it holds a comma, a
/// quote or a line break and neutralised as `formulas` says, ended by a newline. The fields
/// of each segment (ordered, not overlapping) are written from the segment's bytes instead of
/// from the record.
pub fn write_site_row(record: &SiteRecord, keep: &Keep, formulas: Formulas, segments: &[Segment], out: &mut Vec<u8>) {
    let mut row = Row {
        out,
        written: false,
        formulas,
    };
    let mut next = 0;
    for segment in segments {
        row.cells(record, keep, next..segment.range.0);
        if !segment.bytes.is_empty() {
            row.cell().extend_from_slice(segment.bytes);
        }
        next = segment.range.1;
    }
    row.cells(record, keep, next..SITE_FIELDS.len());
    out.push(b'\n');
}

/// Append the cells of the fields `range` of [`SITE_FIELDS`] that `keep` keeps, joined by
/// commas, without a newline: a [`Segment`]'s bytes. A range beyond the fields writes nothing.
pub fn write_cells(
    record: &SiteRecord,
    keep: &Keep,
    formulas: Formulas,
    range: std::ops::Range<usize>,
    out: &mut Vec<u8>,
) {
    Row {
        out,
        written: false,
        formulas,
    }
    .cells(record, keep, range);
}

/// A row being written.
struct Row<'a> {
    out: &'a mut Vec<u8>,
    /// Whether a cell is written yet (the next one needs a comma).
    written: bool,
    /// How text cells that look like formulas are written.
    formulas: Formulas,
}

impl Row<'_> {
    /// Start a cell: the buffer to write it to.
    fn cell(&mut self) -> &mut Vec<u8> {
        if self.written {
            self.out.push(b',');
        }
        self.written = true;
        self.out
    }

    /// The kept cells of the fields `range`.
    fn cells(&mut self, record: &SiteRecord, keep: &Keep, range: std::ops::Range<usize>) {
        let formulas = self.formulas;
        for i in keep.within(range) {
            SITE_CELLS[i](record, formulas, self.cell());
        }
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
    let n = crate::pipeline::round::half_away(a * scale);
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
    // Drop trailing zeros but the last decimal: at most 8 of them, taken 8, 4, 2 and 1 at a
    // time (each step at most once), not one by one.
    for (zeros, power) in [(8, 100_000_000), (4, 10_000), (2, 100), (1, 10)] {
        if decimals > zeros && n.is_multiple_of(power) {
            n /= power;
            decimals -= zeros;
        }
    }
    if decimals == 0 {
        n *= 10;
        decimals = 1;
    }
    // n's digits are the decimal's, with the point `decimals` digits from the right and a 0
    // before it when n has no more digits than that.
    let digits = n.checked_ilog10().map_or(1, |l| l as usize + 1);
    let whole = digits.saturating_sub(decimals).max(1);
    // At most a sign, 16 digits, a point and a zero.
    let len = usize::from(negative) + whole + 1 + decimals;
    // The digits go straight into `out`, from the last back. Put together on the stack and
    // copied, the copy's wide loads would wait on the digits' narrow stores.
    let start = out.len();
    out.resize(start + len, b'-');
    let text = &mut out[start..];
    let mut at = len;
    put_digits(text, &mut at, &mut n, decimals);
    at -= 1;
    text[at] = b'.';
    put_digits(text, &mut at, &mut n, whole);
}

/// Two-digit texts, 00 to 99.
const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// Write the last `count` decimal digits of `n` (zero-padded) into `text`, ending before
/// `at`; `at` moves back over them and `n` loses them.
fn put_digits(text: &mut [u8], at: &mut usize, n: &mut u64, count: usize) {
    for _ in 0..count / 2 {
        let pair = (*n % 100) as usize * 2;
        *n /= 100;
        *at -= 2;
        text[*at..*at + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if count % 2 == 1 {
        *at -= 1;
        text[*at] = b'0' + (*n % 10) as u8;
        *n /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Assessor, Options};
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
    fn records<'a>(assessor: &'a Assessor, files: &[&str]) -> Vec<SiteRecord<'a>> {
        let mut records = Vec::new();
        for file in files {
            let mut reader = SiteReader::open(file).unwrap();
            while let Some(row) = reader.next_row() {
                records.push(assessor.assess(row.unwrap()));
            }
        }
        records
    }

    /// The CSV cell of each field of a record, from its JSON, as the workbook and compare's CSV
    /// get theirs: strings as they are (neutralised as `formulas` says), numbers as serde_json
    /// writes them, null as nothing, and the risk reasons' summary.
    fn cells_from_json(record: &SiteRecord, formulas: Formulas) -> Vec<String> {
        let json = serde_json::to_value(record).unwrap();
        assert_eq!(json.as_object().unwrap().len(), SITE_FIELDS.len());
        crate::output::csv_cells(
            &json,
            &SITE_FIELDS,
            record.risk_reasons.map(|r| r.risk.reasons.as_slice()),
            formulas,
        )
    }

    /// A record's row as `write_site_row` writes it, every field.
    fn row_of(record: &SiteRecord, formulas: Formulas) -> String {
        let mut out = Vec::new();
        write_site_row(record, &Keep::ALL, formulas, &[], &mut out);
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
        let mut filled = [false; SITE_FIELDS.len()];
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
        let empty: Vec<_> = SITE_FIELDS.iter().zip(filled).filter(|(_, f)| !f).collect();
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
    fn left_out_fields_leave_no_cell_and_segments_stand_for_their_fields() {
        let assessor = Assessor::embedded(Options::default()).unwrap();
        let record = &records(&assessor, &["examples/seed-sites.csv"])[0];
        let at = |name: &str| SITE_FIELDS.iter().position(|f| *f == name).unwrap();
        let row = |keep: &Keep, segments: &[Segment]| {
            let mut out = Vec::new();
            write_site_row(record, keep, Formulas::Neutralise, segments, &mut out);
            String::from_utf8(out).unwrap()
        };
        // The first and last kept fields have no comma before or after them.
        let mut keep = Keep::NONE;
        for name in ["id", "region", "status", "co2_g_per_th_p95"] {
            keep = keep.with(at(name));
        }
        assert_eq!(row(&keep, &[]), "ekibastuz,KZ-55,ok,\n");
        keep = keep.without(at("id"));
        assert_eq!(row(&keep, &[]), "KZ-55,ok,\n");
        // A segment's bytes replace its fields' cells, whatever the record holds; an empty
        // segment (no kept field in it) leaves nothing.
        let segments = [
            Segment {
                range: (at("region"), at("region_level") + 1),
                bytes: b"XX-1",
            },
            Segment {
                range: (at("error"), at("notes") + 1),
                bytes: b"",
            },
        ];
        assert_eq!(row(&keep, &segments), "XX-1,ok,\n");
        let mut cells = Vec::new();
        write_cells(
            record,
            &keep,
            Formulas::Neutralise,
            at("region")..at("region_level") + 1,
            &mut cells,
        );
        assert_eq!(cells, b"KZ-55");
    }

    #[test]
    fn kept_fields_are_walked_in_order_within_a_range() {
        let keep = Keep::NONE.with(0).with(3).with(4).with(49).with(64).with(1000);
        assert_eq!(keep.count(), 4);
        assert!(keep.has(3) && keep.has(49) && !keep.has(1) && !keep.has(64) && !keep.has(1000));
        assert_eq!(keep.within(0..50).collect::<Vec<_>>(), [0, 3, 4, 49]);
        assert_eq!(keep.within(1..4).collect::<Vec<_>>(), [3]);
        assert_eq!(keep.within(4..4).count(), 0);
        assert_eq!(keep.within(5..49).count(), 0);
        // A range beyond the fields holds none of them.
        assert_eq!(keep.within(49..200).collect::<Vec<_>>(), [49]);
        assert_eq!(keep.within(60..70).count(), 0);
        assert_eq!(keep.without(3).within(0..50).collect::<Vec<_>>(), [0, 4, 49]);
        assert_eq!(Keep::ALL.count(), SITE_FIELDS.len());
        assert_eq!(Keep::ALL.within(0..SITE_FIELDS.len()).count(), SITE_FIELDS.len());
    }
}
