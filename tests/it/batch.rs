//! Many blogs at once: several inputs in one run, a batch of generated
//! archives, `--shard K/N` partitioning the blogs, and a broken input that
//! does not stop the others.

use crate::common;
use crate::util;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use util::testdata;

fn json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).expect("read json")).expect("json")
}

/// `spaces2wxr convert INPUTS… -o OUT --site-url http://localhost ARGS…`.
fn run(inputs: &[PathBuf], out: &Path, args: &[&str]) -> std::process::Output {
    let mut all: Vec<String> = vec!["convert".into()];
    all.extend(
        inputs
            .iter()
            .map(|p| p.to_str().expect("utf-8").to_string()),
    );
    all.extend(["-o".into(), out.to_str().expect("utf-8").to_string()]);
    all.extend(["--site-url".into(), util::SITE_URL.into()]);
    all.extend(args.iter().map(|a| a.to_string()));
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    util::run(&refs)
}

fn code(o: &std::process::Output) -> Option<i32> {
    o.status.code()
}

/// `n` small zips in `dir`, each one blog of its own owner with two posts.
fn generate(dir: &Path, n: usize) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let owner = format!("{:016X}", 0xA000_0000_0000_0000_u64 + i as u64);
            let pages: Vec<(String, Vec<u8>)> = (1..=2u64)
                .map(|e| {
                    let page = String::from_utf8(common::simple_page(e, &format!("blog{i}")))
                        .expect("utf-8")
                        .replace(common::OWNER, &owner);
                    (format!("blog/cns!{owner}!{e}.html"), page.into_bytes())
                })
                .collect();
            let entries: Vec<(&str, &[u8])> = pages
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect();
            let path = dir.join(format!("blog-{i:03}.zip"));
            std::fs::write(&path, common::zip_bytes(&entries)).expect("write zip");
            path
        })
        .collect()
}

fn names(summary: &Value) -> Vec<String> {
    summary["spaces"]
        .as_array()
        .expect("spaces")
        .iter()
        .map(|s| s["space"].as_str().expect("name").to_string())
        .collect()
}

/// Every file under `root` with its bytes, by relative path.
fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .expect("inside")
                    .to_string_lossy()
                    .into();
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

fn fixtures() -> Vec<PathBuf> {
    [
        "backup-zip.zip",
        "wget-mirror",
        "shapes-zh-photos",
        "several-spaces",
    ]
    .iter()
    .map(|f| testdata(f))
    .collect()
}

