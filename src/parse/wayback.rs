//! Pages recorded by the Wayback Machine (web.archive.org), as a browser
//! saved them or as a downloader fetched them (see
//! `shared/docs/web-archives.md` §1–§2).
//!
//! Three things are read here:
//!
//! - [`original_url`]: a rewritten address (`/web/<timestamp><flag>/<original>`,
//!   absolute, protocol-relative or root-relative, `http:/host` with one
//!   slash, `:80`) mapped back to the address the page had on Spaces, so ids,
//!   permalinks, image references and links between posts are read as if
//!   the page had been saved from the live site;
//! - [`CaptureReader`]: the capture's original URL and time, from the
//!   playback scripts (`__wm.wombat(…)`, `__wm.bt(…)`), the toolbar's
//!   `#wm-ipp-print` line, the old toolbar's `wbCurrentUrl`, the pre-2011
//!   `sWayBackCGI` and the trailing `FILE ARCHIVED ON …` comment, in that
//!   order of trust;
//! - [`not_content`]: a capture that is a redirect ("Got an HTTP 302
//!   response at crawl time") or the Wayback Machine's "not archived" page,
//!   which is reported, never converted.
//!
//! What the toolbar injected is recognised by [`is_toolbar_begin`],
//! [`is_toolbar_end`], [`is_toolbar_id`] and [`is_archive_comment`]; the
//! splitter leaves it out of the entries it cuts.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::web;

/// Hosts that serve Wayback Machine replays.
const HOSTS: [&str; 3] = [
    "web.archive.org",
    "wayback.archive.org",
    "web-beta.archive.org",
];

/// The original address of a Wayback Machine address, or `None` when `link`
/// is not one. The part after the timestamp and flag is kept byte for byte
/// (no percent-decoding: `cns!` and `%21` stay as written), but for the
/// slash a replay drops (`http:/host` → `http://host`), a missing scheme
/// (`host/…` → `http://host/…`) and the default port (`:80`, `:443`).
pub fn original_url(link: &str) -> Option<String> {
    let link = link.trim();
    let rest = if let Some(r) = link.strip_prefix("/web/") {
        r
    } else {
        let absolute = web::absolute(link)?;
        let host = absolute.host_str()?.to_ascii_lowercase();
        if !HOSTS.contains(&host.as_str()) || !absolute.path().starts_with("/web/") {
            return None;
        }
        // The raw text after the host: the `url` crate's serialization
        // would re-escape the original address.
        let after_scheme = link.split_once("//")?.1;
        let path = &after_scheme[after_scheme.find('/')?..];
        path.strip_prefix("/web/")?
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 14 {
        return None;
    }
    let mut rest = &rest[digits..];
    // The context flag: `id_`, `im_`, `js_`, `cs_`, `if_`, `fw_`, `oe_`,
    // `mp_`…
    let flag = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    if flag > 0 && rest.as_bytes().get(flag) == Some(&b'_') {
        rest = &rest[flag + 1..];
    }
    let rest = rest.trim_start_matches('/');
    if rest.is_empty() {
        return None;
    }
    let (scheme, after) = match rest.split_once(':') {
        Some((s, a)) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            (s.to_ascii_lowercase(), a.trim_start_matches('/'))
        }
        _ => ("http".to_string(), rest),
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, tail) = after.split_at(end);
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    let tail = if tail.is_empty() { "/" } else { tail };
    let original = format!("{scheme}://{authority}{tail}");
    web::absolute(&original).map(|_| original)
}

/// The capture time of a Wayback timestamp (`yyyyMMddHHmmss`, exactly 14
/// digits), in UTC.
pub fn capture_time(ts: &str) -> Option<NaiveDateTime> {
    if ts.len() != 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |a: usize, b: usize| ts[a..b].parse::<u32>().ok();
    let date = NaiveDate::from_ymd_opt(i32::try_from(n(0, 4)?).ok()?, n(4, 6)?, n(6, 8)?)?;
    let time = date.and_hms_opt(n(8, 10)?, n(10, 12)?, n(12, 14)?)?;
    (1996..=2100).contains(&date.year()).then_some(time)
}

/// The timestamp in a Wayback address (`…/web/20090301120000im_/…`).
fn timestamp_of(link: &str) -> Option<NaiveDateTime> {
    let at = link.find("/web/")? + "/web/".len();
    let digits: String = link[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    capture_time(&digits)
}

/// What a page says about its capture.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Capture {
    /// The page's original address.
    pub url: Option<String>,
    /// When the Wayback Machine captured it (UTC).
    pub time: Option<NaiveDateTime>,
}

/// Collects what the Wayback Machine's inserts say about a page's capture;
/// each source has a trust, and the most trusted one wins.
#[derive(Debug, Default)]
pub struct CaptureReader {
    url: Option<(u8, String)>,
    time: Option<(u8, NaiveDateTime)>,
    /// A Wayback insert was seen at all.
    seen: bool,
}

