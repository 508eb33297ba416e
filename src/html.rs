//! The one HTML escaper: text and attribute values written into HTML that
//! a browser (and the sanitizer, and WordPress) reads back as the same
//! characters. A no-break space is written `&nbsp;` so that it survives
//! editors that trim white space.

/// Append `s` as HTML text.
pub(crate) fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
    }
}

/// `s` as HTML text, in a new string.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_text(&mut out, s);
    out
}

/// Append `s` as the value of a double-quoted attribute.
pub(crate) fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            _ => escape_text(out, c.encode_utf8(&mut [0; 4])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_read_back_the_same() {
        assert_eq!(text("a<b> & \u{a0}\"c\""), "a&lt;b&gt; &amp; &nbsp;\"c\"");
        let mut attr = String::new();
        escape_attr(&mut attr, "x\"y&<\u{a0}");
        assert_eq!(attr, "x&quot;y&amp;&lt;&nbsp;");
        let doc = scraper::Html::parse_fragment(&format!(
            "<p title=\"{attr}\">{}</p>",
            text("1 < 2 &amp; 3")
        ));
        let p = doc
            .root_element()
            .first_child()
            .and_then(scraper::ElementRef::wrap)
            .expect("p");
        assert_eq!(p.value().attr("title"), Some("x\"y&<\u{a0}"));
        assert_eq!(p.text().collect::<String>(), "1 < 2 &amp; 3");
    }
}
