//! Hostile inputs: the real binary on archives built to escape, exhaust or
//! crash it. Every test proves three things: the exit code and message are
//! the documented ones (0/3 converted, 1 fatal with one line naming the
//! path), nothing was written outside `OUT_DIR` (the whole tempdir, with a
//! sentinel folder beside the input and the output, is compared before and
//! after, and the child runs in a working folder inside the tempdir), and
//! the input was not modified. Zips are built at test time, never committed.

use crate::common;
use crate::util;

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;

/// Text of the one good entry every archive holds.
const GOOD: &str = "GOODMARK";
/// Text of entries that must never reach the WXR.
const EVIL: &str = "EVILMARK";

fn good_entry() -> (String, Vec<u8>) {
    (entry_path(1), simple_page(1, GOOD))
}

/// A zip with the good entry followed by `extra`.
fn zip_with_good(extra: &[(&str, &[u8])]) -> Vec<u8> {
    let (name, bytes) = good_entry();
    let mut all: Vec<(&str, &[u8])> = vec![(&name, &bytes)];
    all.extend_from_slice(extra);
    zip_bytes(&all)
}

/// The WXR parses, holds the good entry and none of `absent`.
fn assert_wxr(s: &Scene, present: &[&str], absent: &[&str]) -> Vec<util::Item> {
    let xml = s.wxr();
    let items = util::items(&xml);
    for p in present {
        assert!(xml.contains(p), "WXR should contain {p}");
    }
    for a in absent {
        assert!(!xml.contains(a), "WXR must not contain {a}");
    }
    items
}

/// report.json has a warning of `kind` whose file and message contain the
/// given texts.
fn assert_warned(s: &Scene, kind: &str, file: &str, message: &str) {
    let ws = s.warnings();
    assert!(
        ws.iter().any(|w| {
            let mut parts = w.splitn(3, '|');
            parts.next() == Some(kind)
                && parts.next().is_some_and(|f| f.contains(file))
                && parts.next().is_some_and(|m| m.contains(message))
        }),
        "no {kind} warning for {file:?} mentioning {message:?} in {ws:#?}"
    );
}

/// A converted run that skipped something: exit 0 with a warning, only `OUT_DIR` written,
/// the good entry present and no `EVIL`/`SENTINELMARK` text.
fn assert_skipped_safely(s: &Scene, o: &std::process::Output) {
    assert_eq!(assert_converted(o), 0, "{}", stderr(o));
    assert!(!s.warnings().is_empty(), "warned: {}", stderr(o));
    s.assert_only_output_written();
    assert_wxr(s, &[GOOD], &[EVIL, "SENTINELMARK"]);
}

// ---------------------------------------------------------------- zip names

#[test]
fn zip_entry_climbing_out_with_dotdot_is_skipped() {
    let evil = simple_page(2, EVIL);
    let bytes = zip_with_good(&[("../x.html", &evil), ("blog/../../y.html", &evil)]);
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_skipped_safely(&s, &o);
    assert_warned(&s, "skipped-file", "../x.html", "unsafe path");
    assert_warned(&s, "skipped-file", "blog/../../y.html", "unsafe path");
}

#[test]
fn zip_entry_with_absolute_path_is_skipped() {
    let unique = format!("/tmp/spaces2wxr-hostile-{}.html", std::process::id());
    let tmp_x = Path::new("/tmp/x.html");
    let tmp_x_before = node(tmp_x);
    let evil = simple_page(2, EVIL);
    let bytes = zip_with_good(&[("/tmp/x.html", &evil), (&unique, &evil)]);
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_skipped_safely(&s, &o);
    assert_eq!(node(tmp_x), tmp_x_before, "/tmp/x.html untouched");
    assert!(!Path::new(&unique).exists(), "{unique} was created");
    assert_warned(&s, "skipped-file", "/tmp/x.html", "unsafe path");
}

#[test]
fn zip_entry_with_drive_letter_is_skipped() {
    let evil = simple_page(2, EVIL);
    let bytes = zip_with_good(&[
        ("C:\\x.html", &evil),
        ("c:/y.html", &evil),
        ("D:z.html", &evil),
    ]);
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_skipped_safely(&s, &o);
    assert_warned(&s, "skipped-file", "C:\\x.html", "unsafe path");
    assert_warned(&s, "skipped-file", "D:z.html", "unsafe path");
}

#[test]
fn zip_backslash_separators_are_read() {
    let png = std::fs::read(util::testdata("onefile-folder/img/lake.png")).expect("png");
    let second = page(
        2,
        "Backslash entry",
        "<p>BACKSLASHMARK</p><img src=\"../img/pic.png\" alt=\"pic\">",
        &[],
    );
    let name = format!("blog\\cns!{OWNER}!2.html");
    let bytes = zip_with_good(&[(&name, second.as_bytes()), ("img\\pic.png", &png)]);
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_eq!(assert_converted(&o), 0, "{}", stderr(&o));
    s.assert_only_output_written();
    let items = assert_wxr(&s, &[GOOD, "BACKSLASHMARK"], &[]);
    let post = items.iter().find(|i| i.post_id == 2).expect("post 2");
    let expected_source = format!("blog/cns!{OWNER}!2.html");
    assert_eq!(
        post.meta("_wls_source_file"),
        Some(expected_source.as_str())
    );
    let bundled: Vec<(String, Vec<u8>)> = util::tree(&s.out.join("media"));
    assert_eq!(bundled.len(), 1, "the image is bundled: {:?}", s.warnings());
    assert_eq!(bundled[0].1, png, "bundled bytes are the archive's");
}

