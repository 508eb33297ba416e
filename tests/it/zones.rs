//! Time zones and URLs on the real binary: the zone of each blog from the
//! market or language its pages name (zh-cn → Asia/Shanghai, ja-jp →
//! Asia/Tokyo, en-us → UTC with one note), `--timezone` always winning,
//! and `--site-url` required before any work, recorded with the media URL,
//! the zone and the files written in `report.json`.

use crate::util;

use std::path::Path;

use serde_json::Value;
use util::{convert, gmt_of, items_of, testdata, try_convert, wxr_path};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn report(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
        .expect("report is JSON")
}

/// Every post and comment's GMT date is its local date in `zone`, and
/// differs from it by `hours` (no daylight saving in these zones).
fn dates_in(out: &Path, zone: &str, hours: i64) {
    let items = items_of(&wxr_path(out));
    let posts: Vec<_> = items.iter().filter(|i| i.post_type == "post").collect();
    assert!(!posts.is_empty());
    let parse = |s: &str| {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("a WXR date")
    };
    for p in posts {
        assert_eq!(p.zone, zone);
        assert_eq!(p.post_date_gmt, gmt_of(&p.post_date, zone), "{}", p.title);
        let diff = parse(&p.post_date) - parse(&p.post_date_gmt);
        assert_eq!(diff.num_hours(), hours, "{}", p.title);
        for c in &p.comments {
            let diff = parse(&c.date) - parse(&c.date_gmt);
            assert_eq!(diff.num_hours(), hours, "comment of {}", p.title);
        }
    }
}

#[test]
fn zh_cn_market_reads_dates_in_shanghai_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = convert(&testdata("zh-list-page"), &out, &[]);
    let err = stderr(&o);
    assert!(
        err.contains(
            "dates read as Asia/Shanghai, from the pages' market zh-cn; pass --timezone to change"
        ),
        "{err}"
    );
    dates_in(&out, "Asia/Shanghai", 8);
    let r = report(&out);
    assert_eq!(r["timezone"]["zone"], "Asia/Shanghai");
    assert_eq!(r["timezone"]["source"], "market");
    assert_eq!(r["timezone"]["from"], "zh-cn");
}

/// Pages of a ja-JP space: links carry `mkt=ja-jp`, the dates are Japanese.
fn ja_jp_space(dir: &Path) {
    let pages = [
        (501, "鎌倉へ", "5/3/2008", "3:45 PM"),
        (502, "新しい自転車", "5/17/2008", "9:10 AM"),
    ];
    for (n, title, date, time) in pages {
        let page = util::entry_page(n, title, "<p>本文</p>", date, time, "日記", &[]).replace(
            "<body>",
            r#"<body><a href="http://demo-space.spaces.live.com/?_c=BlogPart&amp;mkt=ja-jp">ホーム</a>"#,
        );
        util::write_entry_page(dir, n, &page);
    }
}

#[test]
fn ja_jp_market_reads_dates_in_tokyo_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    ja_jp_space(&input);
    let out = dir.path().join("out");
    let o = convert(&input, &out, &[]);
    let err = stderr(&o);
    assert!(
        err.contains("dates read as Asia/Tokyo, from the pages' market ja-jp"),
        "{err}"
    );
    dates_in(&out, "Asia/Tokyo", 9);
    let items = items_of(&wxr_path(&out));
    let first = items
        .iter()
        .find(|i| i.post_type == "post" && i.post_date == "2008-05-03 15:45:00")
        .expect("the first post");
    assert_eq!(first.post_date_gmt, "2008-05-03 06:45:00");
}

#[test]
fn japanese_language_alone_reads_tokyo_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = convert(&testdata("ja-sjis"), &out, &[]);
    assert!(
        stderr(&o).contains("dates read as Asia/Tokyo, from the pages' language ja"),
        "{}",
        stderr(&o)
    );
    dates_in(&out, "Asia/Tokyo", 9);
}

