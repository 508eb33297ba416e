//! Independent consumers of the WXR the real binary writes for each fixture:
//! `xmllint --noout` (libxml2, the engine behind the importer's SimpleXML path),
//! `scripts/consumers/check_wxr.py` (lxml + feedparser assertions of the importer's
//! contract and of the fixture's `expected.json`) and `scripts/consumers/run_wetm.sh`
//! (the npm package wordpress-export-to-markdown).
//!
//! A missing tool fails the test when the environment variable `CI` is set (`.ci/run`
//! installs them all); otherwise that part is skipped with a `skipped: …` line on stderr.
//! The Python interpreter is `$SPACES2WXR_PYTHON` if set, else `python3`.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Exit status with which the consumer scripts report a missing dependency.
const EXIT_MISSING: i32 = 77;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn python() -> String {
    std::env::var("SPACES2WXR_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "python3".to_owned())
}

/// Fails under CI, else prints a visible (uncaptured) skip line.
fn missing(what: &str, hint: &str) {
    assert!(
        !in_ci(),
        "{what} is not installed, but CI is set and .ci/run must install it ({hint})"
    );
    let mut err = std::io::stderr();
    let _ = writeln!(err, "skipped: {what} not installed ({hint})");
}

fn describe(out: &Output) -> String {
    format!(
        "status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `cmd`; `None` if its program is not installed.
fn run(cmd: &mut Command) -> Option<Output> {
    match cmd.current_dir(root()).output() {
        Ok(out) => Some(out),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => panic!("cannot run {cmd:?}: {e}"),
    }
}

/// Runs `spaces2wxr convert INPUT -o OUT` and returns the one `.xml` file it wrote.
fn convert(input: &Path, out: &Path) -> PathBuf {
    let result = run(Command::new(env!("CARGO_BIN_EXE_spaces2wxr"))
        .arg("convert")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(["--site-url", "http://localhost"]))
    .expect("the spaces2wxr binary exists");
    let code = result.status.code();
    assert!(
        code == Some(0),
        "convert {} must exit 0\n{}",
        input.display(),
        describe(&result)
    );
    assert!(
        out.join("report.json").is_file(),
        "no report.json in {}",
        out.display()
    );
    assert!(out.join("media").is_dir(), "no media/ in {}", out.display());
    let xmls: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("output dir is readable")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    assert_eq!(
        xmls.len(),
        1,
        "want exactly one .xml in {}: {xmls:?}",
        out.display()
    );
    xmls.into_iter().next().expect("one xml")
}

pub(crate) fn check_xmllint(wxr: &Path) {
    match run(Command::new("xmllint")
        .args(["--noout", "--nonet"])
        .arg(wxr))
    {
        None => missing("xmllint", "apt-get install libxml2-utils"),
        Some(out) => assert!(
            out.status.success(),
            "xmllint rejects {}\n{}",
            wxr.display(),
            describe(&out)
        ),
    }
}

/// Runs a consumer script that exits 77 when its own dependencies are missing.
fn check_script(what: &str, hint: &str, cmd: &mut Command) {
    match run(cmd) {
        None => missing(what, hint),
        Some(out) if out.status.code() == Some(EXIT_MISSING) => missing(what, hint),
        Some(out) => assert!(out.status.success(), "{what} failed\n{}", describe(&out)),
    }
}

pub(crate) fn check_wxr_py(wxr: &Path, expect: Option<&Path>) {
    let script = root().join("scripts/consumers/check_wxr.py");
    let mut cmd = Command::new(python());
    cmd.arg(script);
    if let Some(e) = expect {
        cmd.arg("--expect").arg(e);
    }
    // The zone the run read dates in (from the market or the words of the
    // pages), as its report says: GMT dates are checked against it.
    let report = wxr.with_file_name("report.json");
    if let Some(zone) = std::fs::read(&report)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|r| r["timezone"]["zone"].as_str().map(str::to_string))
    {
        cmd.arg("--timezone").arg(zone);
    }
    check_script(
        "check_wxr.py (python3 with lxml and feedparser)",
        "pip install -r scripts/consumers/requirements.txt, or set SPACES2WXR_PYTHON",
        cmd.arg(wxr),
    );
}

fn check_wetm(wxr: &Path, expect: Option<&Path>, md_dir: &Path) {
    let script = root().join("scripts/consumers/run_wetm.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(script).arg(wxr).arg(md_dir);
    if let Some(e) = expect {
        cmd.arg(e);
    }
    check_script(
        "wordpress-export-to-markdown (node + npm package)",
        "cd scripts/consumers && npm ci",
        &mut cmd,
    );
}

/// Converts one fixture and feeds the WXR to every consumer.
fn check_fixture(input: &str, expected: &str) {
    let input = root().join(input);
    let expected = root().join(expected);
    assert!(input.exists(), "fixture {} is missing", input.display());
    assert!(
        expected.is_file(),
        "expected file {} is missing",
        expected.display()
    );
    check_consumers(&input, Some(&expected));
}

/// Convert `input` and run every consumer, with an expectation file if any.
fn check_consumers(input: &Path, expected: Option<&Path>) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let wxr = convert(input, &tmp.path().join("out"));
    check_xmllint(&wxr);
    check_wxr_py(&wxr, expected);
    check_wetm(&wxr, expected, &tmp.path().join("markdown"));
}

#[test]
fn backup_zip_passes_consumers() {
    check_fixture(
        "testdata/backup-zip.zip",
        "testdata/backup-zip/expected.json",
    );
}

#[test]
fn onefile_folder_passes_consumers() {
    check_fixture(
        "testdata/onefile-folder",
        "testdata/onefile-folder/expected.json",
    );
}

#[test]
fn zh_list_page_passes_consumers() {
    check_fixture(
        "testdata/zh-list-page",
        "testdata/zh-list-page/expected.json",
    );
}

#[test]
fn zh_gbk_names_zip_passes_consumers() {
    check_fixture(
        "testdata/zh-gbk-names.zip",
        "testdata/zh-gbk-names.expected.json",
    );
}

#[test]
fn layout_fixtures_pass_consumers() {
    for (input, expected) in [
        (
            "testdata/httrack-mirror",
            "testdata/httrack-mirror/expected.json",
        ),
        (
            "testdata/save-page-complete",
            "testdata/save-page-complete/expected.json",
        ),
        ("testdata/zh-tw-big5", "testdata/zh-tw-big5/expected.json"),
        ("testdata/ja-sjis", "testdata/ja-sjis/expected.json"),
        ("testdata/de-pt-dates", "testdata/de-pt-dates/expected.json"),
        (
            "testdata/feed-only-dates",
            "testdata/feed-only-dates/expected.json",
        ),
        (
            "testdata/cp437-names.zip",
            "testdata/cp437-names.expected.json",
        ),
    ] {
        check_fixture(input, expected);
    }
}

#[test]
fn media_and_hostile_fixtures_pass_consumers() {
    for input in ["testdata/media-mirror", "testdata/hostile-post"] {
        check_consumers(&root().join(input), None);
    }
}
