//! Report stage: what was converted, what was missing, what was changed.
//!
//! The same [`Report`] becomes `report.json` (for scripts and audits) and a
//! short summary on standard error (for people).

pub mod account;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::error::printable;
use crate::parse::market::ZoneChoice;
use crate::store::records::Log;

/// What a warning is about: a short stable code, serialized in
/// `report.json` as its kebab-case name (`no-date`, `missing-comments`).
/// The README's "Warning kinds" table explains each and what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// `album-feed-missing`: the photos feed names an album whose own feed is not in the archive; its post has no photos.
    AlbumFeedMissing,
    /// `ambiguous-media`: an image reference matched several archive files equally well; the one named in the message was bundled.
    AmbiguousMedia,
    /// `capture-status`: a web archive (WARC, WACZ) holds a capture that is not a success (a redirect, 404, 500); it was not converted.
    CaptureStatus,
    /// `comment-date`: some comments of a post have no readable date; they were placed after the post.
    CommentDate,
    /// `conversion-failed`: a blog of a batch (or a whole input) could not be converted; the other blogs were. `summary.json` lists it under `failed` with the error.
    ConversionFailed,
    /// `costly-attribute-value`: a page was left out: one attribute value is so full of `&` or no-break spaces that converting it would take minutes.
    CostlyAttributeValue,
    /// `date-from-crawl`: a post shows no date and no neighbour has one: it carries the crawl date (capped at 2011-03-16).
    DateFromCrawl,
    /// `date-from-feed`: the page shows no full date; the date was taken from `feed.rss`.
    DateFromFeed,
    /// `date-out-of-range`: a date outside December 2004 to March 2011 was read.
    DateOutOfRange,
    /// `dst`: a local time that occurs twice (daylight saving ends; the earlier instant is used) or never (it starts; moved forward) in the blog's zone.
    Dst,
    /// `duplicate-title-date`: another post has the same title and date; this one was moved by a second so the importer does not skip it as "already exists".
    DuplicateTitleDate,
    /// `encoding`: the page's declared character set was wrong or missing; the message says how it was read.
    Encoding,
    /// `entry-not-found`: a page holds an entry's markers but the entry could not be read from them.
    EntryNotFound,
    /// `feed-item-skipped`: a `feed.rss` item is a list, or a photo album no photos feed of the archive holds.
    FeedItemSkipped,
    /// `feed-only-entry`: the feed lists entries that no saved page holds.
    FeedOnlyEntry,
    /// `large-wxr`: the WXR file is over 2 MiB, the upload limit of a default PHP (`upload_max_filesize = 2M`); `--max-wxr-size 2M` splits it into parts that fit.
    LargeWxr,
    /// `lost-embed`: the page shows more embedded players in the entry than the post keeps, and nothing in the report explains it.
    LostEmbed,
    /// `lost-image`: the page shows an image the post lacks, and nothing in the report explains it.
    LostImage,
    /// `lost-links`: the page shows more links in the entry than the post holds, unexplained.
    LostLinks,
    /// `lost-text`: the post holds fewer letters and digits than the page shows, unexplained.
    LostText,
    /// `media-unreadable`: an image file in the archive could not be read; the original link was kept.
    MediaUnreadable,
    /// `missing-comments`: the page declares more comments than the archive holds (they were on further comment pages or loaded by script).
    MissingComments,
    /// `no-date`: a post shows no date; it was placed between its dated neighbours.
    NoDate,
    /// `not-an-image`: a file a post shows as an image is not one (an error page saved as `.jpg`); the original link was kept.
    NotAnImage,
    /// `oversized-post`: a post with its comments and images is larger than `--max-wxr-size` on its own; it went alone into a part that is over the size.
    OversizedPost,
    /// `private-space`: a "Space Not Available" page: the space was private when it was saved.
    PrivateSpace,
    /// `skipped-file`: an archive entry was skipped as unsafe (a path leaving the archive, a link), too large (`--max-file-size`), a likely zip bomb (`--max-ratio`) or unreadable.
    SkippedFile,
    /// `title-from-feed`: the page shows no title; it was taken from `feed.rss`.
    TitleFromFeed,
    /// `too-deep`: a page was left out: its elements nest so deeply that parsing it would take minutes.
    TooDeep,
    /// `too-many-attributes`: a page was left out: one element holds so many attributes that parsing it would take minutes.
    TooManyAttributes,
    /// `unclosed-element`: an element of an entry was left unclosed (`<textarea>`, `<style>`, …); it was closed where the next entry starts, so the next entry is read.
    UnclosedElement,
    /// `unreadable`: an archive file could not be read.
    Unreadable,
    /// `untitled`: an entry has no title; the message gives the title made for it.
    Untitled,
    /// `wayback-missing`: a Wayback Machine page saying it holds no capture of the address (not archived, excluded); not a post.
    WaybackMissing,
    /// `wayback-redirect`: a Wayback Machine capture that was a redirect ("Got an HTTP 302 response at crawl time"); not a post.
    WaybackRedirect,
    /// `wordpress-export`: an input file is already a WordPress export (WXR).
    WordpressExport,
    /// `xml-chars`: characters XML does not allow (control characters) were removed.
    XmlChars,
    /// `year-inferred`: a date without a year (`4月14日`); the year was taken from neighbouring entries.
    YearInferred,
}

