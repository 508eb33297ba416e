//! Web archive inputs: WARC (`.warc`), gzipped WARC (`.warc.gz`, one gzip
//! member per record or one for the whole file), ARC and WACZ.
//!
//! The archive is read once, record by record, to build an index: for each
//! capture its address, status, date, and where its payload lies (the
//! offset of the gzip member that holds it and the offset inside the
//! decompressed member). Memory follows the number of records and the
//! largest HTTP header, never a record's body: bodies are skipped, or
//! decoded only to count their size. Each `2xx` capture then appears as a
//! [`FileEntry`] named the way a mirror would save its address
//! (`host/path`, `?query` kept, `index.html` for a folder), so the page and
//! media steps read it like a file of a mirror. Reading such a file seeks
//! to its member again and decodes the payload on the fly: chunked
//! transfer, then `gzip`/`deflate` content encoding (only when the bytes
//! really are compressed: recorders sometimes store decoded bodies under
//! the original headers).
//!
//! Revisit records become the payload of the capture they refer to
//! (`WARC-Refers-To`, else the refers-to address and date, else the same
//! payload digest). Redirects whose target was captured give the redirecting
//! address the target's payload. Every capture that is not `2xx` is kept for
//! the report ([`Capture`]); it never becomes a file.
//!
//! A WACZ is the zip it is: its `archive/*.warc[.gz]` entries are indexed
//! the same way, read in place when stored (as the WACZ format asks) and
//! from their start when compressed.

use super::ReadError;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDateTime;
use flate2::bufread::{DeflateDecoder, GzDecoder, MultiGzDecoder, ZlibDecoder};

use super::zip::ZipSource;
use super::{FileEntry, Skipped};
use crate::platform::read_at;

/// The reason given for a web archive that could not be read to its end.
const CUT_SHORT: &str = "the web archive could not be read to its end";

/// Is `reason` the one given for a web archive read only partway?
pub fn is_cut_short(reason: &str) -> bool {
    reason.starts_with(CUT_SHORT)
}
/// Longest WARC header line or HTTP header block read (a record with more
/// is skipped).
const MAX_HEAD: u64 = 64 << 10;

/// A capture that did not succeed (status `3xx`, `4xx` or `5xx`), for the
/// report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// The original address.
    pub url: String,
    /// HTTP status code.
    pub status: u16,
    /// What became of it, in words.
    pub detail: String,
}

/// What a file starts with, as far as web archives go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A WARC or ARC file.
    Plain,
    /// A gzipped WARC or ARC file.
    Gzip,
}

/// Does this file start like a WARC or ARC, plain or gzipped?
pub fn sniff(file: &File) -> Option<Sniffed> {
    let mut head = [0u8; 512];
    let n = read_at(file, &mut head, 0).ok()?;
    let head = &head[..n];
    if is_archive_start(head) {
        return Some(Sniffed::Plain);
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        let mut out = [0u8; 64];
        let mut dec = GzDecoder::new(head);
        let mut got = 0;
        while got < out.len() {
            match dec.read(&mut out[got..]) {
                Ok(0) | Err(_) => break,
                Ok(k) => got += k,
            }
        }
        return is_archive_start(&out[..got]).then_some(Sniffed::Gzip);
    }
    None
}

fn is_archive_start(head: &[u8]) -> bool {
    let head = head.trim_ascii_start();
    head.starts_with(b"WARC/") || head.starts_with(b"filedesc://")
}

/// Does a zip listing look like a WACZ (a `datapackage.json` and WARCs
/// under `archive/`)?
pub fn is_wacz(files: &[FileEntry]) -> bool {
    files.iter().any(|f| f.path == "datapackage.json") && files.iter().any(is_wacz_warc)
}

fn is_wacz_warc(f: &FileEntry) -> bool {
    let p = f.path.to_ascii_lowercase();
    p.starts_with("archive/")
        && [".warc", ".warc.gz", ".arc", ".arc.gz"]
            .iter()
            .any(|e| p.ends_with(e))
}

/// Where the bytes of one WARC file are.
enum Container {
    /// A span of a file read by position: a `.warc` file, or a stored WARC
    /// in a WACZ.
    Span {
        file: Arc<File>,
        start: u64,
        len: u64,
        gz: bool,
    },
    /// A compressed entry of a WACZ, read from its start.
    Zipped { index: usize, gz: bool },
}

impl Container {
    fn gz(&self) -> bool {
        match self {
            Container::Span { gz, .. } | Container::Zipped { gz, .. } => *gz,
        }
    }
}

