//! Comments of one entry, in the markup of every era (§2.4 of the archive
//! notes): 2007 `.bvCommentText` (author, text, date as the first three
//! children), 2008 `.bvCommentText` with `#ccNamecns!…`/`.ccViewComment`/
//! `#ccDatecns!…`, 2008-10 `.ccCommentBox` (`.ccName`/`.cxp_ic_name`,
//! `.Comment`, `.ccDateBox span`) and 2010 `.cc2_cmt` (`.cc2_dnmmain`,
//! `.cc2_txt`, `.cc2_tsmain`). A date box may sit inside the comment or
//! right after it.

use scraper::ElementRef;

use super::dom::{self, has_class, id_starts, tag};
use crate::model::RawComment;

/// What an entry's range says about comments.
#[derive(Debug, Default)]
pub struct Found {
    /// Comments in page order.
    pub comments: Vec<RawComment>,
    /// Count the page claims (`bv:commentcount`, or the number on a
    /// comment link).
    pub declared: Option<u32>,
    /// A link to a further comment page is present.
    pub more_pages: bool,
}

/// Read the comments among `scope` (an entry's elements in order).
pub fn read_comments(scope: &[ElementRef<'_>]) -> Found {
    let mut found = Found::default();
    for (i, el) in scope.iter().enumerate() {
        let declared = el
            .value()
            .attr("bv:commentcount")
            .and_then(|n| n.trim().parse().ok());
        if let Some(n) = declared.or_else(|| count_in_link(el)) {
            found.declared = Some(found.declared.map_or(n, |d: u32| d.max(n)));
        }
        if is_next_page_link(el) {
            found.more_pages = true;
        }
        let comment = if has_class(el, "bvCommentText") {
            Some(bv_comment(el))
        } else if has_class(el, "ccCommentBox") {
            Some(cc_box(el, &scope[i + 1..]))
        } else if has_class(el, "cc2_cmt") {
            Some(cc2(el, &scope[i + 1..]))
        } else {
            None
        };
        found.comments.extend(comment);
    }
    found
}

fn is_next_page_link(el: &ElementRef<'_>) -> bool {
    id_starts(el, "sn_ccpgnextcommentcontrol")
        || el
            .value()
            .attr("title")
            .is_some_and(|t| t.to_ascii_lowercase().contains("next 20 comments"))
}

/// The number in the text of the entry's comment links: the "add comment"
/// link when it carries one (`<a bvItemType="post">Comments (23)</a>`), or
/// the "read comments" link of list and home pages
/// (`<a id="blogComments3" bvItemType="comment">阅读评论 (16)</a>`,
/// `Comentários (2)`, `コメント（4）`), whose comments were loaded by script.
fn count_in_link(el: &ElementRef<'_>) -> Option<u32> {
    let item_type = el.value().attr("bvitemtype").unwrap_or_default();
    let is_count_link = tag(el) == "a"
        && (item_type.eq_ignore_ascii_case("post")
            || item_type.eq_ignore_ascii_case("comment")
            || id_starts(el, "blogcomments"));
    if !is_count_link {
        return None;
    }
    count_in_parens(&dom::text(el))
}

/// `阅读评论 (16)` → 16; the last parenthesised number, ASCII or
/// full-width parentheses.
fn count_in_parens(text: &str) -> Option<u32> {
    let open = text.rfind(['(', '\u{ff08}'])?;
    let inner = &text[open..];
    let inner = inner[inner.chars().next()?.len_utf8()..]
        .split([')', '\u{ff09}'])
        .next()?;
    inner.trim().parse().ok()
}

/// One child of a 2007 comment: an element or a bare text node.
#[derive(Clone, Copy)]
enum Part<'a> {
    El(ElementRef<'a>),
    Text(&'a str),
}

impl Part<'_> {
    fn text(self) -> String {
        match self {
            Part::El(e) => dom::text(&e),
            Part::Text(t) => dom::fold_space(t),
        }
    }
}

/// 2007 and 2008 `.bvCommentText`.
fn bv_comment(el: &ElementRef<'_>) -> RawComment {
    if let Some(name) = dom::find(el, |e| id_starts(e, "ccnamecns")) {
        let text = dom::find(el, |e| has_class(e, "ccViewComment"));
        let date = dom::find(el, |e| id_starts(e, "ccdatecns"));
        return build(Some(name), text, date.map(|d| dom::text(&d)));
    }
    // 2007: author, text and date are the first three children, and the
    // author may be a bare text node rather than an element.
    // Emoticon images beside a bare-text name belong to the name.
    let mut parts: Vec<Part<'_>> = Vec::new();
    let mut name_emoji = String::new();
    for n in el.children() {
        match n.value() {
            scraper::Node::Text(t) if !dom::fold_space(t).is_empty() => parts.push(Part::Text(t)),
            scraper::Node::Element(e) if e.name() == "img" && parts.len() <= 1 => {
                if let Some(emoji) = emoticon_emoji(e.attr("src").unwrap_or(""), e.attr("alt")) {
                    name_emoji.push(' ');
                    name_emoji.push_str(emoji);
                }
            }
            scraper::Node::Element(_) => parts.extend(ElementRef::wrap(n).map(Part::El)),
            _ => {}
        }
    }
    let mut c = bv_parts(el, &parts);
    if !name_emoji.is_empty() && !c.author.is_empty() {
        c.author = dom::fold_space(&format!("{}{name_emoji}", c.author));
    }
    c
}

/// A 2007 comment from its parts (author, text, date; the author may be
/// missing).
fn bv_parts(el: &ElementRef<'_>, parts: &[Part<'_>]) -> RawComment {
    match parts {
        [author, text, date, ..] => with_parts(Some(*author), Some(*text), Some(date.text())),
        // No author element: the text block and the date only.
        [text, date] if is_date(&date.text()) => with_parts(None, Some(*text), Some(date.text())),
        [author, text] => with_parts(Some(*author), Some(*text), None),
        _ => build(None, Some(*el), None),
    }
}

