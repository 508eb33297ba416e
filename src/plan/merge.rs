//! One post per Spaces id.
//!
//! A crawler mirror often holds the same entry twice: on a list page and on
//! its own page (and a list page may be saved under several query strings).
//! The copies are merged field by field: the single-entry page wins, the
//! others fill what it lacks, and comments are united without duplicates.

use std::collections::HashMap;
use std::io;

use crate::model::{RawComment, RawEntry};
use crate::parse::dates;
use crate::parse::dom::fold_space;
use crate::plan::keys::EntryKey;
use crate::plan::timeline;
use crate::store::records::{RecRef, Records};

/// One key per id: `keys` sorted by id (archive order among equal ids);
/// the copies of an entry found more than once are merged into a new record.
pub fn merge_stored(keys: Vec<EntryKey>, records: &Records<RawEntry>) -> io::Result<Vec<EntryKey>> {
    let mut out: Vec<EntryKey> = Vec::with_capacity(keys.len());
    for group in keys.chunk_by(|a, b| a.id == b.id) {
        if let [one] = group {
            out.push(*one);
            continue;
        }
        out.push(EntryKey {
            id: group[0].id,
            rec: records.push(&merge_copies(group, records)?)?,
        });
    }
    Ok(out)
}

/// Merge the copies of one entry (keys in archive order), reading one copy
/// at a time: however many pages repeat an entry, only the merged entry and
/// one copy are in memory.
fn merge_copies(group: &[EntryKey], records: &Records<RawEntry>) -> io::Result<RawEntry> {
    // A Wayback capture taken after Spaces closed never wins over one taken
    // before; then the highest rank; among equals the newest capture; then
    // the one with most comments; then archive order.
    let mut order: Vec<(Standing, RecRef)> = group
        .iter()
        .map(|k| {
            records.get(k.rec).map(|e| {
                let copy = Standing {
                    real: e.capture_utc.is_none_or(|t| t < timeline::spaces_closed()),
                    rank: e.rank,
                    captured: e.capture_utc,
                    comments: e.comments.len(),
                };
                (copy, k.rec)
            })
        })
        .collect::<io::Result<_>>()?;
    order.sort_by_key(|x| std::cmp::Reverse(x.0));
    let mut main = records.get(order[0].1)?;
    let mut seen = Seen::default();
    for c in &main.comments {
        seen.insert(c);
    }
    for &(_, rec) in &order[1..] {
        let other = records.get(rec)?;
        // Relative dates of the other capture's comments count from its
        // own capture time.
        let anchor = other
            .capture_utc
            .filter(|_| other.capture_utc != main.capture_utc);
        adopt_full_date(&mut main, &other);
        fill(
            &mut main.title,
            other.title.filter(|t| !t.trim().is_empty()),
        );
        fill(&mut main.date_text, other.date_text);
        fill(&mut main.time_text, other.time_text);
        fill(&mut main.category, other.category);
        fill(&mut main.permalink, other.permalink);
        fill(&mut main.saved_at, other.saved_at);
        fill(&mut main.crawled_utc, other.crawled_utc);
        if main.body.is_blank() && !other.body.is_blank() {
            main.body = other.body;
            main.refs = other.refs;
            main.lead = other.lead;
            main.shown = other.shown;
        } else {
            // What any copy showed is what the page showed: a photo seen
            // only on the list page's copy must be in the post or reported.
            main.shown.absorb(&other.shown);
        }
        main.declared_comments = main.declared_comments.max(other.declared_comments);
        main.more_comments_link |= other.more_comments_link;
        // Comments the merged entry does not hold yet, in page order.
        for mut c in other.comments {
            if !seen.holds(&c) {
                seen.insert(&c);
                if c.anchor_utc.is_none() {
                    c.anchor_utc = anchor;
                }
                main.comments.push(c);
            }
        }
    }
    Ok(main)
}