/// Trust of each source, highest first (§1.4 of the notes).
const BY_SCRIPT: u8 = 4;
const BY_PRINT: u8 = 3;
const BY_OLD_TOOLBAR: u8 = 2;
const BY_COMMENT: u8 = 1;

impl CaptureReader {
    fn offer_url(&mut self, trust: u8, url: Option<String>) {
        if let Some(u) = url.filter(|u| web::absolute(u).is_some()) {
            if self.url.as_ref().is_none_or(|(t, _)| *t < trust) {
                self.url = Some((trust, u));
            }
        }
    }

    fn offer_time(&mut self, trust: u8, time: Option<NaiveDateTime>) {
        if let Some(t) = time {
            if self.time.as_ref().is_none_or(|(k, _)| *k < trust) {
                self.time = Some((trust, t));
            }
        }
    }

    /// The text of a `<script>`.
    pub fn script(&mut self, text: &str) {
        for call in ["__wm.wombat(", "__wm.bt("] {
            if let Some(at) = text.find(call) {
                self.seen = true;
                let args = string_args(&text[at + call.len()..]);
                // The URL is the string right before the first 14-digit
                // timestamp.
                if let Some(i) = args.iter().position(|a| capture_time(a).is_some()) {
                    self.offer_time(BY_SCRIPT, capture_time(&args[i]));
                    if i > 0 {
                        self.offer_url(BY_SCRIPT, Some(args[i - 1].clone()));
                    }
                }
            }
        }
        if let Some(at) = text.find("wbCurrentUrl") {
            self.seen = true;
            let url = string_args(text[at..].split_once('=').map_or("", |x| x.1))
                .into_iter()
                .next();
            self.offer_url(BY_OLD_TOOLBAR, url);
        }
        if let Some(at) = text.find("sWayBackCGI") {
            self.seen = true;
            let value = string_args(text[at..].split_once('=').map_or("", |x| x.1))
                .into_iter()
                .next()
                .unwrap_or_default();
            self.offer_time(BY_OLD_TOOLBAR, timestamp_of(&value));
        }
        if text.contains("FILE ARCHIVED ON") {
            self.comment(text);
        }
    }

    /// The text of a comment (the trailing `FILE ARCHIVED ON …` block, or
    /// the same words in a pre-2011 script).
    pub fn comment(&mut self, text: &str) {
        if is_toolbar_begin(text) || is_toolbar_end(text) || is_archive_comment(text) {
            self.seen = true;
        }
        let Some(at) = text.find("FILE ARCHIVED ON ") else {
            return;
        };
        let rest = &text[at + "FILE ARCHIVED ON ".len()..];
        let stamp = rest.split(" AND").next().unwrap_or("").trim();
        let digits: String = stamp.chars().take_while(char::is_ascii_digit).collect();
        let time = capture_time(&digits)
            .map(|t| (BY_OLD_TOOLBAR, t))
            .or_else(|| archived_on(stamp).map(|t| (BY_COMMENT, t)));
        if let Some((trust, t)) = time {
            self.offer_time(trust, Some(t));
        }
    }

    /// The text of the toolbar's `#wm-ipp-print` line:
    /// `The Wayback Machine - https://web.archive.org/web/<ts>/<url>`.
    pub fn print_line(&mut self, text: &str) {
        self.seen = true;
        let Some(at) = text.find("http") else { return };
        let link = text[at..].split_whitespace().next().unwrap_or("");
        self.offer_time(BY_PRINT, timestamp_of(link));
        self.offer_url(BY_PRINT, original_url(link));
    }

    /// What was learnt; `None` when the page shows no Wayback insert.
    pub fn finish(self) -> Option<Capture> {
        self.seen.then(|| Capture {
            url: self.url.map(|(_, u)| u),
            time: self.time.map(|(_, t)| t),
        })
    }
}

/// The JavaScript string literals among the arguments that start `text`
/// (up to the closing parenthesis or the end of the statement).
fn string_args(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                let mut s = String::new();
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                s.push(e);
                            }
                        }
                        d if d == c => break,
                        d => s.push(d),
                    }
                }
                out.push(s);
            }
            ')' | ';' | '\n' if !out.is_empty() || c != '\n' => break,
            _ => {}
        }
    }
    out
}

/// `12:00:00 Mar 01, 2009` (also `3:04:28 Mar 15, 2015`, and the German and
/// other month names IA printed in 2015–17).
fn archived_on(text: &str) -> Option<NaiveDateTime> {
    let mut words = text.split_whitespace();
    let time = chrono::NaiveTime::parse_from_str(words.next()?, "%H:%M:%S").ok()?;
    let month = month_number(words.next()?)?;
    let day: u32 = words.next()?.trim_end_matches(',').parse().ok()?;
    let year: i32 = words.next()?.parse().ok()?;
    Some(NaiveDate::from_ymd_opt(year, month, day)?.and_time(time))
}

