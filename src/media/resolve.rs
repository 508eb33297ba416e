//! Media stage, resolution: which archive file each image reference of a
//! post points at.
//!
//! References are `<img src>` and `<a href>` that lead to an image. A
//! reference is matched by its whole address (host, path and query), under
//! every name a crawler gives that address: wget keeps `?query` in the name
//! (or `@query` with Windows-safe names), other tools write `%3F`, HTTrack
//! puts four hex digits of the query's MD5 before the extension
//! (`image76aa.png`), some drop the query, and a name without an extension
//! (2005 `storage.msn.com/x1p…`) may have been given one or kept none (the
//! bytes decide later). Closest first:
//!
//! 0. the name HTTrack's log (`hts-cache/new.txt`) gives the address;
//! 1. the whole address: `…/host/path` with the query in one of those
//!    forms, or for a relative link (`../../host/x1p…`, a `wget -k` link
//!    `image%5B5%5D.png%3Fq`) the exact path from the page's folder;
//! 2. host and path, the query dropped;
//! 3. the path below the host (a mirror saved without host folders);
//! 4. only the file name, anywhere in the archive (a backup's `img/`
//!    folder, or a picture saved beside the page).
//!
//! So two `image.png` in different storage folders never swap. Among equal
//! candidates, a name spelled exactly as the reference wins over names that
//! match only when case is ignored; the rest is decided deterministically,
//! and candidates that differ are reported.

use std::collections::HashMap;

use crate::model::{RefKind, UrlRef};
use crate::source::FileEntry;
use crate::web::{self, decode};

/// File name endings of images.
pub const IMAGE_EXTS: [&str; 9] = [
    "jpg", "jpeg", "jpe", "png", "gif", "bmp", "webp", "tif", "tiff",
];

/// Hosts that served Spaces and SkyDrive files (§2.6 of the archive notes).
const MEDIA_HOSTS: [&str; 4] = [
    "storage.msn.com",
    "storage.live.com",
    "livefilestore.com",
    "spaces.live.com",
];

/// The references of a body that may be pictures, in document order:
/// every `<img>`, and the links that lead to an image file
/// ([`looks_like_image`]); inline schemes (`data:`, `javascript:`, `#…`)
/// are never files.
pub fn image_refs(refs: Vec<UrlRef>) -> Vec<UrlRef> {
    refs.into_iter()
        .filter(|r| r.kind == RefKind::Img || looks_like_image(&r.url))
        .filter(|r| !is_inline_scheme(&r.url))
        .collect()
}

fn is_inline_scheme(url: &str) -> bool {
    let l = url.to_ascii_lowercase();
    [
        "data:",
        "javascript:",
        "vbscript:",
        "mailto:",
        "about:",
        "#",
    ]
    .iter()
    .any(|s| l.starts_with(s))
}

/// Does a link lead to an image file?
pub fn looks_like_image(url: &str) -> bool {
    let path = url_path(url);
    let name = path.rsplit('/').next().unwrap_or(&path);
    // `wget -k` links a saved `a.png?q` as `a.png%3Fq`.
    if has_image_ext(&path) || has_image_ext(&strip_saved_query(name)) {
        return true;
    }
    let host = web::host(url).unwrap_or_default();
    MEDIA_HOSTS.iter().any(|h| host.ends_with(h)) && !host.ends_with("spaces.live.com")
}

