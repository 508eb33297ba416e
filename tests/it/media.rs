//! The media bundle on a crawler mirror that uses every Spaces image host
//! era: what is bundled where, what the WXR says about it, and what the
//! posts link to.

use crate::util;

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use util::{convert, items, testdata, wxr_path, Item};

const MEDIA_URL: &str = "https://blog.example.org/wls-media";

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Converted {
    _dir: tempfile::TempDir,
    out: std::path::PathBuf,
    items: Vec<Item>,
    report: serde_json::Value,
}

fn convert_mirror() -> Converted {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    convert(
        &testdata("media-mirror"),
        &out,
        &[
            "--media-url",
            MEDIA_URL,
            "--site-url",
            "https://blog.example.org",
        ],
    );
    let xml = std::fs::read_to_string(wxr_path(&out)).expect("WXR");
    let report =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
            .expect("json");
    Converted {
        items: items(&xml),
        report,
        out,
        _dir: dir,
    }
}

fn post(c: &Converted, n: u64) -> &Item {
    c.items
        .iter()
        .find(|i| i.post_type == "post" && i.post_id == n)
        .expect("post")
}

#[test]
fn bundle_tree_holds_each_image_once_in_its_posts_month() {
    let c = convert_mirror();
    let tree: BTreeMap<String, Vec<u8>> = util::tree(&c.out.join("media")).into_iter().collect();
    let names: Vec<&str> = tree.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "2008/10/image-7.png",
            "2008/10/image_thumb-3-61095F84.png",
            "2008/10/image_thumb-7.png",
            "2008/10/sunset.gif",
            "2008/10/x1pK9dZtQ2.jpg",
            "2009/06/IMG_0001.jpg",
            "2009/06/下载-3.jpg",
        ]
    );
    let src = |rel: &str| std::fs::read(testdata("media-mirror").join(rel)).expect("source image");
    assert_eq!(
        tree["2008/10/x1pK9dZtQ2.jpg"],
        src("storage.msn.com/x1pK9dZtQ2.jpg")
    );
    assert_eq!(
        tree["2009/06/IMG_0001.jpg"],
        src("aBc123.bay.livefilestore.com/y1pQ/IMG_0001.JPG@psid=1")
    );
    assert_eq!(
        tree["2009/06/下载-3.jpg"],
        src("public.bay.livefilestore.com/y1mX/下载[3].jpg")
    );
    let basenames: std::collections::HashSet<String> = tree
        .keys()
        .map(|k| k.rsplit('/').next().unwrap_or(k).to_lowercase())
        .collect();
    assert_eq!(
        basenames.len(),
        tree.len(),
        "basenames unique across the bundle"
    );
    for line in c.report["media"].as_array().expect("media lines") {
        let path = line["path"].as_str().expect("path");
        assert_eq!(
            line["sha256"].as_str(),
            Some(sha256(&tree[path]).as_str()),
            "{path}"
        );
        assert_eq!(
            line["size"].as_u64(),
            Some(tree[path].len() as u64),
            "{path}"
        );
    }
}

#[test]
fn identical_bytes_under_two_names_are_stored_once() {
    let c = convert_mirror();
    let sunset = c.report["media"]
        .as_array()
        .expect("media")
        .iter()
        .find(|m| m["path"] == "2008/10/sunset.gif")
        .expect("sunset");
    let sources: Vec<&str> = sunset["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(
        sources,
        [
            "demo-space.spaces.live.com/img/sunset.gif",
            "demo-space.spaces.live.com/img/copy of sunset.gif"
        ]
    );
    let url = format!("{MEDIA_URL}/2008/10/sunset.gif");
    assert!(post(&c, 201).content.contains(&url));
    assert!(
        post(&c, 202).content.contains(&url),
        "second name rewritten to the same file"
    );
}

