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
    /// Count the page claims (`bv:commentcount`).
    pub declared: Option<u32>,
    /// A link to a further comment page is present.
    pub more_pages: bool,
}

/// Read the comments among `scope` (an entry's elements in order).
pub fn read_comments(scope: &[ElementRef<'_>]) -> Found {
    let mut found = Found::default();
    for (i, el) in scope.iter().enumerate() {
        if let Some(n) = el
            .value()
            .attr("bv:commentcount")
            .and_then(|n| n.trim().parse().ok())
        {
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

/// 2007 and 2008 `.bvCommentText`.
fn bv_comment(el: &ElementRef<'_>) -> RawComment {
    if let Some(name) = dom::find(el, |e| id_starts(e, "ccnamecns")) {
        let text = dom::find(el, |e| has_class(e, "ccViewComment"));
        let date = dom::find(el, |e| id_starts(e, "ccdatecns"));
        return build(Some(name), text, date.map(|d| dom::text(&d)));
    }
    let kids: Vec<ElementRef<'_>> = el.child_elements().collect();
    match kids.as_slice() {
        [author, text, date, ..] => build(Some(*author), Some(*text), Some(dom::text(date))),
        [author, text] => build(Some(*author), Some(*text), None),
        _ => build(None, Some(*el), None),
    }
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
        html: text.map(|t| t.inner_html()).unwrap_or_default(),
        date_text: date.map(|d| dom::fold_space(&d)).filter(|d| !d.is_empty()),
    }
}
