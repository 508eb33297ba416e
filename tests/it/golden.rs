//! Whole-file golden outputs: every fixture converted with fixed settings,
//! each output file compared whole with `testdata/golden/<fixture>/`.
//!
//! A refactor that changes no behaviour passes untouched; a change of output
//! shows up as a diff here. To accept new outputs on purpose, run
//! `SPACES2WXR_BLESS=1 cargo test --release --test it golden` and review the
//! diff of `testdata/golden/` before committing it.
//!
//! The goldens live apart from the inputs because a WXR inside an input
//! folder would itself be read as input.

use crate::util;

use std::path::Path;

use sha2::{Digest, Sha256};
use util::{convert, fixtures, root};

/// Fixed settings, so that file times and the machine never matter.
const ARGS: [&str; 6] = [
    "--site-url",
    "http://localhost",
    "--crawl-date",
    "2010-11-20 12:00:00",
    "--media-url",
    "http://localhost/spaces2wxr-media",
];

/// Every output file as (relative path, text). Media files become one
/// line each in `media.sha256` (path and digest), not copies.
fn outputs(out: &Path, input: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut media = String::new();
    let mut stack = vec![out.to_path_buf()];
    let mut all = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read out") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                all.push(p);
            }
        }
    }
    all.sort();
    let input_text = input.display().to_string();
    for p in all {
        let rel = p
            .strip_prefix(out)
            .expect("inside out")
            .to_string_lossy()
            .replace('\\', "/");
        let is_media = rel.split('/').any(|s| s == "media");
        let bytes = std::fs::read(&p).expect("read output");
        if is_media {
            let digest = Sha256::digest(&bytes);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            media.push_str(&format!("{hex}  {rel}\n"));
        } else if rel.ends_with(".xml") || rel.ends_with(".json") {
            let text = String::from_utf8(bytes).expect("utf-8 output");
            // The manifest records each file's size, and report.json and
            // summary.json hold the input's path: their sizes depend on
            // where the checkout is, so they are left out of the manifest.
            let text = if rel.ends_with(".spaces2wxr-manifest.json") {
                without_report_sizes(&text)
            } else {
                text
            };
            // The input path is the only thing that depends on the checkout.
            let json_input = serde_json::to_string(&input_text).expect("json string");
            let text = text
                .replace(&json_input[1..json_input.len() - 1], "<INPUT>")
                .replace(&input_text, "<INPUT>");
            files.push((rel, text));
        }
    }
    files.push(("media.sha256".into(), media));
    files
}

/// The manifest with the sizes of `report.json` and `summary.json` set to 0.
fn without_report_sizes(text: &str) -> String {
    let mut m: serde_json::Value = serde_json::from_str(text).expect("manifest is JSON");
    for e in m["entries"].as_array_mut().into_iter().flatten() {
        let path = e["path"].as_str().unwrap_or_default();
        if path.ends_with("report.json") || path.ends_with("summary.json") {
            e["size"] = 0.into();
        }
    }
    let mut out = serde_json::to_string_pretty(&m).expect("json");
    out.push('\n');
    out
}

#[test]
fn every_fixture_matches_its_golden_output() {
    let bless = std::env::var_os("SPACES2WXR_BLESS").is_some();
    let mut failures = Vec::new();
    for input in fixtures() {
        let name = input
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        convert(&input, &out, &ARGS);
        let golden = root().join("testdata/golden").join(&name);
        let got = outputs(&out, &input);
        if bless {
            let _ = std::fs::remove_dir_all(&golden);
            for (rel, text) in &got {
                let p = golden.join(rel);
                std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir golden");
                std::fs::write(&p, text).expect("write golden");
            }
            continue;
        }
        let mut want: Vec<String> = Vec::new();
        let mut stack = vec![golden.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&dir) else {
                failures.push(format!("{name}: no golden folder {}", golden.display()));
                break;
            };
            for e in rd {
                let p = e.expect("entry").path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(&golden).expect("inside").to_string_lossy();
                    want.push(rel.replace('\\', "/"));
                }
            }
        }
        want.sort();
        let mut have: Vec<String> = got.iter().map(|(r, _)| r.clone()).collect();
        have.sort();
        if want != have {
            failures.push(format!(
                "{name}: files differ: golden {want:?}, output {have:?}"
            ));
            continue;
        }
        for (rel, text) in &got {
            let expected = std::fs::read_to_string(golden.join(rel)).expect("read golden");
            if &expected != text {
                let line = expected
                    .lines()
                    .zip(text.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| expected.lines().count().min(text.lines().count()));
                failures.push(format!(
                    "{name}/{rel}: differs from line {}:\n  golden: {:?}\n  output: {:?}",
                    line + 1,
                    expected.lines().nth(line).unwrap_or(""),
                    text.lines().nth(line).unwrap_or("")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden mismatches (SPACES2WXR_BLESS=1 to accept on purpose):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
