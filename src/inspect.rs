//! [`inspect`]: what an archive holds and what a conversion would make of
//! it, without writing anything.
//!
//! It runs the read stages of [`crate::convert()`] itself (source, pages,
//! plan, and media resolution as a dry run: each image the posts use is
//! found, read, hashed and sniffed, never copied), so its numbers are the
//! ones `convert` then reports. The only files it touches are the
//! temporary ones every run keeps its entries in, unlinked in the system's
//! temporary folder.

use std::collections::BTreeMap;
use std::io;

use serde::Serialize;

use crate::config::Config;
use crate::convert::{plan_space, read_input, space_names, Input, Shared};
use crate::error::{Error, Result};
use crate::media;
use crate::output::names::space_name;
use crate::parse::market::ZoneChoice;
use crate::plan::Plan;
use crate::progress::{Progress, Stage};
use crate::report::Warnings;
use crate::source::layout::{self, Layout};

/// What an archive holds, as `spaces2wxr inspect` shows it.
#[derive(Debug, Serialize)]
pub struct Inspection {
    /// Program and version.
    pub tool: String,
    /// The input as given.
    pub input: String,
    /// What kind of archive it is.
    pub layout: Layout,
    /// Files in the archive (readable ones; skipped ones are warnings).
    pub files: usize,
    /// Code page of zip entry names without the UTF-8 flag (zip only).
    pub zip_names: Option<String>,
    /// Files that held at least one entry.
    pub pages_with_entries: usize,
    /// Entries found, before the same entry on several pages is merged.
    pub entries_found: usize,
    /// HTML pages that held no entry.
    pub ignored_pages: usize,
    /// Items of `feed.rss` files.
    pub feed_items: usize,
    /// Pages that held entries, by the character set they were read in.
    pub encodings: BTreeMap<String, usize>,
    /// One line per blog, in the order `convert` writes them.
    pub spaces: Vec<SpaceInspection>,
    /// Warnings about the input as a whole (files skipped or unreadable,
    /// encodings, feed items); each space has its own.
    pub warnings: Warnings,
}

/// One blog of the input.
#[derive(Debug, Serialize)]
pub struct SpaceInspection {
    /// Its name: the output's `<space>.xml` (and folder, with several).
    pub space: String,
    /// Its host, when a page shows it.
    pub host: Option<String>,
    /// Its owner ids.
    pub owners: Vec<String>,
    /// Files that held its entries.
    pub pages: usize,
    /// Posts a conversion writes.
    pub posts: usize,
    /// Its oldest and newest post (local time, `YYYY-MM-DD HH:MM:SS`).
    pub dates: Option<DateRange>,
    /// Its comments.
    pub comments: CommentCounts,
    /// The images its posts show.
    pub images: ImageCounts,
    /// The zone its dates are read in, and why.
    pub timezone: ZoneChoice,
    /// Warnings a conversion raises before writing (reading, dating and
    /// finding images); the writing step may add `lost-*` and `xml-chars`.
    pub warnings: Warnings,
}

/// The oldest and newest post of a blog.
#[derive(Debug, Serialize)]
pub struct DateRange {
    /// Oldest post.
    pub first: String,
    /// Newest post.
    pub last: String,
}

/// A blog's comments.
#[derive(Debug, Default, Serialize)]
pub struct CommentCounts {
    /// Comments the archive holds (all are converted).
    pub held: usize,
    /// Comments the pages declare, over the posts that declare a count.
    pub declared: usize,
    /// Comments declared but not held (`missing-comments` warnings).
    pub missing: usize,
}

/// The images a blog's posts show.
#[derive(Debug, Default, Serialize)]
pub struct ImageCounts {
    /// Distinct files in the archive that would be bundled.
    pub local: usize,
    /// Their size in bytes.
    pub local_bytes: u64,
    /// Image references whose file is not in the archive (or is not an
    /// image), as `missing_media` lists them.
    pub missing: usize,
}

