//! The writing step of a run: posts are finished (links rewritten, HTML
//! sanitized) in parallel chunks and streamed into the WXR in order, so
//! finished posts are never all held at once; attachments follow.

use std::io::{self, Write};
use std::path::Path;

use rayon::prelude::*;

use super::media::{MediaOutcome, PostMedia};
use crate::account::{self, Books, MediaFate};
use crate::config::Config;
use crate::error::Result;
use crate::model::Post;
use crate::output::{atomic, wxr};
use crate::parse::ids;
use crate::records::Log;
use crate::report::{Change, PostLine, Warning};
use crate::spool::Spool;
use crate::transform::links::{self, Rewrite, UrlMap};
use crate::transform::sanitize::Sanitizer;
use crate::transform::{Plan, Planned, CHUNK};

/// Where the WXR is going.
pub struct Target<'a> {
    /// Space name (channel title, author, GUID prefix).
    pub space: &'a str,
    /// Space host, for the channel link.
    pub host: Option<&'a str>,
    /// Where the posts' raw HTML is.
    pub spool: Option<&'a Spool>,
}

/// What was written, for the report.
#[derive(Debug, Default)]
pub struct Written {
    /// One line per post, in file order.
    pub lines: Log<PostLine>,
    /// What sanitizing changed.
    pub changes: Log<Change>,
    /// Comments written.
    pub comments: usize,
    /// Distinct categories.
    pub categories: usize,
    /// XML-invalid characters removed.
    pub stripped: usize,
    /// The accounting of every post: what the pages showed, where it went.
    pub books: Books,
    /// Shortfalls the accounting could not explain, as warnings.
    pub losses: Log<Warning>,
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
            .or_else(|| crate::transform::cid_host(&target.owner))
            .unwrap_or_else(|| "spaces.live.com".into());
        Some(Rewrite::Set(format!(
            "https://web.archive.org/web/2011/http://{host}/blog/{target}.entry"
        )))
    }
}

/// Write the whole WXR file atomically.
pub fn write_wxr(
    cfg: &Config,
    path: &Path,
    t: &Target<'_>,
    plan: &Plan,
    media: &MediaOutcome,
    progress: &dyn crate::progress::Progress,
) -> Result<Written> {
    let categories = &plan.categories;
    let login = cfg
        .author
        .clone()
        .unwrap_or_else(|| super::author_login(t.space));
    let author = wxr::Author {
        login,
        display_name: t.space.to_string(),
    };
    let link = t.host.map(|h| format!("http://{h}/")).unwrap_or_default();
    let newest = plan.newest.unwrap_or_default();
    let channel = wxr::Channel {
        title: t.space,
        link: &link,
        base_url: cfg.site_url.trim_end_matches('/'),
        pub_date: cfg.generated_at.unwrap_or(newest),
        author: &author,
        categories,
    };
    let mut file = atomic::AtomicFile::create(path)?;
    let result = write_items(file.writer(), &channel, (t, plan, media), cfg, progress);
    let mut written = result.map_err(|e| file.error(e))?;
    file.commit()?;
    written.categories = categories.len();
    Ok(written)
}

fn write_items(
    out: &mut impl Write,
    channel: &wxr::Channel<'_>,
    (t, plan, media): (&Target<'_>, &Plan, &MediaOutcome),
    cfg: &Config,
    progress: &dyn crate::progress::Progress,
) -> io::Result<Written> {
    let (space, host, spool) = (t.space, t.host, t.spool);
    let sanitizer = Sanitizer::new();
    let site = cfg.site_url.trim_end_matches('/');
    let mut w = wxr::WxrWriter::start(out, channel)?;
    let mut written = Written::default();
    let mut post_media = media.posts.iter();
    for part in plan.keys.chunks(CHUNK) {
        let links: Vec<PostMedia> = post_media
            .by_ref()
            .take(part.len())
            .collect::<io::Result<_>>()?;
        if links.len() != part.len() {
            return Err(io::Error::other("media records do not match the posts"));
        }
        let done: Vec<Finished> = part
            .par_iter()
            .zip(&links)
            .map(|(k, pm)| {
                let map = LinkMap {
                    media: pm,
                    plan,
                    site,
                    drop_missing: cfg.drop_missing_images,
                    host,
                    keep_dead_links: cfg.keep_dead_links,
                };
                finish_one(plan.load(k)?, &map, &sanitizer, cfg, spool)
            })
            .collect::<io::Result<_>>()?;
        for Finished {
            post,
            changes,
            books,
            losses,
        } in done
        {
            written.books.add(&books);
            for l in &losses {
                written.losses.push(l)?;
            }
            w.post(&post, &format!("urn:wls:{space}:{}", post.spaces_id))?;
            written.comments += post.comments.len();
            written.lines.push(&post_line(&post))?;
            for c in &changes {
                written.changes.push(c)?;
            }
        }
        progress.advance(part.len() as u64);
    }
    for a in media.attachments.iter() {
        let mut a = a?;
        if let Some(alt) = media.late_alt.get(&a.wp_id) {
            a.alt.clone_from(alt);
        }
        w.attachment(&a, &a.url)?;
    }
    written.stripped = w.stripped;
    w.finish()?;
    Ok(written)
}

/// A post ready for the file, with what the report says about it.
struct Finished {
    post: Post,
    changes: Vec<Change>,
    books: Books,
    losses: Vec<Warning>,
}

/// Rewrite links, then sanitize the body and every comment; settle the
/// post's books against what its page showed.
fn finish_one(
    p: Planned,
    map: &LinkMap<'_>,
    sanitizer: &Sanitizer,
    cfg: &Config,
    spool: Option<&Spool>,
) -> io::Result<Finished> {
    let raw = p.body.read(spool)?;
    let (body, _) = links::rewrite_urls(&raw, map);
    let cleaned = sanitizer.clean_post(&body);
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
            drop_missing: cfg.drop_missing_images,
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
    post.original_html = cfg.keep_original.then(|| raw.into_owned());
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
    Ok(Finished {
        post,
        changes,
        books,
        losses,
    })
}

fn post_line(p: &Post) -> PostLine {
    PostLine {
        wp_id: p.wp_id,
        spaces_id: p.spaces_id.to_string(),
        title: p.title.clone(),
        date: wxr::wp_date(p.date),
        category: p.category.as_ref().map(|c| c.name.clone()),
        comments: p.comments.len(),
        source: p.source.clone(),
    }
}
