//! Plan stage: the raw entries of a space become planned posts (merged,
//! dated, ordered, numbered, titled), waiting on disk for the later stages.
//!
//! Order of work: merge duplicate entries ([`merge`]), date everything
//! ([`timeline`]), then give each post its id, title, slug ([`slug`]),
//! category and comments. Links and HTML are the render stage's. Output
//! order is chronological and does not depend on thread timing.

pub mod keys;
pub mod merge;
pub mod slug;
pub mod timeline;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;

use chrono::{Duration, NaiveDateTime};
use keys::{Entries, EntryKey, IdKey, Owners};
use serde::{Deserialize, Serialize};
use timeline::{Neighbours, When};

use crate::model::{Category, Comment, Post, RawEntry};
use crate::parse::dates::{DayMonthOrder, OrderVotes, SourceZone};
use crate::parse::dom::fold_space;
use crate::parse::feed::FeedItem;
use crate::parse::ids::{self, SpacesId};
use crate::plan::slug::{post_slug, slugify};
use crate::report::{Warning, WarningKind, Warnings};
use crate::store::records::{in_order, RecRef, Records};
use crate::store::text::Text;

/// Entries read, dated or planned per parallel batch.
pub const CHUNK: usize = 256;

/// A post whose metadata is settled and whose HTML is still raw.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Planned {
    /// The post without its HTML (filled in when it is written).
    pub post: Post,
    /// Raw body HTML.
    pub body: Text,
    /// The URLs the body references, in document order.
    pub refs: Vec<crate::model::UrlRef>,
    /// Raw comment HTML, parallel to `post.comments`.
    pub comment_html: Vec<Text>,
    /// What the entry showed on its page, for the accounting.
    pub shown: crate::report::account::Shown,
    /// Comment count the page declared.
    pub declared_comments: Option<u32>,
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
    /// `wp:post_id` and where its `post_name` is stored, by id, sorted by
    /// id (for links between posts; the slugs wait on disk, so memory does
    /// not grow with titles).
    ids: Vec<(IdKey, u64, RecRef)>,
    slugs: Records<String>,
    /// The distinct categories, sorted by slug.
    pub categories: Vec<Category>,
    /// The latest publication time (UTC).
    pub newest: Option<NaiveDateTime>,
    /// The highest `wp:post_id`.
    pub max_wp_id: u64,
    /// Comments the pages declare (a count, a "read comments (N)" link) but
    /// do not hold, over all posts.
    pub missing_comments: usize,
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

    /// The `post_name` of the post converted from `id`; `Ok(None)` when
    /// the archive does not hold that entry.
    ///
    /// Errors: the slug cannot be read back from its temporary file.
    pub fn slug(&self, id: &SpacesId) -> io::Result<Option<String>> {
        let Some(key) = self.owners.key(id) else {
            return Ok(None);
        };
        let Ok(i) = self.ids.binary_search_by_key(&key, |x| x.0) else {
            return Ok(None);
        };
        self.slugs.get(self.ids[i].2).map(Some)
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
    // The archive's main host names an entry that shows none only when the
    // archive holds a single space.
    let host = s.host.filter(|_| owners.len() <= 1);
    let mut plan = plan_posts(&keyed, &records, order, &neighbours, s, host, warnings)?;
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
    let mut dated: Vec<(IdKey, NaiveDateTime)> = Vec::new();
    let mut changed: Vec<(usize, RecRef)> = Vec::new();
    let mut at = 0usize;
    in_order(
        keys,
        CHUNK,
        |k| records.get(k.rec),
        |k, mut e| {
            let mut notes = Vec::new();
            let exact = fill_exact(&mut e, s.zone);
            if feed.fill(&mut e, s.zone, &mut notes) || exact {
                changed.push((at, records.push(&e)?));
            }
            warnings.extend(notes);
            if let Some(d) = timeline::full_date(&e, order) {
                dated.push((k.id, d));
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
    host: Option<&str>,
    warnings: &mut Warnings,
) -> io::Result<Plan> {
    let planned: Records<Planned> = Records::new();
    let mut keys: Vec<PlanKey> = Vec::with_capacity(keyed.len());
    let mut ids: Vec<(IdKey, u64, RecRef)> = Vec::with_capacity(keyed.len());
    let slugs: Records<String> = Records::new();
    let mut category_set: BTreeSet<(String, String)> = BTreeSet::new();
    let mut missing_comments = 0usize;
    let one = |(k, wp_id): &(EntryKey, u64)| -> io::Result<(Planned, RecRef, Vec<Warning>, usize)> {
        let e = records.get(k.rec)?;
        let mut notes = Vec::new();
        let crawl = timeline::crawl_time(crawl_of(&e, s), &e);
        let when = timeline::post_date(&e, k.id, order, neighbours, crawl, &mut notes);
        let (p, missing) = plan_one(e, when, *wp_id, order, s, host, &mut notes);
        let rec = planned.push(&p)?;
        Ok((p, rec, notes, missing))
    };
    in_order(keyed, CHUNK, one, |(k, _), (p, rec, notes, missing)| {
        warnings.extend(notes);
        missing_comments += missing;
        if let Some(c) = &p.post.category {
            category_set.insert((c.slug.clone(), c.name.clone()));
        }
        ids.push((k.id, p.post.wp_id, slugs.push(&p.post.slug)?));
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
        slugs,
        categories: categories(category_set),
        newest: None,
        max_wp_id,
        missing_comments,
    })
}

/// An entry dated by a feed (a photo album's `pubDate`) and by no text
/// takes that moment, in the space's zone. Returns whether `e` changed.
fn fill_exact(e: &mut RawEntry, zone: SourceZone) -> bool {
    match e.published_utc.filter(|_| !timeline::has_full_date(e)) {
        Some(utc) => {
            let local = timeline::from_utc(utc, zone);
            e.date_text = Some(local.format("%Y/%m/%d %H:%M:%S").to_string());
            e.time_text = None;
            true
        }
        None => false,
    }
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
        if let Some(utc) = item.published.filter(|_| !timeline::has_full_date(e)) {
            let local = timeline::from_utc(utc, zone);
            e.date_text = Some(local.format("%Y/%m/%d %H:%M:%S").to_string());
            e.time_text = None;
            changed = true;
            warnings.push(Warning::entry(
                &e.source,
                &e.id,
                WarningKind::DateFromFeed,
                format!("the page shows no full date; {local} was taken from feed.rss"),
            ));
        }
        if e.title.as_deref().is_none_or(|t| t.trim().is_empty()) && !item.title.is_empty() {
            e.title = Some(item.title.clone());
            changed = true;
            warnings.push(Warning::entry(
                &e.source,
                &e.id,
                WarningKind::TitleFromFeed,
                "the page shows no title; it was taken from feed.rss",
            ));
        }
        changed
    }
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
    host: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> (Planned, usize) {
    let id = e.id.to_string();
    let title = title_of(&e, when.local, warnings);
    let date_gmt = timeline::to_gmt(when.local, s.zone, &e.source, &id, warnings);
    let (comments, comment_html) = comments_of(&e, when, order, s, warnings);
    let missing_comments = check_comment_count(&e, comments.len(), warnings);
    let post = Post {
        spaces_id: e.id.clone(),
        wp_id,
        slug: post_slug(&title, wp_id),
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
        permalink: permalink_of(&e, host),
        source: e.source.clone(),
    };
    let planned = Planned {
        post,
        body: std::mem::take(&mut e.body),
        refs: std::mem::take(&mut e.refs),
        comment_html,
        shown: std::mem::take(&mut e.shown),
        declared_comments: e.declared_comments,
    };
    (planned, missing_comments)
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
fn title_of(e: &RawEntry, date: NaiveDateTime, warnings: &mut Vec<Warning>) -> String {
    let t = visible(e.title.as_deref().unwrap_or_default());
    if !t.is_empty() {
        return t;
    }
    let fallback = match excerpt(&e.lead) {
        Some(x) => x,
        None => format!("Untitled entry of {}", date.format("%Y-%m-%d")),
    };
    warnings.push(Warning::entry(
        &e.source,
        &e.id,
        WarningKind::Untitled,
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

/// Longest fallback title, in characters.
const TITLE_MAX: usize = 40;
/// A cut shorter than this would say too little; a later boundary is used.
const TITLE_MIN: usize = 6;

/// First words of a body's text (its [`RawEntry::lead`]), at most
/// [`TITLE_MAX`] characters, cut at a boundary (see [`cut_title`]).
fn excerpt(lead: &str) -> Option<String> {
    let text = visible(lead);
    (!text.is_empty()).then(|| cut_title(&text))
}

/// Cut a text to a title: whole when short; else after the last sentence
/// end (`。！？!?`, or `.` before a space) within the limit, else before the
/// last clause mark (`，、；：…,;:`) or space with `…` added. CJK text has
/// no spaces, so without any such boundary within the limit the first one
/// a little further is used; only text without any is cut hard.
fn cut_title(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= TITLE_MAX {
        return text.to_string();
    }
    let sentence_end = |i: usize| match chars[i] {
        '。' | '！' | '？' | '!' | '?' | '．' => true,
        '.' => chars.get(i + 1).is_some_and(|c| c.is_whitespace()),
        _ => false,
    };
    let clause = |i: usize| {
        matches!(
            chars[i],
            '，' | '、' | '；' | '：' | '…' | '‥' | ',' | ';' | ':' | '～' | '—'
        ) || chars[i].is_whitespace()
    };
    let head = |end: usize| {
        chars[..end]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
    };
    let last = |pred: &dyn Fn(usize) -> bool, upto: usize| {
        (TITLE_MIN..upto.min(chars.len())).rev().find(|&i| pred(i))
    };
    if let Some(i) = last(&sentence_end, TITLE_MAX) {
        let keep = if matches!(chars[i], '。' | '.' | '．') {
            i
        } else {
            i + 1
        };
        return head(keep);
    }
    if let Some(i) = last(&clause, TITLE_MAX) {
        return format!("{}…", head(i));
    }
    let further =
        (TITLE_MAX..chars.len().min(TITLE_MAX * 2)).find(|&i| sentence_end(i) || clause(i));
    match further {
        Some(i) if sentence_end(i) && chars[i] != '。' && chars[i] != '.' => head(i + 1),
        Some(i) if sentence_end(i) => head(i),
        Some(i) => format!("{}…", head(i)),
        None => format!("{}…", head(TITLE_MAX)),
    }
}

/// The entry's old URL: the one its page links to; else on a host its page
/// links to, or the space's host; else on the host Spaces derived from the
/// owner id (`cid-<16 lower-case hex>.spaces.live.com`).
fn permalink_of(e: &RawEntry, host: Option<&str>) -> String {
    if let Some(p) = &e.permalink {
        return p.clone();
    }
    let host = e
        .hosts
        .first()
        .cloned()
        .or(host.map(str::to_string))
        .or_else(|| ids::cid_host(&e.id.owner))
        .unwrap_or_else(|| "spaces.live.com".into());
    format!("http://{host}/blog/{}.entry", e.id)
}

/// The crawl time a user or a crawler gave for the entry's page (local).
/// A Wayback capture's own time is exact for its page, so it wins over the
/// user's `--crawl-date`, which stands for the archive as a whole.
fn crawl_of(e: &RawEntry, s: &PlanSettings<'_>) -> Option<NaiveDateTime> {
    if let Some(t) = e.capture_utc {
        return Some(timeline::from_utc(t, s.zone));
    }
    let crawled = e.crawled_utc.map(|t| timeline::from_utc(t, s.zone));
    s.crawl_date.or(crawled)
}

/// Comments in chronological order with their dates.
fn comments_of(
    e: &RawEntry,
    when: When,
    order: DayMonthOrder,
    s: &PlanSettings<'_>,
    warnings: &mut Vec<Warning>,
) -> (Vec<Comment>, Vec<Text>) {
    let anchor = timeline::crawl_time(crawl_of(e, s), e);
    // A comment merged in from another Wayback capture is anchored at that
    // capture's time.
    let anchor_of = |c: &crate::model::RawComment| match c.anchor_utc {
        Some(t) => timeline::crawl_time(Some(timeline::from_utc(t, s.zone)), e),
        None => anchor,
    };
    let dates = timeline::comment_dates(&e.comments, when, anchor_of, order);
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
            WarningKind::CommentDate,
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

/// Warn when the page declares more comments than it holds; returns how
/// many are missing (0 when the count is unknown).
fn check_comment_count(e: &RawEntry, have: usize, warnings: &mut Vec<Warning>) -> usize {
    let declared = e.declared_comments.map(|d| d as usize);
    if let Some(d) = declared.filter(|d| *d > have) {
        warnings.push(Warning::entry(&e.source, &e.id, WarningKind::MissingComments, format!(
            "the page says {d} comments but the archive holds {have}; {} are missing (they were on comment pages or loaded by script, and were not saved)", d - have)));
        return d - have;
    }
    if e.more_comments_link {
        warnings.push(Warning::entry(&e.source, &e.id, WarningKind::MissingComments, format!(
            "the page links to more comments than the {have} it holds; later comment pages are not in the archive")));
    }
    0
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
    let mut slots = Slots::default();
    let mut next_comment = 1u64;
    let mut newest = None;
    for part in keys.chunks_mut(CHUNK) {
        let loaded: Vec<Planned> = part
            .par_iter()
            .map(|k| records.get(k.rec))
            .collect::<io::Result<_>>()?;
        for (key, mut p) in part.iter_mut().zip(loaded) {
            let original = p.post.date;
            p.post.date = slots.place(original, &p.post.title);
            key.first_comment = next_comment;
            next_comment += p.post.comments.len() as u64;
            if p.post.date != original {
                let id = p.post.spaces_id.to_string();
                let mut notes = Vec::new();
                p.post.date_gmt =
                    timeline::to_gmt(p.post.date, zone, &p.post.source, &id, &mut notes);
                notes.push(Warning::entry(&p.post.source, &id, WarningKind::DuplicateTitleDate, format!(
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

/// Free (date, title) slots for posts taken in date order: WordPress's
/// importer treats two posts with the same title and date as one, so a
/// clash moves the later post by whole seconds.
///
/// Linear in the number of posts. For each title, the last second a
/// clashing post was moved to (its frontier) is remembered: every second
/// from that post's own date up to the frontier is taken by the title (by
/// induction, as posts come in date order), so a later clash starts past
/// the frontier, and each taken second is stepped over at most once.
#[derive(Default)]
struct Slots {
    /// (date, title) of the posts placed whose date is not before the
    /// current post's: dates only move forward, so older ones cannot clash.
    taken: BTreeSet<(NaiveDateTime, String)>,
    /// Title → its frontier, while the frontier is not before the current
    /// post's date; `by_date` orders them for pruning.
    frontier: HashMap<String, NaiveDateTime>,
    by_date: BTreeSet<(NaiveDateTime, String)>,
    /// Insert attempts, for the linear-cost test.
    attempts: u64,
}

impl Slots {
    /// The first free second at or after `date` for `title`; `date` must
    /// not go back in time from one call to the next.
    fn place(&mut self, date: NaiveDateTime, title: &str) -> NaiveDateTime {
        while self.taken.first().is_some_and(|(d, _)| *d < date) {
            self.taken.pop_first();
        }
        while let Some((d, t)) = self.by_date.first().filter(|(d, _)| *d < date).cloned() {
            self.by_date.pop_first();
            if self.frontier.get(&t) == Some(&d) {
                self.frontier.remove(&t);
            }
        }
        let mut at = match self.frontier.get(title) {
            Some(f) if *f >= date => *f + Duration::seconds(1),
            _ => date,
        };
        loop {
            self.attempts += 1;
            if self.taken.insert((at, title.to_string())) {
                break;
            }
            at += Duration::seconds(1);
        }
        if at != date {
            self.frontier.insert(title.to_string(), at);
            self.by_date.insert((at, title.to_string()));
        }
        at
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashing_titles_and_dates_are_placed_in_linear_time() {
        let d = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("date");
        let mut slots = Slots::default();
        let n = 20_000u64;
        let mut got = Vec::new();
        for _ in 0..n {
            got.push(slots.place(d("2008-05-01 10:00:00"), "Photos"));
        }
        // Another title at the same second is not moved; a later post of the
        // same title lands after the run.
        assert_eq!(
            slots.place(d("2008-05-01 10:00:00"), "Other"),
            d("2008-05-01 10:00:00")
        );
        // Later posts of the same title, one second apart, land after the
        // run, each in O(1).
        for k in 1..=n as i64 {
            let at = slots.place(d("2008-05-01 10:00:00") + Duration::seconds(k), "Photos");
            assert_eq!(
                at,
                d("2008-05-01 10:00:00") + Duration::seconds(n as i64 - 1 + k)
            );
        }
        let want: Vec<NaiveDateTime> = (0..n as i64)
            .map(|k| d("2008-05-01 10:00:00") + Duration::seconds(k))
            .collect();
        assert_eq!(got, want);
        // 2n + 1 placements; the quadratic scan took about n² / 2 + n².
        assert!(
            slots.attempts < 4 * n,
            "{} attempts for {n} posts",
            slots.attempts
        );
    }

    #[test]
    fn fallback_titles_end_at_a_boundary() {
        let cases = [
            // zh-CN: the first sentence fits.
            (
                "上周末和朋友去了西湖，天气特别好，断桥上全是人。下午坐船去了三潭印月，晚上在河坊街吃了小吃。",
                "上周末和朋友去了西湖，天气特别好，断桥上全是人",
            ),
            // ja: no sentence end within the limit, so the last clause mark.
            (
                "今日は朝から雨が降っていたので、近所の図書館で一日中ずっと本を読んでいました、とても静かで良い一日でした。",
                "今日は朝から雨が降っていたので、近所の図書館で一日中ずっと本を読んでいました…",
            ),
            // zh: no boundary within 40 characters, the first one after it.
            (
                "这是一段没有任何标点符号的很长很长的文字一直写下去直到超过四十个字符为止还在继续写呢终于，结束了。",
                "这是一段没有任何标点符号的很长很长的文字一直写下去直到超过四十个字符为止还在继续写呢终于…",
            ),
            // Latin: a word boundary, never inside a word.
            (
                "After three weeks of rest my knee finally feels strong enough for the long hill loop",
                "After three weeks of rest my knee…",
            ),
            (
                "Fui à praia. Depois almoçamos num restaurante muito simpático perto do farol",
                "Fui à praia",
            ),
            ("Short text.", "Short text."),
        ];
        for (text, want) in cases {
            assert_eq!(cut_title(text), want, "{text}");
        }
    }

    #[test]
    fn permalinks_without_a_host_use_the_owner_id() {
        let e = RawEntry {
            id: SpacesId {
                owner: "A3C05E91B27D4F6".into(),
                number: 31,
            },
            ..Default::default()
        };
        assert_eq!(
            permalink_of(&e, None),
            "http://cid-0a3c05e91b27d4f6.spaces.live.com/blog/cns!A3C05E91B27D4F6!31.entry"
        );
        assert_eq!(
            permalink_of(&e, Some("anna.spaces.live.com")),
            "http://anna.spaces.live.com/blog/cns!A3C05E91B27D4F6!31.entry"
        );
        let old = RawEntry {
            id: SpacesId {
                owner: "1pU-rgQVTuuWM1TX8W8PfmDA".into(),
                number: 1073,
            },
            ..Default::default()
        };
        assert_eq!(
            permalink_of(&old, None),
            "http://spaces.live.com/blog/cns!1pU-rgQVTuuWM1TX8W8PfmDA!1073.entry"
        );
    }
}
