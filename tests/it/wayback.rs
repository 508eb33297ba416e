//! Inputs recorded through the Wayback Machine (issue 14): pages a browser
//! saved from web.archive.org, and the trees of wayback_machine_downloader
//! (and its fork), waybackpack and pywaybackup. Fixtures are written by
//! `scripts/make-wayback-fixtures.py`.

use crate::util;

use serde_json::Value;
use util::{convert, testdata, wxr_path, Item};

/// Convert a fixture with `--timezone UTC` (so local and GMT times agree)
/// and return its posts, its report and the WXR text.
fn run(fixture: &str) -> (Vec<Item>, Value, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    convert(
        &testdata(fixture),
        &out,
        &["--timezone", "UTC", "--crawl-date", "2010-11-20 12:00:00"],
    );
    let wxr = wxr_path(&out);
    let xml = std::fs::read_to_string(&wxr).expect("WXR");
    let posts = util::items_of(&wxr)
        .into_iter()
        .filter(|i| i.post_type == "post")
        .collect();
    let report = std::fs::read_to_string(out.join("report.json")).expect("report");
    (posts, serde_json::from_str(&report).expect("json"), xml)
}

fn post(posts: &[Item], id: u64) -> &Item {
    posts
        .iter()
        .find(|p| p.post_id == id)
        .unwrap_or_else(|| panic!("post {id}"))
}

fn warnings_of<'a>(report: &'a Value, kind: &str) -> Vec<&'a Value> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"] == kind)
        .collect()
}

fn comment_dates(p: &Item) -> Vec<(String, String)> {
    p.comments
        .iter()
        .map(|c| (c.author.clone(), c.date.clone()))
        .collect()
}

/// Nothing the Wayback Machine injected reaches the output.
fn no_archive_traces(xml: &str) {
    for trace in [
        "WAYBACK TOOLBAR",
        "wm-ipp",
        "__wm",
        "web.archive.org",
        "archive.org",
        "captures",
        "FILE ARCHIVED",
    ] {
        assert!(!xml.contains(trace), "{trace} in the WXR");
    }
}

#[test]
fn saved_wayback_pages_give_their_entries_newest_body_all_comments() {
    let (posts, report, xml) = run("wayback-saved-en");
    assert_eq!(
        posts.len(),
        2,
        "two entries; the redirect capture is no post"
    );
    no_archive_traces(&xml);
    let trip = post(&posts, 101);
    assert_eq!(trip.title, "Trip notes");
    assert_eq!(trip.post_date, "2009-02-28 18:15:00");
    // The newer capture (15 March) gives the body.
    assert!(
        trip.content.contains("(Edited: photos fixed.)"),
        "{}",
        trip.content
    );
    // Every comment of both captures, once; relative dates count from the
    // capture time of the page they were read on, not from --crawl-date.
    assert_eq!(
        comment_dates(trip),
        [
            ("Ann".to_string(), "2009-02-28 12:00:00".to_string()),
            ("Dee".into(), "2009-03-01 07:00:00".into()),
            ("Bob".into(), "2009-03-01 12:00:00".into()),
            ("Cleo".into(), "2009-03-13 09:30:00".into()),
        ]
    );
    assert!(
        xml.contains("http://demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!101.entry"),
        "the original permalink is kept"
    );
    // Entry 102 was saved "complete": its picture is a local file; its
    // comment "1 day ago" counts from the capture's 12:05:10.
    let lake = post(&posts, 102);
    assert_eq!(
        comment_dates(lake),
        [("Sam".to_string(), "2009-02-28 12:05:10".to_string())]
    );
    // Its root-relative Wayback link to entry 101 became a link to the post.
    assert!(
        lake.content
            .contains("href=\"http://localhost/?name=trip-notes-101\""),
        "{}",
        lake.content
    );
    // Both pictures were found: the `im_` one under its host folder.
    let media: Vec<&str> = report["media"]
        .as_array()
        .expect("media")
        .iter()
        .filter_map(|m| m["sources"][0].as_str())
        .collect();
    assert_eq!(
        media,
        [
            "tkfiles.storage.msn.com/x1pLakeView.jpg",
            "saved/Lake day - Dana's space_files/x1pKayak.jpg"
        ]
    );
    assert!(trip
        .content
        .contains("/spaces2wxr-media/2009/02/x1pLakeView.jpg"));
    let redirects = warnings_of(&report, "wayback-redirect");
    assert_eq!(redirects.len(), 1);
    assert_eq!(redirects[0]["file"], "saved/redirect capture.html");
    assert!(redirects[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("http://demo-space.wordpress.com/")));
}

#[test]
fn downloader_trees_with_query_names_and_hashed_names() {
    let (posts, report, xml) = run("wayback-hmd-zh");
    let mut ids: Vec<u64> = posts.iter().map(|p| p.post_id).collect();
    ids.sort_unstable();
    assert_eq!(ids, [201, 202, 203]);
    assert_eq!(post(&posts, 201).title, "春天来了");
    assert_eq!(post(&posts, 201).comments.len(), 2);
    assert_eq!(
        post(&posts, 202).comments[0].content.trim(),
        "我也喜欢钱钟书。"
    );
    // The picture came from the image host's own tree.
    assert_eq!(report["counts"]["attachments"], 1);
    assert!(post(&posts, 201)
        .content
        .contains("/spaces2wxr-media/2008/04/x1pYulan.jpg"));
    // The fork's hashed page, with the capture time its `.cdx.json` gives.
    assert!(xml.contains("cns!3A7F00C2B5E1D904!202__q6f960c86949e.entry"));
    assert_eq!(report["warnings"].as_array().map(Vec::len), Some(0));
}

#[test]
fn waybackpack_captures_merge_and_a_late_redirect_is_reported() {
    let (posts, report, _) = run("wayback-pack-pt");
    assert_eq!(posts.len(), 1);
    let p = &posts[0];
    assert_eq!(p.title, "Férias em Floripa");
    assert!(
        p.content.contains("Fotos em breve!"),
        "newest body: {}",
        p.content
    );
    let authors: Vec<&str> = p.comments.iter().map(|c| c.author.as_str()).collect();
    assert_eq!(authors, ["Marina", "Pedro"]);
    // "Sept. 20" counts from the 2009-09-21 capture.
    assert_eq!(p.comments[0].date, "2009-09-20 12:00:00");
    let late = warnings_of(&report, "wayback-redirect");
    assert_eq!(late.len(), 1);
    assert!(late[0]["file"]
        .as_str()
        .is_some_and(|f| f.starts_with("pack/20110601000000/")));
}

#[test]
fn pywaybackup_tree_with_its_csv() {
    let (posts, report, _) = run("wayback-pywb-de");
    assert_eq!(posts.len(), 2);
    let first = post(&posts, 401);
    assert_eq!(first.title, "Herbst im Schwarzwald");
    assert_eq!(first.post_date, "2010-10-03 14:20:00");
    assert_eq!(first.comments[0].date, "2010-10-04 09:12:00");
    assert!(
        first
            .content
            .contains("href=\"http://localhost/?name=ruckweg-mit-dem-zug-402\""),
        "{}",
        first.content
    );
    let late = warnings_of(&report, "wayback-redirect");
    assert_eq!(late.len(), 1, "the CSV's 302 row");
    assert!(late[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("login.live.com")));
}
