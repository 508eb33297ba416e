//! `spaces2wxr inspect` on the real binary (issue 13): its numbers are the
//! ones `convert` then reports (posts, comments, missing images, zone) on
//! several fixtures, it writes nothing, `--json` is JSON, and a bad input
//! fails as `convert` fails.

use crate::util;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use util::{convert, testdata};

/// Run `spaces2wxr` in `cwd` with a clean environment.
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spaces2wxr"))
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("the binary runs")
}

/// `inspect INPUT --json` with extra `args`; its JSON.
fn inspect_json(input: &Path, args: &[&str]) -> Value {
    let mut all = vec!["inspect", input.to_str().expect("utf-8 path"), "--json"];
    all.extend_from_slice(args);
    let o = util::run(&all);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("inspect --json prints JSON")
}

fn json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).expect("read json")).expect("json")
}

/// The report of each space `convert` wrote into `out`, in output order.
fn reports(out: &Path) -> Vec<Value> {
    let summary = out.join("summary.json");
    if !summary.exists() {
        return vec![json(&out.join("report.json"))];
    }
    json(&summary)["spaces"]
        .as_array()
        .expect("spaces")
        .iter()
        .map(|s| {
            json(
                &out.join(s["dir"].as_str().expect("dir"))
                    .join("report.json"),
            )
        })
        .collect()
}

/// Inspect, then convert, and compare what both say of each space.
fn agrees_with_convert(fixture: &str, args: &[&str]) -> Value {
    let input = testdata(fixture);
    let seen = inspect_json(&input, args);
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    convert(&input, &out, args);
    let reports = reports(&out);
    let spaces = seen["spaces"].as_array().expect("spaces");
    assert_eq!(spaces.len(), reports.len(), "{fixture}: spaces");
    for (s, r) in spaces.iter().zip(&reports) {
        let c = &r["counts"];
        let name = &r["space"];
        assert_eq!(s["space"], *name, "{fixture}: space name");
        assert_eq!(s["posts"], c["posts"], "{fixture} {name}: posts");
        assert_eq!(s["comments"]["held"], c["comments"], "{fixture} {name}");
        assert_eq!(
            s["comments"]["missing"], c["missing_comments"],
            "{fixture} {name}: comments declared but not held"
        );
        assert_eq!(s["images"]["local"], c["attachments"], "{fixture} {name}");
        assert_eq!(
            s["images"]["local_bytes"], c["media_bytes"],
            "{fixture} {name}"
        );
        let missing = r["missing_media"].as_array().expect("missing_media").len();
        assert_eq!(s["images"]["missing"], missing, "{fixture} {name}: missing");
        assert_eq!(s["timezone"], r["timezone"], "{fixture} {name}: zone");
        let dates: Vec<&str> = r["posts"]
            .as_array()
            .expect("posts")
            .iter()
            .filter_map(|p| p["date"].as_str())
            .collect();
        if let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) {
            assert_eq!(s["dates"]["first"], *first, "{fixture} {name}: first date");
            assert_eq!(s["dates"]["last"], *last, "{fixture} {name}: last date");
        }
    }
    seen
}

#[test]
fn inspect_agrees_with_convert() {
    let cases: [(&str, &[&str]); 9] = [
        ("backup-zip.zip", &[]),
        ("wget-mirror", &["--crawl-date", "2010-11-20 12:00:00"]),
        ("httrack-mirror", &[]),
        ("media-mirror", &[]),
        ("shapes-zh-photos", &[]),
        ("save-page-complete", &[]),
        ("several-spaces", &[]),
        ("feed-only-dates", &[]),
        ("zh-gbk-names.zip", &["--timezone", "+08:00"]),
    ];
    for (fixture, args) in cases {
        agrees_with_convert(fixture, args);
    }
}

#[test]
fn inspect_names_layout_encodings_and_missing_comments() {
    let wget = agrees_with_convert("wget-mirror", &["--crawl-date", "2010-11-20 12:00:00"]);
    assert_eq!(wget["layout"]["kinds"][0]["kind"], "wget-mirror", "{wget}");
    assert_eq!(wget["layout"]["container"], "folder");
    let space = &wget["spaces"][0];
    // One page says 23 comments and holds 3; the others hold all theirs.
    assert_eq!(space["comments"]["declared"], 27, "{space}");
    assert_eq!(space["comments"]["held"], 7, "{space}");
    assert_eq!(space["comments"]["missing"], 20, "{space}");

    let httrack = inspect_json(&testdata("httrack-mirror"), &[]);
    assert_eq!(httrack["layout"]["kinds"][0]["kind"], "httrack-mirror");
    let backup = inspect_json(&testdata("backup-zip.zip"), &[]);
    assert_eq!(backup["layout"]["container"], "zip");
    assert_eq!(backup["layout"]["kinds"][0]["kind"], "backup");
    let saved = inspect_json(&testdata("save-page-complete"), &[]);
    assert_eq!(saved["layout"]["kinds"][0]["kind"], "saved-pages");
    // One page in GBK (under a gb2312 meta), one in UTF-8 with a BOM.
    assert_eq!(saved["encodings"]["GBK"], 1, "{}", saved["encodings"]);
    assert_eq!(saved["encodings"]["UTF-8"], 1, "{}", saved["encodings"]);
}

/// Every path under `dir`, folders too, sorted, with the bytes of files.
fn listing(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                out.push((p.clone(), None));
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("read");
                out.push((p, Some(bytes)));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn inspect_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("mirror");
    for (rel, bytes) in util::tree(&testdata("media-mirror")) {
        let p = input.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }
    let cwd = tmp.path().join("cwd");
    std::fs::create_dir(&cwd).expect("cwd");
    let before = listing(tmp.path());
    for json in [false, true] {
        let mut args = vec!["inspect", input.to_str().expect("utf-8")];
        if json {
            args.push("--json");
        }
        let o = run_in(&cwd, &args);
        assert_eq!(o.status.code(), Some(0));
        let text = String::from_utf8_lossy(&o.stdout);
        if !json {
            assert!(text.contains("HTTrack mirror"), "{text}");
            assert!(text.contains("Nothing was written"), "{text}");
        }
    }
    assert_eq!(listing(tmp.path()), before, "inspect changed the disk");
}

#[test]
fn bad_input_fails_as_convert_does() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let empty = tmp.path().join("no-entries");
    std::fs::create_dir(&empty).expect("mkdir");
    std::fs::write(empty.join("notes.html"), "<html><body>hello</body></html>").expect("w");
    let missing = tmp.path().join("no-such.zip");
    for input in [&empty, &missing] {
        let i = util::run(&["inspect", input.to_str().expect("utf-8")]);
        assert_eq!(
            i.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&i.stderr)
        );
        let out = tmp.path().join("out");
        let c = util::try_convert(input, &out, &[]);
        assert_eq!(c.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&i.stderr),
            String::from_utf8_lossy(&c.stderr),
            "the same message"
        );
        assert!(i.stdout.is_empty());
    }
    let bad = util::run(&[
        "inspect",
        empty.to_str().expect("utf-8"),
        "--timezone",
        "CST",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}
