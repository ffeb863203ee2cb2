//! How far a region's mix moves between its latest data and the year asked for: the
//! region's own changes over the same number of years, taken from its recent history.
//! Monthly mixes use the changes between the same months of different years, which carry
//! the wet and dry years of hydro.

use super::config::MixHistory;
use crate::grid::GridData;
use crate::months::{DAYS, Months};
use crate::source::SOURCE_COUNT;

/// The changes a region's mix may take over the gap, and whose history they come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    /// Share changes, one per pair of years `gap` apart, oldest first.
    pub deltas: Vec<[f64; SOURCE_COUNT]>,
    /// What had to be substituted, for the site's notes.
    pub note: Option<String>,
}

/// The shares of `code` in `year`: its annual figure, or, for `months`, the day-weighted
/// mean of that year's monthly figures (every month must be there).
fn period_shares(grid: &GridData, code: &str, year: u16, months: Option<Months>) -> Option<[f64; SOURCE_COUNT]> {
    let Some(months) = months else {
        return grid.years(code).iter().find(|r| r.year == year).map(|r| r.shares());
    };
    let rows = grid.months(code);
    let mut acc = [0.0; SOURCE_COUNT];
    for m in months.iter() {
        let row = rows.iter().find(|r| r.year == year && r.months.contains(m))?;
        let w = f64::from(DAYS[m as usize - 1]);
        for (a, s) in acc.iter_mut().zip(row.shares()) {
            *a += w * s;
        }
    }
    let days = f64::from(months.days());
    Some(acc.map(|a| a / days))
}

/// The changes from year `y` to `y + gap` for every such pair within the `history_years`
/// up to `last` where both years have data.
fn changes_of(
    grid: &GridData,
    code: &str,
    months: Option<Months>,
    last: u16,
    gap: u16,
    history_years: u16,
) -> Vec<[f64; SOURCE_COUNT]> {
    let first = last.saturating_sub(history_years);
    (first..=last.saturating_sub(gap))
        .filter_map(|y| {
            let before = period_shares(grid, code, y, months)?;
            let after = period_shares(grid, code, y + gap, months)?;
            Some(std::array::from_fn(|i| after[i] - before[i]))
        })
        .collect()
}

/// The `gap`-year changes for a mix of `code` whose latest year is `last`: the region's own
/// (for `months`, those of the same months first), else its parents' annual changes, noted.
/// No changes (and a note) when no region up the chain has `min_changes` of them.
pub fn changes(grid: &GridData, code: &str, months: Option<Months>, last: u16, gap: u16, h: &MixHistory) -> Changes {
    let (history_years, min_changes) = (h.history_years, h.min_changes);
    if gap == 0 {
        return Changes {
            deltas: vec![],
            note: None,
        };
    }
    let years = if gap == 1 {
        "1-year".to_string()
    } else {
        format!("{gap}-year")
    };
    let mut tried = Vec::new();
    if let Some(ms) = months {
        let own = changes_of(grid, code, Some(ms), last, gap, history_years);
        if own.len() >= min_changes {
            return Changes {
                deltas: own,
                note: None,
            };
        }
        tried.push(format!("{code} months {ms}"));
    }
    let mut current = Some(code.to_string());
    while let Some(c) = current {
        let found = changes_of(grid, &c, None, last, gap, history_years);
        if found.len() >= min_changes {
            let note = (!tried.is_empty()).then(|| {
                format!(
                    "mix interval: fewer than {min_changes} {years} changes in the data of {}; those of {c} used",
                    tried.join(", ")
                )
            });
            return Changes { deltas: found, note };
        }
        tried.push(c.clone());
        current = grid.region(&c).and_then(|r| r.parent.clone());
    }
    // Issue 23: a gap longer than the history window holds no pair at all (Western Sahara's
    // 2009 data assessed in 2026: 17 years), so up to `last` nothing up the chain has a change
    // and the stalest mix would get no drift. The same chain is tried again, each region over
    // its own newest data, in a window just long enough for `min_changes` pairs the gap apart.
    let window = history_years.max(gap.saturating_add(u16::try_from(min_changes).unwrap_or(u16::MAX) - 1));
    let mut current = Some(code.to_string());
    while let Some(c) = current {
        if let Some(newest) = grid.newest_year(&c).filter(|&n| n > last) {
            let found = changes_of(grid, &c, None, newest, gap, window);
            if found.len() >= min_changes {
                let note = format!(
                    "mix interval: fewer than {min_changes} {years} changes up to {last} in the data of {}; {c}'s {years} changes in {}-{newest} used",
                    tried.join(", "),
                    newest.saturating_sub(window)
                );
                return Changes {
                    deltas: found,
                    note: Some(note),
                };
            }
        }
        current = grid.region(&c).and_then(|r| r.parent.clone());
    }
    Changes {
        deltas: vec![],
        note: Some(format!(
            "mix interval: fewer than {min_changes} {years} changes in the data of {}; mix held fixed in the draws",
            tried.join(", ")
        )),
    }
}

