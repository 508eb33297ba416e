//! The tree walk: parse once, write the allowed subset, count the rest.
//!
//! An explicit stack replaces recursion, so input nesting depth cannot
//! overflow the call stack; kept elements nested deeper than [`MAX_DEPTH`] are
//! unwrapped (their text stays) and counted as `depth-cap`.

use scraper::{ElementRef, Html, Node};

use crate::parse::dom;

use super::attrs::{self, attr_key};
use super::embed;
use super::policy::{self, Action, Mode, Sep};
use super::url::{classify, normalize, UrlClass};
use super::{Embed, Removed, Rewrite, Tally, UrlMap};
use crate::html::{escape_attr, escape_text};
use crate::output::xml::unglue_controls;

/// Deepest nesting of kept elements written out.
pub(super) const MAX_DEPTH: usize = 100;

/// The HTML namespace URL.
const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// ego_tree's node handle, named through scraper's public `Deref` target.
type TreeNode<'a> = <ElementRef<'a> as std::ops::Deref>::Target;

/// What the walk produced (before the final ammonia pass).
pub(super) struct Walked {
    /// Serialised HTML of the kept subset.
    pub html: String,
    /// What was removed or changed.
    pub removed: Removed,
    /// Embeds replaced.
    pub embeds: Vec<Embed>,
}

enum Step<'a> {
    Enter(TreeNode<'a>),
    Close(Close),
}

/// How to finish an element whose children have been written.
struct Close {
    /// Closing tag to write (`None` for unwrapped elements).
    tag: Option<&'static str>,
    /// Output offset of the start tag.
    start: usize,
    /// Output offset just past the start tag.
    content_start: usize,
    /// `removed.total` when the element was opened.
    removed_at: u32,
    /// Drop the element if removal left it empty.
    prune: bool,
    /// Separator for unwrapped elements.
    sep: Sep,
}

/// Context inherited by children.
#[derive(Clone, Copy, Default)]
struct Ctx {
    /// Parent is a converted `<center>`.
    center: bool,
    /// Nearest kept ancestor takes phrasing content only.
    phrasing: bool,
    /// Inside `<pre>`: line breaks in text are the author's.
    pre: bool,
}

struct Walker<'m> {
    mode: Mode,
    /// New values for `href` and `src` (links to other posts, bundled
    /// images), applied where the walk reads those attributes anyway.
    map: Option<&'m dyn UrlMap>,
    out: String,
    removed: Tally,
    embeds: Vec<Embed>,
    ctx: Vec<Ctx>,
    depth: usize,
    /// Link addresses of the fragment (lower-case), gathered when an embed
    /// first needs them.
    page_links: Option<Vec<String>>,
}

/// Walk `input` under `mode`, giving `href` and `src` the values `map`
/// chooses.
pub(super) fn walk(mode: Mode, input: &str, map: Option<&dyn UrlMap>) -> Walked {
    let doc = Html::parse_fragment(input);
    let mut w = Walker {
        mode,
        map,
        out: String::with_capacity(input.len()),
        removed: Tally::default(),
        embeds: Vec::new(),
        ctx: Vec::new(),
        depth: 0,
        page_links: None,
    };
    let root = doc.root_element();
    let mut stack: Vec<Step<'_>> = root.children().rev().map(Step::Enter).collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(c) => w.close(c),
            Step::Enter(node) => match node.value() {
                Node::Text(t) => {
                    if is_chrome_separator(node, &t.text) {
                        w.removed.add("chrome:separator");
                    } else {
                        let unglued = unglue_controls(&t.text);
                        let unwrapped;
                        let text: &str = if w.top().pre {
                            &unglued
                        } else {
                            unwrapped = unwrap_lines(&unglued);
                            &unwrapped
                        };
                        // Long texts full of `&` are written in pieces that
                        // ammonia keeps as separate nodes (the empty comments
                        // between them are stripped), so its serializer stays
                        // linear (see `parse::dom::text_pieces`).
                        for (i, piece) in dom::text_pieces(text).iter().enumerate() {
                            if i > 0 {
                                w.out.push_str("<!---->");
                            }
                            escape_text(&mut w.out, piece);
                        }
                    }
                }
                Node::Comment(_) => w.removed.add("comment"),
                Node::Element(_) => {
                    let Some(el) = ElementRef::wrap(node) else {
                        continue;
                    };
                    if let Some(close) = w.open(el) {
                        stack.push(Step::Close(close));
                        stack.extend(node.children().rev().map(Step::Enter));
                    }
                }
                _ => {}
            },
        }
    }
    if mode == Mode::Comment {
        trim_trailing_breaks(&mut w.out);
    }
    Walked {
        html: w.out,
        removed: w.removed.removed,
        embeds: w.embeds,
    }
}

