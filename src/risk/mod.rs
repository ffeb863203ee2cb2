//! Crackdown risk: will this site still be allowed to run? A transparent, rule-based score
//! from the policy events (measures in force, announced, lapsed, nearby, rationing history)
//! and the grid (coal share, intensity, dry-season backfill), with a reason for every point.
//! Rules and weights live in risk-rules.toml; METHOD.md explains them.

pub mod backtest;
pub mod events;
pub mod rules;
mod score;

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::Error;
use crate::grid::GridData;
pub use events::PolicyEvent;
pub use rules::{Relation, Rules};
pub use score::{Reason, Risk, RiskInput, SeasonalSwing};

/// The risk levels' names as written in output, lowest first.
pub const LEVELS: [&str; 4] = ["low", "elevated", "high", "severe"];

/// The position of a level in [`LEVELS`].
pub fn level_index(level: &str) -> Option<usize> {
    LEVELS.iter().position(|l| *l == level)
}

/// A crackdown-risk level, lowest first (thresholds in risk-rules.toml, see METHOD.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RiskLevel {
    /// Below the `elevated` threshold.
    Low,
    /// From the `elevated` threshold.
    Elevated,
    /// From the `high` threshold.
    High,
    /// From the `severe` threshold.
    Severe,
}

impl RiskLevel {
    /// Every level, lowest first, ordered like [`LEVELS`].
    pub const ALL: [RiskLevel; 4] = [RiskLevel::Low, RiskLevel::Elevated, RiskLevel::High, RiskLevel::Severe];

