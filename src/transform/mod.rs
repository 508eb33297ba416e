//! Transform stage: raw entries of the whole archive become finished posts.
//!
//! Order of work: merge duplicate entries ([`merge`]), date everything
//! ([`timeline`]), then give each post its id, title, slug, category and
//! comments; finally, in parallel and per post, rewrite links ([`links`])
//! and sanitize ([`sanitize`]). Output order is chronological and does not
//! depend on thread timing.

pub mod keys;
pub mod links;
pub mod media;
pub mod merge;
pub mod sanitize;
pub mod timeline;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::model::{Category, Comment, Post, RawEntry};
use crate::output::slug::slugify;
use crate::parse::dates::{DayMonthOrder, OrderVotes, SourceZone};
use crate::parse::dom::fold_space;
use crate::parse::feed::FeedItem;
use crate::parse::ids::SpacesId;
use crate::records::{in_order, RecRef, Records};
use crate::report::{Warning, Warnings};
use crate::spool::{Spool, Text};
use keys::{Entries, EntryKey, IdKey, Owners};
use timeline::{Neighbours, When};

/// Entries read, dated or planned per parallel batch.
pub const CHUNK: usize = 256;

/// A post whose metadata is settled and whose HTML is still raw.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Planned {
    /// The post without its HTML (filled in when it is written).
    pub post: Post,
    /// Raw body HTML.
    pub body: Text,
    /// Raw comment HTML, parallel to `post.comments`.
    pub comment_html: Vec<Text>,
}

/// Settings the planner needs.
pub struct PlanSettings<'a> {
    /// Source time zone.
    pub zone: SourceZone,
    /// Crawl time for relative dates, overriding file times.
    pub crawl_date: Option<NaiveDateTime>,
    /// Space host, for permalinks that the pages did not show.
    pub host: Option<&'a str>,
    /// Items of the archive's `feed.rss` files, to fill missing dates and
    /// titles.
    pub feed: &'a [FeedItem],
    /// Where spooled texts are (for untitled entries' excerpts).
    pub spool: Option<&'a Spool>,
}

/// A post in the plan: where it goes in the file, and where the rest is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanKey {
    /// Local publication date (the sort key, with the id).
    pub date: NaiveDateTime,
    /// The post's Spaces id.
    pub id: IdKey,
    /// `wp:comment_id` of its first comment.
    pub first_comment: u64,
    /// Its [`Planned`] record.
    pub rec: RecRef,
}

/// Every post of the archive in output order, on disk but for its key.
#[derive(Debug)]
pub struct Plan {
    /// Posts in output order: by date, then id.
    pub keys: Vec<PlanKey>,
    records: Records<Planned>,
    owners: Owners,
    /// `wp:post_id` by id, sorted by id (for links between posts).
    ids: Vec<(IdKey, u64)>,
    /// The distinct categories, sorted by slug.
    pub categories: Vec<Category>,
    /// The latest publication time (UTC).
    pub newest: Option<NaiveDateTime>,
    /// The highest `wp:post_id`.
    pub max_wp_id: u64,
}

impl Plan {
    /// The post of `key`, its comments numbered.
    pub fn load(&self, key: &PlanKey) -> io::Result<Planned> {
        let mut p = self.records.get(key.rec)?;
        for (c, id) in p.post.comments.iter_mut().zip(key.first_comment..) {
            c.wp_id = id;
        }
        Ok(p)
    }

    /// The `wp:post_id` of the post with Spaces id `id`, if there is one.
    pub fn wp_id(&self, id: &SpacesId) -> Option<u64> {
        let key = self.owners.key(id)?;
        let i = self.ids.binary_search_by_key(&key, |x| x.0).ok()?;
        Some(self.ids[i].1)
    }
}

