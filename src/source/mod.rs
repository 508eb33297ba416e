//! Read stage: the archive as a list of files and a way to read each one.
//!
//! Three kinds of input look the same to the rest of the pipeline: an
//! extracted folder ([`dir`]), a `.zip` file ([`zip`]) and a web archive
//! (WARC, WARC.gz, ARC or WACZ, [`warc`]), whose captures appear as the
//! files a mirror would have saved. A second input may lend its files to
//! the media step only ([`Archive::with_media_from`]). Nothing is ever
//! extracted to disk; files are read on demand, in parallel, and media are
//! streamed. Paths are `/`-separated, relative to the archive root, and
//! never contain `..`, so they are safe to show and to compare. They are
//! decoded text, for display and matching only: a folder's file is opened
//! by the raw bytes of its name, which its [`FileEntry`] keeps. A zip is
//! read through one handle, checked for changes after each reading stage
//! ([`Archive::verify`]).

pub mod dir;
pub mod image;
pub mod layout;
pub mod names;
pub mod warc;
pub mod zip;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use crate::error::{Error, Result};

/// Why one file of the archive could not be read. A run goes on without
/// it: the file is reported (`unreadable`, `media-unreadable`), never
/// fatal.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// More bytes than the caller allows.
    #[error("larger than the {limit}-byte limit")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The file, or the archive holding it, changed since it was listed
    /// (what changed, in words).
    #[error("{0}")]
    Changed(String),
    /// Its bytes could not be decoded: damaged compressed data, a broken
    /// web-archive record (what was wrong, in words).
    #[error("{0}")]
    Damaged(String),
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Largest file read whole into memory (pages; media are streamed).
pub const MAX_PAGE_BYTES: u64 = 64 * 1024 * 1024;

/// Caps that keep a hostile archive (a zip bomb, a forged size) from
/// filling the disk or the memory. Each can be raised from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest single file, uncompressed. Larger entries are skipped.
    pub max_file_bytes: u64,
    /// Largest total of all files, uncompressed. Above it the run stops.
    pub max_total_bytes: u64,
    /// Largest compression ratio of a zip entry bigger than 1 MiB. Above it
    /// the entry is skipped as a likely bomb.
    pub max_ratio: u64,
    /// Most entries a zip may have. Above it the run stops.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 2 << 30,
            max_total_bytes: 64 << 30,
            max_ratio: 200,
            max_entries: 1_000_000,
        }
    }
}

/// Entries smaller than this are never judged by their compression ratio.
pub const RATIO_MIN_BYTES: u64 = 1 << 20;

/// One file of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// `/`-separated path relative to the archive root.
    pub path: String,
    /// Uncompressed size in bytes.
    pub size: u64,
    /// Last modification time (local wall clock as stored).
    pub modified: Option<NaiveDateTime>,
    /// Position in the zip central directory (zip inputs only).
    index: usize,
    /// The path relative to a folder input, as the file system spells it
    /// (raw bytes; folder inputs only).
    os_path: PathBuf,
    /// Device and inode when listed (folder inputs on Unix), to check that
    /// the file opened later is the same one.
    identity: Option<Identity>,
    /// Whether the file belongs to the `--media-from` input.
    lent: bool,
}

/// Device and inode number of a file.
pub(crate) type Identity = (u64, u64);

