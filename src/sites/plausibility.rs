//! Limits and plausibility of a site's size: values no Bitcoin site can have are row errors;
//! values a real site is unlikely to have are warnings, and the row stays `ok`.
//!
//! Every threshold is a named constant whose comment gives its source. A warning never
//! changes a number: it tells the user which figure to check (issue 20).

use super::{Field, RawRow, RowError};

/// The efficiency a site can plausibly report, J/TH (at the machine, before PUE): outside it,
/// a warning.
///
/// - 10 J/TH lies below every machine in the catalogue (grid-data/miners.csv): the best,
///   Canaan's Avalon A16 XP, is rated 12.8 J/TH and Bitmain's Antminer S21 XP 13.5 J/TH (both
///   cited there). A lower figure is most likely a unit slip (J/GH, kJ/TH) or a typo.
/// - 150 J/TH lies half again above the least efficient machine of the catalogue, Bitmain's
///   Antminer S9 (13.5 TH) at 98 J/TH (CBECI hardware list), the 2017 generation that has
///   since left most of the network. A higher figure is most likely a machine's power in W,
///   or an older machine than any still worth running.
pub const PLAUSIBLE_EFFICIENCY_J_PER_TH: (f64, f64) = (10.0, 150.0);

/// The efficiency any Bitcoin ASIC can have, J/TH: outside it, a row error.
///
/// - 1 J/TH is a tenth of the plausible lower bound, over twelve times better than the best
///   machine rated (12.8 J/TH): a figure below it is a unit slip, most often J/GH (0.0295
///   J/GH is 29.5 J/TH).
/// - 10,000 J/TH lies above the first Bitcoin ASIC shipped, Canaan's Avalon batch 1 (2013:
///   66 GH/s at 620 W, about 9,400 J/TH).
pub const EFFICIENCY_LIMITS_J_PER_TH: (f64, f64) = (1.0, 10_000.0);

/// The whole Bitcoin network's hashrate at the start of 2024, TH/s: 508 EH/s, from the
/// mining difficulty of 71 T then reported (block9.net, "BTC mining difficulty reaches record
/// of 1000 EH/s", citing 71 T at the beginning of 2024) as difficulty x 2^32 hashes per
/// 600-second block: 71e12 x 4,294,967,296 / 600 = 5.08e20 H/s. Daily estimates of the same
/// weeks range 510-580 EH/s (seven-day averages reported on 2024-01-06). The network has
/// grown since (about 1,000 EH/s in 2025), so this lower figure warns early, not late.
pub const NETWORK_HASHRATE_THS: f64 = 508e6;

/// The date of [`NETWORK_HASHRATE_THS`], as warnings cite it.
pub const NETWORK_HASHRATE_AS_OF: &str = "start of 2024";

/// The fraction of the whole network above which one site is implausible: a warning. Riot's
/// Rockdale site, called the largest mine in the US at 750 MW (CoinDesk, 2022-07-06) and
/// reported at some 10.5 EH/s, held about 2% of the network of 2024; 5% leaves room for a
/// site twice as large before anything is said.
pub const PLAUSIBLE_NETWORK_FRACTION: f64 = 0.05;

/// How many times the whole network's hashrate ([`NETWORK_HASHRATE_THS`]) a site's may be
/// before it is a row error: no site can hash more than the network, and ten times leaves room
/// for the network's growth for years after its figure's date (it doubled over 2024).
pub const NETWORK_MULTIPLE_LIMIT: f64 = 10.0;

/// How far a given hashrate and machines x the model's hashrate may differ before a warning:
/// 10% of the larger. Manufacturers rate their machines within +-3% to +-5% of nameplate
/// (the S19 Pro at 110 TH/s +-3%, S21 XP at 270 TH/s +-3%; see grid-data/miners.csv), and
/// overclocking or underclocking, both common, move a fleet by some percent more.
pub const PLAUSIBLE_FLEET_DIFFERENCE: f64 = 0.10;

