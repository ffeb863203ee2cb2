//! Parse, then validate, once (ripgrep's low-level and high-level arguments): clap parses the
//! flags into [`crate::cli`]'s structs, and this module checks every flag and turns them into
//! typed settings. The commands work from settings only; the library ([`Options`],
//! [`Assessor`]) receives typed values and returns typed errors ([`OptionsError`]), which are
//! worded here with the flag that gave the value.
//!
//! A check the flags alone decide (a count of draws, a year after the as-of date, a format
//! that needs a file) is made before any work; one that needs the data (a year the grid data
//! does not cover) is made as the data is read, by the library, and worded by [`assessor`].

use std::path::{Path, PathBuf};

use crate::Error;
use crate::cli::{AccountingArgs, AssessArgs, CompareArgs, CompareFormat, CsvArgs, ModelArgs, ReportArgs};
use crate::defaults::{DEFAULT_EFFICIENCY_J_PER_TH, DEFAULT_PUE};
use crate::error::OptionsError;
use crate::grid::factors::FactorChoice;
use crate::grid::published::Basis;
use crate::output::fields::site_field_names;
use crate::output::{Columns, CsvOptions, Format, Formulas};
use crate::pipeline::{AccountingOptions, Assessor};
use crate::risk::events::year_of;
use crate::scope::ResidualMixes;
use crate::scope::instruments::read_instruments;
use crate::sites::plausibility::{EFFICIENCY_LIMITS_J_PER_TH, show};
use crate::uncertainty::MAX_DRAWS;

pub use crate::pipeline::Options;

/// The settings of `hashmix assess`.
#[derive(Debug, Clone)]
pub struct AssessSettings {
    /// The sites: a path, or `-` for standard input.
    pub sites: String,
    /// The output format.
    pub format: Format,
    /// `-o` as given (`-` or none: standard output).
    pub output: Option<PathBuf>,
    /// The workbook to write, for `--format xlsx`.
    pub workbook: Option<PathBuf>,
    /// The site fields written.
    pub columns: Columns,
    /// How CSV is written.
    pub csv: CsvOptions,
    /// Stop at the first failed row.
    pub strict: bool,
    /// No progress counter.
    pub quiet: bool,
    /// What the results depend on.
    pub options: Options,
}

impl AssessSettings {
    /// Check the flags of `hashmix assess`.
    pub fn from_args(args: &AssessArgs) -> Result<AssessSettings, Error> {
        let columns = match &args.columns {
            None => Columns::all(),
            Some(_) if args.format == Format::Table => {
                return Err(Error::Usage(
                    "--columns chooses the fields of csv, json, ndjson, geojson and xlsx; the table has its own".into(),
                ));
            }
            Some(list) => Columns::parse(list).map_err(flag_error)?,
        };
        let csv = csv_options(&args.csv, matches!(args.format, Format::Csv | Format::Esrs))?;
        let (_, basis) = factors_and_basis(args.model.factors.as_deref(), args.model.basis.as_deref())?;
        if args.format == Format::Esrs && basis == Some(Basis::Lifecycle) {
            return Err(Error::Usage(
                "--format esrs reports Scope 1 and 2 on the direct basis, as the GHG Protocol does: drop --basis lifecycle".into(),
            ));
        }
        let workbook = match (args.format, output_file(&args.output)) {
            (Format::Xlsx, Some(path)) => Some(path.to_path_buf()),
            (Format::Xlsx, None) => return Err(workbook_needs_a_file()),
            _ => None,
        };
        Ok(AssessSettings {
            sites: args.sites.clone(),
            format: args.format,
            output: args.output.clone(),
            workbook,
            columns,
            csv,
            strict: args.strict,
            quiet: args.quiet,
            options: Options {
                accounting: accounting_options(&args.accounting)?,
                ..model_options(&args.model)?
            },
        })
    }

    /// Whether the sites go to standard output.
    pub fn to_stdout(&self) -> bool {
        output_file(&self.output).is_none()
    }
}

/// The kinds of report, from the output's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// One self-contained HTML file.
    Html,
    /// Markdown, with the charts as SVG files beside it.
    Markdown,
}

/// The settings of `hashmix report`.
#[derive(Debug, Clone)]
pub struct ReportSettings {
    /// The sites: a path, or `-` for standard input.
    pub sites: String,
    /// The report to write.
    pub output: PathBuf,
    /// What kind of report its extension asks for.
    pub kind: ReportKind,
    /// No progress counter.
    pub quiet: bool,
    /// The report's title: `--title`, else the input file's name without its folder (a
    /// colleague reading the report has no use for the path on the author's disk).
    pub title: String,
    /// What the results depend on.
    pub options: Options,
}

