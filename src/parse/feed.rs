//! `feed.rss` files saved beside a mirror.
//!
//! A Spaces feed (RSS 2.0 with the `msn:` namespace) lists recent items with
//! an exact `pubDate`: blog posts (their `<link>` is the entry permalink)
//! and photo-album or list updates (`<msn:type>photoalbum</msn:type>`). A
//! feed holds no comments and only recent items, so it is used to fill a
//! date or a title that a page lacks.
//!
//! The photos feeds (`/photos/feed.rss`: one item per album, typed
//! `live:type` = `photoalbum`, with the album's own feed in `itemRSS`; an
//! album's `/photos/cns!X!N/feed.rss`: one item per photo, the picture in
//! `enclosure/@url`) are read by the same reader; [`super::albums`] turns
//! them into album posts. See `shared/docs/web-archives.md` §6.2.

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
    /// `msn:type` or `live:type`, when given (`photoalbum`, `blog`, …).
    pub kind: Option<String>,
    /// The feed file it came from (set by the caller).
    pub source: String,
    /// The item's `link` (or its `guid` when it has no link), trimmed.
    pub link: String,
    /// `description` as written (RSS carries HTML there), trimmed.
    pub description: String,
    /// `enclosure/@url`: the picture of a photo item.
    pub enclosure: Option<String>,
    /// `itemRSS`: the album's own feed, on an album item of `/photos/feed.rss`.
    pub item_rss: Option<String>,
    /// The photo album the item is about: an album item's own id, or for a
    /// photo item (one with an enclosure) the album its link or its feed's
    /// channel link names (`/photos/cns!X!N/…`).
    pub album: Option<SpacesId>,
    /// Set on the one item that stands for an album feed's channel (its
    /// title, link, description and date), not for an item of the feed.
    pub channel: bool,
}

impl FeedItem {
    /// Is this an album (its type says `photoalbum`, or it stands for an
    /// album feed's channel)?
    pub fn is_album(&self) -> bool {
        self.channel
            || self
                .kind
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case("photoalbum"))
    }

    /// Is this a photo of an album (an item with a picture)?
    pub fn is_photo(&self) -> bool {
        !self.is_album() && self.enclosure.is_some()
    }

    /// Is this a blog post (not a photo album or list update)?
    pub fn is_post(&self) -> bool {
        !self.channel
            && self.id.is_some()
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
    let mut channel = Fields::default();
    let mut field = String::new();
    // Inside the channel's `image` or `textInput`, whose `title`, `link`
    // and `description` are not the channel's.
    let mut aside = 0u32;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = local(e.name().as_ref());
                if current.is_none() && (name == "image" || name == "textInput") {
                    aside += 1;
                }
                if aside > 0 {
                    field.clear();
                    continue;
                }
                if name == "item" {
                    current = Some(Fields::default());
                }
                if name == "enclosure" {
                    enclosure(&mut current, &e);
                }
                field = name;
            }
            Ok(Event::Empty(e)) if local(e.name().as_ref()) == "enclosure" => {
                enclosure(&mut current, &e);
            }
            Ok(Event::Text(t)) => append(&mut current, &mut channel, &field, &t.xml10_content()),
            Ok(Event::CData(t)) => append(&mut current, &mut channel, &field, &t),
            Ok(Event::GeneralRef(r)) => {
                let txt = resolve_ref(&r);
                append(&mut current, &mut channel, &field, &txt);
            }
            Ok(Event::End(e)) => {
                let name = e.name();
                if current.is_none() && matches!(name.as_ref(), "image" | "textInput") {
                    aside = aside.saturating_sub(1);
                }
                if name.as_ref() == "item" {
                    items.extend(current.take().map(Fields::finish));
                }
                field.clear();
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    // Photo items name their album in their link; else the channel does.
    let channel_album = ids::album_of(&channel.link);
    for i in items
        .iter_mut()
        .filter(|i| i.enclosure.is_some() && i.album.is_none())
    {
        i.album.clone_from(&channel_album);
    }
    // An album feed's channel is the album itself: it stands as one item.
    if channel_album.is_some() && items.iter().any(FeedItem::is_photo) {
        let mut c = channel.finish();
        c.channel = true;
        c.album = channel_album;
        c.id = None;
        items.push(c);
    }
    items
}

/// The local name of an element (`live:type` → `type`), lower-cased when
/// it is one the reader knows under several prefixes.
fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, l)) if l == "type" || l.eq_ignore_ascii_case("itemrss") => {
            format!("ns:{}", l.to_ascii_lowercase())
        }
        None if name.eq_ignore_ascii_case("itemrss") => "ns:itemrss".into(),
        _ => name.to_string(),
    }
}