/// A mix moved by `sign` times a change: negative shares are cut to 0 and the rest rescaled
/// to sum to 1.
pub fn moved(shares: &[f64; SOURCE_COUNT], delta: &[f64; SOURCE_COUNT], sign: f64) -> [f64; SOURCE_COUNT] {
    let raw: [f64; SOURCE_COUNT] = std::array::from_fn(|i| (shares[i] + sign * delta[i]).max(0.0));
    let total: f64 = raw.iter().sum();
    if total > 0.0 { raw.map(|s| s / total) } else { *shares }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::GridFiles;

    fn grid() -> GridData {
        GridData::parse(&GridFiles::embedded()).expect("embedded grid data parses")
    }

    /// The embedded model's history: 10 years, at least 3 changes.
    fn h() -> MixHistory {
        let c = super::super::Config::parse(&GridFiles::embedded().uncertainty).unwrap();
        assert_eq!((c.mix.history_years, c.mix.min_changes), (10, 3));
        c.mix
    }

    #[test]
    fn kazakhstan_two_year_changes_come_from_its_own_last_decade() {
        let g = grid();
        // KZ has annual data 2000-2023: pairs (2013, 2015) .. (2021, 2023), nine of them.
        let c = changes(&g, "KZ", None, 2023, 2, &h());
        assert_eq!(c.deltas.len(), 9);
        assert_eq!(c.note, None);
        let coal = crate::source::Source::Coal.index();
        let share = |y: u16| period_shares(&g, "KZ", y, None).unwrap()[coal];
        assert!((c.deltas[8][coal] - (share(2023) - share(2021))).abs() < 1e-15);
        assert!((c.deltas[0][coal] - (share(2015) - share(2013))).abs() < 1e-15);
    }

    #[test]
    fn nunavut_with_too_few_years_of_data_uses_canada_s_changes() {
        // Issue 23: Nunavut's data (NIR) start in 2005; in 2007 it has one 2-year change.
        let c = changes(&grid(), "CA-NU", None, 2007, 2, &h());
        assert!(c.deltas.len() >= 3);
        assert_eq!(
            c.note.as_deref(),
            Some("mix interval: fewer than 3 2-year changes in the data of CA-NU; those of CA used")
        );
    }

    #[test]
    fn quebec_with_nir_years_uses_its_own_changes() {
        // Issue 23: Quebec has NIR's 2013-2022 and CER's 2023: pairs (2013, 2015) .. (2021, 2023).
        let c = changes(&grid(), "CA-QC", None, 2023, 2, &h());
        assert_eq!(c.deltas.len(), 9);
        assert_eq!(c.note, None);
    }

    #[test]
    fn sichuan_summer_months_use_the_same_months_of_other_years() {
        let g = grid();
        let ms = Months::parse("5-10").unwrap();
        // NBS monthly data for Sichuan runs 2015-01 to 2024-04: May-October pairs end in 2023.
        let c = changes(&g, "CN-SC", Some(ms), 2023, 1, &h());
        assert_eq!(c.note, None);
        assert!(c.deltas.len() >= 3);
        let hydro = crate::source::Source::Hydro.index();
        let last = c.deltas.last().unwrap();
        let expected = period_shares(&g, "CN-SC", 2023, Some(ms)).unwrap()[hydro]
            - period_shares(&g, "CN-SC", 2022, Some(ms)).unwrap()[hydro];
        assert!((last[hydro] - expected).abs() < 1e-15);
    }

    // Issue 23: Western Sahara's data end in 2009; assessed in 2026 the gap (17 years) is
    // longer than any region's 10-year window up to 2009 holds, which held its mix fixed (a
    // zero-width interval for the stalest region). WORLD's own 2004-2023 data hold three
    // 17-year pairs: (2004, 2021), (2005, 2022), (2006, 2023).
    #[test]
    fn a_gap_longer_than_the_history_uses_the_parents_newest_data_not_a_fixed_mix() {
        let g = grid();
        let c = changes(&g, "EH", None, 2009, 17, &h());
        assert_eq!(c.deltas.len(), 3);
        assert_eq!(
            c.note.as_deref(),
            Some(
                "mix interval: fewer than 3 17-year changes up to 2009 in the data of EH, WORLD; WORLD's 17-year changes in 2004-2023 used"
            )
        );
        let coal = crate::source::Source::Coal.index();
        let share = |y: u16| period_shares(&g, "WORLD", y, None).unwrap()[coal];
        assert!((c.deltas[0][coal] - (share(2021) - share(2004))).abs() < 1e-15);
        assert!((c.deltas[2][coal] - (share(2023) - share(2006))).abs() < 1e-15);
    }

    #[test]
    fn no_gap_means_no_change() {
        assert_eq!(changes(&grid(), "KZ", None, 2023, 0, &h()).deltas.len(), 0);
    }

    #[test]
    fn a_moved_mix_never_goes_negative_and_still_sums_to_one() {
        let shares = [0.5, 0.1, 0.0, 0.0, 0.4, 0.0, 0.0, 0.0, 0.0];
        let delta = [0.1, -0.2, 0.0, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0];
        // +: coal 0.6, gas -0.1 -> 0, hydro 0.5; rescaled by 1.1.
        let up = moved(&shares, &delta, 1.0);
        assert!((up[0] - 0.6 / 1.1).abs() < 1e-15);
        assert_eq!(up[1], 0.0);
        assert!((up.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // -: coal 0.4, gas 0.3, hydro 0.3.
        let down = moved(&shares, &delta, -1.0);
        assert!((down[1] - 0.3).abs() < 1e-15);
    }
}
