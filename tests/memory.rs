//! Memory does not grow with the archive's content.
//!
//! The same blog is generated at two sizes and converted through the
//! library while a counting allocator records the peak of live heap bytes.
//! Post and comment HTML, titles, dates, comment authors and report lines
//! all wait on disk, so the peak may grow only by the small per-file and
//! per-post index (the file list, a key per post), well under the size of
//! the text each post adds. Heap bytes are counted exactly, not timed, so
//! the check is stable on a busy machine.

use std::fmt::Write as _;
use std::path::Path;

use peak_alloc::PeakAlloc;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

const OWNER: &str = "D2C0FFEE12345678";

/// A single-entry page in the 2008 markup, with a few comments.
fn page(n: usize) -> String {
    let words = ["今天", "天气", "Olá", "Grüße", "spaces", "blog", "lorem", "ipsum"];
    let mut body = String::new();
    for k in 0..(150 + n % 200) {
        body.push_str(words[(n + k * 7) % words.len()]);
        body.push(' ');
    }
    let mut comments = String::new();
    for k in 0..(n % 7) {
        let _ = write!(
            comments,
            r#"<div class="bvCommentText"><span id="ccNamecns!{OWNER}!{n}">Reader {k} of post {n}</span><div class="ccViewComment">Comment {k}: {}</div><span id="ccDatecns!{OWNER}!{n}">{}/{}/2009 {}:0{} PM</span></div>"#,
            "Nice words. ".repeat(1 + (n + k) % 15),
            1 + n % 12,
            1 + k,
            1 + k % 12,
            k % 10
        );
    }
    let img = if n % 5 == 0 {
        format!(
            r#"<p><img src="../img/photo{}.jpg" alt="photo"></p>"#,
            n % 40
        )
    } else {
        String::new()
    };
    format!(
        r#"<html><head><meta charset="utf-8"><title>Post {n}</title></head><body>
<div id="subjcns!{OWNER}!{n}" class="TextColor1">Post number {n}: 台北的雨季 {}</div>
<div id="msgcns!{OWNER}!{n}" class="bvMsg"><p>{body}</p>{img}</div>
<span class="bold" id="LastMDatecns!{OWNER}!{n}">{}/{}/2009</span>
<div class="footerLinks">{}:{:02} PM | <a id="blogCategory0" href="http://demo-space.spaces.live.com/?partqs=cat%3dCat{}">Cat{}</a></div>
{comments}</body></html>"#,
        "x".repeat(n % 30),
        1 + n % 12,
        1 + n % 28,
        1 + n % 12,
        n % 60,
        n % 7,
        n % 7
    )
}

/// A folder archive of `posts` entry pages and 40 small photos; returns
/// the bytes of page text written.
fn make_blog(dir: &Path, posts: usize) -> usize {
    std::fs::create_dir_all(dir.join("blog")).expect("mkdir");
    std::fs::create_dir_all(dir.join("img")).expect("mkdir");
    for i in 0..40u8 {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
        jpeg.extend(std::iter::repeat_n(i, 2000));
        jpeg.extend([0xFF, 0xD9]);
        std::fs::write(dir.join(format!("img/photo{i}.jpg")), jpeg).expect("write");
    }
    let mut text = 0;
    for n in 1..=posts {
        let html = page(n);
        text += html.len();
        let name = format!("blog/cns!{OWNER}!{n}.html");
        std::fs::write(dir.join(name), html).expect("write");
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
    assert!(report.counts.posts > 0);
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
    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(tmp.path().join("o2/report.json")).expect("report"),
    )
    .expect("json");
    assert_eq!(report["counts"]["posts"], large);
    assert_eq!(report["posts"].as_array().map(Vec::len), Some(large));
}
