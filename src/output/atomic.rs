//! Output files that appear whole or not at all.
//!
//! Every file is written under a temporary name in its final folder and
//! renamed over the real name only after it was flushed and synced, so an
//! interrupted run (even SIGKILL) leaves either no file or the previous
//! complete one, never a truncated file under the final name.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file being written; call [`AtomicFile::commit`] to publish it.
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    out: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Start writing `dest` (through `dest.partial-<pid>`).
    pub fn create(dest: &Path) -> Result<Self> {
        let tmp = sibling(dest, "partial");
        let file = create_new(&tmp).map_err(|e| Error::write(&tmp, e))?;
        Ok(AtomicFile {
            tmp,
            dest: dest.to_path_buf(),
            out: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.out.as_mut().expect("writer used after commit")
    }

    /// Flush, sync and rename into place.
    pub fn commit(mut self) -> Result<PathBuf> {
        let out = self.out.take().expect("commit called once");
        let file = out
            .into_inner()
            .map_err(|e| Error::write(&self.tmp, e.into_error()))?;
        file.sync_all().map_err(|e| Error::write(&self.tmp, e))?;
        drop(file);
        std::fs::rename(&self.tmp, &self.dest).map_err(|e| Error::write(&self.dest, e))?;
        Ok(self.dest.clone())
    }

    /// Error for a failed write to this file.
    pub fn error(&self, source: std::io::Error) -> Error {
        Error::write(&self.tmp, source)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Create `path` afresh: whatever stands there (a stale temporary file, or
/// a link planted in its place) is removed, never written through.
fn create_new(path: &Path) -> std::io::Result<File> {
    let open = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    match open() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            remove_any(path)?;
            open()
        }
        other => other,
    }
}

/// A folder built under a temporary name beside its final place and swapped
/// in by [`NewDir::commit`]; dropped uncommitted, it is removed.
pub struct NewDir {
    tmp: PathBuf,
    dest: PathBuf,
    done: std::cell::Cell<bool>,
}

impl NewDir {
    /// Create `.<name>.partial-<pid>` beside `dest`.
    pub fn create(dest: &Path) -> Result<Self> {
        let tmp = sibling(dest, "partial");
        if std::fs::symlink_metadata(&tmp).is_ok() {
            remove_any(&tmp).map_err(|e| Error::write(&tmp, e))?;
        }
        std::fs::create_dir(&tmp).map_err(|e| Error::write(&tmp, e))?;
        Ok(NewDir {
            tmp,
            dest: dest.to_path_buf(),
            done: std::cell::Cell::new(false),
        })
    }

    /// Where to build the folder.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Replace whatever stands at the destination (a folder, a file or a
    /// symbolic link, which is removed, never followed) with the new folder.
    pub fn commit(&self) -> Result<()> {
        if std::fs::symlink_metadata(&self.dest).is_ok() {
            let old = sibling(&self.dest, "old");
            std::fs::rename(&self.dest, &old).map_err(|e| Error::write(&self.dest, e))?;
            std::fs::rename(&self.tmp, &self.dest).map_err(|e| Error::write(&self.dest, e))?;
            remove_any(&old).map_err(|e| Error::write(&old, e))?;
        } else {
            std::fs::rename(&self.tmp, &self.dest).map_err(|e| Error::write(&self.dest, e))?;
        }
        self.done.set(true);
        Ok(())
    }
}

impl Drop for NewDir {
    fn drop(&mut self) {
        if !self.done.get() {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// `.NAME.TAG-PID` beside `dest`: a hidden name of this run that
/// [`prepare_out_dir`] recognises as a leftover when a run was killed.
fn sibling(dest: &Path, tag: &str) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Remove a folder tree, a file or a link without following links.
fn remove_any(p: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(p)?.is_dir() {
        std::fs::remove_dir_all(p)
    } else {
        std::fs::remove_file(p)
    }
}

/// Make sure `dir` exists and may be written: missing or empty, or `force`.
pub fn prepare_out_dir(dir: &Path, force: bool) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() && !force {
                return Err(Error::OutputNotEmpty {
                    path: dir.to_path_buf(),
                });
            }
            remove_leftovers(dir)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))
        }
        Err(e) => Err(Error::write(dir, e)),
    }
}

/// Remove the temporary files and folders an interrupted earlier run left
/// behind (`.NAME.partial-PID`, `.NAME.old-PID`); nothing else is touched.
fn remove_leftovers(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::write(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && (name.contains(".partial-") || name.contains(".old-")) {
            let path = entry.path();
            remove_any(&path).map_err(|e| Error::write(&path, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn dropped_file_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dest = dir.path().join("a.xml");
        {
            let mut f = AtomicFile::create(&dest).expect("create");
            f.writer().write_all(b"half").expect("write");
        }
        assert_eq!(std::fs::read_dir(dir.path()).expect("read").count(), 0);
    }

    fn write_file(dest: &Path, bytes: &[u8]) -> Result<PathBuf> {
        let mut f = AtomicFile::create(dest)?;
        let r = f.writer().write_all(bytes);
        r.map_err(|e| f.error(e))?;
        f.commit()
    }

    #[test]
    fn commit_replaces_previous() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dest = dir.path().join("a.xml");
        write_file(&dest, b"one").expect("one");
        write_file(&dest, b"two").expect("two");
        assert_eq!(std::fs::read(&dest).expect("read"), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).expect("read").count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn new_dir_replaces_a_link_without_following_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).expect("mkdir");
        std::fs::write(outside.join("keep"), b"keep").expect("write");
        let dest = dir.path().join("media");
        std::os::unix::fs::symlink(&outside, &dest).expect("symlink");
        let new = NewDir::create(&dest).expect("create");
        std::fs::write(new.path().join("a.jpg"), b"a").expect("write");
        new.commit().expect("commit");
        assert!(
            dest.is_dir()
                && !std::fs::symlink_metadata(&dest)
                    .expect("meta")
                    .file_type()
                    .is_symlink()
        );
        assert_eq!(std::fs::read(dest.join("a.jpg")).expect("read"), b"a");
        assert_eq!(
            std::fs::read_dir(&outside).expect("outside").count(),
            1,
            "outside untouched"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("e").file_name())
            .collect();
        assert_eq!(names.len(), 2, "no leftovers: {names:?}");
    }

    #[test]
    fn force_removes_only_leftover_temporaries() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(".demo.xml.partial-42"), b"half").expect("write");
        std::fs::create_dir(dir.path().join(".media.partial-42")).expect("mkdir");
        std::fs::write(dir.path().join("notes.txt"), b"mine").expect("write");
        std::fs::write(dir.path().join(".hidden"), b"mine").expect("write");
        prepare_out_dir(dir.path(), true).expect("prepare");
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("e").file_name())
            .collect();
        names.sort();
        assert_eq!(names, [".hidden", "notes.txt"]);
    }

    #[test]
    fn non_empty_out_dir_needs_force() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("x"), b"x").expect("write");
        assert!(matches!(
            prepare_out_dir(dir.path(), false),
            Err(Error::OutputNotEmpty { .. })
        ));
        assert!(prepare_out_dir(dir.path(), true).is_ok());
    }
}
