//! `--max-wxr-size`: the WXR of a space as numbered parts
//! (`<space>.001.xml`, `<space>.002.xml`, …), each at most the given size
//! (unless one post alone is larger), each a complete WXR that imports on
//! its own, and all of them, imported in order, giving the same site as the
//! single file.
//!
//! Every part repeats the channel, the author and the categories its posts
//! use (under the term ids they have in every part). A post travels with
//! its comments (they are inside its item).
//!
//! **Attachments go into the part of the last post that shows them.** The
//! WordPress Importer rewrites image URLs in `backfill_attachment_urls()`:
//! a SQL `REPLACE()` over the content of *every* post already in the
//! database, but only for the attachments of the current run
//! (`shared/docs/wxr-and-importer.md` §1.7). An attachment imported with
//! the first post that shows it would leave every later part's posts
//! pointing at the media URL (stale); a copy of the item in a later part is
//! skipped as "already exists" and remaps nothing (§1.9). Imported with the
//! last post that shows it, its run rewrites that post and all the earlier
//! ones, which are in the database by then. Its `post_parent` is the first
//! post that shows it when that post is in the same part, else the last
//! one (the importer maps a parent only within one run); when the rule
//! below moves it past both, it is written unattached (`post_parent` 0).
//!
//! The importer also remaps an image's URL without its extension (to catch
//! `name-300x200.jpg` sizes). That stem of `photo.jpg` is a prefix of
//! `photo-2.jpg`: imported earlier, it would rewrite the other file's
//! not-yet-remapped references to a guessed address. So an attachment whose
//! stem begins another attachment's URL is imported no earlier than that
//! one (in the same run the importer replaces the longer URLs first).
//!
//! Memory: a part's items wait in an unlinked temporary file until the
//! part is complete (its header, which lists the categories, comes first);
//! the attachments wait on disk; per attachment only its position is kept.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{self, Write};
use std::path::Path;

use super::names::part_name;
use crate::error::{Error, Result};
use crate::media::MediaOutcome;
use crate::model::{Attachment, Post};
use crate::output::atomic::AtomicFile;
use crate::output::write::{account, guid, Written};
use crate::output::wxr::{Channel, WxrWriter, END};
use crate::render::Rendered;
use crate::report::{Warning, WarningKind};
use crate::store::records::{RecRef, Records};
use crate::store::Store;

/// Write the parts of one space's WXR into `dir`.
///
/// Errors: a part cannot be written (the error names it), or a record
/// cannot be read back from the run's temporary files.
pub(super) fn write_parts(
    dir: &Path,
    stem: &str,
    channel: &Channel<'_>,
    space: &str,
    max: u64,
    posts: impl Iterator<Item = io::Result<Vec<Rendered>>>,
    media: &MediaOutcome,
) -> Result<Written> {
    let spool = |source: io::Error| Error::Spool { source };
    let mut s = Splitter::new(dir, stem, channel, max).map_err(spool)?;
    let mut schedule = Schedule::of(media).map_err(spool)?;
    let mut written = Written {
        split: true,
        ..Written::default()
    };
    let mut index = 0usize;
    for chunk in posts {
        for r in chunk.map_err(spool)? {
            let due = schedule.take(index, media).map_err(spool)?;
            s.add(index, Some((&r.post, &guid(space, &r.post))), &due)?;
            account(&mut written, &r.post, &r.changes, &r.books, &r.losses).map_err(spool)?;
            index += 1;
        }
    }
    // Attachments no post shows (none, normally) go at the end.
    let rest = schedule.take(usize::MAX, media).map_err(spool)?;
    if !rest.is_empty() || s.parts.is_empty() {
        s.add(index, None, &rest)?;
    }
    s.close()?;
    written.stripped = s.stripped;
    written.files = s.parts;
    written.size_warnings = s.warnings;
    Ok(written)
}

