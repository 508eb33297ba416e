//! Zip inputs, read in place.
//!
//! Each reader gets its own handle on the archive ([`PosFile`] reads by
//! position, so clones never fight over a shared file offset), which lets
//! rayon workers decompress different entries at the same time. Entry
//! names are decoded by [`super::names`], `\` separators are accepted, and
//! names that would climb out of the archive (`../`, `/abs`, `C:`) or are
//! links, folders or encrypted are listed as skipped, never opened.

use super::ReadError;
use crate::platform::{open_input, read_at, special_kind};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use chrono::{NaiveDate, NaiveDateTime};
use zip::result::ZipError;
use zip::ZipArchive;

use super::names::{self, NameCodec};
use super::{FileEntry, Skipped};
use crate::error::{Error, Result};

/// Bit 11 of the general purpose flags: the name is UTF-8.
const UTF8_FLAG: u16 = 0x0800;

/// A file read by absolute position; clones are independent readers.
#[derive(Clone)]
pub struct PosFile {
    file: Arc<File>,
    pos: u64,
    len: u64,
}

impl Read for PosFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = read_at(&self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for PosFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let next = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos =
            next.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before start"))?;
        Ok(self.pos)
    }
}

/// An open zip archive.
pub struct ZipSource {
    archive: ZipArchive<PosFile>,
    codec: NameCodec,
    path: PathBuf,
    /// The handle every reader shares.
    file: Arc<File>,
    /// The file as it was when opened.
    stamp: Stamp,
    /// The first sign that the file changed while it was read; every later
    /// read fails at once, and [`ZipSource::verify`] reports it.
    changed: OnceLock<String>,
}

/// What identifies the contents of the zip file: size and modification
/// time of the open handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(file: &File) -> io::Result<Stamp> {
        let meta = file.metadata()?;
        Ok(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }

    /// How `now` differs from `self`, in words.
    fn change(&self, now: &Stamp) -> Option<String> {
        if now.len != self.len {
            return Some(format!(
                "it was {} bytes when opened and is {} bytes now",
                self.len, now.len
            ));
        }
        (now.modified != self.modified).then(|| "it was modified after it was opened".into())
    }
}

impl ZipSource {
    /// Open `path`, list its entries and decide how their names are encoded.
    pub fn open(
        path: &Path,
        forced: Option<NameCodec>,
        limits: &super::Limits,
    ) -> Result<(Self, Vec<FileEntry>, Vec<Skipped>)> {
        let file = open_input(path).map_err(|e| Error::read(path, e))?;
        let meta = file.metadata().map_err(|e| Error::read(path, e))?;
        if !meta.is_file() {
            return Err(Error::NotRegular {
                path: path.to_path_buf(),
                kind: special_kind(&meta.file_type()),
            });
        }
        let stamp = Stamp::of(&file).map_err(|e| Error::read(path, e))?;
        let len = stamp.len;
        let file = Arc::new(file);
        let reader = PosFile {
            file: Arc::clone(&file),
            pos: 0,
            len,
        };
        let mut archive = match ZipArchive::new(reader) {
            Ok(a) => a,
            Err(e) => return Err(unopenable(path, &file, len, &e)),
        };
        if let Some(detail) = past_the_end(&archive, len) {
            return Err(Error::Truncated {
                path: path.to_path_buf(),
                detail,
            });
        }
        if archive.len() > limits.max_entries {
            return Err(Error::TooLarge {
                path: path.to_path_buf(),
                what: format!(
                    "it has {} entries, above the limit of {} (--max-entries)",
                    archive.len(),
                    limits.max_entries
                ),
            });
        }
        let raw = raw_names(&archive);
        let unflagged: Vec<&[u8]> = raw
            .iter()
            .filter(|r| !r.utf8)
            .map(|r| r.bytes.as_slice())
            .collect();
        let codec = names::choose(&unflagged, forced);
        let (files, mut skipped) = list(&mut archive, &raw, codec, limits.max_ratio);
        if archive.has_duplicate_names() {
            skipped.push(Skipped {
                path: String::new(),
                reason: "the archive lists some names twice; for each, only the last entry is read"
                    .into(),
            });
        }
        let source = ZipSource {
            archive,
            codec,
            path: path.to_path_buf(),
            file,
            stamp,
            changed: OnceLock::new(),
        };
        Ok((source, files, skipped))
    }

