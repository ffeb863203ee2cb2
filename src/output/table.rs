//! The table for people: fixed-width columns in human units (PH/s, percent, t/yr), written
//! row by row so even a long table streams, then the portfolio. Text from the input is
//! printed with its control characters made visible ([`visible`]): a name cannot drive the
//! terminal or forge a row.

use std::io::Write;

use super::Tail;
use super::text::visible;
use crate::assess::result::IntervalFields;
use crate::assess::{SiteResult, Status};
use crate::grid::Level;
use crate::source::Source;
use crate::uncertainty::Interval;

/// Writes an aligned table.
pub struct TableWriter<'a> {
    out: Box<dyn Write + 'a>,
    /// Whether a row used another region's mix (the legend line is written at the end).
    borrowed_mix: bool,
    /// Whether a row's mix is modelled from plant capacity (its legend is written once, after the
    /// portfolio).
    modelled_mix: bool,
}

const HEADER: &str = "site                  region match    data      mix of  coal%  hydro% fossil% lowC%  gCO2/kWh      PH/s       MW      tCO2/yr   kg/TH/s-day  risk";

/// The legend of the `mix of` column, written when a row used another region's mix.
pub const BORROWED_LEGEND: &str = "* mix of: the site's own region has no generation data; the mix shown is that of the region named (a parent, or the world)";

/// The mark of a mix modelled from plant capacity in the `mix of` column, and its legend.
const MODELLED_MARK: &str = "model~";
pub const MODELLED_LEGEND: &str = "~ model: the region publishes no generation figures; its mix is modelled from its power plants' capacity (region_level modelled, wider interval; METHOD.md)";

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}", x * 100.0)).unwrap_or_else(|| "-".into())
}

fn num(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| format!("{x:.decimals$}")).unwrap_or_else(|| "-".into())
}

/// Cut a label, its control characters made visible, to `width` characters.
fn fit(text: &str, width: usize) -> String {
    let text = visible(text);
    if text.chars().count() <= width {
        text.to_string()
    } else {
        text.chars().take(width - 1).chain(['~']).collect()
    }
}

/// `lo-hi` at some decimals, when both ends are there.
fn range(lo: Option<f64>, hi: Option<f64>, decimals: usize) -> Option<String> {
    Some(format!("{:.decimals$}-{:.decimals$}", lo?, hi?))
}

/// The line under a row that gives its 90% intervals; `None` without draws.
pub fn interval_line(i: &IntervalFields) -> Option<String> {
    let ends = |x: Option<Interval>, f: fn(f64) -> f64| (x.map(|x| f(x.p05)), x.map(|x| f(x.p95)));
    let same = |v: f64| v;
    let (lo, hi) = ends(i.intensity_g_per_kwh, same);
    let mut parts = vec![format!("{} gCO2e/kWh", range(lo, hi, 1)?)];
    let (lo, hi) = ends(i.co2_t_per_year, same);
    parts.extend(range(lo, hi, 0).map(|r| format!("{r} tCO2e/yr")));
    let (lo, hi) = ends(i.co2_g_per_th, crate::assess::co2_kg_per_ths_day);
    parts.extend(range(lo, hi, 4).map(|r| format!("{r} kg/TH/s-day")));
    Some(format!("  90% interval: {}", parts.join("; ")))
}

impl<'a> TableWriter<'a> {
    /// Start a table with its header.
    pub fn new(mut out: Box<dyn Write + 'a>) -> std::io::Result<Self> {
        writeln!(out, "{HEADER}")?;
        Ok(TableWriter {
            out,
            borrowed_mix: false,
            modelled_mix: false,
        })
    }
}

