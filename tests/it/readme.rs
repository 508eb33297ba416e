//! The README documents every code `report.json` can hold: each warning
//! kind raised in `src/` has a row in its "Warning kinds" table, each
//! change code the sanitizer counts a row (or its family's, `tag:NAME`) in
//! "Change codes", and no row names a kind `src/` no longer raises.
//!
//! Kinds are the variants of `WarningKind`; change codes are found in the
//! sanitizer's source text, among the string literals of `.add(…)` (test
//! modules left out).

use crate::util;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs")
            && p.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(p);
        }
    }
}

/// A source file without its `#[cfg(test)]` module (kept last by custom).
fn code_of(p: &Path) -> String {
    let text = std::fs::read_to_string(p).expect("read source");
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The string literals of `text` up to the parenthesis that closes the
/// one just before it (or up to `;` when `until_semicolon`).
fn literals_in_call(text: &str, until_semicolon: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 1i32;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut lit = String::new();
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => lit.push(d),
                    }
                }
                out.push(lit);
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 && !until_semicolon {
                    break;
                }
            }
            ';' if until_semicolon => break,
            _ => {}
        }
    }
    out
}

fn is_code(s: &str) -> bool {
    s.len() >= 2
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Every warning kind the tool can raise.
fn kinds_in_src() -> BTreeSet<String> {
    spaces2wxr::WarningKind::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect()
}

/// Every change code counted by the sanitizer: literal keys, and the
/// family (`tag:`) of keys made with `format!`.
fn change_codes_in_src() -> BTreeSet<String> {
    let mut files = vec![util::root().join("src/render/sanitize.rs")];
    rust_files(&util::root().join("src/render/sanitize"), &mut files);
    let mut codes = BTreeSet::new();
    for f in files {
        let code = code_of(&f);
        for (at, _) in code.match_indices(".add(") {
            let rest = &code[at + ".add(".len()..];
            for l in literals_in_call(rest, false) {
                if l.contains(' ') || l.is_empty() {
                    continue;
                }
                match l.split_once(':') {
                    Some((family, tail)) if tail.contains('{') => {
                        codes.insert(format!("{family}:"));
                    }
                    _ => {
                        codes.insert(l);
                    }
                }
            }
        }
        // Keys built by helpers `fn tag_key(…) { format!("tag:{short}") }`.
        for (at, _) in code.match_indices("fn ") {
            let rest = &code[at + 3..];
            let name = rest.split('(').next().unwrap_or_default();
            let Some(body) = rest.find('{').map(|b| &rest[b + 1..]) else {
                continue;
            };
            if !name.ends_with("_key") {
                continue;
            }
            for l in literals_in_call(body, false) {
                if let Some((family, tail)) = l.split_once(':') {
                    if tail.starts_with('{') && is_code(family) {
                        codes.insert(format!("{family}:"));
                    }
                }
            }
        }
    }
    codes
}

/// The codes in the first column of the table under `heading`.
fn readme_table(heading: &str) -> BTreeSet<String> {
    let readme = std::fs::read_to_string(util::root().join("README.md")).expect("README");
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README has {heading}"));
    let mut codes = BTreeSet::new();
    let mut in_table = false;
    for line in readme[start..].lines().skip(1) {
        if line.starts_with('|') {
            in_table = true;
            let first = line.split('|').nth(1).unwrap_or_default().trim();
            if let Some(code) = first.strip_prefix('`').and_then(|c| c.strip_suffix('`')) {
                codes.insert(code.to_string());
            }
        } else if in_table {
            break;
        }
    }
    codes
}

#[test]
fn every_warning_kind_is_documented() {
    let used = kinds_in_src();
    assert!(
        used.len() > 20 && used.contains("missing-comments") && used.contains("no-date"),
        "the scan finds the kinds: {used:?}"
    );
    let documented = readme_table("#### Warning kinds");
    let missing: Vec<&String> = used.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "warning kinds used in src/ but not in the README's table: {missing:?}"
    );
    let stale: Vec<&String> = documented.difference(&used).collect();
    assert!(
        stale.is_empty(),
        "README documents warning kinds src/ no longer raises: {stale:?}"
    );
}

#[test]
fn every_change_code_is_documented() {
    let used = change_codes_in_src();
    assert!(
        used.contains("tag:") && used.contains("comment"),
        "the scan finds the codes: {used:?}"
    );
    let documented = readme_table("#### Change codes");
    let families: BTreeSet<String> = documented
        .iter()
        .filter_map(|c| c.split_once(':').map(|(f, _)| format!("{f}:")))
        .collect();
    let missing: Vec<&String> = used
        .iter()
        .filter(|c| {
            let family = c.split_once(':').map(|(f, _)| format!("{f}:"));
            !documented.contains(*c) && !family.is_some_and(|f| families.contains(&f))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "change codes used in src/ but not in the README's table: {missing:?}"
    );
}
