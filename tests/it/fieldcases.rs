//! Kinds of failure reported publicly by people moving blogs to WordPress
//! (`testdata/field-cases/cNN-*`, one input each, from the shared field
//! cases) and further examples of each kind of our own (`kN-*`, other
//! languages and other shapes of the same failure). Each test runs the
//! real binary and checks what its README says must land, in the WXR and
//! in the report.

use crate::util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use util::{convert, items, shown, testdata, wxr_path, Item};

const MEDIA_URL: &str = "https://blog.example.org/wls-media";

struct Run {
    _dir: tempfile::TempDir,
    out: PathBuf,
    items: Vec<Item>,
    report: serde_json::Value,
    stderr: String,
}

fn run_on(input: &Path) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = convert(input, &out, &["--media-url", MEDIA_URL]);
    let xml = std::fs::read_to_string(wxr_path(&out)).expect("WXR");
    let report = std::fs::read_to_string(out.join("report.json")).expect("report");
    Run {
        items: items(&xml),
        report: serde_json::from_str(&report).expect("report is JSON"),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        out,
        _dir: dir,
    }
}

fn case(name: &str) -> Run {
    run_on(&testdata(&format!("field-cases/{name}")))
}

impl Run {
    fn post(&self, n: u64) -> &Item {
        self.items
            .iter()
            .find(|i| i.post_type == "post" && i.post_id == n)
            .unwrap_or_else(|| panic!("post {n}"))
    }

    fn attachments(&self) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|i| i.post_type == "attachment")
            .collect()
    }

    /// The bundled bytes an URL of the post points at.
    fn bundled(&self, url: &str) -> Vec<u8> {
        let rel = url
            .strip_prefix(&format!("{MEDIA_URL}/"))
            .unwrap_or_else(|| panic!("{url} is not a bundle URL"));
        std::fs::read(self.out.join("media").join(rel)).expect("bundled file")
    }

    fn warnings_of(&self, kind: &str) -> Vec<&serde_json::Value> {
        self.report["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .filter(|w| w["kind"] == kind)
            .collect()
    }
}

/// `(img src, a href)` pairs of a body, in order (attribute values as a
/// browser reads them).
fn images(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_fragment(html);
    let mut out = Vec::new();
    for el in doc.root_element().descendent_elements() {
        if el.value().name() == "img" {
            let link = el
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .find(|a| a.value().name() == "a")
                .and_then(|a| a.value().attr("href"))
                .unwrap_or("")
                .to_string();
            out.push((el.value().attr("src").unwrap_or("").to_string(), link));
        }
    }
    out
}

