//! The sustainability indicators of Commission Delegated Regulation (EU) 2025/422 (MiCA), filled
//! from an estimate: codes, names and units as hashmix knows the template (METHOD.md, "MiCA
//! indicators", says which could be checked against the annex text), each figure with its 90%
//! interval from the draws.

use chrono::NaiveDate;

use crate::uncertainty::Interval;

use super::estimate::{Estimate, Network};

/// Decimals of the template's number format `{DECIMAL-18/5}`.
pub const DECIMALS: usize = 5;

/// A field's format in the template (ESMA's draft RTS, Final Report ESMA75-453128700-1229 of
/// 3 July 2024, Annex IV, Table 1: decimals use `.`, `-` for negatives, rounded not truncated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Free text.
    Text,
    /// `{DATEFORMAT}`: ISO 8601 `YYYY-MM-DD`.
    Date,
    /// `{DECIMAL-18/5}`: up to 18 digits, 5 after the point.
    Decimal18_5,
    /// `{DECIMAL-11/10}`: up to 11 digits, up to 10 after the point, the format ESMA gives
    /// percentages (S.10's unit is a percentage): written in percent with 8 decimals (25% is
    /// 25.00000000), so that 100% (100.00000000) keeps within 11 digits.
    Decimal11_10,
}

impl Format {
    /// The template's name of the format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Date => "{DATEFORMAT}",
            Format::Decimal18_5 => "{DECIMAL-18/5}",
            Format::Decimal11_10 => "{DECIMAL-11/10}",
        }
    }

    /// Decimals written.
    pub fn decimals(self) -> usize {
        match self {
            Format::Decimal11_10 => 8,
            _ => DECIMALS,
        }
    }
}

/// An indicator's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A figure.
    Number(f64),
    /// A text or a date.
    Text(String),
    /// No figure, and why.
    NoData(String),
}

/// One indicator of the template.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// `S.8`.
    pub code: &'static str,
    /// The template's name.
    pub name: &'static str,
    /// Unit (empty for texts and dates).
    pub unit: &'static str,
    /// The template's format.
    pub format: Format,
    /// The value.
    pub value: Value,
    /// 5th and 95th percentiles over the draws (figures only, with draws).
    pub interval: Option<(f64, f64)>,
    /// The figure in each draw, to take a change between two geographies draw by draw.
    pub draws: Vec<f64>,
    /// What the figure means where the template leaves a choice (per-transaction figures).
    pub definition: Option<&'static str>,
}

impl Indicator {
    /// The template's text of the value: numbers to the format's decimals (rounded), dates ISO
    /// 8601.
    pub fn formatted(&self) -> String {
        match &self.value {
            Value::Number(v) => format!("{v:.*}", self.format.decimals()),
            Value::Text(t) => t.clone(),
            Value::NoData(why) => format!("no data: {why}"),
        }
    }

    /// The value as a number, if a figure.
    pub fn number(&self) -> Option<f64> {
        match self.value {
            Value::Number(v) => Some(v),
            _ => None,
        }
    }
}

/// The per-transaction definition hashmix uses (the only one it offers).
pub const AVERAGE_PER_TRANSACTION: &str =
    "average: the period's total divided by the transactions validated in the period";

/// What the run was, for the texts.
#[derive(Debug, Clone)]
pub struct RunFacts {
    /// The asset's name (S.3).
    pub asset: String,
    /// The consensus mechanism (S.4).
    pub consensus: String,
    /// The reporting entity's name and LEI (S.1, S.2), if given.
    pub entity: Option<String>,
    /// LEI.
    pub lei: Option<String>,
    /// The period.
    pub from: NaiveDate,
    /// The period's last day.
    pub to: NaiveDate,
    /// Validated transactions in the period, if known.
    pub transactions: Option<f64>,
    /// Where the transactions came from (`--transactions`, a series file's column, or not given).
    pub transactions_source: String,
    /// How the hashrate was given.
    pub hashrate_source: String,
    /// How the efficiency was chosen.
    pub efficiency_source: String,
    /// How the PUE was chosen.
    pub pue_source: String,
    /// What the grid's factors are.
    pub factors_source: String,
}

