//! What stands behind a report's figures and what may be wrong with them: each site's risk
//! reasons with the events behind them, the sites whose mix is not their region's own (a
//! parent's, the world's or one modelled from plants), every warning and every failed row, and
//! the notes on each site in an appendix keyed by site.

use std::collections::HashMap;

use super::content::Block;
use super::{MAX_TABLE_ROWS, Report, label, site_key};
use crate::assess::{SiteResult, Status};
use crate::grid::Level;

/// Most site keys named above one region's reasons; the rest are counted.
const MAX_NAMED_SITES: usize = 30;

/// Sites that share one region's risk (its reasons are the region's, so they are the same).
struct Group<'r, 'a> {
    sites: Vec<&'r SiteResult<'a>>,
}

/// Each region's crackdown-risk score and the reasons behind it, highest score first, with
/// the sites it applies to; each reason with its event (id, date, type) and the source's
/// address.
pub fn risk_reasons(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "risk-reasons", "Risk reasons".into()));
    b.push(Block::Para(
        "Each rule that added points to a site's crackdown-risk score, with the measure behind it where there is \
         one: its id in hashmix's policy events, whose date, type and source are listed under Measures behind the \
         reasons (a measure that added no points because its rule's cap was reached is listed too; the grid's rules \
         that added none are not). Sites in the same region, on the same mix, share their reasons."
            .into(),
    ));
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    for s in r.sites.iter().filter(|s| s.status() == Status::Ok) {
        let Some(region) = s.region else { continue };
        let key = (region.region.as_str(), region.risk.summary.as_str());
        let k = *index.entry(key).or_insert_with(|| {
            groups.push(Group { sites: Vec::new() });
            groups.len() - 1
        });
        groups[k].sites.push(s);
    }
    // Highest score first; among equals, in the order of their first site.
    groups.sort_by_key(|g| std::cmp::Reverse(g.sites[0].risk_score().unwrap_or_default()));
    // The measures cited, each once (many regions cite the same neighbour's ban).
    let mut cited: HashMap<&str, usize> = HashMap::new();
    let mut cited_rows: Vec<Vec<String>> = Vec::new();
    // Low-risk regions share one table, a row each, so that the regions at risk stand out.
    let mut low_rows: Vec<Vec<String>> = Vec::new();
    for g in &groups {
        let first = g.sites[0];
        let Some(region) = first.region else { continue };
        let risk = &region.risk.risk;
        if risk.level == crate::risk::RiskLevel::Low {
            let reasons: Vec<String> = risk
                .reasons
                .iter()
                .filter(|reason| reason.points != 0.0 || reason.event_id.is_some())
                .map(|reason| {
                    let mut text = format!("{} {:+}", reason.rule, reason.points);
                    if let Some(id) = &reason.event_id {
                        text.push_str(&format!(" ({id})"));
                        if !cited.contains_key(id.as_str()) {
                            cited.insert(id.as_str(), cited_rows.len());
                            cited_rows.push(vec![
                                id.clone(),
                                reason.event_date.clone().unwrap_or_default(),
                                reason.event_type.unwrap_or("").to_string(),
                                reason.source.clone().unwrap_or_default(),
                            ]);
                        }
                    }
                    text
                })
                .collect();
            low_rows.push(vec![
                format!("{} ({})", region.region_name, region.region),
                risk.score.to_string(),
                site_names(&g.sites),
                if reasons.is_empty() {
                    "no rule added points".into()
                } else {
                    reasons.join("; ")
                },
            ]);
            continue;
        }
        b.push(Block::Heading(
            3,
            "",
            format!(
                "{} ({}): {} risk, score {}",
                region.region_name, region.region, risk.level, risk.score
            ),
        ));
        b.push(Block::Para(format!("Sites: {}.", site_names(&g.sites))));
        // A rule of the grid that added nothing says nothing here; a measure that added nothing
        // (its rule's cap was reached) is still a measure in force where the site is.
        let shown: Vec<_> = risk
            .reasons
            .iter()
            .filter(|reason| reason.points != 0.0 || reason.event_id.is_some())
            .collect();
        if shown.is_empty() {
            b.push(Block::Para("No rule added points.".into()));
            continue;
        }
        let rows = shown
            .iter()
            .map(|reason| {
                if let Some(id) = &reason.event_id
                    && !cited.contains_key(id.as_str())
                {
                    cited.insert(id.as_str(), cited_rows.len());
                    cited_rows.push(vec![
                        id.clone(),
                        reason.event_date.clone().unwrap_or_default(),
                        reason.event_type.unwrap_or("").to_string(),
                        reason.source.clone().unwrap_or_default(),
                    ]);
                }
                vec![
                    reason.rule.clone(),
                    format!("{:+}", reason.points),
                    reason.value.clone(),
                    reason.event_id.clone().unwrap_or_default(),
                ]
            })
            .collect();
        b.push(Block::Table(
            ["rule", "points", "what fired it", "event"].map(String::from).to_vec(),
            rows,
            vec![false, true, false, false],
        ));
    }
    if !low_rows.is_empty() {
        b.push(Block::Heading(3, "", "Low-risk regions".into()));
        b.push(Block::Para(
            "Each rule that added points, and the measure behind it; what fired each rule is in the risk_reasons \
             of hashmix assess's output."
                .into(),
        ));
        b.push(Block::Table(
            ["region", "score", "sites", "rules (points, event)"]
                .map(String::from)
                .to_vec(),
            low_rows,
            vec![false, true, false, false],
        ));
    }
    if !cited_rows.is_empty() {
        b.push(Block::Heading(3, "", "Measures behind the reasons".into()));
        b.push(Block::Para(
            "Each measure cited above once, in the order first cited: its id in hashmix's policy events, its date, \
             its type and the address of its source."
                .into(),
        ));
        b.push(Block::Table(
            ["event", "date", "measure", "source"].map(String::from).to_vec(),
            cited_rows,
            vec![false, false, false, false],
        ));
    }
}

