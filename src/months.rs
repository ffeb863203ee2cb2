//! Calendar months: the operating months of a seasonal site (`5-10`, `11-4`, `6,7,8`) and the
//! months a monthly data row covers (`1-2` for China's January-February figure).

use std::fmt;

/// Days in each month of a non-leap year (the year of 8,760 hours used throughout).
pub const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// English month names, for notes.
pub const NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A set of calendar months, bit `m - 1` for month `m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Months(u16);

impl Months {
    /// Every month.
    pub const ALL: Months = Months(0x0fff);

    /// No month.
    pub const NONE: Months = Months(0);

    /// The months of either set.
    pub fn union(self, other: Months) -> Months {
        Months(self.0 | other.0)
    }

    /// One month (1-12).
    pub fn single(month: u8) -> Months {
        debug_assert!((1..=12).contains(&month));
        Months(1 << (month - 1))
    }

    /// Does the set hold `month` (1-12)?
    pub fn contains(self, month: u8) -> bool {
        (1..=12).contains(&month) && self.0 & (1 << (month - 1)) != 0
    }

    /// The months in the set, in calendar order.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        (1..=12u8).filter(move |m| self.contains(*m))
    }

    /// Number of months in the set.
    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// True when the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Days in the set's months (non-leap year).
    pub fn days(self) -> u32 {
        self.iter().map(|m| DAYS[m as usize - 1]).sum()
    }

    /// Parse a list of months or ranges: `5-10`, `11-4` (wrapping over the new year), `6`,
    /// `1,2,12`, `5-6, 9`. Months are 1-12.
    pub fn parse(text: &str) -> Result<Months, String> {
        let mut bits = 0u16;
        for part in text.split([',', ';']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let month = |t: &str| -> Result<u8, String> {
                match t.trim().parse::<u8>() {
                    Ok(m) if (1..=12).contains(&m) => Ok(m),
                    _ => Err(format!("'{}' is not a month number 1-12", t.trim())),
                }
            };
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (month(a)?, month(b)?);
                    let mut m = a;
                    loop {
                        bits |= 1 << (m - 1);
                        if m == b {
                            break;
                        }
                        m = m % 12 + 1;
                    }
                }
                None => bits |= 1 << (month(part)? - 1),
            }
        }
        if bits == 0 {
            return Err("no months given".into());
        }
        Ok(Months(bits))
    }
}

impl fmt::Display for Months {
    /// The shortest form: ranges joined by commas, a range that wraps over the new year
    /// written as `11-4`. Every month is `1-12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Months::ALL {
            return write!(f, "1-12");
        }
        // Start at a month that is in the set and whose predecessor is not, so a run that
        // wraps over December is written once.
        let start = (1..=12u8)
            .find(|m| self.contains(*m) && !self.contains(if *m == 1 { 12 } else { m - 1 }))
            .unwrap_or(1);
        let mut runs: Vec<(u8, u8)> = Vec::new();
        for k in 0..12u8 {
            let m = (start - 1 + k) % 12 + 1;
            if !self.contains(m) {
                continue;
            }
            match runs.last_mut() {
                Some((_, end)) if *end % 12 + 1 == m => *end = m,
                _ => runs.push((m, m)),
            }
        }
        runs.sort_by_key(|r| r.0);
        let text: Vec<String> = runs
            .iter()
            .map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") })
            .collect();
        write!(f, "{}", text.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_lists_and_wrapping_ranges_parse() {
        let wet = Months::parse("5-10").unwrap();
        assert_eq!(wet.iter().collect::<Vec<_>>(), vec![5, 6, 7, 8, 9, 10]);
        // May-October: 31 + 30 + 31 + 31 + 30 + 31 = 184 days.
        assert_eq!(wet.days(), 184);
        let dry = Months::parse("11-4").unwrap();
        assert_eq!(dry.iter().collect::<Vec<_>>(), vec![1, 2, 3, 4, 11, 12]);
        assert_eq!(dry.days(), 365 - 184);
        assert_eq!(Months::parse("1, 2,12").unwrap().len(), 3);
        assert_eq!(Months::parse("1-12").unwrap(), Months::ALL);
        assert_eq!(Months::ALL.days(), 365);
    }

    #[test]
    fn bad_months_are_refused_with_the_reason() {
        assert_eq!(Months::parse("13").unwrap_err(), "'13' is not a month number 1-12");
        assert_eq!(Months::parse("may").unwrap_err(), "'may' is not a month number 1-12");
        assert_eq!(Months::parse(" , ").unwrap_err(), "no months given");
    }

    #[test]
    fn months_print_in_their_shortest_form() {
        for text in ["5-10", "11-4", "1-2", "8", "1,3,5", "6,12-1", "1-12"] {
            assert_eq!(Months::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Months::parse("6,7,8").unwrap().to_string(), "6-8");
        assert_eq!(Months::parse("12-1,6").unwrap().to_string(), "6,12-1");
    }
}