fn interval_of(draws: &[f64]) -> Option<(f64, f64)> {
    Interval::of(draws).map(|i| (i.p05, i.p95))
}

fn figure(code: &'static str, name: &'static str, unit: &'static str, value: f64, draws: Vec<f64>) -> Indicator {
    Indicator {
        code,
        name,
        unit,
        format: Format::Decimal18_5,
        value: Value::Number(value),
        interval: interval_of(&draws),
        draws,
        definition: None,
    }
}

fn text(code: &'static str, name: &'static str, value: Value) -> Indicator {
    Indicator {
        code,
        name,
        unit: "",
        format: Format::Text,
        value,
        interval: None,
        draws: Vec::new(),
        definition: None,
    }
}

/// Fill the template from an estimate.
pub fn indicators(est: &Estimate, net: &Network, facts: &RunFacts) -> Vec<Indicator> {
    let t = &est.totals;
    let given = |v: &Option<String>, what: &str| match v {
        Some(v) => Value::Text(v.clone()),
        None => Value::NoData(format!("give {what}")),
    };
    let ratio = |a: &[f64], b: &[f64], k: f64| a.iter().zip(b).map(|(a, b)| k * a / b).collect::<Vec<_>>();
    let total_t = t.scope1_t + t.scope2_t;
    let total_draws: Vec<f64> = t.scope1_draws.iter().zip(&t.scope2_draws).map(|(a, b)| a + b).collect();
    let per_tx = |code, name, unit, total: f64, draws: &[f64], k: f64| match facts.transactions {
        Some(n) => Indicator {
            definition: Some(AVERAGE_PER_TRANSACTION),
            ..figure(
                code,
                name,
                unit,
                k * total / n,
                draws.iter().map(|v| k * v / n).collect(),
            )
        },
        None => Indicator {
            definition: Some(AVERAGE_PER_TRANSACTION),
            unit,
            ..text(code, name, Value::NoData("give --transactions".into()))
        },
    };
    let mix = format!(
        "fossil {:.2}%; nuclear {:.2}%; renewable {:.2}%; other {:.2}%",
        100.0 * t.fossil_kwh / t.energy_kwh,
        100.0 * t.nuclear_kwh / t.energy_kwh,
        100.0 * t.renewable_kwh / t.energy_kwh,
        100.0 * (1.0 - (t.fossil_kwh + t.nuclear_kwh + t.renewable_kwh) / t.energy_kwh).max(0.0)
    );
    vec![
        text("S.1", "Name", given(&facts.entity, "--entity")),
        text("S.2", "Relevant legal entity identifier", given(&facts.lei, "--lei")),
        text("S.3", "Name of the crypto-asset", Value::Text(facts.asset.clone())),
        text("S.4", "Consensus Mechanism", Value::Text(facts.consensus.clone())),
        text(
            "S.5",
            "Incentive Mechanisms and Applicable Fees",
            Value::NoData("hashmix does not describe an asset's incentives; the issuer or CASP writes this".into()),
        ),
        text(
            "S.6",
            "Beginning of the period to which the disclosure relates",
            Value::Text(facts.from.to_string()),
        ),
        text(
            "S.7",
            "End of the period to which the disclosure relates",
            Value::Text(facts.to.to_string()),
        ),
        figure("S.8", "Energy consumption", "kWh", t.energy_kwh, t.energy_draws.clone()),
        text(
            "S.9",
            "Energy consumption sources and methodologies",
            Value::Text(energy_method(net, facts)),
        ),
        Indicator {
            format: Format::Decimal11_10,
            ..figure(
                "S.10",
                "Renewable energy consumption",
                "% of S.8",
                t.renewable_kwh / t.energy_kwh * 100.0,
                ratio(&t.renewable_draws, &t.energy_draws, 100.0),
            )
        },
        per_tx(
            "S.11",
            "Energy intensity",
            "kWh per transaction",
            t.energy_kwh,
            &t.energy_draws,
            1.0,
        ),
        figure(
            "S.12",
            "Scope 1 DLT GHG emissions – Controlled",
            "tCO2e",
            t.scope1_t,
            t.scope1_draws.clone(),
        ),
        figure(
            "S.13",
            "Scope 2 DLT GHG emissions – Purchased",
            "tCO2e",
            t.scope2_t,
            t.scope2_draws.clone(),
        ),
        per_tx(
            "S.14",
            "GHG intensity",
            "kgCO2e per transaction",
            total_t,
            &total_draws,
            1000.0,
        ),
        text(
            "S.15",
            "Key energy sources and methodologies",
            Value::Text(energy_sources(est)),
        ),
        text(
            "S.16",
            "Key GHG sources and methodologies",
            Value::Text(ghg_method(est, facts)),
        ),
        text("S.17", "Energy mix", Value::Text(mix)),
        text(
            "S.18",
            "Energy use reduction targets/commitments",
            Value::NoData("a target is the issuer's or CASP's to set; hashmix does not estimate it".into()),
        ),
        figure(
            "S.19",
            "Carbon intensity",
            "kgCO2e/kWh",
            // t / kWh x 1000 kg/t.
            total_t * 1000.0 / t.energy_kwh,
            ratio(&total_draws, &t.energy_draws, 1000.0),
        ),
    ]
}

