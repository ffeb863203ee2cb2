//! `hashmix backtest`: the risk score tested on the past.

use std::io::Write;

use crate::Error;
use crate::cli::{BacktestArgs, BacktestFormat};
use crate::commands::Outcome;
use crate::commands::target::{Inputs, Output};
use crate::compare::DEFAULT_EFFICIENCY_J_PER_TH;
use crate::output::text::visible;
use crate::risk::backtest::{BacktestReport, report};
use crate::settings::Options;
use crate::sites::DEFAULT_PUE;

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
    let scored = assessor
        .risk
        .mining_regions
        .iter()
        .map(|m| {
            let risk = assessor
                .compare(&m.region, DEFAULT_EFFICIENCY_J_PER_TH, Some(DEFAULT_PUE))
                .map(|r| r.region.risk.risk)
                .map_err(|e| e.to_string());
            (m.region.clone(), m.name.clone(), risk)
        })
        .collect();
    let result = report(&assessor.risk, args.as_of, args.horizon_months, scored);
    match args.format {
        BacktestFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &result).map_err(std::io::Error::other)?;
            writeln!(out)?;
        }
        BacktestFormat::Table => table(&mut out, &result)?,
    }
    out.commit()?;
    Ok(Outcome::AllOk)
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
