//! `spaces2wxr check`: a WXR file, ours or anyone's, held against what the
//! WordPress Importer does with it, to say before an import what it would
//! lose.
//!
//! The rules come from `shared/docs/wxr-and-importer.md` (§1.1–1.7, the
//! importer 0.9.5 source and its four parsers): each [`Finding`] names one
//! way an import silently drops or changes data. Findings of kind
//! [`Severity::Problem`] mean data would be lost or misattributed; notes are
//! risks that depend on the site (database charset, upload limits).
//!
//! The file is read as a stream (quick-xml), so its size does not matter;
//! per item only a few short fields are kept until the end.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde::Serialize;

use crate::error::{Error, Result};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The import would lose, merge or misattribute data.
    Problem,
    /// A risk that depends on the destination site.
    Note,
}

/// One thing the importer would do to the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Problem or note.
    pub severity: Severity,
    /// Short stable code, such as `duplicate-title-date`.
    pub code: &'static str,
    /// The item concerned (`post 102 "Title"`), when there is one.
    pub item: Option<String>,
    /// What would happen, in a sentence.
    pub message: String,
}

/// What one WXR file holds and what importing it would lose.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// The file checked.
    pub file: String,
    /// `wp:wxr_version`, when present.
    pub wxr_version: Option<String>,
    /// Items by `wp:post_type`.
    pub items: std::collections::BTreeMap<String, usize>,
    /// `wp:comment` elements.
    pub comments: usize,
    /// `wp:author` logins declared.
    pub authors: usize,
    /// `wp:category` terms declared.
    pub categories: usize,
    /// Everything found, problems first, in file order.
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// Number of findings that lose data.
    pub fn problems(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Problem)
            .count()
    }
}

/// Where the media of a WXR are on disk, to check that every attachment
/// can be served.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The folder served at the attachments' URL (spaces2wxr's `OUT/media`).
    pub media_dir: Option<PathBuf>,
}

/// A URL path with its `%XX` escapes decoded (UTF-8, lossy).
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Above this size, many hosts refuse the upload (PHP `upload_max_filesize`
/// defaults of 2 MB, §1.10).
const UPLOAD_NOTE_BYTES: u64 = 2 << 20;

/// Namespace URIs the importer's parsers accept for each prefix (§1.1).
fn namespace_ok(prefix: &str, uri: &str) -> bool {
    let uri = uri.trim_end_matches('/');
    match prefix {
        "wp" => ["1.0", "1.1", "1.2"].iter().any(|v| {
            uri == format!("http://wordpress.org/export/{v}")
                || uri == format!("https://wordpress.org/export/{v}")
        }),
        "excerpt" => ["1.0", "1.1", "1.2"]
            .iter()
            .any(|v| uri == format!("http://wordpress.org/export/{v}/excerpt")),
        "content" => uri == "http://purl.org/rss/1.0/modules/content",
        "dc" => uri == "http://purl.org/dc/elements/1.1",
        _ => true,
    }
}

/// One `<item>` as far as the checks need it.
#[derive(Debug, Default)]
struct Item {
    title: String,
    post_type: String,
    post_id: String,
    post_date: String,
    post_date_gmt: String,
    status: String,
    creator: String,
    content: String,
    excerpt: String,
    attachment_url: String,
    guid: String,
    attached_file: String,
    meta_key: String,
    meta_value: String,
    comments: Vec<Comment>,
}

#[derive(Debug, Default)]
struct Comment {
    id: String,
    parent: String,
    date_gmt: String,
    approved: String,
}

impl Item {
    fn label(&self) -> String {
        let kind = if self.post_type.is_empty() {
            "post"
        } else {
            &self.post_type
        };
        let title: String = self.title.chars().take(60).collect();
        format!("{kind} {} \"{title}\"", self.post_id)
    }
}

/// Check one WXR file.
///
/// Errors: the file cannot be opened or read (typed, with its path). A file
/// that is not well-formed XML is not an error but a finding, as the
/// importer would say "There was an error when reading this WXR file".
pub fn check_wxr(path: &Path, opts: &CheckOptions) -> Result<CheckReport> {
    let file = File::open(path).map_err(|e| Error::read(path, e))?;
    let size = file.metadata().map_err(|e| Error::read(path, e))?.len();
    let mut c = Checker {
        report: CheckReport {
            file: path.display().to_string(),
            ..CheckReport::default()
        },
        ..Checker::default()
    };
    let mut reader = Reader::from_reader(BufReader::new(file));
    let mut buf = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position();
                c.problem(
                    "not-xml",
                    None,
                    format!("not well-formed XML near byte {at} ({e}); the importer stops with \"There was an error when reading this WXR file\" or its fallback parser drops items"),
                );
                break;
            }
        };
        match event {
            Event::Eof => break,
            Event::Decl(d) => {
                if let Some(Ok(enc)) = d.encoding() {
                    let enc = enc.to_ascii_lowercase();
                    if enc != "utf-8" && enc != "utf8" {
                        c.problem("encoding", None, format!("declared as {enc}: one of the importer's parsers refuses anything but UTF-8, another reads UTF-8 bytes as {enc} (mojibake)"));
                    }
                }
            }
            Event::DocType(_) => c.problem(
                "doctype",
                None,
                "a <!DOCTYPE> makes the importer's main parser reject the file".into(),
            ),
            Event::Start(e) => c.start(&e),
            Event::Empty(e) => {
                c.start(&e);
                c.end();
            }
            Event::End(_) => c.end(),
            Event::Text(t) => {
                c.text(&t.xml10_content());
            }
            Event::CData(t) => c.text(&t),
            Event::GeneralRef(r) => {
                c.text(&crate::parse::feed::resolve_ref(&r));
            }
            _ => {}
        }
        buf.clear();
    }
    c.finish(size, opts);
    let mut report = c.report;
    report
        .findings
        .sort_by_key(|f| f.severity != Severity::Problem);
    Ok(report)
}

