//! Small helpers over scraper's tree used by the entry and comment readers.

use scraper::ElementRef;

use super::ids::unescape_bang;

/// Does the element's `id` start with `prefix` (case-insensitive, after the
/// `!` escapes are undone)?
pub fn id_starts(el: &ElementRef<'_>, prefix: &str) -> bool {
    el.value()
        .id()
        .is_some_and(|id| unescape_bang(id).to_ascii_lowercase().starts_with(prefix))
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
