//! Zip inputs, read in place.
//!
//! Each reader gets its own handle on the archive ([`PosFile`] reads by
//! position, so clones never fight over a shared file offset), which lets
//! rayon workers decompress different entries at the same time. Entry
//! names are decoded by [`super::names`], `\` separators are accepted, and
//! names that would climb out of the archive (`../`, `/abs`, `C:`) or are
//! links, folders or encrypted are listed as skipped, never opened.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
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

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, pos)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, pos)
}

/// An open zip archive.
pub struct ZipSource {
    archive: ZipArchive<PosFile>,
    codec: NameCodec,
}

impl ZipSource {
    /// Open `path`, list its entries and decide how their names are encoded.
    pub fn open(
        path: &Path,
        forced: Option<NameCodec>,
        limits: &super::Limits,
    ) -> Result<(Self, Vec<FileEntry>, Vec<Skipped>)> {
        let file = File::open(path).map_err(|e| Error::read(path, e))?;
        let len = file.metadata().map_err(|e| Error::read(path, e))?.len();
        let reader = PosFile {
            file: Arc::new(file),
            pos: 0,
            len,
        };
        let mut archive = ZipArchive::new(reader).map_err(|e| Error::NotAnArchive {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
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
        Ok((ZipSource { archive, codec }, files, skipped))
    }

    /// Open entry `index` and hand its decompressing reader to `f`.
    pub fn with_reader(
        &self,
        index: usize,
        f: &mut dyn FnMut(&mut dyn Read) -> io::Result<()>,
    ) -> std::result::Result<(), String> {
        let mut archive = self.archive.clone();
        let mut entry = archive.by_index(index).map_err(|e| e.to_string())?;
        f(&mut entry).map_err(|e| e.to_string())
    }

    /// The code page the entry names without the UTF-8 flag were read in.
    pub fn codec(&self) -> NameCodec {
        self.codec
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
                    reason: format!("unreadable entry: {e}"),
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
    fn names_are_normalised() {
        assert_eq!(safe_path("a\\b\\c.html").as_deref(), Some("a/b/c.html"));
        assert_eq!(safe_path("./a//b").as_deref(), Some("a/b"));
    }
}