/// How a payload is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Coding {
    chunked: bool,
    encoding: Encoding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Encoding {
    #[default]
    Identity,
    Gzip,
    Deflate,
}

/// Where one payload lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Payload {
    container: u32,
    /// Offset of the gzip member (or of the payload, uncompressed input).
    raw: u64,
    /// Decompressed bytes to skip from `raw` to the payload.
    skip: u64,
    /// Payload bytes as stored (before de-chunking and decoding).
    len: u64,
    coding: Coding,
}

/// An open web archive: its WARC files and the payloads of its captures.
pub struct WarcSource {
    containers: Vec<Container>,
    payloads: Vec<Payload>,
    /// The WACZ, for its compressed entries and its change check.
    zip: Option<ZipSource>,
    captures: Vec<Capture>,
}

/// One record as the index pass sees it.
#[derive(Debug, Default)]
struct Record {
    kind: String,
    uri: String,
    date: Option<NaiveDateTime>,
    id: String,
    digest: String,
    refers_to: String,
    refers_uri: String,
    refers_date: String,
    status: Option<u16>,
    location: String,
    payload: Option<Payload>,
    /// Decoded payload size, when counted.
    size: u64,
    /// Why the record's payload cannot be used.
    problem: Option<String>,
}

impl WarcSource {
    /// Index a `.warc`, `.warc.gz`, `.arc` or `.arc.gz` file.
    pub fn open_file(
        path: &Path,
        file: File,
        gz: bool,
        max_file: u64,
    ) -> io::Result<(Self, Vec<FileEntry>, Vec<Skipped>)> {
        let len = file.metadata()?.len();
        let container = Container::Span {
            file: Arc::new(file),
            start: 0,
            len,
            gz,
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Self::index(vec![(name, container)], None, max_file))
    }

    /// Index the WARCs of a WACZ opened as a zip.
    pub fn open_wacz(
        zip: ZipSource,
        files: &[FileEntry],
        max_file: u64,
    ) -> (Self, Vec<FileEntry>, Vec<Skipped>) {
        let mut containers = Vec::new();
        for f in files.iter().filter(|f| is_wacz_warc(f)) {
            let gz = f.path.to_ascii_lowercase().ends_with(".gz");
            let c = match zip.stored_span(f.index) {
                Some((file, start, len)) => Container::Span {
                    file,
                    start,
                    len,
                    gz,
                },
                None => Container::Zipped { index: f.index, gz },
            };
            containers.push((f.path.clone(), c));
        }
        Self::index(containers, Some(zip), max_file)
    }

    fn index(
        containers: Vec<(String, Container)>,
        zip: Option<ZipSource>,
        max_file: u64,
    ) -> (Self, Vec<FileEntry>, Vec<Skipped>) {
        let mut source = WarcSource {
            containers: Vec::new(),
            payloads: Vec::new(),
            zip,
            captures: Vec::new(),
        };
        let mut records = Vec::new();
        let mut skipped = Vec::new();
        for (ci, (name, c)) in containers.into_iter().enumerate() {
            source.containers.push(c);
            let ci = u32::try_from(ci).unwrap_or(u32::MAX);
            let c = &source.containers[ci as usize];
            let mut err = None;
            let read = source.with_raw(c, 0, &mut |r| {
                if let Err(e) = index_stream(r, c.gz(), ci, max_file, &mut records) {
                    err = Some(e.to_string());
                }
                Ok(())
            });
            if let Some(e) = err.or(read.err().map(|e| e.to_string())) {
                skipped.push(Skipped {
                    path: name,
                    reason: format!("{CUT_SHORT}: {e}"),
                });
            }
        }
        let (files, more) = source.entries(records);
        skipped.extend(more);
        (source, files, skipped)
    }

    /// Captures that were not `2xx`, in archive order.
    pub fn captures(&self) -> &[Capture] {
        &self.captures
    }

    /// The WACZ, if the input is one.
    pub fn zip(&self) -> Option<&ZipSource> {
        self.zip.as_ref()
    }

