//! Turning a raw row into a typed [`Site`]: numbers, ranges, units and the miner catalogue.

use super::{Field, RawRow, RowError, Site, Supply, numbers, plausibility};
use crate::defaults::{DEFAULT_PUE, DEFAULT_UPTIME};
use crate::miners::{Catalogue, LookupError};
use crate::months::Months;
use crate::source::OnsiteFuel;
use std::borrow::Cow;

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

/// The error for the value the row gives in `field`.
fn invalid_given(row: &RawRow, field: Field, expected: impl Into<String>) -> RowError {
    invalid(row, field, row.get(field).unwrap_or(""), expected)
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
        Some(v) if v <= 0.0 => Err(invalid_given(
            row,
            field,
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
                let expected = format!("expected a latitude between -90 and 90{hint}");
                return Err(invalid_given(row, Field::Lat, expected));
            }
            if !(-180.0..=180.0).contains(&lon) {
                let expected = "expected a longitude between -180 and 180";
                return Err(invalid_given(row, Field::Lon, expected));
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
        supply: Supply::default(),
    })
}

/// Validate the size of a row (hashrate, machines and model, efficiency, power, PUE, uptime)
/// into a located site.
fn size(row: &RawRow, catalogue: &Catalogue, site: &mut Site) -> Result<(), RowError> {
    let given_hashrate = hashrate(row)?;
    let given_efficiency = positive(row, Field::Efficiency, "J/TH")?;
    let power_mw = positive(row, Field::PowerMw, "MW")?;
    let machines = positive(row, Field::Machines, "machines")?;
    let fleet = fleet_size(
        row,
        catalogue,
        machines,
        given_hashrate,
        given_efficiency,
        &mut site.notes,
    )?;
    let (hashrate_ths, efficiency) = (fleet.hashrate_ths, fleet.efficiency_j_per_th);
    require_size(row, hashrate_ths, efficiency, power_mw)?;
    plausibility::check_limits(row, hashrate_ths, efficiency, power_mw)?;
    let pue = pue(row, power_mw, &mut site.notes)?;
    let uptime = uptime(row)?;
    site.supply = supply(row)?;
    numbers::note_readings(row, &mut site.notes);
    let fleet = machines.map(|machines| plausibility::Fleet {
        machines,
        model: fleet.model,
    });
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

/// The hashrate and efficiency of a row once its miner model, if any, has filled in what the
/// row leaves out, and the model's name and hashrate per machine.
struct FleetSize<'a> {
    hashrate_ths: Option<f64>,
    efficiency_j_per_th: Option<f64>,
    model: Option<(&'a str, Option<f64>)>,
}

/// Look up the row's miner model in the catalogue and fill in the efficiency and, from the
/// number of machines, the hashrate the row does not give, noting each on the site.
fn fleet_size<'a>(
    row: &RawRow,
    catalogue: &'a Catalogue,
    machines: Option<f64>,
    mut hashrate_ths: Option<f64>,
    mut efficiency: Option<f64>,
    notes: &mut Vec<Cow<'static, str>>,
) -> Result<FleetSize<'a>, RowError> {
    let Some(model_name) = row.get(Field::Model) else {
        if machines.is_some() && hashrate_ths.is_none() {
            return Err(invalid_given(
                row,
                Field::Machines,
                "machines needs a model column (see `hashmix miners`) or a hashrate",
            ));
        }
        return Ok(FleetSize {
            hashrate_ths,
            efficiency_j_per_th: efficiency,
            model: None,
        });
    };
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
    Ok(FleetSize {
        hashrate_ths,
        efficiency_j_per_th: efficiency,
        model: Some((miner.model.as_str(), miner.hashrate_ths)),
    })
}

/// A row must give enough to work out its power: a hashrate with an efficiency, or a power.
fn require_size(
    row: &RawRow,
    hashrate_ths: Option<f64>,
    efficiency: Option<f64>,
    power_mw: Option<f64>,
) -> Result<(), RowError> {
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
    Ok(())
}

/// The row's PUE, or [`DEFAULT_PUE`] with a note when the row gives none (and no power,
/// which already includes the overhead).
fn pue(row: &RawRow, power_mw: Option<f64>, notes: &mut Vec<Cow<'static, str>>) -> Result<f64, RowError> {
    match number(row, Field::Pue)? {
        Some(p) if !(PUE_RANGE.0..=PUE_RANGE.1).contains(&p) => Err(invalid_given(
            row,
            Field::Pue,
            format!("expected a PUE between {} and {}", PUE_RANGE.0, PUE_RANGE.1),
        )),
        Some(p) => Ok(p),
        None => {
            if power_mw.is_none() {
                notes.push(DEFAULT_PUE_NOTE.as_str().into());
            }
            Ok(DEFAULT_PUE)
        }
    }
}

