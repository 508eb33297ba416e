//! Property tests: arbitrary text (any Unicode, control characters, `]]>`,
//! astral characters, line breaks) survives the trip from a Spaces page to
//! the WXR. End to end, the real binary converts a one-entry page and the
//! WXR parses, the title is the page title with XML-invalid characters
//! removed and white space folded (a non-empty fallback when nothing is
//! left), and the body and comment keep their text. At library level,
//! [`WxrWriter`] writes any field so that an XML parser reads back exactly
//! the text minus XML-invalid characters (line breaks compared as an XML
//! parser normalises them).

use crate::common;
use crate::util;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError};

use common::*;
use spaces2wxr::internals::wxr::{self, Author, Channel, WxrWriter};
use spaces2wxr::internals::SpacesId;
use spaces2wxr::internals::{Category, Comment, Post};

/// Few cases (one process each) and bounded shrinking; no regression file
/// is written into the source tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        max_shrink_iters: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Fragments that have broken XML or HTML writers before.
const NASTY: &[&str] = &[
    "]]>",
    "]]]]>>",
    "<![CDATA[",
    "\u{0}",
    "\u{1}",
    "\u{8}",
    "\u{b}",
    "\u{c}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{3000}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{fdd0}",
    "\u{feff}",
    "\r\n",
    "\r",
    "\t",
    "  ",
    "😀",
    "𝄞",
    "\u{10ffff}",
    "&amp;",
    "&#0;",
    "<b>",
    "'\"",
    "今天",
];

/// Arbitrary text mixing random characters with the nasty fragments.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter),
        2 => prop::sample::select(NASTY).prop_map(str::to_string),
        2 => "[a-zA-Z0-9 ]{0,10}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

/// XML 1.0 `Char`.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

fn xml_clean(s: &str) -> String {
    s.chars().filter(|&c| is_xml_char(c)).collect()
}

/// What an XML parser makes of line breaks (XML 1.0 §2.11).
fn xml_lines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// What an HTML parser keeps of raw text in a `<div>`: line breaks
/// normalised, U+0000 dropped (HTML §13.2.3.5, "in body").
fn html_text(s: &str) -> String {
    xml_lines(s).replace('\0', "")
}