    /// Turn the records into files: one per address with a `2xx` payload,
    /// revisits and redirects resolved, the rest reported.
    fn entries(&mut self, records: Vec<Record>) -> (Vec<FileEntry>, Vec<Skipped>) {
        let mut skipped = Vec::new();
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        let mut by_digest: HashMap<String, usize> = HashMap::new();
        let mut by_uri: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            if r.kind == "revisit" || r.payload.is_none() || !ok(r.status) {
                continue;
            }
            if !r.id.is_empty() {
                by_id.insert(&r.id, i);
            }
            if !r.digest.is_empty() {
                by_digest.entry(r.digest.to_ascii_lowercase()).or_insert(i);
            }
            by_uri.entry(&r.uri).or_default().push(i);
        }
        // (path, record giving the payload, capture date)
        let mut found: Vec<(String, usize, Option<NaiveDateTime>)> = Vec::new();
        for (i, r) in records.iter().enumerate() {
            let capture = match r.kind.as_str() {
                "revisit" => true,
                "response" | "resource" => r.status.is_some(),
                _ => false,
            };
            if !capture {
                continue;
            }
            if let Some(problem) = &r.problem {
                skipped.push(Skipped {
                    path: r.uri.clone(),
                    reason: problem.clone(),
                });
                continue;
            }
            let source = if r.kind == "revisit" {
                let target = by_id
                    .get(r.refers_to.as_str())
                    .copied()
                    .or_else(|| {
                        let same = by_uri.get(r.refers_uri.as_str())?;
                        same.iter()
                            .copied()
                            .find(|&j| {
                                records[j]
                                    .date
                                    .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                                    == Some(r.refers_date.clone())
                            })
                            .or_else(|| same.first().copied())
                    })
                    .or_else(|| by_digest.get(&r.digest.to_ascii_lowercase()).copied());
                match target {
                    Some(t) => t,
                    None => {
                        skipped.push(Skipped {
                            path: r.uri.clone(),
                            reason: "a revisit of a capture that is not in the archive".into(),
                        });
                        continue;
                    }
                }
            } else {
                i
            };
            let status = match (r.kind.as_str(), r.status) {
                // A "not modified" revisit is the capture it refers to.
                ("revisit", Some(304) | None) => records[source].status,
                (_, s) => s,
            };
            if !ok(status) {
                self.report(r, status.unwrap_or(0), &by_uri);
                continue;
            }
            if records[source].payload.is_none() {
                continue;
            }
            match mirror_path(&r.uri) {
                Some(p) => found.push((p, source, r.date)),
                None => skipped.push(Skipped {
                    path: r.uri.clone(),
                    reason: "the captured address cannot be named as a file".into(),
                }),
            }
        }
        // Redirects whose target was captured: the redirecting address
        // shows the target's bytes (an image URL that moved to storage).
        let mut aliases = Vec::new();
        for r in &records {
            if !r.status.is_some_and(|s| (300..400).contains(&s)) {
                continue;
            }
            let Some(target) = join(&r.uri, &r.location) else {
                continue;
            };
            if let (Some(&t), Some(p)) = (
                by_uri.get(target.as_str()).and_then(|v| v.first()),
                mirror_path(&r.uri),
            ) {
                aliases.push((p, t, r.date));
            }
        }
        found.extend(aliases);
        // One file per path: the first capture in archive order.
        found.sort_by(|a, b| a.0.cmp(&b.0));
        let mut files: Vec<FileEntry> = Vec::with_capacity(found.len());
        let mut used: HashMap<usize, usize> = HashMap::new();
        for (path, rec, date) in found {
            if let Some(last) = files.last() {
                if last.path == path {
                    continue;
                }
            }
            let index = *used.entry(rec).or_insert_with(|| {
                self.payloads
                    .push(records[rec].payload.expect("checked above"));
                self.payloads.len() - 1
            });
            files.push(FileEntry {
                path,
                size: records[rec].size,
                modified: date,
                index,
                os_path: std::path::PathBuf::new(),
                identity: None,
                lent: false,
            });
        }
        (files, skipped)
    }

    /// Keep a capture that is not `2xx` for the report.
    fn report(&mut self, r: &Record, status: u16, by_uri: &HashMap<&str, Vec<usize>>) {
        let detail = if (300..400).contains(&status) {
            match join(&r.uri, &r.location) {
                Some(t) if by_uri.contains_key(t.as_str()) => {
                    format!("a redirect ({status}) to {t}; the address shows that capture")
                }
                Some(t) => format!("a redirect ({status}) to {t}, which the archive does not hold"),
                None => format!("a redirect ({status}) without a target"),
            }
        } else {
            format!("captured with status {status}; not converted")
        };
        self.captures.push(Capture {
            url: r.uri.clone(),
            status,
            detail,
        });
    }

    /// Hand a reader over the payload of file `index`, decoded, to `f`.
    pub fn with_reader(
        &self,
        index: usize,
        f: &mut dyn FnMut(&mut dyn Read) -> io::Result<()>,
    ) -> std::result::Result<(), ReadError> {
        let p = *self
            .payloads
            .get(index)
            .ok_or_else(|| ReadError::Damaged("no such capture".into()))?;
        let c = &self.containers[p.container as usize];
        self.with_raw(c, p.raw, &mut |r| {
            let mut r: Box<dyn Read + '_> = if c.gz() {
                Box::new(MultiGzDecoder::new(BufReader::new(r)))
            } else {
                Box::new(r)
            };
            io::copy(&mut (&mut r).take(p.skip), &mut io::sink())?;
            let mut payload = BufReader::new(r.take(p.len));
            let mut decoded = decode(&mut payload, p.coding)?;
            f(&mut decoded)
        })
    }

    /// Hand a reader over the raw bytes of a container from `raw` on.
    fn with_raw(
        &self,
        c: &Container,
        raw: u64,
        f: &mut dyn FnMut(&mut dyn Read) -> io::Result<()>,
    ) -> std::result::Result<(), ReadError> {
        match c {
            Container::Span {
                file, start, len, ..
            } => {
                let mut span = Span {
                    file,
                    pos: start + raw.min(*len),
                    end: start + len,
                };
                Ok(f(&mut span)?)
            }
            Container::Zipped { index, .. } => {
                let zip = self
                    .zip
                    .as_ref()
                    .ok_or_else(|| ReadError::Damaged("no zip".into()))?;
                zip.with_reader(*index, &mut |r| {
                    io::copy(&mut r.take(raw), &mut io::sink())?;
                    f(r)
                })
            }
        }
    }
}