/// Merge, date, order and number every entry.
///
/// Entries wait on disk; what stays in memory is a few dozen bytes per
/// entry (keys, counters, dates of neighbours), and one batch of entries.
pub fn plan(entries: Entries, s: &PlanSettings<'_>, warnings: &mut Warnings) -> io::Result<Plan> {
    let Entries {
        mut keys,
        records,
        mut owners,
    } = entries;
    owners.sort(&mut keys);
    keys.sort_by_key(|k| k.id);
    let mut keys = merge::merge_stored(keys, &records)?;
    let order = archive_order(&keys, &records)?;
    let neighbours = fill_and_find_dated(&mut keys, &records, order, s, warnings)?;
    let wp_ids = post_ids(&keys);
    let keyed: Vec<(EntryKey, u64)> = keys.into_iter().zip(wp_ids).collect();
    let mut plan = plan_posts(&keyed, &records, order, &neighbours, s, warnings)?;
    plan.owners = owners;
    drop(keyed);
    plan.keys.sort_by_key(|k| (k.date, k.id));
    plan.newest = finish_order(&mut plan.keys, &plan.records, s.zone, warnings)?;
    Ok(plan)
}

/// The day/month order of the archive, from all its date texts.
fn archive_order(keys: &[EntryKey], records: &Records<RawEntry>) -> io::Result<DayMonthOrder> {
    let mut votes = OrderVotes::default();
    in_order(
        keys,
        CHUNK,
        |k| records.get(k.rec),
        |_, e| {
            timeline::order_texts(&e).for_each(|t| votes.add(t));
            Ok(())
        },
    )?;
    Ok(votes.decide().unwrap_or_default())
}

/// Let feed items fill what pages lack (storing the changed entries anew),
/// then collect the fully dated entries.
fn fill_and_find_dated(
    keys: &mut [EntryKey],
    records: &Records<RawEntry>,
    order: DayMonthOrder,
    s: &PlanSettings<'_>,
    warnings: &mut Warnings,
) -> io::Result<Neighbours> {
    let feed = FeedIndex::new(s.feed);
    let mut dated: Vec<(u64, NaiveDateTime)> = Vec::new();
    let mut changed: Vec<(usize, RecRef)> = Vec::new();
    let mut at = 0usize;
    in_order(
        keys,
        CHUNK,
        |k| records.get(k.rec),
        |k, mut e| {
            let mut notes = Vec::new();
            if feed.fill(&mut e, s.zone, &mut notes) {
                changed.push((at, records.push(&e)?));
            }
            warnings.extend(notes);
            if let Some(d) = timeline::full_date(&e, order) {
                dated.push((k.id.number, d));
            }
            at += 1;
            Ok(())
        },
    )?;
    for (i, rec) in changed {
        keys[i].rec = rec;
    }
    Ok(Neighbours::new(dated))
}

/// Date, title and number every entry (in id order), storing each as a
/// [`Planned`] record.
fn plan_posts(
    keyed: &[(EntryKey, u64)],
    records: &Records<RawEntry>,
    order: DayMonthOrder,
    neighbours: &Neighbours,
    s: &PlanSettings<'_>,
    warnings: &mut Warnings,
) -> io::Result<Plan> {
    let planned: Records<Planned> = Records::new();
    let mut keys: Vec<PlanKey> = Vec::with_capacity(keyed.len());
    let mut ids: Vec<(IdKey, u64)> = Vec::with_capacity(keyed.len());
    let mut category_set: BTreeSet<(String, String)> = BTreeSet::new();
    let one = |(k, wp_id): &(EntryKey, u64)| -> io::Result<(Planned, RecRef, Vec<Warning>)> {
        let e = records.get(k.rec)?;
        let mut notes = Vec::new();
        let when = timeline::post_date(&e, order, neighbours, &mut notes);
        let p = plan_one(e, when, *wp_id, order, s, &mut notes);
        let rec = planned.push(&p)?;
        Ok((p, rec, notes))
    };
    in_order(keyed, CHUNK, one, |(k, _), (p, rec, notes)| {
        warnings.extend(notes);
        if let Some(c) = &p.post.category {
            category_set.insert((c.slug.clone(), c.name.clone()));
        }
        ids.push((k.id, p.post.wp_id));
        keys.push(PlanKey {
            date: p.post.date,
            id: k.id,
            first_comment: 0,
            rec,
        });
        Ok(())
    })?;
    // `keyed` is in id order, so `ids` is sorted for binary search.
    debug_assert!(ids.windows(2).all(|w| w[0].0 < w[1].0));
    let max_wp_id = ids.iter().map(|x| x.1).max().unwrap_or(0);
    Ok(Plan {
        keys,
        records: planned,
        owners: Owners::default(),
        ids,
        categories: categories(category_set),
        newest: None,
        max_wp_id,
    })
}

