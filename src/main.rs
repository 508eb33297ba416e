//! The `spaces2wxr` binary: parse arguments, run the conversion, print the
//! summary, choose the exit code. See `spaces2wxr --help`.

mod cli;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use spaces2wxr::output::outdir::{self, Interrupted};

/// Exit code under `--strict` when the output was written but the run raised
/// warnings. Without `--strict` such a run exits 0: nearly every real archive
/// lacks some images, and scripts read any other code as failure.
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
    match cli.command {
        cli::Command::Convert(args) => convert(*args),
        cli::Command::Check(args) => check(&args),
        cli::Command::Completions { shell } => {
            let mut cmd = <cli::Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "spaces2wxr", &mut std::io::stdout());
            ExitCode::SUCCESS
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
        Some(name) => {
            match cmd.find_subcommand(name) {
                Some(sub) => clap_mangen::Man::new(sub.clone()).title(format!("spaces2wxr-{name}")),
                None => {
                    eprintln!("spaces2wxr: error: no subcommand '{name}' (convert, check, completions, man)");
                    return ExitCode::from(2);
                }
            }
        }
    };
    let mut out = Vec::new();
    let written = page
        .render(&mut out)
        .and_then(|()| std::io::Write::write_all(&mut std::io::stdout(), &out));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("spaces2wxr: error: cannot write the manual page: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `spaces2wxr check`: findings per file on stdout; exit 1 when an import
/// would lose data or a file cannot be read.
fn check(args: &cli::CheckArgs) -> ExitCode {
    let opts = spaces2wxr::check::CheckOptions {
        media_dir: args.media_dir.clone(),
    };
    let mut failed = false;
    let mut reports = Vec::new();
    for path in &args.wxr {
        match spaces2wxr::check::check_wxr(path, &opts) {
            Ok(r) => {
                failed |= r.problems() > 0;
                if !args.json {
                    print!("{}", cli::check_text(&r));
                }
                reports.push(r);
            }
            Err(err) => {
                eprintln!("spaces2wxr: error: {err}");
                failed = true;
            }
        }
    }
    if args.json {
        match serde_json::to_string_pretty(&reports) {
            Ok(text) => println!("{text}"),
            Err(err) => {
                eprintln!("spaces2wxr: error: {err}");
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

fn convert(args: cli::ConvertArgs) -> ExitCode {
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
            while INTERRUPTED.load(Ordering::SeqCst) {
                std::thread::park_timeout(std::time::Duration::from_millis(50));
            }
            eprintln!("spaces2wxr: error: {err}");
            ExitCode::FAILURE
        }
    }
}
