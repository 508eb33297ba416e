//! Parse stage, driver: read every candidate file in parallel, parse it,
//! and sort what was found into entries, feed items and report lines.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::RawEntry;
use crate::parse::captures::Captures;
use crate::parse::entry;
use crate::parse::feed::FeedItem;
use crate::parse::ids::SpacesId;
use crate::parse::market::{self, PageLocale, Signals};
use crate::parse::{self, PageKind, ParsedFile};
use crate::plan::keys::{Entries, EntryKey, Owners};
use crate::progress::{Progress, Stage};
use crate::report::{IgnoredPage, Warning, WarningKind, Warnings};
use crate::source::{Archive, FileEntry, ReadError, MAX_PAGE_BYTES};
use crate::store::records::{in_order, Log, RecRef, Records};
use crate::store::text::Spool;

/// File name endings that are never pages: not even read for markers.
const NOT_PAGES: [&str; 24] = [
    "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "ico", "webp", "css", "js", "swf", "wmv",
    "wma", "mp3", "mp4", "avi", "mov", "zip", "gz", "bz2", "pdf", "exe", "dll",
];

/// Pages larger than this are cut into entries as they are read, never
/// held whole (they have no size limit but the archive's).
const STREAM_ABOVE: u64 = 4 << 20;

/// Pages read and parsed per parallel batch.
const CHUNK: usize = 64;

/// What the pages of an archive held.
#[derive(Debug, Default)]
pub struct Pages {
    /// Entries in archive order (on disk but for their keys).
    pub entries: Entries,
    /// Files that held at least one entry.
    pub pages: usize,
    /// Items of every `feed.rss`, in archive order.
    pub feed: Vec<FeedItem>,
    /// HTML pages that held no entry.
    pub ignored: Log<IgnoredPage>,
    /// For each owner (by its index in `entries.owners`), the space host
    /// names its entries link to, and how many entries link to each.
    pub hosts: HashMap<u32, HashMap<String, usize>>,
    /// For each owner, the markets and languages its entries' pages name.
    pub locales: HashMap<u32, Signals>,
    /// Pages that held entries, by the character set they were read in.
    pub encodings: BTreeMap<&'static str, usize>,
}

/// One blog of the input: the entries of one owner (or of several owner
/// spellings under one host), with its host when the pages show it.
#[derive(Debug)]
pub struct Space {
    /// The space's host (`name.spaces.live.com`), if any page shows it.
    pub host: Option<String>,
    /// Its owner ids as written (`D2C0FFEE12345678`), sorted.
    pub owners: Vec<String>,
    /// Its entries, in archive order.
    pub entries: Entries,
    /// Files that held at least one of its entries.
    pub pages: usize,
    /// The markets and languages its pages name (for its time zone).
    pub signals: Signals,
}

/// The host most entries link to (ties: the smaller name).
fn main_of(counts: &HashMap<String, usize>) -> Option<String> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(h, _)| h.clone())
}

/// A hex owner without leading zeros (Spaces printed 15 digits where the
/// CID starts with 0), so both spellings group together.
fn owner_group(owner: &str) -> String {
    if owner.chars().all(|c| c.is_ascii_hexdigit()) {
        let t = owner.trim_start_matches('0').to_ascii_uppercase();
        format!("cid:{t}")
    } else {
        format!("id:{owner}")
    }
}

