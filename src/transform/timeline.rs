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
use crate::report::Warning;

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

/// The fully dated entries of an archive by Spaces counter, which grows
/// with time: they complete year-less dates and stand in for missing ones.
#[derive(Debug, Default)]
pub struct Neighbours {
    /// (counter, date), sorted by counter; among equal counters in id order.
    dated: Vec<(u64, NaiveDateTime)>,
}

impl Neighbours {
    /// From (counter, date) pairs given in id order.
    pub fn new(mut dated: Vec<(u64, NaiveDateTime)>) -> Self {
        dated.sort_by_key(|d| d.0);
        Neighbours { dated }
    }

    /// The nearest dated entries with a lower and a higher counter than `n`
    /// (the first in id order when several share a counter).
    fn around(&self, n: u64) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
        let below = self.dated.partition_point(|d| d.0 < n);
        let prev = below.checked_sub(1).map(|i| {
            let m = self.dated[i].0;
            self.dated[self.dated.partition_point(|d| d.0 < m)].1
        });
        let above = self.dated.partition_point(|d| d.0 <= n);
        let next = self.dated.get(above).map(|d| d.1);
        (prev, next)
    }
}

/// Resolve the publication date of one entry.
pub fn post_date(
    e: &RawEntry,
    order: DayMonthOrder,
    neighbours: &Neighbours,
    warnings: &mut Vec<Warning>,
) -> When {
    let loose = parse_entry_date(e, order);
    if let Some(d) = loose.and_then(complete) {
        return When {
            local: d,
            approximate: false,
        };
    }
    let (prev, next) = neighbours.around(e.id.number);
    let local = match loose {
        Some(l) => {
            let d = infer_year(l, prev, next, e.saved_at);
            warnings.push(Warning::entry(
                &e.source,
                &e.id,
                "year-inferred",
                format!(
                    "date '{}' has no year; {} was taken from neighbouring entries",
                    e.date_text.as_deref().unwrap_or_default(),
                    d.year()
                ),
            ));
            d
        }
        None => {
            let d = prev.or(next).or(e.saved_at).unwrap_or_else(fallback_epoch);
            warnings.push(Warning::entry(
                &e.source,
                &e.id,
                "no-date",
                format!(
                    "no readable date ({}); {} was used",
                    e.date_text.as_deref().unwrap_or("none printed"),
                    d
                ),
            ));
            d
        }
    };
    When {
        local,
        approximate: true,
    }
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
    saved: Option<NaiveDateTime>,
) -> NaiveDateTime {
    let base = prev
        .or(next)
        .or(saved)
        .unwrap_or_else(fallback_epoch)
        .year();
    let at = |y: i32| complete(LooseDate { year: Some(y), ..l });
    let fits = |d: NaiveDateTime| prev.is_none_or(|p| d >= p) && next.is_none_or(|n| d <= n);
    let candidates = [base, base + 1, base - 1];
    candidates
        .iter()
        .filter_map(|&y| at(y))
        .find(|&d| fits(d))
        .or_else(|| at(base))
        .or_else(|| at(base + 1))
        .unwrap_or_else(|| prev.or(next).unwrap_or_else(fallback_epoch))
}

/// Used only when an archive gives no date at all: the day Spaces closed.
fn fallback_epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2011, 3, 16)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

/// Dates of one entry's comments, chronological order of the result is
/// decided by the caller. `anchor` is the moment the page was saved.
pub fn comment_dates(
    comments: &[RawComment],
    post: When,
    anchor: Option<NaiveDateTime>,
    order: DayMonthOrder,
) -> Vec<Option<When>> {
    comments
        .iter()
        .map(|c| comment_date(c.date_text.as_deref()?, post, anchor, order))
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
        "dst",
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

    #[test]
    fn neighbours_are_the_nearest_dated_counters() {
        let n = Neighbours::new(vec![
            (10, at(2008, 1, 1)),
            (30, at(2009, 1, 1)),
            (20, at(2008, 6, 1)),
            (30, at(2009, 2, 2)),
        ]);
        assert_eq!(n.around(20), (Some(at(2008, 1, 1)), Some(at(2009, 1, 1))));
        assert_eq!(n.around(25), (Some(at(2008, 6, 1)), Some(at(2009, 1, 1))));
        assert_eq!(n.around(31), (Some(at(2009, 1, 1)), None));
        assert_eq!(n.around(5), (None, Some(at(2008, 1, 1))));
        assert_eq!(Neighbours::default().around(5), (None, None));
    }

    #[test]
    fn a_year_less_date_takes_the_year_between_its_neighbours() {
        let n = Neighbours::new(vec![(10, at(2008, 11, 30)), (12, at(2009, 1, 20))]);
        let e = RawEntry {
            id: crate::parse::ids::SpacesId {
                owner: "AB".into(),
                number: 11,
            },
            date_text: Some("1月5日".into()),
            ..Default::default()
        };
        let mut w = Vec::new();
        let when = post_date(&e, DayMonthOrder::default(), &n, &mut w);
        assert_eq!(when.local.date(), at(2009, 1, 5).date());
        assert!(when.approximate);
        assert_eq!(w[0].kind, "year-inferred");
    }
}