/// Inspect the archive `cfg.input`. Reads `input`, `zip_encoding`,
/// `limits`, `timezone` and `crawl_date` of the config; never `out_dir`.
pub fn inspect(cfg: &Config) -> Result<Inspection> {
    inspect_with(cfg, &crate::progress::Silent)
}

/// [`inspect`], telling `progress` how far each stage is.
pub fn inspect_with(cfg: &Config, progress: &dyn Progress) -> Result<Inspection> {
    let Input {
        archive,
        spool,
        spaces,
        feed,
        ignored,
        warnings,
        pages,
        entries,
        encodings,
    } = read_input(cfg, progress)?;
    let shared = Shared {
        archive: &archive,
        spool: &spool,
        feed: &feed,
        several: spaces.len() > 1,
        progress,
    };
    let names = if shared.several {
        space_names(&spaces)
    } else {
        vec![space_name(
            spaces.first().and_then(|s| s.host.as_deref()),
            &cfg.input,
        )]
    };
    let mut lines = Vec::with_capacity(spaces.len());
    for (space, name) in spaces.into_iter().zip(names) {
        lines.push(inspect_space(cfg, &shared, space, name)?);
    }
    Ok(Inspection {
        tool: concat!("spaces2wxr ", env!("CARGO_PKG_VERSION")).to_string(),
        input: cfg.input.display().to_string(),
        layout: layout::classify(
            archive.files(),
            archive.name_codec().is_some(),
            pages,
            entries,
        ),
        files: archive.files().len(),
        zip_names: archive.name_codec().map(|c| c.label()),
        pages_with_entries: pages,
        entries_found: entries,
        ignored_pages: ignored.len(),
        feed_items: feed.len(),
        encodings: encodings
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        spaces: lines,
        warnings,
    })
}

/// Plan one space and resolve its images, writing nothing.
fn inspect_space(
    cfg: &Config,
    shared: &Shared<'_>,
    space: crate::parse::pages::Space,
    name: String,
) -> Result<SpaceInspection> {
    let mut warnings = Warnings::new();
    let host = space.host;
    let (timezone, plan) = plan_space(
        cfg,
        shared,
        host.as_deref(),
        space.entries,
        &space.signals,
        &mut warnings,
    )?;
    let progress = shared.progress;
    progress.begin(Stage::Media, plan.keys.len() as u64);
    let media = media::bundle_media(shared.archive, &plan, cfg, None, &mut warnings, progress);
    progress.end();
    let media = media?;
    shared.archive.verify()?;
    let comments = count_comments(&plan).map_err(|source| Error::Spool { source })?;
    Ok(SpaceInspection {
        space: name,
        host,
        owners: space.owners,
        pages: space.pages,
        posts: plan.keys.len(),
        dates: date_range(&plan),
        comments,
        images: ImageCounts {
            local: media.attachments.len(),
            local_bytes: media.bytes,
            missing: media.missing.len(),
        },
        timezone,
        warnings,
    })
}

/// The oldest and newest post date of a plan.
fn date_range(plan: &Plan) -> Option<DateRange> {
    let first = plan.keys.iter().map(|k| k.date).min()?;
    let last = plan.keys.iter().map(|k| k.date).max()?;
    let fmt = |d: chrono::NaiveDateTime| d.format("%Y-%m-%d %H:%M:%S").to_string();
    Some(DateRange {
        first: fmt(first),
        last: fmt(last),
    })
}

/// Comments held and declared over a plan's posts.
fn count_comments(plan: &Plan) -> io::Result<CommentCounts> {
    let mut c = CommentCounts {
        missing: plan.missing_comments,
        ..CommentCounts::default()
    };
    for k in &plan.keys {
        let p = plan.load(k)?;
        c.held += p.post.comments.len();
        c.declared += p.declared_comments.unwrap_or(0) as usize;
    }
    Ok(c)
}