/// Runs of white space (and U+00A0) folded into one space, trimmed.
fn fold(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What may be expected of text `s` written raw into a page: XML-invalid
/// characters removed and white space folded. U+000B and U+000C are both
/// white space and XML-invalid, so either reading is accepted for them:
/// dropped, or taken as a space; other control characters (C0, DEL, C1)
/// between two words leave a space, so the second reading takes every
/// control character as a space.
fn expected(s: &str) -> [String; 2] {
    let h = html_text(s);
    let spaced: String = h
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    [fold(&xml_clean(&h)), fold(&xml_clean(&spaced))]
}

/// `s` without U+FEFF, folded: the converter trims this invisible character
/// (a stray byte-order mark) at the ends of a body or comment, which is not
/// counted as losing text.
fn no_bom(s: &str) -> String {
    fold(&s.replace('\u{feff}', ""))
}

/// Plain text of an HTML fragment.
fn html_to_text(html: &str) -> String {
    scraper::Html::parse_fragment(html)
        .root_element()
        .text()
        .collect()
}

/// Convert a one-entry page with the given texts; returns the post item.
fn convert_one(title: &str, body: &str, comment: &str) -> util::Item {
    let c = PageComment {
        author: "Ann",
        text: &esc(comment),
    };
    let html = page(1, &esc(title), &esc(body), &[c]);
    let mut s = Scene::folder(&[(&entry_path(1), html.as_bytes())]);
    let o = s.run(&[]);
    assert_converted(&o);
    let xml = s.wxr();
    roxmltree::Document::parse(&xml).expect("the WXR parses");
    let mut items = util::items(&xml);
    assert_eq!(items.len(), 1, "one post");
    items.remove(0)
}

/// What may be expected of a title: as [`expected`], and without control
/// characters (the converter drops them from titles even where XML allows
/// them, U+007F and U+0080..U+009F, since a title made only of them would
/// show as empty).
fn expected_title(s: &str) -> [String; 2] {
    // U+0000 never reaches the converter: the HTML parser drops it.
    let shown: String = s
        .chars()
        .filter(|&c| c != '\0')
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    expected(&shown)
}

/// The title is the expected text, or a non-empty fallback when none is left.
fn check_title(got: &str, input: &str) -> Result<(), TestCaseError> {
    let want = expected_title(input);
    // The stored title is HTML: text with `&`, `<` and `>` escaped.
    let got = &got
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    if want.iter().all(String::is_empty) {
        prop_assert!(!got.trim().is_empty(), "fallback title, got {:?}", got);
    } else {
        prop_assert!(
            want.contains(&got.to_string()),
            "title {:?}, want one of {:?}",
            got,
            want
        );
    }
    Ok(())
}

/// One of the `html` fields holds the expected text of `input`.
fn check_text_kept(html: &[&str], input: &str, what: &str) -> Result<(), TestCaseError> {
    let want = expected(input);
    if want.iter().all(String::is_empty) {
        return Ok(());
    }
    let got: Vec<String> = html.iter().map(|h| no_bom(&html_to_text(h))).collect();
    prop_assert!(
        got.iter()
            .any(|g| want.iter().any(|w| g.contains(&no_bom(w)))),
        "{} {:?} lacks {:?}",
        what,
        got,
        want
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn page_text_round_trips_through_the_binary(
        title in text(),
        body in text(),
        comment in text(),
    ) {
        let item = convert_one(&title, &body, &comment);
        check_title(&item.title, &title)?;
        check_text_kept(&[&item.content], &body, "body")?;
        let comments: Vec<&str> = item.comments.iter().map(|c| c.content.as_str()).collect();
        check_text_kept(&comments, &comment, "comment")?;
    }
}

/// Texts the random search finds only now and then, checked every run:
/// XML-invalid characters next to white space, alone, or as the only body.
const EDGE_CASES: &[(&str, &str, &str)] = &[
    ("\u{1}", "plain body", "plain comment"),
    ("\u{1} a", "", ""),
    ("a \u{1} b", "", ""),
    ("a \u{1}", "", ""),
    ("\u{b}", "\u{c}", "\u{b}"),
    ("", "\u{1}", ""),
    ("]]>", "]]>", "]]>"),
    ("\u{fffe}\u{ffff}", "😀\u{0}𝄞", "\r\n\r"),
];

#[test]
fn edge_case_texts_round_trip_through_the_binary() {
    let mut failures = Vec::new();
    for &(title, body, comment) in EDGE_CASES {
        let item = convert_one(title, body, comment);
        let comments: Vec<&str> = item.comments.iter().map(|c| c.content.as_str()).collect();
        let checks = [
            check_title(&item.title, title),
            check_text_kept(&[&item.content], body, "body"),
            check_text_kept(&comments, comment, "comment"),
        ];
        failures.extend(
            checks
                .into_iter()
                .filter_map(Result::err)
                .map(|e| format!("{title:?}/{body:?}/{comment:?}: {e}")),
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A post whose every text field is `t`, with one comment.
fn post_with(t: &str) -> Post {
    let date = NaiveDate::from_ymd_opt(2010, 9, 28)
        .and_then(|d| d.and_hms_opt(15, 45, 0))
        .expect("valid date");
    Post {
        spaces_id: SpacesId {
            owner: OWNER.into(),
            number: 1,
        },
        wp_id: 1,
        title: t.to_string(),
        slug: "post".into(),
        date,
        date_gmt: date,
        category: Some(Category {
            name: t.to_string(),
            slug: "cat".into(),
        }),
        html: t.to_string(),
        original_html: Some(t.to_string()),
        comments: vec![Comment {
            wp_id: 1,
            author: t.to_string(),
            author_url: String::new(),
            author_email: String::new(),
            html: t.to_string(),
            date,
            date_gmt: date,
            approximate: false,
        }],
        permalink: "http://demo.spaces.live.com/blog/cns!1.entry".into(),
        source: t.to_string(),
    }
}

/// Write a one-post WXR whose channel title and every post field is `t`.
fn write_wxr(t: &str) -> (String, usize) {
    let post = post_with(t);
    let author = Author {
        login: "demo".into(),
        display_name: t.to_string(),
    };
    let cats = [post.category.clone().expect("category")];
    let channel = Channel {
        title: t,
        link: "http://demo.spaces.live.com/",
        base_url: "http://localhost",
        pub_date: post.date,
        author: &author,
        categories: &cats,
    };
    let mut w = WxrWriter::start(Vec::new(), &channel).expect("start");
    w.post(&post, "urn:wls:demo:cns!1").expect("post");
    let stripped = w.stripped;
    let bytes = w.finish().expect("finish");
    (String::from_utf8(bytes).expect("UTF-8"), stripped)
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn wxr_writer_fields_read_back_exactly(t in text()) {
        let (xml, stripped) = write_wxr(&t);
        let doc = roxmltree::Document::parse(&xml).expect("the WXR parses");
        let want = xml_lines(&xml_clean(&t));
        let read = |v: &str| xml_lines(v);
        let channel = doc.root_element().first_element_child().expect("channel");
        let channel_title: String = channel
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string();
        prop_assert_eq!(read(&channel_title), want.clone());
        let item = &util::items(&xml)[0];
        // Titles, term names and comment authors are stored as the HTML
        // that shows the text.
        let want_html = xml_lines(&xml_clean(&wxr::html_text(&t)));
        prop_assert_eq!(read(&item.title), want_html.clone());
        prop_assert_eq!(read(&item.content), want.clone());
        prop_assert_eq!(read(&item.categories[0].1), want_html.clone());
        prop_assert_eq!(item.meta("_wls_source_file").map(read), Some(want.clone()));
        prop_assert_eq!(item.meta("_wls_original_html").map(read), Some(want.clone()));
        prop_assert_eq!(read(&item.comments[0].author), want_html);
        prop_assert_eq!(read(&item.comments[0].content), want);
        prop_assert_eq!(stripped > 0, t.chars().any(|c| !is_xml_char(c)));
    }
}