fn ok(status: Option<u16>) -> bool {
    status.is_some_and(|s| (200..300).contains(&s))
}

/// A span of a file, read by position.
struct Span<'a> {
    file: &'a File,
    pos: u64,
    end: u64,
}

impl Read for Span<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.end.saturating_sub(self.pos)).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(self.file, &mut buf[..want], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// A buffered reader that counts the bytes consumed.
struct Counted<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt);
    }
}

/// Read every record of one WARC file into `out`.
fn index_stream(
    r: &mut dyn Read,
    gz: bool,
    container: u32,
    max_file: u64,
    out: &mut Vec<Record>,
) -> io::Result<()> {
    let mut raw = Counted {
        inner: BufReader::with_capacity(64 << 10, r),
        pos: 0,
    };
    if !gz {
        return records(&mut raw, &|off| (off, 0), container, max_file, out);
    }
    while !raw.fill_buf()?.is_empty() {
        let member = raw.pos;
        let mut dec = Counted {
            inner: BufReader::with_capacity(64 << 10, GzDecoder::new(&mut raw)),
            pos: 0,
        };
        records(&mut dec, &|off| (member, off), container, max_file, out)?;
        // A member that ends inside a record's trailing line breaks.
        io::copy(&mut dec, &mut io::sink())?;
    }
    Ok(())
}

/// Read the records of a (decompressed) stream; `at` turns a stream offset
/// into the payload's `(raw, skip)` location.
fn records<R: BufRead>(
    r: &mut Counted<R>,
    at: &dyn Fn(u64) -> (u64, u64),
    container: u32,
    max_file: u64,
    out: &mut Vec<Record>,
) -> io::Result<()> {
    loop {
        let Some(first) = next_nonblank_line(r)? else {
            return Ok(());
        };
        let (mut rec, len) = if first.starts_with(b"WARC/") {
            warc_head(r)?
        } else if let Some(arc) = arc_head(&first) {
            arc
        } else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "no WARC or ARC record starts at byte {} of the decompressed data",
                    r.pos - first.len() as u64
                ),
            ));
        };
        let block_end = r.pos + len;
        let mut block = (&mut *r).take(len);
        let http = rec.uri.starts_with("http://") || rec.uri.starts_with("https://");
        match rec.kind.as_str() {
            "response" | "revisit" if http => {
                let head = read_http_head(&mut block)?;
                match parse_http(&head) {
                    Some(h) => {
                        rec.status = Some(h.status);
                        rec.location = h.location;
                        if rec.kind == "response" && ok(rec.status) {
                            let (raw, skip) = at(block_end - block.limit());
                            rec.payload = Some(Payload {
                                container,
                                raw,
                                skip,
                                len: block.limit(),
                                coding: h.coding,
                            });
                            if let Some(e) = h.unsupported {
                                rec.problem = Some(format!(
                                    "content encoding '{e}' is not supported; not read"
                                ));
                            }
                        }
                    }
                    None if rec.kind == "revisit" && head.is_empty() => {}
                    None => {
                        rec.problem = Some("the captured HTTP response cannot be read".into());
                    }
                }
            }
            "resource" if http => {
                rec.status = Some(200);
                let (raw, skip) = at(block_end - block.limit());
                rec.payload = Some(Payload {
                    container,
                    raw,
                    skip,
                    len: block.limit(),
                    coding: Coding::default(),
                });
            }
            _ => {}
        }
        if let Some(p) = rec.payload.as_mut() {
            rec.size = if p.coding == Coding::default() {
                p.len
            } else {
                // Count the decoded size (the limit + 1 at most: a larger
                // file is skipped by the caller).
                let mut body = BufReader::new(&mut block);
                let counted = decode(&mut body, p.coding)
                    .and_then(|mut d| io::copy(&mut (&mut d).take(max_file + 1), &mut io::sink()));
                match counted {
                    Ok(n) => n,
                    Err(e) => {
                        rec.problem = Some(format!("the captured body cannot be decoded: {e}"));
                        0
                    }
                }
            };
        }
        io::copy(&mut block, &mut io::sink())?;
        if block.limit() > 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the last record is cut short",
            ));
        }
        out.push(rec);
    }
}

