//! Dates of posts and comments.
//!
//! Spaces printed wall-clock dates without a time zone, in the culture of
//! the viewer's market. This module decides, once per archive, whether
//! `03/04/2009` is March or April (from the dates that are unambiguous),
//! completes year-less dates (`4月14日`) from neighbouring entries (the
//! Spaces id counter grows with time), anchors relative comment dates
//! (`4 hours ago`) to the moment the page was saved, and converts every
//! wall-clock time to UTC in the chosen zone.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::model::{RawComment, RawEntry};
use crate::parse::dates::{self, DayMonthOrder, LocalTimeNote, LooseDate, SourceZone};
use crate::plan::keys::IdKey;
use crate::report::{Warning, WarningKind};

/// A resolved date and how sure we are of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// Local wall-clock time.
    pub local: NaiveDateTime,
    /// Derived from a relative or incomplete text, or guessed.
    pub approximate: bool,
}

/// The texts of an entry that say something about the archive's day/month
/// order: its date and its comments' dates.
pub fn order_texts(e: &RawEntry) -> impl Iterator<Item = &str> {
    let comments = e.comments.iter().filter_map(|c| c.date_text.as_deref());
    e.date_text.as_deref().into_iter().chain(comments)
}

/// The entry's date when its texts give it whole (with a year).
pub fn full_date(e: &RawEntry, order: DayMonthOrder) -> Option<NaiveDateTime> {
    parse_entry_date(e, order).and_then(complete)
}

/// Does the entry's own date text give a date with a year?
pub fn has_full_date(e: &RawEntry) -> bool {
    [&e.date_text, &e.time_text]
        .iter()
        .filter_map(|t| t.as_deref())
        .any(|t| dates::parse_loose(t, DayMonthOrder::default()).is_some_and(|d| d.year.is_some()))
}

/// The fully dated entries of an archive by space and Spaces counter: the
/// counter grows with time within one space, so they complete year-less
/// dates and stand in for missing ones. Entries of another space (another
/// owner) are never neighbours: two blogs' counters say nothing about each
/// other's dates.
#[derive(Debug, Default)]
pub struct Neighbours {
    /// (owner, counter, date), sorted by owner and counter; among equal
    /// counters in id order.
    dated: Vec<(IdKey, NaiveDateTime)>,
}

impl Neighbours {
    /// From (id, date) pairs given in id order.
    pub fn new(mut dated: Vec<(IdKey, NaiveDateTime)>) -> Self {
        dated.sort_by_key(|d| d.0);
        Neighbours { dated }
    }

    /// The nearest dated entries of the same space with a lower and a
    /// higher counter than `key` (the first in id order when several share
    /// a counter).
    fn around(&self, key: IdKey) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
        let below = self.dated.partition_point(|d| d.0 < key);
        let prev = below
            .checked_sub(1)
            .filter(|&i| self.dated[i].0.owner == key.owner)
            .map(|i| {
                let m = self.dated[i].0;
                self.dated[self.dated.partition_point(|d| d.0 < m)].1
            });
        let above = self.dated.partition_point(|d| d.0 <= key);
        let next = self
            .dated
            .get(above)
            .filter(|d| d.0.owner == key.owner)
            .map(|d| d.1);
        (prev, next)
    }
}

/// The day Windows Live Spaces closed: no page was saved from the live
/// site after it, so a later file time is not a crawl time.
pub fn spaces_closed() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2011, 3, 16)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