fn month_number(word: &str) -> Option<u32> {
    const NAMES: [&[&str]; 12] = [
        &["jan", "janv", "ene", "gen", "sty"],
        &["feb", "fév", "fev", "fevr", "lut"],
        &["mar", "mär", "mrz", "mars", "marz"],
        &["apr", "avr", "abr", "kwi"],
        &["may", "mai", "maj", "mag"],
        &["jun", "juin", "giu", "cze"],
        &["jul", "juil", "lug", "lip"],
        &["aug", "août", "ago", "sie"],
        &["sep", "sept", "set", "wrz"],
        &["oct", "okt", "out", "ott", "paź"],
        &["nov", "lis"],
        &["dec", "dez", "déc", "dic", "gru"],
    ];
    let w = word.trim_end_matches('.').to_lowercase();
    NAMES
        .iter()
        .position(|names| names.contains(&w.as_str()))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// `<!-- BEGIN WAYBACK TOOLBAR INSERT -->` (and pywb's `<!-- WB Insert -->`).
pub fn is_toolbar_begin(comment: &str) -> bool {
    let c = comment.trim();
    c.eq_ignore_ascii_case("BEGIN WAYBACK TOOLBAR INSERT") || c == "WB Insert"
}

/// `<!-- END WAYBACK TOOLBAR INSERT -->` (and `<!-- End WB Insert -->`).
pub fn is_toolbar_end(comment: &str) -> bool {
    let c = comment.trim();
    c.eq_ignore_ascii_case("END WAYBACK TOOLBAR INSERT") || c == "End WB Insert"
}

/// The archive's own comments: the trailing `FILE ARCHIVED ON` block,
/// `playback timings`, the rewrite notices and the head insert's end.
pub fn is_archive_comment(comment: &str) -> bool {
    let c = comment.trim_start();
    c.contains("FILE ARCHIVED ON")
        || c.starts_with("playback timings")
        || c.starts_with("SOME LINK HREF'S ON THIS PAGE HAVE BEEN REWRITTEN")
        || c.starts_with("SOME SCRIPT SRC'S ON THIS PAGE HAVE BEEN REWRITTEN")
        || c.starts_with("End Wayback Rewrite JS Include")
        || c.starts_with("Start Wayback Rewrite JS Include")
}

/// The toolbar's elements: `#wm-ipp`, `#wm-ipp-base`, `#wm-ipp-print`…
pub fn is_toolbar_id(id: &str) -> bool {
    id.starts_with("wm-ipp") || id == "donato"
}

/// Is this the toolbar's `#wm-ipp-print` line?
pub fn is_print_id(id: &str) -> bool {
    id == "wm-ipp-print"
}

/// A capture that is not content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotContent {
    /// "Got an HTTP 302 response at crawl time": the page was a redirect,
    /// to `target` when the page names it.
    Redirect {
        /// The HTTP status the crawler got.
        status: String,
        /// Where it redirected to.
        target: Option<String>,
    },
    /// The Wayback Machine's page for an address it has not archived, or
    /// excluded.
    NotArchived,
}

/// Is this page one of the Wayback Machine's own pages for a capture that
/// is not content? `text` is the whole decoded page.
pub fn not_content(text: &str) -> Option<NotContent> {
    if let Some(at) = text.find("Got an HTTP ") {
        let rest = &text[at + "Got an HTTP ".len()..];
        if rest.contains("response at crawl time") {
            let status: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return Some(NotContent::Redirect {
                status,
                target: redirect_target(text),
            });
        }
    }
    let markers = [
        "The Wayback Machine has not archived that URL",
        "Wayback Machine doesn't have that page archived",
        "This URL has been excluded from the Wayback Machine",
        "Page cannot be displayed due to robots.txt",
    ];
    markers
        .iter()
        .any(|m| text.contains(m))
        .then_some(NotContent::NotArchived)
}