/// The row's uptime, a fraction of the year, or [`DEFAULT_UPTIME`].
fn uptime(row: &RawRow) -> Result<f64, RowError> {
    match number(row, Field::Uptime)? {
        Some(u) if !(u > 0.0 && u <= 1.0) => Err(invalid_given(
            row,
            Field::Uptime,
            "expected a fraction of the year above 0 and at most 1",
        )),
        Some(u) => Ok(u),
        None => Ok(DEFAULT_UPTIME),
    }
}

/// A fraction 0-1 in `field`; a percentage (`75`) is refused with its fraction named.
fn fraction(row: &RawRow, field: Field, what: &str) -> Result<Option<f64>, RowError> {
    match number(row, field)? {
        Some(v) if (0.0..=1.0).contains(&v) => Ok(Some(v)),
        Some(v) if v > 1.0 && v <= 100.0 => Err(invalid_given(
            row,
            field,
            format!("expected {what} as a fraction from 0 to 1 ({v}% is {})", v / 100.0),
        )),
        Some(_) => Err(invalid_given(
            row,
            field,
            format!("expected {what} as a fraction from 0 to 1"),
        )),
        None => Ok(None),
    }
}

/// A rate in gCO2e/kWh, 0 or more.
fn rate(row: &RawRow, field: Field) -> Result<Option<f64>, RowError> {
    match number(row, field)? {
        Some(v) if v < 0.0 => Err(invalid_given(row, field, "expected a rate of 0 or more gCO2e/kWh")),
        other => Ok(other),
    }
}

/// The row's own generation, supplier rate and claim (issue 24). An on-site share needs its
/// fuel, and a fuel its share (1 for a site off the grid): neither is guessed.
fn supply(row: &RawRow) -> Result<Supply, RowError> {
    let share = fraction(row, Field::OnsiteShare, "the share of energy generated on site")?;
    let fuel = match row.get(Field::OnsiteFuel) {
        None => None,
        Some(text) => Some(OnsiteFuel::from_name(text).ok_or_else(|| {
            let names: Vec<&str> = OnsiteFuel::ALL.iter().map(|f| f.name()).collect();
            invalid(
                row,
                Field::OnsiteFuel,
                text,
                format!("expected one of {}", names.join(", ")),
            )
        })?),
    };
    let onsite_g_per_kwh = rate(row, Field::OnsiteGPerKwh)?;
    let efficiency = match positive(row, Field::OnsiteEfficiency, "efficiency")? {
        Some(e) if e > 1.0 => {
            return Err(invalid_given(
                row,
                Field::OnsiteEfficiency,
                "expected the generators' electrical efficiency as a fraction above 0 and at most 1 (38% is 0.38)",
            ));
        }
        other => other,
    };
    match (share, fuel) {
        (Some(s), None) if s > 0.0 => {
            let names: Vec<&str> = OnsiteFuel::ALL.iter().map(|f| f.name()).collect();
            return Err(RowError::row(
                row.position,
                format!(
                    "onsite_share {s} needs onsite_fuel: what the site's own generation runs on ({})",
                    names.join(", ")
                ),
            ));
        }
        (None, Some(f)) => {
            return Err(RowError::row(
                row.position,
                format!(
                    "onsite_fuel {} needs onsite_share: the fraction of the site's energy it generates (1 for a site off the grid)",
                    f.name()
                ),
            ));
        }
        _ => {}
    }
    if (onsite_g_per_kwh.is_some() || efficiency.is_some()) && fuel.is_none() {
        return Err(RowError::row(
            row.position,
            "onsite_g_per_kwh and onsite_efficiency describe the site's own generation: give onsite_share and onsite_fuel too",
        ));
    }
    Ok(Supply {
        onsite_share: share.unwrap_or(0.0),
        onsite_fuel: fuel,
        onsite_g_per_kwh,
        onsite_efficiency: efficiency,
        supplier_g_per_kwh: rate(row, Field::SupplierGPerKwh)?,
        claimed_renewable_share: fraction(row, Field::ClaimedRenewableShare, "the renewable share claimed")?,
    })
}

#[cfg(test)]
mod tests;
