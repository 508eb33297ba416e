//! `feed.rss` files saved beside a mirror.
//!
//! A Spaces feed (RSS 2.0 with the `msn:` namespace) lists recent items with
//! an exact `pubDate`: blog posts (their `<link>` is the entry permalink)
//! and photo-album or list updates (`<msn:type>photoalbum</msn:type>`). A
//! feed holds no comments and only recent items, so it is used to fill a
//! date or a title that a page lacks, and its album items are reported.

use chrono::{DateTime, NaiveDateTime};
use quick_xml::events::Event;
use quick_xml::Reader;

use super::ids::{self, SpacesId};

/// One item of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// The entry the item links to (none for album and list items).
    pub id: Option<SpacesId>,
    /// Item title.
    pub title: String,
    /// `pubDate` as a UTC time.
    pub published: Option<NaiveDateTime>,
    /// `msn:type`, when given (`photoalbum`, `blog`, …).
    pub kind: Option<String>,
    /// The feed file it came from (set by the caller).
    pub source: String,
}

impl FeedItem {
    /// Is this a blog post (not a photo album or list update)?
    pub fn is_post(&self) -> bool {
        self.id.is_some()
            && self.kind.as_deref().is_none_or(|k| {
                k.eq_ignore_ascii_case("blog") || k.eq_ignore_ascii_case("blogentry")
            })
    }
}

/// Does this file look like an RSS feed (and not a WordPress export)?
pub fn is_feed(text: &str) -> bool {
    let head: String = text.chars().take(2048).collect();
    head.contains("<rss") && !head.contains("wordpress.org/export/")
}

/// Read the items of a feed; stops quietly at the first XML error, keeping
/// what was read before it.
pub fn read_feed(text: &str) -> Vec<FeedItem> {
    let mut reader = Reader::from_str(text);
    let mut items = Vec::new();
    let mut current: Option<Fields> = None;
    let mut field = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.name().as_ref().to_string();
                if name == "item" {
                    current = Some(Fields::default());
                }
                field = name;
            }
            Ok(Event::Text(t)) => append(&mut current, &field, &t.xml10_content()),
            Ok(Event::CData(t)) => append(&mut current, &field, &t),
            Ok(Event::GeneralRef(r)) => {
                let txt = resolve_ref(&r);
                append(&mut current, &field, &txt);
            }
            Ok(Event::End(e)) => {
                if e.name().as_ref() == "item" {
                    items.extend(current.take().map(Fields::finish));
                }
                field.clear();
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    items
}

#[derive(Default)]
struct Fields {
    title: String,
    link: String,
    guid: String,
    pub_date: String,
    kind: String,
}

impl Fields {
    fn finish(self) -> FeedItem {
        let id = ids::entry_link_target(&self.link).or_else(|| ids::entry_link_target(&self.guid));
        let published = DateTime::parse_from_rfc2822(self.pub_date.trim())
            .ok()
            .map(|d| d.naive_utc());
        let kind = Some(self.kind.trim().to_string()).filter(|k| !k.is_empty());
        FeedItem {
            id,
            title: self.title.trim().to_string(),
            published,
            kind,
            source: String::new(),
        }
    }
}

fn append(current: &mut Option<Fields>, field: &str, text: &str) {
    let Some(f) = current.as_mut() else { return };
    let slot = match field {
        "title" => &mut f.title,
        "link" => &mut f.link,
        "guid" => &mut f.guid,
        "pubDate" => &mut f.pub_date,
        "msn:type" => &mut f.kind,
        _ => return,
    };
    slot.push_str(text);
}

/// `&amp;`, `&#20170;` and friends inside feed text (and any XML text read
/// with quick-xml, which hands references over apart from the text).
pub fn resolve_ref(name: &str) -> String {
    let c = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
            .ok()
            .and_then(char::from_u32),
        n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
        _ => None,
    };
    c.map(String::from).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:msn="http://schemas.microsoft.com/msn/spaces/2005/rss">
<channel><title>demo-space</title>
<item><title>Trip &amp; notes &#20170;</title><link>http://demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!101.entry</link>
<pubDate>Tue, 28 Sep 2010 07:45:07 GMT</pubDate><description><![CDATA[<p>Day one</p>]]></description></item>
<item><title>Summer album</title><link>http://demo-space.spaces.live.com/photos/cns!D2C0FFEE12345678!2885/</link>
<pubDate>Wed, 29 Sep 2010 10:00:00 -0700</pubDate><msn:type>photoalbum</msn:type></item>
</channel></rss>"#;

    #[test]
    fn posts_and_albums() {
        let items = read_feed(FEED);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].title, "Trip & notes 今");
        assert_eq!(
            items[0].id.as_ref().map(ToString::to_string).as_deref(),
            Some("cns!D2C0FFEE12345678!101")
        );
        assert_eq!(
            items[0].published.map(|d| d.to_string()).as_deref(),
            Some("2010-09-28 07:45:07")
        );
        assert!(items[0].is_post());
        assert_eq!(items[1].kind.as_deref(), Some("photoalbum"));
        assert!(!items[1].is_post());
        assert_eq!(
            items[1].published.map(|d| d.to_string()).as_deref(),
            Some("2010-09-29 17:00:00")
        );
    }

    #[test]
    fn broken_feeds_keep_what_was_read() {
        let cut = &FEED[..FEED.find("<item><title>Summer").expect("second item")];
        assert_eq!(read_feed(&format!("{cut}<item><title>x</titl")).len(), 1);
        assert!(is_feed(FEED));
        assert!(!is_feed("<html>"));
    }
}
