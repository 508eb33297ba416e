//! Find blog entries in one parsed page by their DOM markers.
//!
//! Markers (see `shared/docs/spaces-archives.md` §2.3): the body
//! `#msgcns!X!N.bvMsg`, the title `#subjcns!X!N`, the list-view container
//! `#entrycns!X!N.bvEntry` with `bv:cns`/`bv:cat`, the date `#LastMDatecns!…`
//! or the first `<nobr>`/text of `.footerLinks`, the category link
//! `#blogCategoryK`. The document is walked once in order and cut into one
//! range per entry (from its first marker to the next entry's), so list
//! pages, single-entry pages and one-big-file backups are read alike.

use std::collections::{HashMap, HashSet};

use scraper::{ElementRef, Html};

use super::comments;
use super::dates;
use super::dom::{self, has_class, id_starts, tag};
use super::ids::{self, SpacesId};
use super::images;
use crate::model::{RawEntry, UrlRef};

use super::dom::TreeNode as Node;

/// Markup rank of a single-entry page (outranks list pages when merging).
pub const RANK_SINGLE: u8 = 2;
/// Markup rank of a list page entry.
pub const RANK_LIST: u8 = 1;

/// Elements of the page in document order.
pub struct Page<'a> {
    /// Every element, pre-order.
    pub elements: Vec<ElementRef<'a>>,
}

impl<'a> Page<'a> {
    /// Index the elements of a parsed document.
    pub fn new(html: &'a Html) -> Self {
        Page {
            elements: html.root_element().descendent_elements().collect(),
        }
    }

    /// Elements with index in `range`.
    pub fn slice(&self, range: &std::ops::Range<usize>) -> &[ElementRef<'a>] {
        &self.elements[range.clone()]
    }
}

/// Where one entry's markers sit in the page.
struct Located {
    id: SpacesId,
    body: usize,
    start: usize,
    container: Option<usize>,
}

/// Read every entry of a page.
pub fn read_entries(page: &Page<'_>, source: &str) -> Vec<RawEntry> {
    let located = locate(page);
    let hosts = space_hosts(page);
    let mut out = Vec::with_capacity(located.len());
    for (i, loc) in located.iter().enumerate() {
        let end = located.get(i + 1).map_or(page.elements.len(), |n| n.start);
        let range = loc.start..end.max(loc.body + 1);
        out.push(read_one(page, loc, range, source, &hosts));
    }
    out
}

/// Find the bodies and the first marker of each entry.
fn locate(page: &Page<'_>) -> Vec<Located> {
    let mut firsts: HashMap<SpacesId, usize> = HashMap::new();
    let mut containers: HashMap<SpacesId, usize> = HashMap::new();
    let mut bodies: Vec<(SpacesId, usize)> = Vec::new();
    let mut with_body: HashSet<SpacesId> = HashSet::new();
    for (i, el) in page.elements.iter().enumerate() {
        let Some(id) = marker_id(el) else { continue };
        firsts.entry(id.clone()).or_insert(i);
        if is_container(el) {
            containers.entry(id.clone()).or_insert(i);
        }
        if id_starts(el, "msgcns") && with_body.insert(id.clone()) {
            bodies.push((id, i));
        }
    }
    let mut located: Vec<Located> = bodies
        .into_iter()
        .map(|(id, body)| Located {
            start: firsts[&id].min(body),
            container: containers.get(&id).copied(),
            id,
            body,
        })
        .collect();
    located.sort_by_key(|l| l.start);
    located
}

/// The Spaces id an element marks, if it is an entry marker.
fn marker_id(el: &ElementRef<'_>) -> Option<SpacesId> {
    let marks = ["msgcns", "subjcns", "entrycns", "lastmdatecns"];
    if marks.iter().any(|m| id_starts(el, m)) {
        return el.value().id().and_then(ids::find_id);
    }
    if has_class(el, "bvEntry") {
        return el.value().attr("bv:cns").and_then(ids::find_id);
    }
    None
}

fn is_container(el: &ElementRef<'_>) -> bool {
    id_starts(el, "entrycns") || has_class(el, "bvEntry")
}