/// One attachment waiting for its part.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// Index of the post it is written after.
    due: usize,
    /// Its place in the bundle (tie-break: bundle order).
    seq: usize,
    /// Index of the last post that shows it (`usize::MAX`: none).
    last: usize,
    at: RecRef,
}

/// When each attachment is written.
struct Schedule {
    store: Records<Attachment>,
    /// By `due`, then bundle order.
    slots: Vec<Slot>,
    next: usize,
}

impl Schedule {
    /// Read the bundle and the posts' image records once: which post shows
    /// each attachment last, and the stem rule (see the module docs).
    fn of(media: &MediaOutcome) -> io::Result<Self> {
        let store = Records::new();
        let mut urls = Vec::new();
        let mut refs = Vec::new();
        for a in media.attachments.iter() {
            let a = a?;
            refs.push(store.push(&a)?);
            urls.push(a.url);
        }
        let mut last = vec![usize::MAX; urls.len()];
        {
            let by_url: HashMap<&str, usize> = urls
                .iter()
                .enumerate()
                .map(|(i, u)| (u.as_str(), i))
                .collect();
            for (i, pm) in media.posts.iter().enumerate() {
                for u in pm?.urls.values() {
                    if let Some(&k) = by_url.get(u.as_str()) {
                        last[k] = i;
                    }
                }
            }
        }
        let due = stem_order(&urls, &last);
        let mut slots: Vec<Slot> = (0..urls.len())
            .map(|k| Slot {
                due: due[k],
                seq: k,
                last: last[k],
                at: refs[k],
            })
            .collect();
        slots.sort_by_key(|s| (s.due, s.seq));
        Ok(Schedule {
            store,
            slots,
            next: 0,
        })
    }

    /// The attachments due after post `index` (and any left before it),
    /// with their late alt texts, and the last post that shows each.
    fn take(&mut self, index: usize, media: &MediaOutcome) -> io::Result<Vec<(Attachment, usize)>> {
        let mut out = Vec::new();
        while let Some(s) = self.slots.get(self.next).filter(|s| s.due <= index) {
            let mut a = self.store.get(s.at)?;
            if let Some(alt) = media.late_alt.get(&a.wp_id) {
                a.alt.clone_from(alt);
            }
            out.push((a, s.last));
            self.next += 1;
        }
        Ok(out)
    }
}

/// The importer's extension-less key for an image URL (`…/photo` for
/// `…/photo.jpg`), as `process_attachment` builds it with `pathinfo`.
fn url_stem(url: &str) -> &str {
    let name_at = url.rfind('/').map_or(0, |i| i + 1);
    match url[name_at..].rfind('.') {
        Some(dot) => &url[..name_at + dot],
        None => url,
    }
}

/// Each attachment's due post: the last post that shows it, or later when
/// its stem begins the URL of an attachment due later (see the module
/// docs), so that attachment is imported no later than it.
fn stem_order(urls: &[String], last: &[usize]) -> Vec<usize> {
    let mut due = last.to_vec();
    let mut sorted: Vec<usize> = (0..urls.len()).collect();
    sorted.sort_by(|&a, &b| urls[a].cmp(&urls[b]));
    let covers: Vec<Vec<usize>> = (0..urls.len())
        .map(|k| {
            let stem = url_stem(&urls[k]);
            let lo = sorted.partition_point(|&j| urls[j].as_str() < stem);
            sorted[lo..]
                .iter()
                .take_while(|&&j| urls[j].starts_with(stem))
                .filter(|&&j| j != k)
                .copied()
                .collect()
        })
        .collect();
    // A chain (a → a-2 → a-2-2) settles in as many rounds as it is long.
    let mut changed = true;
    while changed {
        changed = false;
        for (k, cover) in covers.iter().enumerate() {
            for &j in cover {
                if due[j] > due[k] {
                    due[k] = due[j];
                    changed = true;
                }
            }
        }
    }
    due
}

