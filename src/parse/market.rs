//! The time zone a blog's dates were written in, guessed from the market
//! and language its pages name, and the `--timezone` values people type.
//!
//! Spaces printed dates without a zone. What a page does say is its market
//! (`mkt=zh-cn` in the links Spaces wrote), and sometimes its language
//! (`<html lang>`, a `Content-Language` meta, or date texts such as
//! `午後 3:45`). A market whose people all kept one clock names that zone;
//! a market spread over several zones (en-US) names none, and the dates
//! stay in UTC. Signals are counted per entry, so each blog of a run gets
//! its own zone.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Offset, TimeZone};
use chrono_tz::{Africa, America, Asia, Australia, Europe, Pacific, Tz};
use serde::Serialize;

use super::dates::{SourceZone, ZoneError};

/// How a market's people kept time in 2004-2011.
#[derive(Debug, Clone, Copy)]
enum Fit {
    /// One zone for (nearly) everyone.
    One(Tz),
    /// Several zones; the text says which.
    Several(&'static str),
}

/// Spaces markets (.NET culture names, lower case) and their zones. A
/// market is given one zone when nearly all its people kept that zone's
/// clock then (Spain's Canary Islands and Portugal's Azores aside). Brazil
/// is given São Paulo time: Brasília time covers about nine in ten
/// Brazilians and nearly all of the country's Spaces users, though its
/// north-east kept no daylight saving (pass `--timezone America/Recife`
/// there).
const MARKETS: &[(&str, Fit)] = &[
    ("ar-sa", Fit::One(Asia::Riyadh)),
    ("bg-bg", Fit::One(Europe::Sofia)),
    ("cs-cz", Fit::One(Europe::Prague)),
    ("da-dk", Fit::One(Europe::Copenhagen)),
    ("de-at", Fit::One(Europe::Vienna)),
    ("de-ch", Fit::One(Europe::Zurich)),
    ("de-de", Fit::One(Europe::Berlin)),
    ("el-gr", Fit::One(Europe::Athens)),
    (
        "en-au",
        Fit::Several("Australia spans three zones, some without daylight saving"),
    ),
    ("en-ca", Fit::Several("Canada spans six zones")),
    ("en-gb", Fit::One(Europe::London)),
    ("en-ie", Fit::One(Europe::Dublin)),
    ("en-in", Fit::One(Asia::Kolkata)),
    ("en-my", Fit::One(Asia::Kuala_Lumpur)),
    ("en-nz", Fit::One(Pacific::Auckland)),
    ("en-ph", Fit::One(Asia::Manila)),
    ("en-sg", Fit::One(Asia::Singapore)),
    ("en-us", Fit::Several("the United States span six zones")),
    ("en-za", Fit::One(Africa::Johannesburg)),
    ("es-ar", Fit::One(America::Argentina::Buenos_Aires)),
    ("es-cl", Fit::One(America::Santiago)),
    ("es-co", Fit::One(America::Bogota)),
    ("es-es", Fit::One(Europe::Madrid)),
    ("es-mx", Fit::Several("Mexico spans four zones")),
    ("es-pe", Fit::One(America::Lima)),
    ("es-us", Fit::Several("the United States span six zones")),
    ("es-ve", Fit::One(America::Caracas)),
    ("et-ee", Fit::One(Europe::Tallinn)),
    ("fi-fi", Fit::One(Europe::Helsinki)),
    ("fr-be", Fit::One(Europe::Brussels)),
    ("fr-ca", Fit::Several("Canada spans six zones")),
    ("fr-ch", Fit::One(Europe::Zurich)),
    ("fr-fr", Fit::One(Europe::Paris)),
    ("he-il", Fit::One(Asia::Jerusalem)),
    ("hr-hr", Fit::One(Europe::Zagreb)),
    ("hu-hu", Fit::One(Europe::Budapest)),
    ("id-id", Fit::Several("Indonesia spans three zones")),
    ("it-it", Fit::One(Europe::Rome)),
    ("ja-jp", Fit::One(Asia::Tokyo)),
    ("ko-kr", Fit::One(Asia::Seoul)),
    ("lt-lt", Fit::One(Europe::Vilnius)),
    ("lv-lv", Fit::One(Europe::Riga)),
    ("ms-my", Fit::One(Asia::Kuala_Lumpur)),
    ("nb-no", Fit::One(Europe::Oslo)),
    ("nl-be", Fit::One(Europe::Brussels)),
    ("nl-nl", Fit::One(Europe::Amsterdam)),
    ("pl-pl", Fit::One(Europe::Warsaw)),
    ("pt-br", Fit::One(America::Sao_Paulo)),
    ("pt-pt", Fit::One(Europe::Lisbon)),
    ("ro-ro", Fit::One(Europe::Bucharest)),
    ("ru-ru", Fit::Several("Russia spans nine zones")),
    ("sk-sk", Fit::One(Europe::Bratislava)),
    ("sl-si", Fit::One(Europe::Ljubljana)),
    ("sv-se", Fit::One(Europe::Stockholm)),
    ("th-th", Fit::One(Asia::Bangkok)),
    ("tr-tr", Fit::One(Europe::Istanbul)),
    ("uk-ua", Fit::One(Europe::Kyiv)),
    ("vi-vn", Fit::One(Asia::Ho_Chi_Minh)),
    ("zh-cn", Fit::One(Asia::Shanghai)),
    ("zh-hk", Fit::One(Asia::Hong_Kong)),
    ("zh-sg", Fit::One(Asia::Singapore)),
    ("zh-tw", Fit::One(Asia::Taipei)),
];

fn fit_of(market: &str) -> Option<Fit> {
    MARKETS
        .binary_search_by(|(m, _)| (*m).cmp(market))
        .ok()
        .map(|i| MARKETS[i].1)
}

/// Do two zones show the same clock every day of the Spaces years
/// (2004-2011)? Checked at noon each day, which catches any difference in
/// offset or daylight saving dates.
fn same_clock(a: Tz, b: Tz) -> bool {
    if a == b {
        return true;
    }
    let Some(start) = NaiveDate::from_ymd_opt(2004, 1, 1) else {
        return false;
    };
    start
        .iter_days()
        .take_while(|d| d.year() <= 2011)
        .filter_map(|d| d.and_hms_opt(12, 0, 0))
        .all(|t| {
            let fa = a.offset_from_utc_datetime(&t).fix();
            let fb = b.offset_from_utc_datetime(&t).fix();
            fa == fb
        })
}

/// Did the zone change its clocks in summer during the Spaces years?
fn keeps_dst(tz: Tz) -> bool {
    let at = |m| {
        NaiveDate::from_ymd_opt(2008, m, 1)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|t| tz.offset_from_utc_datetime(&t).fix())
    };
    at(1) != at(7)
}

