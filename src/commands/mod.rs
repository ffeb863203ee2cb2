//! One file per subcommand, each a thin composition of the library.

pub mod assess;
pub mod miners;

use crate::Error;
use crate::cli::{Cli, Command};

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

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<Outcome, Error> {
    match cli.command {
        Command::Assess(args) => assess::run(&args),
        Command::Miners(args) => miners::run(&args),
    }
}
