//! The risk rules: weights, thresholds and event filters, read from risk-rules.toml (the
//! embedded copy, or `--risk-rules FILE`) and checked once, so scoring never meets a bad rule.

use chrono::NaiveDate;
use serde::Deserialize;

use super::events::{Confidence, Coverage, EventType, Scope, parse_day, read_day};

/// The schema a rules file must declare.
pub const RULES_SCHEMA: &str = "hashmix.risk-rules.v1";

/// How an event's jurisdiction relates to a site's region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The site's own region.
    Own,
    /// A region containing the site's region.
    Parent,
    /// A region inside the site's region.
    Child,
    /// Another subdivision of the same country.
    Sibling,
    /// A region whose boundary touches the site's region or its country.
    Neighbour,
}

impl Relation {
    /// The name used in the rules and the output.
    pub fn name(self) -> &'static str {
        match self {
            Relation::Own => "own",
            Relation::Parent => "parent",
            Relation::Child => "child",
            Relation::Sibling => "sibling",
            Relation::Neighbour => "neighbour",
        }
    }
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Measures in force on the as-of date.
    InForce,
    /// Proposals within the lookback, and adopted measures not yet in effect.
    Announced,
    /// Measures that ended within the lookback.
    Lapsed,
    /// Measures within the lookback nearby (sibling, neighbour, child).
    Nearby,
    /// Measures within the lookback or still in force (rationing history).
    History,
    /// A linear score on a number of the grid mix.
    Metric,
    /// The seasonal swing of fossil power in a hydro region.
    DrySeason,
}

/// A number of the grid mix a metric rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Coal share, 0-1.
    CoalShare,
    /// Coal + gas + oil share, 0-1.
    FossilShare,
    /// Carbon intensity, gCO2e/kWh.
    IntensityGPerKwh,
}

impl Metric {
    /// The output field name of the metric.
    pub fn name(self) -> &'static str {
        match self {
            Metric::CoalShare => "coal_share",
            Metric::FossilShare => "fossil_share",
            Metric::IntensityGPerKwh => "intensity_g_per_kwh",
        }
    }
}

/// Score thresholds of the levels.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    /// Lowest score that is `elevated`.
    pub elevated: f64,
    /// Lowest score that is `high`.
    pub high: f64,
    /// Lowest score that is `severe`.
    pub severe: f64,
}

/// Weight of an event by its confidence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfidenceWeights {
    /// High confidence.
    pub high: f64,
    /// Medium confidence.
    pub medium: f64,
    /// Low confidence.
    pub low: f64,
}

/// Weight of an event by its coverage.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageWeights {
    /// The whole jurisdiction.
    pub whole: f64,
    /// Part of it.
    pub part: f64,
}

/// Weight of an event by its scope.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeWeights {
    /// All mining.
    pub all: f64,
    /// Fossil-powered mining (also multiplied by the grid's fossil share).
    pub fossil_powered: f64,
    /// New facilities only.
    pub new_facilities: f64,
}

/// One rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Name, shown in every reason the rule gives.
    pub id: String,
    /// What the rule looks at.
    pub kind: RuleKind,
    /// Event types the rule counts (event kinds).
    #[serde(default)]
    pub types: Vec<EventType>,
    /// Relations the rule counts (event kinds).
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// How far back the rule looks, months.
    pub lookback_months: Option<u32>,
    /// Points of one event, or of a metric at its `to`.
    pub points: f64,
    /// Most points the rule gives in all (default: `points`).
    pub max_points: Option<f64>,
    /// The metric of a metric rule.
    pub metric: Option<Metric>,
    /// Metric value (or seasonal gap) that gives 0 points.
    pub from: Option<f64>,
    /// Metric value (or seasonal gap) that gives full points.
    pub to: Option<f64>,
    /// Least hydro share for the dry-season rule.
    pub min_hydro_share: Option<f64>,
    /// What the rule means, in words.
    pub why: String,
    /// The events or facts that support it.
    pub evidence: String,
}

impl Rule {
    /// The most points the rule gives in all.
    pub fn cap(&self) -> f64 {
        self.max_points.unwrap_or(self.points)
    }
}

/// A whole rules file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Must be [`RULES_SCHEMA`].
    pub schema: String,
    /// As-of date when none is given (YYYY-MM-DD).
    pub default_as_of: String,
    /// Level thresholds.
    pub levels: Levels,
    /// Confidence weights.
    pub confidence: ConfidenceWeights,
    /// Coverage weights.
    pub coverage: CoverageWeights,
    /// Scope weights.
    pub scope: ScopeWeights,
    /// The rules, in the order their reasons are listed.
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
    /// What the backtest counts as an outcome.
    pub backtest: BacktestRules,
}

/// What `hashmix backtest` counts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BacktestRules {
    /// Adopted measures of these types inside the horizon are outcomes.
    pub outcome_types: Vec<EventType>,
    /// Relations through which a measure is an outcome for a region.
    pub outcome_relations: Vec<Relation>,
    /// Regions under a measure of these types on the as-of date are left out.
    pub exclude_in_force: Vec<EventType>,
    /// The level from which a region counts as flagged.
    pub flag_from: String,
}

