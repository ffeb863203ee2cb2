//! Command-line definitions only: parsed once here, checked into typed settings by
//! [`crate::settings`].

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::output::Format;

/// What electricity does a Bitcoin mining site run on? Grid mix, carbon intensity and CO2
/// per terahash for mining sites, from public data embedded in the binary.
#[derive(Debug, Parser)]
#[command(name = "hashmix", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Assess mining sites: region, generation mix, intensity, energy and CO2.
    ///
    /// Exit codes: 0 every row ok; 1 some rows failed (the output is still complete);
    /// 2 the input, the options or the data cannot be used at all.
    Assess(AssessArgs),
    /// List the miner catalogue (models usable in the `model` column).
    Miners(MinersArgs),
    /// List the regions: codes, names, levels, parents and data coverage; or, with
    /// `--format geojson`, their boundaries.
    Regions(RegionsArgs),
    /// Compare regions side by side: shares, intensity, CO2 per terahash of a reference
    /// machine, and crackdown risk.
    Compare(CompareArgs),
    /// Draw a map of every region (or one country's, or the grid zones) shaded by grid
    /// intensity, coal share, low-carbon share or crackdown-risk score: a self-contained HTML
    /// page (`-o FILE.html`) or SVG (`-o FILE.svg`, or standard output).
    Map(MapArgs),
    /// Write a report people read: one self-contained HTML file (`-o FILE.html`) with a
    /// summary, charts, a map, the sites, the method and the sources; or Markdown (`-o FILE.md`)
    /// with the charts as SVG files beside it.
    Report(ReportArgs),
    /// MiCA sustainability indicators (Delegated Regulation (EU) 2025/422) of a proof-of-work
    /// asset over a period: energy, renewable share, Scope 1 and 2, per transaction, with 90%
    /// intervals; optionally against a second geography on the same draws.
    Mica(MicaArgs),
    /// Test the risk score on the past: score the regions that have hosted mining as of a
    /// date and compare with the measures that came within the horizon (ROC AUC).
    Backtest(BacktestArgs),
}

/// Parse `YYYY-MM-DD`.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::risk::events::read_day(text)
}

/// Arguments of `hashmix report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Sites: a CSV or GeoJSON file, or `-` for standard input
    pub sites: String,

    /// The report to write: `.html` (self-contained) or `.md` (charts as .svg files beside it)
    #[arg(short = 'o', long, value_name = "FILE", required = true)]
    pub output: PathBuf,

    /// No progress bar on standard error
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// The report's title [default: the input file's name, without its folder]
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// What the results depend on: year, month, factors, grid data, risk and draws.
    #[command(flatten)]
    pub model: ModelArgs,

    /// Contractual instruments and residual mixes for the market-based Scope 2.
    #[command(flatten)]
    pub accounting: AccountingArgs,
}

/// The market-based Scope 2's inputs (issue 24), for assess and report.
#[derive(Debug, Args, Clone, Default)]
pub struct AccountingArgs {
    /// Contractual instruments (CSV or XLSX): one row per certificate, PPA or supplier rate,
    /// header `site_id,type,mwh,source,vintage,market,tracking_id,retired` (optional
    /// `g_per_kwh`). Needs --year, the reporting year
    #[arg(long, value_name = "FILE")]
    pub instruments: Option<String>,

    /// Residual mixes (CSV or XLSX, header `region,year,g_per_kwh,source`) for the grid power
    /// no instrument or supplier rate covers; without one the market-based Scope 2 falls back
    /// to the location-based factor, flagged. Needs --year
    #[arg(long, value_name = "FILE")]
    pub residual_mix: Option<String>,

    /// Months before and after the reporting year within which a certificate's vintage still
    /// counts, where the user's programme documents such a window (0: the year only)
    #[arg(long, value_name = "MONTHS", default_value_t = 0)]
    pub vintage_window_months: u8,
}

