//! Several blogs in one input are never merged: one WXR, media folder and
//! report per space, and `summary.json` listing them.

use crate::util;

use std::path::Path;

use serde_json::Value;
use util::{convert, items, testdata};

fn json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).expect("read json")).expect("json")
}

fn wxr_author(xml: &str) -> String {
    let doc = roxmltree::Document::parse(xml).expect("wxr parses");
    doc.descendants()
        .find(|n| n.has_tag_name("author_login"))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn three_blogs_become_three_folders() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let o = convert(&testdata("several-spaces"), &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("holds 3 blogs"), "{err}");

    // No WXR at the top: one folder per space, named by host or by CID.
    let mut top: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(
        top,
        [
            ".spaces2wxr-manifest.json",
            "anna-lee",
            "cid-7e8f90a1b2c3d4e5",
            "joao-silva",
            "summary.json"
        ]
    );

    let summary = json(&out.join("summary.json"));
    let spaces = summary["spaces"].as_array().expect("spaces");
    let line = |name: &str| {
        spaces
            .iter()
            .find(|s| s["space"] == name)
            .unwrap_or_else(|| panic!("{name} in {summary}"))
            .clone()
    };
    assert_eq!(line("anna-lee")["counts"]["posts"], 2);
    assert_eq!(line("joao-silva")["counts"]["posts"], 2);
    assert_eq!(line("joao-silva")["owners"][0], "B1C2D3E4F506172");
    assert_eq!(line("cid-7e8f90a1b2c3d4e5")["counts"]["posts"], 1);
    assert_eq!(line("cid-7e8f90a1b2c3d4e5")["host"], Value::Null);

    // Each space: its own author, only its own posts and categories.
    let want = [
        (
            "anna-lee",
            "anna-lee",
            vec!["First snow in Boston", "Photos from the harbour"],
        ),
        (
            "joao-silva",
            "joao-silva",
            vec!["Viagem a Lisboa", "Receita de bacalhau"],
        ),
        (
            "cid-7e8f90a1b2c3d4e5",
            "cid-7e8f90a1b2c3d4e5",
            vec!["東京の桜"],
        ),
    ];
    for (dir, login, titles) in want {
        let d = out.join(dir);
        let xml = std::fs::read_to_string(d.join(format!("{dir}.xml"))).expect("wxr");
        assert_eq!(wxr_author(&xml), login);
        let got: Vec<String> = items(&xml)
            .into_iter()
            .filter(|i| i.post_type == "post")
            .map(|i| i.title)
            .collect();
        assert_eq!(got, titles, "{dir}");
        let report = json(&d.join("report.json"));
        assert_eq!(report["dir"], dir);
        assert_eq!(report["counts"]["posts"], titles.len());
        assert!(d.join("media").is_dir(), "{dir} has its own media folder");
    }

    // Day-first dates are decided per blog: the Brazilian blog's 15/05/2010.
    let xml = std::fs::read_to_string(out.join("joao-silva/joao-silva.xml")).expect("wxr");
    let lisboa = items(&xml)
        .into_iter()
        .find(|i| i.title == "Viagem a Lisboa")
        .expect("post");
    assert_eq!(lisboa.post_date, "2010-05-15 10:30:00");
}

/// The same owner written with 15 and 16 hex digits (Spaces dropped the
/// leading 0) is one blog, even when no page names its host.
#[test]
fn two_spellings_of_one_owner_are_one_blog() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for (owner, n, day) in [("0B1C2D3E4F506172", 7, 3), ("B1C2D3E4F506172", 8, 4)] {
        let page = format!(
            r#"<html><body><div id="subjcns!{owner}!{n}">Entry {n}</div>
<div id="msgcns!{owner}!{n}" class="bvMsg"><p>Text {n}</p></div>
<span id="LastMDatecns!{owner}!{n}">3/{day}/2009</span><div class="footerLinks">8:00 PM</div></body></html>"#
        );
        std::fs::write(input.join(format!("entry{n}.html")), page).expect("write");
    }
    let out = tmp.path().join("out");
    convert(&input, &out, &[]);
    assert!(
        out.join("report.json").is_file(),
        "one blog keeps the flat layout"
    );
    assert!(!out.join("summary.json").exists());
    let report = json(&out.join("report.json"));
    assert_eq!(report["counts"]["posts"], 2);
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

