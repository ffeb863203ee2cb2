//! Errors that stop a whole run (exit code 2). A bad row is not one of them: it becomes an
//! output row with status `error` (see [`crate::sites::RowError`]).

use std::path::PathBuf;

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
    /// An option's value cannot be used.
    #[error("{0}")]
    Usage(String),
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