    /// Has the file changed since it was opened? Remembers the first change.
    fn check(&self) -> Option<&String> {
        if let Some(change) = self.changed.get() {
            return Some(change);
        }
        let now = match Stamp::of(&self.file) {
            Ok(now) => now,
            Err(e) => return Some(self.changed.get_or_init(|| e.to_string())),
        };
        let change = self.stamp.change(&now)?;
        Some(self.changed.get_or_init(|| change))
    }

    /// The run's reads were consistent: the file is as it was when opened.
    pub fn verify(&self) -> Result<()> {
        match self.check() {
            None => Ok(()),
            Some(detail) => Err(Error::InputChanged {
                path: self.path.clone(),
                detail: detail.clone(),
            }),
        }
    }

    /// Open entry `index` and hand its decompressing reader to `f`.
    pub fn with_reader(
        &self,
        index: usize,
        f: &mut dyn FnMut(&mut dyn Read) -> io::Result<()>,
    ) -> std::result::Result<(), ReadError> {
        if let Some(change) = self.changed.get() {
            return Err(ReadError::Changed(format!(
                "not read: the zip changed while it was read ({change})"
            )));
        }
        let mut archive = self.archive.clone();
        let result = match archive.by_index(index) {
            Ok(mut entry) => f(&mut entry).map_err(|e| ReadError::Damaged(io_message(&e))),
            Err(e) => Err(ReadError::Damaged(describe(&e))),
        };
        // A failed read may be the file changing under us (a download
        // still being written, a truncation): that is the archive's fault,
        // not the entry's, and `verify` turns it into an error.
        if result.is_err() {
            if let Some(change) = self.check() {
                return Err(ReadError::Changed(format!(
                    "the zip changed while it was read ({change})"
                )));
            }
        }
        result
    }

    /// Where the bytes of a stored (uncompressed, unencrypted) entry lie in
    /// the zip file: the shared handle, the offset and the length. `None`
    /// for a compressed entry, which can only be read from its start.
    pub(crate) fn stored_span(&self, index: usize) -> Option<(Arc<File>, u64, u64)> {
        let mut archive = self.archive.clone();
        let entry = archive.by_index(index).ok()?;
        let stored = entry.compression() == zip::CompressionMethod::Stored && !entry.encrypted();
        let start = entry.data_start()?;
        stored.then(|| (Arc::clone(&self.file), start, entry.size()))
    }

    /// The code page the entry names without the UTF-8 flag were read in.
    pub fn codec(&self) -> NameCodec {
        self.codec
    }
}

/// Why a file could not be opened as a zip: cut short (its start is a zip,
/// its end record is missing), damaged, or not a zip at all.
fn unopenable(path: &Path, file: &File, len: u64, err: &ZipError) -> Error {
    let path = path.to_path_buf();
    if len == 0 {
        return Error::Truncated {
            path,
            detail: "the file is empty".into(),
        };
    }
    let mut head = [0u8; 1024];
    let n = read_at(file, &mut head, 0).unwrap_or(0);
    let head = &head[..n];
    let zip_start = [&b"PK\x03\x04"[..], b"PK\x07\x08", b"PK00"]
        .iter()
        .any(|sig| head.starts_with(sig));
    if zip_start && !has_end_record(file, len) {
        return Error::Truncated {
            path,
            detail: "it starts like a zip, but the directory that ends every zip is missing".into(),
        };
    }
    if zip_start || has_end_record(file, len) {
        return Error::Damaged {
            path,
            detail: describe(err),
        };
    }
    Error::NotAnArchive {
        path,
        reason: what_it_is(head).into(),
    }
}

