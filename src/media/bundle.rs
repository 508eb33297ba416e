//! Media stage, bundle: the folder `OUT_DIR/media/YYYY/MM/name`.
//!
//! Each archive file a post uses is read once, streamed into a staging file
//! while its SHA-256 is computed and its type sniffed from the first bytes
//! (rayon, one file per task). Then, in the posts' order, identical bytes
//! are kept once, each file gets a name unique in the whole bundle with the
//! extension of its real type, and the staging file is renamed into the
//! month folder of the first post that shows it.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::source::image::{sniff, Sniffed};
use crate::source::{Archive, FileEntry, ReadError};

/// Longest file name stem in the bundle, in characters.
const MAX_STEM: usize = 80;

/// One archive file copied to staging (or only read, for a dry run).
#[derive(Debug, Clone)]
pub struct Staged {
    /// Staging path; `None` when the bytes were only read, hashed and
    /// sniffed, never written ([`stage`] without a staging folder).
    pub tmp: Option<PathBuf>,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// Bytes copied.
    pub size: u64,
    /// Recognised type, or `None` when the bytes are not an image.
    pub kind: Option<Sniffed>,
}

/// Copy `files` into `staging` in parallel; one result per file, in order.
/// Without a staging folder (`None`, a dry run such as `inspect`) each file
/// is only read, hashed and sniffed: nothing is written.
///
/// A file the archive cannot give (unreadable, corrupt entry) is an `Err`
/// message for that file alone, and the run goes on without it. Failing to
/// *write* a copy (a full disk, a read-only or failing output folder) is
/// fatal: the outer error names the staging file and the reason.
pub fn stage(
    archive: &Archive,
    files: &[&FileEntry],
    staging: Option<&Path>,
) -> Result<Vec<std::result::Result<Staged, ReadError>>> {
    let staged: Vec<Result<std::result::Result<Staged, ReadError>>> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| match staging {
            Some(dir) => stage_one(archive, f, &dir.join(format!("{i}.part"))),
            None => Ok(read_one(archive, f)),
        })
        .collect();
    staged.into_iter().collect()
}

fn stage_one(
    archive: &Archive,
    file: &FileEntry,
    tmp: &Path,
) -> Result<std::result::Result<Staged, ReadError>> {
    let out = std::fs::File::create(tmp).map_err(|e| Error::write(tmp, e))?;
    let mut sink = HashingWriter::new(io::BufWriter::new(out));
    let copied = archive.copy_to(file, &mut sink);
    if let Some(e) = sink.failed.take() {
        return Err(Error::write(tmp, e));
    }
    if let Err(reason) = copied {
        let _ = std::fs::remove_file(tmp);
        return Ok(Err(reason));
    }
    sink.out.flush().map_err(|e| Error::write(tmp, e))?;
    Ok(Ok(sink.finish(Some(tmp.to_path_buf()))))
}

/// Read one file through the hasher and sniffer, writing nothing.
fn read_one(archive: &Archive, file: &FileEntry) -> std::result::Result<Staged, ReadError> {
    let mut sink = HashingWriter::new(io::sink());
    archive.copy_to(file, &mut sink)?;
    Ok(sink.finish(None))
}

/// Writes through while hashing and keeping the first bytes for sniffing;
/// remembers its own write error, so that a failure to write the copy is
/// told apart from a failure to read the archive.
struct HashingWriter<W: Write> {
    out: W,
    hash: Sha256,
    head: Vec<u8>,
    size: u64,
    failed: Option<io::Error>,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf).map_err(|e| self.fail(e))?;
        self.hash.update(&buf[..n]);
        if self.head.len() < 16 {
            let take = (16 - self.head.len()).min(n);
            self.head.extend_from_slice(&buf[..take]);
        }
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush().map_err(|e| self.fail(e))
    }
}

impl<W: Write> HashingWriter<W> {
    fn new(out: W) -> Self {
        HashingWriter {
            out,
            hash: Sha256::new(),
            head: Vec::new(),
            size: 0,
            failed: None,
        }
    }

    /// What was copied, as a staged file at `tmp`.
    fn finish(self, tmp: Option<PathBuf>) -> Staged {
        Staged {
            tmp,
            sha256: hex(&self.hash.finalize()),
            size: self.size,
            kind: sniff(&self.head),
        }
    }

