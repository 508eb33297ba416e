//! The binary's contract with scripts: exit codes, one-line errors that name
//! the path, refusal to overwrite, nothing written on failure.

use crate::util;

use util::{run, testdata, try_convert};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn missing_input_is_fatal_and_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-space.zip");
    let out = dir.path().join("out");
    let o = try_convert(&missing, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("no-such-space.zip"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(!out.exists(), "nothing written on failure");
}

#[test]
fn usage_errors_exit_2() {
    let o = run(&["convert"]);
    assert_eq!(o.status.code(), Some(2));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let input = testdata("onefile-folder");
    let args = [
        "convert",
        input.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
        "--site-url",
        "http://localhost",
        "--timezone",
        "Mars/Olympus",
    ];
    let o = run(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Mars/Olympus"), "{}", stderr(&o));
}

#[test]
fn non_empty_output_needs_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join("keep.txt"), "mine").expect("write");
    let input = testdata("onefile-folder");
    let args = [
        "convert",
        input.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
        "--site-url",
        "http://localhost",
    ];
    let o = run(&args);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_dir(&out).expect("dir").count(),
        1,
        "nothing added"
    );
    let mut forced = args.to_vec();
    forced.push("--force");
    let o = run(&forced);
    assert!(o.status.code() == Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn archive_without_entries_says_what_was_seen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("not-a-blog");
    std::fs::create_dir(&input).expect("mkdir");
    std::fs::write(
        input.join("index.html"),
        "<html><body><p>Hello</p></body></html>",
    )
    .expect("write");
    let out = dir.path().join("out");
    let o = try_convert(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("not-a-blog")
            && err.contains("none of its 1 files is a saved Spaces blog page"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_wordpress_export_is_recognised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("already");
    std::fs::create_dir(&input).expect("mkdir");
    let wxr = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version></channel></rss>"#;
    std::fs::write(input.join("blog.xml"), wxr).expect("write");
    let out = dir.path().join("out");
    let o = try_convert(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("already a WordPress export"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn not_a_zip_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    // The start of a zip without its end (an unfinished download), and a
    // file that is no zip at all, are told apart.
    for (bytes, says) in [
        (
            &b"PK\x03\x04 truncated"[..],
            "truncated or an incomplete download",
        ),
        (b"just some text, no zip", "not a zip archive"),
    ] {
        let input = dir.path().join("space.zip");
        std::fs::write(&input, bytes).expect("write");
        let o = try_convert(&input, &out, &[]);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(err.contains("space.zip") && err.contains(says), "{err}");
    }
}

#[test]
fn help_documents_exit_codes_and_options() {
    let o = run(&["convert", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout);
    for opt in [
        "--timezone",
        "--site-url",
        "--media-url",
        "--force",
        "--replace-media",
        "--crawl-date",
        "--zip-encoding",
        "--strict",
    ] {
        assert!(help.contains(opt), "{opt} missing from --help");
    }
    assert!(help.contains("Exit status: 0"), "exit codes in --help");
}

#[test]
fn warnings_exit_zero_unless_strict() {
    // The bundled sample has images that are not in the archive: warnings.
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testdata("backup-zip.zip");
    let out = dir.path().join("out");
    let base = [
        "convert",
        input.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
        "--site-url",
        "http://localhost",
    ];
    let o = run(&base);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = std::fs::read_to_string(out.join("report.json")).expect("report");
    let report: serde_json::Value = serde_json::from_str(&report).expect("json");
    assert!(
        report["counts"]["warnings"].as_u64().unwrap_or(0) > 0,
        "the sample raises warnings"
    );
    let mut strict = base.to_vec();
    strict.extend(["--force", "--strict"]);
    let o = run(&strict);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        out.join("report.json").is_file(),
        "output written under --strict"
    );
}

#[test]
fn completions_and_manual_pages() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = String::from_utf8_lossy(&o.stdout);
        assert!(
            script.contains("convert") && script.contains("media-url"),
            "{shell} completes subcommands and options"
        );
    }
    // The bash script is valid bash.
    let o = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("spaces2wxr.bash");
    std::fs::write(&file, &o.stdout).expect("write");
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .status()
        .expect("bash runs");
    assert!(syntax.success(), "bash -n accepts the completion script");

    let o = run(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.contains(".TH spaces2wxr 1"), "{page}");
    let o = run(&["man", "convert"]);
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.contains(".TH spaces2wxr-convert 1"), "{page}");
    assert!(page.contains("strict"), "options are documented");
    assert_eq!(run(&["man", "nope"]).status.code(), Some(2));
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn inputs_that_are_not_a_blog_say_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A folder that holds the backup zip itself.
    let holder = dir.path().join("downloads");
    std::fs::create_dir(&holder).expect("mkdir");
    std::fs::copy(testdata("backup-zip.zip"), holder.join("space.zip")).expect("copy");
    let out = dir.path().join("out");
    let o = try_convert(&holder, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("space.zip") && err.contains("pass it instead"),
        "{err}"
    );
    assert!(!err.contains("msgcns"), "no internal marker names: {err}");
    assert!(!out.exists(), "nothing written");
    // An empty folder.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let o = try_convert(&empty, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("holds no files"), "{}", stderr(&o));
    // A WordPress export given as input.
    let wxr = dir.path().join("blog.xml");
    std::fs::write(
        &wxr,
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel></channel></rss>"#,
    )
    .expect("write");
    let o = try_convert(&wxr, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("already a WordPress export"),
        "{}",
        stderr(&o)
    );
}

/// A reader that stops early, or a full disk on standard output or error,
/// is never a crash (exit 101 with a Rust panic message).
#[cfg(target_os = "linux")]
#[test]
fn closed_or_full_standard_streams_are_no_crash() {
    use std::process::{Command, Stdio};
    let bin = env!("CARGO_BIN_EXE_spaces2wxr");
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    // Completions into a full disk: one line, exit 1.
    let o = Command::new(bin)
        .args(["completions", "bash"])
        .stdout(full())
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot write to standard output"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"));
    // A conversion whose summary cannot be printed still succeeded.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let input = testdata("backup-zip.zip");
    let status = Command::new(bin)
        .args([
            "convert",
            input.to_str().expect("path"),
            "-o",
            out.to_str().expect("path"),
            "--site-url",
            "http://localhost",
        ])
        .stderr(full())
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(0));
    assert!(out.join("demo-space.xml").is_file());
    // `check … | head -1`: the reader goes away; the exit code still says
    // whether an import would lose something (here: nothing).
    let wxr = out.join("demo-space.xml");
    let mut child = Command::new(bin)
        .args([
            "check",
            wxr.to_str().expect("path"),
            wxr.to_str().expect("path"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("waits");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}
