//! `--max-wxr-size`: numbered parts, each under the size, each a WXR of its
//! own with the author and the categories it uses, together holding every
//! post, comment and attachment exactly once; an attachment in the part of
//! the last post that shows it; `--force` switching between split and
//! single output leaves nothing stale.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::consumers::{check_wxr_py, check_xmllint};
use crate::util::{self, convert, items, Item};

const OWNER: &str = "A1B2C3D4E5F60718";
const HOST: &str = "splitter.spaces.live.com";

/// A PNG-signed file, different for each `n`.
fn png(n: u64, len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while bytes.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.push(x as u8);
    }
    bytes
}

/// Entry `n` of March 2009 in category `cat`, with `comments` comments.
fn page(n: u64, cat: &str, body: &str, comments: usize) -> String {
    let id = format!("cns!{OWNER}!{n}");
    let mut s = format!(
        "<html><head><meta charset=\"utf-8\"><title>page</title></head><body>\n\
         <div id=\"subj{id}\">Entry number {n}</div>\
         <div id=\"msg{id}\" class=\"bvMsg\">{body}</div>\
         <span id=\"LastMDate{id}\">3/{n}/2009</span>\
         <div class=\"footerLinks\">8:00 PM | <a id=\"blogCategory0\" \
         href=\"http://{HOST}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat%3d{cat}\">{cat}</a></div>\n"
    );
    for c in 0..comments {
        s.push_str(&format!(
            "<div class=\"bvCommentText\"><span id=\"ccName{id}\">Reader {c}</span>\
             <div class=\"ccViewComment\">Comment {c} on entry {n}: nice.</div>\
             <span id=\"ccDate{id}\">3/{n}/2009 9:{c:02} PM</span></div>\n"
        ));
    }
    s.push_str("</body></html>\n");
    s
}

/// Twelve entries of about 800 bytes of text: `shared.png` shown by entries 2 and 11,
/// `photo.png` by 3 and `photo-2.png` by 10 (the first's URL stem begins
/// the second's URL), each entry its own picture, comments on 5 and 8,
/// entry 7 far larger than the others, entry 9 linking to entry 1.
fn blog(dir: &Path) {
    let blog = dir.join(HOST).join("blog");
    let img = dir.join(HOST).join("img");
    std::fs::create_dir_all(&blog).expect("mkdir");
    std::fs::create_dir_all(&img).expect("mkdir");
    let text = "lorem ipsum dolor sit amet consectetur ".repeat(20);
    for n in 1..=12u64 {
        let mut body =
            format!("<p>{text}</p><p><img src=\"../img/own{n}.png\" alt=\"own {n}\"></p>");
        match n {
            2 | 11 => body.push_str("<p><img src=\"../img/shared.png\" alt=\"shared\"></p>"),
            3 => body.push_str("<p><img src=\"../img/photo.png\"></p>"),
            10 => body.push_str("<p><img src=\"../img/photo-2.png\"></p>"),
            7 => body.push_str(&format!("<p>{}</p>", text.repeat(12))),
            9 => body.push_str(&format!(
                "<p><a href=\"http://{HOST}/blog/cns!{OWNER}!1.entry\">the first entry</a></p>"
            )),
            _ => {}
        }
        let cat = ["Travel", "Music", "Family"][(n % 3) as usize];
        let comments = match n {
            5 => 3,
            8 => 2,
            _ => 0,
        };
        std::fs::write(
            blog.join(format!("cns!{OWNER}!{n}.html")),
            page(n, cat, &body, comments),
        )
        .expect("write page");
        std::fs::write(img.join(format!("own{n}.png")), png(n, 300)).expect("write png");
    }
    for (i, name) in ["shared.png", "photo.png", "photo-2.png"]
        .iter()
        .enumerate()
    {
        std::fs::write(img.join(name), png(100 + i as u64, 400)).expect("write png");
    }
}

/// The `.xml` files in `out`, sorted by name.
fn xmls(out: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("out dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    v.sort();
    v
}

fn name(p: &Path) -> String {
    p.file_name()
        .and_then(|n| n.to_str())
        .expect("utf-8 name")
        .to_string()
}

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
        .expect("report json")
}

