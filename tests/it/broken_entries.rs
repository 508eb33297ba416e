//! One entry's broken markup stays in that entry (issue 12, item 3).
//!
//! A one-file backup page holds 25 list-view entries. Nine of them leave
//! open an element that, on a whole-page parse, swallows everything after it
//! (`<textarea>`, `<title>`, `<style>`, `<xmp>`, `<plaintext>`,
//! `<noscript>`, `<select>`, `<iframe>`), one nests too deep to parse. The
//! real binary converts the page: every other entry must be a post, and each
//! broken one must be a post or named in a warning of the report.

use crate::util;

use serde_json::Value;
use util::{convert, items, wxr_path, OWNER};

/// What entry `n` leaves open or nests, inside its message block.
fn breakage(n: usize) -> Option<String> {
    Some(match n {
        3 => "<textarea>a reply box left open".into(),
        5 => "<p>Title: <title>left open".into(),
        7 => "<style>p { color: red }".into(),
        9 => "<xmp>code sample".into(),
        11 => "<plaintext>plain".into(),
        13 => "<noscript>enable scripts".into(),
        15 => "<select><option>one<option>two".into(),
        17 => "<iframe src=\"http://example.com/\">fallback".into(),
        19 => "Comment start <!-- never closed".into(),
        20 => format!("{}deep{}", "<div>".repeat(1200), "</div>".repeat(1200)),
        _ => return None,
    })
}

fn entry(n: usize) -> String {
    let broken = breakage(n).unwrap_or_default();
    format!(
        r##"<div class="bvEntry" id="entrycns!{OWNER}!{n}" bv:cns="cns!{OWNER}!{n}" bv:cat="Life">
<h4 class="TextColor1" id="subjcns!{OWNER}!{n}"><a href="http://demo-space.spaces.live.com/blog/cns!{OWNER}!{n}.entry">Post {n}</a></h4>
<div class="bvMsg" id="msgcns!{OWNER}!{n}"><p>Words of post {n}.</p>{broken}</div>
<div class="footerLinks"><nobr>2008/3/{n} 10:49:29</nobr>&nbsp;| <a id="blogComments{n}" bvItemType="comment" href="#">Comments (0)</a></div>
<div class="footer"></div>
</div>
"##
    )
}

#[test]
fn broken_entries_do_not_swallow_the_next_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let body: String = (1..=25).map(entry).collect();
    let page = format!(
        "<html><head><meta charset=\"utf-8\"><title>Weblog</title></head><body><div id=\"blog\">\n{body}</div></body></html>"
    );
    std::fs::write(input.join("Weblog.htm"), page).expect("write");
    let out = dir.path().join("out");
    convert(&input, &out, &[]);

    let xml = std::fs::read_to_string(wxr_path(&out)).expect("wxr");
    let titles: Vec<String> = items(&xml)
        .into_iter()
        .filter(|i| i.post_type == "post")
        .map(|i| i.title)
        .collect();
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("report"))
            .expect("json");
    let warned: Vec<(String, String)> = report["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            (
                w["entry"].as_str().unwrap_or("").to_string(),
                w["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for n in 1..=25 {
        let converted = titles.contains(&format!("Post {n}"));
        let id = format!("cns!{OWNER}!{n}");
        let named = warned.iter().any(|(e, _)| *e == id);
        match breakage(n) {
            None => assert!(converted, "post {n} was lost: {titles:?}"),
            Some(_) => assert!(converted || named, "post {n}: neither converted nor warned"),
        }
    }
    assert!(
        warned
            .iter()
            .any(|(e, k)| *e == format!("cns!{OWNER}!20") && k == "too-deep"),
        "{warned:?}"
    );
    // Only the too-deep entry is lost; the others break only themselves.
    assert_eq!(titles.len(), 24, "{titles:?}");
    let unclosed = warned
        .iter()
        .filter(|(_, k)| k == "unclosed-element")
        .count();
    assert_eq!(unclosed, 8, "{warned:?}");
}
