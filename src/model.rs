//! The data that flows between stages: what a page said ([`RawEntry`]),
//! and the finished [`Post`] the writers consume. No IO, no HTML policy.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::parse::ids::SpacesId;
use crate::store::text::Text;

/// One blog entry as found in one file, before dates and links are resolved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawEntry {
    /// The Spaces id, normalised.
    pub id: SpacesId,
    /// Path of the file inside the archive.
    pub source: String,
    /// Title text with character references decoded; `None` or empty when the
    /// page had none.
    pub title: Option<String>,
    /// Date text as printed (may also contain the time).
    pub date_text: Option<String>,
    /// Time text when printed apart from the date.
    pub time_text: Option<String>,
    /// Full category name.
    pub category: Option<String>,
    /// Body HTML exactly as found (unsanitized), possibly spooled.
    pub body: Text,
    /// The URLs the body references, in document order (read with it).
    pub refs: Vec<UrlRef>,
    /// The start of the body's text, for a fallback title (read with it).
    pub lead: String,
    /// Comments in page order.
    pub comments: Vec<RawComment>,
    /// Permalink of the entry on Spaces, when a link to it was seen.
    pub permalink: Option<String>,
    /// Comment count the page claims, when it says one.
    pub declared_comments: Option<u32>,
    /// The page links to a further page of comments it does not hold.
    pub more_comments_link: bool,
    /// Space host names seen in links of this entry (`name.spaces.live.com`).
    pub hosts: Vec<String>,
    /// Rank of the markup this entry came from; a single-entry page outranks
    /// a list page when the same entry is found twice.
    pub rank: u8,
    /// Moment the file was saved, for relative dates.
    pub saved_at: Option<NaiveDateTime>,
    /// Moment a crawler says it saved the page (UTC), e.g. HTTrack's
    /// "Mirrored from … by HTTrack" stamp; preferred to `saved_at`.
    pub crawled_utc: Option<NaiveDateTime>,
    /// Moment the Wayback Machine captured the page (UTC), when the page
    /// was recorded through it: it anchors the page's relative comment
    /// dates (even over `--crawl-date`), and among captures of one entry
    /// the newest taken before Spaces closed gives the post's body.
    pub capture_utc: Option<NaiveDateTime>,
    /// Exact publication time (UTC) given by a feed rather than a page:
    /// the `pubDate` of a photo album. The planner converts it into the
    /// space's time zone when no date text says otherwise.
    #[serde(default)]
    pub published_utc: Option<NaiveDateTime>,
    /// What the entry's container shows on the page, for the accounting.
    pub shown: crate::report::account::Shown,
}

/// How a body references a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum RefKind {
    /// `<img src>`: the post shows it.
    #[default]
    Img,
    /// `<a href>` (to an image when it is a Live Writer full-size link or a
    /// photo table's link).
    Link,
}

/// One URL a body references.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlRef {
    /// The attribute value, trimmed.
    pub url: String,
    /// Where it appears.
    pub kind: RefKind,
    /// `alt` text of an `<img>`.
    pub alt: String,
}

/// One comment as found on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawComment {
    /// Display name; empty for an anonymous comment.
    pub author: String,
    /// Author's web address.
    pub author_url: Option<String>,
    /// Author's e-mail (only 2007-era pages exposed it).
    pub author_email: Option<String>,
    /// Comment HTML, unsanitized, possibly spooled.
    pub html: Text,
    /// Date text as printed.
    pub date_text: Option<String>,
    /// Moment the page this comment was read from was captured (UTC), when
    /// it differs from its entry's: a comment merged in from another
    /// capture keeps the anchor of its own page's relative dates.
    pub anchor_utc: Option<NaiveDateTime>,
}

/// A finished post, ready for the writers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// The Spaces id.
    pub spaces_id: SpacesId,
    /// WordPress post id (`wp:post_id`), stable and unique in the file.
    pub wp_id: u64,
    /// Title, never empty.
    pub title: String,
    /// `wp:post_name`.
    pub slug: String,
    /// Local wall-clock publication time.
    pub date: NaiveDateTime,
    /// The same instant in UTC.
    pub date_gmt: NaiveDateTime,
    /// The one category, if any.
    pub category: Option<Category>,
    /// Body HTML, sanitized and with links rewritten.
    pub html: String,
    /// Unsanitized body, kept only with `--keep-original`.
    pub original_html: Option<String>,
    /// Comments, chronological.
    pub comments: Vec<Comment>,
    /// Original Spaces URL of the entry.
    pub permalink: String,
    /// File the entry came from.
    pub source: String,
}

/// A category with its WordPress slug.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Category {
    /// Name as shown.
    pub name: String,
    /// `sanitize_title`-compatible slug (`nicename`).
    pub slug: String,
}

/// A finished comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// `wp:comment_id`, unique in the file and chronological.
    pub wp_id: u64,
    /// Display name (never empty: anonymous comments get a placeholder).
    pub author: String,
    /// Author URL, or empty.
    pub author_url: String,
    /// Author e-mail, or empty.
    pub author_email: String,
    /// Sanitized comment HTML.
    pub html: String,
    /// Local wall-clock time.
    pub date: NaiveDateTime,
    /// The same instant in UTC.
    pub date_gmt: NaiveDateTime,
    /// The date was derived from a relative or year-less text, or guessed.
    pub approximate: bool,
}

/// A file of the media bundle and the attachment item that imports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// `wp:post_id` of the attachment item.
    pub wp_id: u64,
    /// `wp:post_id` of the first post that shows it.
    pub parent: u64,
    /// Title (file name without extension).
    pub title: String,
    /// Path under the bundle folder: `YYYY/MM/name.ext`.
    pub rel_path: String,
    /// Full URL the importer downloads it from.
    pub url: String,
    /// Local date of the parent post.
    pub date: NaiveDateTime,
    /// UTC date of the parent post.
    pub date_gmt: NaiveDateTime,
    /// Alt text of the first `<img>` that shows it.
    pub alt: String,
    /// MIME type sniffed from the bytes.
    pub mime: String,
}