impl Pages {
    /// Split the entries into blogs: entries of different owners are
    /// different spaces (an owner written with 15 and with 16 hex digits is
    /// one). Spaces come sorted by host (those without one last), then by
    /// owner. With one space, nothing is copied;
    /// with several, each space's entries are copied into records of its
    /// own (one read and one write per entry).
    pub fn into_spaces(self) -> io::Result<(Vec<Space>, Vec<FeedItem>, Log<IgnoredPage>)> {
        let Pages {
            entries,
            pages,
            feed,
            ignored,
            hosts,
            locales,
            encodings: _,
        } = self;
        let names = entries.owners.names();
        // Group key per owner index: its main host, else its owner id.
        // One space per owner (its 15- and 16-digit spellings together):
        // two CIDs are two blogs, whatever hosts their pages link to. A
        // 2004-05 id token (`cns!1pU…!N`, not a CID) joins the CID whose
        // pages show the same host: Spaces gave a blog's old entries such ids.
        let mut by_owner: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (o, name) in names.iter().enumerate() {
            by_owner
                .entry(owner_group(name))
                .or_default()
                .push(o as u32);
        }
        let host_of = |members: &[u32]| {
            let mut counts: HashMap<String, usize> = HashMap::new();
            for o in members {
                for (h, n) in hosts.get(o).into_iter().flatten() {
                    *counts.entry(h.clone()).or_default() += n;
                }
            }
            main_of(&counts)
        };
        let mut cid_hosts: HashMap<String, Vec<String>> = HashMap::new();
        for (g, m) in by_owner.iter().filter(|(g, _)| g.starts_with("cid:")) {
            if let Some(h) = host_of(m) {
                cid_hosts.entry(h).or_default().push(g.clone());
            }
        }
        let tokens: Vec<String> = by_owner
            .keys()
            .filter(|g| !g.starts_with("cid:"))
            .cloned()
            .collect();
        for token in tokens {
            let target = by_owner.get(&token).and_then(|m| host_of(m)).and_then(|h| {
                match cid_hosts.get(&h).map(Vec::as_slice) {
                    // Only when one CID has that host: else it is ambiguous.
                    Some([one]) => Some(one.clone()),
                    _ => None,
                }
            });
            if let Some(target) = target {
                let members = by_owner.remove(&token).unwrap_or_default();
                by_owner.entry(target).or_default().extend(members);
            }
        }
        // Sorted by host (spaces without one last), then owner.
        let mut groups: BTreeMap<(bool, String, String), Vec<u32>> = BTreeMap::new();
        for (owner, members) in by_owner {
            let key = match host_of(&members) {
                Some(h) => (false, h, owner),
                None => (true, String::new(), owner),
            };
            groups.insert(key, members);
        }
        let signals_of = |members: &[u32]| {
            let mut all = Signals::default();
            for o in members {
                if let Some(s) = locales.get(o) {
                    all.merge(s);
                }
            }
            all
        };
        let space_of =
            |members: &[u32], key: &(bool, String, String)| -> (Option<String>, Vec<String>) {
                let mut owners: Vec<String> =
                    members.iter().map(|o| names[*o as usize].clone()).collect();
                owners.sort();
                owners.dedup();
                ((!key.0).then(|| key.1.clone()), owners)
            };
        if groups.len() <= 1 {
            let (host, owners) = groups
                .iter()
                .next()
                .map(|(k, m)| space_of(m, k))
                .unwrap_or_default();
            let mut signals = Signals::default();
            for s in locales.values() {
                signals.merge(s);
            }
            let space = Space {
                host,
                owners,
                entries,
                pages,
                signals,
            };
            return Ok((vec![space], feed, ignored));
        }
        let mut spaces = Vec::with_capacity(groups.len());
        for (key, members) in &groups {
            let (host, owners) = space_of(members, key);
            let member: HashSet<u32> = members.iter().copied().collect();
            let records: Records<RawEntry> = Records::new();
            let mut own = Owners::default();
            let mut keys = Vec::new();
            let mut files = HashSet::new();
            for k in entries.keys.iter().filter(|k| member.contains(&k.id.owner)) {
                let e = entries.records.get(k.rec)?;
                if !files.contains(&e.source) {
                    files.insert(e.source.clone());
                }
                keys.push(EntryKey {
                    id: own.intern(&e.id),
                    rec: records.push(&e)?,
                });
            }
            spaces.push(Space {
                host,
                owners,
                entries: Entries {
                    keys,
                    records,
                    owners: own,
                },
                pages: files.len(),
                signals: signals_of(members),
            });
        }
        Ok((spaces, feed, ignored))
    }
}

/// An entry a page worker has put on disk.
struct Stored {
    id: SpacesId,
    rec: RecRef,
    /// Host names the entry links to (its permalink's, its first link's).
    hosts: Vec<String>,
    /// The language its date words are in, if they say.
    date_language: Option<&'static str>,
}

/// What one file gave: its kind (entries already stored), and notes.
struct Found {
    kind: PageKind,
    stored: Vec<Stored>,
    notes: Vec<String>,
    issues: Vec<parse::Issue>,
    locale: PageLocale,
    encoding: Option<&'static str>,
}

