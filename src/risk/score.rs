//! Scoring: each rule turns the events and the grid into points and reasons; the score is
//! their sum, capped to 0-100.

use chrono::NaiveDate;
use serde::Serialize;

use super::RiskModel;
use super::events::{PolicyEvent, Scope};
use super::rules::{Metric, Relation, Rule, RuleKind, Rules};

/// What the scorer needs to know about a site.
#[derive(Debug, Clone)]
pub struct RiskInput {
    /// The site's region (ISO 3166-2 or 3166-1).
    pub region: String,
    /// Coal share of the grid mix used.
    pub coal_share: f64,
    /// Fossil share of the grid mix used.
    pub fossil_share: f64,
    /// Hydro share of the grid mix used.
    pub hydro_share: f64,
    /// Carbon intensity of the mix, gCO2e/kWh.
    pub intensity_g_per_kwh: f64,
    /// The months with the most and least fossil power, where monthly data exists.
    pub seasonal: Option<SeasonalSwing>,
    /// Whose mix the shares and intensity are when not the region's own, in words
    /// (`Kazakhstan's national mix (KZ)`): the grid reasons name it.
    pub mix_of: Option<String>,
}

/// The seasonal range of a region's fossil share in one year of monthly data.
#[derive(Debug, Clone, PartialEq)]
pub struct SeasonalSwing {
    /// The region whose monthly data it is.
    pub region: String,
    /// The year.
    pub year: u16,
    /// The months (`1-2`, `8`) with the highest fossil share, and that share.
    pub high: (String, f64),
    /// The months with the lowest fossil share, and that share.
    pub low: (String, f64),
}

/// One reason behind a score.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reason {
    /// The rule that fired.
    pub rule: String,
    /// Points it added (after weights and the rule's cap), one decimal.
    pub points: f64,
    /// The value that fired it, in words.
    pub value: String,
    /// The event behind it, if any.
    pub event_id: Option<String>,
    /// The event's date, as precise as it is known.
    pub event_date: Option<String>,
    /// The event's type.
    pub event_type: Option<&'static str>,
    /// Which mining the event is aimed at.
    pub scope: Option<&'static str>,
    /// The jurisdiction of the event that relates to the site.
    pub jurisdiction: Option<String>,
    /// The event's source (address where known).
    pub source: Option<String>,
}

impl Reason {
    /// One line for CSV and tables: `rule +points: value [event date]`.
    pub fn summary(&self) -> String {
        let event = match (&self.event_id, &self.event_date) {
            (Some(id), Some(d)) => format!(" [{id} {d}]"),
            _ => String::new(),
        };
        format!("{} {:+}: {}{event}", self.rule, self.points, self.value)
    }

    /// A reason from the grid rather than an event.
    fn grid(rule: &Rule, points: f64, value: String) -> Reason {
        Reason {
            rule: rule.id.clone(),
            points: one_decimal(points),
            value,
            event_id: None,
            event_date: None,
            event_type: None,
            scope: None,
            jurisdiction: None,
            source: None,
        }
    }

    /// Summaries joined with "; ", for CSV.
    pub fn join(reasons: &[Reason]) -> String {
        reasons.iter().map(Reason::summary).collect::<Vec<_>>().join("; ")
    }
}

/// A site's risk.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Risk {
    /// 0-100.
    pub score: u8,
    /// low, elevated, high or severe.
    pub level: super::RiskLevel,
    /// Why, rule by rule.
    pub reasons: Vec<Reason>,
    /// Whether a reason is a measure in a neighbouring region, found through neighbours.csv
    /// (drawn from the boundaries): the output's `sources` then credit them (issue 22).
    #[serde(skip)]
    pub cites_neighbour: bool,
}

fn one_decimal(x: f64) -> f64 {
    let v = (x * 10.0).round() / 10.0;
    if v == 0.0 { 0.0 } else { v }
}

/// Linear from 0 points at `from` to `points` at `to`, flat outside.
fn linear(value: f64, from: f64, to: f64, points: f64) -> f64 {
    points * ((value - from) / (to - from)).clamp(0.0, 1.0)
}

pub(super) fn assess(model: &RiskModel, input: &RiskInput, as_of: NaiveDate) -> Risk {
    let mut reasons = Vec::new();
    let mut total = 0.0;
    let relations = model.relations_of(&input.region);
    for rule in &model.rules.rules {
        let fired = match rule.kind {
            RuleKind::Metric => metric_reason(rule, input).into_iter().collect(),
            RuleKind::DrySeason => dry_season_reason(rule, input).into_iter().collect(),
            _ => event_reasons(model, &relations, rule, input, as_of),
        };
        total += fired.iter().map(|r| r.points).sum::<f64>();
        reasons.extend(fired);
    }
    let score = total.clamp(0.0, 100.0).round();
    let neighbours: Vec<&str> = relations
        .iter()
        .flatten()
        .filter(|(relation, _)| *relation == Relation::Neighbour)
        .map(|(_, j)| *j)
        .collect();
    let cites_neighbour = reasons
        .iter()
        .any(|r| r.jurisdiction.as_deref().is_some_and(|j| neighbours.contains(&j)));
    Risk {
        // The cast is exact: `score` is a whole number from 0 to 100.
        score: score as u8,
        level: model.rules.level(score),
        reasons,
        cites_neighbour,
    }
}