/// The keys of a region's sites, the first [`MAX_NAMED_SITES`] and how many more.
fn site_names(sites: &[&SiteResult]) -> String {
    let mut names: Vec<String> = sites.iter().take(MAX_NAMED_SITES).map(|s| site_key(s)).collect();
    if sites.len() > MAX_NAMED_SITES {
        names.push(format!("and {} more", sites.len() - MAX_NAMED_SITES));
    }
    names.join(", ")
}

/// What the mix of a site on another region's mix, or a modelled one, is.
fn whose_mix(s: &SiteResult) -> &'static str {
    match s.region.map(|g| g.level) {
        Some(Level::World) => "the world's mix: no data for the country",
        Some(Level::Modelled) => "modelled from the region's power plants (wider interval)",
        _ => "its country's mix: no data for the province or state",
    }
}

/// The sites on a parent's, the world's or a modelled mix; every warning; every failed row.
pub fn data_caveats(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "caveats", "Data caveats".into()));
    let borrowed: Vec<&SiteResult> = r
        .sites
        .iter()
        .filter(|s| {
            s.status() == Status::Ok
                && s.data_region().is_some()
                && (s.data_region() != s.region_code() || s.region.is_some_and(|g| g.level == Level::Modelled))
        })
        .collect();
    let warnings: Vec<(&SiteResult, &str)> = r
        .sites
        .iter()
        .flat_map(|s| s.warnings.split("; ").filter(|w| !w.is_empty()).map(move |w| (s, w)))
        .collect();
    let failed: Vec<&SiteResult> = r.sites.iter().filter(|s| s.status() != Status::Ok).collect();
    if borrowed.is_empty() && warnings.is_empty() && failed.is_empty() {
        b.push(Block::Para(
            "None: every site is on its own region's reported mix, no row has a warning and none failed.".into(),
        ));
        return;
    }
    if !borrowed.is_empty() {
        b.push(Block::Heading(3, "borrowed", "Sites on another region's mix".into()));
        b.push(Block::Para(format!(
            "{} site(s) lie in a region without generation data of its own, or with a mix modelled from its \
             plants: their mix, intensity and the risk reasons that rest on them are those of the region named \
             here, not the site's own reported figures.{}",
            borrowed.len(),
            cut(borrowed.len())
        )));
        let rows = borrowed
            .iter()
            .take(MAX_TABLE_ROWS)
            .map(|s| {
                vec![
                    label(s),
                    format!(
                        "{} ({})",
                        s.region_name().unwrap_or_default(),
                        s.region_code().unwrap_or_default()
                    ),
                    s.data_region().unwrap_or_default().to_string(),
                    s.region.map(|g| g.level.name()).unwrap_or_default().to_string(),
                    s.data_year().map(|y| y.to_string()).unwrap_or_default(),
                    whose_mix(s).to_string(),
                ]
            })
            .collect();
        b.push(Block::Table(
            ["site", "region", "mix of", "level", "year", "caveat"]
                .map(String::from)
                .to_vec(),
            rows,
            vec![false, false, false, false, true, false],
        ));
    }
    if !warnings.is_empty() {
        b.push(Block::Heading(3, "warnings", "Warnings".into()));
        b.push(Block::Para(format!(
            "{} warning(s): the row was assessed, but a value looks wrong; check it.{}",
            warnings.len(),
            cut(warnings.len())
        )));
        let rows = warnings
            .iter()
            .take(MAX_TABLE_ROWS)
            .map(|(s, w)| vec![site_key(s), s.position.to_string(), w.to_string()])
            .collect();
        b.push(Block::Table(
            ["site", "where", "warning"].map(String::from).to_vec(),
            rows,
            vec![false, false, false],
        ));
    }
    if !failed.is_empty() {
        b.push(Block::Heading(3, "failed", "Rows that failed".into()));
        b.push(Block::Para(format!(
            "{} row(s) could not be assessed and count in no total.{}",
            failed.len(),
            cut(failed.len())
        )));
        let rows = failed
            .iter()
            .take(MAX_TABLE_ROWS)
            .map(|s| vec![site_key(s), s.error.clone().unwrap_or_default()])
            .collect();
        b.push(Block::Table(
            ["site", "error"].map(String::from).to_vec(),
            rows,
            vec![false, false],
        ));
    }
}

