//! Capture times of files that Wayback Machine downloaders saved (see
//! `shared/docs/web-archives.md` §2): their pages hold the original bytes,
//! without the toolbar that would name the capture, so the time comes from
//! beside them:
//!
//! - the fork of wayback_machine_downloader keeps its CDX list in
//!   `.cdx.json` (`[[timestamp, original URL], …]`) at the tree's top; the
//!   file each address was saved under is derived as the tool does (query
//!   hashed into `__q<12 hex>`, `…/index.html` for folders), and the newest
//!   capture of an address is the one it downloaded;
//! - pywaybackup writes `waybackup_<url>.csv` with the columns `file`,
//!   `timestamp`, `url_origin`, `response`, `redirect_url`; a row whose
//!   response is a redirect is reported;
//! - waybackpack (`<timestamp>/<host>/…`) and the all-timestamps modes of
//!   the downloaders put the capture's 14-digit timestamp in a folder name.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::wayback::{capture_time, NotContent};
use crate::source::{Archive, FileEntry};

/// Sidecar files larger than this are not read.
const MAX_SIDECAR: u64 = 64 << 20;

/// Capture times of the archive's files, by archive path.
#[derive(Debug, Default)]
pub struct Captures {
    by_path: HashMap<String, NaiveDateTime>,
    /// Captures the downloader's list says were redirects, with the file
    /// (or address) they concern.
    pub redirects: Vec<(String, NotContent)>,
}

impl Captures {
    /// Read the downloaders' lists found in the archive.
    pub fn read(archive: &Archive) -> Self {
        let mut out = Captures::default();
        let files = archive.files();
        let paths: HashMap<&str, &FileEntry> = files.iter().map(|f| (f.path.as_str(), f)).collect();
        for f in files {
            let name = f.file_name();
            let is_cdx = name == ".cdx.json";
            let is_csv = name.starts_with("waybackup_") && name.ends_with(".csv");
            if !(is_cdx || is_csv) || f.size > MAX_SIDECAR {
                continue;
            }
            let Ok(bytes) = archive.read(f, MAX_SIDECAR) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let root = f.path.rsplit_once('/').map_or("", |(d, _)| d);
            if is_cdx {
                out.learn_cdx(root, &text, &paths);
            } else {
                out.learn_csv(&text, files);
            }
        }
        out
    }

    /// When the file at `path` was captured: as its downloader's list says,
    /// else as a 14-digit folder of its path says.
    pub fn time_of(&self, path: &str) -> Option<NaiveDateTime> {
        self.by_path
            .get(path)
            .copied()
            .or_else(|| path.split('/').rev().skip(1).find_map(capture_time))
    }

    fn learn_cdx(&mut self, root: &str, text: &str, paths: &HashMap<&str, &FileEntry>) {
        let Ok(rows) = serde_json::from_str::<Vec<serde_json::Value>>(text) else {
            return;
        };
        let mut newest: HashMap<String, NaiveDateTime> = HashMap::new();
        for row in rows {
            let (ts, url) = match &row {
                serde_json::Value::Array(a) => (a.first(), a.get(1)),
                serde_json::Value::Object(o) => (
                    o.get("timestamp"),
                    o.get("original").or_else(|| o.get("file_url")),
                ),
                _ => continue,
            };
            let (Some(ts), Some(url)) = (ts.and_then(|v| v.as_str()), url.and_then(|v| v.as_str()))
            else {
                continue;
            };
            let (Some(time), Some(id)) = (capture_time(ts), fork_file_id(url)) else {
                continue;
            };
            let slot = newest.entry(id).or_insert(time);
            *slot = (*slot).max(time);
        }
        let join = |p: &str| {
            if root.is_empty() {
                p.to_string()
            } else {
                format!("{root}/{p}")
            }
        };
        for (id, time) in newest {
            for p in [join(&id), join(&format!("{id}/index.html"))] {
                let p = p.trim_end_matches('/').replace("//", "/");
                if paths.contains_key(p.as_str()) {
                    self.by_path.insert(p, time);
                }
            }
        }
    }

