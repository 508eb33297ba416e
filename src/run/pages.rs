//! The page step of a run: read every candidate file in parallel, parse it,
//! and sort what was found into entries, feed items and report lines.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::model::RawEntry;
use crate::parse::feed::FeedItem;
use crate::parse::{self, PageKind, ParsedFile};
use crate::report::{IgnoredPage, Warning};
use crate::source::{Archive, FileEntry, MAX_PAGE_BYTES};
use crate::spool::Spool;

/// File name endings that are never pages: not even read for markers.
const NOT_PAGES: [&str; 24] = [
    "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "ico", "webp", "css", "js", "swf", "wmv",
    "wma", "mp3", "mp4", "avi", "mov", "zip", "gz", "bz2", "pdf", "exe", "dll",
];

/// What the pages of an archive held.
#[derive(Debug, Default)]
pub struct Pages {
    /// Entries in archive order.
    pub entries: Vec<RawEntry>,
    /// Files that held at least one entry.
    pub pages: usize,
    /// Items of every `feed.rss`, in archive order.
    pub feed: Vec<FeedItem>,
    /// HTML pages that held no entry.
    pub ignored: Vec<IgnoredPage>,
}

/// Read and parse every candidate page in parallel, keeping archive order.
pub fn read_pages(archive: &Archive, spool: Option<&Spool>, warnings: &mut Vec<Warning>) -> Pages {
    let candidates: Vec<&FileEntry> = archive
        .files()
        .iter()
        .filter(|f| !is_media_name(f.file_name()))
        .collect();
    let parsed: Vec<(&FileEntry, Result<Option<ParsedFile>, String>)> = candidates
        .par_iter()
        .map(|f| {
            (
                *f,
                archive
                    .read(f, MAX_PAGE_BYTES)
                    .map(|b| read_one(f, &b).map(|p| spooled(p, spool))),
            )
        })
        .collect();
    let mut out = Pages::default();
    for (file, result) in parsed {
        match result {
            Err(e) => warnings.push(Warning::file(&file.path, "unreadable", e)),
            Ok(None) => {}
            Ok(Some(p)) if matches!(p.kind, PageKind::Other) => out.ignored.push(IgnoredPage {
                file: file.path.clone(),
                reason: "an HTML page without Spaces entry markers".into(),
            }),
            Ok(Some(p)) => {
                warnings.extend(
                    p.notes
                        .iter()
                        .map(|n| Warning::file(&file.path, "encoding", n.clone())),
                );
                collect(file, p.kind, &mut out, warnings);
            }
        }
    }
    out
}

/// Move the HTML of a page's entries into the spool, as soon as the page is
/// parsed, so that it is not held in memory until the posts are written.
fn spooled(mut p: ParsedFile, spool: Option<&Spool>) -> ParsedFile {
    let (PageKind::Entries(entries), Some(spool)) = (&mut p.kind, spool) else {
        return p;
    };
    for e in entries {
        e.body = spool.store(std::mem::take(&mut e.body));
        for c in &mut e.comments {
            c.html = spool.store(std::mem::take(&mut c.html));
        }
    }
    p
}

/// Parse a file that may hold entries; an HTML page without markers is
/// returned as [`PageKind::Other`] so the report can list it.
fn read_one(file: &FileEntry, bytes: &[u8]) -> Option<ParsedFile> {
    if parse::may_hold_entries(bytes) {
        return Some(parse::parse_file(&file.path, bytes));
    }
    looks_like_html(file.file_name(), bytes).then(|| ParsedFile {
        kind: PageKind::Other,
        notes: Vec::new(),
    })
}

fn looks_like_html(name: &str, bytes: &[u8]) -> bool {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let head: Vec<u8> = bytes.iter().take(512).map(u8::to_ascii_lowercase).collect();
    let has = |n: &[u8]| head.windows(n.len()).any(|w| w == n);
    matches!(ext.as_str(), "htm" | "html" | "shtml" | "xhtml" | "entry")
        || has(b"<html")
        || has(b"<!doctype html")
}

fn collect(file: &FileEntry, kind: PageKind, out: &mut Pages, warnings: &mut Vec<Warning>) {
    match kind {
        PageKind::Entries(found) => {
            out.pages += 1;
            out.entries.extend(found.into_iter().map(|mut e| {
                e.saved_at = file.modified;
                e
            }));
        }
        PageKind::Feed(items) => out.feed.extend(items.into_iter().map(|mut i| {
            i.source = file.path.clone();
            i
        })),
        PageKind::PrivateSpace => warnings.push(Warning::file(
            &file.path,
            "private-space",
            "a \"Space Not Available\" page: the space was private when it was saved; no entries in it",
        )),
        PageKind::WordPressExport => warnings.push(Warning::file(
            &file.path,
            "wordpress-export",
            "already a WordPress export (WXR); import it directly instead of converting it",
        )),
        PageKind::TooDeep(depth) => warnings.push(Warning::file(
            &file.path,
            "too-deep",
            format!(
                "elements nest about {depth} levels deep (limit {}); the page was left out, as parsing it would take minutes",
                parse::depth::MAX_DEPTH
            ),
        )),
        PageKind::Other => {}
    }
}

fn is_media_name(name: &str) -> bool {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    NOT_PAGES.contains(&ext.as_str())
}

/// Photo-album items and feed posts that no page holds go into the report.
pub fn report_feed(feed: &[FeedItem], entries: &[RawEntry], warnings: &mut Vec<Warning>) {
    for item in feed.iter().filter(|i| !i.is_post()) {
        let kind = item.kind.as_deref().unwrap_or("other");
        warnings.push(Warning::file(
            &item.source,
            "feed-item-skipped",
            format!(
                "'{}' is a {kind} item, not a blog post; photo albums and lists are not converted",
                item.title
            ),
        ));
    }
    let held: std::collections::HashSet<_> = entries.iter().map(|e| &e.id).collect();
    let mut absent: BTreeMap<&str, BTreeMap<String, &str>> = BTreeMap::new();
    for i in feed.iter().filter(|i| i.is_post()) {
        if let Some(id) = i.id.as_ref().filter(|id| !held.contains(id)) {
            absent
                .entry(i.source.as_str())
                .or_default()
                .insert(id.to_string(), i.title.as_str());
        }
    }
    for (source, items) in absent {
        let list: Vec<String> = items.iter().map(|(id, t)| format!("{id} '{t}'")).collect();
        warnings.push(Warning::file(
            source,
            "feed-only-entry",
            format!(
                "the feed lists {} entries that no saved page holds: {}",
                items.len(),
                list.join(", ")
            ),
        ));
    }
}