fn read_one(
    page: &Page<'_>,
    loc: &Located,
    range: std::ops::Range<usize>,
    source: &str,
    hosts: &[String],
) -> RawEntry {
    let body = page.elements[loc.body];
    let scope = page.slice(&range);
    let container = loc.container.map(|c| page.elements[c]);
    let title_el = title_element(scope, &loc.id).or_else(|| heading_before(&body));
    let (date_text, time_text) = dates(scope, loc.body - range.start);
    let permalink = permalink(scope, title_el.as_ref(), &loc.id);
    let found = comments::read_comments(scope);
    let taken = trailing(&body, container.as_ref(), &scope[loc.body - range.start..]);
    let (html, refs, lead) = body_with_trailing(&body, &taken);
    RawEntry {
        id: loc.id.clone(),
        source: source.to_string(),
        title: title_el.map(|t| dom::text(&t)),
        date_text,
        time_text,
        category: category(scope, container.as_ref()),
        body: html.into(),
        refs,
        lead,
        comments: found.comments,
        permalink,
        declared_comments: found.declared,
        more_comments_link: found.more_pages,
        hosts: hosts.to_vec(),
        rank: if container.is_some() {
            RANK_LIST
        } else {
            RANK_SINGLE
        },
        saved_at: None,
        crawled_utc: None,
        capture_utc: None,
        published_utc: None,
        shown: crate::report::account::shown(body, container),
    }
}

/// The post's content, read from the page's tree in one pass: the message
/// block's HTML followed by `taken` (what the entry shows after it, see
/// [`trailing`]), the URLs it references ([`images::refs`]) and the start of
/// its text ([`images::lead`]), so that no later stage parses the body
/// again to find them.
fn body_with_trailing(body: &ElementRef<'_>, taken: &[Node<'_>]) -> (String, Vec<UrlRef>, String) {
    let mut html = body.inner_html();
    for n in taken {
        match n.value().as_text() {
            Some(t) => html.push_str(&crate::html::text(t)),
            None => html.push_str(&ElementRef::wrap(*n).map(|e| e.html()).unwrap_or_default()),
        }
    }
    let parts = || body.children().chain(taken.iter().copied());
    (html, images::refs(parts()), images::lead(parts()))
}

/// How many levels a page without an entry container may be climbed from
/// the message block to reach its footer.
const MAX_CLIMB: usize = 3;

/// Content an entry shows between its message block and its footer.
///
/// Spaces' photo tool put the pictures of a post in a table *beside* the
/// message block (§2.8 of the archive notes), and in 2009-10 a bare
/// `<a rel="WLPP;…"><img></a>`: both belong to the post. The nodes after the
/// body in document order are taken up to the first footer, date or comment
/// marker; nodes that show nothing (white space, scripts, empty spacers)
/// are left out. Inside an entry container (`div.bvEntry`) the container
/// bounds the walk; without one the footer must be found within
/// [`MAX_CLIMB`] levels, otherwise nothing is taken (the body's siblings
/// could then be the next entry or the page's side bar).
///
/// `from_body` is the entry's elements in document order, starting at the
/// body; the walk costs one pass over the body and over what it takes.
fn trailing<'a>(
    body: &ElementRef<'a>,
    container: Option<&ElementRef<'a>>,
    from_body: &[ElementRef<'a>],
) -> Vec<Node<'a>> {
    let container = container.filter(|c| body.ancestors().any(|a| a.id() == c.id()));
    // `descendent_elements` counts the body itself: the first element after
    // it is at that index of `from_body`.
    let inside = from_body.len().min(body.descendent_elements().count());
    let stop = from_body[inside..].iter().find(|e| is_stop(e));
    let stop = match container {
        Some(c) => stop.filter(|s| s.ancestors().any(|a| a.id() == c.id())),
        None => match stop {
            Some(s) if !is_entry_marker(s) => Some(s),
            _ => return Vec::new(),
        },
    };
    let stop_id = stop.map(|s| s.id());
    let on_path: HashSet<ego_tree::NodeId> = stop
        .map(|s| s.ancestors().map(|a| a.id()).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut level = **body;
    for climbed in 0.. {
        let mut cur = level.next_sibling();
        while let Some(n) = cur {
            if Some(n.id()) == stop_id {
                return out;
            }
            if on_path.contains(&n.id()) {
                cur = n.first_child();
                continue;
            }
            if shown(n) {
                out.push(n);
            }
            cur = n.next_sibling();
        }
        let Some(parent) = level.parent() else { break };
        let done = match container {
            Some(c) => parent.id() == c.id(),
            None => climbed + 1 >= MAX_CLIMB,
        };
        if done {
            break;
        }
        level = parent;
    }
    if container.is_some() {
        out
    } else {
        Vec::new()
    }
}

