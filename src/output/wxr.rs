//! Output stage: the WXR 1.2 file, one item at a time.
//!
//! The layout follows what WordPress core exports and what all four parsers
//! of the WordPress Importer accept (`shared/docs/wxr-and-importer.md`
//! §1.11): UTF-8 declared, no DOCTYPE, the exact namespace prefixes, each
//! `<wp:author>` on one line, every text field one CDATA section (split on
//! `]]>`), numbers as plain text, every item and comment field present.
//! XML-invalid characters are dropped and counted.

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::NaiveDateTime;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::xml::clean_text;
use crate::model::{Attachment, Category, Comment, Post};

/// Namespaces as WordPress core writes them; the expat parser matches the
/// prefixes literally.
const NAMESPACES: [(&str, &str); 5] = [
    ("xmlns:excerpt", "http://wordpress.org/export/1.2/excerpt/"),
    ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
    ("xmlns:wfw", "http://wellformedweb.org/CommentAPI/"),
    ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
    ("xmlns:wp", "http://wordpress.org/export/1.2/"),
];

/// What [`WxrWriter::finish`] writes after the last item.
pub const END: &str = "\n</channel>\n</rss>\n";

/// The WordPress user the posts belong to.
#[derive(Debug, Clone)]
pub struct Author {
    /// Login (ASCII, survives `sanitize_user`).
    pub login: String,
    /// Display name.
    pub display_name: String,
}

/// Channel-level data.
#[derive(Debug, Clone)]
pub struct Channel<'a> {
    /// Blog title.
    pub title: &'a str,
    /// Original blog URL.
    pub link: &'a str,
    /// `wp:base_site_url` and `wp:base_blog_url`.
    pub base_url: &'a str,
    /// Channel `pubDate`.
    pub pub_date: NaiveDateTime,
    /// The one author.
    pub author: &'a Author,
    /// Categories, sorted.
    pub categories: &'a [Category],
}

/// Streams a WXR document into `W`.
pub struct WxrWriter<W: Write> {
    w: Writer<W>,
    author: String,
    /// XML-invalid characters removed so far.
    pub stripped: usize,
}

type R = io::Result<()>;

