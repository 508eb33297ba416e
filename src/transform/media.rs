//! Transform stage, media part: which archive file each image reference of a
//! post points at.
//!
//! References are `<img src>` and `<a href>` that lead to an image. They are
//! resolved, in this order: relative to the page's own folder; as a crawler
//! mirror keeps them (one folder per host, so `…/host/path`, with wget's
//! `?query` or `@query` kept in the name); and finally by file name anywhere
//! in the archive (a backup's `img/` folder, or an absolute Spaces/SkyDrive
//! URL whose file was saved beside the page). Several candidates are
//! decided deterministically and reported.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;
use scraper::Html;

use crate::source::FileEntry;

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

/// How a reference appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefKind {
    /// `<img src>`: the post shows it.
    Img,
    /// `<a href>` to an image (Live Writer full size, photo table link).
    Link,
}

/// One image reference in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The attribute value as written.
    pub url: String,
    /// Where it appears.
    pub kind: RefKind,
    /// `alt` text of an `<img>`.
    pub alt: String,
}

/// Every image reference of a body, in document order, without repeats.
pub fn image_refs(html: &str) -> Vec<ImageRef> {
    let doc = Html::parse_fragment(html);
    let mut out: Vec<ImageRef> = Vec::new();
    let mut seen: HashSet<(String, RefKind)> = HashSet::new();
    for el in doc.root_element().descendent_elements() {
        let v = el.value();
        let found = match v.name() {
            "img" => v
                .attr("src")
                .map(|u| (u, RefKind::Img, v.attr("alt").unwrap_or(""))),
            "a" => v
                .attr("href")
                .filter(|u| looks_like_image(u))
                .map(|u| (u, RefKind::Link, "")),
            _ => None,
        };
        let Some((url, kind, alt)) = found else {
            continue;
        };
        let url = url.trim();
        if url.is_empty() || is_inline_scheme(url) || !seen.insert((url.to_string(), kind)) {
            continue;
        }
        out.push(ImageRef {
            url: url.to_string(),
            kind,
            alt: alt.trim().to_string(),
        });
    }
    out
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
    if has_image_ext(&path) {
        return true;
    }
    let host = url_host(url).unwrap_or_default();
    MEDIA_HOSTS.iter().any(|h| host.ends_with(h)) && !host.ends_with("spaces.live.com")
}

fn has_image_ext(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| IMAGE_EXTS.contains(&e.to_ascii_lowercase().as_str()))
}

/// `http://Host:80/a/b?q#f` → `host`.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    Some(
        rest.split(['/', '?', '#'])
            .next()?
            .split(':')
            .next()?
            .to_ascii_lowercase(),
    )
}

/// The path of a URL without scheme, host, query and fragment, decoded.
fn url_path(url: &str) -> String {
    let no_frag = url.split('#').next().unwrap_or(url);
    let no_query = no_frag.split('?').next().unwrap_or(no_frag);
    let path = match no_query.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => no_query,
    };
    decode(path)
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Index of the archive's image files for resolving references.
pub struct MediaIndex<'a> {
    files: Vec<&'a FileEntry>,
    by_path: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

/// A resolved reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'a> {
    /// The archive file.
    pub file: &'a FileEntry,
    /// Other files that matched as well (the choice was not unique).
    pub others: Vec<&'a FileEntry>,
}

