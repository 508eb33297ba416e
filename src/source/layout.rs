//! What kind of archive an input is (an official backup, an HTTrack or wget
//! mirror, a browser's saved pages), told from its file names alone.
//!
//! Nothing in the conversion depends on this: entries are found by what
//! the pages contain, whatever the layout. It is said to the user
//! (`spaces2wxr inspect`), so each kind found comes with the file that
//! showed it, and an input may show several (a mirror with a saved page
//! added by hand).

use serde::Serialize;

use super::FileEntry;

/// A kind of archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayoutKind {
    /// An HTTrack mirror: its `hts-cache/` folder.
    HttrackMirror,
    /// A wget mirror: pages saved with `-E` (`….entry.html`) or with the
    /// query in the name (`?` or `@`).
    WgetMirror,
    /// A crawler's mirror of unknown make: pages in `*.spaces.live.com/`
    /// host folders.
    CrawlerMirror,
    /// A browser's "Save page, complete": `page.htm` beside `page_files/`.
    SavedPages,
    /// The official backup (`space.zip`), one file per entry in `blog/`.
    Backup,
    /// One page holding many entries (the backup's one-file form, or a
    /// saved list page).
    OneFile,
}

impl LayoutKind {
    /// A few words for people.
    pub fn describe(self) -> &'static str {
        match self {
            LayoutKind::HttrackMirror => "HTTrack mirror",
            LayoutKind::WgetMirror => "wget mirror",
            LayoutKind::CrawlerMirror => "crawler mirror",
            LayoutKind::SavedPages => "saved pages (browser)",
            LayoutKind::Backup => "official backup, a file per entry",
            LayoutKind::OneFile => "one page holding many entries",
        }
    }
}

/// One kind an input shows, and the file that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayoutSign {
    /// The kind.
    pub kind: LayoutKind,
    /// The first file (by path) that shows it, or what does.
    pub evidence: String,
}

/// What kind of archive an input is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// `zip` or `folder`.
    pub container: &'static str,
    /// The kinds it shows, the surest first; empty when its names show
    /// none (pages saved one by one, renamed files).
    pub kinds: Vec<LayoutSign>,
}

/// Tell the layout of an input from its files' paths, and from how many
/// pages held how many entries.
pub fn classify(files: &[FileEntry], zip: bool, pages: usize, entries: usize) -> Layout {
    let mut kinds: Vec<LayoutSign> = Vec::new();
    let mut sign = |kind: LayoutKind, evidence: &str| {
        if !kinds.iter().any(|k| k.kind == kind) {
            kinds.push(LayoutSign {
                kind,
                evidence: evidence.to_string(),
            });
        }
    };
    let lower: Vec<String> = files.iter().map(|f| f.path.to_lowercase()).collect();
    // Each check sees a file (its index and lower-case path) and names the
    // file that shows the kind: itself, or for saved pages the page.
    type Check<'a> = &'a dyn Fn(usize, &str) -> Option<usize>;
    let checks: [(LayoutKind, Check<'_>); 5] = [
        (LayoutKind::HttrackMirror, &|i, p| {
            p.split('/').any(|c| c == "hts-cache").then_some(i)
        }),
        (LayoutKind::WgetMirror, &|i, p| is_wget_name(p).then_some(i)),
        (LayoutKind::CrawlerMirror, &|i, p| {
            under_host_folder(p).then_some(i)
        }),
        (LayoutKind::SavedPages, &|_, p| saved_page_of(p, &lower)),
        (LayoutKind::Backup, &|i, p| is_backup_entry(p).then_some(i)),
    ];
    for (kind, check) in checks {
        let found = lower.iter().enumerate().find_map(|(i, p)| check(i, p));
        if let Some(i) = found {
            // The evidence is the path as written.
            sign(kind, &files[i].path);
        }
    }
    if pages == 1 && entries > 1 {
        sign(
            LayoutKind::OneFile,
            &format!("{entries} entries in one page"),
        );
    }
    // A named crawler says more than its host folders.
    let named = kinds
        .iter()
        .any(|k| matches!(k.kind, LayoutKind::HttrackMirror | LayoutKind::WgetMirror));
    if named {
        kinds.retain(|k| k.kind != LayoutKind::CrawlerMirror);
    }
    Layout {
        container: if zip { "zip" } else { "folder" },
        kinds,
    }
}

/// A page name wget gives: `-E` added `.html` to another extension
/// (`cns!…!401.entry.html`, `default.aspx.html`), or the query kept in the
/// name (`…entry?_c=BlogPart.html`, `…entry@_c=BlogPart.html`).
fn is_wget_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some(stem) = name.strip_suffix(".html") else {
        return false;
    };
    stem.contains(['?', '@']) || stem.ends_with(".entry") || stem.ends_with(".aspx")
}

