//! What a report says, as format-free blocks (headings, paragraphs, tables, figures), so that
//! the HTML and the Markdown report hold the same sections, numbers and words.

use super::first_page::with_interval;
use super::format::{grouped, maybe, percent as pct};
use super::{MAX_CHART_ROWS, MAX_MAP_SITES, MAX_TABLE_ROWS, Report, site_key};
use crate::assess::{SiteResult, Status};
use crate::grid::Level;
use crate::source::Source;

/// One piece of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading: level (1-3), anchor id, text.
    Heading(u8, &'static str, String),
    /// A paragraph of plain text.
    Para(String),
    /// A bulleted list.
    List(Vec<String>),
    /// Preformatted text (formulas).
    Pre(String),
    /// A table: header, rows, and which columns are numbers (right-aligned).
    Table(Vec<String>, Vec<Vec<String>>, Vec<bool>),
    /// A chart: file stem for Markdown, the SVG, a caption.
    Figure(&'static str, String, String),
}

fn share(s: &SiteResult, src: Source) -> Option<f64> {
    s.mix()?.shares.map(|sh| sh[src.index()])
}

/// The report's blocks, in reading order.
pub fn blocks(r: &Report) -> Vec<Block> {
    let mut b = Vec::new();
    super::first_page::blocks(r, &mut b);
    b.push(Block::Heading(2, "charts", "Charts".into()));
    b.push(Block::Para(
        "The charts draw each grid region the assessed sites are in once: its mix, intensity and risk are the \
         region's, its size the sum of its sites' power."
            .into(),
    ));
    if r.charts.regions > r.charts.regions_charted {
        b.push(Block::Para(format!(
            "They show the {MAX_CHART_ROWS} regions whose sites emit the most CO2 per year of {}; the site table has every site.",
            r.charts.regions
        )));
    }
    b.push(Block::Figure(
        "mix",
        r.charts.mix.clone(),
        "Generation mix of each region's grid (share of generation by source), the regions whose sites emit the most first."
            .into(),
    ));
    let mut caption = String::from(
        "Carbon intensity against crackdown-risk score; marker area is the power of the region's sites, colour and \
         shape the risk level (circle low, square elevated, triangle high, diamond severe).",
    );
    if !r.charts.risk_unlabelled.is_empty() {
        caption.push_str(&format!(
            " Not labelled for want of space: {}.",
            r.charts.risk_unlabelled.join("; ")
        ));
    }
    b.push(Block::Figure("risk", r.charts.risk.clone(), caption));
    if let Some(svg) = &r.charts.intervals {
        b.push(Block::Figure(
            "intervals",
            svg.clone(),
            "Carbon intensity of each region's grid: the headline and its 90% interval over the draws.".into(),
        ));
        // Below the figure, not in its caption: a figure is kept whole on a page, a paragraph
        // may run on to the next.
        let modelled = modelled_regions(r);
        if !modelled.is_empty() {
            b.push(Block::Para(format!(
                "Modelled from power plants, not measured: {}. The model tends to overstate (tested on China's \
                 provinces, where the real mix is known), so these intervals reach mostly below the headline \
                 (METHOD.md, modelled regions).",
                modelled.join(", "),
            )));
        }
    }
    b.push(Block::Heading(2, "map", "Map".into()));
    if r.charts.map_drawn < r.charts.map_sites {
        b.push(Block::Para(format!(
            "The map marks the {MAX_MAP_SITES} sites drawing the most power of the {} assessed sites with coordinates.",
            r.charts.map_sites
        )));
    }
    match &r.charts.map {
        Some(svg) => b.push(Block::Figure(
            "map",
            svg.clone(),
            "Regions shaded by the carbon intensity of their grid mix; sites marked by risk level (circle low, square elevated, triangle high, diamond severe).".into(),
        )),
        None => b.push(Block::Para("No site has coordinates, so there is no map.".into())),
    }
    sites(r, &mut b);
    super::caveats::risk_reasons(r, &mut b);
    super::caveats::data_caveats(r, &mut b);
    scope(r, &mut b);
    method(r, &mut b);
    super::caveats::notes_appendix(r, &mut b);
    b
}

/// The Scope 1/2 table in the layout of ESRS E1-6 and E1-5, and every instrument that was not
/// used whole (issue 24).
fn scope(r: &Report, b: &mut Vec<Block>) {
    let s = &r.scope;
    if s.esrs.is_empty() {
        return;
    }
    b.push(Block::Heading(
        2,
        "scope",
        "Scope 1 and 2 (ESRS E1-6, E1-5; IFRS S2 29(a))".into(),
    ));
    let year = match s.reporting_year {
        Some(y) => format!("Reporting year {y}. "),
        None => "No reporting year given (--year): instruments and residual mixes cannot be checked. ".into(),
    };
    b.push(Block::Para(format!(
        "{year}Scope 2 location-based: grid electricity x each site's published location-based factor (direct basis). \
         Market-based: accepted certificates and PPAs, then supplier rates, then the residual mix, and for what nothing \
         covers the location-based factor, disclosed. Scope 1: fuel burnt on site. Both Scope 2 figures cover the same \
         grid MWh. Method: METHOD.md, \"Scope 1 and 2\"."
    )));
    let rows = s
        .esrs
        .iter()
        .map(|l| {
            let d = crate::output::esrs::decimals(l.unit) as usize;
            vec![
                l.table.to_string(),
                l.label.to_string(),
                maybe(l.value, d.min(1)),
                l.unit.to_string(),
                l.reference.to_string(),
                l.note.clone(),
            ]
        })
        .collect();
    b.push(Block::Table(
        ["table", "line", "value", "unit", "reference", "how"]
            .map(String::from)
            .to_vec(),
        rows,
        vec![false, false, true, false, false, false],
    ));
    let kept: Vec<_> = s.instruments.iter().filter(|v| v.status != "used").collect();
    if !s.instruments.is_empty() {
        b.push(Block::Para(format!(
            "{} instruments read: {} used whole, {} partly used or rejected{}",
            s.instruments.len(),
            s.instruments.len() - kept.len(),
            kept.len(),
            if kept.is_empty() { "." } else { ":" }
        )));
    }
    if !kept.is_empty() {
        let rows = kept
            .iter()
            .map(|v| {
                vec![
                    v.line.to_string(),
                    v.site_id.clone().unwrap_or_default(),
                    v.kind.unwrap_or("").to_string(),
                    v.tracking_id.clone().unwrap_or_default(),
                    grouped(v.mwh, 1),
                    grouped(v.used_mwh, 1),
                    v.status.to_string(),
                    v.reason.clone(),
                ]
            })
            .collect();
        b.push(Block::Table(
            [
                "line",
                "site",
                "type",
                "tracking id",
                "MWh",
                "used MWh",
                "status",
                "why",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            vec![true, false, false, false, true, true, false, false],
        ));
    }
}

fn sites(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "sites", "Sites".into()));
    b.push(Block::Para(format!(
        "One row per input row, in input order{}. Intervals are 90% (5th-95th percentile over the draws); \
         risk is the level and the score (0-100); a site's notes are in the appendix, its warnings under Data \
         caveats. The per-site hashrate, shares of every source and CO2 per terahash are in `hashmix assess`'s \
         output.",
        match r.sites.len() > MAX_TABLE_ROWS {
            true => format!(" (the first {MAX_TABLE_ROWS} of {})", r.sites.len()),
            false => String::new(),
        }
    )));
    let header = [
        "site",
        "region",
        "mix year",
        "coal %",
        "low-carbon %",
        "gCO2e/kWh (90%)",
        "MW",
        "t CO2e/yr (90%)",
        "risk",
        "see",
    ];
    let numeric = vec![false, false, false, true, true, true, true, true, false, false];
    let rows = r
        .sites
        .iter()
        .take(MAX_TABLE_ROWS)
        .map(|s| {
            let key = site_key(s);
            let site = match s.name.as_deref() {
                Some(n) if n != key => format!("{key} ({n})"),
                _ => key,
            };
            if s.status() != Status::Ok {
                let mut row = vec![site, "error".into()];
                row.extend(std::iter::repeat_n(String::new(), 7));
                row.push("failed rows".into());
                return row;
            }
            let see = [(!s.warnings.is_empty(), "warnings"), (!s.notes.is_empty(), "notes")]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, w)| *w)
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                site,
                s.region_code().unwrap_or_default().to_string(),
                match (s.data_year(), s.data_month()) {
                    (Some(y), Some(m)) => format!("{y}/{m}"),
                    (Some(y), None) => y.to_string(),
                    _ => "-".into(),
                },
                pct(share(s, Source::Coal)),
                pct(s.mix().and_then(|m| m.low_carbon_share)),
                with_interval(
                    s.mix().and_then(|m| m.intensity_g_per_kwh),
                    s.intervals().intensity_g_per_kwh,
                    1,
                    1.0,
                )
                .replace("(90%: ", "("),
                maybe(s.power_mw(), 2),
                with_interval(s.co2_t_per_year(), s.intervals().co2_t_per_year, 0, 1.0).replace("(90%: ", "("),
                match (s.risk_level(), s.risk_score()) {
                    (Some(l), Some(sc)) => format!("{l} {sc}"),
                    _ => "-".into(),
                },
                see,
            ]
        })
        .collect();
    b.push(Block::Table(
        header.iter().map(|h| h.to_string()).collect(),
        rows,
        numeric,
    ));
}