/// One part: its items, the nicenames of its channel categories, its
/// authors' logins.
struct Part {
    name: String,
    size: u64,
    items: Vec<Item>,
    terms: BTreeSet<String>,
    authors: Vec<String>,
}

fn part(path: &Path) -> Part {
    let xml = std::fs::read_to_string(path).expect("part");
    let doc = roxmltree::Document::parse(&xml).expect("each part is well-formed XML");
    let wp = "http://wordpress.org/export/1.2/";
    let channel = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("channel"))
        .expect("channel");
    let child_text = |n: roxmltree::Node<'_, '_>, tag: &str| {
        n.children()
            .find(|c| c.has_tag_name((wp, tag)))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    let terms = channel
        .children()
        .filter(|n| n.has_tag_name((wp, "category")))
        .map(|n| child_text(n, "category_nicename"))
        .collect();
    let authors = channel
        .children()
        .filter(|n| n.has_tag_name((wp, "author")))
        .map(|n| child_text(n, "author_login"))
        .collect();
    assert_eq!(
        channel
            .children()
            .find(|n| n.has_tag_name((wp, "wxr_version")))
            .and_then(|n| n.text()),
        Some("1.2")
    );
    Part {
        name: name(path),
        size: std::fs::metadata(path).expect("size").len(),
        items: items(&xml),
        terms,
        authors,
    }
}

const MAX: u64 = 10_000;

