//! A one-file backup converts in memory that follows its largest entry, not
//! the page (issue 12, item 3).
//!
//! The same blog is written as one `Weblog.htm` at two sizes, the larger
//! four times the smaller, every entry of both about the same size. Both
//! are converted through the library while a counting allocator records the
//! peak of live heap bytes. Were the page held whole (or parsed into one
//! tree), the peak would grow by at least the text added; cut into entries
//! as it is read, it grows only by the small per-post index. Heap bytes are
//! counted exactly, not timed.

#[path = "it/util/mod.rs"]
mod util;

use std::path::Path;

use peak_alloc::PeakAlloc;
use util::OWNER;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// List-view entry `n`: about 8 KB of mixed-script text and two comments.
fn entry(n: usize) -> String {
    let words = [
        "今天", "天气", "Olá", "Grüße", "spaces", "blog", "lorem", "ipsum",
    ];
    let mut body = String::from("<p>");
    for k in 0..(1000 + n % 100) {
        body.push_str(words[(n + k * 7) % words.len()]);
        body.push(' ');
    }
    body.push_str("</p>");
    let comments: String = (0..2)
        .map(|k| {
            format!(
                r#"<div class="bvCommentText"><span id="ccNamecns!{OWNER}!{n}">Reader {k}</span><div class="ccViewComment">Comment {k} on post {n}.</div><span id="ccDatecns!{OWNER}!{n}">{}/{}/2009 1:0{k} PM</span></div>"#,
                1 + n % 12,
                1 + k
            )
        })
        .collect();
    format!(
        r#"<div class="bvEntry" id="entrycns!{OWNER}!{n}" bv:cns="cns!{OWNER}!{n}">
<div id="subjcns!{OWNER}!{n}" class="TextColor1">Post number {n}</div>
<div id="msgcns!{OWNER}!{n}" class="bvMsg">{body}</div>
<span class="bold" id="LastMDatecns!{OWNER}!{n}">{}/{}/2009</span>
<div class="footerLinks">{}:{:02} PM | <a id="blogCategory0" href="http://demo-space.spaces.live.com/?partqs=cat%3dCat{}">Cat</a></div>
{comments}</div>
"#,
        1 + n % 12,
        1 + n % 28,
        1 + n % 12,
        n % 60,
        n % 7
    )
}

/// A folder holding one `Weblog.htm` of `posts` entries; returns its size.
fn make_blog(dir: &Path, posts: usize) -> usize {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut page = String::from(
        "<html><head><meta charset=\"utf-8\"><title>Weblog</title></head><body><div id=\"blog\">\n",
    );
    for n in 1..=posts {
        page.push_str(&entry(n));
    }
    page.push_str("</div></body></html>");
    std::fs::write(dir.join("Weblog.htm"), &page).expect("write");
    page.len()
}

/// Peak live heap bytes while converting `input`.
fn peak_of_conversion(input: &Path, out: &Path) -> usize {
    let cfg = spaces2wxr::Config::new(input, out);
    HEAP.reset_peak_usage();
    let before = HEAP.current_usage();
    let report = spaces2wxr::convert(&cfg).expect("conversion runs");
    let peak = HEAP.peak_usage() - before;
    drop(report);
    peak
}

#[test]
fn a_one_file_page_converts_in_memory_bounded_by_its_entries() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (small, large) = (800usize, 3_200usize);
    let small_page = make_blog(&tmp.path().join("small"), small);
    let large_page = make_blog(&tmp.path().join("large"), large);
    let small_peak = peak_of_conversion(&tmp.path().join("small"), &tmp.path().join("o1"));
    let large_peak = peak_of_conversion(&tmp.path().join("large"), &tmp.path().join("o2"));
    let growth = large_peak.saturating_sub(small_peak);
    eprintln!(
        "peak heap: {small_page} B page {small_peak} B, {large_page} B page {large_peak} B (+{growth} B)"
    );
    assert!(
        large_peak < large_page / 4,
        "peak heap {large_peak} B for a {large_page} B page"
    );
    assert!(
        growth < (large_page - small_page) / 10,
        "peak heap grew by {growth} B while the page grew by {} B",
        large_page - small_page
    );
    for (out, posts) in [("o1", small), ("o2", large)] {
        let report: serde_json::Value = serde_json::from_slice(
            &std::fs::read(tmp.path().join(out).join("report.json")).expect("report"),
        )
        .expect("json");
        assert_eq!(report["counts"]["posts"], posts, "{out}");
    }
}
