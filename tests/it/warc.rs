//! Web archive inputs (issue 14): a WARC.gz and a WACZ converted like a
//! mirror (posts, comments, media from the captured payloads), revisits
//! resolved, captures that failed reported, and the missing images listed
//! for a downloader and filled in later with `--media-from`.

use crate::util;

use std::path::Path;

use util::{convert, items_of, run, testdata, wxr_path};

const ARGS: [&str; 4] = [
    "--site-url",
    "http://localhost",
    "--crawl-date",
    "2010-11-20 12:00:00",
];

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("report")).expect("json")
}

fn warc_en() -> std::path::PathBuf {
    testdata("warc-en/warc-en.warc.gz")
}

#[test]
fn a_warc_gz_gives_posts_comments_and_media() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    convert(&warc_en(), &out, &ARGS);
    let items = items_of(&wxr_path(&out));
    let posts: Vec<&util::Item> = items.iter().filter(|i| i.post_type == "post").collect();
    let mut titles: Vec<&str> = posts.iter().map(|p| p.title.as_str()).collect();
    titles.sort_unstable();
    // The entry page (chunked and gzip-encoded) and the list page (gzip,
    // Target-URI in <>); the 500 capture of entry 504 gives no post.
    assert_eq!(
        titles,
        ["First post", "Morning at the harbour", "Rainy Sunday"]
    );
    let entry = posts
        .iter()
        .find(|p| p.title == "Morning at the harbour")
        .expect("entry");
    assert!(entry.content.contains("fishing boats were still in"));
    let authors: Vec<&str> = entry.comments.iter().map(|c| c.author.as_str()).collect();
    assert_eq!(authors.len(), 2, "{authors:?}");
    assert!(authors.contains(&"Rui") && authors.contains(&"Helen"));
    // Harbour (and its 302 alias, same bytes) and the lighthouse (through
    // its revisit under another address) are bundled from the payloads.
    let r = report(&out);
    let media = r["media"].as_array().expect("media");
    let sources: Vec<Vec<&str>> = media
        .iter()
        .map(|m| {
            m["sources"]
                .as_array()
                .expect("sources")
                .iter()
                .map(|s| s.as_str().expect("str"))
                .collect()
        })
        .collect();
    assert_eq!(
        sources,
        [
            vec![
                "tkfiles.storage.msn.com/x1pWarcA/harbour.jpg",
                "tkfiles.storage.msn.com/x1pMoved/old-harbour.jpg"
            ],
            vec!["blufiles.storage.msn.com/x1pWarcB/lighthouse.jpg"],
        ]
    );
    for m in media {
        let bytes = std::fs::read(out.join("media").join(m["path"].as_str().expect("path")))
            .expect("bundled file");
        assert_eq!(
            &bytes[..3],
            b"\xff\xd8\xff",
            "a JPEG, decoded from the payload"
        );
    }
    assert!(entry
        .content
        .contains("http://localhost/spaces2wxr-media/2009/03/lighthouse.jpg"));
}

