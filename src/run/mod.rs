//! [`convert`]: the whole pipeline for one archive.

mod media;
mod pages;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Attachment;
use crate::model::{Post, RawEntry};
use crate::output::{atomic, wxr};
use crate::parse::entry;
use crate::report::{Change, Counts, PostLine, Report, Warning};
use crate::source::Archive;
use crate::transform::links::{self, Rewrite};
use crate::transform::{self, sanitize::Sanitizer, PlanSettings, Planned};
use media::MediaOutcome;

/// Convert the archive `cfg.input` into `cfg.out_dir`.
pub fn convert(cfg: &Config) -> Result<Report> {
    let archive = Archive::open(&cfg.input, cfg.zip_encoding, cfg.limits)?;
    check_overlap(&cfg.input, &cfg.out_dir)?;
    let mut warnings: Vec<Warning> = archive
        .skipped()
        .iter()
        .map(|s| Warning::file(&s.path, "skipped-file", s.reason.clone()))
        .collect();
    let pages::Pages {
        entries,
        pages,
        feed,
    } = pages::read_pages(&archive, &mut warnings);
    if entries.is_empty() {
        return Err(nothing_found(&cfg.input, archive.files().len(), &warnings));
    }
    atomic::prepare_out_dir(&cfg.out_dir, cfg.force)?;
    let media_dir = cfg.out_dir.join("media");
    std::fs::create_dir_all(&media_dir).map_err(|e| Error::write(&media_dir, e))?;
    let host = main_host(&entries);
    let space = space_name(host.as_deref(), &cfg.input);
    pages::report_feed(&feed, &entries, &mut warnings);
    let settings = PlanSettings {
        zone: cfg.timezone,
        crawl_date: cfg.crawl_date,
        host: host.as_deref(),
        feed: &feed,
    };
    let planned = transform::plan(entries, &settings, &mut warnings);
    let first_attachment = planned.iter().map(|p| p.post.wp_id).max().unwrap_or(0) + 1;
    let media = media::bundle_media(&archive, &planned, cfg, first_attachment, &mut warnings)?;
    let (posts, changes) = finish_posts(planned, &media, cfg);
    let wxr_file = format!("{}.xml", file_safe(&space));
    let out = WxrOut {
        space: &space,
        host: host.as_deref(),
        posts: &posts,
        attachments: &media.attachments,
    };
    let stripped = write_wxr(cfg, &cfg.out_dir.join(&wxr_file), &out)?;
    if stripped > 0 {
        warnings.push(Warning::file(
            "",
            "xml-chars",
            format!("{stripped} characters not allowed in XML were removed"),
        ));
    }
    let report = build_report(
        cfg, &archive, pages, wxr_file, space, &posts, media, changes, warnings,
    );
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

fn nothing_found(input: &Path, files: usize, warnings: &[Warning]) -> Error {
    let seen = if warnings.iter().any(|w| w.kind == "wordpress-export") {
        "; it is already a WordPress export (WXR): import it directly".to_string()
    } else if warnings.iter().any(|w| w.kind == "private-space") {
        "; only \"Space Not Available\" pages of a private space were found".to_string()
    } else {
        String::new()
    };
    let skipped = warnings.iter().filter(|w| w.kind == "skipped-file").count();
    let skipped = match skipped {
        0 => String::new(),
        n => format!(" ({n} entries skipped as unsafe, too large or unreadable)"),
    };
    Error::NothingFound {
        path: input.to_path_buf(),
        looked: format!("looked in {files} files{skipped} for entry markers msgcns!/subjcns!/bvEntry/bvMsg{seen}"),
    }
}

/// The space's host name that most entries link to.
fn main_host(entries: &[RawEntry]) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for e in entries {
        let from_link = e.permalink.as_deref().and_then(entry::space_host);
        for h in from_link.into_iter().chain(e.hosts.first().cloned()) {
            *counts.entry(h).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(h, _)| h)
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

/// Rewrite links and sanitize, per post in parallel, order kept.
fn finish_posts(
    planned: Vec<Planned>,
    media: &MediaOutcome,
    cfg: &Config,
) -> (Vec<Post>, Vec<Change>) {
    let ids = transform::id_map(&planned);
    let sanitizer = Sanitizer::new();
    let site = cfg.site_url.trim_end_matches('/').to_string();
    let done: Vec<(Post, Vec<Change>)> = planned
        .into_par_iter()
        .enumerate()
        .map(|(i, p)| {
            let map = |tag: &str, attr: &str, url: &str| {
                if let Some(new) = media.urls[i].get(url.trim()) {
                    return Some(Rewrite::Set(new.clone()));
                }
                if tag == "img"
                    && cfg.drop_missing_images
                    && media.missing_urls[i].iter().any(|m| m == url.trim())
                {
                    return Some(Rewrite::Drop);
                }
                let target = (attr == "href")
                    .then(|| crate::parse::ids::entry_link_target(url))
                    .flatten()?;
                ids.get(&target)
                    .map(|id| Rewrite::Set(format!("{site}/?p={id}")))
            };
            finish_one(p, &map, &sanitizer, cfg.keep_original)
        })
        .collect();
    let mut posts = Vec::with_capacity(done.len());
    let mut changes = Vec::new();
    for (p, c) in done {
        posts.push(p);
        changes.extend(c);
    }
    (posts, changes)
}

fn finish_one(
    p: Planned,
    map: &dyn links::UrlMap,
    sanitizer: &Sanitizer,
    keep_original: bool,
) -> (Post, Vec<Change>) {
    let (body, _) = links::rewrite_urls(&p.post.html, map);
    let cleaned = sanitizer.clean_post(&body);
    let mut post = p.post;
    let id = post.spaces_id.to_string();
    let mut changes = Vec::new();
    if !cleaned.removed.is_empty() {
        changes.push(Change {
            post: id.clone(),
            comment: None,
            removed: cleaned.removed.0.clone(),
        });
    }
    if keep_original {
        post.original_html = Some(std::mem::take(&mut post.html));
    }
    post.html = cleaned.html;
    for (k, (c, raw)) in post.comments.iter_mut().zip(&p.comment_html).enumerate() {
        let cleaned = sanitizer.clean_comment(raw);
        if !cleaned.removed.is_empty() {
            changes.push(Change {
                post: id.clone(),
                comment: Some(k + 1),
                removed: cleaned.removed.0,
            });
        }
        c.html = cleaned.html;
    }
    (post, changes)
}

/// What goes into the WXR file.
struct WxrOut<'a> {
    space: &'a str,
    host: Option<&'a str>,
    posts: &'a [Post],
    attachments: &'a [Attachment],
}

fn write_wxr(cfg: &Config, path: &Path, out: &WxrOut<'_>) -> Result<usize> {
    let categories = transform::categories(out.posts);
    let login = cfg
        .author
        .clone()
        .unwrap_or_else(|| author_login(out.space));
    let author = wxr::Author {
        login,
        display_name: out.space.to_string(),
    };
    let link = out.host.map(|h| format!("http://{h}/")).unwrap_or_default();
    let newest = out
        .posts
        .iter()
        .map(|p| p.date_gmt)
        .max()
        .unwrap_or_default();
    let channel = wxr::Channel {
        title: out.space,
        link: &link,
        base_url: cfg.site_url.trim_end_matches('/'),
        pub_date: cfg.generated_at.unwrap_or(newest),
        author: &author,
        categories: &categories,
    };
    let mut file = atomic::AtomicFile::create(path)?;
    let result = write_items(file.writer(), &channel, out);
    let stripped = result.map_err(|e| file.error(e))?;
    file.commit()?;
    Ok(stripped)
}

fn write_items(
    w: &mut impl std::io::Write,
    channel: &wxr::Channel<'_>,
    out: &WxrOut<'_>,
) -> std::io::Result<usize> {
    let mut w = wxr::WxrWriter::start(w, channel)?;
    for p in out.posts {
        w.post(p, &format!("urn:wls:{}:{}", out.space, p.spaces_id))?;
    }
    for a in out.attachments {
        w.attachment(a, &a.url)?;
    }
    let stripped = w.stripped;
    w.finish()?;
    Ok(stripped)
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

#[allow(clippy::too_many_arguments)]
fn build_report(
    cfg: &Config,
    archive: &Archive,
    pages: usize,
    wxr_file: String,
    space: String,
    posts: &[Post],
    media: MediaOutcome,
    changes: Vec<Change>,
    warnings: Vec<Warning>,
) -> Report {
    let counts = Counts {
        files: archive.files().len(),
        pages_with_entries: pages,
        posts: posts.len(),
        comments: posts.iter().map(|p| p.comments.len()).sum(),
        categories: transform::categories(posts).len(),
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
        counts,
        posts: posts.iter().map(post_line).collect(),
        media: media.lines,
        missing_media: media.missing,
        changes,
        warnings,
    }
}

fn post_line(p: &Post) -> PostLine {
    PostLine {
        wp_id: p.wp_id,
        spaces_id: p.spaces_id.to_string(),
        title: p.title.clone(),
        date: wxr::wp_date(p.date),
        category: p.category.as_ref().map(|c| c.name.clone()),
        comments: p.comments.len(),
        source: p.source.clone(),
    }
}

fn write_report(out: &Path, report: &Report) -> Result<()> {
    let path = out.join("report.json");
    let mut json = serde_json::to_vec_pretty(report).map_err(|e| Error::write(&path, e.into()))?;
    json.push(b'\n');
    atomic::write_file(&path, &json)?;
    Ok(())
}
