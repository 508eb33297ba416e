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
//! mid-way is never asserted: every moment must pass. After each kill, a
//! rerun with `--force` removes the killed run's work folder (as its lock
//! file records it) and leaves only the output and its manifest.
//!
//! The same archive serves two more tests with real processes: a second
//! run on an `OUT_DIR` in use fails at once and names the first, and
//! SIGINT or SIGTERM, sent while the run reads, bundles images or writes
//! the WXR, undoes the run: one line says nothing was changed, `OUT_DIR` is
//! as before (absent, or the earlier complete output), and a rerun works.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const ENTRIES: u64 = 2000;
const MANIFEST: &str = ".spaces2wxr-manifest.json";
const LOCK: &str = ".spaces2wxr.lock";
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
        .args(["--site-url", "http://localhost"])
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
        // The next run cleans up what the killed one left, and only that.
        let status = spawn(&s, &out, true).wait().expect("rerun");
        assert!(matches!(status.code(), Some(0 | 3)), "rerun: {status:?}");
        let hidden = check_out_dir(&out, &images, Some(&complete_wxr));
        assert_eq!(hidden, [format!("{MANIFEST} (1 paths)")], "after the rerun");
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

/// Start a conversion into `out` with `extra` options, standard error kept.
fn spawn_piped(s: &Scene, out: &Path, extra: &[&str]) -> Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_spaces2wxr"))
        .arg("convert")
        .arg(&s.input)
        .arg("-o")
        .arg(out)
        .args(["--site-url", "http://localhost"])
        .args(extra)
        .current_dir(&s.cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the binary")
}

/// Poll until `cond` holds; false when the child ended first.
fn wait_for(child: &mut Child, cond: impl Fn() -> bool) -> bool {
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The lock file exists and names its run.
fn locked(out: &Path) -> bool {
    std::fs::read_to_string(out.join(LOCK)).is_ok_and(|t| t.contains("pid:"))
}

#[test]
fn a_second_run_on_an_out_dir_in_use_fails_at_once_naming_the_first() {
    let (s, images) = big_scene();
    let out = s.root().join("shared-out");
    let mut first = spawn_piped(&s, &out, &[]);
    assert!(
        wait_for(&mut first, || locked(&out)),
        "the first run ended before it was seen holding the lock"
    );
    for extra in [&[][..], &["--force"][..]] {
        let mut c = Command::new(env!("CARGO_BIN_EXE_spaces2wxr"));
        let second = c
            .arg("convert")
            .arg(&s.input)
            .arg("-o")
            .arg(&out)
            .args(["--site-url", "http://localhost"])
            .args(extra)
            .current_dir(&s.cwd)
            .output()
            .expect("second run");
        let err = stderr(&second);
        assert_eq!(second.status.code(), Some(1), "{extra:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(
            err.contains("in use") && err.contains(&format!("pid {}", first.id())),
            "names the first run: {err}"
        );
    }
    let o = first.wait_with_output().expect("first run");
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", stderr(&o));
    let hidden = check_out_dir(&out, &images, None);
    assert_eq!(hidden, [format!("{MANIFEST} (1 paths)")]);
    assert!(
        out.join("space.xml").exists(),
        "the first run's output is whole"
    );
}

/// Moments of a run, each told by what its work folder holds.
const MOMENTS: [&str; 3] = ["reading", "bundling images", "writing the WXR"];

fn reached(out: &Path, moment: &str) -> bool {
    let paths = || list_paths(out).into_iter().map(|(p, _)| p);
    match moment {
        "reading" => locked(out),
        "bundling images" => paths().any(|p| p.contains("/media/") && p.ends_with(".part")),
        _ => paths().any(|p| p.contains("/.space.xml.partial-")),
    }
}

#[test]
fn sigint_or_sigterm_undoes_the_run_and_says_so() {
    let (s, images) = big_scene();
    let complete = s.root().join("complete");
    let status = spawn(&s, &complete, false).wait().expect("full run");
    assert!(matches!(status.code(), Some(0 | 3)), "full run: {status:?}");
    let mut landed = 0;
    for moment in MOMENTS {
        for (sig, over_complete) in [("INT", false), ("TERM", true)] {
            let out = s
                .root()
                .join(format!("sig-{sig}-{}", moment.replace(' ', "-")));
            let mut extra: Vec<&str> = Vec::new();
            if over_complete {
                copy_tree(&complete, &out);
                extra.push("--force");
            }
            let before = (out.exists(), snapshot(&out));
            let mut child = spawn_piped(&s, &out, &extra);
            let mid_run = wait_for(&mut child, || reached(&out, moment));
            if mid_run {
                let sent = Command::new("kill")
                    .arg(format!("-{sig}"))
                    .arg(child.id().to_string())
                    .status()
                    .expect("kill");
                assert!(sent.success());
            }
            let o = child.wait_with_output().expect("reap");
            if !mid_run || matches!(o.status.code(), Some(0 | 3)) {
                // The run ended before the moment: nothing to interrupt.
                println!("SIG{sig} while {moment}: the run had ended; not checked");
                assert_ne!(moment, "reading", "the run is always seen reading");
                continue;
            }
            landed += 1;
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(130), "SIG{sig} while {moment}: {err}");
            assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
            assert!(
                err.contains("interrupted") && err.contains("nothing was changed"),
                "{err}"
            );
            assert_eq!(
                (out.exists(), snapshot(&out)),
                before,
                "SIG{sig} while {moment}: OUT_DIR changed"
            );
            // A rerun is not refused.
            let status = spawn(&s, &out, over_complete).wait().expect("rerun");
            assert!(matches!(status.code(), Some(0 | 3)), "rerun: {status:?}");
            check_out_dir(&out, &images, None);
            println!("SIG{sig} while {moment}: undone, then rerun");
        }
    }
    println!("{landed} signals landed mid-run");
}

/// SIGHUP after the terminal went away: the line cannot be printed (here,
/// standard error is a full disk), and the run must still be undone and
/// end with 130, not hang.
#[cfg(target_os = "linux")]
#[test]
fn a_signal_with_no_terminal_to_print_to_still_ends_the_run() {
    let (s, _images) = big_scene();
    let out = s.root().join("hup");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_spaces2wxr"))
        .arg("convert")
        .arg(&s.input)
        .arg("-o")
        .arg(&out)
        .args(["--site-url", "http://localhost"])
        .current_dir(&s.cwd)
        .stdout(Stdio::null())
        .stderr(full)
        .spawn()
        .expect("spawn");
    if !wait_for(&mut child, || locked(&out)) {
        println!("the run ended before the signal; not checked");
        return;
    }
    let sent = Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("try_wait") {
            break Some(st);
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let status = status.expect("the run ended after SIGHUP (it hung before the fix)");
    if status.code() == Some(0) {
        println!("the output was complete when the signal came; not checked");
        return;
    }
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert!(!out.exists(), "the run's output folder was removed");
}
