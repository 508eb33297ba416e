//! The names of what a run writes: the WXR files of a space, its folder
//! among several, the WordPress login of its author.

use std::path::Path;

/// An ASCII login WordPress keeps (`sanitize_user` strict).
pub fn author_login(space: &str) -> String {
    let s: String = space
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '_' | '.' | '-' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    if s.is_empty() {
        "spaces-author".into()
    } else {
        s
    }
}

/// `demo-space.spaces.live.com` → `demo-space`; else the input's name.
pub(crate) fn space_name(host: Option<&str>, input: &Path) -> String {
    if let Some(h) = host {
        return h.split('.').next().unwrap_or(h).to_string();
    }
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.is_empty() {
        "space".into()
    } else {
        stem
    }
}

/// A name safe on Windows and Linux file systems.
pub(crate) fn file_safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_matches('.').to_string();
    if s.is_empty() {
        "space".into()
    } else {
        s
    }
}

/// The (first) WXR file of a space: `<space>.xml`, or `<space>.001.xml`
/// when the export is split.
pub(crate) fn first_wxr_name(split: bool, space: &str) -> String {
    if split {
        part_name(&file_safe(space), 1)
    } else {
        format!("{}.xml", file_safe(space))
    }
}

/// Name of part `n` (from 1) of `stem`: `stem.001.xml`.
pub fn part_name(stem: &str, n: usize) -> String {
    format!("{stem}.{n:03}.xml")
}