/// The entry's other page prints a full date where the winning copy prints
/// none (or only a time of day, or a day without year): that date is taken,
/// with the winning copy's time of day when the other page prints none.
fn adopt_full_date(main: &mut RawEntry, other: &RawEntry) {
    if timeline::has_full_date(main) || !timeline::has_full_date(other) {
        return;
    }
    let own_time = [&main.date_text, &main.time_text]
        .into_iter()
        .flatten()
        .find(|t| dates::parse_time(t).is_some())
        .cloned();
    let other_has_time = [&other.date_text, &other.time_text]
        .into_iter()
        .flatten()
        .any(|t| dates::parse_time(t).is_some());
    main.date_text.clone_from(&other.date_text);
    main.time_text = if other_has_time {
        other.time_text.clone()
    } else {
        own_time
    };
}

/// What decides which copy of an entry gives the post (larger wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Standing {
    /// Not a Wayback capture taken after Spaces closed.
    real: bool,
    rank: u8,
    /// Capture time (Wayback copies only).
    captured: Option<chrono::NaiveDateTime>,
    comments: usize,
}

fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// The comments an entry holds so far, by author and text, with the dates
/// they were printed with.
#[derive(Default)]
struct Seen(HashMap<(String, u64), Vec<Option<String>>>);

impl Seen {
    fn insert(&mut self, c: &RawComment) {
        self.0.entry(comment_key(c)).or_default().push(date_key(c));
    }

    /// The same comment found on two pages: same author, same text, and a
    /// date that does not tell them apart. The same person may well write
    /// the same words twice ("Danke!", "沙发"); printed dates that differ
    /// keep both. A relative date (`4 hours ago`) or none matches any date,
    /// since two crawls print the same comment differently.
    fn holds(&self, c: &RawComment) -> bool {
        let Some(dates) = self.0.get(&comment_key(c)) else {
            return false;
        };
        match date_key(c) {
            None => true,
            Some(d) => dates.iter().any(|x| x.as_ref().is_none_or(|x| *x == d)),
        }
    }
}

fn comment_key(c: &RawComment) -> (String, u64) {
    (fold_space(&c.author), c.html.fingerprint())
}