impl WarningKind {
    /// Every kind, in the README's order.
    pub const ALL: &[WarningKind] = &[
        WarningKind::AlbumFeedMissing,
        WarningKind::AmbiguousMedia,
        WarningKind::CaptureStatus,
        WarningKind::CommentDate,
        WarningKind::ConversionFailed,
        WarningKind::CostlyAttributeValue,
        WarningKind::DateFromCrawl,
        WarningKind::DateFromFeed,
        WarningKind::DateOutOfRange,
        WarningKind::Dst,
        WarningKind::DuplicateTitleDate,
        WarningKind::Encoding,
        WarningKind::EntryNotFound,
        WarningKind::FeedItemSkipped,
        WarningKind::FeedOnlyEntry,
        WarningKind::LargeWxr,
        WarningKind::LostEmbed,
        WarningKind::LostImage,
        WarningKind::LostLinks,
        WarningKind::LostText,
        WarningKind::MediaUnreadable,
        WarningKind::MissingComments,
        WarningKind::NoDate,
        WarningKind::NotAnImage,
        WarningKind::OversizedPost,
        WarningKind::PrivateSpace,
        WarningKind::SkippedFile,
        WarningKind::TitleFromFeed,
        WarningKind::TooDeep,
        WarningKind::TooManyAttributes,
        WarningKind::UnclosedElement,
        WarningKind::Unreadable,
        WarningKind::Untitled,
        WarningKind::WaybackMissing,
        WarningKind::WaybackRedirect,
        WarningKind::WordpressExport,
        WarningKind::XmlChars,
        WarningKind::YearInferred,
    ];

