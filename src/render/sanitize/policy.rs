//! The allow-lists, in one place, and the two ammonia builders made from them.
//!
//! The tree walk in `walk.rs` applies these lists first (and counts what it
//! drops); ammonia then re-applies the very same lists to the walk's output as
//! the last line of defence.  Keeping both in one file means the two layers
//! cannot drift apart.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use ammonia::{Builder, UrlRelative};

use super::css;
use super::url::{classify, UrlClass};

/// Which policy a walk applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Post bodies written by the blog owner.
    Post,
    /// Comments written by strangers.
    Comment,
}

/// Elements a post keeps as they are (after attribute filtering).
#[rustfmt::skip]
pub(super) const POST_TAGS: &[&str] = &[
    // Structure and the Spaces photo tables.
    "p", "br", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col",
    "a", "img",
    // A photo album's pictures and their captions (`parse::albums`).
    "figure", "figcaption",
    // Visible inline formatting of the MSHTML/Word era.
    "b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "sub", "sup", "small", "big",
    // Not in the issue's list, kept because they are harmless, have no
    // attributes of their own here and change how text looks (monospace,
    // quotes, italics, dotted underline).
    "tt", "q", "cite", "abbr", "kbd", "samp", "var",
];

/// Elements a comment keeps.
pub(super) const COMMENT_TAGS: &[&str] = &["p", "br", "a", "img", "b", "i", "em", "strong"];

/// Attributes allowed on every kept post element: `style` (filtered),
/// `title` (tooltips are author text), `dir` and `lang` (RTL and CJK blogs).
pub(super) const POST_GENERIC_ATTRS: &[&str] = &["style", "title", "dir", "lang"];

/// Attributes allowed per post element (on top of [`POST_GENERIC_ATTRS`]).
///
/// `a`: `name` keeps old in-page anchors working (ids are dropped), `target`
/// is kept only as `_blank` and `rel` only with harmless tokens.  Tables keep
/// `bgcolor` and cells `nowrap` (visible layout); `hr` keeps `size`/`noshade`
/// and lists `type`/`start`/`value` (visible numbering).  Every value is
/// checked (`attrs.rs`).
pub(super) const POST_TAG_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "name", "target", "rel"]),
    (
        "img",
        &[
            "src", "alt", "width", "height", "border", "align", "hspace", "vspace",
        ],
    ),
    (
        "table",
        &[
            "width",
            "height",
            "border",
            "cellpadding",
            "cellspacing",
            "align",
            "bgcolor",
        ],
    ),
    ("thead", &["align", "valign"]),
    ("tbody", &["align", "valign"]),
    ("tfoot", &["align", "valign"]),
    ("tr", &["align", "valign", "bgcolor", "height"]),
    (
        "td",
        &[
            "width", "height", "colspan", "rowspan", "align", "valign", "nowrap", "bgcolor",
        ],
    ),
    (
        "th",
        &[
            "width", "height", "colspan", "rowspan", "align", "valign", "nowrap", "bgcolor",
        ],
    ),
    ("caption", &["align"]),
    ("colgroup", &["span", "width", "align", "valign"]),
    ("col", &["span", "width", "align", "valign"]),
    ("p", &["align"]),
    ("div", &["align"]),
    ("h1", &["align"]),
    ("h2", &["align"]),
    ("h3", &["align"]),
    ("h4", &["align"]),
    ("h5", &["align"]),
    ("h6", &["align"]),
    ("hr", &["align", "width", "size", "noshade"]),
    ("ol", &["type", "start"]),
    ("ul", &["type"]),
    ("li", &["type", "value"]),
];

/// Attributes allowed per comment element; comments get no generic ones.
pub(super) const COMMENT_TAG_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    ("img", &["src", "alt", "width", "height"]),
];

/// CSS properties a post's inline `style` may keep (values are checked too,
/// see `css.rs`).
#[rustfmt::skip]
pub(super) const CSS_PROPERTIES: &[&str] = &[
    "color", "background-color",
    // Word and the Spaces editor highlight with `background: yellow`; the
    // value check rejects every function but rgb/hsl, so no image can ride in.
    "background",
    "font", "font-family", "font-size", "font-style", "font-variant", "font-weight",
    "text-align", "text-decoration", "text-transform", "letter-spacing", "word-spacing",
    "line-height",
    // Word paste indents first lines with it.
    "text-indent",
    // `<nobr>` becomes `white-space:nowrap`; poems laid out with spaces use it.
    "white-space",
    // Right-to-left blogs (Arabic, Hebrew markets) set it inline.
    "direction",
    "vertical-align", "list-style-type", "list-style-position",
    "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
    "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border", "border-top", "border-right", "border-bottom", "border-left",
    "border-width", "border-style", "border-color",
    "border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
    "border-top-style", "border-right-style", "border-bottom-style", "border-left-style",
    "border-top-color", "border-right-color", "border-bottom-color", "border-left-color",
    "border-collapse", "border-spacing",
    // Sizes and floats of photo boxes; `max-width` keeps wide pictures in the
    // theme's column. Deliberately absent: `position`, `display`,
    // `visibility`, `z-index`, `opacity`, `overflow` (overlays, hidden text)
    // and every property that takes a URL (`background-image`, `list-style-image`,
    // `cursor`, `content`, `behavior`, `-moz-binding`).
    "width", "height", "max-width", "float", "clear",
];

