//! `hashmix miners`: the catalogue a `model` column can name.

use std::io::Write;

use crate::Error;
use crate::cli::{ListFormat, MinersArgs};
use crate::commands::Outcome;
use crate::commands::target::Output;
use crate::grid::GridFiles;
use crate::miners::{Catalogue, Miner};
use crate::output::text::neutralise;

/// Run `hashmix miners`.
pub fn run(args: &MinersArgs) -> Result<Outcome, Error> {
    let csv = crate::settings::csv_options(&args.csv, args.format == ListFormat::Csv)?;
    let catalogue = Catalogue::parse(&GridFiles::embedded().miners)?;
    let mut out = Output::stdout();
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_else(|| "-".into());
    match args.format {
        ListFormat::Table => {
            writeln!(
                out,
                "{:<8} {:<32} {:>7} {:>6} {:>6}  release",
                "vendor", "model", "TH/s", "W", "J/TH"
            )?;
            for m in catalogue.miners() {
                writeln!(
                    out,
                    "{:<8} {:<32} {:>7} {:>6} {:>6}  {}",
                    m.vendor,
                    m.model,
                    opt(m.hashrate_ths),
                    opt(m.power_w),
                    m.efficiency_j_per_th,
                    m.release
                )?;
            }
        }
        ListFormat::Csv => {
            csv.begin(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            for m in catalogue.miners() {
                let text = |s: &str| neutralise(s, csv.formulas).into_owned();
                let m = Miner {
                    vendor: text(&m.vendor),
                    model: text(&m.model),
                    power_derived: text(&m.power_derived),
                    release: text(&m.release),
                    value_status: text(&m.value_status),
                    source: text(&m.source),
                    ..m.clone()
                };
                w.serialize(m).map_err(std::io::Error::other)?;
            }
            w.flush()?;
        }
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, catalogue.miners()).map_err(std::io::Error::other)?;
            writeln!(out)?;
        }
    }
    out.commit()?;
    Ok(Outcome::AllOk)
}