/// Feed items of blog posts by id.
struct FeedIndex<'a> {
    by_id: HashMap<&'a SpacesId, &'a FeedItem>,
}

impl<'a> FeedIndex<'a> {
    fn new(feed: &'a [FeedItem]) -> Self {
        let by_id = feed
            .iter()
            .filter(|i| i.is_post())
            .filter_map(|i| Some((i.id.as_ref()?, i)))
            .collect();
        FeedIndex { by_id }
    }

    /// A page without a full date (or without a title) takes it from the
    /// feed item of the same entry, if the archive has a `feed.rss`.
    /// Returns whether `e` changed.
    fn fill(&self, e: &mut RawEntry, zone: SourceZone, warnings: &mut Vec<Warning>) -> bool {
        let Some(item) = self.by_id.get(&e.id) else {
            return false;
        };
        let mut changed = false;
        if let Some(utc) = item.published.filter(|_| !has_full_date(e)) {
            let local = timeline::from_utc(utc, zone);
            e.date_text = Some(local.format("%Y/%m/%d %H:%M:%S").to_string());
            e.time_text = None;
            changed = true;
            warnings.push(Warning::entry(
                &e.source,
                &e.id,
                "date-from-feed",
                format!("the page shows no full date; {local} was taken from feed.rss"),
            ));
        }
        if e.title.as_deref().is_none_or(|t| t.trim().is_empty()) && !item.title.is_empty() {
            e.title = Some(item.title.clone());
            changed = true;
            warnings.push(Warning::entry(
                &e.source,
                &e.id,
                "title-from-feed",
                "the page shows no title; it was taken from feed.rss",
            ));
        }
        changed
    }
}

/// Does the entry's own date text give a date with a year?
fn has_full_date(e: &RawEntry) -> bool {
    [&e.date_text, &e.time_text]
        .iter()
        .filter_map(|t| t.as_deref())
        .any(|t| {
            crate::parse::dates::parse_loose(t, DayMonthOrder::default())
                .is_some_and(|d| d.year.is_some())
        })
}

/// `wp:post_id` = the Spaces counter when it is unique in the archive;
/// clashes (two owners in one archive) get ids above the largest counter.
fn post_ids(keys: &[EntryKey]) -> Vec<u64> {
    let mut seen = HashSet::new();
    let max = keys.iter().map(|k| k.id.number).max().unwrap_or(0);
    let mut next = max + 1;
    keys.iter()
        .map(|k| {
            let n = k.id.number.max(1);
            if seen.insert(n) {
                n
            } else {
                next += 1;
                next - 1
            }
        })
        .collect()
}

fn plan_one(
    mut e: RawEntry,
    when: When,
    wp_id: u64,
    order: DayMonthOrder,
    s: &PlanSettings<'_>,
    warnings: &mut Vec<Warning>,
) -> Planned {
    let id = e.id.to_string();
    let title = title_of(&e, when.local, s.spool, warnings);
    let date_gmt = timeline::to_gmt(when.local, s.zone, &e.source, &id, warnings);
    let (comments, comment_html) = comments_of(&e, when, order, s, warnings);
    check_comment_count(&e, comments.len(), warnings);
    let post = Post {
        spaces_id: e.id.clone(),
        wp_id,
        slug: slugify(&title),
        title,
        date: when.local,
        date_gmt,
        category: e.category.as_ref().map(|c| Category {
            name: c.clone(),
            slug: category_slug(c),
        }),
        html: String::new(),
        original_html: None,
        comments,
        permalink: permalink_of(&e, s.host),
        source: e.source.clone(),
    };
    Planned {
        post,
        body: std::mem::take(&mut e.body),
        comment_html,
    }
}