/// Market or language → the zone it fits, or why none does.
fn zone_of(tag: &str) -> Result<(Tz, Option<&'static str>), String> {
    if tag.contains('-') {
        return match fit_of(tag) {
            Some(Fit::One(tz)) => Ok((tz, None)),
            Some(Fit::Several(why)) => Err(why.to_string()),
            None => Err(format!("no time zone is known for market {tag}")),
        };
    }
    // A language alone: the zone of its markets when they all kept one
    // clock (ja → ja-jp; zh → zh-cn, zh-tw, zh-hk and zh-sg, all UTC+8).
    let prefix = format!("{tag}-");
    let markets: Vec<(&str, Fit)> = MARKETS
        .iter()
        .filter(|(m, _)| m.starts_with(&prefix))
        .copied()
        .collect();
    let mut zones = Vec::new();
    for (m, fit) in &markets {
        match fit {
            Fit::One(tz) => zones.push((*m, *tz)),
            Fit::Several(_) => {
                return Err(format!(
                    "language {tag} names no single zone (its market {m} spans several)"
                ))
            }
        }
    }
    // The language's home market first (de → de-de, not de-at).
    let home = format!("{tag}-{tag}");
    zones.sort_by_key(|(m, _)| *m != home);
    let Some(&(_, first)) = zones.first() else {
        return Err(format!("no time zone is known for language {tag}"));
    };
    if zones.iter().all(|(_, tz)| same_clock(first, *tz)) {
        let note = (zones.len() > 1).then_some("its markets kept the same clock");
        Ok((first, note))
    } else {
        let names: Vec<&str> = zones.iter().map(|(m, _)| *m).collect();
        Err(format!(
            "language {tag} is written in markets with different clocks ({})",
            names.join(", ")
        ))
    }
}

/// What one page says about its market and language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLocale {
    /// The `mkt=` value its links carry most often (lower case).
    pub market: Option<String>,
    /// `<html lang>` or a `Content-Language` meta (lower case).
    pub language: Option<String>,
}