/// New attribute values an element gets from the URL map.
type Overrides = Vec<(&'static str, String)>;

impl Walker<'_> {
    fn top(&self) -> Ctx {
        self.ctx.last().copied().unwrap_or_default()
    }

    /// Handle a start tag; `Some` when children are to be walked.
    fn open(&mut self, el: ElementRef<'_>) -> Option<Close> {
        let e = el.value();
        let name = e.name();
        if &*e.name.ns != HTML_NS {
            self.removed.add(&tag_key(name));
            return None;
        }
        let Some(overrides) = self.rewrites(el) else {
            // An image the archive lacks, removed on request: reported as
            // missing media, not as something the sanitizer took.
            return None;
        };
        if name == "a" {
            if let Some(key) = value_of(el, &overrides, "href").and_then(chrome_link) {
                self.removed.add(key);
                return None;
            }
        }
        if name == "div" && is_bvmsg(el) {
            self.removed.add("chrome:bvMsg");
            return Some(self.unwrap(Sep::None, false));
        }
        let action = policy::action(self.mode, name);
        let out_tag = match action {
            Action::Drop => {
                self.removed.add(&tag_key(name));
                return None;
            }
            Action::Embed => {
                self.embed(el);
                return None;
            }
            Action::Unwrap(sep) => {
                self.removed.add(&tag_key(name));
                self.count_attrs(el);
                return Some(self.unwrap(sep, true));
            }
            Action::Keep(t) => t,
            Action::Font | Action::Nobr => "span",
            Action::Center => "div",
        };
        if self.depth >= MAX_DEPTH && !policy::is_void(out_tag) {
            self.removed.add("depth-cap");
            return Some(self.unwrap(Sep::None, false));
        }
        let mut kept = self.filter_attrs(out_tag, el, action, &overrides);
        match (action, out_tag) {
            (Action::Font, _) => {
                if kept.is_empty() {
                    self.removed.add("tag:font");
                    return Some(self.unwrap(Sep::None, false));
                }
                self.removed.add("font->span");
            }
            (Action::Center, _) => {
                prepend_style(&mut kept, "text-align:center");
                self.removed.add("center->div");
            }
            (Action::Nobr, _) => {
                prepend_style(&mut kept, "white-space:nowrap");
                self.removed.add("nobr->span");
            }
            // An attribute-less span means nothing (Word leaves many behind
            // once its `mso-*` styles are gone).
            (_, "span") if kept.is_empty() => {
                return Some(self.unwrap(Sep::None, false));
            }
            (_, "img") => {
                let has_src = kept.iter().any(|(n, _)| n == "src");
                if !has_src || (self.mode == Mode::Comment && !is_emoticon(el)) {
                    self.removed.add("tag:img");
                    return None;
                }
            }
            (_, "a") => {
                if !kept.iter().any(|(n, _)| n == "href" || n == "name") {
                    return Some(self.unwrap(Sep::None, false));
                }
                if kept.iter().any(|(n, _)| n == "target") {
                    add_noopener(&mut kept);
                }
            }
            (_, "table") if self.top().center && !kept.iter().any(|(n, _)| n == "align") => {
                kept.push(("align".into(), "center".into()));
            }
            _ => {}
        }
        let start = self.out.len();
        self.out.push('<');
        self.out.push_str(out_tag);
        for (n, v) in &kept {
            self.out.push(' ');
            self.out.push_str(n);
            self.out.push_str("=\"");
            escape_attr(&mut self.out, v);
            self.out.push('"');
        }
        self.out.push('>');
        if policy::is_void(out_tag) {
            return None;
        }

        self.depth += 1;
        self.ctx.push(Ctx {
            center: action == Action::Center,
            phrasing: policy::is_phrasing_container(out_tag),
            pre: self.top().pre || matches!(out_tag, "pre" | "textarea" | "listing" | "xmp"),
        });
        Some(Close {
            tag: Some(out_tag),
            start,
            content_start: self.out.len(),
            removed_at: self.removed.total,
            prune: policy::prunable(out_tag),
            sep: Sep::None,
        })
    }

    /// Start an unwrapped element: children flow into the parent.
    fn unwrap(&mut self, sep: Sep, apply_sep: bool) -> Close {
        let sep = if apply_sep && self.mode == Mode::Comment {
            sep
        } else {
            Sep::None
        };
        if sep == Sep::Break {
            self.soft_break();
        }
        self.ctx.push(self.top());
        Close {
            tag: None,
            start: self.out.len(),
            content_start: self.out.len(),
            removed_at: self.removed.total,
            prune: false,
            sep,
        }
    }

    fn close(&mut self, c: Close) {
        self.ctx.pop();
        if let Some(tag) = c.tag {
            self.depth = self.depth.saturating_sub(1);
            let emptied = c.prune
                && self.removed.total > c.removed_at
                && self.out[c.content_start..]
                    .trim_matches(|ch: char| ch.is_ascii_whitespace())
                    .is_empty();
            if emptied {
                self.out.truncate(c.start);
                self.removed.add(&format!("empty:{tag}"));
            } else {
                self.out.push_str("</");
                self.out.push_str(tag);
                self.out.push('>');
            }
        }
        match c.sep {
            Sep::None => {}
            Sep::Space => self.out.push(' '),
            Sep::Break => self.soft_break(),
        }
    }

    /// Comments: a `<br>` unless the output already ends a line.
    fn soft_break(&mut self) {
        let t = self.out.trim_end_matches(|c: char| c.is_ascii_whitespace());
        if !(t.is_empty() || t.ends_with("<br>") || t.ends_with("<p>") || t.ends_with("</p>")) {
            self.out.push_str("<br>");
        }
    }

    /// Count the attributes of an element that is unwrapped.
    fn count_attrs(&mut self, el: ElementRef<'_>) {
        for (n, _) in el.value().attrs() {
            self.removed.add(&attr_key(n));
        }
    }

    /// The URL map's new `href`/`src` values for `el`; `None` when the map
    /// removes the element.
    fn rewrites(&self, el: ElementRef<'_>) -> Option<Overrides> {
        let mut out = Overrides::new();
        let Some(map) = self.map else {
            return Some(out);
        };
        let e = el.value();
        for attr in ["href", "src"] {
            let Some(url) = e.attr(attr) else { continue };
            match map.map(e.name(), attr, url) {
                Some(Rewrite::Set(new)) => out.push((attr, new)),
                Some(Rewrite::Drop) => return None,
                None => {}
            }
        }
        Some(out)
    }

    /// The allowed, checked attributes of `el` written as `out_tag`, with
    /// the URL map's `overrides`.
    fn filter_attrs(
        &mut self,
        out_tag: &str,
        el: ElementRef<'_>,
        action: Action,
        overrides: &Overrides,
    ) -> Vec<(String, String)> {
        let mut kept: Vec<(String, String)> = Vec::new();
        let mut font: Vec<String> = Vec::new();
        for (qn, value) in el.value().attrs.iter() {
            let name = &*qn.local;
            let value = match overrides.iter().find(|(n, _)| *n == name) {
                Some((_, new)) if qn.ns.is_empty() => new.as_str(),
                _ => &**value,
            };
            if !qn.ns.is_empty() || qn.prefix.is_some() {
                self.removed.add(&attr_key(name));
                continue;
            }
            if action == Action::Font && matches!(name, "color" | "size" | "face") {
                let decl = match name {
                    "color" => attrs::color(value.trim()).map(|c| format!("color:{c}")),
                    "size" => attrs::font_size(value).map(|s| format!("font-size:{s}")),
                    _ => attrs::font_family(value).map(|f| format!("font-family:{f}")),
                };
                match decl.filter(|d| super::css::is_safe(d)) {
                    Some(d) => font.push(d),
                    None => self.removed.add(&attr_key(name)),
                }
                continue;
            }
            if !policy::attr_allowed(self.mode, out_tag, name) {
                self.removed.add(&attr_key(name));
                continue;
            }
            if let Some(v) = attrs::check(self.mode, out_tag, name, value, &mut self.removed) {
                kept.push((name.to_string(), v));
            }
        }
        if !font.is_empty() {
            prepend_style(&mut kept, &font.join(";"));
        }
        kept
    }

    /// Replace an embed element by a URL paragraph or a link, or drop it.
    fn embed(&mut self, el: ElementRef<'_>) {
        let name = el.value().name();
        let raw = embed::media_url(el);
        let Some(found) = raw.as_deref().and_then(embed::recognise) else {
            self.removed.add(&tag_key(name));
            if let Some(UrlClass::Bad(s)) = raw.as_deref().map(|r| classify(r).0) {
                self.removed.add(&format!("url:{s}"));
            }
            return;
        };
        let key = match (found.recognised, found.provider.as_str()) {
            (true, p) | (false, p @ "msn") => format!("embed:{p}"),
            (false, _) => "embed:other".to_string(),
        };
        self.removed.add(&key);
        let mut found = found;
        if !found.recognised && embed::is_flash_player(&found.url) {
            // The player file shows nothing without Flash: keep the video's
            // own page instead, once (Soapbox posts carry a "Video: …" link
            // to it beside the player).
            self.removed.add("embed:flash-player");
            let page = (found.provider == "msn")
                .then(|| {
                    embed::flashvars(el)
                        .as_deref()
                        .and_then(embed::msn_video_id)
                })
                .flatten();
            let kept = page.filter(|id| !self.links_to(el, id));
            let Some(id) = kept else {
                self.embeds.push(Embed {
                    url: found.url,
                    provider: found.provider,
                    recognised: false,
                });
                return;
            };
            found.url = format!("http://video.msn.com/video.aspx?vid={id}");
        }
        let mut body = String::new();
        if found.recognised {
            escape_text(&mut body, &found.url);
        } else {
            body.push_str("<a href=\"");
            escape_attr(&mut body, &found.url);
            body.push_str("\">");
            escape_text(&mut body, &found.url);
            body.push_str("</a>");
        }
        if self.top().phrasing {
            // WordPress embeds a URL that stands alone on its line.
            self.out.push('\n');
            self.out.push_str(&body);
            self.out.push('\n');
        } else {
            self.out.push_str("<p>");
            self.out.push_str(&body);
            self.out.push_str("</p>");
        }
        self.embeds.push(Embed {
            url: found.url,
            provider: found.provider,
            recognised: found.recognised,
        });
    }
}

