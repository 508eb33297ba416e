//! Spaces entry ids: `cns!OWNER!N` in all the spellings pages use.
//!
//! OWNER is the user's CID as 15 or 16 upper-case hex digits (15 when the
//! leading digit is 0), or a 2004-05 token such as `1pU-rgQVTuuWM1TX8W8PfmDA`.
//! N is a per-space decimal counter shared by entries, photos and lists.
//! The `!` may be written `%21`, `&#33;`, `&#033;` or `&%2333%3b`.

use std::borrow::Cow;
use std::fmt;

/// A normalised Spaces id.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct SpacesId {
    /// Owner: upper-case hex CID, or an old `1p…` token kept as written.
    pub owner: String,
    /// Per-space counter.
    pub number: u64,
}

impl fmt::Display for SpacesId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cns!{}!{}", self.owner, self.number)
    }
}

/// Replace every escaped spelling of `!` with `!`. Every spelling holds a
/// `%` or a `&`; text without either is handed back as it is, unallocated
/// (the parser asks this of every `id` and link it meets).
pub fn unescape_bang(text: &str) -> Cow<'_, str> {
    if !text.contains(['%', '&']) {
        return Cow::Borrowed(text);
    }
    let mut s = text.to_string();
    for pat in ["&%2333%3b", "&%2333%3B", "%21", "&#033;", "&#33;", "&#x21;"] {
        if s.contains(pat) {
            s = s.replace(pat, "!");
        }
    }
    // case-insensitive variants of the hex forms
    Cow::Owned(s.replace("&#X21;", "!"))
}

/// Does `text`, its `!` escapes undone, start with the lower-case ASCII
/// `prefix` in any case? Allocates only for escaped text.
pub fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    let t = unescape_bang(text);
    t.len() >= prefix.len() && t.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Find the first Spaces id in `text` (an element id, a URL, an attribute).
pub fn find_id(text: &str) -> Option<SpacesId> {
    if !super::contains_ignore_case(text.as_bytes(), b"cns") {
        return None;
    }
    let text = unescape_bang(text);
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("cns!") {
        let start = from + pos + 4;
        if let Some(id) = parse_after_cns(&text[start..]) {
            return Some(id);
        }
        from = start;
    }
    None
}