/// Normalise a market or language tag: `zh_CN` → `zh-cn`; `None` for
/// anything that is not letters and one or two hyphens.
pub fn normalise_tag(tag: &str) -> Option<String> {
    let t = tag.trim().replace('_', "-").to_ascii_lowercase();
    let parts: Vec<&str> = t.split('-').collect();
    let ok = !t.is_empty()
        && parts.len() <= 3
        && parts
            .iter()
            .all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
        && parts[0].bytes().all(|b| b.is_ascii_alphabetic());
    ok.then_some(t)
}

/// The `mkt` parameter of a URL's query, if any.
pub fn market_of_url(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split(['&', ';'])
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("mkt"))
        .and_then(|(_, v)| normalise_tag(v))
}

/// Gathers a page's market and language from its start tags as a reader
/// goes through them (the splitter sees every tag of the page once).
#[derive(Debug, Default)]
pub struct LocaleReader {
    markets: BTreeMap<String, usize>,
    language: Option<String>,
}

impl LocaleReader {
    /// One start tag, `name` in lower case, with its attributes.
    pub fn tag<'a>(&mut self, name: &str, attr: impl Fn(&str) -> Option<&'a str>) {
        for a in ["href", "src", "action"] {
            if let Some(m) = attr(a).and_then(market_of_url) {
                *self.markets.entry(m).or_default() += 1;
            }
        }
        if self.language.is_some() {
            return;
        }
        match name {
            "html" => self.language = attr("lang").or(attr("xml:lang")).and_then(normalise_tag),
            "meta"
                if attr("http-equiv")
                    .is_some_and(|h| h.eq_ignore_ascii_case("content-language")) =>
            {
                self.language = attr("content").and_then(normalise_tag);
            }
            _ => {}
        }
    }

    /// The market the page's links name most often, and its language.
    pub fn finish(self) -> PageLocale {
        let market = self
            .markets
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(m, _)| m);
        PageLocale {
            market,
            language: self.language,
        }
    }
}

/// The language a date text is written in, where its words say so:
/// Korean (`오후`, `년`), Japanese (`午前`, `午後`, kana) or Chinese
/// (`上午`, `下午`). Digits and `年月日` alone are shared and say nothing.
pub fn date_language(text: &str) -> Option<&'static str> {
    if text.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c)) {
        return Some("ko");
    }
    let kana = text.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c));
    if kana || text.contains("午前") || text.contains("午後") {
        return Some("ja");
    }
    if text.contains("上午") || text.contains("下午") {
        return Some("zh");
    }
    None
}

/// The language an entry's own words are written in, where their script
/// says so: Hangul is Korean, kana Japanese, and Han characters without
/// kana Chinese (at least [`HAN_MIN`] of them, so that a borrowed word or
/// two says nothing). Latin text says nothing: too many countries share it.
pub fn text_language(text: &str) -> Option<&'static str> {
    let (mut han, mut kana, mut hangul) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        match c {
            '\u{ac00}'..='\u{d7a3}' => hangul += 1,
            '\u{3040}'..='\u{30ff}' => kana += 1,
            '\u{4e00}'..='\u{9fff}' => han += 1,
            _ => {}
        }
    }
    if hangul >= HAN_MIN {
        Some("ko")
    } else if kana > 0 {
        Some("ja")
    } else if han >= HAN_MIN {
        Some("zh")
    } else {
        None
    }
}

/// Fewest Han (or Hangul) characters that make [`text_language`] decide.
const HAN_MIN: usize = 4;

/// Market and language votes of one blog, one per entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// Markets named by the entries' pages, with counts.
    pub markets: BTreeMap<String, usize>,
    /// Languages (page markup, else the words of dates, titles and text),
    /// with counts.
    pub languages: BTreeMap<String, usize>,
    /// Entries counted, with a vote or without.
    pub entries: usize,
}

impl Signals {
    /// Count one entry's page locale and date language.
    pub fn add(&mut self, page: &PageLocale, date_language: Option<&str>) {
        self.entries += 1;
        if let Some(m) = &page.market {
            *self.markets.entry(m.clone()).or_default() += 1;
        }
        if let Some(l) = page.language.as_deref().or(date_language) {
            *self.languages.entry(l.to_string()).or_default() += 1;
        }
    }

