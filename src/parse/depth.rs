//! A guard against pages that would make the HTML parser super-linear.
//!
//! Two shapes cost html5ever far more than their size:
//! - deep nesting: the tree builder checks the stack of open elements for
//!   every start tag, so a page with 100,000 nested `<div>`s takes minutes
//!   to parse (and four later passes parse bodies again);
//! - many attributes on one tag: the tokenizer compares every new attribute
//!   with all earlier ones of the same tag, so one element with 100,000
//!   attributes costs 5·10⁹ comparisons.
//!
//! No Spaces page nests more than a few dozen levels or carries more than a
//! few attributes per element, so a page beyond the limits below is
//! reported and left out. [`measure`] estimates both in one linear pass over
//! the bytes; it is a cheap upper bound used only for that decision, never
//! to read content. Every search is linear: `memchr` for single bytes,
//! `memmem` for fixed strings, ASCII case folded byte by byte in place (the
//! rest of the page is never copied).

use memchr::{memchr, memmem};

/// Deepest nesting accepted; parsing stays well under a second below it.
pub const MAX_DEPTH: usize = 1000;

/// Attribute comparisons always allowed on a page (one element with 1,000
/// attributes).
const ATTR_WORK_FLOOR: u64 = 1_000_000;

/// Attribute comparisons allowed per byte of page on top of the floor.
/// Real pages stay far below it: ten attributes on every element of a page
/// written as `<b a=1 b=2 …>` costs about 2 comparisons per byte.
const ATTR_WORK_PER_BYTE: u64 = 4;

/// Bytes of attribute values the serializer may search on any page (a few
/// milliseconds).
const ESCAPE_WORK_FLOOR: u64 = 100_000_000;

/// Bytes searched allowed per byte of page on top of the floor. A real
/// page's values are short URLs with a few `&`: far below it.
const ESCAPE_WORK_PER_BYTE: u64 = 256;

/// Elements without end tags.
const VOID: [&[u8]; 14] = [
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr",
];

/// Elements whose end tag may be left out (MSHTML leaves `<P>`, `<LI>`,
/// `<TD>` open all the time); the parser closes them itself, so they are not
/// counted.
const SELF_CLOSING_IN_PRACTICE: [&[u8]; 17] = [
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"optgroup",
    b"thead",
    b"tbody",
    b"tfoot",
    b"colgroup",
    b"caption",
    b"rb",
    b"rt",
    b"rp",
];

/// Elements whose content is not markup.
const RAW_TEXT: [&[u8]; 6] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"plaintext",
];

/// What [`measure`] found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Costs {
    /// Estimated deepest element nesting.
    pub depth: usize,
    /// Most attributes on one tag.
    pub max_attributes: usize,
    /// Attribute comparisons the tokenizer will make (sum over tags of
    /// attributes² / 2).
    pub attribute_work: u64,
    /// Bytes html5ever's serializer will search when it writes attribute
    /// values back: at each `&` or U+00A0 it escapes in a value, it looks
    /// for the next `"`, `<` or `>` in the rest of the value (sum over
    /// values of length × escapes).
    pub escape_work: u64,
    /// Length and escapes of the costliest attribute value.
    pub worst_value: (usize, usize),
}

impl Costs {
    /// Would parsing a page of `len` bytes with these costs be super-linear?
    pub fn too_many_attributes(&self, len: usize) -> bool {
        self.attribute_work > attribute_budget(len)
    }

    /// Would writing the attribute values of a page of `len` bytes back
    /// out be super-linear?
    pub fn costly_attribute_values(&self, len: usize) -> bool {
        self.escape_work
            > ESCAPE_WORK_FLOOR.saturating_add(ESCAPE_WORK_PER_BYTE.saturating_mul(len as u64))
    }
}

/// Attribute comparisons allowed for a page of `len` bytes.
pub fn attribute_budget(len: usize) -> u64 {
    ATTR_WORK_FLOOR.saturating_add(ATTR_WORK_PER_BYTE.saturating_mul(len as u64))
}

