//! Render stage, sanitizer: post and comment HTML made safe, with the
//! render stage's URL map applied in the same walk.
//!
//! Imported posts go live unfiltered (WordPress admins have `unfiltered_html`)
//! and comments were written by strangers, so this module is the security
//! boundary of the converter.  Two policies exist: [`Sanitizer::clean_post`]
//! keeps the owner's formatting, [`Sanitizer::clean_comment`] keeps little more
//! than text, links and emoticons.
//!
//! How one fragment is cleaned:
//!
//! 1. It is parsed once with html5ever (through `scraper`), exactly as a
//!    browser would parse it inside `<body>`; no regular expression ever looks
//!    at markup.
//! 2. A walk over the tree (an explicit stack, no recursion) writes new HTML:
//!    allowed elements with allowed, value-checked attributes; `<font>` becomes
//!    a styled `<span>`, `<center>` a centred `<div>`; video embeds become a
//!    URL paragraph or a plain link; Spaces chrome, Word debris, comments and
//!    dangerous elements (with their content) go away; elements that removal
//!    left empty go too.  Everything dropped is counted in [`Removed`].
//! 3. ammonia re-cleans that output with the same allow-lists (see
//!    `policy.rs`) as the last line of defence and forces `rel` on comment
//!    links.
//!
//! Decisions (see the submodules for the lists themselves):
//!
//! * `<center>` becomes `<div style="text-align:center">`: `center` is
//!   obsolete, the block editor and themes understand `text-align`, and tables
//!   directly inside it get `align="center"` because `text-align` alone would
//!   not centre them as `<center>` did.
//! * Empty elements: an element is dropped only when *removal* emptied it
//!   (something inside it was removed and only whitespace is left).  The
//!   author's own `<p>&nbsp;</p>` spacer lines (the Spaces editor's and Word's
//!   way of writing a blank line) stay.
//! * `data:` URLs are removed everywhere, `data:image` included: Spaces-era
//!   editors never produced them (IE 6/7 could not show them), `data:image/svg+xml`
//!   can carry script when opened on its own, and the media stage could not
//!   fetch, hash or dedupe them anyway.
//! * SVG and MathML are dropped with their content: Spaces bodies never held
//!   any, and foreign content is where parser-differential attacks live.
//! * Post links keep `target` only when it is `_blank` (the Spaces photo
//!   tables open the full-size picture that way) and then get
//!   `rel="noopener"`.
//! * Unknown embeds with an http(s) URL become a plain link; ones without such
//!   a URL are removed, counted under `tag:NAME` (and `url:SCHEME`) and not
//!   listed in [`Cleaned::embeds`].

use std::collections::BTreeMap;

mod attrs;
mod css;
mod embed;
mod policy;
mod url;
mod walk;

#[cfg(test)]
mod tests;

use policy::Mode;

/// Counts of what a sanitizing pass removed or changed, by a short key such as `tag:script`, `attr:onclick`, `url:javascript`, `comment`, `style:mso-*`, `chrome:sendMessage`, `embed:youtube`, `font->span`.
///
/// Other keys: `style:NAME` (property not allowed), `style:unsafe-value`,
/// `style:invalid`, `rel:WLPP`, `rel:other`, `chrome:BlogIt`,
/// `chrome:ownerEdit`, `chrome:bvMsg`, `chrome:separator`, `embed:vimeo`,
/// `embed:dailymotion`, `embed:msn`, `embed:other`, `center->div`,
/// `nobr->span`, `empty:TAG` (element emptied by removal), `depth-cap`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed(pub BTreeMap<String, u32>);