/// The next line that is not empty, without its line break; `None` at the
/// end.
fn next_nonblank_line<R: BufRead>(r: &mut R) -> io::Result<Option<Vec<u8>>> {
    loop {
        let mut line = Vec::new();
        let n = r.take(MAX_HEAD).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        let t = line.trim_ascii();
        if !t.is_empty() {
            return Ok(Some(t.to_vec()));
        }
    }
}

/// The named fields of a WARC record (after its version line), and its
/// block length. Line breaks may be CRLF or LF; folded lines are joined.
fn warc_head<R: BufRead>(r: &mut R) -> io::Result<(Record, u64)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut total = 0u64;
    loop {
        let mut line = Vec::new();
        let n = r.take(MAX_HEAD).read_until(b'\n', &mut line)?;
        total += n as u64;
        if n == 0 || total > MAX_HEAD {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "a WARC record header does not end",
            ));
        }
        let text = String::from_utf8_lossy(&line);
        let trimmed = text.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        if trimmed.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.1.push(' ');
                last.1.push_str(trimmed.trim());
            }
            continue;
        }
        if let Some((k, v)) = trimmed.split_once(':') {
            fields.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let len: u64 = get("content-length").parse().map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "a WARC record without a valid Content-Length",
        )
    })?;
    let rec = Record {
        kind: get("warc-type").to_ascii_lowercase(),
        uri: target_uri(&get("warc-target-uri")),
        date: parse_date(&get("warc-date")),
        id: get("warc-record-id"),
        digest: get("warc-payload-digest"),
        refers_to: get("warc-refers-to"),
        refers_uri: target_uri(&get("warc-refers-to-target-uri")),
        refers_date: get("warc-refers-to-date"),
        ..Record::default()
    };
    Ok((rec, len))
}

/// An ARC record line: `<url> <ip> <yyyyMMddHHmmss> <mime> <length>`.
/// The `filedesc://` header record is read and skipped like any other.
fn arc_head(line: &[u8]) -> Option<(Record, u64)> {
    let text = std::str::from_utf8(line).ok()?;
    let parts: Vec<&str> = text.split_ascii_whitespace().collect();
    if parts.len() < 5 {
        return None;
    }
    let len: u64 = parts.last()?.parse().ok()?;
    let url = parts[0];
    if !url.contains("://") {
        return None;
    }
    let date = NaiveDateTime::parse_from_str(parts[2], "%Y%m%d%H%M%S").ok();
    let kind = if url.starts_with("filedesc://") {
        "warcinfo"
    } else {
        "response"
    };
    Some((
        Record {
            kind: kind.into(),
            uri: target_uri(url),
            date,
            ..Record::default()
        },
        len,
    ))
}

/// `WARC-Target-URI` as an address: `<…>` removed (wget 1.19 wrote them),
/// and a Wayback replay address (`https://web.archive.org/web/<ts>im_/<url>`,
/// a recording of the Wayback) turned back into the original.
pub fn target_uri(raw: &str) -> String {
    let s = raw.trim();
    let s = s
        .strip_prefix('<')
        .and_then(|x| x.strip_suffix('>'))
        .unwrap_or(s)
        .trim();
    unwayback(s).unwrap_or_else(|| s.to_string())
}

