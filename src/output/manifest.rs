//! What a run wrote into `OUT_DIR`: `OUT_DIR/.spaces2wxr-manifest.json`.
//!
//! The manifest lists every file and folder of a run's output (the WXR,
//! `report.json`, the `media` folder and everything in it) with each file's
//! size. It is what lets `--force` replace an earlier run's output and
//! nothing else: a path counts as spaces2wxr's own only while the manifest
//! lists it and it is still the same kind of thing (a regular file of the
//! recorded size, or a real folder). Links are never the tool's own, and
//! are never followed.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Name of the manifest in `OUT_DIR`.
pub const MANIFEST_FILE: &str = ".spaces2wxr-manifest.json";

/// The media folder's name in `OUT_DIR`.
pub const MEDIA_DIR: &str = "media";

/// One path a run wrote, relative to `OUT_DIR`, `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Entry {
    /// A regular file and its size in bytes.
    File {
        /// Relative path.
        path: String,
        /// Size in bytes.
        size: u64,
    },
    /// A folder.
    Dir {
        /// Relative path.
        path: String,
    },
}

impl Entry {
    /// The relative path.
    pub fn path(&self) -> &str {
        match self {
            Entry::File { path, .. } | Entry::Dir { path } => path,
        }
    }
}

/// The manifest file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `spaces2wxr`.
    pub written_by: String,
    /// What the run wrote, in a fixed order.
    pub entries: Vec<Entry>,
}

/// Whether `name` could be a space's folder: one clean segment, not hidden.
pub fn is_space_dir(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// The list of spaces a run wrote when its input held several blogs.
/// The report's name in `OUT_DIR` (or in a space's folder).
pub const REPORT_FILE: &str = "report.json";

/// x
pub const SUMMARY_FILE: &str = "summary.json";

/// Whether `path` is a relative path a run could have written: a WXR
/// (`NAME.xml`), `report.json` or `summary.json` directly in `OUT_DIR`,
/// `media` and anything below it, or a space's folder (several blogs in one
/// input) holding the same things; no empty, `.` or `..` segment, no
/// backslash, no hidden top name.
pub fn is_output_path(path: &str) -> bool {
    let segs: Vec<&str> = path.split('/').collect();
    let clean = segs
        .iter()
        .all(|s| !s.is_empty() && *s != "." && *s != ".." && !s.contains(['\\', '\0']));
    if !clean {
        return false;
    }
    let in_space = |rest: &[&str]| match rest {
        [one] => {
            *one == MEDIA_DIR
                || *one == "report.json"
                || (one.ends_with(".xml") && !one.starts_with('.'))
        }
        [first, ..] => *first == MEDIA_DIR,
        [] => true,
    };
    match segs.as_slice() {
        [one] => *one == MEDIA_DIR || *one == SUMMARY_FILE || in_space(&segs),
        [first, ..] if *first == MEDIA_DIR => true,
        [first, rest @ ..] => !first.starts_with('.') && in_space(rest),
        [] => false,
    }
}

impl Manifest {
    /// A manifest of `entries`.
    pub fn new(entries: Vec<Entry>) -> Self {
        Manifest {
            written_by: "spaces2wxr".into(),
            entries,
        }
    }

    /// Read `OUT_DIR`'s manifest; `None` when there is none. Entries that
    /// are not paths a run could have written are dropped.
    pub fn load(out: &Path) -> Result<Option<Manifest>> {
        let path = out.join(MANIFEST_FILE);
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::write(&path, e)),
        };
        let refuse = |why: String| Error::OutputRefused {
            path: path.clone(),
            reason: why,
        };
        if !meta.file_type().is_file() {
            return Err(refuse(
                "it is not a file spaces2wxr wrote (a link or a folder); remove it by hand".into(),
            ));
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::write(&path, e))?;
        let mut m: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
            refuse(format!(
                "it cannot be read ({e}); remove it by hand if spaces2wxr did not write it"
            ))
        })?;
        m.entries.retain(|e| match e {
            Entry::Dir { path } if !path.contains('/') => is_space_dir(path),
            _ => is_output_path(e.path()),
        });
        Ok(Some(m))
    }

    /// The entries by path: `Some(size)` for a file, `None` for a folder
    /// (a manifest written during a commit may give a path twice: the
    /// earlier run's file and the new one).
    pub fn index(&self) -> HashMap<&str, Vec<Option<u64>>> {
        let mut index: HashMap<&str, Vec<Option<u64>>> = HashMap::new();
        for e in &self.entries {
            let (path, size) = match e {
                Entry::File { path, size } => (path.as_str(), Some(*size)),
                Entry::Dir { path } => (path.as_str(), None),
            };
            index.entry(path).or_default().push(size);
        }
        index
    }

    /// This manifest followed by the entries of `other` it lacks: what a
    /// folder may hold while one run's output replaces another's.
    pub fn union(&self, other: &Manifest) -> Manifest {
        let mut entries = self.entries.clone();
        entries.extend(
            other
                .entries
                .iter()
                .filter(|e| !self.entries.contains(e))
                .cloned(),
        );
        Manifest::new(entries)
    }

    /// The manifest as written: pretty JSON and a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// Whether `OUT_DIR/rel` is still the file this manifest lists: a
    /// regular file (not a link) of the recorded size.
    pub fn owns_file(&self, out: &Path, rel: &str) -> bool {
        let Ok(meta) = std::fs::symlink_metadata(out.join(rel)) else {
            return false;
        };
        meta.file_type().is_file()
            && self.entries.iter().any(
                |e| matches!(e, Entry::File { path, size } if path == rel && *size == meta.len()),
            )
    }
}

