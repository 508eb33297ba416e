//! What a run prints: `--quiet` nothing on success, `--verbose` every
//! warning, no progress bar (no escape codes, no carriage returns) when
//! standard error is not a terminal, `--help` with examples, outputs and
//! exit codes.

use crate::util;

use util::{convert, run, testdata, try_convert};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn quiet_prints_nothing_on_success_but_errors_still() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = convert(
        &testdata("backup-zip.zip"),
        &dir.path().join("a"),
        &["--quiet"],
    );
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let o = convert(&testdata("backup-zip.zip"), &dir.path().join("b"), &["-q"]);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    // An error is still one line.
    let o = try_convert(
        &dir.path().join("nothing-here"),
        &dir.path().join("c"),
        &["-q"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("spaces2wxr: error:"),
        "{}",
        stderr(&o)
    );
    // --quiet and --verbose together are a usage error.
    let o = try_convert(
        &testdata("backup-zip.zip"),
        &dir.path().join("d"),
        &["-q", "-v"],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn verbose_prints_every_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    for n in 1..=26 {
        let page = util::entry_page(
            n,
            "Trip",
            "<p>text</p>",
            "9/28/2010",
            "3:45 PM",
            "Travel",
            &[],
        );
        util::write_entry_page(&input, n, &page);
    }
    let plain = convert(&input, &dir.path().join("plain"), &[]);
    let verbose = convert(&input, &dir.path().join("verbose"), &["--verbose"]);
    let (plain, verbose) = (stderr(&plain), stderr(&verbose));
    assert_eq!(
        plain.matches("(duplicate-title-date)").count(),
        20,
        "{plain}"
    );
    assert!(
        plain.contains("… and 5 more warnings in report.json"),
        "{plain}"
    );
    assert_eq!(
        verbose.matches("(duplicate-title-date)").count(),
        25,
        "{verbose}"
    );
    assert!(!verbose.contains("more warnings"), "{verbose}");
}

#[test]
fn no_progress_bar_unless_standard_error_is_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = convert(&testdata("media-mirror"), &dir.path().join("out"), &[]);
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}'), "escape codes: {err:?}");
    assert!(!err.contains('\r'), "carriage returns: {err:?}");
    assert!(err.starts_with("spaces2wxr: converted"), "{err}");
}

#[test]
fn no_colour_codes_in_usage_errors_when_not_a_terminal_or_no_color() {
    let o = run(&["convert", "--no-such-option"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains('\u{1b}'), "{:?}", stderr(&o));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_spaces2wxr"))
        .args(["convert", "--no-such-option"])
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains('\u{1b}'), "{:?}", stderr(&o));
}

#[test]
fn convert_help_has_examples_outputs_and_exit_codes() {
    let o = run(&["convert", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout);
    for want in [
        "Examples:",
        "spaces2wxr convert space.zip -o out --site-url",
        "Outputs (in OUT_DIR):",
        "report.json",
        "media/YYYY/MM/",
        "Exit status: 0",
        "3 written with warnings under --strict",
        "130 interrupted",
        "--quiet",
        "--verbose",
    ] {
        assert!(
            help.contains(want),
            "convert --help lacks {want:?}:\n{help}"
        );
    }
    let o = run(&["convert", "-h"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Examples:"));
    let o = run(&["--help"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Exit status"));
}