    /// Add another blog part's votes.
    pub fn merge(&mut self, other: &Signals) {
        for (k, n) in &other.markets {
            *self.markets.entry(k.clone()).or_default() += n;
        }
        for (k, n) in &other.languages {
            *self.languages.entry(k.clone()).or_default() += n;
        }
        self.entries += other.entries;
    }
}

/// The zone a run reads dates in, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneChoice {
    /// The zone: an IANA name, `UTC` or an offset.
    pub zone: String,
    /// `option` (--timezone), `market`, `language` or `default` (UTC).
    pub source: &'static str,
    /// The market, language or option value it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// One sentence for people.
    pub note: String,
    /// The zone itself.
    #[serde(skip)]
    pub source_zone: SourceZone,
}

impl Default for ZoneChoice {
    /// UTC, for want of anything better.
    fn default() -> Self {
        utc("nothing was read yet".into())
    }
}

/// A `--timezone` value as given: the zone, and what an abbreviation was
/// read as.
#[derive(Debug, Clone, PartialEq)]
pub struct GivenZone {
    /// The zone.
    pub zone: SourceZone,
    /// The text as typed.
    pub text: String,
    /// For an abbreviation: what it was taken to mean.
    pub meaning: Option<&'static str>,
}

/// Common abbreviations that name one zone, with what they stand for.
const ABBREVIATIONS: &[(&str, Tz, &str)] = &[
    ("ACDT", Australia::Adelaide, "Australian Central Time"),
    ("ACST", Australia::Adelaide, "Australian Central Time"),
    ("AEDT", Australia::Sydney, "Australian Eastern Time"),
    ("AEST", Australia::Sydney, "Australian Eastern Time"),
    ("AKDT", America::Anchorage, "Alaska Time"),
    ("AKST", America::Anchorage, "Alaska Time"),
    ("ART", America::Argentina::Buenos_Aires, "Argentina Time"),
    ("AWST", Australia::Perth, "Australian Western Time"),
    ("BRST", America::Sao_Paulo, "Brasília Time"),
    ("BRT", America::Sao_Paulo, "Brasília Time"),
    ("CDT", America::Chicago, "US Central Time"),
    ("CEST", Europe::Berlin, "Central European Time"),
    ("CET", Europe::Berlin, "Central European Time"),
    ("EDT", America::New_York, "US Eastern Time"),
    ("EEST", Europe::Athens, "Eastern European Time"),
    ("EET", Europe::Athens, "Eastern European Time"),
    ("EST", America::New_York, "US Eastern Time"),
    ("ET", America::New_York, "US Eastern Time"),
    ("HKT", Asia::Hong_Kong, "Hong Kong Time"),
    ("HST", Pacific::Honolulu, "Hawaii Time"),
    ("ICT", Asia::Bangkok, "Indochina Time"),
    ("JST", Asia::Tokyo, "Japan Standard Time"),
    ("KST", Asia::Seoul, "Korea Standard Time"),
    ("MDT", America::Denver, "US Mountain Time"),
    ("MSK", Europe::Moscow, "Moscow Time"),
    ("MST", America::Denver, "US Mountain Time"),
    ("MT", America::Denver, "US Mountain Time"),
    ("NZDT", Pacific::Auckland, "New Zealand Time"),
    ("NZST", Pacific::Auckland, "New Zealand Time"),
    ("PDT", America::Los_Angeles, "US Pacific Time"),
    ("PHT", Asia::Manila, "Philippine Time"),
    ("PST", America::Los_Angeles, "US Pacific Time"),
    ("PT", America::Los_Angeles, "US Pacific Time"),
    ("SGT", Asia::Singapore, "Singapore Time"),
    ("WEST", Europe::Lisbon, "Western European Time"),
    ("WET", Europe::Lisbon, "Western European Time"),
    ("WIB", Asia::Jakarta, "Western Indonesia Time"),
];

/// Abbreviations that name several zones: refused with the choices.
const AMBIGUOUS: &[(&str, &str)] = &[
    ("AST", "Atlantic (America/Halifax) or Arabia (Asia/Riyadh)"),
    (
        "BST",
        "British Summer Time (Europe/London) or Bangladesh (Asia/Dhaka)",
    ),
    (
        "CST",
        "US Central (America/Chicago), China (Asia/Shanghai) or Cuba (America/Havana)",
    ),
    (
        "IST",
        "India (Asia/Kolkata), Israel (Asia/Jerusalem) or Ireland (Europe/Dublin)",
    ),
];