impl Walker<'_> {
    /// Does the fragment that holds `el` have a link whose address contains
    /// `needle` (lower-case)? The links are gathered once per fragment.
    fn links_to(&mut self, el: ElementRef<'_>, needle: &str) -> bool {
        let links = self.page_links.get_or_insert_with(|| {
            let root: TreeNode<'_> = el.ancestors().last().unwrap_or(*el);
            root.descendants()
                .filter_map(ElementRef::wrap)
                .filter(|e| e.value().name() == "a")
                .filter_map(|e| e.value().attr("href"))
                .map(str::to_ascii_lowercase)
                .collect()
        });
        links.iter().any(|h| h.contains(needle))
    }
}

/// An attribute's value after the URL map.
fn value_of<'a>(el: ElementRef<'a>, overrides: &'a Overrides, attr: &str) -> Option<&'a str> {
    match overrides.iter().find(|(n, _)| *n == attr) {
        Some((_, v)) => Some(v),
        None => el.value().attr(attr),
    }
}

/// `tag:NAME` key (name shortened).
fn tag_key(name: &str) -> String {
    let short: String = name.chars().take(40).collect();
    format!("tag:{short}")
}

/// Spaces page chrome hidden in a link's `href`, as a `Removed` key.
fn chrome_link(href: &str) -> Option<&'static str> {
    let h: String = normalize(href)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if h.contains("api.aspx") && h.contains("wx_action=sendmessage") {
        Some("chrome:sendMessage")
    } else if h.starts_with("javascript:blogit") {
        Some("chrome:BlogIt")
    } else if h.contains("personalspace.aspx")
        && (h.contains("_c02_owner=1") || h.contains("blogentry"))
    {
        Some("chrome:ownerEdit")
    } else {
        None
    }
}

