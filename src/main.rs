//! The `spaces2wxr` binary: parse arguments, run the conversion, print the
//! summary, choose the exit code. See `spaces2wxr --help`.

mod bars;
mod cli;
mod inspect_text;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use std::io::Write;

use clap::Parser;
use spaces2wxr::{on_interrupt, Interrupted};

/// Exit code under `--strict` when the output was written but the run raised
/// warnings. Without `--strict` such a run exits 0: nearly every real archive
/// lacks some images, and scripts read any other code as failure.
const EXIT_WARNINGS: u8 = 3;

/// Exit code after Ctrl-C (SIGINT), SIGTERM or SIGHUP undid the run.
const EXIT_INTERRUPTED: i32 = 130;

/// Set while the signal handler undoes the run: the main thread then
/// prints nothing more (its own errors are only the handler's doing).
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// A line on standard error. A terminal that went away or a full disk must
/// not turn a finished run into a crash, so write errors are ignored here
/// (`eprintln!` panics on them).
macro_rules! say {
    ($($t:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

/// Write `bytes` to standard output. A reader that stopped early (`| head`)
/// is not an error; any other write error is, named in one line.
fn to_stdout(bytes: &[u8]) -> Result<(), ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            say!("spaces2wxr: error: cannot write to standard output: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

/// On SIGINT, SIGTERM or SIGHUP: remove the run's partial files, say so in
/// one line and exit; a run whose output is already complete finishes.
fn on_signal() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    bars::clear();
    match on_interrupt() {
        Interrupted::RolledBack(msg) => {
            say!("spaces2wxr: {msg}");
            std::process::exit(EXIT_INTERRUPTED);
        }
        Interrupted::Complete => INTERRUPTED.store(false, Ordering::SeqCst),
    }
}

fn main() -> ExitCode {
    if let Err(e) = ctrlc::set_handler(on_signal) {
        say!("spaces2wxr: warning: Ctrl-C will not clean up: {e}");
    }
    let cli = cli::Cli::parse();
    let talk = Talk {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        cli::Command::Convert(args) => convert(*args, talk),
        cli::Command::Inspect(args) => inspect(args, talk),
        cli::Command::Check(args) => check(&args),
        cli::Command::Missing(args) => missing(&args),
        cli::Command::Completions { shell } => {
            let mut cmd = <cli::Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "spaces2wxr", &mut script);
            to_stdout(&script).map_or_else(|code| code, |()| ExitCode::SUCCESS)
        }
        cli::Command::Man { subcommand } => man(subcommand.as_deref()),
    }
}

/// `spaces2wxr man [SUBCOMMAND]`: the program's manual page, or a
/// subcommand's (`spaces2wxr-convert(1)`).
fn man(subcommand: Option<&str>) -> ExitCode {
    let cmd = <cli::Cli as clap::CommandFactory>::command();
    let page = match subcommand {
        None => clap_mangen::Man::new(cmd),
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => {
                let full = format!("spaces2wxr-{name}");
                clap_mangen::Man::new(sub.clone().name(full.clone()).bin_name(full.clone()))
                    .title(full)
            }
            None => {
                say!("spaces2wxr: error: no subcommand '{name}' (convert, inspect, check, missing, completions, man)");
                return ExitCode::from(2);
            }
        },
    };
    let mut out = Vec::new();
    if let Err(err) = page.render(&mut out) {
        say!("spaces2wxr: error: cannot render the manual page: {err}");
        return ExitCode::FAILURE;
    }
    to_stdout(&out).map_or_else(|code| code, |()| ExitCode::SUCCESS)
}

/// `spaces2wxr missing`: the missing images of a report, one address a
/// line.
fn missing(args: &cli::MissingArgs) -> ExitCode {
    match spaces2wxr::missing_addresses(&args.report, args.original) {
        Ok(list) => {
            let text: String = list.iter().map(|u| format!("{u}\n")).collect();
            to_stdout(text.as_bytes()).map_or_else(|code| code, |()| ExitCode::SUCCESS)
        }
        Err(err) => {
            say!("spaces2wxr: error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `spaces2wxr inspect`: what the archive holds, as a table or JSON on
/// standard output; exit 1 when it cannot be read or holds no entry.
fn inspect(args: cli::InspectArgs, talk: Talk) -> ExitCode {
    let json = args.json;
    let cfg = args.into_config();
    let bars = bars::Bars::new(!talk.quiet);
    let result = spaces2wxr::inspect_with(&cfg, &bars);
    bars::clear();
    let inspection = match result {
        Ok(i) => i,
        Err(err) => {
            say!("spaces2wxr: error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let text = if json {
        match serde_json::to_string_pretty(&inspection) {
            Ok(t) => format!("{t}\n"),
            Err(err) => {
                say!("spaces2wxr: error: {err}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        inspect_text::table(&inspection, talk.verbose)
    };
    to_stdout(text.as_bytes()).map_or_else(|code| code, |()| ExitCode::SUCCESS)
}

/// `spaces2wxr check`: findings per file on stdout; exit 1 when an import
/// would lose data or a file cannot be read.
fn check(args: &cli::CheckArgs) -> ExitCode {
    let opts = spaces2wxr::CheckOptions {
        media_dir: args.media_dir.clone(),
    };
    let mut failed = false;
    let mut reports = Vec::new();
    for path in &args.wxr {
        match spaces2wxr::check_wxr(path, &opts) {
            Ok(r) => {
                failed |= r.problems() > 0;
                if !args.json && to_stdout(cli::check_text(&r).as_bytes()).is_err() {
                    return ExitCode::FAILURE;
                }
                reports.push(r);
            }
            Err(err) => {
                say!("spaces2wxr: error: {err}");
                failed = true;
            }
        }
    }
    if args.json {
        match serde_json::to_string_pretty(&reports) {
            Ok(text) => {
                if to_stdout(format!("{text}\n").as_bytes()).is_err() {
                    return ExitCode::FAILURE;
                }
            }
            Err(err) => {
                say!("spaces2wxr: error: {err}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// How much a run prints on standard error.
#[derive(Debug, Clone, Copy)]
struct Talk {
    quiet: bool,
    verbose: bool,
}

fn convert(args: cli::ConvertArgs, talk: Talk) -> ExitCode {
    let strict = args.strict;
    let cfg = args.into_config();
    let bars = bars::Bars::new(!talk.quiet);
    let result = spaces2wxr::convert_with(&cfg, &bars);
    bars::clear();
    match result {
        Ok(summary) => {
            if talk.verbose {
                let _ = write!(std::io::stderr(), "{}", summary.with_all_warnings());
            } else if !talk.quiet {
                let _ = write!(std::io::stderr(), "{summary}");
            }
            if summary.all_failed() {
                // Every blog (and input) of a batch failed: summary.json,
                // written all the same, says why.
                ExitCode::FAILURE
            } else if strict && summary.has_warnings() {
                ExitCode::from(EXIT_WARNINGS)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(err) => {
            // The signal handler is undoing the run and will exit; wait
            // for it (bounded, should it ever fail to).
            for _ in 0..400 {
                if !INTERRUPTED.load(Ordering::SeqCst) {
                    break;
                }
                std::thread::park_timeout(std::time::Duration::from_millis(50));
            }
            say!("spaces2wxr: error: {err}");
            ExitCode::FAILURE
        }
    }
}