/// What stands at a folder of the output (`OUT_DIR/media`, or a space's
/// folder).
#[derive(Debug, PartialEq, Eq)]
pub enum MediaState {
    /// Nothing.
    Absent,
    /// A folder holding only what the manifest lists.
    Ours,
    /// Something the manifest does not cover; the first such path.
    Foreign(String),
}

/// Check the folder `OUT_DIR/tree` (`media`, or a space's folder) against
/// `manifest` (links are not followed; the walk is in name order, so the
/// path named is always the same).
pub fn tree_state(out: &Path, tree: &str, manifest: Option<&Manifest>) -> Result<MediaState> {
    let root = out.join(tree);
    match std::fs::symlink_metadata(&root) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(MediaState::Absent),
        Err(e) => return Err(Error::write(&root, e)),
        Ok(_) => {}
    }
    let Some(manifest) = manifest else {
        return Ok(MediaState::Foreign(tree.into()));
    };
    let index = manifest.index();
    let walk = walkdir::WalkDir::new(&root)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&root).to_path_buf();
            Error::write(&path, e.into())
        })?;
        let rel = entry
            .path()
            .strip_prefix(out)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let t = entry.file_type();
        let kinds = index.get(rel.as_str()).map_or(&[][..], Vec::as_slice);
        let ours = if t.is_dir() {
            kinds.contains(&None)
        } else if t.is_file() {
            let len = entry.metadata().map(|m| m.len()).ok();
            len.is_some_and(|l| kinds.contains(&Some(l)))
        } else {
            false
        };
        if !ours {
            return Ok(MediaState::Foreign(rel));
        }
    }
    Ok(MediaState::Ours)
}

/// The entries for a finished output tree: the files `tops` (names
/// directly in `dir`) and, when present, the folders `trees` (`media`, or
/// the spaces' folders) and everything in them, in name order.
pub fn entries_of(dir: &Path, tops: &[&str], trees: &[&str]) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for name in tops {
        let m = std::fs::symlink_metadata(dir.join(name))?;
        out.push(Entry::File {
            path: (*name).to_string(),
            size: m.len(),
        });
    }
    for tree in trees {
        walk_tree(dir, tree, &mut out)?;
    }
    Ok(out)
}