impl<'a> MediaIndex<'a> {
    /// Index every file whose name says it is an image.
    pub fn new(all: &'a [FileEntry]) -> Self {
        let files: Vec<&FileEntry> = all
            .iter()
            .filter(|f| has_image_ext(&strip_saved_query(f.file_name())))
            .collect();
        let mut by_path = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            by_path.insert(f.path.to_lowercase(), i);
            let name = f.file_name().to_lowercase();
            let stripped = strip_saved_query(&name);
            by_name.entry(name.clone()).or_default().push(i);
            if stripped != name {
                by_name.entry(stripped).or_default().push(i);
            }
        }
        MediaIndex {
            files,
            by_path,
            by_name,
        }
    }

    /// Resolve `url`, written in the page at archive path `page`.
    pub fn resolve(&self, url: &str, page: &str) -> Option<Resolved<'a>> {
        let url = url.trim();
        if url.contains("://") || url.starts_with("//") {
            self.absolute(url, page)
        } else {
            self.relative(url, page)
        }
    }

    fn relative(&self, url: &str, page: &str) -> Option<Resolved<'a>> {
        let path = url_path(url);
        let base = if path.starts_with('/') {
            ""
        } else {
            page.rsplit_once('/').map_or("", |(d, _)| d)
        };
        if let Some(p) = join(base, &path) {
            if let Some(&i) = self.by_path.get(&p.to_lowercase()) {
                return Some(Resolved {
                    file: self.files[i],
                    others: Vec::new(),
                });
            }
        }
        self.by_file_name(&path, page, None)
    }

    fn absolute(&self, url: &str, page: &str) -> Option<Resolved<'a>> {
        let host = url_host(url).or_else(|| {
            url.strip_prefix("//")
                .and_then(|r| r.split('/').next())
                .map(str::to_lowercase)
        })?;
        let path = url_path(url);
        // A crawler mirror keeps `…/host/path`.
        let suffix = format!("{host}{path}").to_lowercase();
        self.by_file_name(&path, page, Some(&suffix))
    }

    /// Candidates with the same file name; those under `host/path` first.
    fn by_file_name(
        &self,
        path: &str,
        page: &str,
        host_suffix: Option<&str>,
    ) -> Option<Resolved<'a>> {
        let name = path.rsplit('/').next().unwrap_or(path).to_lowercase();
        let cands = self
            .by_name
            .get(&name)
            .or_else(|| self.by_name.get(&strip_saved_query(&name)))
            .or_else(|| self.with_added_ext(&name))?;
        let mut cands: Vec<&FileEntry> = cands.iter().map(|&i| self.files[i]).collect();
        cands.sort_by(|a, b| {
            self.rank(a, page, host_suffix)
                .cmp(&self.rank(b, page, host_suffix))
        });
        cands.dedup_by(|a, b| a.path == b.path);
        let file = cands.remove(0);
        let others = cands.into_iter().filter(|o| o.size != file.size).collect();
        Some(Resolved { file, others })
    }

    /// 2005 `storage.msn.com/x1p…` URLs have no extension; crawlers add one.
    fn with_added_ext(&self, name: &str) -> Option<&Vec<usize>> {
        if name.is_empty() || has_image_ext(name) {
            return None;
        }
        IMAGE_EXTS
            .iter()
            .find_map(|e| self.by_name.get(&format!("{name}.{e}")))
    }

    /// Smaller is better: mirror path match, same top folder as the page,
    /// inside an `img` folder, shorter path, then by name.
    fn rank(
        &self,
        f: &FileEntry,
        page: &str,
        host_suffix: Option<&str>,
    ) -> (bool, bool, bool, usize, String) {
        let lower = f.path.to_lowercase();
        let mirror = host_suffix.is_some_and(|s| lower.ends_with(s));
        let top = |p: &str| p.split('/').next().unwrap_or("").to_string();
        let same_top = top(&f.path) == top(page);
        let in_img = lower.split('/').any(|s| s == "img" || s == "images");
        (!mirror, !same_top, !in_img, f.path.len(), f.path.clone())
    }
}

/// wget keeps a query in the saved name (`a.jpg?psid=1`, or `a.jpg@psid=1`
/// with Windows-safe names); compare names without it.
fn strip_saved_query(name: &str) -> String {
    for sep in ['?', '@'] {
        if let Some((head, _)) = name.split_once(sep) {
            if has_image_ext(head) {
                return head.to_string();
            }
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
    fn refs_are_found_in_order_without_repeats() {
        let html = r#"<a href="http://x.bay.livefilestore.com/y1pQ/IMG_1.JPG?psid=1" rel="WLPP"><img src="img/t.png" alt=" Thumb "></a>
            <img src="img/t.png"><a href="http://example.com/page.html">p</a><img src="data:image/png;base64,AA"><a href="img/big.gif">g</a>"#;
        let refs = image_refs(html);
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
    fn joins_refuse_to_climb_out() {
        assert_eq!(join("a/b", "../c.jpg").as_deref(), Some("a/c.jpg"));
        assert_eq!(join("a", "../../c.jpg"), None);
    }
}