impl GivenZone {
    /// Read a `--timezone` value: an abbreviation (`PST`, `CET`, `JST`, …),
    /// an IANA name, `UTC` or an offset. The error names the value and the
    /// accepted forms (or, for `CST`, `IST`, …, the zones it could mean).
    pub fn parse(text: &str) -> Result<Self, ZoneError> {
        let t = text.trim();
        if let Some((abbr, zones)) = AMBIGUOUS.iter().find(|(a, _)| a.eq_ignore_ascii_case(t)) {
            return Err(ZoneError::Ambiguous {
                abbr: abbr.to_string(),
                zones,
            });
        }
        if let Some((_, tz, meaning)) = ABBREVIATIONS
            .iter()
            .find(|(a, _, _)| a.eq_ignore_ascii_case(t))
        {
            return Ok(GivenZone {
                zone: SourceZone::Named(*tz),
                text: t.to_ascii_uppercase(),
                meaning: Some(meaning),
            });
        }
        Ok(GivenZone {
            zone: t.parse::<SourceZone>()?,
            text: t.to_string(),
            meaning: None,
        })
    }

    /// The choice this option makes.
    pub fn choice(&self) -> ZoneChoice {
        let zone = self.zone.name();
        let note = match self.meaning {
            Some(meaning) => {
                let dst = match self.zone {
                    SourceZone::Named(tz) if keeps_dst(tz) => ", daylight saving included",
                    _ => "",
                };
                format!(
                    "dates read as {zone}: --timezone {} stands for {meaning}{dst}",
                    self.text
                )
            }
            None => format!("dates read as {zone}, from --timezone"),
        };
        ZoneChoice {
            zone,
            source: "option",
            from: Some(self.text.clone()),
            note,
            source_zone: self.zone,
        }
    }
}

/// The votes of the leading tag, counting with it every tag whose zone
/// keeps the same clock; and the total.
fn leader(votes: &BTreeMap<String, usize>) -> Option<(String, usize, usize)> {
    let total: usize = votes.values().sum();
    let (top, _) = votes
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
    let top_zone = zone_of(top).ok().map(|z| z.0);
    let agreeing: usize = votes
        .iter()
        .filter(|(tag, _)| {
            *tag == top
                || match (top_zone, zone_of(tag)) {
                    (Some(a), Ok((b, _))) => same_clock(a, b),
                    _ => false,
                }
        })
        .map(|(_, n)| n)
        .sum();
    Some((top.clone(), agreeing, total))
}