impl ReportSettings {
    /// Check the flags of `hashmix report`.
    pub fn from_args(args: &ReportArgs) -> Result<ReportSettings, Error> {
        Ok(ReportSettings {
            sites: args.sites.clone(),
            output: args.output.clone(),
            kind: report_kind(&args.output)?,
            quiet: args.quiet,
            title: match args.title.as_deref().map(str::trim) {
                Some("") => return Err(Error::Usage("--title: expected a text, got nothing".into())),
                Some(t) => t.to_string(),
                None => crate::report::default_title(&args.sites),
            },
            options: Options {
                accounting: accounting_options(&args.accounting)?,
                ..model_options(&args.model)?
            },
        })
    }
}

/// The report kind `-o`'s extension names.
fn report_kind(path: &Path) -> Result<ReportKind, Error> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => Ok(ReportKind::Html),
        Some("md" | "markdown") => Ok(ReportKind::Markdown),
        _ => Err(Error::Usage(format!(
            "-o {}: expected a file ending in .html or .md",
            path.display()
        ))),
    }
}

/// The settings of `hashmix compare`.
#[derive(Debug, Clone)]
pub struct CompareSettings {
    /// The region codes, as given.
    pub regions: Vec<String>,
    /// The reference machine's efficiency, J/TH.
    pub efficiency_j_per_th: f64,
    /// The reference PUE, if given.
    pub pue: Option<f64>,
    /// The output format.
    pub format: CompareFormat,
    /// `-o` as given (`-` or none: standard output).
    pub output: Option<PathBuf>,
    /// How CSV is written.
    pub csv: CsvOptions,
    /// What the results depend on.
    pub options: Options,
}

impl CompareSettings {
    /// Check the flags of `hashmix compare`.
    pub fn from_args(args: &CompareArgs) -> Result<CompareSettings, Error> {
        let efficiency = args.efficiency.unwrap_or(DEFAULT_EFFICIENCY_J_PER_TH);
        let (low, high) = EFFICIENCY_LIMITS_J_PER_TH;
        // NaN fails the range too.
        if !(low..=high).contains(&efficiency) {
            return Err(Error::Usage(format!(
                "--efficiency {}: expected J/TH between {low} and {high} (no Bitcoin ASIC lies outside)",
                show(efficiency)
            )));
        }
        let csv = csv_options(&args.csv, args.format == CompareFormat::Csv)?;
        let pue = args.pue.unwrap_or(DEFAULT_PUE);
        if !(1.0..=3.0).contains(&pue) {
            return Err(Error::Usage(format!(
                "--pue {}: expected a PUE between 1 and 3",
                show(pue)
            )));
        }
        if args.format == CompareFormat::Xlsx && output_file(&args.output).is_none() {
            return Err(workbook_needs_a_file());
        }
        Ok(CompareSettings {
            regions: args.regions.clone(),
            efficiency_j_per_th: efficiency,
            pue: args.pue,
            format: args.format,
            output: args.output.clone(),
            csv,
            options: model_options(&args.model)?,
        })
    }

    /// The reference PUE, given or the default.
    pub fn pue_or_default(&self) -> f64 {
        self.pue.unwrap_or(DEFAULT_PUE)
    }
}

fn workbook_needs_a_file() -> Error {
    Error::Usage("--format xlsx writes a workbook: give -o FILE.xlsx".into())
}

/// The options that change a result, from the flags that assess, compare and report share;
/// the checks the flags alone decide are made here, before any work.
pub fn model_options(m: &ModelArgs) -> Result<Options, Error> {
    if m.draws.draws > MAX_DRAWS {
        return Err(flag_error(OptionsError::TooManyDraws {
            asked: m.draws.draws,
            most: MAX_DRAWS,
        }));
    }
    if let (Some(as_of), Some(year)) = (m.risk.as_of, m.year)
        && year > year_of(as_of)
    {
        return Err(flag_error(OptionsError::YearAfterAsOf { year, as_of }));
    }
    let (factors, basis) = factors_and_basis(m.factors.as_deref(), m.basis.as_deref())?;
    Ok(Options {
        year: m.year,
        month: m.month,
        factors,
        basis,
        grid_data: m.grid_data.clone(),
        as_of: m.risk.as_of,
        risk_rules: m.risk.risk_rules.clone(),
        draws: m.draws.draws,
        seed: m.draws.seed,
        accounting: AccountingOptions::default(),
    })
}

