//! Text that is safe in a WXR file.
//!
//! XML 1.0 forbids most C0 control characters and U+FFFE/U+FFFF; real
//! exports containing U+0001 break SimpleXML and expat (wp2hugo#27). They
//! are removed and counted so the report can say so.

/// Is `c` allowed in XML 1.0 content?
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

/// `s` without XML-invalid characters, and how many were removed.
pub fn clean_text(s: &str) -> (std::borrow::Cow<'_, str>, usize) {
    if s.chars().all(is_xml_char) {
        return (std::borrow::Cow::Borrowed(s), 0);
    }
    let kept: String = s.chars().filter(|&c| is_xml_char(c)).collect();
    let removed = s.chars().count() - kept.chars().count();
    (std::borrow::Cow::Owned(kept), removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_removed() {
        let (t, n) = clean_text("a\u{1}b\u{8}c\td\u{ffff}e\u{b}\r\n");
        assert_eq!(t, "abc\tde\r\n");
        assert_eq!(n, 4);
    }

    #[test]
    fn clean_text_borrows() {
        let (t, n) = clean_text("今天 ok");
        assert!(matches!(t, std::borrow::Cow::Borrowed(_)));
        assert_eq!(n, 0);
    }
}
