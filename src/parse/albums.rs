//! Photo albums: the photos feeds of a space turned into one post per album.
//!
//! What the archive may hold (`shared/docs/web-archives.md` §6.2):
//! `/photos/feed.rss`, one item per album (`title` `Photo Album: <name>`,
//! `live:type` = `photoalbum`, the album's own feed in `itemRSS`), and an
//! album's `/photos/cns!X!N/feed.rss`, one item per photo (the picture in
//! `enclosure/@url`), whose channel is the album itself. The main
//! `feed.rss` of a space also lists album updates (`msn:type` =
//! `photoalbum`, a grid of thumbnails as description).
//!
//! An album becomes a post when a photos feed names it (an album item with
//! `itemRSS`, an album feed's channel, or photos of it): its title, its
//! `pubDate`, the description its photos feed gives, then one
//! `<figure><img src alt><figcaption></figure>` per photo, in feed order,
//! with the picture's original address (the media stage bundles it, or
//! reports it missing, as for any photo of a post). A photo's caption is
//! its item `title`, unless that is only the picture's file name; without
//! one the figure has no caption and the image an empty `alt`. Nothing is
//! invented: a field no feed gives stays empty. Album items found only in
//! the main `feed.rss` stay reported, as before (their thumbnail grid is
//! not the album).

use std::collections::{BTreeMap, HashSet};
use std::io;

use chrono::NaiveDateTime;
use scraper::Html;

use super::entry::{self, RANK_SINGLE};
use super::feed::FeedItem;
use super::ids::{self, SpacesId};
use super::images;
use crate::model::RawEntry;
use crate::report::{Warning, WarningKind, Warnings};

/// The category every album post is filed under.
pub const ALBUM_CATEGORY: &str = "Photos";

/// The prefix `/photos/feed.rss` puts before an album's name.
const TITLE_PREFIX: &str = "Photo Album: ";

/// One album, as the feeds of the archive give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Album {
    /// The album's Spaces id (`cns!X!N`): the post's id.
    pub id: SpacesId,
    /// Its name, without the `Photo Album: ` prefix; empty when no feed
    /// names it.
    pub title: String,
    /// `pubDate` of its album item (UTC).
    pub published: Option<NaiveDateTime>,
    /// The description its photos feed gives (HTML), or empty.
    pub description: String,
    /// The album's address on Spaces, when a feed gives it.
    pub link: Option<String>,
    /// The feed file it was read from (its own feed when the archive holds
    /// it).
    pub source: String,
    /// Its photos, in feed order.
    pub photos: Vec<Photo>,
    /// The album's own feed (`itemRSS`) when the archive does not hold it:
    /// its photos are then unknown.
    pub feed_missing: Option<String>,
}

/// One photo of an album.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    /// The picture's original address.
    pub url: String,
    /// Its caption, when the feed gives one.
    pub caption: Option<String>,
}

/// Is `path` (a file of the archive) one of the photos feeds?
fn in_photos_folder(path: &str) -> bool {
    let lower = path.replace('\\', "/").to_ascii_lowercase();
    lower.starts_with("photos/") || lower.contains("/photos/")
}

/// Does this item come from a photos feed (not the space's main feed)?
fn from_photos_feed(i: &FeedItem) -> bool {
    i.channel || i.item_rss.is_some() || i.is_photo() || in_photos_folder(&i.source)
}

/// The albums the photos feeds of the archive name, in id order.
pub fn gather(feed: &[FeedItem]) -> Vec<Album> {
    let mut by_id: BTreeMap<&SpacesId, Vec<&FeedItem>> = BTreeMap::new();
    for i in feed {
        if let Some(a) = i.album.as_ref().filter(|_| i.is_album() || i.is_photo()) {
            by_id.entry(a).or_default().push(i);
        }
    }
    by_id
        .into_iter()
        .filter(|(_, items)| items.iter().any(|i| from_photos_feed(i)))
        .map(|(id, items)| build(id, &items))
        .collect()
}

