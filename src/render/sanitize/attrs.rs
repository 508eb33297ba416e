//! Value checks for the allowed attributes, and `<font>` conversion.

use super::css;
use super::policy::Mode;
use super::url::{classify, UrlClass};
use super::Tally;

/// `attr:NAME` key (name shortened).
pub(super) fn attr_key(name: &str) -> String {
    let short: String = name.chars().take(40).collect();
    format!("attr:{short}")
}

/// Check the value of allowed attribute `name` on kept element `tag`.
/// Returns the value to write, or `None` after counting why it went.
pub(super) fn check(
    mode: Mode,
    tag: &str,
    name: &str,
    value: &str,
    removed: &mut Tally,
) -> Option<String> {
    let v = value.trim();
    let out = match name {
        "href" | "src" => return url_attr(mode, tag, value, removed),
        "style" => {
            let s = css::filter(value, removed);
            return (!s.is_empty()).then_some(s);
        }
        "rel" => return rel(value, removed),
        "title" | "alt" => Some(value.to_string()),
        "target" => v
            .eq_ignore_ascii_case("_blank")
            .then(|| "_blank".to_string()),
        "dir" => one_of(v, &["ltr", "rtl", "auto"]),
        "lang" => (!v.is_empty()
            && v.len() <= 35
            && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| v.to_string()),
        "align" => one_of(
            v,
            &[
                "left",
                "right",
                "center",
                "justify",
                "top",
                "middle",
                "bottom",
                "baseline",
                "absmiddle",
                "absbottom",
                "texttop",
            ],
        ),
        "valign" => one_of(v, &["top", "middle", "bottom", "baseline"]),
        "width" | "height" => length(v),
        "border" | "cellpadding" | "cellspacing" | "hspace" | "vspace" | "size" => pixels(v),
        "colspan" | "rowspan" | "span" => digits(v, 4),
        "start" | "value" => {
            let d = v.strip_prefix('-').unwrap_or(v);
            digits(d, 9).map(|_| v.to_string())
        }
        "nowrap" | "noshade" => Some(String::new()),
        "bgcolor" => color(v),
        "type" => list_type(tag, v),
        "name" => (!v.is_empty()
            && v.len() <= 64
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
        .then(|| v.to_string()),
        _ => None,
    };
    if out.is_none() {
        removed.add(&attr_key(name));
    }
    out
}

fn url_attr(mode: Mode, tag: &str, value: &str, removed: &mut Tally) -> Option<String> {
    let (class, v) = classify(value);
    let refused = match class {
        UrlClass::Bad(s) => Some(s),
        UrlClass::Mailto if tag != "a" => Some("mailto".to_string()),
        UrlClass::Relative if mode == Mode::Comment && tag == "a" => Some("relative".to_string()),
        _ => None,
    };
    match refused {
        Some(s) => {
            removed.add(&format!("url:{s}"));
            None
        }
        None => Some(v),
    }
}

/// Keep the harmless `rel` tokens; drop Spaces' `WLPP;url=…` photo-viewer
/// hints (the media stage reads them before sanitizing) and anything else.
fn rel(value: &str, removed: &mut Tally) -> Option<String> {
    let mut kept: Vec<String> = Vec::new();
    for tok in value.split_ascii_whitespace() {
        let t = tok.to_ascii_lowercase();
        if matches!(
            t.as_str(),
            "nofollow" | "noopener" | "noreferrer" | "external" | "tag" | "license"
        ) {
            if !kept.contains(&t) {
                kept.push(t);
            }
        } else if t.starts_with("wlpp") {
            removed.add("rel:WLPP");
        } else {
            removed.add("rel:other");
        }
    }
    (!kept.is_empty()).then(|| kept.join(" "))
}

fn one_of(v: &str, allowed: &[&str]) -> Option<String> {
    let l = v.to_ascii_lowercase();
    allowed.contains(&l.as_str()).then_some(l)
}

fn digits(v: &str, max: usize) -> Option<String> {
    (!v.is_empty() && v.len() <= max && v.bytes().all(|b| b.is_ascii_digit()))
        .then(|| v.to_string())
}

/// `120`, `120px` (written as `120`), `50%`, `12.5%`.
fn length(v: &str) -> Option<String> {
    let l = v.to_ascii_lowercase();
    let (num, pct) = match l.strip_suffix('%') {
        Some(n) => (n, true),
        None => (l.strip_suffix("px").unwrap_or(&l), false),
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let ok = digits(int, 5).is_some()
        && (frac.is_empty() || digits(frac, 3).is_some())
        && !num.ends_with('.');
    ok.then(|| format!("{num}{}", if pct { "%" } else { "" }))
}

fn pixels(v: &str) -> Option<String> {
    let l = v.to_ascii_lowercase();
    digits(l.strip_suffix("px").unwrap_or(&l), 4)
}

/// A colour: `#rgb`, `#rrggbb`, bare `rrggbb` (MSHTML wrote those), or a
/// colour name.  Returned lower case.
pub(super) fn color(v: &str) -> Option<String> {
    let l = v.to_ascii_lowercase();
    let hex = l.strip_prefix('#').unwrap_or(&l);
    if (hex.len() == 3 || hex.len() == 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(format!("#{hex}"));
    }
    (l.len() >= 3 && l.len() <= 20 && l.bytes().all(|b| b.is_ascii_lowercase())).then_some(l)
}

fn list_type(tag: &str, v: &str) -> Option<String> {
    let ordered = ["1", "a", "A", "i", "I"].contains(&v);
    let bullet = one_of(v, &["disc", "circle", "square"]);
    match tag {
        "ol" => ordered.then(|| v.to_string()),
        "ul" => bullet,
        "li" => bullet.or_else(|| ordered.then(|| v.to_string())),
        _ => None,
    }
}

/// `<font size>` 1–7 (or `+n`/`-n` relative to 3) as a CSS keyword, following
/// the HTML standard's legacy font size table (1 is `x-small`; 7 is
/// `xxx-large`).
pub(super) fn font_size(v: &str) -> Option<&'static str> {
    let v = v.trim();
    let num = |s: &str| s.parse::<i64>().ok().map(|n| n.clamp(-10, 10) as i32);
    let n: i32 = if let Some(r) = v.strip_prefix('+') {
        3 + num(r)?
    } else if let Some(r) = v.strip_prefix('-') {
        3 - num(r)?
    } else {
        num(v)?
    };
    const SIZES: [&str; 7] = [
        "x-small",
        "small",
        "medium",
        "large",
        "x-large",
        "xx-large",
        "xxx-large",
    ];
    SIZES.get(usize::try_from(n.clamp(1, 7) - 1).ok()?).copied()
}

/// `<font face>` as a CSS `font-family` list; names with anything but
/// letters, digits and `-` are quoted, characters that could break out of a
/// CSS string are removed.
pub(super) fn font_family(v: &str) -> Option<String> {
    let names: Vec<String> = v
        .split(',')
        .filter_map(|n| {
            let clean: String = n
                .chars()
                .filter(|c| {
                    !c.is_control()
                        && !matches!(
                            c,
                            '"' | '\''
                                | ';'
                                | ':'
                                | '('
                                | ')'
                                | '{'
                                | '}'
                                | '<'
                                | '>'
                                | '\\'
                                | '&'
                                | '@'
                                | '/'
                                | '*'
                                | '`'
                        )
                })
                .collect();
            let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
            if clean.is_empty() || clean.len() > 64 {
                return None;
            }
            let bare = clean.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !clean.starts_with(|c: char| c.is_ascii_digit() || c == '-');
            Some(if bare { clean } else { format!("'{clean}'") })
        })
        .take(8)
        .collect();
    (!names.is_empty()).then(|| names.join(","))
}
