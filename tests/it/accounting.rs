//! The accounting rule: everything a page shows for an entry is in the WXR
//! or named in the report. Every fixture, every field case and generated
//! blogs go through it; any unexplained loss fails.

use crate::util;

use std::path::Path;

use serde_json::Value;
use util::{convert, fixtures, items, testdata, wxr_path};

fn report(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("report.json")).expect("report.json");
    serde_json::from_str(&text).expect("json")
}

fn n(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}"))
}

/// Convert `input` and check the books of every space: no loss without a
/// word, and the totals add up to what the WXR holds. Returns the first
/// space's report.
fn audit(input: &Path, args: &[&str]) -> Value {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    convert(input, &out, args);
    if !out.join("summary.json").exists() {
        return audit_space(input, &out);
    }
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("json");
    let dirs: Vec<String> = summary["spaces"]
        .as_array()
        .expect("spaces")
        .iter()
        .map(|s| s["dir"].as_str().expect("dir").to_string())
        .collect();
    let reports: Vec<Value> = dirs
        .iter()
        .map(|d| audit_space(input, &out.join(d)))
        .collect();
    reports[0].clone()
}

fn audit_space(input: &Path, out: &Path) -> Value {
    let r = report(out);
    let a = &r["accounting"];
    let lost: Vec<&Value> = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"].as_str().is_some_and(|k| k.starts_with("lost-")))
        .collect();
    assert!(
        lost.is_empty() && n(a, "unexplained") == 0,
        "{}: unexplained losses {lost:#?}",
        input.display()
    );
    assert_eq!(
        n(a, "entries"),
        n(&r["counts"], "posts"),
        "{}",
        input.display()
    );
    assert_eq!(
        n(a, "photos_shown"),
        n(a, "photos_bundled")
            + n(a, "photos_missing")
            + n(a, "photos_dropped")
            + n(a, "photos_removed"),
        "{}: every photo has one fate",
        input.display()
    );
    assert_eq!(n(a, "comments_written"), n(&r["counts"], "comments"));
    assert!(
        n(a, "photos_missing") <= r["missing_media"].as_array().expect("missing").len() as u64,
        "{}: a photo counted missing is listed in missing_media",
        input.display()
    );
    let wxr = wxr_path(out);
    let media = out.join("media");
    let check = util::run(&[
        "check",
        wxr.to_str().expect("path"),
        "--media-dir",
        media.to_str().expect("path"),
    ]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}: `spaces2wxr check` finds what an import would lose:\n{}",
        input.display(),
        String::from_utf8_lossy(&check.stdout)
    );
    let posts = items(&std::fs::read_to_string(&wxr).expect("wxr"));
    let comments: usize = posts.iter().map(|p| p.comments.len()).sum();
    assert_eq!(n(a, "comments_written"), comments as u64);
    r.clone()
}

#[test]
fn every_fixture_is_accounted_for() {
    let all = fixtures();
    assert!(all.len() >= 15, "fixtures found: {all:?}");
    for f in &all {
        audit(f, &[]);
    }
}

#[test]
fn dropping_missing_images_is_accounted_for() {
    let r = audit(&testdata("media-mirror"), &["--drop-missing-images"]);
    let a = &r["accounting"];
    assert!(n(a, "photos_dropped") > 0, "{a}");
    assert_eq!(n(a, "photos_missing"), 0, "{a}");
}

/// A generated blog of entry pages with photos in the body, some in the
/// archive and some not, and comment counts larger than what is held.
#[test]
fn a_generated_blog_is_accounted_for() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    let blog = input.join("gen-space.spaces.live.com").join("blog");
    std::fs::create_dir_all(blog.join("img")).expect("mkdir");
    let mut declared_missing = 0;
    for k in 0..40u64 {
        let have = (k % 3) as usize;
        let declared = have + (k % 4) as usize;
        declared_missing += declared - have;
        let comments: String = (0..have)
            .map(|c| {
                format!(
                    r#"<div class="ccCommentBox"><span class="ccName">Reader {c}</span><div class="Comment">Comment {c} on {k}</div></div><div class="ccDateBox"><span>6/{}/2009 10:0{c} AM</span></div>"#,
                    1 + k % 28
                )
            })
            .collect();
        let photo = format!("img/photo{k}.jpg");
        if k % 2 == 0 {
            std::fs::write(blog.join(&photo), util::fake_jpeg(k as u8, 600)).expect("write");
        }
        let page = format!(
            r#"<html><head><meta charset="utf-8"></head><body>
<div id="subjcns!ABCDEF0123456789!{n}" class="TextColor1">Day {k} 第{k}天</div>
<div id="msgcns!ABCDEF0123456789!{n}" class="bvMsg" bv:commentcount="{declared}"><p>Text of day {k}, 今天的天气很好。</p><p><a href="{photo}"><img src="{photo}" alt="photo {k}"></a> <img src="http://spaces.live.com/rte/emoticons/smile_regular.gif" alt=":)"></p></div>
<span id="LastMDatecns!ABCDEF0123456789!{n}">6/{d}/2009</span>
<div class="footerLinks">10:00 AM</div>
{comments}
</body></html>"#,
            n = 100 + k,
            d = 1 + k % 28,
        );
        std::fs::write(
            blog.join(format!("cns!ABCDEF0123456789!{}.html", 100 + k)),
            page,
        )
        .expect("write");
    }
    let r = audit(&input, &[]);
    let a = &r["accounting"];
    assert_eq!(n(a, "entries"), 40);
    assert_eq!(n(a, "photos_shown"), 40, "emoticons are not photos: {a}");
    assert_eq!(
        (n(a, "photos_bundled"), n(a, "photos_missing")),
        (20, 20),
        "{a}"
    );
    assert_eq!(n(a, "comments_missing"), declared_missing as u64, "{a}");
    assert!(n(a, "text_written") >= n(a, "text_shown"), "{a}");
}