fn read(p: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

/// Does a stored text field show `want` in a browser, and hold no markup?
fn assert_shows(stored: &str, want: &str, what: &str) {
    let frag = scraper::Html::parse_fragment(stored);
    let elements = frag
        .root_element()
        .descendent_elements()
        .filter(|e| e.value().name() != "html")
        .count();
    assert_eq!(elements, 0, "{what}: {stored:?} is live markup");
    assert_eq!(shown(stored), want, "{what}: stored {stored:?}");
}

// ------------------------------------------------------------ kind 1: text

#[test]
fn c11_titles_show_what_spaces_showed() {
    let r = case("c11-title-entities");
    for (n, want) in [
        (301, "Tom & Jerry <3"),
        (302, "AT&T \"Q&A\" &amp; more"),
        (303, "5 > 3 <b>bold?</b>"),
        (304, "HTML lesson: <img src=x onerror=alert(1)>"),
    ] {
        assert_shows(&r.post(n).title, want, &format!("title of {n}"));
    }
    assert_eq!(
        r.post(304).title,
        "HTML lesson: &lt;img src=x onerror=alert(1)&gt;"
    );
    // The report keeps the plain text.
    let titles: Vec<&str> = r.report["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert!(titles.contains(&"5 > 3 <b>bold?</b>"), "{titles:?}");
}

#[test]
fn k1_titles_categories_and_commenters_in_chinese_and_german() {
    let r = case("k1-text-fields");
    assert_shows(&r.post(401).title, "数学：3 < 5 && 5 > 3", "zh title");
    assert_shows(
        &r.post(402).title,
        "Tipp: <br> statt Enter &amp; mehr",
        "de title",
    );
    let (_, cat) = &r.post(401).categories[0];
    assert_shows(cat, "读书 & 笔记", "zh category");
    let (_, cat) = &r.post(402).categories[0];
    assert_shows(cat, "Kunst & Kultur", "de category");
    let c = &r.post(402).comments;
    let authors: Vec<String> = c.iter().map(|c| shown(&c.author)).collect();
    assert_eq!(
        authors,
        ["M&M <3", "Anna", "Ben", "Lisa ❤️", "Otto", "小明 😀"],
        "emoticons in names: known ones as emoji, unknown ones left out, never their alt word"
    );
    assert_shows(&c[0].author, "M&M <3", "comment author");
    let urls: Vec<&str> = c.iter().map(|c| c.author_url.as_str()).collect();
    assert_eq!(
        urls,
        ["", "http://anna.spaces.live.com/", "", "", "", ""],
        "an author URL is http(s) or empty"
    );
}

// ------------------------------------------------------------ kind 2: media

#[test]
fn c04_same_file_names_in_different_folders_never_swap() {
    let r = case("c04-same-filename");
    let src = |p: &str| read(testdata("field-cases/c04-same-filename").join(p));
    assert_eq!(r.attachments().len(), 4, "4 attachments");
    for (n, full, thumb) in [
        (
            231,
            "aAa111.bay.livefilestore.com/y1pRedFull/image.png@psid=1",
            "aAa111.bay.livefilestore.com/y1pRedThumb/image_thumb.png@psid=1",
        ),
        (
            232,
            "bBb222.bay.livefilestore.com/y1pBlueFull/image.png@psid=1",
            "bBb222.bay.livefilestore.com/y1pBlueThumb/image_thumb.png@psid=1",
        ),
    ] {
        let imgs = images(&r.post(n).content);
        assert_eq!(imgs.len(), 1, "post {n}");
        let (img, link) = &imgs[0];
        assert_eq!(
            r.bundled(img),
            src(thumb),
            "post {n} shows its own thumbnail"
        );
        assert_eq!(r.bundled(link), src(full), "post {n} links its own picture");
    }
    let (img, link) = &images(&r.post(232).content)[0];
    assert!(link.ends_with("/image-2.png"), "{link}");
    assert!(img.ends_with("/image_thumb-2.png"), "{img}");
    assert!(r.warnings_of("ambiguous-media").is_empty(), "{}", r.stderr);
    let parents: Vec<u64> = r.attachments().iter().map(|a| a.post_parent).collect();
    assert_eq!(parents, [231, 231, 232, 232]);
}

#[test]
fn k2_httrack_hashes_percent_names_and_dropped_queries() {
    let r = case("k2-media-schemes");
    let src = |p: &str| read(testdata("field-cases/k2-media-schemes").join(p));
    assert_eq!(r.attachments().len(), 6);
    // HTTrack folds `?psid=1` into four hex digits of its MD5 (76aa).
    let want = [
        (
            501,
            vec![
                (
                    "ccc333.bay.livefilestore.com/y1pHafenKlein/bild_thumb76aa.png",
                    "ccc333.bay.livefilestore.com/y1pHafenGross/bild76aa.png",
                ),
                ("fFf666.bay.livefilestore.com/y1pMarkt/foto.jpg", ""),
            ],
        ),
        (
            502,
            vec![
                (
                    "ddd444.bay.livefilestore.com/y1pSeeKlein/bild_thumb76aa.png",
                    "ddd444.bay.livefilestore.com/y1pSeeGross/bild76aa.png",
                ),
                (
                    "eEe555.bay.livefilestore.com/y1pWald/foto.jpg%3Fdownload&psid=1",
                    "",
                ),
            ],
        ),
    ];
    for (n, pairs) in want {
        let imgs = images(&r.post(n).content);
        assert_eq!(imgs.len(), pairs.len(), "post {n}");
        for ((img, link), (want_img, want_link)) in imgs.iter().zip(pairs) {
            assert_eq!(r.bundled(img), src(want_img), "post {n}: {img}");
            if !want_link.is_empty() {
                assert_eq!(r.bundled(link), src(want_link), "post {n}: {link}");
            }
        }
    }
    assert!(r.report["missing_media"]
        .as_array()
        .expect("list")
        .is_empty());
    assert!(r.warnings_of("ambiguous-media").is_empty(), "{}", r.stderr);
    // Bundle names come from the addresses, not from HTTrack's hashed names.
    let mut names: Vec<&str> = r
        .attachments()
        .iter()
        .map(|a| a.attachment_url.rsplit('/').next().unwrap_or(""))
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "bild-2.png",
            "bild.png",
            "bild_thumb-2.png",
            "bild_thumb.png",
            "foto-2.jpg",
            "foto.jpg"
        ]
    );
}

