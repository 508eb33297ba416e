//! placeholder, replaced by the real module
#![allow(missing_docs, unused)]
use chrono::{NaiveDateTime, NaiveTime};
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayMonthOrder {
    #[default]
    MonthFirst,
    DayFirst,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LooseDate {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
    pub time: Option<NaiveTime>,
    pub order_dependent: bool,
}
pub fn parse_loose(text: &str, order: DayMonthOrder) -> Option<LooseDate> {
    None
}
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    None
}
pub fn detect_order<'a>(samples: impl IntoIterator<Item = &'a str>) -> Option<DayMonthOrder> {
    None
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelativeDate {
    Ago(chrono::Duration),
    MonthDay {
        month: u32,
        day: u32,
        year: Option<i32>,
    },
}
pub fn parse_relative(text: &str) -> Option<RelativeDate> {
    None
}
pub fn resolve_relative(rel: RelativeDate, anchor: NaiveDateTime) -> Option<NaiveDateTime> {
    None
}
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SourceZone {
    Named(chrono_tz::Tz),
    Fixed(chrono::FixedOffset),
}
impl SourceZone {
    pub fn utc() -> Self {
        SourceZone::Named(chrono_tz::UTC)
    }
}
impl std::str::FromStr for SourceZone {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(Self::utc())
    }
}
impl std::fmt::Display for SourceZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UTC")
    }
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTimeNote {
    Exact,
    Ambiguous,
    Nonexistent,
}
pub fn to_utc(local: NaiveDateTime, zone: SourceZone) -> (NaiveDateTime, LocalTimeNote) {
    (local, LocalTimeNote::Exact)
}