    /// The level as written in output: `low`, `elevated`, `high` or `severe`.
    pub fn name(self) -> &'static str {
        LEVELS[self.index()]
    }

    /// Its position, lowest first (an index into [`LEVELS`] and the portfolio's counts).
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq<&str> for RiskLevel {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl serde::Serialize for RiskLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A region that has hosted significant mining, from mining-regions.csv.
#[derive(Debug, Clone)]
pub struct MiningRegion {
    /// Region code.
    pub region: String,
    /// Region name.
    pub name: String,
    /// The share or other evidence of mining there.
    pub evidence: String,
    /// Where the evidence comes from.
    pub source: String,
}

/// Events, rules and the geography that relates a site to an event's jurisdiction.
#[derive(Debug, Clone)]
pub struct RiskModel {
    /// The rules in use.
    pub rules: Rules,
    /// Where the rules came from (`embedded` or the path given).
    pub rules_label: String,
    /// Every policy event, ascending by date.
    pub events: Vec<PolicyEvent>,
    /// Regions that have hosted significant mining.
    pub mining_regions: Vec<MiningRegion>,
    parent: HashMap<String, String>,
    neighbours: HashMap<String, Vec<String>>,
}

/// The country code of an ISO 3166-2 code (`GE` of `GE-AB`).
fn country_prefix(code: &str) -> Option<&str> {
    code.split_once('-').map(|(cc, _)| cc)
}

impl RiskModel {
    /// Build from the grid-data texts; `rules` is the rules file's text and `label` its name.
    pub fn parse(
        rules: &str,
        label: &str,
        events: &str,
        neighbours: &str,
        mining_regions: &str,
        grid: &GridData,
    ) -> Result<RiskModel, Error> {
        let rules = Rules::parse(rules).map_err(|message| Error::RiskRules {
            path: label.to_string(),
            message,
        })?;
        let mut events = events::parse_events(events, "policy-events.csv")?;
        events.sort_by(|a, b| (a.known, &a.id).cmp(&(b.known, &b.id)));
        let parent = grid
            .regions()
            .filter_map(|r| r.parent.as_ref().map(|p| (r.code.clone(), p.clone())))
            .collect();
        let neighbours = parse_pairs(neighbours, "neighbours.csv")?
            .into_iter()
            .map(|(r, n)| (r, n.split(';').map(str::to_string).collect()))
            .collect();
        let mining_regions = parse_mining_regions(mining_regions)?;
        Ok(RiskModel {
            rules,
            rules_label: label.to_string(),
            events,
            mining_regions,
            parent,
            neighbours,
        })
    }

    /// The region containing `code` (a country for a province; none for a country, whose
    /// parent is the world). Codes hashmix has no polygon for (`GE-AB`) take their country.
    fn parent_of<'a>(&'a self, code: &'a str) -> Option<&'a str> {
        match self.parent.get(code) {
            Some(p) if p != "WORLD" => Some(p.as_str()),
            Some(_) => None,
            None => country_prefix(code),
        }
    }

    fn is_ancestor(&self, ancestor: &str, code: &str) -> bool {
        let mut current = code;
        while let Some(p) = self.parent_of(current) {
            if p == ancestor {
                return true;
            }
            current = p;
        }
        false
    }

    /// Regions near `code`: those touching it, their countries, and those touching its
    /// country; never `code` itself or its own ancestors.
    fn nearby(&self, code: &str) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        let mut add_around = |c: &str| {
            for n in self.neighbours.get(c).into_iter().flatten() {
                out.insert(n.as_str());
                if let Some(p) = self.parent_of(n) {
                    out.insert(p);
                }
            }
        };
        add_around(code);
        if let Some(p) = self.parent_of(code) {
            add_around(p);
        }
        out.retain(|c| *c != code && !self.is_ancestor(c, code));
        out
    }

    /// How an event's jurisdiction `j` relates to the site's region `code`, if at all.
    pub fn relation(&self, code: &str, j: &str) -> Option<Relation> {
        self.relation_near(code, j, &self.nearby(code))
    }

    /// [`RiskModel::relation`] with the region's nearby set already computed.
    fn relation_near(&self, code: &str, j: &str, near: &BTreeSet<&str>) -> Option<Relation> {
        if j == code {
            return Some(Relation::Own);
        }
        if self.is_ancestor(j, code) {
            return Some(Relation::Parent);
        }
        if self.is_ancestor(code, j) {
            return Some(Relation::Child);
        }
        let site_parent = self.parent_of(code);
        if site_parent.is_some() && site_parent == self.parent_of(j) {
            return Some(Relation::Sibling);
        }
        near.contains(j).then_some(Relation::Neighbour)
    }

    /// The closest relation between any of an event's jurisdictions and the region.
    pub fn event_relation<'e>(&self, code: &str, event: &'e PolicyEvent) -> Option<(Relation, &'e str)> {
        self.event_relation_near(code, event, &self.nearby(code))
    }

    fn event_relation_near<'e>(
        &self,
        code: &str,
        event: &'e PolicyEvent,
        near: &BTreeSet<&str>,
    ) -> Option<(Relation, &'e str)> {
        event
            .jurisdictions
            .iter()
            .filter_map(|j| self.relation_near(code, j, near).map(|r| (r, j.as_str())))
            .min_by_key(|(r, _)| *r)
    }

    /// The closest relation of every event to the region, in event order.
    fn relations_of(&self, code: &str) -> Vec<Option<(Relation, &str)>> {
        let near = self.nearby(code);
        self.events
            .iter()
            .map(|e| self.event_relation_near(code, e, &near))
            .collect()
    }

    /// The risk of a site (or region) as of a day.
    pub fn assess(&self, input: &RiskInput, as_of: NaiveDate) -> Risk {
        score::assess(self, input, as_of)
    }
}

/// The records of a small grid-data CSV, with errors naming the file and line.
fn csv_records(text: &str, file: &str) -> Result<Vec<csv::StringRecord>, Error> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            r.map_err(|e| Error::GridData {
                file: file.into(),
                message: format!("line {}: {e}", i + 2),
            })
        })
        .collect()
}

