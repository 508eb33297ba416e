//! [`convert`]: the whole pipeline for one archive.

use std::path::Path;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::media::{self, MediaOutcome};
use crate::output::manifest::{MANIFEST_FILE, MEDIA_DIR, REPORT_FILE};
use crate::output::names::{file_safe, first_wxr_name, space_name};
use crate::output::outdir::check_overlap;
use crate::output::outdir::{OutDir, Policy};
use crate::output::write;
use crate::output::write_json;
use crate::parse::feed::FeedItem;
use crate::parse::pages;
use crate::parse::pages::nothing_found;
use crate::plan::{self, PlanSettings};
use crate::progress::{Progress, Stage};
use crate::render::Renderer;
use crate::report::{Counts, Outputs, Report, Summary, Warning, WarningKind, Warnings};
use crate::source::Archive;
use crate::store::text::Spool;

/// Convert the archive `cfg.input` into `cfg.out_dir`.
///
/// One blog in the input writes `OUT/<space>.xml`, `OUT/media/` and
/// `OUT/report.json`. Several blogs (entries of different owners or hosts)
/// are never merged: each gets `OUT/<space>/` with its own WXR, media and
/// report, and `OUT/summary.json` lists them; so does a run over several
/// inputs ([`Config::more_inputs`]) or a shard ([`Config::shard`]). Such a
/// batch converts its blogs in parallel, and a blog that fails is listed in
/// the summary's `failed` while the others are written.
///
/// The output folder is locked for the whole run and changed only at the
/// end, all at once (`OutDir::commit`); any error before that leaves it
/// as it was.
pub fn convert(cfg: &Config) -> Result<Summary> {
    convert_with(cfg, &crate::progress::Silent)
}

/// [`convert`], telling `progress` how far each stage is.
///
/// Several inputs ([`Config::more_inputs`]) or a shard ([`Config::shard`])
/// make a batch: see `batch.rs`.
pub fn convert_with(cfg: &Config, progress: &dyn Progress) -> Result<Summary> {
    for input in cfg.inputs() {
        check_overlap(input, &cfg.out_dir)?;
    }
    let policy = Policy {
        force: cfg.force,
        replace_media: cfg.replace_media,
    };
    let out = OutDir::open(&cfg.out_dir, policy)?;
    if cfg.is_batch() {
        return crate::batch::convert_batch(cfg, out, None);
    }
    let input = read_input(cfg, progress)?;
    if input.spaces.len() > 1 {
        return crate::batch::convert_batch(cfg, out, Some(input));
    }
    let Input {
        archive,
        spool,
        spaces,
        feed,
        ignored,
        warnings,
        ..
    } = input;
    let shared = Shared {
        archive: &archive,
        spool: &spool,
        feed: &feed,
        several: false,
        progress,
    };
    let space = spaces.into_iter().next().expect("one space");
    let name = space_name(space.host.as_deref(), &cfg.input);
    out.claim(&first_wxr_name(cfg.max_wxr_size.is_some(), &name))?;
    let found = Found {
        dir: String::new(),
        ignored,
        warnings,
    };
    let report = convert_space(cfg, &shared, space, name, out.work(), found)?;
    let mut names: Vec<&str> = report
        .outputs
        .wxr_parts
        .iter()
        .map(String::as_str)
        .collect();
    if names.is_empty() {
        names.push(&report.wxr_file);
    }
    names.push(REPORT_FILE);
    out.commit(&names, &[MEDIA_DIR])?;
    Ok(Summary::one(report))
}

/// What the read stages found in an input, before any space is planned.
pub(crate) struct Input {
    /// The archive, open.
    pub archive: Archive,
    /// Where the entries' HTML waits.
    pub spool: Spool,
    /// Its blogs, at least one.
    pub spaces: Vec<pages::Space>,
    /// Items of its feeds.
    pub feed: Vec<FeedItem>,
    /// HTML pages that held no entry.
    pub ignored: crate::store::records::Log<crate::report::IgnoredPage>,
    /// Warnings about the input as a whole so far.
    pub warnings: Warnings,
    /// Files that held at least one entry.
    pub pages: usize,
    /// Entries found, before duplicates are merged.
    pub entries: usize,
    /// Pages that held entries, by the character set they were read in.
    pub encodings: std::collections::BTreeMap<&'static str, usize>,
}

