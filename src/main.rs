//! The `spaces2wxr` binary: parse arguments, run the conversion, print the
//! summary, choose the exit code. See `spaces2wxr --help`.

mod cli;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use spaces2wxr::output::outdir::{self, Interrupted};

/// Exit code when the conversion finished but some entries raised warnings.
const EXIT_WARNINGS: u8 = 3;

/// Exit code after Ctrl-C (SIGINT), SIGTERM or SIGHUP undid the run.
const EXIT_INTERRUPTED: i32 = 130;

/// Set while the signal handler undoes the run: the main thread then
/// prints nothing more (its own errors are only the handler's doing).
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// On SIGINT, SIGTERM or SIGHUP: remove the run's partial files, say so in
/// one line and exit; a run whose output is already complete finishes.
fn on_signal() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    match outdir::on_interrupt() {
        Interrupted::RolledBack(msg) => {
            eprintln!("spaces2wxr: {msg}");
            std::process::exit(EXIT_INTERRUPTED);
        }
        Interrupted::Complete => INTERRUPTED.store(false, Ordering::SeqCst),
    }
}

fn main() -> ExitCode {
    if let Err(e) = ctrlc::set_handler(on_signal) {
        eprintln!("spaces2wxr: warning: Ctrl-C will not clean up: {e}");
    }
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
            while INTERRUPTED.load(Ordering::SeqCst) {
                std::thread::park_timeout(std::time::Duration::from_millis(50));
            }
            eprintln!("spaces2wxr: error: {err}");
            ExitCode::FAILURE
        }
    }
}