#[test]
fn zip_symlink_entries_are_not_followed() {
    let mut s = Scene::zip(&[]);
    let target = s.sentinel.join("evil.html");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let (good_name, good_bytes) = good_entry();
    w.start_file(good_name, zip_options()).expect("start");
    w.write_all(&good_bytes).expect("write");
    let links = [
        (
            format!("blog/cns!{OWNER}!2.html"),
            "/etc/passwd".to_string(),
        ),
        (
            "blog/abs.html".into(),
            target.to_string_lossy().into_owned(),
        ),
        ("blog/rel.html".into(), "../../sentinel/evil.html".into()),
    ];
    for (name, to) in &links {
        w.add_symlink(name, to, zip_options())
            .expect("symlink entry");
    }
    s.write_input(&w.finish().expect("finish").into_inner());
    let o = s.run(&[]);
    assert_skipped_safely(&s, &o);
    assert_wxr(&s, &[], &["root:"]);
    for (name, _) in &links {
        assert_warned(&s, "skipped-file", name, "symbolic link");
    }
}

/// Rename every occurrence of `from` in the zip (local and central headers).
fn rename_in_zip(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut n = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            n += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    n
}

#[test]
fn zip_duplicate_names_are_read_once_and_reported() {
    let first = simple_page(2, "FIRSTDUP");
    let second = simple_page(3, "SECONDDUP");
    let mut bytes = zip_with_good(&[("blog/dup-a.html", &first), ("blog/dup-b.html", &second)]);
    let renamed = rename_in_zip(&mut bytes, b"blog/dup-b.html", b"blog/dup-a.html");
    assert_eq!(renamed, 2, "local and central header renamed");
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_eq!(assert_converted(&o), 0, "{}", stderr(&o));
    assert!(!s.warnings().is_empty(), "warned: {}", stderr(&o));
    s.assert_only_output_written();
    let xml = s.wxr();
    let (has_first, has_second) = (xml.contains("FIRSTDUP"), xml.contains("SECONDDUP"));
    assert!(has_first != has_second, "exactly one of the two is read");
    let ws = s.warnings().join("\n");
    assert!(ws.contains("twice"), "duplicate reported: {ws}");
    if ws.contains("only the last entry is read") {
        assert!(has_second, "the warning says the last entry was read");
    }
}

#[test]
fn zip_names_equal_after_separator_normalisation_are_read_once() {
    let slash = simple_page(2, "SLASHMARK");
    let back = simple_page(3, "BACKMARK");
    let bytes = zip_with_good(&[("blog/n.html", &slash), ("blog\\n.html", &back)]);
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_eq!(assert_converted(&o), 0, "{}", stderr(&o));
    assert!(!s.warnings().is_empty(), "warned: {}", stderr(&o));
    s.assert_only_output_written();
    assert_wxr(&s, &["SLASHMARK"], &["BACKMARK"]);
    assert_warned(&s, "skipped-file", "blog/n.html", "the first was read");
}

#[test]
fn zip_names_differing_only_in_case_are_both_read_and_reported() {
    let upper = simple_page(2, "UPPERMARK");
    let lower = simple_page(3, "LOWERMARK");
    let bytes = zip_with_good(&[("blog/Case.html", &upper), ("blog/case.html", &lower)]);
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_eq!(assert_converted(&o), 0, "{}", stderr(&o));
    assert!(!s.warnings().is_empty(), "warned: {}", stderr(&o));
    s.assert_only_output_written();
    assert_wxr(&s, &[GOOD, "UPPERMARK", "LOWERMARK"], &[]);
    assert_warned(&s, "skipped-file", "ase.html", "differs only in case");
}

#[test]
fn zip_encrypted_entry_is_skipped() {
    use zip::unstable::write::FileOptionsExt;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let (good_name, good_bytes) = good_entry();
    w.start_file(good_name, zip_options()).expect("start");
    w.write_all(&good_bytes).expect("write");
    let locked = FileOptionsExt::with_deprecated_encryption(zip_options(), b"secret")
        .expect("ZipCrypto options");
    w.start_file(entry_path(2), locked)
        .expect("start encrypted");
    w.write_all(&simple_page(2, EVIL)).expect("write encrypted");
    let mut s = Scene::zip(&w.finish().expect("finish").into_inner());
    let o = s.run(&[]);
    assert_skipped_safely(&s, &o);
    assert_warned(&s, "skipped-file", &entry_path(2), "encrypted");
}

/// Offsets of the local and central headers whose name is `name`.
fn header_offsets(bytes: &[u8], name: &[u8]) -> (usize, usize) {
    let find = |sig: &[u8; 4], name_at: usize| {
        (0..bytes.len().saturating_sub(name_at + name.len()))
            .find(|&i| {
                &bytes[i..i + 4] == sig && &bytes[i + name_at..i + name_at + name.len()] == name
            })
            .expect("header found")
    };
    (find(b"PK\x03\x04", 30), find(b"PK\x01\x02", 46))
}

#[test]
fn zip_entry_flagged_encrypted_by_hand_is_skipped() {
    let name = entry_path(2);
    let mut bytes = zip_with_good(&[(&name, &simple_page(2, EVIL))]);
    let (local, central) = header_offsets(&bytes, name.as_bytes());
    bytes[local + 6] |= 1;
    bytes[central + 8] |= 1;
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_skipped_safely(&s, &o);
    assert_warned(&s, "skipped-file", &name, "encrypted");
}

// ---------------------------------------------------------- broken zips

fn two_entry_zip() -> Vec<u8> {
    zip_with_good(&[(&entry_path(2), &simple_page(2, "SECONDMARK"))])
}

#[test]
fn truncated_zip_is_fatal_and_named() {
    let mut bytes = two_entry_zip();
    bytes.truncate(bytes.len() / 2);
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_fatal(
        &o,
        &s.input,
        &["truncated or an incomplete download", "unzip -t"],
    );
    s.assert_nothing_written();
}

