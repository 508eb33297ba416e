//! SIGKILL at any moment leaves no output that only looks complete.
//!
//! A synthetic folder archive (2,000 entry pages showing 40 distinct images,
//! ~4 MB) is converted once to completion, then again with the process
//! killed at fixed moments and at fractions of the full run's duration,
//! each time into a fresh `OUT_DIR`, and twice over the complete output of
//! the first run with `--force`. After every kill, `OUT_DIR` holds only:
//! the WXR, absent, or byte-identical to the complete one (output is
//! deterministic), or parsing completely; `report.json`, absent or
//! complete JSON; media files byte-identical to an archive image; and
//! hidden temporary files (a path segment starting with `.`), which are
//! listed on stdout. The input never changes. Whether a kill landed
//! mid-way is never asserted: every moment must pass.
#![cfg(unix)]

#[path = "hostile/common.rs"]
mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

const ENTRIES: u64 = 2000;
const IMAGES: u64 = 40;

/// A PNG-signed file of ~100 KB, different for each `n`.
fn image(n: u64) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for _ in 0..100_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.push(x as u8);
    }
    bytes
}

fn entry_page(n: u64) -> Vec<u8> {
    let body = format!(
        "<p>Entry number {n}, some words to make it look like a post.</p>\
         <img src=\"../img/p{}.png\" alt=\"photo\">",
        n % IMAGES
    );
    page(n, &format!("Entry {n}"), &body, &[]).into_bytes()
}

/// The archive folder and the bytes of its images.
fn big_scene() -> (Scene, BTreeSet<Vec<u8>>) {
    let mut files: Vec<(String, Vec<u8>)> = (1..=ENTRIES)
        .map(|n| (entry_path(n), entry_page(n)))
        .collect();
    files.extend((0..IMAGES).map(|n| (format!("img/p{n}.png"), image(n))));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let s = Scene::folder(&refs);
    (s, (0..IMAGES).map(image).collect())
}

/// Start a conversion into `out`, output discarded.
fn spawn(s: &Scene, out: &Path, force: bool) -> std::process::Child {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_spaces2wxr"));
    c.arg("convert")
        .arg(&s.input)
        .arg("-o")
        .arg(out)
        .current_dir(&s.cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if force {
        c.arg("--force");
    }
    c.spawn().expect("spawn the binary")
}

/// Run into `out`, kill after `after`; true when the run had already ended.
fn kill_after(s: &Scene, out: &Path, force: bool, after: Duration) -> bool {
    let mut child = spawn(s, out, force);
    std::thread::sleep(after);
    let ended = child.try_wait().expect("try_wait").is_some();
    let _ = child.kill();
    child.wait().expect("reap");
    ended
}

/// What a killed run left that is allowed; panics on anything else.
/// Returns the hidden temporaries: each path up to its first hidden
/// segment, with the number of paths under it.
fn check_out_dir(out: &Path, images: &BTreeSet<Vec<u8>>, previous: Option<&[u8]>) -> Vec<String> {
    let mut hidden: std::collections::BTreeMap<String, usize> = Default::default();
    for (path, is_dir) in list_paths(out) {
        let segs: Vec<&str> = path.split('/').collect();
        if let Some(i) = segs.iter().position(|seg| seg.starts_with('.')) {
            *hidden.entry(segs[..=i].join("/")).or_default() += 1;
            continue;
        }
        if is_dir {
            continue;
        }
        let bytes = || std::fs::read(out.join(&path)).expect("read output");
        match path.as_str() {
            "space.xml" => check_wxr(&bytes(), previous),
            "report.json" => {
                serde_json::from_slice::<serde_json::Value>(&bytes())
                    .unwrap_or_else(|e| panic!("report.json incomplete: {e}"));
            }
            p if p.starts_with("media/") => {
                assert!(
                    images.contains(&bytes()),
                    "{p} is not a whole archive image"
                )
            }
            p => panic!("unexpected file {p} in OUT_DIR"),
        }
    }
    hidden
        .into_iter()
        .map(|(p, n)| format!("{p} ({n} paths)"))
        .collect()
}

fn check_wxr(bytes: &[u8], previous: Option<&[u8]>) {
    if previous == Some(bytes) {
        return;
    }
    let text = std::str::from_utf8(bytes).expect("WXR is UTF-8");
    let doc = roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("WXR present but incomplete: {e}"));
    let items = doc.descendants().filter(|n| n.has_tag_name("item")).count();
    assert!(items >= ENTRIES as usize, "WXR holds only {items} items");
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, is_dir) in list_paths(from) {
        let (src, dst) = (from.join(&rel), to.join(&rel));
        if is_dir {
            std::fs::create_dir_all(&dst).expect("mkdir");
        } else {
            std::fs::create_dir_all(dst.parent().expect("parent")).expect("mkdir");
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

#[test]
fn sigkill_at_any_moment_leaves_only_whole_files() {
    let started = Instant::now();
    let (s, images) = big_scene();
    println!("archive built: {:?}", started.elapsed());
    let input_before = snapshot(&s.input);
    let full = s.root().join("full");
    let t0 = Instant::now();
    let status = spawn(&s, &full, false).wait().expect("full run");
    let full_time = t0.elapsed();
    assert_eq!(status.code(), Some(0), "full run: {status:?}");
    let complete_wxr = std::fs::read(full.join("space.xml")).expect("complete WXR");
    check_out_dir(&full, &images, None);
    println!(
        "full run: {full_time:?}, checked at {:?}",
        started.elapsed()
    );

    let mut moments: Vec<Duration> = [0, 20, 80, 200]
        .iter()
        .map(|&ms| Duration::from_millis(ms))
        .collect();
    moments.extend([0.6, 0.92].iter().map(|f| full_time.mul_f64(*f)));
    for (i, at) in moments.iter().enumerate() {
        let out: PathBuf = s.root().join(format!("kill-{i}"));
        let ended = kill_after(&s, &out, false, *at);
        let hidden = check_out_dir(&out, &images, Some(&complete_wxr));
        println!(
            "kill at {at:?} (run had ended: {ended}): hidden temporaries {hidden:?} [{:?}]",
            started.elapsed()
        );
    }

    let forced = s.root().join("forced");
    copy_tree(&full, &forced);
    for f in [0.8, 0.97] {
        let at = full_time.mul_f64(f);
        let ended = kill_after(&s, &forced, true, at);
        let hidden = check_out_dir(&forced, &images, Some(&complete_wxr));
        println!("--force kill at {at:?} (run had ended: {ended}): hidden temporaries {hidden:?}");
    }
    assert_eq!(snapshot(&s.input), input_before, "the input changed");
    println!("total: {:?}", started.elapsed());
}