/// `Photo.JPG` and `photo.jpg` with different bytes (made at run time: a
/// checkout on a case-insensitive disk could not hold both).
#[test]
fn k2_exact_case_wins_and_real_ambiguity_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let space = dir.path().join("in/espaco-da-ana");
    std::fs::create_dir_all(space.join("blog")).expect("mkdir");
    std::fs::create_dir_all(space.join("img")).expect("mkdir");
    let upper = util::fake_jpeg(3, 300);
    let lower = util::fake_jpeg(4, 300);
    std::fs::write(space.join("img/Photo.JPG"), &upper).expect("write");
    std::fs::write(space.join("img/photo.jpg"), &lower).expect("write");
    // The same bytes twice under one name: a copy, not a rival.
    std::fs::create_dir_all(space.join("fotos")).expect("mkdir");
    let beach = util::fake_jpeg(5, 300);
    std::fs::write(space.join("img/mar.jpg"), &beach).expect("write");
    std::fs::write(space.join("fotos/mar.jpg"), &beach).expect("write");
    for (n, title, src) in [
        (601, "Praia", "../img/Photo.JPG"),
        (602, "Serra", "../img/photo.jpg"),
        (
            603,
            "Cidade",
            "http://tkfiles.storage.msn.com/x1pZq/PHOTO.jpg",
        ),
        (604, "Mar", "http://tkfiles.storage.msn.com/x1pMr/mar.jpg"),
    ] {
        let html = format!(
            "<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
<div id=\"subjcns!B7E2A9C40D1F3A56!{n}\">{title}</div>\
<div id=\"msgcns!B7E2A9C40D1F3A56!{n}\" class=\"bvMsg\"><div>Olha: <img src=\"{src}\" alt=\"{title}\"></div></div>\
<span id=\"LastMDatecns!B7E2A9C40D1F3A56!{n}\">10/{}/2009 8:00 PM</span></body></html>",
            n - 598
        );
        std::fs::write(
            space.join(format!("blog/cns!B7E2A9C40D1F3A56!{n}.html")),
            html,
        )
        .expect("write");
    }
    let r = run_on(&dir.path().join("in"));
    let shows = |n: u64| r.bundled(&images(&r.post(n).content)[0].0);
    assert_eq!(shows(601), upper, "Photo.JPG");
    assert_eq!(shows(602), lower, "photo.jpg");
    assert_eq!(shows(604), beach, "mar.jpg");
    let amb = r.warnings_of("ambiguous-media");
    assert_eq!(
        amb.len(),
        1,
        "only the case-blind match is ambiguous: {amb:?}"
    );
    assert_eq!(amb[0]["entry"], "cns!B7E2A9C40D1F3A56!603");
    let msg = amb[0]["message"].as_str().expect("message");
    assert!(msg.contains("used 'espaco-da-ana/img/"), "{msg}");
}