/// Spaces' lifetime: a post date outside December 2004 – March 2011 is
/// suspect.
fn in_spaces_era(d: NaiveDateTime) -> bool {
    let first = NaiveDate::from_ymd_opt(2004, 12, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(2011, 3, 31).unwrap_or_default();
    (first..=last).contains(&d.date())
}

/// When the page was saved, as far as anyone can tell, never after the day
/// Spaces closed: `crawl` (the user's `--crawl-date`, else a crawler's
/// stamp), else the file's modification time.
pub fn crawl_time(crawl: Option<NaiveDateTime>, e: &RawEntry) -> Option<NaiveDateTime> {
    crawl.or(e.saved_at).map(|t| t.min(spaces_closed()))
}

/// Resolve the publication date of one entry (`key` is its id, `crawl` the
/// known crawl time of its page, see [`crawl_time`]).
///
/// In order: the date the entry prints (completed by a time printed apart);
/// a year-less date completed from neighbouring entries of the same space;
/// for an entry without a date, the day of its neighbours of the same
/// space, with the time of day its footer prints if any; else the crawl
/// date, capped at the day Spaces closed. Every guess is a warning, and so
/// is a date outside Spaces' lifetime.
pub fn post_date(
    e: &RawEntry,
    key: IdKey,
    order: DayMonthOrder,
    neighbours: &Neighbours,
    crawl: Option<NaiveDateTime>,
    warnings: &mut Vec<Warning>,
) -> When {
    let when = resolve_post_date(e, key, order, neighbours, crawl, warnings);
    if !in_spaces_era(when.local) {
        warnings.push(Warning::entry(
            &e.source,
            &e.id,
            WarningKind::DateOutOfRange,
            format!(
                "{} is outside the years Spaces existed (December 2004 to March 2011); check the page's date",
                when.local
            ),
        ));
    }
    when
}

fn resolve_post_date(
    e: &RawEntry,
    key: IdKey,
    order: DayMonthOrder,
    neighbours: &Neighbours,
    crawl: Option<NaiveDateTime>,
    warnings: &mut Vec<Warning>,
) -> When {
    let loose = parse_entry_date(e, order);
    if let Some(d) = loose.and_then(complete) {
        return When {
            local: d,
            approximate: false,
        };
    }
    let (prev, next) = neighbours.around(key);
    let local = match loose {
        Some(l) => {
            let d = infer_year(l, prev, next, crawl);
            warnings.push(Warning::entry(
                &e.source,
                &e.id,
                WarningKind::YearInferred,
                format!(
                    "date '{}' has no year; {} was taken from neighbouring entries",
                    e.date_text.as_deref().unwrap_or_default(),
                    d.year()
                ),
            ));
            d
        }
        None => undated(e, prev, next, crawl, warnings),
    };
    When {
        local,
        approximate: true,
    }
}

/// An entry that prints no date (perhaps only a time of day): the day of
/// its neighbours of the same space, else the crawl date.
fn undated(
    e: &RawEntry,
    prev: Option<NaiveDateTime>,
    next: Option<NaiveDateTime>,
    crawl: Option<NaiveDateTime>,
    warnings: &mut Vec<Warning>,
) -> NaiveDateTime {
    let time = [&e.date_text, &e.time_text]
        .iter()
        .find_map(|t| t.as_deref().and_then(dates::parse_time));
    let printed = e
        .date_text
        .as_deref()
        .or(e.time_text.as_deref())
        .unwrap_or("none printed");
    let (d, from) = match (prev, next) {
        (Some(p), _) | (None, Some(p)) => {
            let d = match time {
                // The counter grows with time: not before the previous entry.
                Some(t) if prev.is_some() => {
                    let same_day = p.date().and_time(t);
                    if same_day >= p {
                        same_day
                    } else {
                        (p.date() + Duration::days(1)).and_time(t)
                    }
                }
                Some(t) => p.date().and_time(t),
                None => p,
            };
            (d, "the neighbouring entries of the same space")
        }
        (None, None) => {
            let c = crawl.unwrap_or_else(spaces_closed);
            let d = time.map_or(c, |t| c.date().and_time(t));
            (
                d,
                "the crawl date (capped at the day Spaces closed, 2011-03-16); set --crawl-date if it is wrong",
            )
        }
    };
    let kind = if prev.or(next).is_some() {
        WarningKind::NoDate
    } else {
        WarningKind::DateFromCrawl
    };
    warnings.push(Warning::entry(
        &e.source,
        &e.id,
        kind,
        format!("no readable date ({printed}); {d} was taken from {from}"),
    ));
    d
}

/// Date of the entry: a date text, completed by a separate time text.
fn parse_entry_date(e: &RawEntry, order: DayMonthOrder) -> Option<LooseDate> {
    let mut d = e
        .date_text
        .as_deref()
        .and_then(|t| dates::parse_loose(t, order));
    if d.is_none() {
        // A footer may hold only the time while the date sits elsewhere.
        d = e
            .time_text
            .as_deref()
            .and_then(|t| dates::parse_loose(t, order));
    }
    let mut d = d?;
    if d.time.is_none() {
        d.time = e.time_text.as_deref().and_then(dates::parse_time);
    }
    Some(d)
}

fn complete(l: LooseDate) -> Option<NaiveDateTime> {
    let date = NaiveDate::from_ymd_opt(l.year?, l.month, l.day)?;
    Some(date.and_time(l.time.unwrap_or(NaiveTime::MIN)))
}

/// Choose the year that puts the date between its neighbours.
fn infer_year(
    l: LooseDate,
    prev: Option<NaiveDateTime>,
    next: Option<NaiveDateTime>,
    crawl: Option<NaiveDateTime>,
) -> NaiveDateTime {
    let base = prev.or(next).or(crawl).unwrap_or_else(spaces_closed).year();
    let at = |y: i32| complete(LooseDate { year: Some(y), ..l });
    let fits = |d: NaiveDateTime| prev.is_none_or(|p| d >= p) && next.is_none_or(|n| d <= n);
    let candidates = [base, base + 1, base - 1];
    candidates
        .iter()
        .filter_map(|&y| at(y))
        .find(|&d| fits(d))
        .or_else(|| at(base))
        .or_else(|| at(base + 1))
        .unwrap_or_else(|| prev.or(next).unwrap_or_else(spaces_closed))
}

/// Dates of one entry's comments, chronological order of the result is
/// decided by the caller. `anchor` is the moment the page was saved.
pub fn comment_dates(
    comments: &[RawComment],
    post: When,
    anchor: impl Fn(&RawComment) -> Option<NaiveDateTime>,
    order: DayMonthOrder,
) -> Vec<Option<When>> {
    comments
        .iter()
        .map(|c| comment_date(c.date_text.as_deref()?, post, anchor(c), order))
        .collect()
}

/// A comment date: exact when the page printed a date with year and time;
/// otherwise anchored to the crawl time (`4 hours ago`, `Nov. 6`,
/// `Sept. 27, 2009` at noon, as the dates module resolves them); without a
/// crawl time, a date without time is taken at noon, and one without year
/// is the first such day after the post.
fn comment_date(
    text: &str,
    post: When,
    anchor: Option<NaiveDateTime>,
    order: DayMonthOrder,
) -> Option<When> {
    let loose = dates::parse_loose(text, order);
    if let Some(d) = loose.filter(|l| l.time.is_some()).and_then(complete) {
        return Some(When {
            local: d,
            approximate: false,
        });
    }
    let relative = dates::parse_relative(text)
        .zip(anchor)
        .and_then(|(r, a)| dates::resolve_relative(r, a));
    if let Some(local) = relative {
        return Some(When {
            local,
            approximate: true,
        });
    }
    let l = LooseDate {
        time: Some(NOON),
        ..loose?
    };
    if let Some(d) = complete(l) {
        return Some(When {
            local: d,
            approximate: true,
        });
    }
    let y = post.local.year();
    let d = [y, y + 1]
        .iter()
        .filter_map(|&y| complete(LooseDate { year: Some(y), ..l }))
        .find(|d| *d >= post.local)?;
    Some(When {
        local: d,
        approximate: true,
    })
}

/// The time given to a comment whose page printed only a day.
const NOON: NaiveTime = match NaiveTime::from_hms_opt(12, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// Local time to UTC, with a warning for DST gaps and overlaps.
pub fn to_gmt(
    local: NaiveDateTime,
    zone: SourceZone,
    file: &str,
    entry: &str,
    warnings: &mut Vec<Warning>,
) -> NaiveDateTime {
    let (gmt, note) = dates::to_utc(local, zone);
    let what = match note {
        LocalTimeNote::Exact => return gmt,
        LocalTimeNote::Ambiguous => {
            "occurs twice (daylight saving time ends); the earlier instant was used"
        }
        LocalTimeNote::Nonexistent => {
            "does not exist (daylight saving time starts); it was moved forward"
        }
    };
    warnings.push(Warning::entry(
        file,
        entry,
        WarningKind::Dst,
        format!("{local} in {zone} {what}"),
    ));
    gmt
}

/// A UTC time as wall-clock time in `zone`.
pub fn from_utc(utc: NaiveDateTime, zone: SourceZone) -> NaiveDateTime {
    use chrono::TimeZone;
    match zone {
        SourceZone::Named(tz) => tz.from_utc_datetime(&utc).naive_local(),
        SourceZone::Fixed(off) => off.from_utc_datetime(&utc).naive_local(),
    }
}

/// A stand-in time for comments without a readable date: just after the
/// post, one minute apart, in page order.
pub fn stand_in(post: When, k: usize) -> When {
    let minutes = i64::try_from(k).unwrap_or(i64::MAX / 120) + 1;
    When {
        local: post.local + Duration::minutes(minutes),
        approximate: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(0, 0, 0))
            .expect("date")
    }

    fn key(owner: u32, number: u64) -> IdKey {
        IdKey { owner, number }
    }

    #[test]
    fn neighbours_are_the_nearest_dated_counters() {
        let n = Neighbours::new(vec![
            (key(1, 10), at(2008, 1, 1)),
            (key(1, 30), at(2009, 1, 1)),
            (key(1, 20), at(2008, 6, 1)),
            (key(1, 30), at(2009, 2, 2)),
        ]);
        assert_eq!(
            n.around(key(1, 20)),
            (Some(at(2008, 1, 1)), Some(at(2009, 1, 1)))
        );
        assert_eq!(
            n.around(key(1, 25)),
            (Some(at(2008, 6, 1)), Some(at(2009, 1, 1)))
        );
        assert_eq!(n.around(key(1, 31)), (Some(at(2009, 1, 1)), None));
        assert_eq!(n.around(key(1, 5)), (None, Some(at(2008, 1, 1))));
        assert_eq!(Neighbours::default().around(key(1, 5)), (None, None));
    }

    #[test]
    fn another_space_is_never_a_neighbour() {
        let n = Neighbours::new(vec![
            (key(0, 100), at(2006, 1, 1)),
            (key(1, 50), at(2009, 5, 5)),
            (key(2, 300), at(2010, 1, 1)),
        ]);
        assert_eq!(n.around(key(1, 60)), (Some(at(2009, 5, 5)), None));
        assert_eq!(n.around(key(1, 40)), (None, Some(at(2009, 5, 5))));
        assert_eq!(n.around(key(3, 200)), (None, None));
    }

    fn undated_entry(date: Option<&str>, mtime: Option<NaiveDateTime>) -> RawEntry {
        RawEntry {
            id: crate::parse::ids::SpacesId {
                owner: "AB".into(),
                number: 11,
            },
            date_text: date.map(Into::into),
            saved_at: mtime,
            ..Default::default()
        }
    }

    #[test]
    fn without_any_date_the_crawl_date_is_used_never_after_spaces_closed() {
        let mut w = Vec::new();
        let today = at(2026, 11, 29);
        let e = undated_entry(None, Some(today));
        let none = Neighbours::default();
        let crawl = crawl_time(None, &e);
        let when = post_date(
            &e,
            key(0, 11),
            DayMonthOrder::default(),
            &none,
            crawl,
            &mut w,
        );
        assert_eq!(when.local, spaces_closed());
        assert_eq!(w[0].kind, WarningKind::DateFromCrawl);
        // A crawl before the closure is kept, with the time the footer prints.
        let e = undated_entry(Some("15:57"), Some(today));
        let crawl = crawl_time(Some(at(2010, 12, 24)), &e);
        let when = post_date(
            &e,
            key(0, 11),
            DayMonthOrder::default(),
            &none,
            crawl,
            &mut w,
        );
        assert_eq!(when.local.to_string(), "2010-12-24 15:57:00");
    }

    #[test]
    fn a_time_only_footer_takes_the_day_of_its_neighbours() {
        let mut w = Vec::new();
        let n = Neighbours::new(vec![(key(0, 10), at(2009, 10, 12) + Duration::hours(9))]);
        let e = undated_entry(Some("15:57"), None);
        let when = post_date(&e, key(0, 11), DayMonthOrder::default(), &n, None, &mut w);
        assert_eq!(when.local.to_string(), "2009-10-12 15:57:00");
        assert!(when.approximate);
        // Earlier in the day than the previous entry: the next day.
        let e = undated_entry(Some("8:05"), None);
        let when = post_date(&e, key(0, 11), DayMonthOrder::default(), &n, None, &mut w);
        assert_eq!(when.local.to_string(), "2009-10-13 08:05:00");
        assert!(w.iter().all(|x| x.kind == WarningKind::NoDate), "{w:?}");
    }

    #[test]
    fn dates_outside_spaces_lifetime_are_warned() {
        let mut w = Vec::new();
        let e = undated_entry(Some("2000/1/1 0:00:00"), None);
        let none = Neighbours::default();
        post_date(&e, key(0, 1), DayMonthOrder::default(), &none, None, &mut w);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].kind, WarningKind::DateOutOfRange);
        let e = undated_entry(Some("2011/3/31 23:00:00"), None);
        post_date(&e, key(0, 1), DayMonthOrder::default(), &none, None, &mut w);
        assert_eq!(w.len(), 1, "March 2011 is inside: {w:?}");
    }

    #[test]
    fn a_year_less_date_takes_the_year_between_its_neighbours() {
        let n = Neighbours::new(vec![
            (key(0, 10), at(2008, 11, 30)),
            (key(0, 12), at(2009, 1, 20)),
        ]);
        let e = RawEntry {
            id: crate::parse::ids::SpacesId {
                owner: "AB".into(),
                number: 11,
            },
            date_text: Some("1月5日".into()),
            ..Default::default()
        };
        let mut w = Vec::new();
        let when = post_date(&e, key(0, 11), DayMonthOrder::default(), &n, None, &mut w);
        assert_eq!(when.local.date(), at(2009, 1, 5).date());
        assert!(when.approximate);
        assert_eq!(w[0].kind, WarningKind::YearInferred);
    }
}
