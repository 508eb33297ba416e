//! Inline `style` filtering: property allow-list plus a value check.
//!
//! A value is refused when it contains a backslash (CSS escapes can spell
//! anything), `<`, `>`, `{`, `}`, `&`, `@` (`@import`), a comment, a control
//! character, unbalanced quotes, or any function other than
//! `rgb`/`rgba`/`hsl`/`hsla` — which rules out `url(`, `expression(`,
//! `image-set(`, `var(` and friends — or the words `javascript`, `vbscript`,
//! `livescript`, `behavior`, `binding`, `import`, `expression` anywhere
//! (spaces and a trailing `!important` removed first).

use super::policy::CSS_PROPERTIES;
use super::Tally;

/// Split a declaration list on top-level `;` (outside quotes and brackets).
fn declarations(style: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut quote, mut depth, mut start) = (None::<char>, 0usize, 0usize);
    for (i, c) in style.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, ';') if depth == 0 => {
                out.push(&style[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&style[start..]);
    out
}

/// Why one declaration was refused; `None` when it is fine.
fn refuse(name: &str, value: &str) -> Option<String> {
    if name.starts_with("mso-") {
        return Some("style:mso-*".into());
    }
    let well_formed = !name.is_empty()
        && name
            .trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-');
    if !well_formed {
        return Some("style:invalid".into());
    }
    if !CSS_PROPERTIES.contains(&name) {
        let short: String = name.chars().take(40).collect();
        return Some(format!("style:{short}"));
    }
    (!value_is_safe(value)).then(|| "style:unsafe-value".into())
}

fn value_is_safe(value: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    if value
        .chars()
        .any(|c| c.is_control() || matches!(c, '\\' | '<' | '>' | '{' | '}' | '&' | '@' | '`'))
    {
        return false;
    }
    if value.contains("/*") || value.contains("*/") {
        return false;
    }
    if value.matches('"').count() % 2 == 1 || value.matches('\'').count() % 2 == 1 {
        return false;
    }
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
        .replace("!important", "");
    const WORDS: &[&str] = &[
        "javascript",
        "vbscript",
        "livescript",
        "behavior",
        "behaviour",
        "binding",
        "import",
        "expression",
    ];
    if WORDS.iter().any(|w| compact.contains(w)) {
        return false;
    }
    // Every `(` must open rgb/rgba/hsl/hsla.
    for (i, _) in compact.match_indices('(') {
        let fname: String = compact[..i]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        // `fname` is reversed.
        if !matches!(fname.as_str(), "bgr" | "abgr" | "lsh" | "alsh") {
            return false;
        }
    }
    true
}

/// Filter a `style` attribute value; returns the kept declarations as
/// `name:value;…` (empty when nothing survives) and counts the rest.
pub(super) fn filter(style: &str, removed: &mut Tally) -> String {
    let mut kept: Vec<String> = Vec::new();
    for decl in declarations(style) {
        let decl = decl.trim();
        if decl.is_empty() {
            continue;
        }
        let Some((name, value)) = decl.split_once(':') else {
            removed.add("style:invalid");
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match refuse(&name, &value) {
            Some(key) => removed.add(&key),
            None => kept.push(format!("{name}:{value}")),
        }
    }
    kept.join(";")
}

/// Whether every declaration of an already-filtered `style` value passes.
pub(super) fn is_safe(style: &str) -> bool {
    declarations(style).into_iter().all(|d| {
        let d = d.trim();
        d.is_empty()
            || d.split_once(':')
                .is_some_and(|(n, v)| refuse(&n.trim().to_ascii_lowercase(), v.trim()).is_none())
    })
}
