//! Which machines hash for the network in a period: the mean efficiency of the miner
//! catalogue's models released in the five years before the period ends, each model counting
//! equally. This is the rule of CCAF's CBECI until its 2023 revision ("every profitable hardware
//! model released within the past five years equally fuelled the network hashrate", as reported
//! by Decrypt, decrypt.co/154593, quoting CCAF's revision note), without CBECI's profitability
//! filter (hashmix has no electricity price or revenue series). CCAF revised it because it
//! overweights old machines after 2021: hashmix's estimate inherits that bias (METHOD.md, "MiCA
//! indicators").

use chrono::{Datelike, NaiveDate};

use crate::miners::Miner;

/// How many years of releases the fleet spans: five, CBECI's window before its 2023 revision
/// (decrypt.co/154593).
pub const FLEET_YEARS: i32 = 5;

/// The fleet's mean efficiency and the models it counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Fleet {
    /// Mean J/TH of the models counted.
    pub j_per_th: f64,
    /// The models counted, `vendor model (J/TH, release)`.
    pub models: Vec<String>,
    /// Models skipped for an unknown release date.
    pub undated: usize,
}

/// The release month of a catalogue row: its first `YYYY-MM`, or `YYYY` alone as January of
/// that year (the earliest it can have been); `None` where the row gives no year first
/// ("UNCERTAIN", "before 2023-06").
pub fn release_month(text: &str) -> Option<(i32, u32)> {
    let t = text.trim();
    let year: i32 = t.get(0..4)?.parse().ok()?;
    let month = match t.get(4..7) {
        Some(m) if m.starts_with('-') => m[1..].parse().ok().filter(|m| (1..=12).contains(m))?,
        _ => 1,
    };
    Some((year, month))
}

/// The fleet of a period ending on `to`: models released after the same month [`FLEET_YEARS`]
/// earlier and by `to`'s month. `None` when no dated model falls in the window.
pub fn fleet(miners: &[Miner], to: NaiveDate) -> Option<Fleet> {
    let end = to.year() * 12 + to.month() as i32;
    let start = end - FLEET_YEARS * 12;
    let mut models = Vec::new();
    let mut sum = 0.0;
    let mut undated = 0;
    for m in miners {
        let Some((y, mo)) = release_month(&m.release) else {
            undated += 1;
            continue;
        };
        let at = y * 12 + mo as i32;
        if at > start && at <= end {
            sum += m.efficiency_j_per_th;
            models.push(format!(
                "{} {} ({} J/TH, {})",
                m.vendor, m.model, m.efficiency_j_per_th, m.release
            ));
        }
    }
    (!models.is_empty()).then(|| Fleet {
        j_per_th: sum / models.len() as f64,
        models,
        undated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn miner(j: f64, release: &str) -> Miner {
        Miner {
            vendor: "V".into(),
            model: "M".into(),
            hashrate_ths: None,
            power_w: None,
            power_derived: String::new(),
            efficiency_j_per_th: j,
            release: release.into(),
            value_status: String::new(),
            source: String::new(),
        }
    }

    #[test]
    fn release_months_read_the_first_date_and_a_bare_year_as_january() {
        assert_eq!(release_month("2019-04 (F2Pool) / 2019-08 (CBECI)"), Some((2019, 4)));
        assert_eq!(release_month("2021 (UNCERTAIN month)"), Some((2021, 1)));
        assert_eq!(release_month("before 2023-06 (UNCERTAIN)"), None);
        assert_eq!(release_month("UNCERTAIN"), None);
    }

    #[test]
    fn the_fleet_counts_models_of_the_five_years_before_the_end_equally() {
        let miners = [
            miner(98.0, "2016-12"),
            miner(45.0, "2017-01"),
            miner(30.0, "2021-12"),
            miner(20.0, "2022-01"),
            miner(10.0, "UNCERTAIN"),
        ];
        let to = NaiveDate::from_ymd_opt(2021, 12, 31).unwrap();
        let f = fleet(&miners, to).unwrap();
        // Window: after 2016-12, up to 2021-12: 45 and 30 -> (45 + 30) / 2 = 37.5.
        assert_eq!(f.j_per_th, 37.5);
        assert_eq!(f.models.len(), 2);
        assert_eq!(f.undated, 1);
    }
}
