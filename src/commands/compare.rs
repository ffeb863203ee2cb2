//! `hashmix compare`: regions side by side.

use std::io::Write;

use serde::Serialize;

use crate::Error;
use crate::cli::{CompareArgs, CompareFormat};
use crate::commands::Outcome;
use crate::commands::target::{Inputs, Output, PendingFile};
use crate::compare::{COMPARE_FIELDS, COMPARE_SCHEMA, CompareRecord, compare};
use crate::grid::{Dataset, UsedDatasets};
use crate::output::cells::{CsvLayout, write_header, write_site_row};
use crate::output::text::visible;
use crate::settings::{self, CompareSettings, output_file};
use crate::source::Source;

/// The JSON document, fields in this order.
#[derive(Serialize)]
struct CompareDoc<'a> {
    schema: &'static str,
    efficiency_j_per_th: f64,
    pue: f64,
    factors: &'a str,
    risk_as_of: String,
    risk_rules: &'a str,
    regions: &'a [CompareRecord],
    sources: Vec<Dataset>,
    uncertainty: Option<crate::uncertainty::UncertaintyInfo>,
}

/// The legend of the `mix of` column, written when a region used another region's mix.
pub const BORROWED_LEGEND: &str =
    "* mix of: the region has no generation data of its own; the mix shown is that of the region named (its country)";

/// Run `hashmix compare`.
pub fn run(args: &CompareArgs) -> Result<Outcome, Error> {
    let settings = CompareSettings::from_args(args)?;
    let (efficiency, pue) = (settings.efficiency_j_per_th, settings.pue_or_default());
    let csv = settings.csv;
    // The output is checked and started before any work (see `target`).
    let inputs = Inputs::default().options(&settings.options);
    let mut out = match (settings.format, output_file(&settings.output)) {
        (CompareFormat::Xlsx, Some(path)) => Output::File(PendingFile::for_workbook(path, &inputs)?),
        _ => Output::open(&settings.output, &inputs)?,
    };
    let assessor = settings::assessor(settings.options.clone())?;
    let mut records = Vec::new();
    for code in &settings.regions {
        let r = compare(&assessor, code, efficiency, settings.pue).map_err(|e| Error::Usage(e.to_string()))?;
        records.push(r);
    }
    print_warnings(&mut std::io::stderr().lock(), &records);
    let factors = assessor.intensity_text();
    let doc = CompareDoc {
        schema: COMPARE_SCHEMA,
        efficiency_j_per_th: efficiency,
        pue,
        factors: &factors,
        risk_as_of: assessor.as_of.to_string(),
        risk_rules: &assessor.risk.rules_label,
        regions: &records,
        // The datasets of the regions compared, not every dataset hashmix ships (issue 22).
        sources: assessor.sources(records.iter().fold(UsedDatasets::NONE, |used, r| used.with(r.datasets))),
        uncertainty: assessor.uncertainty(),
    };
    if let (CompareFormat::Xlsx, Output::File(file)) = (settings.format, &out) {
        let mut settings = serde_json::to_value(&doc).map_err(std::io::Error::other)?;
        if let Some(map) = settings.as_object_mut() {
            map.retain(|k, _| !matches!(k.as_str(), "regions" | "sources" | "uncertainty"));
        }
        let sites: Vec<_> = records.iter().map(CompareRecord::site).collect();
        crate::output::xlsx::compare(
            file.path(),
            &CompareRecord::columns(),
            &sites,
            &settings,
            &doc.sources,
            doc.uncertainty.as_ref(),
        )
        .map_err(|e| Error::Output {
            path: file.target().to_path_buf(),
            message: e.to_string(),
        })?;
        out.commit()?;
        return Ok(Outcome::AllOk);
    }
    match settings.format {
        // Xlsx has returned above.
        CompareFormat::Table | CompareFormat::Xlsx => table(&mut out, &records, efficiency, pue)?,
        CompareFormat::Csv => {
            csv.begin(&mut out)?;
            let layout = CsvLayout::new(&CompareRecord::columns(), csv.formulas);
            let mut bytes = Vec::new();
            write_header(&COMPARE_FIELDS, &mut bytes);
            for r in &records {
                write_site_row(&r.site(), &layout, &mut bytes);
            }
            out.write_all(&bytes)?;
        }
        CompareFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::other)?;
            writeln!(out)?;
        }
    }
    out.commit()?;
    Ok(Outcome::AllOk)
}