#[test]
fn one_attachment_item_per_file_with_parent_date_and_meta() {
    let c = convert_mirror();
    let atts: Vec<&Item> = c
        .items
        .iter()
        .filter(|i| i.post_type == "attachment")
        .collect();
    assert_eq!(atts.len(), 7);
    for a in &atts {
        let rel = a.meta("_wp_attached_file").expect("_wp_attached_file");
        assert_eq!(a.attachment_url, format!("{MEDIA_URL}/{}", util_url(rel)));
        let parent = post(&c, a.post_parent);
        assert_eq!(&a.post_date, &parent.post_date, "{rel}: the parent's date");
        assert!(
            rel.starts_with(&parent.post_date[..7].replace('-', "/")),
            "{rel} in the parent's month"
        );
        assert!(
            parent.content.contains(&a.attachment_url),
            "{rel}: the parent shows it"
        );
        assert!(a.post_id > 203, "attachment ids follow post ids");
    }
    let harbour = atts
        .iter()
        .find(|a| a.meta("_wp_attached_file") == Some("2008/10/x1pK9dZtQ2.jpg"))
        .expect("harbour");
    assert_eq!(harbour.post_parent, 201, "first post that uses it");
    assert_eq!(harbour.meta("_wp_attachment_image_alt"), Some("Harbour"));
}

fn util_url(rel: &str) -> String {
    rel.replace("下载", "%E4%B8%8B%E8%BD%BD")
}

#[test]
fn live_writer_thumbnail_stays_and_links_to_full_size() {
    let c = convert_mirror();
    let html = &post(&c, 201).content;
    let doc = scraper::Html::parse_fragment(html);
    let sel = scraper::Selector::parse("a > img").expect("selector");
    let img = doc
        .select(&sel)
        .find(|i| i.value().attr("alt") == Some("Lake"))
        .expect("lake thumbnail");
    let a = scraper::ElementRef::wrap(img.parent().expect("parent")).expect("a");
    assert_eq!(
        img.value().attr("src"),
        Some(format!("{MEDIA_URL}/2008/10/image_thumb-7.png").as_str())
    );
    assert_eq!(
        a.value().attr("href"),
        Some(format!("{MEDIA_URL}/2008/10/image-7.png").as_str())
    );
}

#[test]
fn no_bundled_image_keeps_an_old_url_and_missing_ones_are_reported() {
    let c = convert_mirror();
    for p in c.items.iter().filter(|i| i.post_type == "post") {
        for old in [
            "storage.msn.com/x1pK9",
            "byfiles.storage",
            "blufiles.storage",
            "aBc123.bay",
            "public.bay",
            "/img/",
        ] {
            assert!(
                !p.content.contains(old),
                "post {} still links {old}:\n{}",
                p.post_id,
                p.content
            );
        }
    }
    assert!(
        post(&c, 201)
            .content
            .contains("http://tkfiles.storage.msn.com/x1pGone/gone.jpg"),
        "missing image keeps its link"
    );
    let missing: Vec<(&str, &str)> = c.report["missing_media"]
        .as_array()
        .expect("missing")
        .iter()
        .map(|m| {
            (
                m["post"].as_str().unwrap_or(""),
                m["url"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        missing,
        [
            (
                "cns!D2C0FFEE12345678!201",
                "http://tkfiles.storage.msn.com/x1pGone/gone.jpg"
            ),
            (
                "cns!D2C0FFEE12345678!203",
                "http://tkfiles.storage.msn.com/x1pErr/broken.jpg"
            ),
        ]
    );
    let kinds: Vec<&str> = c.report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"not-an-image"), "{kinds:?}");
}

#[test]
fn drop_missing_images_removes_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    convert(&testdata("media-mirror"), &out, &["--drop-missing-images"]);
    let xml = std::fs::read_to_string(wxr_path(&out)).expect("WXR");
    let p = items(&xml)
        .into_iter()
        .find(|i| i.post_id == 201)
        .expect("post");
    assert!(!p.content.contains("gone.jpg"), "{}", p.content);
    assert!(p.content.contains("Lost:"), "the text around it stays");
}

