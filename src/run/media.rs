//! The media step of a run: find the images the posts use, bundle them, and
//! say what each post's references become.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Attachment;
use crate::output::bundle::{self, Namer, Staged};
use crate::parse::ids::SpacesId;
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

/// Which archive file every reference leads to.
#[derive(Default)]
struct Resolution<'a> {
    /// Distinct files, in the order posts first use them.
    used: Vec<Used<'a>>,
    /// (post index, reference as written, index into `used`).
    refs: Vec<(usize, String, usize)>,
}

impl MediaOutcome {
    fn note_missing(&mut self, post: usize, id: &SpacesId, url: String) {
        self.missing_urls[post].push(url.clone());
        self.missing.push(MissingMedia {
            post: id.to_string(),
            url,
        });
    }
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
    let mut out = MediaOutcome {
        urls: vec![HashMap::new(); planned.len()],
        missing_urls: vec![Vec::new(); planned.len()],
        ..Default::default()
    };
    let index = MediaIndex::new(archive.files());
    let found = resolve_all(&index, planned, &refs, &mut out, warnings);
    if found.used.is_empty() {
        return Ok(out);
    }
    let staging = media_dir.join(".staging");
    std::fs::create_dir_all(&staging).map_err(|e| Error::write(&staging, e))?;
    let files: Vec<&FileEntry> = found.used.iter().map(|u| u.file).collect();
    let staged = bundle::stage(archive, &files, &staging);
    let mut placer = Placer {
        media_url: cfg.media_url.trim_end_matches('/'),
        media_dir,
        planned,
        namer: Namer::default(),
        next_id: first_id,
        line_of_hash: HashMap::new(),
    };
    let placed = placer.place_all(&found.used, &staged, &mut out, warnings);
    let _ = std::fs::remove_dir_all(&staging);
    let final_url = placed?;
    for (pi, url, u) in found.refs {
        match &final_url[u] {
            Some(new) => {
                out.urls[pi].insert(url, new.clone());
            }
            None => out.note_missing(pi, &planned[pi].post.spaces_id, url),
        }
    }
    Ok(out)
}

/// Resolve every reference of every post; unresolved ones are missing.
fn resolve_all<'a>(
    index: &MediaIndex<'a>,
    planned: &[Planned],
    refs: &[Vec<ImageRef>],
    out: &mut MediaOutcome,
    warnings: &mut Vec<Warning>,
) -> Resolution<'a> {
    let mut found = Resolution::default();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    for (pi, (p, list)) in planned.iter().zip(refs).enumerate() {
        for r in list {
            let Some(res) = index.resolve(&r.url, &p.post.source) else {
                out.note_missing(pi, &p.post.spaces_id, r.url.clone());
                continue;
            };
            if !res.others.is_empty() {
                let others: Vec<&str> = res.others.iter().map(|o| o.path.as_str()).collect();
                let msg = format!(
                    "'{}' matches several different files; used '{}', not {}",
                    r.url,
                    res.file.path,
                    others.join(", ")
                );
                warnings.push(Warning::entry(
                    &p.post.source,
                    &p.post.spaces_id,
                    "ambiguous-media",
                    msg,
                ));
            }
            let used = &mut found.used;
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
            found.refs.push((pi, r.url.clone(), u));
        }
    }
    found
}

/// Names, places and numbers the bundle's files.
struct Placer<'a> {
    media_url: &'a str,
    media_dir: &'a Path,
    planned: &'a [Planned],
    namer: Namer,
    next_id: u64,
    line_of_hash: HashMap<String, usize>,
}

impl Placer<'_> {
    /// Give every staged file its place; returns the final URL per used file.
    fn place_all(
        &mut self,
        used: &[Used<'_>],
        staged: &[std::result::Result<Staged, String>],
        out: &mut MediaOutcome,
        warnings: &mut Vec<Warning>,
    ) -> Result<Vec<Option<String>>> {
        let first = bundle::first_by_hash(staged);
        let mut url_of: Vec<Option<String>> = vec![None; used.len()];
        for (i, (u, s)) in used.iter().zip(staged).enumerate() {
            let post = &self.planned[u.post].post;
            let s = match s {
                Ok(s) => s,
                Err(e) => {
                    warnings.push(Warning::file(&u.file.path, "media-unreadable", e.clone()));
                    continue;
                }
            };
            let Some(kind) = s.kind else {
                let msg = "the file is not an image (JPEG, PNG, GIF, BMP, WebP, TIFF); the original link was kept";
                warnings.push(Warning::entry(
                    &u.file.path,
                    &post.spaces_id,
                    "not-an-image",
                    msg,
                ));
                continue;
            };
            let keeper = first[&s.sha256];
            if keeper == i {
                url_of[i] = Some(self.add(u, s, kind, out)?);
            } else {
                // The same bytes again: link to the file already bundled.
                url_of[i] = url_of[keeper].clone();
                if let Some(&l) = self.line_of_hash.get(&s.sha256) {
                    out.lines[l].sources.push(u.file.path.clone());
                }
            }
        }
        Ok(url_of)
    }

    /// Put one new file into the bundle, with its attachment and report line.
    fn add(
        &mut self,
        u: &Used<'_>,
        s: &Staged,
        kind: bundle::Sniffed,
        out: &mut MediaOutcome,
    ) -> Result<String> {
        let post = &self.planned[u.post].post;
        let name = self.namer.name(u.file.file_name(), kind.ext);
        let rel = format!("{}/{name}", post.date.format("%Y/%m"));
        bundle::place(s, self.media_dir, &rel)?;
        let url = format!("{}/{}", self.media_url, bundle::url_path(&rel));
        let wp_id = self.next_id;
        self.next_id += 1;
        out.attachments.push(Attachment {
            wp_id,
            parent: post.wp_id,
            title: name
                .rsplit_once('.')
                .map_or(name.as_str(), |(s, _)| s)
                .to_string(),
            rel_path: rel.clone(),
            url: url.clone(),
            date: post.date,
            date_gmt: post.date_gmt,
            alt: u.alt.clone(),
            mime: kind.mime.to_string(),
        });
        self.line_of_hash.insert(s.sha256.clone(), out.lines.len());
        let sources = vec![u.file.path.clone()];
        out.lines.push(MediaLine {
            path: rel,
            wp_id,
            size: s.size,
            sha256: s.sha256.clone(),
            sources,
        });
        out.bytes += s.size;
        Ok(url)
    }
}