/// Read and parse every candidate page, in parallel a batch at a time,
/// keeping archive order. Entries go to disk as soon as their page is
/// parsed; only their keys stay in memory.
pub fn read_pages(
    archive: &Archive,
    spool: &Spool,
    warnings: &mut Warnings,
    progress: &dyn Progress,
) -> Result<Pages> {
    let candidates: Vec<&FileEntry> = archive
        .files()
        .iter()
        .filter(|f| !is_media_name(f.file_name()))
        .collect();
    let records: Records<RawEntry> = Records::new();
    let captures = Captures::read(archive);
    for (about, not) in &captures.redirects {
        warnings.push(not_captured(about, not));
    }
    let at = Place {
        spool,
        records: &records,
        captures: &captures,
    };
    let work = |f: &&FileEntry| -> io::Result<std::result::Result<Option<Found>, ReadError>> {
        if f.size > STREAM_ABOVE {
            return read_streamed(archive, f, &at);
        }
        let parsed = match archive.read(f, MAX_PAGE_BYTES) {
            Ok(bytes) => read_one(f, &bytes),
            Err(e) => return Ok(Err(e)),
        };
        parsed.map(|p| store(p, f, &at)).transpose().map(Ok)
    };
    let mut out = Pages::default();
    let mut keys: Vec<EntryKey> = Vec::new();
    let mut owners = Owners::default();
    let mut ignored = Log::new();
    progress.begin(Stage::Pages, candidates.len() as u64);
    let mut sink = |file: &&FileEntry, result: std::result::Result<Option<Found>, ReadError>| {
        progress.advance(1);
        if let Ok(Some(p)) = &result {
            warnings.extend(p.issues.iter().map(|i| match &i.entry {
                Some(id) => Warning::entry(&file.path, id, i.kind, i.message.clone()),
                None => Warning::file(&file.path, i.kind, i.message.clone()),
            }));
        }
        match result {
            Err(e) => warnings.push(Warning::file(
                &file.path,
                WarningKind::Unreadable,
                e.to_string(),
            )),
            Ok(None) => {}
            Ok(Some(p)) if matches!(p.kind, PageKind::Other) => ignored.push(&IgnoredPage {
                file: file.path.clone(),
                reason: "an HTML page that is not a Spaces blog page".into(),
            })?,
            Ok(Some(p)) => {
                warnings.extend(
                    p.notes
                        .iter()
                        .map(|n| Warning::file(&file.path, WarningKind::Encoding, n.clone())),
                );
                if let (PageKind::Entries(_), Some(enc)) = (&p.kind, p.encoding) {
                    *out.encodings.entry(enc).or_default() += 1;
                }
                for s in &p.stored {
                    let id = owners.intern(&s.id);
                    keys.push(EntryKey { id, rec: s.rec });
                    let counts = out.hosts.entry(id.owner).or_default();
                    for h in &s.hosts {
                        *counts.entry(h.clone()).or_default() += 1;
                    }
                    out.locales
                        .entry(id.owner)
                        .or_default()
                        .add(&p.locale, s.date_language);
                }
                collect(file, p.kind, &mut out, warnings);
            }
        }
        Ok(())
    };
    let done = in_order(&candidates, CHUNK, work, &mut sink);
    progress.end();
    done.map_err(|source| Error::Spool { source })?;
    out.ignored = ignored;
    out.entries = Entries {
        keys,
        records,
        owners,
    };
    Ok(out)
}

/// Where parsed entries go, and what is known of the files' captures.
struct Place<'a> {
    spool: &'a Spool,
    records: &'a Records<RawEntry>,
    captures: &'a Captures,
}

/// Put a page's entries on disk as soon as it is parsed: their HTML into
/// the spool, the rest into `records`.
fn store(mut p: ParsedFile, file: &FileEntry, at: &Place<'_>) -> io::Result<Found> {
    let mut stored = Vec::new();
    if let PageKind::Entries(entries) = &mut p.kind {
        for e in std::mem::take(entries) {
            stored.push(store_entry(e, file, at)?);
        }
    }
    Ok(Found {
        kind: p.kind,
        stored,
        notes: p.notes,
        issues: p.issues,
        locale: p.locale,
        encoding: p.encoding,
    })
}

/// Put one entry on disk.
fn store_entry(mut e: RawEntry, file: &FileEntry, at: &Place<'_>) -> io::Result<Stored> {
    let (spool, records) = (at.spool, at.records);
    e.body = spool.store(std::mem::take(&mut e.body));
    for c in &mut e.comments {
        c.html = spool.store(std::mem::take(&mut c.html));
    }
    e.saved_at = file.modified;
    // A downloader's page holds no toolbar: its capture time is beside it.
    if e.capture_utc.is_none() {
        if let Some(t) = at.captures.time_of(&file.path) {
            e.capture_utc = Some(t);
            e.crawled_utc = Some(t);
        }
    }
    // The words of the dates, else of the title and the text's start.
    let date_language = [&e.date_text, &e.time_text]
        .into_iter()
        .flatten()
        .find_map(|t| market::date_language(t))
        .or_else(|| {
            let title = e.title.as_deref().unwrap_or_default();
            market::text_language(&format!("{title} {}", e.lead))
        });
    Ok(Stored {
        rec: records.push(&e)?,
        hosts: hosts_of(&e),
        id: e.id,
        date_language,
    })
}