/// The shape that lost photos on real pages: Spaces' photo-insert table after
/// the message block, inside the list-view container (2007, zh-CN).
#[test]
fn a_photo_table_after_the_body_is_accounted_for() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let page = r##"<html><head><meta charset="utf-8"></head><body>
<div class="bvEntry" id="entrycns!1A2B3C4D5E6F7081!310" bv:cns="cns!1A2B3C4D5E6F7081!310" bv:cat="生活">
<h4 class="TextColor1" id="subjcns!1A2B3C4D5E6F7081!310"><a href="http://photo-fan.spaces.live.com/blog/cns!1A2B3C4D5E6F7081!310.entry">&#22806;&#28393;</a></h4>
<div class="bvMsg" id="msgcns!1A2B3C4D5E6F7081!310"><div>上周去了外滩，拍了几张照片：</div></div>
<table border="0" cellspacing="0" cellpadding="0"><tr><td colspan="3" height="10"></td></tr>
<tr><td valign="top"><a href="http://tkfiles.storage.msn.com/x1pBigOne" target="_blank"><img src="http://tkfiles.storage.msn.com/x1pThumbOne" border="0"></a></td><td width="15"></td>
<td valign="top"><a href="http://tkfiles.storage.msn.com/x1pBigTwo" target="_blank"><img src="http://tkfiles.storage.msn.com/x1pThumbTwo" border="0"></a></td></tr></table>
<div class="footerLinks"><nobr>2007/12/5 10:49:29</nobr>&nbsp;| <a id="blogComments0" bvItemType="comment" href="#">阅读评论 (16)</a></div>
<div class="footer"></div></div></body></html>"##;
    std::fs::write(input.join("index.html"), page).expect("write");
    let r = audit(&input, &[]);
    let a = &r["accounting"];
    assert_eq!(n(a, "photos_shown"), 2, "{a}");
    assert_eq!(
        n(a, "photos_missing"),
        2,
        "the storage hosts are not in the archive: {a}"
    );
}

/// A photo that only the list page's copy of an entry shows (the entry's
/// own page, which wins the merge, lacks it) is not lost without a word.
#[test]
fn a_photo_only_one_copy_shows_is_accounted_for() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    let blog = input.join("tester.spaces.live.com/blog");
    std::fs::create_dir_all(blog.join("img")).expect("mkdir");
    std::fs::write(blog.join("img/a.jpg"), util::fake_jpeg(3, 500)).expect("write");
    let list = r#"<html><body><div class="bvEntry" id="entrycns!ABCDEF0123456789!7" bv:cns="cns!ABCDEF0123456789!7">
<h4 id="subjcns!ABCDEF0123456789!7"><a href="http://tester.spaces.live.com/blog/cns!ABCDEF0123456789!7.entry">Harbour</a></h4>
<div id="msgcns!ABCDEF0123456789!7" class="bvMsg"><div>Body text of the post.</div></div>
<table><tr><td><img src="blog/img/a.jpg"></td></tr></table>
<div class="footerLinks"><nobr>2009/3/7 10:00:00</nobr></div></div></body></html>"#;
    std::fs::write(input.join("tester.spaces.live.com/index.html"), list).expect("write");
    let entry = r#"<html><body><div id="subjcns!ABCDEF0123456789!7">Harbour</div>
<div id="msgcns!ABCDEF0123456789!7" class="bvMsg"><div>Body text of the post.</div></div>
<span id="LastMDatecns!ABCDEF0123456789!7">3/7/2009</span><div class="footerLinks">10:00 AM</div></body></html>"#;
    std::fs::write(blog.join("cns!ABCDEF0123456789!7.entry.html"), entry).expect("write");
    let out = tmp.path().join("out");
    convert(&input, &out, &[]);
    let r = report(&out);
    let a = &r["accounting"];
    assert_eq!(n(a, "photos_shown"), 1, "{a}");
    let lost: Vec<&Value> = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"] == "lost-image")
        .collect();
    assert_eq!(
        n(a, "photos_bundled") + lost.len() as u64,
        1,
        "the photo is in the post or named as lost: {r}"
    );
}
