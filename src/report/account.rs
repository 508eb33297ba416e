//! The accounting of every entry: what its page shows must end up in the
//! post or be named in the report.
//!
//! The rule (issue "Real pages: nothing a Spaces page shows is lost without a
//! word"): while an entry is read, [`shown`] counts what its container shows
//! (visible text, photos, links, embeds), independently of how the parser
//! cut the body out. When the post is written, [`landed`] counts the same
//! things in the finished HTML, and [`reconcile`] explains every shortfall by
//! what the report already says (an image bundled, reported missing or
//! dropped on request; an element the sanitizer removed and listed under
//! `changes`) or turns it into a warning of its own kind (`lost-image`,
//! `lost-text`, `lost-links`, `lost-embed`). Comments are counted too: held,
//! written, and declared by the page but not in the archive.
//!
//! Photos are `<img>` with an address that are neither emoticons (MSN's
//! `…/emoticons/…` images) nor spacers (`spacer.gif`, 1×1 pixels); page
//! chrome (title, footer links, comment boxes) is not counted as shown.

use std::collections::HashSet;

use scraper::{ElementRef, Html};
use serde::{Deserialize, Serialize};

use crate::parse::dom::{has_class, id_starts, tag};
use crate::report::{Warning, WarningKind};

/// What one entry's container shows on its page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    /// Letters and digits of visible text (white space and punctuation are
    /// not counted, so re-wrapping and entity forms do not matter).
    pub text: u32,
    /// Photo addresses as written (`img src`), each once, in page order.
    pub photos: Vec<String>,
    /// Links with a target (`a[href]`, not `javascript:` or `#…`).
    pub links: u32,
    /// Embedded players (`object`, `embed`, `iframe`, `video`, `audio`,
    /// `applet`), the outermost of a nest counted once.
    pub embeds: u32,
}

impl Shown {
    /// Take in the photos another copy of the same entry showed. Counts of
    /// text and links stay the winning copy's: a list page's copy is often
    /// a teaser with a "Read more" link to the entry itself.
    pub fn absorb(&mut self, other: &Shown) {
        let seen: HashSet<&String> = self.photos.iter().collect();
        let new: Vec<String> = other
            .photos
            .iter()
            .filter(|p| !seen.contains(p))
            .cloned()
            .collect();
        self.photos.extend(new);
    }
}

/// Elements whose content is not shown as text.
fn hidden(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "title" | "head" | "xml"
    )
}

fn is_embed(name: &str) -> bool {
    matches!(
        name,
        "object" | "embed" | "iframe" | "video" | "audio" | "applet"
    )
}

/// Page chrome inside or beside an entry container: the title, the footer
/// with its date, permalink and category links, and the comment boxes of
/// every era (see `shared/docs/spaces-archives.md` §2.3, §2.4).
pub fn is_chrome(el: &ElementRef<'_>) -> bool {
    const IDS: [&str; 6] = [
        "subjcns",
        "lastmdatecns",
        "blogcategory",
        "blogpermalink",
        "blogcomments",
        "sn_ccpg",
    ];
    if IDS.iter().any(|p| id_starts(el, p)) {
        return true;
    }
    let Some(class) = el.value().attr("class") else {
        return false;
    };
    class.split_ascii_whitespace().any(|c| {
        let c = c.to_ascii_lowercase();
        c.starts_with("footer")
            || c.starts_with("bvcomment")
            || c.starts_with("cc")
            || c.contains("comment")
    })
}

