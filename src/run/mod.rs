//! [`convert`]: the whole pipeline for one archive.

mod media;
mod pages;
mod write;

use std::path::Path;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::atomic;
use crate::report::{Counts, Report, Warning, Warnings};
use crate::source::Archive;
use crate::spool::Spool;
use crate::transform::{self, PlanSettings};
use media::MediaOutcome;

/// Convert the archive `cfg.input` into `cfg.out_dir`.
pub fn convert(cfg: &Config) -> Result<Report> {
    let archive = Archive::open(&cfg.input, cfg.zip_encoding, cfg.limits)?;
    check_overlap(&cfg.input, &cfg.out_dir)?;
    let mut warnings = Warnings::new();
    warnings.extend(
        archive
            .skipped()
            .iter()
            .map(|s| Warning::file(&s.path, "skipped-file", s.reason.clone())),
    );
    // Parsed HTML waits on disk for its post to be written; without a usable
    // temporary folder it simply stays in memory.
    let spool = Spool::new().ok();
    let found = pages::read_pages(&archive, spool.as_ref(), &mut warnings)?;
    archive.verify()?;
    if found.entries.is_empty() {
        return Err(nothing_found(&cfg.input, archive.files().len(), &warnings));
    }
    atomic::prepare_out_dir(&cfg.out_dir, cfg.force)?;
    // The bundle is built beside the final folder and swapped in at the end:
    // an earlier `media` (or a link planted in its place) is never written
    // through, and an interrupted run leaves the previous bundle whole.
    let new_media = atomic::NewDir::create(&cfg.out_dir.join("media"))?;
    let host = found.main_host();
    let space = space_name(host.as_deref(), &cfg.input);
    let pages::Pages {
        entries,
        pages,
        feed,
        ignored,
        ..
    } = found;
    pages::report_feed(&feed, &entries, &mut warnings);
    let settings = PlanSettings {
        zone: cfg.timezone,
        crawl_date: cfg.crawl_date,
        host: host.as_deref(),
        feed: &feed,
        spool: spool.as_ref(),
    };
    let plan = transform::plan(entries, &settings, &mut warnings)
        .map_err(|source| Error::Spool { source })?;
    let media = media::bundle_media(
        &archive,
        &plan,
        cfg,
        new_media.path(),
        spool.as_ref(),
        &mut warnings,
    )?;
    archive.verify()?;
    let wxr_file = format!("{}.xml", file_safe(&space));
    let target = write::Target {
        space: &space,
        host: host.as_deref(),
        spool: spool.as_ref(),
    };
    let wxr_path = cfg.out_dir.join(&wxr_file);
    let written = write::write_wxr(cfg, &wxr_path, &target, &plan, &media, || {
        new_media.commit()
    })?;
    if written.stripped > 0 {
        let msg = format!(
            "{} characters not allowed in XML were removed",
            written.stripped
        );
        warnings.push(Warning::file("", "xml-chars", msg));
    }
    let outcome = Outcome {
        pages,
        ignored,
        wxr_file,
        space,
        written,
        media,
        warnings,
    };
    let report = build_report(cfg, &archive, outcome);
    write_report(&cfg.out_dir, &report)?;
    Ok(report)
}

fn check_overlap(input: &Path, out: &Path) -> Result<()> {
    let (Ok(i), Some(o)) = (input.canonicalize(), absolute_lenient(out)) else {
        return Ok(());
    };
    if i.is_dir() && (o.starts_with(&i) || i.starts_with(&o)) {
        return Err(Error::OutputOverlapsInput {
            out: out.to_path_buf(),
            input: input.to_path_buf(),
        });
    }
    Ok(())
}

/// Canonical form of a path that may not exist yet.
fn absolute_lenient(p: &Path) -> Option<std::path::PathBuf> {
    if let Ok(c) = p.canonicalize() {
        return Some(c);
    }
    let parent = p
        .parent()
        .filter(|x| !x.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(absolute_lenient(parent)?.join(p.file_name()?))
}

fn nothing_found(input: &Path, files: usize, warnings: &Warnings) -> Error {
    let seen = if warnings.count("wordpress-export") > 0 {
        "; it is already a WordPress export (WXR): import it directly".to_string()
    } else if warnings.count("private-space") > 0 {
        "; only \"Space Not Available\" pages of a private space were found".to_string()
    } else {
        String::new()
    };
    let deep = warnings.count("too-deep");
    let seen = match deep {
        0 => seen,
        n => format!("{seen}; {n} pages were left out because their elements nest too deeply"),
    };
    let skipped = warnings.count("skipped-file");
    let skipped = match skipped {
        0 => String::new(),
        n => format!(" ({n} entries skipped as unsafe, too large or unreadable)"),
    };
    Error::NothingFound {
        path: input.to_path_buf(),
        looked: format!("looked in {files} files{skipped} for entry markers msgcns!/subjcns!/bvEntry/bvMsg{seen}"),
    }
}

/// `demo-space.spaces.live.com` → `demo-space`; else the input's name.
fn space_name(host: Option<&str>, input: &Path) -> String {
    if let Some(h) = host {
        return h.split('.').next().unwrap_or(h).to_string();
    }
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.is_empty() {
        "space".into()
    } else {
        stem
    }
}

/// A name safe on Windows and Linux file systems.
fn file_safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_matches('.').to_string();
    if s.is_empty() {
        "space".into()
    } else {
        s
    }
}

/// An ASCII login WordPress keeps (`sanitize_user` strict).
pub fn author_login(space: &str) -> String {
    let s: String = space
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '_' | '.' | '-' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    if s.is_empty() {
        "spaces-author".into()
    } else {
        s
    }
}

/// Everything a finished run hands to the report.
struct Outcome {
    pages: usize,
    ignored: crate::records::Log<crate::report::IgnoredPage>,
    wxr_file: String,
    space: String,
    written: write::Written,
    media: MediaOutcome,
    warnings: Warnings,
}

fn build_report(cfg: &Config, archive: &Archive, o: Outcome) -> Report {
    let Outcome {
        pages,
        ignored,
        wxr_file,
        space,
        written,
        media,
        warnings,
    } = o;
    let counts = Counts {
        files: archive.files().len(),
        pages_with_entries: pages,
        posts: written.lines.len(),
        comments: written.comments,
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
        timezone: format!(
            "{} (Spaces printed no time zone; set --timezone to the blog's own)",
            cfg.timezone
        ),
        zip_names: archive.name_codec().map(|c| c.label()),
        counts,
        posts: written.lines,
        media: media.lines,
        missing_media: media.missing,
        ignored_pages: ignored,
        changes: written.changes,
        warnings,
    }
}

/// Write `report.json` atomically, streaming its long lists from disk.
fn write_report(out: &Path, report: &Report) -> Result<()> {
    use std::io::Write;
    let path = out.join("report.json");
    let mut file = atomic::AtomicFile::create(&path)?;
    let w = file.writer();
    let written = serde_json::to_writer_pretty(&mut *w, report)
        .map_err(std::io::Error::from)
        .and_then(|()| w.write_all(b"\n"));
    written.map_err(|e| file.error(e))?;
    file.commit()?;
    Ok(())
}