#[cfg(test)]
/// Estimated deepest element nesting of a page.
pub fn max_depth(html: &[u8]) -> usize {
    measure(html).depth
}

/// Nesting and attribute costs of a page, in two linear passes.
///
/// The text of `<style>`, `<title>` or `<script>` is not markup in HTML,
/// but it is inside `<svg>` or `<math>`, where the tokenizer reads the tags
/// in it. Attributes are therefore counted twice, once skipping raw text
/// and once reading it as markup, and the larger count is kept; nesting is
/// taken from the first pass only (scripts often hold tags in strings).
pub fn measure(html: &[u8]) -> Costs {
    let html_context = scan(html, true);
    let foreign_context = scan(html, false);
    Costs {
        depth: html_context.depth,
        max_attributes: html_context
            .max_attributes
            .max(foreign_context.max_attributes),
        attribute_work: html_context
            .attribute_work
            .max(foreign_context.attribute_work),
        escape_work: html_context.escape_work.max(foreign_context.escape_work),
        worst_value: html_context.worst_value.max(foreign_context.worst_value),
    }
}

/// One pass of [`measure`]; `skip_raw_text_elements` skips the text of raw-text
/// elements.
fn scan(html: &[u8], skip_raw_text_elements: bool) -> Costs {
    let mut costs = Costs::default();
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr(b'<', &html[i..]) {
        i += off + 1;
        let rest = &html[i..];
        match rest.first() {
            Some(b'!') | Some(b'?') => i += skip_declaration(rest),
            Some(b'/') => {
                let name = tag_name(&rest[1..]);
                depth = depth.saturating_sub(usize::from(counted(name)));
                i += memchr(b'>', rest).map_or(rest.len(), |p| p + 1);
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name = tag_name(rest);
                let tag = scan_tag(&rest[name.len()..]);
                i += name.len() + tag.len;
                let attrs = tag.attributes as u64;
                costs.max_attributes = costs.max_attributes.max(tag.attributes);
                costs.escape_work = costs.escape_work.saturating_add(tag.escape_work);
                costs.worst_value = costs.worst_value.max(tag.worst_value);
                costs.attribute_work = costs
                    .attribute_work
                    .saturating_add(attrs.saturating_mul(attrs) / 2);
                let raw = RAW_TEXT.iter().find(|r| r.eq_ignore_ascii_case(name));
                if let Some(raw) = raw.filter(|_| skip_raw_text_elements) {
                    i += skip_raw_text(&html[i..], raw);
                } else if raw.is_some() {
                    // Read as markup; not counted as nesting.
                } else if counted(name) && !is_void(name) && !tag.self_closed {
                    depth += 1;
                    costs.depth = costs.depth.max(depth);
                }
            }
            _ => {}
        }
    }
    costs
}

fn counted(name: &[u8]) -> bool {
    !name.is_empty()
        && !SELF_CLOSING_IN_PRACTICE
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
}

fn is_void(name: &[u8]) -> bool {
    VOID.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Tag name at the start of `s` (as written; compared case-insensitively).
fn tag_name(s: &[u8]) -> &[u8] {
    let len = s
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b':' || **b == b'-')
        .count();
    &s[..len]
}

/// One start tag after its name, as the HTML tokenizer reads it.
struct Tag {
    /// Bytes up to and including the closing `>` (or to the end).
    len: usize,
    /// Attributes, duplicates included (the tokenizer compares them all).
    attributes: usize,
    /// Ends with `/>`.
    self_closed: bool,
    /// Sum over its values of length × escapes (see [`Costs::escape_work`]).
    escape_work: u64,
    /// Length and escapes of its costliest value.
    worst_value: (usize, usize),
}