/// The instruments and residual mixes the flags name, read (issue 24). The files are small
/// and read whole; a row of instruments that cannot be read is kept, to be listed as rejected.
pub fn accounting_options(a: &AccountingArgs) -> Result<AccountingOptions, Error> {
    Ok(AccountingOptions {
        instruments: a.instruments.as_deref().map(read_instruments).transpose()?,
        instruments_name: a.instruments.clone().unwrap_or_default(),
        residual: a.residual_mix.as_deref().map(ResidualMixes::read).transpose()?,
        vintage_window_months: a.vintage_window_months,
    })
}

/// `--factors` and `--basis` as typed values: `--factors lifecycle` and `--factors direct` (the
/// names of earlier versions, kept for scripts) mean `--factors ipcc` on that basis, and a
/// `--basis` that says otherwise is a usage error naming both flags. `None`: the flag was not
/// given (the library's default).
pub fn factors_and_basis(
    factors: Option<&str>,
    basis: Option<&str>,
) -> Result<(Option<FactorChoice>, Option<Basis>), Error> {
    let basis = basis
        .map(|b| Basis::from_name(b).ok_or_else(|| Error::Usage(format!("--basis {b}: expected direct or lifecycle"))))
        .transpose()?;
    let Some(text) = factors else {
        return Ok((None, basis));
    };
    if let Some(implied) = Basis::from_name(text) {
        return match basis {
            Some(b) if b != implied => Err(Error::Usage(format!(
                "--factors {text} and --basis {}: --factors {text} means --factors ipcc --basis {text}; give --factors ipcc --basis {}, or drop one of them",
                b.name(),
                b.name()
            ))),
            _ => Ok((Some(FactorChoice::Ipcc), Some(implied))),
        };
    }
    let choice = match text {
        "published" => FactorChoice::Published,
        "ipcc" => FactorChoice::Ipcc,
        path => FactorChoice::File(path.to_string()),
    };
    Ok((Some(choice), basis))
}

/// Build the assessor for these options; an option the data rules out is worded with its flag.
pub fn assessor(options: Options) -> Result<Assessor, Error> {
    Assessor::embedded(options).map_err(|e| match e {
        Error::Options(e) => flag_error(e),
        e => e,
    })
}

/// An option error, worded with the flag that gave the value.
fn flag_error(e: OptionsError) -> Error {
    Error::Usage(match e {
        OptionsError::YearOutOfRange { asked, first, last } => {
            let (when, bound) = if asked < first {
                ("starts in", first)
            } else {
                ("ends in", last)
            };
            format!("--year {asked}: the grid data {when} {bound}; it covers {first}-{last}")
        }
        OptionsError::MonthOutOfRange(month) => format!("--month {month}: expected a month 1-12"),
        OptionsError::AsOfAfterEvents {
            asked,
            events_end,
            default,
        } => format!(
            "--as-of {asked}: the policy events run to {events_end}; give a date up to then (the default is {default})"
        ),
        OptionsError::DefaultAsOfAfterEvents {
            rules,
            default_as_of,
            events_end,
        } => format!(
            "risk rules {rules}: default_as_of {default_as_of} is after the date the policy events run to, {events_end}; give --as-of up to {events_end}"
        ),
        OptionsError::ReportingYearMissing { what } => format!(
            "{what} needs the reporting year: give --year (instruments' vintages and residual mixes are checked against it)"
        ),
        OptionsError::TooManyDraws { asked, most } => {
            format!("--draws {asked}: at most {most} (0 turns the intervals off)")
        }
        OptionsError::YearAfterAsOf { year, as_of } => {
            format!("--year {year} is after --as-of {as_of}: an as-of date uses no data newer than its year")
        }
        OptionsError::EmptyFieldName { list } => {
            format!("--columns {list}: an empty name; separate names with single commas")
        }
        OptionsError::UnknownField { name } => format!(
            "--columns: unknown field '{name}'; expected names from: {}",
            site_field_names().join(",")
        ),
        OptionsError::FieldNamedTwice { name } => format!("--columns: '{name}' is named twice"),
        e @ OptionsError::MarketBasedOnLifecycle { .. } => e.to_string(),
    })
}

