//! Render stage: each planned post becomes the HTML that goes into the
//! WXR. One walk over the body gives `href` and `src` their new values
//! (other posts by slug, bundled images, Internet Archive copies) and keeps
//! the allowed subset ([`sanitize`]); ammonia then re-cleans it. Comments
//! get the strict policy. The post's books are settled against what its
//! page showed.
//!
//! Posts are rendered [`CHUNK`] at a time in parallel and handed on in file
//! order ([`Renderer::posts`]), so rendered posts are never all in memory.

pub mod sanitize;

use std::io;

use rayon::prelude::*;

use crate::config::Config;
use crate::media::{MediaOutcome, PostMedia};
use crate::model::Post;
use crate::parse::ids;
use crate::plan::{Plan, PlanKey, Planned, CHUNK};
use crate::report::account::{self, Books, MediaFate};
use crate::report::{Change, Warning};
use crate::store::text::Spool;
use sanitize::{Rewrite, Sanitizer, UrlMap};

/// Renders the posts of one plan.
pub struct Renderer<'a> {
    plan: &'a Plan,
    media: &'a MediaOutcome,
    spool: &'a Spool,
    sanitizer: Sanitizer,
    /// The site's URL, without a trailing slash.
    site: &'a str,
    /// The space's host, for the old address of a linked entry.
    host: Option<&'a str>,
    drop_missing: bool,
    keep_dead_links: bool,
    keep_original: bool,
}

impl<'a> Renderer<'a> {
    /// A renderer for `plan`'s posts, whose images `media` bundled, for a
    /// space on `host`.
    pub fn new(
        cfg: &'a Config,
        plan: &'a Plan,
        media: &'a MediaOutcome,
        host: Option<&'a str>,
        spool: &'a Spool,
    ) -> Self {
        Renderer {
            plan,
            media,
            spool,
            sanitizer: Sanitizer::new(),
            site: cfg.site_url.trim_end_matches('/'),
            host,
            drop_missing: cfg.drop_missing_images,
            keep_dead_links: cfg.keep_dead_links,
            keep_original: cfg.keep_original,
        }
    }

    /// Every post in file order, rendered a chunk at a time.
    ///
    /// Errors: a post or its media record cannot be read back from the
    /// run's temporary files.
    pub fn posts(&self) -> impl Iterator<Item = io::Result<Vec<Rendered>>> + '_ {
        let mut media = self.media.posts.iter();
        self.plan.keys.chunks(CHUNK).map(move |part| {
            let links: Vec<PostMedia> =
                media.by_ref().take(part.len()).collect::<io::Result<_>>()?;
            if links.len() != part.len() {
                return Err(io::Error::other("media records do not match the posts"));
            }
            part.par_iter()
                .zip(&links)
                .map(|(k, pm)| self.render(k, pm))
                .collect()
        })
    }

    fn render(&self, key: &PlanKey, media: &PostMedia) -> io::Result<Rendered> {
        let map = LinkMap {
            media,
            plan: self.plan,
            site: self.site,
            drop_missing: self.drop_missing,
            host: self.host,
            keep_dead_links: self.keep_dead_links,
        };
        render_one(self.plan.load(key)?, &map, self)
    }
}

impl MediaFate for PostMedia {
    fn bundled(&self, src: &str) -> Option<&str> {
        self.urls.get(src.trim()).map(String::as_str)
    }

    fn reported_missing(&self, src: &str) -> bool {
        self.missing.contains(src.trim())
    }
}

/// New URLs for one post's links: bundled images, other posts of the blog,
/// and (on request) removal of images the archive lacks.
struct LinkMap<'a> {
    media: &'a PostMedia,
    plan: &'a Plan,
    site: &'a str,
    drop_missing: bool,
    /// The space's host, for the old address of a linked entry.
    host: Option<&'a str>,
    keep_dead_links: bool,
}

impl UrlMap for LinkMap<'_> {
    fn map(&self, tag: &str, attr: &str, url: &str) -> Option<Rewrite> {
        let url = url.trim();
        if let Some(new) = self.media.urls.get(url) {
            return Some(Rewrite::Set(new.clone()));
        }
        if tag == "img" && self.drop_missing && self.media.missing.contains(url) {
            return Some(Rewrite::Drop);
        }
        let target = (attr == "href")
            .then(|| ids::entry_link_target(url))
            .flatten()?;
        // A slug that cannot be read back (a failing temporary file) leaves
        // the link as it was rather than sending it to the wrong place.
        match self.plan.slug(&target) {
            // By slug: the importer keeps it, and it finds the post on a
            // site that already has posts (a `?p=` id may be taken there).
            Ok(Some(slug)) => return Some(Rewrite::Set(format!("{}/?name={slug}", self.site))),
            Ok(None) => {}
            Err(_) => return None,
        }
        if self.keep_dead_links {
            return None;
        }
        // An entry the archive lacks: its Internet Archive copy, from the
        // entry's old permalink (its own host, the space's, or the owner's).
        let host = crate::parse::entry::space_host(url)
            .or(self.host.map(str::to_string))
            .or_else(|| ids::cid_host(&target.owner))
            .unwrap_or_else(|| "spaces.live.com".into());
        Some(Rewrite::Set(format!(
            "https://web.archive.org/web/2011/http://{host}/blog/{target}.entry"
        )))
    }
}

/// A post ready for the file, with what the report says about it.
pub struct Rendered {
    /// The post, its body and comments sanitized.
    pub post: Post,
    /// What sanitizing changed in the body and in each comment.
    pub changes: Vec<Change>,
    /// The post's books: what its page showed and where it went.
    pub books: Books,
    /// Shortfalls the books could not explain.
    pub losses: Vec<Warning>,
}

/// Rewrite links and sanitize the body in one walk, sanitize every
/// comment; settle the post's books against what its page showed.
fn render_one(p: Planned, map: &LinkMap<'_>, r: &Renderer<'_>) -> io::Result<Rendered> {
    let (sanitizer, spool) = (&r.sanitizer, r.spool);
    let raw = p.body.read(spool)?;
    let cleaned = sanitizer.clean_post_with(&raw, map);
    let mut post = p.post;
    let id = post.spaces_id.to_string();
    let landed = account::landed(&cleaned.html);
    let removed: Vec<&str> = cleaned.removed.0.keys().map(String::as_str).collect();
    let (books, losses) = account::reconcile(
        &p.shown,
        &account::Written {
            entry: &id,
            file: &post.source,
            landed: &landed,
            embeds_replaced: cleaned.embeds.len(),
            removed: &removed,
            drop_missing: r.drop_missing,
            comments: post.comments.len(),
            declared: p.declared_comments,
        },
        map.media,
    );
    let mut changes = Vec::new();
    if !cleaned.removed.is_empty() {
        changes.push(Change {
            post: id.clone(),
            comment: None,
            removed: cleaned.removed.0,
        });
    }
    post.original_html = r.keep_original.then(|| raw.into_owned());
    post.html = cleaned.html;
    for (k, (c, raw)) in post.comments.iter_mut().zip(&p.comment_html).enumerate() {
        let cleaned = sanitizer.clean_comment(&raw.read(spool)?);
        if !cleaned.removed.is_empty() {
            changes.push(Change {
                post: id.clone(),
                comment: Some(k + 1),
                removed: cleaned.removed.0,
            });
        }
        c.html = cleaned.html;
    }
    Ok(Rendered {
        post,
        changes,
        books,
        losses,
    })
}