#[test]
fn failed_captures_are_reported_never_posts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    convert(&warc_en(), &out, &ARGS);
    let r = report(&out);
    let got: Vec<(String, String)> = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"] == "capture-status")
        .map(|w| {
            (
                w["file"].as_str().expect("file").to_string(),
                w["message"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[0].0.ends_with("x1pMoved/old-harbour.jpg") && got[0].1.contains("302"));
    assert!(got[1].0.ends_with("x1pGone/gone.jpg") && got[1].1.contains("404"));
    assert!(got[2].0.ends_with("!504.entry") && got[2].1.contains("500"));
    let xml = std::fs::read_to_string(wxr_path(&out)).expect("wxr");
    assert!(!xml.contains("!504"), "a 500 capture is never a post");
}

#[test]
fn missing_images_are_listed_and_filled_from_media_from() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    convert(&warc_en(), &out, &ARGS);
    let r = report(&out);
    let missing = r["missing_media"].as_array().expect("missing");
    assert_eq!(missing.len(), 2);
    assert_eq!(
        missing[1]["wayback"],
        "https://web.archive.org/web/2011id_/http://tkfiles.storage.msn.com/x1pNever/later.jpg"
    );
    let report_path = out.join("report.json");
    let o = run(&["missing", report_path.to_str().expect("utf-8")]);
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "https://web.archive.org/web/2011id_/http://tkfiles.storage.msn.com/x1pGone/gone.jpg\n\
         https://web.archive.org/web/2011id_/http://tkfiles.storage.msn.com/x1pNever/later.jpg\n"
    );
    let o = run(&["missing", "--original", out.to_str().expect("utf-8")]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "http://tkfiles.storage.msn.com/x1pGone/gone.jpg\nhttp://tkfiles.storage.msn.com/x1pNever/later.jpg\n"
    );
    // A wget -x download of the Wayback address fills the image in.
    let downloads = testdata("warc-en/downloads");
    let out2 = tmp.path().join("out2");
    let mut args = ARGS.to_vec();
    args.extend(["--media-from", downloads.to_str().expect("utf-8")]);
    convert(&warc_en(), &out2, &args);
    let r = report(&out2);
    let missing = r["missing_media"].as_array().expect("missing");
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0]["url"]
        .as_str()
        .expect("url")
        .ends_with("gone.jpg"));
    let lent = r["media"]
        .as_array()
        .expect("media")
        .iter()
        .find(|m| m["path"] == "2009/03/later.jpg")
        .expect("later.jpg bundled");
    assert!(lent["sources"][0]
        .as_str()
        .expect("source")
        .starts_with("[media-from]/web.archive.org/web/2011id_/"));
}

#[test]
fn a_wacz_is_read_as_the_zip_it_is_stored_or_deflated() {
    for wacz in [
        "wacz-zh/wacz-zh.wacz",
        "wacz-zh/deflated/wacz-zh-deflated.wacz",
    ] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        convert(&testdata(wacz), &out, &ARGS);
        let items = items_of(&wxr_path(&out));
        let post = items
            .iter()
            .find(|i| i.post_type == "post")
            .expect("a post");
        assert_eq!(post.title, "周末去了西湖", "{wacz}");
        assert_eq!(post.comments.len(), 1, "{wacz}");
        assert_eq!(post.zone, "Asia/Shanghai", "{wacz}");
        // The image was recorded through the Wayback (im_ address).
        let r = report(&out);
        assert_eq!(r["counts"]["attachments"], 1, "{wacz}");
        assert_eq!(
            r["media"][0]["sources"][0], "blufiles.storage.msn.com/y1pZhWacz/xihu.jpg",
            "{wacz}"
        );
    }
}

/// A web archive cut short (a download that did not finish) is refused
/// with a message naming it, as a truncated zip is: converting the captures
/// before the cut would lose every post after it without a word.
#[test]
fn a_web_archive_cut_short_is_refused_naming_it() {
    let whole = std::fs::read(warc_en()).expect("fixture");
    let tmp = tempfile::tempdir().expect("tmp");
    let plain = {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&whole[..])
            .read_to_end(&mut out)
            .expect("gunzip");
        out
    };
    let cuts = [
        ("half.warc.gz", whole[..whole.len() / 2].to_vec()),
        ("tail.warc.gz", whole[..whole.len() - 10].to_vec()),
        ("cut.warc", plain[..plain.len() * 2 / 3].to_vec()),
    ];
    for (name, bytes) in cuts {
        let input = tmp.path().join(name);
        std::fs::write(&input, bytes).expect("write");
        let out = tmp.path().join(format!("out-{name}"));
        let o = util::try_convert(&input, &out, &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(name) && err.contains("cut short"),
            "{name}: {err}"
        );
        assert!(!out.exists(), "{name}: nothing is written");
    }
    // The whole file, uncompressed, still converts.
    let input = tmp.path().join("whole.warc");
    std::fs::write(&input, &plain).expect("write");
    convert(&input, &tmp.path().join("out-whole"), &ARGS);
}
