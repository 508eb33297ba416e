//! Crawler layouts, page eras, markets and encodings: the real binary on the
//! fixtures built for them (`testdata/wget-mirror`, `httrack-mirror`,
//! `save-page-complete`, `zh-tw-big5`, `ja-sjis`, `de-pt-dates`,
//! `feed-only-dates`, `cp437-names.zip`, `utf8-flag-names.zip`). The WXR must
//! hold exactly the posts, dates, categories and comments of each fixture's
//! `expected.json`, and `report.json` the warnings it lists.
//!
//! Extensions of the `expected.json` format used here (see
//! `testdata/README.md` for the rest):
//! - `crawl_date`: passed as `--crawl-date` (relative comment dates);
//! - per comment `email`: the `mailto:` address of a 2007 comment author;
//! - per post `images`: archive paths that must be bundled for that post;
//! - `warnings`: report warnings that must be present, each with `kind`,
//!   `file`, `entry` and `message_contains` (case-insensitive), all optional;
//! - `absent_warnings`: the same shape, for warnings that must not appear.
//!
//! The byte-exact fixtures (GBK, Big5, Shift_JIS, windows-1252 pages and
//! the two zips) come from `scripts/make-layout-fixtures.py`.

use crate::util;

use std::io::Write;
use std::process::Command;

use serde_json::Value;
use util::{convert, testdata, wxr_path, Item};

fn expected(rel: &str) -> Value {
    let text = std::fs::read_to_string(testdata(rel)).expect("expected.json exists");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

/// One conversion, kept for extra assertions.
struct Run {
    _dir: tempfile::TempDir,
    xml: String,
    items: Vec<Item>,
    report: Value,
}

impl Run {
    fn posts(&self) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|i| i.post_type == "post")
            .collect()
    }

    fn warnings(&self) -> Vec<&Value> {
        self.report["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .collect()
    }
}

fn run_fixture(input: &str, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    convert(&testdata(input), &out, args);
    let xml = std::fs::read_to_string(wxr_path(&out)).expect("read WXR");
    let report =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
            .expect("report.json is JSON");
    Run {
        items: util::items_of(&wxr_path(&out)),
        xml,
        report,
        _dir: dir,
    }
}

/// Convert `input` (with `--crawl-date` when the fixture names one) and
/// compare with `expected_rel`.
fn check_fixture(input: &str, expected_rel: &str) -> Run {
    let want = expected(expected_rel);
    let mut args: Vec<&str> = Vec::new();
    if let Some(c) = want["crawl_date"].as_str() {
        args.extend(["--crawl-date", c]);
    }
    let run = run_fixture(input, &args);
    let posts = run.posts();
    let want_posts = want["posts"].as_array().expect("posts array");
    let got_ids: Vec<&str> = posts
        .iter()
        .filter_map(|p| p.meta("_wls_entry_id"))
        .collect();
    assert_eq!(
        posts.len(),
        want_posts.len(),
        "post count of {input}: {got_ids:?}"
    );
    for w in want_posts {
        let id = w["spaces_id"].as_str().expect("spaces_id");
        let p = posts
            .iter()
            .find(|p| p.meta("_wls_entry_id") == Some(id))
            .unwrap_or_else(|| panic!("{input}: no post {id}; posts: {got_ids:?}"));
        check_post(input, w, p, &run);
    }
    let want_order: Vec<&str> = want_posts
        .iter()
        .filter_map(|w| w["spaces_id"].as_str())
        .collect();
    assert_eq!(got_ids, want_order, "{input}: posts in chronological order");
    check_warnings(input, &want, &run);
    run
}

fn check_post(input: &str, w: &Value, p: &Item, run: &Run) {
    let id = w["spaces_id"].as_str().unwrap_or_default();
    util::check_post_fields(input, id, w, p);
    check_comments(input, id, w, p, &run.xml);
    check_images(input, id, w, p, run);
}

fn check_comments(input: &str, id: &str, w: &Value, p: &Item, xml: &str) {
    let want = w["comments"].as_array().cloned().unwrap_or_default();
    let got: Vec<(&str, &str)> = p
        .comments
        .iter()
        .map(|c| (c.author.as_str(), c.date.as_str()))
        .collect();
    assert_eq!(got.len(), want.len(), "{input} {id} comment count: {got:?}");
    let emails = comment_emails(xml, p.post_id);
    for (k, (c, wc)) in p.comments.iter().zip(&want).enumerate() {
        if let Some(a) = wc["author"].as_str().filter(|a| !a.is_empty()) {
            assert_eq!(
                util::shown(&c.author),
                a,
                "{input} {id} comment {k} author: {got:?}"
            );
        }
        if let Some(d) = wc["date"].as_str() {
            assert_eq!(c.date, d, "{input} {id} comment {k} date: {got:?}");
        }
        if let Some(t) = wc["text_contains"].as_str() {
            assert!(
                c.content.contains(t),
                "{input} {id} comment {k}: {:?} lacks {t:?}",
                c.content
            );
        }
        if let Some(e) = wc["email"].as_str() {
            assert_eq!(
                emails.get(k).map(String::as_str),
                Some(e),
                "{input} {id} comment {k} email"
            );
        }
    }
    let ids: Vec<u64> = p.comments.iter().map(|c| c.id).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "{input} {id}: comment ids rise with time: {ids:?}"
    );
    assert!(p.comments.iter().all(|c| c.parent == 0 || c.parent < c.id));
}