/// An image that is content: not an emoticon, not a spacer pixel.
pub fn is_photo(img: &ElementRef<'_>) -> Option<String> {
    let src = img.value().attr("src")?.trim();
    if src.is_empty() || src.starts_with("data:") || has_class(img, "emoticon") {
        return None;
    }
    let lower = src.to_ascii_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or(&lower);
    let name = path.rsplit('/').next().unwrap_or(path);
    if path.contains("/emoticons/") || path.contains("/emoticon/") || path.contains("smiley") {
        return None;
    }
    if matches!(
        name,
        "spacer.gif" | "blank.gif" | "pixel.gif" | "clear.gif" | "trans.gif" | "1x1.gif"
    ) {
        return None;
    }
    let tiny = |a: &str| {
        img.value()
            .attr(a)
            .and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
            .is_some_and(|n| n <= 2)
    };
    if tiny("width") && tiny("height") {
        return None;
    }
    Some(src.to_string())
}

/// Running counts over one or more subtrees.
#[derive(Default)]
struct Counter {
    shown: Shown,
    seen_photos: HashSet<String>,
}

impl Counter {
    /// Count `root` and everything under it, skipping subtrees for which
    /// `skip` holds (the root itself is never skipped).
    fn count(&mut self, root: ElementRef<'_>, skip: &dyn Fn(&ElementRef<'_>) -> bool) {
        let mut stack = vec![(root, 0u32)];
        while let Some((el, in_embed)) = stack.pop() {
            let name = tag(&el);
            if hidden(name) {
                continue;
            }
            let mut in_embed = in_embed;
            if is_embed(name) {
                if in_embed == 0 {
                    self.shown.embeds += 1;
                }
                in_embed += 1;
            }
            match name {
                "img" => {
                    if let Some(src) = is_photo(&el) {
                        if self.seen_photos.insert(src.clone()) {
                            self.shown.photos.push(src);
                        }
                    }
                }
                "a" => {
                    let target = el.value().attr("href").map(str::trim).unwrap_or("");
                    let lower = target.to_ascii_lowercase();
                    if !target.is_empty()
                        && !target.starts_with('#')
                        && !lower.starts_with("javascript:")
                    {
                        self.shown.links += 1;
                    }
                }
                _ => {}
            }
            // Children in reverse so that the stack pops them in order.
            let children: Vec<_> = el.children().collect();
            for child in children.into_iter().rev() {
                if let Some(t) = child.value().as_text() {
                    let n = t.chars().filter(|c| c.is_alphanumeric()).count();
                    self.shown.text = self
                        .shown
                        .text
                        .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
                } else if let Some(e) = ElementRef::wrap(child) {
                    if !skip(&e) {
                        stack.push((e, in_embed));
                    }
                }
            }
        }
    }
}

/// What an entry shows, counted on the page itself.
///
/// With a list-view container (`div.bvEntry`) everything inside it counts
/// but the chrome ([`is_chrome`]). Without one (single-entry pages), the body
/// and the element siblings that follow it count, up to the first footer,
/// comment box, date or other entry marker: that is where Spaces put the
/// photo-insert table (§2.8 of `shared/docs/spaces-archives.md`).
pub fn shown(body: ElementRef<'_>, container: Option<ElementRef<'_>>) -> Shown {
    let mut c = Counter::default();
    let skip = |e: &ElementRef<'_>| is_chrome(e);
    match container {
        Some(container) => c.count(container, &skip),
        None => {
            c.count(body, &skip);
            let mut next = crate::parse::dom::next_element(&body);
            while let Some(el) = next {
                if ends_region(&el) {
                    break;
                }
                c.count(el, &skip);
                next = crate::parse::dom::next_element(&el);
            }
        }
    }
    c.shown
}

/// Does this sibling of a body start the chrome after it (or the next
/// entry)?
fn ends_region(el: &ElementRef<'_>) -> bool {
    const MARKERS: [&str; 3] = ["msgcns", "entrycns", "subjcns"];
    std::iter::once(*el)
        .chain(el.descendent_elements())
        .any(|e| {
            is_chrome(&e) || MARKERS.iter().any(|m| id_starts(&e, m)) || has_class(&e, "bvEntry")
        })
}