fn metric_reason(rule: &Rule, input: &RiskInput) -> Option<Reason> {
    let (metric, from, to) = (rule.metric?, rule.from?, rule.to?);
    let value = match metric {
        Metric::CoalShare => input.coal_share,
        Metric::FossilShare => input.fossil_share,
        Metric::IntensityGPerKwh => input.intensity_g_per_kwh,
    };
    let shown = |x: f64| match metric {
        Metric::IntensityGPerKwh => format!("{x:.1} gCO2e/kWh"),
        _ => format!("{x:.3}"),
    };
    let whose = match &input.mix_of {
        Some(m) => format!(", from {m}"),
        None => String::new(),
    };
    Some(Reason::grid(
        rule,
        linear(value, from, to, rule.points),
        format!(
            "{} {} in {}{whose} (0 points at {}, {} at {})",
            metric.name(),
            shown(value),
            input.region,
            shown(from),
            rule.points,
            shown(to)
        ),
    ))
}

fn dry_season_reason(rule: &Rule, input: &RiskInput) -> Option<Reason> {
    let (min_hydro, from, to) = (rule.min_hydro_share?, rule.from?, rule.to?);
    let s = input.seasonal.as_ref()?;
    if input.hydro_share < min_hydro {
        return None;
    }
    let gap = s.high.1 - s.low.1;
    Some(Reason::grid(
        rule,
        linear(gap, from, to, rule.points),
        format!(
            "hydro share {:.3}, fossil share {:.3} in months {} vs {:.3} in months {} of {} {} (gap {:.3})",
            input.hydro_share, s.high.1, s.high.0, s.low.1, s.low.0, s.region, s.year, gap
        ),
    ))
}

/// Does `event` count for `rule` on `day`, and how is it described?
fn event_phrase(rule: &Rule, e: &PolicyEvent, day: NaiveDate) -> Option<String> {
    if !rule.types.contains(&e.kind) || !e.known_by(day) {
        return None;
    }
    let lookback = rule.lookback_months.unwrap_or(0);
    let kind = e.kind.name();
    match rule.kind {
        RuleKind::InForce => e.in_force(day).then(|| {
            let until = e.end.map(|d| format!(" until {d}")).unwrap_or_default();
            let season = e.season.as_ref().map(|s| format!(", season {s}")).unwrap_or_default();
            format!("{kind} in force since {}{until}{season}", e.effective)
        }),
        RuleKind::Announced => {
            let pending = !e.is_proposal() && e.effective > day;
            (pending || (e.is_proposal() && e.known_within(day, lookback))).then(|| {
                if pending {
                    format!("{kind} enacted {}, in force from {}", e.date, e.effective)
                } else {
                    format!("{kind} {} {}", e.status.name(), e.date)
                }
            })
        }
        RuleKind::Lapsed => {
            let end = e.end?;
            let recent = day
                .checked_sub_months(chrono::Months::new(lookback))
                .is_none_or(|from| end >= from);
            (!e.is_proposal() && end < day && recent).then(|| format!("{kind} of {} ended {end}", e.date))
        }
        RuleKind::Nearby => e
            .known_within(day, lookback)
            .then(|| format!("{kind} {} {}", e.status.name(), e.date)),
        RuleKind::History => {
            // A measure in force counts whatever its age, as the rule says ("or still in
            // force"): an adopted measure with no end date is standing, as a ban is, so
            // Kazakhstan's surplus-only grid access (KZ-2023-02-06) does not age out after the
            // lookback (issue 23). An episode whose length is not known carries the end of its
            // dated period in the events file, so it ages out with the lookback.
            let still = e.in_force(day);
            (still || (!e.is_proposal() && e.known_within(day, lookback))).then(|| {
                let state = match (still, e.end) {
                    (true, Some(_)) => ", in force",
                    (true, None) => ", in force (no end date: standing)",
                    (false, _) => "",
                };
                format!("{kind} {}{state}", e.date)
            })
        }
        RuleKind::Metric | RuleKind::DrySeason => None,
    }
}

