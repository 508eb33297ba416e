//! The `spaces2wxr` binary: parse arguments, run the conversion, print the
//! summary, choose the exit code. See `spaces2wxr --help`.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Exit code when the conversion finished but some entries raised warnings.
const EXIT_WARNINGS: u8 = 3;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let cli::Command::Convert(args) = cli.command;
    let cfg = match args.into_config() {
        Ok(cfg) => cfg,
        Err(msg) => {
            eprintln!("spaces2wxr: error: {msg}");
            return ExitCode::from(2);
        }
    };
    match spaces2wxr::convert(&cfg) {
        Ok(report) => {
            eprint!("{report}");
            if report.warnings.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_WARNINGS)
            }
        }
        Err(err) => {
            eprintln!("spaces2wxr: error: {err}");
            ExitCode::FAILURE
        }
    }
}