/// The original address inside a Wayback replay address.
fn unwayback(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let rest = [
        "https://web.archive.org/web/",
        "http://web.archive.org/web/",
    ]
    .iter()
    .find_map(|p| lower.starts_with(p).then(|| &s[p.len()..]))?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let mut rest = &rest[digits..];
    if let Some(i) = rest.find('/') {
        let flag = &rest[..i];
        if flag.len() <= 3 && flag.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            rest = &rest[i..];
        }
    }
    let rest = rest.trim_start_matches('/');
    let (scheme, tail) = rest.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        tail.trim_start_matches('/')
    ))
}

fn parse_date(s: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.naive_utc())
        .or_else(|| NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S").ok())
}

/// The HTTP status line and header block at the start of a response block,
/// up to and including the empty line (at most [`MAX_HEAD`] bytes).
fn read_http_head<R: BufRead>(r: &mut R) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let n = r.take(MAX_HEAD).read_until(b'\n', &mut head)?;
        if n == 0 || head.len() as u64 > MAX_HEAD {
            return Ok(head);
        }
        let line = &head[before..];
        if line == b"\r\n" || line == b"\n" {
            return Ok(head);
        }
    }
}

/// What the HTTP head of a capture says.
struct HttpHead {
    status: u16,
    location: String,
    coding: Coding,
    /// A content encoding that cannot be decoded.
    unsupported: Option<String>,
}

fn parse_http(head: &[u8]) -> Option<HttpHead> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    let parsed = httparse::ParserConfig::default()
        .allow_spaces_after_header_name_in_responses(true)
        .allow_obsolete_multiline_headers_in_responses(true)
        .allow_multiple_spaces_in_response_status_delimiters(true)
        .parse_response(&mut resp, head)
        .ok()?;
    if parsed.is_partial() {
        return None;
    }
    let mut h = HttpHead {
        status: resp.code?,
        location: String::new(),
        coding: Coding::default(),
        unsupported: None,
    };
    for header in resp.headers.iter() {
        let value = String::from_utf8_lossy(header.value).trim().to_string();
        match header.name.to_ascii_lowercase().as_str() {
            "location" => h.location = value,
            "transfer-encoding" => {
                h.coding.chunked = value.to_ascii_lowercase().contains("chunked");
            }
            "content-encoding" => match value.to_ascii_lowercase().as_str() {
                "" | "identity" | "none" => {}
                "gzip" | "x-gzip" => h.coding.encoding = Encoding::Gzip,
                "deflate" => h.coding.encoding = Encoding::Deflate,
                _ => h.unsupported = Some(value),
            },
            _ => {}
        }
    }
    Some(h)
}

/// The payload decoded: de-chunked, then decompressed. Each step applies
/// only when the bytes are what the headers say (a recorder may have kept
/// `chunked` or `gzip` headers over a decoded body).
fn decode<'a>(payload: &'a mut dyn BufRead, coding: Coding) -> io::Result<Box<dyn Read + 'a>> {
    let body: Box<dyn BufRead + 'a> = if coding.chunked && looks_chunked(payload.fill_buf()?) {
        Box::new(BufReader::new(Dechunk::new(payload)))
    } else {
        Box::new(payload)
    };
    let mut body = body;
    let head = body.fill_buf()?;
    Ok(match coding.encoding {
        Encoding::Gzip if head.starts_with(&[0x1f, 0x8b]) => Box::new(MultiGzDecoder::new(body)),
        Encoding::Deflate if is_zlib(head) => Box::new(ZlibDecoder::new(body)),
        Encoding::Deflate if !head.is_empty() && !looks_plain(head) => {
            Box::new(DeflateDecoder::new(body))
        }
        _ => Box::new(body),
    })
}

fn is_zlib(head: &[u8]) -> bool {
    head.len() >= 2
        && head[0] & 0x0f == 8
        && (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 == 0
}

/// Bytes that are already an image or text (a raw deflate stream is not
/// recognisable otherwise).
fn looks_plain(head: &[u8]) -> bool {
    super::image::sniff(head).is_some() || head.trim_ascii_start().starts_with(b"<")
}

/// Does a body start with a chunk-size line (`1a2f` or `1a2f;ext`, then a
/// line break)?
fn looks_chunked(head: &[u8]) -> bool {
    let line_end = head.iter().position(|&b| b == b'\n');
    let Some(end) = line_end else {
        return false;
    };
    let line = head[..end].trim_ascii();
    let size = line
        .split(|&b| b == b';')
        .next()
        .unwrap_or(line)
        .trim_ascii();
    !size.is_empty() && size.len() <= 16 && size.iter().all(u8::is_ascii_hexdigit)
}

/// A reader that removes HTTP/1.1 chunked transfer coding.
struct Dechunk<R> {
    inner: R,
    /// Bytes left in the current chunk.
    left: u64,
    done: bool,
}

impl<R: BufRead> Dechunk<R> {
    fn new(inner: R) -> Self {
        Dechunk {
            inner,
            left: 0,
            done: false,
        }
    }

    fn size_line(&mut self) -> io::Result<Option<u64>> {
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = (&mut self.inner).take(4096).read_until(b'\n', &mut line)?;
            if n == 0 {
                return Ok(None);
            }
            let t = line.trim_ascii();
            if t.is_empty() {
                continue;
            }
            let size = t.split(|&b| b == b';').next().unwrap_or(t).trim_ascii();
            let size = std::str::from_utf8(size)
                .ok()
                .and_then(|s| u64::from_str_radix(s, 16).ok());
            return match size {
                Some(s) => Ok(Some(s)),
                None => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a damaged chunk size in a chunked body",
                )),
            };
        }
    }
}

