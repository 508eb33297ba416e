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
    let parts: Vec<Part<'_>> = el
        .children()
        .filter_map(|n| match n.value() {
            scraper::Node::Text(t) if !dom::fold_space(t).is_empty() => Some(Part::Text(t)),
            scraper::Node::Element(_) => ElementRef::wrap(n).map(Part::El),
            _ => None,
        })
        .collect();
    match parts.as_slice() {
        [author, text, date, ..] => with_parts(*author, Some(*text), Some(date.text())),
        [author, text] => with_parts(*author, Some(*text), None),
        _ => build(None, Some(*el), None),
    }
}

/// Build a comment from 2007 parts, any of which may be bare text.
fn with_parts(author: Part<'_>, text: Option<Part<'_>>, date: Option<String>) -> RawComment {
    let name_el = match author {
        Part::El(e) => Some(e),
        Part::Text(_) => None,
    };
    let text_el = match text {
        Some(Part::El(t)) => Some(t),
        _ => None,
    };
    let mut c = build(name_el, text_el, date);
    if let Some(Part::Text(t)) = text {
        c.html = escape_text(&dom::fold_space(t)).into();
    }
    if let Part::Text(t) = author {
        c.author = dom::fold_space(t);
    }
    c
}

fn escape_text(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
        author: name.map(|n| dom::text(&n)).unwrap_or_default(),
        author_url: url,
        author_email: email.filter(|e| !e.is_empty()),
        html: text.map(|t| t.inner_html()).unwrap_or_default().into(),
        date_text: date.map(|d| dom::fold_space(&d)).filter(|d| !d.is_empty()),
    }
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
}
