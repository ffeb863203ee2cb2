//! Command-line definitions only: parsed once here, validated into typed options by the
//! commands.

use std::path::PathBuf;

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
}

/// Options of `hashmix assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Emission factors: `lifecycle` (IPCC AR5 medians, default), `direct` (combustion only),
    /// or a CSV file with columns source,g_per_kwh.
    #[arg(long, default_value = "lifecycle", value_name = "lifecycle|direct|FILE")]
    pub factors: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Read grid data from this directory instead of the copy built into the binary.
    #[arg(long, value_name = "DIR")]
    pub grid_data: Option<PathBuf>,

    /// Write to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The sites: a CSV or GeoJSON file, or `-` for standard input.
    pub sites: String,

    /// Stop at the first bad row (exit code 1) instead of reporting it and going on.
    #[arg(long)]
    pub strict: bool,

    /// Use this year's generation mix; a region without it uses its nearest earlier year.
    /// Default: each region's latest year.
    #[arg(long)]
    pub year: Option<u16>,
}

/// Options of `hashmix miners`.
#[derive(Debug, Args)]
pub struct MinersArgs {
    /// Output format: table, csv or json.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
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