/// `div.bvMsg` or `div#msgcns!…`: the Spaces entry-body wrapper.
fn is_bvmsg(el: ElementRef<'_>) -> bool {
    let e = el.value();
    e.classes().any(|c| c.eq_ignore_ascii_case("bvmsg"))
        || e.id()
            .is_some_and(|id| id.to_ascii_lowercase().starts_with("msgcns!"))
}

/// A text node made only of `|`, spaces and no-break spaces next to a chrome
/// link (the `&nbsp;|` separators of the Spaces footer links).
fn is_chrome_separator(node: TreeNode<'_>, text: &str) -> bool {
    let only_sep = !text.is_empty()
        && text
            .chars()
            .all(|c| c == '|' || c == '\u{a0}' || c.is_whitespace())
        && text.contains(['|', '\u{a0}']);
    let chrome = |n: Option<TreeNode<'_>>| {
        n.and_then(ElementRef::wrap).is_some_and(|e| {
            e.value().name() == "a" && e.value().attr("href").and_then(chrome_link).is_some()
        })
    };
    only_sep && (chrome(node.prev_sibling()) || chrome(node.next_sibling()))
}

/// Comment images: kept only when they look like an emoticon — the URL says
/// so (`emoticon`, `smiley`, `smilies`, `emoji`) or both `width` and
/// `height` are given and at most 40 px — and no declared size exceeds 40 px.
fn is_emoticon(el: ElementRef<'_>) -> bool {
    let e = el.value();
    let dim = |n: &str| {
        e.attr(n).map(|v| {
            let v = v.trim().to_ascii_lowercase();
            v.strip_suffix("px")
                .unwrap_or(&v)
                .parse::<u32>()
                .map_or(u32::MAX, |x| x)
        })
    };
    let (w, h) = (dim("width"), dim("height"));
    if w.is_some_and(|x| x > 40) || h.is_some_and(|x| x > 40) {
        return false;
    }
    let src = e.attr("src").unwrap_or("").to_ascii_lowercase();
    let named = ["emoticon", "smiley", "smilies", "emoji"]
        .iter()
        .any(|k| src.contains(k));
    named || (w.is_some() && h.is_some())
}

