//! Parse stage: one archive file in, the blog entries it holds out.
//!
//! A file is decoded ([`encoding`]), parsed with html5ever (through
//! scraper), and searched for entry markers ([`entry`], [`comments`]). Files
//! are recognised by what they contain, never by their names. Pages that are
//! Spaces chrome but hold no entry (a private space's "Space Not Available"
//! page) and inputs that are already WordPress exports are told apart so the
//! report can say what they were.

pub mod albums;
pub mod captures;
pub mod comments;
pub mod dates;
pub mod depth;
pub mod dom;
pub mod encoding;
pub mod entry;
pub mod feed;
pub mod ids;
mod images;
pub mod market;
pub mod pages;
pub mod split;
pub mod stream;
pub mod wayback;

use scraper::Html;

use crate::model::RawEntry;
use crate::report::WarningKind;

/// What one file turned out to be.
#[derive(Debug)]
pub enum PageKind {
    /// A page with at least one entry.
    Entries(Vec<RawEntry>),
    /// A private space's placeholder page.
    PrivateSpace,
    /// A WordPress export (WXR) given as input.
    WordPressExport,
    /// A Spaces RSS feed.
    Feed(Vec<feed::FeedItem>),
    /// Not a Spaces page.
    Other,
    /// A Wayback Machine capture that is not content: a redirect, or the
    /// archive's page for an address it does not hold.
    NotCaptured(wayback::NotContent),
    /// An element with so many attributes that parsing the page would take
    /// minutes (the most attributes on one element); left out.
    TooManyAttributes(usize),
}

/// The parse of one file, with notes for the report.
#[derive(Debug)]
pub struct ParsedFile {
    /// What was found.
    pub kind: PageKind,
    /// Encoding notes and other remarks.
    pub notes: Vec<String>,
    /// The character set the page was read in (`UTF-8`, `GBK`, …), when
    /// it was decoded.
    pub encoding: Option<&'static str>,
    /// The market and language the page names.
    pub locale: market::PageLocale,
    /// Entries or parts of the page that could not be read, and why.
    pub issues: Vec<Issue>,
}

/// Something about one part of a page the report should say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The entry concerned, when known.
    pub entry: Option<String>,
    /// Short stable code (kebab-case).
    pub kind: WarningKind,
    /// What happened and what was done about it.
    pub message: String,
}

/// Cheap check on raw bytes: could this file hold entries?
pub fn may_hold_entries(bytes: &[u8]) -> bool {
    const NEEDLES: [&[u8]; 8] = [
        b"msgcns",
        b"bvmsg",
        b"subjcns",
        b"space not available",
        b"wordpress.org/export/",
        b"<rss",
        b"response at crawl time",
        b"wayback machine",
    ];
    NEEDLES.iter().any(|n| contains_ignore_case(bytes, n))
}

/// Does `hay` contain the lower-case ASCII `needle`, in any case? Linear in
/// `hay` for a short needle, and nothing is copied.
pub fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, tail)) = needle.split_first() else {
        return true;
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), hay).any(|at| {
        hay.get(at + 1..at + 1 + tail.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(tail))
    })
}

/// Parse one file of the archive held in memory.
pub fn parse_file(path: &str, bytes: &[u8]) -> ParsedFile {
    let decoded = encoding::decode_page(bytes);
    let notes: Vec<String> = decoded.note.into_iter().collect();
    let encoding = Some(decoded.encoding.name());
    if is_wordpress_export(&decoded.text) {
        return ParsedFile::of(PageKind::WordPressExport, notes, encoding);
    }
    if feed::is_feed(&decoded.text) {
        let items = feed::read_feed(&decoded.text);
        return ParsedFile::of(PageKind::Feed(items), notes, encoding);
    }
    let mut entries = Vec::new();
    let mut issues = Vec::new();
    let summary = {
        let mut on_cut = |cut: split::Cut| {
            read_cut(&cut, path, &mut |e| entries.push(e), &mut issues);
        };
        let mut splitter = split::Splitter::new();
        splitter
            .push(&decoded.text, &mut on_cut)
            .and_then(|()| splitter.finish(&mut on_cut))
    };
    let summary = match summary {
        Ok(s) => s,
        Err(split::SplitError::TooManyAttributes(n)) => {
            return ParsedFile::of(PageKind::TooManyAttributes(n), Vec::new(), encoding)
        }
    };
    issues.extend(summary.notes.iter().map(note_issue));
    let captured = summary.capture.as_ref().and_then(|c| c.time);
    let crawled = captured.or_else(|| httrack_stamp(&decoded.text));
    for e in &mut entries {
        e.hosts.clone_from(&summary.hosts);
        e.crawled_utc = crawled;
        e.capture_utc = captured;
        if e.permalink.is_none() {
            e.permalink = summary
                .capture
                .as_ref()
                .and_then(|c| own_permalink(c, &e.id));
        }
    }
    if !entries.is_empty() {
        return ParsedFile {
            kind: PageKind::Entries(entries),
            notes,
            encoding,
            issues,
            locale: summary.locale.clone(),
        };
    }
    if let Some(not) = wayback::not_content(&decoded.text) {
        return ParsedFile {
            kind: PageKind::NotCaptured(not),
            notes,
            encoding: None,
            issues,
            locale: market::PageLocale::default(),
        };
    }
    let text = decoded.text.as_bytes();
    if contains_ignore_case(text, b"space not available")
        || contains_ignore_case(text, b"this space is private")
    {
        return ParsedFile {
            kind: PageKind::PrivateSpace,
            notes,
            encoding,
            issues,
            locale: market::PageLocale::default(),
        };
    }
    ParsedFile {
        kind: PageKind::Other,
        notes: Vec::new(),
        encoding,
        issues,
        locale: market::PageLocale::default(),
    }
}