/// The options that change the results of assess, compare and report.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// What intensities count: `direct` (combustion at the plant, the GHG Protocol's Scope 2
    /// basis of eGRID, MEE and NIR) or `lifecycle` (with upstream and construction: IPCC AR5,
    /// Ember). Default: direct.
    #[arg(long, value_name = "direct|lifecycle")]
    pub basis: Option<String>,

    /// Where intensities come from: `published` (a grid zone's or region's published rate on
    /// the basis, else the mix x the basis' IPCC factors; default), `ipcc` (the mix x the basis'
    /// IPCC AR5 factors), or a CSV file with columns source,g_per_kwh (and optionally min,max)
    /// on the basis given. `lifecycle` and `direct` mean `ipcc` on that basis.
    #[arg(long, value_name = "published|ipcc|FILE")]
    pub factors: Option<String>,

    /// Read grid data from this directory instead of the copy built into the binary.
    #[arg(long, value_name = "DIR")]
    pub grid_data: Option<PathBuf>,

    /// Use this month's generation mix (1-12) where monthly data exists (China's provinces);
    /// annual data elsewhere, noted. Energy per year still counts the whole year (or the
    /// site's `months`).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=12))]
    pub month: Option<u8>,

    /// Use this year's generation mix; a region without it uses its nearest earlier year, else
    /// its own nearest later one (never its parent's while it has data of its own), noted. A
    /// year after the newest data is refused. Default: each region's latest year.
    #[arg(long)]
    pub year: Option<u16>,

    /// Crackdown-risk options.
    #[command(flatten)]
    pub risk: RiskArgs,

    /// Monte Carlo options.
    #[command(flatten)]
    pub draws: DrawArgs,
}

/// Options of the Monte Carlo intervals, shared by assess, compare and report.
#[derive(Debug, Args)]
pub struct DrawArgs {
    /// Monte Carlo draws behind the 90% intervals (the `_p05`, `_p50`, `_p95` fields); 0
    /// turns them off
    #[arg(long, value_name = "N", default_value_t = crate::uncertainty::DEFAULT_DRAWS)]
    pub draws: usize,

    /// Seed of the draws: the same input, options and seed give the same output
    #[arg(long, value_name = "S", default_value_t = crate::uncertainty::DEFAULT_SEED)]
    pub seed: u64,
}

/// Options of crackdown-risk scoring, shared by assess and compare.
#[derive(Debug, Args)]
pub struct RiskArgs {
    /// Score risk as of this date (YYYY-MM-DD): only policy events public by then count, and
    /// the mix is the year before it unless --year says otherwise (never later than its year,
    /// not even a region's own nearest year: a region whose data all come later uses its
    /// parent's, noted).
    /// Default: the rules' `default_as_of`. Latest date accepted: the date the policy events run
    /// to (the `default_as_of` of the risk-rules.toml shipped with them, or their last event's
    /// date if later; --risk-rules does not move it). A one-digit month or day (`2021-3-1`) is
    /// read as everywhere else.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,

    /// Read the risk rules and weights from this TOML file instead of the embedded
    /// risk-rules.toml (copy it to start; see METHOD.md).
    #[arg(long, value_name = "FILE")]
    pub risk_rules: Option<PathBuf>,
}

/// How CSV output is written, shared by assess, compare, regions and miners (`--format csv`).
#[derive(Debug, Args)]
pub struct CsvArgs {
    /// CSV: write text cells that begin with =, +, -, @, a tab or a carriage return as they
    /// are. By default such a cell gets a leading ' so that a spreadsheet shows it as text
    /// instead of running it as a formula (OWASP's advice against CSV injection); number cells,
    /// negative ones included, are never changed.
    #[arg(long)]
    pub allow_formulas: bool,

    /// CSV: begin with a UTF-8 byte-order mark, so that Excel reads the file as UTF-8 and
    /// shows `Québec` rather than `QuÃ©bec`.
    #[arg(long, visible_alias = "excel")]
    pub bom: bool,
}

/// Options of `hashmix backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// Score the regions as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date, required = true)]
    pub as_of: NaiveDate,

    /// Output format.
    #[arg(long, value_enum, default_value_t = BacktestFormat::Table)]
    pub format: BacktestFormat,

    /// Read grid data from this directory instead of the copy built into the binary.
    #[arg(long, value_name = "DIR")]
    pub grid_data: Option<PathBuf>,

    /// Months after the as-of date in which a measure counts as foreseen.
    #[arg(long, value_name = "N", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub horizon_months: u32,

    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Read the risk rules from this TOML file instead of the embedded risk-rules.toml.
    #[arg(long, value_name = "FILE")]
    pub risk_rules: Option<PathBuf>,
}