fn method(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "method", "Method and formulas".into()));
    b.push(Block::Para(
        "Each site is located in its province, state or country from its coordinates (or its declared region), \
         the region's generation mix is looked up (its own data, else its parent's, said in the notes), and the \
         numbers follow from the formulas below. The full method is in README.md and METHOD.md of hashmix."
            .into(),
    ));
    // Under published rates, a site's intensity is its zone's or region's published rate where
    // one exists (issue 22); the formula says so.
    let intensity = match r.published_rates {
        true => {
            "intensity_g_per_kwh  = the published rate of the site's grid zone or region (intensity_source),\n\
             \x20                      else sum over sources of share_s x factor_s"
        }
        false => "intensity_g_per_kwh  = sum over sources of share_s x factor_s",
    };
    b.push(Block::Pre(format!(
        "share_s              = generation_s / total generation of the nine sources\n\
         {intensity}\n\
         power_mw             = hashrate_ths x efficiency_j_per_th x pue / 1e6   (or the measured power_mw)\n\
         energy_mwh_per_year  = power_mw x 24 h x operating days x uptime\n\
         co2_t_per_year       = energy_mwh_per_year x intensity_g_per_kwh / 1,000\n\
         co2_g_per_th         = efficiency_j_per_th x pue / 3.6e6 x intensity_g_per_kwh\n\
         co2_kg_per_ths_day   = co2_g_per_th x 86,400 / 1,000\n\
         portfolio intensity  = total CO2 / total energy"
    )));
    b.push(Block::Para(format!(
        "Crackdown risk (0-100) adds the points of transparent rules for measures in force, announced or lapsed in \
         the site's region and its neighbours, rationing history, coal share, intensity and dry-season fossil \
         backfill, as of {}; rules: {}. Levels: low below 25, elevated 25-49, high 50-74, severe 75 and above.",
        r.risk_as_of, r.risk_rules
    )));
    uncertainty_inputs(r, b);
    sources(r, b);
    freshness(r, b);
    limits(b);
}

