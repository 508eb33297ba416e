//! The media step of a run: find the images the posts use, bundle them, and
//! say what each post's references become.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Attachment;
use crate::output::bundle::{self, Namer, Staged};
use crate::report::{MediaLine, MissingMedia, Warning};
use crate::source::{Archive, FileEntry};
use crate::spool::Spool;
use crate::transform::media::{image_refs, ImageRef, MediaIndex, RefKind};
use crate::transform::Planned;

/// What the media step produced.
#[derive(Debug, Default)]
pub struct MediaOutcome {
    /// One attachment item per bundled file.
    pub attachments: Vec<Attachment>,
    /// Per post (same order as the plan): reference as written → new URL.
    pub urls: Vec<HashMap<String, String>>,
    /// Per post: image references that stay unresolved.
    pub missing_urls: Vec<Vec<String>>,
    /// Report lines.
    pub lines: Vec<MediaLine>,
    /// Report lines for missing images.
    pub missing: Vec<MissingMedia>,
    /// Bytes bundled.
    pub bytes: u64,
}

/// A file some post uses, in first-use order.
struct Used<'a> {
    file: &'a FileEntry,
    post: usize,
    alt: String,
}

/// Find, stage, deduplicate, name and place every image the posts use.
pub fn bundle_media(
    archive: &Archive,
    planned: &[Planned],
    cfg: &Config,
    media_dir: &Path,
    spool: Option<&Spool>,
    first_id: u64,
    warnings: &mut Vec<Warning>,
) -> Result<MediaOutcome> {
    let refs: Vec<Vec<ImageRef>> = planned
        .par_iter()
        .map(|p| p.body.read(spool).map(|b| image_refs(&b)))
        .collect::<std::io::Result<_>>()
        .map_err(|source| Error::Spool { source })?;
    let index = MediaIndex::new(archive.files());
    let mut out = MediaOutcome {
        urls: vec![HashMap::new(); planned.len()],
        missing_urls: vec![Vec::new(); planned.len()],
        ..Default::default()
    };
    let mut used: Vec<Used<'_>> = Vec::new();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    let mut ref_to_used: Vec<(usize, String, usize)> = Vec::new();
    for (pi, (p, list)) in planned.iter().zip(&refs).enumerate() {
        for r in list {
            let Some(res) = index.resolve(&r.url, &p.post.source) else {
                out.missing_urls[pi].push(r.url.clone());
                out.missing.push(MissingMedia {
                    post: p.post.spaces_id.to_string(),
                    url: r.url.clone(),
                });
                continue;
            };
            if !res.others.is_empty() {
                let others: Vec<&str> = res.others.iter().map(|o| o.path.as_str()).collect();
                warnings.push(Warning::entry(
                    &p.post.source,
                    &p.post.spaces_id,
                    "ambiguous-media",
                    format!(
                        "'{}' matches several different files; used '{}', not {}",
                        r.url,
                        res.file.path,
                        others.join(", ")
                    ),
                ));
            }
            let u = *slot.entry(res.file.path.as_str()).or_insert_with(|| {
                used.push(Used {
                    file: res.file,
                    post: pi,
                    alt: String::new(),
                });
                used.len() - 1
            });
            if r.kind == RefKind::Img && used[u].alt.is_empty() {
                used[u].alt = r.alt.clone();
            }
            ref_to_used.push((pi, r.url.clone(), u));
        }
    }
    if used.is_empty() {
        return Ok(out);
    }
    let staging = media_dir.join(".staging");
    std::fs::create_dir_all(&staging).map_err(|e| Error::write(&staging, e))?;
    let files: Vec<&FileEntry> = used.iter().map(|u| u.file).collect();
    let staged = bundle::stage(archive, &files, &staging);
    let placed = place_all(
        &used, &staged, planned, cfg, first_id, media_dir, &mut out, warnings,
    );
    let _ = std::fs::remove_dir_all(&staging);
    let final_url = placed?;
    for (pi, url, u) in ref_to_used {
        match &final_url[u] {
            Some(new) => {
                out.urls[pi].insert(url, new.clone());
            }
            None => {
                out.missing_urls[pi].push(url.clone());
                out.missing.push(MissingMedia {
                    post: planned[pi].post.spaces_id.to_string(),
                    url,
                });
            }
        }
    }
    Ok(out)
}

/// Give every staged file its place; returns the final URL per used file.
#[allow(clippy::too_many_arguments)]
fn place_all(
    used: &[Used<'_>],
    staged: &[std::result::Result<Staged, String>],
    planned: &[Planned],
    cfg: &Config,
    first_id: u64,
    media_dir: &Path,
    out: &mut MediaOutcome,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Option<String>>> {
    let first = bundle::first_by_hash(staged);
    let mut namer = Namer::default();
    let mut url_of: Vec<Option<String>> = vec![None; used.len()];
    let mut line_of_hash: HashMap<String, usize> = HashMap::new();
    let mut next_id = first_id;
    for (i, (u, s)) in used.iter().zip(staged).enumerate() {
        let post = &planned[u.post].post;
        let s = match s {
            Ok(s) => s,
            Err(e) => {
                warnings.push(Warning::file(&u.file.path, "media-unreadable", e.clone()));
                continue;
            }
        };
        let Some(kind) = s.kind else {
            warnings.push(Warning::entry(&u.file.path, &post.spaces_id, "not-an-image", "the file is not an image (JPEG, PNG, GIF, BMP, WebP, TIFF); the original link was kept"));
            continue;
        };
        let keeper = first[&s.sha256];
        if keeper != i {
            url_of[i] = url_of[keeper].clone();
            if let Some(&l) = line_of_hash.get(&s.sha256) {
                out.lines[l].sources.push(u.file.path.clone());
            }
            continue;
        }
        let name = namer.name(u.file.file_name(), kind.ext);
        let rel = format!("{}/{name}", post.date.format("%Y/%m"));
        bundle::place(s, media_dir, &rel)?;
        let url = format!(
            "{}/{}",
            cfg.media_url.trim_end_matches('/'),
            bundle::url_path(&rel)
        );
        url_of[i] = Some(url.clone());
        out.attachments.push(Attachment {
            wp_id: next_id,
            parent: post.wp_id,
            title: name
                .rsplit_once('.')
                .map_or(name.as_str(), |(s, _)| s)
                .to_string(),
            rel_path: rel.clone(),
            url,
            date: post.date,
            date_gmt: post.date_gmt,
            alt: u.alt.clone(),
            mime: kind.mime.to_string(),
        });
        line_of_hash.insert(s.sha256.clone(), out.lines.len());
        out.lines.push(MediaLine {
            path: rel,
            wp_id: next_id,
            size: s.size,
            sha256: s.sha256.clone(),
            sources: vec![u.file.path.clone()],
        });
        out.bytes += s.size;
        next_id += 1;
    }
    Ok(url_of)
}
