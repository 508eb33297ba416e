//! Fatal errors of a conversion.
//!
//! Only what stops the whole run is an [`Error`]: an unreadable archive, an
//! output folder that cannot be written. A bad entry, a missing image or an
//! odd date is a [`crate::report::Warning`] instead, and the run goes on.

use std::path::PathBuf;

/// A fatal error; every variant that touches the file system names the path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input path does not exist or cannot be inspected.
    #[error("cannot read input '{path}': {source}")]
    Input {
        /// The input given on the command line.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The input is neither a folder nor a readable zip archive.
    #[error("'{path}' is not a zip archive or a folder: {reason}")]
    NotAnArchive {
        /// The input given on the command line.
        path: PathBuf,
        /// Why it was rejected.
        reason: String,
    },
    /// Reading a file inside a folder input failed.
    #[error("cannot read '{path}': {source}")]
    Read {
        /// The file that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Reading an entry of a zip archive failed.
    #[error("cannot read zip entry '{name}' of '{archive}': {reason}")]
    ZipEntry {
        /// The archive.
        archive: PathBuf,
        /// The entry name as decoded.
        name: String,
        /// Why it failed.
        reason: String,
    },
    /// The output folder exists and holds files, and `--force` was not given.
    #[error(
        "output folder '{path}' is not empty (use --force to replace what spaces2wxr wrote there)"
    )]
    OutputNotEmpty {
        /// The output folder.
        path: PathBuf,
    },
    /// The output folder is inside the input folder, or the other way round.
    #[error("output folder '{out}' overlaps the input '{input}'")]
    OutputOverlapsInput {
        /// The output folder.
        out: PathBuf,
        /// The input.
        input: PathBuf,
    },
    /// Writing an output file failed.
    #[error("cannot write '{path}': {source}")]
    Write {
        /// The file or folder that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The temporary files that hold parsed entries failed (full disk?).
    #[error("cannot use the temporary files in '{}' (set TMPDIR to a folder with free space): {source}", std::env::temp_dir().display())]
    Spool {
        /// The underlying error.
        source: std::io::Error,
    },
    /// The archive is over one of the size limits (a likely zip bomb).
    #[error("'{path}' is refused: {what}")]
    TooLarge {
        /// The input.
        path: PathBuf,
        /// Which limit and by how much.
        what: String,
    },
    /// Nothing in the archive looked like a Spaces blog entry.
    #[error("no Windows Live Spaces entries found in '{path}' ({looked})")]
    NothingFound {
        /// The input.
        path: PathBuf,
        /// What was looked for and what was seen.
        looked: String,
    },
    /// Another run holds the output folder's lock.
    #[error("output folder '{path}' is in use by another spaces2wxr run ({holder}); wait for it to end or choose another output folder")]
    OutputInUse {
        /// The output folder.
        path: PathBuf,
        /// Who holds it (pid and start time).
        holder: String,
    },
    /// Writing here could destroy something the tool did not write.
    #[error("refusing to write into '{path}': {reason}")]
    OutputRefused {
        /// The path in question.
        path: PathBuf,
        /// Why, and what to do.
        reason: String,
    },
}

/// Result alias for the library.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Wrap an IO error of an output path.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Write {
            path: path.into(),
            source,
        }
    }

    /// Wrap an IO error of an input path.
    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Read {
            path: path.into(),
            source,
        }
    }
}
