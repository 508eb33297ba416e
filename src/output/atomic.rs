//! Output files that appear whole or not at all.
//!
//! Every file is written under a temporary name in its final folder and
//! renamed over the real name only after it was flushed and synced, so an
//! interrupted run (even SIGKILL) leaves either no file or the previous
//! complete one, never a truncated file under the final name. A run writes
//! its files this way inside its work folder; [`super::outdir`] moves them
//! into `OUT_DIR` together at the end.

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

/// `.NAME.TAG-PID` beside `dest`. Output files are written inside the
/// run's private work folder (see [`super::outdir`]), so this name never
/// meets a file of the user's.
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
}