#[test]
fn empty_file_is_an_incomplete_download() {
    let mut s = Scene::zip(b"");
    let o = s.run(&[]);
    assert_fatal(&o, &s.input, &["incomplete download", "empty"]);
    s.assert_nothing_written();
}

#[test]
fn pdf_given_as_input_is_not_a_zip_nor_truncated() {
    let mut pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    pdf.extend(std::iter::repeat_n(b'x', 4000));
    pdf.extend_from_slice(b"\n%%EOF\n");
    let mut s = Scene::zip(&pdf);
    let o = s.run(&[]);
    assert_fatal(&o, &s.input, &["not a zip archive", "PDF"]);
    assert!(!stderr(&o).contains("truncated"), "{}", stderr(&o));
    s.assert_nothing_written();
}

#[test]
fn damaged_end_record_names_no_library_type() {
    // A local header, then an end record cut after its signature: the zip
    // reader's own message names its internal type (`zip::format::…`).
    let mut bytes = two_entry_zip();
    let (at, len) = central_directory(&bytes);
    bytes.truncate(at + len + 8);
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_fatal(&o, &s.input, &["unzip -t"]);
    let err = stderr(&o);
    assert!(!err.contains("::"), "a library type is named: {err}");
    assert!(!err.contains("EOCD") && !err.contains("CDE"), "{err}");
    s.assert_nothing_written();
}

/// 2,000 posts of about 4 KB each, stored, so that reading them takes a
/// while; returns the zip and the offset where its second half starts.
fn many_posts_zip() -> &'static [u8] {
    static MANY: OnceLock<Vec<u8>> = OnceLock::new();
    MANY.get_or_init(|| {
        let filler = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>".repeat(60);
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip_options().compression_method(zip::CompressionMethod::Stored);
        for n in 1..=2000u64 {
            let body = format!("<p>POST{n}MARK</p>{filler}");
            w.start_file(entry_path(n), stored).expect("start");
            w.write_all(page(n, &format!("Post {n}"), &body, &[]).as_bytes())
                .expect("write");
        }
        w.finish().expect("finish").into_inner()
    })
}

/// Does process `pid` hold `path` open?
#[cfg(target_os = "linux")]
fn holds_open(pid: u32, path: &Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten()
        .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|to| to == path))
}

/// A zip cut in half while it is being read (a download restarted, a copy
/// still running): the run must fail naming the zip, not report success
/// with the posts it could not read. The cut comes a moment after the run
/// opened the zip; the moment is adjusted until it falls between the
/// listing and the end of the reads.
#[cfg(target_os = "linux")]
#[test]
fn zip_cut_short_while_being_read_is_fatal() {
    let bytes = many_posts_zip();
    let mut delay = Duration::from_millis(40);
    for attempt in 0..8 {
        let mut s = Scene::zip(bytes);
        s.freeze();
        let mut child = s
            .command(&[])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        let started = Instant::now();
        while !holds_open(child.id(), &s.input) && child.try_wait().expect("wait").is_none() {
            assert!(started.elapsed() < DEADLINE, "the zip was never opened");
            std::thread::yield_now();
        }
        std::thread::sleep(delay);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&s.input)
            .expect("open zip for writing");
        file.set_len(bytes.len() as u64 / 2).expect("truncate");
        let cut_while_running = child.try_wait().expect("wait").is_none();
        let o = child.wait_with_output().expect("output");
        let err = stderr(&o);
        if !cut_while_running || assert_clean_exit(&o) != 1 {
            // The cut came after every read (or after the run): then every
            // post must be there.
            assert_eq!(util::items(&s.wxr()).len(), 2000, "{err}");
            println!("attempt {attempt}: cut after {delay:?} came after the reads");
            delay /= 2;
            continue;
        }
        assert_fatal(&o, &s.input, &[]);
        assert!(
            !s.out.join("report.json").exists(),
            "no report of a partial conversion"
        );
        if err.contains("truncated") {
            println!("attempt {attempt}: cut after {delay:?} came before the listing");
            delay *= 2;
            continue;
        }
        assert!(err.contains("changed while it was being read"), "{err}");
        return;
    }
    panic!("the zip was never cut while it was being read");
}

#[test]
fn zip_entry_with_corrupt_data_is_reported_alone() {
    let evil = simple_page(2, EVIL);
    let mut bytes = zip_with_good(&[(&entry_path(2), &evil)]);
    let name = entry_path(2);
    let (local, _) = header_offsets(&bytes, name.as_bytes());
    let data = local + 30 + name.len();
    for b in &mut bytes[data + 2..data + 40] {
        *b ^= 0x5A;
    }
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_converted(&o);
    s.assert_only_output_written();
    assert_wxr(&s, &[GOOD], &[EVIL]);
    assert_warned(&s, "unreadable", &name, "");
    let ws = s.warnings().join("\n");
    assert!(!ws.contains("::"), "a library type is named: {ws}");
}

/// Offset and size of the central directory, from the end record.
fn central_directory(bytes: &[u8]) -> (usize, usize) {
    let eocd = (0..bytes.len() - 3)
        .rev()
        .find(|&i| &bytes[i..i + 4] == b"PK\x05\x06")
        .expect("end of central directory");
    let u32_at =
        |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes")) as usize;
    (u32_at(eocd + 16), u32_at(eocd + 12))
}

#[test]
fn zip_with_garbage_central_directory_is_fatal_and_named() {
    let mut bytes = two_entry_zip();
    let (at, len) = central_directory(&bytes);
    bytes[at..at + len].fill(0xAB);
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_fatal(&o, &s.input, &[]);
    s.assert_nothing_written();
}

