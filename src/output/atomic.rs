//! Output files that appear whole or not at all.
//!
//! Every file is written under a temporary name in its final folder and
//! renamed over the real name only after it was flushed and synced, so an
//! interrupted run (even SIGKILL) leaves either no file or the previous
//! complete one, never a truncated file under the final name.

use std::fs::File;
use std::io::{BufWriter, Write};
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
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dest.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let file = File::create(&tmp).map_err(|e| Error::write(&tmp, e))?;
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

/// Write a small file atomically.
pub fn write_file(dest: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let mut f = AtomicFile::create(dest)?;
    let r = f.writer().write_all(bytes);
    r.map_err(|e| f.error(e))?;
    f.commit()
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
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))
        }
        Err(e) => Err(Error::write(dir, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn commit_replaces_previous() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dest = dir.path().join("a.xml");
        write_file(&dest, b"one").expect("one");
        write_file(&dest, b"two").expect("two");
        assert_eq!(std::fs::read(&dest).expect("read"), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).expect("read").count(), 1);
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
