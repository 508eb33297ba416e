//! Slugs that WordPress keeps as they are.
//!
//! WordPress runs `sanitize_title` on every `post_name` and category
//! `nicename` it imports: accents are folded to ASCII, non-ASCII letters
//! become lower-case `%xx` UTF-8 escapes, everything else that is not
//! `a-z0-9_-` turns into dashes. Emitting the same form means the slug in the
//! WXR is the slug on the site, and two names map to one category exactly
//! when WordPress would merge them.

use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;

/// Longest slug WordPress builds from a title (it cuts the escaped form).
const MAX_SLUG: usize = 200;

/// A `sanitize_title`-compatible slug; may be empty for a title with no
/// letters or digits.
pub fn slugify(title: &str) -> String {
    let mut raw = String::with_capacity(title.len());
    for c in fold_accents(title).chars() {
        if !push_slug_char(&mut raw, c) {
            break;
        }
    }
    collapse_dashes(&raw)
}

/// The `post_name` of a post: its title's slug followed by `-N`, N being
/// its `wp:post_id` (the Spaces entry number).
///
/// WordPress keeps a post's slug when no other post has it, and
/// `?name=SLUG` finds the post on any site, empty or not (a `?p=ID` link
/// finds it only where that id was free). The number makes the slug unique
/// within the export (the last dash-separated part is the id) and in
/// practice on the destination site, whose posts rarely end their slug with
/// the same number; a bare "photos" would clash with many blogs' posts.
/// The title part is cut, at a character boundary, so that the whole stays
/// within WordPress's 200-character `post_name`.
pub fn post_slug(title: &str, id: u64) -> String {
    let suffix = format!("-{id}");
    let mut base = slugify(title);
    let room = MAX_SLUG.saturating_sub(suffix.len());
    if base.len() > room {
        let mut cut = room;
        // Back off to the start of a character: an ASCII byte, or the %xx
        // escape of a UTF-8 lead byte (not of a continuation byte).
        while cut > 0 {
            let b = base.as_bytes();
            let at_escape = b.get(cut) == Some(&b'%');
            let in_escape = (cut >= 1 && b[cut - 1] == b'%') || (cut >= 2 && b[cut - 2] == b'%');
            if in_escape {
                cut -= 1;
                continue;
            }
            if at_escape {
                let hex = base.get(cut + 1..cut + 3).unwrap_or("00");
                let byte = u8::from_str_radix(hex, 16).unwrap_or(0);
                if (0x80..0xC0).contains(&byte) {
                    cut -= 1;
                    continue;
                }
            }
            break;
        }
        base.truncate(cut);
        base = collapse_dashes(&base);
    }
    if base.is_empty() {
        format!("post{suffix}")
    } else {
        base + &suffix
    }
}

/// Append the slug form of `c`; false when it no longer fits.
fn push_slug_char(out: &mut String, c: char) -> bool {
    if out.len() >= MAX_SLUG {
        return false;
    }
    match c {
        'a'..='z' | '0'..='9' | '_' | '-' => out.push(c),
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        c if c.is_whitespace() || c == '.' || c == '/' || c == '\u{a0}' => out.push('-'),
        c if c.is_ascii() => {}
        c if is_dash_like(c) => out.push('-'),
        c => {
            let mut buf = [0u8; 4];
            let bytes = c
                .to_lowercase()
                .next()
                .unwrap_or(c)
                .encode_utf8(&mut buf)
                .as_bytes()
                .to_vec();
            if out.len() + bytes.len() * 3 > MAX_SLUG {
                // WordPress stops before a character that would not fit whole.
                return false;
            }
            for b in bytes {
                let _ = write!(out, "%{b:02x}");
            }
        }
    }
    true
}

/// Punctuation WordPress turns into a dash rather than keeping escaped.
fn is_dash_like(c: char) -> bool {
    matches!(
        c,
        '\u{2013}' | '\u{2014}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2015}' | '\u{00d7}'
    ) || matches!(c, '\u{2018}'..='\u{201f}' | '\u{00a1}'..='\u{00bf}' | '\u{2026}' | '\u{3000}')
}

fn collapse_dashes(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Fold Latin accents to ASCII the way `remove_accents` does.
fn fold_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match special_fold(c) {
            Some(rep) => out.push_str(rep),
            None if is_latin_extended(c) => out.extend(c.nfd().filter(|d| d.is_ascii())),
            None => out.push(c),
        }
    }
    out
}

fn is_latin_extended(c: char) -> bool {
    matches!(c, '\u{00c0}'..='\u{024f}' | '\u{1e00}'..='\u{1eff}')
}

fn special_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'ø' => "o",
        'Ø' => "O",
        'œ' => "oe",
        'Œ' => "OE",
        'đ' | 'ð' => "d",
        'Đ' | 'Ð' => "D",
        'ł' => "l",
        'Ł' => "L",
        'þ' => "th",
        'Þ' => "TH",
        'ı' => "i",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_slugs_end_with_the_id_and_fit_wordpress() {
        assert_eq!(post_slug("Photos", 231), "photos-231");
        assert_eq!(post_slug("", 7), "post-7");
        assert_eq!(post_slug("!!!", 7), "post-7");
        assert_eq!(post_slug("Version 2", 12), "version-2-12");
        let long = "西湖".repeat(60);
        let s = post_slug(&long, 123_456);
        assert!(s.len() <= MAX_SLUG, "{} bytes", s.len());
        assert!(s.ends_with("-123456"));
        // Cut whole characters only: every escape decodes to UTF-8.
        let head = s.trim_end_matches("-123456");
        let bytes: Vec<u8> = head
            .split('%')
            .skip(1)
            .map(|h| u8::from_str_radix(h, 16).expect("hex"))
            .collect();
        assert!(String::from_utf8(bytes).is_ok(), "{s}");
        let s = post_slug(&"a".repeat(300), 5);
        assert_eq!(s.len(), MAX_SLUG);
    }

    #[test]
    fn ascii_titles() {
        assert_eq!(slugify("Trip notes"), "trip-notes");
        assert_eq!(slugify("Tom & Jerry * ^ fun!"), "tom-jerry-fun");
        assert_eq!(slugify("  --Hello...World--  "), "hello-world");
        assert_eq!(slugify("Computers and Internet"), "computers-and-internet");
    }

    #[test]
    fn accents_fold() {
        assert_eq!(slugify("Coração de São Paulo"), "coracao-de-sao-paulo");
        assert_eq!(slugify("Grüße aus Köln"), "grusse-aus-koln");
    }

    #[test]
    fn cjk_is_percent_encoded_lowercase() {
        assert_eq!(slugify("生活"), "%e7%94%9f%e6%b4%bb");
        assert_eq!(
            slugify("计算机与 Internet"),
            "%e8%ae%a1%e7%ae%97%e6%9c%ba%e4%b8%8e-internet"
        );
    }

    #[test]
    fn long_titles_stop_on_a_whole_character() {
        let s = slugify(&"汉".repeat(100));
        assert!(s.len() <= MAX_SLUG, "{}", s.len());
        assert_eq!(s.len() % 9, 0, "only whole escaped characters: {s}");
    }

    #[test]
    fn no_letters() {
        assert_eq!(slugify("!!! ???"), "");
    }
}