/// Build a comment from 2007 parts, any of which may be bare text.
fn with_parts(
    author: Option<Part<'_>>,
    text: Option<Part<'_>>,
    date: Option<String>,
) -> RawComment {
    let name_el = match author {
        Some(Part::El(e)) => Some(e),
        _ => None,
    };
    let text_el = match text {
        Some(Part::El(t)) => Some(t),
        _ => None,
    };
    let mut c = build(name_el, text_el, date);
    if let Some(Part::Text(t)) = text {
        c.html = crate::html::text(&dom::fold_space(t)).into();
    }
    if let Some(Part::Text(t)) = author {
        c.author = dom::fold_space(t);
    }
    c
}

/// Does a comment part read as a date (absolute in either day/month order,
/// or relative such as `4 hours ago`)?
fn is_date(text: &str) -> bool {
    use super::dates::{parse_loose, parse_relative, DayMonthOrder};
    parse_loose(text, DayMonthOrder::MonthFirst).is_some()
        || parse_loose(text, DayMonthOrder::DayFirst).is_some()
        || parse_relative(text).is_some()
}

/// 2008-10 `.ccCommentBox`.
fn cc_box(el: &ElementRef<'_>, after: &[ElementRef<'_>]) -> RawComment {
    let name = dom::find(el, |e| {
        has_class(e, "cxp_ic_name") || has_class(e, "ccName")
    });
    let text = dom::find(el, |e| has_class(e, "Comment"));
    let date = dom::find(el, |e| has_class(e, "ccDateBox"))
        .or_else(|| following(after, "ccCommentBox", "ccDateBox"))
        .map(|b| {
            dom::find(&b, |e| tag(e) == "span").map_or_else(|| dom::text(&b), |s| dom::text(&s))
        });
    build(name, text, date)
}

/// 2010 `.cc2_cmt`.
fn cc2(el: &ElementRef<'_>, after: &[ElementRef<'_>]) -> RawComment {
    let name = dom::find(el, |e| has_class(e, "cc2_dnmmain"));
    let text = dom::find(el, |e| has_class(e, "cc2_txt"));
    let date = dom::find(el, |e| has_class(e, "cc2_tsmain"))
        .or_else(|| following(after, "cc2_cmt", "cc2_tsmain"))
        .map(|d| dom::text(&d));
    build(name, text, date)
}