fn category_slug(name: &str) -> String {
    let s = slugify(name);
    if s.is_empty() {
        "category".into()
    } else {
        s
    }
}

/// The title, or a readable stand-in for an untitled entry.
fn title_of(
    e: &RawEntry,
    date: NaiveDateTime,
    spool: Option<&Spool>,
    warnings: &mut Vec<Warning>,
) -> String {
    let t = visible(e.title.as_deref().unwrap_or_default());
    if !t.is_empty() {
        return t;
    }
    let body = e.body.read(spool).unwrap_or_default();
    let fallback = match excerpt(&body) {
        Some(x) => x,
        None => format!("Untitled entry of {}", date.format("%Y-%m-%d")),
    };
    warnings.push(Warning::entry(
        &e.source,
        &e.id,
        "untitled",
        format!("entry has no title; titled '{fallback}'"),
    ));
    fallback
}

/// Text with control characters removed (they are dropped from the XML
/// anyway, so a title made only of them would end up empty; one between
/// two words leaves a space) and white space folded.
fn visible(text: &str) -> String {
    let text = crate::output::xml::unglue_controls(text);
    let shown =
        |c: &char| c.is_whitespace() || (crate::output::xml::is_xml_char(*c) && !c.is_control());
    let kept: String = text.chars().filter(shown).collect();
    fold_space(&kept)
}

