//! Folder inputs: walk the tree without following symbolic links, read only
//! regular files, and open each one without following links.
//!
//! File names stay the bytes the file system gave (`OsStr`) from the
//! listing to the opening; they are decoded only for display and for
//! matching image references (a folder extracted by Linux `unzip` from a
//! Chinese backup holds GBK bytes in its names). A file is opened with
//! `O_NOFOLLOW` (a name swapped for a link after the listing is not
//! followed) and `O_NONBLOCK` (a FIFO never blocks the run), and read only
//! if the opened file is still the regular file that was listed.

use super::ReadError;
use crate::platform::{identity, open_no_follow, raw_bytes, special_kind};
use std::collections::HashSet;

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, NaiveDateTime, Timelike};
use walkdir::WalkDir;

use super::names::{self, NameCodec};
use super::{FileEntry, Identity, Skipped};
use crate::error::{Error, Result};

/// One listed file before its name is decoded.
struct Listed {
    rel: PathBuf,
    size: u64,
    modified: Option<NaiveDateTime>,
    identity: Option<Identity>,
}

/// List every regular file under `root`, sorted by path. Names that are
/// not UTF-8 are decoded with `forced`, or else with the code page their
/// bytes suggest (as for zip entry names).
pub fn list(root: &Path, forced: Option<NameCodec>) -> Result<(Vec<FileEntry>, Vec<Skipped>)> {
    let mut listed = Vec::new();
    let mut skipped = Vec::new();
    let walk = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    for item in walk {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e.path().map(|p| lossy(rel(root, p))).unwrap_or_default();
                if path.is_empty() {
                    return Err(Error::read(root, e.into()));
                }
                skipped.push(Skipped {
                    path,
                    reason: e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string),
                });
                continue;
            }
        };
        let kind = item.file_type();
        if kind.is_dir() {
            continue;
        }
        let rel_path = rel(root, item.path()).to_path_buf();
        if kind.is_symlink() {
            skipped.push(Skipped {
                path: lossy(&rel_path),
                reason: "symbolic link not followed".into(),
            });
            continue;
        }
        if !kind.is_file() {
            skipped.push(Skipped {
                path: lossy(&rel_path),
                reason: format!("{}, not a regular file; not read", special_kind(&kind)),
            });
            continue;
        }
        match item.metadata() {
            Ok(meta) => listed.push(Listed {
                rel: rel_path,
                size: meta.len(),
                modified: meta.modified().ok().map(local_time),
                identity: identity(&meta),
            }),
            Err(e) => skipped.push(Skipped {
                path: lossy(&rel_path),
                reason: e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string),
            }),
        }
    }
    let files = name_files(listed, forced, &mut skipped);
    Ok((files, skipped))
}

/// Give every listed file its display name: UTF-8 names as they are, the
/// others decoded with one code page chosen for all of them. Two files
/// whose names decode alike keep distinct names (the second is written
/// with its raw bytes escaped).
fn name_files(
    listed: Vec<Listed>,
    forced: Option<NameCodec>,
    skipped: &mut Vec<Skipped>,
) -> Vec<FileEntry> {
    let raw: Vec<Vec<u8>> = listed.iter().map(|l| raw_bytes(&l.rel)).collect();
    let legacy: Vec<&[u8]> = raw
        .iter()
        .filter(|r| std::str::from_utf8(r).is_err())
        .map(Vec::as_slice)
        .collect();
    let codec = names::choose(&legacy, forced);
    let mut seen: HashSet<String> = HashSet::with_capacity(listed.len());
    let mut files = Vec::with_capacity(listed.len());
    for (l, bytes) in listed.into_iter().zip(raw) {
        let decoded = match std::str::from_utf8(&bytes) {
            Ok(s) => s.to_string(),
            Err(_) => codec.decode(&bytes),
        };
        let path = if seen.contains(&decoded) {
            escaped(&bytes)
        } else {
            decoded
        };
        if !seen.insert(path.clone()) {
            skipped.push(Skipped {
                path,
                reason: "its name cannot be told apart from another file's once decoded; not read"
                    .into(),
            });
            continue;
        }
        files.push(FileEntry {
            path,
            size: l.size,
            modified: l.modified,
            index: 0,
            os_path: l.rel,
            identity: l.identity,
            lent: false,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Open `root/file` without following a link and without blocking, check
/// that it is still the regular file that was listed, and hand it to `f`.
pub fn with_reader(
    root: &Path,
    file: &FileEntry,
    f: &mut dyn FnMut(&mut dyn Read) -> std::io::Result<()>,
) -> std::result::Result<(), ReadError> {
    let full = root.join(&file.os_path);
    let mut handle = open_no_follow(&full).map_err(|e| ReadError::Changed(open_error(&e)))?;
    let meta = handle.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::Changed(format!(
            "{} since it was listed, not a regular file; not read",
            special_kind(&meta.file_type())
        )));
    }
    if file.identity.is_some() && identity(&meta) != file.identity {
        return Err(ReadError::Changed(
            "replaced by another file since it was listed (a folder on its path was swapped?); not read"
                .into(),
        ));
    }
    if meta.len() != file.size {
        return Err(ReadError::Changed(format!(
            "changed since it was listed ({} bytes then, {} now; still being written?); not read",
            file.size,
            meta.len()
        )));
    }
    Ok(f(&mut handle)?)
}

/// The reason an open failed, in words (`O_NOFOLLOW` on a link gives ELOOP).
fn open_error(e: &std::io::Error) -> String {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "a symbolic link since it was listed; not followed".into();
    }
    e.to_string()
}

fn rel<'a>(root: &Path, p: &'a Path) -> &'a Path {
    p.strip_prefix(root).unwrap_or(p)
}