#[test]
fn several_inputs_each_blog_its_folder_and_a_broken_input_stops_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let broken = tmp.path().join("broken.zip");
    std::fs::write(&broken, b"PK\x03\x04 this is not a zip").expect("write");
    let mut inputs = fixtures();
    inputs.insert(2, broken.clone());
    let out = tmp.path().join("out");
    let o = run(&inputs, &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), Some(0), "{err}");
    assert!(err.contains("6 blogs converted, 1 failed"), "{err}");
    assert!(err.contains("FAILED"), "{err}");

    let summary = json(&out.join("summary.json"));
    // The inputs' order, then each input's; never merged, names unique.
    assert_eq!(
        names(&summary),
        [
            "demo-space",
            "demo-space-2",
            "xiaoyu-notes",
            "anna-lee",
            "joao-silva",
            "cid-7e8f90a1b2c3d4e5"
        ]
    );
    assert_eq!(summary["inputs"].as_array().expect("inputs").len(), 5);
    let failed = summary["failed"].as_array().expect("failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["input"], broken.to_str().expect("utf-8"));
    assert_eq!(failed[0]["space"], Value::Null);
    assert!(summary["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .any(|w| w["kind"] == "conversion-failed"));
    for s in summary["spaces"].as_array().expect("spaces") {
        let dir = out.join(s["dir"].as_str().expect("dir"));
        let report = json(&dir.join("report.json"));
        assert_eq!(report["counts"], s["counts"]);
        assert_eq!(report["input"], s["input"]);
        assert!(dir.join(s["wxr_file"].as_str().expect("wxr")).is_file());
    }

    // A blog alone in its input is converted as that input alone would be.
    let alone = tmp.path().join("alone");
    util::convert(&testdata("shapes-zh-photos"), &alone, &[]);
    let single = json(&alone.join("report.json"));
    let batch = json(&out.join("xiaoyu-notes/report.json"));
    assert_eq!(single["counts"], batch["counts"]);
    assert_eq!(single["warnings"], batch["warnings"]);
    assert_eq!(single["posts"], batch["posts"]);
}

#[test]
fn a_batch_of_200_archives_and_its_summary() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs_dir = tmp.path().join("in");
    std::fs::create_dir(&inputs_dir).expect("mkdir");
    let mut inputs = generate(&inputs_dir, 200);
    // One archive among them is cut short.
    let bytes = std::fs::read(&inputs[150]).expect("read");
    std::fs::write(&inputs[150], &bytes[..bytes.len() / 2]).expect("truncate");
    inputs.push(inputs_dir.join("gone.zip"));
    let out = tmp.path().join("out");
    let o = run(&inputs, &out, &["--quiet"]);
    assert_eq!(code(&o), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = json(&out.join("summary.json"));
    let spaces = summary["spaces"].as_array().expect("spaces");
    assert_eq!(spaces.len(), 199);
    for (s, i) in spaces.iter().zip((0..200).filter(|i| *i != 150)) {
        assert_eq!(
            s["space"],
            format!("cid-{:016x}", 0xA000_0000_0000_0000_u64 + i as u64)
        );
        assert_eq!(s["input"], inputs[i].to_str().expect("utf-8"));
        assert_eq!(s["counts"]["posts"], 2);
        let dir = out.join(s["dir"].as_str().expect("dir"));
        assert!(dir.join("report.json").is_file());
    }
    let failed: Vec<&str> = summary["failed"]
        .as_array()
        .expect("failed")
        .iter()
        .map(|f| f["input"].as_str().expect("input"))
        .collect();
    assert_eq!(
        failed,
        [
            inputs[150].to_str().expect("utf-8"),
            inputs[200].to_str().expect("utf-8")
        ]
    );
    // --strict: a failed blog is a warning.
    let strict = run(&inputs[140..160], &tmp.path().join("strict"), &["--strict"]);
    assert_eq!(code(&strict), Some(3));
}

#[test]
fn shards_partition_the_blogs_exactly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs_dir = tmp.path().join("in");
    std::fs::create_dir(&inputs_dir).expect("mkdir");
    let mut inputs = fixtures();
    inputs.extend(generate(&inputs_dir, 24));
    let whole = tmp.path().join("whole");
    let o = run(&inputs, &whole, &["--quiet"]);
    assert_eq!(code(&o), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let all: BTreeSet<String> = names(&json(&whole.join("summary.json")))
        .into_iter()
        .collect();
    assert_eq!(all.len(), 30);

    let n = 4;
    let mut union = BTreeSet::new();
    for k in 1..=n {
        let out = tmp.path().join(format!("shard-{k}"));
        let o = run(&inputs, &out, &["--quiet", "--shard", &format!("{k}/{n}")]);
        assert_eq!(code(&o), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let summary = json(&out.join("summary.json"));
        assert_eq!(summary["shard"]["shard"], format!("{k}/{n}"));
        let mine = names(&summary);
        let skipped: BTreeSet<String> = summary["shard"]["skipped"]
            .as_array()
            .expect("skipped")
            .iter()
            .map(|s| {
                assert_ne!(s["shard"], k);
                s["space"].as_str().expect("space").to_string()
            })
            .collect();
        for name in &mine {
            assert!(union.insert(name.clone()), "{name} in two shards");
            assert!(!skipped.contains(name));
            // The same folder, byte for byte, as in the run of all blogs.
            assert_eq!(tree(&out.join(name)), tree(&whole.join(name)), "{name}");
        }
        assert_eq!(mine.len() + skipped.len(), all.len());
    }
    assert_eq!(union, all);

    // One input: the shard filters its blogs.
    let one = tmp.path().join("one");
    let o = run(
        &[testdata("several-spaces")],
        &one,
        &["--quiet", "--shard", "1/1"],
    );
    assert_eq!(code(&o), Some(0));
    assert_eq!(names(&json(&one.join("summary.json"))).len(), 3);
}

#[test]
fn a_batch_is_deterministic_and_fails_only_when_every_blog_does() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let inputs = fixtures();
    for out in [&a, &b] {
        let o = run(&inputs, out, &["--quiet"]);
        assert_eq!(code(&o), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(tree(&a), tree(&b));

    let bad = tmp.path().join("bad.zip");
    std::fs::write(&bad, b"not a zip").expect("write");
    let out = tmp.path().join("bad-out");
    let o = run(&[bad.clone(), tmp.path().join("missing")], &out, &[]);
    assert_eq!(code(&o), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["failed"].as_array().expect("failed").len(), 2);
    assert!(summary["spaces"].as_array().expect("spaces").is_empty());
}