impl Rules {
    /// Parse and check a rules file; the message says which rule or field is wrong.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let rules: Rules = toml::from_str(text).map_err(|e| e.to_string().trim().to_string())?;
        rules.check()?;
        Ok(rules)
    }

    /// The default as-of date.
    pub fn default_as_of(&self) -> NaiveDate {
        parse_day(&self.default_as_of).expect("checked when parsed")
    }

    /// The weight of an event's confidence.
    pub fn confidence_weight(&self, c: Confidence) -> f64 {
        match c {
            Confidence::High => self.confidence.high,
            Confidence::Medium => self.confidence.medium,
            Confidence::Low => self.confidence.low,
        }
    }

    /// The weight of an event's coverage.
    pub fn coverage_weight(&self, c: Coverage) -> f64 {
        match c {
            Coverage::Whole => self.coverage.whole,
            Coverage::Part => self.coverage.part,
        }
    }

    /// The weight of an event's scope (before the fossil share).
    pub fn scope_weight(&self, s: Scope) -> f64 {
        match s {
            Scope::All => self.scope.all,
            Scope::FossilPowered => self.scope.fossil_powered,
            Scope::NewFacilities => self.scope.new_facilities,
        }
    }

    /// The lowest score of a level (0 for `low`).
    pub fn level_floor(&self, level: &str) -> f64 {
        match level {
            "severe" => self.levels.severe,
            "high" => self.levels.high,
            "elevated" => self.levels.elevated,
            _ => 0.0,
        }
    }

    /// The level of a score.
    pub fn level(&self, score: f64) -> super::RiskLevel {
        use super::RiskLevel;
        if score >= self.levels.severe {
            RiskLevel::Severe
        } else if score >= self.levels.high {
            RiskLevel::High
        } else if score >= self.levels.elevated {
            RiskLevel::Elevated
        } else {
            RiskLevel::Low
        }
    }

    fn check(&self) -> Result<(), String> {
        if self.schema != RULES_SCHEMA {
            return Err(format!("schema '{}': expected '{RULES_SCHEMA}'", self.schema));
        }
        if let Err(e) = read_day(&self.default_as_of) {
            return Err(format!("default_as_of {e}"));
        }
        let l = &self.levels;
        if !(0.0 < l.elevated && l.elevated < l.high && l.high < l.severe && l.severe <= 100.0) {
            return Err("levels: expected 0 < elevated < high < severe <= 100".into());
        }
        let weights = [
            self.confidence.high,
            self.confidence.medium,
            self.confidence.low,
            self.coverage.whole,
            self.coverage.part,
            self.scope.all,
            self.scope.fossil_powered,
            self.scope.new_facilities,
        ];
        if weights.iter().any(|w| !(0.0..=1.0).contains(w)) {
            return Err("confidence, coverage and scope weights: expected numbers from 0 to 1".into());
        }
        if !["elevated", "high", "severe"].contains(&self.backtest.flag_from.as_str()) {
            return Err(format!(
                "backtest.flag_from '{}': expected elevated, high or severe",
                self.backtest.flag_from
            ));
        }
        if self.backtest.outcome_types.is_empty() || self.backtest.outcome_relations.is_empty() {
            return Err("backtest: needs outcome_types and outcome_relations".into());
        }
        let mut ids = std::collections::HashSet::new();
        for rule in &self.rules {
            if !ids.insert(rule.id.as_str()) {
                return Err(format!("rule '{}' is defined twice", rule.id));
            }
            rule.check().map_err(|m| format!("rule '{}': {m}", rule.id))?;
        }
        Ok(())
    }
}

impl Rule {
    fn check(&self) -> Result<(), String> {
        if !self.points.is_finite() || self.points.abs() > 100.0 {
            return Err("points: expected a number from -100 to 100".into());
        }
        if self
            .max_points
            .is_some_and(|m| !m.is_finite() || m.abs() < self.points.abs())
        {
            return Err("max_points: expected at least points".into());
        }
        let event_kind = matches!(
            self.kind,
            RuleKind::InForce | RuleKind::Announced | RuleKind::Lapsed | RuleKind::Nearby | RuleKind::History
        );
        if event_kind && (self.types.is_empty() || self.relations.is_empty()) {
            return Err("needs `types` and `relations`".into());
        }
        if !event_kind && (!self.types.is_empty() || !self.relations.is_empty()) {
            return Err("`types` and `relations` apply to event rules only".into());
        }
        let needs_lookback = matches!(
            self.kind,
            RuleKind::Announced | RuleKind::Lapsed | RuleKind::Nearby | RuleKind::History
        );
        if needs_lookback && self.lookback_months.is_none() {
            return Err("needs `lookback_months`".into());
        }
        let range_ok = matches!((self.from, self.to), (Some(f), Some(t)) if f.is_finite() && t.is_finite() && f < t);
        match self.kind {
            RuleKind::Metric if self.metric.is_none() || !range_ok => {
                Err("a metric rule needs `metric`, and `from` below `to`".into())
            }
            RuleKind::DrySeason if self.min_hydro_share.is_none() || !range_ok => {
                Err("a dry_season rule needs `min_hydro_share`, and `from` below `to`".into())
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMBEDDED: &str = include_str!("../../grid-data/risk-rules.toml");

    #[test]
    fn the_embedded_rules_parse_and_map_scores_to_levels() {
        let rules = Rules::parse(EMBEDDED).expect("embedded rules");
        assert_eq!(rules.rules.len(), 13);
        assert_eq!(rules.level(24.9), "low");
        assert_eq!(rules.level(25.0), "elevated");
        assert_eq!(rules.level(50.0), "high");
        assert_eq!(rules.level(75.0), "severe");
        assert_eq!(rules.default_as_of().to_string(), "2026-04-30");
    }

    #[test]
    fn a_rule_without_what_its_kind_needs_is_refused_with_its_id() {
        let broken = EMBEDDED.replace("lookback_months = 24\n", "");
        assert_eq!(
            Rules::parse(&broken).unwrap_err(),
            "rule 'measure_announced': needs `lookback_months`"
        );
        let unknown = EMBEDDED.replace(
            "kind = \"metric\"\nmetric = \"coal_share\"",
            "kind = \"metric\"\nmetric = \"coal\"",
        );
        assert!(Rules::parse(&unknown).unwrap_err().contains("unknown variant `coal`"));
    }
}
