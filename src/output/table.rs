//! The table for people: fixed-width columns in human units (PH/s, percent, t/yr), written
//! row by row so even a long table streams, then the portfolio.

use std::io::Write;

use crate::grid::Dataset;
use crate::pipeline::{PortfolioRecord, SiteRecord};
use crate::source::Source;

/// Writes an aligned table.
pub struct TableWriter<'a> {
    out: Box<dyn Write + 'a>,
}

const HEADER: &str = "site                  region match    data       coal%  hydro% fossil% lowC%  gCO2/kWh      PH/s       MW      tCO2/yr   kg/TH/s-day  risk";

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}", x * 100.0)).unwrap_or_else(|| "-".into())
}

fn num(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| format!("{x:.decimals$}")).unwrap_or_else(|| "-".into())
}

/// Cut a label to `width` characters.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        text.chars().take(width - 1).chain(['~']).collect()
    }
}

impl<'a> TableWriter<'a> {
    /// Start a table with its header.
    pub fn new(mut out: Box<dyn Write + 'a>) -> std::io::Result<Self> {
        writeln!(out, "{HEADER}")?;
        Ok(TableWriter { out })
    }
}

impl super::Writer for TableWriter<'_> {
    fn site(&mut self, r: &SiteRecord) -> std::io::Result<()> {
        let label = r.name.as_deref().or(r.id.as_deref()).unwrap_or("");
        if r.status != "ok" {
            return writeln!(
                self.out,
                "{:<21} error: {}",
                fit(label, 21),
                r.error.as_deref().unwrap_or("")
            );
        }
        let share = |s: Source| r.mix.shares.map(|sh| sh[s.index()]);
        writeln!(
            self.out,
            "{:<21} {:<6} {:<8} {:<9} {:>6} {:>6} {:>7} {:>6} {:>9} {:>9} {:>8} {:>12} {:>13}  {}",
            fit(label, 21),
            r.region.as_deref().unwrap_or("-"),
            r.match_.as_deref().unwrap_or("-"),
            match (r.data_year, &r.data_month) {
                (Some(y), Some(m)) => format!("{y}/{m}"),
                (Some(y), None) => y.to_string(),
                _ => "-".into(),
            },
            pct(share(Source::Coal)),
            pct(share(Source::Hydro)),
            pct(r.mix.fossil_share),
            pct(r.mix.low_carbon_share),
            num(r.mix.intensity_g_per_kwh, 1),
            num(r.hashrate_ths.map(|h| h / 1e3), 1),
            num(r.power_mw, 2),
            num(r.co2_t_per_year, 0),
            num(r.co2_kg_per_ths_day, 4),
            match (r.risk_level, r.risk_score) {
                (Some(level), Some(score)) => format!("{level} {score}"),
                _ => "-".into(),
            },
        )
    }

    fn finish(&mut self, p: &PortfolioRecord, _: &[Dataset]) -> std::io::Result<()> {
        let share = |s: Source| p.shares.map(|sh| sh[s.index()]);
        writeln!(
            self.out,
            "\nportfolio: {} sites ({} ok, {} failed); {} PH/s, {} MW, {} MWh/yr, {} tCO2e/yr\n\
             intensity {} gCO2e/kWh (energy-weighted); coal {}%, hydro {}%, fossil {}%, low-carbon {}%; {} g/TH, {} kg per TH/s-day",
            p.sites,
            p.sites_ok,
            p.sites_failed,
            num(p.hashrate_ths.map(|h| h / 1e3), 1),
            num(p.power_mw, 2),
            num(p.energy_mwh_per_year, 0),
            num(p.co2_t_per_year, 0),
            num(p.intensity_g_per_kwh, 1),
            pct(share(Source::Coal)),
            pct(share(Source::Hydro)),
            pct(p.fossil_share),
            pct(p.low_carbon_share),
            num(p.co2_g_per_th, 5),
            num(p.co2_kg_per_ths_day, 4),
        )?;
        let s = &p.sites_by_risk_level;
        let h = &p.hashrate_ths_by_risk_level;
        writeln!(
            self.out,
            "risk: {} low, {} elevated, {} high, {} severe sites; {} PH/s at high or severe",
            s.low,
            s.elevated,
            s.high,
            s.severe,
            num(Some((h.high + h.severe) / 1e3), 1),
        )?;
        self.out.flush()
    }
}