impl ParsedFile {
    fn of(kind: PageKind, notes: Vec<String>, encoding: Option<&'static str>) -> Self {
        ParsedFile {
            kind,
            notes,
            encoding,
            issues: Vec::new(),
            locale: market::PageLocale::default(),
        }
    }
}

/// Read the entry of one cut, parsing it alone. An entry whose markup would
/// take the parser minutes, or whose message block the parser does not
/// find, is reported instead.
pub fn read_cut(
    cut: &split::Cut,
    path: &str,
    out: &mut dyn FnMut(crate::model::RawEntry),
    issues: &mut Vec<Issue>,
) {
    let entry = Some(cut.id.to_string());
    let costs = depth::measure(cut.html.as_bytes());
    let refused = if costs.depth > depth::MAX_DEPTH {
        Some((
            WarningKind::TooDeep,
            format!(
                "the entry at byte {} nests about {} levels deep (limit {}); it was left out, as parsing it would take minutes",
                cut.at,
                costs.depth,
                depth::MAX_DEPTH
            ),
        ))
    } else if costs.too_many_attributes(cut.html.len()) {
        Some((
            WarningKind::TooManyAttributes,
            format!(
                "an element of the entry at byte {} holds {} attributes; the entry was left out, as parsing it would take minutes",
                cut.at, costs.max_attributes
            ),
        ))
    } else if costs.costly_attribute_values(cut.html.len()) {
        let (bytes, escapes) = costs.worst_value;
        Some((
            WarningKind::CostlyAttributeValue,
            format!(
                "an attribute value of {bytes} bytes in the entry at byte {} holds {escapes} '&' or non-breaking spaces; the entry was left out, as converting it would take minutes",
                cut.at
            ),
        ))
    } else {
        None
    };
    if let Some((kind, message)) = refused {
        issues.push(Issue {
            entry,
            kind,
            message,
        });
        return;
    }
    let mut html = Html::parse_document(&cut.html);
    dom::split_costly_texts(&mut html);
    dom::unwrap_wayback_urls(&mut html);
    let page = entry::Page::new(&html);
    let mut found = false;
    for e in entry::read_entries(&page, path) {
        found |= e.id == cut.id;
        out(e);
    }
    if !found {
        issues.push(Issue {
            entry,
            kind: WarningKind::EntryNotFound,
            message: format!(
                "the markers of an entry start at byte {}, but its message block could not be read (broken markup around it); the entry was left out",
                cut.at
            ),
        });
    }
}

/// The capture's own address, when it is the entry's permalink
/// (`…/blog/cns!X!N.entry`).
fn own_permalink(capture: &wayback::Capture, id: &ids::SpacesId) -> Option<String> {
    let url = capture.url.as_deref()?;
    (ids::entry_link_target(url).as_ref() == Some(id))
        .then(|| ids::unescape_bang(url.split(['?', '#']).next().unwrap_or(url)).into_owned())
}

/// A splitter's remark as a report line.
pub fn note_issue(note: &split::Note) -> Issue {
    match note {
        split::Note::Unclosed {
            element,
            opened,
            closed,
        } => Issue {
            entry: None,
            kind: WarningKind::UnclosedElement,
            message: if element == "!--" {
                format!(
                    "an HTML comment opened at byte {opened} (<!--) is not closed before the next entry (byte {closed}); it was ended there so that the next entries are read"
                )
            } else {
                format!(
                    "a <{element}> opened at byte {opened} is not closed before the next entry (byte {closed}); it was closed there so that the next entries are read"
                )
            },
        },
        split::Note::NoBody { id, at } => Issue {
            entry: Some(id.to_string()),
            kind: WarningKind::EntryNotFound,
            message: format!(
                "the markers of an entry start at byte {at}, but no message block of it was found; the entry was left out"
            ),
        },
    }
}

/// The time in HTTrack's stamp on a saved page:
/// `<!-- Mirrored from host/path by HTTrack Website Copier/3.x [XR&CO'2008], Sun, 06 Mar 2011 14:22:05 GMT -->`.
pub fn httrack_stamp(text: &str) -> Option<chrono::NaiveDateTime> {
    // HTTrack writes the stamp at the top of the page.
    let at = text.find("Mirrored from ").filter(|&at| at < 8192)?;
    let rest = &text[at..];
    let rest = &rest[rest.find("by HTTrack")?..];
    let end = rest.find("-->")?;
    let date = rest[..end].rsplit_once("], ")?.1.trim();
    chrono::DateTime::parse_from_rfc2822(date)
        .ok()
        .map(|d| d.naive_utc())
}

fn is_wordpress_export(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.contains("<rss") && head.contains("wordpress.org/export/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_are_found_in_any_case() {
        assert!(contains_ignore_case(
            b"x Space Not AVAILABLE y",
            b"space not available"
        ));
        assert!(!contains_ignore_case(
            b"space not availabl",
            b"space not available"
        ));
        assert!(may_hold_entries(b"<div id=\"MSGCNS!X!1\">"));
        assert!(!may_hold_entries(b"<p>nothing</p>"));
    }

    #[test]
    fn httrack_stamps() {
        let page = "<html>\n<!-- Mirrored from demo-space.spaces.live.com/blog/ by HTTrack Website Copier/3.x [XR&CO'2008], Sun, 06 Mar 2011 14:22:05 GMT -->\n<head>";
        assert_eq!(
            httrack_stamp(page).map(|t| t.to_string()).as_deref(),
            Some("2011-03-06 14:22:05")
        );
        assert_eq!(
            httrack_stamp("<!-- saved from url=(0047)http://x/ -->"),
            None
        );
        assert_eq!(
            httrack_stamp("Mirrored from x by HTTrack [y], not a date -->"),
            None
        );
    }
}