/// Does the last 64 KiB of the file hold the zip end record signature?
fn has_end_record(file: &File, len: u64) -> bool {
    let tail_len = len.min(65_557 + 22);
    let mut tail = vec![0u8; tail_len as usize];
    let mut got = 0;
    while got < tail.len() {
        match read_at(file, &mut tail[got..], len - tail_len + got as u64) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    memchr::memmem::rfind(&tail[..got], b"PK\x05\x06").is_some()
}

/// What a file that is not a zip looks like, from its first bytes.
fn what_it_is(head: &[u8]) -> &'static str {
    if memchr::memmem::find(head, b"wordpress.org/export/").is_some() {
        return "it is already a WordPress export (WXR): import it in WordPress (Tools → Import), \
                or look it over first with `spaces2wxr check`";
    }
    let kinds: [(&[u8], &str); 8] = [
        (b"%PDF", "it is a PDF document"),
        (b"\x1f\x8b", "it is a gzip file (extract it first)"),
        (b"Rar!", "it is a RAR archive (extract it first)"),
        (b"7z\xbc\xaf", "it is a 7-Zip archive (extract it first)"),
        (b"MZ", "it is a Windows program"),
        (b"\xef\xbb\xbf", "it is a text file"),
        (b"<", "it is an HTML or XML file (give its folder instead)"),
        (b"\x89PNG", "it is a PNG image"),
    ];
    kinds
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map_or("it does not start with a zip signature", |(_, what)| *what)
}

/// The first entry whose data would lie past the end of the file: the
/// zip's directory describes a longer file, so this one was cut short.
fn past_the_end(archive: &ZipArchive<PosFile>, len: u64) -> Option<String> {
    (0..archive.len()).find_map(|i| {
        let e = archive.by_index_data(i).ok()?;
        let end = e
            .header_start()
            .saturating_add(30)
            .saturating_add(e.compressed_size());
        (end > len).then(|| {
            format!(
                "entry #{} ends at byte {end}, past the end of the {len}-byte file",
                i + 1
            )
        })
    })
}

/// A zip error in words, without the library's type names.
fn describe(e: &ZipError) -> String {
    match e {
        ZipError::Io(io) => io_message(io),
        ZipError::InvalidArchive(msg) => plain("invalid zip structure", msg),
        ZipError::UnsupportedArchive(msg) => plain("unsupported zip feature", msg),
        ZipError::CompressionMethodNotSupported(id) => {
            format!("compression method {id} is not supported")
        }
        ZipError::InvalidPassword => "wrong password".into(),
        ZipError::FileNotFound => "entry not found".into(),
        _ => "unreadable zip entry".into(),
    }
}

/// An IO error in words; a zip error carried inside is described too.
fn io_message(e: &io::Error) -> String {
    if let Some(z) = e.get_ref().and_then(|i| i.downcast_ref::<ZipError>()) {
        return describe(z);
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "the entry's data ends early".into(),
        io::ErrorKind::InvalidData => plain("damaged compressed data", &e.to_string()),
        _ => plain("read error", &e.to_string()),
    }
}

/// `what: detail`, unless the detail names library types (`a::b::C`).
fn plain(what: &str, detail: &str) -> String {
    if detail.contains("::") || detail.is_empty() {
        what.to_string()
    } else {
        format!("{what}: {detail}")
    }
}

struct RawName {
    bytes: Vec<u8>,
    utf8: bool,
}

/// Entry names as stored in the central directory (no entry is opened, so
/// one damaged entry cannot stop the listing).
fn raw_names(archive: &ZipArchive<PosFile>) -> Vec<RawName> {
    (0..archive.len())
        .map(|i| match archive.by_index_data(i) {
            Ok(e) => RawName {
                bytes: e.name_raw().to_vec(),
                utf8: e.flags().as_u16() & UTF8_FLAG != 0,
            },
            Err(_) => RawName {
                bytes: format!("#{i}").into_bytes(),
                utf8: true,
            },
        })
        .collect()
}

