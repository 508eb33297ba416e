//! Shapes seen on real saved Spaces pages (§2.8 of the archive notes), on
//! the real binary: photo-insert tables and WLPP picture links placed after
//! the message block, comment counts on their own "read comments (N)" link
//! with the comments absent, posts without a printed date (their other
//! pages, neighbours of the same space, a time-only footer, the crawl date
//! capped at the closure), permalinks built from the owner id, and fallback
//! titles cut at a boundary. Fixtures: `testdata/shapes-*` (zh-CN, en-US,
//! pt-BR, ja), each with its `expected.json`.

use crate::util;

use std::path::{Path, PathBuf};

use serde_json::Value;
use util::{convert, testdata, Item};

/// What one conversion wrote: every post and attachment of every WXR in
/// the output folder (one per space, wherever the writer puts them), the
/// report and the summary.
struct Run {
    items: Vec<Item>,
    report: Value,
    stderr: String,
}

impl Run {
    fn posts(&self) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|i| i.post_type == "post")
            .collect()
    }

    fn post(&self, id: &str) -> &Item {
        self.items
            .iter()
            .find(|i| i.post_type == "post" && i.meta("_wls_entry_id") == Some(id))
            .unwrap_or_else(|| panic!("no post {id}"))
    }

    fn attachments_of(&self, p: &Item) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|i| i.post_type == "attachment" && i.post_parent == p.post_id)
            .collect()
    }

    fn warnings(&self) -> Vec<&Value> {
        self.report["warnings"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }

    fn missing_media(&self, id: &str) -> Vec<&str> {
        self.report["missing_media"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["post"] == id)
            .filter_map(|m| m["url"].as_str())
            .collect()
    }
}

fn wxr_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read out dir") {
        let p = e.expect("entry").path();
        if p.is_dir() && p.file_name().is_some_and(|n| n != "media") {
            wxr_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push(p);
        }
    }
}

