//! Helpers shared by the integration tests: run the real binary, read the
//! WXR it wrote.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `testdata/`.
pub fn testdata(rel: &str) -> PathBuf {
    root().join("testdata").join(rel)
}

/// Every archive under `testdata/` (folders and zips) and under
/// `testdata/field-cases/`, sorted; not the XSS vectors or the goldens.
pub fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in [testdata(""), testdata("field-cases")] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd {
            let p = e.expect("entry").path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let archive = if p.is_dir() {
                !matches!(name, "xss" | "field-cases" | "golden") && !name.starts_with('.')
            } else {
                p.extension().is_some_and(|x| x == "zip")
            };
            if archive {
                // A folder holding a web archive (WARC, WACZ) stands for it.
                out.push(web_archive_in(&p).unwrap_or(p));
            }
        }
    }
    out.sort();
    out
}

/// The `.warc`, `.warc.gz` or `.wacz` file at the top of fixture folder
/// `dir`, if it holds one.
fn web_archive_in(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| {
            let n = p.to_string_lossy();
            p.is_file()
                && [".warc", ".warc.gz", ".wacz"]
                    .iter()
                    .any(|x| n.ends_with(x))
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// Run `spaces2wxr` with `args`, with a clean environment.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spaces2wxr"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("the binary runs")
}

/// The site URL the tests convert for, unless they pass their own.
pub const SITE_URL: &str = "http://localhost";

/// Run `spaces2wxr convert INPUT -o OUT` with extra `args`, whatever the
/// exit code. `--site-url http://localhost` is added unless `args` give
/// one (the command requires it).
pub fn try_convert(input: &Path, out: &Path, args: &[&str]) -> Output {
    let mut all = vec![
        "convert",
        input.to_str().expect("utf-8 path"),
        "-o",
        out.to_str().expect("utf-8 path"),
    ];
    if !args.contains(&"--site-url") {
        all.extend_from_slice(&["--site-url", SITE_URL]);
    }
    all.extend_from_slice(args);
    run(&all)
}

/// Convert `input` into `out` with extra `args`; panics unless the exit
/// code is 0 (output written, warnings or not).
pub fn convert(input: &Path, out: &Path, args: &[&str]) -> Output {
    let o = try_convert(input, out, args);
    let code = o.status.code();
    assert!(
        code == Some(0),
        "exit {code:?}\nstderr:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The one `.xml` file in `out`.
pub fn wxr_path(out: &Path) -> PathBuf {
    let xmls: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("out dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    assert_eq!(xmls.len(), 1, "exactly one WXR in {out:?}: {xmls:?}");
    xmls[0].clone()
}

/// One item of a WXR, flattened for assertions.
#[derive(Debug, Clone, Default)]
pub struct Item {
    pub title: String,
    pub post_id: u64,
    pub post_type: String,
    pub post_date: String,
    pub post_date_gmt: String,
    pub post_parent: u64,
    pub content: String,
    pub attachment_url: String,
    pub categories: Vec<(String, String)>,
    pub meta: Vec<(String, String)>,
    pub comments: Vec<ItemComment>,
    /// The time zone the report beside the WXR says the dates were read
    /// in (`UTC` when not known); set by [`items_of`].
    pub zone: String,
}

/// One comment of an item.
#[derive(Debug, Clone, Default)]
pub struct ItemComment {
    pub id: u64,
    pub author: String,
    pub author_url: String,
    pub date: String,
    pub date_gmt: String,
    pub content: String,
    pub parent: u64,
}

impl Item {
    /// A postmeta value.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

const WP: &str = "http://wordpress.org/export/1.2/";

/// Parse every item of a WXR file.
pub fn items(xml: &str) -> Vec<Item> {
    let doc = roxmltree::Document::parse(xml).expect("the WXR is well-formed XML");
    let channel = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("channel"))
        .expect("channel");
    channel
        .children()
        .filter(|n| n.has_tag_name("item"))
        .map(item)
        .collect()
}

fn text(n: roxmltree::Node<'_, '_>, ns: Option<&str>, name: &str) -> String {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == ns)
        .map(|c| c.children().filter_map(|t| t.text()).collect())
        .unwrap_or_default()
}

fn item(n: roxmltree::Node<'_, '_>) -> Item {
    let num = |name: &str| text(n, Some(WP), name).trim().parse().unwrap_or(0);
    Item {
        title: text(n, None, "title"),
        post_id: num("post_id"),
        post_type: text(n, Some(WP), "post_type"),
        post_date: text(n, Some(WP), "post_date"),
        post_date_gmt: text(n, Some(WP), "post_date_gmt"),
        post_parent: num("post_parent"),
        content: text(
            n,
            Some("http://purl.org/rss/1.0/modules/content/"),
            "encoded",
        ),
        attachment_url: text(n, Some(WP), "attachment_url"),
        categories: n
            .children()
            .filter(|c| c.has_tag_name("category"))
            .map(|c| {
                (
                    c.attribute("nicename").unwrap_or("").to_string(),
                    c.text().unwrap_or("").to_string(),
                )
            })
            .collect(),
        meta: n
            .children()
            .filter(|c| c.has_tag_name((WP, "postmeta")))
            .map(|m| {
                (
                    text(m, Some(WP), "meta_key"),
                    text(m, Some(WP), "meta_value"),
                )
            })
            .collect(),
        comments: n
            .children()
            .filter(|c| c.has_tag_name((WP, "comment")))
            .map(comment)
            .collect(),
        zone: "UTC".into(),
    }
}

fn comment(c: roxmltree::Node<'_, '_>) -> ItemComment {
    let t = |name: &str| text(c, Some(WP), name);
    ItemComment {
        id: t("comment_id").trim().parse().unwrap_or(0),
        author: t("comment_author"),
        author_url: t("comment_author_url"),
        date: t("comment_date"),
        date_gmt: t("comment_date_gmt"),
        content: t("comment_content"),
        parent: t("comment_parent").trim().parse().unwrap_or(0),
    }
}

/// Every file under `dir`, relative, sorted, with its bytes.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).expect("read file")));
            }
        }
    }
    out.sort();
    out
}