/// What a finished post body holds: the same counts as [`shown`], plus every
/// address an image or link points at (a photo may land as its bundled
/// thumbnail or as the link to its full picture).
#[derive(Debug, Default)]
pub struct Landed {
    /// The counts, on the finished HTML.
    pub shown: Shown,
    /// Every `img src` and `a href` of the finished HTML.
    pub addresses: HashSet<String>,
}

/// Count a finished post body.
pub fn landed(html: &str) -> Landed {
    let doc = Html::parse_fragment(html);
    let mut c = Counter::default();
    c.count(doc.root_element(), &|_| false);
    let addresses = doc
        .root_element()
        .descendent_elements()
        .filter_map(|e| match tag(&e) {
            "img" => e.value().attr("src"),
            "a" => e.value().attr("href"),
            _ => None,
        })
        .map(|u| u.trim().to_string())
        .collect();
    Landed {
        shown: c.shown,
        addresses,
    }
}

/// How the media stage and the writer treated a photo's address.
pub trait MediaFate {
    /// The bundled file's URL, when the photo is in the archive.
    fn bundled(&self, src: &str) -> Option<&str>;
    /// The photo is not in the archive and is listed under `missing_media`.
    fn reported_missing(&self, src: &str) -> bool;
}

/// The books of one post, or totals of many.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Books {
    /// Entries accounted for.
    pub entries: u64,
    /// Letters and digits the pages show in entry bodies.
    pub text_shown: u64,
    /// Letters and digits in the written posts.
    pub text_written: u64,
    /// Photos the pages show (each address once per post).
    pub photos_shown: u64,
    /// Photos whose file is in the media bundle and whose post shows it.
    pub photos_bundled: u64,
    /// Photos not in the archive, kept at their address and listed under
    /// `missing_media`.
    pub photos_missing: u64,
    /// Photos not in the archive and removed (`--drop-missing-images`).
    pub photos_dropped: u64,
    /// Photos the sanitizer removed (listed under `changes`).
    pub photos_removed: u64,
    /// Links the pages show in entry bodies.
    pub links_shown: u64,
    /// Links in the written posts.
    pub links_written: u64,
    /// Embedded players the pages show.
    pub embeds_shown: u64,
    /// Players kept, or replaced by their video's URL or page link.
    pub embeds_written: u64,
    /// Comments written.
    pub comments_written: u64,
    /// Comments the pages declare but the archive does not hold.
    pub comments_missing: u64,
    /// Shortfalls nothing in the report explains (each is also a warning).
    pub unexplained: u64,
}

impl Books {
    /// Add another post's books (or other totals).
    pub fn add(&mut self, o: &Books) {
        self.entries += o.entries;
        self.text_shown += o.text_shown;
        self.text_written += o.text_written;
        self.photos_shown += o.photos_shown;
        self.photos_bundled += o.photos_bundled;
        self.photos_missing += o.photos_missing;
        self.photos_dropped += o.photos_dropped;
        self.photos_removed += o.photos_removed;
        self.links_shown += o.links_shown;
        self.links_written += o.links_written;
        self.embeds_shown += o.embeds_shown;
        self.embeds_written += o.embeds_written;
        self.comments_written += o.comments_written;
        self.comments_missing += o.comments_missing;
        self.unexplained += o.unexplained;
    }
}

/// Everything [`reconcile`] needs to know about one written post.
pub struct Written<'a> {
    /// Spaces id, for warnings.
    pub entry: &'a str,
    /// Archive file, for warnings.
    pub file: &'a str,
    /// The finished body.
    pub landed: &'a Landed,
    /// Replaced embeds (each became a URL paragraph or a link).
    pub embeds_replaced: usize,
    /// Keys of what the sanitizer removed (`tag:img`, `chrome:…`, …).
    pub removed: &'a [&'a str],
    /// `--drop-missing-images` was given.
    pub drop_missing: bool,
    /// Comments written.
    pub comments: usize,
    /// Comments the page declares.
    pub declared: Option<u32>,
}

