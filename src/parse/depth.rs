//! A guard against pathologically nested pages.
//!
//! html5ever's tree builder checks the stack of open elements for every
//! start tag, so a page with 100,000 nested `<div>`s takes minutes to parse
//! (and four later passes parse bodies again). No Spaces page nests more
//! than a few dozen levels, so a page that does is reported and left out.
//! This module estimates the depth in one linear pass over the bytes; it is
//! a cheap upper bound used only for that decision, never to read content.

/// Deepest nesting accepted; parsing stays well under a second below it.
pub const MAX_DEPTH: usize = 1000;

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

/// Estimated deepest element nesting of a page.
pub fn max_depth(html: &[u8]) -> usize {
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = memchr(b'<', &html[i..]) {
        i += off + 1;
        let rest = &html[i..];
        match rest.first() {
            Some(b'!') | Some(b'?') => i += skip_declaration(rest),
            Some(b'/') => {
                depth = depth.saturating_sub(usize::from(counted(&tag_name(&rest[1..]))));
                i += memchr(b'>', rest).map_or(rest.len(), |p| p + 1);
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name = tag_name(rest);
                let end = memchr(b'>', rest).map_or(rest.len(), |p| p + 1);
                let self_closed = end >= 2 && rest[end - 2] == b'/';
                i += end;
                if RAW_TEXT.contains(&name.as_slice()) {
                    i += skip_raw_text(&html[i..], &name);
                } else if counted(&name) && !VOID.contains(&name.as_slice()) && !self_closed {
                    depth += 1;
                    max = max.max(depth);
                }
            }
            _ => {}
        }
    }
    max
}

fn counted(name: &[u8]) -> bool {
    !name.is_empty() && !SELF_CLOSING_IN_PRACTICE.contains(&name)
}

/// Lower-case tag name at the start of `s`.
fn tag_name(s: &[u8]) -> Vec<u8> {
    s.iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b':' || **b == b'-')
        .map(u8::to_ascii_lowercase)
        .collect()
}

/// Length of `<!-- … -->`, `<!DOCTYPE …>` or `<?…>` after the `<`.
fn skip_declaration(rest: &[u8]) -> usize {
    if rest.starts_with(b"!--") {
        return find(rest, b"-->").map_or(rest.len(), |p| p + 3);
    }
    memchr(b'>', rest).map_or(rest.len(), |p| p + 1)
}

/// Length up to and including `</name`, case-insensitive.
fn skip_raw_text(rest: &[u8], name: &[u8]) -> usize {
    let mut close = b"</".to_vec();
    close.extend_from_slice(name);
    let lower: Vec<u8> = rest.iter().map(u8::to_ascii_lowercase).collect();
    find(&lower, &close).map_or(rest.len(), |p| p + close.len())
}

fn memchr(b: u8, s: &[u8]) -> Option<usize> {
    s.iter().position(|&x| x == b)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
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
    fn odd_input_does_not_panic() {
        for s in [
            &b"<"[..],
            b"</",
            b"<!--",
            b"<a",
            b"<script>",
            b"<<<>>>",
            b"</a></b>",
            b"<a/>",
        ] {
            let _ = max_depth(s);
        }
    }
}