/// The first element of class `want` that comes after a comment and before
/// the next comment of class `stop`.
fn following<'a>(after: &[ElementRef<'a>], stop: &str, want: &str) -> Option<ElementRef<'a>> {
    after
        .iter()
        .take_while(|e| !has_class(e, stop))
        .find(|e| has_class(e, want))
        .copied()
}

fn build(
    name: Option<ElementRef<'_>>,
    text: Option<ElementRef<'_>>,
    date: Option<String>,
) -> RawComment {
    let link = name
        .and_then(|n| dom::find(&n, |e| tag(e) == "a"))
        .and_then(|a| a.value().attr("href"));
    let (email, url) = match link {
        Some(h) if h.to_ascii_lowercase().starts_with("mailto:") => {
            (Some(h[7..].trim().to_string()), None)
        }
        Some(h) if h.starts_with("http") => (None, Some(h.trim().to_string())),
        _ => (None, None),
    };
    RawComment {
        author: name.map(|n| name_text(&n)).unwrap_or_default(),
        author_url: url,
        author_email: email.filter(|e| !e.is_empty()),
        html: text.map(|t| t.inner_html()).unwrap_or_default().into(),
        date_text: date.map(|d| dom::fold_space(&d)).filter(|d| !d.is_empty()),
        anchor_utc: None,
    }
}

/// A commenter's display name: its text, with each emoticon image shown as
/// the emoji it stands for, or left out when that is not known. Its `alt`
/// word (`:)`, `Smile`) is never part of the name.
fn name_text(el: &ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        if let Some(t) = node.value().as_text() {
            out.push_str(t);
        } else if let Some(e) = node.value().as_element() {
            if e.name() == "img" {
                let emoji = emoticon_emoji(e.attr("src").unwrap_or(""), e.attr("alt"));
                if let Some(emoji) = emoji {
                    out.push_str(emoji);
                }
            }
        }
    }
    dom::fold_space(&crate::output::xml::unglue_controls(&out))
}

/// MSN emoticons by the file name Spaces served them under
/// (`…/emoticons/smile_regular.gif`) and by the code typed to get them.
const EMOTICONS: [(&str, &str, &str); 32] = [
    ("smile_regular", ":)", "\u{1F642}"),
    ("regular_smile", ":-)", "\u{1F642}"),
    ("teeth_smile", ":D", "\u{1F600}"),
    ("wink_smile", ";)", "\u{1F609}"),
    ("tongue_smile", ":P", "\u{1F61B}"),
    ("omg_smile", ":O", "\u{1F62E}"),
    ("sad_smile", ":(", "\u{1F641}"),
    ("cry_smile", ":'(", "\u{1F622}"),
    ("angry_smile", ":@", "\u{1F620}"),
    ("confused_smile", ":S", "\u{1F615}"),
    ("embaressed_smile", ":$", "\u{1F633}"),
    ("embarrassed_smile", ":-$", "\u{1F633}"),
    ("what_smile", ":|", "\u{1F610}"),
    ("shades_smile", "(H)", "\u{1F60E}"),
    ("angel_smile", "(A)", "\u{1F607}"),
    ("devil_smile", "(6)", "\u{1F608}"),
    ("nerd_smile", "8-|", "\u{1F913}"),
    ("sleepy_smile", "|-)", "\u{1F62A}"),
    ("heart", "(L)", "\u{2764}\u{FE0F}"),
    ("broken_heart", "(U)", "\u{1F494}"),
    ("kiss", "(K)", "\u{1F48B}"),
    ("rose", "(F)", "\u{1F339}"),
    ("thumbs_up", "(Y)", "\u{1F44D}"),
    ("thumbs_down", "(N)", "\u{1F44E}"),
    ("coffee", "(C)", "\u{2615}"),
    ("beer_mug", "(B)", "\u{1F37A}"),
    ("present", "(G)", "\u{1F381}"),
    ("star", "(*)", "\u{2B50}"),
    ("sun", "(#)", "\u{2600}\u{FE0F}"),
    ("moon", "(S)", "\u{1F319}"),
    ("musical_note", "(8)", "\u{1F3B5}"),
    ("birthday_cake", "(^)", "\u{1F382}"),
];