    /// The code as written in `report.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::AmbiguousMedia => "ambiguous-media",
            WarningKind::CaptureStatus => "capture-status",
            WarningKind::CommentDate => "comment-date",
            WarningKind::ConversionFailed => "conversion-failed",
            WarningKind::CostlyAttributeValue => "costly-attribute-value",
            WarningKind::DateFromCrawl => "date-from-crawl",
            WarningKind::DateFromFeed => "date-from-feed",
            WarningKind::DateOutOfRange => "date-out-of-range",
            WarningKind::Dst => "dst",
            WarningKind::DuplicateTitleDate => "duplicate-title-date",
            WarningKind::Encoding => "encoding",
            WarningKind::EntryNotFound => "entry-not-found",
            WarningKind::AlbumFeedMissing => "album-feed-missing",
            WarningKind::FeedItemSkipped => "feed-item-skipped",
            WarningKind::FeedOnlyEntry => "feed-only-entry",
            WarningKind::LargeWxr => "large-wxr",
            WarningKind::LostEmbed => "lost-embed",
            WarningKind::LostImage => "lost-image",
            WarningKind::LostLinks => "lost-links",
            WarningKind::LostText => "lost-text",
            WarningKind::MediaUnreadable => "media-unreadable",
            WarningKind::MissingComments => "missing-comments",
            WarningKind::NoDate => "no-date",
            WarningKind::NotAnImage => "not-an-image",
            WarningKind::OversizedPost => "oversized-post",
            WarningKind::PrivateSpace => "private-space",
            WarningKind::SkippedFile => "skipped-file",
            WarningKind::TitleFromFeed => "title-from-feed",
            WarningKind::TooDeep => "too-deep",
            WarningKind::TooManyAttributes => "too-many-attributes",
            WarningKind::UnclosedElement => "unclosed-element",
            WarningKind::Unreadable => "unreadable",
            WarningKind::Untitled => "untitled",
            WarningKind::WaybackMissing => "wayback-missing",
            WarningKind::WaybackRedirect => "wayback-redirect",
            WarningKind::WordpressExport => "wordpress-export",
            WarningKind::XmlChars => "xml-chars",
            WarningKind::YearInferred => "year-inferred",
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a run has to say.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Program and version.
    pub tool: String,
    /// The input as given.
    pub input: String,
    /// Name of the WXR file written into the output folder.
    pub wxr_file: String,
    /// Space name the output is named after.
    pub space: String,
    /// Folder of this space's outputs inside the output folder, when the
    /// input held several spaces (empty, and not written, otherwise).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub dir: String,
    /// The space's host (`name.spaces.live.com`), when its pages show it.
    pub host: Option<String>,
    /// Owner ids (CIDs, as in `cns!OWNER!N`) of the space's entries.
    pub owners: Vec<String>,
    /// URL of the WordPress site the WXR was made for (`--site-url`).
    pub site_url: String,
    /// URL the media bundle is expected at during the import (`--media-url`).
    pub media_url: String,
    /// The files this space's part of the run wrote.
    pub outputs: Outputs,
    /// Time zone the dates were read in, and why.
    pub timezone: ZoneChoice,
    /// Code page of zip entry names without the UTF-8 flag (zip inputs).
    pub zip_names: Option<String>,
    /// How the numbers add up.
    pub counts: Counts,
    /// What the pages showed and where each thing went (see
    /// `report::account`).
    pub accounting: crate::report::account::Books,
    /// One line per post: the manifest to check an import against.
    pub posts: Log<PostLine>,
    /// Media bundle: one line per file.
    pub media: Vec<MediaLine>,
    /// Images referenced by posts but not found in the archive.
    pub missing_media: Log<MissingMedia>,
    /// HTML pages that held no Spaces entry (site chrome, other sites).
    pub ignored_pages: Log<IgnoredPage>,
    /// What sanitizing removed or changed, per post and per comment.
    pub changes: Log<Change>,
    /// Problems that did not stop the run.
    pub warnings: Warnings,
}

/// The files a space's part of a run wrote, relative to the output folder.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Outputs {
    /// The WXR file; with `--max-wxr-size`, its first part.
    pub wxr: String,
    /// With `--max-wxr-size`: every part, in the order to import them
    /// (absent when the run wrote one WXR file).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub wxr_parts: Vec<String>,
    /// This report.
    pub report: String,
    /// The media bundle folder (its files are listed under `media`).
    pub media_dir: String,
    /// Files in the media bundle.
    pub media_files: usize,
    /// The manifest of everything the run wrote (for `--force`).
    pub manifest: String,
}

/// Totals.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Files in the archive.
    pub files: usize,
    /// Files that held at least one entry.
    pub pages_with_entries: usize,
    /// Posts written.
    pub posts: usize,
    /// Comments written.
    pub comments: usize,
    /// Comments the pages declare but the archive does not hold (their
    /// pages were not saved, or script loaded them); one `missing-comments`
    /// warning per post names them.
    pub missing_comments: usize,
    /// Distinct categories.
    pub categories: usize,
    /// Attachment items (= files in the media bundle).
    pub attachments: usize,
    /// Bytes in the media bundle.
    pub media_bytes: u64,
    /// Warnings.
    pub warnings: usize,
}