fn build(id: &SpacesId, items: &[&FeedItem]) -> Album {
    // The photos feed's album item first, then the album feed's channel,
    // then the main feed's album item.
    let rank = |i: &FeedItem| match (i.is_album(), i.channel, from_photos_feed(i)) {
        (true, false, true) => 0,
        (true, true, _) => 1,
        (true, false, false) => 2,
        _ => 3,
    };
    let mut albums: Vec<&FeedItem> = items.iter().copied().filter(|i| i.is_album()).collect();
    albums.sort_by_key(|i| rank(i));
    let title = albums
        .iter()
        .map(|i| strip_prefix(&i.title))
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    let published = albums.iter().find_map(|i| i.published);
    let description = albums
        .iter()
        .filter(|i| rank(i) < 2)
        .map(|i| i.description.clone())
        .find(|d| !d.is_empty())
        .unwrap_or_default();
    let link = albums
        .iter()
        .map(|i| i.link.as_str())
        .find(|l| ids::album_of(l).is_some())
        .map(str::to_string);
    let photo_items: Vec<&FeedItem> = items.iter().copied().filter(|i| i.is_photo()).collect();
    let own_feed = items.iter().find(|i| i.channel || i.is_photo());
    let source = own_feed
        .or_else(|| albums.first())
        .map(|i| i.source.clone())
        .unwrap_or_default();
    let mut seen = HashSet::new();
    let photos = photo_items
        .iter()
        .filter_map(|i| {
            let url = i.enclosure.clone()?;
            seen.insert(url.clone()).then(|| Photo {
                caption: caption(&i.title, &url),
                url,
            })
        })
        .collect();
    let feed_missing = match own_feed {
        Some(_) => None,
        None => Some(
            albums
                .iter()
                .find_map(|i| i.item_rss.clone())
                .unwrap_or_else(|| format!("/photos/{id}/feed.rss")),
        ),
    };
    Album {
        id: id.clone(),
        title,
        published,
        description,
        link,
        source,
        photos,
        feed_missing,
    }
}

fn strip_prefix(title: &str) -> String {
    let t = title.trim();
    let rest = match t.get(..TITLE_PREFIX.len()) {
        Some(p) if p.eq_ignore_ascii_case(TITLE_PREFIX) => &t[TITLE_PREFIX.len()..],
        _ => t,
    };
    rest.trim().to_string()
}

/// A photo item's title is its caption, unless it only repeats the
/// picture's file name (with or without its extension).
fn caption(title: &str, url: &str) -> Option<String> {
    let t = title.trim();
    if t.is_empty() {
        return None;
    }
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = path.rsplit('/').next().unwrap_or(path);
    let name = percent_decoded(name);
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    let same = t.eq_ignore_ascii_case(&name) || t.eq_ignore_ascii_case(stem);
    (!same).then(|| t.to_string())
}

/// `%20` and friends undone (invalid escapes kept as written).
fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Album {
    /// The post's body: the description, then one figure per photo.
    pub fn body(&self) -> String {
        let mut html = String::new();
        if !self.description.is_empty() {
            html.push_str(&self.description);
            html.push('\n');
        }
        for p in &self.photos {
            html.push_str("<figure><img src=\"");
            crate::html::escape_attr(&mut html, &p.url);
            html.push_str("\" alt=\"");
            if let Some(c) = &p.caption {
                crate::html::escape_attr(&mut html, c);
            }
            html.push_str("\">");
            if let Some(c) = &p.caption {
                html.push_str("<figcaption>");
                crate::html::escape_text(&mut html, c);
                html.push_str("</figcaption>");
            }
            html.push_str("</figure>\n");
        }
        html
    }

    /// The album as an entry, for the rest of the run to treat like any
    /// other: dated by its exact `pubDate`, filed under [`ALBUM_CATEGORY`].
    pub fn to_entry(&self) -> RawEntry {
        let body = self.body();
        let doc = Html::parse_fragment(&body);
        let root = doc.root_element();
        let hosts = self
            .link
            .as_deref()
            .and_then(entry::space_host)
            .into_iter()
            .collect();
        RawEntry {
            id: self.id.clone(),
            source: self.source.clone(),
            title: Some(self.title.clone()).filter(|t| !t.is_empty()),
            category: Some(ALBUM_CATEGORY.to_string()),
            refs: images::refs(root.children()),
            lead: images::lead(root.children()),
            shown: crate::report::account::shown(root, None),
            body: body.into(),
            permalink: self.link.clone(),
            hosts,
            rank: RANK_SINGLE,
            published_utc: self.published,
            ..RawEntry::default()
        }
    }
}