impl<W: Write> WxrWriter<W> {
    /// Write the prologue and channel header, with the channel's
    /// categories numbered from 1.
    pub fn start(out: W, ch: &Channel<'_>) -> io::Result<Self> {
        let terms = ch
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u64 + 1, c));
        Self::start_with_terms(out, ch, terms)
    }

    /// Write the prologue and channel header with the given categories
    /// (term id, category) instead of the channel's: a part of a split
    /// export lists only the categories its posts use, each under the id it
    /// has in every part.
    pub fn start_with_terms<'c>(
        out: W,
        ch: &Channel<'_>,
        terms: impl IntoIterator<Item = (u64, &'c Category)>,
    ) -> io::Result<Self> {
        let mut me = Self::items(out, &ch.author.login);
        me.w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        me.raw("\n")?;
        let mut rss = BytesStart::new("rss").with_attributes([("version", "2.0")]);
        for ns in NAMESPACES {
            rss.push_attribute(ns);
        }
        me.w.write_event(Event::Start(rss))?;
        me.raw("\n<channel>")?;
        me.header(ch)?;
        for (id, cat) in terms {
            me.channel_category(id, cat)?;
        }
        Ok(me)
    }

    /// A writer of items only (no prologue, header or end), by `login`:
    /// for pieces of a document assembled elsewhere.
    pub fn items(out: W, login: &str) -> Self {
        WxrWriter {
            w: Writer::new(out),
            author: login.to_string(),
            stripped: 0,
        }
    }

    fn header(&mut self, ch: &Channel<'_>) -> R {
        self.text_el(1, "title", ch.title)?;
        self.text_el(1, "link", ch.link)?;
        self.text_el(
            1,
            "description",
            "Converted from a Windows Live Spaces archive by spaces2wxr",
        )?;
        self.text_el(1, "pubDate", &rfc2822(ch.pub_date))?;
        self.text_el(
            1,
            "generator",
            concat!("spaces2wxr/", env!("CARGO_PKG_VERSION")),
        )?;
        self.text_el(1, "wp:wxr_version", "1.2")?;
        self.text_el(1, "wp:base_site_url", ch.base_url)?;
        self.text_el(1, "wp:base_blog_url", ch.base_url)?;
        self.author_line(ch.author)
    }

    /// `<wp:author>` on one line: the regex parser reads it line by line.
    fn author_line(&mut self, a: &Author) -> R {
        self.indent(1)?;
        self.open("wp:author")?;
        self.num_el(0, "wp:author_id", 1)?;
        self.cdata_el(0, "wp:author_login", &a.login)?;
        self.cdata_el(0, "wp:author_email", "")?;
        self.cdata_el(0, "wp:author_display_name", &html_text(&a.display_name))?;
        self.cdata_el(0, "wp:author_first_name", "")?;
        self.cdata_el(0, "wp:author_last_name", "")?;
        self.close("wp:author")
    }

    /// One channel `<wp:category>`.
    pub fn channel_category(&mut self, term_id: u64, cat: &Category) -> R {
        self.indent(1)?;
        self.open("wp:category")?;
        self.num_el(2, "wp:term_id", term_id)?;
        self.cdata_el(2, "wp:category_nicename", &cat.slug)?;
        self.cdata_el(2, "wp:category_parent", "")?;
        self.cdata_el(2, "wp:cat_name", &html_text(&cat.name))?;
        self.indent(1)?;
        self.close("wp:category")
    }

    /// One post item with its comments.
    pub fn post(&mut self, p: &Post, guid: &str) -> R {
        self.item_start(&p.title, &p.permalink, p.date_gmt, guid)?;
        self.cdata_el(2, "content:encoded", &p.html)?;
        self.cdata_el(2, "excerpt:encoded", "")?;
        let fields = ItemFields {
            id: p.wp_id,
            date: p.date,
            gmt: p.date_gmt,
            comments: "open",
            slug: &p.slug,
        };
        self.item_fields(&fields, "publish", 0, "post")?;
        if let Some(cat) = &p.category {
            self.item_category(cat)?;
        }
        self.meta("_wls_entry_id", &p.spaces_id.to_string())?;
        self.meta("_wls_permalink", &p.permalink)?;
        self.meta("_wls_source_file", &p.source)?;
        if let Some(orig) = &p.original_html {
            self.meta("_wls_original_html", orig)?;
        }
        for c in &p.comments {
            self.comment(c)?;
        }
        self.item_end()
    }

    /// One attachment item.
    pub fn attachment(&mut self, a: &Attachment, link: &str) -> R {
        self.item_start(&a.title, link, a.date_gmt, &a.url)?;
        self.cdata_el(2, "content:encoded", "")?;
        self.cdata_el(2, "excerpt:encoded", "")?;
        let slug = crate::plan::slug::slugify(&a.title);
        let fields = ItemFields {
            id: a.wp_id,
            date: a.date,
            gmt: a.date_gmt,
            comments: "closed",
            slug: &slug,
        };
        self.item_fields(&fields, "inherit", a.parent, "attachment")?;
        self.cdata_el(2, "wp:attachment_url", &a.url)?;
        self.meta("_wp_attached_file", &a.rel_path)?;
        if !a.alt.is_empty() {
            self.meta("_wp_attachment_image_alt", &a.alt)?;
        }
        self.item_end()
    }

    /// Close the channel and the document.
    pub fn finish(mut self) -> io::Result<W> {
        self.raw(END)?;
        Ok(self.w.into_inner())
    }

    /// The output, without closing anything (see [`WxrWriter::items`]).
    pub fn into_inner(self) -> W {
        self.w.into_inner()
    }

    /// The underlying output, to copy pieces written elsewhere into it.
    pub fn get_mut(&mut self) -> &mut W {
        self.w.get_mut()
    }

    fn item_start(&mut self, title: &str, link: &str, gmt: NaiveDateTime, guid: &str) -> R {
        self.indent(1)?;
        self.open("item")?;
        self.cdata_el(2, "title", &html_text(title))?;
        self.text_el(2, "link", link)?;
        self.text_el(2, "pubDate", &rfc2822(gmt))?;
        let author = self.author.clone();
        self.cdata_el(2, "dc:creator", &author)?;
        self.indent(2)?;
        let g = BytesStart::new("guid").with_attributes([("isPermaLink", "false")]);
        self.w.write_event(Event::Start(g))?;
        self.w
            .write_event(Event::Text(BytesText::new(&clean_text(guid).0)))?;
        self.close("guid")?;
        self.text_el(2, "description", "")
    }

    fn item_fields(&mut self, f: &ItemFields<'_>, status: &str, parent: u64, kind: &str) -> R {
        self.num_el(2, "wp:post_id", f.id)?;
        self.cdata_el(2, "wp:post_date", &wp_date(f.date))?;
        self.cdata_el(2, "wp:post_date_gmt", &wp_date(f.gmt))?;
        self.cdata_el(2, "wp:post_modified", &wp_date(f.date))?;
        self.cdata_el(2, "wp:post_modified_gmt", &wp_date(f.gmt))?;
        self.cdata_el(2, "wp:comment_status", f.comments)?;
        self.cdata_el(2, "wp:ping_status", "closed")?;
        self.cdata_el(2, "wp:post_name", f.slug)?;
        self.cdata_el(2, "wp:status", status)?;
        self.num_el(2, "wp:post_parent", parent)?;
        self.num_el(2, "wp:menu_order", 0)?;
        self.cdata_el(2, "wp:post_type", kind)?;
        self.cdata_el(2, "wp:post_password", "")?;
        self.num_el(2, "wp:is_sticky", 0)
    }

    fn item_category(&mut self, cat: &Category) -> R {
        self.indent(2)?;
        // The regex parser needs exactly `domain` then `nicename`.
        let el = BytesStart::new("category")
            .with_attributes([("domain", "category"), ("nicename", cat.slug.as_str())]);
        self.w.write_event(Event::Start(el))?;
        self.cdata(&html_text(&cat.name))?;
        self.close("category")
    }

    fn comment(&mut self, c: &Comment) -> R {
        self.indent(2)?;
        self.open("wp:comment")?;
        self.num_el(3, "wp:comment_id", c.wp_id)?;
        self.cdata_el(3, "wp:comment_author", &html_text(&c.author))?;
        self.cdata_el(3, "wp:comment_author_email", &c.author_email)?;
        self.cdata_el(3, "wp:comment_author_url", web_url(&c.author_url))?;
        self.cdata_el(3, "wp:comment_author_IP", "")?;
        self.cdata_el(3, "wp:comment_date", &wp_date(c.date))?;
        self.cdata_el(3, "wp:comment_date_gmt", &wp_date(c.date_gmt))?;
        self.cdata_el(3, "wp:comment_content", &c.html)?;
        self.cdata_el(3, "wp:comment_approved", "1")?;
        self.cdata_el(3, "wp:comment_type", "comment")?;
        self.num_el(3, "wp:comment_parent", 0)?;
        self.num_el(3, "wp:comment_user_id", 0)?;
        if c.approximate {
            self.comment_meta("_wls_date_approximate", "1")?;
        }
        self.indent(2)?;
        self.close("wp:comment")
    }

    fn comment_meta(&mut self, key: &str, value: &str) -> R {
        self.indent(3)?;
        self.open("wp:commentmeta")?;
        self.cdata_el(4, "wp:meta_key", key)?;
        self.cdata_el(4, "wp:meta_value", value)?;
        self.indent(3)?;
        self.close("wp:commentmeta")
    }

    fn meta(&mut self, key: &str, value: &str) -> R {
        self.indent(2)?;
        self.open("wp:postmeta")?;
        self.cdata_el(3, "wp:meta_key", key)?;
        self.cdata_el(3, "wp:meta_value", value)?;
        self.indent(2)?;
        self.close("wp:postmeta")
    }

    fn item_end(&mut self) -> R {
        self.indent(1)?;
        self.close("item")
    }

    /// `<name><![CDATA[value]]></name>`, one CDATA split on `]]>`.
    fn cdata_el(&mut self, depth: usize, name: &str, value: &str) -> R {
        self.indent(depth)?;
        self.open(name)?;
        self.cdata(value)?;
        self.close(name)
    }

    fn cdata(&mut self, value: &str) -> R {
        let (clean, n) = clean_text(value);
        self.stripped += n;
        for part in BytesCData::escaped(&clean) {
            self.w.write_event(Event::CData(part))?;
        }
        Ok(())
    }

    /// `<name>escaped text</name>` for plain RSS fields.
    fn text_el(&mut self, depth: usize, name: &str, value: &str) -> R {
        self.indent(depth)?;
        self.open(name)?;
        let (clean, n) = clean_text(value);
        self.stripped += n;
        self.w.write_event(Event::Text(BytesText::new(&clean)))?;
        self.close(name)
    }

    fn num_el(&mut self, depth: usize, name: &str, value: u64) -> R {
        self.indent(depth)?;
        self.open(name)?;
        self.raw(&value.to_string())?;
        self.close(name)
    }

    fn open(&mut self, name: &str) -> R {
        self.w.write_event(Event::Start(BytesStart::new(name)))
    }

    fn close(&mut self, name: &str) -> R {
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    fn indent(&mut self, depth: usize) -> R {
        if depth == 0 {
            return Ok(());
        }
        let mut s = String::from("\n");
        s.extend(std::iter::repeat_n('\t', depth));
        self.raw(&s)
    }

    fn raw(&mut self, s: &str) -> R {
        self.w.get_mut().write_all(s.as_bytes())
    }
}