fn run(input: &Path, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = convert(input, &out, args);
    let mut files = Vec::new();
    wxr_files(&out, &mut files);
    files.sort();
    assert!(!files.is_empty(), "a WXR in {out:?}");
    let items = files.iter().flat_map(|f| util::items_of(f)).collect();
    Run {
        items,
        report: merged_report(&out),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// The report of a one-space output, or the reports of every space of a
/// several-space output (`OUT/<space>/report.json`) joined: warnings and
/// missing media one after the other, the missing-comment counts added.
fn merged_report(out: &Path) -> Value {
    let mut paths = vec![out.join("report.json")];
    if !paths[0].exists() {
        paths = std::fs::read_dir(out)
            .expect("read out dir")
            .map(|e| e.expect("entry").path().join("report.json"))
            .filter(|p| p.exists())
            .collect();
        paths.sort();
    }
    assert!(!paths.is_empty(), "a report.json in {out:?}");
    let mut merged =
        serde_json::json!({"warnings": [], "missing_media": [], "counts": {"missing_comments": 0}});
    for p in paths {
        let r: Value = serde_json::from_str(&std::fs::read_to_string(&p).expect("report.json"))
            .expect("report is JSON");
        for key in ["warnings", "missing_media"] {
            let list = merged[key].as_array_mut().expect("list");
            list.extend(r[key].as_array().into_iter().flatten().cloned());
        }
        let n = merged["counts"]["missing_comments"].as_u64().unwrap_or(0)
            + r["counts"]["missing_comments"].as_u64().unwrap_or(0);
        merged["counts"]["missing_comments"] = n.into();
    }
    merged
}

fn expected(name: &str) -> Value {
    let text =
        std::fs::read_to_string(testdata(name).join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

/// Copy a fixture folder, so its files carry today's modification time.
fn fresh_copy(name: &str, to: &Path) -> PathBuf {
    let dest = to.join(name);
    for (rel, bytes) in util::tree(&testdata(name)) {
        let p = dest.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }
    dest
}

/// Every post of `expected.json` with its fields, comments, images and
/// permalink; posts of one space in chronological order; the warnings that
/// must and must not be there; the total of declared-but-missing comments.
fn check(name: &str, r: &Run) {
    let want = expected(name);
    let want_posts = want["posts"].as_array().expect("posts");
    assert_eq!(r.posts().len(), want_posts.len(), "{name}: post count");
    for w in want_posts {
        let id = w["spaces_id"].as_str().expect("spaces_id");
        let p = r.post(id);
        util::check_post_fields(name, id, w, p);
        assert_eq!(p.comments.len(), 0, "{name} {id}: no comment was saved");
        for s in w["body_lacks"].as_array().into_iter().flatten() {
            let s = s.as_str().unwrap_or_default();
            assert!(
                !p.content.contains(s),
                "{name} {id}: {s:?} in\n{}",
                p.content
            );
        }
        if let Some(link) = w["permalink"].as_str() {
            assert_eq!(p.meta("_wls_permalink"), Some(link), "{name} {id}");
        }
        check_images(name, id, w, p, r);
    }
    for w in want_posts {
        let id = w["spaces_id"].as_str().unwrap_or_default();
        let owner = id.split('!').nth(1).unwrap_or_default();
        let same_space: Vec<&str> = want_posts
            .iter()
            .filter_map(|x| x["spaces_id"].as_str())
            .filter(|x| x.split('!').nth(1) == Some(owner))
            .collect();
        let got: Vec<&str> = r
            .posts()
            .iter()
            .filter_map(|p| p.meta("_wls_entry_id"))
            .filter(|x| x.split('!').nth(1) == Some(owner))
            .collect();
        assert_eq!(got, same_space, "{name}: chronological order of a space");
    }
    for w in want["warnings"].as_array().into_iter().flatten() {
        assert!(
            r.warnings().iter().any(|x| x["kind"] == w["kind"]
                && x["entry"] == w["entry"]
                && x["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(w["message"].as_str().unwrap_or_default()))),
            "{name}: no warning like {w} in {:#?}",
            r.warnings()
        );
    }
    for w in want["absent_warnings"].as_array().into_iter().flatten() {
        assert!(
            !r.warnings()
                .iter()
                .any(|x| x["kind"] == w["kind"] && x["entry"] == w["entry"]),
            "{name}: unexpected warning like {w}"
        );
    }
    assert_eq!(
        r.report["counts"]["missing_comments"], want["missing_comments"],
        "{name}: declared comments that are missing"
    );
}

/// Every picture a post shows is an attachment of it or a missing-media line
/// of it, and the attachments' addresses replace the originals in the body.
fn check_images(name: &str, id: &str, w: &Value, p: &Item, r: &Run) {
    let Some(images) = w.get("images") else {
        return;
    };
    let attached: Vec<&Item> = r.attachments_of(p);
    let mut names: Vec<&str> = attached
        .iter()
        .filter_map(|a| a.attachment_url.rsplit('/').next())
        .collect();
    names.sort_unstable();
    let mut want: Vec<&str> = images["bundled"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    want.sort_unstable();
    assert_eq!(names, want, "{name} {id}: attachments");
    for a in &attached {
        assert!(
            p.content.contains(&a.attachment_url),
            "{name} {id}: body links {}",
            a.attachment_url
        );
    }
    let mut missing = r.missing_media(id);
    missing.sort_unstable();
    let mut want_missing: Vec<&str> = images["missing"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    want_missing.sort_unstable();
    assert_eq!(missing, want_missing, "{name} {id}: missing media");
}

/// zh-CN 2007 list page (HTTrack): photo-insert tables after the message
/// block on `tkfiles.storage.msn.com/x1p…` and `tkfiles.storage.live.com/y1p…`,
/// "阅读评论 (16)" links with the comments loaded by script, an untitled post.
#[test]
fn zh_list_page_photo_tables_and_comment_links() {
    let r = run(&testdata("shapes-zh-photos"), &[]);
    check("shapes-zh-photos", &r);
    // The table comes after the body's own text, and the page's script
    // between them is not content.
    let p = r.post("cns!3A7F00C2B5E1D904!240");
    let text_at = p.content.find("这里是几张照片").expect("body text");
    let table_at = p.content.find("<table").expect("photo table");
    assert!(text_at < table_at, "{}", p.content);
    assert!(!p.content.contains("registerEntry"), "{}", p.content);
    assert!(
        r.stderr
            .contains("19 comments the pages declare are not in the archive"),
        "summary: {}",
        r.stderr
    );
}

/// en-US 2008 single-entry pages (wget `-E`): the photo table sits between
/// the message block and the `LastMDate` span; "Comments (3)" on its own
/// link; the side bar after the entry is not part of it.
#[test]
fn en_single_entry_pages_photo_table_before_the_date() {
    let r = run(&testdata("shapes-en-single"), &[]);
    check("shapes-en-single", &r);
    assert!(
        r.stderr
            .contains("3 comments the pages declare are not in the archive"),
        "{}",
        r.stderr
    );
}

/// Two spaces in one mirror, pt-BR and ja. The pt-BR entry page prints only
/// `15:57`: its list page gives the day. Another pt-BR page prints only
/// `21:40` and has no other page: the day comes from its neighbour of the
/// same space, never from the ja blog whose counters lie between. A 2009-10
/// WLPP picture link after the body is the post's; "Comentários (2)" and
/// "コメント (4)" declare missing comments; a ja post dated 2000 is warned.
#[test]
fn dates_come_from_the_same_space_only() {
    let r = run(&testdata("shapes-two-blogs"), &[]);
    check("shapes-two-blogs", &r);
    for p in r.posts() {
        let id = p.meta("_wls_entry_id").unwrap_or_default();
        if id.contains("9E4D2B7A1C3F5086") {
            assert!(p.post_date.starts_with("2009-"), "{id}: {}", p.post_date);
        }
    }
}

/// A space whose pages print no date at all, copied so that its files are
/// dated today: the crawl date is used, capped at 2011-03-16 (never
/// today), with a warning per post; `--crawl-date` moves it. No page links
/// to a host, so the permalinks use the owner's `cid-` host (a 15-digit
/// owner padded to 16).
#[test]
fn undated_space_takes_the_capped_crawl_date_and_cid_permalinks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = fresh_copy("shapes-undated", dir.path());
    let r = run(&input, &[]);
    check("shapes-undated", &r);
    assert!(
        r.stderr.contains("2 posts print no date"),
        "summary: {}",
        r.stderr
    );

    let r = run(&input, &["--crawl-date", "2010-12-24 20:00"]);
    for p in r.posts() {
        assert_eq!(p.post_date, "2010-12-24 20:00:00", "{}", p.title);
    }
}

/// The same input gives the same files, twice.
#[test]
fn shapes_output_is_deterministic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for name in ["shapes-zh-photos", "shapes-two-blogs"] {
        convert(&testdata(name), &a.join(name), &[]);
        convert(&testdata(name), &b.join(name), &[]);
    }
    assert_eq!(util::tree(&a), util::tree(&b));
}