#[test]
fn c10_files_without_extension_recognised_by_their_bytes() {
    let r = case("c10-noext-query");
    let post = r.post(291);
    assert!(
        !post.content.contains("storage.msn.com"),
        "{}",
        post.content
    );
    let mut names: Vec<String> = r
        .attachments()
        .iter()
        .map(|a| {
            a.attachment_url
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["pic.png", "pic_thumb.png", "snap.png", "x1pQwErTyUiOp.png"],
        "extensions from the bytes (pic.jpg is a PNG)"
    );
    let src = |p: &str| read(testdata("field-cases/c10-noext-query").join(p));
    let imgs = images(&post.content);
    assert_eq!(r.bundled(&imgs[0].0), src("storage.msn.com/x1pQwErTyUiOp"));
    assert_eq!(
        r.bundled(&imgs[1].1),
        src("byfiles.storage.msn.com/y1pWf/pic.jpg@PARTNER=WRITER")
    );
    assert!(r.report["missing_media"]
        .as_array()
        .expect("list")
        .is_empty());
}

#[test]
fn k3_extensionless_files_in_sibling_host_folders() {
    let r = case("k3-noext-sibling");
    let post = r.post(701);
    assert!(
        !post.content.contains("storage.msn.com"),
        "{}",
        post.content
    );
    let imgs = images(&post.content);
    assert!(imgs[0].0.ends_with("/x1pKaZe9Tq.jpg"), "{:?}", imgs);
    assert!(imgs[1].0.ends_with("/x1pYoRu7Hn.gif"), "{:?}", imgs);
    let src = |p: &str| read(testdata("field-cases/k3-noext-sibling").join(p));
    assert_eq!(
        r.bundled(&imgs[0].0),
        src("tkfiles.storage.msn.com/x1pKaZe9Tq")
    );
    assert_eq!(r.bundled(&imgs[1].0), src("storage.msn.com/x1pYoRu7Hn"));
}

/// wget `-k` keeps brackets and the query in the saved name
/// (`image[5].png?PARTNER=WRITER`) and links it as
/// `image%5B5%5D.png%3FPARTNER=WRITER`. Built at run time: `?` cannot be
/// in a file name on Windows checkouts. A picture whose link and thumbnail
/// share one address that is not in the archive counts once.
#[test]
fn k2_wget_converted_links_to_names_with_brackets_and_query() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("in");
    let blog = root.join("schreiber.spaces.live.com/blog");
    let store = root.join("byfiles.storage.msn.com/y1pQ5");
    std::fs::create_dir_all(&blog).expect("mkdir");
    std::fs::create_dir_all(&store).expect("mkdir");
    let full = util::fake_jpeg(7, 400);
    let thumb = util::fake_jpeg(8, 120);
    std::fs::write(store.join("image[5].png?PARTNER=WRITER"), &full).expect("write");
    std::fs::write(store.join("image_thumb[5].png?PARTNER=WRITER"), &thumb).expect("write");
    // An absolute address whose saved name kept the `?` (wget on Linux).
    let kept = util::fake_jpeg(9, 90);
    let other = root.join("pub.bay.livefilestore.com/y1mQ7");
    std::fs::create_dir_all(&other).expect("mkdir");
    std::fs::write(other.join("foto.jpg?download&psid=1"), &kept).expect("write");
    let html = "<html><head><meta charset=\"utf-8\"></head><body>\
<div id=\"subjcns!D4C3B2A1F0E9D8C7!81\">Live Writer</div>\
<div id=\"msgcns!D4C3B2A1F0E9D8C7!81\" class=\"bvMsg\"><p>Bild: \
<a href=\"../../byfiles.storage.msn.com/y1pQ5/image%5B5%5D.png%3FPARTNER=WRITER\">\
<img src=\"../../byfiles.storage.msn.com/y1pQ5/image_thumb%5B5%5D.png%3FPARTNER=WRITER\" alt=\"Bild\"></a></p>\
<p>Foto: <img src=\"http://pub.bay.livefilestore.com/y1mQ7/foto.jpg?download&amp;psid=1\"></p>\
<p>Weg: <a href=\"http://byfiles.storage.msn.com/y1pGone/weg.jpg\"><img src=\"http://byfiles.storage.msn.com/y1pGone/weg.jpg\"></a></p></div>\
<span id=\"LastMDatecns!D4C3B2A1F0E9D8C7!81\">2/2/2009 9:00 PM</span></body></html>";
    std::fs::write(blog.join("cns!D4C3B2A1F0E9D8C7!81.entry.html"), html).expect("write");
    let r = run_on(&root);
    let imgs = images(&r.post(81).content);
    assert_eq!(r.bundled(&imgs[0].0), thumb);
    assert_eq!(r.bundled(&imgs[0].1), full);
    assert_eq!(r.bundled(&imgs[1].0), kept);
    let missing = r.report["missing_media"].as_array().expect("list");
    assert_eq!(
        missing.len(),
        1,
        "one missing picture, counted once: {missing:?}"
    );
}