/// One converted post.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PostLine {
    /// `wp:post_id`.
    pub wp_id: u64,
    /// Spaces id.
    pub spaces_id: String,
    /// Title as written.
    pub title: String,
    /// Local date.
    pub date: String,
    /// Category name.
    pub category: Option<String>,
    /// Comments written.
    pub comments: usize,
    /// Where it came from.
    pub source: String,
}

/// One bundled media file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MediaLine {
    /// Path under `media/`.
    pub path: String,
    /// Attachment id.
    pub wp_id: u64,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// Archive files that held these bytes.
    pub sources: Vec<String>,
}

/// An image a post shows that the archive does not hold.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MissingMedia {
    /// Spaces id of the post.
    pub post: String,
    /// The reference as written.
    pub url: String,
    /// The image's original absolute address, when the reference gives it
    /// (a relative one is read against the page's address in a mirror or
    /// web archive).
    pub original: Option<String>,
    /// The Internet Archive's copy of `original`, for a downloader.
    pub wayback: Option<String>,
}

/// The addresses to download for the missing images of a report
/// (`report.json`, or an output folder holding it or one folder per
/// blog): Wayback addresses, or the original ones with `original`; each
/// once, in report order.
pub fn missing_addresses(path: &std::path::Path, original: bool) -> crate::Result<Vec<String>> {
    let mut reports = Vec::new();
    if path.is_dir() {
        let one = path.join("report.json");
        if one.is_file() {
            reports.push(one);
        } else {
            let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir(path)
                .map_err(|e| crate::Error::read(path, e))?
                .filter_map(|e| Some(e.ok()?.path().join("report.json")))
                .filter(|p| p.is_file())
                .collect();
            dirs.sort();
            reports.extend(dirs);
        }
        if reports.is_empty() {
            let e = std::io::Error::new(std::io::ErrorKind::NotFound, "no report.json in it");
            return Err(crate::Error::read(path, e));
        }
    } else {
        reports.push(path.to_path_buf());
    }
    let key = if original { "original" } else { "wayback" };
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for p in reports {
        let text = std::fs::read(&p).map_err(|e| crate::Error::read(&p, e))?;
        let json: serde_json::Value = serde_json::from_slice(&text).map_err(|e| {
            crate::Error::read(&p, std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        })?;
        let list = json.get("missing_media").and_then(|m| m.as_array());
        for m in list.into_iter().flatten() {
            if let Some(u) = m.get(key).and_then(|u| u.as_str()) {
                if seen.insert(u.to_string()) {
                    out.push(u.to_string());
                }
            }
        }
    }
    Ok(out)
}

/// A page that was read but held nothing to convert.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct IgnoredPage {
    /// Archive path.
    pub file: String,
    /// Why nothing was taken from it.
    pub reason: String,
}

/// What sanitizing changed in one post or comment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Change {
    /// Spaces id of the post.
    pub post: String,
    /// Comment number within the post (1-based), or none for the body.
    pub comment: Option<usize>,
    /// What was removed or converted, with counts.
    pub removed: std::collections::BTreeMap<String, u32>,
}

/// A problem that did not stop the run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Warning {
    /// Archive file concerned (empty when archive-wide).
    pub file: String,
    /// Spaces id of the entry concerned.
    pub entry: Option<String>,
    /// What it is about.
    pub kind: WarningKind,
    /// What happened and what was done about it.
    pub message: String,
}

impl Warning {
    /// A warning about one entry.
    pub fn entry(
        file: &str,
        entry: impl ToString,
        kind: WarningKind,
        message: impl Into<String>,
    ) -> Self {
        Warning {
            file: file.into(),
            entry: Some(entry.to_string()),
            kind,
            message: message.into(),
        }
    }

