//! Numbers as a report prints them: thousands separated by commas (`54,729`), a fixed number
//! of decimals, and `-` for a number that is not there. The CSV and JSON outputs keep plain
//! numbers for programs; a report is read by people, who misread `725738` by a factor of ten.

/// `x` with `decimals` decimals and its thousands separated by commas: `1,234,567.8`.
pub fn grouped(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    // `-0` after rounding reads as a sign error: print it as 0.
    if out
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.' || c == ',')
    {
        return out.trim_start_matches('-').to_string();
    }
    out
}

/// [`grouped`], or `-` for no number.
pub fn maybe(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| grouped(x, decimals)).unwrap_or_else(|| "-".into())
}

/// A share (a fraction) as a percentage with one decimal, without the sign: `17.6`.
pub fn percent(v: Option<f64>) -> String {
    maybe(v.map(|x| x * 100.0), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated_by_commas_and_decimals_kept() {
        assert_eq!(grouped(725738.4, 0), "725,738");
        assert_eq!(grouped(1234567.891, 2), "1,234,567.89");
        assert_eq!(grouped(999.95, 1), "1,000.0");
        assert_eq!(grouped(100.0, 0), "100");
        assert_eq!(grouped(-12345.0, 0), "-12,345");
        assert_eq!(grouped(-0.04, 1), "0.0");
        assert_eq!(maybe(None, 1), "-");
        assert_eq!(percent(Some(0.1764)), "17.6");
    }
}