/// Plain text as the HTML that shows it (control characters taken out
/// without gluing words, see `xml::unglue_controls`): WordPress stores titles, term
/// names and comment authors as HTML, and themes print titles unescaped
/// (names go through `esc_html`, which leaves entities alone), so a text
/// `<` must be stored as `&lt;` and a literal `&amp;` as `&amp;amp;`.
///
/// An `&` is escaped only where a browser could read it as the start of a
/// character reference (a letter, digit or `#` follows: `AT&T`, `&amp;`,
/// `&copy`); `Tom & Jerry` is left as it is, which shows the same and reads
/// the same in tools that take the title as plain text.
pub fn html_text(s: &str) -> Cow<'_, str> {
    let s = match super::xml::unglue_controls(s) {
        Cow::Borrowed(b) => b,
        Cow::Owned(o) => return Cow::Owned(html_text(&o).into_owned()),
    };
    if !s.contains(['&', '<', '>']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("&amp;")
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A comment author's web address, kept only when it is an http(s) URL
/// with a host and nothing a browser would read as the end of an attribute
/// or a second URL; anything else (`javascript:`, `mailto:`, a bare word)
/// is written empty.
pub fn web_url(url: &str) -> &str {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let rest = ["http://", "https://"]
        .iter()
        .find_map(|p| lower.strip_prefix(p));
    let host_ok = rest.is_some_and(|r| {
        r.split(['/', '?', '#'])
            .next()
            .is_some_and(|h| !h.is_empty() && !h.starts_with(['.', '-', ':', '@']))
    });
    let clean = !u.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
    });
    if host_ok && clean {
        u
    } else {
        ""
    }
}

