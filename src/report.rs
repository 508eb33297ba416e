//! Report stage: what was converted, what was missing, what was changed.
//!
//! The same [`Report`] becomes `report.json` (for scripts and audits) and a
//! short summary on standard error (for people).

use std::fmt;

use serde::Serialize;

/// Everything a run has to say.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Program and version.
    pub tool: String,
    /// The input as given.
    pub input: String,
    /// Name of the WXR file written into the output folder.
    pub wxr_file: String,
    /// Space name the output is named after.
    pub space: String,
    /// Time zone the dates were read in, and why.
    pub timezone: String,
    /// Code page of zip entry names without the UTF-8 flag (zip inputs).
    pub zip_names: Option<String>,
    /// How the numbers add up.
    pub counts: Counts,
    /// One line per post: the manifest to check an import against.
    pub posts: Vec<PostLine>,
    /// Media bundle: one line per file.
    pub media: Vec<MediaLine>,
    /// Images referenced by posts but not found in the archive.
    pub missing_media: Vec<MissingMedia>,
    /// HTML pages that held no Spaces entry (site chrome, other sites).
    pub ignored_pages: Vec<IgnoredPage>,
    /// What sanitizing removed or changed, per post and per comment.
    pub changes: Vec<Change>,
    /// Problems that did not stop the run.
    pub warnings: Vec<Warning>,
}

/// Totals.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Files in the archive.
    pub files: usize,
    /// Files that held at least one entry.
    pub pages_with_entries: usize,
    /// Posts written.
    pub posts: usize,
    /// Comments written.
    pub comments: usize,
    /// Distinct categories.
    pub categories: usize,
    /// Attachment items (= files in the media bundle).
    pub attachments: usize,
    /// Bytes in the media bundle.
    pub media_bytes: u64,
    /// Warnings.
    pub warnings: usize,
}

/// One converted post.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PostLine {
    /// `wp:post_id`.
    pub wp_id: u64,
    /// Spaces id.
    pub spaces_id: String,
    /// Title as written.
    pub title: String,
    /// Local date.
    pub date: String,
    /// Category name.
    pub category: Option<String>,
    /// Comments written.
    pub comments: usize,
    /// Where it came from.
    pub source: String,
}

/// One bundled media file.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MediaLine {
    /// Path under `media/`.
    pub path: String,
    /// Attachment id.
    pub wp_id: u64,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// Archive files that held these bytes.
    pub sources: Vec<String>,
}

/// An image a post shows that the archive does not hold.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MissingMedia {
    /// Spaces id of the post.
    pub post: String,
    /// The reference as written.
    pub url: String,
}

/// A page that was read but held nothing to convert.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IgnoredPage {
    /// Archive path.
    pub file: String,
    /// Why nothing was taken from it.
    pub reason: String,
}

/// What sanitizing changed in one post or comment.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    /// Spaces id of the post.
    pub post: String,
    /// Comment number within the post (1-based), or none for the body.
    pub comment: Option<usize>,
    /// What was removed or converted, with counts.
    pub removed: std::collections::BTreeMap<String, u32>,
}

/// A problem that did not stop the run.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Warning {
    /// Archive file concerned (empty when archive-wide).
    pub file: String,
    /// Spaces id of the entry concerned.
    pub entry: Option<String>,
    /// Short stable code, e.g. `untitled`, `no-date`, `missing-comments`.
    pub kind: String,
    /// What happened and what was done about it.
    pub message: String,
}

impl Warning {
    /// A warning about one entry.
    pub fn entry(file: &str, entry: impl ToString, kind: &str, message: impl Into<String>) -> Self {
        Warning {
            file: file.into(),
            entry: Some(entry.to_string()),
            kind: kind.into(),
            message: message.into(),
        }
    }

    /// A warning about one file.
    pub fn file(file: &str, kind: &str, message: impl Into<String>) -> Self {
        Warning {
            file: file.into(),
            entry: None,
            kind: kind.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.counts;
        writeln!(
            f,
            "spaces2wxr: converted '{}' -> {}",
            self.input, self.wxr_file
        )?;
        writeln!(
            f,
            "  {} posts, {} comments, {} categories, {} media files ({} bytes) from {} files",
            c.posts, c.comments, c.categories, c.attachments, c.media_bytes, c.files
        )?;
        writeln!(f, "  dates read as {}", self.timezone)?;
        if let Some(names) = &self.zip_names {
            writeln!(
                f,
                "  zip entry names read as {names} (--zip-encoding to change)"
            )?;
        }
        if !self.ignored_pages.is_empty() {
            writeln!(
                f,
                "  {} HTML pages without Spaces entries were ignored (listed in report.json)",
                self.ignored_pages.len()
            )?;
        }
        if !self.missing_media.is_empty() {
            writeln!(
                f,
                "  {} images not in the archive (kept as links)",
                self.missing_media.len()
            )?;
        }
        let shown = 20;
        for w in self.warnings.iter().take(shown) {
            let entry = w
                .entry
                .as_deref()
                .map(|e| format!(" [{e}]"))
                .unwrap_or_default();
            writeln!(
                f,
                "  warning: {}{}: {} ({})",
                w.file, entry, w.message, w.kind
            )?;
        }
        if self.warnings.len() > shown {
            writeln!(
                f,
                "  … and {} more warnings in report.json",
                self.warnings.len() - shown
            )?;
        }
        Ok(())
    }
}