/// The CSV options `--bom` and `--allow-formulas` ask for. `csv` says whether the output is
/// CSV: with any other format either flag would do nothing, and is refused.
pub fn csv_options(flags: &CsvArgs, csv: bool) -> Result<CsvOptions, Error> {
    let given = [("--bom", flags.bom), ("--allow-formulas", flags.allow_formulas)];
    if let Some((flag, _)) = given.iter().find(|(_, on)| *on && !csv) {
        return Err(Error::Usage(format!(
            "{flag} shapes CSV output: use it with --format csv"
        )));
    }
    Ok(CsvOptions {
        bom: flags.bom,
        formulas: if flags.allow_formulas {
            Formulas::Allow
        } else {
            Formulas::Neutralise
        },
    })
}

/// The file that `-o` names; none for standard output (no `-o`, or `-o -`, as `-` is standard
/// input for the sites).
pub fn output_file(path: &Option<PathBuf>) -> Option<&Path> {
    path.as_deref().filter(|p| p.as_os_str() != "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    // issue 21: the library's typed errors keep the messages the flags gave before.
    #[test]
    fn each_option_error_is_worded_with_its_flag_as_before() {
        let worded = |e| flag_error(e).to_string();
        assert_eq!(
            worded(OptionsError::YearOutOfRange {
                asked: 1989,
                first: 1990,
                last: 2025
            }),
            "--year 1989: the grid data starts in 1990; it covers 1990-2025"
        );
        assert_eq!(
            worded(OptionsError::YearOutOfRange {
                asked: 2099,
                first: 1990,
                last: 2025
            }),
            "--year 2099: the grid data ends in 2025; it covers 1990-2025"
        );
        assert_eq!(
            worded(OptionsError::MonthOutOfRange(13)),
            "--month 13: expected a month 1-12"
        );
        assert_eq!(
            worded(OptionsError::AsOfAfterEvents {
                asked: day("2027-01-01"),
                events_end: day("2025-11-30"),
                default: day("2025-06-30")
            }),
            "--as-of 2027-01-01: the policy events run to 2025-11-30; give a date up to then (the default is 2025-06-30)"
        );
        assert_eq!(
            worded(OptionsError::DefaultAsOfAfterEvents {
                rules: "rules.toml".into(),
                default_as_of: day("2030-01-01"),
                events_end: day("2025-11-30")
            }),
            "risk rules rules.toml: default_as_of 2030-01-01 is after the date the policy events run to, 2025-11-30; give --as-of up to 2025-11-30"
        );
        assert_eq!(
            worded(OptionsError::TooManyDraws {
                asked: 100_001,
                most: 100_000
            }),
            "--draws 100001: at most 100000 (0 turns the intervals off)"
        );
        assert_eq!(
            worded(OptionsError::YearAfterAsOf {
                year: 2023,
                as_of: day("2021-06-30")
            }),
            "--year 2023 is after --as-of 2021-06-30: an as-of date uses no data newer than its year"
        );
    }

    // issue 21: --columns is checked by the library into typed errors, worded here as before.
    #[test]
    fn a_wrong_columns_list_is_worded_with_the_flag_as_before() {
        let worded = |list| flag_error(Columns::parse(list).unwrap_err()).to_string();
        let e = worded("id,co2_per_year");
        assert!(
            e.starts_with("--columns: unknown field 'co2_per_year'; expected names from: id,name,lat,"),
            "{e}"
        );
        assert_eq!(worded("id,region,id"), "--columns: 'id' is named twice");
        assert_eq!(
            worded("id,,region"),
            "--columns id,,region: an empty name; separate names with single commas"
        );
    }

    #[test]
    fn the_library_names_no_flag_in_its_option_errors() {
        let options = Options {
            year: Some(2099),
            ..Options::default()
        };
        let Err(e) = Assessor::embedded(options) else {
            panic!("a year after the data is refused");
        };
        assert!(matches!(
            e,
            Error::Options(OptionsError::YearOutOfRange { asked: 2099, .. })
        ));
        assert!(!e.to_string().contains("--"), "{e}");
    }

    #[test]
    fn a_workbook_without_a_file_is_refused_before_any_work() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from(["hashmix", "assess", "--format", "xlsx", "sites.csv"]).unwrap();
        let crate::cli::Command::Assess(args) = cli.command else {
            panic!("assess parses as assess");
        };
        assert_eq!(
            AssessSettings::from_args(&args).unwrap_err().to_string(),
            "--format xlsx writes a workbook: give -o FILE.xlsx"
        );
    }
}
