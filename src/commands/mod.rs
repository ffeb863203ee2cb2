//! One file per subcommand, each a thin composition of the library.

pub mod assess;
pub mod backtest;
pub mod compare;
pub mod map;
pub mod mica;
pub mod miners;
pub mod regions;
pub mod report;
pub mod target;

use crate::Error;
use crate::cli::{Cli, Command};
use crate::output::text::visible;
use crate::sites::Position;

/// How a successful run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every row was assessed.
    AllOk,
    /// Some rows failed; the output is complete.
    SomeRowsFailed,
}

impl Outcome {
    /// The documented exit code: 0 or 1.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::AllOk => 0,
            Outcome::SomeRowsFailed => 1,
        }
    }
}

/// Run a parsed command line: check its flags into settings ([`crate::settings`]), then
/// compose the library.
pub fn run(cli: Cli) -> Result<Outcome, Error> {
    match cli.command {
        Command::Assess(args) => assess::run(&args),
        Command::Mica(args) => mica::run(&args),
        Command::Miners(args) => miners::run(&args),
        Command::Regions(args) => regions::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Map(args) => map::run(&args),
        Command::Backtest(args) => backtest::run(&args),
        Command::Report(args) => report::run(&args),
    }
}

/// Print what was decided about the whole input (its encoding, its decimal mark) to standard
/// error, once, before any row's message.
pub fn print_input_notes(reader: &crate::sites::SiteReader) {
    for note in reader.notes() {
        eprintln!("{}: note: {note}", reader.name);
    }
}

/// Print a row's error and warnings to standard error (`out`), as assess and report both do:
/// the error as FILE:LINE: message (GeoJSON: FILE: message, the message naming the feature),
/// then each warning on a line of its own, as FILE:LINE: warning: ... (GeoJSON: FILE: feature
/// N: warning: ...). Control characters are made visible: a value in a message cannot drive
/// the terminal or forge a line. `name` is the input's name, made visible already. Errors
/// writing to standard error are ignored: the output is what counts.
pub fn print_row_messages(
    out: &mut impl std::io::Write,
    name: &str,
    error: Option<&str>,
    warnings: &str,
    position: &Position,
) {
    if let Some(message) = error {
        let message = visible(message);
        let _ = match position {
            Position::Line(n) => writeln!(out, "{name}:{n}: {message}"),
            Position::Feature(_) => writeln!(out, "{name}: {message}"),
        };
    }
    for warning in warnings.split("; ").filter(|w| !w.is_empty()) {
        let warning = visible(warning);
        let _ = match position {
            Position::Line(n) => writeln!(out, "{name}:{n}: warning: {warning}"),
            p => writeln!(out, "{name}: {p}: warning: {warning}"),
        };
    }
}

/// A sites file of a header and no rows (or a FeatureCollection without features) is as
/// unusable as an empty file: exit 2, and no output is put in place.
pub fn refuse_no_sites(sites: u64, name: &str) -> Result<(), Error> {
    match sites {
        0 => Err(Error::UnusableInput {
            input: name.into(),
            message: "no sites: the input has a header but no rows (or no features); expected one row per site".into(),
        }),
        _ => Ok(()),
    }
}

/// After a run with `--instruments` (`name`): each instrument no row of the sites file took (its
/// site id is not there, or that row failed) on standard error, as INSTRUMENTS:LINE: warning:
/// ... (the others are among their site's warnings, naming the file and line); and whether a
/// row of the file could not be read, which makes the run's exit code 1.
pub fn finish_instruments(assessor: &crate::pipeline::Assessor, name: Option<&str>) -> bool {
    let Some(name) = name else { return false };
    let name = visible(name);
    let verdicts = assessor.instrument_verdicts();
    let mut err = std::io::stderr().lock();
    use std::io::Write as _;
    for v in verdicts.iter().filter(|v| !v.on_site_row) {
        let _ = writeln!(
            err,
            "{name}:{}: warning: instrument ({}{}) {}: {}",
            v.line,
            v.kind.map_or("?", |k| k.name()),
            v.tracking_id
                .as_deref()
                .map(|t| format!(" {}", visible(t)))
                .unwrap_or_default(),
            v.status.name(),
            visible(&v.reason)
        );
    }
    verdicts.iter().any(crate::scope::Verdict::is_unreadable)
}

/// A progress counter of rows on standard error: drawn only when standard error is a
/// terminal and `quiet` is off.
pub fn progress(quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {human_pos} sites assessed in {elapsed}") {
        bar.set_style(style);
    }
    bar
}