/// Formats of `hashmix backtest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BacktestFormat {
    /// Aligned columns and a summary.
    Table,
    /// `{"schema": "hashmix.backtest.v1", "auc": ..., "regions": [...]}`.
    Json,
}

/// Options of `hashmix map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// What shades the regions.
    #[arg(long, value_enum, default_value_t = MapBy::Intensity)]
    pub by: MapBy,

    /// Only this country (ISO 3166-1 alpha-2), with its provinces or states.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,

    /// Draw the grid zones (eGRID subregions, bidding zones) instead of provinces and states.
    #[arg(long)]
    pub zones: bool,

    /// The map's title [default: what it shows, and where].
    #[arg(long)]
    pub title: Option<String>,

    /// Write to this file: `.html` (a page around the map) or `.svg`; `-` or none: SVG to
    /// standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// What the figures depend on: year, month, factors, grid data and risk (draws are not
    /// used).
    #[command(flatten)]
    pub model: ModelArgs,
}

/// What shades `hashmix map`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MapBy {
    /// Grid intensity on the run's basis, gCO2e/kWh.
    Intensity,
    /// Coal's share of generation.
    Coal,
    /// Nuclear and renewables' share of generation.
    LowCarbon,
    /// Crackdown-risk score, 0-100, as of --as-of.
    Risk,
}

/// Options of `hashmix regions`.
#[derive(Debug, Args)]
pub struct RegionsArgs {
    /// Only this country (ISO 3166-1 alpha-2) and its provinces or states.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,

    /// Only one level: 0 = countries, 1 = provinces and states, 2 = grid zones (eGRID
    /// subregions, bidding zones).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=2))]
    pub level: Option<u8>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = RegionsFormat::Table)]
    pub format: RegionsFormat,

    /// Read grid data from this directory instead of the copy built into the binary.
    #[arg(long, value_name = "DIR")]
    pub grid_data: Option<PathBuf>,

    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// How CSV is written.
    #[command(flatten)]
    pub csv: CsvArgs,
}

/// Formats of `hashmix regions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RegionsFormat {
    /// Aligned columns.
    Table,
    /// CSV with a header.
    Csv,
    /// `{"schema": "hashmix.regions.v3", "regions": [...]}`.
    Json,
    /// The boundaries: a FeatureCollection, one MultiPolygon per region, the code in `region`.
    Geojson,
}

/// Options of `hashmix compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Region codes: ISO 3166-1 (`KZ`), ISO 3166-2 (`CN-SC`, `US-TX`, `KZ-55`, or a former
    /// code such as `KZ-PAV`), or `WORLD`.
    #[arg(required = true, value_name = "REGION")]
    pub regions: Vec<String>,

    /// Reference machine efficiency, J/TH, 1 to 10000 [default: 29.5, the Antminer S19j Pro].
    #[arg(long, value_name = "J/TH")]
    pub efficiency: Option<f64>,

    /// Reference PUE [default: 1.05, as for sites without one].
    #[arg(long)]
    pub pue: Option<f64>,

    /// Output format (`xlsx` needs `-o FILE.xlsx`).
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,

    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// How CSV is written.
    #[command(flatten)]
    pub csv: CsvArgs,

    /// What the results depend on: year, month, factors, grid data, risk and draws.
    #[command(flatten)]
    pub model: ModelArgs,
}

/// Options of `hashmix assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// No progress bar on standard error.
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// The sites: a CSV, GeoJSON or Excel (.xlsx) file, or `-` for standard input.
    pub sites: String,

    /// Stop at the first bad row (exit code 1) instead of reporting it and going on. A file
    /// named with -o is then not written (a previous one is left as it was); standard output
    /// ends with the rows before the stop.
    #[arg(long)]
    pub strict: bool,

    /// Write only these site fields (comma-separated names from the CSV header), in the
    /// header's order; status and error are always written. For csv, json, ndjson, geojson
    /// and xlsx.
    #[arg(long, value_name = "FIELD,...")]
    pub columns: Option<String>,

    /// How CSV is written.
    #[command(flatten)]
    pub csv: CsvArgs,

    /// What the results depend on: year, month, factors, grid data, risk and draws.
    #[command(flatten)]
    pub model: ModelArgs,

    /// Contractual instruments and residual mixes for the market-based Scope 2.
    #[command(flatten)]
    pub accounting: AccountingArgs,
}

