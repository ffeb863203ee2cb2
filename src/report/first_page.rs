//! The report's first page, which a colleague may read alone: what was assessed, by which
//! version of hashmix on which data editions and as of which day; the headline figures with
//! their 90% intervals; crackdown risk by level in sites, megawatts and tonnes of CO2; and
//! the sites that need attention, each with a one-line reason.

use super::Report;
use super::content::Block;
use super::format::{grouped, maybe, percent};
use crate::assess::{SiteResult, Status};
use crate::risk::RiskLevel;
use crate::source::Source;
use crate::uncertainty::Interval;

/// Most sites listed as needing attention on the first page; the rest are counted, and all of
/// them are in the risk-reasons and data-caveats sections.
pub const MAX_ATTENTION_ROWS: usize = 15;

/// The version of hashmix that wrote the report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `value (90%: low-high)` with thousands separators, or the value alone without draws.
pub fn with_interval(v: Option<f64>, i: Option<Interval>, decimals: usize, scale: f64) -> String {
    let value = maybe(v.map(|v| v * scale), decimals);
    match i {
        Some(i) => format!(
            "{value} (90%: {}-{})",
            grouped(i.p05 * scale, decimals),
            grouped(i.p95 * scale, decimals)
        ),
        None => value,
    }
}

/// The first page's blocks.
pub fn blocks(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(1, "top", r.title.clone()));
    b.push(Block::Para(
        "What electricity the sites run on, what it emits and how exposed they are to a crackdown on mining.".into(),
    ));
    about(r, b);
    headline(r, b);
    risk_by_level(r, b);
    attention(r, b);
}

/// Who made the report, from what, as of when.
fn about(r: &Report, b: &mut Vec<Block>) {
    let draws = match &r.uncertainty {
        Some(u) => format!("90% intervals over {} Monte Carlo draws (seed {})", u.draws, u.seed),
        None => "none (no Monte Carlo draws)".into(),
    };
    let editions = r
        .sources
        .iter()
        .map(|d| format!("{} {}", d.id, d.vintage))
        .collect::<Vec<_>>()
        .join("; ");
    let rows = vec![
        vec![
            "made with".into(),
            format!(
                "hashmix {VERSION}; figures as `hashmix assess` writes them (schema {})",
                r.schema()
            ),
        ],
        vec!["sites".into(), r.input_file.clone()],
        vec!["crackdown risk as of".into(), r.risk_as_of.clone()],
        vec![
            "generation mix".into(),
            r.year
                .map(|y| format!("{y}, or the region's nearest year"))
                .unwrap_or_else(|| "each region's latest year".into()),
        ],
        vec!["emission factors".into(), r.factors.clone()],
        vec!["data editions".into(), editions],
        vec!["uncertainty".into(), draws],
    ];
    b.push(Block::Table(vec!["about".into(), "".into()], rows, vec![false, false]));
}

/// The portfolio's totals, each with its 90% interval where there is one.
fn headline(r: &Report, b: &mut Vec<Block>) {
    let p = &r.portfolio;
    let i = &p.intervals;
    let sh = |src: Source| p.shares.map(|s| s[src.index()]);
    b.push(Block::Heading(2, "summary", "Headline figures".into()));
    let rows = vec![
        vec![
            "sites".into(),
            format!(
                "{} ({} assessed, {} failed{})",
                grouped(p.sites as f64, 0),
                grouped(p.sites_ok as f64, 0),
                grouped(p.sites_failed as f64, 0),
                p.with_warnings()
            ),
        ],
        vec![
            "CO2".into(),
            format!(
                "{} t CO2e per year",
                with_interval(p.co2_t_per_year, i.co2_t_per_year, 0, 1.0)
            ),
        ],
        vec![
            "carbon intensity".into(),
            format!(
                "{} gCO2e/kWh (energy-weighted)",
                with_interval(p.intensity_g_per_kwh, i.intensity_g_per_kwh, 1, 1.0)
            ),
        ],
        vec!["power".into(), format!("{} MW", maybe(p.power_mw, 2))],
        vec![
            "energy".into(),
            format!("{} MWh per year", maybe(p.energy_mwh_per_year, 0)),
        ],
        vec![
            "hashrate".into(),
            format!(
                "{} PH/s (sites given by power alone have none)",
                maybe(p.hashrate_ths.map(|x| x / 1e3), 1)
            ),
        ],
        vec![
            "CO2 per terahash".into(),
            format!(
                "{} g/TH; {} kg per TH/s-day",
                with_interval(p.co2_g_per_th, i.co2_g_per_th, 5, 1.0),
                with_interval(p.co2_g_per_th, i.co2_g_per_th, 4, 86.4)
            ),
        ],
        vec![
            "coal against hydro".into(),
            format!(
                "coal {}%, hydro {}%; fossil {}%, low-carbon {}%",
                percent(sh(Source::Coal)),
                percent(sh(Source::Hydro)),
                percent(p.fossil_share),
                percent(p.low_carbon_share)
            ),
        ],
    ];
    b.push(Block::Table(
        vec!["measure".into(), "value".into()],
        rows,
        vec![false, false],
    ));
}