    /// A warning about one file.
    pub fn file(file: &str, kind: WarningKind, message: impl Into<String>) -> Self {
        Warning {
            file: file.into(),
            entry: None,
            kind,
            message: message.into(),
        }
    }
}

/// The warnings of a run, kept on disk in order, with a count per kind.
#[derive(Debug, Default)]
pub struct Warnings {
    log: Log<Warning>,
    /// Warnings the disk refused (kept in memory rather than lost).
    unstored: Vec<Warning>,
    kinds: BTreeMap<WarningKind, usize>,
}

impl Warnings {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one warning.
    pub fn push(&mut self, w: Warning) {
        *self.kinds.entry(w.kind).or_default() += 1;
        if self.unstored.is_empty() && self.log.push(&w).is_ok() {
            return;
        }
        self.unstored.push(w);
    }

    /// Number of warnings.
    pub fn len(&self) -> usize {
        self.log.len() + self.unstored.len()
    }

    /// Are there none?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many warnings of `kind` there are.
    pub fn count(&self, kind: WarningKind) -> usize {
        self.kinds.get(&kind).copied().unwrap_or(0)
    }

    /// How many warnings of each kind there are, by kind.
    pub fn by_kind(&self) -> &BTreeMap<WarningKind, usize> {
        &self.kinds
    }

    /// The warnings in the order they were raised.
    pub fn iter(&self) -> impl Iterator<Item = std::io::Result<Warning>> + '_ {
        self.log.iter().chain(self.unstored.iter().cloned().map(Ok))
    }
}

impl Extend<Warning> for Warnings {
    fn extend<I: IntoIterator<Item = Warning>>(&mut self, iter: I) {
        for w in iter {
            self.push(w);
        }
    }
}

impl Serialize for Warnings {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq};
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for w in self.iter() {
            seq.serialize_element(&w.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// What a whole run did: one report per space, and (with several spaces)
/// what concerns the input as a whole. Written as `summary.json` when the
/// input held several spaces.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Program and version.
    pub tool: String,
    /// The input as given (the first, in a run with several).
    pub input: String,
    /// Every input, in the order given, in a run with several (else not
    /// written).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
    /// URL of the WordPress site the WXR files were made for.
    pub site_url: String,
    /// URL the media bundles are expected at during the import.
    pub media_url: String,
    /// This file, inside the output folder.
    pub summary_file: String,
    /// With `--shard`: which shard, and the blogs left to other shards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardLine>,
    /// One line per space converted, in output order (the inputs' order,
    /// then each input's order), never in the order they finished.
    pub spaces: Vec<SpaceLine>,
    /// Blogs, and inputs, that could not be converted (not written when
    /// none failed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<Failed>,
    /// HTML pages that held no Spaces entry.
    pub ignored_pages: Log<IgnoredPage>,
    /// Problems of the input as a whole (files skipped or unreadable).
    pub warnings: Warnings,
    /// The reports themselves (each written as its space's `report.json`).
    #[serde(skip)]
    pub reports: Vec<Report>,
}

/// A blog, or a whole input, that could not be converted.
#[derive(Debug, Clone, Serialize)]
pub struct Failed {
    /// The input it came from.
    pub input: String,
    /// The blog's name, or `None` when the input itself could not be read.
    pub space: Option<String>,
    /// The error, one line naming the path and the reason.
    pub error: String,
}

/// `--shard K/N` in `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ShardLine {
    /// `K/N`.
    pub shard: String,
    /// How a blog's shard is chosen.
    pub hash: String,
    /// The blogs of the inputs that belong to other shards.
    pub skipped: Vec<Skipped>,
}

/// A blog left to another shard.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// Its name (the one its shard's run gives it).
    pub space: String,
    /// The identity hashed.
    pub identity: String,
    /// Its shard, 1 to N.
    pub shard: u32,
    /// The input it is in.
    pub input: String,
}