#[test]
fn zip_entry_pointing_past_the_end_is_a_truncated_zip() {
    let mut bytes = two_entry_zip();
    let name = entry_path(2);
    let (_, central) = header_offsets(&bytes, name.as_bytes());
    bytes[central + 42..central + 46].copy_from_slice(&0x7fff_0000u32.to_le_bytes());
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    // The directory describes a longer file: this one was cut short.
    assert_fatal(&o, &s.input, &["truncated", "past the end"]);
    s.assert_nothing_written();
}

#[test]
fn zip_entry_lying_about_its_size_is_not_trusted() {
    let big = format!(
        "{}<!-- {} -->",
        String::from_utf8(simple_page(2, "LIARMARK")).expect("utf-8"),
        "padding ".repeat(300_000)
    );
    let name = entry_path(2);
    let mut bytes = zip_with_good(&[(&name, big.as_bytes())]);
    let (local, central) = header_offsets(&bytes, name.as_bytes());
    bytes[local + 22..local + 26].copy_from_slice(&100u32.to_le_bytes());
    bytes[central + 24..central + 28].copy_from_slice(&100u32.to_le_bytes());
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_converted(&o);
    s.assert_only_output_written();
    assert_wxr(&s, &[GOOD], &["padding padding"]);
}

// ---------------------------------------------------------- size limits

/// A good entry and a 200 MiB zero-filled `.html` entry (~1000:1).
fn bomb_zip() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let (good_name, good_bytes) = good_entry();
        w.start_file(good_name, zip_options()).expect("start");
        w.write_all(&good_bytes).expect("write");
        w.start_file("blog/bomb.html", zip_options().large_file(true))
            .expect("start bomb");
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..200 {
            w.write_all(&zeros).expect("write zeros");
        }
        w.finish().expect("finish").into_inner()
    })
}

/// Run to the end while sampling the size of `OUT_DIR`; returns the
/// output and the largest size seen.
fn run_watching(s: &mut Scene, extra: &[&str]) -> (std::process::Output, u64) {
    s.freeze();
    let mut child = s
        .command(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut peak = 0;
    let started = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if started.elapsed() > DEADLINE {
            child.kill().expect("kill");
            panic!("the run did not finish within {DEADLINE:?}");
        }
        peak = peak.max(tree_size(&s.out));
        std::thread::sleep(Duration::from_millis(2));
    }
    let o = child.wait_with_output().expect("output");
    (o, peak.max(tree_size(&s.out)))
}

#[test]
fn zip_bomb_is_skipped_with_a_warning() {
    let bytes = bomb_zip();
    assert!(bytes.len() < 1 << 20, "the bomb is small: {}", bytes.len());
    let mut s = Scene::zip(bytes);
    let (o, peak) = run_watching(&mut s, &[]);
    assert_skipped_safely(&s, &o);
    assert_warned(&s, "skipped-file", "blog/bomb.html", "--max-ratio");
    assert!(peak < 1 << 20, "output stayed small: {peak} bytes");
}

#[test]
fn zip_bomb_let_through_by_ratio_is_stopped_by_file_size() {
    let mut s = Scene::zip(bomb_zip());
    let args = ["--max-ratio", "2000", "--max-file-size", "10M"];
    let (o, peak) = run_watching(&mut s, &args);
    assert_skipped_safely(&s, &o);
    assert_warned(&s, "skipped-file", "blog/bomb.html", "--max-file-size");
    assert!(peak < 1 << 20, "output stayed small: {peak} bytes");
}

#[test]
fn zip_over_max_total_size_is_fatal() {
    let filler = vec![b'a'; 600 << 10];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let (good_name, good_bytes) = good_entry();
    w.start_file(good_name, zip_options()).expect("start");
    w.write_all(&good_bytes).expect("write");
    let stored = zip_options().compression_method(zip::CompressionMethod::Stored);
    for i in 0..3 {
        w.start_file(format!("files/f{i}.txt"), stored)
            .expect("start");
        w.write_all(&filler).expect("write");
    }
    let mut s = Scene::zip(&w.finish().expect("finish").into_inner());
    let o = s.run(&["--max-total-size", "1M"]);
    assert_fatal(&o, &s.input, &["--max-total-size"]);
    s.assert_nothing_written();
}

/// The good entry and 19,999 one-byte files.
fn many_entries_zip() -> &'static [u8] {
    static MANY: OnceLock<Vec<u8>> = OnceLock::new();
    MANY.get_or_init(|| {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let (good_name, good_bytes) = good_entry();
        w.start_file(good_name, zip_options()).expect("start");
        w.write_all(&good_bytes).expect("write");
        let stored = zip_options().compression_method(zip::CompressionMethod::Stored);
        for i in 1..20_000 {
            w.start_file(format!("files/{:02}/f{i}.txt", i % 100), stored)
                .expect("start");
            w.write_all(b"x").expect("write");
        }
        w.finish().expect("finish").into_inner()
    })
}

#[test]
fn zip_with_twenty_thousand_entries_completes() {
    let mut s = Scene::zip(many_entries_zip());
    let started = Instant::now();
    let o = s.run(&[]);
    assert_eq!(assert_converted(&o), 0, "{}", stderr(&o));
    s.assert_only_output_written();
    assert_wxr(&s, &[GOOD], &[]);
    assert_eq!(s.report()["counts"]["files"], 20_000);
    assert!(started.elapsed() < Duration::from_secs(60), "took too long");
}

#[test]
fn zip_over_max_entries_is_fatal() {
    let mut s = Scene::zip(many_entries_zip());
    let o = s.run(&["--max-entries", "1000"]);
    assert_fatal(&o, &s.input, &["--max-entries"]);
    s.assert_nothing_written();
}

// ---------------------------------------------------------- folders