/// A comment's printed absolute date, folded; `None` when it has none or
/// only a relative one.
fn date_key(c: &RawComment) -> Option<String> {
    use crate::parse::dates::{parse_loose, DayMonthOrder};
    let t = fold_space(c.date_text.as_deref()?);
    parse_loose(&t, DayMonthOrder::MonthFirst)
        .or_else(|| parse_loose(&t, DayMonthOrder::DayFirst))
        .filter(|d| d.year.is_some())
        .map(|_| t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::ids::SpacesId;
    use crate::plan::keys::Entries;

    fn entry(n: u64, rank: u8, title: Option<&str>, comments: &[&str]) -> RawEntry {
        RawEntry {
            id: SpacesId {
                owner: "D2C0FFEE12345678".into(),
                number: n,
            },
            rank,
            title: title.map(Into::into),
            comments: comments
                .iter()
                .map(|t| RawComment {
                    author: "a".into(),
                    html: (*t).into(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    fn merged(list: &[RawEntry]) -> Vec<RawEntry> {
        let entries = Entries::from_list(list);
        let mut keys = entries.keys.clone();
        keys.sort_by_key(|k| k.id);
        merge_stored(keys, &entries.records)
            .expect("merge")
            .iter()
            .map(|k| entries.records.get(k.rec).expect("record"))
            .collect()
    }

    /// Captures of one entry: the newest taken before Spaces closed gives
    /// the body, one taken after never does; comments of all are kept, each
    /// merged one anchored at its own capture.
    #[test]
    fn wayback_captures_newest_real_body_wins() {
        let at =
            |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("time");
        let capture = |when: &str, body: &str, comments: &[&str]| RawEntry {
            body: body.to_string().into(),
            capture_utc: Some(at(when)),
            crawled_utc: Some(at(when)),
            ..entry(5, 2, Some("T"), comments)
        };
        let list = [
            capture("2009-03-01 12:00:00", "old", &["a"]),
            capture("2012-01-01 00:00:00", "after the closure", &["x"]),
            capture("2010-01-01 00:00:00", "newest", &["a", "b"]),
        ];
        let m = &merged(&list)[0];
        assert_eq!(m.body, "newest".to_string().into());
        assert_eq!(texts(m), ["a", "b", "x"]);
        assert_eq!(m.comments[0].anchor_utc, None);
        assert_eq!(m.comments[2].anchor_utc, Some(at("2012-01-01 00:00:00")));
    }

    fn texts(e: &RawEntry) -> Vec<String> {
        e.comments
            .iter()
            .map(|c| c.html.inline().expect("inline").to_owned())
            .collect()
    }

    #[test]
    fn an_entry_on_hundreds_of_pages_merges_in_order() {
        // List pages repeat the entry with an overlapping window of
        // comments; the entry page (rank 2) comes last in the archive.
        let mut list: Vec<RawEntry> = (0..300)
            .map(|p| {
                let a = format!("c{p}");
                let b = format!("c{}", p + 1);
                entry(7, 1, None, &[a.as_str(), b.as_str(), a.as_str()])
            })
            .collect();
        list.push(entry(7, 2, Some("The entry"), &["c5"]));
        let m = merged(&list);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].title.as_deref(), Some("The entry"));
        let mut want = vec!["c5".to_string()];
        want.extend((0..=300).map(|i| format!("c{i}")).filter(|c| c != "c5"));
        assert_eq!(texts(&m[0]), want);
    }

    /// pt-BR: the entry page prints only `15:57` in its footer, the list
    /// page prints the date: the post gets both.
    #[test]
    fn a_time_only_entry_page_takes_the_date_of_its_list_page() {
        let list = RawEntry {
            date_text: Some("12/10/2009".into()),
            ..entry(1187, 1, Some("Férias"), &[])
        };
        let single = RawEntry {
            date_text: Some("15:57".into()),
            ..entry(1187, 2, Some("Férias"), &[])
        };
        let m = merged(&[single, list]);
        assert_eq!(m[0].date_text.as_deref(), Some("12/10/2009"));
        assert_eq!(m[0].time_text.as_deref(), Some("15:57"));
    }

    #[test]
    fn the_same_words_on_other_dates_are_other_comments() {
        let dated = |text: &str, date: Option<&str>| RawComment {
            author: "Anna".into(),
            html: text.into(),
            date_text: date.map(Into::into),
            ..Default::default()
        };
        let mut page1 = entry(3, 2, Some("Eins"), &[]);
        page1.comments = vec![dated("Schön!", Some("3/1/2008 11:00 AM"))];
        let mut list = entry(3, 1, None, &[]);
        list.comments = vec![
            dated("Schön!", Some("3/1/2008 11:00 AM")),
            dated("Schön!", Some("3/9/2008 8:00 PM")),
            dated("Schön!", Some("4 hours ago")),
            dated("Danke", None),
        ];
        let m = merged(&[list, page1]);
        let dates: Vec<Option<&str>> = m[0]
            .comments
            .iter()
            .map(|c| c.date_text.as_deref())
            .collect();
        assert_eq!(
            dates,
            [Some("3/1/2008 11:00 AM"), Some("3/9/2008 8:00 PM"), None],
            "the copy of the first comment and its relative-dated copy merge; the later one stays"
        );
    }

    #[test]
    fn entry_page_wins_and_comments_are_united() {
        let list = RawEntry {
            category: Some("Travel".into()),
            ..entry(1, 1, Some("List title"), &["one", "two"])
        };
        let single = entry(1, 2, Some("Entry title"), &["two", "three"]);
        let merged = merged(&[list, entry(2, 1, None, &[]), single]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].title.as_deref(), Some("Entry title"));
        assert_eq!(merged[0].category.as_deref(), Some("Travel"));
        assert_eq!(texts(&merged[0]), ["two", "three", "one"]);
        assert_eq!(merged[1].id.number, 2);
    }
}
