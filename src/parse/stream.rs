//! Parse a page as it is read from the archive, never holding it whole.
//!
//! A one-file backup (`Weblog.htm` with every entry of a blog) can be far
//! larger than any one entry. Such a page is read twice in pieces: first to
//! choose its encoding (the same choice [`super::encoding::decode_page`]
//! makes on a whole page), then to decode it and cut it into entries with
//! the [`Splitter`]. Each entry is parsed alone and handed on as soon as the
//! next one starts, so memory follows the largest entry, not the page.

use std::io::{self, Read};

use chrono::NaiveDateTime;
use encoding_rs::{Decoder, Encoding, UTF_8};
use rayon::prelude::*;

use super::split::{Cut, SplitError, Splitter};
use super::{encoding, feed, httrack_stamp, note_issue, read_cut, Issue, PageKind, ParsedFile};
use crate::model::RawEntry;
use crate::source::ReadError;

/// Bytes read from the archive at a time.
const PIECE: usize = 64 * 1024;

/// How much of the page's start is kept for the checks made on it (BOM,
/// `<meta charset>`, WordPress export, feed, HTTrack stamp).
const HEAD: usize = 8192;

/// Something that hands a reader over one file of the archive to `f`
/// (`Archive::stream`); an error is the reason the file could not be read.
pub type Source<'a> =
    dyn Fn(&mut dyn FnMut(&mut dyn Read) -> io::Result<()>) -> Result<(), ReadError> + 'a;

/// What a streamed page gave, besides the entries handed out.
#[derive(Debug)]
pub struct Streamed {
    /// The page's kind (`Entries` holds no entries: they were handed out),
    /// encoding notes and issues.
    pub file: ParsedFile,
    /// Space host names in the page's links, most frequent first.
    pub hosts: Vec<String>,
    /// The HTTrack stamp's time, if the page has one.
    pub crawled: Option<NaiveDateTime>,
    /// The Wayback capture time the page's toolbar gives, if any.
    pub captured: Option<NaiveDateTime>,
}

/// How a page is to be read.
pub enum Plan {
    /// Cut it into entries as it is read.
    Stream(Box<Streamed>),
    /// A feed: read it whole.
    Whole,
}

/// Read every piece of the file in order.
fn each_piece(
    source: &Source<'_>,
    limit: u64,
    f: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<(), ReadError> {
    source(&mut |r: &mut dyn Read| {
        let mut buf = vec![0u8; PIECE];
        let mut total = 0u64;
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            total += n as u64;
            if total > limit {
                return Err(io::Error::other(format!(
                    "larger than the {limit} bytes it was listed with"
                )));
            }
            f(&buf[..n])?;
        }
    })
}

/// First pass: the page's start, and whether all of it is UTF-8.
fn survey(source: &Source<'_>, limit: u64) -> Result<(Vec<u8>, bool), ReadError> {
    let mut head = Vec::with_capacity(HEAD);
    let mut carry: Vec<u8> = Vec::new();
    let mut utf8 = true;
    each_piece(source, limit, &mut |piece| {
        if head.len() < HEAD {
            let n = (HEAD - head.len()).min(piece.len());
            head.extend_from_slice(&piece[..n]);
        }
        if utf8 {
            carry.extend_from_slice(piece);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                Err(e) if e.error_len().is_none() => {
                    carry.drain(..e.valid_up_to());
                }
                Err(_) => utf8 = false,
            }
        }
        Ok(())
    })?;
    Ok((head, utf8 && carry.is_empty()))
}

/// Decode `bytes` into `out`; true when some were malformed.
fn decode_into(decoder: &mut Decoder, bytes: &[u8], last: bool, out: &mut String) -> bool {
    if let Some(n) = decoder.max_utf8_buffer_length(bytes.len()) {
        out.reserve(n);
    }
    let (_, _, bad) = decoder.decode_to_string(bytes, out, last);
    bad
}

/// Are the file's bytes malformed in `enc`?
fn malformed_in(
    source: &Source<'_>,
    limit: u64,
    enc: &'static Encoding,
) -> Result<bool, ReadError> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut scratch = String::new();
    let mut bad = false;
    each_piece(source, limit, &mut |piece| {
        scratch.clear();
        bad |= decode_into(&mut decoder, piece, false, &mut scratch);
        Ok(())
    })?;
    scratch.clear();
    Ok(bad | decode_into(&mut decoder, &[], true, &mut scratch))
}

/// The encoding of a page that is not UTF-8, chosen as for a whole page.
fn choose(
    source: &Source<'_>,
    limit: u64,
    head: &[u8],
) -> Result<(&'static Encoding, Option<String>), ReadError> {
    let declared = encoding::declared_charset(head).filter(|e| *e != UTF_8);
    let mut det = encoding::detector();
    each_piece(source, limit, &mut |piece| {
        det.feed(piece, false);
        Ok(())
    })?;
    det.feed(&[], true);
    let guessed = encoding::guess_of(&det);
    let guess_bad = malformed_in(source, limit, guessed)?;
    let decl_bad = match declared.filter(|d| *d != guessed) {
        Some(d) => malformed_in(source, limit, d)?,
        None => false,
    };
    Ok(encoding::pick(declared, guessed, decl_bad, guess_bad))
}