/// The reasons a rule gives for the policy events related to the site: each event's points,
/// weighted, then counted strongest first up to the rule's cap.
fn event_reasons(
    model: &RiskModel,
    relations: &[Option<(Relation, &str)>],
    rule: &Rule,
    input: &RiskInput,
    day: NaiveDate,
) -> Vec<Reason> {
    let mut found: Vec<(f64, Reason)> = Vec::new();
    for (e, related) in model.events.iter().zip(relations) {
        let Some((relation, j)) = *related else {
            continue;
        };
        if !rule.relations.contains(&relation) {
            continue;
        }
        let Some(phrase) = event_phrase(rule, e, day) else {
            continue;
        };
        // A measure continued by a later one has not lapsed: the later one is scored instead.
        if rule.kind == RuleKind::Lapsed && model.events.iter().any(|later| later.continues(e, day)) {
            continue;
        }
        let (points, weights) = weighted_points(&model.rules, rule, e, input);
        let relation_text = match relation {
            Relation::Own => format!("in {j}"),
            other => format!("in {j} ({} of {})", other.name(), input.region),
        };
        let reason = Reason {
            rule: rule.id.clone(),
            points: 0.0,
            value: format!("{phrase} {relation_text}, scope {}{weights}", e.scope.name()),
            event_id: Some(e.id.clone()),
            event_date: Some(e.date.clone()),
            event_type: Some(e.kind.name()),
            scope: Some(e.scope.name()),
            jurisdiction: Some(j.to_string()),
            source: Some(e.citation().to_string()),
        };
        found.push((points, reason));
    }
    count_up_to_cap(found, rule.cap())
}

/// A rule's points for one event, weighted by the event's confidence, coverage and scope (and
/// the fossil share for a measure on fossil-powered mining), with the weights other than 1 in
/// words (`, x0.5 confidence x0.412 fossil share`), empty when none applies.
fn weighted_points(rules: &Rules, rule: &Rule, e: &PolicyEvent, input: &RiskInput) -> (f64, String) {
    let mut weights = Vec::new();
    let mut points = rule.points;
    for (w, label) in [
        (rules.confidence_weight(e.confidence), "confidence"),
        (rules.coverage_weight(e.coverage), "coverage"),
        (rules.scope_weight(e.scope), "scope"),
    ] {
        if w != 1.0 {
            points *= w;
            weights.push(format!("x{w} {label}"));
        }
    }
    if e.scope == Scope::FossilPowered {
        points *= input.fossil_share;
        weights.push(format!("x{:.3} fossil share", input.fossil_share));
    }
    let weights = if weights.is_empty() {
        String::new()
    } else {
        format!(", {}", weights.join(" "))
    };
    (points, weights)
}

