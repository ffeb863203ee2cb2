//! Errors that stop a whole run (exit code 2). A bad row is not one of them: it becomes an
//! output row with status `error` (see [`crate::sites::RowError`]).

use std::path::PathBuf;

use chrono::NaiveDate;

/// Everything that makes the input, the data or the output unusable as a whole.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path as the user gave it.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The sites input exists but cannot be used at all.
    #[error("{input}: {message}")]
    UnusableInput {
        /// The input's name (a path or `standard input`).
        input: String,
        /// What is wrong and what to do about it.
        message: String,
    },
    /// A grid-data file is malformed (embedded data or `--grid-data DIR`).
    #[error("grid data {file}: {message}")]
    GridData {
        /// The file within grid-data.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A user's emission-factor file is malformed or incomplete.
    #[error("emission factors {path}: {message}")]
    Factors {
        /// The path as the user gave it.
        path: String,
        /// What is wrong and what is expected.
        message: String,
    },
    /// A user's risk-rules file is malformed.
    #[error("risk rules {path}: {message}")]
    RiskRules {
        /// The path as the user gave it.
        path: String,
        /// What is wrong and what is expected.
        message: String,
    },
    /// A flag's value cannot be used (worded with the flag by [`crate::settings`]).
    #[error("{0}")]
    Usage(String),
    /// An option given to the library cannot be used with the data, or with another option.
    #[error(transparent)]
    Options(#[from] OptionsError),
    /// The output could not be written.
    #[error("cannot write output: {0}")]
    Write(#[from] std::io::Error),
    /// The output file cannot, or must not, be written: it is an input, a symbolic link or a
    /// folder, its folder is missing, or writing it failed.
    #[error("cannot write {}: {message}", .path.display())]
    Output {
        /// The output file as the user named it (a report's .md, even for its charts).
        path: PathBuf,
        /// What is wrong and what to do about it.
        message: String,
    },
    /// `--strict` stopped at a bad row.
    #[error("stopped at the first bad row (--strict): {0}")]
    Strict(String),
}

/// An option given to [`crate::pipeline::Assessor`] that the data or another option rules
/// out: typed, so that the command line can name the flag that gave it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionsError {
    /// Instruments or residual mixes were given without the reporting year.
    #[error("{what} needs the reporting year: give --year (the year the instruments and the residual mix must be of)")]
    ReportingYearMissing {
        /// `--instruments` or `--residual-mix`.
        what: &'static str,
    },
    /// Instruments or residual mixes were given on the lifecycle basis, where Scope 2 is not
    /// reported.
    #[error(
        "{what} is for the market-based Scope 2, which is reported on the direct basis: drop --basis lifecycle (or --factors lifecycle)"
    )]
    MarketBasedOnLifecycle {
        /// `--instruments` or `--residual-mix`.
        what: &'static str,
    },
    /// The year asked for lies outside the years of the grid data.
    #[error("year {asked}: the grid data covers {first}-{last}")]
    YearOutOfRange {
        /// The year asked for.
        asked: u16,
        /// The grid data's first year.
        first: u16,
        /// The grid data's last year.
        last: u16,
    },
    /// A month outside 1-12.
    #[error("month {0}: expected a month 1-12")]
    MonthOutOfRange(u8),
    /// An as-of date after the last day the policy events cover.
    #[error("as-of date {asked}: the policy events run to {events_end} (the default is {default})")]
    AsOfAfterEvents {
        /// The day asked for.
        asked: NaiveDate,
        /// The last day the policy events cover.
        events_end: NaiveDate,
        /// The as-of date used when none is given.
        default: NaiveDate,
    },
    /// Risk rules whose default as-of date is after the last day the policy events cover.
    #[error(
        "risk rules {rules}: default_as_of {default_as_of} is after the date the policy events run to, {events_end}"
    )]
    DefaultAsOfAfterEvents {
        /// The rules, by their path or as embedded.
        rules: String,
        /// The rules' `default_as_of`.
        default_as_of: NaiveDate,
        /// The last day the policy events cover.
        events_end: NaiveDate,
    },
    /// More Monte Carlo draws than a run may keep.
    #[error("{asked} draws: at most {most} (0 turns the intervals off)")]
    TooManyDraws {
        /// The draws asked for.
        asked: usize,
        /// The most accepted ([`crate::uncertainty::MAX_DRAWS`]).
        most: usize,
    },
    /// A year after the as-of date's: an as-of date uses no data newer than its year.
    #[error("year {year} is after the as-of date {as_of}: an as-of date uses no data newer than its year")]
    YearAfterAsOf {
        /// The year asked for.
        year: u16,
        /// The as-of date.
        as_of: NaiveDate,
    },
    /// A list of output fields with an empty name in it (two commas in a row, or a comma at
    /// an end).
    #[error("fields {list}: an empty name; separate names with single commas")]
    EmptyFieldName {
        /// The list as given.
        list: String,
    },
    /// An output field that does not exist.
    #[error("unknown field '{name}'")]
    UnknownField {
        /// The name given.
        name: String,
    },
    /// An output field named twice in a list.
    #[error("field '{name}' is named twice")]
    FieldNamedTwice {
        /// The name given twice.
        name: String,
    },
}

impl Error {
    /// A grid-data error from `--grid-data DIR` names the file by its path in DIR; other
    /// errors are returned as they are.
    pub fn in_grid_dir(self, dir: Option<&std::path::Path>) -> Error {
        match (self, dir) {
            (Error::GridData { file, message }, Some(dir)) => Error::GridData {
                file: dir.join(file).display().to_string(),
                message,
            },
            (e, _) => e,
        }
    }

    /// The documented exit code: 1 when `--strict` stopped at a bad row, 2 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Strict(_) => 1,
            _ => 2,
        }
    }
}

/// The lines that describe an error: its message, then each cause that adds to it. A cause
/// whose text the lines before already hold (an error that embeds its source's message and
/// also returns it as its source) is left out, so that no message is printed twice.
pub fn error_lines(e: &dyn std::error::Error) -> Vec<String> {
    let mut lines = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !lines.iter().any(|l| l.contains(&text)) {
            lines.push(text);
        }
        source = s.source();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    // issue 20: every error printed its message twice ("X", then "caused by: X").
    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let e = Error::Write(std::io::Error::new(
            std::io::ErrorKind::BrokenPipe,
            "out.csv: broken pipe",
        ));
        assert_eq!(error_lines(&e), ["cannot write output: out.csv: broken pipe"]);
    }

    #[test]
    fn a_cause_that_adds_to_the_message_is_kept() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot load the rules")]
        struct Outer(#[source] std::io::Error);
        let e = Outer(std::io::Error::other("permission denied"));
        assert_eq!(error_lines(&e), ["cannot load the rules", "permission denied"]);
    }
}