fn walk_tree(dir: &Path, tree: &str, out: &mut Vec<Entry>) -> std::io::Result<()> {
    let root = dir.join(tree);
    if std::fs::symlink_metadata(&root).is_err() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&root)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(std::io::Error::from)?;
        let path = entry
            .path()
            .strip_prefix(dir)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let t = entry.file_type();
        if t.is_dir() {
            out.push(Entry::Dir { path });
        } else if t.is_file() {
            let size = entry.metadata().map_err(std::io::Error::from)?.len();
            out.push(Entry::File { path, size });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_output_shaped_paths_are_accepted() {
        for ok in [
            "space.xml",
            "report.json",
            "media",
            "media/2010/09/a.jpg",
            "媒体.xml",
            "summary.json",
            "anna-lee/anna-lee.xml",
            "anna-lee/report.json",
            "anna-lee/media",
            "anna-lee/media/2008/12/a.jpg",
        ] {
            assert!(is_output_path(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x.xml",
            "media/../../x",
            "notes.txt",
            ".hidden.xml",
            ".spaces2wxr.lock",
            "media//a",
            "media/./a",
            "docs/notes.txt",
            ".hidden/a.xml",
            "docs/sub/a.xml",
            "media\\..\\x",
        ] {
            assert!(!is_output_path(bad), "{bad}");
        }
    }

    #[test]
    fn load_drops_entries_outside_the_output_shapes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = r#"{"written_by":"spaces2wxr","entries":[
            {"kind":"file","path":"a.xml","size":3},
            {"kind":"file","path":"../secret.txt","size":3},
            {"kind":"dir","path":"/home"}]}"#;
        std::fs::write(dir.path().join(MANIFEST_FILE), text).expect("write");
        let m = Manifest::load(dir.path()).expect("load").expect("some");
        assert_eq!(
            m.entries,
            vec![Entry::File {
                path: "a.xml".into(),
                size: 3
            }]
        );
    }

    #[test]
    fn a_manifest_that_does_not_parse_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(MANIFEST_FILE), b"{ half").expect("write");
        let err = Manifest::load(dir.path()).expect_err("refused");
        assert!(err.to_string().contains(MANIFEST_FILE), "{err}");
    }

    fn tree(dir: &Path) {
        std::fs::create_dir_all(dir.join("media/2010/09")).expect("mkdir");
        std::fs::write(dir.join("media/2010/09/a.jpg"), b"abc").expect("write");
        std::fs::write(dir.join("space.xml"), b"<rss/>").expect("write");
    }

    #[test]
    fn media_written_by_the_tool_is_recognised_and_anything_else_is_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        assert_eq!(
            tree_state(out, MEDIA_DIR, None).expect("state"),
            MediaState::Absent
        );
        tree(out);
        let m = Manifest::new(entries_of(out, &["space.xml"], &[MEDIA_DIR]).expect("entries"));
        assert!(m.owns_file(out, "space.xml"));
        assert!(!m.owns_file(out, "report.json"));
        assert_eq!(
            tree_state(out, MEDIA_DIR, Some(&m)).expect("state"),
            MediaState::Ours
        );
        assert_eq!(
            tree_state(out, MEDIA_DIR, None).expect("state"),
            MediaState::Foreign("media".into()),
            "no manifest: not ours"
        );
        // A file of the user's inside.
        std::fs::write(out.join("media/2010/mine.txt"), b"mine").expect("write");
        assert_eq!(
            tree_state(out, MEDIA_DIR, Some(&m)).expect("state"),
            MediaState::Foreign("media/2010/mine.txt".into())
        );
        std::fs::remove_file(out.join("media/2010/mine.txt")).expect("rm");
        // A listed file that changed size.
        std::fs::write(out.join("media/2010/09/a.jpg"), b"abcd").expect("write");
        assert_eq!(
            tree_state(out, MEDIA_DIR, Some(&m)).expect("state"),
            MediaState::Foreign("media/2010/09/a.jpg".into())
        );
        std::fs::write(out.join("space.xml"), b"<rss></rss>").expect("write");
        assert!(!m.owns_file(out, "space.xml"), "edited since");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_the_tools_own() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        tree(&out);
        let m = Manifest::new(entries_of(&out, &["space.xml"], &[MEDIA_DIR]).expect("entries"));
        // Replace the listed file with a link to a file of the same size.
        let other = dir.path().join("other.jpg");
        std::fs::write(&other, b"xyz").expect("write");
        std::fs::remove_file(out.join("media/2010/09/a.jpg")).expect("rm");
        std::os::unix::fs::symlink(&other, out.join("media/2010/09/a.jpg")).expect("link");
        assert_eq!(
            tree_state(&out, MEDIA_DIR, Some(&m)).expect("state"),
            MediaState::Foreign("media/2010/09/a.jpg".into())
        );
        // The media folder itself as a link.
        let elsewhere = dir.path().join("elsewhere");
        std::fs::rename(out.join("media"), &elsewhere).expect("move");
        std::os::unix::fs::symlink(&elsewhere, out.join("media")).expect("link");
        assert_eq!(
            tree_state(&out, MEDIA_DIR, Some(&m)).expect("state"),
            MediaState::Foreign("media".into())
        );
    }

    #[test]
    fn union_keeps_both_without_duplicates() {
        let a = Manifest::new(vec![Entry::File {
            path: "a.xml".into(),
            size: 1,
        }]);
        let b = Manifest::new(vec![
            Entry::File {
                path: "a.xml".into(),
                size: 9,
            },
            Entry::Dir {
                path: "media".into(),
            },
        ]);
        let u = a.union(&b);
        assert_eq!(u.entries.len(), 3);
        assert_eq!(
            u.index()["a.xml"],
            [Some(1), Some(9)],
            "either file is ours"
        );
        assert_eq!(u.union(&b).entries.len(), 3, "no duplicates");
    }
}
