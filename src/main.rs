//! The `hashmix` binary: parse the command line, run, print the error chain, exit with the
//! documented code (0 all ok, 1 some rows failed, 2 input unusable).

use std::error::Error as _;
use std::process::ExitCode;

use clap::Parser;

// Rows are read on one thread and freed on others, many small allocations each: mimalloc
// keeps that cheap where the system allocator spends a fifth of a run (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = hashmix::cli::Cli::parse();
    match hashmix::commands::run(cli) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(e) => {
            eprintln!("hashmix: {e}");
            let mut source = e.source();
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}