fn removed_any(removed: &[&str], pred: impl Fn(&str) -> bool) -> bool {
    removed.iter().any(|k| pred(k))
}

/// Settle one post's books; every unexplained shortfall becomes a warning.
pub fn reconcile(shown: &Shown, w: &Written<'_>, media: &dyn MediaFate) -> (Books, Vec<Warning>) {
    let got = &w.landed.shown;
    let mut b = Books {
        entries: 1,
        text_shown: shown.text.into(),
        text_written: got.text.into(),
        photos_shown: shown.photos.len() as u64,
        links_shown: shown.links.into(),
        links_written: got.links.into(),
        embeds_shown: shown.embeds.into(),
        embeds_written: (got.embeds as u64).saturating_add(w.embeds_replaced as u64),
        comments_written: w.comments as u64,
        comments_missing: w
            .declared
            .map_or(0, |d| u64::from(d).saturating_sub(w.comments as u64)),
        ..Books::default()
    };
    let mut lost = Vec::new();
    let img_removed = removed_any(w.removed, |k| {
        k == "tag:img" || k.starts_with("url:") || k == "depth-cap"
    });
    for src in &shown.photos {
        let here = |u: &str| w.landed.addresses.contains(u);
        if media.bundled(src).is_some_and(here) {
            b.photos_bundled += 1;
        } else if media.reported_missing(src) && here(src) {
            b.photos_missing += 1;
        } else if media.reported_missing(src) && w.drop_missing {
            b.photos_dropped += 1;
        } else if img_removed {
            b.photos_removed += 1;
        } else {
            lost.push(Warning::entry(
                w.file,
                w.entry,
                WarningKind::LostImage,
                format!("the page shows the image {src}, but the post does not and no report entry says why"),
            ));
        }
    }
    let element_removed = removed_any(w.removed, |k| {
        k.starts_with("tag:") || k.starts_with("chrome:") || k == "depth-cap"
    });
    if b.text_written < b.text_shown && !element_removed {
        lost.push(Warning::entry(
            w.file,
            w.entry,
            WarningKind::LostText,
            format!(
                "the page shows {} letters and digits in this entry, the post holds {}",
                b.text_shown, b.text_written
            ),
        ));
    }
    let link_removed = element_removed
        || removed_any(w.removed, |k| {
            k.starts_with("url:") || k.starts_with("attr:href") || k.starts_with("embed:")
        });
    let dropped_photo_links = b.photos_dropped;
    if b.links_written + dropped_photo_links < b.links_shown && !link_removed {
        lost.push(Warning::entry(
            w.file,
            w.entry,
            WarningKind::LostLinks,
            format!(
                "the page shows {} links in this entry, the post holds {}",
                b.links_shown, b.links_written
            ),
        ));
    }
    let embed_removed = removed_any(w.removed, |k| {
        k.starts_with("embed:")
            || [
                "tag:object",
                "tag:embed",
                "tag:iframe",
                "tag:video",
                "tag:audio",
                "tag:applet",
            ]
            .contains(&k)
    });
    if b.embeds_written < b.embeds_shown && !embed_removed {
        lost.push(Warning::entry(
            w.file,
            w.entry,
            WarningKind::LostEmbed,
            format!(
                "the page shows {} embedded players in this entry, the post keeps {}",
                b.embeds_shown, b.embeds_written
            ),
        ));
    }
    b.unexplained = lost.len() as u64;
    (b, lost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Fate {
        bundled: HashMap<String, String>,
        missing: HashSet<String>,
    }

    impl MediaFate for Fate {
        fn bundled(&self, src: &str) -> Option<&str> {
            self.bundled.get(src).map(String::as_str)
        }
        fn reported_missing(&self, src: &str) -> bool {
            self.missing.contains(src)
        }
    }

    fn no_media() -> Fate {
        Fate {
            bundled: HashMap::new(),
            missing: HashSet::new(),
        }
    }

    fn shown_in(page: &str) -> Shown {
        let doc = Html::parse_document(page);
        let body = doc
            .root_element()
            .descendent_elements()
            .find(|e| id_starts(e, "msgcns"))
            .expect("body");
        let container = doc
            .root_element()
            .descendent_elements()
            .find(|e| has_class(e, "bvEntry"));
        shown(body, container)
    }

    // A 2007 list-view entry as saved from the live site: the photo-insert
    // table sits after the message block, inside the container.
    const LIST_ENTRY: &str = r##"<div class="bvEntry" id="entrycns!1A2B3C4D5E6F7081!310" bv:cns="cns!1A2B3C4D5E6F7081!310" bv:cat="生活">
<h4 class="TextColor1" id="subjcns!1A2B3C4D5E6F7081!310"><a href="http://x.spaces.live.com/blog/cns!1A2B3C4D5E6F7081!310.entry">&#22812;&#26223;</a></h4>
<div class="bvMsg" id="msgcns!1A2B3C4D5E6F7081!310"><div>上周去了外滩，拍了几张照片：<img src="http://spaces.live.com/rte/emoticons/smile_regular.gif"></div></div>
<table border="0"><tr><td colspan="3" height="10"><img src="http://x/spacer.gif" width="1" height="1"></td></tr>
<tr><td valign="top"><a href="http://tkfiles.storage.msn.com/x1pBIG1" target="_blank"><img src="http://tkfiles.storage.msn.com/x1pTHUMB1" border="0"></a></td><td width="15"></td>
<td valign="top"><a href="http://tkfiles.storage.msn.com/x1pBIG2" target="_blank"><img src="http://tkfiles.storage.msn.com/x1pTHUMB2" border="0"></a></td></tr></table>
<div class="footerLinks"><nobr>2007/12/5 10:49:29</nobr>&nbsp;| <a id="blogComments0" bvItemType="comment" href="#">阅读评论 (16)</a></div>
<div class="footer"></div></div>"##;

    #[test]
    fn a_list_entry_shows_its_photo_table_but_not_its_chrome() {
        let s = shown_in(LIST_ENTRY);
        assert_eq!(
            s.photos,
            [
                "http://tkfiles.storage.msn.com/x1pTHUMB1",
                "http://tkfiles.storage.msn.com/x1pTHUMB2"
            ],
            "emoticon, spacer and title are not photos"
        );
        assert_eq!(
            s.links, 2,
            "the two full-picture links; footer links are chrome"
        );
        // 上周去了外滩拍了几张照片 = 12 letters; the title and the date are chrome.
        assert_eq!(s.text, 12);
    }

    #[test]
    fn a_single_entry_page_counts_the_siblings_after_the_body() {
        let page = r#"<div id="subjcns!1A2B3C4D5E6F7081!311">Trip</div>
<div id="msgcns!1A2B3C4D5E6F7081!311" class="bvMsg"><p>Day one</p></div>
<table><tr><td><a href="http://a.bay.livefilestore.com/y1pF/p.jpg" target="_blank"><img src="http://a.bay.livefilestore.com/y1pT/p.jpg"></a></td></tr></table>
<span id="LastMDatecns!1A2B3C4D5E6F7081!311">9/28/2010</span>
<div class="footerLinks">3:45 PM</div>
<div class="cc2_cmt"><img src="http://x/avatar.jpg"><div class="cc2_txt">Nice!</div></div>"#;
        let s = shown_in(page);
        assert_eq!(s.photos, ["http://a.bay.livefilestore.com/y1pT/p.jpg"]);
        assert_eq!(
            (s.text, s.links),
            (6, 1),
            "the title stands before the body"
        );
    }

    fn written<'a>(landed: &'a Landed, removed: &'a [&'a str]) -> Written<'a> {
        Written {
            entry: "cns!1A2B3C4D5E6F7081!310",
            file: "blog.html",
            landed,
            embeds_replaced: 0,
            removed,
            drop_missing: false,
            comments: 0,
            declared: Some(16),
        }
    }

    #[test]
    fn photos_left_out_of_the_post_are_unexplained_losses() {
        let s = shown_in(LIST_ENTRY);
        // The post kept only the message block.
        let l = landed("<div>上周去了外滩，拍了几张照片：</div>");
        let (b, lost) = reconcile(&s, &written(&l, &[]), &no_media());
        assert_eq!(b.photos_shown, 2);
        assert_eq!(lost.len(), 3, "two images and their links: {lost:?}");
        assert_eq!(lost[0].kind, WarningKind::LostImage);
        assert_eq!(lost[2].kind, WarningKind::LostLinks);
        assert_eq!(b.unexplained, 3);
        assert_eq!(b.comments_missing, 16);
    }

    #[test]
    fn bundled_missing_and_removed_photos_are_explained() {
        let s = shown_in(LIST_ENTRY);
        let fate = Fate {
            bundled: HashMap::from([(
                "http://tkfiles.storage.msn.com/x1pTHUMB1".to_string(),
                "http://site/m/2007/12/x1pTHUMB1.jpg".to_string(),
            )]),
            missing: HashSet::from(["http://tkfiles.storage.msn.com/x1pTHUMB2".to_string()]),
        };
        let l = landed(
            r#"<div>上周去了外滩，拍了几张照片：</div><a href="http://site/m/2007/12/x1pBIG1.jpg"><img src="http://site/m/2007/12/x1pTHUMB1.jpg"></a>
<a href="http://tkfiles.storage.msn.com/x1pBIG2"><img src="http://tkfiles.storage.msn.com/x1pTHUMB2"></a>"#,
        );
        let (b, lost) = reconcile(&s, &written(&l, &[]), &fate);
        assert!(lost.is_empty(), "{lost:?}");
        assert_eq!((b.photos_bundled, b.photos_missing), (1, 1));
        // The same post with the missing photo dropped on request.
        let l = landed(
            r#"<div>上周去了外滩，拍了几张照片：</div><a href="http://site/m/2007/12/x1pBIG1.jpg"><img src="http://site/m/2007/12/x1pTHUMB1.jpg"></a>"#,
        );
        let mut w = written(&l, &[]);
        w.drop_missing = true;
        let (b, lost) = reconcile(&s, &w, &fate);
        assert_eq!(b.photos_dropped, 1);
        assert!(lost.is_empty(), "{lost:?}");
    }

    #[test]
    fn text_and_embeds_removed_by_the_sanitizer_are_explained_by_its_changes() {
        let page = r#"<div id="msgcns!1A2B3C4D5E6F7081!312" class="bvMsg"><p>Watch this</p><object><embed src="http://x/player.swf"></object><form><button>Vote now</button></form></div>"#;
        let s = shown_in(page);
        assert_eq!((s.embeds, s.text), (1, 16));
        let l = landed("<p>Watch this</p>");
        let (_, lost) = reconcile(&s, &written(&l, &[]), &no_media());
        let kinds: Vec<WarningKind> = lost.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, [WarningKind::LostText, WarningKind::LostEmbed]);
        let removed = ["tag:form", "tag:object"];
        let (_, lost) = reconcile(&s, &written(&l, &removed), &no_media());
        assert!(lost.is_empty(), "{lost:?}");
    }

    #[test]
    fn a_replaced_embed_counts_as_written() {
        let page = r#"<div id="msgcns!1A2B3C4D5E6F7081!313" class="bvMsg"><object><embed src="http://www.youtube.com/v/abc"></object></div>"#;
        let s = shown_in(page);
        let l = landed("<p>https://www.youtube.com/watch?v=abc</p>");
        let mut w = written(&l, &[]);
        w.embeds_replaced = 1;
        let (b, lost) = reconcile(&s, &w, &no_media());
        assert!(lost.is_empty(), "{lost:?}");
        assert_eq!(b.embeds_written, 1);
    }
}
