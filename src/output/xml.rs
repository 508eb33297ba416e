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

/// A control character that is not a line break or tab: the C0 controls,
/// DEL (U+007F) and the C1 controls (U+0080..U+009F, NEL included). None
/// of them shows as anything in a browser.
pub fn is_text_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `s` with every run of control characters ([`is_text_control`]) taken
/// out. A run between two visible characters becomes one space, so
/// `Hallo\u{7f}Welt` or `one\u{85}two` never glue two words together;
/// next to white space or at either end it simply goes.
pub fn unglue_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_text_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut in_run = false;
    for c in s.chars() {
        if is_text_control(c) {
            in_run = true;
            continue;
        }
        if in_run {
            let before = out.chars().next_back();
            if before.is_some_and(|b| !b.is_whitespace()) && !c.is_whitespace() {
                out.push(' ');
            }
            in_run = false;
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_runs_never_glue_words() {
        assert_eq!(unglue_controls("Hallo\u{7f}Welt"), "Hallo Welt");
        assert_eq!(
            unglue_controls("one\u{85}two\u{9f}\u{80}three"),
            "one two three"
        );
        assert_eq!(unglue_controls("a\u{1}b \u{2}c\u{3}"), "a b c");
        assert_eq!(unglue_controls("\u{1b}[1m 今天\u{7f}"), "[1m 今天");
        assert_eq!(
            unglue_controls("tab\tand\nlines\r\n"),
            "tab\tand\nlines\r\n"
        );
        assert!(matches!(
            unglue_controls("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

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