/// Options of `hashmix miners`.
#[derive(Debug, Args)]
pub struct MinersArgs {
    /// Output format: table, csv or json.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,

    /// How CSV is written.
    #[command(flatten)]
    pub csv: CsvArgs,
}

/// Options of `hashmix mica`.
#[derive(Debug, Args)]
pub struct MicaArgs {
    /// The crypto-asset's name (S.3).
    #[arg(long, default_value = "Bitcoin")]
    pub asset: String,

    /// A second geography to compare on the same draws: a CSV as for --geography.
    #[arg(long, value_name = "FILE", conflicts_with = "compare_map")]
    pub compare_geography: Option<PathBuf>,

    /// A second geography to compare: the published map of this month (YYYY-MM).
    #[arg(long, value_name = "YYYY-MM")]
    pub compare_map: Option<String>,

    /// The consensus mechanism (S.4).
    #[arg(long, default_value = "Proof-of-work (SHA-256)")]
    pub consensus: String,

    /// Fleet efficiency, J/TH [default: the catalogue's models of the five years before --to].
    #[arg(long, value_name = "J/TH")]
    pub efficiency_j_per_th: Option<f64>,

    /// The reporting entity's name (S.1).
    #[arg(long)]
    pub entity: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = MicaFormat::Csv)]
    pub format: MicaFormat,

    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub from: NaiveDate,

    /// Where the hashrate is: a CSV `region,share[,off_grid_share,off_grid_g_per_kwh]`.
    #[arg(long, value_name = "FILE", conflicts_with = "map")]
    pub geography: Option<PathBuf>,

    /// Hashrate series: a CSV `date,hashrate_ehs[,transactions]`, one row per day of the period;
    /// its mean (and the transactions' sum) over the period is used.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "hashrate_ehs",
        required_unless_present = "hashrate_ehs"
    )]
    pub hashrate: Option<PathBuf>,

    /// The period's mean network hashrate, EH/s (above 0, at most 100,000).
    #[arg(long, value_name = "EH/S")]
    pub hashrate_ehs: Option<f64>,

    /// Where the hashrate comes from (a dataset, a node), written into S.9 beside it.
    #[arg(long, value_name = "TEXT")]
    pub hashrate_source: Option<String>,

    /// The reporting entity's legal entity identifier (S.2).
    #[arg(long)]
    pub lei: Option<String>,

    /// Where the hashrate is: CCAF's published map of this month (YYYY-MM, 2019-09 to 2021-08
    /// or 2022-01).
    #[arg(long, value_name = "YYYY-MM")]
    pub map: Option<String>,

    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// PUE [default: 1.05, drawn 1.01-1.20 as in assess].
    #[arg(long)]
    pub pue: Option<f64>,

    /// Last day of the period (YYYY-MM-DD), included.
    #[arg(long, value_parser = parse_date)]
    pub to: NaiveDate,

    /// Transactions validated in the period (for S.11 and S.14).
    #[arg(long, value_name = "N")]
    pub transactions: Option<f64>,

    /// Where the transactions come from, written into S.9 beside them.
    #[arg(long, value_name = "TEXT")]
    pub transactions_source: Option<String>,

    /// The draws.
    #[command(flatten)]
    pub draws: DrawArgs,
}

/// Formats of `hashmix mica`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MicaFormat {
    /// One row per indicator, values in the template's format.
    Csv,
    /// One JSON document (`hashmix.mica.v1`).
    Json,
    /// The filled template as a page ready to publish.
    Html,
    /// An Excel workbook (needs `-o FILE.xlsx`): sheets Indicators and Notes.
    Xlsx,
}

/// Formats of `hashmix compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// Aligned columns.
    Table,
    /// CSV with a header.
    Csv,
    /// One JSON document.
    Json,
    /// An Excel workbook: sheets Regions, Settings, Sources.
    Xlsx,
}

/// Formats for listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// Aligned columns.
    Table,
    /// CSV with a header.
    Csv,
    /// A JSON array.
    Json,
}
