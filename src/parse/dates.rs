//! Parse stage: turns the date strings found in Spaces pages into dates.
//!
//! Windows Live Spaces printed dates with the .NET defaults of the viewer's
//! culture and never with a time zone. The date and the time of day were
//! sometimes printed in two different elements, so both halves can be read
//! alone as well as together. Comments from 2008 on carry dates relative to
//! the moment the page was saved (`4 hours ago`, `Nov. 6`).
//!
//! No regular expressions are used: a text is normalised (full-width forms
//! folded to ASCII, no-break and ideographic spaces made plain, letters
//! lower-cased), split into number, word, CJK-marker and punctuation tokens,
//! the time of day is cut out, and what remains is matched against the
//! known date shapes:
//!
//! * numeric, day and month order from [`DayMonthOrder`] when ambiguous:
//!   `6/18/2006`, `18/06/2006`, `6/18/06` (two-digit year = 2000 + yy),
//!   `28-09-2010`;
//! * numeric, always day first: `28.09.2010`;
//! * numeric, year first: `2007/12/5`, `2010/09/28`, `2010-09-28`,
//!   `2010. 9. 28.`;
//! * CJK: `2010年9月28日`, `4月14日` (no year), `2010년 9월 28일`;
//! * English month names: `September 28, 2010`, `Tuesday, September 28, 2010`,
//!   `Sept. 27, 2009`, `Nov. 6` (no year), `28 September 2010`;
//! * times: `3:34:50 AM`, `9:45 PM`, `15:42`, `10:49:29`, `上午 10:49`,
//!   `下午 3:45`, `午後 3:45`, `오후 3:45`, `15時42分`, `15时42分30秒`,
//!   `3시 45분`, before or after any of the dates above.
//!
//! Weekday names (`Tuesday`, `星期二`, `(火)`, `화요일`) and the connecting
//! word `at` are ignored. Relative comment dates are read by
//! [`parse_relative`] and anchored by [`resolve_relative`]. Wall-clock times
//! are moved to UTC with [`to_utc`] in a [`SourceZone`] chosen by the user.

use std::iter::Peekable;
use std::str::Chars;

use chrono::{
    Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};

/// How a numeric date with day and month both <= 12 is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayMonthOrder {
    /// `03/04/2009` is March 4 (en-US).
    #[default]
    MonthFirst,
    /// `03/04/2009` is April 3 (en-GB, fr, es, pt-BR, it).
    DayFirst,
}

/// A date as printed, before year inference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LooseDate {
    /// The year, or `None` when the text had none (`4月14日`, `Nov. 6`).
    pub year: Option<i32>,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of the month, valid for `month` (and `year` when known).
    pub day: u32,
    /// Time of day when the text held one.
    pub time: Option<NaiveTime>,
    /// True when both day and month were <= 12 (and differ) in a d/M vs M/d
    /// format, so `order` decided which is which.
    pub order_dependent: bool,
}

/// Parse a date or a date-time in any supported family (see the module
/// docs). `order` is used only for ambiguous slash or dash dates. Returns
/// `None` for a lone time, for impossible dates (`2/30/2009`), for a time
/// that does not exist (`12:99 PM`) and for any unknown word. A leading
/// separator (` - `, `|`) is ignored, as everywhere in this module.
pub fn parse_loose(text: &str, order: DayMonthOrder) -> Option<LooseDate> {
    let (rest, time) = split_time(&tokenize(text))?;
    let date = parse_date(&rest, order)?;
    Some(LooseDate { time, ..date })
}

/// Parse a time alone: `3:45 PM`, `3:34:50 AM`, `15:42`, `10:49:29`,
/// `下午 3:45`, `오후 3:45`, `15時42分`. A full date-time is accepted too and
/// gives its time; any other text around the time (unknown words) gives
/// `None`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let (rest, time) = split_time(&tokenize(text))?;
    let time = time?;
    let alone = clean(&rest).is_empty();
    (alone || parse_date(&rest, DayMonthOrder::default()).is_some()).then_some(time)
}

/// Look at many date strings of one archive and decide the order from the
/// unambiguous ones: a first field > 12 means [`DayMonthOrder::DayFirst`], a
/// second field > 12 means [`DayMonthOrder::MonthFirst`]. Year-first and
/// dotted forms say nothing. The larger count wins; `None` when there is no
/// evidence or the counts tie.
pub fn detect_order<'a>(samples: impl IntoIterator<Item = &'a str>) -> Option<DayMonthOrder> {
    let mut votes = OrderVotes::default();
    for sample in samples {
        votes.add(sample);
    }
    votes.decide()
}

/// Running tally of what date texts say about the day/month order, for
/// texts that arrive one at a time.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrderVotes {
    day_first: usize,
    month_first: usize,
}

impl OrderVotes {
    /// Count what `text` says, if anything.
    pub fn add(&mut self, text: &str) {
        match order_evidence(text) {
            Some(DayMonthOrder::DayFirst) => self.day_first += 1,
            Some(DayMonthOrder::MonthFirst) => self.month_first += 1,
            None => {}
        }
    }

    /// The order most texts show, or `None` on a tie.
    pub fn decide(&self) -> Option<DayMonthOrder> {
        match self.day_first.cmp(&self.month_first) {
            std::cmp::Ordering::Greater => Some(DayMonthOrder::DayFirst),
            std::cmp::Ordering::Less => Some(DayMonthOrder::MonthFirst),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// A comment date relative to the moment the page was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelativeDate {
    /// `4 hours ago`: this long before the page was saved.
    Ago(Duration),
    /// `Nov. 6` or `Nov. 6, 2009`: a day, with or without its year.
    MonthDay {
        /// Month, 1..=12.
        month: u32,
        /// Day of the month.
        day: u32,
        /// The year when printed.
        year: Option<i32>,
    },
}

/// Parse a relative comment date: `4 hours ago`, ` - 5 seconds ago`,
/// `1 hour ago`, `an hour ago`, `2 weeks ago`, `yesterday` (one day),
/// `just now` (zero), `Sept. 27`, `Nov. 6, 2009`, `September 27`, `May 3`.
/// Units: seconds, minutes, hours, days, weeks (and `sec`, `min`, `hr`,
/// `wk` short forms).
pub fn parse_relative(text: &str) -> Option<RelativeDate> {
    let toks = clean(&tokenize(text));
    if let Some(span) = ago(&toks) {
        return Some(RelativeDate::Ago(span));
    }
    let d = english_date(&toks)?;
    Some(RelativeDate::MonthDay {
        month: d.month,
        day: d.day,
        year: d.year,
    })
}

/// Resolve a relative date against the crawl time `anchor` (local wall-clock
/// time). `Ago` is subtracted exactly. A month-day gets the time 12:00:00;
/// without a year it is the latest such day not after the anchor's day
/// (`Dec. 30` seen on 2010-01-05 is 2009-12-30), and on the anchor's own day
/// the result is capped at the anchor. `None` only when out of range.
pub fn resolve_relative(rel: RelativeDate, anchor: NaiveDateTime) -> Option<NaiveDateTime> {
    match rel {
        RelativeDate::Ago(span) => anchor.checked_sub_signed(span),
        RelativeDate::MonthDay {
            month,
            day,
            year: Some(year),
        } => NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(12, 0, 0),
        RelativeDate::MonthDay {
            month,
            day,
            year: None,
        } => latest_month_day(month, day, anchor),
    }
}

/// A source time zone given by the user: an IANA name (`Asia/Shanghai`,
/// `America/Los_Angeles`, any letter case), `UTC`/`Z`/`GMT`, or a fixed
/// offset (`+08:00`, `-0500`, `+8`, `UTC+8`, `GMT-05:30`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SourceZone {
    /// A zone of the IANA database, with its daylight saving rules.
    Named(chrono_tz::Tz),
    /// A fixed offset from UTC (`UTC` itself is offset zero).
    Fixed(FixedOffset),
}

impl SourceZone {
    /// UTC, the default: the offset zero.
    pub fn utc() -> Self {
        SourceZone::Fixed(Utc.fix())
    }