#[derive(Default)]
struct Checker {
    report: CheckReport,
    path: Vec<String>,
    text: String,
    item: Option<Item>,
    /// Declared author logins.
    logins: HashSet<String>,
    login_text: String,
    /// (type, title, date) → first item's label.
    seen: HashMap<(String, String, String), String>,
    post_ids: HashSet<String>,
    /// Attachment URLs (and their extension-less stems).
    attachments: HashSet<String>,
    /// Media folders: the attachment URLs up to their last `/`… minus the
    /// `YYYY/MM` part, where the media bundle is served.
    media_bases: HashSet<String>,
    /// Attachments to look for on disk: (label, attachment URL).
    files: Vec<(String, String)>,
    /// Items' `<img src>` values, with the item label.
    images: Vec<(String, String)>,
    wxr_version: String,
    control_chars: usize,
    astral_chars: usize,
    prefixes_checked: bool,
}

impl Checker {
    fn problem(&mut self, code: &'static str, item: Option<String>, message: String) {
        self.report.findings.push(Finding {
            severity: Severity::Problem,
            code,
            item,
            message,
        });
    }

    fn note(&mut self, code: &'static str, item: Option<String>, message: String) {
        self.report.findings.push(Finding {
            severity: Severity::Note,
            code,
            item,
            message,
        });
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        let name = e.name().as_ref().to_string();
        if self.path.is_empty() && name == "rss" {
            self.check_namespaces(e);
        }
        match name.as_str() {
            "item" => self.item = Some(Item::default()),
            "wp:comment" => {
                if let Some(it) = self.item.as_mut() {
                    it.comments.push(Comment::default());
                }
                self.report.comments += 1;
            }
            "category" if self.item.is_some() => {
                let mut domain = None;
                let mut nicename = None;
                for a in e.attributes().flatten() {
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    match a.key.as_ref() {
                        "domain" => domain = Some(v),
                        "nicename" => nicename = Some(v),
                        _ => {}
                    }
                }
                if domain.is_some() && nicename.as_deref().is_none_or(str::is_empty) {
                    let label = self.item.as_ref().map(Item::label);
                    self.problem("term-without-nicename", label, "a category or tag without nicename is silently ignored by all four of the importer's parsers".into());
                }
            }
            _ => {}
        }
        self.path.push(name);
        self.text.clear();
    }