impl Removed {
    /// True when nothing was removed or changed.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|n| *n == 0)
    }

    /// Sum of all counts.
    pub fn total(&self) -> u32 {
        self.0.values().fold(0u32, |a, n| a.saturating_add(*n))
    }

    /// Add every count of `other` to `self`.
    pub fn merge(&mut self, other: &Removed) {
        for (k, n) in &other.0 {
            let e = self.0.entry(k.clone()).or_insert(0);
            *e = e.saturating_add(*n);
        }
    }

    /// Count one occurrence of `key`.
    fn add(&mut self, key: &str) {
        let e = self.0.entry(key.to_string()).or_insert(0);
        *e = e.saturating_add(1);
    }

    /// The count for `key` (0 when absent).
    #[cfg(test)]
    fn get(&self, key: &str) -> u32 {
        self.0.get(key).copied().unwrap_or(0)
    }
}

/// [`Removed`] plus a running total, so the walk can ask "did anything go
/// since this element opened?" in O(1) per element.
#[derive(Debug, Default)]
struct Tally {
    removed: Removed,
    total: u32,
}

impl Tally {
    /// Count one occurrence of `key`.
    fn add(&mut self, key: &str) {
        self.removed.add(key);
        self.total = self.total.saturating_add(1);
    }
}

/// A recognised video embed that was replaced.
///
/// Unknown embeds that became a plain link are listed too, with
/// `recognised: false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// For a recognised embed the canonical page URL WordPress can embed
    /// (`https://www.youtube.com/watch?v=ID`, `https://vimeo.com/N`, …);
    /// otherwise the embed's own http(s) URL.
    pub url: String,
    /// `youtube`, `vimeo`, `dailymotion`, `msn` (MSN Video / Soapbox), or the
    /// host name for anything else.
    pub provider: String,
    /// Whether WordPress can turn `url` into a player by itself.
    pub recognised: bool,
}

/// Result of sanitizing one HTML fragment.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    /// The safe HTML.
    pub html: String,
    /// What was removed or changed.
    pub removed: Removed,
    /// Embeds replaced by a URL or a link, in document order.
    pub embeds: Vec<Embed>,
}

/// What to do with one URL attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rewrite {
    /// Give the attribute this value (it is then checked like any other).
    Set(String),
    /// Remove the whole element (an image that is gone, on request).
    Drop,
}

/// Decides the fate of one `href` or `src`; `None` keeps it as it is.
pub trait UrlMap: Sync {
    /// `tag` is the element name, `attr` the attribute name, `url` the value
    /// as written.
    fn map(&self, tag: &str, attr: &str, url: &str) -> Option<Rewrite>;
}

impl<F: Fn(&str, &str, &str) -> Option<Rewrite> + Sync> UrlMap for F {
    fn map(&self, tag: &str, attr: &str, url: &str) -> Option<Rewrite> {
        self(tag, attr, url)
    }
}

/// The two policies, built once and shared by all rayon threads (must be Send + Sync; add a test asserting it).
pub struct Sanitizer {
    post: ammonia::Builder<'static>,
    comment: ammonia::Builder<'static>,
}

impl Sanitizer {
    /// Build both policies.
    pub fn new() -> Self {
        Sanitizer {
            post: policy::builder(Mode::Post),
            comment: policy::builder(Mode::Comment),
        }
    }

    /// Post bodies: keep the author's formatting.
    pub fn clean_post(&self, html: &str) -> Cleaned {
        self.clean(Mode::Post, html, None)
    }

    /// Post bodies, with `href` and `src` values chosen by `map` (links to
    /// other posts, bundled images) in the same walk.
    pub fn clean_post_with(&self, html: &str, map: &dyn UrlMap) -> Cleaned {
        self.clean(Mode::Post, html, Some(map))
    }

    /// Third-party comments: strict.
    pub fn clean_comment(&self, html: &str) -> Cleaned {
        self.clean(Mode::Comment, html, None)
    }

    fn clean(&self, mode: Mode, html: &str, map: Option<&dyn UrlMap>) -> Cleaned {
        let walked = walk::walk(mode, html, map);
        let builder = match mode {
            Mode::Post => &self.post,
            Mode::Comment => &self.comment,
        };
        Cleaned {
            html: builder.clean(&walked.html).to_string(),
            removed: walked.removed,
            embeds: walked.embeds,
        }
    }
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Sanitizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sanitizer").finish_non_exhaustive()
    }
}
