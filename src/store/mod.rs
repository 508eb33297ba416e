//! On-disk storage between stages: entries, plans and HTML wait in an
//! unlinked temporary file (in memory when no temporary folder is usable),
//! so memory does not grow with the archive's content.

pub mod records;
pub mod text;

use std::fs::File;
use std::io;
use std::sync::Mutex;

/// Append-only bytes, shared by all threads: an unlinked temporary file,
/// or memory. [`records::Records`], [`records::Log`] and the [`text::Spool`] each keep their data in one.
pub(crate) enum Store {
    File { file: File, end: Mutex<u64> },
    Memory(Mutex<Vec<u8>>),
}

impl Store {
    /// A temporary file, or memory when none can be made.
    pub(crate) fn new() -> Self {
        Self::file().unwrap_or_else(|_| Store::Memory(Mutex::new(Vec::new())))
    }

    /// A temporary file in the system's temporary folder (removed on exit).
    pub(crate) fn file() -> io::Result<Self> {
        Ok(Store::File {
            file: tempfile::tempfile()?,
            end: Mutex::new(0),
        })
    }

    /// Append `bytes`, returning their offset.
    pub(crate) fn append(&self, bytes: &[u8]) -> io::Result<u64> {
        let poisoned = || io::Error::other("record store lock poisoned");
        match self {
            Store::File { file, end } => {
                let mut end = end.lock().map_err(|_| poisoned())?;
                let at = *end;
                crate::platform::write_all_at(file, bytes, at)?;
                *end += bytes.len() as u64;
                Ok(at)
            }
            Store::Memory(buf) => {
                let mut buf = buf.lock().map_err(|_| poisoned())?;
                let at = buf.len() as u64;
                buf.extend_from_slice(bytes);
                Ok(at)
            }
        }
    }

    /// Read exactly `buf.len()` bytes at `offset`.
    pub(crate) fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        if self.read_up_to(buf, offset)? < buf.len() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }

    /// Read up to `buf.len()` bytes at `offset` (fewer only at the end).
    fn read_up_to(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        match self {
            Store::File { file, .. } => {
                let mut done = 0;
                while done < buf.len() {
                    match crate::platform::read_at(file, &mut buf[done..], offset + done as u64) {
                        Ok(0) => break,
                        Ok(n) => done += n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok(done)
            }
            Store::Memory(mem) => {
                let mem = mem
                    .lock()
                    .map_err(|_| io::Error::other("record store lock poisoned"))?;
                let start = usize::try_from(offset).map_err(io::Error::other)?;
                let part = mem.get(start..).unwrap_or_default();
                let n = part.len().min(buf.len());
                buf[..n].copy_from_slice(&part[..n]);
                Ok(n)
            }
        }
    }

    fn len(&self) -> u64 {
        match self {
            Store::File { end, .. } => end.lock().map_or(0, |e| *e),
            Store::Memory(buf) => buf.lock().map_or(0, |b| b.len() as u64),
        }
    }
}