/// A blog long enough to be planned, bundled and written in several
/// batches: images first used in one batch and reused in later ones, an alt
/// text that only a later batch gives, identical bytes under two names,
/// links between posts of distant batches, and comment ids that keep
/// counting across batches.
#[test]
fn a_long_blog_is_bundled_and_linked_across_batches() {
    use util::{entry_page, fake_jpeg, write_entry_page, GenComment, OWNER};
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("space");
    std::fs::create_dir_all(input.join("img")).expect("mkdir");
    for k in 0..9u8 {
        // photo6 holds the same bytes as photo5.
        let seed = if k == 6 { 5 } else { k };
        std::fs::write(
            input.join(format!("img/photo{k}.jpg")),
            fake_jpeg(seed, 500),
        )
        .expect("write");
    }
    let posts = 700usize;
    for n in 1..=posts {
        let day = chrono::NaiveDate::from_ymd_opt(2007, 1, 1).expect("date")
            + chrono::Duration::days(n as i64);
        let k = n % 9;
        // photo3's first uses carry no alt text; post 606 (a later batch) does.
        let alt = match (k, n) {
            (3, 606) => "Sunset over Taipei".to_string(),
            (3, _) => String::new(),
            _ => format!("photo {k}"),
        };
        let mut body = format!(r#"<p>Day {n}</p><img src="../img/photo{k}.jpg" alt="{alt}">"#);
        if n > 300 {
            let target = n - 300;
            body.push_str(&format!(
                r#"<a href="http://demo-space.spaces.live.com/blog/cns!{OWNER}!{target}.entry">back</a>"#
            ));
        }
        if n.is_multiple_of(100) {
            body.push_str(r#"<img src="../img/not-saved.jpg">"#);
        }
        let comments: Vec<GenComment> = (0..n % 3)
            .map(|c| GenComment {
                author: format!("Reader {c}"),
                text: format!("Comment {c} on day {n}"),
                date: format!(
                    "{}/{}/{} {}:00 PM",
                    day.format("%-m"),
                    day.format("%-d"),
                    day.format("%Y"),
                    1 + c
                ),
            })
            .collect();
        let date = day.format("%-m/%-d/%Y").to_string();
        let html = entry_page(
            n,
            &format!("Day {n}"),
            &body,
            &date,
            "9:00 AM",
            "Diary",
            &comments,
        );
        write_entry_page(&input, n, &html);
    }
    let out = dir.path().join("out");
    convert(&input, &out, &["--media-url", MEDIA_URL]);
    let xml = std::fs::read_to_string(wxr_path(&out)).expect("wxr");
    let items = items(&xml);
    let (posts_of, attachments): (Vec<&Item>, Vec<&Item>) =
        items.iter().partition(|i| i.post_type == "post");
    assert_eq!(posts_of.len(), posts);
    // Nine names, eight distinct contents: photo6 is photo5's bytes.
    assert_eq!(attachments.len(), 8);
    let url_of = |name: &str| {
        attachments
            .iter()
            .find(|a| a.attachment_url.ends_with(name))
            .map(|a| a.attachment_url.clone())
            .unwrap_or_else(|| panic!("no attachment named {name}"))
    };
    let photo3 = attachments
        .iter()
        .find(|a| a.attachment_url.ends_with("/photo3.jpg"))
        .expect("photo3");
    assert_eq!(
        photo3.meta("_wp_attachment_image_alt"),
        Some("Sunset over Taipei")
    );
    for p in &posts_of {
        let n: usize = p.title.trim_start_matches("Day ").parse().expect("title");
        let k = n % 9;
        let want = url_of(&format!("/photo{}.jpg", if k == 6 { 5 } else { k }));
        assert!(
            p.content.contains(&want),
            "post {n} links {want}: {}",
            p.content
        );
        if n > 300 {
            let back = format!("?name=day-{0}-{0}\"", n - 300);
            assert!(
                p.content.contains(&back),
                "post {n} links post {}: {}",
                n - 300,
                p.content
            );
        }
        if n.is_multiple_of(100) {
            assert!(
                p.content.contains("not-saved.jpg"),
                "missing image kept as a link"
            );
        }
    }
    // Comment ids count up over the whole file, in output order.
    let ids: Vec<u64> = posts_of
        .iter()
        .flat_map(|p| p.comments.iter().map(|c| c.id))
        .collect();
    assert_eq!(ids, (1..=ids.len() as u64).collect::<Vec<_>>());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("report"))
            .expect("json");
    assert_eq!(report["missing_media"].as_array().map(Vec::len), Some(7));
    let photo5 = report["media"]
        .as_array()
        .and_then(|m| {
            m.iter().find(|l| {
                l["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with("photo5.jpg"))
            })
        })
        .expect("photo5 line");
    assert_eq!(photo5["sources"].as_array().map(Vec::len), Some(2));
}