/// The part being filled, and the parts written.
struct Splitter<'a> {
    dir: &'a Path,
    stem: &'a str,
    channel: &'a Channel<'a>,
    max: u64,
    /// Bytes of the header without categories, plus the end.
    frame: u64,
    /// Bytes of each channel category element, by index.
    term_bytes: Vec<u64>,
    /// Category index by slug.
    term_of: HashMap<&'a str, usize>,
    part: Part,
    /// Names of the parts written.
    parts: Vec<String>,
    stripped: usize,
    warnings: Vec<Warning>,
}

/// The items of the part being filled.
struct Part {
    body: Store,
    len: u64,
    terms: BTreeSet<usize>,
    /// Index of its first post.
    start: usize,
    /// `wp:post_id` of its posts, in order.
    ids: Vec<u64>,
    id_set: HashSet<u64>,
    /// Items (units) in it.
    units: usize,
}

impl Part {
    fn new(start: usize) -> Self {
        Part {
            body: Store::new(),
            len: 0,
            terms: BTreeSet::new(),
            start,
            ids: Vec::new(),
            id_set: HashSet::new(),
            units: 0,
        }
    }
}

impl<'a> Splitter<'a> {
    fn new(dir: &'a Path, stem: &'a str, channel: &'a Channel<'a>, max: u64) -> io::Result<Self> {
        let head = WxrWriter::start_with_terms(Vec::new(), channel, [])?.into_inner();
        let term_bytes = channel
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut w = WxrWriter::items(Vec::new(), "");
                w.channel_category(i as u64 + 1, c)?;
                Ok(w.into_inner().len() as u64)
            })
            .collect::<io::Result<_>>()?;
        let term_of = channel
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.as_str(), i))
            .collect();
        Ok(Splitter {
            dir,
            stem,
            channel,
            max,
            frame: (head.len() + END.len()) as u64,
            term_bytes,
            term_of,
            part: Part::new(0),
            parts: Vec::new(),
            stripped: 0,
            warnings: Vec::new(),
        })
    }

    /// Bytes of the current part's file with `extra` more item bytes and
    /// the category `term`.
    fn size_with(&self, extra: u64, term: Option<usize>) -> u64 {
        let terms: u64 = self.part.terms.iter().map(|&t| self.term_bytes[t]).sum();
        let new_term = term
            .filter(|t| !self.part.terms.contains(t))
            .map_or(0, |t| self.term_bytes[t]);
        self.frame + terms + new_term + self.part.len + extra
    }

    /// Add post `index` (if any) with the attachments due after it: to the
    /// current part if it fits, else to a new one.
    fn add(
        &mut self,
        index: usize,
        post: Option<(&Post, &str)>,
        due: &[(Attachment, usize)],
    ) -> Result<()> {
        let spool = |source: io::Error| Error::Spool { source };
        let term = post
            .and_then(|(p, _)| p.category.as_ref())
            .and_then(|c| self.term_of.get(c.slug.as_str()).copied());
        let mut unit = self.render(index, post, due).map_err(spool)?;
        if self.part.units > 0 && self.size_with(unit.0.len() as u64, term) > self.max {
            self.close()?;
            self.part = Part::new(index);
            unit = self.render(index, post, due).map_err(spool)?;
        }
        let (bytes, stripped) = unit;
        self.stripped += stripped;
        self.part.body.append(&bytes).map_err(spool)?;
        self.part.len += bytes.len() as u64;
        self.part.units += 1;
        self.part.terms.extend(term);
        if let Some((p, _)) = post {
            self.part.ids.push(p.wp_id);
            self.part.id_set.insert(p.wp_id);
            let size = self.size_with(0, None);
            if self.part.units == 1 && size > self.max {
                let name = part_name(self.stem, self.parts.len() + 1);
                let msg = format!(
                    "the post \"{}\" with its {} comments and {} images is {} bytes in its part, \
                     more than --max-wxr-size ({} bytes); it is alone in {name}",
                    p.title,
                    p.comments.len(),
                    due.len(),
                    size,
                    self.max
                );
                self.warnings.push(Warning::entry(
                    &name,
                    &p.spaces_id,
                    WarningKind::OversizedPost,
                    msg,
                ));
            }
        }
        Ok(())
    }

    /// The items of one post and its due attachments, for the current part.
    fn render(
        &self,
        index: usize,
        post: Option<(&Post, &str)>,
        due: &[(Attachment, usize)],
    ) -> io::Result<(Vec<u8>, usize)> {
        let mut w = WxrWriter::items(Vec::new(), &self.channel.author.login);
        let this = post.map(|(p, _)| p.wp_id);
        if let Some((p, g)) = post {
            w.post(p, g)?;
        }
        for (a, last) in due {
            let mut a = a.clone();
            a.parent = self.parent(&a, *last, index, this);
            w.attachment(&a, &a.url)?;
        }
        let stripped = w.stripped;
        Ok((w.into_inner(), stripped))
    }

    /// The attachment's parent: the first post that shows it if that is in
    /// this part, else the last one if that is, else (the stem rule moved
    /// it past both) none: `0`, an unattached image, which is what the
    /// importer would make of a parent outside its run anyway, and a part
    /// names no item it does not hold.
    fn parent(&self, a: &Attachment, last: usize, index: usize, this: Option<u64>) -> u64 {
        let here = |id: u64| self.part.id_set.contains(&id) || this == Some(id);
        if here(a.parent) {
            return a.parent;
        }
        if last == index {
            if let Some(id) = this {
                return id;
            }
        }
        if last >= self.part.start && last < index {
            if let Some(&id) = self.part.ids.get(last - self.part.start) {
                return id;
            }
        }
        0
    }

    /// Write the current part's file: header with its categories, the
    /// items, the end.
    fn close(&mut self) -> Result<()> {
        let name = part_name(self.stem, self.parts.len() + 1);
        let path = self.dir.join(&name);
        let mut file = AtomicFile::create(&path)?;
        let first = self.parts.is_empty();
        let result = (|| -> io::Result<usize> {
            let cats = &self.channel.categories;
            let terms = self.part.terms.iter().map(|&t| (t as u64 + 1, &cats[t]));
            let mut w = WxrWriter::start_with_terms(file.writer(), self.channel, terms)?;
            let header_stripped = w.stripped;
            let mut buf = vec![0u8; 1 << 16];
            let mut at = 0u64;
            while at < self.part.len {
                let n = (self.part.len - at).min(buf.len() as u64) as usize;
                self.part.body.read_at(&mut buf[..n], at)?;
                w.get_mut().write_all(&buf[..n])?;
                at += n as u64;
            }
            w.finish()?;
            Ok(header_stripped)
        })();
        let header_stripped = result.map_err(|e| file.error(e))?;
        file.commit()?;
        if first {
            // The header is the same in every part: its characters count once.
            self.stripped += header_stripped;
        }
        self.parts.push(name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_what_the_importer_remaps() {
        assert_eq!(
            url_stem("http://m/2009/03/photo.jpg"),
            "http://m/2009/03/photo"
        );
        assert_eq!(url_stem("http://m/2009/03/a.b.png"), "http://m/2009/03/a.b");
        assert_eq!(
            url_stem("http://m.example/2009/photo"),
            "http://m.example/2009/photo"
        );
    }

    #[test]
    fn a_stem_that_begins_another_url_waits_for_it() {
        let urls: Vec<String> = [
            "http://m/09/photo.jpg",
            "http://m/09/photo-2.jpg",
            "http://m/09/photo-2-2.jpg",
            "http://m/09/other.jpg",
            "http://m/09/photo.jpeg",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // photo.jpg last shown by post 1, photo-2 by 5, photo-2-2 by 9.
        let due = stem_order(&urls, &[1, 5, 9, 0, 3]);
        assert_eq!(due, [9, 9, 9, 0, 9]);
        let due = stem_order(&urls, &[7, 2, 1, 4, 3]);
        assert_eq!(due, [7, 2, 1, 4, 7]);
    }
}