#[cfg(unix)]
#[test]
fn folder_symlink_to_outside_folder_is_not_followed() {
    let (name, bytes) = good_entry();
    let mut s = Scene::folder(&[(&name, &bytes)]);
    std::os::unix::fs::symlink(&s.sentinel, s.input.join("linked")).expect("symlink");
    let o = s.run(&[]);
    assert_skipped_safely(&s, &o);
    assert_warned(&s, "skipped-file", "linked", "symbolic link");
}

#[cfg(unix)]
#[test]
fn folder_symlink_to_outside_file_is_not_followed() {
    let (name, bytes) = good_entry();
    let mut s = Scene::folder(&[(&name, &bytes)]);
    let link = s.input.join(format!("blog/cns!{OWNER}!9.html"));
    std::os::unix::fs::symlink(s.sentinel.join("evil.html"), link).expect("symlink");
    let o = s.run(&[]);
    assert_skipped_safely(&s, &o);
    assert_warned(&s, "skipped-file", "!9.html", "symbolic link");
}

#[cfg(unix)]
#[test]
fn folder_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let (name, bytes) = good_entry();
    let second = entry_path(2);
    let evil = simple_page(2, EVIL);
    let mut s = Scene::folder(&[(&name, &bytes), (&second, &evil)]);
    let locked = s.input.join(&second);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let o = s.run(&[]);
    let code = assert_converted(&o);
    s.assert_only_output_written();
    if euid() == Some(0) {
        println!(
            "skipped the 'unreadable' assertions: running as root, chmod 000 does not stop \
             root from reading (see folder_fifo_named_like_a_page_is_not_opened)"
        );
        return;
    }
    assert_eq!(code, 0, "{}", stderr(&o));
    assert_wxr(&s, &[GOOD], &[EVIL]);
    assert_warned(&s, "unreadable", &second, "");
}

#[cfg(unix)]
#[test]
fn folder_fifo_named_like_a_page_is_not_opened() {
    let (name, bytes) = good_entry();
    let mut s = Scene::folder(&[(&name, &bytes)]);
    let fifo = s.input.join(entry_path(2));
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo");
    let o = s.run(&[]);
    assert_converted(&o);
    s.assert_only_output_written();
    assert_wxr(&s, &[GOOD], &[]);
    assert_warned(&s, "skipped-file", &entry_path(2), "FIFO");
}

#[cfg(unix)]
#[test]
fn folder_socket_is_skipped_and_reported() {
    let (name, bytes) = good_entry();
    let mut s = Scene::folder(&[(&name, &bytes)]);
    let sock = s.input.join("blog/agent.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).expect("bind socket");
    let o = s.run(&[]);
    assert_converted(&o);
    s.assert_only_output_written();
    assert_wxr(&s, &[GOOD], &[]);
    assert_warned(&s, "skipped-file", "blog/agent.sock", "socket");
}

/// A character device (like `/dev/zero`, endless) inside a folder input is
/// skipped and reported. Creating one needs root: elsewhere the test says
/// so and passes.
#[cfg(unix)]
#[test]
fn folder_device_is_skipped_and_reported() {
    let (name, bytes) = good_entry();
    let mut s = Scene::folder(&[(&name, &bytes)]);
    let dev = s.input.join(entry_path(3));
    let made = std::process::Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "5"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|st| st.success());
    if !made {
        assert_ne!(euid(), Some(0), "mknod failed although running as root");
        println!("skipped: creating a device needs root");
        return;
    }
    let o = s.run(&[]);
    assert_converted(&o);
    s.assert_only_output_written();
    assert_wxr(&s, &[GOOD], &[]);
    assert_warned(&s, "skipped-file", &entry_path(3), "device");
}

#[cfg(unix)]
#[test]
fn fifo_given_as_input_is_refused_at_once() {
    let mut s = Scene::zip(b"");
    std::fs::remove_file(&s.input).expect("rm");
    let made = std::process::Command::new("mkfifo")
        .arg(&s.input)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo");
    let o = s.run_within(&[], Duration::from_secs(20));
    assert_fatal(&o, &s.input, &["FIFO", "not a zip file or a folder"]);
    s.assert_nothing_written();
}

/// A folder extracted by Linux `unzip` from a Chinese backup: the names are
/// GBK bytes, not UTF-8. Every page is read (by its raw name), and the
/// image a page shows is found under its decoded name.
#[cfg(unix)]
#[test]
fn folder_with_gbk_file_names_is_read_whole() {
    use std::os::unix::ffi::OsStrExt;
    let gbk = |t: &str| encoding_rs::GBK.encode(t).0.into_owned();
    let png = std::fs::read(util::testdata("onefile-folder/img/lake.png")).expect("png");
    let (good_name, good_bytes) = good_entry();
    let mut s = Scene::folder(&[(&good_name, &good_bytes)]);
    let folder = s
        .input
        .join(std::ffi::OsStr::from_bytes(&gbk("我的空间日志")));
    std::fs::create_dir(&folder).expect("mkdir");
    let pages = [
        (
            2,
            "2010年9月28日 今天天气很好.html",
            "<p>GBKPAGE2</p><img src=\"西湖的照片.png\" alt=\"西湖\">",
        ),
        (3, "2010年9月29日 我们去公园散步.html", "<p>GBKPAGE3</p>"),
    ];
    for (n, file, body) in pages {
        let p = folder.join(std::ffi::OsStr::from_bytes(&gbk(file)));
        std::fs::write(p, page(n, &format!("日志 {n}"), body, &[])).expect("write page");
    }
    std::fs::write(
        folder.join(std::ffi::OsStr::from_bytes(&gbk("西湖的照片.png"))),
        &png,
    )
    .expect("write image");
    let o = s.run(&[]);
    assert_converted(&o);
    s.assert_only_output_written();
    let items = assert_wxr(&s, &[GOOD, "GBKPAGE2", "GBKPAGE3"], &[]);
    let post = items.iter().find(|i| i.post_id == 2).expect("post 2");
    assert_eq!(
        post.meta("_wls_source_file"),
        Some("我的空间日志/2010年9月28日 今天天气很好.html"),
        "the name is shown decoded"
    );
    let bundled = util::tree(&s.out.join("media"));
    assert_eq!(bundled.len(), 1, "the image is bundled: {:?}", s.warnings());
    assert_eq!(bundled[0].1, png);
    assert!(s.report()["missing_media"]
        .as_array()
        .is_some_and(Vec::is_empty));
}