/// The regions of assessed sites whose mix is modelled from power plants (`Name (CODE)`), in
/// the order of their first site.
fn modelled_regions(r: &Report) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for region in r
        .sites
        .iter()
        .filter(|s| s.status() == Status::Ok)
        .filter_map(|s| s.region)
    {
        let name = format!("{} ({})", region.region_name, region.region);
        if region.level == Level::Modelled && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// How the intervals were drawn, and the table of the uncertain inputs.
fn uncertainty_inputs(r: &Report, b: &mut Vec<Block>) {
    let Some(u) = &r.uncertainty else { return };
    b.push(Block::Para(format!(
        "Intervals: {} draws (seed {}); {}. The headline is the estimate at median factors. In each draw every site \
         shares the factor, efficiency, PUE and uptime samples, so the portfolio interval is not narrowed by \
         averaging; the mix moves by one of its region's own changes over the years between its data and {}.",
        u.draws, u.seed, u.percentiles, u.year_asked
    )));
    let rows = u
        .inputs
        .iter()
        .map(|i| {
            let v = |x: Option<f64>| x.map(|x| format!("{x}")).unwrap_or_default();
            vec![
                i.input.clone(),
                i.distribution.clone(),
                v(i.low),
                v(i.central),
                v(i.high),
                i.source.clone(),
            ]
        })
        .collect();
    b.push(Block::Table(
        ["input", "distribution", "low", "central", "high", "source"]
            .map(String::from)
            .to_vec(),
        rows,
        vec![false, false, true, true, true, false],
    ));
}

/// The datasets behind the figures.
fn sources(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "sources", "Sources".into()));
    let rows = r
        .sources
        .iter()
        .map(|d| {
            vec![
                d.title.clone(),
                d.publisher.clone(),
                d.vintage.clone(),
                d.licence.clone(),
                d.url.clone(),
                d.used_for.clone(),
            ]
        })
        .collect();
    b.push(Block::Table(
        ["dataset", "publisher", "vintage", "licence", "address", "used for"]
            .map(String::from)
            .to_vec(),
        rows,
        vec![false; 6],
    ));
}