fn listed(votes: &BTreeMap<String, usize>) -> String {
    let mut v: Vec<(&String, &usize)> = votes.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    v.iter()
        .map(|(t, n)| format!("{t} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

const CHANGE: &str = "pass --timezone to change";

fn utc(reason: String) -> ZoneChoice {
    ZoneChoice {
        zone: "UTC".into(),
        source: "default",
        from: None,
        note: format!("dates read as UTC: {reason}; pass --timezone with the blog's own zone"),
        source_zone: SourceZone::utc(),
    }
}

/// Choose the zone of one blog from its pages' signals: the market most
/// entries name, when at least three quarters of the entries that name one
/// agree with its clock; else the language, by the same rule; else UTC. A
/// market spread over several zones also gives UTC. Every outcome says why
/// in [`ZoneChoice::note`].
pub fn choose(signals: &Signals) -> ZoneChoice {
    for (votes, what) in [
        (&signals.markets, "market"),
        (&signals.languages, "language"),
    ] {
        let Some((top, agreeing, total)) = leader(votes) else {
            continue;
        };
        // A language must be the blog's, not a few posts' (an English blog
        // with one post in Chinese stays as it is): most entries must say
        // one. Unset, `entries` counts nothing and does not hold it back.
        if what == "language" && total * 2 <= signals.entries {
            continue;
        }
        if agreeing * 4 < total * 3 {
            return utc(format!(
                "the pages name {what}s with different clocks: {}",
                listed(votes)
            ));
        }
        return match zone_of(&top) {
            Ok((tz, why)) => {
                let why = why.map(|w| format!(" ({w})")).unwrap_or_default();
                ZoneChoice {
                    zone: tz.name().to_string(),
                    source: what,
                    from: Some(top.clone()),
                    note: format!(
                        "dates read as {}, from the pages' {what} {top}{why}; {CHANGE}",
                        tz.name()
                    ),
                    source_zone: SourceZone::Named(tz),
                }
            }
            Err(why) => utc(format!("the pages' {what} is {top}, and {why}")),
        };
    }
    utc("the pages name no market or language".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(markets: &[(&str, usize)], languages: &[(&str, usize)]) -> Signals {
        let map = |v: &[(&str, usize)]| v.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        Signals {
            markets: map(markets),
            languages: map(languages),
            entries: 0,
        }
    }

    #[test]
    fn market_table_is_sorted_and_unique() {
        assert!(MARKETS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(MARKETS
            .iter()
            .all(|(m, _)| normalise_tag(m).as_deref() == Some(*m)));
    }

    #[test]
    fn markets_with_one_zone() {
        for (market, zone) in [
            ("zh-cn", "Asia/Shanghai"),
            ("ja-jp", "Asia/Tokyo"),
            ("zh-tw", "Asia/Taipei"),
            ("ko-kr", "Asia/Seoul"),
            ("pt-br", "America/Sao_Paulo"),
            ("de-de", "Europe/Berlin"),
            ("es-es", "Europe/Madrid"),
        ] {
            let c = choose(&signals(&[(market, 3)], &[]));
            assert_eq!(c.zone, zone, "{market}");
            assert_eq!(c.source, "market");
            assert_eq!(c.from.as_deref(), Some(market));
            assert_eq!(
                c.note,
                format!("dates read as {zone}, from the pages' market {market}; pass --timezone to change")
            );
        }
    }

    #[test]
    fn markets_with_several_zones_keep_utc() {
        for market in ["en-us", "en-au", "ru-ru", "es-mx", "fr-ca"] {
            let c = choose(&signals(&[(market, 5)], &[("en", 5)]));
            assert_eq!(c.zone, "UTC", "{market}");
            assert_eq!(c.source, "default");
            assert!(
                c.note.contains(market) && c.note.contains("--timezone"),
                "{}",
                c.note
            );
        }
        let c = choose(&signals(&[("xx-yy", 1)], &[]));
        assert!(
            c.note.contains("no time zone is known for market xx-yy"),
            "{}",
            c.note
        );
    }

    #[test]
    fn languages_alone() {
        let zone = |lang: &str| choose(&signals(&[], &[(lang, 2)])).zone;
        assert_eq!(zone("ja"), "Asia/Tokyo");
        assert_eq!(zone("ko"), "Asia/Seoul");
        // zh-cn, zh-tw, zh-hk and zh-sg kept UTC+8 without daylight saving.
        assert_eq!(zone("zh"), "Asia/Shanghai");
        // de-de, de-at and de-ch kept the same clock.
        assert_eq!(zone("de"), "Europe/Berlin");
        assert_eq!(zone("en"), "UTC");
        assert_eq!(zone("pt"), "UTC");
        assert_eq!(zone("es"), "UTC");
        assert_eq!(zone("tlh"), "UTC");
        // A language with a region is a market.
        assert_eq!(zone("pt-br"), "America/Sao_Paulo");
        let c = choose(&signals(&[], &[("zh", 2)]));
        assert_eq!(c.source, "language");
        assert!(c.note.contains("language zh"), "{}", c.note);
    }

    #[test]
    fn markets_outrank_languages_and_disagreement_keeps_utc() {
        let c = choose(&signals(&[("ja-jp", 4)], &[("en-us", 9)]));
        assert_eq!(c.zone, "Asia/Tokyo");
        let c = choose(&signals(&[("de-de", 4), ("pt-br", 2)], &[]));
        assert_eq!(c.zone, "UTC");
        assert!(c.note.contains("de-de (4), pt-br (2)"), "{}", c.note);
        // A stray page in another market's language does not matter.
        let c = choose(&signals(&[("zh-cn", 9), ("es-es", 1)], &[]));
        assert_eq!(c.zone, "Asia/Shanghai");
        // Markets on the same clock count together.
        let c = choose(&signals(&[("de-de", 3), ("de-at", 2), ("fr-fr", 1)], &[]));
        assert_eq!(c.zone, "Europe/Berlin");
        let c = choose(&Signals::default());
        assert_eq!(c.zone, "UTC");
        assert!(c.note.contains("no market or language"), "{}", c.note);
    }

    #[test]
    fn urls_and_tags() {
        assert_eq!(
            market_of_url("/?_c11_BlogPart_pagedir=Next&_c=BlogPart&mkt=zh-cn").as_deref(),
            Some("zh-cn")
        );
        assert_eq!(
            market_of_url("http://x/?MKT=ja-JP#top").as_deref(),
            Some("ja-jp")
        );
        assert_eq!(
            market_of_url("http://x/?a=1&amp;mkt=pt-br").as_deref(),
            Some("pt-br")
        );
        assert_eq!(market_of_url("http://x/mkt=zh-cn"), None);
        assert_eq!(market_of_url("http://x/?mkt=<script>"), None);
        assert_eq!(normalise_tag("zh_TW").as_deref(), Some("zh-tw"));
        assert_eq!(normalise_tag(""), None);
        assert_eq!(normalise_tag("1-2"), None);
    }

    #[test]
    fn page_locale_reads_links_html_lang_and_meta() {
        let locale = |html: &str| {
            super::super::split::split_text(html)
                .expect("split")
                .1
                .locale
        };
        let l = locale(
            r#"<html lang="zh-CN"><head><meta http-equiv="Content-Language" content="ja"></head>
            <body><a href="/?x=1&amp;mkt=zh-cn">a</a><a href="/?mkt=zh-cn">b</a><a href="/?mkt=es-es">c</a></body></html>"#,
        );
        assert_eq!(l.market.as_deref(), Some("zh-cn"));
        assert_eq!(l.language.as_deref(), Some("zh-cn"));
        let l = locale(
            r#"<html><head><meta http-equiv="content-language" content="ko-KR"></head><body></body></html>"#,
        );
        assert_eq!(l.market, None);
        assert_eq!(l.language.as_deref(), Some("ko-kr"));
    }

    #[test]
    fn a_language_must_be_the_blogs() {
        let mut few = signals(&[], &[("zh", 1)]);
        few.entries = 6;
        assert_eq!(choose(&few).zone, "UTC");
        let mut most = signals(&[], &[("zh", 5)]);
        most.entries = 6;
        assert_eq!(choose(&most).zone, "Asia/Shanghai");
    }

    #[test]
    fn script_of_the_words() {
        assert_eq!(text_language("今天下雨了，我在家里看书。"), Some("zh"));
        assert_eq!(
            text_language("今日は雨でした。家で本を読みました。"),
            Some("ja")
        );
        assert_eq!(text_language("오늘은 비가 왔어요"), Some("ko"));
        assert_eq!(text_language("Meu notebook novo chegou"), None);
        assert_eq!(text_language("A trip to 北京"), None);
    }

    #[test]
    fn date_words() {
        assert_eq!(date_language("2010년 9월 28일 오후 3:45"), Some("ko"));
        assert_eq!(date_language("2008年5月17日 午後 3:45"), Some("ja"));
        assert_eq!(date_language("2007/12/5 下午 3:45"), Some("zh"));
        assert_eq!(date_language("2010年9月28日"), None);
        assert_eq!(date_language("6/18/2006 3:34:50 AM"), None);
    }

    #[test]
    fn abbreviations() {
        let g = GivenZone::parse("pst").expect("PST");
        assert_eq!(g.zone, SourceZone::Named(America::Los_Angeles));
        assert_eq!(
            g.choice().note,
            "dates read as America/Los_Angeles: --timezone PST stands for US Pacific Time, daylight saving included"
        );
        let jst = GivenZone::parse("JST").expect("JST");
        assert_eq!(
            jst.choice().note,
            "dates read as Asia/Tokyo: --timezone JST stands for Japan Standard Time"
        );
        assert_eq!(
            GivenZone::parse("CET").expect("CET").zone.name(),
            "Europe/Berlin"
        );
        let err = GivenZone::parse("CST").expect_err("ambiguous").to_string();
        assert!(
            err.contains("Asia/Shanghai") && err.contains("America/Chicago"),
            "{err}"
        );
        let g = GivenZone::parse("Asia/Shanghai").expect("IANA");
        assert_eq!(g.meaning, None);
        assert_eq!(
            g.choice().note,
            "dates read as Asia/Shanghai, from --timezone"
        );
        assert!(GivenZone::parse("Mars/Olympus").is_err());
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn same_clock_over_the_spaces_years() {
        assert!(same_clock(Asia::Shanghai, Asia::Taipei));
        assert!(same_clock(Europe::Berlin, Europe::Paris));
        assert!(!same_clock(Europe::Berlin, Europe::London));
        assert!(!same_clock(America::Sao_Paulo, America::Recife));
    }
}