impl<R: BufRead> Read for Dechunk<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.left == 0 {
            if self.done {
                return Ok(0);
            }
            match self.size_line()? {
                Some(0) | None => {
                    self.done = true;
                    return Ok(0);
                }
                Some(n) => self.left = n,
            }
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            // A body cut inside a chunk: give what there is.
            self.done = true;
            self.left = 0;
            return Ok(0);
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Join a `Location` to the address it was sent for.
fn join(base: &str, location: &str) -> Option<String> {
    if location.is_empty() {
        return None;
    }
    let base = url::Url::parse(base).ok()?;
    base.join(location).ok().map(|u| target_uri(u.as_str()))
}

/// The path a mirror would save an address under: `host/path`, the path
/// percent-decoded, `index.html` for a folder, `?query` kept (a `/` in it
/// written `%2F`). `None` for an address that is not `http(s)` or whose
/// path would leave the archive.
pub fn mirror_path(uri: &str) -> Option<String> {
    let u = crate::web::absolute(uri)?;
    let host = u.host_str()?.to_ascii_lowercase();
    let mut path = crate::web::decode(u.path());
    if path.ends_with('/') || path.is_empty() {
        path.push_str("index.html");
    }
    let mut full = format!("{host}{}", if path.starts_with('/') { "" } else { "/" });
    full.push_str(&path);
    if let Some(q) = u.query().filter(|q| !q.is_empty()) {
        full.push('?');
        full.push_str(&q.replace('/', "%2F"));
    }
    super::zip::safe_path(&full)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn target_uris_are_unwrapped() {
        assert_eq!(target_uri("<http://a.b/c>"), "http://a.b/c");
        assert_eq!(
            target_uri(
                "https://web.archive.org/web/20090301120000im_/http://x.storage.msn.com/a.jpg"
            ),
            "http://x.storage.msn.com/a.jpg"
        );
        assert_eq!(
            target_uri("http://web.archive.org/web/2009/http:/demo.spaces.live.com/"),
            "http://demo.spaces.live.com/"
        );
    }

    #[test]
    fn mirror_paths_follow_wget() {
        assert_eq!(
            mirror_path("http://Demo.spaces.live.com/").as_deref(),
            Some("demo.spaces.live.com/index.html")
        );
        assert_eq!(
            mirror_path("http://h/blog/cns!A!1.entry?_c=BlogPart&x=a/b").as_deref(),
            Some("h/blog/cns!A!1.entry?_c=BlogPart&x=a%2Fb")
        );
        assert_eq!(
            mirror_path("http://h/a%20b.jpg").as_deref(),
            Some("h/a b.jpg")
        );
        assert_eq!(mirror_path("dns:h"), None);
    }

    #[test]
    fn chunked_gzip_bodies_are_decoded_and_raw_ones_kept() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"hello world").expect("gz");
        let gz = gz.finish().expect("gz");
        let mut chunked = Vec::new();
        let (a, b) = gz.split_at(5);
        for part in [a, b] {
            chunked.extend(format!("{:x}\r\n", part.len()).bytes());
            chunked.extend(part);
            chunked.extend(b"\r\n");
        }
        chunked.extend(b"0\r\n\r\n");
        let coding = Coding {
            chunked: true,
            encoding: Encoding::Gzip,
        };
        let mut out = String::new();
        let mut src = &chunked[..];
        decode(&mut src, coding)
            .expect("decode")
            .read_to_string(&mut out)
            .expect("read");
        assert_eq!(out, "hello world");
        // Headers kept over a decoded body: the bytes pass unchanged.
        let mut out = String::new();
        let mut src = &b"<html>plain</html>"[..];
        decode(&mut src, coding)
            .expect("decode")
            .read_to_string(&mut out)
            .expect("read");
        assert_eq!(out, "<html>plain</html>");
    }

    fn warc_record(kind: &str, uri: &str, block: &[u8], extra: &str) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2009-03-01T12:00:00Z\r\nWARC-Record-ID: <urn:uuid:{kind}{}>\r\n{extra}Content-Length: {}\r\n\r\n",
            uri.len(),
            block.len()
        )
        .into_bytes();
        r.extend(block);
        r.extend(b"\r\n\r\n");
        r
    }

    fn index_bytes(bytes: &[u8], gz: bool) -> (WarcSource, Vec<FileEntry>, Vec<Skipped>) {
        let mut f = tempfile::tempfile().expect("tmp");
        f.write_all(bytes).expect("write");
        WarcSource::open_file(Path::new("t.warc"), f, gz, 1 << 30).expect("index")
    }

    fn read(src: &WarcSource, f: &FileEntry) -> Vec<u8> {
        let mut out = Vec::new();
        src.with_reader(f.index, &mut |r| r.read_to_end(&mut out).map(|_| ()))
            .expect("read");
        out
    }

    #[test]
    fn lf_only_warc_arc_and_per_member_gzip_are_indexed() {
        let body = b"HTTP/1.1 200 OK\nContent-Type: text/html\n\n<p>one</p>";
        let lf: Vec<u8> = String::from_utf8(warc_record("response", "<http://h/a.html>", body, ""))
            .expect("utf8")
            .replace("\r\n", "\n")
            .into_bytes();
        let (src, files, skipped) = index_bytes(&lf, false);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(files[0].path, "h/a.html");
        assert_eq!(read(&src, &files[0]), b"<p>one</p>");

        let arc_body = b"HTTP/1.0 200 OK\r\nContent-Type: image/gif\r\n\r\nGIF89a..";
        let mut arc =
            b"filedesc://x.arc 0.0.0.0 20090301120000 text/plain 9\n1 0 IA\nx\n\n".to_vec();
        arc.extend(
            format!(
                "http://h/p.gif 1.2.3.4 20090301120000 image/gif {}\n",
                arc_body.len()
            )
            .bytes(),
        );
        arc.extend(arc_body);
        arc.extend(b"\n");
        let (src, files, _) = index_bytes(&arc, false);
        assert_eq!(files[0].path, "h/p.gif");
        assert_eq!(read(&src, &files[0]), b"GIF89a..");

        let mut gz = Vec::new();
        for (i, name) in ["a", "b", "c"].iter().enumerate() {
            let block = format!("HTTP/1.1 200 OK\r\n\r\nbody {i}");
            let rec = warc_record(
                "response",
                &format!("http://h/{name}.html"),
                block.as_bytes(),
                "",
            );
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&rec).expect("gz");
            gz.extend(e.finish().expect("gz"));
        }
        let (src, files, skipped) = index_bytes(&gz, true);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(files.len(), 3);
        assert_eq!(read(&src, &files[2]), b"body 2");
        assert_eq!(files[2].size, 6);
    }

    #[test]
    fn revisits_and_statuses() {
        let mut w = warc_record(
            "response",
            "http://h/i.jpg",
            b"HTTP/1.1 200 OK\r\n\r\n\xff\xd8\xffjpeg",
            "WARC-Payload-Digest: sha1:ABC\r\n",
        );
        w.extend(warc_record(
            "revisit",
            "http://other/i.jpg",
            b"HTTP/1.1 200 OK\r\n\r\n",
            "WARC-Payload-Digest: sha1:ABC\r\n",
        ));
        w.extend(warc_record(
            "response",
            "http://h/gone.jpg",
            b"HTTP/1.1 404 Not Found\r\n\r\nnope",
            "",
        ));
        w.extend(warc_record(
            "response",
            "http://h/moved.jpg",
            b"HTTP/1.1 302 Found\r\nLocation: /i.jpg\r\n\r\n",
            "",
        ));
        let (src, files, _) = index_bytes(&w, false);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["h/i.jpg", "h/moved.jpg", "other/i.jpg"]);
        assert_eq!(read(&src, &files[2]), b"\xff\xd8\xffjpeg");
        let caps: Vec<(u16, &str)> = src
            .captures()
            .iter()
            .map(|c| (c.status, c.url.as_str()))
            .collect();
        assert_eq!(
            caps,
            [(404, "http://h/gone.jpg"), (302, "http://h/moved.jpg")]
        );
    }
}