    /// Canonical name: the IANA name, `UTC`, or an offset like `+08:00`.
    pub fn name(&self) -> String {
        match self {
            SourceZone::Named(tz) => tz.name().to_string(),
            SourceZone::Fixed(offset) => offset_name(offset.local_minus_utc()),
        }
    }
}

/// A `--timezone` value that names no zone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    /// Not a zone name, `UTC` or an offset.
    #[error(
        "invalid time zone '{0}': expected an IANA name such as Asia/Shanghai or \
         America/Los_Angeles, UTC (or Z), or a fixed offset such as +08:00, -0500, +8 or UTC+8"
    )]
    Unknown(String),
    /// An abbreviation used for several zones (`CST`, `IST`, …), with them.
    #[error("--timezone {abbr} is ambiguous: it is used for {zones}; pass the zone's name")]
    Ambiguous {
        /// The abbreviation as given.
        abbr: String,
        /// The zones it could mean, in words.
        zones: &'static str,
    },
}

impl std::str::FromStr for SourceZone {
    type Err = ZoneError;

    /// Read a zone; the error names the bad value and the accepted forms.
    fn from_str(text: &str) -> Result<Self, ZoneError> {
        let t = text.trim();
        if ["utc", "z", "gmt"]
            .iter()
            .any(|u| t.eq_ignore_ascii_case(u))
        {
            return Ok(SourceZone::utc());
        }
        if let Some(offset) = parse_offset(t) {
            return Ok(SourceZone::Fixed(offset));
        }
        named_zone(t)
            .map(SourceZone::Named)
            .ok_or_else(|| ZoneError::Unknown(text.to_string()))
    }
}

impl std::fmt::Display for SourceZone {
    /// Writes [`SourceZone::name`].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// What happened converting a local time to UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTimeNote {
    /// The local time names exactly one instant.
    Exact,
    /// DST fall-back: the local time occurs twice; the earlier instant was used.
    Ambiguous,
    /// DST gap: the local time never occurred; it was moved forward by the
    /// length of the gap (read with the offset in force before the gap).
    Nonexistent,
}

/// Local wall-clock time in `zone` -> UTC naive time, never panicking. At
/// the very ends of the representable range the local time is returned
/// unchanged.
pub fn to_utc(local: NaiveDateTime, zone: SourceZone) -> (NaiveDateTime, LocalTimeNote) {
    let tz = match zone {
        SourceZone::Fixed(offset) => return (minus_offset(local, offset), LocalTimeNote::Exact),
        SourceZone::Named(tz) => tz,
    };
    match tz.offset_from_local_datetime(&local) {
        LocalResult::Single(o) => (minus_offset(local, o.fix()), LocalTimeNote::Exact),
        LocalResult::Ambiguous(a, b) => {
            let (x, y) = (minus_offset(local, a.fix()), minus_offset(local, b.fix()));
            (x.min(y), LocalTimeNote::Ambiguous)
        }
        LocalResult::None => {
            let before = offset_before(local, tz);
            (minus_offset(local, before), LocalTimeNote::Nonexistent)
        }
    }
}

// ---------------------------------------------------------------------------
// Tokens

/// A run of ASCII digits: its value (saturated) and how many digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Num {
    value: u32,
    len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Num(Num),
    /// Lower-cased letters (Latin, CJK, Hangul).
    Word(String),
    /// A CJK date or time marker right after a number (`年`, `월`, `時`).
    Mark(char),
    Punct(char),
}

/// Fold full-width forms and odd spaces, lower-case, and merge `a.m.`.
fn normalize(text: &str) -> String {
    let text = text.replace("&nbsp;", " ").replace("&#160;", " ");
    let folded: String = text.chars().map(fold_char).collect();
    folded
        .to_lowercase()
        .replace("a.m.", "am")
        .replace("p.m.", "pm")
}

fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{3000}' => ' ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// Tokens of `text`, without leading separators (` - 5 seconds ago`).
fn tokenize(text: &str) -> Vec<Tok> {
    let norm = normalize(text);
    let mut chars = norm.chars().peekable();
    let mut toks = Vec::new();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            toks.push(Tok::Num(read_number(c, &mut chars)));
        } else if is_marker(c) && matches!(toks.last(), Some(Tok::Num(_))) {
            toks.push(Tok::Mark(c));
        } else if c.is_alphabetic() {
            toks.push(Tok::Word(read_word(c, &mut chars)));
        } else if !c.is_whitespace() {
            toks.push(Tok::Punct(c));
        }
    }
    let lead = toks
        .iter()
        .take_while(|t| matches!(t, Tok::Punct('-' | '|' | '·')))
        .count();
    toks.drain(..lead);
    toks
}

fn read_number(first: char, chars: &mut Peekable<Chars<'_>>) -> Num {
    let mut num = Num {
        value: first.to_digit(10).unwrap_or(0),
        len: 1,
    };
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        num.value = num.value.saturating_mul(10).saturating_add(d);
        num.len += 1;
        chars.next();
    }
    num
}

fn read_word(first: char, chars: &mut Peekable<Chars<'_>>) -> String {
    let mut word = String::from(first);
    while let Some(&c) = chars.peek() {
        if !c.is_alphabetic() {
            break;
        }
        word.push(c);
        chars.next();
    }
    word
}

fn is_marker(c: char) -> bool {
    is_year_mark(c) || is_month_mark(c) || is_day_mark(c) || is_clock_mark(c)
}