#[test]
fn parts_hold_everything_once_each_importable_on_its_own() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    blog(&input);
    let single = tmp.path().join("single");
    convert(&input, &single, &[]);
    let out = tmp.path().join("split");
    convert(&input, &out, &["--max-wxr-size", "10000B"]);

    let whole = items(&std::fs::read_to_string(util::wxr_path(&single)).expect("wxr"));
    let paths = xmls(&out);
    let names: Vec<String> = paths.iter().map(|p| name(p)).collect();
    let want: Vec<String> = (1..=names.len())
        .map(|i| format!("splitter.{i:03}.xml"))
        .collect();
    assert_eq!(names, want);
    assert!(names.len() >= 4, "{names:?}");

    // The report and the manifest list every part.
    let r = report(&out);
    let listed: Vec<String> = r["outputs"]["wxr_parts"]
        .as_array()
        .expect("wxr_parts")
        .iter()
        .map(|v| v.as_str().expect("name").to_string())
        .collect();
    assert_eq!(listed, names);
    assert_eq!(r["outputs"]["wxr"], names[0].as_str());
    assert_eq!(r["wxr_file"], names[0].as_str());
    let manifest = std::fs::read_to_string(out.join(".spaces2wxr-manifest.json")).expect("m");
    for n in &names {
        assert!(manifest.contains(&format!("\"{n}\"")), "{n} in {manifest}");
    }
    assert!(r["outputs"].get("wxr_parts").is_some());
    assert!(report(&single)["outputs"].get("wxr_parts").is_none());

    // Sizes: at most MAX, except a part the report names as holding one
    // oversized post.
    let oversized: Vec<String> = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"] == "oversized-post")
        .map(|w| w["file"].as_str().expect("file").to_string())
        .collect();
    assert_eq!(oversized.len(), 1, "entry 7 alone is over the size");
    let parts: Vec<Part> = paths.iter().map(|p| part(p)).collect();
    for p in &parts {
        if oversized.contains(&p.name) {
            assert!(p.size > MAX);
            let posts = p.items.iter().filter(|i| i.post_type == "post").count();
            assert_eq!(posts, 1, "{} holds the oversized post alone", p.name);
        } else {
            assert!(p.size <= MAX, "{} is {} bytes", p.name, p.size);
        }
        // The author, and exactly the categories its posts use.
        assert_eq!(p.authors, ["splitter"], "{}", p.name);
        let used: BTreeSet<String> = p
            .items
            .iter()
            .flat_map(|i| i.categories.iter().map(|(slug, _)| slug.clone()))
            .collect();
        assert!(!used.is_empty());
        assert_eq!(p.terms, used, "{}", p.name);
        for i in &p.items {
            assert_eq!(i.post_type != "attachment", i.attachment_url.is_empty());
        }
    }

    // Every item and comment exactly once, as in the single file.
    let ids = |it: &mut dyn Iterator<Item = &Item>| {
        let mut v: Vec<(String, u64)> = it.map(|i| (i.post_type.clone(), i.post_id)).collect();
        v.sort();
        v
    };
    let all: Vec<&Item> = parts.iter().flat_map(|p| &p.items).collect();
    assert_eq!(ids(&mut all.iter().copied()), ids(&mut whole.iter()));
    let comments = |it: &mut dyn Iterator<Item = &Item>| {
        let mut v: Vec<u64> = it.flat_map(|i| i.comments.iter().map(|c| c.id)).collect();
        v.sort();
        v
    };
    assert_eq!(
        comments(&mut all.iter().copied()),
        comments(&mut whole.iter())
    );
    assert_eq!(comments(&mut whole.iter()).len(), 5);
    for w in &whole {
        let s = all
            .iter()
            .find(|i| i.post_id == w.post_id)
            .expect("same item");
        assert_eq!(
            s.content, w.content,
            "post {} as in the single file",
            w.post_id
        );
        assert_eq!(s.categories, w.categories);
    }

    // Each attachment is in the part of the last post that shows it (or
    // later, for the stem rule), and its parent is in its own part.
    let part_of = |id: u64| {
        parts
            .iter()
            .position(|p| p.items.iter().any(|i| i.post_id == id))
            .expect("in a part")
    };
    let url_of = |file: &str| {
        all.iter()
            .find(|i| i.post_type == "attachment" && i.attachment_url.ends_with(file))
            .unwrap_or_else(|| panic!("attachment {file}"))
    };
    for a in all.iter().filter(|i| i.post_type == "attachment") {
        let users: Vec<usize> = all
            .iter()
            .filter(|p| p.post_type == "post" && p.content.contains(&a.attachment_url))
            .map(|p| part_of(p.post_id))
            .collect();
        let last = *users.iter().max().expect("shown by a post");
        let here = part_of(a.post_id);
        assert!(
            here >= last,
            "{} before a post that shows it",
            a.attachment_url
        );
        // The importer also remaps the URL without its extension: an
        // attachment whose stem begins another's URL waits for that one.
        let stem = a.attachment_url.rsplit_once('.').expect("extension").0;
        let covered: Vec<&&Item> = all
            .iter()
            .filter(|b| b.post_type == "attachment" && b.post_id != a.post_id)
            .filter(|b| b.attachment_url.starts_with(stem))
            .collect();
        for b in &covered {
            assert!(
                here >= part_of(b.post_id),
                "{} before {}",
                a.attachment_url,
                b.attachment_url
            );
        }
        if covered.is_empty() {
            assert_eq!(here, last, "{}", a.attachment_url);
        }
        if here == last {
            assert_eq!(
                part_of(a.post_parent),
                here,
                "parent of {}",
                a.attachment_url
            );
        } else {
            // Moved past every post that shows it: written unattached, as
            // the importer would leave it, naming no item of another part.
            assert_eq!(a.post_parent, 0, "{}", a.attachment_url);
        }
    }
    let shared = url_of("/shared.png");
    let users: BTreeSet<usize> = all
        .iter()
        .filter(|p| p.post_type == "post" && p.content.contains(&shared.attachment_url))
        .map(|p| part_of(p.post_id))
        .collect();
    assert_eq!(users.len(), 2, "shared.png is shown from two parts");
    assert!(part_of(url_of("/photo.png").post_id) >= part_of(url_of("/photo-2.png").post_id));
    let single_parent = whole
        .iter()
        .find(|i| i.attachment_url == shared.attachment_url)
        .expect("shared in single")
        .post_parent;
    assert_ne!(
        shared.post_parent, single_parent,
        "re-parented into its part"
    );

    // Links between posts go by slug, whatever part the target is in.
    let linker = all
        .iter()
        .find(|i| i.title == "Entry number 9")
        .expect("entry 9");
    assert!(
        linker
            .content
            .contains("http://localhost/?name=entry-number-1-1\""),
        "{}",
        linker.content
    );

    // Independent consumers take each part on its own.
    for p in &paths {
        check_xmllint(p);
        check_wxr_py(p, None);
    }

    // The same input gives the same parts.
    let again = tmp.path().join("again");
    convert(&input, &again, &["--max-wxr-size", "10000B"]);
    assert_eq!(util::tree(&out), util::tree(&again));
}