fn has_image_ext(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| IMAGE_EXTS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The path of a link without scheme, host, query and fragment, decoded.
fn url_path(url: &str) -> String {
    if let Some(u) = web::absolute(url) {
        return decode(u.path());
    }
    let no_frag = url.split('#').next().unwrap_or(url);
    decode(no_frag.split('?').next().unwrap_or(no_frag))
}

/// The picture's file name as its address spells it (decoded, without the
/// query), when that name has an image extension: the name to give the
/// bundled file, whatever name a crawler saved it under.
pub fn ref_file_name(url: &str) -> Option<String> {
    let parts = split_url(url.trim())?;
    let name = parts.path.rsplit('/').next().unwrap_or("");
    has_image_ext(name).then(|| name.to_string())
}

/// The original absolute address of an image reference written in the
/// page at archive path `page`: an absolute reference as it is (a Wayback
/// address unwrapped); a relative one read against the page's address when
/// the page lies under a host folder (a mirror, a web archive), and a first
/// folder that is itself a host (`../../tkfiles.storage.msn.com/x.jpg`, a
/// mirror's rewritten link) taken as the image's host.
pub fn original_address(url: &str, page: &str) -> Option<String> {
    let url = url.trim();
    if let Some(u) = web::absolute(url) {
        return Some(crate::source::warc::target_uri(u.as_str()));
    }
    if is_inline_scheme(url) || url.contains(':') {
        return None;
    }
    let host = page.split('/').next()?;
    if !is_host_like(host) || !page.contains('/') {
        return None;
    }
    let base = url::Url::parse(&format!("http://{page}")).ok()?;
    let joined = base.join(url).ok()?;
    let mut segs = joined.path().trim_start_matches('/').splitn(2, '/');
    match (segs.next(), segs.next()) {
        (Some(first), Some(rest)) if is_host_like(first) && !has_image_ext(first) => {
            Some(format!("http://{first}/{rest}"))
        }
        _ => Some(joined.to_string()),
    }
}

/// `demo-space.spaces.live.com`: a dotted name of letters, digits and `-`.
fn is_host_like(s: &str) -> bool {
    s.contains('.')
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// File name endings of pages and other text a crawler saves: never the
/// target of an image reference.
const PAGE_EXTS: [&str; 16] = [
    "html", "htm", "shtml", "xhtml", "css", "js", "json", "xml", "rss", "txt", "log", "entry",
    "asp", "aspx", "php", "lst",
];

/// How closely a file matches a reference; smaller is closer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// The crawler's own log says it saved the address under this name.
    Logged,
    /// The whole address: host, path and query, in one of the names a
    /// crawler gives it (or, for a relative link, the exact path).
    Address,
    /// Host and path, the query dropped from the saved name.
    NoQuery,
    /// The path below the host (a mirror saved without host folders).
    Path,
    /// Only the file name, anywhere in the archive.
    Name,
}

/// Index of the archive's files for resolving image references.
pub struct MediaIndex<'a> {
    files: Vec<&'a FileEntry>,
    /// Lower-case file name → files; image names saved with their query
    /// (`a.jpg@psid=1`) are also listed under the name without it.
    by_name: HashMap<String, Vec<u32>>,
    /// Lower-case last folder and name (`y1pabc/image.png@psid=1`) → files.
    by_last_two: HashMap<String, Vec<u32>>,
    /// Address ([`address_key`]) → file, from HTTrack's own log of what
    /// it saved where (`hts-cache/new.txt`).
    by_address: HashMap<String, u32>,
}

/// A resolved reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'a> {
    /// The archive file.
    pub file: &'a FileEntry,
    /// Other files that matched as closely (the choice was not unique) and
    /// differ in size. Same-size ones are in [`Resolved::same_size`].
    pub others: Vec<&'a FileEntry>,
    /// Other files that matched as closely with the same size: they are
    /// ambiguous only if their bytes differ, which the caller checks.
    pub same_size: Vec<&'a FileEntry>,
}

/// One saved name a reference may have, and how close it is.
struct Variant {
    /// `/path/name…` (relative links: the archive path, without a leading
    /// `/`).
    tail: String,
    level: Level,
}