/// The entry's own permalink names its host; only without one does the
/// host most of the page's links go to stand in.
fn hosts_of(e: &RawEntry) -> Vec<String> {
    match e.permalink.as_deref().and_then(entry::space_host) {
        Some(h) => vec![h],
        None => e.hosts.first().cloned().into_iter().collect(),
    }
}

/// Read a page too large to hold whole, cutting it into entries as it is
/// read; each entry goes to disk as soon as it is parsed. What is known only
/// at the page's end (the hosts its links go to, the HTTrack stamp) is then
/// added to the entries stored before.
fn read_streamed(
    archive: &Archive,
    file: &FileEntry,
    at: &Place<'_>,
) -> io::Result<std::result::Result<Option<Found>, ReadError>> {
    let records = at.records;
    let source = |f: &mut dyn FnMut(&mut dyn io::Read) -> io::Result<()>| archive.stream(file, f);
    let mut stored = Vec::new();
    let mut on_entry = |e: RawEntry| -> io::Result<()> {
        stored.push(store_entry(e, file, at)?);
        Ok(())
    };
    let streamed = match parse::stream::parse_stream(&file.path, &source, file.size, &mut on_entry)?
    {
        Err(e) => return Ok(Err(e)),
        Ok(parse::stream::Plan::Whole) => {
            return match archive.read(file, MAX_PAGE_BYTES) {
                Ok(bytes) => read_one(file, &bytes)
                    .map(|p| store(p, file, at))
                    .transpose()
                    .map(Ok),
                Err(e) => Ok(Err(e)),
            };
        }
        Ok(parse::stream::Plan::Stream(s)) => *s,
    };
    for s in &mut stored {
        let mut e = records.get(s.rec)?;
        let needs_hosts = e.permalink.is_none() && !streamed.hosts.is_empty();
        if !needs_hosts && streamed.crawled.is_none() {
            continue;
        }
        e.hosts.clone_from(&streamed.hosts);
        if streamed.crawled.is_some() || e.capture_utc.is_none() {
            e.crawled_utc = streamed.crawled;
        }
        if streamed.captured.is_some() {
            e.capture_utc = streamed.captured;
        }
        s.hosts = hosts_of(&e);
        s.rec = records.push(&e)?;
    }
    Ok(Ok(Some(Found {
        kind: streamed.file.kind,
        stored,
        notes: streamed.file.notes,
        issues: streamed.file.issues,
        locale: streamed.file.locale,
        encoding: streamed.file.encoding,
    })))
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
        encoding: None,
        issues: Vec::new(),
        locale: PageLocale::default(),
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

fn collect(file: &FileEntry, kind: PageKind, out: &mut Pages, warnings: &mut Warnings) {
    match kind {
        PageKind::Entries(_) => out.pages += 1,
        PageKind::Feed(items) => out.feed.extend(items.into_iter().map(|mut i| {
            i.source = file.path.clone();
            i
        })),
        PageKind::PrivateSpace => warnings.push(Warning::file(
            &file.path,
            WarningKind::PrivateSpace,
            "a \"Space Not Available\" page: the space was private when it was saved; no entries in it",
        )),
        PageKind::WordPressExport => warnings.push(Warning::file(
            &file.path,
            WarningKind::WordpressExport,
            "already a WordPress export (WXR); import it directly instead of converting it",
        )),
        PageKind::TooManyAttributes(n) => warnings.push(Warning::file(
            &file.path,
            WarningKind::TooManyAttributes,
            format!(
                "an element holds {n} attributes; the page was left out, as parsing it would take minutes"
            ),
        )),
        PageKind::NotCaptured(not) => warnings.push(not_captured(&file.path, &not)),
        PageKind::Other => {}
    }
}

/// The report line of a Wayback capture that is not content.
pub fn not_captured(path: &str, not: &parse::wayback::NotContent) -> Warning {
    use parse::wayback::NotContent;
    match not {
        NotContent::Redirect { status, target } => {
            let to = match target {
                Some(t) => format!(" to {t}"),
                None => String::new(),
            };
            let status = if status.is_empty() { "a redirect" } else { status };
            Warning::file(
                path,
                WarningKind::WaybackRedirect,
                format!("a Wayback Machine capture of a redirect ({status}{to}), not a page of the blog; no entry taken from it"),
            )
        }
        NotContent::NotArchived => Warning::file(
            path,
            WarningKind::WaybackMissing,
            "a Wayback Machine page saying it holds no capture of this address; no entry taken from it",
        ),
    }
}

fn is_media_name(name: &str) -> bool {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    NOT_PAGES.contains(&ext.as_str())
}

/// Feed items that are neither blog posts nor part of an album that became
/// a post (`albums`) go into the report: list updates, and album items of a
/// space's main feed when no photos feed of that album is in the archive.
pub fn report_feed_items(feed: &[FeedItem], albums: &HashSet<SpacesId>, warnings: &mut Warnings) {
    let converted = |i: &FeedItem| i.album.as_ref().is_some_and(|a| albums.contains(a));
    for item in feed.iter().filter(|i| !i.is_post() && !converted(i)) {
        let kind = item.kind.as_deref().unwrap_or("other");
        let why = if item.is_album() {
            "photo albums are converted only from the photos feeds (/photos/feed.rss, an album's own feed.rss), and the archive holds none of this album"
        } else {
            "lists and other items are not converted"
        };
        warnings.push(Warning::file(
            &item.source,
            WarningKind::FeedItemSkipped,
            format!("'{}' is a {kind} item, not a blog post; {why}", item.title),
        ));
    }
}

/// Feed posts that no page of this space holds go into the report. With
/// `own_only`, items of owners this space does not have are left to their
/// own space.
pub fn report_feed_only(
    feed: &[FeedItem],
    entries: &Entries,
    own_only: bool,
    warnings: &mut Warnings,
) {
    let held: HashSet<_> = entries.keys.iter().map(|k| k.id).collect();
    let is_held = |id: &SpacesId| entries.owners.key(id).is_some_and(|k| held.contains(&k));
    let is_other = |id: &SpacesId| own_only && entries.owners.key(id).is_none();
    let mut absent: BTreeMap<&str, BTreeMap<String, &str>> = BTreeMap::new();
    for i in feed.iter().filter(|i| i.is_post()) {
        if let Some(id) = i.id.as_ref().filter(|id| !is_held(id) && !is_other(id)) {
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
            WarningKind::FeedOnlyEntry,
            format!(
                "the feed lists {} entries that no saved page holds: {}",
                items.len(),
                list.join(", ")
            ),
        ));
    }
}