/// Sites, megawatts and tonnes of CO2 at one risk level.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LevelTotal {
    /// Assessed sites at the level.
    pub sites: usize,
    /// Their power, MW (every assessed site has it, those given by power alone too).
    pub power_mw: f64,
    /// Their CO2, t per year.
    pub co2_t_per_year: f64,
}

/// The totals of the assessed sites at each risk level, lowest first.
pub fn level_totals(sites: &[SiteResult]) -> [LevelTotal; 4] {
    let mut t = [LevelTotal::default(); 4];
    for s in sites.iter().filter(|s| s.status() == Status::Ok) {
        let Some(level) = s.risk_level() else { continue };
        let total = &mut t[level.index()];
        total.sites += 1;
        total.power_mw += s.power_mw().unwrap_or_default();
        total.co2_t_per_year += s.co2_t_per_year().unwrap_or_default();
    }
    t
}

fn risk_by_level(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "risk-levels", "Crackdown risk by level".into()));
    let t = level_totals(&r.sites);
    let power: f64 = t.iter().map(|l| l.power_mw).sum();
    let co2: f64 = t.iter().map(|l| l.co2_t_per_year).sum();
    let share = |part: f64, whole: f64| match whole > 0.0 {
        true => format!("{}%", grouped(part / whole * 100.0, 1)),
        false => "-".into(),
    };
    let mut rows: Vec<Vec<String>> = RiskLevel::ALL
        .iter()
        .zip(&t)
        .map(|(level, l)| {
            vec![
                level.name().to_string(),
                grouped(l.sites as f64, 0),
                grouped(l.power_mw, 2),
                share(l.power_mw, power),
                grouped(l.co2_t_per_year, 0),
                share(l.co2_t_per_year, co2),
            ]
        })
        .collect();
    rows.push(vec![
        "all assessed".into(),
        grouped(t.iter().map(|l| l.sites).sum::<usize>() as f64, 0),
        grouped(power, 2),
        share(power, power),
        grouped(co2, 0),
        share(co2, co2),
    ]);
    b.push(Block::Table(
        ["risk level", "sites", "MW", "share of MW", "t CO2e/yr", "share of CO2"]
            .map(String::from)
            .to_vec(),
        rows,
        vec![false, true, true, true, true, true],
    ));
    b.push(Block::Para(
        "Risk levels: low below 25, elevated 25-49, high 50-74, severe 75 and above (see Risk reasons).".into(),
    ));
}

/// Why a site needs attention, in one line, or nothing: its error, its high or severe risk
/// with the reason that adds most points, its first warning.
pub fn attention_reason(s: &SiteResult) -> Option<String> {
    if let Some(e) = &s.error {
        return Some(format!("error: {e}"));
    }
    let mut parts = Vec::new();
    if let (Some(level), Some(score), Some(region)) = (s.risk_level(), s.risk_score(), s.region)
        && level.index() >= RiskLevel::High.index()
    {
        let top = region
            .risk
            .risk
            .reasons
            .iter()
            .max_by(|a, b| a.points.total_cmp(&b.points))
            .map(|r| format!(", mostly {}", r.summary()))
            .unwrap_or_default();
        parts.push(format!("{level} risk ({score}){top}"));
    }
    let mut warnings = s.warnings.split("; ").filter(|w| !w.is_empty());
    if let Some(first) = warnings.next() {
        let more = warnings.count();
        parts.push(match more {
            0 => format!("warning: {first}"),
            n => format!("warning: {first} (and {n} more)"),
        });
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn attention(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "attention", "Sites that need attention".into()));
    let all: Vec<(&SiteResult, String)> = r.sites.iter().filter_map(|s| Some((s, attention_reason(s)?))).collect();
    if all.is_empty() {
        b.push(Block::Para(
            "None: no site failed, none is at high or severe risk and none has a warning.".into(),
        ));
        return;
    }
    b.push(Block::Para(format!(
        "{} site(s) failed, are at high or severe crackdown risk, or carry a warning{}",
        all.len(),
        match all.len() > MAX_ATTENTION_ROWS {
            true => format!(
                "; the first {MAX_ATTENTION_ROWS} in input order are listed, and all of them under Risk reasons and Data caveats."
            ),
            false => ".".into(),
        }
    )));
    let rows = all
        .iter()
        .take(MAX_ATTENTION_ROWS)
        .map(|(s, why)| vec![super::site_key(s), why.clone()])
        .collect();
    b.push(Block::Table(
        vec!["site".into(), "why".into()],
        rows,
        vec![false, false],
    ));
}