impl<'a> MediaIndex<'a> {
    /// Index every file that can be an image: everything but pages, style
    /// sheets, scripts and crawler logs (a file saved without an extension
    /// is recognised by its bytes later).
    pub fn new(all: &'a [FileEntry]) -> Self {
        let files: Vec<&FileEntry> = all.iter().filter(|f| may_be_image(f)).collect();
        let mut by_name: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_last_two: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let name = f.file_name().to_lowercase();
            let stripped = strip_saved_query(&name);
            if stripped != name {
                by_name.entry(stripped).or_default().push(i);
            }
            by_name.entry(name).or_default().push(i);
            let lower = f.path.to_lowercase();
            by_last_two
                .entry(last_two(&lower).to_string())
                .or_default()
                .push(i);
        }
        MediaIndex {
            files,
            by_name,
            by_last_two,
            by_address: HashMap::new(),
        }
    }

    /// Learn from one line of HTTrack's log (`hts-cache/new.txt`) which
    /// address it saved under which name. A line holds, tab-separated, the
    /// address (8th field) and the local file (9th field, a path on the
    /// crawling machine such as `C:/My Web Sites/project/host/a.png`); the
    /// local file is looked for in the archive below `project`, the folder
    /// that holds `hts-cache/` ([`httrack_project`]). Returns whether the
    /// line named a file of the archive.
    pub fn learn_httrack_line(&mut self, project: &str, line: &str) -> bool {
        let mut fields = line.split('\t').skip(7);
        let (Some(url), Some(local)) = (fields.next(), fields.next()) else {
            return false;
        };
        let Some(key) = address_key(url) else {
            return false;
        };
        let local = local.replace('\\', "/").to_lowercase();
        // The longest tail of the local path that names an archive file
        // below the project folder.
        let segments: Vec<&str> = local.split('/').collect();
        let Some(bucket) = self.by_last_two.get(last_two(&local)) else {
            return false;
        };
        let found = (1..=segments.len()).rev().find_map(|n| {
            let want = format!("{project}{}", segments[segments.len() - n..].join("/"));
            bucket
                .iter()
                .copied()
                .find(|&i| self.files[i as usize].path.to_lowercase() == want)
        });
        match found {
            Some(i) => {
                self.by_address.entry(key).or_insert(i);
                true
            }
            None => false,
        }
    }

    /// Resolve `url`, written in the page at archive path `page`.
    pub fn resolve(&self, url: &str, page: &str) -> Option<Resolved<'a>> {
        let url = url.trim();
        let parts = split_url(url)?;
        let mut found: Vec<(Level, &'a FileEntry)> = Vec::new();
        if let Some(&i) = address_key(url).and_then(|k| self.by_address.get(&k)) {
            found.push((Level::Logged, self.files[i as usize]));
        }
        match &parts.host {
            Some(host) => {
                for v in variants(&parts.path, parts.query.as_deref()) {
                    let with_host = format!("{host}{}", v.tail).to_lowercase();
                    let below = v.tail.to_lowercase();
                    self.with_last_two(&with_host, |f, lp| {
                        if ends_at_segment(lp, &with_host) {
                            found.push((v.level, f));
                        } else if below.matches('/').count() > 1 && ends_at_segment(lp, &below[1..])
                        {
                            found.push((Level::Path.max(v.level), f));
                        }
                    });
                }
            }
            None => {
                let base = if parts.path.starts_with('/') {
                    ""
                } else {
                    page.rsplit_once('/').map_or("", |(d, _)| d)
                };
                if let Some(joined) = join(base, &parts.path) {
                    for v in variants(&format!("/{joined}"), parts.query.as_deref()) {
                        let exact = v.tail[1..].to_lowercase();
                        self.with_last_two(&exact, |f, lp| {
                            if lp == exact {
                                found.push((v.level, f));
                            }
                        });
                    }
                }
                // A site-absolute or climbing path in a mirror: the path
                // below some folder.
                let below = parts.path.trim_start_matches(['.', '/']).to_lowercase();
                if below.contains('/') {
                    for v in variants(&format!("/{below}"), parts.query.as_deref()) {
                        let tail = v.tail[1..].to_lowercase();
                        self.with_last_two(&tail, |f, lp| {
                            if ends_at_segment(lp, &tail) {
                                found.push((Level::Path, f));
                            }
                        });
                    }
                }
            }
        }
        if found.is_empty() {
            self.by_file_name(&parts.path, &mut found);
        }
        let best = found.iter().map(|(l, _)| *l).min()?;
        let path_of_ref = parts.path.rsplit('/').next().unwrap_or("").to_string();
        let mut cands: Vec<&FileEntry> = found
            .into_iter()
            .filter(|(l, _)| *l == best)
            .map(|(_, f)| f)
            .collect();
        cands.sort_by_cached_key(|f| rank(f, page, &path_of_ref));
        cands.dedup_by(|a, b| a.path == b.path);
        // A name spelled exactly as the reference wins over names that
        // match only when case is ignored; those are not rivals.
        if cands
            .first()
            .is_some_and(|f| !rank(f, page, &path_of_ref).0)
        {
            cands.retain(|f| !rank(f, page, &path_of_ref).0);
        }
        let file = cands.remove(0);
        let (same_size, others) = cands.into_iter().partition(|o| o.size == file.size);
        Some(Resolved {
            file,
            others,
            same_size,
        })
    }

    /// Call `f` with each indexed file whose path ends in the same folder
    /// and name as `path` (lower-case), and with its lower-case path. Keyed
    /// on the last two segments, so the thousands of `image.png` a Live
    /// Writer blog holds, each in its own storage folder, are not scanned
    /// for every reference.
    fn with_last_two(&self, path: &str, mut f: impl FnMut(&'a FileEntry, &str)) {
        let key = last_two(path);
        if key.is_empty() {
            return;
        }
        for &i in self.by_last_two.get(key).into_iter().flatten() {
            let file = self.files[i as usize];
            f(file, &file.path.to_lowercase());
        }
    }

    /// Files with the same image file name anywhere in the archive (a
    /// backup's `img/` folder, or a picture saved beside the page).
    fn by_file_name(&self, path: &str, found: &mut Vec<(Level, &'a FileEntry)>) {
        let name = path.rsplit('/').next().unwrap_or(path).to_lowercase();
        let stripped = strip_saved_query(&name);
        let cands = if has_image_ext(&stripped) {
            self.by_name.get(&stripped)
        } else {
            self.with_added_ext(&name)
        };
        for &i in cands.into_iter().flatten() {
            let f = self.files[i as usize];
            if has_image_ext(&strip_saved_query(&f.file_name().to_lowercase())) {
                found.push((Level::Name, f));
            }
        }
    }

    /// 2005 `storage.msn.com/x1p…` URLs have no extension; crawlers add one.
    fn with_added_ext(&self, name: &str) -> Option<&Vec<u32>> {
        if name.is_empty() || has_image_ext(name) {
            return None;
        }
        IMAGE_EXTS
            .iter()
            .find_map(|e| self.by_name.get(&format!("{name}.{e}")))
    }
}

/// Can this archive file be the target of an image reference?
fn may_be_image(f: &FileEntry) -> bool {
    let lower = f.path.to_lowercase();
    if lower.starts_with("hts-cache/") || lower.contains("/hts-cache/") {
        return false;
    }
    let name = strip_saved_query(&f.file_name().to_lowercase());
    match name.rsplit_once('.') {
        Some((_, ext)) => !PAGE_EXTS.contains(&ext),
        None => true,
    }
}

/// Smaller is better: the name with the reference's exact case, same top
/// folder as the page, inside an `img` folder, shorter path, then by path.
fn rank(f: &FileEntry, page: &str, ref_name: &str) -> (bool, bool, bool, usize, String) {
    let lower = f.path.to_lowercase();
    let name = f.file_name();
    let exact = name == ref_name
        || strip_saved_query(name) == ref_name
        || name
            .strip_prefix(ref_name)
            .is_some_and(|rest| rest.starts_with(['.', '?', '@', '%']));
    let top = |p: &str| p.split('/').next().unwrap_or("").to_string();
    let same_top = top(&f.path) == top(page);
    let in_img = lower.split('/').any(|s| s == "img" || s == "images");
    (!exact, !same_top, !in_img, f.path.len(), f.path.clone())
}

/// The archive folder (lower-case, with a trailing `/`, or empty at the
/// top) that holds the HTTrack log at `log_path` (`…/hts-cache/new.txt`).
pub fn httrack_project(log_path: &str) -> String {
    log_path
        .rsplit_once('/')
        .and_then(|(dir, _)| dir.rsplit_once('/').map(|(p, _)| format!("{p}/")))
        .unwrap_or_default()
        .to_lowercase()
}

/// An absolute address as a lookup key: host lower-case, path
/// percent-decoded, query as written (`&amp;` already decoded by the HTML
/// parser), no scheme, port or fragment.
fn address_key(url: &str) -> Option<String> {
    let parts = split_url(url.trim())?;
    let host = parts.host?;
    Some(match parts.query {
        Some(q) => format!("{host}{}?{q}", parts.path),
        None => format!("{host}{}", parts.path),
    })
}

/// The last folder and name of a path (`a/b/c.png` → `b/c.png`), or the
/// name alone at the top.
fn last_two(path: &str) -> &str {
    let path = path.trim_end_matches('/');
    match path.rfind('/') {
        Some(i) => match path[..i].rfind('/') {
            Some(j) => &path[j + 1..],
            None => path,
        },
        None => path,
    }
}

/// Does `path` end with `tail` at a folder boundary (or equal it)?
fn ends_at_segment(path: &str, tail: &str) -> bool {
    path == tail || (path.ends_with(tail) && path.as_bytes()[path.len() - tail.len() - 1] == b'/')
}

/// A reference split into host (lower-case; `None` for a relative link),
/// decoded path, and raw query.
struct UrlParts {
    host: Option<String>,
    path: String,
    query: Option<String>,
}

fn split_url(url: &str) -> Option<UrlParts> {
    let (host, mut path, mut query) = if url.contains("://") || url.starts_with("//") {
        let u = web::absolute(url)?;
        let host = u.host_str().map(str::to_ascii_lowercase);
        (host, decode(u.path()), u.query().map(str::to_string))
    } else {
        let no_frag = url.split('#').next().unwrap_or(url);
        let (raw_path, query) = match no_frag.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (no_frag, None),
        };
        (None, decode(raw_path), query)
    };
    // A link to a saved name (`wget -k`) spells the kept query as `%3F`.
    if query.is_none() {
        if let Some((p, q)) = path.clone().split_once('?') {
            path = p.to_string();
            query = Some(q.to_string());
        }
    }
    if host.is_some() && path.is_empty() {
        path = "/".into();
    }
    Some(UrlParts { host, path, query })
}