/// First words of a body's text, at most 40 characters.
fn excerpt(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_fragment(html);
    let text = visible(&doc.root_element().text().collect::<String>());
    if text.is_empty() {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 40 {
        return Some(text);
    }
    let cut: String = chars[..40].iter().collect();
    let cut = match cut.rfind(' ') {
        Some(p) if p > 10 => cut[..p].to_string(),
        _ => cut,
    };
    Some(format!("{cut}…"))
}

fn permalink_of(e: &RawEntry, host: Option<&str>) -> String {
    if let Some(p) = &e.permalink {
        return p.clone();
    }
    let host = e
        .hosts
        .first()
        .map(String::as_str)
        .or(host)
        .unwrap_or("spaces.live.com");
    format!("http://{host}/blog/{}.entry", e.id)
}

/// Comments in chronological order with their dates.
fn comments_of(
    e: &RawEntry,
    when: When,
    order: DayMonthOrder,
    s: &PlanSettings<'_>,
    warnings: &mut Vec<Warning>,
) -> (Vec<Comment>, Vec<Text>) {
    let crawled = e.crawled_utc.map(|t| timeline::from_utc(t, s.zone));
    let anchor = s.crawl_date.or(crawled).or(e.saved_at);
    let dates = timeline::comment_dates(&e.comments, when, anchor, order);
    let mut items: Vec<(When, usize)> = Vec::with_capacity(e.comments.len());
    let undated = dates.iter().filter(|d| d.is_none()).count();
    let all_undated = undated == dates.len();
    for (k, d) in dates.iter().enumerate() {
        // Undated comments: Spaces listed newest first, so page order reversed.
        let pos = if all_undated { dates.len() - 1 - k } else { k };
        items.push((d.unwrap_or_else(|| timeline::stand_in(when, pos)), k));
    }
    if undated > 0 {
        warnings.push(Warning::entry(
            &e.source,
            &e.id,
            "comment-date",
            format!(
                "{undated} of {} comments have no readable date; they were placed after the post",
                dates.len()
            ),
        ));
    }
    items.sort_by_key(|(w, k)| (w.local, if all_undated { usize::MAX - k } else { *k }));
    let id = e.id.to_string();
    let mut comments = Vec::with_capacity(items.len());
    let mut html = Vec::with_capacity(items.len());
    for (w, k) in items {
        let raw = &e.comments[k];
        let gmt = timeline::to_gmt(w.local, s.zone, &e.source, &id, warnings);
        comments.push(Comment {
            wp_id: 0,
            author: if raw.author.trim().is_empty() {
                "Anonymous".into()
            } else {
                raw.author.clone()
            },
            author_url: raw.author_url.clone().unwrap_or_default(),
            author_email: raw.author_email.clone().unwrap_or_default(),
            html: String::new(),
            date: w.local,
            date_gmt: gmt,
            approximate: w.approximate,
        });
        html.push(raw.html.clone());
    }
    (comments, html)
}

fn check_comment_count(e: &RawEntry, have: usize, warnings: &mut Vec<Warning>) {
    let declared = e.declared_comments.map(|d| d as usize);
    if let Some(d) = declared.filter(|d| *d > have) {
        warnings.push(Warning::entry(&e.source, &e.id, "missing-comments", format!(
            "the page says {d} comments but the archive holds {have}; {} are missing (their comment pages were not saved)", d - have)));
    } else if e.more_comments_link {
        warnings.push(Warning::entry(&e.source, &e.id, "missing-comments", format!(
            "the page links to more comments than the {have} it holds; later comment pages are not in the archive")));
    }
}

/// The last pass, in output order: WordPress treats two posts with the same
/// title and date as one (`post_exists`), so later ones are moved by whole
/// seconds; comments are numbered with one counter over the file, so ids are
/// chronological within every post and a parent is always lower.
fn finish_order(
    keys: &mut [PlanKey],
    records: &Records<Planned>,
    zone: SourceZone,
    warnings: &mut Warnings,
) -> io::Result<Option<NaiveDateTime>> {
    use rayon::prelude::*;
    // (date, title) of the posts already placed whose date is not before the
    // current post's: dates only move forward, so older ones cannot clash.
    let mut recent: BTreeSet<(NaiveDateTime, String)> = BTreeSet::new();
    let mut next_comment = 1u64;
    let mut newest = None;
    for part in keys.chunks_mut(CHUNK) {
        let loaded: Vec<Planned> = part
            .par_iter()
            .map(|k| records.get(k.rec))
            .collect::<io::Result<_>>()?;
        for (key, mut p) in part.iter_mut().zip(loaded) {
            while recent.first().is_some_and(|(d, _)| *d < p.post.date) {
                recent.pop_first();
            }
            let original = p.post.date;
            while !recent.insert((p.post.date, p.post.title.clone())) {
                p.post.date += Duration::seconds(1);
            }
            key.first_comment = next_comment;
            next_comment += p.post.comments.len() as u64;
            if p.post.date != original {
                let id = p.post.spaces_id.to_string();
                let mut notes = Vec::new();
                p.post.date_gmt =
                    timeline::to_gmt(p.post.date, zone, &p.post.source, &id, &mut notes);
                notes.push(Warning::entry(&p.post.source, &id, "duplicate-title-date", format!(
                    "another post has the same title and date; moved to {} so WordPress imports both", p.post.date)));
                warnings.extend(notes);
                key.date = p.post.date;
                key.rec = records.push(&p)?;
            }
            newest = newest.max(Some(p.post.date_gmt));
        }
    }
    Ok(newest)
}

/// The distinct categories as (slug, name), one per slug; when two names
/// share a slug (WordPress would merge them) the first name in slug order
/// is kept.
fn categories(set: BTreeSet<(String, String)>) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    for (slug, name) in set {
        if out.last().is_none_or(|c| c.slug != slug) {
            out.push(Category { name, slug });
        }
    }
    out
}
