//! The backtest: score the regions that have hosted mining as of a date, see which were hit
//! by a measure inside the horizon, and measure how well the scores ranked them (ROC AUC).

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::{PolicyEvent, Relation, RiskModel};

/// The schema name of `hashmix backtest` JSON.
pub const BACKTEST_SCHEMA: &str = "hashmix.backtest.v1";

/// What happened to one region inside the horizon.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Already under a measure that the backtest excludes on the as-of date.
    Excluded(String),
    /// Measures that came inside the horizon (event ids with dates).
    Hit(Vec<String>),
    /// Nothing came.
    None,
}

/// The outcome for a region: which adopted measures became public in
/// (`as_of`, `as_of + horizon`], in the region or a region containing it.
pub fn outcome(model: &RiskModel, code: &str, as_of: NaiveDate, horizon_months: u32) -> Outcome {
    let bt = &model.rules.backtest;
    // Each related event with its closest relation to the region, computed once.
    let related: Vec<(Relation, &PolicyEvent)> = model
        .events
        .iter()
        .zip(model.relations_of(code))
        .filter_map(|(e, r)| r.map(|(r, _)| (r, e)))
        .collect();
    // Only a measure over the whole region excludes it: a ban in one province leaves the
    // rest of a country open.
    if let Some((_, e)) = related.iter().find(|(r, e)| {
        matches!(r, Relation::Own | Relation::Parent) && bt.exclude_in_force.contains(&e.kind) && e.in_force(as_of)
    }) {
        return Outcome::Excluded(format!("{} {} in force", e.kind.name(), e.id));
    }
    let end = horizon_end(as_of, horizon_months);
    let hits: Vec<String> = related
        .iter()
        .filter(|(r, e)| {
            bt.outcome_relations.contains(r)
                && bt.outcome_types.contains(&e.kind)
                && !e.is_proposal()
                && e.known > as_of
                && e.known <= end
        })
        .map(|(_, e)| format!("{} {} ({})", e.id, e.date, e.kind.name()))
        .collect();
    if hits.is_empty() {
        Outcome::None
    } else {
        Outcome::Hit(hits)
    }
}

/// The last day of the horizon.
pub fn horizon_end(as_of: NaiveDate, horizon_months: u32) -> NaiveDate {
    as_of
        .checked_add_months(Months::new(horizon_months))
        .unwrap_or(NaiveDate::MAX)
}

/// ROC AUC by the Mann-Whitney count: the chance that a region that was hit scored higher
/// than one that was not, ties counting half. `None` without both kinds.
pub fn auc(hit: &[f64], quiet: &[f64]) -> Option<f64> {
    if hit.is_empty() || quiet.is_empty() {
        return None;
    }
    let mut wins = 0.0;
    for h in hit {
        for q in quiet {
            wins += if h > q {
                1.0
            } else if h == q {
                0.5
            } else {
                0.0
            };
        }
    }
    Some(wins / (hit.len() * quiet.len()) as f64)
}

/// The standard error of an AUC by Hanley and McNeil (1982), Radiology 143:29-36, eq. 2.
pub fn auc_standard_error(auc: f64, n_hit: usize, n_quiet: usize) -> f64 {
    let (a, p, n) = (auc, n_hit as f64, n_quiet as f64);
    let q1 = a / (2.0 - a);
    let q2 = 2.0 * a * a / (1.0 + a);
    ((a * (1.0 - a) + (p - 1.0) * (q1 - a * a) + (n - 1.0) * (q2 - a * a)) / (p * n)).sqrt()
}

/// One region's line in the backtest.
#[derive(Debug, Clone, Serialize)]
pub struct RegionResult {
    /// Region code.
    pub region: String,
    /// Region name.
    pub name: String,
    /// Risk score as of the date.
    pub risk_score: Option<u8>,
    /// Risk level as of the date.
    pub risk_level: Option<&'static str>,
    /// hit, miss, false_alarm, quiet (flagged or not, against what came), or excluded.
    pub result: &'static str,
    /// The measures that came inside the horizon, or why the region is excluded.
    pub measures: String,
    /// The three reasons with the most points.
    pub top_reasons: String,
}

/// The whole backtest.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestReport {
    /// [`BACKTEST_SCHEMA`].
    pub schema: &'static str,
    /// The date scores were made as of.
    pub as_of: String,
    /// Months looked ahead.
    pub horizon_months: u32,
    /// The horizon's last day.
    pub horizon_end: String,
    /// The rules file used.
    pub risk_rules: String,
    /// Regions in the AUC that were hit.
    pub positives: usize,
    /// Regions in the AUC that were not.
    pub negatives: usize,
    /// Regions left out (already under a ban, or without data).
    pub excluded: usize,
    /// ROC AUC of the scores (null without both hit and quiet regions).
    pub auc: Option<f64>,
    /// Its standard error (Hanley and McNeil 1982).
    pub auc_se: Option<f64>,
    /// The level from which a region counts as flagged.
    pub flag_from: String,
    /// Flagged and hit.
    pub hits: usize,
    /// Hit but not flagged.
    pub misses: usize,
    /// Flagged but not hit.
    pub false_alarms: usize,
    /// Neither flagged nor hit.
    pub quiet: usize,
    /// How far the sample can be trusted, in words.
    pub sample_note: String,
    /// Region by region.
    pub regions: Vec<RegionResult>,
}