/// The read stages shared by `convert` and `inspect`: open the archive
/// (source), read every page (parse), sort the entries into blogs. An input
/// without a single entry is an error saying what it holds instead.
pub(crate) fn read_input(cfg: &Config, progress: &dyn Progress) -> Result<Input> {
    let archive = Archive::open(&cfg.input, cfg.zip_encoding, cfg.limits)?;
    let archive = match &cfg.media_from {
        Some(dir) => archive.with_media_from(Archive::open(dir, cfg.zip_encoding, cfg.limits)?),
        None => archive,
    };
    let mut warnings = Warnings::new();
    warnings.extend(
        archive
            .failed_captures()
            .iter()
            .map(|c| Warning::file(&c.url, WarningKind::CaptureStatus, c.detail.clone())),
    );
    warnings.extend(
        archive
            .skipped()
            .iter()
            .map(|s| Warning::file(&s.path, WarningKind::SkippedFile, s.reason.clone())),
    );
    // Parsed HTML waits on disk for its post to be written; without a usable
    // temporary folder it simply stays in memory.
    let spool = Spool::new();
    let mut found = pages::read_pages(&archive, &spool, &mut warnings, progress)?;
    archive.verify()?;
    let albums = crate::parse::albums::add_albums(&mut found, &mut warnings, &spool)
        .map_err(|source| Error::Spool { source })?;
    if found.entries.is_empty() {
        return Err(nothing_found(&cfg.input, &archive, &warnings));
    }
    let pages = found.pages;
    let entries = found.entries.keys.len();
    let encodings = std::mem::take(&mut found.encodings);
    let (spaces, feed, ignored) = found
        .into_spaces()
        .map_err(|source| Error::Spool { source })?;
    pages::report_feed_items(&feed, &albums, &mut warnings);
    Ok(Input {
        archive,
        spool,
        spaces,
        feed,
        ignored,
        warnings,
        pages,
        entries,
        encodings,
    })
}

/// What every space of one input shares.
pub(crate) struct Shared<'a> {
    /// The archive.
    pub archive: &'a Archive,
    /// Where the entries' HTML waits.
    pub spool: &'a Spool,
    /// Items of the input's feeds.
    pub feed: &'a [FeedItem],
    /// Does the input hold several spaces?
    pub several: bool,
    /// Told how far each stage is.
    pub progress: &'a dyn Progress,
}

/// Choose a space's time zone and plan its posts (dates, ids, titles,
/// comments), as `convert` and `inspect` both do.
pub(crate) fn plan_space(
    cfg: &Config,
    shared: &Shared<'_>,
    host: Option<&str>,
    entries: crate::plan::keys::Entries,
    signals: &crate::parse::market::Signals,
    warnings: &mut Warnings,
) -> Result<(crate::parse::market::ZoneChoice, plan::Plan)> {
    // An explicit --timezone always wins; else the pages' market decides.
    let zone = match &cfg.timezone {
        Some(given) => given.choice(),
        None => crate::parse::market::choose(signals),
    };
    pages::report_feed_only(shared.feed, &entries, shared.several, warnings);
    let settings = PlanSettings {
        zone: zone.source_zone,
        crawl_date: cfg.crawl_date,
        host,
        feed: shared.feed,
    };
    let plan =
        plan::plan(entries, &settings, warnings).map_err(|source| Error::Spool { source })?;
    Ok((zone, plan))
}

/// What the page step found that belongs to a space's report.
pub(crate) struct Found {
    /// Folder of the space inside the output folder ("" for the folder
    /// itself).
    pub dir: String,
    /// HTML pages without entries (of the input, when it holds one space).
    pub ignored: crate::store::records::Log<crate::report::IgnoredPage>,
    /// Warnings found before planning.
    pub warnings: Warnings,
}