/// The emoji of an MSN emoticon image, by its file name or its `alt` code.
fn emoticon_emoji(src: &str, alt: Option<&str>) -> Option<&'static str> {
    let file = src.rsplit('/').next().unwrap_or("");
    let stem = file
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .rsplit_once('.')
        .map_or(file, |(s, _)| s)
        .to_ascii_lowercase();
    let alt = alt.map(str::trim).unwrap_or("");
    EMOTICONS
        .iter()
        .find(|(name, code, _)| {
            (!stem.is_empty() && stem == *name)
                || (!alt.is_empty() && alt.eq_ignore_ascii_case(code))
        })
        .map(|(_, _, emoji)| *emoji)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn found(html: &str) -> Found {
        let doc = Html::parse_document(html);
        let scope: Vec<ElementRef<'_>> = doc.root_element().descendent_elements().collect();
        read_comments(&scope)
    }

    #[test]
    fn read_comments_links_declare_the_count() {
        let cases = [
            (
                r#"<a id="blogComments0"bvItemType="comment"href="http://x/blog/cns!A!1.entry#comment">&#38405;&#35835;&#35780;&#35770; (16)</a>"#,
                Some(16),
            ),
            (
                r#"<a id="blogComments1" bvItemType="comment" href="x.html">Comments (3)</a>"#,
                Some(3),
            ),
            (
                r#"<a id="blogComments2" href="x.html">Comentários (2)</a>"#,
                Some(2),
            ),
            (
                r#"<a bvItemType="comment" href="x.html">コメント（4）</a>"#,
                Some(4),
            ),
            (
                r#"<a bvItemType="post" href="x.html">Add a comment</a>"#,
                None,
            ),
            (
                r#"<a bvItemType="trackback" href="x.html">Trackbacks (5)</a>"#,
                None,
            ),
            (r#"<a href="x.html">Comments (9)</a>"#, None),
        ];
        for (link, want) in cases {
            let html = format!(
                r#"<div class="footerLinks"><a bvItemType="post" href="x.html">&#21457;&#34920;&#35780;&#35770;</a> | {link}</div>"#
            );
            let f = found(&html);
            assert_eq!(f.declared, want, "{link}");
            assert!(f.comments.is_empty());
        }
    }

    fn comments(html: &str) -> Vec<RawComment> {
        let doc = scraper::Html::parse_fragment(html);
        let scope: Vec<ElementRef<'_>> = doc.root_element().descendent_elements().collect();
        read_comments(&scope).comments
    }

    #[test]
    fn a_2007_comment_without_author_keeps_text_and_date() {
        let c = comments(
            "<div class=\"bvCommentText bvwordwrap\"><div>Ohne Namen</div><span>14.02.2008 07:05</span></div>\
             <div class=\"bvCommentText bvwordwrap\">Jens<div>Mit Namen</div><span>1/13/2008 11:30 AM</span></div>\
             <div class=\"bvCommentText\"><div>无名</div><span>2008/1/13 1:00</span></div>",
        );
        let got: Vec<(&str, Option<&str>)> = c
            .iter()
            .map(|c| (c.author.as_str(), c.date_text.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("", Some("14.02.2008 07:05")),
                ("Jens", Some("1/13/2008 11:30 AM")),
                ("", Some("2008/1/13 1:00")),
            ]
        );
        assert_eq!(c[0].html.inline().expect("inline"), "Ohne Namen");
    }

    #[test]
    fn emoticons_in_names_become_emoji_or_go() {
        let c = comments(
            "<div class=\"ccCommentBox\"><div class=\"ccName\">小猫 <img src=\"http://spaces.live.com/rte/emoticons/smile_regular.gif\" alt=\":)\"></div><div class=\"Comment\">x</div></div>\
             <div class=\"ccCommentBox\"><div class=\"ccName\"><img src=\"/e/unknown_thing.gif\" alt=\"(Z)\">Otto</div><div class=\"Comment\">y</div></div>\
             <div class=\"bvCommentText\">Lisa<img src=\"http://x/emoticons/heart.gif\" alt=\"(L)\"><div>z</div><span>1/1/2008 1:00 PM</span></div>",
        );
        let names: Vec<&str> = c.iter().map(|c| c.author.as_str()).collect();
        assert_eq!(names, ["小猫 🙂", "Otto", "Lisa ❤️"]);
        assert_eq!(c[2].date_text.as_deref(), Some("1/1/2008 1:00 PM"));
    }
}
