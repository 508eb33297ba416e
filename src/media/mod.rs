//! Media stage: find the images the posts use, bundle them, and
//! say what each post's references become.
//!
//! Posts are taken in output order, a batch at a time: their references are
//! resolved, the files first used in the batch are staged in parallel
//! (copied, hashed, sniffed), then named and placed in first-use order. What
//! each post's links become goes to disk, one record per post, for the
//! writing step to read back in the same order.

pub mod bundle;
pub mod resolve;

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use bundle::{Namer, Staged};
use rayon::prelude::*;
use resolve::{httrack_project, image_refs, ref_file_name, MediaIndex};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Attachment;
use crate::model::{RefKind, UrlRef};
use crate::parse::ids::SpacesId;
use crate::plan::{Plan, CHUNK};
use crate::report::{MediaLine, MissingMedia, Warning, WarningKind, Warnings};
use crate::source::{Archive, FileEntry, ReadError};
use crate::store::records::Log;

/// The staging folder inside the media folder being built.
const STAGING: &str = ".staging";

/// What the media step produced.
#[derive(Debug, Default)]
pub struct MediaOutcome {
    /// One attachment item per bundled file, in bundle order.
    pub attachments: Log<Attachment>,
    /// Alt texts found only after a file's attachment was recorded, by
    /// attachment id.
    pub late_alt: HashMap<u64, String>,
    /// One record per post, in plan order.
    pub posts: Log<PostMedia>,
    /// Report lines.
    pub lines: Vec<MediaLine>,
    /// Report lines for missing images.
    pub missing: Log<MissingMedia>,
    /// Bytes bundled.
    pub bytes: u64,
}

/// What one post's image references become.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PostMedia {
    /// Reference as written → new URL.
    pub urls: HashMap<String, String>,
    /// References that stay unresolved.
    pub missing: HashSet<String>,
}

/// What a post needs to know about the media it uses.
struct PostInfo {
    spaces_id: SpacesId,
    source: String,
    date: chrono::NaiveDateTime,
    date_gmt: chrono::NaiveDateTime,
    wp_id: u64,
}

/// A file of the archive that some post uses.
#[derive(Debug, Default)]
struct Slot {
    /// Its URL in the bundle; `None` when it could not be bundled.
    url: Option<String>,
    /// Its attachment, while that still lacks an alt text.
    wants_alt: Option<u64>,
}

/// A file first used in the current batch.
struct Fresh<'a> {
    file: &'a FileEntry,
    /// Index of the first post (in the batch) that uses it.
    post: usize,
    alt: String,
    /// The picture's name in the address that first used it
    /// (`image.png` for a file saved as HTTrack's `image76aa.png`).
    name: Option<String>,
}

/// Find, stage, deduplicate, name and place every image the posts use.
///
/// Without a media folder (`None`: a dry run, as `inspect` makes) every
/// image is still resolved, read, hashed and sniffed, so the outcome holds
/// the same attachments, missing images and warnings as a real run, but
/// nothing is written anywhere.
pub fn bundle_media(
    archive: &Archive,
    plan: &Plan,
    cfg: &Config,
    media_dir: Option<&Path>,
    warnings: &mut Warnings,
    progress: &dyn crate::progress::Progress,
) -> Result<MediaOutcome> {
    let spool_err = |source: io::Error| Error::Spool { source };
    let mut index = MediaIndex::new(archive.files());
    let lent = MediaIndex::new(archive.lent_files());
    for log in archive.files().iter().filter(|f| is_httrack_log(&f.path)) {
        // Read line by line (a big mirror's log is large); a log that
        // cannot be read only means less help with names.
        let project = httrack_project(&log.path);
        let mut lines = Lines {
            pending: Vec::new(),
            on_line: |l: &str| {
                index.learn_httrack_line(&project, l);
            },
        };
        let _ = archive.copy_to(log, &mut lines);
        lines.finish();
    }
    let mut m = Media {
        archive,
        index: &index,
        lent: &lent,
        placer: Placer {
            media_url: cfg.media_url.trim_end_matches('/'),
            media_dir,
            staging: media_dir.map(|d| d.join(STAGING)),
            namer: Namer::default(),
            next_id: plan.max_wp_id + 1,
            by_hash: HashMap::new(),
        },
        slots: HashMap::new(),
        same: HashMap::new(),
        out: MediaOutcome::default(),
    };
    let result = plan.keys.chunks(CHUNK).try_for_each(|part| {
        let loaded = part
            .par_iter()
            .map(|k| {
                let p = plan.load(k)?;
                let refs = image_refs(p.refs);
                let info = PostInfo {
                    spaces_id: p.post.spaces_id,
                    source: p.post.source,
                    date: p.post.date,
                    date_gmt: p.post.date_gmt,
                    wp_id: p.post.wp_id,
                };
                Ok((info, refs))
            })
            .collect::<io::Result<Vec<_>>>()
            .map_err(spool_err)?;
        m.batch(&loaded, warnings)?;
        progress.advance(part.len() as u64);
        Ok(())
    });
    if let Some(staging) = &m.placer.staging {
        let _ = std::fs::remove_dir_all(staging);
    }
    result?;
    Ok(m.out)
}

