//! The options that change a result, as the library receives them.

use std::path::PathBuf;

use crate::grid::factors::FactorChoice;
use crate::grid::published::Basis;

/// The options that change a result, as typed values: what the library receives (from
/// `settings::model_options` for the CLI, or built by a program). [`super::Assessor::embedded`] checks
/// them against the data and returns an [`crate::error::OptionsError`] for one the data rules out.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use this year's mix (or the nearest earlier one); `None` = each region's latest.
    pub year: Option<u16>,
    /// Use this month's mix where monthly data exists (1-12).
    pub month: Option<u8>,
    /// Where intensities come from: published rates first, the IPCC factors, or a file;
    /// `None` = [`DEFAULT_FACTORS`].
    pub factors: Option<FactorChoice>,
    /// What intensities count; `None` = [`DEFAULT_BASIS`].
    pub basis: Option<Basis>,
    /// Read grid data from this directory instead of the embedded copy.
    pub grid_data: Option<PathBuf>,
    /// Score risk as of this day: only events public by then, and (unless `year` says
    /// otherwise) mix data of the year before it. `None` = the rules' default date.
    pub as_of: Option<chrono::NaiveDate>,
    /// Read the risk rules from this file instead of the embedded risk-rules.toml.
    pub risk_rules: Option<PathBuf>,
    /// Monte Carlo draws for the intervals; 0 = none (the `_p05/_p50/_p95` fields stay empty).
    pub draws: usize,
    /// Seed of the draws.
    pub seed: u64,
    /// Contractual instruments and residual mixes for the market-based Scope 2 (issue 24).
    pub accounting: AccountingOptions,
}

/// What the market-based Scope 2 draws on besides the grid (issue 24): read by the caller
/// (the command line reads `--instruments` and `--residual-mix`), checked by the assessor.
/// Either needs the reporting year (`year`).
#[derive(Debug, Clone, Default)]
pub struct AccountingOptions {
    /// The rows of an instruments file (see `scope::instruments`).
    pub instruments: Option<Vec<crate::scope::InstrumentEntry>>,
    /// The instruments file's name, as messages name it (`instruments.csv`).
    pub instruments_name: String,
    /// Residual mixes (see `scope::residual`).
    pub residual: Option<crate::scope::ResidualMixes>,
    /// Months before and after the reporting year within which a certificate's vintage still
    /// counts (a documented window, such as Green-e's); 0 = the reporting year only.
    pub vintage_window_months: u8,
}

/// Where intensities come from when a run does not say (`--factors`): the published rates a
/// filing uses (issue 22).
pub const DEFAULT_FACTORS: FactorChoice = FactorChoice::Published;

/// What intensities count when a run does not say (`--basis`): direct, the GHG Protocol's
/// Scope 2 basis, which eGRID, MEE and NIR publish (issue 22).
pub const DEFAULT_BASIS: Basis = Basis::Direct;