/// Elements removed together with everything inside them, in both modes.
///
/// Also handed to ammonia as `clean_content_tags`; none of these is in
/// [`POST_TAGS`] or [`COMMENT_TAGS`] (ammonia panics on such overlap, and a
/// test builds both policies).
#[rustfmt::skip]
pub(super) const DROP_WITH_CONTENT: &[&str] = &[
    // Script and style, and elements whose content is raw text or inert.
    "script", "style", "noscript", "template", "title", "noembed", "noframes",
    // Form controls (their content is a value or a label, not prose).
    "textarea", "select", "option", "optgroup", "datalist", "button", "input", "keygen", "output",
    // Document-level elements.
    "head", "meta", "link", "base", "basefont", "bgsound", "isindex", "frame", "frameset",
    // Media plumbing, foreign content, image maps, odd newcomers.
    "param", "source", "track", "canvas", "svg", "math", "area", "xml", "portal", "slot", "dialog",
    // Embeds: the walk replaces them (see EMBED_TAGS) before ammonia sees them.
    "iframe", "object", "embed", "applet", "video", "audio",
];

/// Elements that are (potential) media embeds: replaced by a URL or link.
pub(super) const EMBED_TAGS: &[&str] = &["iframe", "object", "embed", "applet", "video", "audio"];

/// What the walk does with one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    /// Keep it under this (possibly new) name.
    Keep(&'static str),
    /// `<font>`: becomes a styled `<span>`.
    Font,
    /// `<center>`: becomes `<div style="text-align:center">`.
    Center,
    /// `<nobr>`: becomes `<span style="white-space:nowrap">`.
    Nobr,
    /// A media embed: replaced by a URL paragraph or a plain link.
    Embed,
    /// Remove the element with its content.
    Drop,
    /// Remove the tag but keep its content, putting `Sep` in its place.
    Unwrap(Sep),
}

/// What an unwrapped element leaves behind so words do not run together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sep {
    /// Nothing (inline elements).
    None,
    /// A space (table cells flattened in comments).
    Space,
    /// A `<br>` (block elements flattened in comments).
    Break,
}

/// Block elements that are not kept as such: posts turn them into `<div>`,
/// comments into a line break.
#[rustfmt::skip]
const BLOCKISH: &[&str] = &[
    "address", "article", "aside", "section", "header", "footer", "nav", "main", "figure",
    "figcaption", "fieldset", "legend", "form", "details", "summary", "hgroup", "marquee",
    "search", "center", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl",
    "dt", "dd", "table", "tr", "caption", "blockquote", "pre", "xmp", "listing", "plaintext",
    "hr", "menu", "dir",
];

/// Decide what happens to an element named `name` (lower case, HTML
/// namespace) under `mode`.
pub(super) fn action(mode: Mode, name: &str) -> Action {
    if EMBED_TAGS.contains(&name) {
        return Action::Embed;
    }
    if DROP_WITH_CONTENT.contains(&name) || is_office_data(name) {
        return Action::Drop;
    }
    match mode {
        Mode::Post => post_action(name),
        Mode::Comment => {
            if let Some(t) = COMMENT_TAGS.iter().find(|t| **t == name) {
                Action::Keep(t)
            } else {
                Action::Unwrap(if BLOCKISH.contains(&name) {
                    Sep::Break
                } else if matches!(name, "td" | "th") {
                    Sep::Space
                } else {
                    Sep::None
                })
            }
        }
    }
}

fn post_action(name: &str) -> Action {
    if let Some(t) = POST_TAGS.iter().find(|t| **t == name) {
        return Action::Keep(t);
    }
    match name {
        "font" => Action::Font,
        "center" => Action::Center,
        "nobr" => Action::Nobr,
        "acronym" => Action::Keep("abbr"),
        // Raw-text "show this literally" elements: their content is one text
        // node, which the walk escapes, so a `pre` shows the same thing.
        "xmp" | "listing" | "plaintext" => Action::Keep("pre"),
        "dir" | "menu" => Action::Keep("ul"),
        _ if BLOCKISH.contains(&name) => Action::Keep("div"),
        _ => Action::Unwrap(Sep::None),
    }
}