/// Put `decls` in front of the `style` attribute (creating it).
fn prepend_style(kept: &mut Vec<(String, String)>, decls: &str) {
    if let Some((_, v)) = kept.iter_mut().find(|(n, _)| n == "style") {
        *v = format!("{decls};{v}");
    } else {
        kept.push(("style".into(), decls.to_string()));
    }
}

/// Make sure `rel` contains `noopener` (links with `target="_blank"`).
fn add_noopener(kept: &mut Vec<(String, String)>) {
    if let Some((_, v)) = kept.iter_mut().find(|(n, _)| n == "rel") {
        if !v.split(' ').any(|t| t == "noopener") {
            v.push_str(" noopener");
        }
    } else {
        kept.push(("rel".into(), "noopener".into()));
    }
}

/// Comments: drop `<br>`s and whitespace at the very end.
fn trim_trailing_breaks(out: &mut String) {
    loop {
        let t = out
            .trim_end_matches(|c: char| c.is_ascii_whitespace())
            .len();
        out.truncate(t);
        if out.ends_with("<br>") {
            out.truncate(out.len() - 4);
        } else {
            break;
        }
    }
}

/// Text outside `<pre>` with every line break (and the white space around
/// it) turned into one space. A browser showed such a wrap as a space, but
/// WordPress turns a newline inside a paragraph into `<br />` when it
/// displays a post or comment (`wpautop`), so editor wraps would become
/// line breaks in mid-sentence.
fn unwrap_lines(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['\n', '\r']) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut pending = String::new();
    let mut wrapped = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            pending.push(c);
            wrapped |= matches!(c, '\n' | '\r');
        } else {
            flush_space(&mut out, &mut pending, &mut wrapped);
            out.push(c);
        }
    }
    flush_space(&mut out, &mut pending, &mut wrapped);
    std::borrow::Cow::Owned(out)
}

/// Write a run of white space: one space when it held a line break, as it
/// was otherwise.
fn flush_space(out: &mut String, pending: &mut String, wrapped: &mut bool) {
    if *wrapped {
        out.push(' ');
    } else {
        out.push_str(pending);
    }
    pending.clear();
    *wrapped = false;
}