fn is_year_mark(c: char) -> bool {
    matches!(c, '年' | '년')
}

fn is_month_mark(c: char) -> bool {
    matches!(c, '月' | '월')
}

fn is_day_mark(c: char) -> bool {
    matches!(c, '日' | '일')
}

fn is_clock_mark(c: char) -> bool {
    is_hour_mark(c) || matches!(c, '分' | '분' | '秒' | '초')
}

fn is_hour_mark(c: char) -> bool {
    matches!(c, '時' | '时' | '시' | '点' | '點')
}

/// Drop what carries no date: weekday names, `at`, commas, brackets, the dot
/// after an abbreviation (`Nov.`) and a final dot (`2010. 9. 28.`).
fn clean(toks: &[Tok]) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    for t in toks {
        let drop = match t {
            Tok::Punct('.') => matches!(out.last(), Some(Tok::Word(_))),
            Tok::Punct(c) => ",()[]|、".contains(*c),
            Tok::Word(w) => is_filler(w),
            _ => false,
        };
        if !drop {
            out.push(t.clone());
        }
    }
    if matches!(out.last(), Some(Tok::Punct('.'))) {
        out.pop();
    }
    out
}

/// Weekday names in English, Chinese, Japanese and Korean, and `at`.
fn is_filler(w: &str) -> bool {
    const EN: &str = "monday tuesday wednesday thursday friday saturday sunday \
                      mon tue tues wed thu thur thurs fri sat sun at on the";
    let chars = w.chars().count();
    let short = chars <= 4;
    EN.split_whitespace().any(|f| f == w)
        || (short && (w.starts_with("星期") || w.starts_with("礼拜") || w.starts_with("禮拜")))
        || (short && (w.ends_with("曜日") || w.ends_with("曜") || w.ends_with("요일")))
        || (chars == 1 && "月火水木金土日周週".contains(w))
        || (chars == 2 && w.starts_with(['周', '週']))
}

// ---------------------------------------------------------------------------
// Time of day

/// Hour, minute and optional second as printed.
#[derive(Debug, Clone, Copy)]
struct Clock {
    h: Num,
    m: Num,
    s: Option<Num>,
}

/// Cut the first time of day out of `toks`, with its AM/PM word before or
/// after it. `None` when a time is there but impossible (`12:99 PM`).
fn split_time(toks: &[Tok]) -> Option<(Vec<Tok>, Option<NaiveTime>)> {
    let Some((start, end, clock)) = find_clock(toks) else {
        return Some((toks.to_vec(), None));
    };
    let before = start.checked_sub(1).and_then(|i| meridiem(&toks[i]));
    let after = toks.get(end).and_then(meridiem);
    let time = make_time(clock, before.or(after))?;
    let lo = start - usize::from(before.is_some());
    let hi = end + usize::from(before.is_none() && after.is_some());
    let mut rest = toks[..lo].to_vec();
    rest.extend_from_slice(&toks[hi..]);
    Some((rest, Some(time)))
}

/// Position (start, end) and value of the first clock in `toks`.
fn find_clock(toks: &[Tok]) -> Option<(usize, usize, Clock)> {
    (0..toks.len()).find_map(|i| {
        let tail = &toks[i..];
        let (len, clock) = colon_clock(tail).or_else(|| marker_clock(tail))?;
        Some((i, i + len, clock))
    })
}

/// `3:45`, `3:34:50`.
fn colon_clock(t: &[Tok]) -> Option<(usize, Clock)> {
    match t {
        [Tok::Num(h), Tok::Punct(':'), Tok::Num(m), Tok::Punct(':'), Tok::Num(s), ..] => Some((
            5,
            Clock {
                h: *h,
                m: *m,
                s: Some(*s),
            },
        )),
        [Tok::Num(h), Tok::Punct(':'), Tok::Num(m), ..] => Some((
            3,
            Clock {
                h: *h,
                m: *m,
                s: None,
            },
        )),
        _ => None,
    }
}

/// `15時42分`, `15时42分30秒`, `3시 45분`.
fn marker_clock(t: &[Tok]) -> Option<(usize, Clock)> {
    let [Tok::Num(h), Tok::Mark(hm), Tok::Num(m), Tok::Mark(mm), rest @ ..] = t else {
        return None;
    };
    if !is_hour_mark(*hm) || !matches!(mm, '分' | '분') {
        return None;
    }
    let s = match rest {
        [Tok::Num(s), Tok::Mark('秒' | '초'), ..] => Some(*s),
        _ => None,
    };
    let len = if s.is_some() { 6 } else { 4 };
    Some((len, Clock { h: *h, m: *m, s }))
}

/// `Some(true)` for a PM word, `Some(false)` for an AM word.
fn meridiem(t: &Tok) -> Option<bool> {
    let Tok::Word(w) = t else { return None };
    match w.as_str() {
        "am" | "上午" | "午前" | "오전" => Some(false),
        "pm" | "下午" | "午後" | "오후" => Some(true),
        _ => None,
    }
}

/// 24-hour clock without `pm`; 1..=12 with it (12 AM = 00, 12 PM = 12).
fn make_time(c: Clock, pm: Option<bool>) -> Option<NaiveTime> {
    let too_long = |n: Num| n.len > 2;
    if too_long(c.h) || too_long(c.m) || c.s.is_some_and(too_long) {
        return None;
    }
    let hour = match pm {
        None => c.h.value,
        Some(_) if !(1..=12).contains(&c.h.value) => return None,
        Some(pm) => c.h.value % 12 + if pm { 12 } else { 0 },
    };
    NaiveTime::from_hms_opt(hour, c.m.value, c.s.map_or(0, |s| s.value))
}

// ---------------------------------------------------------------------------
// Dates

fn parse_date(toks: &[Tok], order: DayMonthOrder) -> Option<LooseDate> {
    let t = clean(toks);
    numeric_date(&t, order)
        .or_else(|| cjk_date(&t))
        .or_else(|| english_date(&t))
}

/// Three numbers with the same separator: `/`, `.` or `-`.
fn numeric_fields(t: &[Tok]) -> Option<(Num, Num, Num, char)> {
    match t {
        [Tok::Num(a), Tok::Punct(s1), Tok::Num(b), Tok::Punct(s2), Tok::Num(c)]
            if s1 == s2 && "/.-".contains(*s1) =>
        {
            Some((*a, *b, *c, *s1))
        }
        _ => None,
    }
}