/// The largest PUE accepted (validation refuses a larger one); used to bound the power.
const PUE_LIMIT: f64 = 3.0;

/// The largest facility power a site may give, MW: the largest hashrate allowed at the least
/// efficient machine allowed and the largest PUE, so that no total of any number of rows
/// overflows. Derived from the limits above, not a figure of its own.
pub const POWER_LIMIT_MW: f64 =
    NETWORK_HASHRATE_THS * NETWORK_MULTIPLE_LIMIT * EFFICIENCY_LIMITS_J_PER_TH.1 * PUE_LIMIT / 1e6;

/// A number as warnings and errors write it: the shortest form that reads back as it, with an
/// exponent from 10^15 on (1e308, not its three hundred digits).
pub fn show(v: f64) -> String {
    if v.abs() < 1e15 {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// A hashrate in the largest unit that keeps it at 1 or more: TH/s, PH/s or EH/s.
fn show_hashrate(ths: f64) -> String {
    let (v, unit) = if ths >= 1e6 {
        (ths / 1e6, "EH/s")
    } else if ths >= 1e3 {
        (ths / 1e3, "PH/s")
    } else {
        (ths, "TH/s")
    };
    format!("{} {unit}", show(crate::round::to(v, 3)))
}

/// The row error for a value beyond a limit, naming the column and the value.
fn beyond(row: &RawRow, field: Field, expected: String) -> RowError {
    RowError {
        position: row.position,
        column: Some(row.column(field)),
        value: row.get(field).map(str::to_string),
        expected,
    }
}

/// The column a hashrate was given in (none when machines x model gave it).
fn hashrate_field(row: &RawRow) -> Option<Field> {
    [Field::HashrateThs, Field::HashratePhs, Field::HashrateEhs]
        .into_iter()
        .find(|f| row.get(*f).is_some())
}

/// Refuse sizes no Bitcoin site can have: a hashrate above [`NETWORK_MULTIPLE_LIMIT`] times
/// the network's (or too large to hold), an efficiency outside [`EFFICIENCY_LIMITS_J_PER_TH`],
/// a power above [`POWER_LIMIT_MW`]. Within these limits every figure the pipeline computes
/// from a site is finite.
pub fn check_limits(
    row: &RawRow,
    hashrate_ths: Option<f64>,
    efficiency: Option<f64>,
    power_mw: Option<f64>,
) -> Result<(), RowError> {
    if let Some(h) = hashrate_ths {
        check_hashrate(row, h)?;
    }
    if let Some(e) = efficiency {
        check_efficiency(row, e)?;
    }
    if let (Some(p), Some(h)) = (power_mw, hashrate_ths) {
        check_power_over_hashrate(row, p, h)?;
    }
    if let Some(p) = power_mw {
        check_power(row, p)?;
    }
    Ok(())
}

/// A hashrate beyond [`NETWORK_MULTIPLE_LIMIT`] times the whole network's is a unit slip.
fn check_hashrate(row: &RawRow, h: f64) -> Result<(), RowError> {
    let most_ths = NETWORK_HASHRATE_THS * NETWORK_MULTIPLE_LIMIT;
    if !(h.is_nan() || h > most_ths) {
        return Ok(());
    }
    let field = hashrate_field(row).unwrap_or(Field::Machines);
    Err(beyond(
        row,
        field,
        format!(
            "expected a hashrate of at most {}, {NETWORK_MULTIPLE_LIMIT} times the whole network's ({} at the {NETWORK_HASHRATE_AS_OF}); check the unit",
            show_hashrate(most_ths),
            show_hashrate(NETWORK_HASHRATE_THS)
        ),
    ))
}

/// A stated efficiency outside [`EFFICIENCY_LIMITS_J_PER_TH`], with a hint at the likely slip.
fn check_efficiency(row: &RawRow, e: f64) -> Result<(), RowError> {
    let (low, high) = EFFICIENCY_LIMITS_J_PER_TH;
    if (low..=high).contains(&e) {
        return Ok(());
    }
    let hint = if e < low {
        "; J/GH? 0.0295 J/GH is 29.5 J/TH"
    } else {
        "; a machine's power in W? efficiency is W per TH/s"
    };
    Err(beyond(
        row,
        Field::Efficiency,
        format!(
            "expected an efficiency between {} and {} J/TH (no Bitcoin ASIC lies outside){hint}",
            show(low),
            show(high)
        ),
    ))
}

/// Issue 20: power over hashrate no ASIC can have is as wrong as a stated efficiency.
fn check_power_over_hashrate(row: &RawRow, p: f64, h: f64) -> Result<(), RowError> {
    let (low, high) = EFFICIENCY_LIMITS_J_PER_TH;
    let implied = p * 1e6 / h;
    if (low..=high).contains(&implied) {
        return Ok(());
    }
    let hashrate = hashrate_field(row).map_or_else(
        || format!("machines x model, {}", show_hashrate(h)),
        |f| {
            format!(
                "{} '{}'",
                row.column(f),
                super::Clip(row.get(f).unwrap_or(""), super::VALUE_CHARS)
            )
        },
    );
    Err(beyond(
        row,
        Field::PowerMw,
        format!(
            "over a hashrate of {hashrate} this is {} J/TH at the meter; expected between {} and {} J/TH (no Bitcoin ASIC lies outside); check both units",
            show(crate::round::to(implied, 3)),
            show(low),
            show(high)
        ),
    ))
}

/// A power beyond [`POWER_LIMIT_MW`] is a unit slip.
fn check_power(row: &RawRow, p: f64) -> Result<(), RowError> {
    if !(p.is_nan() || p > POWER_LIMIT_MW) {
        return Ok(());
    }
    let (_, high) = EFFICIENCY_LIMITS_J_PER_TH;
    Err(beyond(
        row,
        Field::PowerMw,
        format!(
            "expected a power of at most {} MW (the largest hashrate allowed at {} J/TH and PUE {PUE_LIMIT}); check the unit",
            show(POWER_LIMIT_MW),
            show(high)
        ),
    ))
}

/// What the warnings of a size need to know about a row's machines.
#[derive(Debug, Clone, Copy)]
pub struct Fleet<'a> {
    /// Machines, as given.
    pub machines: f64,
    /// The catalogue model's name and hashrate per machine, TH/s, when the row names one.
    pub model: Option<(&'a str, Option<f64>)>,
}

/// The warnings of a valid site's size, in a fixed order: its efficiency, the efficiency its
/// power and hashrate imply, fractional machines, its share of the network, and a hashrate
/// that machines x model disagree with. `given_hashrate` is the hashrate of a hashrate column
/// (not one worked out from machines x model).
pub fn size_warnings(
    row: &RawRow,
    given_hashrate: Option<f64>,
    hashrate_ths: Option<f64>,
    efficiency: Option<f64>,
    power_mw: Option<f64>,
    fleet: Option<Fleet>,
    warnings: &mut Vec<String>,
) {
    let (low, high) = PLAUSIBLE_EFFICIENCY_J_PER_TH;
    let plausible = |e: f64| (low..=high).contains(&e);
    if let Some(e) = efficiency.filter(|e| !plausible(*e))
        && row.get(Field::Efficiency).is_some()
    {
        warnings.push(format!(
            "{} {} J/TH is outside the plausible {}-{} J/TH of Bitcoin ASICs (check the unit)",
            row.column(Field::Efficiency),
            show(e),
            show(low),
            show(high)
        ));
    }
    if let (Some(p), Some(h)) = (power_mw, hashrate_ths) {
        let implied = p * 1e6 / h;
        if !plausible(implied) {
            warnings.push(format!(
                "{} {} MW over a hashrate of {} is {} J/TH at the meter, outside the plausible {}-{} J/TH (check both units)",
                row.column(Field::PowerMw),
                show(p),
                show_hashrate(h),
                show(crate::round::to(implied, 3)),
                show(low),
                show(high)
            ));
        }
    }
    if let Some(f) = fleet
        && f.machines.fract() != 0.0
    {
        warnings.push(format!(
            "{} {} is not a whole number of machines",
            row.column(Field::Machines),
            show(f.machines)
        ));
    }
    if let Some(h) = hashrate_ths
        && h > PLAUSIBLE_NETWORK_FRACTION * NETWORK_HASHRATE_THS
    {
        warnings.push(format!(
            "a hashrate of {} is {}% of the whole network ({} at the {NETWORK_HASHRATE_AS_OF}), above the {}% no single site is known to reach (check the unit)",
            show_hashrate(h),
            show(crate::round::to(h / NETWORK_HASHRATE_THS * 100.0, 1)),
            show_hashrate(NETWORK_HASHRATE_THS),
            show(PLAUSIBLE_NETWORK_FRACTION * 100.0)
        ));
    }
    if let (
        Some(given),
        Some(Fleet {
            machines,
            model: Some((model, Some(per))),
        }),
    ) = (given_hashrate, fleet)
    {
        let fleet_ths = machines * per;
        if (given - fleet_ths).abs() > PLAUSIBLE_FLEET_DIFFERENCE * given.max(fleet_ths) {
            let column = hashrate_field(row).map_or_else(|| "hashrate".to_string(), |f| row.column(f));
            warnings.push(format!(
                "{column} gives {} but {} machines x {} ({model}) is {}, more than {}% apart (the {column} column is used)",
                show_hashrate(given),
                show(machines),
                show_hashrate(per),
                show_hashrate(fleet_ths),
                show(PLAUSIBLE_FLEET_DIFFERENCE * 100.0)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_power_limit_is_the_largest_hashrate_at_the_least_efficient_machine() {
        // 5,080 EH/s x 10,000 J/TH x 3 = 1.524e17 W = 152.4 TW.
        assert_eq!(POWER_LIMIT_MW, 1.524e8);
        assert_eq!(show_hashrate(NETWORK_HASHRATE_THS), "508 EH/s");
        assert_eq!(show_hashrate(1500.0), "1.5 PH/s");
        assert_eq!(show_hashrate(120.0), "120 TH/s");
        assert_eq!(show(1e308), "1e308");
        assert_eq!(show(-2.5e20), "-2.5e20");
        assert_eq!(show(999.5), "999.5");
    }

    fn row(pairs: &[(Field, &str)]) -> RawRow {
        let mut row = RawRow::new(
            super::super::Position::Line(7),
            Default::default(),
            super::super::Decimals::Point,
            0,
        );
        for (f, v) in pairs {
            row.set(*f, Some(v));
        }
        row
    }

    fn warnings_of(
        given: Option<f64>,
        hashrate: Option<f64>,
        efficiency: Option<f64>,
        fleet: Option<Fleet>,
    ) -> Vec<String> {
        let r = row(&[
            (Field::HashrateThs, "1"),
            (Field::Efficiency, "1"),
            (Field::Machines, "1"),
        ]);
        let mut w = Vec::new();
        size_warnings(&r, given, hashrate, efficiency, None, fleet, &mut w);
        w
    }

    #[test]
    fn the_plausible_efficiencies_are_inclusive_and_just_outside_them_warns() {
        for (e, warns) in [
            (9.99, true),
            (10.0, false),
            (29.5, false),
            (150.0, false),
            (150.01, true),
        ] {
            assert_eq!(
                warnings_of(None, Some(1.0), Some(e), None).len(),
                usize::from(warns),
                "{e}"
            );
        }
    }

    #[test]
    fn a_fleet_within_ten_percent_of_the_hashrate_is_quiet_and_beyond_it_warns() {
        let fleet = |machines: f64| {
            Some(Fleet {
                machines,
                model: Some(("Antminer S19 Pro (110 TH)", Some(110.0))),
            })
        };
        // 10 x 110 = 1,100 TH/s: 100 apart, 10% of 1,100 is 110: quiet.
        assert!(warnings_of(Some(1000.0), Some(1000.0), Some(30.0), fleet(10.0)).is_empty());
        // 10.11 x 110 = 1,112.1: 112.1 apart, 10% is 111.21: a warning (and 10.11 machines is one).
        let w = warnings_of(Some(1000.0), Some(1000.0), Some(30.0), fleet(10.11));
        assert_eq!(
            w,
            [
                "machines 10.11 is not a whole number of machines",
                "hashrate_ths gives 1 PH/s but 10.11 machines x 110 TH/s (Antminer S19 Pro (110 TH)) is 1.112 PH/s, more than 10% apart (the hashrate_ths column is used)"
            ]
        );
        // A hashrate worked out from the machines has nothing to disagree with.
        assert!(warnings_of(None, Some(1100.0), Some(30.0), fleet(10.0)).is_empty());
    }

    #[test]
    fn a_site_at_five_percent_of_the_network_is_quiet_and_above_it_warns() {
        let five = PLAUSIBLE_NETWORK_FRACTION * NETWORK_HASHRATE_THS;
        assert_eq!(five, 25.4e6);
        assert!(warnings_of(None, Some(five), Some(30.0), None).is_empty());
        assert_eq!(warnings_of(None, Some(five * 1.01), Some(30.0), None).len(), 1);
    }

    #[test]
    fn sizes_beyond_any_site_are_refused_naming_the_column() {
        let r = row(&[(Field::HashratePhs, "1e20")]);
        let e = check_limits(&r, Some(1e23), Some(30.0), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 7, column 'hashrate_phs', value '1e20': expected a hashrate of at most 5080 EH/s, 10 times the whole network's (508 EH/s at the start of 2024); check the unit"
        );
        // Not finite is beyond the limit too.
        assert!(check_limits(&r, Some(f64::INFINITY), Some(30.0), None).is_err());
        assert!(check_limits(&r, Some(5.08e9), Some(30.0), None).is_ok());
        let r = row(&[(Field::PowerMw, "2e8")]);
        let e = check_limits(&r, None, None, Some(2e8)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 7, column 'power_mw', value '2e8': expected a power of at most 152400000 MW (the largest hashrate allowed at 10000 J/TH and PUE 3); check the unit"
        );
        for e in [1.0, 10_000.0] {
            assert!(check_limits(&r, None, Some(e), None).is_ok(), "{e}");
        }
    }

    #[test]
    fn power_and_hashrate_implying_an_efficiency_no_asic_has_are_a_row_error() {
        // Issue 20: 30 MW over 1 TH/s is 30,000,000 J/TH; it was only a warning.
        let r = row(&[(Field::PowerMw, "30"), (Field::HashrateThs, "1")]);
        let e = check_limits(&r, Some(1.0), None, Some(30.0)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 7, column 'power_mw', value '30': over a hashrate of hashrate_ths '1' this is 30000000 J/TH at the meter; expected between 1 and 10000 J/TH (no Bitcoin ASIC lies outside); check both units"
        );
        // 0.5 MW over 1 EH/s is 0.5 J/TH: below the limit.
        let r = row(&[(Field::PowerMw, "0.5"), (Field::HashrateEhs, "1")]);
        let e = check_limits(&r, Some(1e6), None, Some(0.5)).unwrap_err();
        assert!(e.to_string().contains("is 0.5 J/TH at the meter"), "{e}");
        // At the limits, and between them (a warning's business), it passes: 1 J/TH and 10,000 J/TH.
        let r = row(&[(Field::PowerMw, "1"), (Field::HashrateThs, "1000000")]);
        assert!(check_limits(&r, Some(1e6), None, Some(1.0)).is_ok());
        assert!(check_limits(&r, Some(100.0), None, Some(1.0)).is_ok());
        assert!(check_limits(&r, Some(1000.0), None, Some(1.0)).is_ok());
    }
}
