//! Web addresses as the `url` crate reads them (WHATWG URL rules, as a
//! browser resolves a link): the host and the path of a link on a saved
//! page. Relative links have neither and are left to their callers, which
//! resolve them against the page's place in the archive.

use percent_encoding::percent_decode_str;
use url::Url;

/// An absolute `http(s)://` or protocol-relative `//host/…` address, parsed;
/// `None` for a relative link, another scheme or an address that is not a
/// URL at all (no host).
pub(crate) fn absolute(link: &str) -> Option<Url> {
    let link = link.trim();
    let parsed = if link.starts_with("//") {
        Url::parse(&format!("http:{link}"))
    } else {
        Url::parse(link)
    };
    parsed.ok().filter(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

/// The host of an absolute address, lower-case, without port or user.
pub(crate) fn host(link: &str) -> Option<String> {
    absolute(link).and_then(|u| u.host_str().map(str::to_ascii_lowercase))
}

/// Percent-escapes decoded (invalid UTF-8 replaced).
pub(crate) fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_absolute_addresses_only() {
        assert_eq!(
            host("http://User@Demo.Spaces.Live.com:80/blog/").as_deref(),
            Some("demo.spaces.live.com")
        );
        assert_eq!(
            host("//blufiles.storage.msn.com/x1p").as_deref(),
            Some("blufiles.storage.msn.com")
        );
        assert_eq!(host("HTTPS://a.b/"), Some("a.b".into()));
        for rel in [
            "img/a.jpg",
            "/blog/",
            "../x",
            "mailto:a@b.c",
            "http://",
            "javascript:x",
        ] {
            assert_eq!(host(rel), None, "{rel}");
        }
    }

    #[test]
    fn paths_are_normalised_as_a_browser_would() {
        let u = absolute("http://h/a/../b%20c.jpg?q=1#f").expect("url");
        assert_eq!(u.path(), "/b%20c.jpg");
        assert_eq!(decode(u.path()), "/b c.jpg");
        assert_eq!(u.query(), Some("q=1"));
    }
}