fn enclosure(current: &mut Option<Fields>, e: &quick_xml::events::BytesStart<'_>) {
    let Some(f) = current.as_mut() else { return };
    let url = e
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == "url")
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        });
    if f.enclosure.is_none() {
        f.enclosure = url.filter(|u| !u.is_empty());
    }
}

#[derive(Default)]
struct Fields {
    title: String,
    link: String,
    guid: String,
    pub_date: String,
    kind: String,
    description: String,
    item_rss: String,
    enclosure: Option<String>,
}

impl Fields {
    fn finish(self) -> FeedItem {
        // A photo's or an album's guid may be its bare id, which reads as
        // an entry's saved copy: neither is a blog entry.
        let not_entry =
            self.enclosure.is_some() || self.kind.trim().eq_ignore_ascii_case("photoalbum");
        let id = ids::entry_link_target(&self.link)
            .or_else(|| ids::entry_link_target(&self.guid))
            .filter(|_| !not_entry);
        let published = DateTime::parse_from_rfc2822(self.pub_date.trim())
            .ok()
            .map(|d| d.naive_utc());
        let kind = Some(self.kind.trim().to_string()).filter(|k| !k.is_empty());
        let link = match self.link.trim() {
            "" => self.guid.trim().to_string(),
            l => l.to_string(),
        };
        let is_album = kind
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("photoalbum"));
        // An album item's guid may be the bare album id.
        let album = if is_album {
            ids::album_of(&link).or_else(|| ids::find_id(&self.guid))
        } else if self.enclosure.is_some() {
            ids::album_of(&link)
        } else {
            None
        };
        let item_rss = Some(self.item_rss.trim().to_string()).filter(|u| !u.is_empty());
        FeedItem {
            id,
            title: self.title.trim().to_string(),
            published,
            kind,
            source: String::new(),
            link,
            description: self.description.trim().to_string(),
            enclosure: self.enclosure,
            item_rss,
            album,
            channel: false,
        }
    }
}

/// Add text to the field being read: of the current item, else of the
/// channel.
fn append(current: &mut Option<Fields>, channel: &mut Fields, field: &str, text: &str) {
    let f = match current.as_mut() {
        Some(f) => f,
        None => channel,
    };
    let slot = match field {
        "title" => &mut f.title,
        "link" => &mut f.link,
        "guid" => &mut f.guid,
        "pubDate" => &mut f.pub_date,
        "ns:type" => &mut f.kind,
        "ns:itemrss" => &mut f.item_rss,
        "description" => &mut f.description,
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
    fn an_album_feed_stands_for_its_album() {
        let feed = r#"<rss version="2.0" xmlns:live="x"><channel><title>Férias</title>
<link>http://x.spaces.live.com/photos/cns!D2C0FFEE12345678!130/</link>
<image><title>logo</title><link>http://x/</link><url>http://x/l.png</url></image>
<pubDate>Sat, 14 Aug 2010 18:20:00 GMT</pubDate>
<item><title>Praia</title><guid>cns!D2C0FFEE12345678!131</guid>
<enclosure url="http://a/b.jpg?x=1&amp;y=2"/></item></channel></rss>"#;
        let items = read_feed(feed);
        assert_eq!(items.len(), 2);
        let (photo, album) = (&items[0], &items[1]);
        assert!(photo.is_photo() && !photo.is_post(), "{photo:?}");
        assert_eq!(photo.enclosure.as_deref(), Some("http://a/b.jpg?x=1&y=2"));
        assert_eq!(
            photo.album.as_ref().map(ToString::to_string).as_deref(),
            Some("cns!D2C0FFEE12345678!130"),
            "from the channel's link"
        );
        assert!(album.channel && album.is_album() && !album.is_post());
        assert_eq!(album.title, "Férias", "not the image's title");
        assert!(album.published.is_some());
        let list = r#"<rss><channel><item><title>Photo Album: A</title>
<guid>cns!D2C0FFEE12345678!140</guid><live:type>photoalbum</live:type>
<live:itemRSS>http://x/photos/cns!D2C0FFEE12345678!140/feed.rss</live:itemRSS></item></channel></rss>"#;
        let items = read_feed(list);
        assert_eq!(items.len(), 1);
        assert!(items[0].is_album() && items[0].id.is_none());
        assert_eq!(
            items[0].album.as_ref().map(ToString::to_string).as_deref(),
            Some("cns!D2C0FFEE12345678!140")
        );
        assert!(items[0]
            .item_rss
            .as_deref()
            .is_some_and(|u| u.ends_with("!140/feed.rss")));
    }

    #[test]
    fn broken_feeds_keep_what_was_read() {
        let cut = &FEED[..FEED.find("<item><title>Summer").expect("second item")];
        assert_eq!(read_feed(&format!("{cut}<item><title>x</titl")).len(), 1);
        assert!(is_feed(FEED));
        assert!(!is_feed("<html>"));
    }
}