pub(crate) fn nothing_found(input: &Path, archive: &Archive, warnings: &Warnings) -> Error {
    let files = archive.files().len();
    if files == 0 && warnings.count(WarningKind::SkippedFile) == 0 {
        return Error::NothingFound {
            path: input.to_path_buf(),
            looked: "it holds no files".into(),
        };
    }
    // A folder or zip that holds the backup itself (space.zip) rather than
    // its pages: say which path to give.
    let zips: Vec<&str> = archive
        .files()
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| {
            let l = p.to_ascii_lowercase();
            [".zip", ".warc", ".warc.gz", ".arc", ".arc.gz", ".wacz"]
                .iter()
                .any(|e| l.ends_with(e))
        })
        .take(3)
        .collect();
    if let Some(first) = zips.first() {
        let how = if input.is_dir() {
            format!(
                "pass it instead: spaces2wxr convert '{}' -o …",
                input.join(first).display()
            )
        } else {
            "extract it from this archive and pass it instead".to_string()
        };
        return Error::NothingFound {
            path: input.to_path_buf(),
            looked: format!(
                "none of its {files} files is a saved Spaces page, but it holds the archive '{}'; {how}",
                crate::error::printable(first)
            ),
        };
    }
    let seen = if warnings.count(WarningKind::WordpressExport) > 0 {
        "; it is already a WordPress export (WXR): import it directly".to_string()
    } else if warnings.count(WarningKind::PrivateSpace) > 0 {
        "; only \"Space Not Available\" pages of a private space were found".to_string()
    } else {
        String::new()
    };
    let deep = warnings.count(WarningKind::TooDeep);
    let seen = match deep {
        0 => seen,
        n => format!(
            "{seen}; {n} entries or pages were left out because their elements nest too deeply"
        ),
    };
    let skipped = warnings.count(WarningKind::SkippedFile);
    let skipped = match skipped {
        0 => String::new(),
        n => format!(" ({n} entries skipped as unsafe, too large or unreadable)"),
    };
    Error::NothingFound {
        path: input.to_path_buf(),
        looked: format!("none of its {files} files{skipped} is a saved Spaces blog page{seen}"),
    }
}
