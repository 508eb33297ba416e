//! The `spaces2wxr` binary: parse arguments, run the conversion, print the
//! summary, choose the exit code. See `spaces2wxr --help`.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Exit code under `--strict` when the output was written but the run raised
/// warnings. Without `--strict` such a run exits 0: nearly every real archive
/// lacks some images, and scripts read any other code as failure.
const EXIT_WARNINGS: u8 = 3;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let cli::Command::Convert(args) = cli.command;
    let strict = args.strict;
    let cfg = match args.into_config() {
        Ok(cfg) => cfg,
        Err(msg) => {
            eprintln!("spaces2wxr: error: {msg}");
            return ExitCode::from(2);
        }
    };
    match spaces2wxr::convert(&cfg) {
        Ok(summary) => {
            eprint!("{summary}");
            if strict && summary.has_warnings() {
                ExitCode::from(EXIT_WARNINGS)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(err) => {
            eprintln!("spaces2wxr: error: {err}");
            ExitCode::FAILURE
        }
    }
}