/// A name holding terminal escape codes is shown escaped on standard error
/// (the warning lines of the summary), never raw.
#[test]
fn names_with_terminal_escapes_are_printed_escaped() {
    let evil = simple_page(2, EVIL);
    let name = "../\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m.html";
    let bytes = zip_with_good(&[(name, &evil)]);
    let mut s = Scene::zip(&bytes);
    let o = s.run(&[]);
    assert_skipped_safely(&s, &o);
    let err = stderr(&o);
    assert!(err.contains("unsafe path"), "the entry is reported: {err}");
    for c in ['\u{1b}', '\u{7}', '\u{9b}'] {
        assert!(!err.contains(c), "raw {c:?} printed: {err:?}");
    }
    assert!(
        err.contains("\\u{1b}]0;pwned\\u{7}"),
        "shown escaped: {err}"
    );
}

// ---------------------------------------------------------- page content

/// A folder input with the given page as entry 2 beside the good entry.
fn convert_page(page_bytes: &[u8]) -> (Scene, std::process::Output) {
    convert_page_within(page_bytes, DEADLINE)
}

fn convert_page_within(page_bytes: &[u8], deadline: Duration) -> (Scene, std::process::Output) {
    let (name, bytes) = good_entry();
    let mut s = Scene::folder(&[(&name, &bytes), (&entry_path(2), page_bytes)]);
    let o = s.run_within(&[], deadline);
    assert_converted(&o);
    s.assert_only_output_written();
    (s, o)
}

#[test]
fn page_with_invalid_utf8_is_converted() {
    let mut bytes = page(2, "Bad @ bytes", "<p>Body @ INVALIDMARK @</p>", &[]).into_bytes();
    let junk: &[&[u8]] = &[b"\xFF\xFE", b"\xC0\xAF\xED\xA0\x80", b"\x80\xE4\xBD"];
    let mut out = Vec::new();
    let mut k = 0;
    for b in bytes.drain(..) {
        if b == b'@' {
            out.extend_from_slice(junk[k % junk.len()]);
            k += 1;
        } else {
            out.push(b);
        }
    }
    let (s, _) = convert_page(&out);
    let items = assert_wxr(&s, &[GOOD, "INVALIDMARK"], &[]);
    let post = items.iter().find(|i| i.post_id == 2).expect("post 2");
    assert!(post.title.starts_with("Bad") && post.title.ends_with("bytes"));
}

#[test]
fn page_with_nul_and_control_characters_is_converted() {
    let ctl = "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{fffe}\u{ffff}&#0;&#1;&#x1B;&#xFFFE;";
    let text = format!("Ctl {ctl} End");
    let comment = PageComment {
        author: "Mallory\u{1}",
        text: &format!("Comment {ctl} CTLCOMMENT"),
    };
    let body = format!("<p>{ctl} CTLBODY {ctl}</p>");
    let (s, _) = convert_page(page(2, &text, &body, &[comment]).as_bytes());
    let items = assert_wxr(&s, &[GOOD, "CTLBODY", "CTLCOMMENT"], &[]);
    let post = items.iter().find(|i| i.post_id == 2).expect("post 2");
    assert!(post.title.starts_with("Ctl") && post.title.ends_with("End"));
    assert_eq!(post.comments.len(), 1);
    assert!(post.comments[0].author.starts_with("Mallory"));
}

#[test]
fn title_of_only_control_characters_gets_a_fallback() {
    let p = page(2, "\u{1}\u{2} \u{3}", "\u{1}", &[]);
    let (s, _) = convert_page(p.as_bytes());
    let items = assert_wxr(&s, &[GOOD], &[]);
    let post = items.iter().find(|i| i.post_id == 2).expect("post 2");
    assert!(
        !post.title.trim().is_empty(),
        "a post title is never empty, got {:?}",
        post.title
    );
}

#[test]
fn cdata_terminator_in_title_body_and_comment_round_trips() {
    let comment = PageComment {
        author: "A ]]&gt; B",
        text: "c ]]&gt; d ]]]]&gt;&gt; e",
    };
    let p = page(
        2,
        "x ]]&gt; y",
        "<p>p ]]&gt; q</p><![CDATA[ r ]]>",
        &[comment],
    );
    let (s, _) = convert_page(p.as_bytes());
    let items = assert_wxr(&s, &[GOOD], &[]);
    let post = items.iter().find(|i| i.post_id == 2).expect("post 2");
    assert_eq!(util::shown(&post.title), "x ]]> y");
    assert!(post.content.contains("p ]]&gt; q"), "{}", post.content);
    let c = &post.comments[0];
    assert_eq!(util::shown(&c.author), "A ]]> B");
    assert!(
        c.content.contains("c ]]&gt; d ]]]]&gt;&gt; e"),
        "{}",
        c.content
    );
}

