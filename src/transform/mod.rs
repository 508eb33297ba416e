//! Transform stage: raw entries of the whole archive become finished posts.
//!
//! Order of work: merge duplicate entries ([`merge`]), date everything
//! ([`timeline`]), then give each post its id, title, slug, category and
//! comments; finally, in parallel and per post, rewrite links ([`links`])
//! and sanitize ([`sanitize`]). Output order is chronological and does not
//! depend on thread timing.

pub mod links;
pub mod media;
pub mod merge;
pub mod sanitize;
pub mod timeline;

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Duration, NaiveDateTime};

use crate::model::{Category, Comment, Post, RawEntry};
use crate::output::slug::slugify;
use crate::parse::dates::{DayMonthOrder, SourceZone};
use crate::parse::dom::fold_space;
use crate::parse::feed::FeedItem;
use crate::parse::ids::SpacesId;
use crate::report::Warning;
use crate::spool::{Spool, Text};
use timeline::When;

/// A post whose metadata is settled and whose HTML is still raw.
#[derive(Debug, Clone)]
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

/// Merge, date, order and number every entry.
pub fn plan(
    entries: Vec<RawEntry>,
    s: &PlanSettings<'_>,
    warnings: &mut Vec<Warning>,
) -> Vec<Planned> {
    let mut entries = merge::merge_duplicates(entries);
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let order = timeline::archive_order(&entries);
    fill_from_feed(&mut entries, s, warnings);
    let dates = timeline::post_dates(&entries, order, warnings);
    let ids = post_ids(&entries);
    let mut planned: Vec<Planned> = entries
        .into_iter()
        .zip(dates)
        .zip(ids)
        .map(|((e, when), wp_id)| plan_one(e, when, wp_id, order, s, warnings))
        .collect();
    planned.sort_by(|a, b| (a.post.date, &a.post.spaces_id).cmp(&(b.post.date, &b.post.spaces_id)));
    make_title_dates_unique(&mut planned, s.zone, warnings);
    number_comments(&mut planned);
    planned
}

/// A page without a full date (or without a title) takes it from the feed
/// item of the same entry, if the archive has a `feed.rss`.
fn fill_from_feed(entries: &mut [RawEntry], s: &PlanSettings<'_>, warnings: &mut Vec<Warning>) {
    if s.feed.is_empty() {
        return;
    }
    let by_id: HashMap<&SpacesId, &FeedItem> = s
        .feed
        .iter()
        .filter(|i| i.is_post())
        .filter_map(|i| Some((i.id.as_ref()?, i)))
        .collect();
    for e in entries.iter_mut() {
        let Some(item) = by_id.get(&e.id) else {
            continue;
        };
        if let Some(utc) = item.published.filter(|_| !has_full_date(e)) {
            let local = timeline::from_utc(utc, s.zone);
            e.date_text = Some(local.format("%Y/%m/%d %H:%M:%S").to_string());
            e.time_text = None;
            warnings.push(Warning::entry(
                &e.source,
                &e.id,
                "date-from-feed",
                format!("the page shows no full date; {local} was taken from feed.rss"),
            ));
        }
        if e.title.as_deref().is_none_or(|t| t.trim().is_empty()) && !item.title.is_empty() {
            e.title = Some(item.title.clone());
            warnings.push(Warning::entry(
                &e.source,
                &e.id,
                "title-from-feed",
                "the page shows no title; it was taken from feed.rss",
            ));
        }
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
fn post_ids(entries: &[RawEntry]) -> Vec<u64> {
    let mut seen = HashSet::new();
    let max = entries.iter().map(|e| e.id.number).max().unwrap_or(0);
    let mut next = max + 1;
    entries
        .iter()
        .map(|e| {
            let n = e.id.number.max(1);
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
/// anyway, so a title made only of them would end up empty) and white space
/// folded.
fn visible(text: &str) -> String {
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

/// WordPress treats two posts with the same title and date as one
/// (`post_exists`), so later ones are moved by whole seconds.
fn make_title_dates_unique(planned: &mut [Planned], zone: SourceZone, warnings: &mut Vec<Warning>) {
    let mut seen: HashSet<(String, NaiveDateTime)> = HashSet::new();
    for p in planned.iter_mut() {
        let original = p.post.date;
        while !seen.insert((p.post.title.clone(), p.post.date)) {
            p.post.date += Duration::seconds(1);
        }
        if p.post.date != original {
            let id = p.post.spaces_id.to_string();
            p.post.date_gmt = timeline::to_gmt(p.post.date, zone, &p.post.source, &id, warnings);
            warnings.push(Warning::entry(&p.post.source, &id, "duplicate-title-date", format!(
                "another post has the same title and date; moved to {} so WordPress imports both", p.post.date)));
        }
    }
}

/// Comment ids: one counter over the file in output order, so ids are
/// chronological within every post and a parent is always lower.
fn number_comments(planned: &mut [Planned]) {
    let mut next = 1;
    for p in planned.iter_mut() {
        for c in &mut p.post.comments {
            c.wp_id = next;
            next += 1;
        }
    }
}

/// The distinct categories of all posts, sorted by slug; when two names
/// share a slug (WordPress would merge them) the first name in slug order
/// is kept.
pub fn categories<'a>(posts: impl Iterator<Item = &'a Post>) -> Vec<Category> {
    let set: BTreeSet<(String, String)> = posts
        .filter_map(|p| p.category.as_ref())
        .map(|c| (c.slug.clone(), c.name.clone()))
        .collect();
    let mut out: Vec<Category> = Vec::new();
    for (slug, name) in set {
        if out.last().is_none_or(|c| c.slug != slug) {
            out.push(Category { name, slug });
        }
    }
    out
}

/// Map from Spaces id to `wp:post_id`, for link rewriting.
pub fn id_map(planned: &[Planned]) -> HashMap<SpacesId, u64> {
    planned
        .iter()
        .map(|p| (p.post.spaces_id.clone(), p.post.wp_id))
        .collect()
}