/// Count the events' points strongest first, then newest, until the rule's cap (negative for a
/// rule that lowers the risk) is reached; a reason counted in part says so.
fn count_up_to_cap(mut found: Vec<(f64, Reason)>, cap: f64) -> Vec<Reason> {
    found.sort_by(|a, b| {
        b.0.abs()
            .total_cmp(&a.0.abs())
            .then_with(|| b.1.event_date.cmp(&a.1.event_date))
            .then_with(|| a.1.event_id.cmp(&b.1.event_id))
    });
    let mut used = 0.0;
    found
        .into_iter()
        .map(|(points, mut reason)| {
            let take = if cap >= 0.0 {
                points.min(cap - used).max(0.0)
            } else {
                points.max(cap - used).min(0.0)
            };
            used += take;
            reason.points = one_decimal(take);
            if (take - points).abs() > 1e-9 {
                reason.value.push_str(&format!(
                    " (counted {:.1} of {:.1}: the rule gives at most {cap})",
                    take, points
                ));
            }
            reason
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded rules with only `events` (policy-events.csv rows, header added).
    fn model_with(events: &str) -> RiskModel {
        let files = crate::grid::GridFiles::embedded();
        let grid = crate::grid::GridData::parse(&files).expect("embedded grid data");
        let header = "id,date,date_precision,effective_date,end_date,jurisdictions,coverage,type,scope,status,\
                      confidence,season,description,source,source_url,note\n";
        RiskModel::parse(
            &files.risk_rules,
            "embedded",
            &format!("{header}{events}"),
            "region,neighbours\n",
            &files.mining_regions,
            &grid,
        )
        .expect("test risk data")
    }

    fn kazakh_site() -> RiskInput {
        RiskInput {
            region: "KZ".into(),
            coal_share: 0.0,
            fossil_share: 0.0,
            hydro_share: 0.0,
            intensity_g_per_kwh: 0.0,
            seasonal: None,
            mix_of: None,
        }
    }

    fn history(model: &RiskModel, day: &str) -> Vec<(String, f64, String)> {
        let day = super::super::events::parse_day(day).expect("date");
        assess(model, &kazakh_site(), day)
            .reasons
            .into_iter()
            .filter(|r| r.rule == "rationing_history")
            .map(|r| (r.event_id.unwrap_or_default(), r.points, r.value))
            .collect()
    }

    // Issue 23: a rationing measure with no end date counted for 36 months only, so Kazakhstan's
    // surplus-only grid access (KZ-2023-02-06, in force) aged out in February 2026, though the
    // rule counts a measure "still in force". Adopted with no end date, it stands, as a ban does.
    #[test]
    fn an_adopted_rationing_with_no_end_date_counts_while_it_stands_past_the_lookback() {
        let m = model_with("standing,2020-01-10,day,,,KZ,whole,rationing,all,enacted,high,,d,s,,n\n");
        // Ten years on, well past the 36 months.
        assert_eq!(
            history(&m, "2030-01-10"),
            [(
                "standing".to_string(),
                15.0,
                "rationing 2020-01-10, in force (no end date: standing) in KZ, scope all".to_string()
            )]
        );
        // Not before it was public.
        assert_eq!(history(&m, "2020-01-09"), []);
    }

    #[test]
    fn a_rationing_episode_with_an_end_counts_for_the_lookback_only() {
        let m = model_with("episode,2020-01,month,,2020-01-31,KZ,whole,rationing,all,enacted,high,,d,s,,n\n");
        // Known from the month's last day, in force that day, then counted for 36 months.
        assert_eq!(
            history(&m, "2020-01-31"),
            [(
                "episode".to_string(),
                15.0,
                "rationing 2020-01, in force in KZ, scope all".to_string()
            )]
        );
        assert_eq!(
            history(&m, "2023-01-31"),
            [(
                "episode".to_string(),
                15.0,
                "rationing 2020-01 in KZ, scope all".to_string()
            )]
        );
        assert_eq!(history(&m, "2023-02-01"), []);
    }

    #[test]
    fn a_proposed_rationing_with_no_end_date_does_not_stand() {
        let m = model_with("bill,2020-01-10,day,,,KZ,whole,rationing,all,proposed,high,,d,s,,n\n");
        assert_eq!(history(&m, "2020-02-01"), []);
    }

    fn lapsed(model: &RiskModel, day: &str) -> Vec<(String, f64)> {
        let day = super::super::events::parse_day(day).expect("date");
        assess(model, &kazakh_site(), day)
            .reasons
            .into_iter()
            .filter(|r| r.rule == "measure_lapsed")
            .map(|r| (r.event_id.unwrap_or_default(), r.points))
            .collect()
    }

    // Issue 23: Manitoba's 2022 pause, ended 2024-04-30 and continued by the 2024 directive,
    // scored as a lapsed measure (+12.5) while its continuation scored as in force: one measure
    // counted twice.
    #[test]
    fn a_measure_continued_without_a_gap_does_not_count_as_lapsed() {
        let m = model_with(
            "first,2022-11-28,day,,2024-04-30,KZ,whole,moratorium,all,enacted,high,,d,s,,n\n\
             second,2024-04-15,day,,2026-04-30,KZ,whole,moratorium,all,enacted,high,,d,s,,n\n",
        );
        assert_eq!(lapsed(&m, "2025-01-01"), []);
        // Once the continuation ends too, the measure lapses once: 25 points.
        assert_eq!(lapsed(&m, "2026-05-01"), [("second".to_string(), 25.0)]);
    }

    #[test]
    fn a_measure_that_resumes_after_a_gap_leaves_the_first_one_lapsed() {
        // Abkhazia's shape: lifted 2020-09-21, banned again 2020-12-10.
        let m = model_with(
            "first,2018-12,month,,2020-09-21,KZ,whole,ban,all,repealed,high,,d,s,,n\n\
             second,2020-12-10,day,,,KZ,whole,ban,all,enacted,high,,d,s,,n\n",
        );
        assert_eq!(lapsed(&m, "2021-01-01"), [("first".to_string(), 25.0)]);
    }

    #[test]
    fn a_continuation_not_yet_public_leaves_the_first_measure_lapsed() {
        // Known on 2024-06-01 only, it cannot keep the first measure alive on 2024-05-15.
        let m = model_with(
            "first,2022-11-28,day,,2024-04-30,KZ,whole,moratorium,all,enacted,high,,d,s,,n\n\
             second,2024-06-01,day,2024-05-01,2026-04-30,KZ,whole,moratorium,all,enacted,high,,d,s,,n\n",
        );
        assert_eq!(lapsed(&m, "2024-05-15"), [("first".to_string(), 25.0)]);
        assert_eq!(lapsed(&m, "2024-06-01"), []);
    }

    #[test]
    fn a_metric_scores_linearly_between_its_bounds_and_flat_outside() {
        assert_eq!(linear(0.1, 0.2, 0.8, 20.0), 0.0);
        assert!((linear(0.5, 0.2, 0.8, 20.0) - 10.0).abs() < 1e-12);
        assert_eq!(linear(0.95, 0.2, 0.8, 20.0), 20.0);
    }
}