/// Which year (and months) of data each region contributed, the newest year of each of its
/// sources, and whether its data are stale (issue 23).
fn freshness(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "freshness", "Data freshness".into()));
    b.push(Block::Para(format!(
        "Which year (and months) of generation data each region contributed, to how many sites, and the newest complete year of each source the region has (its generation mix's and its published rates'; monthly data past it shown by its last month, as 2024-04). A region is stale when its newest generation data are more than {} years older than the newest in the grid data (or than the year asked); its sites carry a warning.",
        crate::grid::STALE_AFTER_YEARS
    )));
    let rows = r
        .freshness
        .iter()
        .map(|f| {
            vec![
                f.data_region.clone(),
                f.data_year.to_string(),
                f.data_month.clone().unwrap_or_else(|| "annual".into()),
                f.newest.clone(),
                match &f.stale {
                    Some(s) => format!(
                        "stale: newest {}, {} years before {}",
                        s.newest,
                        s.reference - s.newest,
                        s.reference
                    ),
                    None => "current".into(),
                },
                f.sites.to_string(),
            ]
        })
        .collect();
    b.push(Block::Table(
        [
            "data region",
            "year used",
            "months",
            "newest year of each source",
            "freshness",
            "sites",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        vec![false, true, false, false, false, true],
    ));
}

/// The assumptions and limits a reader must know.
fn limits(b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "limits", "Assumptions and limits".into()));
    b.push(Block::List(
        [
            "A site without a PUE is assumed at 1.05 (Bevand 2017), without an uptime to run all year; the intervals vary both.",
            "The mix is what is generated in the region, not what is consumed: imports, exports and behind-the-meter supply are not traced.",
            "Provinces and states are not grid zones: eGRID subregions and the Nordic bidding zones give published rates where a site lies in one; outside China, the US and Canada a site gets its country's mix, or a mix modelled from its region's plants where its level says modelled.",
            "The latest data year is not this year: see the freshness table; the intervals cover the gap from each region's own history.",
            "An intensity is the published rate of the site's zone or region where one exists (intensity_source names it), else the mix times the IPCC AR5 medians on the run's basis; the IPCC ranges are wide (lifecycle hydro 1-2,200 g/kWh) and global.",
            "Crackdown risk is a transparent judgement from stated rules, not a forecast; its backtest rests on few events.",
        ]
        .map(String::from)
        .to_vec(),
    ));
}