fn numeric_date(t: &[Tok], order: DayMonthOrder) -> Option<LooseDate> {
    let (a, b, c, sep) = numeric_fields(t)?;
    if a.len == 4 {
        return make_date(Some(year_of(a)?), b.value, c.value, false);
    }
    let year = Some(year_of(c)?);
    if sep == '.' {
        return make_date(year, b.value, a.value, false);
    }
    let (first, second) = (a.value, b.value);
    let (month, day, dependent) = if first > 12 || (first == second) {
        (second, first, false)
    } else if second > 12 {
        (first, second, false)
    } else {
        match order {
            DayMonthOrder::MonthFirst => (first, second, true),
            DayMonthOrder::DayFirst => (second, first, true),
        }
    };
    make_date(year, month, day, dependent)
}

/// `2010年9月28日`, `4月14日`, `2010년 9월 28일`.
fn cjk_date(t: &[Tok]) -> Option<LooseDate> {
    match t {
        [Tok::Num(y), Tok::Mark(ym), Tok::Num(m), Tok::Mark(mm), Tok::Num(d), Tok::Mark(dm)]
            if is_year_mark(*ym) && is_month_mark(*mm) && is_day_mark(*dm) =>
        {
            make_date(Some(year_of(*y)?), m.value, d.value, false)
        }
        [Tok::Num(m), Tok::Mark(mm), Tok::Num(d), Tok::Mark(dm)]
            if is_month_mark(*mm) && is_day_mark(*dm) =>
        {
            make_date(None, m.value, d.value, false)
        }
        _ => None,
    }
}

/// `Nov 6`, `September 28 2010`, `6 Nov`, `28 September 2010` (commas,
/// dots and weekdays already cleaned away).
fn english_date(t: &[Tok]) -> Option<LooseDate> {
    let (word, day, year) = match t {
        [Tok::Word(w), Tok::Num(d)] | [Tok::Num(d), Tok::Word(w)] => (w, d, None),
        [Tok::Word(w), Tok::Num(d), Tok::Num(y)] | [Tok::Num(d), Tok::Word(w), Tok::Num(y)] => {
            (w, d, Some(year_of(*y)?))
        }
        _ => return None,
    };
    if day.len > 2 {
        return None;
    }
    make_date(year, month_of(word)?, day.value, false)
}

/// An English month name, full or cut to three letters or more (`sept`).
fn month_of(word: &str) -> Option<u32> {
    const MONTHS: &str = "january february march april may june july august september \
                          october november december";
    if word.len() < 3 {
        return None;
    }
    let index = MONTHS
        .split_whitespace()
        .position(|m| m.starts_with(word))?;
    u32::try_from(index + 1).ok()
}

/// A four-digit year in 1990..=2100, or a two-digit one as 2000 + yy.
fn year_of(n: Num) -> Option<i32> {
    let value = i32::try_from(n.value).ok()?;
    match n.len {
        4 if (1990..=2100).contains(&value) => Some(value),
        2 => Some(2000 + value),
        _ => None,
    }
}

/// A checked date; without a year, February 29 is allowed.
fn make_date(year: Option<i32>, month: u32, day: u32, dependent: bool) -> Option<LooseDate> {
    NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day)?;
    Some(LooseDate {
        year,
        month,
        day,
        time: None,
        order_dependent: dependent,
    })
}