    /// Keep the first write error; hand the reader a copy of it.
    fn fail(&mut self, e: io::Error) -> io::Error {
        let copy = match e.raw_os_error() {
            Some(code) => io::Error::from_raw_os_error(code),
            None => io::Error::new(e.kind(), e.to_string()),
        };
        self.failed.get_or_insert(e);
        copy
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hands out bundle names that are unique in the whole bundle (compared
/// case-insensitively, as Windows and macOS file systems do).
#[derive(Debug, Default)]
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    /// A unique, file-system-safe name for an original file name and the
    /// sniffed extension.
    pub fn name(&mut self, original: &str, ext: &str) -> String {
        let stem = safe_stem(original);
        let mut n = 1;
        loop {
            let name = if n == 1 {
                format!("{stem}.{ext}")
            } else {
                format!("{stem}-{n}.{ext}")
            };
            if self.taken.insert(name.to_lowercase()) {
                return name;
            }
            n += 1;
        }
    }
}

/// The stem of a file name, reduced to letters, digits, `-` and `_`:
/// safe on Windows and Linux, and unchanged by WordPress's
/// `sanitize_file_name` (which drops brackets and the like).
pub fn safe_stem(original: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(original).decode_utf8_lossy();
    let base = decoded.rsplit(['/', '\\']).next().unwrap_or(&decoded);
    let base = base.split(['?', '@']).next().unwrap_or(base);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let mut out = String::new();
    for c in stem.chars().take(MAX_STEM) {
        let keep = c.is_alphanumeric() || c == '_' || c == '-';
        let c = if keep { c } else { '-' };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "image".into()
    } else if is_windows_device(&out) {
        format!("{out}-image")
    } else {
        out
    }
}

/// Names Windows reserves for devices, whatever the extension.
fn is_windows_device(stem: &str) -> bool {
    let up = stem.to_ascii_uppercase();
    let numbered =
        |p: &str| up.len() == 4 && up.starts_with(p) && up.as_bytes()[3].is_ascii_digit();
    matches!(up.as_str(), "CON" | "PRN" | "AUX" | "NUL") || numbered("COM") || numbered("LPT")
}

/// Percent-encode a bundle path for use in a URL (`/` kept).
pub fn url_path(rel: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    percent_encoding::utf8_percent_encode(rel, SET).to_string()
}

/// Move a staged file to `media/<rel>`.
pub fn place(tmp: &Path, media_dir: &Path, rel: &str) -> Result<()> {
    let dest = media_dir.join(rel);
    if let Some((dirs, _)) = rel.rsplit_once('/') {
        create_dirs_in(media_dir, dirs)?;
    }
    std::fs::rename(tmp, &dest).map_err(|e| Error::write(&dest, e))
}

/// Create the folders `rel` (`a/b/c`) inside `root`, which must exist: a
/// root removed meanwhile (an interrupted run being cleaned up) is an
/// error, never created again.
pub fn create_dirs_in(root: &Path, rel: &str) -> Result<()> {
    let mut dir = root.to_path_buf();
    for seg in rel.split('/').filter(|s| !s.is_empty()) {
        dir.push(seg);
        match std::fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e)
                if e.kind() == io::ErrorKind::AlreadyExists
                    && std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) => {}
            Err(e) => return Err(Error::write(&dir, e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_real_types() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|s| s.ext), Some("jpg"));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n....").map(|s| s.mime),
            Some("image/png")
        );
        assert_eq!(sniff(b"GIF89a..").map(|s| s.ext), Some("gif"));
        assert_eq!(sniff(b"<html><body>404</body></html>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_are_safe_and_unique() {
        let mut n = Namer::default();
        assert_eq!(
            n.name("image_thumb[3] 61095F84.png", "png"),
            "image_thumb-3-61095F84.png"
        );
        assert_eq!(n.name("img/%E5%9B%BE%E7%89%871.jpg", "jpg"), "图片1.jpg");
        assert_eq!(n.name("IMG_0001.JPG@psid=1", "jpg"), "IMG_0001.jpg");
        assert_eq!(
            n.name("img_0001.jpg", "jpg"),
            "img_0001-2.jpg",
            "case-insensitive clash"
        );
        assert_eq!(
            n.name("photo.jpg", "png"),
            "photo.png",
            "extension follows the bytes"
        );
        assert_eq!(n.name("[].gif", "gif"), "image.gif");
        assert_eq!(n.name("CON:..?.gif", "gif"), "CON-image.gif");
        assert_eq!(n.name("lpt1.png", "png"), "lpt1-image.png");
    }

    #[test]
    fn url_paths_are_encoded() {
        assert_eq!(
            url_path("2010/09/图片1.jpg"),
            "2010/09/%E5%9B%BE%E7%89%871.jpg"
        );
        assert_eq!(url_path("2010/09/a_b-c.jpg"), "2010/09/a_b-c.jpg");
    }
}