/// Office/VML data islands (`<xml>`, `<xml:…>`, `<w:…>`, `<m:…>`, `<v:…>`)
/// carry no visible text worth keeping (style names, shape geometry); other
/// prefixed tags such as `<o:p>` and `<st1:place>` are unwrapped so their
/// text (often Word's `&nbsp;` blank line) stays.
fn is_office_data(name: &str) -> bool {
    name == "xml"
        || ["xml:", "w:", "m:", "v:"]
            .iter()
            .any(|p| name.starts_with(p))
}

/// Void elements among the kept ones (no closing tag, no children).
pub(super) fn is_void(name: &str) -> bool {
    matches!(name, "br" | "hr" | "img" | "col")
}

/// Kept elements that are removed again when removal left them with no
/// content (structural table/list elements are never pruned).
#[rustfmt::skip]
pub(super) fn prunable(name: &str) -> bool {
    const PRUNABLE: &[&str] = &[
        "p", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "a", "b", "strong",
        "i", "em", "u", "s", "strike", "del", "ins", "sub", "sup", "small", "big", "tt", "code",
        "q", "cite", "abbr", "kbd", "samp", "var",
    ];
    PRUNABLE.contains(&name)
}

/// Kept elements whose content is phrasing only: an embed inside one is
/// replaced by a URL on its own line rather than by a new `<p>`.
pub(super) fn is_phrasing_container(name: &str) -> bool {
    !matches!(
        name,
        "div"
            | "td"
            | "th"
            | "li"
            | "dd"
            | "dt"
            | "blockquote"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "ul"
            | "ol"
            | "dl"
            | "colgroup"
    )
}

/// Whether `attr` is allowed on kept element `tag` under `mode`.
pub(super) fn attr_allowed(mode: Mode, tag: &str, attr: &str) -> bool {
    let (generic, per_tag): (&[&str], &[(&str, &[&str])]) = match mode {
        Mode::Post => (POST_GENERIC_ATTRS, POST_TAG_ATTRS),
        Mode::Comment => (&[], COMMENT_TAG_ATTRS),
    };
    generic.contains(&attr)
        || per_tag
            .iter()
            .any(|(t, attrs)| *t == tag && attrs.contains(&attr))
}

/// URL schemes allowed in `href`/`src` (relative URLs pass through).
pub(super) const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// `rel` forced on every comment link.
pub(super) const COMMENT_LINK_REL: &str = "nofollow ugc";

fn set(items: &[&'static str]) -> HashSet<&'static str> {
    items.iter().copied().collect()
}

fn tag_attr_map(
    items: &[(&'static str, &'static [&'static str])],
) -> HashMap<&'static str, HashSet<&'static str>> {
    items.iter().map(|(t, a)| (*t, set(a))).collect()
}

/// Build the ammonia builder for `mode`.
pub(super) fn builder(mode: Mode) -> Builder<'static> {
    let mut b = Builder::empty();
    b.clean_content_tags(set(DROP_WITH_CONTENT))
        .generic_attribute_prefixes(HashSet::new())
        .url_schemes(set(URL_SCHEMES))
        .url_relative(UrlRelative::PassThrough)
        .strip_comments(true)
        .id_prefix(None);
    match mode {
        Mode::Post => {
            b.tags(set(POST_TAGS))
                .generic_attributes(set(POST_GENERIC_ATTRS))
                .tag_attributes(tag_attr_map(POST_TAG_ATTRS))
                .filter_style_properties(set(CSS_PROPERTIES))
                // `rel` is an allowed (filtered) attribute on post links, so
                // ammonia must not add its own.
                .link_rel(None)
                .attribute_filter(|el, attr, value| last_check(Mode::Post, el, attr, value));
        }
        Mode::Comment => {
            b.tags(set(COMMENT_TAGS))
                .generic_attributes(HashSet::new())
                .tag_attributes(tag_attr_map(COMMENT_TAG_ATTRS))
                // `rel` is not an allowed attribute here, so ammonia may set it.
                .link_rel(Some(COMMENT_LINK_REL))
                .attribute_filter(|el, attr, value| last_check(Mode::Comment, el, attr, value));
        }
    }
    b
}

/// ammonia's attribute filter: re-check URLs and styles with our own rules.
fn last_check<'u>(mode: Mode, el: &str, attr: &str, value: &'u str) -> Option<Cow<'u, str>> {
    if attr.starts_with("on") {
        return None;
    }
    match attr {
        "href" | "src" => {
            let refused = matches!(
                (classify(value).0, mode, el),
                (UrlClass::Bad(_), _, _)
                    | (UrlClass::Mailto, _, "img")
                    | (UrlClass::Relative, Mode::Comment, "a")
            );
            (!refused).then_some(Cow::Borrowed(value))
        }
        "style" => (mode == Mode::Post && css::is_safe(value)).then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}