/// Add the archive's albums to its entries; returns the ids of the albums
/// added (their feed items are not reported as skipped).
pub fn add_albums(
    pages: &mut super::pages::Pages,
    warnings: &mut Warnings,
    spool: &crate::store::text::Spool,
) -> io::Result<HashSet<SpacesId>> {
    let mut added = HashSet::new();
    for album in gather(&pages.feed) {
        if let Some(url) = &album.feed_missing {
            warnings.push(Warning::entry(
                &album.source,
                &album.id,
                WarningKind::AlbumFeedMissing,
                format!(
                    "the album's own feed ({url}) is not in the archive: its photos are unknown; the post holds what the photos feed says of it"
                ),
            ));
        }
        let mut e = album.to_entry();
        e.body = spool.store(std::mem::take(&mut e.body));
        let id = pages.entries.owners.intern(&e.id);
        let counts = pages.hosts.entry(id.owner).or_default();
        for h in &e.hosts {
            *counts.entry(h.clone()).or_default() += 1;
        }
        let rec = pages.entries.records.push(&e)?;
        pages
            .entries
            .keys
            .push(crate::plan::keys::EntryKey { id, rec });
        added.insert(album.id);
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::feed::read_feed;

    const LIST: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:live="http://schemas.microsoft.com/live/spaces/2006/rss">
<channel><title>demo-space: Photos</title><link>http://demo-space.spaces.live.com/photos/</link>
<image><title>img</title><url>http://x/y.png</url><link>http://x/</link></image>
<item><title>Photo Album: Lisbon &amp; Sintra</title>
<link>http://demo-space.spaces.live.com/photos/cns!D2C0FFEE12345678!130/</link>
<guid isPermaLink="false">cns!D2C0FFEE12345678!130</guid>
<pubDate>Sat, 14 Aug 2010 18:20:00 GMT</pubDate>
<description>&lt;p&gt;Two days by the sea&lt;/p&gt;</description>
<live:type>photoalbum</live:type>
<live:itemRSS>http://demo-space.spaces.live.com/photos/cns!D2C0FFEE12345678!130/feed.rss</live:itemRSS>
</item>
<item><title>Photo Album: Empty shelf</title>
<guid isPermaLink="false">cns!D2C0FFEE12345678!140</guid>
<live:type>photoalbum</live:type>
<live:itemRSS>http://demo-space.spaces.live.com/photos/cns!D2C0FFEE12345678!140/feed.rss</live:itemRSS>
</item>
</channel></rss>"#;

    const ALBUM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lisbon &amp; Sintra</title>
<link>http://demo-space.spaces.live.com/photos/cns!D2C0FFEE12345678!130/</link>
<item><title>Tram 28 "up" the hill</title>
<link>http://demo-space.spaces.live.com/photos/cns!D2C0FFEE12345678!130/cns!D2C0FFEE12345678!131</link>
<enclosure url="http://blufiles.storage.msn.com/y1pTram/tram.jpg" type="image/jpeg" length="1"/>
</item>
<item><title>IMG_0042.JPG</title>
<link>http://demo-space.spaces.live.com/photos/cns!D2C0FFEE12345678!130/cns!D2C0FFEE12345678!132</link>
<enclosure url="http://blufiles.storage.msn.com/y1pPena/IMG_0042.JPG"></enclosure>
</item>
</channel></rss>"#;

    fn items() -> Vec<FeedItem> {
        let mut all = Vec::new();
        for (path, text) in [
            ("demo-space.spaces.live.com/photos/feed.rss", LIST),
            (
                "demo-space.spaces.live.com/photos/cns!D2C0FFEE12345678!130/feed.rss",
                ALBUM,
            ),
        ] {
            all.extend(read_feed(text).into_iter().map(|mut i| {
                i.source = path.into();
                i
            }));
        }
        all
    }

    #[test]
    fn an_album_from_its_list_item_and_its_own_feed() {
        let albums = gather(&items());
        assert_eq!(albums.len(), 2);
        let a = &albums[0];
        assert_eq!(a.id.to_string(), "cns!D2C0FFEE12345678!130");
        assert_eq!(a.title, "Lisbon & Sintra");
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("2010-08-14 18:20:00")
        );
        assert_eq!(a.description, "<p>Two days by the sea</p>");
        assert!(a.source.ends_with("!130/feed.rss"));
        assert_eq!(a.feed_missing, None);
        assert_eq!(
            a.photos,
            [
                Photo {
                    url: "http://blufiles.storage.msn.com/y1pTram/tram.jpg".into(),
                    caption: Some("Tram 28 \"up\" the hill".into()),
                },
                Photo {
                    url: "http://blufiles.storage.msn.com/y1pPena/IMG_0042.JPG".into(),
                    caption: None,
                },
            ]
        );
        assert_eq!(
            a.body(),
            "<p>Two days by the sea</p>\n<figure><img src=\"http://blufiles.storage.msn.com/y1pTram/tram.jpg\" alt=\"Tram 28 &quot;up&quot; the hill\"><figcaption>Tram 28 \"up\" the hill</figcaption></figure>\n<figure><img src=\"http://blufiles.storage.msn.com/y1pPena/IMG_0042.JPG\" alt=\"\"></figure>\n"
        );
        let e = a.to_entry();
        assert_eq!(e.shown.photos.len(), 2);
        assert_eq!(e.refs.len(), 2);
        assert_eq!(e.refs[0].alt, "Tram 28 \"up\" the hill");
        assert_eq!(e.category.as_deref(), Some(ALBUM_CATEGORY));
        assert_eq!(e.hosts, ["demo-space.spaces.live.com"]);
        let b = &albums[1];
        assert_eq!(b.title, "Empty shelf");
        assert!(b.photos.is_empty());
        assert_eq!(b.published, None);
        assert!(b
            .feed_missing
            .as_deref()
            .is_some_and(|u| u.ends_with("!140/feed.rss")));
    }

    #[test]
    fn main_feed_album_items_alone_are_not_albums() {
        let main = r#"<rss version="2.0" xmlns:msn="x"><channel><title>t</title>
<item><title>Autumn walk</title><link>http://demo-space.spaces.live.com/photos/cns!D2C0FFEE12345678!1100/</link>
<description>&lt;img src="http://x/a.jpg"&gt;</description><msn:type>photoalbum</msn:type></item>
</channel></rss>"#;
        let mut items = read_feed(main);
        items[0].source = "demo-space.spaces.live.com/feed.rss".into();
        assert!(gather(&items).is_empty());
        // With the album's own feed, it is one, titled by the main feed.
        let own = ALBUM
            .replace("!130", "!1100")
            .replace("<title>Lisbon &amp; Sintra</title>", "<title></title>");
        items.extend(read_feed(&own).into_iter().map(|mut i| {
            i.source =
                "demo-space.spaces.live.com/photos/cns!D2C0FFEE12345678!1100/feed.rss".into();
            i
        }));
        let albums = gather(&items);
        assert_eq!(albums.len(), 1);
        assert_eq!(albums[0].title, "Autumn walk");
        assert_eq!(albums[0].description, "", "the thumbnail grid is not taken");
        assert_eq!(albums[0].photos.len(), 2);
    }

    #[test]
    fn captions_are_not_file_names() {
        assert_eq!(caption("IMG_0042", "http://x/y/IMG_0042.JPG?a=1"), None);
        assert_eq!(
            caption("夏の海.jpg", "http://x/%E5%A4%8F%E3%81%AE%E6%B5%B7.jpg"),
            None
        );
        assert_eq!(caption(" ", "http://x/a.jpg"), None);
        assert_eq!(caption("Beach", "http://x/a.jpg").as_deref(), Some("Beach"));
        assert_eq!(strip_prefix("Photo Album: Férias"), "Férias");
        assert_eq!(strip_prefix("Férias"), "Férias");
    }
}