impl Tag {
    /// Account for one attribute value.
    fn value(&mut self, v: &[u8]) {
        let escapes = memchr::memchr2_iter(b'&', 0xC2, v).count();
        let work = (v.len() as u64).saturating_mul(escapes as u64);
        self.escape_work = self.escape_work.saturating_add(work);
        if escapes > 0 {
            self.worst_value = self.worst_value.max((v.len(), escapes));
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Read the attributes of a start tag: names end at white space, `/`, `>`
/// or `=`; values are quoted (a `>` inside quotes does not end the tag) or
/// end at white space or `>`; a `/` not followed by `>` separates
/// attributes, as in the tokenizer's states.
fn scan_tag(s: &[u8]) -> Tag {
    let mut tag = Tag {
        len: s.len(),
        attributes: 0,
        self_closed: false,
        escape_work: 0,
        worst_value: (0, 0),
    };
    let mut i = 0usize;
    // Skip the rest of an odd tag name (`<a"b`): the tokenizer's name runs
    // to white space, `/` or `>`.
    while i < s.len() && !is_space(s[i]) && s[i] != b'/' && s[i] != b'>' {
        i += 1;
    }
    loop {
        while i < s.len() && (is_space(s[i]) || (s[i] == b'/' && s.get(i + 1) != Some(&b'>'))) {
            i += 1;
        }
        match s.get(i) {
            None => return tag,
            Some(b'>') => {
                tag.len = i + 1;
                return tag;
            }
            Some(b'/') => {
                tag.len = i + 2;
                tag.self_closed = true;
                return tag;
            }
            Some(_) => {}
        }
        // An attribute name; its first byte may be anything, even `=`.
        tag.attributes += 1;
        i += 1;
        while i < s.len() && !is_space(s[i]) && !matches!(s[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < s.len() && is_space(s[i]) {
            i += 1;
        }
        if s.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < s.len() && is_space(s[i]) {
            i += 1;
        }
        match s.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let start = i + 1;
                let end = memchr(q, &s[start..]).map_or(s.len(), |p| start + p);
                tag.value(&s[start..end]);
                i = (end + 1).min(s.len());
            }
            Some(b'>') | None => {}
            Some(_) => {
                let start = i;
                while i < s.len() && !is_space(s[i]) && s[i] != b'>' {
                    i += 1;
                }
                tag.value(&s[start..i]);
            }
        }
    }
}

/// Length of `<!-- … -->`, `<!DOCTYPE …>` or `<?…>` after the `<`.
fn skip_declaration(rest: &[u8]) -> usize {
    if rest.starts_with(b"!--") {
        // From the `!`, so that `<!-->` and `<!--->` close at once, as in
        // the tokenizer.
        return memmem::find(&rest[1..], b"-->").map_or(rest.len(), |p| p + 4);
    }
    memchr(b'>', rest).map_or(rest.len(), |p| p + 1)
}

/// Length up to and including `</name`, case-insensitive, found without
/// copying: each `<` is checked in place.
fn skip_raw_text(rest: &[u8], name: &[u8]) -> usize {
    let mut i = 0;
    while let Some(off) = memchr(b'<', &rest[i..]) {
        let at = i + off;
        let after = &rest[at + 1..];
        if after.first() == Some(&b'/')
            && after.len() > name.len()
            && after[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return at + 2 + name.len();
        }
        i = at + 1;
    }
    rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_shallow() {
        let page = br#"<html><head><title>a <b></title><script>if (a<b) { x = "<div>"; }</script></head>
<body><div id="msgcns!X!1"><P>one<P>two<BR><IMG src=x><ul><li>a<li>b</ul><!-- <div><div> --></div></body></html>"#;
        assert_eq!(max_depth(page), 4, "html, body, div, ul");
    }

    #[test]
    fn deep_nesting_is_measured_in_linear_time() {
        let n = 200_000;
        let page = format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        assert_eq!(max_depth(page.as_bytes()), n);
        let unclosed_paragraphs = "<p>para".repeat(n);
        assert_eq!(max_depth(unclosed_paragraphs.as_bytes()), 0);
    }

    #[test]
    fn raw_text_ends_at_its_closing_tag_in_any_case() {
        let page = b"<TITLE>x <div> y</TiTlE><div><SCRIPT>'</div>'</script></div>";
        assert_eq!(max_depth(page), 1);
        assert_eq!(skip_raw_text(b"abc</STYLE>", b"style"), 10);
        assert_eq!(skip_raw_text(b"abc</styl", b"style"), 9, "unterminated");
    }

    #[test]
    fn attributes_are_counted_as_the_tokenizer_reads_them() {
        let count = |tag: &str| measure(tag.as_bytes()).max_attributes;
        assert_eq!(count("<p>"), 0);
        assert_eq!(count("<p a b=1 c='x y' d=\"u > v\" e>"), 5);
        assert_eq!(count("<p/a/b/c/>"), 3, "slashes separate attributes");
        assert_eq!(count("<p a=\"1\"b=\"2\"c>"), 3, "no space after quotes");
        assert_eq!(count("<p =a b>"), 2, "a name may start with =");
        assert_eq!(count("<p a =b>"), 1, "spaces around =");
        assert_eq!(count("<img src=x alt=y/>"), 2);
        assert!(measure(b"<br/>").depth == 0 && measure(b"<div/>").depth == 0);
        assert_eq!(count("<p a=\"> b c d\">"), 1, "a quoted > hides nothing");
    }

    #[test]
    fn many_attributes_exceed_the_budget() {
        let tag = |n: usize| {
            let attrs: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
            format!("<p {}>x</p>", attrs.join(" "))
        };
        let small = tag(20);
        assert!(!measure(small.as_bytes()).too_many_attributes(small.len()));
        let big = tag(100_000);
        let costs = measure(big.as_bytes());
        assert_eq!(costs.max_attributes, 100_000);
        assert!(costs.too_many_attributes(big.len()));
        // The same attributes spread over many tags are cheap.
        let spread = tag(10).repeat(10_000);
        assert!(!measure(spread.as_bytes()).too_many_attributes(spread.len()));
    }

    #[test]
    fn attribute_values_full_of_references_are_costly() {
        let value = |v: &str| format!("<a title=\"{v}\" href=x>t</a>");
        let url = value("http://x/?a=1&amp;b=2&amp;c=3");
        let costs = measure(url.as_bytes());
        assert_eq!(costs.worst_value, (29, 2));
        assert!(!costs.costly_attribute_values(url.len()));
        let hostile = value(&"&amp;".repeat(200_000));
        let costs = measure(hostile.as_bytes());
        assert_eq!(costs.worst_value, (1_000_000, 200_000));
        assert!(costs.costly_attribute_values(hostile.len()));
        let unquoted = format!("<img alt={}>", "&nbsp;".repeat(200_000));
        assert!(measure(unquoted.as_bytes()).costly_attribute_values(unquoted.len()));
    }

    #[test]
    fn attributes_inside_foreign_raw_text_are_counted() {
        // Inside <svg>, <style> and <title> hold markup: html5ever reads the
        // tags in them.
        let attrs: Vec<String> = (0..5000).map(|i| format!("a{i}")).collect();
        for raw in ["style", "title", "script"] {
            let page = format!("<svg><{raw}><g {}>x</{raw}></svg>", attrs.join(" "));
            let costs = measure(page.as_bytes());
            assert_eq!(costs.max_attributes, 5000, "{raw}");
            assert!(costs.too_many_attributes(page.len()), "{raw}");
        }
        // Tags in an HTML script do not count as nesting.
        let script = "<script>x = '<div><div><div>';</script><div></div>";
        assert_eq!(measure(script.as_bytes()).depth, 1);
    }

    #[test]
    fn raw_text_is_skipped_in_linear_time() {
        // Every <title> used to copy and lower-case the rest of the page.
        let n = 50_000;
        let page = format!("{}{}", "<title>t</title>".repeat(n), "x".repeat(1 << 20));
        assert_eq!(max_depth(page.as_bytes()), 0);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            &b"<"[..],
            b"</",
            b"<!--",
            b"<!-->",
            b"<a",
            b"<a b=",
            b"<a b=\"",
            b"<a /",
            b"<script>",
            b"<script></scrip",
            b"<<<>>>",
            b"</a></b>",
            b"<a/>",
        ] {
            let _ = measure(s);
        }
    }
}