/// Does the path lie in a Spaces host folder (`name.spaces.live.com/…`)?
fn under_host_folder(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts
        .iter()
        .any(|c| c.ends_with(".spaces.live.com") || c.ends_with(".spaces.msn.com"))
}

/// For a file in `page_files/`, the index in `all` of the saved page
/// beside that folder (`page.htm` or `page.html`), if the input holds it.
fn saved_page_of(path: &str, all: &[String]) -> Option<usize> {
    let (dir, _) = path.rsplit_once('/')?;
    let folder_start = dir.rfind('/').map_or(0, |i| i + 1);
    let stem = dir[folder_start..].strip_suffix("_files")?;
    let parent = &dir[..folder_start];
    ["htm", "html"].iter().find_map(|ext| {
        let page = format!("{parent}{stem}.{ext}");
        all.iter().position(|p| *p == page)
    })
}

/// `…/blog/cns!OWNER!N.html` outside any host folder: the backup's one
/// file per entry.
fn is_backup_entry(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or_default();
    let folder = parts.next().unwrap_or_default();
    folder == "blog"
        && name.starts_with("cns!")
        && (name.ends_with(".html") || name.ends_with(".htm"))
        && !under_host_folder(path)
        && !is_wget_name(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(paths: &[&str], pages: usize, entries: usize) -> Vec<LayoutKind> {
        let files: Vec<FileEntry> = paths.iter().map(|p| FileEntry::for_test(p, 1)).collect();
        classify(&files, false, pages, entries)
            .kinds
            .into_iter()
            .map(|k| k.kind)
            .collect()
    }

    #[test]
    fn tells_the_layouts_apart() {
        let backup = [
            "demo/blog/cns!D2C0FFEE12345678!101.html",
            "demo/img/a.jpg",
            "demo/index.html",
        ];
        assert_eq!(kinds(&backup, 1, 1), [LayoutKind::Backup]);
        let httrack = [
            "hts-cache/new.txt",
            "demo.spaces.live.com/blog/cns!D2C0FFEE12345678!5012f3a.html",
        ];
        assert_eq!(kinds(&httrack, 1, 1), [LayoutKind::HttrackMirror]);
        let wget = ["demo.spaces.live.com/blog/cns!D2C0FFEE12345678!401.entry.html"];
        assert_eq!(kinds(&wget, 1, 1), [LayoutKind::WgetMirror]);
        let other = ["demo.spaces.live.com/blog/cns!D2C0FFEE12345678!401.html"];
        assert_eq!(kinds(&other, 2, 2), [LayoutKind::CrawlerMirror]);
        let saved = ["日志 - demo.htm", "日志 - demo_files/photo.jpg"];
        assert_eq!(kinds(&saved, 1, 1), [LayoutKind::SavedPages]);
        assert_eq!(
            kinds(&["blog.html", "img/lake.png"], 1, 4),
            [LayoutKind::OneFile]
        );
        assert!(kinds(&["page.htm"], 1, 1).is_empty());
    }
}