/// One space of a run, for `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct SpaceLine {
    /// Space name.
    pub space: String,
    /// The input it came from, in a run with several inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Its host, when known.
    pub host: Option<String>,
    /// Its owner ids.
    pub owners: Vec<String>,
    /// Its folder inside the output folder.
    pub dir: String,
    /// Its WXR file, inside `dir`.
    pub wxr_file: String,
    /// The files it wrote.
    pub outputs: Outputs,
    /// The time zone its dates were read in, and why.
    pub timezone: ZoneChoice,
    /// Its totals.
    pub counts: Counts,
    /// Its accounting.
    pub accounting: crate::report::account::Books,
}

impl Summary {
    /// One line per blog converted: its counts and its folder.
    fn write_table(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  {:<28} {:>6} {:>9} {:>6} {:>9}  folder",
            "space", "posts", "comments", "media", "warnings"
        )?;
        for s in &self.spaces {
            writeln!(
                f,
                "  {:<28} {:>6} {:>9} {:>6} {:>9}  {}/",
                s.space,
                s.counts.posts,
                s.counts.comments,
                s.counts.attachments,
                s.counts.warnings,
                s.dir
            )?;
        }
        Ok(())
    }

    /// A run with one space: its report says everything.
    pub fn one(report: Report) -> Self {
        Summary {
            tool: report.tool.clone(),
            input: report.input.clone(),
            site_url: report.site_url.clone(),
            media_url: report.media_url.clone(),
            inputs: Vec::new(),
            summary_file: String::new(),
            shard: None,
            spaces: vec![SpaceLine::of(&report)],
            failed: Vec::new(),
            ignored_pages: Log::new(),
            warnings: Warnings::new(),
            reports: vec![report],
        }
    }

    /// A run with several spaces.
    pub fn several(
        input: &str,
        reports: Vec<Report>,
        ignored_pages: Log<IgnoredPage>,
        warnings: Warnings,
    ) -> Self {
        let first = reports.first();
        Summary {
            tool: concat!("spaces2wxr ", env!("CARGO_PKG_VERSION")).to_string(),
            input: input.to_string(),
            inputs: Vec::new(),
            site_url: first.map(|r| r.site_url.clone()).unwrap_or_default(),
            media_url: first.map(|r| r.media_url.clone()).unwrap_or_default(),
            summary_file: crate::output::manifest::SUMMARY_FILE.to_string(),
            shard: None,
            spaces: reports.iter().map(SpaceLine::of).collect(),
            failed: Vec::new(),
            ignored_pages,
            warnings,
            reports,
        }
    }

    /// Did any space, or the input as a whole, raise a warning (a blog
    /// that failed is one)?
    pub fn has_warnings(&self) -> bool {
        !self.failed.is_empty()
            || !self.warnings.is_empty()
            || self.reports.iter().any(|r| !r.warnings.is_empty())
    }

    /// Did every blog (and input) the run tried fail, at least one? The
    /// command line exits 1 then.
    pub fn all_failed(&self) -> bool {
        !self.failed.is_empty() && self.reports.is_empty()
    }

    /// Is this a run over several inputs, or a shard?
    fn is_batch(&self) -> bool {
        !self.inputs.is_empty() || self.shard.is_some()
    }
}

impl SpaceLine {
    fn of(r: &Report) -> Self {
        SpaceLine {
            space: r.space.clone(),
            input: None,
            host: r.host.clone(),
            owners: r.owners.clone(),
            dir: r.dir.clone(),
            wxr_file: r.wxr_file.clone(),
            outputs: r.outputs.clone(),
            timezone: r.timezone.clone(),
            counts: r.counts.clone(),
            accounting: r.accounting.clone(),
        }
    }
}

/// The summary with every warning (see [`Summary::with_all_warnings`]).
pub struct AllWarnings<'a>(&'a Summary);

impl fmt::Display for AllWarnings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f, usize::MAX)
    }
}