/// Every name under which a crawler may have saved `path?query`, closest
/// first: wget keeps `?query` (Linux) or writes `@query` (Windows names),
/// other tools write `%3F`; HTTrack puts four hex digits of the query's
/// MD5 before the extension; some drop the query. A name without an image
/// extension may also have been given one.
fn variants(path: &str, query: Option<&str>) -> Vec<Variant> {
    let mut out: Vec<Variant> = Vec::new();
    let add = |out: &mut Vec<Variant>, tail: String, level: Level| {
        if !out.iter().any(|v| v.tail == tail) {
            out.push(Variant { tail, level });
        }
    };
    match query.filter(|q| !q.is_empty()) {
        Some(q) => {
            let decoded = decode(q);
            for q in [q, decoded.as_str()] {
                for sep in ["?", "@", "%3F"] {
                    add(&mut out, format!("{path}{sep}{q}"), Level::Address);
                }
            }
            add(&mut out, httrack_name(path, q), Level::Address);
            add(&mut out, path.to_string(), Level::NoQuery);
        }
        None => add(&mut out, path.to_string(), Level::Address),
    }
    let name_of = |t: &str| t.rsplit('/').next().unwrap_or(t).to_string();
    let bare: Vec<(String, Level)> = out
        .iter()
        .filter(|v| {
            let n = name_of(&v.tail);
            !n.is_empty() && !has_image_ext(&strip_saved_query(&n.to_lowercase()))
        })
        .map(|v| (v.tail.clone(), v.level))
        .collect();
    for (tail, level) in bare {
        for e in IMAGE_EXTS {
            add(&mut out, format!("{tail}.{e}"), level);
        }
    }
    out
}

