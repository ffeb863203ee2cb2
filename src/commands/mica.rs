//! `hashmix mica`: MiCA sustainability indicators of a proof-of-work asset over a period.

use std::io::Write;

use serde_json::json;

use crate::Error;
use crate::cli::{MicaArgs, MicaFormat};
use crate::commands::Outcome;
use crate::commands::target::{Inputs, Output, PendingFile};
use crate::defaults::DEFAULT_PUE;
use crate::error::OptionsError;
use crate::grid::factors::FactorChoice;
use crate::grid::published::Basis;
use crate::mica::efficiency::{FLEET_YEARS, fleet};
use crate::mica::estimate::{Network, estimate};
use crate::mica::indicators::{RunFacts, indicators};
use crate::mica::inputs::{Geography, published_map, read_geography, read_series};
use crate::mica::write::{Doc, csv, html, json as doc_json, workbook};
use crate::mica::{MicaError, estimate::Estimate};
use crate::pipeline::{Assessor, Options};
use crate::settings::{assessor, output_file};

/// Hours in a day.
const HOURS_PER_DAY: f64 = 24.0;

fn usage(e: MicaError) -> Error {
    Error::Usage(e.to_string())
}

fn read(path: &std::path::Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn geography(file: Option<&std::path::Path>, month: Option<&str>) -> Result<Option<Geography>, Error> {
    match (file, month) {
        (Some(path), _) => read_geography(&path.display().to_string(), &read(path)?)
            .map(Some)
            .map_err(usage),
        (None, Some(m)) => published_map(m).map(Some).map_err(usage),
        (None, None) => Ok(None),
    }
}

/// Run `hashmix mica`.
pub fn run(args: &MicaArgs) -> Result<Outcome, Error> {
    if args.to < args.from {
        return Err(Error::Usage(format!("--to {} is before --from {}", args.to, args.from)));
    }
    let days = (args.to - args.from).num_days() + 1;
    let hours = days as f64 * HOURS_PER_DAY;
    let main = geography(args.geography.as_deref(), args.map.as_deref())?
        .ok_or_else(|| Error::Usage("give --geography FILE or --map YYYY-MM".into()))?;
    let compared = geography(args.compare_geography.as_deref(), args.compare_map.as_deref())?;
    let mut file_transactions = None;
    let (hashrate_ehs, hashrate_source) = match (&args.hashrate, args.hashrate_ehs) {
        (Some(path), _) => {
            let series = read_series(&path.display().to_string(), &read(path)?, args.from, args.to).map_err(usage)?;
            file_transactions = series.transactions.map(|n| (n, path.display().to_string()));
            (
                series.mean_ehs,
                format!("mean of {} from {} to {}", path.display(), args.from, args.to),
            )
        }
        (None, Some(h)) if crate::mica::inputs::plausible_ehs(h) => (h, "--hashrate-ehs, as given".to_string()),
        (None, h) => {
            return Err(Error::Usage(format!(
                "--hashrate-ehs {}: expected a network hashrate in EH/s, above 0 and at most {} (a figure in TH/s or H/s is too large)",
                h.map(|h| h.to_string()).unwrap_or_default(),
                crate::mica::inputs::MAX_HASHRATE_EHS
            )));
        }
    };
    if let Some(n) = args.transactions
        && !(n.is_finite() && n >= 1.0)
    {
        return Err(Error::Usage(format!("--transactions {n}: expected 1 or more")));
    }
    let (transactions, transactions_source) = match (args.transactions, file_transactions) {
        (Some(_), Some((_, file))) => {
            return Err(Error::Usage(format!(
                "--transactions and the transactions column of {file} both give the period's transactions; give one"
            )));
        }
        (Some(n), None) => (Some(n), "--transactions, as given".to_string()),
        (None, Some((n, _))) if n < 1.0 => {
            return Err(Error::Usage(format!(
                "{}: column transactions sums to {n} over the period; expected 1 or more",
                args.hashrate
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            )));
        }
        (None, Some((n, file))) => (
            Some(n),
            format!(
                "sum of the transactions column of {file} from {} to {}",
                args.from, args.to
            ),
        ),
        (None, None) => (None, "not given".to_string()),
    };
    let hashrate_source = with_source(hashrate_source, args.hashrate_source.as_deref());
    let transactions_source = match transactions {
        Some(_) => with_source(transactions_source, args.transactions_source.as_deref()),
        None => transactions_source,
    };
    let pue = args.pue.unwrap_or(DEFAULT_PUE);
    if !(1.0..=3.0).contains(&pue) {
        return Err(Error::Usage(format!("--pue {pue}: expected 1 to 3")));
    }
    let year =
        u16::try_from(chrono::Datelike::year(&args.to)).map_err(|_| Error::Usage("--to: year out of range".into()))?;
    let options = Options {
        year: Some(year),
        factors: Some(FactorChoice::Published),
        basis: Some(Basis::Direct),
        draws: args.draws.draws,
        seed: args.draws.seed,
        ..Options::default()
    };
    let out_inputs = Inputs::default().options(&options);
    let mut out = match (args.format, output_file(&args.output)) {
        (MicaFormat::Xlsx, Some(path)) => Output::File(PendingFile::for_workbook(path, &out_inputs)?),
        (MicaFormat::Xlsx, None) => return Err(Error::Usage("--format xlsx needs -o FILE.xlsx".into())),
        _ => Output::open(&args.output, &out_inputs)?,
    };
    // The grid of the period's last year; a period after the data's last year uses that year,
    // and says so (the figures are then the data's, not the period's).
    let mut year_note = None;
    let assessor = match Assessor::embedded(options.clone()) {
        Err(Error::Options(OptionsError::YearOutOfRange { asked, last, .. })) if asked > last => {
            year_note = Some(format!(
                "grids: the data end in {last}; the period ends in {asked}, so each region's grid is that of {last} or before"
            ));
            assessor(Options {
                year: Some(last),
                ..options
            })?
        }
        other => other.map_err(|e| match e {
            Error::Options(_) => Error::Usage(format!("--to {}: {e}", args.to)),
            e => e,
        })?,
    };
    let (j_per_th, efficiency_source) = match args.efficiency_j_per_th {
        Some(j) if j.is_finite() && (1.0..=10000.0).contains(&j) => (j, "--efficiency-j-per-th, as given".to_string()),
        Some(j) => {
            return Err(Error::Usage(format!(
                "--efficiency-j-per-th {j}: expected 1 to 10000 J/TH"
            )));
        }
        None => {
            let f = fleet(assessor.catalogue.miners(), args.to).ok_or_else(|| {
                Error::Usage(format!(
                    "no model of the miner catalogue was released in the {FLEET_YEARS} years before {}; give --efficiency-j-per-th",
                    args.to
                ))
            })?;
            let text = format!(
                "mean of the {} miner-catalogue models released in the {FLEET_YEARS} years before {} ({}), each counting equally, as CBECI did before its 2023 revision; {} models without a release date left out",
                f.models.len(),
                args.to,
                f.models.join("; "),
                f.undated
            );
            (f.j_per_th, text)
        }
    };
    let net = Network {
        hashrate_ehs,
        j_per_th,
        pue,
        pue_given: args.pue.is_some(),
        hours,
    };
    let facts = RunFacts {
        asset: args.asset.clone(),
        consensus: args.consensus.clone(),
        entity: args.entity.clone(),
        lei: args.lei.clone(),
        from: args.from,
        to: args.to,
        transactions,
        transactions_source,
        hashrate_source,
        efficiency_source,
        pue_source: match args.pue {
            Some(p) => format!("{p}, as given"),
            None => format!("{DEFAULT_PUE}, hashmix's default (src/defaults.rs: Bevand 2017)"),
        },
        factors_source: assessor.intensity_text(),
    };
    let est = estimate(&assessor, &main, &net).map_err(usage)?;
    let list = indicators(&est, &net, &facts);
    let other: Option<(Estimate, Vec<_>)> = match &compared {
        Some(g) => {
            let e = estimate(&assessor, g, &net).map_err(usage)?;
            let l = indicators(&e, &net, &facts);
            Some((e, l))
        }
        None => None,
    };
    let mut notes: Vec<String> = year_note.into_iter().collect();
    // The template expresses S.8 per calendar year; hashmix does not annualise a shorter or
    // longer period (a seasonal network would be misstated), it says so.
    if !(365..=366).contains(&days) {
        notes.push(format!(
            "S.8 and the other totals are the period's ({days} days), not annualised: the template expresses S.8 per calendar year"
        ));
    }
    notes.extend(est.notes.iter().cloned());
    let mut used = est.datasets;
    if let Some((e, _)) = &other {
        notes.extend(e.notes.iter().map(|n| format!("compared: {n}")));
        used = used.with(e.datasets);
    }
    let doc = Doc {
        main: &list,
        geography: &main.label,
        compared: other.as_ref().map(|(e, l)| (e.geography.as_str(), l.as_slice())),
        inputs: json!({
            "asset": args.asset,
            "from": args.from.to_string(),
            "to": args.to.to_string(),
            "hours": hours,
            "hashrate_ehs": hashrate_ehs,
            "efficiency_j_per_th": j_per_th,
            "pue": pue,
            "transactions": transactions,
            "factors": facts.factors_source,
            "regions": est.parts.iter().map(|p| json!({
                "region": p.region, "name": p.name, "share": p.share,
                "grid_kwh": p.grid_kwh, "off_grid_kwh": p.off_grid_kwh,
                "intensity_g_per_kwh": p.intensity_g_per_kwh, "intensity_source": p.intensity_source,
                "data_year": p.data_year, "renewable_share": p.renewable_share,
                "off_grid_g_per_kwh": p.off_grid_g_per_kwh,
            })).collect::<Vec<_>>(),
        }),
        notes: &notes,
        sources: serde_json::to_value(assessor.sources(used)).map_err(std::io::Error::other)?,
        uncertainty: serde_json::to_value(assessor.uncertainty()).map_err(std::io::Error::other)?,
    };
    if let (MicaFormat::Xlsx, Output::File(file)) = (args.format, &out) {
        workbook(&doc, file.path()).map_err(|e| Error::Output {
            path: file.target().to_path_buf(),
            message: e.to_string(),
        })?;
        out.commit()?;
        return Ok(Outcome::AllOk);
    }
    let bytes = match args.format {
        // Xlsx has returned above (a workbook always goes to a file).
        MicaFormat::Xlsx => return Err(Error::Usage("--format xlsx needs -o FILE.xlsx".into())),
        MicaFormat::Csv => csv(&doc),
        MicaFormat::Json => {
            let mut s = serde_json::to_string_pretty(&doc_json(&doc)).map_err(std::io::Error::other)?;
            s.push('\n');
            s
        }
        MicaFormat::Html => html(&doc),
    };
    out.write_all(bytes.as_bytes())?;
    out.commit()?;
    Ok(Outcome::AllOk)
}

/// How a figure was given, with the source the user named for it (`--hashrate-source`,
/// `--transactions-source`): S.9 must say where its inputs come from.
fn with_source(how: String, source: Option<&str>) -> String {
    match source.map(str::trim).filter(|s| !s.is_empty()) {
        Some(source) => format!("{how} (source: {source})"),
        None => how,
    }
}