/// One post with 250,000 image references and as many links to other
/// entries: each is looked up once (a quadratic scan took minutes here).
#[test]
fn post_with_a_quarter_million_images_and_links_is_converted() {
    let mut body = String::new();
    for i in 0..250_000 {
        body.push_str(&format!(
            r#"<img src="../img/gone{i}.jpg"><a href="http://x.spaces.live.com/blog/cns!D2C0FFEE12345678!{i}.entry">{i}</a>"#
        ));
    }
    body.push_str("<p>ENDOFIMAGES</p>");
    let (name, bytes) = good_entry();
    let page_bytes = page(2, "Gallery", &body, &[]).into_bytes();
    let mut s = Scene::folder(&[(&name, &bytes), (&entry_path(2), &page_bytes)]);
    let o = s.run(&["--drop-missing-images"]);
    assert_converted(&o);
    s.assert_only_output_written();
    let items = assert_wxr(&s, &[GOOD, "ENDOFIMAGES"], &["gone7.jpg"]);
    let post = items.iter().find(|i| i.post_id == 2).expect("post 2");
    assert!(
        post.content.contains("?name=entry-1-goodmark-1\""),
        "the link to entry 1 points at its post"
    );
    assert_eq!(
        s.report()["missing_media"].as_array().map(Vec::len),
        Some(250_000)
    );
}

#[test]
fn enormous_page_is_converted_or_reported() {
    let para = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.</p>\n";
    let mut body = para.repeat((30 << 20) / para.len());
    body.push_str("<p>ENDOFHUGE</p>");
    // A release build takes ~5 s; an unoptimised one ~45 s on a busy machine.
    let deadline = Duration::from_secs(300);
    let (s, _) = convert_page_within(page(2, "Huge", &body, &[]).as_bytes(), deadline);
    let xml = s.wxr();
    util::items(&xml);
    let reported = s.warnings().iter().any(|w| w.contains("!2.html"));
    assert!(
        xml.contains("ENDOFHUGE") || reported,
        "neither converted whole nor reported"
    );
}

fn nested(tag: &str, depth: usize, inner: &str) -> String {
    format!(
        "{}{inner}{}",
        format!("<{tag}>").repeat(depth),
        format!("</{tag}>").repeat(depth)
    )
}

#[test]
fn hundred_thousand_nested_divs_do_not_crash() {
    let body = nested("div", 100_000, "DEEPDIV");
    let (s, _) = convert_page(page(2, "Deep divs", &body, &[]).as_bytes());
    assert_wxr(&s, &[GOOD], &[]);
}

#[test]
fn hundred_thousand_nested_bold_do_not_crash() {
    let body = nested("b", 100_000, "DEEPB");
    let (s, _) = convert_page(page(2, "Deep bold", &body, &[]).as_bytes());
    assert_wxr(&s, &[GOOD], &[]);
}

// ---------------------------------------------------------- linear costs

/// Seconds one conversion of the good entry and `page_bytes` takes, with
/// the scene it ran in.
fn timed_page(page_bytes: &[u8]) -> (Scene, f64) {
    let (name, bytes) = good_entry();
    let mut s = Scene::folder(&[(&name, &bytes), (&entry_path(2), page_bytes)]);
    s.freeze();
    let started = Instant::now();
    let o = s.run(&[]);
    let secs = started.elapsed().as_secs_f64();
    assert_converted(&o);
    s.assert_only_output_written();
    (s, secs)
}

/// Convert the page `make(n)` and the page `make(4 * n)`, twice each in
/// turn, and check that the larger one costs at most about four times as
/// much (a factor of 7, plus half a second of start-up and noise, where a
/// quadratic cost gives 16). Returns the scenes of the last two runs.
fn assert_linear(what: &str, make: impl Fn(usize) -> Vec<u8>, n: usize) -> (Scene, Scene) {
    let (small, large) = (make(n), make(4 * n));
    let mut best = [f64::MAX, f64::MAX];
    let mut scenes = Vec::new();
    for _ in 0..2 {
        for (k, page_bytes) in [&small, &large].into_iter().enumerate() {
            let (s, secs) = timed_page(page_bytes);
            best[k] = best[k].min(secs);
            scenes.push(s);
        }
    }
    let [t_small, t_large] = best;
    println!("{what}: {n} -> {t_small:.3} s, {} -> {t_large:.3} s", 4 * n);
    assert!(
        t_large <= 7.0 * t_small + 0.5,
        "{what}: 4 times the input took {:.1} times as long ({t_small:.3} s, {t_large:.3} s)",
        t_large / t_small
    );
    let large_scene = scenes.pop().expect("two scenes");
    let small_scene = scenes.pop().expect("two scenes");
    (small_scene, large_scene)
}

/// One element with tens of thousands of attributes: html5ever compares
/// each attribute with every earlier one, so the page is reported and left
/// out instead of parsed.
#[test]
fn element_with_many_attributes_costs_linear_time() {
    let make = |n: usize| {
        let attrs: Vec<String> = (0..n).map(|i| format!("data-a{i}=\"v\"")).collect();
        let body = format!("<p {}>MANYATTRS</p>", attrs.join(" "));
        page(2, "Attributes", &body, &[]).into_bytes()
    };
    let (_, s) = assert_linear("attributes", make, 15_000);
    assert_wxr(&s, &[GOOD], &["MANYATTRS"]);
    assert_warned(
        &s,
        "too-many-attributes",
        &entry_path(2),
        "60000 attributes",
    );
}

/// The same inside `<svg><style>`, where the tags are markup to the parser
/// but raw text to a guard that only knows HTML.
#[test]
fn attributes_hidden_in_svg_style_cost_linear_time() {
    let make = |n: usize| {
        let attrs: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
        let body = format!(
            "<p>SVGVISIBLE</p><svg><style><g {}>x</g></style></svg>",
            attrs.join(" ")
        );
        page(2, "Attributes in SVG", &body, &[]).into_bytes()
    };
    let (_, s) = assert_linear("attributes in <svg><style>", make, 15_000);
    assert_warned(&s, "too-many-attributes", &entry_path(2), "attributes");
}

