//! What a post's content references and how its text starts, read from the
//! page's tree while it is live, so that later stages never parse a body
//! again to find them: the media stage resolves [`refs`], the planner
//! titles an untitled entry from its [`lead`].

use std::collections::HashSet;

use super::dom::TreeNode as Node;
use crate::model::{RefKind, UrlRef};

/// Every `<img src>` and `<a href>` under `nodes` (each with its subtree),
/// in document order, trimmed, without repeats of the same URL and kind.
///
/// All links are kept, not only those that look like images: which of them
/// lead to a picture is the media stage's question, answered from the URL.
pub(crate) fn refs<'a>(nodes: impl Iterator<Item = Node<'a>>) -> Vec<UrlRef> {
    let mut out = Vec::new();
    let mut seen: HashSet<(String, RefKind)> = HashSet::new();
    for n in nodes.flat_map(|n| n.descendants()) {
        let Some(el) = n.value().as_element() else {
            continue;
        };
        let (url, kind, alt) = match el.name() {
            "img" => match el.attr("src") {
                Some(u) => (u, RefKind::Img, el.attr("alt").unwrap_or("")),
                None => continue,
            },
            "a" => match el.attr("href") {
                Some(u) => (u, RefKind::Link, ""),
                None => continue,
            },
            _ => continue,
        };
        let url = url.trim();
        if url.is_empty() || !seen.insert((url.to_string(), kind)) {
            continue;
        }
        out.push(UrlRef {
            url: url.to_string(),
            kind,
            alt: alt.trim().to_string(),
        });
    }
    out
}

/// Characters of text that are not white space kept in a [`lead`]: far more
/// than a fallback title ever needs (80 characters at most).
const LEAD_CHARS: usize = 400;

/// The start of the text under `nodes`, in document order, as a reader of
/// the serialized HTML would get it (every text node, white space as
/// written), ending once [`LEAD_CHARS`] characters that are not white space
/// were taken.
pub(crate) fn lead<'a>(nodes: impl Iterator<Item = Node<'a>>) -> String {
    let mut out = String::new();
    let mut dense = 0;
    for n in nodes.flat_map(|n| n.descendants()) {
        let Some(t) = n.value().as_text() else {
            continue;
        };
        for c in t.chars() {
            out.push(c);
            if !c.is_whitespace() {
                dense += 1;
                if dense >= LEAD_CHARS {
                    return out;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn parts(html: &str) -> (Vec<UrlRef>, String) {
        let doc = Html::parse_fragment(html);
        let root = doc.root_element();
        (refs(root.children()), lead(root.children()))
    }

    #[test]
    fn references_in_order_without_repeats() {
        let (r, _) = parts(
            r#"<p><a href=" big.jpg "><img src="small.jpg" alt=" Lago "></a>
               <img src="small.jpg"><a href="http://x.org/">x</a><img></p>"#,
        );
        let got: Vec<(&str, RefKind, &str)> = r
            .iter()
            .map(|r| (r.url.as_str(), r.kind, r.alt.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("big.jpg", RefKind::Link, ""),
                ("small.jpg", RefKind::Img, "Lago"),
                ("http://x.org/", RefKind::Link, ""),
            ]
        );
    }

    #[test]
    fn lead_is_the_text_as_written_and_bounded() {
        let (_, l) = parts("<p>今天&amp;明天</p><p> Tom <b>&lt;3</b></p>");
        assert_eq!(l, "今天&明天 Tom <3");
        let long = format!("<p>{}</p>", "字 ".repeat(1000));
        let (_, l) = parts(&long);
        assert_eq!(l.chars().filter(|c| !c.is_whitespace()).count(), LEAD_CHARS);
    }
}
