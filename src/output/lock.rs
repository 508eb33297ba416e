//! One run per output folder: `OUT_DIR/.spaces2wxr.lock`.
//!
//! The run holds an exclusive lock on this file (`File::try_lock`, an
//! advisory whole-file lock) from its start to its end, so a second run on
//! the same folder stops at once and names the first (its pid and start
//! time are written in the file). The file is also the run's journal: the
//! name of the run's work folder is written into it before the folder is
//! created, so that a later run can recognise, and remove, the work folder
//! of a run that was killed (`SIGKILL`, power loss) — by what the journal
//! says, never by a name pattern.

use crate::platform::same_file;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Name of the lock file in `OUT_DIR`.
pub const LOCK_FILE: &str = ".spaces2wxr.lock";

/// Prefix of a run's work folder in `OUT_DIR`.
pub const WORK_PREFIX: &str = ".spaces2wxr-run-";

/// The lock of one run on its output folder.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

/// What an earlier run left in the lock file.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Journal {
    /// Work folders the earlier run recorded (single names in `OUT_DIR`).
    pub work: Vec<String>,
}

impl Lock {
    /// Lock `out` (which must exist) for this run, or fail at once when
    /// another run holds it. Returns the journal of an earlier run that
    /// ended without cleaning up.
    pub fn acquire(out: &Path) -> Result<(Lock, Journal)> {
        let path = out.join(LOCK_FILE);
        // A run that finishes removes the lock file after others may have
        // opened it: retry when the file locked is no longer the one there.
        for _ in 0..8 {
            let file = open_lock_file(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    return Err(Error::OutputInUse {
                        path: out.to_path_buf(),
                        holder: describe_holder(&holder),
                    });
                }
                // A file system without locks: the file still records the
                // run and its work folder, but cannot keep a second run out.
                Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {}
                Err(TryLockError::Error(e)) => return Err(Error::write(&path, e)),
            }
            if !same_file(&file, &path) {
                continue;
            }
            let mut lock = Lock { file, path };
            let mut old = String::new();
            let read = (&lock.file).read_to_string(&mut old);
            let journal = match read {
                Ok(_) => parse_journal(&old),
                Err(_) => Journal::default(),
            };
            lock.start(&journal)?;
            return Ok((lock, journal));
        }
        Err(Error::OutputInUse {
            path: out.to_path_buf(),
            holder: "other runs keep starting and ending there".into(),
        })
    }

    /// Replace the file's text with this run's header. The work folders
    /// of the earlier run stay recorded until this run has removed them
    /// (removing a folder that is already gone is no error).
    fn start(&mut self, earlier: &Journal) -> Result<()> {
        let mut header = format!(
            "spaces2wxr {} run\npid: {}\nstarted: {}\n",
            env!("CARGO_PKG_VERSION"),
            std::process::id(),
            chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
        );
        for name in &earlier.work {
            header.push_str(&format!("work: {name}\n"));
        }
        let written = self
            .file
            .set_len(0)
            .and_then(|()| self.file.rewind())
            .and_then(|()| self.file.write_all(header.as_bytes()))
            .and_then(|()| self.file.sync_data());
        written.map_err(|e| Error::write(&self.path, e))
    }

    /// Record the name of the run's work folder, before it is created.
    pub fn record_work(&mut self, name: &str) -> Result<()> {
        let line = format!("work: {name}\n");
        let written = self
            .file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data());
        written.map_err(|e| Error::write(&self.path, e))
    }

    /// Remove the lock file, then release the lock.
    pub fn release(self) {
        let _ = std::fs::remove_file(&self.path);
        drop(self.file);
    }
}

/// Open (or create) the lock file without writing through a link planted
/// in its place: a new file is created exclusively (`O_EXCL` never follows
/// a link); an existing one must be a regular file.
fn open_lock_file(path: &Path) -> Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true).write(true);
    let file = match opts.clone().create_new(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = std::fs::symlink_metadata(path).map_err(|e| Error::write(path, e))?;
            if !meta.file_type().is_file() {
                return Err(not_a_lock_file(path));
            }
            opts.open(path).map_err(|e| Error::write(path, e))?
        }
        Err(e) => return Err(Error::write(path, e)),
    };
    let is_file = file.metadata().map(|m| m.is_file()).unwrap_or(false);
    if !is_file || !same_file(&file, path) {
        return Err(not_a_lock_file(path));
    }
    Ok(file)
}