/// HTTrack's name for `path?query`: the first four hex digits of the MD5 of
/// the query go between the name and its extension (`image.png?psid=1` →
/// `image2b1c.png`).
fn httrack_name(path: &str, query: &str) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::digest(query.as_bytes());
    let hash: String = digest.iter().take(2).map(|b| format!("{b:02x}")).collect();
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{dir}/{stem}{hash}.{ext}"),
        None => format!("{dir}/{name}{hash}"),
    }
}

/// wget keeps a query in the saved name (`a.jpg?psid=1`, or `a.jpg@psid=1`
/// with Windows-safe names, or `a.jpg%3Fpsid=1`); compare names without it.
fn strip_saved_query(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let cut = [lower.find('?'), lower.find('@'), lower.find("%3f")];
    for at in cut.into_iter().flatten() {
        let head = &name[..at];
        if has_image_ext(head) {
            return head.to_string();
        }
    }
    name.to_string()
}

/// `base` + `rel` with `.` and `..` applied; `None` if it climbs out.
fn join(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[(&str, u64)]) -> Vec<FileEntry> {
        paths
            .iter()
            .map(|(p, s)| FileEntry::for_test(p, *s))
            .collect()
    }

    #[test]
    fn picture_references_are_kept_in_order() {
        let r = |url: &str, kind: RefKind, alt: &str| UrlRef {
            url: url.into(),
            kind,
            alt: alt.into(),
        };
        let refs = image_refs(vec![
            r(
                "http://x.bay.livefilestore.com/y1pQ/IMG_1.JPG?psid=1",
                RefKind::Link,
                "",
            ),
            r("img/t.png", RefKind::Img, "Thumb"),
            r("http://example.com/page.html", RefKind::Link, ""),
            r("data:image/png;base64,AA", RefKind::Img, ""),
            r("img/big.gif", RefKind::Link, ""),
        ]);
        let urls: Vec<_> = refs.iter().map(|r| (r.url.as_str(), r.kind)).collect();
        assert_eq!(
            urls,
            [
                (
                    "http://x.bay.livefilestore.com/y1pQ/IMG_1.JPG?psid=1",
                    RefKind::Link
                ),
                ("img/t.png", RefKind::Img),
                ("img/big.gif", RefKind::Link),
            ]
        );
        assert_eq!(refs[1].alt, "Thumb");
    }

    #[test]
    fn resolution_order() {
        let all = files(&[
            ("demo-space/img/photo1.jpg", 10),
            ("demo-space/img/image[2].png", 20),
            ("other/img/photo1.jpg", 11),
            ("mirror/byfiles.storage.msn.com/y1pAbC/photo1.jpg", 12),
            (
                "mirror/aBc123.bay.livefilestore.com/y1pQ/IMG_0001.JPG@psid=1",
                13,
            ),
            ("我的空间/img/图片1.jpg", 14),
            ("mirror/storage.msn.com/x1pAbCdE.jpg", 15),
        ]);
        let idx = MediaIndex::new(&all);
        let page = "demo-space/blog/cns!X!1.html";
        let r = |u: &str, p: &str| idx.resolve(u, p).map(|r| r.file.path.clone());
        assert_eq!(
            r("../img/photo1.jpg", page).as_deref(),
            Some("demo-space/img/photo1.jpg")
        );
        assert_eq!(
            r("img/image%5B2%5D.png", "demo-space/index.html").as_deref(),
            Some("demo-space/img/image[2].png")
        );
        assert_eq!(
            r(
                "http://byfiles.storage.msn.com/y1pAbC/photo1.jpg?PARTNER=WRITER",
                page
            )
            .as_deref(),
            Some("mirror/byfiles.storage.msn.com/y1pAbC/photo1.jpg")
        );
        assert_eq!(
            r("http://tkfiles.storage.msn.com/x1pZZ/photo1.jpg", page).as_deref(),
            Some("demo-space/img/photo1.jpg")
        );
        assert_eq!(
            r(
                "http://aBc123.bay.livefilestore.com/y1pQ/IMG_0001.JPG?psid=1",
                page
            )
            .as_deref(),
            Some("mirror/aBc123.bay.livefilestore.com/y1pQ/IMG_0001.JPG@psid=1")
        );
        assert_eq!(
            r("img/%E5%9B%BE%E7%89%871.jpg", "我的空间/日志/a.html").as_deref(),
            Some("我的空间/img/图片1.jpg")
        );
        assert_eq!(r("img/none.jpg", page), None);
        assert_eq!(
            r("http://storage.msn.com/x1pAbCdE", page).as_deref(),
            Some("mirror/storage.msn.com/x1pAbCdE.jpg")
        );
        let amb = idx
            .resolve(
                "http://tkfiles.storage.msn.com/x1pZZ/photo1.jpg",
                "x/y.html",
            )
            .expect("found");
        assert_eq!(amb.others.len(), 2, "different sizes are reported");
    }

    #[test]
    fn every_crawler_name_of_an_address() {
        let tails = |p: &str, q: Option<&str>| -> Vec<String> {
            variants(p, q).into_iter().map(|v| v.tail).collect()
        };
        let t = tails("/y1pA/image.png", Some("psid=1"));
        for want in [
            "/y1pA/image.png?psid=1",
            "/y1pA/image.png@psid=1",
            "/y1pA/image.png%3Fpsid=1",
            "/y1pA/image76aa.png",
            "/y1pA/image.png",
        ] {
            assert!(t.iter().any(|x| x == want), "{want} in {t:?}");
        }
        let t = tails("/x1pAbC", None);
        assert!(t.iter().any(|x| x == "/x1pAbC"));
        assert!(t.iter().any(|x| x == "/x1pAbC.jpg"));
        assert_eq!(
            httrack_name("/a/b/pic.jpg", "download&psid=1").len(),
            "/a/b/pic.jpg".len() + 4
        );
        assert_eq!(
            strip_saved_query("image[5].png%3FPARTNER=WRITER"),
            "image[5].png"
        );
        assert!(ends_at_segment(
            "m/ccc.bay.livefilestore.com/y/a.png",
            "ccc.bay.livefilestore.com/y/a.png"
        ));
        assert!(!ends_at_segment(
            "m/xccc.bay.livefilestore.com/y/a.png",
            "ccc.bay.livefilestore.com/y/a.png"
        ));
    }

    #[test]
    fn same_names_resolve_by_whole_address() {
        let all = files(&[
            ("red.bay.livefilestore.com/y1pR/image.png@psid=1", 10),
            ("blue.bay.livefilestore.com/y1pB/image.png@psid=1", 20),
            ("c.bay.livefilestore.com/y1pC/image76aa.png", 30),
            ("d.bay.livefilestore.com/y1pD/image.png%3Fpsid=1", 40),
            ("e.bay.livefilestore.com/y1pE/image.png", 50),
            ("tkfiles.storage.msn.com/x1pNoExt", 60),
            ("space/blog/page.css", 70),
        ]);
        let idx = MediaIndex::new(&all);
        let page = "space.spaces.live.com/blog/cns!X!1.html";
        let r = |u: &str| {
            idx.resolve(u, page)
                .map(|r| (r.file.path.clone(), r.others.len()))
        };
        for (host, want) in [
            ("red", "red.bay.livefilestore.com/y1pR/image.png@psid=1"),
            ("blue", "blue.bay.livefilestore.com/y1pB/image.png@psid=1"),
            ("c", "c.bay.livefilestore.com/y1pC/image76aa.png"),
            ("d", "d.bay.livefilestore.com/y1pD/image.png%3Fpsid=1"),
            ("e", "e.bay.livefilestore.com/y1pE/image.png"),
        ] {
            let dir = format!("y1p{}", host[..1].to_uppercase());
            let url = format!("http://{host}.bay.livefilestore.com/{dir}/image.png?psid=1");
            assert_eq!(r(&url), Some((want.to_string(), 0)), "{url}");
        }
        assert_eq!(
            r("../../tkfiles.storage.msn.com/x1pNoExt"),
            Some(("tkfiles.storage.msn.com/x1pNoExt".to_string(), 0))
        );
        assert_eq!(
            r("http://x.example/space/blog/page.css"),
            None,
            "style sheets are never images"
        );
    }

    #[test]
    fn joins_refuse_to_climb_out() {
        assert_eq!(join("a/b", "../c.jpg").as_deref(), Some("a/c.jpg"));
        assert_eq!(join("a", "../../c.jpg"), None);
    }
}