// ------------------------------------------------------------ kind 3: wraps

#[test]
fn c05_editor_wraps_become_spaces_and_real_breaks_stay() {
    let r = case("c05-linebreaks");
    let wrapped = &r.post(242).content;
    assert!(
        !wrapped.contains('\n') && !wrapped.contains('\r'),
        "{wrapped:?}"
    );
    assert!(
        wrapped.contains("wrapped it in the middle, and it must stay one line."),
        "{wrapped}"
    );
    assert!(wrapped.contains("Second paragraph."), "{wrapped}");
    assert_eq!(r.post(241).content.matches("<br>").count(), 4);
    assert_eq!(r.post(243).content.matches("<div>").count(), 4);
    assert!(
        r.post(244)
            .content
            .contains("col1  col2\n1     2\n\n3     4"),
        "{}",
        r.post(244).content
    );
}

#[test]
fn k5_wraps_in_french_chinese_and_comments() {
    let r = case("k5-linebreaks");
    let fr = &r.post(451).content;
    assert!(!fr.contains(['\n', '\r']), "{fr:?}");
    assert!(fr.contains("coupée au milieu"), "{fr}");
    assert!(fr.contains("Deuxième paragraphe."), "{fr}");
    let zh = &r.post(452).content;
    assert!(!zh.contains('\n'), "{zh:?}");
    assert!(zh.contains("第一行<br>"), "a real break stays: {zh}");
    let code = &r.post(453).content;
    assert!(code.contains("ligne 1\n  ligne 2\n\nligne 4"), "{code:?}");
    assert_eq!(r.post(453).comments[0].content, "Merci pour le code.");
}

// ------------------------------------------------------------ kind 4: comments