/// S.9: how the energy was estimated, from what the run used.
fn energy_method(net: &Network, f: &RunFacts) -> String {
    format!(
        "Bottom-up estimate by hashmix: energy = mean network hashrate x fleet efficiency x PUE x hours = {} EH/s x 1,000,000 TH/s per EH/s x {:.2} J/TH x {} x {} h / 3,600,000 J/kWh. Hashrate: {}. Efficiency: {}. PUE: {}. Transactions (for S.11): {}. The 90% interval draws machine efficiency (x0.95-1.05) and, unless given, PUE (1.01-1.20), as `hashmix assess` does (grid-data/uncertainty.toml).",
        net.hashrate_ehs,
        net.j_per_th,
        net.pue,
        net.hours,
        f.hashrate_source,
        f.efficiency_source,
        f.pue_source,
        f.transactions_source
    )
}

/// S.15: where the energy comes from, from the geography.
fn energy_sources(est: &Estimate) -> String {
    let mut parts: Vec<&super::estimate::RegionPart> = est.parts.iter().collect();
    parts.sort_by(|a, b| b.share.total_cmp(&a.share).then_with(|| a.region.cmp(&b.region)));
    let top: Vec<String> = parts
        .iter()
        .take(5)
        .map(|p| {
            format!(
                "{} {:.1}% (renewable {:.1}% of its grid, {})",
                p.region,
                100.0 * p.share,
                100.0 * p.renewable_share,
                p.data_year
            )
        })
        .collect();
    format!(
        "Location of the hashrate: {}. Largest regions: {}. Renewable share: each region's grid generation mix (hashmix grid-data), weighted by its energy; off-grid power counts as not renewable.",
        est.geography,
        top.join("; ")
    )
}

/// S.16: how emissions were estimated.
fn ghg_method(est: &Estimate, f: &RunFacts) -> String {
    let off_grid = est.parts.iter().any(|p| p.off_grid_kwh > 0.0);
    format!(
        "Scope 2 (location-based): each region's grid energy x its grid's emission factor on the direct (combustion) basis: {}. Scope 1: {}. Only CO2e from electricity is counted (no hardware manufacturing, no Scope 3).",
        f.factors_source,
        if off_grid {
            "off-grid energy x the factor the geography file gives for it"
        } else {
            "0, as the geography gives no off-grid power (the published map has none)"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_with_five_decimals() {
        let i = figure("S.8", "Energy consumption", "kWh", 1.0 / 3.0, Vec::new());
        assert_eq!(i.formatted(), "0.33333");
        assert_eq!(i.interval, None);
    }
}
