//! Parse stage, first step: bytes of a page to text.
//!
//! Spaces served UTF-8, but users re-saved pages from Internet Explorer in
//! GBK, Big5, Shift_JIS or windows-1252, often leaving a stale `<meta
//! charset>`. The decision per file is: a byte-order mark wins; bytes that
//! are valid UTF-8 are UTF-8; otherwise the declared charset and a
//! statistical guess (chardetng) are compared and the one that decodes
//! cleanly, preferring agreement, is used.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};

/// How many leading bytes are searched for a `<meta>` charset, as browsers do.
const PRESCAN_BYTES: usize = 4096;

/// Text of a page and how its encoding was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The page as UTF-8 text, without BOM.
    pub text: String,
    /// Encoding used.
    pub encoding: &'static Encoding,
    /// A note for the report when the choice was not obvious.
    pub note: Option<String>,
}

/// Decode one page.
pub fn decode_page(bytes: &[u8]) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return decoded(text.into_owned(), enc, None);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return decoded(text.to_string(), UTF_8, None);
    }
    let declared = declared_charset(bytes).filter(|e| *e != UTF_8);
    let guessed = guess(bytes);
    choose(bytes, declared, guessed)
}

fn decoded(text: String, encoding: &'static Encoding, note: Option<String>) -> Decoded {
    Decoded {
        text,
        encoding,
        note,
    }
}

/// Pick between the declared and the guessed encoding.
fn choose(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
    guessed: &'static Encoding,
) -> Decoded {
    let (guess_text, _, guess_bad) = guessed.decode(bytes);
    let Some(declared) = declared.filter(|d| *d != guessed) else {
        let (enc, note) = pick(declared, guessed, false, guess_bad);
        return decoded(guess_text.into_owned(), enc, note);
    };
    let (decl_text, _, decl_bad) = declared.decode(bytes);
    match pick(Some(declared), guessed, decl_bad, guess_bad) {
        (enc, note) if enc == guessed => decoded(guess_text.into_owned(), enc, note),
        (enc, note) => decoded(decl_text.into_owned(), enc, note),
    }
}

/// The encoding to read a page in, from the declared charset, the
/// statistical guess, and whether the page's bytes are malformed in each,
/// with a note when the choice was not obvious.
pub fn pick(
    declared: Option<&'static Encoding>,
    guessed: &'static Encoding,
    decl_bad: bool,
    guess_bad: bool,
) -> (&'static Encoding, Option<String>) {
    let Some(declared) = declared else {
        let note = format!("no usable charset declared; read as {}", guessed.name());
        return (guessed, Some(note));
    };
    if declared == guessed {
        return (guessed, None);
    }
    if !guess_bad && (decl_bad || is_cjk(guessed) && (is_cjk(declared) || is_single_byte(declared)))
    {
        let note = format!(
            "declared charset {} does not fit the bytes; read as {}",
            declared.name(),
            guessed.name()
        );
        return (guessed, Some(note));
    }
    let note = decl_bad.then(|| format!("bytes invalid in declared charset {}", declared.name()));
    (declared, note)
}

/// A chardetng detector set up as for whole pages.
pub fn detector() -> EncodingDetector {
    EncodingDetector::new(Iso2022JpDetection::Deny)
}

/// The guess of a detector fed a whole page.
pub fn guess_of(det: &EncodingDetector) -> &'static Encoding {
    det.guess(None, Utf8Detection::Allow)
}

/// Is `e` one of the East Asian multi-byte encodings? GBK, Big5 and
/// Shift_JIS often decode each other's bytes without error, and a
/// single-byte label decodes anything, so against either of those a clean
/// statistical guess of a CJK encoding is the better judge.
fn is_cjk(e: &'static Encoding) -> bool {
    [
        encoding_rs::GBK,
        encoding_rs::GB18030,
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::EUC_KR,
    ]
    .contains(&e)
}

fn is_single_byte(e: &'static Encoding) -> bool {
    e.is_single_byte()
}

/// chardetng's guess over the whole page.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut det = detector();
    det.feed(bytes, true);
    guess_of(&det)
}

/// Guess the encoding of a set of short strings (zip entry names).
pub fn guess_names<'a>(names: impl IntoIterator<Item = &'a [u8]>) -> &'static Encoding {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    for n in names {
        det.feed(n, false);
        det.feed(b"\n", false);
    }
    det.feed(b"", true);
    det.guess(None, Utf8Detection::Allow)
}

/// The charset a page declares in its first bytes (`<meta charset=…>` or
/// `<meta http-equiv=Content-Type content="…; charset=…">`).
///
/// This is the byte-level prescan the HTML standard prescribes before a
/// parser can run: the parser needs the encoding first.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        if let Some(enc) = charset_in(&lower[start..end]) {
            return Some(enc);
        }
        from = start + 5;
    }
    None
}

/// `charset=` inside one meta tag.
fn charset_in(tag: &[u8]) -> Option<&'static Encoding> {
    let pos = find(tag, b"charset")?;
    let rest = &tag[pos + 7..];
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let rest = rest.strip_prefix(b"=")?;
    let rest: Vec<u8> = rest
        .iter()
        .copied()
        .skip_while(|b| matches!(b, b' ' | b'"' | b'\''))
        .take_while(|b| !matches!(b, b' ' | b'"' | b'\'' | b';' | b'/' | b'>'))
        .collect();
    Encoding::for_label(&rest)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str = "<p>今天天气很好，我们去公园散步了。这是我的日志，记录生活中的点点滴滴。</p>";

    fn page(meta: &str, body: &str) -> String {
        format!("<html><head>{meta}</head><body>{body}</body></html>")
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let p = page("", "Grüße");
        assert_eq!(decode_page(p.as_bytes()).text, p);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(p.as_bytes());
        let d = decode_page(&bom);
        assert_eq!(d.text, p);
        assert_eq!(d.encoding, UTF_8);
    }

    #[test]
    fn declared_gbk_is_used() {
        let p = page(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#,
            ZH,
        );
        let (bytes, _, _) = encoding_rs::GBK.encode(&p);
        let d = decode_page(&bytes);
        assert_eq!(d.text, p);
        assert_eq!(d.note, None);
    }

    #[test]
    fn stale_meta_is_overruled() {
        let p = page(r#"<meta charset="windows-1252">"#, ZH);
        let (bytes, _, _) = encoding_rs::GBK.encode(&p);
        let d = decode_page(&bytes);
        assert_eq!(d.text, p, "GBK bytes under a windows-1252 label");
        assert!(d.note.is_some());
    }

    #[test]
    fn utf8_bytes_win_over_a_legacy_label() {
        let p = page(r#"<meta charset=gb2312>"#, ZH);
        assert_eq!(decode_page(p.as_bytes()).text, p);
    }

    #[test]
    fn windows_1252_without_label() {
        let p = page("", "<p>Olá, coração! Está ótimo.</p>");
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&p);
        assert_eq!(decode_page(&bytes).text, p);
    }

    #[test]
    fn prescan_forms() {
        for (tag, want) in [
            (
                r#"<META http-equiv=Content-Type content="text/html; charset=Big5">"#,
                encoding_rs::BIG5,
            ),
            (r#"<meta charset='shift_jis'>"#, encoding_rs::SHIFT_JIS),
            (r#"<meta charset = "utf-8" />"#, UTF_8),
        ] {
            assert_eq!(declared_charset(tag.as_bytes()), Some(want), "{tag}");
        }
        assert_eq!(declared_charset(b"<p>charset=big5</p>"), None);
    }
}
