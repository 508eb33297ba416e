//! The real binary on every fixture of `testdata/`: the WXR it writes holds
//! exactly the posts, dates, categories and comments the fixture's
//! `expected.json` lists.

use crate::util;

use serde_json::Value;
use util::{convert, items, testdata, wxr_path, Item};

fn expected(rel: &str) -> Value {
    let text = std::fs::read_to_string(testdata(rel)).expect("expected.json exists");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

/// Convert `input` and compare with `expected`.
fn check_fixture(input: &str, expected_rel: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    convert(&testdata(input), &out, &[]);
    let all = util::items_of(&wxr_path(&out));
    let posts: Vec<&Item> = all.iter().filter(|i| i.post_type == "post").collect();
    let want = expected(expected_rel);
    let want_posts = want["posts"].as_array().expect("posts array");
    assert_eq!(posts.len(), want_posts.len(), "post count of {input}");
    for w in want_posts {
        let id = w["spaces_id"].as_str().expect("spaces_id");
        let p = posts
            .iter()
            .find(|p| p.meta("_wls_entry_id") == Some(id))
            .unwrap_or_else(|| panic!("{input}: no post {id}"));
        check_post(input, w, p);
    }
    let order: Vec<&str> = posts
        .iter()
        .filter_map(|p| p.meta("_wls_entry_id"))
        .collect();
    let want_order: Vec<&str> = want_posts
        .iter()
        .filter_map(|w| w["spaces_id"].as_str())
        .collect();
    assert_eq!(order, want_order, "{input}: posts in chronological order");
}

fn check_post(input: &str, w: &Value, p: &Item) {
    let id = w["spaces_id"].as_str().unwrap_or_default();
    util::check_post_fields(input, id, w, p);
    check_comments(input, id, w, p);
}

fn check_comments(input: &str, id: &str, w: &Value, p: &Item) {
    let want = w["comments"].as_array().cloned().unwrap_or_default();
    let got: Vec<(&str, &str)> = p
        .comments
        .iter()
        .map(|c| (c.author.as_str(), c.date.as_str()))
        .collect();
    assert_eq!(got.len(), want.len(), "{input} {id} comment count: {got:?}");
    for (k, (c, wc)) in p.comments.iter().zip(&want).enumerate() {
        if let Some(a) = wc["author"].as_str().filter(|a| !a.is_empty()) {
            assert_eq!(util::shown(&c.author), a, "{input} {id} comment {k} author");
        }
        if let Some(d) = wc["date"].as_str() {
            assert_eq!(c.date, d, "{input} {id} comment {k} date");
        }
        if let Some(t) = wc["text_contains"].as_str() {
            assert!(
                c.content.contains(t),
                "{input} {id} comment {k}: {:?} lacks {t:?}",
                c.content
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

#[test]
fn backup_zip_per_entry_files() {
    check_fixture("backup-zip.zip", "backup-zip/expected.json");
}

#[test]
fn backup_folder_gives_the_same_posts_as_its_zip() {
    check_fixture("backup-zip", "backup-zip/expected.json");
}

#[test]
fn one_big_file_backup_folder() {
    check_fixture("onefile-folder", "onefile-folder/expected.json");
}

#[test]
fn zh_cn_list_page_mirror() {
    check_fixture("zh-list-page", "zh-list-page/expected.json");
}

#[test]
fn zh_cn_zip_with_gbk_names() {
    check_fixture("zh-gbk-names.zip", "zh-gbk-names.expected.json");
}

#[test]
fn same_archive_gives_byte_identical_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    convert(&testdata("backup-zip.zip"), &a, &[]);
    convert(&testdata("backup-zip.zip"), &b, &[]);
    assert_eq!(util::tree(&a), util::tree(&b));
}

/// Entries and their HTML wait in temporary files; without a usable
/// temporary folder they stay in memory, and the output is the same.
#[test]
fn without_a_temporary_folder_the_output_is_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    for input in ["backup-zip.zip", "media-mirror"] {
        let (a, b) = (
            dir.path().join("a").join(input),
            dir.path().join("b").join(input),
        );
        let normal = convert(&testdata(input), &a, &[]);
        let no_tmp = std::process::Command::new(env!("CARGO_BIN_EXE_spaces2wxr"))
            .args([
                "convert".as_ref(),
                testdata(input).as_os_str(),
                "-o".as_ref(),
                b.as_os_str(),
                "--site-url".as_ref(),
                "http://localhost".as_ref(),
            ])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TMPDIR", dir.path().join("no-such-folder"))
            .output()
            .expect("the binary runs");
        assert_eq!(
            no_tmp.status.code(),
            normal.status.code(),
            "{input}: {no_tmp:?}"
        );
        assert_eq!(util::tree(&a), util::tree(&b), "{input}");
    }
}

#[test]
fn input_is_never_modified() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testdata("onefile-folder");
    let before = util::tree(&input);
    convert(&input, &dir.path().join("out"), &[]);
    assert_eq!(util::tree(&input), before);
    let zip = std::fs::read(testdata("backup-zip.zip")).expect("zip");
    convert(&testdata("backup-zip.zip"), &dir.path().join("out2"), &[]);
    assert_eq!(std::fs::read(testdata("backup-zip.zip")).expect("zip"), zip);
}

#[test]
fn timezone_sets_gmt_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    convert(
        &testdata("zh-list-page"),
        &out,
        &["--timezone", "Asia/Shanghai"],
    );
    let xml = std::fs::read_to_string(wxr_path(&out)).expect("WXR");
    for p in items(&xml).iter().filter(|i| i.post_type == "post") {
        let local =
            chrono::NaiveDateTime::parse_from_str(&p.post_date, "%Y-%m-%d %H:%M:%S").expect("date");
        let gmt = chrono::NaiveDateTime::parse_from_str(&p.post_date_gmt, "%Y-%m-%d %H:%M:%S")
            .expect("gmt");
        assert_eq!(local - gmt, chrono::Duration::hours(8), "{}", p.title);
    }
    let report = std::fs::read_to_string(out.join("report.json")).expect("report");
    assert!(report.contains("Asia/Shanghai"));
}

#[test]
fn report_lists_posts_and_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = convert(&testdata("backup-zip.zip"), &out, &[]);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
            .expect("json");
    let want = expected("backup-zip/expected.json");
    assert_eq!(
        report["counts"]["posts"],
        want["posts"].as_array().map(|a| a.len()).unwrap_or(0)
    );
    assert_eq!(
        report["posts"].as_array().map(|a| a.len()),
        want["posts"].as_array().map(|a| a.len())
    );
    let untitled = want["posts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["title"].is_null())
        .count();
    let warned = report["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|w| w["kind"] == "untitled")
        .count();
    assert_eq!(warned, untitled, "one report line per untitled entry");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("posts"), "summary on stderr: {stderr}");
}

#[test]
fn httrack_stamp_anchors_relative_comment_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("mirror/demo-space.spaces.live.com/blog");
    std::fs::create_dir_all(&input).expect("mkdir");
    let page = r#"<html>
<!-- Mirrored from demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!700.entry by HTTrack Website Copier/3.x [XR&CO'2008], Sun, 06 Mar 2011 14:22:05 GMT -->
<head><meta charset="utf-8"></head><body>
<div id="subjcns!D2C0FFEE12345678!700" class="TextColor1">Last post before the move</div>
<div id="msgcns!D2C0FFEE12345678!700" class="bvMsg"><p>Moving to WordPress.</p></div>
<span id="LastMDatecns!D2C0FFEE12345678!700">3/1/2011</span><div class="footerLinks">8:00 PM</div>
<div class="cc2_cmt"><span class="cc2_dnmmain">Ann</span><div class="cc2_txt">Good luck!</div></div><span class="cc2_tsmain"> - 4 hours ago</span>
</body></html>"#;
    std::fs::write(input.join("cns!D2C0FFEE12345678!700.html"), page).expect("write");
    let out = dir.path().join("out");
    convert(
        &dir.path().join("mirror"),
        &out,
        &["--timezone", "Asia/Shanghai"],
    );
    let xml = std::fs::read_to_string(wxr_path(&out)).expect("WXR");
    let post = items(&xml)
        .into_iter()
        .find(|i| i.post_id == 700)
        .expect("post");
    // 14:22:05 GMT is 22:22:05 in Shanghai; four hours earlier.
    assert_eq!(post.comments[0].date, "2011-03-06 18:22:05");
    assert_eq!(post.comments[0].date_gmt, "2011-03-06 10:22:05");
    assert!(xml.contains("_wls_date_approximate"));
}

#[test]
fn report_names_the_zip_code_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    convert(&testdata("zh-gbk-names.zip"), &out, &[]);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
            .expect("json");
    assert_eq!(report["zip_names"], "GBK");
    let out2 = dir.path().join("out2");
    convert(&testdata("onefile-folder"), &out2, &[]);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out2.join("report.json")).expect("report"))
            .expect("json");
    assert!(report["zip_names"].is_null(), "a folder has no zip names");
}