/// What one sample says about the day/month order.
fn order_evidence(text: &str) -> Option<DayMonthOrder> {
    let (rest, _) = split_time(&tokenize(text))?;
    let (a, b, c, sep) = numeric_fields(&clean(&rest))?;
    if a.len == 4 || sep == '.' || year_of(c).is_none() {
        return None;
    }
    match (a.value, b.value) {
        (13..=31, 1..=12) => Some(DayMonthOrder::DayFirst),
        (1..=12, 13..=31) => Some(DayMonthOrder::MonthFirst),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Relative dates

/// `N unit ago`, `yesterday`, `just now`.
fn ago(t: &[Tok]) -> Option<Duration> {
    match t {
        [Tok::Word(w)] if w == "yesterday" => Duration::try_days(1),
        [Tok::Word(a), Tok::Word(b)] if a == "just" && b == "now" => Some(Duration::zero()),
        [count, Tok::Word(unit), Tok::Word(a)] if a == "ago" => span(count_of(count)?, unit),
        _ => None,
    }
}

fn count_of(t: &Tok) -> Option<i64> {
    match t {
        Tok::Num(n) if n.len <= 9 => Some(i64::from(n.value)),
        Tok::Word(w) if matches!(w.as_str(), "a" | "an" | "one") => Some(1),
        _ => None,
    }
}

fn span(n: i64, unit: &str) -> Option<Duration> {
    match unit {
        "second" | "seconds" | "sec" | "secs" | "s" => Duration::try_seconds(n),
        "minute" | "minutes" | "min" | "mins" => Duration::try_minutes(n),
        "hour" | "hours" | "hr" | "hrs" | "h" => Duration::try_hours(n),
        "day" | "days" => Duration::try_days(n),
        "week" | "weeks" | "wk" | "wks" => Duration::try_weeks(n),
        _ => None,
    }
}

/// The latest `month`/`day` at noon not after `anchor` (capped at it).
fn latest_month_day(month: u32, day: u32, anchor: NaiveDateTime) -> Option<NaiveDateTime> {
    let noon = NaiveTime::from_hms_opt(12, 0, 0)?;
    (0..=8)
        .filter_map(|back| NaiveDate::from_ymd_opt(anchor.year().checked_sub(back)?, month, day))
        .find(|d| *d <= anchor.date())
        .map(|d| d.and_time(noon).min(anchor))
}

// ---------------------------------------------------------------------------
// Zones

fn offset_name(seconds: i32) -> String {
    if seconds == 0 {
        return "UTC".to_string();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// An IANA name, exact or in another letter case.
fn named_zone(text: &str) -> Option<chrono_tz::Tz> {
    text.parse::<chrono_tz::Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .copied()
            .find(|tz| tz.name().eq_ignore_ascii_case(text))
    })
}

/// `+08:00`, `-0500`, `+8`, `UTC+8`, `GMT-05:30`; at most 14 hours.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let prefixed = text
        .get(..3)
        .filter(|p| ["utc", "gmt"].iter().any(|u| p.eq_ignore_ascii_case(u)));
    let rest = prefixed.map_or(text, |p| &text[p.len()..]).trim_start();
    let (sign, digits) = if let Some(d) = rest.strip_prefix('+') {
        (1, d)
    } else {
        (-1, rest.strip_prefix(['-', '\u{2212}'])?)
    };
    let (h, m) = hours_minutes(digits.trim())?;
    if h > 14 || m >= 60 || (h == 14 && m > 0) {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// `8`, `08`, `0800`, `8:00`, `08:00` as (hours, minutes).
fn hours_minutes(d: &str) -> Option<(i32, i32)> {
    let digits =
        |s: &str, lens: &[usize]| lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((h, m)) = d.split_once(':') {
        if !(digits(h, &[1, 2]) && digits(m, &[2])) {
            return None;
        }
        return Some((h.parse().ok()?, m.parse().ok()?));
    }
    if digits(d, &[1, 2]) {
        return Some((d.parse().ok()?, 0));
    }
    if digits(d, &[4]) {
        return Some((d[..2].parse().ok()?, d[2..].parse().ok()?));
    }
    None
}

/// Subtract an offset, leaving the time as it is when out of range.
fn minus_offset(local: NaiveDateTime, offset: FixedOffset) -> NaiveDateTime {
    Duration::try_seconds(i64::from(offset.local_minus_utc()))
        .and_then(|d| local.checked_sub_signed(d))
        .unwrap_or(local)
}

/// The offset in force shortly before a DST gap that swallowed `local`.
fn offset_before(local: NaiveDateTime, tz: chrono_tz::Tz) -> FixedOffset {
    (1..=48)
        .filter_map(|h| local.checked_sub_signed(Duration::try_hours(h)?))
        .find_map(|t| tz.offset_from_local_datetime(&t).earliest())
        .map_or(Utc.fix(), |o| o.fix())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MF: DayMonthOrder = DayMonthOrder::MonthFirst;
    const DF: DayMonthOrder = DayMonthOrder::DayFirst;

    fn t(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).expect("valid test time")
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .expect("valid test date")
            .and_time(t(h, mi, s))
    }

    fn ld(year: Option<i32>, month: u32, day: u32, time: Option<NaiveTime>) -> LooseDate {
        LooseDate {
            year,
            month,
            day,
            time,
            order_dependent: false,
        }
    }

    fn full(y: i32, mo: u32, d: u32, time: Option<NaiveTime>) -> Option<LooseDate> {
        Some(ld(Some(y), mo, d, time))
    }

    fn zone(text: &str) -> SourceZone {
        text.parse().expect("valid test zone")
    }

    fn offset(seconds: i32) -> SourceZone {
        SourceZone::Fixed(FixedOffset::east_opt(seconds).expect("valid test offset"))
    }

    #[test]
    fn en_us_with_and_without_seconds() {
        let d = full(2006, 6, 18, Some(t(3, 34, 50)));
        assert_eq!(parse_loose("6/18/2006 3:34:50 AM", MF), d);
        assert_eq!(parse_loose("6/18/2006 3:34:50 AM", DF), d);
        assert_eq!(
            parse_loose("9/28/2010 3:45 PM", MF),
            full(2010, 9, 28, Some(t(15, 45, 0)))
        );
        assert_eq!(parse_loose("6/18/2006", MF), full(2006, 6, 18, None));
        assert_eq!(parse_loose("  6/18/2006  ", MF), full(2006, 6, 18, None));
        assert_eq!(parse_loose(" - 6/18/2006", MF), full(2006, 6, 18, None));
    }

    #[test]
    fn am_pm_edges() {
        let cases = [
            ("1/20/2009 12:05 AM", t(0, 5, 0)),
            ("1/20/2009 12:00:00 AM", t(0, 0, 0)),
            ("1/20/2009 12:05 PM", t(12, 5, 0)),
            ("1/20/2009 12:59:59 PM", t(12, 59, 59)),
            ("1/20/2009 11:59 PM", t(23, 59, 0)),
            ("1/20/2009 1:00 AM", t(1, 0, 0)),
            ("1/20/2009 3:45 p.m.", t(15, 45, 0)),
            ("1/20/2009 3:45 pm", t(15, 45, 0)),
            ("1/20/2009 3:45PM", t(15, 45, 0)),
        ];
        for (text, time) in cases {
            assert_eq!(
                parse_loose(text, MF),
                full(2009, 1, 20, Some(time)),
                "{text}"
            );
        }
        assert_eq!(parse_loose("1/20/2009 0:30 PM", MF), None);
        assert_eq!(parse_loose("1/20/2009 13:30 PM", MF), None);
    }

    #[test]
    fn two_digit_year() {
        assert_eq!(parse_loose("6/18/06", MF), full(2006, 6, 18, None));
        assert_eq!(
            parse_loose("18/06/06 15:57", DF),
            full(2006, 6, 18, Some(t(15, 57, 0)))
        );
        assert_eq!(parse_loose("6/18/006", MF), None);
    }

    #[test]
    fn ambiguous_slash_date_follows_order() {
        let march = LooseDate {
            order_dependent: true,
            ..ld(Some(2009), 3, 4, None)
        };
        let april = LooseDate {
            order_dependent: true,
            ..ld(Some(2009), 4, 3, None)
        };
        assert_eq!(parse_loose("03/04/2009", MF), Some(march));
        assert_eq!(parse_loose("03/04/2009", DF), Some(april));
        assert_eq!(parse_loose("04/04/2009", DF), full(2009, 4, 4, None));
        assert_eq!(parse_loose("03-04-2009", DF), Some(april));
    }

    #[test]
    fn unambiguous_slash_date_ignores_order() {
        assert_eq!(parse_loose("18/06/2006", MF), full(2006, 6, 18, None));
        assert_eq!(parse_loose("06/18/2006", DF), full(2006, 6, 18, None));
    }

    #[test]
    fn day_first_cultures_with_and_without_seconds() {
        let d = |time| full(2010, 9, 28, Some(time));
        assert_eq!(parse_loose("28/09/2010 15:45", DF), d(t(15, 45, 0)));
        assert_eq!(parse_loose("28/09/2010 15:45:10", DF), d(t(15, 45, 10)));
        assert_eq!(parse_loose("28/9/2010 9:05", DF), d(t(9, 5, 0)));
        assert_eq!(parse_loose("15:57", DF), None, "a time alone is no date");
    }

    #[test]
    fn german_dotted_dates() {
        assert_eq!(
            parse_loose("28.09.2010 15:45", MF),
            full(2010, 9, 28, Some(t(15, 45, 0)))
        );
        assert_eq!(
            parse_loose("28.09.2010 15:45:10", MF),
            full(2010, 9, 28, Some(t(15, 45, 10)))
        );
        assert_eq!(parse_loose("03.04.2009", MF), full(2009, 4, 3, None));
        assert_eq!(parse_loose("28.09.10", MF), full(2010, 9, 28, None));
    }

    #[test]
    fn year_first_slash_dates() {
        assert_eq!(
            parse_loose("2007/12/5 10:49:29", MF),
            full(2007, 12, 5, Some(t(10, 49, 29)))
        );
        assert_eq!(
            parse_loose("2007/12/5 10:49", DF),
            full(2007, 12, 5, Some(t(10, 49, 0)))
        );
        assert_eq!(
            parse_loose("2010/09/28 9:05", MF),
            full(2010, 9, 28, Some(t(9, 5, 0)))
        );
        assert_eq!(
            parse_loose("2010/09/28 9:05:07", MF),
            full(2010, 9, 28, Some(t(9, 5, 7)))
        );
        assert_eq!(parse_loose("2010/9/28", DF), full(2010, 9, 28, None));
        assert_eq!(parse_loose("2010/03/04", DF), full(2010, 3, 4, None));
    }

    #[test]
    fn korean_dash_and_dot_forms() {
        let d = |time| full(2010, 9, 28, Some(time));
        assert_eq!(parse_loose("2010-09-28 오후 3:45", MF), d(t(15, 45, 0)));
        assert_eq!(parse_loose("2010-09-28 오후 3:45:10", MF), d(t(15, 45, 10)));
        assert_eq!(parse_loose("2010-09-28 오전 12:30", MF), d(t(0, 30, 0)));
        assert_eq!(parse_loose("2010-09-28 15:45", MF), d(t(15, 45, 0)));
        assert_eq!(parse_loose("2010. 9. 28. 오후 3:45", MF), d(t(15, 45, 0)));
        assert_eq!(parse_loose("2010. 9. 28.", MF), full(2010, 9, 28, None));
    }

    #[test]
    fn korean_long_form() {
        assert_eq!(parse_loose("2010년 9월 28일", MF), full(2010, 9, 28, None));
        let d = full(2010, 9, 28, Some(t(15, 45, 0)));
        assert_eq!(parse_loose("2010년 9월 28일 화요일 오후 3:45", MF), d);
        assert_eq!(parse_loose("2010년 9월 28일 오후 3시 45분", MF), d);
    }

    #[test]
    fn chinese_and_japanese_long_forms() {
        assert_eq!(parse_loose("2010年9月28日", MF), full(2010, 9, 28, None));
        let d = |time| full(2010, 9, 28, Some(time));
        assert_eq!(parse_loose("2010年9月28日 15:45", MF), d(t(15, 45, 0)));
        assert_eq!(parse_loose("2010年9月28日 15:45:30", MF), d(t(15, 45, 30)));
        assert_eq!(
            parse_loose("2010年9月28日 星期二 下午 3:45", MF),
            d(t(15, 45, 0))
        );
        assert_eq!(parse_loose("2010年9月28日下午3:45", MF), d(t(15, 45, 0)));
        assert_eq!(
            parse_loose("2010年9月28日 (火) 午後 3:45", MF),
            d(t(15, 45, 0))
        );
        assert_eq!(parse_loose("2010年9月28日 15時45分", MF), d(t(15, 45, 0)));
    }

    #[test]
    fn chinese_date_without_year() {
        assert_eq!(parse_loose("4月14日", MF), Some(ld(None, 4, 14, None)));
        assert_eq!(
            parse_loose("4月14日 15:42", MF),
            Some(ld(None, 4, 14, Some(t(15, 42, 0))))
        );
        assert_eq!(parse_loose("2月29日", MF), Some(ld(None, 2, 29, None)));
        assert_eq!(parse_loose("2月30日", MF), None);
    }

    #[test]
    fn english_month_names() {
        let d = full(2010, 9, 28, None);
        assert_eq!(parse_loose("September 28, 2010", MF), d);
        assert_eq!(parse_loose("Tuesday, September 28, 2010", MF), d);
        assert_eq!(parse_loose("28 September 2010", MF), d);
        assert_eq!(parse_loose("Sept. 28, 2010", MF), d);
        let with_time = full(2010, 9, 28, Some(t(15, 45, 0)));
        assert_eq!(parse_loose("September 28, 2010 at 3:45 PM", MF), with_time);
        assert_eq!(parse_loose("Nov. 6", MF), Some(ld(None, 11, 6, None)));
        assert_eq!(parse_loose("September 2010", MF), None);
    }

    #[test]
    fn times_alone() {
        let cases = [
            ("3:45 PM", t(15, 45, 0)),
            ("3:34:50 AM", t(3, 34, 50)),
            ("12:10 AM", t(0, 10, 0)),
            ("12:10 PM", t(12, 10, 0)),
            ("15:42", t(15, 42, 0)),
            ("10:49:29", t(10, 49, 29)),
            ("上午 10:49", t(10, 49, 0)),
            ("下午 3:45", t(15, 45, 0)),
            ("下午3:45:10", t(15, 45, 10)),
            ("下午 12:10", t(12, 10, 0)),
            ("上午 12:10", t(0, 10, 0)),
            ("오후 3:45", t(15, 45, 0)),
            ("오전 9:05", t(9, 5, 0)),
            ("午前 9:05", t(9, 5, 0)),
            ("午後 3:45", t(15, 45, 0)),
            ("15時42分", t(15, 42, 0)),
            ("15时42分30秒", t(15, 42, 30)),
            ("오후 3시 45분", t(15, 45, 0)),
            ("| 3:45 PM |", t(15, 45, 0)),
        ];
        for (text, time) in cases {
            assert_eq!(parse_time(text), Some(time), "{text}");
        }
    }

    #[test]
    fn time_taken_from_a_date_time() {
        assert_eq!(parse_time("6/18/2006 3:34:50 AM"), Some(t(3, 34, 50)));
        assert_eq!(parse_time("2010年9月28日 15:45"), Some(t(15, 45, 0)));
        assert_eq!(parse_time("6/18/2006"), None);
        assert_eq!(parse_time("hello 3:45"), None);
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("12:60"), None);
        assert_eq!(parse_time("10:49:60"), None);
    }

    #[test]
    fn full_width_digits_and_odd_spaces() {
        assert_eq!(
            parse_loose("２０１０年９月２８日", MF),
            full(2010, 9, 28, None)
        );
        let d = full(2010, 9, 28, Some(t(15, 45, 0)));
        assert_eq!(parse_loose("２０１０／９／２８\u{3000}１５：４５", MF), d);
        let d = full(2006, 6, 18, Some(t(3, 34, 50)));
        assert_eq!(parse_loose("6/18/2006\u{a0}3:34:50\u{a0}AM", MF), d);
        assert_eq!(parse_loose("6/18/2006&nbsp;3:34:50&nbsp;AM", MF), d);
        assert_eq!(parse_time("下午\u{a0}３：４５"), Some(t(15, 45, 0)));
    }

    #[test]
    fn impossible_and_insane_dates_are_rejected() {
        let bad = [
            "2/30/2009",
            "30/2/2009",
            "30.02.2010",
            "2009/2/29",
            "13/13/2009",
            "1/1/1989",
            "1/1/2101",
            "1989/1/1",
            "6/18/2006 25:00",
            "6/18/2006 12:99 PM",
            "6/18/2006 3:45 PM extra",
            "6/18",
            "6/18-2006",
            "2010年13月1日",
        ];
        for text in bad {
            assert_eq!(parse_loose(text, MF), None, "{text}");
        }
        assert_eq!(parse_loose("2/29/2008", MF), full(2008, 2, 29, None));
    }

    #[test]
    fn odd_input_never_panics() {
        let long_digits = "9".repeat(400);
        let long_time = format!("{long_digits}:{long_digits}");
        let odd = [
            "",
            " ",
            "99/99/9999",
            "年月日",
            "12:99 PM",
            "::",
            "//",
            "-",
            "ago",
            "0/0/0",
            "4294967296/1/2010",
            "月日",
            "下午",
            "오후",
            "Sept.",
            ". - 5",
            "5 ago",
            "\u{0}",
            &long_digits,
            &long_time,
            "2010年",
            "年9月",
            "-4 hours ago",
            "１２：９９",
        ];
        for text in odd {
            assert_eq!(parse_loose(text, MF), None, "{text:?}");
            assert_eq!(parse_time(text), None, "{text:?}");
            let _ = parse_relative(text);
            let _ = detect_order([text]);
            assert!(text.parse::<SourceZone>().is_err(), "{text:?}");
        }
    }

    #[test]
    fn random_token_soup_never_panics() {
        let pool: Vec<char> = "0123456789/.-:, 年月日년월일時分秒上下午오후AMPamp \u{a0}１２：ago"
            .chars()
            .collect();
        let mut seed: u64 = 0x2004_2010;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(seed >> 33).unwrap_or(0)
        };
        let anchor = at(2010, 1, 5, 10, 0, 0);
        for _ in 0..5000 {
            let len = next() % 24;
            let text: String = (0..len).map(|_| pool[next() % pool.len()]).collect();
            for order in [MF, DF] {
                if let Some(d) = parse_loose(&text, order) {
                    assert!(
                        NaiveDate::from_ymd_opt(d.year.unwrap_or(2000), d.month, d.day).is_some()
                    );
                }
            }
            let _ = parse_time(&text);
            let _ = detect_order([text.as_str()]);
            if let Some(rel) = parse_relative(&text) {
                let _ = resolve_relative(rel, anchor);
            }
            let _ = text.parse::<SourceZone>();
        }
    }

    #[test]
    fn detect_order_from_evidence() {
        let day_first = ["18/06/2006 15:57", "03/04/2009", "2007/12/5"];
        assert_eq!(detect_order(day_first), Some(DF));
        let month_first = ["6/18/2006 3:34:50 AM", "03/04/2009 1:00 PM"];
        assert_eq!(detect_order(month_first), Some(MF));
        let mixed = ["6/18/2006", "6/19/2006", "19/6/2006", "6/20/2006 3:45 PM"];
        assert_eq!(detect_order(mixed), Some(MF));
        let mixed = ["28/09/2010", "29/09/2010", "09/30/2010"];
        assert_eq!(detect_order(mixed), Some(DF));
        assert_eq!(detect_order(["18/06/2006", "06/18/2006"]), None, "a tie");
    }

    #[test]
    fn detect_order_without_evidence() {
        let none: [&str; 0] = [];
        assert_eq!(detect_order(none), None);
        let samples = [
            "03/04/2009",
            "2007/12/15",
            "2010/9/28",
            "28.09.2010",
            "4月14日",
            "x",
        ];
        assert_eq!(detect_order(samples), None);
        let texts = ["13/13/2009".to_string(), "Nov. 16".to_string()];
        assert_eq!(detect_order(texts.iter().map(String::as_str)), None);
    }

    #[test]
    fn relative_ago_forms() {
        let ago = |d: Option<Duration>| d.map(RelativeDate::Ago);
        let cases = [
            ("5 seconds ago", Duration::try_seconds(5)),
            (" - 5 seconds ago", Duration::try_seconds(5)),
            ("1 second ago", Duration::try_seconds(1)),
            ("3 minutes ago", Duration::try_minutes(3)),
            ("a minute ago", Duration::try_minutes(1)),
            ("4 hours ago", Duration::try_hours(4)),
            ("1 hour ago", Duration::try_hours(1)),
            ("an hour ago", Duration::try_hours(1)),
            ("1 day ago", Duration::try_days(1)),
            ("3 days ago", Duration::try_days(3)),
            ("2 weeks ago", Duration::try_weeks(2)),
            ("1 week ago", Duration::try_weeks(1)),
            ("Yesterday", Duration::try_days(1)),
            ("just now", Some(Duration::zero())),
            ("\u{a0}–\u{a0}10 mins ago", Duration::try_minutes(10)),
        ];
        for (text, span) in cases {
            assert_eq!(parse_relative(text), ago(span), "{text}");
        }
    }

    #[test]
    fn relative_month_day_forms() {
        let md = |month, day, year| Some(RelativeDate::MonthDay { month, day, year });
        assert_eq!(parse_relative("Nov. 6"), md(11, 6, None));
        assert_eq!(parse_relative("Sept. 27"), md(9, 27, None));
        assert_eq!(parse_relative("Sep 27"), md(9, 27, None));
        assert_eq!(parse_relative("September 27"), md(9, 27, None));
        assert_eq!(parse_relative("May 3"), md(5, 3, None));
        assert_eq!(parse_relative("Sept. 27, 2009"), md(9, 27, Some(2009)));
        assert_eq!(parse_relative("Nov. 6, 2009"), md(11, 6, Some(2009)));
        assert_eq!(parse_relative(" - Nov. 6, 2009"), md(11, 6, Some(2009)));
        assert_eq!(parse_relative("Feb. 29"), md(2, 29, None));
    }

    #[test]
    fn relative_rejects() {
        let bad = [
            "4 hours",
            "5 fortnights ago",
            "Smarch 3",
            "Feb. 30",
            "Nov. 6, 1850",
            "6/18/2006",
        ];
        for text in bad {
            assert_eq!(parse_relative(text), None, "{text}");
        }
    }

    #[test]
    fn resolve_ago_subtracts_exactly() {
        let anchor = at(2010, 1, 5, 10, 0, 0);
        let rel = |text| parse_relative(text).expect("relative");
        assert_eq!(
            resolve_relative(rel("4 hours ago"), anchor),
            Some(at(2010, 1, 5, 6, 0, 0))
        );
        assert_eq!(
            resolve_relative(rel("5 seconds ago"), anchor),
            Some(at(2010, 1, 5, 9, 59, 55))
        );
        assert_eq!(
            resolve_relative(rel("2 weeks ago"), anchor),
            Some(at(2009, 12, 22, 10, 0, 0))
        );
        assert_eq!(
            resolve_relative(rel("yesterday"), anchor),
            Some(at(2010, 1, 4, 10, 0, 0))
        );
        let far = RelativeDate::Ago(Duration::MAX);
        assert_eq!(resolve_relative(far, anchor), None);
    }

    #[test]
    fn resolve_month_day_across_year_boundary() {
        let anchor = at(2010, 1, 5, 10, 0, 0);
        let rel = |text| parse_relative(text).expect("relative");
        assert_eq!(
            resolve_relative(rel("Dec. 30"), anchor),
            Some(at(2009, 12, 30, 12, 0, 0))
        );
        assert_eq!(
            resolve_relative(rel("Jan. 3"), anchor),
            Some(at(2010, 1, 3, 12, 0, 0))
        );
        assert_eq!(
            resolve_relative(rel("Jan. 5"), anchor),
            Some(anchor),
            "capped at anchor"
        );
        let late = at(2010, 1, 5, 18, 0, 0);
        assert_eq!(
            resolve_relative(rel("Jan. 5"), late),
            Some(at(2010, 1, 5, 12, 0, 0))
        );
        let dated = rel("Sept. 27, 2009");
        assert_eq!(
            resolve_relative(dated, anchor),
            Some(at(2009, 9, 27, 12, 0, 0))
        );
        let leap = resolve_relative(rel("Feb. 29"), at(2010, 3, 1, 0, 0, 0));
        assert_eq!(leap, Some(at(2008, 2, 29, 12, 0, 0)));
    }

    #[test]
    fn source_zone_forms() {
        assert_eq!(
            zone("Asia/Shanghai"),
            SourceZone::Named(chrono_tz::Asia::Shanghai)
        );
        assert_eq!(
            zone("america/los_angeles"),
            SourceZone::Named(chrono_tz::America::Los_Angeles)
        );
        for utc in ["UTC", "utc", "Z", "GMT", "+00:00", "UTC+0", " UTC "] {
            assert_eq!(zone(utc), SourceZone::utc(), "{utc}");
        }
        assert_eq!(zone("+08:00"), offset(8 * 3600));
        assert_eq!(zone("+8"), offset(8 * 3600));
        assert_eq!(zone("UTC+8"), offset(8 * 3600));
        assert_eq!(zone("utc+08"), offset(8 * 3600));
        assert_eq!(zone("-0500"), offset(-5 * 3600));
        assert_eq!(zone("GMT-05:30"), offset(-(5 * 3600 + 1800)));
        assert_eq!(zone("+5:45"), offset(5 * 3600 + 45 * 60));
        assert_eq!(zone("+14"), offset(14 * 3600));
    }

    #[test]
    fn source_zone_names_and_display() {
        assert_eq!(zone("Asia/Shanghai").name(), "Asia/Shanghai");
        assert_eq!(zone("asia/shanghai").name(), "Asia/Shanghai");
        assert_eq!(zone("UTC+8").name(), "+08:00");
        assert_eq!(zone("-0500").name(), "-05:00");
        assert_eq!(zone("+05:30").name(), "+05:30");
        assert_eq!(SourceZone::utc().name(), "UTC");
        assert_eq!(zone("Z").to_string(), "UTC");
        assert_eq!(zone("America/New_York").to_string(), "America/New_York");
        assert_eq!(zone(&zone("-03:30").to_string()), zone("-03:30"));
    }

    #[test]
    fn source_zone_errors() {
        let err = "Mars/Olympus"
            .parse::<SourceZone>()
            .expect_err("unknown zone")
            .to_string();
        assert!(err.contains("'Mars/Olympus'"), "{err}");
        assert!(
            err.contains("IANA") && err.contains("+08:00") && err.contains("UTC"),
            "{err}"
        );
        for bad in [
            "",
            "8",
            "+15",
            "+08:75",
            "UTC+",
            "+8:5",
            "+123",
            "+08:00:00",
            "UTC8",
            "EST5",
        ] {
            assert!(bad.parse::<SourceZone>().is_err(), "{bad}");
        }
    }

    #[test]
    fn to_utc_named_and_fixed() {
        let local = at(2010, 9, 28, 15, 45, 0);
        let shanghai = zone("Asia/Shanghai");
        assert_eq!(
            to_utc(local, shanghai),
            (at(2010, 9, 28, 7, 45, 0), LocalTimeNote::Exact)
        );
        let early = at(2010, 1, 1, 3, 0, 0);
        assert_eq!(
            to_utc(early, shanghai),
            (at(2009, 12, 31, 19, 0, 0), LocalTimeNote::Exact)
        );
        let minus5 = zone("-05:00");
        assert_eq!(
            to_utc(local, minus5),
            (at(2010, 9, 28, 20, 45, 0), LocalTimeNote::Exact)
        );
        assert_eq!(
            to_utc(local, SourceZone::utc()),
            (local, LocalTimeNote::Exact)
        );
        let summer = to_utc(local, zone("America/New_York"));
        assert_eq!(summer, (at(2010, 9, 28, 19, 45, 0), LocalTimeNote::Exact));
    }

    #[test]
    fn to_utc_dst_gap_moves_forward() {
        let ny = zone("America/New_York");
        let gap = at(2010, 3, 14, 2, 30, 0);
        // 02:30 does not exist; read as EST it is 07:30 UTC = 03:30 EDT.
        assert_eq!(
            to_utc(gap, ny),
            (at(2010, 3, 14, 7, 30, 0), LocalTimeNote::Nonexistent)
        );
        let after = at(2010, 3, 14, 3, 30, 0);
        assert_eq!(
            to_utc(after, ny),
            (at(2010, 3, 14, 7, 30, 0), LocalTimeNote::Exact)
        );
    }

    #[test]
    fn to_utc_dst_overlap_takes_earlier_instant() {
        let ny = zone("America/New_York");
        let twice = at(2010, 11, 7, 1, 30, 0);
        // 01:30 EDT (05:30 UTC) comes before 01:30 EST (06:30 UTC).
        assert_eq!(
            to_utc(twice, ny),
            (at(2010, 11, 7, 5, 30, 0), LocalTimeNote::Ambiguous)
        );
    }

    #[test]
    fn to_utc_never_panics_at_the_ends() {
        for zone in [
            zone("+14"),
            zone("-12"),
            zone("Pacific/Apia"),
            zone("Asia/Shanghai"),
        ] {
            let _ = to_utc(NaiveDateTime::MIN, zone);
            let _ = to_utc(NaiveDateTime::MAX, zone);
        }
        let samoa = to_utc(at(2011, 12, 30, 12, 0, 0), zone("Pacific/Apia"));
        assert_eq!(
            samoa,
            (at(2011, 12, 30, 22, 0, 0), LocalTimeNote::Nonexistent)
        );
    }
}
