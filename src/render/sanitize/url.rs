//! URL checks for `href`/`src`: scheme allow-list with de-obfuscation.
//!
//! The HTML parser has already decoded one level of character references.
//! Browsers additionally strip leading/trailing C0 controls and spaces and
//! delete tabs and newlines anywhere in a URL, so `jav&#x09;ascript:` and
//! `  javascript:` are `javascript:` to them; [`normalize`] does the same.
//! On top of that, the scheme test runs a second time on a copy that is
//! entity- and percent-decoded again and stripped of every space, control and
//! invisible character: a value that only *might* turn into a dangerous scheme
//! somewhere down the line (a later decode, an odd browser) is refused too.

use percent_encoding::percent_decode_str;

/// What kind of URL a value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum UrlClass {
    /// `http:`
    Http,
    /// `https:`
    Https,
    /// `mailto:`
    Mailto,
    /// No scheme: path-, query-, fragment- or protocol-relative.
    Relative,
    /// Any other scheme (lower case, only `[a-z0-9+.-]`, or `invalid`).
    Bad(String),
}

/// Classify `raw` and return it normalised the way a browser reads it.
pub(super) fn classify(raw: &str) -> (UrlClass, String) {
    let v = normalize(raw);
    let class = match scheme_of(&v) {
        Some(s) => match known(&s) {
            UrlClass::Bad(k) => match scheme_of(&probe(&v)).map(|p| known(&p)) {
                // Report the scheme the obfuscation spells ("%6A…" → javascript).
                Some(UrlClass::Bad(pk)) => UrlClass::Bad(pk),
                _ => UrlClass::Bad(k),
            },
            ok => ok,
        },
        None => match scheme_of(&probe(&v)) {
            Some(s) => match known(&s) {
                // "http%3A//x" is a relative path to a browser; harmless.
                UrlClass::Bad(b) => UrlClass::Bad(b),
                _ => UrlClass::Relative,
            },
            None => UrlClass::Relative,
        },
    };
    (class, v)
}

fn known(scheme: &str) -> UrlClass {
    match scheme {
        "http" => UrlClass::Http,
        "https" => UrlClass::Https,
        "mailto" => UrlClass::Mailto,
        other => {
            let key: String = other
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
                .take(20)
                .collect();
            UrlClass::Bad(if key.is_empty() {
                "invalid".to_string()
            } else {
                key
            })
        }
    }
}

/// Strip leading/trailing C0 controls and spaces; delete tab, CR, LF.
pub(super) fn normalize(raw: &str) -> String {
    raw.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// The scheme of `v` (lower case) if the first of `:` `/` `?` `#` is a colon
/// with something before it.
fn scheme_of(v: &str) -> Option<String> {
    let i = v.find([':', '/', '?', '#', '\\'])?;
    if i == 0 || !v[i..].starts_with(':') {
        return None;
    }
    Some(v[..i].to_ascii_lowercase())
}

/// Characters a browser or a sloppy decoder might ignore inside a scheme.
fn is_ignorable(c: char) -> bool {
    c <= ' '
        || ('\u{7f}'..='\u{a0}').contains(&c)
        || matches!(
            c,
            '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        )
}

/// Decode entities and percent-escapes repeatedly (bounded) and drop ignorable
/// characters: the most pessimistic reading of `v`.
fn probe(v: &str) -> String {
    let mut s: String = v.to_string();
    for _ in 0..4 {
        let d = decode_entities(&s);
        let d = percent_decode_str(&d).decode_utf8_lossy().into_owned();
        if d == s {
            break;
        }
        s = d;
    }
    s.chars()
        .filter(|c| !is_ignorable(*c))
        .collect::<String>()
        .to_lowercase()
}

/// Decode numeric character references and the few named ones that matter
/// for hiding a scheme.  Unknown references are left alone.
pub(super) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match decode_one(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decode one reference at the start of `s` (just after `&`); returns the
/// character and the bytes consumed (including an optional `;`).
fn decode_one(s: &str) -> Option<(char, usize)> {
    let semi = |n: usize| if s[n..].starts_with(';') { n + 1 } else { n };
    if let Some(num) = s.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(h) => (h, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits
            .char_indices()
            .find(|(_, c)| !c.is_digit(radix))
            .map_or(digits.len(), |(i, _)| i);
        if len == 0 {
            return None;
        }
        let n = u32::from_str_radix(&digits[..len.min(8)], radix).ok()?;
        let c = char::from_u32(n).unwrap_or('\u{fffd}');
        return Some((c, semi(skip + len)));
    }
    const NAMED: &[(&str, char)] = &[
        ("colon", ':'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("sol", '/'),
        ("lpar", '('),
        ("rpar", ')'),
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("nbsp", '\u{a0}'),
        ("period", '.'),
        ("num", '#'),
        ("quest", '?'),
        ("percnt", '%'),
    ];
    let len = s
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map_or(s.len(), |(i, _)| i);
    let word = s[..len].to_ascii_lowercase();
    NAMED
        .iter()
        .find(|(n, _)| *n == word)
        .map(|(_, c)| (*c, semi(len)))
}