    fn check_namespaces(&mut self, e: &BytesStart<'_>) {
        self.prefixes_checked = true;
        let mut declared: HashMap<String, String> = HashMap::new();
        for a in e.attributes().flatten() {
            let key = a.key.as_ref().to_string();
            if let Some(prefix) = key.strip_prefix("xmlns:") {
                declared.insert(
                    prefix.to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default(),
                );
            }
        }
        for prefix in ["wp", "content", "dc", "excerpt"] {
            match declared.get(prefix) {
                None => self.problem(
                    "namespace",
                    None,
                    format!("the prefix '{prefix}' is not declared on <rss>; the importer's parsers match the prefixes wp, content, dc and excerpt literally"),
                ),
                Some(uri) if !namespace_ok(prefix, uri) => {
                    let uri = uri.clone();
                    self.problem(
                        "namespace",
                        None,
                        format!("the prefix '{prefix}' is bound to {uri}, which some of the importer's parsers do not accept"),
                    );
                }
                Some(_) => {}
            }
        }
    }

    fn text(&mut self, s: &str) {
        for ch in s.chars() {
            if (ch < ' ' && !matches!(ch, '\t' | '\n' | '\r'))
                || ch == '\u{fffe}'
                || ch == '\u{ffff}'
            {
                self.control_chars += 1;
            } else if u32::from(ch) > 0xFFFF {
                self.astral_chars += 1;
            }
        }
        self.text.push_str(s);
    }

    fn end(&mut self) {
        let Some(name) = self.path.pop() else { return };
        let text = std::mem::take(&mut self.text);
        let parent = self.path.last().cloned().unwrap_or_default();
        let parent = parent.as_str();
        match (parent, name.as_str()) {
            ("channel", "wp:wxr_version") => self.wxr_version = text.trim().to_string(),
            ("wp:author", "wp:author_login") => self.login_text = text.trim().to_string(),
            ("channel", "wp:author") => {
                let login = std::mem::take(&mut self.login_text);
                self.check_login(&login);
                self.logins.insert(login);
                self.report.authors += 1;
            }
            ("channel", "wp:category") => self.report.categories += 1,
            ("channel", "item") | ("rss", "item") => {
                if let Some(it) = self.item.take() {
                    self.finish_item(it);
                }
            }
            _ => {}
        }
        let Some(it) = self.item.as_mut() else { return };
        match (parent, name.as_str()) {
            ("item", "title") => it.title = text,
            ("item", "wp:post_type") => it.post_type = text.trim().to_string(),
            ("item", "wp:post_id") => it.post_id = text.trim().to_string(),
            ("item", "wp:post_date") => it.post_date = text.trim().to_string(),
            ("item", "wp:post_date_gmt") => it.post_date_gmt = text.trim().to_string(),
            ("item", "wp:status") => it.status = text.trim().to_string(),
            ("item", "dc:creator") => it.creator = text.trim().to_string(),
            ("item", "content:encoded") => it.content = text,
            ("item", "excerpt:encoded") => it.excerpt = text,
            ("item", "wp:attachment_url") => it.attachment_url = text.trim().to_string(),
            ("item", "guid") => it.guid = text.trim().to_string(),
            ("wp:postmeta", "wp:meta_key") => it.meta_key = text.trim().to_string(),
            ("wp:postmeta", "wp:meta_value") => it.meta_value = text,
            ("item", "wp:postmeta") if it.meta_key == "_wp_attached_file" => {
                it.attached_file = it.meta_value.trim().to_string();
            }
            ("wp:comment", "wp:comment_id") => {
                if let Some(c) = it.comments.last_mut() {
                    c.id = text.trim().to_string();
                }
            }
            ("wp:comment", "wp:comment_parent") => {
                if let Some(c) = it.comments.last_mut() {
                    c.parent = text.trim().to_string();
                }
            }
            ("wp:comment", "wp:comment_date_gmt") => {
                if let Some(c) = it.comments.last_mut() {
                    c.date_gmt = text.trim().to_string();
                }
            }
            ("wp:comment", "wp:comment_approved") => {
                if let Some(c) = it.comments.last_mut() {
                    c.approved = text.trim().to_string();
                }
            }
            _ => {}
        }
    }

