//! Links between posts: by slug (found on any site, empty or not); links to
//! entries the archive lacks go to their Internet Archive copy, unless
//! `--keep-dead-links`.

use crate::util;

use util::{convert, items, wxr_path};

fn blog(dir: &std::path::Path) {
    let page = |n: u32, title: &str, body: &str| {
        format!(
            r#"<html><head><meta charset="utf-8"></head><body>
<div id="subjcns!A1B2C3D4E5F60718!{n}">{title}</div>
<div id="msgcns!A1B2C3D4E5F60718!{n}" class="bvMsg">{body}</div>
<span id="LastMDatecns!A1B2C3D4E5F60718!{n}">3/{n}/2009</span><div class="footerLinks">8:00 PM</div></body></html>"#
        )
    };
    let blog = dir.join("linker.spaces.live.com/blog");
    std::fs::create_dir_all(&blog).expect("mkdir");
    std::fs::write(
        blog.join("cns!A1B2C3D4E5F60718!5.html"),
        page(5, "Photos", "<p>Some photos.</p>"),
    )
    .expect("write");
    std::fs::write(
        blog.join("cns!A1B2C3D4E5F60718!6.html"),
        page(
            6,
            "写在后面",
            r#"<p>See <a href="http://linker.spaces.live.com/blog/cns!A1B2C3D4E5F60718!5.entry">the photos</a>,
<a href="cns!A1B2C3D4E5F60718!5.html#comments">their comments</a>,
and <a href="http://linker.spaces.live.com/Blog/cns!A1B2C3D4E5F60718!3.entry?_c=BlogPart">an older post that was never saved</a>.</p>"#,
        ),
    )
    .expect("write");
}

#[test]
fn links_go_to_the_post_by_slug_or_to_the_archive_copy() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    blog(&input);
    let out = tmp.path().join("out");
    convert(&input, &out, &["--site-url", "https://blog.example.org"]);
    let posts = items(&std::fs::read_to_string(wxr_path(&out)).expect("wxr"));
    let target = posts.iter().find(|p| p.post_id == 5).expect("post 5");
    assert_eq!(target.meta("_wls_entry_id"), Some("cns!A1B2C3D4E5F60718!5"));
    let from = posts.iter().find(|p| p.post_id == 6).expect("post 6");
    let link = "https://blog.example.org/?name=photos-5\"";
    assert_eq!(from.content.matches(link).count(), 2, "{}", from.content);
    assert!(
        from.content.contains(
            "https://web.archive.org/web/2011/http://linker.spaces.live.com/blog/cns!A1B2C3D4E5F60718!3.entry\""
        ),
        "{}",
        from.content
    );

    let out2 = tmp.path().join("out2");
    convert(&input, &out2, &["--keep-dead-links"]);
    let posts = items(&std::fs::read_to_string(wxr_path(&out2)).expect("wxr"));
    let from = posts.iter().find(|p| p.post_id == 6).expect("post 6");
    assert!(
        !from.content.contains("web.archive.org"),
        "{}",
        from.content
    );
    assert!(from.content.contains("cns!A1B2C3D4E5F60718!3.entry"));
}
