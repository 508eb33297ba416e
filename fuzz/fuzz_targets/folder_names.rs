//! Arbitrary bytes as a folder input whose file names are arbitrary bytes:
//! open, list and read every file.
//!
//! The input is a list of records separated by NUL bytes; each record is a
//! path (bytes, `/`-separated; any byte but NUL allowed, so names may be
//! invalid UTF-8, GBK, control characters, terminal escapes) and, after the
//! first 0x01 byte, the file's contents. A record whose path starts with
//! 0x02 becomes a symbolic link (to `../../../etc/passwd`), one starting with
//! 0x03 a Unix socket, instead of a regular file.
//!
//! Invariants checked:
//! * nothing panics;
//! * every listed path is non-empty, `/`-separated, with no empty, `.` or
//!   `..` segment and no NUL; `files()` is strictly sorted (no repeats);
//! * every regular file created is either listed or reported as skipped,
//!   and links and sockets are never listed;
//! * every listed file reads back exactly the bytes written to one of the
//!   regular files (names are decoded for display, the bytes opened are the
//!   file's own).
#![no_main]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use libfuzzer_sys::fuzz_target;
use spaces2wxr::{internals::Archive, Limits};

const LIMITS: Limits = Limits {
    max_file_bytes: 1 << 20,
    max_total_bytes: 64 << 20,
    max_ratio: 200,
    max_entries: 10_000,
};

/// Most records used from one input.
const MAX_RECORDS: usize = 48;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("in");
    std::fs::create_dir(&root).expect("mkdir in");
    // Regular files created: relative raw path -> contents.
    let mut regular: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    let mut specials = 0usize;
    for record in data.split(|&b| b == 0).take(MAX_RECORDS) {
        let (name, body) = match record.iter().position(|&b| b == 1) {
            Some(at) => (&record[..at], &record[at + 1..]),
            None => (record, &[][..]),
        };
        let (kind, name) = match name.first() {
            Some(2) => (2, &name[1..]),
            Some(3) => (3, &name[1..]),
            _ => (0, name),
        };
        let parts: Vec<&[u8]> = name
            .split(|&b| b == b'/')
            .filter(|p| !p.is_empty() && *p != b"." && *p != b"..")
            .map(|p| &p[..p.len().min(200)])
            .take(6)
            .collect();
        let Some((last, parents)) = parts.split_last() else {
            continue;
        };
        let mut path = root.clone();
        for p in parents {
            path.push(OsStr::from_bytes(p));
        }
        if std::fs::create_dir_all(&path).is_err() {
            continue;
        }
        path.push(OsStr::from_bytes(last));
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let rel = parts.join(&b'/');
        let made = match kind {
            2 => std::os::unix::fs::symlink("../../../etc/passwd", &path).is_ok(),
            3 => {
                // Socket paths are limited to about 100 bytes.
                path.as_os_str().len() < 100
                    && std::os::unix::net::UnixListener::bind(&path).is_ok()
            }
            _ => {
                if std::fs::write(&path, body).is_ok() {
                    regular.insert(rel, body.to_vec());
                }
                false
            }
        };
        specials += usize::from(made);
    }
    let archive = match Archive::open(&root, None, LIMITS) {
        Ok(a) => a,
        Err(e) => panic!("a folder that exists cannot be opened: {e}"),
    };
    let files = archive.files();
    for w in files.windows(2) {
        assert!(w[0].path < w[1].path, "not sorted/unique: {:?} then {:?}", w[0].path, w[1].path);
    }
    assert!(
        files.len() + archive.skipped().len() >= regular.len(),
        "{} regular files created, {} listed, {} skipped",
        regular.len(),
        files.len(),
        archive.skipped().len()
    );
    assert!(
        files.len() <= regular.len(),
        "links or sockets were listed as files ({} listed, {} regular, {specials} special)",
        files.len(),
        regular.len()
    );
    let mut contents: Vec<&Vec<u8>> = regular.values().collect();
    contents.sort();
    for f in files {
        let p = &f.path;
        assert!(!p.is_empty(), "empty path");
        assert!(!p.contains('\0'), "NUL in {p:?}");
        assert!(
            !p.split('/').any(|s| s == ".." || s == "." || s.is_empty()),
            "bad segment in {p:?}"
        );
        let bytes = archive
            .read(f, 1 << 20)
            .unwrap_or_else(|e| panic!("listed file {p:?} cannot be read: {e}"));
        assert!(
            contents.binary_search(&&bytes).is_ok(),
            "{p:?} read bytes that no file was given"
        );
    }
});
