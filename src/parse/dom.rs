//! Small helpers over scraper's tree used by the entry and comment readers.

use scraper::{ElementRef, Html, Node};

use super::ids::starts_with_ignore_case;

/// A node of a page's tree (text, element, comment).
pub(crate) type TreeNode<'a> = ego_tree::NodeRef<'a, scraper::Node>;
/// Does the element's `id` start with `prefix` (case-insensitive, after the
/// `!` escapes are undone)?
pub fn id_starts(el: &ElementRef<'_>, prefix: &str) -> bool {
    el.value()
        .id()
        .is_some_and(|id| starts_with_ignore_case(id, prefix))
}

/// Does the element carry `class` (case-insensitive)?
pub fn has_class(el: &ElementRef<'_>, class: &str) -> bool {
    el.value().attr("class").is_some_and(|c| {
        c.split_ascii_whitespace()
            .any(|x| x.eq_ignore_ascii_case(class))
    })
}

/// Element name, lower-case.
pub fn tag<'a>(el: &ElementRef<'a>) -> &'a str {
    el.value().name()
}

/// Visible text with white space folded, `&nbsp;` included; emoticon
/// images contribute their `alt` text.
pub fn text(el: &ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        if let Some(t) = node.value().as_text() {
            out.push_str(t);
        } else if let Some(e) = node.value().as_element() {
            if e.name() == "img" {
                if let Some(alt) = e.attr("alt") {
                    out.push_str(alt);
                }
            }
        }
    }
    fold_space(&out)
}

/// Fold runs of white space (including U+00A0) into one space and trim.
pub fn fold_space(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// First descendant (or the element itself) matching `pred`.
pub fn find<'a>(
    el: &ElementRef<'a>,
    pred: impl Fn(&ElementRef<'a>) -> bool,
) -> Option<ElementRef<'a>> {
    std::iter::once(*el)
        .chain(el.descendent_elements())
        .find(|e| pred(e))
}

/// Next element sibling.
pub fn next_element<'a>(el: &ElementRef<'a>) -> Option<ElementRef<'a>> {
    el.next_siblings().find_map(ElementRef::wrap)
}

/// Previous element sibling.
pub fn prev_element<'a>(el: &ElementRef<'a>) -> Option<ElementRef<'a>> {
    el.prev_siblings().find_map(ElementRef::wrap)
}

/// Attributes that hold an address.
const URL_ATTRS: [&str; 10] = [
    "href",
    "src",
    "background",
    "data",
    "poster",
    "action",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
];

/// Map every address the Wayback Machine rewrote (`/web/<ts><flag>/<url>`)
/// back to the original one ([`super::wayback::original_url`]), so the
/// entry, its links, images and comments read as on the live site.
pub fn unwrap_wayback_urls(html: &mut Html) {
    let ids: Vec<_> = html
        .tree
        .nodes()
        .filter(|n| {
            n.value().as_element().is_some_and(|e| {
                e.attrs()
                    .any(|(k, v)| URL_ATTRS.contains(&k) && v.contains("/web/"))
            })
        })
        .map(|n| n.id())
        .collect();
    for id in ids {
        let Some(mut node) = html.tree.get_mut(id) else {
            continue;
        };
        let Node::Element(el) = node.value() else {
            continue;
        };
        for (name, value) in el.attrs.iter_mut() {
            if !URL_ATTRS.contains(&&*name.local) {
                continue;
            }
            if let Some(original) = super::wayback::original_url(value) {
                *value = original.into();
            }
        }
    }
}

/// Longest piece of a costly text handed to html5ever's serializer at once.
pub const TEXT_PIECE: usize = 512;

/// Texts with fewer escaped characters than this are never split.
const FEW_ESCAPES: usize = 64;

/// Is `s` a text that html5ever's serializer would escape in quadratic
/// time? At each `&` or U+00A0 it escapes, it searches the rest of the text
/// for the next `<` or `>`, so one long text full of `&amp;` or `&nbsp;`
/// and without `<` costs its length times its escapes.
fn costly(s: &str) -> bool {
    s.len() > TEXT_PIECE
        && memchr::memchr2_iter(b'&', 0xC2, s.as_bytes())
            .nth(FEW_ESCAPES)
            .is_some()
}

/// `s` cut into pieces of at most [`TEXT_PIECE`] bytes (at character
/// boundaries) when it is [`costly`], else whole. Serialised one after the
/// other, the pieces give the same bytes as `s`, in linear time.
pub fn text_pieces(s: &str) -> Vec<&str> {
    if !costly(s) {
        return vec![s];
    }
    let mut out = Vec::with_capacity(s.len() / TEXT_PIECE + 1);
    let mut rest = s;
    while rest.len() > TEXT_PIECE {
        let mut cut = TEXT_PIECE;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (piece, tail) = rest.split_at(cut);
        out.push(piece);
        rest = tail;
    }
    out.push(rest);
    out
}

/// Split every [`costly`] text node of a parsed document into adjacent
/// text nodes of at most [`TEXT_PIECE`] bytes, so that serialising any part
/// of it (`inner_html`) stays linear. The text read from the tree is
/// unchanged; only costly texts (long, with many `&`/U+00A0) are touched.
pub fn split_costly_texts(html: &mut Html) {
    let costly_ids: Vec<_> = html
        .tree
        .nodes()
        .filter(|n| n.value().as_text().is_some_and(|t| costly(t)))
        .map(|n| n.id())
        .collect();
    for id in costly_ids {
        let Some(mut node) = html.tree.get_mut(id) else {
            continue;
        };
        let Node::Text(t) = node.value() else {
            continue;
        };
        let whole = std::mem::take(&mut t.text);
        let pieces = text_pieces(&whole);
        let mut at = id;
        for (i, piece) in pieces.iter().enumerate() {
            let text = scraper::node::Text {
                text: (*piece).into(),
            };
            let Some(mut node) = html.tree.get_mut(at) else {
                break;
            };
            if i == 0 {
                *node.value() = Node::Text(text);
            } else {
                at = node.insert_after(Node::Text(text)).id();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costly_texts_are_split_and_serialise_the_same() {
        let body = format!(
            "<p>{}x&lt;y{}</p>",
            "&amp;&nbsp;é".repeat(2000),
            "ü".repeat(900)
        );
        let mut html = Html::parse_fragment(&body);
        let before = html.root_element().inner_html();
        let texts = |h: &Html| h.tree.nodes().filter(|n| n.value().is_text()).count();
        assert_eq!(texts(&html), 1);
        split_costly_texts(&mut html);
        assert!(texts(&html) > 10, "split into pieces");
        assert_eq!(html.root_element().inner_html(), before);
        for n in html.tree.nodes() {
            if let Some(t) = n.value().as_text() {
                assert!(t.len() <= TEXT_PIECE);
            }
        }
    }

    #[test]
    fn ordinary_texts_are_left_whole() {
        let long_plain = "word ".repeat(10_000);
        assert_eq!(text_pieces(&long_plain), vec![long_plain.as_str()]);
        let few = format!("{}{}", "&".repeat(FEW_ESCAPES), "x".repeat(5000));
        assert_eq!(text_pieces(&few).len(), 1);
        assert_eq!(text_pieces("a&b").len(), 1);
    }
}