/// Plan, bundle and write one space into `out`.
pub(crate) fn convert_space(
    cfg: &Config,
    shared: &Shared<'_>,
    space_in: pages::Space,
    space: String,
    out: &Path,
    found: Found,
) -> Result<Report> {
    let Found {
        dir,
        ignored,
        mut warnings,
    } = found;
    let pages::Space {
        host,
        owners,
        entries,
        pages,
        signals,
    } = space_in;
    let archive = shared.archive;
    let spool = shared.spool;
    let (zone, plan) = plan_space(
        cfg,
        shared,
        host.as_deref(),
        entries,
        &signals,
        &mut warnings,
    )?;
    // Everything is written inside the run's work folder first, and moved
    // into the output folder at the end ([`OutDir::commit`]).
    let media_dir = out.join(MEDIA_DIR);
    if !media_dir.is_dir() {
        std::fs::create_dir(&media_dir).map_err(|e| Error::write(&media_dir, e))?;
    }
    let missing_comments = plan.missing_comments;
    let progress = shared.progress;
    progress.begin(Stage::Media, plan.keys.len() as u64);
    let media = media::bundle_media(
        archive,
        &plan,
        cfg,
        Some(&media_dir),
        &mut warnings,
        progress,
    );
    progress.end();
    let media = media?;
    archive.verify()?;
    let target = write::Target {
        space: &space,
        host: host.as_deref(),
    };
    let renderer = Renderer::new(cfg, &plan, &media, host.as_deref(), spool);
    let posts = renderer.posts().inspect(|chunk| {
        if let Ok(c) = chunk {
            progress.advance(c.len() as u64);
        }
    });
    progress.begin(Stage::Posts, plan.keys.len() as u64);
    let written = write::write_wxr(cfg, out, &file_safe(&space), &target, &plan, posts, &media);
    progress.end();
    let mut written = written?;
    let wxr_file = written.files.first().cloned().unwrap_or_default();
    warnings.extend(written.size_warnings.drain(..));
    for loss in written.losses.iter() {
        warnings.push(loss.map_err(|source| Error::Spool { source })?);
    }
    if written.stripped > 0 {
        let msg = format!(
            "{} characters not allowed in XML were removed",
            written.stripped
        );
        warnings.push(Warning::file("", WarningKind::XmlChars, msg));
    }
    let outcome = Outcome {
        zone,
        dir,
        pages,
        ignored,
        wxr_file,
        space,
        host,
        owners,
        written,
        media,
        missing_comments,
        warnings,
    };
    let report = build_report(cfg, archive, outcome);
    write_json(&out.join(REPORT_FILE), &report)?;
    Ok(report)
}

/// Distinct names for several spaces: the host's first label, else
/// `cid-<owner in lower-case hex>`; a name taken twice gets `-2`, `-3`.
pub(crate) fn space_names(spaces: &[pages::Space]) -> Vec<String> {
    names_of(
        spaces
            .iter()
            .map(|s| (s.host.as_deref(), s.owners.first().map(String::as_str))),
    )
}

/// [`space_names`] from each space's host and first owner.
pub(crate) fn names_of<'a>(
    keys: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    keys.map(|key| {
        let base = match key {
            (Some(h), _) => h.split('.').next().unwrap_or(h).to_string(),
            (None, Some(o)) if o.chars().all(|c| c.is_ascii_hexdigit()) => {
                format!("cid-{:0>16}", o.to_ascii_lowercase())
            }
            (None, Some(o)) => o.to_string(),
            (None, None) => "space".into(),
        };
        let mut name = base.clone();
        let mut k = 2;
        while !taken.insert(file_safe(&name).to_ascii_lowercase()) {
            name = format!("{base}-{k}");
            k += 1;
        }
        name
    })
    .collect()
}

/// Everything a finished run hands to the report.
struct Outcome {
    zone: crate::parse::market::ZoneChoice,
    dir: String,
    pages: usize,
    ignored: crate::store::records::Log<crate::report::IgnoredPage>,
    wxr_file: String,
    space: String,
    host: Option<String>,
    owners: Vec<String>,
    written: write::Written,
    media: MediaOutcome,
    missing_comments: usize,
    warnings: Warnings,
}

fn build_report(cfg: &Config, archive: &Archive, o: Outcome) -> Report {
    let Outcome {
        zone,
        dir,
        pages,
        ignored,
        wxr_file,
        space,
        host,
        owners,
        written,
        media,
        missing_comments,
        warnings,
    } = o;
    let in_dir = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    let wxr_parts = if written.split {
        written.files.iter().map(|f| in_dir(f)).collect()
    } else {
        Vec::new()
    };
    let outputs = Outputs {
        wxr: in_dir(&wxr_file),
        wxr_parts,
        report: in_dir(REPORT_FILE),
        media_dir: in_dir(MEDIA_DIR),
        media_files: media.attachments.len(),
        manifest: MANIFEST_FILE.to_string(),
    };
    let counts = Counts {
        files: archive.files().len(),
        pages_with_entries: pages,
        posts: written.lines.len(),
        comments: written.comments,
        missing_comments,
        categories: written.categories,
        attachments: media.attachments.len(),
        media_bytes: media.bytes,
        warnings: warnings.len(),
    };
    Report {
        tool: concat!("spaces2wxr ", env!("CARGO_PKG_VERSION")).to_string(),
        input: cfg.input.display().to_string(),
        wxr_file,
        space,
        dir,
        host,
        owners,
        site_url: cfg.site_url.clone(),
        media_url: cfg.media_url.clone(),
        outputs,
        timezone: zone,
        zip_names: archive.name_codec().map(|c| c.label()),
        counts,
        accounting: written.books,
        posts: written.lines,
        media: media.lines,
        missing_media: media.missing,
        ignored_pages: ignored,
        changes: written.changes,
        warnings,
    }
}