    fn check_login(&mut self, login: &str) {
        let ok = !login.is_empty()
            && login
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '@' | ' '));
        if !ok {
            self.problem("author-login", None, format!("the author login '{login}' does not survive WordPress's sanitize_user: no user can be created for it and its posts go to the importing user"));
        }
    }

    fn finish_item(&mut self, it: Item) {
        let label = it.label();
        let kind = if it.post_type.is_empty() {
            "post".to_string()
        } else {
            it.post_type.clone()
        };
        *self.report.items.entry(kind.clone()).or_default() += 1;
        if !it.post_id.is_empty() && !self.post_ids.insert(it.post_id.clone()) {
            self.problem("duplicate-post-id", Some(label.clone()), format!("wp:post_id {} is used twice: the importer keys parents, featured images and its own bookkeeping on it, so the second item's links go to the first", it.post_id));
        }
        if !matches!(
            kind.as_str(),
            "post" | "page" | "attachment" | "nav_menu_item" | "wp_block" | "revision"
        ) {
            self.note("post-type", Some(label.clone()), format!("post type '{kind}' is not built into WordPress: the item fails with \"Invalid post type\" unless a plugin registers it"));
        }
        if kind != "attachment" {
            self.finish_post(&it, &kind, &label);
        } else {
            self.finish_attachment(&it, &label);
        }
        let mut ids = HashSet::new();
        for c in &it.comments {
            let parent_ok = c.parent.is_empty()
                || c.parent == "0"
                || (ids.contains(&c.parent)
                    && c.parent.parse::<u64>().ok() < c.id.parse::<u64>().ok());
            if !parent_ok {
                self.problem("comment-parent", Some(label.clone()), format!("comment {} answers comment {}, which is not an earlier comment of this item: the importer stores the old number and the reply lands under an unrelated comment or none", c.id, c.parent));
            }
            if c.date_gmt.is_empty() {
                self.problem("comment-date-gmt", Some(label.clone()), format!("comment {} has no wp:comment_date_gmt: the importer stores it empty instead of computing it", c.id));
            }
            if !matches!(c.approved.as_str(), "1" | "0" | "spam" | "trash") {
                self.problem("comment-approved", Some(label.clone()), format!("comment {} has wp:comment_approved '{}': it is neither approved nor pending after the import", c.id, c.approved));
            }
            ids.insert(c.id.clone());
        }
    }

    fn finish_post(&mut self, it: &Item, kind: &str, label: &str) {
        if !it.creator.is_empty() && !self.logins.is_empty() && !self.logins.contains(&it.creator) {
            self.problem("unknown-author", Some(label.into()), format!("dc:creator '{}' is not a declared wp:author: the post is attributed to the importing user", it.creator));
        }
        if it.title.trim().is_empty()
            && it.content.trim().is_empty()
            && it.excerpt.trim().is_empty()
        {
            self.problem(
                "empty-post",
                Some(label.into()),
                "no title, content or excerpt: WordPress refuses the item (empty_content)".into(),
            );
        }
        if it.post_date.is_empty() {
            self.problem("no-date", Some(label.into()), "no wp:post_date: the post is dated at the moment of the import, and the importer's duplicate check matches any post of the same title".into());
        } else if (it.post_date_gmt.is_empty() || it.post_date_gmt.starts_with("0000"))
            && it.status != "draft"
        {
            self.problem("no-date-gmt", Some(label.into()), "no wp:post_date_gmt: WordPress computes it in the destination site's time zone at import time, which moves the post if the blog was written in another zone".into());
        }
        let key = (kind.to_string(), it.title.clone(), it.post_date.clone());
        if let Some(first) = self.seen.get(&key) {
            let first = first.clone();
            self.problem("duplicate-title-date", Some(label.into()), format!("same title, type and date as {first}: the importer's post_exists check skips this item as \"already exists\" and adds its comments to the first"));
        } else {
            self.seen.insert(key, label.to_string());
        }
        if it.status.is_empty() {
            self.note(
                "no-status",
                Some(label.into()),
                "no wp:status: WordPress imports the item as a draft".into(),
            );
        }
        let doc = scraper::Html::parse_fragment(&it.content);
        for el in doc.root_element().descendent_elements() {
            if el.value().name() == "img" {
                if let Some(src) = el.value().attr("src") {
                    self.images
                        .push((label.to_string(), src.trim().to_string()));
                }
            }
        }
    }

    fn finish_attachment(&mut self, it: &Item, label: &str) {
        let url = if it.attachment_url.is_empty() {
            &it.guid
        } else {
            &it.attachment_url
        };
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://") || url.starts_with('/'))
        {
            self.problem("attachment-url", Some(label.into()), format!("attachment URL '{url}' is not http(s): the importer cannot download it (\"A valid URL was not provided\")"));
            return;
        }
        self.attachments.insert(url.clone());
        if let Some((stem, _)) = url.rsplit_once('.') {
            self.attachments.insert(stem.to_string());
        }
        if !it.attached_file.is_empty() {
            let decoded = percent_decode(url.split(['?', '#']).next().unwrap_or(url));
            match decoded.strip_suffix(&it.attached_file) {
                Some(base) => {
                    self.media_bases.insert(base.to_string());
                }
                None => self.problem("attachment-path", Some(label.into()), format!("attachment URL '{url}' does not end with its _wp_attached_file '{}': the importer downloads the URL, and the file may land elsewhere than intended", it.attached_file)),
            }
        }
        self.files.push((label.to_string(), url.clone()));
    }

    /// Where the importer's download of `url` is found in `dir`: the part
    /// of the URL after the media base (the URL less its
    /// `_wp_attached_file`, learnt from the file's attachments), decoded;
    /// without a known base, the `YYYY/MM/name` or bare name that exists.
    /// `None` for a path that would leave `dir`.
    fn file_of(&self, dir: &Path, url: &str) -> Option<PathBuf> {
        let path = percent_decode(url.split(['?', '#']).next().unwrap_or(url));
        let path = path.as_str();
        let inside = |rel: &str| {
            let ok = !rel.is_empty()
                && rel
                    .split('/')
                    .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\\'));
            ok.then(|| dir.join(rel))
        };
        if let Some(base) = self
            .media_bases
            .iter()
            .find(|b| path.starts_with(b.as_str()))
        {
            return inside(&path[base.len()..]);
        }
        let segs: Vec<&str> = path.rsplit('/').take(3).collect();
        let tail3 = segs.iter().rev().copied().collect::<Vec<_>>().join("/");
        let candidates = [tail3, segs.first().copied().unwrap_or("").to_string()];
        let found = candidates
            .iter()
            .filter_map(|c| inside(c))
            .find(|p| p.is_file());
        found.or_else(|| inside(&candidates[1]))
    }

    fn finish(&mut self, size: u64, opts: &CheckOptions) {
        self.report.wxr_version = Some(self.wxr_version.clone()).filter(|v| !v.is_empty());
        let version_ok = {
            let v = &self.wxr_version;
            v.split_once('.').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && a.bytes().all(|c| c.is_ascii_digit())
                    && b.bytes().all(|c| c.is_ascii_digit())
            })
        };
        if !version_ok && !self.report.findings.iter().any(|f| f.code == "not-xml") {
            self.problem("no-wxr-version", None, "no valid wp:wxr_version: the importer stops with \"This does not appear to be a WXR file, missing/invalid WXR version number\"".into());
        }
        if !self.prefixes_checked {
            self.problem(
                "not-wxr",
                None,
                "the root element is not <rss>: this is not a WXR file".into(),
            );
        }
        if self.control_chars > 0 {
            let n = self.control_chars;
            self.problem("control-chars", None, format!("{n} characters that XML 1.0 forbids: two of the importer's parsers fail on them, a third stores them"));
        }
        if self.astral_chars > 0 {
            let n = self.astral_chars;
            self.note("emoji", None, format!("{n} characters outside the Basic Multilingual Plane (emoji and rare CJK): a site whose tables are utf8 rather than utf8mb4 fails to save those items"));
        }
        if size > UPLOAD_NOTE_BYTES {
            self.note("file-size", None, format!("{} MB: many hosts refuse uploads over 2 MB (upload_max_filesize); import it with WP-CLI or split it", size >> 20));
        }
        let images = std::mem::take(&mut self.images);
        for (label, src) in images {
            let stem = src.rsplit_once('.').map_or(src.as_str(), |(s, _)| s);
            let under_media = self.media_bases.iter().any(|b| src.starts_with(b.as_str()));
            if under_media && !self.attachments.contains(&src) && !self.attachments.contains(stem) {
                self.problem("stale-media-url", Some(label), format!("the image {src} is under the media URL but has no attachment item: the importer does not copy it and the post keeps pointing at the temporary address"));
            }
        }
        if let Some(dir) = &opts.media_dir {
            let files = std::mem::take(&mut self.files);
            for (label, url) in files {
                let Some(p) = self.file_of(dir, &url) else {
                    self.problem(
                        "attachment-path",
                        Some(label),
                        format!("attachment URL '{url}' points outside the media folder"),
                    );
                    continue;
                };
                match std::fs::metadata(&p) {
                    Ok(m) if m.is_file() && m.len() > 0 => {}
                    Ok(m) if m.is_file() => self.problem("attachment-empty", Some(label), format!("{} is empty: the importer fails with \"Zero size file downloaded\"", p.display())),
                    _ => self.problem("attachment-missing", Some(label), format!("{} is not in the media folder: the download fails and the image is lost", p.display())),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>t</title><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[anna]]></wp:author_login></wp:author>
"#;

    fn post(id: u32, title: &str, date: &str, extra: &str) -> String {
        format!(
            r#"<item><title><![CDATA[{title}]]></title><dc:creator><![CDATA[anna]]></dc:creator>
<content:encoded><![CDATA[<p>Body {id}</p>]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date><![CDATA[{date}]]></wp:post_date><wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="travel"><![CDATA[Travel]]></category>{extra}</item>
"#
        )
    }

    fn check_text(xml: &str, media: Option<&Path>) -> CheckReport {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("t.xml");
        std::fs::write(&p, xml).expect("write");
        check_wxr(
            &p,
            &CheckOptions {
                media_dir: media.map(Path::to_path_buf),
            },
        )
        .expect("check")
    }

    fn codes(r: &CheckReport) -> Vec<&'static str> {
        r.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_clean_file_has_no_findings() {
        let xml = format!(
            "{HEAD}{}{}</channel></rss>",
            post(1, "One & two", "2009-03-14 18:30:00", ""),
            post(2, "Two", "2009-03-15 18:30:00", "")
        );
        let r = check_text(&xml, None);
        assert_eq!(codes(&r), Vec::<&str>::new(), "{r:#?}");
        assert_eq!(r.items.get("post"), Some(&2));
        assert_eq!(r.wxr_version.as_deref(), Some("1.2"));
    }

    #[test]
    fn what_the_importer_would_lose_is_found() {
        let comments = r#"<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_approved>1</wp:comment_approved><wp:comment_date_gmt>2009-03-14 19:00:00</wp:comment_date_gmt><wp:comment_parent>9</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>6</wp:comment_id><wp:comment_approved></wp:comment_approved><wp:comment_date_gmt></wp:comment_date_gmt></wp:comment>"#;
        let xml = format!(
            "{HEAD}{}{}{}<item><title>x</title><category domain=\"category\">Lost</category><dc:creator>bob</dc:creator><wp:post_id>3</wp:post_id><wp:post_date>2009-01-01 00:00:00</wp:post_date><wp:status>publish</wp:status></item></channel></rss>",
            post(1, "Same", "2009-03-14 18:30:00", comments),
            post(2, "Same", "2009-03-14 18:30:00", ""),
            post(2, "Other", "2009-03-16 18:30:00", ""),
        );
        let r = check_text(&xml, None);
        let c = codes(&r);
        for want in [
            "comment-parent",
            "comment-date-gmt",
            "comment-approved",
            "duplicate-title-date",
            "duplicate-post-id",
            "term-without-nicename",
            "unknown-author",
            "no-date-gmt",
        ] {
            assert!(c.contains(&want), "{want} in {c:?}");
        }
        assert!(r.problems() >= 8);
    }

    #[test]
    fn broken_or_foreign_files_are_findings_not_errors() {
        let r = check_text("<rss><channel><item></channel></rss>", None);
        assert!(codes(&r).contains(&"not-xml"), "{r:#?}");
        let r = check_text(
            r#"<?xml version="1.0" encoding="ISO-8859-1"?><rss xmlns:wp="http://wordpress.org/export/1.3/"><channel></channel></rss>"#,
            None,
        );
        let c = codes(&r);
        for want in ["encoding", "namespace", "no-wxr-version"] {
            assert!(c.contains(&want), "{want} in {c:?}");
        }
        let r = check_text("<html><body>not a feed</body></html>", None);
        assert!(codes(&r).contains(&"not-wxr"), "{r:#?}");
    }

    #[test]
    fn attachments_and_their_files_are_checked() {
        let media = tempfile::tempdir().expect("media");
        std::fs::create_dir_all(media.path().join("2009/03")).expect("mkdir");
        std::fs::write(media.path().join("2009/03/a.jpg"), b"\xff\xd8\xff").expect("write");
        let att = |id: u32, name: &str| {
            format!(
                r#"<item><title>{name}</title><wp:post_id>{id}</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>http://localhost/m/2009/03/{name}</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value><![CDATA[2009/03/{name}]]></wp:meta_value></wp:postmeta></item>"#
            )
        };
        let body = r#"<content:encoded><![CDATA[<img src="http://localhost/m/2009/03/a.jpg"><img src="http://localhost/m/2009/03/gone.png">]]></content:encoded>"#;
        let xml = format!(
            "{HEAD}{}{}{}</channel></rss>",
            post(1, "Photos", "2009-03-14 18:30:00", body),
            att(10, "a.jpg"),
            att(11, "b.jpg"),
        );
        let r = check_text(&xml, Some(media.path()));
        let c = codes(&r);
        assert!(c.contains(&"attachment-missing"), "b.jpg: {c:?}");
        assert!(c.contains(&"stale-media-url"), "gone.png: {c:?}");
        assert_eq!(r.problems(), 2, "{r:#?}");

        // The importer downloads the URL: a URL that names another file
        // than _wp_attached_file, or climbs out of the media folder, is a
        // problem even though the attached file exists.
        let odd = |id: u32, url: &str| {
            format!(
                r#"<item><title>x{id}</title><wp:post_id>{id}</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>{url}</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value><![CDATA[2009/03/a.jpg]]></wp:meta_value></wp:postmeta></item>"#
            )
        };
        let xml = format!(
            "{HEAD}{}{}{}</channel></rss>",
            att(10, "a.jpg"),
            odd(12, "http://localhost/m/2009/03/nothere.jpg"),
            odd(13, "http://localhost/m/../../../../etc/hostname"),
        );
        let r = check_text(&xml, Some(media.path()));
        let c = codes(&r);
        assert_eq!(
            c.iter().filter(|k| **k == "attachment-path").count(),
            3,
            "{r:#?}"
        );
        assert!(c.contains(&"attachment-missing"), "{r:#?}");

        // Another tool's WXR without _wp_attached_file: the file is found
        // under its YYYY/MM/name.
        let bare = r#"<item><title>a</title><wp:post_id>20</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>http://old.example/wp-content/uploads/2009/03/a.jpg</wp:attachment_url></item>"#;
        let xml = format!("{HEAD}{bare}</channel></rss>");
        let r = check_text(&xml, Some(media.path()));
        assert_eq!(r.problems(), 0, "{r:#?}");
    }
}