/// The records of a grid-data CSV whose first columns must be `columns`, each record's cells
/// in those columns (a short header is an error naming the column, never a panic).
fn csv_columns(text: &str, file: &str, columns: &[&str]) -> Result<Vec<Vec<String>>, Error> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let bad = |line: usize, message: String| Error::GridData {
        file: file.into(),
        message: format!("line {line}: {message}"),
    };
    let header = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    for (j, name) in columns.iter().enumerate() {
        if header.get(j) != Some(name) {
            return Err(bad(
                1,
                format!("column {} is '{}': expected {name}", j + 1, header.get(j).unwrap_or("")),
            ));
        }
    }
    Ok(csv_records(text, file)?
        .iter()
        .map(|r| (0..columns.len()).map(|j| r.get(j).unwrap_or("").to_string()).collect())
        .collect())
}

fn parse_pairs(text: &str, file: &str) -> Result<Vec<(String, String)>, Error> {
    Ok(csv_columns(text, file, &["region", "neighbours"])?
        .into_iter()
        .map(|r| {
            let [region, neighbours]: [String; 2] = r.try_into().expect("csv_columns gives two cells");
            (region, neighbours)
        })
        .collect())
}

fn parse_mining_regions(text: &str) -> Result<Vec<MiningRegion>, Error> {
    Ok(
        csv_columns(text, "mining-regions.csv", &["region", "name", "evidence", "source"])?
            .into_iter()
            .map(|r| {
                let [region, name, evidence, source]: [String; 4] = r.try_into().expect("csv_columns gives four cells");
                MiningRegion {
                    region,
                    name,
                    evidence,
                    source,
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::GridFiles;

    fn model() -> RiskModel {
        let files = GridFiles::embedded();
        let grid = GridData::parse(&files).expect("embedded grid data");
        RiskModel::parse(
            &files.risk_rules,
            "embedded",
            &files.policy_events,
            &files.neighbours,
            &files.mining_regions,
            &grid,
        )
        .expect("embedded risk data")
    }

    #[test]
    fn an_events_jurisdiction_relates_to_a_region_as_own_parent_child_sibling_or_neighbour() {
        let m = model();
        assert_eq!(m.relation("CN-SC", "CN-SC"), Some(Relation::Own));
        assert_eq!(m.relation("CN-SC", "CN"), Some(Relation::Parent));
        assert_eq!(m.relation("CN", "CN-SC"), Some(Relation::Child));
        assert_eq!(m.relation("CN-SC", "CN-NM"), Some(Relation::Sibling));
        // Kazakhstan touches China; Xinjiang touches Kazakh provinces, so Kazakhstan is near it.
        assert_eq!(m.relation("KZ", "CN"), Some(Relation::Neighbour));
        assert_eq!(m.relation("CN-XJ", "KZ"), Some(Relation::Neighbour));
        // Abkhazia has no polygon in hashmix; its code still places it inside Georgia.
        assert_eq!(m.relation("GE", "GE-AB"), Some(Relation::Child));
        assert_eq!(m.relation("US-TX", "CN"), None);
        assert_eq!(m.relation("US-TX", "US-NY"), Some(Relation::Sibling));
    }

    #[test]
    fn reason_values_never_hold_the_csv_separator() {
        let m = model();
        let day = events::parse_day("2025-11-30").expect("date");
        for e in &m.events {
            for j in &e.jurisdictions {
                let input = RiskInput {
                    region: j.clone(),
                    coal_share: 0.5,
                    fossil_share: 0.6,
                    hydro_share: 0.4,
                    intensity_g_per_kwh: 600.0,
                    seasonal: Some(SeasonalSwing {
                        region: j.clone(),
                        year: 2023,
                        high: ("1-2".into(), 0.4),
                        low: ("8".into(), 0.1),
                    }),
                    mix_of: None,
                };
                for r in m.assess(&input, day).reasons {
                    assert!(!r.value.contains(';'), "{}", r.value);
                }
            }
        }
    }
}
