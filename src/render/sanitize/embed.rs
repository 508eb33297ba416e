//! Video embeds: find the media URL of an `<object>`/`<embed>`/`<iframe>`/…
//! and recognise YouTube, Vimeo, Dailymotion and MSN Video (Soapbox).

use scraper::ElementRef;

use super::url::{classify, UrlClass};

/// Is `url` a Flash player file (`….swf`)? Such an address shows nothing
/// once Flash is gone, so it must never become the visible result of an
/// embed.
pub(super) fn is_flash_player(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.to_ascii_lowercase().ends_with(".swf")
}

/// The `flashvars` of an `<embed>` or `<object>` (its `param` or inner
/// `<embed>`), raw.
pub(super) fn flashvars(el: ElementRef<'_>) -> Option<String> {
    let e = el.value();
    if let Some(v) = e.attr("flashvars") {
        return Some(v.to_string());
    }
    child_elements(el).into_iter().find_map(|c| {
        let v = c.value();
        match v.name() {
            "param" => v
                .attr("name")
                .filter(|n| n.eq_ignore_ascii_case("flashvars"))
                .and_then(|_| v.attr("value"))
                .map(str::to_string),
            "embed" => v.attr("flashvars").map(str::to_string),
            _ => None,
        }
    })
}

/// The MSN Video (Soapbox) id in a player's `flashvars` (`…&v=GUID&…`):
/// hex digits and dashes only.
pub(super) fn msn_video_id(flashvars: &str) -> Option<String> {
    let id = flashvars
        .split(['&', ';'])
        .find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            matches!(k.trim().to_ascii_lowercase().as_str(), "v" | "vid" | "uuid").then_some(v)
        })
        .map(|v| token(v.trim(), |c| c.is_ascii_hexdigit() || c == '-'))?;
    (id.len() >= 8).then(|| id.to_ascii_lowercase())
}

/// Maximum number of descendants of one `<object>` looked at.
const MAX_SCAN: usize = 256;

/// The media URL an embed element points at, if any (raw, unchecked).
pub(super) fn media_url(el: ElementRef<'_>) -> Option<String> {
    let e = el.value();
    let own = |name: &str| {
        e.attr(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    match e.name() {
        "iframe" | "embed" => own("src"),
        "video" | "audio" => own("src").or_else(|| {
            child_elements(el)
                .into_iter()
                .find(|c| c.value().name() == "source")
                .and_then(|c| c.value().attr("src").map(str::to_string))
        }),
        "object" => {
            let kids = child_elements(el);
            let param = kids.iter().find_map(|c| {
                let v = c.value();
                let name = v.attr("name")?.to_ascii_lowercase();
                matches!(name.as_str(), "movie" | "src" | "url" | "filename")
                    .then(|| v.attr("value").map(str::to_string))
                    .flatten()
            });
            let inner = || {
                kids.iter()
                    .find(|c| c.value().name() == "embed")
                    .and_then(|c| c.value().attr("src").map(str::to_string))
            };
            param.or_else(inner).or_else(|| own("data"))
        }
        _ => None,
    }
}

/// Element descendants of `el`, bounded (iterative traversal).
fn child_elements(el: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    el.descendants()
        .skip(1)
        .take(MAX_SCAN)
        .filter_map(ElementRef::wrap)
        .collect()
}

/// What an embed URL turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    /// Canonical page URL (recognised) or the normalised original URL.
    pub url: String,
    /// `youtube`, `vimeo`, `dailymotion`, `msn`, or the host name.
    pub provider: String,
    /// Whether WordPress can embed `url` by itself.
    pub recognised: bool,
}

/// Recognise `raw`; `None` when it is not an http(s) URL at all.
pub(super) fn recognise(raw: &str) -> Option<Found> {
    let (class, v) = classify(raw);
    let rest = match class {
        UrlClass::Http | UrlClass::Https => v.split_once("://").map(|(_, r)| r.to_string())?,
        UrlClass::Relative if v.starts_with("//") => v[2..].to_string(),
        _ => return None,
    };
    let url = if v.starts_with("//") {
        format!("https:{v}")
    } else {
        v.clone()
    };
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..split];
    let path = &rest[split..];
    let host = authority
        .rsplit('@')
        .next()
        .unwrap_or(authority)
        .split(':')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    let found = |provider: &str, url: String| {
        Some(Found {
            url,
            provider: provider.to_string(),
            recognised: true,
        })
    };
    let h = host.trim_start_matches("www.");
    if matches!(h, "youtube.com" | "m.youtube.com" | "youtube-nocookie.com") {
        let id = ["/v/", "/embed/", "/e/"]
            .iter()
            .find_map(|p| path.strip_prefix(p))
            .map(|s| token(s, |c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .or_else(|| {
                query_param(path, "v")
                    .map(|s| token(s, |c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            });
        if let Some(id) = id.filter(|i| i.len() == 11) {
            return found("youtube", format!("https://www.youtube.com/watch?v={id}"));
        }
    }
    if h == "youtu.be" {
        let id = token(path.trim_start_matches('/'), |c| {
            c.is_ascii_alphanumeric() || c == '-' || c == '_'
        });
        if id.len() == 11 {
            return found("youtube", format!("https://www.youtube.com/watch?v={id}"));
        }
    }
    if h == "vimeo.com" || h == "player.vimeo.com" {
        let id = path
            .strip_prefix("/video/")
            .map(|s| token(s, |c| c.is_ascii_digit()))
            .or_else(|| {
                path.to_ascii_lowercase()
                    .starts_with("/moogaloop.swf")
                    .then(|| query_param(path, "clip_id"))
                    .flatten()
                    .map(|s| token(s, |c| c.is_ascii_digit()))
            });
        if let Some(id) = id.filter(|i| !i.is_empty()) {
            return found("vimeo", format!("https://vimeo.com/{id}"));
        }
    }
    if h == "dailymotion.com" {
        let id = ["/swf/video/", "/embed/video/", "/swf/", "/video/"]
            .iter()
            .find_map(|p| path.strip_prefix(p))
            .map(|s| token(s, |c| c.is_ascii_alphanumeric()));
        if let Some(id) = id.filter(|i| !i.is_empty()) {
            return found(
                "dailymotion",
                format!("https://www.dailymotion.com/video/{id}"),
            );
        }
    }
    let lower = url.to_ascii_lowercase();
    let msn = host.ends_with("soapbox.msn.com")
        || host.ends_with("video.msn.com")
        || lower.contains("msnvideo");
    Some(Found {
        url,
        provider: if msn { "msn".to_string() } else { host },
        recognised: false,
    })
}

/// The leading run of `s` whose characters satisfy `ok`.
fn token(s: &str, ok: impl Fn(char) -> bool) -> &str {
    let end = s.find(|c: char| !ok(c)).unwrap_or(s.len());
    &s[..end]
}

/// The value of `key` in the query string of `path` (also accepts `&key=`
/// directly in the path, as old Flash URLs did).
fn query_param<'a>(path: &'a str, key: &str) -> Option<&'a str> {
    let q = path.split_once('?').map_or(path, |(_, q)| q);
    q.split(['&', '?', ';'])
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}