/// A name for messages when decoding fails: UTF-8 kept, other bytes as
/// `%XX`.
fn escaped(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A relative path for messages, before names are decoded.
fn lossy(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn local_time(t: std::time::SystemTime) -> NaiveDateTime {
    let local = DateTime::<Local>::from(t).naive_local();
    local.with_nanosecond(0).unwrap_or(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder with `blog/a.html` and `other/a.html` (different bytes),
    /// listed; returns the tempdir and the entry of `blog/a.html`.
    #[cfg(unix)]
    fn listed_scene() -> (tempfile::TempDir, FileEntry) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("in");
        for (sub, body) in [("blog", "listed"), ("other", "swapped in")] {
            std::fs::create_dir_all(root.join(sub)).expect("mkdir");
            std::fs::write(root.join(sub).join("a.html"), body).expect("write");
        }
        let (files, _) = list(&root, None).expect("list");
        let entry = files
            .into_iter()
            .find(|f| f.path == "blog/a.html")
            .expect("listed");
        (dir, entry)
    }

    #[cfg(unix)]
    /// The file's bytes, or why it was not read, in words.
    fn read(dir: &tempfile::TempDir, entry: &FileEntry) -> std::result::Result<Vec<u8>, String> {
        let mut got = Vec::new();
        with_reader(&dir.path().join("in"), entry, &mut |r| {
            r.read_to_end(&mut got).map(|_| ())
        })
        .map_err(|e| e.to_string())?;
        Ok(got)
    }

    #[cfg(unix)]
    #[test]
    fn listed_file_is_read() {
        let (dir, entry) = listed_scene();
        assert_eq!(read(&dir, &entry).as_deref(), Ok(&b"listed"[..]));
    }

    #[cfg(unix)]
    #[test]
    fn file_that_grew_after_listing_is_not_read() {
        let (dir, entry) = listed_scene();
        std::fs::write(dir.path().join("in/blog/a.html"), "listed, then more").expect("write");
        let err = read(&dir, &entry).expect_err("a changed file is not read");
        assert!(err.contains("changed since it was listed"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn file_swapped_for_a_link_after_listing_is_not_followed() {
        let (dir, entry) = listed_scene();
        let file = dir.path().join("in/blog/a.html");
        std::fs::remove_file(&file).expect("rm");
        std::os::unix::fs::symlink(dir.path().join("in/other/a.html"), &file).expect("link");
        let err = read(&dir, &entry).expect_err("a link is not followed");
        assert!(err.contains("symbolic link"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn folder_swapped_for_a_link_after_listing_is_not_followed() {
        let (dir, entry) = listed_scene();
        let blog = dir.path().join("in/blog");
        std::fs::rename(&blog, dir.path().join("moved")).expect("move");
        std::os::unix::fs::symlink(dir.path().join("in/other"), &blog).expect("link");
        let err = read(&dir, &entry).expect_err("another file is not read");
        assert!(err.contains("replaced"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn file_swapped_for_a_fifo_after_listing_is_not_read_and_does_not_block() {
        let (dir, entry) = listed_scene();
        let file = dir.path().join("in/blog/a.html");
        std::fs::remove_file(&file).expect("rm");
        let made = std::process::Command::new("mkfifo")
            .arg(&file)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let err = read(&dir, &entry).expect_err("a FIFO is not read");
        assert!(err.contains("FIFO"), "{err}");
    }

    #[test]
    fn undecodable_names_are_escaped() {
        assert_eq!(escaped(b"a\xFF\xFEb/\xC3\xA9"), "a%FF%FEb/é");
    }

    #[cfg(unix)]
    #[test]
    fn gbk_names_are_listed_decoded_and_opened_by_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
        let folder = dir
            .path()
            .join(std::ffi::OsStr::from_bytes(&gbk("我的空间")));
        std::fs::create_dir(&folder).expect("mkdir");
        for (n, body) in [
            ("2010-09-28 今天天气很好.html", &b"page"[..]),
            ("我们去公园散步的图片.jpg", b"jpeg"),
        ] {
            let p = folder.join(std::ffi::OsStr::from_bytes(&gbk(n)));
            std::fs::write(p, body).expect("write");
        }
        let (files, skipped) = list(dir.path(), None).expect("list");
        assert!(skipped.is_empty(), "{skipped:?}");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "我的空间/2010-09-28 今天天气很好.html",
                "我的空间/我们去公园散步的图片.jpg"
            ]
        );
        let mut got = Vec::new();
        with_reader(dir.path(), &files[0], &mut |r| {
            r.read_to_end(&mut got).map(|_| ())
        })
        .expect("opened by its raw name");
        assert_eq!(got, b"page");
    }
}