#[test]
fn force_switches_between_split_and_single_leaving_nothing_stale() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    blog(&input);
    let out = tmp.path().join("out");
    let names = |out: &Path| xmls(out).iter().map(|p| name(p)).collect::<Vec<_>>();
    convert(&input, &out, &["--max-wxr-size", "5KB"]);
    let many = names(&out);
    assert!(many.len() > 4, "{many:?}");
    convert(&input, &out, &["--force"]);
    assert_eq!(names(&out), ["splitter.xml"]);
    convert(&input, &out, &["--force", "--max-wxr-size", "12KiB"]);
    let few = names(&out);
    assert!(few.len() > 1 && few.len() < many.len(), "{few:?}");
    assert!(few.iter().all(|n| n.starts_with("splitter.0")));
    convert(&input, &out, &["--force", "--max-wxr-size", "5KB"]);
    assert_eq!(names(&out), many);
    convert(&input, &out, &["--force", "--max-wxr-size", "12KiB"]);
    assert_eq!(names(&out), few, "no stale higher-numbered parts");
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| name(&e.expect("e").path()))
        .filter(|n| !n.ends_with(".xml"))
        .collect();
    files.sort();
    assert_eq!(files, [".spaces2wxr-manifest.json", "media", "report.json"]);
}

#[test]
fn a_large_wxr_warns_and_names_the_option_that_splits_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    let blog = input.join(HOST).join("blog");
    std::fs::create_dir_all(&blog).expect("mkdir");
    let text = "lorem ipsum dolor sit amet consectetur ".repeat(2000);
    for n in 1..=30u64 {
        let body = format!("<p>{n} {text}</p>");
        std::fs::write(
            blog.join(format!("cns!{OWNER}!{n}.html")),
            page(n, "Travel", &body, 1),
        )
        .expect("write");
    }
    let out = tmp.path().join("one");
    convert(&input, &out, &[]);
    let size = std::fs::metadata(out.join("splitter.xml"))
        .expect("wxr")
        .len();
    assert!(size > 2 << 20, "{size}");
    let r = report(&out);
    let large: Vec<&serde_json::Value> = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"] == "large-wxr")
        .collect();
    assert_eq!(large.len(), 1, "{large:?}");
    assert_eq!(large[0]["file"], "splitter.xml");
    let msg = large[0]["message"].as_str().expect("message");
    assert!(msg.contains("--max-wxr-size 2M"), "{msg}");

    let parts = tmp.path().join("parts");
    convert(&input, &parts, &["--max-wxr-size", "2M"]);
    let paths = xmls(&parts);
    assert_eq!(paths.len(), 2);
    for p in &paths {
        assert!(std::fs::metadata(p).expect("part").len() <= 2 << 20);
    }
    let r = report(&parts);
    let kinds: Vec<&str> = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["kind"].as_str())
        .collect();
    assert!(
        !kinds.contains(&"large-wxr") && !kinds.contains(&"oversized-post"),
        "{kinds:?}"
    );
    let posts: usize = paths
        .iter()
        .map(|p| items(&std::fs::read_to_string(p).expect("part")).len())
        .sum();
    assert_eq!(posts, 30);
}

#[test]
fn a_size_that_is_not_one_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for bad in ["2.5M", "0", "lots", "2TB"] {
        let o = util::try_convert(
            tmp.path(),
            &tmp.path().join("out"),
            &["--max-wxr-size", bad],
        );
        assert_eq!(o.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--max-wxr-size"), "{err}");
    }
}