impl Summary {
    /// The summary as text with every warning, not only the first
    /// `WARNINGS_SHOWN` of each list (for `--verbose`).
    pub fn with_all_warnings(&self) -> AllWarnings<'_> {
        AllWarnings(self)
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, shown: usize) -> fmt::Result {
        if self.is_batch() {
            return self.write_batch(f, shown);
        }
        if let [one] = self.reports.as_slice() {
            return one.write(f, shown);
        }
        writeln!(
            f,
            "spaces2wxr: '{}' holds {} blogs; each has its own folder, WXR, media and report (summary.json lists them)",
            printable(&self.input),
            self.reports.len()
        )?;
        self.write_table(f)?;
        if !self.ignored_pages.is_empty() {
            writeln!(
                f,
                "  {} HTML pages without Spaces entries were ignored (listed in summary.json)",
                self.ignored_pages.len()
            )?;
        }
        for w in self.warnings.iter().take(shown).filter_map(Result::ok) {
            writeln!(
                f,
                "  warning: {}: {} ({})",
                printable(&w.file),
                printable(&w.message),
                w.kind
            )?;
        }
        for r in &self.reports {
            writeln!(f)?;
            r.write(f, shown)?;
        }
        Ok(())
    }
}

impl Summary {
    /// A batch (several inputs, or a shard): a table, the failures and the
    /// run's warnings; each blog's details are in its `report.json`.
    fn write_batch(&self, f: &mut fmt::Formatter<'_>, shown: usize) -> fmt::Result {
        let inputs = self.inputs.len().max(1);
        let shard = match &self.shard {
            Some(s) => format!(
                " (shard {}; {} blogs left to other shards)",
                s.shard,
                s.skipped.len()
            ),
            None => String::new(),
        };
        writeln!(
            f,
            "spaces2wxr: {inputs} inputs: {} blogs converted, {} failed{shard}; each has its own folder, WXR, media and report (summary.json lists them)",
            self.reports.len(),
            self.failed.len(),
        )?;
        self.write_table(f)?;
        for x in &self.failed {
            writeln!(
                f,
                "  {:<28} FAILED: {}",
                x.space.as_deref().unwrap_or("(input)"),
                printable(&x.error)
            )?;
        }
        if !self.ignored_pages.is_empty() {
            writeln!(
                f,
                "  {} HTML pages without Spaces entries were ignored (listed in summary.json)",
                self.ignored_pages.len()
            )?;
        }
        let mut left = self.warnings.len();
        for w in self.warnings.iter().take(shown).filter_map(Result::ok) {
            left -= 1;
            writeln!(
                f,
                "  warning: {}: {} ({})",
                printable(&w.file),
                printable(&w.message),
                w.kind
            )?;
        }
        if left > 0 {
            writeln!(f, "  … and {left} more warnings (summary.json)")?;
        }
        Ok(())
    }
}

/// Warnings the summary shows of each list; `report.json` holds them all.
pub const WARNINGS_SHOWN: usize = 20;

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, WARNINGS_SHOWN)
    }
}

/// Warning kinds that mean a file's content was not read at all.
const UNREAD_KINDS: [WarningKind; 5] = [
    WarningKind::Unreadable,
    WarningKind::SkippedFile,
    WarningKind::TooDeep,
    WarningKind::TooManyAttributes,
    WarningKind::CostlyAttributeValue,
];

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, WARNINGS_SHOWN)
    }
}

