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