/// An attribute value of hundreds of thousands of `&amp;` or `&nbsp;`:
/// html5ever's serializer searches the rest of the value at each one it
/// writes back, so the page is reported and left out.
#[test]
fn attribute_value_of_character_references_costs_linear_time() {
    for (attr, reference) in [("title", "&amp;"), ("alt", "&nbsp;")] {
        let make = |n: usize| {
            let body = format!(
                "<p>VALUEVISIBLE</p><img src=\"a.jpg\" {attr}=\"{}\">",
                reference.repeat(n)
            );
            page(2, "Value", &body, &[]).into_bytes()
        };
        let (_, s) = assert_linear(reference, make, 150_000);
        assert_wxr(&s, &[GOOD], &["VALUEVISIBLE"]);
        assert_warned(&s, "costly-attribute-value", &entry_path(2), "600000");
    }
}

/// A body of hundreds of thousands of character references (`&amp;`,
/// `&nbsp;`): html5ever's serializer searched the rest of the text at every
/// `&` and U+00A0 it wrote back.
#[test]
fn body_of_character_references_costs_linear_time() {
    for reference in ["&amp;", "&nbsp;"] {
        let make = |n: usize| {
            let body = format!("<p>REFSTART {} REFEND</p>", reference.repeat(n));
            let comment = PageComment {
                author: "Ref",
                text: &format!("COMMENTREFS {}", reference.repeat(n / 4)),
            };
            page(2, "References", &body, &[comment]).into_bytes()
        };
        let (_, s) = assert_linear(reference, make, 150_000);
        let items = assert_wxr(&s, &[GOOD, "REFSTART", "REFEND", "COMMENTREFS"], &[]);
        let post = items.iter().find(|i| i.post_id == 2).expect("post 2");
        assert_eq!(
            post.content.matches(reference).count(),
            600_000,
            "every reference is kept"
        );
    }
}

/// Many `<title>`s (raw text) before a long page: the nesting guard copied
/// and lower-cased the rest of the page for each of them.
#[test]
fn many_raw_text_elements_cost_linear_time() {
    let make = |n: usize| {
        let body = format!(
            "{}<p>{}RAWTEXTEND</p>",
            "<title>t</title><style>p{}</style>".repeat(n / 64),
            "words and more words ".repeat(n / 21)
        );
        page(2, "Raw text", &body, &[]).into_bytes()
    };
    let (_, s) = assert_linear("raw text", make, 1 << 19);
    assert_wxr(&s, &[GOOD, "RAWTEXTEND"], &[]);
}

// ---------------------------------------------------------- output folder

#[test]
fn non_empty_out_dir_is_refused_without_force() {
    let (name, bytes) = good_entry();
    let mut s = Scene::folder(&[(&name, &bytes)]);
    std::fs::create_dir(&s.out).expect("mkdir out");
    std::fs::write(s.out.join("keep.txt"), b"mine").expect("write");
    let o = s.run(&[]);
    assert_fatal(&o, &s.out, &["--force"]);
    s.assert_nothing_written();
}

#[cfg(unix)]
#[test]
fn force_does_not_write_through_symlinks_in_out_dir() {
    let png = std::fs::read(util::testdata("onefile-folder/img/lake.png")).expect("png");
    let with_img = page(2, "Picture", "<img src=\"../img/pic.png\">", &[]);
    let (name, bytes) = good_entry();
    let files: [(&str, &[u8]); 3] = [
        (&name, &bytes),
        (&entry_path(2), with_img.as_bytes()),
        ("img/pic.png", &png),
    ];
    let mut s = Scene::folder(&files);
    std::fs::create_dir(&s.out).expect("mkdir out");
    let link = |to: &Path, name: &str| {
        std::os::unix::fs::symlink(to, s.out.join(name)).expect("symlink");
    };
    link(&s.sentinel.join("x.html"), "report.json");
    link(&s.sentinel.join("blog/keep.html"), "space.xml");
    link(&s.sentinel, "media");
    // Links spaces2wxr did not make stand where it would write: refused,
    // with nothing removed and nothing written through them.
    let o = s.run(&["--force"]);
    assert_fatal(&o, &s.out.join("report.json"), &["does not list"]);
    s.assert_nothing_written();
}

#[test]
fn out_dir_inside_the_input_folder_is_refused() {
    let (name, bytes) = good_entry();
    let mut s = Scene::folder(&[(&name, &bytes)]);
    s.out = s.input.join("out");
    let o = s.run(&[]);
    assert_fatal(&o, &s.out, &["overlaps"]);
    s.assert_nothing_written();
}

#[test]
fn out_dir_that_is_the_input_zip_is_refused() {
    let mut s = Scene::zip(&two_entry_zip());
    s.out = s.input.clone();
    let o = s.run(&["--force"]);
    assert_fatal(&o, &s.out, &[]);
    s.assert_nothing_written();
}

// ---------------------------------------------------------- input untouched

#[test]
fn input_folder_is_never_modified() {
    let src = util::tree(&util::testdata("onefile-folder"));
    let files: Vec<(&str, &[u8])> = src
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let mut s = Scene::folder(&files);
    let before = snapshot(&s.input);
    let o = s.run(&[]);
    assert_converted(&o);
    let o = s.run(&["--force"]);
    assert_converted(&o);
    assert_eq!(snapshot(&s.input), before);
    s.assert_only_output_written();
}

#[test]
fn input_zip_is_never_modified() {
    let original = std::fs::read(util::testdata("backup-zip.zip")).expect("fixture");
    let mut s = Scene::zip(&original);
    let o = s.run(&[]);
    assert_converted(&o);
    let o = s.run(&["--force"]);
    assert_converted(&o);
    assert_eq!(std::fs::read(&s.input).expect("zip"), original);
    s.assert_only_output_written();
}
