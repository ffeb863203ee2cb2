//! `hashmix miners`: the catalogue a `model` column can name.

use std::io::Write;

use crate::Error;
use crate::cli::{ListFormat, MinersArgs};
use crate::commands::Outcome;
use crate::commands::target::Output;
use crate::grid::GridFiles;
use crate::miners::Catalogue;

/// Run `hashmix miners`.
pub fn run(args: &MinersArgs) -> Result<Outcome, Error> {
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
            let mut w = csv::Writer::from_writer(&mut out);
            for m in catalogue.miners() {
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