impl FileEntry {
    /// Lower-cased file name (last path segment).
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// Something in the archive that was skipped, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Path (or raw name) of the entry.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

/// An opened archive.
pub struct Archive {
    root: PathBuf,
    files: Vec<FileEntry>,
    skipped: Vec<Skipped>,
    backend: Backend,
    limits: Limits,
    /// The `--media-from` input and its files (paths prefixed with
    /// [`MEDIA_FROM`]).
    lender: Option<(Box<Archive>, Vec<FileEntry>)>,
}

/// Folder shown before the paths of `--media-from` files.
pub const MEDIA_FROM: &str = "[media-from]";

enum Backend {
    Dir(PathBuf),
    Zip(zip::ZipSource),
    Warc(warc::WarcSource),
}

impl Archive {
    /// Open a folder or a zip file. `zip_names` forces the code page of zip
    /// entry names that lack the UTF-8 flag (and of folder file names that
    /// are not UTF-8).
    pub fn open(path: &Path, zip_names: Option<names::NameCodec>, limits: Limits) -> Result<Self> {
        let meta = std::fs::metadata(path).map_err(|source| Error::Input {
            path: path.to_path_buf(),
            source,
        })?;
        let (files, skipped, backend) = if meta.is_dir() {
            let (files, skipped) = dir::list(path, zip_names)?;
            (files, skipped, Backend::Dir(path.to_path_buf()))
        } else if !meta.is_file() {
            return Err(Error::NotRegular {
                path: path.to_path_buf(),
                kind: crate::platform::special_kind(&meta.file_type()),
            });
        } else if let Some(kind) = sniff_web_archive(path)? {
            let file = crate::platform::open_input(path).map_err(|e| Error::read(path, e))?;
            let gz = kind == warc::Sniffed::Gzip;
            let (src, files, skipped) =
                warc::WarcSource::open_file(path, file, gz, limits.max_file_bytes)
                    .map_err(|e| Error::read(path, e))?;
            if let Some(cut) = skipped.iter().find(|s| warc::is_cut_short(&s.reason)) {
                return Err(Error::WebArchiveTruncated {
                    path: path.to_path_buf(),
                    detail: cut.reason.clone(),
                });
            }
            (files, skipped, Backend::Warc(src))
        } else {
            let (src, files, skipped) = zip::ZipSource::open(path, zip_names, &limits)?;
            if warc::is_wacz(&files) {
                let (src, files, more) =
                    warc::WarcSource::open_wacz(src, &files, limits.max_file_bytes);
                let mut skipped = skipped;
                skipped.extend(more);
                (files, skipped, Backend::Warc(src))
            } else {
                (files, skipped, Backend::Zip(src))
            }
        };
        let (files, skipped) = apply_file_limit(files, skipped, limits.max_file_bytes);
        let total: u64 = files.iter().map(|f| f.size).sum();
        if total > limits.max_total_bytes {
            return Err(Error::TooLarge {
                path: path.to_path_buf(),
                what: format!(
                    "its files add up to {total} bytes, above the limit of {} (--max-total-size)",
                    limits.max_total_bytes
                ),
            });
        }
        Ok(Archive {
            root: path.to_path_buf(),
            files,
            skipped,
            backend,
            limits,
            lender: None,
        })
    }

    /// Lend the files of `other` (the `--media-from` input) to the media
    /// step: they are matched after this archive's own files, and their
    /// paths start with `MEDIA_FROM`. What `other` skipped is added to
    /// this archive's skipped list.
    pub fn with_media_from(mut self, other: Archive) -> Archive {
        let mut other = other;
        let lent: Vec<FileEntry> = std::mem::take(&mut other.files)
            .into_iter()
            .map(|mut f| {
                f.path = format!("{MEDIA_FROM}/{}", f.path);
                f.lent = true;
                f
            })
            .collect();
        self.skipped
            .extend(std::mem::take(&mut other.skipped).into_iter().map(|mut s| {
                s.path = format!("{MEDIA_FROM}/{}", s.path);
                s
            }));
        self.lender = Some((Box::new(other), lent));
        self
    }

    /// The files of the `--media-from` input, if one was given.
    pub fn lent_files(&self) -> &[FileEntry] {
        self.lender.as_ref().map_or(&[], |(_, f)| f.as_slice())
    }

    /// Captures of a web archive that were not `2xx` (redirects, errors),
    /// in archive order; empty for other inputs.
    pub fn failed_captures(&self) -> &[warc::Capture] {
        match &self.backend {
            Backend::Warc(w) => w.captures(),
            _ => &[],
        }
    }

    /// The input path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every readable file, sorted by path.
    pub fn files(&self) -> &[FileEntry] {
        &self.files
    }

    /// The code page of zip entry names without the UTF-8 flag (`None` for
    /// a folder), for the report.
    pub fn name_codec(&self) -> Option<names::NameCodec> {
        match &self.backend {
            Backend::Dir(_) => None,
            Backend::Zip(z) => Some(z.codec()),
            Backend::Warc(w) => w.zip().map(zip::ZipSource::codec),
        }
    }

