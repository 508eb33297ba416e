//! Arbitrary bytes through the page parser, and every entry it finds through
//! the sanitizer, the media/link helpers and the date parsers.
//!
//! Invariants checked (a failure panics, which libFuzzer reports as a crash):
//! * nothing panics;
//! * sanitized post and comment HTML contains no `<script` (any case);
//! * re-parsed with scraper, sanitized HTML has no `<script>` element and no
//!   attribute whose name starts with `on`;
//! * sanitizing with a URL map that keeps everything gives what sanitizing
//!   without a map gives;
//! * dates that parse are real calendar dates (month 1..=12, day valid).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use spaces2wxr::internals::dates::{self, DayMonthOrder, LooseDate, RelativeDate};
use spaces2wxr::internals::{parse_file, PageKind};
use spaces2wxr::internals::Text;
use spaces2wxr::internals::Sanitizer;

fn sanitizer() -> &'static Sanitizer {
    static S: OnceLock<Sanitizer> = OnceLock::new();
    S.get_or_init(Sanitizer::new)
}

/// The sanitizer's output must be free of script and event handlers.
fn check_clean(what: &str, input: &str, out: &str) {
    if out.to_ascii_lowercase().contains("<script") {
        panic!("{what}: sanitized output contains <script\ninput: {input:?}\noutput: {out:?}");
    }
    let doc = scraper::Html::parse_fragment(out);
    for node in doc.tree.nodes() {
        let scraper::Node::Element(el) = node.value() else {
            continue;
        };
        if el.name().eq_ignore_ascii_case("script") {
            panic!("{what}: <script> element after re-parse\ninput: {input:?}\noutput: {out:?}");
        }
        for (name, value) in el.attrs() {
            if name.to_ascii_lowercase().starts_with("on") {
                panic!(
                    "{what}: event handler attribute {name}={value:?} on <{}>\ninput: {input:?}\noutput: {out:?}",
                    el.name()
                );
            }
        }
    }
}

fn check_body(what: &str, html: &str, post: bool) {
    let s = sanitizer();
    let cleaned = if post { s.clean_post(html) } else { s.clean_comment(html) };
    check_clean(what, html, &cleaned.html);

    if post {
        let mapped = s.clean_post_with(html, &|_: &str, _: &str, _: &str| None);
        assert_eq!(mapped.html, cleaned.html, "a keep-everything URL map changed the output");
    }
}

/// `parse_file` has no spool, so every text it returns is held in memory.
fn inline(t: &Text) -> &str {
    t.inline().expect("parse_file returned a spooled text")
}

fn days_in(year: Option<i32>, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 0,
    }
}

fn check_loose(text: &str, d: Option<LooseDate>) {
    if let Some(d) = d {
        assert!(
            (1..=12).contains(&d.month) && d.day >= 1 && d.day <= days_in(d.year, d.month),
            "parse_loose({text:?}) gave an impossible date {d:?}"
        );
    }
}

fn check_dates(text: &str) {
    check_loose(text, dates::parse_loose(text, DayMonthOrder::MonthFirst));
    check_loose(text, dates::parse_loose(text, DayMonthOrder::DayFirst));
    let _ = dates::parse_time(text);
    if let Some(RelativeDate::MonthDay { month, day, year }) = dates::parse_relative(text) {
        assert!(
            (1..=12).contains(&month) && day >= 1 && day <= days_in(year, month),
            "parse_relative({text:?}) gave an impossible date {month}/{day}/{year:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let parsed = parse_file("fuzz.html", data);
    let PageKind::Entries(entries) = parsed.kind else {
        return;
    };
    let mut samples: Vec<&str> = Vec::new();
    for entry in &entries {
        check_body("clean_post", &inline(&entry.body), true);
        for c in &entry.comments {
            check_body("clean_comment", &inline(&c.html), false);
            if let Some(t) = &c.date_text {
                check_dates(t);
                samples.push(t);
            }
        }
        for t in [&entry.date_text, &entry.time_text].into_iter().flatten() {
            check_dates(t);
            samples.push(t);
        }
    }
    let _ = dates::detect_order(samples);
});
