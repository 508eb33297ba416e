//! The WXR file of a space, streamed: channel, author and categories,
//! then each rendered post as it arrives, then the attachments; written
//! atomically.

use std::io::{self, Write};
use std::path::Path;

use crate::config::Config;
use crate::error::Result;
use crate::media::MediaOutcome;
use crate::model::Post;
use crate::output::{atomic, slug, wxr};
use crate::plan::Plan;
use crate::render::Rendered;
use crate::report::account::Books;
use crate::report::{Change, PostLine, Warning};
use crate::store::records::Log;

/// Where the WXR is going.
pub struct Target<'a> {
    /// Space name (channel title, author, GUID prefix).
    pub space: &'a str,
    /// Space host, for the channel link.
    pub host: Option<&'a str>,
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

/// Write the whole WXR file atomically.
///
/// `posts` are the rendered posts in file order, a chunk at a time; the
/// attachments of `media` follow them.
///
/// Errors: the file cannot be written, or a post or record cannot be read
/// back from the run's temporary files; the file is then not left behind.
pub fn write_wxr(
    cfg: &Config,
    path: &Path,
    t: &Target<'_>,
    plan: &Plan,
    posts: impl Iterator<Item = io::Result<Vec<Rendered>>>,
    media: &MediaOutcome,
) -> Result<Written> {
    let categories = &plan.categories;
    let login = cfg
        .author
        .clone()
        .unwrap_or_else(|| slug::author_login(t.space));
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
    let result = write_items(file.writer(), &channel, t.space, posts, media);
    let mut written = result.map_err(|e| file.error(e))?;
    file.commit()?;
    written.categories = categories.len();
    Ok(written)
}

fn write_items(
    out: &mut impl Write,
    channel: &wxr::Channel<'_>,
    space: &str,
    posts: impl Iterator<Item = io::Result<Vec<Rendered>>>,
    media: &MediaOutcome,
) -> io::Result<Written> {
    let mut w = wxr::WxrWriter::start(out, channel)?;
    let mut written = Written::default();
    for chunk in posts {
        for Rendered {
            post,
            changes,
            books,
            losses,
        } in chunk?
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