/// Read a page from `source` (at most `limit` bytes) and hand each of its
/// entries to `on_entry` as soon as it is read. The outer error is
/// `on_entry`'s; the inner one says why the file could not be read.
pub fn parse_stream(
    path: &str,
    source: &Source<'_>,
    limit: u64,
    on_entry: &mut dyn FnMut(RawEntry) -> io::Result<()>,
) -> io::Result<Result<Plan, ReadError>> {
    let (head, utf8) = match survey(source, limit) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let head_text = String::from_utf8_lossy(&head);
    if head_text.contains("<rss") {
        if head_text.contains("wordpress.org/export/") {
            let file = ParsedFile {
                kind: PageKind::WordPressExport,
                notes: Vec::new(),
                encoding: None,
                issues: Vec::new(),
                locale: Default::default(),
            };
            return Ok(Ok(Plan::Stream(Box::new(Streamed {
                file,
                hosts: Vec::new(),
                crawled: None,
                captured: None,
            }))));
        }
        if feed::is_feed(&head_text) {
            return Ok(Ok(Plan::Whole));
        }
    }
    let (enc, bom, note) = match Encoding::for_bom(&head) {
        Some((enc, bom)) => (enc, bom, None),
        None if utf8 => (UTF_8, 0, None),
        None => match choose(source, limit, &head) {
            Ok((enc, note)) => (enc, 0, note),
            Err(e) => return Ok(Err(e)),
        },
    };
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut splitter = Splitter::new();
    let mut issues: Vec<Issue> = Vec::new();
    let mut failed: Option<io::Error> = None;
    let mut refused: Option<SplitError> = None;
    let mut found = 0usize;
    let mut text_head = String::new();
    let mut skip = bom;
    let mut text = String::new();
    let mut batch = Batch::default();
    {
        let mut hand_on = |cuts: &mut Batch| {
            for (entries, mut lost) in read_batch(cuts, path) {
                issues.append(&mut lost);
                for e in entries {
                    found += 1;
                    if failed.is_none() {
                        failed = on_entry(e).err();
                    }
                }
            }
        };
        let mut on_cut = |cut: Cut| {
            batch.bytes += cut.html.len();
            batch.cuts.push(cut);
            if batch.cuts.len() >= BATCH_CUTS || batch.bytes >= BATCH_BYTES {
                hand_on(&mut batch);
            }
        };
        let read = each_piece(source, limit, &mut |piece| {
            let cut = skip.min(piece.len());
            skip -= cut;
            text.clear();
            decode_into(&mut decoder, &piece[cut..], false, &mut text);
            if text_head.len() < HEAD {
                text_head.push_str(&text[..floor_boundary(&text, HEAD - text_head.len())]);
            }
            if refused.is_none() {
                refused = splitter.push(&text, &mut on_cut).err();
            }
            Ok(())
        });
        if let Err(e) = read {
            return Ok(Err(e));
        }
        text.clear();
        decode_into(&mut decoder, &[], true, &mut text);
        let summary = match refused {
            Some(e) => Err(e),
            None => splitter
                .push(&text, &mut on_cut)
                .and_then(|()| splitter.finish(&mut on_cut)),
        };
        hand_on(&mut batch);
        match summary {
            Ok(summary) => {
                issues.extend(summary.notes.iter().map(note_issue));
                if let Some(e) = failed {
                    return Err(e);
                }
                let kind = if found > 0 {
                    PageKind::Entries(Vec::new())
                } else {
                    PageKind::Other
                };
                let notes = if matches!(kind, PageKind::Other) {
                    Vec::new()
                } else {
                    note.into_iter().collect()
                };
                Ok(Ok(Plan::Stream(Box::new(Streamed {
                    file: ParsedFile {
                        kind,
                        notes,
                        encoding: Some(enc.name()),
                        issues,
                        locale: summary.locale,
                    },
                    hosts: summary.hosts,
                    captured: summary.capture.as_ref().and_then(|c| c.time),
                    crawled: summary
                        .capture
                        .as_ref()
                        .and_then(|c| c.time)
                        .or_else(|| httrack_stamp(&text_head)),
                }))))
            }
            Err(SplitError::TooManyAttributes(n)) => {
                if let Some(e) = failed {
                    return Err(e);
                }
                Ok(Ok(Plan::Stream(Box::new(Streamed {
                    file: ParsedFile {
                        kind: PageKind::TooManyAttributes(n),
                        notes: Vec::new(),
                        encoding: Some(enc.name()),
                        issues,
                        locale: Default::default(),
                    },
                    hosts: Vec::new(),
                    crawled: None,
                    captured: None,
                }))))
            }
        }
    }
}

/// Entries parsed side by side at most.
const BATCH_CUTS: usize = 64;

/// Text of the entries parsed side by side at most (unless one is larger).
const BATCH_BYTES: usize = 8 << 20;

/// Cuts waiting to be parsed.
#[derive(Default)]
struct Batch {
    cuts: Vec<Cut>,
    bytes: usize,
}

/// Parse the waiting cuts in parallel; their entries and issues in order.
fn read_batch(batch: &mut Batch, path: &str) -> Vec<(Vec<RawEntry>, Vec<Issue>)> {
    let cuts = std::mem::take(&mut batch.cuts);
    batch.bytes = 0;
    cuts.par_iter()
        .map(|cut| {
            let mut entries = Vec::new();
            let mut issues = Vec::new();
            read_cut(cut, path, &mut |e| entries.push(e), &mut issues);
            (entries, issues)
        })
        .collect()
}

/// The largest char boundary of `s` at or below `at`.
fn floor_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}
