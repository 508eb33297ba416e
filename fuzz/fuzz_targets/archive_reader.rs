//! Arbitrary bytes as a `.zip` input: open, list, read and stream every file.
//!
//! Invariants checked:
//! * nothing panics;
//! * every listed path is relative and safe: it does not start with `/`,
//!   holds no `..` (nor empty or `.`) segment, no backslash, no NUL and no
//!   drive letter;
//! * `files()` is sorted by path without repeats;
//! * `read` never returns more than its limit, and when both `read` and
//!   `copy_to` succeed they agree on the length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spaces2wxr::{internals::Archive, Limits};

const LIMITS: Limits = Limits {
    max_file_bytes: 8 << 20,
    max_total_bytes: 64 << 20,
    max_ratio: 200,
    max_entries: 10_000,
};

fuzz_target!(|data: &[u8]| {
    // A fresh folder per input, removed when `dir` drops (a static one would
    // outlive the process: statics are never dropped).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("x.zip");
    std::fs::write(&path, data).expect("write x.zip");
    let Ok(archive) = Archive::open(&path, None, LIMITS) else {
        return;
    };
    let files = archive.files();
    for w in files.windows(2) {
        assert!(w[0].path < w[1].path, "files not sorted/unique: {:?} then {:?}", w[0].path, w[1].path);
    }
    for f in files {
        let p = &f.path;
        assert!(!p.is_empty(), "empty path");
        assert!(!p.starts_with('/'), "absolute path {p:?}");
        assert!(!p.contains('\\'), "backslash in {p:?}");
        assert!(!p.contains('\0'), "NUL in {p:?}");
        assert!(
            !p.split('/').any(|s| s == ".." || s == "." || s.is_empty()),
            "bad segment in {p:?}"
        );
        let b = p.as_bytes();
        assert!(
            !(b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic()),
            "drive letter in {p:?}"
        );
        let read = archive.read(f, 1 << 20);
        if let Ok(buf) = &read {
            assert!(buf.len() <= 1 << 20, "read returned {} bytes", buf.len());
        }
        let copied = archive.copy_to(f, &mut std::io::sink());
        if let (Ok(buf), Ok(n)) = (&read, &copied) {
            assert_eq!(buf.len() as u64, *n, "read and copy_to disagree on {p:?}");
        }
    }
});