/// Markers that end an entry's content: its footer, date, comments, and
/// the next entry's markers.
fn is_stop(el: &ElementRef<'_>) -> bool {
    const CLASSES: [&str; 7] = [
        "footerLinks",
        "footer",
        "bvCommentText",
        "ccCommentBox",
        "ccDateBox",
        "cc2_cmt",
        "cc2_tsmain",
    ];
    const IDS: [&str; 8] = [
        "lastmdatecns",
        "blogcategory",
        "blogcomments",
        "blogpermalink",
        "blogtrackback",
        "ccnamecns",
        "ccdatecns",
        "sn_ccpg",
    ];
    // 2006 pages print the date and time in `<td nowrap>` cells after the
    // body's row (see `dates`).
    let date_cell = tag(el) == "td" && el.value().attr("nowrap").is_some();
    is_entry_marker(el)
        || date_cell
        || CLASSES.iter().any(|c| has_class(el, c))
        || IDS.iter().any(|i| id_starts(el, i))
        || el.value().attr("bvitemtype").is_some()
}

fn is_entry_marker(el: &ElementRef<'_>) -> bool {
    ["msgcns", "subjcns", "entrycns"]
        .iter()
        .any(|m| id_starts(el, m))
        || has_class(el, "bvEntry")
        || has_class(el, "bvMsg")
}

/// Does a node show something: text that is not only white space, or an
/// image, an embed or a frame?
fn shown(n: Node<'_>) -> bool {
    if let Some(t) = n.value().as_text() {
        return !dom::fold_space(t).is_empty();
    }
    ElementRef::wrap(n).is_some_and(|el| !is_hidden_tag(tag(&el)) && shows_something(&el))
}

/// Elements that never show content of the post.
fn is_hidden_tag(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "link" | "meta" | "title" | "head"
    )
}

fn shows_something(el: &ElementRef<'_>) -> bool {
    const SHOWN: [&str; 9] = [
        "img", "object", "embed", "iframe", "video", "audio", "applet", "svg", "canvas",
    ];
    for n in el.descendants() {
        // Text inside a script or style shows nothing.
        if let Some(t) = n.value().as_text() {
            let in_hidden = n
                .parent()
                .and_then(ElementRef::wrap)
                .is_some_and(|p| is_hidden_tag(tag(&p)));
            if !in_hidden && !dom::fold_space(t).is_empty() {
                return true;
            }
        } else if let Some(e) = n.value().as_element() {
            if SHOWN.contains(&e.name()) {
                return true;
            }
        }
    }
    false
}

/// `#subjcns!X!N` for this id.
fn title_element<'a>(scope: &[ElementRef<'a>], id: &SpacesId) -> Option<ElementRef<'a>> {
    scope
        .iter()
        .find(|e| {
            id_starts(e, "subjcns") && e.value().id().and_then(ids::find_id).as_ref() == Some(id)
        })
        .copied()
}