#[test]
fn explicit_timezone_always_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("utc");
    let o = convert(&testdata("zh-list-page"), &out, &["--timezone", "UTC"]);
    assert!(
        stderr(&o).contains("dates read as UTC, from --timezone"),
        "{}",
        stderr(&o)
    );
    dates_in(&out, "UTC", 0);
    assert_eq!(report(&out)["timezone"]["source"], "option");
    // An abbreviation is read as the zone it stands for, and said so.
    let out = dir.path().join("jst");
    let o = convert(&testdata("zh-list-page"), &out, &["--timezone", "jst"]);
    assert!(
        stderr(&o)
            .contains("dates read as Asia/Tokyo: --timezone JST stands for Japan Standard Time"),
        "{}",
        stderr(&o)
    );
    dates_in(&out, "Asia/Tokyo", 9);
    // An ambiguous one is a usage error naming the choices.
    let out = dir.path().join("cst");
    let o = try_convert(&testdata("zh-list-page"), &out, &["--timezone", "CST"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Asia/Shanghai"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing was written");
}

#[test]
fn en_us_keeps_utc_and_says_so_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = convert(
        &testdata("wget-mirror"),
        &out,
        &["--crawl-date", "2010-11-20 12:00:00"],
    );
    let err = stderr(&o);
    assert_eq!(err.matches("dates read as").count(), 1, "{err}");
    assert!(
        err.contains("dates read as UTC: the pages' market is en-us") && err.contains("--timezone"),
        "{err}"
    );
    let r = report(&out);
    assert_eq!(r["timezone"]["zone"], "UTC");
    assert_eq!(r["timezone"]["source"], "default");
    dates_in(&out, "UTC", 0);
}

#[test]
fn each_blog_of_a_run_gets_its_own_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    convert(&testdata("several-spaces"), &out, &[]);
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("json");
    let zones: Vec<(&str, &str)> = summary["spaces"]
        .as_array()
        .expect("spaces")
        .iter()
        .map(|s| {
            (
                s["space"].as_str().unwrap_or_default(),
                s["timezone"]["zone"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        zones,
        [
            ("anna-lee", "UTC"),
            ("joao-silva", "America/Sao_Paulo"),
            ("cid-7e8f90a1b2c3d4e5", "Asia/Tokyo")
        ]
    );
    assert_eq!(summary["summary_file"], "summary.json");
    assert_eq!(summary["site_url"], "http://localhost");
}

#[test]
fn site_url_is_required_before_any_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let input = testdata("backup-zip.zip");
    let o = util::run(&[
        "convert",
        input.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--site-url"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing was written");
}

#[test]
fn no_output_carries_an_address_nobody_chose() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = convert(
        &testdata("media-mirror"),
        &out,
        &["--site-url", "https://blog.example.org/"],
    );
    for (rel, bytes) in util::tree(&out) {
        if rel.ends_with(".xml") || rel.ends_with(".json") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("localhost"), "{rel} names localhost");
        }
    }
    let r = report(&out);
    assert_eq!(r["site_url"], "https://blog.example.org");
    assert_eq!(r["media_url"], "https://blog.example.org/spaces2wxr-media");
    let outputs = &r["outputs"];
    for key in ["wxr", "report", "media_dir", "manifest"] {
        let rel = outputs[key].as_str().expect(key);
        assert!(out.join(rel).exists(), "{key}: {rel} exists");
    }
    let media_files = util::tree(&out.join("media")).len();
    assert_eq!(outputs["media_files"], media_files);
    let items = items_of(&wxr_path(&out));
    let urls: Vec<&str> = items
        .iter()
        .filter(|i| i.post_type == "attachment")
        .map(|i| i.attachment_url.as_str())
        .collect();
    assert!(!urls.is_empty());
    assert!(urls
        .iter()
        .all(|u| u.starts_with("https://blog.example.org/spaces2wxr-media/")));
    let err = stderr(&o);
    assert!(
        err.contains("site URL https://blog.example.org, media URL https://blog.example.org/spaces2wxr-media"),
        "{err}"
    );
    assert!(err.contains("wrote "), "{err}");
}