/// The text a browser shows for a stored HTML field (WordPress keeps
/// titles, names and categories as HTML).
pub fn shown(html: &str) -> String {
    scraper::Html::parse_fragment(html)
        .root_element()
        .text()
        .collect()
}

/// The items of the WXR file `wxr`, each stamped with the time zone the
/// `report.json` beside it names.
pub fn items_of(wxr: &Path) -> Vec<Item> {
    let xml = std::fs::read_to_string(wxr).expect("read WXR");
    let report = wxr.with_file_name("report.json");
    let zone = std::fs::read_to_string(report)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|r| r["timezone"]["zone"].as_str().map(str::to_string))
        .unwrap_or_else(|| "UTC".into());
    let mut all = items(&xml);
    for i in &mut all {
        i.zone = zone.clone();
    }
    all
}

/// `local` (`YYYY-MM-DD HH:MM:SS`) in the IANA zone or `UTC` `zone`, as
/// UTC in the same form (the earlier instant when the time occurs twice).
pub fn gmt_of(local: &str, zone: &str) -> String {
    use chrono::TimeZone;
    let t = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M:%S").expect("a date");
    if zone == "UTC" {
        return local.to_string();
    }
    let tz: chrono_tz::Tz = zone.parse().expect("an IANA zone");
    tz.from_local_datetime(&t)
        .earliest()
        .expect("a local time that exists")
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Compare a post item with its `expected.json` entry `w`: title (or a
/// fallback when `null`), local date, its GMT date in the zone the report
/// names (UTC unless the pages name a market, so GMT equals it), category,
/// and body snippets.
pub fn check_post_fields(input: &str, id: &str, w: &serde_json::Value, p: &Item) {
    match w["title"].as_str() {
        Some(t) => assert_eq!(shown(&p.title), t, "{input} {id} title"),
        None => assert!(
            !p.title.trim().is_empty(),
            "{input} {id}: untitled entry gets a fallback title"
        ),
    }
    assert_eq!(
        p.post_date,
        w["date"].as_str().unwrap_or_default(),
        "{input} {id} date"
    );
    assert_eq!(
        p.post_date_gmt,
        gmt_of(&p.post_date, &p.zone),
        "{input} {id}: GMT date in {}",
        p.zone
    );
    let cats: Vec<&str> = p.categories.iter().map(|(_, n)| n.as_str()).collect();
    let want_cat: Vec<&str> = w["category"].as_str().into_iter().collect();
    assert_eq!(cats, want_cat, "{input} {id} category");
    for snippet in w["body_contains"].as_array().into_iter().flatten() {
        let s = snippet.as_str().unwrap_or_default();
        assert!(
            p.content.contains(s),
            "{input} {id}: body should contain {s:?}:\n{}",
            p.content
        );
    }
}

/// Owner CID of generated blogs.
pub const OWNER: &str = "D2C0FFEE12345678";

/// A comment of a generated entry page: author, text, date as printed.
pub struct GenComment {
    pub author: String,
    pub text: String,
    pub date: String,
}

/// A single-entry page in the 2008 markup, for generated blogs: entry `n`
/// of [`OWNER`], with its title, body HTML, date (`M/D/YYYY`), time
/// (`h:mm PM`), category and comments.
pub fn entry_page(
    n: usize,
    title: &str,
    body: &str,
    date: &str,
    time: &str,
    category: &str,
    comments: &[GenComment],
) -> String {
    let mut c = String::new();
    for k in comments {
        c.push_str(&format!(
            r#"<div class="bvCommentText"><span id="ccNamecns!{OWNER}!{n}">{}</span><div class="ccViewComment">{}</div><span id="ccDatecns!{OWNER}!{n}">{}</span></div>"#,
            k.author, k.text, k.date
        ));
    }
    format!(
        r#"<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div id="subjcns!{OWNER}!{n}" class="TextColor1">{title}</div>
<div id="msgcns!{OWNER}!{n}" class="bvMsg">{body}</div>
<span class="bold" id="LastMDatecns!{OWNER}!{n}">{date}</span>
<div class="footerLinks">{time} | <a id="blogCategory0" href="http://demo-space.spaces.live.com/?partqs=cat%3d{category}">{category}</a></div>
{c}</body></html>"#
    )
}

/// Write a generated entry page as `blog/cns!OWNER!n.html` under `dir`.
pub fn write_entry_page(dir: &Path, n: usize, html: &str) {
    let blog = dir.join("blog");
    std::fs::create_dir_all(&blog).expect("mkdir");
    std::fs::write(blog.join(format!("cns!{OWNER}!{n}.html")), html).expect("write page");
}

/// A small JPEG-headed file whose bytes depend on `seed`.
pub fn fake_jpeg(seed: u8, len: usize) -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend(std::iter::repeat_n(seed, len));
    jpeg.extend([0xFF, 0xD9]);
    jpeg
}