/// The redirect page's target: the link of its "Impatient?" paragraph, or
/// the text of its `.target` line.
fn redirect_target(text: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(text);
    let link = doc
        .root_element()
        .descendent_elements()
        .filter(|e| e.value().name() == "a")
        .find(|a| a.text().collect::<String>().contains("Impatient"))
        .and_then(|a| a.value().attr("href"))
        .map(|h| original_url(h).unwrap_or_else(|| h.to_string()));
    link.or_else(|| {
        doc.root_element()
            .descendent_elements()
            .find(|e| {
                e.value()
                    .attr("class")
                    .is_some_and(|c| c.split_whitespace().any(|x| x == "target"))
            })
            .map(|e| super::dom::fold_space(&e.text().collect::<String>()))
            .filter(|t| !t.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewritten_addresses_are_mapped_back() {
        let entry = "http://demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!101.entry";
        let cases = [
            format!("/web/20090301120000/{entry}"),
            format!("https://web.archive.org/web/20090301120000/{entry}"),
            format!("//web.archive.org/web/20090301120000/{entry}"),
            format!("http://web.archive.org/web/20090301120000id_/{entry}"),
            "/web/20090301120000/http:/demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!101.entry".into(),
            "/web/20090301120000/http://demo-space.spaces.live.com:80/blog/cns!D2C0FFEE12345678!101.entry".into(),
            "/web/2009/demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!101.entry".into(),
            format!("https://web.archive.org/web/20090301120000///{entry}"),
        ];
        for c in cases {
            assert_eq!(original_url(&c).as_deref(), Some(entry), "{c}");
        }
        assert_eq!(
            original_url("https://web.archive.org/web/20090301120000im_/http://tkfiles.storage.msn.com/x1pAbC%21.jpg?psid=1#x").as_deref(),
            Some("http://tkfiles.storage.msn.com/x1pAbC%21.jpg?psid=1#x")
        );
        assert_eq!(
            original_url("https://web.archive.org/web/20090301120000/https://login.live.com:443")
                .as_deref(),
            Some("https://login.live.com/")
        );
        for not in [
            "http://demo-space.spaces.live.com/web/2009/x",
            "https://archive.org/web/",
            "/web/",
            "/web/abc/http://x/",
            "mailto:a@b.c",
            "https://web.archive.org/web/20090301120000/",
        ] {
            assert_eq!(original_url(not), None, "{not}");
        }
    }

    #[test]
    fn capture_from_the_scripts_wins_over_the_comment() {
        let mut r = CaptureReader::default();
        r.comment("\n     FILE ARCHIVED ON 12:00:00 Mar 01, 2009 AND RETRIEVED FROM THE\n     INTERNET ARCHIVE ON 10:11:12 Jan 02, 2026.\n");
        r.script(r#"__wm.init("https://web.archive.org/web");
  __wm.wombat("http://demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!101.entry","20090301123456","https://web.archive.org/","web","/_static/","1235908800");"#);
        let c = r.finish().expect("capture");
        assert_eq!(
            c.url.as_deref(),
            Some("http://demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!101.entry")
        );
        assert_eq!(
            c.time.map(|t| t.to_string()).as_deref(),
            Some("2009-03-01 12:34:56")
        );
    }

    #[test]
    fn older_inserts_and_the_comment_alone() {
        let mut r = CaptureReader::default();
        r.script("// FILE ARCHIVED ON 20080422224810 AND RETRIEVED FROM THE\n// INTERNET ARCHIVE ON 20100728090315.\nvar sWayBackCGI = \"http://web.archive.org/web/20080422224810/\";");
        let c = r.finish().expect("capture");
        assert_eq!(
            c.time.map(|t| t.to_string()).as_deref(),
            Some("2008-04-22 22:48:10")
        );
        let mut r = CaptureReader::default();
        r.comment(" FILE ARCHIVED ON 3:04:28 Mär 6, 2017 AND RETRIEVED");
        assert_eq!(
            r.finish()
                .and_then(|c| c.time)
                .map(|t| t.to_string())
                .as_deref(),
            Some("2017-03-06 03:04:28")
        );
        let mut r = CaptureReader::default();
        r.print_line("The Wayback Machine - https://web.archive.org/web/20100115083000/http://demo-space.spaces.live.com:80/");
        let c = r.finish().expect("capture");
        assert_eq!(c.url.as_deref(), Some("http://demo-space.spaces.live.com/"));
        assert!(CaptureReader::default().finish().is_none());
    }

    #[test]
    fn redirect_and_missing_captures() {
        let page = r#"<html><head><title>Internet Archive Wayback Machine</title></head><body><div id="error"><h2 class="blue">Got an HTTP 302 response at crawl time</h2><p class="code">Redirecting to...</p><p class="code shift target">http://demo-space.wordpress.com/</p><p class="impatient"><a href="https://web.archive.org/web/20110601000000/http://demo-space.wordpress.com/">Impatient?</a></p></div></body></html>"#;
        assert_eq!(
            not_content(page),
            Some(NotContent::Redirect {
                status: "302".into(),
                target: Some("http://demo-space.wordpress.com/".into())
            })
        );
        assert_eq!(
            not_content("<p>Hrm.</p><p>The Wayback Machine has not archived that URL.</p>"),
            Some(NotContent::NotArchived)
        );
        assert_eq!(not_content("<p>an ordinary page</p>"), None);
    }
}