/// The state of the media step between batches.
struct Media<'a> {
    archive: &'a Archive,
    index: &'a MediaIndex<'a>,
    /// The files of `--media-from`, consulted after the archive's.
    lent: &'a MediaIndex<'a>,
    placer: Placer<'a>,
    /// Every archive file used so far, by path.
    slots: HashMap<&'a str, Slot>,
    /// Whether two equal-size candidates hold the same bytes, by their
    /// paths (each pair is read once, however many posts use it).
    same: HashMap<(&'a str, &'a str), bool>,
    out: MediaOutcome,
}

impl<'a> Media<'a> {
    /// Resolve, bundle and record the references of one batch of posts.
    fn batch(&mut self, posts: &[(PostInfo, Vec<UrlRef>)], warnings: &mut Warnings) -> Result<()> {
        let mut fresh: Vec<Fresh<'a>> = Vec::new();
        let mut fresh_of: HashMap<&'a str, usize> = HashMap::new();
        // Per post: (reference as written, archive path) or unresolved.
        let mut targets: Vec<Vec<(String, Option<&'a str>)>> = Vec::with_capacity(posts.len());
        for (pi, (post, refs)) in posts.iter().enumerate() {
            let mut list = Vec::with_capacity(refs.len());
            for r in refs {
                let found = self.index.resolve(&r.url, &post.source);
                let Some(res) = found.or_else(|| self.lent.resolve(&r.url, &post.source)) else {
                    list.push((r.url.clone(), None));
                    continue;
                };
                let mut differ: Vec<&FileEntry> = res.others.clone();
                for o in &res.same_size {
                    let archive = self.archive;
                    let key = (res.file.path.as_str(), o.path.as_str());
                    let same = *self
                        .same
                        .entry(key)
                        .or_insert_with(|| same_bytes(archive, res.file, o));
                    if !same {
                        differ.push(o);
                    }
                }
                if !differ.is_empty() {
                    let others: Vec<&str> = differ.iter().map(|o| o.path.as_str()).collect();
                    let msg = format!(
                        "'{}' matches several different files; used '{}', not {}",
                        r.url,
                        res.file.path,
                        others.join(", ")
                    );
                    let w = Warning::entry(
                        &post.source,
                        &post.spaces_id,
                        WarningKind::AmbiguousMedia,
                        msg,
                    );
                    warnings.push(w);
                }
                let path = res.file.path.as_str();
                let alt = if r.kind == RefKind::Img { &r.alt } else { "" };
                if let Some(slot) = self.slots.get_mut(path) {
                    if let Some(id) = slot.wants_alt.filter(|_| !alt.is_empty()) {
                        self.out.late_alt.insert(id, alt.to_string());
                        slot.wants_alt = None;
                    }
                } else {
                    let f = *fresh_of.entry(path).or_insert_with(|| {
                        fresh.push(Fresh {
                            file: res.file,
                            post: pi,
                            alt: String::new(),
                            name: ref_file_name(&r.url),
                        });
                        fresh.len() - 1
                    });
                    if fresh[f].alt.is_empty() {
                        fresh[f].alt = alt.to_string();
                    }
                }
                list.push((r.url.clone(), Some(path)));
            }
            targets.push(list);
        }
        if !fresh.is_empty() {
            if let Some(dir) = self.placer.media_dir {
                bundle::create_dirs_in(dir, STAGING)?;
            }
            let files: Vec<&FileEntry> = fresh.iter().map(|u| u.file).collect();
            // Unreadable archive files are warnings (in `place`); failing
            // to write the copies ends the run.
            let staged = bundle::stage(self.archive, &files, self.placer.staging.as_deref())?;
            for (u, s) in fresh.iter().zip(&staged) {
                let slot = self
                    .placer
                    .place(u, &posts[u.post].0, s, &mut self.out, warnings)?;
                self.slots.insert(u.file.path.as_str(), slot);
            }
        }
        let spool_err = |source: io::Error| Error::Spool { source };
        for ((post, _), list) in posts.iter().zip(targets) {
            let mut pm = PostMedia::default();
            for (url, path) in list {
                match path.and_then(|p| self.slots.get(p)?.url.clone()) {
                    Some(new) => {
                        pm.urls.insert(url, new);
                    }
                    // A link and its thumbnail may share the address:
                    // one missing image, listed once.
                    None if pm.missing.contains(&url) => {}
                    None => {
                        let original = resolve::original_address(&url, &post.source);
                        let line = MissingMedia {
                            post: post.spaces_id.to_string(),
                            url: url.clone(),
                            wayback: original.as_deref().map(wayback_address),
                            original,
                        };
                        self.out.missing.push(&line).map_err(spool_err)?;
                        pm.missing.insert(url);
                    }
                }
            }
            self.out.posts.push(&pm).map_err(spool_err)?;
        }
        Ok(())
    }
}

/// The Internet Archive's copy of `original`, as its bytes (`id_`) from
/// the last year of Spaces (the Wayback picks the nearest capture).
pub fn wayback_address(original: &str) -> String {
    format!("https://web.archive.org/web/2011id_/{original}")
}

/// A writer that hands each complete line to `on_line`.
struct Lines<F: FnMut(&str)> {
    pending: Vec<u8>,
    on_line: F,
}

impl<F: FnMut(&str)> Lines<F> {
    /// Hand over the last line, if it had no line break.
    fn finish(mut self) {
        if !self.pending.is_empty() {
            (self.on_line)(&String::from_utf8_lossy(&self.pending));
        }
    }
}

impl<F: FnMut(&str)> io::Write for Lines<F> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &b in buf {
            if b == b'\n' {
                let line = String::from_utf8_lossy(&self.pending).into_owned();
                (self.on_line)(line.trim_end_matches('\r'));
                self.pending.clear();
            } else if self.pending.len() < MAX_LOG_LINE {
                self.pending.push(b);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Longest HTTrack log line kept (longer ones are cut: no address in a
/// Spaces archive comes near it).
const MAX_LOG_LINE: usize = 64 << 10;

/// `…/hts-cache/new.txt`: HTTrack's list of addresses and saved names.
fn is_httrack_log(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower == "hts-cache/new.txt" || lower.ends_with("/hts-cache/new.txt")
}

/// Do two archive files hold the same bytes? (Called only for candidates of
/// equal size; a file that cannot be read counts as different.)
fn same_bytes(archive: &Archive, a: &FileEntry, b: &FileEntry) -> bool {
    use sha2::{Digest, Sha256};
    struct Hashing(Sha256);
    impl io::Write for Hashing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let digest = |f: &FileEntry| {
        let mut h = Hashing(Sha256::new());
        archive.copy_to(f, &mut h).ok().map(|_| h.0.finalize())
    };
    match (digest(a), digest(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Names, places and numbers the bundle's files.
struct Placer<'a> {
    media_url: &'a str,
    /// The bundle folder; `None` in a dry run, which writes nothing.
    media_dir: Option<&'a Path>,
    staging: Option<PathBuf>,
    namer: Namer,
    next_id: u64,
    /// Bytes already bundled: their URL and report line.
    by_hash: HashMap<String, (String, usize)>,
}

impl Placer<'_> {
    /// Give one staged file its place, or link it to the same bytes already
    /// bundled; a file that is unreadable or not an image gets no place.
    fn place(
        &mut self,
        u: &Fresh<'_>,
        post: &PostInfo,
        staged: &std::result::Result<Staged, ReadError>,
        out: &mut MediaOutcome,
        warnings: &mut Warnings,
    ) -> Result<Slot> {
        let s = match staged {
            Ok(s) => s,
            Err(e) => {
                warnings.push(Warning::file(
                    &u.file.path,
                    WarningKind::MediaUnreadable,
                    e.to_string(),
                ));
                return Ok(Slot::default());
            }
        };
        let Some(kind) = s.kind else {
            let msg = "the file is not an image (JPEG, PNG, GIF, BMP, WebP, TIFF); the original link was kept";
            warnings.push(Warning::entry(
                &u.file.path,
                &post.spaces_id,
                WarningKind::NotAnImage,
                msg,
            ));
            discard(s);
            return Ok(Slot::default());
        };
        if let Some((url, line)) = self.by_hash.get(&s.sha256) {
            // The same bytes again: link to the file already bundled.
            out.lines[*line].sources.push(u.file.path.clone());
            discard(s);
            return Ok(Slot {
                url: Some(url.clone()),
                wants_alt: None,
            });
        }
        let original = u.name.as_deref().unwrap_or_else(|| u.file.file_name());
        let name = self.namer.name(original, kind.ext);
        let rel = format!("{}/{name}", post.date.format("%Y/%m"));
        if let (Some(tmp), Some(dir)) = (&s.tmp, self.media_dir) {
            bundle::place(tmp, dir, &rel)?;
        }
        let url = format!("{}/{}", self.media_url, bundle::url_path(&rel));
        let wp_id = self.next_id;
        self.next_id += 1;
        let attachment = Attachment {
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
        };
        out.attachments
            .push(&attachment)
            .map_err(|source| Error::Spool { source })?;
        self.by_hash
            .insert(s.sha256.clone(), (url.clone(), out.lines.len()));
        out.lines.push(MediaLine {
            path: rel,
            wp_id,
            size: s.size,
            sha256: s.sha256.clone(),
            sources: vec![u.file.path.clone()],
        });
        out.bytes += s.size;
        Ok(Slot {
            url: Some(url),
            wants_alt: u.alt.is_empty().then_some(wp_id),
        })
    }
}

/// Remove a staged copy that is not kept (none in a dry run).
fn discard(s: &Staged) {
    if let Some(tmp) = &s.tmp {
        let _ = std::fs::remove_file(tmp);
    }
}