struct ItemFields<'a> {
    id: u64,
    date: NaiveDateTime,
    gmt: NaiveDateTime,
    comments: &'a str,
    slug: &'a str,
}

/// `2009-03-14 18:30:00`.
pub fn wp_date(d: NaiveDateTime) -> String {
    d.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// RFC 2822 date of a UTC time: `Sat, 14 Mar 2009 09:30:00 +0000`.
pub fn rfc2822(gmt: NaiveDateTime) -> String {
    gmt.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::ids::SpacesId;

    fn post(title: &str, html: &str) -> Post {
        let d = chrono::NaiveDate::from_ymd_opt(2010, 9, 28)
            .and_then(|d| d.and_hms_opt(15, 45, 7))
            .expect("date");
        Post {
            spaces_id: SpacesId {
                owner: "D2C0FFEE12345678".into(),
                number: 101,
            },
            wp_id: 101,
            title: title.into(),
            slug: "t".into(),
            date: d,
            date_gmt: d,
            category: Some(Category {
                name: "生活".into(),
                slug: "%e7%94%9f%e6%b4%bb".into(),
            }),
            html: html.into(),
            original_html: None,
            comments: Vec::new(),
            permalink: "http://demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!101.entry"
                .into(),
            source: "blog.html".into(),
        }
    }

    fn write(p: &Post) -> (String, usize) {
        let author = Author {
            login: "demo".into(),
            display_name: "Demo".into(),
        };
        let cats = [Category {
            name: "生活".into(),
            slug: "%e7%94%9f%e6%b4%bb".into(),
        }];
        let ch = Channel {
            title: "demo",
            link: "http://x/",
            base_url: "http://localhost",
            pub_date: p.date,
            author: &author,
            categories: &cats,
        };
        let mut w = WxrWriter::start(Vec::new(), &ch).expect("start");
        w.post(p, "urn:wls:demo:cns!D2C0FFEE12345678!101")
            .expect("post");
        let stripped = w.stripped;
        (
            String::from_utf8(w.finish().expect("finish")).expect("utf-8"),
            stripped,
        )
    }

    #[test]
    fn cdata_is_split_on_its_terminator_and_control_characters_removed() {
        // The title's control character is taken out as text (no word
        // glued); the body's is removed from the XML and counted.
        let (xml, stripped) = write(&post("a ]] b\u{1}", "<p>x]]>y\u{b}z</p>"));
        assert_eq!(stripped, 1);
        assert!(
            xml.contains(
                "<content:encoded><![CDATA[<p>x]]]]><![CDATA[>yz</p>]]></content:encoded>"
            ),
            "{xml}"
        );
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("title")
                    || n.has_tag_name(("http://purl.org/rss/1.0/modules/content/", "encoded"))
            })
            .map(|n| n.text().unwrap_or_default().to_string())
            .collect();
        assert_eq!(texts, ["demo", "a ]] b", "<p>x]]>yz</p>"]);
    }

    #[test]
    fn text_fields_are_stored_as_the_html_that_shows_them() {
        let mut p = post("5 > 3 <b>bold?</b> AT&T &amp; more", "<p>x</p>");
        p.category = Some(Category {
            name: "Q&A <Tipps>".into(),
            slug: "qa-tipps".into(),
        });
        p.comments.push(Comment {
            wp_id: 1,
            author: "Tom & Jerry <3".into(),
            author_url: "javascript:alert(1)".into(),
            author_email: String::new(),
            html: "hi".into(),
            date: p.date,
            date_gmt: p.date,
            approximate: false,
        });
        let (xml, _) = write(&p);
        assert!(xml.contains(
            "<title><![CDATA[5 &gt; 3 &lt;b&gt;bold?&lt;/b&gt; AT&amp;T &amp;amp; more]]></title>"
        ));
        assert!(xml.contains("nicename=\"qa-tipps\"><![CDATA[Q&amp;A &lt;Tipps&gt;]]></category>"));
        assert!(
            xml.contains("<wp:comment_author><![CDATA[Tom & Jerry &lt;3]]></wp:comment_author>")
        );
        assert!(xml.contains("<wp:comment_author_url><![CDATA[]]></wp:comment_author_url>"));
        // Text without markup characters is left alone (CJK, quotes), and
        // so is an `&` that cannot start a reference.
        assert_eq!(html_text("今天 \"ok\" l'été"), "今天 \"ok\" l'été");
        assert_eq!(html_text("Tom & Jerry &"), "Tom & Jerry &");
        assert_eq!(
            html_text("&copy &#169; R&D"),
            "&amp;copy &amp;#169; R&amp;D"
        );
    }

    #[test]
    fn only_web_addresses_are_author_urls() {
        for ok in [
            "http://anna.spaces.live.com/",
            "HTTPS://example.org/a?b=1#c",
        ] {
            assert_eq!(web_url(ok), ok);
        }
        assert_eq!(web_url(" http://x.example/ "), "http://x.example/");
        for bad in [
            "javascript:alert(1)",
            "mailto:a@b.c",
            "ftp://x/",
            "http://",
            "http:///x",
            "www.example.com",
            "http://x/\" onmouseover=\"a",
            "http://x/ y",
            "data:text/html,hi",
            "http://x/\u{7f}",
        ] {
            assert_eq!(web_url(bad), "", "{bad}");
        }
    }

    #[test]
    fn layout_follows_the_importer_contract() {
        let (xml, _) = write(&post("Trip", "<p>x</p>"));
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\""));
        let author = xml
            .lines()
            .find(|l| l.contains("<wp:author>"))
            .expect("author line");
        assert!(author.contains("</wp:author>"), "one line: {author}");
        assert!(xml.contains("<category domain=\"category\" nicename=\"%e7%94%9f%e6%b4%bb\"><![CDATA[生活]]></category>"));
        assert!(xml.contains("\n\t<wp:wxr_version>1.2</wp:wxr_version>\n"));
        assert!(!xml.contains("<!DOCTYPE"));
    }
}
