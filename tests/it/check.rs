//! `spaces2wxr check`: our own output passes; a WXR that an import would
//! damage, or a media folder that lacks a file, fails with the reason.

use crate::util;

use util::{convert, run, testdata, wxr_path};

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn our_output_passes_and_a_missing_media_file_fails() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    convert(&testdata("media-mirror"), &out, &[]);
    let wxr = wxr_path(&out);
    let media = out.join("media");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a = vec![
            "check".to_string(),
            wxr.display().to_string(),
            "--media-dir".into(),
            media.display().to_string(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let argv = args(&[]);
    let o = run(&argv.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("7 attachment"), "{}", text(&o));

    // Take one bundled file away: the import would lose that image.
    let victim = walkdir::WalkDir::new(&media)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file())
        .expect("a media file");
    std::fs::remove_file(victim.path()).expect("remove");
    let argv = args(&["--json"]);
    let o = run(&argv.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let findings = json[0]["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{json}");
    assert_eq!(findings[0]["code"], "attachment-missing");
    assert_eq!(findings[0]["severity"], "problem");
}

#[test]
fn a_damaging_wxr_is_named_with_its_reasons() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let wxr = tmp.path().join("other-tool.xml");
    // Two posts with the same title and date (the importer keeps one), a
    // category without nicename, a comment answering a later comment.
    let item = |id: u32, extra: &str| {
        format!(
            r#"<item><title>Trip</title><dc:creator>anna</dc:creator><content:encoded><![CDATA[<p>x</p>]]></content:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date>2009-05-01 10:00:00</wp:post_date><wp:post_date_gmt>2009-05-01 08:00:00</wp:post_date_gmt>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>{extra}</item>"#
        )
    };
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><wp:wxr_version>1.2</wp:wxr_version><wp:author><wp:author_login>anna</wp:author_login></wp:author>
{}{}</channel></rss>"#,
        item(
            1,
            r#"<category domain="category">Reisen</category><wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_parent>4</wp:comment_parent><wp:comment_approved>1</wp:comment_approved><wp:comment_date_gmt>2009-05-02 08:00:00</wp:comment_date_gmt></wp:comment>"#
        ),
        item(2, "")
    );
    std::fs::write(&wxr, xml).expect("write");
    let o = run(&["check", wxr.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    for code in [
        "duplicate-title-date",
        "term-without-nicename",
        "comment-parent",
    ] {
        assert!(t.contains(&format!("[{code}]")), "{code} in {t}");
    }
    // A file that is not there is an error naming it.
    let o = run(&["check", "/no/such/export.xml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("/no/such/export.xml"), "{}", text(&o));
}