/// Print each region's warning (stale data) to standard error (`out`), as assess does for a
/// site's, as `CODE: warning: ...`: the table's notes come last and a script reading the CSV or
/// JSON would not see it otherwise. Errors writing to standard error are ignored.
fn print_warnings(out: &mut impl Write, records: &[CompareRecord]) {
    for r in records {
        if let Some(warning) = &r.region.stale_warning {
            let _ = writeln!(out, "{}: warning: {}", visible(&r.region.region), visible(warning));
        }
    }
}

fn table(out: &mut dyn Write, records: &[CompareRecord], efficiency: f64, pue: f64) -> std::io::Result<()> {
    // A grid zone's row has no shares: a dash, never 0.
    let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{:.1}", v * 100.0));
    writeln!(
        out,
        "{:<7} {:<22} {:<11} {:<8} {:<7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7} {:>9} {:>9} {:>11}  risk",
        "region",
        "name",
        "level",
        "data",
        "mix of",
        "coal%",
        "gas%",
        "oil%",
        "nucl%",
        "hydro%",
        "wind%",
        "solar%",
        "bio%",
        "geo+%",
        "fossil%",
        "gCO2/kWh",
        "g/TH",
        "kg/TH/s-day"
    )?;
    let mut any_borrowed = false;
    for record in records {
        let r = &record.region;
        let sh = |source: Source| r.mix.shares.map(|s| s[source.index()]);
        let data = match &r.data_month {
            Some(m) => format!("{}/{m}", r.data_year),
            None => r.data_year.to_string(),
        };
        // A parent's mix is marked with its code and `*`, never shown as the region's own
        // (issue 20), as in assess's table.
        let borrowed = (r.data_region != r.region).then(|| format!("{}*", r.data_region));
        any_borrowed |= borrowed.is_some();
        writeln!(
            out,
            "{:<7} {:<22} {:<11} {:<8} {:<7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7} {:>9.1} {:>9.6} {:>11.4}  {} {}",
            visible(&r.region),
            visible(&r.region_name).chars().take(22).collect::<String>(),
            r.level.name(),
            data,
            visible(borrowed.as_deref().unwrap_or("")),
            pct(sh(Source::Coal)),
            pct(sh(Source::Gas)),
            pct(sh(Source::Oil)),
            pct(sh(Source::Nuclear)),
            pct(sh(Source::Hydro)),
            pct(sh(Source::Wind)),
            pct(sh(Source::Solar)),
            pct(sh(Source::Bioenergy)),
            pct(sh(Source::OtherRenewables)),
            pct(r.mix.fossil_share),
            r.mix.intensity_g_per_kwh.unwrap_or_default(),
            record.figures.co2_g_per_th.unwrap_or_default(),
            record.figures.co2_kg_per_ths_day.unwrap_or_default(),
            r.risk.risk.level,
            r.risk.risk.score,
        )?;
        if let Some(line) = crate::output::interval_line(&record.figures.intervals) {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(
        out,
        "\nreference machine: {efficiency} J/TH at PUE {pue}; geo+ = geothermal, tidal and wave (other renewables)"
    )?;
    if any_borrowed {
        writeln!(out, "{BORROWED_LEGEND}")?;
    }
    if let Some(first) = records.first() {
        writeln!(
            out,
            "risk as of {} (reasons: --format json or csv; method: METHOD.md)",
            first.region.risk_as_of
        )?;
    }
    for r in records.iter().filter(|r| !r.notes.is_empty()) {
        writeln!(out, "{}: {}", visible(&r.region.region), visible(&r.notes))?;
    }
    Ok(())
}