impl super::Writer for TableWriter<'_> {
    fn site(&mut self, r: &SiteResult) -> std::io::Result<()> {
        let label = r.name.as_deref().or(r.id.as_deref()).unwrap_or("");
        let matched = r.matched.map_or("-", |m| m.name());
        let risk = match r.region {
            Some(g) => format!("{} {}", g.risk.risk.level, g.risk.risk.score),
            None => "-".into(),
        };
        let mix = r.mix();
        if r.status() != Status::Ok {
            // A row wrong only in its size still shows where it is, its intensity and risk.
            let Some(region) = r.region_code() else {
                return writeln!(
                    self.out,
                    "{:<21} error: {}",
                    fit(label, 21),
                    visible(r.error.as_deref().unwrap_or(""))
                );
            };
            return writeln!(
                self.out,
                "{:<21} {:<6} {:<8} intensity {} gCO2e/kWh, risk {risk}; error: {}",
                fit(label, 21),
                visible(region),
                matched,
                num(mix.and_then(|m| m.intensity_g_per_kwh), 1),
                visible(r.error.as_deref().unwrap_or(""))
            );
        }
        let share = |s: Source| mix.and_then(|m| m.shares).map(|sh| sh[s.index()]);
        // A parent's (or the world's) mix is marked with its code and `*`, never shown as the
        // site's own region's.
        let borrowed = match (r.data_region(), r.region_code()) {
            (Some(d), Some(own)) if d != own => Some(format!("{d}*")),
            _ => None,
        };
        self.borrowed_mix |= borrowed.is_some();
        let modelled = r.region.is_some_and(|g| g.level == Level::Modelled);
        self.modelled_mix |= modelled;
        let figures = r.figures.as_ref();
        let empty = IntervalFields::default();
        writeln!(
            self.out,
            "{:<21} {:<6} {:<8} {:<9} {:<6} {:>6} {:>6} {:>7} {:>6} {:>9} {:>9} {:>8} {:>12} {:>13}  {risk}",
            fit(label, 21),
            visible(r.region_code().unwrap_or("-")),
            matched,
            match r.region {
                Some(g) => match &g.data_month {
                    Some(m) => format!("{}/{}", g.data_year, visible(m)),
                    None => g.data_year.to_string(),
                },
                None => "-".into(),
            },
            match (&borrowed, modelled) {
                (Some(b), _) => b.as_str(),
                (None, true) => MODELLED_MARK,
                (None, false) => "",
            },
            pct(share(Source::Coal)),
            pct(share(Source::Hydro)),
            pct(mix.and_then(|m| m.fossil_share)),
            pct(mix.and_then(|m| m.low_carbon_share)),
            num(mix.and_then(|m| m.intensity_g_per_kwh), 1),
            num(r.size.as_ref().and_then(|s| s.hashrate_ths).map(|h| h / 1e3), 1),
            num(figures.map(|f| f.power_mw), 2),
            num(figures.map(|f| f.co2_t_per_year), 0),
            num(figures.and_then(|f| f.co2_kg_per_ths_day), 4),
        )?;
        match interval_line(figures.map_or(&empty, |f| &f.intervals)) {
            Some(line) => writeln!(self.out, "{line}"),
            None => Ok(()),
        }
    }

    fn finish(&mut self, tail: &Tail) -> std::io::Result<()> {
        let p = tail.portfolio;
        let share = |s: Source| p.shares.map(|sh| sh[s.index()]);
        writeln!(
            self.out,
            "\nportfolio: {} sites ({} ok, {} failed{}); {} PH/s, {} MW, {} MWh/yr, {} tCO2e/yr\n\
             intensity {} gCO2e/kWh (energy-weighted); coal {}%, hydro {}%, fossil {}%, low-carbon {}%; {} g/TH, {} kg per TH/s-day",
            p.sites,
            p.sites_ok,
            p.sites_failed,
            p.with_warnings(),
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
        if self.borrowed_mix {
            writeln!(self.out, "{BORROWED_LEGEND}")?;
        }
        if self.modelled_mix {
            writeln!(self.out, "{MODELLED_LEGEND}")?;
        }
        if let (Some(line), Some(u)) = (interval_line(&p.intervals), tail.uncertainty) {
            writeln!(
                self.out,
                "portfolio {}\n({} draws, seed {}; the headline uses median factors; method: METHOD.md)",
                line.trim_start(),
                u.draws,
                u.seed
            )?;
        }
        scope_table(&mut self.out, tail.scope)?;
        self.out.flush()
    }
}

/// The Scope 1/2 table after the portfolio (issue 24): Scope 1, both Scope 2 figures and
/// their totals, then each instrument that was not used whole.
fn scope_table(out: &mut dyn Write, scope: &super::esrs::ScopeTail) -> std::io::Result<()> {
    let shown = [
        "Gross Scope 1 GHG emissions",
        "Gross location-based Scope 2 GHG emissions",
        "Gross market-based Scope 2 GHG emissions",
        "Total GHG emissions (location-based), Scope 1 + 2",
        "Total GHG emissions (market-based), Scope 1 + 2",
    ];
    let lines: Vec<_> = scope.esrs.iter().filter(|l| shown.contains(&l.label)).collect();
    if lines.is_empty() {
        return Ok(());
    }
    let year = scope
        .reporting_year
        .map(|y| format!(", reporting year {y}"))
        .unwrap_or_default();
    writeln!(
        out,
        "scope 1 and 2 (ESRS E1-6; --format esrs for the whole table{year}):"
    )?;
    for l in lines {
        writeln!(out, "  {:<52} {:>14} {}", l.label, num(l.value, 1), l.unit)?;
    }
    if let Some(market) = scope
        .esrs
        .iter()
        .find(|l| l.label == "Gross market-based Scope 2 GHG emissions")
    {
        writeln!(out, "  market-based: {}", market.note)?;
    }
    for v in scope.instruments.iter().filter(|v| v.status != "used") {
        writeln!(
            out,
            "  instrument line {} ({} {}): {}: {}",
            v.line,
            v.kind.unwrap_or("?"),
            v.tracking_id.as_deref().unwrap_or(""),
            v.status,
            v.reason
        )?;
    }
    Ok(())
}