fn list(
    archive: &mut ZipArchive<PosFile>,
    raw: &[RawName],
    codec: NameCodec,
    max_ratio: u64,
) -> (Vec<FileEntry>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for (index, name) in raw.iter().enumerate() {
        let decoded = if name.utf8 {
            NameCodec::Utf8.decode(&name.bytes)
        } else {
            codec.decode(&name.bytes)
        };
        let entry = match archive.by_index_data(index) {
            Ok(entry) => entry,
            Err(e) => {
                skipped.push(Skipped {
                    path: decoded,
                    reason: format!("unreadable entry: {}", describe(&e)),
                });
                continue;
            }
        };
        if entry.is_dir() || decoded.ends_with('/') || decoded.ends_with('\\') {
            continue;
        }
        let Some(path) = safe_path(&decoded) else {
            skipped.push(Skipped {
                path: decoded,
                reason: "unsafe path (absolute or climbing out with ..)".into(),
            });
            continue;
        };
        if let Some(reason) = refusal(&entry, max_ratio) {
            skipped.push(Skipped { path, reason });
            continue;
        }
        let modified = entry.last_modified().and_then(zip_time);
        files.push(FileEntry {
            path,
            size: entry.size(),
            modified,
            index,
            os_path: std::path::PathBuf::new(),
            identity: None,
            lent: false,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path).then(a.index.cmp(&b.index)));
    drop_duplicates(&mut files, &mut skipped);
    (files, skipped)
}

/// Why an entry is not read, if it is not.
fn refusal(entry: &zip::read::ZipFileEntry<'_>, max_ratio: u64) -> Option<String> {
    if entry.is_symlink() {
        return Some("symbolic link entry not followed".into());
    }
    if entry.encrypted() {
        return Some("encrypted entry (no password support)".into());
    }
    let (size, packed) = (entry.size(), entry.compressed_size().max(1));
    if size > super::RATIO_MIN_BYTES && size / packed > max_ratio {
        return Some(format!(
            "compression ratio {}:1 looks like a zip bomb (limit {max_ratio}:1, --max-ratio)",
            size / packed
        ));
    }
    None
}

/// Names that become one after `\` and `.` segments are normalised: the
/// first in the archive is read, the others reported. (Byte-identical names
/// are already folded by the zip reader.) Names that differ only in case are
/// both kept and reported.
fn drop_duplicates(files: &mut Vec<FileEntry>, skipped: &mut Vec<Skipped>) {
    let mut kept: Vec<FileEntry> = Vec::with_capacity(files.len());
    for f in files.drain(..) {
        if kept.last().is_some_and(|k| k.path == f.path) {
            skipped.push(Skipped {
                path: f.path,
                reason:
                    "same name as another entry once separators are normalised; the first was read"
                        .into(),
            });
            continue;
        }
        kept.push(f);
    }
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for f in &kept {
        if let Some(other) = seen.insert(f.path.to_lowercase(), &f.path) {
            skipped.push(Skipped {
                path: f.path.clone(),
                reason: format!("name differs only in case from '{other}'; both were read"),
            });
        }
    }
    *files = kept;
}

/// Normalise separators and refuse names that leave the archive root.
pub fn safe_path(name: &str) -> Option<String> {
    let name = name.replace('\\', "/");
    let drive =
        name.len() >= 2 && name.as_bytes()[1] == b':' && name.as_bytes()[0].is_ascii_alphabetic();
    if name.starts_with('/') || drive || name.contains('\0') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in name.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn zip_time(t: zip::DateTime) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(
        i32::from(t.year()),
        u32::from(t.month()),
        u32::from(t.day()),
    )?
    .and_hms_opt(
        u32::from(t.hour()),
        u32::from(t.minute()),
        u32::from(t.second()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_are_refused() {
        for n in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:\\x",
            "c:/x",
            "a/..",
            "a\0b",
        ] {
            assert_eq!(safe_path(n), None, "{n}");
        }
    }

    #[test]
    fn a_changed_file_is_told_apart() {
        let t = SystemTime::UNIX_EPOCH;
        let was = Stamp {
            len: 100,
            modified: Some(t),
        };
        assert_eq!(was.change(&was), None);
        let shorter = Stamp { len: 40, ..was };
        assert!(was
            .change(&shorter)
            .is_some_and(|c| c.contains("100 bytes")));
        let touched = Stamp {
            modified: Some(t + std::time::Duration::from_nanos(1)),
            ..was
        };
        assert!(was.change(&touched).is_some());
    }

    #[test]
    fn a_wxr_given_as_input_is_named_as_one() {
        let wxr = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.2/\">";
        assert!(what_it_is(wxr).contains("WordPress export"));
        assert!(what_it_is(b"<html><body>").contains("HTML"));
    }

    #[test]
    fn zip_errors_are_described_without_type_names() {
        let e = ZipError::InvalidArchive("Unexpected end of zip::format::blocks::X".into());
        assert_eq!(describe(&e), "invalid zip structure");
        let inner = io::Error::new(io::ErrorKind::InvalidData, ZipError::InvalidPassword);
        assert_eq!(io_message(&inner), "wrong password");
        assert!(what_it_is(b"%PDF-1.4").contains("PDF"));
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(safe_path("a\\b\\c.html").as_deref(), Some("a/b/c.html"));
        assert_eq!(safe_path("./a//b").as_deref(), Some("a/b"));
    }
}