    /// Entries that were left out when listing, with the reason.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// Check that the input was read consistently: a zip that changed or was
    /// cut short while it was read (a download still in progress) is an
    /// error naming the zip, even if the reads that failed were reported as
    /// unreadable entries. Call it after each stage that reads the archive.
    pub fn verify(&self) -> Result<()> {
        if let Some((other, _)) = &self.lender {
            other.verify()?;
        }
        match &self.backend {
            Backend::Dir(_) => Ok(()),
            Backend::Zip(z) => z.verify(),
            Backend::Warc(w) => w.zip().map_or(Ok(()), zip::ZipSource::verify),
        }
    }

    /// Read a whole file, refusing more than `limit` bytes.
    pub fn read(&self, file: &FileEntry, limit: u64) -> std::result::Result<Vec<u8>, ReadError> {
        let limit = limit.min(self.limits.max_file_bytes);
        let mut buf = Vec::with_capacity(file.size.min(limit) as usize);
        self.with_reader(file, &mut |r| {
            r.take(limit + 1).read_to_end(&mut buf)?;
            Ok(())
        })?;
        if buf.len() as u64 > limit {
            return Err(ReadError::TooLarge { limit });
        }
        Ok(buf)
    }

    /// Hand a reader over a file to `f`, to read it in pieces (pages too
    /// large to hold whole).
    pub fn stream(
        &self,
        file: &FileEntry,
        f: &mut dyn FnMut(&mut dyn Read) -> std::io::Result<()>,
    ) -> std::result::Result<(), ReadError> {
        self.with_reader(file, f)
    }

    /// Stream a file into `out`; returns the bytes copied.
    pub fn copy_to(
        &self,
        file: &FileEntry,
        out: &mut dyn Write,
    ) -> std::result::Result<u64, ReadError> {
        let mut n = 0;
        self.with_reader(file, &mut |r| {
            n = std::io::copy(r, out)?;
            Ok(())
        })?;
        Ok(n)
    }

    fn with_reader(
        &self,
        file: &FileEntry,
        f: &mut dyn FnMut(&mut dyn Read) -> std::io::Result<()>,
    ) -> std::result::Result<(), ReadError> {
        let backend = match (&self.lender, file.lent) {
            (Some((other, _)), true) => &other.backend,
            (None, true) => return Err(ReadError::Damaged("not a file of this archive".into())),
            (_, false) => &self.backend,
        };
        match backend {
            Backend::Dir(root) => dir::with_reader(root, file, f),
            Backend::Zip(src) => src.with_reader(file.index, f),
            Backend::Warc(src) => src.with_reader(file.index, f),
        }
    }
}

/// Is the file at `path` a WARC or ARC (plain or gzipped)?
fn sniff_web_archive(path: &Path) -> Result<Option<warc::Sniffed>> {
    let file = crate::platform::open_input(path).map_err(|e| Error::read(path, e))?;
    Ok(warc::sniff(&file))
}

/// Skip files larger than `max` (with a reason).
fn apply_file_limit(
    files: Vec<FileEntry>,
    mut skipped: Vec<Skipped>,
    max: u64,
) -> (Vec<FileEntry>, Vec<Skipped>) {
    let (keep, drop): (Vec<FileEntry>, Vec<FileEntry>) =
        files.into_iter().partition(|f| f.size <= max);
    skipped.extend(drop.into_iter().map(|f| Skipped {
        reason: format!(
            "{} bytes, larger than the {max}-byte limit (--max-file-size)",
            f.size
        ),
        path: f.path,
    }));
    (keep, skipped)
}

impl FileEntry {
    /// A file entry for unit tests of later stages.
    #[doc(hidden)]
    pub fn for_test(path: &str, size: u64) -> Self {
        FileEntry {
            path: path.to_string(),
            size,
            modified: None,
            index: 0,
            os_path: PathBuf::from(path),
            identity: None,
            lent: false,
        }
    }
}
