//! Sanitizing end to end: a post mixing bundled images, Spaces-era
//! formatting, a video embed, Spaces chrome and hostile markup, with hostile
//! comments. Assertions parse the output HTML.

use crate::util;

use scraper::{Html, Selector};
use util::{convert, items, testdata, wxr_path, Item};

const SITE: &str = "https://blog.example.org";

fn convert_hostile(extra: &[&str]) -> (tempfile::TempDir, Vec<Item>, serde_json::Value) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let mut args = vec!["--site-url", SITE];
    args.extend_from_slice(extra);
    convert(&testdata("hostile-post"), &out, &args);
    let xml = std::fs::read_to_string(wxr_path(&out)).expect("WXR");
    let report =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
            .expect("json");
    (dir, items(&xml), report)
}

fn body(items: &[Item]) -> &Item {
    items.iter().find(|i| i.post_id == 301).expect("post 301")
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).expect("selector"))
        .collect()
}

/// No element or attribute that can run script survives in `html`.
fn assert_inert(html: &str) {
    let doc = Html::parse_fragment(html);
    assert!(
        select(
            &doc,
            "script, iframe, object, embed, style, form, base, meta, link"
        )
        .is_empty(),
        "{html}"
    );
    for el in doc.root_element().descendent_elements() {
        for (name, value) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name} in {html}");
            let v = value.trim().to_ascii_lowercase();
            assert!(
                !v.starts_with("javascript:") && !v.starts_with("data:"),
                "{name}={value}"
            );
            assert!(!(name == "style" && v.contains("expression")), "{value}");
        }
    }
}

#[test]
fn hostile_markup_is_gone_and_images_point_into_the_bundle() {
    let (_d, items, _) = convert_hostile(&[]);
    let p = body(&items);
    assert_inert(&p.content);
    let doc = Html::parse_fragment(&p.content);
    let img = select(&doc, "img");
    assert_eq!(img.len(), 1);
    let url = format!("{SITE}/spaces2wxr-media/2009/03/cat.png");
    assert_eq!(img[0].value().attr("src"), Some(url.as_str()));
    assert_eq!(img[0].value().attr("alt"), Some("Cat"));
    let att = items
        .iter()
        .find(|i| i.post_type == "attachment")
        .expect("attachment");
    assert_eq!(
        (att.attachment_url.as_str(), att.post_parent),
        (url.as_str(), 301)
    );
    let hrefs: Vec<&str> = select(&doc, "a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&format!("{SITE}/?name=the-next-post-302").as_str()),
        "internal link rewritten: {hrefs:?}"
    );
    assert!(!p.content.contains("sendMessage") && !p.content.contains("send me a message"));
}

#[test]
fn the_authors_formatting_survives() {
    let (_d, items, _) = convert_hostile(&[]);
    let doc = Html::parse_fragment(&body(&items).content);
    let span = select(&doc, "p[align=center] > span");
    let style = span
        .first()
        .and_then(|s| s.value().attr("style"))
        .expect("font became a styled span");
    for want in ["color:#ff0000", "font-family:Arial", "font-size:large"] {
        assert!(style.contains(want), "{style}");
    }
    let table = select(&doc, "table");
    assert_eq!(
        table.first().and_then(|t| t.value().attr("align")),
        Some("center"),
        "centred table"
    );
    let word = select(&doc, "p")
        .into_iter()
        .find(|p| p.text().any(|t| t.contains("Word paste")))
        .expect("word para");
    assert_eq!(
        word.value().attr("style"),
        Some("color:#336699"),
        "mso- dropped, colour kept"
    );
    assert!(select(&doc, "div")
        .iter()
        .any(|d| d.value().attr("style") == Some("color:green")));
}

#[test]
fn a_youtube_object_becomes_its_url_on_its_own_line() {
    let (_d, items, _) = convert_hostile(&[]);
    let doc = Html::parse_fragment(&body(&items).content);
    let lines: Vec<String> = select(&doc, "p")
        .iter()
        .map(|p| p.text().collect::<String>())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        "{lines:?}"
    );
}

#[test]
fn comments_are_strict() {
    let (_d, items, _) = convert_hostile(&[]);
    let p = body(&items);
    assert_eq!(p.comments.len(), 2);
    for c in &p.comments {
        assert_inert(&c.content);
        assert!(
            select(&Html::parse_fragment(&c.content), "table, td").is_empty(),
            "{}",
            c.content
        );
    }
    let first = Html::parse_fragment(&p.comments[0].content);
    let link = select(&first, "a");
    assert_eq!(link[0].value().attr("rel"), Some("nofollow ugc"));
    let imgs: Vec<&str> = select(&first, "img")
        .iter()
        .filter_map(|i| i.value().attr("alt"))
        .collect();
    assert_eq!(imgs, [":)"], "emoticon kept, large image dropped");
    assert_eq!(p.comments[0].author_url, "http://spammer.example/");
}

#[test]
fn the_report_lists_what_was_removed_per_post_and_comment() {
    let (_d, _, report) = convert_hostile(&[]);
    let changes = report["changes"].as_array().expect("changes");
    let post = changes
        .iter()
        .find(|c| c["comment"].is_null())
        .expect("body changes");
    for key in [
        "tag:script",
        "attr:onerror",
        "attr:onmouseover",
        "url:javascript",
        "chrome:sendMessage",
        "embed:youtube",
        "font->span",
        "style:mso-*",
    ] {
        assert!(
            post["removed"][key].as_u64().unwrap_or(0) >= 1,
            "{key} missing in {post}"
        );
    }
    let c1 = changes
        .iter()
        .find(|c| c["comment"] == 1)
        .expect("comment 1 changes");
    assert_eq!(c1["removed"]["tag:script"], 1);
}

#[test]
fn keep_original_stores_the_unsanitized_body() {
    let (_d, items, _) = convert_hostile(&["--keep-original"]);
    let p = body(&items);
    let original = p.meta("_wls_original_html").expect("original kept");
    assert!(
        original.contains("onerror=\"alert(document.cookie)\"") && original.contains("<script>")
    );
    assert_inert(&p.content);
    let (_d, items, _) = convert_hostile(&[]);
    assert_eq!(
        body(&items).meta("_wls_original_html"),
        None,
        "only on request"
    );
}
