//! `hashmix backtest`: the risk score tested on the past.

use std::io::Write;

use crate::Error;
use crate::cli::{BacktestArgs, BacktestFormat};
use crate::commands::Outcome;
use crate::commands::target::{Inputs, Output};
use crate::compare::region_mix;
use crate::grid::UsedDatasets;
use crate::output::text::visible;
use crate::pipeline::Assessor;
use crate::risk::Risk;
use crate::risk::backtest::{BacktestReport, report};
use crate::settings::Options;

/// The datasets.csv id of the Cambridge Bitcoin Mining Map, whose regions the backtest scores
/// (mining-regions.csv).
const MINING_MAP: &str = "ccaf-mining-map";

/// The JSON document: the backtest, then the datasets it used (issue 22).
#[derive(serde::Serialize)]
struct BacktestDoc<'a> {
    #[serde(flatten)]
    report: &'a BacktestReport,
    sources: Vec<crate::grid::Dataset>,
}

/// Run `hashmix backtest`.
pub fn run(args: &BacktestArgs) -> Result<Outcome, Error> {
    let inputs = Inputs::default()
        .file(args.risk_rules.as_deref())
        .folder(args.grid_data.as_deref());
    let mut out = Output::open(&args.output, &inputs)?;
    let assessor = crate::settings::assessor(Options {
        grid_data: args.grid_data.clone(),
        as_of: Some(args.as_of),
        risk_rules: args.risk_rules.clone(),
        ..Options::default()
    })?;
    // The regions come from the CCAF mining map; each scored one adds its mix's datasets.
    let mut used = UsedDatasets::NONE;
    used.mark_if(assessor.grid.dataset_index(MINING_MAP));
    let scored = assessor
        .risk
        .mining_regions
        .iter()
        .map(|m| {
            let scored = score(&assessor, &m.region).map(|(risk, datasets)| {
                used.merge(datasets);
                risk
            });
            (m.region.clone(), m.name.clone(), scored)
        })
        .collect();
    let result = report(&assessor.risk, args.as_of, args.horizon_months, scored);
    match args.format {
        BacktestFormat::Json => {
            let doc = BacktestDoc {
                report: &result,
                sources: assessor.sources(used),
            };
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::other)?;
            writeln!(out)?;
        }
        BacktestFormat::Table => table(&mut out, &result)?,
    }
    out.commit()?;
    Ok(Outcome::AllOk)
}

/// The risk model's score of a region today, from the mix a site there gets, and the
/// datasets it drew on; the error says why the region cannot be scored. The risk model is
/// asked directly: no machine's figures are worked out (issue 21: layers one way).
fn score(assessor: &Assessor, code: &str) -> Result<(Risk, UsedDatasets), String> {
    let found = region_mix(assessor, code).map_err(|e| e.to_string())?;
    let risk = assessor.risk_of(&found.region.code, &found.mix).risk;
    let datasets = assessor.mix_datasets(&found.mix, &risk);
    Ok((risk, datasets))
}

fn table(out: &mut dyn Write, r: &BacktestReport) -> std::io::Result<()> {
    writeln!(
        out,
        "risk as of {}, measures up to {} ({} months); rules: {}",
        r.as_of, r.horizon_end, r.horizon_months, r.risk_rules
    )?;
    writeln!(
        out,
        "{:<7} {:<16} {:>5} {:<9} {:<12} measures in the horizon",
        "region", "name", "score", "level", "result"
    )?;
    for x in &r.regions {
        writeln!(
            out,
            "{:<7} {:<16} {:>5} {:<9} {:<12} {}",
            visible(&x.region),
            visible(&x.name).chars().take(16).collect::<String>(),
            x.risk_score.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
            x.risk_level.unwrap_or("-"),
            x.result,
            visible(&x.measures)
        )?;
    }
    let auc = match (r.auc, r.auc_se) {
        (Some(a), Some(se)) => format!("{a:.3} (standard error {se:.3})"),
        _ => "none".into(),
    };
    writeln!(
        out,
        "\nROC AUC {auc}; {} hit, {} not hit, {} excluded\nflagged from {}: {} hits, {} misses, {} false alarms, {} quiet\n{}",
        r.positives, r.negatives, r.excluded, r.flag_from, r.hits, r.misses, r.false_alarms, r.quiet, r.sample_note
    )
}