#[test]
fn c08_all_comments_in_order_with_the_authorless_one() {
    let r = case("c08-300-comments");
    let c = &r.post(271).comments;
    assert_eq!(c.len(), 302);
    let anon: Vec<_> = c
        .iter()
        .filter(|c| c.content.contains("Anonymous remark"))
        .collect();
    assert_eq!(anon.len(), 1);
    assert_eq!(anon[0].author, "Anonymous");
    assert_eq!(anon[0].content, "Anonymous remark");
    assert_eq!(anon[0].date, "2008-01-13 01:00:00");
    assert!(r.warnings_of("comment-date").is_empty(), "{}", r.stderr);
    let dates: Vec<&str> = c.iter().map(|c| c.date.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "chronological");
    let ids: Vec<u64> = c.iter().map(|c| c.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    // Equal times keep page order: the twin is listed above number 299.
    let pos = |t: &str| c.iter().position(|c| c.content.contains(t)).expect(t);
    assert_eq!(pos("Twin comment") + 1, pos("Comment number 299"));
    for k in 0..300 {
        let t = format!("Comment number {k:03}");
        assert_eq!(c.iter().filter(|c| c.content == t).count(), 1, "{t}");
    }
}

#[test]
fn k8_german_comments_without_author_and_with_ties() {
    let r = case("k8-comments");
    let c = &r.post(571).comments;
    let got: Vec<(String, &str, &str)> = c
        .iter()
        .map(|c| (shown(&c.author), c.date.as_str(), c.content.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Uwe".to_string(), "2008-02-13 08:00:00", "Erster!"),
            (
                "Anonymous".to_string(),
                "2008-02-13 12:00:00",
                "Noch ein anonymer Gruß"
            ),
            ("Petra".to_string(), "2008-02-13 22:00:00", "Grüße aus Köln"),
            (
                "Anonymous".to_string(),
                "2008-02-14 07:05:00",
                "Ohne Namen geschrieben"
            ),
            (
                "Jens".to_string(),
                "2008-02-14 18:30:00",
                "Gedanke A (oben auf der Seite)"
            ),
            (
                "Jens".to_string(),
                "2008-02-14 18:30:00",
                "Gedanke B (darunter, gleiche Minute)"
            ),
        ]
    );
}

// ------------------------------------------------------------ kind 5: Flash

#[test]
fn c06_flash_players_never_show_and_are_reported() {
    let r = case("c06-video-embed");
    for i in r.items.iter().filter(|i| i.post_type == "post") {
        assert!(!i.content.contains(".swf"), "{}: {}", i.post_id, i.content);
    }
    assert!(r
        .post(251)
        .content
        .contains("<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>"));
    assert_eq!(
        r.post(253).content,
        "<p>https://www.youtube.com/watch?v=AbCdEfGhIjK</p>"
    );
    let soapbox = &r.post(252).content;
    assert_eq!(
        soapbox
            .matches("http://video.msn.com/video.aspx?vid=3c8b3d6e-1f2a-4b5c-9d8e-7f6a5b4c3d2e")
            .count(),
        1,
        "{soapbox}"
    );
    assert!(soapbox.contains(">Video: Cat video</a>"), "{soapbox}");
    let change = r.report["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["post"] == "cns!A1B2C3D4E5F60718!252" && c["comment"].is_null())
        .expect("the embed is reported");
    assert_eq!(change["removed"]["embed:flash-player"], 1);
    assert_eq!(change["removed"]["embed:msn"], 1);
}

#[test]
fn k6_flash_in_japanese_posts() {
    let r = case("k6-flash");
    for i in r.items.iter().filter(|i| i.post_type == "post") {
        assert!(!i.content.contains("swf"), "{}: {}", i.post_id, i.content);
    }
    let soapbox = &r.post(551).content;
    assert_eq!(
        soapbox.matches("video.aspx?vid=9f8e7d6c").count(),
        1,
        "{soapbox}"
    );
    assert!(soapbox.contains("ビデオ: 猫"));
    assert_eq!(r.post(552).content, "<p>旅行の動画：</p><p>以上です。</p>");
    assert!(r
        .post(553)
        .content
        .contains("\nhttps://www.youtube.com/watch?v=Zx9_Yw8-Vu7\n"));
    let removed: BTreeMap<String, u64> = r.report["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["post"] == "cns!C3D5E7F90A1B2C4D!552")
        .flat_map(|c| c["removed"].as_object().expect("map").clone())
        .map(|(k, v)| (k, v.as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(removed.get("embed:flash-player"), Some(&1), "{removed:?}");
}

// ------------------------------------------------------------ kind 6: merges

/// The same person writing the same words on two posts, and twice on one
/// post on different days, where the entry is on a list page and on its
/// own page: every one of those comments is a comment of its own.
#[test]
fn k9_same_words_by_the_same_person_are_separate_comments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("in/annas-raum.spaces.live.com");
    std::fs::create_dir_all(site.join("blog")).expect("mkdir");
    let owner = "ABCDEF0123456789";
    let comment = |date: &str| {
        format!(
            "<div class=\"bvCommentText bvwordwrap\"><a href=\"http://anna.spaces.live.com/\">Anna</a>\
<div>Schön!</div><span>{date}</span></div>"
        )
    };
    let list_entry = |n: u32, title: &str, date: &str, comments: &[&str]| {
        let c: String = comments.iter().map(|d| comment(d)).collect();
        format!(
            "<div class=\"bvEntry\" id=\"entrycns!{owner}!{n}\" bv:cns=\"cns!{owner}!{n}\">\
<h4 id=\"subjcns!{owner}!{n}\">{title}</h4><div class=\"bvMsg\" id=\"msgcns!{owner}!{n}\"><div>Text {n}</div></div>\
<div class=\"footerLinks\"><nobr>{date}</nobr></div><div class=\"bvCommentsArea\">{c}</div></div>"
        )
    };
    let list = format!(
        "<html><head><meta charset=\"utf-8\"></head><body><div id=\"blogList\">{}{}</div></body></html>",
        list_entry(11, "Eins", "3/1/2008 10:00 AM", &["3/1/2008 11:00 AM"]),
        list_entry(
            12,
            "Zwei",
            "3/2/2008 10:00 AM",
            &["3/9/2008 8:00 PM", "3/2/2008 11:00 AM"]
        ),
    );
    std::fs::write(site.join("index.html"), list).expect("write");
    // The entry's own page was saved before the second comment.
    let single = format!(
        "<html><head><meta charset=\"utf-8\"></head><body>\
<div id=\"subjcns!{owner}!12\">Zwei</div><div class=\"bvMsg\" id=\"msgcns!{owner}!12\"><div>Text 12</div></div>\
<span id=\"LastMDatecns!{owner}!12\">3/2/2008 10:00 AM</span>{}</body></html>",
        comment("3/2/2008 11:00 AM"),
    );
    std::fs::write(site.join(format!("blog/cns!{owner}!12.entry.html")), single).expect("write");
    let r = run_on(&dir.path().join("in"));
    let dates =
        |n: u64| -> Vec<String> { r.post(n).comments.iter().map(|c| c.date.clone()).collect() };
    assert_eq!(dates(11), ["2008-03-01 11:00:00"]);
    assert_eq!(
        dates(12),
        ["2008-03-02 11:00:00", "2008-03-09 20:00:00"],
        "the copy on the list page merges; the later comment stays"
    );
}

/// DEL and C1 control characters (U+0080..U+009F, NEL among them) leave
/// the text like the other control characters, and never glue two words.
#[test]
fn k10_del_and_c1_controls_never_glue_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("in");
    std::fs::create_dir_all(&root).expect("mkdir");
    let owner = "0123456789ABCDEF";
    let page = format!(
        "<html><head><meta charset=\"utf-8\"></head><body><div id=\"blogList\">\
<div class=\"bvEntry\" id=\"entrycns!{owner}!5\" bv:cns=\"cns!{owner}!5\" bv:cat=\"Reise\u{85}Notizen\">\
<h4 id=\"subjcns!{owner}!5\">Hallo\u{7f}Welt \u{9f}und\u{1}mehr</h4>\
<div class=\"bvMsg\" id=\"msgcns!{owner}!5\"><p>eins\u{85}zwei\u{80}\u{81}drei 今天\u{7f}天气</p></div>\
<div class=\"footerLinks\"><nobr>3/4/2009 9:00 PM</nobr></div>\
<div class=\"bvCommentsArea\"><div class=\"bvCommentText\"><a href=\"http://max.spaces.live.com/\">Max\u{7f}Mustermann</a>\
<div>gut\u{9c}gemacht</div><span>3/5/2009 8:00 AM</span></div></div></div></div></body></html>"
    );
    std::fs::write(root.join("blog.html"), page).expect("write");
    let r = run_on(&root);
    let xml = std::fs::read_to_string(wxr_path(&r.out)).expect("WXR");
    assert!(
        !xml.chars()
            .any(|c| c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c)),
        "no DEL or C1 character is left"
    );
    let p = r.post(5);
    assert_shows(&p.title, "Hallo Welt und mehr", "title");
    assert!(
        p.content.contains("eins zwei drei 今天 天气"),
        "{}",
        p.content
    );
    assert_shows(&p.categories[0].1, "Reise Notizen", "category");
    assert_shows(&p.comments[0].author, "Max Mustermann", "comment author");
    assert_eq!(p.comments[0].content, "gut gemacht");
}

/// HTTrack logs what it saved where (`hts-cache/new.txt`): a name no rule
/// can guess (renamed after a clash) is found through the log.
#[test]
fn k2_httrack_log_names_the_saved_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("in/wls-hotlist");
    let blog = root.join("foto.spaces.live.com/blog");
    let store = root.join("ggg777.bay.livefilestore.com/y1pK");
    std::fs::create_dir_all(&blog).expect("mkdir");
    std::fs::create_dir_all(&store).expect("mkdir");
    std::fs::create_dir_all(root.join("hts-cache")).expect("mkdir");
    let real = util::fake_jpeg(11, 200);
    let other = util::fake_jpeg(12, 150);
    std::fs::write(store.join("bild-1.jpg"), &real).expect("write");
    std::fs::write(store.join("bild.jpg"), &other).expect("write");
    let log = "date\tsize'/'remotesize\tflags(request:Update,Range state:File response:Modified,Chunked,gZipped)\tstatuscode\tstatus ('servermsg')\tMIME\tEtag|Date\tURL\tlocalfile\t(from URL)\n\
06:31:40\t3120/3120\t---M--\t200\tadded ('OK')\ttext/html\tdate:Sat, 08 Dec 2007 06:31:40 GMT\thttp://foto.spaces.live.com/blog/cns!1234ABCD5678EF90!9.entry\tC:/My Web Sites/wls-hotlist/foto.spaces.live.com/blog/cns!1234ABCD5678EF90!9.html\t(from )\n\
06:31:41\t206/206\t---M--\t200\tadded ('OK')\timage/jpeg\tdate:Sat, 08 Dec 2007 06:31:41 GMT\thttp://ggg777.bay.livefilestore.com/y1pK/bild.jpg?psid=2\tC:/My Web Sites/wls-hotlist/ggg777.bay.livefilestore.com/y1pK/bild-1.jpg\t(from http://foto.spaces.live.com/blog/cns!1234ABCD5678EF90!9.entry)\n";
    std::fs::write(root.join("hts-cache/new.txt"), log).expect("write");
    let page = "<html><head><meta charset=\"utf-8\"></head><body>\
<div id=\"subjcns!1234ABCD5678EF90!9\">Zwei Bilder</div>\
<div id=\"msgcns!1234ABCD5678EF90!9\" class=\"bvMsg\"><p><img src=\"http://ggg777.bay.livefilestore.com/y1pK/bild.jpg?psid=2\"></p></div>\
<span id=\"LastMDatecns!1234ABCD5678EF90!9\">12/7/2007 9:00 PM</span></body></html>";
    std::fs::write(blog.join("cns!1234ABCD5678EF90!9.html"), page).expect("write");
    let r = run_on(&dir.path().join("in"));
    let imgs = images(&r.post(9).content);
    assert_eq!(r.bundled(&imgs[0].0), real, "the file the log names");
}
