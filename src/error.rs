//! Fatal errors of a conversion.
//!
//! Only what stops the whole run is an [`Error`]: an unreadable archive, an
//! output folder that cannot be written. A bad entry, a missing image or an
//! odd date is a [`crate::report::Warning`] instead, and the run goes on.

use std::borrow::Cow;
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
    /// The input is neither a folder nor a regular file.
    #[error("'{path}' is {kind}, not a zip file or a folder; nothing was read")]
    NotRegular {
        /// The input given on the command line.
        path: PathBuf,
        /// What it is (`a FIFO (named pipe)`, `a device`, …).
        kind: &'static str,
    },
    /// A web archive (WARC) ends early or is damaged partway: a download
    /// that did not finish, a copy cut short. Converting the captures before
    /// the cut would silently lose every post after it.
    #[error("'{path}' is a web archive cut short or damaged partway ({detail}); download or copy it again (a .warc.gz can be checked with `gzip -t`)")]
    WebArchiveTruncated {
        /// The archive.
        path: PathBuf,
        /// Where reading stopped, and why.
        detail: String,
    },
    /// The zip ends early: a download that did not finish, a copy cut short.
    #[error("'{path}' is truncated or an incomplete download ({detail}); check it with `unzip -t '{path}'` and download or copy it again")]
    Truncated {
        /// The zip.
        path: PathBuf,
        /// What is missing.
        detail: String,
    },
    /// The zip's directory cannot be read.
    #[error("'{path}' is a damaged zip archive ({detail}); check it with `unzip -t '{path}'`")]
    Damaged {
        /// The zip.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The zip changed while it was being read (a download still in
    /// progress, a file being rewritten): what was read is not one version.
    #[error(
        "'{path}' changed while it was being read ({detail}); convert it again once it is complete"
    )]
    InputChanged {
        /// The zip.
        path: PathBuf,
        /// How it changed.
        detail: String,
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
    #[error("cannot read zip entry '{}' of '{archive}': {reason}", printable(name))]
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

/// `s` with control characters escaped (`\u{1b}`), so that a name from an
/// archive cannot drive the terminal it is printed to. Line breaks and
/// tabs are escaped too: one name stays on one line. Bidirectional
/// overrides are escaped as well, as they reorder what is shown.
pub fn printable(s: &str) -> Cow<'_, str> {
    let hostile =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(hostile) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hostile(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain 日志.html"), "plain 日志.html");
        assert_eq!(
            printable("a\u{1b}[31mred\u{7}\nb\u{9b}c\u{202e}d"),
            "a\\u{1b}[31mred\\u{7}\\u{a}b\\u{9b}c\\u{202e}d"
        );
    }

    #[test]
    fn messages_name_no_library_types() {
        let e = Error::ZipEntry {
            archive: "space.zip".into(),
            name: "x\u{1b}]0;pwned\u{7}.html".into(),
            reason: "damaged".into(),
        };
        let shown = e.to_string();
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown}"
        );
    }
}