fn not_a_lock_file(path: &Path) -> Error {
    Error::OutputRefused {
        path: path.to_path_buf(),
        reason: "it should be spaces2wxr's lock file but is a link or a folder; remove it by hand"
            .into(),
    }
}

/// The work folders a lock file records; names that are not a single
/// hidden name of the run's shape are ignored.
fn parse_journal(text: &str) -> Journal {
    let work = text
        .lines()
        .filter_map(|l| l.strip_prefix("work: "))
        .filter(|n| is_work_name(n))
        .map(str::to_string)
        .collect();
    Journal { work }
}

/// A single path component that a run could have chosen for its work folder.
pub fn is_work_name(name: &str) -> bool {
    name.strip_prefix(WORK_PREFIX).is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// "pid 1234, started 2026-11-29 22:30:30 UTC" from a lock file's text.
fn describe_holder(text: &str) -> String {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_string())
            .filter(|v| {
                !v.is_empty()
                    && v.chars()
                        .all(|c| c.is_ascii_alphanumeric() || " :-".contains(c))
            })
    };
    match (field("pid:"), field("started:")) {
        (Some(pid), Some(started)) => format!("pid {pid}, started {started}"),
        (Some(pid), None) => format!("pid {pid}"),
        _ => "another process".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_keeps_only_work_folder_names() {
        let text = "spaces2wxr 0.1.0 run\npid: 7\nstarted: x\nwork: .spaces2wxr-run-7-1f\n\
                    work: ../../home\nwork: notes.txt\nwork: .spaces2wxr-run-\nwork: .spaces2wxr-run-a/b\n";
        assert_eq!(
            parse_journal(text).work,
            vec![".spaces2wxr-run-7-1f".to_string()]
        );
    }

    #[test]
    fn holder_is_described_without_raw_text() {
        let text = "spaces2wxr 0.1.0 run\npid: 4242\nstarted: 2026-11-29 22:30:30 UTC\n";
        assert_eq!(
            describe_holder(text),
            "pid 4242, started 2026-11-29 22:30:30 UTC"
        );
        assert_eq!(describe_holder("pid: \x1b[31m\n"), "another process");
        assert_eq!(describe_holder(""), "another process");
    }

    #[test]
    fn second_lock_in_the_same_folder_fails_and_names_the_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (first, journal) = Lock::acquire(dir.path()).expect("first lock");
        assert_eq!(journal, Journal::default());
        let err = Lock::acquire(dir.path()).expect_err("second lock must fail");
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        first.release();
        assert!(!dir.path().join(LOCK_FILE).exists());
        let (again, _) = Lock::acquire(dir.path()).expect("free again");
        again.release();
    }

    #[test]
    fn an_earlier_runs_journal_is_handed_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut first, _) = Lock::acquire(dir.path()).expect("lock");
        first.record_work(".spaces2wxr-run-1-ab").expect("record");
        // A killed run: the lock goes, the file stays.
        drop(first);
        let (second, journal) = Lock::acquire(dir.path()).expect("lock again");
        assert_eq!(journal.work, vec![".spaces2wxr-run-1-ab".to_string()]);
        let text = std::fs::read_to_string(dir.path().join(LOCK_FILE)).expect("read");
        assert!(
            text.contains(&format!("pid: {}", std::process::id()))
                && text.contains("work: .spaces2wxr-run-1-ab"),
            "new header, earlier work folder still recorded: {text}"
        );
        second.release();
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_lock_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("precious.txt");
        std::fs::write(&target, b"mine").expect("write");
        let out = dir.path().join("out");
        std::fs::create_dir(&out).expect("mkdir");
        std::os::unix::fs::symlink(&target, out.join(LOCK_FILE)).expect("symlink");
        assert!(Lock::acquire(&out).is_err());
        assert_eq!(std::fs::read(&target).expect("read"), b"mine");
    }
}