/// `wp:comment_author_email` of every comment of post `post_id`, in order.
fn comment_emails(xml: &str, post_id: u64) -> Vec<String> {
    const WP: &str = "http://wordpress.org/export/1.2/";
    let doc = roxmltree::Document::parse(xml).expect("the WXR is well-formed XML");
    let child_text = |n: roxmltree::Node<'_, '_>, name: &str| -> String {
        n.children()
            .find(|c| c.has_tag_name((WP, name)))
            .map(|c| c.children().filter_map(|t| t.text()).collect())
            .unwrap_or_default()
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("item"))
        .find(|n| {
            child_text(*n, "post_type") == "post"
                && child_text(*n, "post_id").trim().parse() == Ok(post_id)
        })
        .map(|item| {
            item.children()
                .filter(|c| c.has_tag_name((WP, "comment")))
                .map(|c| child_text(c, "comment_author_email"))
                .collect()
        })
        .unwrap_or_default()
}

/// Each expected image is bundled (a `media` line of the report names it as
/// a source), belongs to this post (an attachment whose parent is the post)
/// and the post no longer links to it by its archive path.
fn check_images(input: &str, id: &str, w: &Value, p: &Item, run: &Run) {
    let want: Vec<&str> = w["images"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if want.is_empty() {
        return;
    }
    let media = run.report["media"].as_array().cloned().unwrap_or_default();
    for img in &want {
        let line = media.iter().find(|m| {
            m["sources"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|s| s.as_str() == Some(img))
        });
        let line = line.unwrap_or_else(|| {
            panic!(
                "{input} {id}: image {img:?} is not bundled; media: {media:?}; missing: {}",
                run.report["missing_media"]
            )
        });
        let path = line["path"].as_str().unwrap_or_default();
        let attachment = run.items.iter().find(|i| {
            i.post_type == "attachment" && i.post_parent == p.post_id && {
                let url = percent_decode(&i.attachment_url);
                url.ends_with(path)
            }
        });
        assert!(
            attachment.is_some(),
            "{input} {id}: no attachment of this post for media/{path}"
        );
    }
    let missing: Vec<&Value> = run.report["missing_media"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["post"].as_str() == Some(id))
        .filter(|m| {
            let url = percent_decode(m["url"].as_str().unwrap_or_default());
            want.iter()
                .any(|img| img.rsplit('/').next().is_some_and(|n| url.contains(n)))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{input} {id}: bundled images also reported missing: {missing:?}"
    );
}

/// Minimal `%XX` decoding (UTF-8) for comparing URLs with file names.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Does warning `w` match the pattern `want` (every field given must match)?
fn warning_matches(w: &Value, want: &Value) -> bool {
    let field = |k: &str| want[k].as_str();
    field("kind").is_none_or(|k| w["kind"].as_str() == Some(k))
        && field("file").is_none_or(|f| w["file"].as_str() == Some(f))
        && field("entry").is_none_or(|e| w["entry"].as_str() == Some(e))
        && field("message_contains").is_none_or(|m| {
            w["message"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase()
                .contains(&m.to_lowercase())
        })
}

fn check_warnings(input: &str, want: &Value, run: &Run) {
    let got = run.warnings();
    for w in want["warnings"].as_array().into_iter().flatten() {
        assert!(
            got.iter().any(|g| warning_matches(g, w)),
            "{input}: report.json lacks a warning like {w}; it has:\n{}",
            serde_json::to_string_pretty(&got).unwrap_or_default()
        );
    }
    for w in want["absent_warnings"].as_array().into_iter().flatten() {
        let hits: Vec<&&Value> = got.iter().filter(|g| warning_matches(g, w)).collect();
        assert!(
            hits.is_empty(),
            "{input}: report.json should have no warning like {w}: {hits:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// one test per fixture

/// wget `-E -k`: the same entry as `.entry.html` and as
/// `.entry?_c11_….html`, a Windows-names `@` copy, and a list page with
/// shorter data; relative comment dates of 2008-12..2010 (`.ccCommentBox`)
/// and 2010 (`.cc2_cmt`) against `--crawl-date 2010-11-20 12:00:00`; a page
/// that shows 3 of 23 comments.
#[test]
fn wget_mirror_merges_list_and_entry_pages() {
    let run = check_fixture("wget-mirror", "wget-mirror/expected.json");
    // The two wget copies of 401 and its list-page excerpt are one post whose
    // body is the full text of the entry page, not the list excerpt.
    let p401 = run
        .posts()
        .into_iter()
        .find(|p| p.post_id == 401)
        .expect("post 401");
    assert!(!p401.content.contains("Read more"), "{}", p401.content);
    let missing: Vec<&Value> = run
        .warnings()
        .into_iter()
        .filter(|w| w["kind"] == "missing-comments")
        .collect();
    assert_eq!(missing.len(), 1, "only 402 lacks comments: {missing:?}");
}

/// HTTrack: hashed query names (`!5012f3a.html` is entry 501, not 5012), a
/// 2006 page with `<td valign=top nowrap>` cells under an old
/// `spaces.msn.com` host folder, 2007 `.bvCommentText.bvwordwrap` comments
/// (author as a text node or a `mailto:` link), a private space placeholder
/// and a page that is not from Spaces at all.
#[test]
fn httrack_mirror_reads_ids_from_the_dom() {
    let run = check_fixture("httrack-mirror", "httrack-mirror/expected.json");
    let ids: Vec<u64> = run.posts().iter().map(|p| p.post_id).collect();
    assert!(
        !ids.contains(&5012),
        "no post from the hashed file name: {ids:?}"
    );
    let kims: Vec<&Value> = run
        .warnings()
        .into_iter()
        .filter(|w| w["file"] == "kims-photos.example.net/index.html")
        .collect();
    assert!(
        kims.iter().all(|w| w["kind"] != "private-space"),
        "a non-Spaces page is not a private space: {kims:?}"
    );
    let ignored: Vec<&str> = run.report["ignored_pages"]
        .as_array()
        .expect("ignored_pages")
        .iter()
        .filter_map(|p| p["file"].as_str())
        .collect();
    assert!(
        ignored.contains(&"kims-photos.example.net/index.html"),
        "the non-Spaces page is listed as ignored: {ignored:?}"
    );
}

/// IE "Save as, Web page complete": GBK bytes with a gb2312 meta, `4月14日`
/// without a year (taken from the neighbouring entry `2010/4/20`), an image
/// in the `_files` folder; the neighbour page in UTF-8 with a BOM and CRLF.
#[test]
fn save_page_complete_gbk_with_year_from_neighbour() {
    check_fixture("save-page-complete", "save-page-complete/expected.json");
}

/// A zh-TW list page in Big5 bytes under a stale `charset=gb2312` meta:
/// titles as numeric references and as raw text, `2008/3/9 下午 04:05:00`.
#[test]
fn zh_tw_big5_under_a_stale_gb2312_meta() {
    check_fixture("zh-tw-big5", "zh-tw-big5/expected.json");
}

/// ja-JP single-entry pages in Shift_JIS: `2008/05/03` and `2008年5月17日`
/// dates with the time in the footer, `.ccCommentBox` comments with absolute
/// `2008/05/04 9:05` dates.
#[test]
fn ja_shift_jis_pages() {
    let run = check_fixture("ja-sjis", "ja-sjis/expected.json");
    let notes: Vec<&Value> = run
        .warnings()
        .into_iter()
        .filter(|w| w["kind"] == "encoding")
        .collect();
    assert!(
        notes.is_empty(),
        "a correct Shift_JIS meta needs no note: {notes:?}"
    );
}

/// One space in two cultures: a de-DE list page (windows-1252, no charset,
/// `dd.MM.yyyy HH:mm`) and pt-BR entry pages (`dd/MM/yyyy`); `28/09/2010`
/// makes the archive day-first, so `03/04/2009` is 3 April.
#[test]
fn de_and_pt_dates_in_one_space() {
    check_fixture("de-pt-dates", "de-pt-dates/expected.json");
}

/// A western Windows zip: CP437 names, no UTF-8 flag, image by relative path.
#[test]
fn zip_with_cp437_names() {
    check_fixture("cp437-names.zip", "cp437-names.expected.json");
}

/// A zip with the UTF-8 flag and Japanese names; the image is referenced by
/// its SkyDrive URL and found by file name.
#[test]
fn zip_with_utf8_flag_names() {
    check_fixture("utf8-flag-names.zip", "utf8-flag-names.expected.json");
}

/// Entry pages without a printed date and a `feed.rss` beside them: the
/// feed's `pubDate` dates the post; its photo-album item is not a post.
#[test]
fn feed_rss_supplies_missing_dates() {
    let run = check_fixture("feed-only-dates", "feed-only-dates/expected.json");
    assert!(
        run.posts().iter().all(|p| p.title != "Autumn walk"),
        "the photo album item is not a post"
    );
}

// ---------------------------------------------------------------------------

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The checked-in byte-exact fixtures are what the generator writes.
#[test]
fn layout_fixture_generator_is_up_to_date() {
    let python = std::env::var("SPACES2WXR_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "python3".to_owned());
    let out = Command::new(&python)
        .arg(util::root().join("scripts/make-layout-fixtures.py"))
        .arg("--check")
        .output();
    match out {
        Ok(o) => assert!(
            o.status.success(),
            "scripts/make-layout-fixtures.py --check failed:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(!in_ci(), "{python} is not installed, but CI is set");
            let _ = writeln!(std::io::stderr(), "skipped: {python} not installed");
        }
        Err(e) => panic!("cannot run {python}: {e}"),
    }
}