    fn learn_csv(&mut self, text: &str, files: &[FileEntry]) {
        let mut rows = text.lines().map(csv_fields);
        let Some(header) = rows.next() else { return };
        let col = |name: &str| header.iter().position(|h| h.trim() == name);
        let (Some(file_col), Some(ts_col)) = (col("file"), col("timestamp")) else {
            return;
        };
        let url_col = col("url_origin");
        let resp_col = col("response");
        let redirect_col = col("redirect_url");
        for row in rows {
            let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(|s| s.trim().to_string());
            let file = get(Some(file_col)).unwrap_or_default().replace('\\', "/");
            let response = get(resp_col).unwrap_or_default();
            let found = archive_file(&file, files);
            if response.starts_with('3') {
                let target = get(redirect_col).filter(|t| !t.is_empty());
                let about = found
                    .map(|f| f.path.clone())
                    .or_else(|| get(url_col))
                    .unwrap_or(file);
                self.redirects.push((
                    about,
                    NotContent::Redirect {
                        status: response,
                        target,
                    },
                ));
                continue;
            }
            if let (Some(f), Some(t)) = (found, get(Some(ts_col)).as_deref().and_then(capture_time))
            {
                self.by_path.insert(f.path.clone(), t);
            }
        }
    }
}

/// The archive file a list names by the path it had on the downloading
/// machine: the one whose whole path is the longest tail of it.
fn archive_file<'a>(listed: &str, files: &'a [FileEntry]) -> Option<&'a FileEntry> {
    let listed = listed.trim_start_matches("./");
    if listed.is_empty() {
        return None;
    }
    files
        .iter()
        .filter(|f| {
            listed == f.path
                || listed
                    .strip_suffix(f.path.as_str())
                    .is_some_and(|head| head.ends_with('/'))
                || f.path
                    .strip_suffix(listed)
                    .is_some_and(|head| head.ends_with('/'))
        })
        .min_by_key(|f| (f.path.len(), f.path.clone()))
}

/// The fields of one CSV line (RFC 4180 quoting, no line breaks inside).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

/// The file id the fork of wayback_machine_downloader (2.4) gives an
/// address: the path after the host, percent-decoded until stable, the
/// query replaced by `__q` and 12 hex digits of its SHA-256 before the
/// last `.` (or at the end), slashes collapsed, no leading slash.
pub fn fork_file_id(url: &str) -> Option<String> {
    let after = url.split_once("://").map_or(url, |(_, a)| a);
    let tail = after.split_once('/').map_or("", |(_, t)| t);
    let tail = tail.split('#').next().unwrap_or(tail);
    let mut raw = tail.to_string();
    loop {
        let decoded = crate::web::decode(&raw);
        if decoded == raw {
            break;
        }
        raw = decoded;
    }
    let (mut path, query) = match raw.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (raw, None),
    };
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        let digest = Sha256::digest(q.as_bytes());
        let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        path = match path.rsplit_once('.') {
            Some((pre, post)) => format!("{pre}__q{hex}.{post}"),
            None => format!("{path}__q{hex}"),
        };
    }
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fork_names() {
        assert_eq!(
            fork_file_id("http://demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!101.entry")
                .as_deref(),
            Some("blog/cns!D2C0FFEE12345678!101.entry")
        );
        let id =
            fork_file_id("http://demo-space.spaces.live.com/Blog/cns%21X%21101.entry?_c=blogpart")
                .expect("id");
        assert!(
            id.starts_with("Blog/cns!X!101__q") && id.ends_with(".entry"),
            "{id}"
        );
        assert_eq!(id.len(), "Blog/cns!X!101__q".len() + 12 + ".entry".len());
        assert_eq!(fork_file_id("http://h/").as_deref(), Some(""));
    }

    #[test]
    fn csv_lines() {
        assert_eq!(
            csv_fields(r#"a,"b,c","d ""e""",,"#),
            ["a", "b,c", "d \"e\"", "", ""]
        );
    }

    #[test]
    fn timestamp_folders() {
        let c = Captures::default();
        assert_eq!(
            c.time_of("pack/20090301120000/demo.spaces.live.com/blog/x.entry")
                .map(|t| t.to_string())
                .as_deref(),
            Some("2009-03-01 12:00:00")
        );
        assert_eq!(c.time_of("20090301120000"), None);
        assert_eq!(c.time_of("a/12345/b.html"), None);
    }
}
