//! Memory does not grow with the archive's content.
//!
//! The same blog is generated at two sizes and converted through the
//! library while a counting allocator records the peak of live heap bytes.
//! Post and comment HTML, titles, dates, comment authors and report lines
//! all wait on disk, so the peak may grow only by the small per-file and
//! per-post index (the file list, a key per post), well under the size of
//! the text each post adds. Heap bytes are counted exactly, not timed, so
//! the check is stable on a busy machine.

#[path = "it/util/mod.rs"]
mod util;

use std::path::Path;

use peak_alloc::PeakAlloc;
use util::{entry_page, fake_jpeg, write_entry_page, GenComment};

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// Entry `n` of a generated blog: mixed-script text, a few comments, a
/// photo in every fifth post.
fn page(n: usize) -> String {
    let words = [
        "今天", "天气", "Olá", "Grüße", "spaces", "blog", "lorem", "ipsum",
    ];
    let mut body = String::from("<p>");
    for k in 0..(150 + n % 200) {
        body.push_str(words[(n + k * 7) % words.len()]);
        body.push(' ');
    }
    body.push_str("</p>");
    if n.is_multiple_of(5) {
        body.push_str(&format!(
            r#"<p><img src="../img/photo{}.jpg" alt="photo"></p>"#,
            n % 40
        ));
    }
    let comments: Vec<GenComment> = (0..n % 7)
        .map(|k| GenComment {
            author: format!("Reader {k} of post {n}"),
            text: format!("Comment {k}: {}", "Nice words. ".repeat(1 + (n + k) % 15)),
            date: format!(
                "{}/{}/2009 {}:0{} PM",
                1 + n % 12,
                1 + k,
                1 + k % 12,
                k % 10
            ),
        })
        .collect();
    let title = format!("Post number {n}: 台北的雨季 {}", "x".repeat(n % 30));
    let date = format!("{}/{}/2009", 1 + n % 12, 1 + n % 28);
    let time = format!("{}:{:02} PM", 1 + n % 12, n % 60);
    entry_page(
        n,
        &title,
        &body,
        &date,
        &time,
        &format!("Cat{}", n % 7),
        &comments,
    )
}

/// A folder archive of `posts` entry pages and 40 small photos; returns
/// the bytes of page text written.
fn make_blog(dir: &Path, posts: usize) -> usize {
    std::fs::create_dir_all(dir.join("img")).expect("mkdir");
    for i in 0..40u8 {
        let path = dir.join(format!("img/photo{i}.jpg"));
        std::fs::write(path, fake_jpeg(i, 2000)).expect("write");
    }
    let mut text = 0;
    for n in 1..=posts {
        let html = page(n);
        text += html.len();
        write_entry_page(dir, n, &html);
    }
    text
}

/// Peak live heap bytes while converting `input`.
fn peak_of_conversion(input: &Path, out: &Path) -> usize {
    let cfg = spaces2wxr::Config::new(input, out);
    HEAP.reset_peak_usage();
    let before = HEAP.current_usage();
    let report = spaces2wxr::convert(&cfg).expect("conversion runs");
    let peak = HEAP.peak_usage() - before;
    assert!(report.reports[0].counts.posts > 0);
    drop(report);
    peak
}

#[test]
fn peak_heap_grows_by_a_small_index_per_post_not_by_content() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (small, large) = (1_500usize, 6_000usize);
    let small_text = make_blog(&tmp.path().join("small"), small);
    let large_text = make_blog(&tmp.path().join("large"), large);
    let small_peak = peak_of_conversion(&tmp.path().join("small"), &tmp.path().join("o1"));
    let large_peak = peak_of_conversion(&tmp.path().join("large"), &tmp.path().join("o2"));

    let added_posts = large - small;
    let added_text = large_text - small_text;
    let growth = large_peak.saturating_sub(small_peak);
    let per_post = growth / added_posts;
    eprintln!(
        "peak heap: {small} posts {small_peak} B, {large} posts {large_peak} B; \
         +{per_post} B per added post; pages add {} B each",
        added_text / added_posts
    );
    // The index costs well under 200 bytes per post (file list entry, keys);
    // keeping titles, dates and comment metadata in memory cost over 2 KB.
    assert!(
        per_post < 500,
        "peak heap grew by {per_post} bytes per added post ({growth} bytes in all)"
    );
    assert!(
        growth < added_text / 10,
        "peak heap grew by {growth} bytes while the pages added {added_text} bytes"
    );
    // Both conversions really converted everything.
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("o2/report.json")).expect("report"))
            .expect("json");
    assert_eq!(report["counts"]["posts"], large);
    assert_eq!(report["posts"].as_array().map(Vec::len), Some(large));
}