/// `--force` replaces one layout by the other completely (no stale space
/// folder, no stale flat WXR), and never deletes a file the user put in a
/// space's folder.
#[test]
fn force_switches_between_one_and_several_blogs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let several = testdata("several-spaces");
    let one = testdata("backup-zip.zip");
    convert(&several, &out, &[]);
    let first = listing(&out);
    convert(&one, &out, &["--force"]);
    let flat = listing(&out);
    assert!(
        flat.iter()
            .all(|p| !p.starts_with("anna-lee") && p != "summary.json"),
        "{flat:?}"
    );
    assert!(flat.contains(&"demo-space.xml".to_string()));
    convert(&several, &out, &["--force"]);
    assert_eq!(listing(&out), first, "the same output as a fresh run");

    // A file of the user's inside a space folder: the run refuses, and a run
    // of another layout leaves the folder and the file alone.
    std::fs::write(out.join("anna-lee/notes.txt"), "mine").expect("write");
    let o = util::run(&[
        "convert",
        several.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
        "--site-url",
        "http://localhost",
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("notes.txt"));
    convert(&one, &out, &["--force"]);
    assert_eq!(
        std::fs::read_to_string(out.join("anna-lee/notes.txt")).expect("kept"),
        "mine"
    );
    assert!(
        !out.join("joao-silva").exists(),
        "the tool's own folders go"
    );
}

/// Two CIDs on one page (a friend's entry saved beside one's own) are two
/// blogs, each keeping its entry numbers as post ids; a 2004-05 id token on
/// the pages of a CID's host stays with that CID.
#[test]
fn two_owners_on_one_page_are_two_blogs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let entry = |owner: &str, host: &str, n: u32, title: &str| {
        format!(
            r#"<div class="bvEntry" id="entrycns!{owner}!{n}" bv:cns="cns!{owner}!{n}">
<h4 id="subjcns!{owner}!{n}"><a href="http://{host}/blog/cns!{owner}!{n}.entry">{title}</a></h4>
<div id="msgcns!{owner}!{n}" class="bvMsg"><p>{title} text</p></div>
<div class="footerLinks"><nobr>2009/3/{n} 10:00:00</nobr></div></div>"#
        )
    };
    let page = format!(
        "<html><body>{}{}{}</body></html>",
        entry("1111111111111111", "alpha.spaces.live.com", 5, "Alpha five"),
        entry("2222222222222222", "beta.spaces.live.com", 5, "Beta five"),
        entry(
            "1pU-rgQVTuuWM1TX8W8PfmDA",
            "alpha.spaces.live.com",
            7,
            "Alpha old"
        ),
    );
    std::fs::write(input.join("blog.html"), page).expect("write");
    let out = tmp.path().join("out");
    convert(&input, &out, &[]);
    let summary = json(&out.join("summary.json"));
    let spaces = summary["spaces"].as_array().expect("spaces");
    assert_eq!(spaces.len(), 2, "{summary}");
    for (dir, titles) in [
        ("alpha", vec!["Alpha five", "Alpha old"]),
        ("beta", vec!["Beta five"]),
    ] {
        let xml = std::fs::read_to_string(out.join(dir).join(format!("{dir}.xml"))).expect("wxr");
        let posts: Vec<util::Item> = items(&xml)
            .into_iter()
            .filter(|i| i.post_type == "post")
            .collect();
        let got: Vec<&str> = posts.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(got, titles, "{dir}");
        assert_eq!(
            posts[0].post_id, 5,
            "{dir}: the entry number is the post id"
        );
    }
}