/// Parse `OWNER!N…` (the part after `cns!`).
fn parse_after_cns(rest: &str) -> Option<SpacesId> {
    let bang = rest.find('!')?;
    let owner = &rest[..bang];
    let digits: String = rest[bang + 1..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let number = digits.parse().ok()?;
    normalise_owner(owner).map(|owner| SpacesId { owner, number })
}

/// Upper-case a hex CID; keep a 2004-05 `1p…` token; reject anything else.
fn normalise_owner(owner: &str) -> Option<String> {
    let is_hex = owner.chars().all(|c| c.is_ascii_hexdigit());
    if is_hex && (15..=16).contains(&owner.len()) {
        return Some(owner.to_ascii_uppercase());
    }
    let old_token = owner.starts_with("1p")
        && (10..=40).contains(&owner.len())
        && owner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    old_token.then(|| owner.to_string())
}

/// Is this a link to a Spaces blog entry (`…/blog/cns!X!N.entry`, any case,
/// any decoration, or a crawler's saved copy of one, `cns!X!N.html` as
/// HTTrack and wget rewrite links)? Returns the id it points at.
pub fn entry_link_target(url: &str) -> Option<SpacesId> {
    let plain = unescape_bang(url);
    let lower = plain.to_ascii_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or(&lower);
    let last = path.rsplit('/').next().unwrap_or(path);
    // A saved copy's name must be the id alone: HTTrack appends four hex
    // digits of a query hash (`cns!X!1012f3a.html` for entry 101), which
    // cannot be told from an entry number and is left alone.
    let saved_copy = !lower.contains("://")
        && last.strip_prefix("cns!").is_some_and(|rest| {
            let stem = rest
                .strip_suffix(".html")
                .or_else(|| rest.strip_suffix(".htm"))
                .unwrap_or(rest);
            stem.rsplit_once('!')
                .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
    let is_entry = lower.contains(".entry") || lower.contains("/blog/cns!") || saved_copy;
    let elsewhere = lower.contains("/photos/") || lower.contains("/lists/");
    if !is_entry || elsewhere {
        return None;
    }
    find_id(&plain)
}

/// The photo album a Spaces photos address names: `…/photos/cns!X!N/`,
/// `…/photos/cns!X!N/cns!X!M` (a photo of it) and `…/photos/cns!X!N/feed.rss`
/// all give `cns!X!N`. Any other address gives none.
pub fn album_of(url: &str) -> Option<SpacesId> {
    let plain = unescape_bang(url);
    let lower = plain.to_ascii_lowercase();
    let at = lower.find("/photos/").map(|p| p + "/photos/".len())?;
    let rest = &plain[at..];
    let first = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if !starts_with_ignore_case(first, "cns!") {
        return None;
    }
    find_id(first)
}

/// `F6A31FABB4CD362` → `cid-0f6a31fabb4cd362.spaces.live.com`; none for a
/// 2004-05 owner token that is not a hex CID.
pub fn cid_host(owner: &str) -> Option<String> {
    let hex = (15..=16).contains(&owner.len()) && owner.chars().all(|c| c.is_ascii_hexdigit());
    hex.then(|| format!("cid-{:0>16}.spaces.live.com", owner.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(owner: &str, n: u64) -> SpacesId {
        SpacesId {
            owner: owner.into(),
            number: n,
        }
    }

    #[test]
    fn albums_of_photo_addresses() {
        let a = |u: &str| album_of(u).map(|id| id.to_string());
        let want = Some("cns!D2C0FFEE12345678!130".to_string());
        assert_eq!(
            a("http://x.spaces.live.com/photos/cns!D2C0FFEE12345678!130/"),
            want
        );
        assert_eq!(
            a("http://x.spaces.live.com/photos/cns!d2c0ffee12345678!130/cns!D2C0FFEE12345678!151"),
            want
        );
        assert_eq!(
            a("x.spaces.live.com/photos/cns%21D2C0FFEE12345678%21130/feed.rss"),
            want
        );
        assert_eq!(a("http://x.spaces.live.com/photos/feed.rss"), None);
        assert_eq!(
            a("http://x.spaces.live.com/blog/cns!D2C0FFEE12345678!130.entry"),
            None
        );
    }

    #[test]
    fn finds_every_spelling_of_the_bang() {
        let want = id("D2C0FFEE12345678", 101);
        for s in [
            "msgcns!D2C0FFEE12345678!101",
            "/blog/cns%21D2C0FFEE12345678%21101.entry",
            "cns&#33;D2C0FFEE12345678&#33;101",
            "cns&#033;D2C0FFEE12345678&#033;101",
            "handle=cns&%2333%3bD2C0FFEE12345678&%2333%3b101",
            "subjcns!d2c0ffee12345678!101",
        ] {
            assert_eq!(find_id(s), Some(want.clone()), "{s}");
        }
    }

    #[test]
    fn fifteen_digit_owner_and_old_tokens() {
        assert_eq!(
            find_id("entrycns!F6A31FABB4CD362!7"),
            Some(id("F6A31FABB4CD362", 7))
        );
        assert_eq!(
            find_id("/blog/cns!1pU-rgQVTuuWM1TX8W8PfmDA!1073.entry"),
            Some(id("1pU-rgQVTuuWM1TX8W8PfmDA", 1073))
        );
    }

    #[test]
    fn rejects_non_ids() {
        for s in [
            "cns!XYZ!1",
            "cns!D2C0FFEE12345678!",
            "nothing",
            "cns!!5",
            "cns!ABC!12",
        ] {
            assert_eq!(find_id(s), None, "{s}");
        }
    }

    #[test]
    fn display_is_canonical() {
        assert_eq!(
            id("F6A31FABB4CD362", 9).to_string(),
            "cns!F6A31FABB4CD362!9"
        );
    }

    #[test]
    fn entry_links() {
        let want = Some(id("D2C0FFEE12345678", 101));
        for s in [
            "http://demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!101.entry",
            "http://demo-space.spaces.live.com/Blog/cns!D2C0FFEE12345678!101.entry?_c11_blogpart_blogpart=blogview&_c=blogpart#permalink",
            "mmm2007-10-25_18.59/Blog/cns%21D2C0FFEE12345678%21101.entry",
            "../blog/cns!D2C0FFEE12345678!101.html",
            // HTTrack and wget rewrite links to the saved copy.
            "cns!D2C0FFEE12345678!101.html#comments",
            "cns%21D2C0FFEE12345678%21101.htm",
        ] {
            assert_eq!(entry_link_target(s), want, "{s}");
        }
        for not_entry in [
            "http://x.spaces.live.com/photos/cns!D2C0FFEE12345678!138/",
            "../Lists/cns!D2C0FFEE12345678!106.html",
            "http://example.com/cns!D2C0FFEE12345678!101.html",
            "cns!D2C0FFEE12345678!1012f3a.html",
        ] {
            assert_eq!(entry_link_target(not_entry), None, "{not_entry}");
        }
    }
}