/// ` The table shows the first 500.` when a list is longer than a table shows.
fn cut(n: usize) -> String {
    match n > MAX_TABLE_ROWS {
        true => format!(" The table shows the first {MAX_TABLE_ROWS}; `hashmix assess` writes them all."),
        false => String::new(),
    }
}

/// The notes on each site (defaults, substitutions and fallbacks used), keyed by site, out of
/// the site table so that its rows stay one or two lines high in print. The notes every site
/// of a region carries (its data's, a default they all take) are written once, on a row for
/// the region; each site's row has the rest.
pub fn notes_appendix(r: &Report, b: &mut Vec<Block>) {
    let noted: Vec<&SiteResult> = r.sites.iter().filter(|s| !s.notes.is_empty()).collect();
    if noted.is_empty() {
        return;
    }
    b.push(Block::Heading(2, "notes", "Appendix: notes on each site".into()));
    let shown = &noted[..noted.len().min(MAX_TABLE_ROWS)];
    b.push(Block::Para(format!(
        "The defaults, substitutions and fallbacks behind each site's figures, keyed by the site column of the \
         site table. The notes that every site of a region carries are written once, on the region's row; a \
         site's notes are those of its region's row and its own (hashmix assess writes them all in each site's \
         notes field).{}",
        cut(noted.len())
    )));
    let keyed: Vec<(Option<&str>, &str)> = shown
        .iter()
        .map(|s| (s.region.map(|g| g.region.as_str()), s.notes.as_str()))
        .collect();
    let rows = shared_notes(&keyed)
        .into_iter()
        .map(|(sites, notes)| {
            let first = shown[sites[0]];
            let key = match (sites.len(), first.region) {
                (1, _) | (_, None) => site_key(first),
                (n, Some(g)) => format!("{} ({}): its {n} sites", g.region_name, g.region),
            };
            vec![key, notes.join("; ")]
        })
        .collect();
    b.push(Block::Table(
        ["site or region", "notes"].map(String::from).to_vec(),
        rows,
        vec![false, false],
    ));
}

/// Sites' notes (each a `; `-separated list) keyed by their region: for each region in order
/// of its first site, a row for all its sites (when it has more than one) with the notes they
/// all carry, in the first site's order, then a row for each site with its other notes; a site
/// without a region has a row of its own. Each row: the positions of its sites, its notes.
fn shared_notes<'s>(sites: &[(Option<&str>, &'s str)]) -> Vec<(Vec<usize>, Vec<&'s str>)> {
    let split = |k: usize| sites[k].1.split("; ").filter(|n| !n.is_empty());
    let mut regions: Vec<Vec<usize>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (k, (region, _)) in sites.iter().enumerate() {
        match region {
            Some(code) => {
                let i = *index.entry(code).or_insert_with(|| {
                    regions.push(Vec::new());
                    regions.len() - 1
                });
                regions[i].push(k);
            }
            None => regions.push(vec![k]),
        }
    }
    let mut rows = Vec::new();
    for members in regions {
        let common: Vec<&str> = match members.len() {
            1 => Vec::new(),
            _ => split(members[0])
                .filter(|n| members[1..].iter().all(|&k| split(k).any(|m| m == *n)))
                .collect(),
        };
        if !common.is_empty() {
            rows.push((members.clone(), common.clone()));
        }
        for k in members {
            let own: Vec<&str> = split(k).filter(|n| !common.contains(n)).collect();
            if !own.is_empty() {
                rows.push((vec![k], own));
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notes_a_regions_sites_share_are_written_once_on_the_regions_row() {
        let sites = [
            (
                Some("US-TX"),
                "PUE 1.05 assumed (default); US-TX 2025: Ember; its 2024 shares agree",
            ),
            (Some("US-ND"), "latest US-ND data is from 2024"),
            (
                Some("US-TX"),
                "efficiency 17.5 J/TH from the catalogue; PUE 1.05 assumed (default); US-TX 2025: Ember; its 2024 shares agree",
            ),
            (None, "PUE 1.05 assumed (default)"),
            (
                Some("US-TX"),
                "US-TX 2025: Ember; its 2024 shares agree; power_mw given",
            ),
        ];
        assert_eq!(
            shared_notes(&sites),
            vec![
                (vec![0, 2, 4], vec!["US-TX 2025: Ember", "its 2024 shares agree"]),
                (vec![0], vec!["PUE 1.05 assumed (default)"]),
                (
                    vec![2],
                    vec!["efficiency 17.5 J/TH from the catalogue", "PUE 1.05 assumed (default)"]
                ),
                (vec![4], vec!["power_mw given"]),
                (vec![1], vec!["latest US-ND data is from 2024"]),
                (vec![3], vec!["PUE 1.05 assumed (default)"]),
            ]
        );
    }
}
