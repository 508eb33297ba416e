//! Photo albums (issue 14): the photos feeds of a mirror become one post per
//! album, filed under "Photos", with its photos bundled as attachments and
//! their captions; a photo not in the archive is reported missing; album
//! items are no longer reported as skipped.

use crate::util;

use serde_json::Value;
use util::{convert, items, testdata, wxr_path, Item};

struct Converted {
    _dir: tempfile::TempDir,
    items: Vec<Item>,
    report: Value,
}

fn run(fixture: &str) -> Converted {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    convert(
        &testdata(fixture),
        &out,
        &["--site-url", "https://blog.example.org"],
    );
    let xml = std::fs::read_to_string(wxr_path(&out)).expect("wxr");
    let report =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
            .expect("json");
    Converted {
        _dir: dir,
        items: items(&xml),
        report,
    }
}

fn post<'a>(c: &'a Converted, id: &str) -> &'a Item {
    c.items
        .iter()
        .find(|i| i.post_type == "post" && i.meta("_wls_entry_id") == Some(id))
        .unwrap_or_else(|| panic!("no post {id}"))
}

fn kinds(r: &Value, kind: &str) -> Vec<Value> {
    r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"] == kind)
        .cloned()
        .collect()
}

fn attachments_of(c: &Converted, parent: u64) -> Vec<&Item> {
    c.items
        .iter()
        .filter(|i| i.post_type == "attachment" && i.post_parent == parent)
        .collect()
}

#[test]
fn albums_en_become_posts_with_their_photos() {
    let c = run("albums-en");
    let posts: Vec<&Item> = c.items.iter().filter(|i| i.post_type == "post").collect();
    assert_eq!(posts.len(), 3, "the entry and two albums");

    let lisbon = post(&c, "cns!D2C0FFEE87654321!130");
    assert_eq!(
        lisbon.title, "Lisbon & Sintra",
        "the 'Photo Album: ' prefix goes"
    );
    assert_eq!(lisbon.post_date_gmt, "2010-08-15 18:20:00", "its pubDate");
    assert_eq!(
        lisbon.categories,
        [("photos".to_string(), "Photos".to_string())]
    );
    assert_eq!(
        lisbon.meta("_wls_permalink"),
        Some("http://demo-albums.spaces.live.com/photos/cns!D2C0FFEE87654321!130/")
    );
    let html = &lisbon.content;
    assert!(html.starts_with("<p>Three days by the Tagus"), "{html}");
    assert!(
        html.contains("<figcaption>Tram 28 climbing to the castle</figcaption>"),
        "{html}"
    );
    assert!(
        html.contains(r#"<figure><img alt="" src=""#)
            && html.contains(r#"IMG_0042.jpg"></figure>"#),
        "a file name is not a caption: {html}"
    );
    assert!(!html.contains("IMG_0042</figcaption>") && !html.contains("tram_thumb"));
    // The missing photo keeps its original address and its caption.
    assert!(
        html.contains(r#"<img alt="Pena Palace in the fog" src="http://blufiles.storage.msn.com/y1pPena/pena.jpg">"#),
        "{html}"
    );

    let att = attachments_of(&c, lisbon.post_id);
    let mut got: Vec<(String, Option<&str>)> = att
        .iter()
        .map(|a| (a.title.clone(), a.meta("_wp_attachment_image_alt")))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("IMG_0042".to_string(), None),
            ("tram".to_string(), Some("Tram 28 climbing to the castle")),
        ]
    );

    let missing = c.report["missing_media"].as_array().expect("missing");
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0]["post"], "cns!D2C0FFEE87654321!130");
    assert_eq!(
        missing[0]["url"],
        "http://blufiles.storage.msn.com/y1pPena/pena.jpg"
    );

    // The album whose own feed is not in the mirror: a post with what the
    // photos feed says (title, date), no photos, and a warning.
    let garden = post(&c, "cns!D2C0FFEE87654321!140");
    assert_eq!(garden.title, "Garden, spring 2010");
    assert_eq!(garden.post_date_gmt, "2010-05-01 09:30:00");
    assert!(!garden.content.contains("<img"), "{}", garden.content);
    let w = kinds(&c.report, "album-feed-missing");
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0]["entry"], "cns!D2C0FFEE87654321!140");

    // Album and photo items are not skipped, and photos are not entries.
    assert!(kinds(&c.report, "feed-item-skipped").is_empty());
    assert!(kinds(&c.report, "feed-only-entry").is_empty());
    assert!(kinds(&c.report, "date-from-feed").is_empty());
}

#[test]
fn an_album_feed_alone_is_an_album_ja() {
    let c = run("albums-ja");
    let album = post(&c, "cns!0A1B2C3D4E5F6071!305");
    assert_eq!(
        album.title, "京都・祇園祭",
        "the album feed's channel title"
    );
    assert_eq!(album.post_date_gmt, "2009-07-19 11:45:00");
    assert_eq!(
        album.post_date, "2009-07-19 20:45:00",
        "in the space's zone"
    );
    assert!(
        album
            .content
            .contains("<figcaption>長刀鉾と人の波</figcaption>"),
        "{}",
        album.content
    );
    assert!(!album.content.contains("DSC00123</figcaption>"));
    let att = attachments_of(&c, album.post_id);
    assert_eq!(att.len(), 2);
    assert!(att
        .iter()
        .any(|a| a.meta("_wp_attachment_image_alt") == Some("長刀鉾と人の波")));
    assert_eq!(c.report["missing_media"].as_array().map(Vec::len), Some(0));
    assert_eq!(c.report["warnings"].as_array().map(Vec::len), Some(0));
}

#[test]
fn main_feed_album_items_without_photos_feeds_stay_reported() {
    let c = run("feed-only-dates");
    let w = kinds(&c.report, "feed-item-skipped");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("photos feeds")),
        "{w:?}"
    );
    assert!(
        c.items
            .iter()
            .all(|i| i.meta("_wls_entry_id") != Some("cns!D2C0FFEE12345678!1100")),
        "no post for an album only the main feed names"
    );
}

#[test]
fn an_archive_of_only_photos_feeds_converts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    let src = testdata("albums-ja");
    for rel in [
        "sakura-nikki.spaces.live.com/photos/cns!0A1B2C3D4E5F6071!305/feed.rss",
        "tkfiles.storage.msn.com/y1pDsc/DSC00123.JPG",
    ] {
        let to = input.join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(src.join(rel), &to).expect("copy");
    }
    let out = tmp.path().join("out");
    convert(&input, &out, &["--site-url", "https://blog.example.org"]);
    let posts = items(&std::fs::read_to_string(wxr_path(&out)).expect("wxr"));
    let kinds: Vec<&str> = posts.iter().map(|i| i.post_type.as_str()).collect();
    assert_eq!(
        kinds,
        ["post", "attachment"],
        "one album, one picture present"
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
            .expect("json");
    let missing = report["missing_media"].as_array().expect("missing");
    assert_eq!(missing.len(), 1, "{missing:?}");
}