impl Report {
    fn write(&self, f: &mut fmt::Formatter<'_>, shown: usize) -> fmt::Result {
        let c = &self.counts;
        let dir = if self.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", self.dir)
        };
        writeln!(
            f,
            "spaces2wxr: converted '{}' -> {}{}",
            printable(&self.input),
            printable(&dir),
            printable(&self.wxr_file)
        )?;
        writeln!(
            f,
            "  {} posts, {} comments, {} categories, {} media files ({} bytes) from {} files",
            c.posts, c.comments, c.categories, c.attachments, c.media_bytes, c.files
        )?;
        writeln!(f, "  {}", self.timezone.note)?;
        writeln!(
            f,
            "  site URL {}, media URL {}",
            printable(&self.site_url),
            printable(&self.media_url)
        )?;
        let o = &self.outputs;
        let wxr = match o.wxr_parts.as_slice() {
            [first, .., last] => format!(
                "{} parts {} … {} (import them in this order)",
                o.wxr_parts.len(),
                printable(first),
                printable(last)
            ),
            _ => printable(&o.wxr).into_owned(),
        };
        writeln!(
            f,
            "  wrote {}, {}, {}/ ({} files) and {}",
            wxr,
            printable(&o.report),
            printable(&o.media_dir),
            o.media_files,
            o.manifest
        )?;
        let a = &self.accounting;
        writeln!(
            f,
            "  accounting: {} photos shown: {} bundled, {} not in the archive (listed), {} dropped, {} removed by the sanitizer",
            a.photos_shown, a.photos_bundled, a.photos_missing, a.photos_dropped, a.photos_removed
        )?;
        if a.unexplained > 0 {
            writeln!(
                f,
                "  accounting: {} losses nothing explains (lost-* warnings in report.json)",
                a.unexplained
            )?;
        } else {
            writeln!(
                f,
                "  accounting: everything the pages read show is in the posts or in the report"
            )?;
        }
        let unread: usize = UNREAD_KINDS.iter().map(|k| self.warnings.count(*k)).sum();
        if unread > 0 {
            writeln!(
                f,
                "  accounting: {unread} files were left out or could not be read; what they hold is not counted (see the warnings)"
            )?;
        }
        if let Some(names) = &self.zip_names {
            writeln!(
                f,
                "  zip entry names read as {names} (--zip-encoding to change)"
            )?;
        }
        if !self.ignored_pages.is_empty() {
            writeln!(
                f,
                "  {} HTML pages without Spaces entries were ignored (listed in report.json)",
                self.ignored_pages.len()
            )?;
        }
        if c.missing_comments > 0 {
            writeln!(
                f,
                "  {} comments the pages declare are not in the archive (see the {} missing-comments warnings)",
                c.missing_comments,
                self.warnings.count(WarningKind::MissingComments)
            )?;
        }
        let crawl_dated = self.warnings.count(WarningKind::DateFromCrawl);
        if crawl_dated > 0 {
            writeln!(
                f,
                "  {crawl_dated} posts print no date and none was found elsewhere; they carry the crawl date (date-from-crawl warnings)",
            )?;
        }
        if !self.missing_media.is_empty() {
            writeln!(
                f,
                "  {} images not in the archive (kept as links)",
                self.missing_media.len()
            )?;
        }
        for w in self.warnings.iter().take(shown).filter_map(Result::ok) {
            let entry = w
                .entry
                .as_deref()
                .map(|e| format!(" [{}]", printable(e)))
                .unwrap_or_default();
            // Warnings about the archive as a whole name no file.
            let place = match (w.file.is_empty(), entry.is_empty()) {
                (true, true) => String::new(),
                _ => format!("{}{}: ", printable(&w.file), entry),
            };
            writeln!(
                f,
                "  warning: {place}{} ({})",
                printable(&w.message),
                w.kind
            )?;
        }
        if self.warnings.len() > shown {
            writeln!(
                f,
                "  … and {} more warnings in report.json",
                self.warnings.len() - shown
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_keep_order_and_count_kinds() {
        let mut w = Warnings::new();
        assert!(w.is_empty());
        for i in 0..30_u32 {
            let kind = if i.is_multiple_of(3) {
                WarningKind::NoDate
            } else {
                WarningKind::Untitled
            };
            w.push(Warning::entry(
                "blog/a.html",
                i,
                kind,
                format!("message {i}"),
            ));
        }
        assert_eq!(w.len(), 30);
        assert_eq!(w.count(WarningKind::NoDate), 10);
        assert_eq!(w.count(WarningKind::Untitled), 20);
        assert_eq!(w.count(WarningKind::Dst), 0);
        let back: Vec<Warning> = w.iter().collect::<std::io::Result<_>>().expect("read");
        assert_eq!(back[7].message, "message 7");
        let json = serde_json::to_value(&w).expect("json");
        assert_eq!(json[29]["entry"], "29");
    }
}