/// Build the report from each region's score (or why it has none) and outcome.
pub fn report(
    model: &RiskModel,
    as_of: NaiveDate,
    horizon_months: u32,
    scored: Vec<(String, String, Result<super::Risk, String>)>,
) -> BacktestReport {
    let flag_floor = model.rules.level_floor(&model.rules.backtest.flag_from);
    let mut regions = Vec::new();
    let (mut hit_scores, mut quiet_scores) = (Vec::new(), Vec::new());
    let mut counts = Counts::default();
    let mut excluded = 0;
    for (code, name, risk) in scored {
        let outcome = outcome(model, &code, as_of, horizon_months);
        let (risk_score, risk_level, top) = match &risk {
            Ok(r) => (Some(r.score), Some(r.level.name()), top_reasons(r)),
            Err(why) => (None, None, why.clone()),
        };
        let (result, measures) = match (&outcome, risk_score) {
            (Outcome::Excluded(why), _) => {
                excluded += 1;
                ("excluded", why.clone())
            }
            (_, None) => {
                excluded += 1;
                ("excluded", "no score: no grid data".to_string())
            }
            (o, Some(s)) => {
                let flagged = f64::from(s) >= flag_floor;
                let came = matches!(o, Outcome::Hit(_));
                let list = match o {
                    Outcome::Hit(list) => list.join("; "),
                    _ => String::new(),
                };
                if came {
                    hit_scores.push(f64::from(s));
                } else {
                    quiet_scores.push(f64::from(s));
                }
                (counts.count(flagged, came), list)
            }
        };
        regions.push(RegionResult {
            region: code,
            name,
            risk_score,
            risk_level,
            result,
            measures,
            top_reasons: top,
        });
    }
    let auc_value = auc(&hit_scores, &quiet_scores);
    let se = auc_value.map(|a| auc_standard_error(a, hit_scores.len(), quiet_scores.len()));
    let sample_note = sample_note(auc_value, se, hit_scores.len(), quiet_scores.len());
    BacktestReport {
        schema: BACKTEST_SCHEMA,
        as_of: as_of.to_string(),
        horizon_months,
        horizon_end: horizon_end(as_of, horizon_months).to_string(),
        risk_rules: model.rules_label.clone(),
        positives: hit_scores.len(),
        negatives: quiet_scores.len(),
        excluded,
        auc: auc_value.map(|a| (a * 1e4).round() / 1e4),
        auc_se: se.map(|s| (s * 1e4).round() / 1e4),
        flag_from: model.rules.backtest.flag_from.clone(),
        hits: counts.hits,
        misses: counts.misses,
        false_alarms: counts.false_alarms,
        quiet: counts.quiet,
        sample_note,
        regions,
    }
}

/// The three reasons that gave the most points, most first.
fn top_reasons(r: &super::Risk) -> String {
    let mut reasons: Vec<_> = r.reasons.iter().filter(|x| x.points != 0.0).collect();
    reasons.sort_by(|a, b| b.points.total_cmp(&a.points));
    reasons
        .iter()
        .take(3)
        .map(|x| x.summary())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The scored regions' verdicts: flagged or not, against whether a measure came.
#[derive(Default)]
struct Counts {
    hits: usize,
    misses: usize,
    false_alarms: usize,
    quiet: usize,
}

impl Counts {
    /// Count one scored region and name its verdict.
    fn count(&mut self, flagged: bool, came: bool) -> &'static str {
        let (count, verdict) = match (flagged, came) {
            (true, true) => (&mut self.hits, "hit"),
            (false, true) => (&mut self.misses, "miss"),
            (true, false) => (&mut self.false_alarms, "false_alarm"),
            (false, false) => (&mut self.quiet, "quiet"),
        };
        *count += 1;
        verdict
    }
}

/// What the sample's size lets the AUC say.
fn sample_note(auc: Option<f64>, se: Option<f64>, positives: usize, negatives: usize) -> String {
    match (auc, se) {
        (Some(a), Some(_)) if a == 0.0 || a == 1.0 => format!(
            "{} regions hit and {} not: the ranking is perfect on this sample ({a:.0}), which the \
             Hanley-McNeil standard error (0 here) cannot qualify; a sample this small and this \
             correlated (a country and its provinces share events) says little beyond it",
            positives, negatives
        ),
        (Some(a), Some(se)) => format!(
            "{} regions hit and {} not: a sample this small gives the AUC of {:.3} a standard error of {:.3} \
             (Hanley-McNeil), roughly {:.2}-{:.2} at 95%; regions overlap (a country and its provinces) and \
             share events, so the cases are not independent and the true uncertainty is larger",
            positives,
            negatives,
            a,
            se,
            (a - 1.96 * se).max(0.0),
            (a + 1.96 * se).min(1.0)
        ),
        _ => format!(
            "no AUC: {} regions hit and {} not; the AUC needs at least one of each",
            positives, negatives
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_pairs_and_ties_count_half() {
        // Pairs (hit, quiet): (80,10) win, (80,50) win, (50,10) win, (50,50) tie: 3.5 of 4.
        assert_eq!(auc(&[80.0, 50.0], &[10.0, 50.0]), Some(0.875));
        assert_eq!(auc(&[10.0], &[20.0]), Some(0.0));
        assert_eq!(auc(&[], &[20.0]), None);
    }

    #[test]
    fn the_standard_error_follows_hanley_and_mcneil() {
        // A = 0.875, P = 2, N = 2: Q1 = 0.875/1.125 = 0.777778, Q2 = 2*0.765625/1.875 = 0.816667;
        // (0.109375 + 0.012153 + 0.051042) / 4 = 0.043142, sqrt = 0.207707.
        let se = auc_standard_error(0.875, 2, 2);
        assert!((se - 0.207707).abs() < 1e-6, "{se}");
    }
}
