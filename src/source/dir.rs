//! Folder inputs: walk the tree without following symbolic links.

use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Local, NaiveDateTime, Timelike};
use walkdir::WalkDir;

use super::{FileEntry, Skipped};
use crate::error::{Error, Result};

/// List every regular file under `root`, sorted by path.
pub fn list(root: &Path) -> Result<(Vec<FileEntry>, Vec<Skipped>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let walk = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    for item in walk {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e.path().map(|p| rel(root, p)).unwrap_or_default();
                if path.is_empty() {
                    return Err(Error::read(root, e.into()));
                }
                skipped.push(Skipped {
                    path,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let path = rel(root, item.path());
        if item.file_type().is_symlink() {
            skipped.push(Skipped {
                path,
                reason: "symbolic link not followed".into(),
            });
            continue;
        }
        if !item.file_type().is_file() {
            continue;
        }
        match item.metadata() {
            Ok(meta) => files.push(FileEntry {
                path,
                size: meta.len(),
                modified: meta.modified().ok().map(local_time),
                index: 0,
            }),
            Err(e) => skipped.push(Skipped {
                path,
                reason: e.to_string(),
            }),
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, skipped))
}

/// Open `root/path` and hand the reader to `f`.
pub fn with_reader(
    root: &Path,
    path: &str,
    f: &mut dyn FnMut(&mut dyn Read) -> std::io::Result<()>,
) -> std::result::Result<(), String> {
    let full = root.join(path);
    let mut file = std::fs::File::open(&full).map_err(|e| e.to_string())?;
    f(&mut file).map_err(|e| e.to_string())
}

fn rel(root: &Path, p: &Path) -> String {
    let r = p.strip_prefix(root).unwrap_or(p);
    r.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn local_time(t: std::time::SystemTime) -> NaiveDateTime {
    let local = DateTime::<Local>::from(t).naive_local();
    local.with_nanosecond(0).unwrap_or(local)
}
