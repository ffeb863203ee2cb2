//! The `hashmix` binary: parse the command line, run, print the error chain, exit with the
//! documented code (0 all ok, 1 some rows failed, 2 input unusable).

use std::process::ExitCode;

use clap::Parser;

// Rows are read on one thread and freed on others, many small allocations each: mimalloc
// keeps that cheap where the system allocator spends a fifth of a run (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = hashmix::cli::Cli::parse();
    let result = hashmix::commands::run(cli);
    // The reader of standard output went away (`| head`): it has what it wanted, and the run
    // ends quietly, with the same code whatever the format.
    if hashmix::commands::target::stdout_closed() {
        return ExitCode::SUCCESS;
    }
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(e) => {
            for (i, line) in hashmix::error::error_lines(&e).iter().enumerate() {
                match i {
                    0 => eprintln!("hashmix: {line}"),
                    _ => eprintln!("  caused by: {line}"),
                }
            }
            ExitCode::from(e.exit_code())
        }
    }
}