/// Pages without a `subjcns` title: the heading right before the body.
fn heading_before<'a>(body: &ElementRef<'a>) -> Option<ElementRef<'a>> {
    dom::prev_element(body).filter(|e| matches!(tag(e), "h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
}

/// Date text and time text, from the markers of every era.
fn dates(scope: &[ElementRef<'_>], body_at: usize) -> (Option<String>, Option<String>) {
    let lastm = scope
        .iter()
        .find(|e| id_starts(e, "lastmdatecns"))
        .map(dom::text);
    let footer = scope[body_at..]
        .iter()
        .find(|e| has_class(e, "footerLinks"))
        .and_then(footer_first_text);
    let footer_span = scope[body_at..]
        .iter()
        .find(|e| has_class(e, "footer"))
        .and_then(|f| dom::find(f, |e| tag(e) == "span"))
        .map(|s| dom::text(&s))
        .filter(|t| !t.is_empty());
    let cell = scope
        .iter()
        .find(|e| tag(e) == "td" && e.value().attr("nowrap").is_some())
        .map(dom::text);
    match lastm {
        Some(date) => (Some(date), footer.or(footer_span).or(cell)),
        None => (footer.or(cell.clone()), footer_span.or(cell)),
    }
}

/// The date or time a footer starts with: its `<nobr>` texts and the text
/// before its first `|`, whichever first reads as a date or a time (a
/// `<nobr>` may also hold "Comments (23)"). Falls back to the first
/// candidate so that an unreadable date is reported, not lost.
fn footer_first_text(footer: &ElementRef<'_>) -> Option<String> {
    let all = footer.text().collect::<String>();
    let head = all
        .split('|')
        .next()
        .map(dom::fold_space)
        .filter(|h| !h.is_empty());
    let nobrs = footer
        .descendent_elements()
        .filter(|e| tag(e) == "nobr")
        .map(|n| dom::text(&n));
    let candidates: Vec<String> = head
        .into_iter()
        .chain(nobrs)
        .filter(|t| !t.is_empty() && !t.contains('|'))
        .collect();
    let readable = |t: &&String| {
        dates::parse_loose(t, dates::DayMonthOrder::default()).is_some()
            || dates::parse_time(t).is_some()
    };
    candidates
        .iter()
        .find(readable)
        .or(candidates.first())
        .cloned()
}

/// The full category name: `bv:cat`, else the `partqs=cat=` value of the
/// category link (percent-decoded, twice if needed), else the link text.
fn category(scope: &[ElementRef<'_>], container: Option<&ElementRef<'_>>) -> Option<String> {
    let from_attr = container
        .and_then(|c| c.value().attr("bv:cat"))
        .map(dom::fold_space)
        .filter(|c| !c.is_empty());
    if from_attr.is_some() {
        return from_attr;
    }
    let link = scope.iter().find(|e| id_starts(e, "blogcategory"))?;
    let from_href = link.value().attr("href").and_then(category_from_href);
    from_href.or_else(|| Some(dom::text(link)).filter(|t| !t.is_empty()))
}

/// `…partqs=cat%3dTravel%20and%20Holidays` → `Travel and Holidays`.
pub fn category_from_href(href: &str) -> Option<String> {
    let mut s = href.to_string();
    for _ in 0..3 {
        if let Some(value) = after_cat_key(&s) {
            let name = dom::fold_space(&value.replace('+', " "));
            return (!name.is_empty()).then_some(name);
        }
        let decoded = percent_encoding::percent_decode_str(&s)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == s {
            return None;
        }
        s = decoded;
    }
    None
}

/// The fully decoded value after `cat=` once `partqs=` is plain text.
fn after_cat_key(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let pos = lower.find("partqs=cat=")? + "partqs=cat=".len();
    let raw = s[pos..].split(['&', '#']).next().unwrap_or("");
    let mut v = raw.to_string();
    for _ in 0..3 {
        let next = percent_encoding::percent_decode_str(&v)
            .decode_utf8_lossy()
            .into_owned();
        if next == v {
            break;
        }
        v = next;
    }
    Some(v)
}

/// The entry's own URL: the title link, the permalink link, or none.
fn permalink(
    scope: &[ElementRef<'_>],
    title: Option<&ElementRef<'_>>,
    id: &SpacesId,
) -> Option<String> {
    let title_link = title
        .and_then(|t| dom::find(t, |e| tag(e) == "a"))
        .and_then(|a| a.value().attr("href"));
    let perma = scope
        .iter()
        .find(|e| id_starts(e, "blogpermalink"))
        .and_then(|a| a.value().attr("href"));
    [title_link, perma]
        .into_iter()
        .flatten()
        .find(|h| h.starts_with("http") && ids::entry_link_target(h).as_ref() == Some(id))
        .map(|h| ids::unescape_bang(h.split(['?', '#']).next().unwrap_or(h)).into_owned())
}

/// Space host names in the page's links, most frequent first.
fn space_hosts(page: &Page<'_>) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for el in &page.elements {
        let Some(href) = el.value().attr("href") else {
            continue;
        };
        if let Some(host) = space_host(href) {
            *counts.entry(host).or_default() += 1;
        }
    }
    let mut hosts: Vec<(String, usize)> = counts.into_iter().collect();
    hosts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    hosts.into_iter().map(|(h, _)| h).collect()
}

/// `http://demo-space.spaces.live.com/…` → `demo-space.spaces.live.com`.
pub fn space_host(url: &str) -> Option<String> {
    // A Wayback Machine address names the space's host after its timestamp.
    let original = super::wayback::original_url(url);
    let host = crate::web::host(original.as_deref().unwrap_or(url))?;
    let is_space = host.ends_with(".spaces.live.com") || host.ends_with(".spaces.msn.com");
    let generic = [
        "spaces.live.com",
        "www.spaces.live.com",
        "home.spaces.live.com",
        "spaces.msn.com",
    ];
    (is_space && !generic.contains(&host.as_str())).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_hrefs() {
        let cases = [
            ("http://x/?_c11_BlogPart_BlogPart=blogview&_c=BlogPart&partqs=cat%3dTravel%20and%20Holidays", "Travel and Holidays"),
            ("http://x/?_c=BlogPart&partqs=cat=%25e7%2594%259f%25e6%25b4%25bb", "生活"),
            ("http://x/?_c=BlogPart&partqs=cat%3dTecnologia&mkt=pt-br", "Tecnologia"),
        ];
        for (href, want) in cases {
            assert_eq!(category_from_href(href).as_deref(), Some(want), "{href}");
        }
        assert_eq!(category_from_href("http://x/blog/"), None);
    }

    #[test]
    fn hosts() {
        assert_eq!(
            space_host("http://Demo-Space.spaces.live.com/blog/").as_deref(),
            Some("demo-space.spaces.live.com")
        );
        assert_eq!(space_host("http://spaces.live.com/"), None);
        assert_eq!(space_host("http://example.com/"), None);
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;
    use crate::parse::{parse_file, PageKind};

    fn entries(html: &str) -> Vec<RawEntry> {
        match parse_file("t.html", html.as_bytes()).kind {
            PageKind::Entries(e) => e,
            other => panic!("no entries: {other:?}"),
        }
    }

    const LIST: &str = r#"<html><body>
<div class="bvEntry" id="entrycns!D2C0FFEE12345678!102" bv:cns="cns!D2C0FFEE12345678!102" bv:cat="生活">
 <h4 class="TextColor1" id="subjcns!D2C0FFEE12345678!102"><a href="http://demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!102.entry">&#20170;&#22825;</a></h4>
 <div class="bvMsg" id="msgcns!D2C0FFEE12345678!102"><div>正文 <img src="img/图片1.jpg"></div></div>
 <div class="footerLinks"><nobr>2010/9/28 15:45:07</nobr>&nbsp;| <nobr><a id="blogCategory0"href="http://demo-space.spaces.live.com/?_c11_BlogPart_BlogPart=blogview&_c=BlogPart&partqs=cat=%25e7%2594%259f%25e6%25b4%25bb">生活</a></nobr></div>
 <div class="footer"></div>
 <div class="ccCommentBox"><span class="ccName">访客</span><div class="Comment">沙发</div></div><div class="ccDateBox"><span>Sept. 29</span></div>
</div>
<div class="bvEntry" id="entrycns!D2C0FFEE12345678!103" bv:cns="cns!D2C0FFEE12345678!103" bv:cat="">
 <h4 class="TextColor1" id="subjcns!D2C0FFEE12345678!103"><a href="http://demo-space.spaces.live.com/blog/cns!D2C0FFEE12345678!103.entry">Second</a></h4>
 <div class="bvMsg" id="msgcns!D2C0FFEE12345678!103"><p>Two</p></div>
 <div class="footerLinks"><nobr>2010/9/29 8:00:00</nobr></div>
</div></body></html>"#;

    #[test]
    fn list_page_entries() {
        let e = entries(LIST);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].id.to_string(), "cns!D2C0FFEE12345678!102");
        assert_eq!(e[0].title.as_deref(), Some("今天"));
        assert_eq!(e[0].category.as_deref(), Some("生活"));
        assert_eq!(e[0].date_text.as_deref(), Some("2010/9/28 15:45:07"));
        assert!(e[0].body.inline().expect("inline").contains("正文"));
        assert_eq!(e[0].comments.len(), 1);
        assert_eq!(e[0].comments[0].author, "访客");
        assert_eq!(e[0].comments[0].date_text.as_deref(), Some("Sept. 29"));
        assert_eq!(e[0].rank, RANK_LIST);
        assert_eq!(e[1].category, None);
        assert_eq!(
            e[1].comments.len(),
            0,
            "comments do not leak into the next entry"
        );
        assert_eq!(e[0].hosts, ["demo-space.spaces.live.com"]);
    }

    const SINGLE: &str = r#"<html><body>
<div id="subjcns!D2C0FFEE12345678!101" class="TextColor1">Trip notes</div>
<div id="msgcns!D2C0FFEE12345678!101" class="bvMsg"><p>Day one…</p></div>
<span class="bold" id="LastMDatecns!D2C0FFEE12345678!101">9/28/2010</span>
<div class="footerLinks">3:45 PM | <a id="blogCategory0" href="http://demo-space.spaces.live.com/?partqs=cat%3dTravel%20and%20Holidays">Travel and Hol</a></div>
<div class="cc2_cmt"><span class="cc2_dnmmain"><a href="http://x.example/">Ann</a></span><div class="cc2_txt">Nice!</div></div><span class="cc2_tsmain"> - 4 hours ago</span>
<a id="sn_ccpgNextCommentControl" href="next.html">Next</a>
</body></html>"#;

    #[test]
    fn single_entry_page() {
        let e = entries(SINGLE);
        assert_eq!(e.len(), 1);
        let e = &e[0];
        assert_eq!(e.title.as_deref(), Some("Trip notes"));
        assert_eq!(e.date_text.as_deref(), Some("9/28/2010"));
        assert_eq!(e.time_text.as_deref(), Some("3:45 PM"));
        assert_eq!(e.category.as_deref(), Some("Travel and Holidays"));
        assert_eq!(e.rank, RANK_SINGLE);
        assert!(e.more_comments_link);
        let c = &e.comments[0];
        assert_eq!(
            (c.author.as_str(), c.author_url.as_deref()),
            ("Ann", Some("http://x.example/"))
        );
        assert_eq!(c.date_text.as_deref(), Some("- 4 hours ago"));
        assert_eq!(c.html, "Nice!".to_string().into());
    }

    /// A zh-CN 2007 list entry: the photo-insert table is a sibling of the
    /// message block, before the footer; comments after the footer are not
    /// part of the body.
    #[test]
    fn photo_table_after_the_body_belongs_to_the_post() {
        let html = r#"<html><body>
<div class="bvEntry" id="entrycns!3A7F00C2B5E1D904!240" bv:cns="cns!3A7F00C2B5E1D904!240" bv:cat="">
 <h4 class="TextColor1" id="subjcns!3A7F00C2B5E1D904!240"><a href="http://x.spaces.live.com/blog/cns!3A7F00C2B5E1D904!240.entry">&#35199;&#28246;</a></h4>
 <div class="bvMsg" id="msgcns!3A7F00C2B5E1D904!240"><div>几张照片：</div></div>
 <script>var x = "not content";</script>&nbsp;
 <table border="0" cellspacing="0" cellpadding="0"><tr><td colspan="3" height="5"></td></tr>
 <tr><td valign="top"><a href="http://tkfiles.storage.msn.com/x1pBig1" target="_blank"><img src="http://tkfiles.storage.msn.com/x1pThumb1" border="0"></a></td><td width="15"></td>
 <td valign="top"><a href="http://tkfiles.storage.msn.com/x1pBig2" target="_blank"><img src="http://tkfiles.storage.msn.com/x1pThumb2" border="0"></a></td></tr></table>
 <div class="footerLinks"><nobr>2007/12/5 10:49:29</nobr></div>
 <div class="footer"></div>
 <div class="ccCommentBox"><span class="ccName">访客</span><div class="Comment">沙发</div></div>
</div></body></html>"#;
        let e = entries(html);
        let body = e[0].body.inline().expect("inline").to_owned();
        assert!(body.starts_with("<div>几张照片：</div>"), "{body}");
        for url in [
            "x1pBig1",
            "x1pThumb1",
            "x1pBig2",
            "x1pThumb2",
            "width=\"15\"",
        ] {
            assert!(body.contains(url), "{url} in {body}");
        }
        assert!(!body.contains("not content"), "{body}");
        assert!(
            !body.contains("沙发") && !body.contains("2007/12/5"),
            "{body}"
        );
    }

    /// The date right after the body (nothing between) and a 2006 date cell
    /// end the walk: no date or footer text joins the post.
    #[test]
    fn a_date_right_after_the_body_stays_out_of_it() {
        let html = r#"<html><body><div>
<div id="subjcns!D2C0FFEE12345678!101">Trip</div>
<div id="msgcns!D2C0FFEE12345678!101" class="bvMsg"><div>Packing list.</div></div>
<span class="bold" id="LastMDatecns!D2C0FFEE12345678!101">3/15/2008</span>
<div class="footerLinks">3:45:07 PM</div></div></body></html>"#;
        let body = entries(html)[0].body.inline().expect("inline").to_owned();
        assert_eq!(body, "<div>Packing list.</div>");
        let html = r#"<html><body><table><tr><td><div id="msgcns!D2C0FFEE12345678!488" class="bvMsg"><p>Pigeons.</p></div></td></tr>
<tr><td valign=top nowrap>3:34:50 AM</td><td nowrap>&nbsp;|&nbsp;<a href="x.entry#post">Add a comment</a>&nbsp;|&nbsp;<a id=blogPermalink0 href="x.entry">Permalink</a></td></tr></table></body></html>"#;
        let body = entries(html)[0].body.inline().expect("inline").to_owned();
        assert_eq!(body, "<p>Pigeons.</p>");
    }

    /// Single-entry pages have no container: what sits between the body and
    /// the date is the post's; a page whose body is followed by the next
    /// entry (and no footer) gives nothing extra.
    #[test]
    fn single_entry_page_photos_before_the_date() {
        let html = r#"<html><body><div id="main">
<div id="subjcns!D2C0FFEE12345678!101" class="TextColor1">Trip</div>
<div id="msgcns!D2C0FFEE12345678!101" class="bvMsg"><p>Photos:</p></div>
<a rel="WLPP;url=http://aBc.bay.livefilestore.com/y1pQ/IMG_1.JPG?psid=1" href="http://aBc.bay.livefilestore.com/y1pQ/IMG_1.JPG?psid=1" target="_blank"><img src="http://aBc.bay.livefilestore.com/y1pT/IMG_1.JPG?psid=1" alt=""></a>
<span class="bold" id="LastMDatecns!D2C0FFEE12345678!101">9/28/2010</span>
<div class="footerLinks">3:45 PM</div></div>
<div id="sidebar"><img src="http://x/ad.gif"></div>
</body></html>"#;
        let e = entries(html);
        let body = e[0].body.inline().expect("inline").to_owned();
        assert!(
            body.contains("y1pT/IMG_1.JPG") && body.contains("WLPP"),
            "{body}"
        );
        assert!(!body.contains("ad.gif"), "{body}");

        let run_on = r#"<html><body>
<h2>One</h2><div id="msgcns!D2C0FFEE12345678!1" class="bvMsg">first</div>
<h2>Two</h2><div id="msgcns!D2C0FFEE12345678!2" class="bvMsg">second</div>
<p>closing words of the page</p></body></html>"#;
        let e = entries(run_on);
        assert_eq!(e[0].body.inline().expect("inline"), "first");
        assert_eq!(e[1].body.inline().expect("inline"), "second");
    }

    /// The footer may share a wrapper with the pictures: the walk goes into
    /// the wrapper and stops at the footer; text between the blocks counts.
    #[test]
    fn pictures_beside_the_footer_in_one_wrapper() {
        let html = r#"<html><body>
<div class="bvEntry" id="entrycns!D2C0FFEE12345678!7" bv:cns="cns!D2C0FFEE12345678!7">
<div class="bvMsg" id="msgcns!D2C0FFEE12345678!7">Body</div> Fotos: <br>
<div class="entryBottom"><p><a href="http://tkfiles.storage.live.com/y1pF" target="_blank"><img src="http://tkfiles.storage.live.com/y1pT" border="0"></a></p><div class="footerLinks"><nobr>28/09/2009 10:05</nobr> | <a id="blogComments0" bvItemType="comment" href="x.html">Comentários (2)</a></div><p>after the footer</p></div>
</div></body></html>"#;
        let e = entries(html);
        let body = e[0].body.inline().expect("inline").to_owned();
        assert!(body.starts_with("Body Fotos: "), "{body}");
        assert!(body.contains("y1pT") && body.contains("y1pF"), "{body}");
        assert!(
            !body.contains("after the footer") && !body.contains("Coment"),
            "{body}"
        );
        assert_eq!(e[0].declared_comments, Some(2));
    }

    #[test]
    fn private_space_page() {
        let html =
            "<html><title>Space Not Available</title><body>This space is private.</body></html>";
        assert!(matches!(
            parse_file("p.html", html.as_bytes()).kind,
            PageKind::PrivateSpace
        ));
    }
}
