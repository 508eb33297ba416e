//! The WXR file of a space, streamed: channel, author and categories,
//! then each rendered post as it arrives, then the attachments; written
//! atomically. With `--max-wxr-size` the same items go into numbered parts
//! instead ([`super::split`]).

use std::io::{self, Write};
use std::path::Path;

use crate::config::Config;
use crate::error::Result;
use crate::media::MediaOutcome;
use crate::model::Post;
use crate::output::{atomic, names, wxr};
use crate::plan::Plan;
use crate::render::Rendered;
use crate::report::account::Books;
use crate::report::{Change, PostLine, Warning, WarningKind};
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
    /// The WXR files written, in the order to import them (names in the
    /// folder written to): one, or the parts of a split export.
    pub files: Vec<String>,
    /// Whether the export was split into parts (`--max-wxr-size`).
    pub split: bool,
    /// Warnings about the files' sizes (`large-wxr`, `oversized-post`).
    pub size_warnings: Vec<Warning>,
}

/// Size over which a single WXR gets a `large-wxr` warning: PHP's default
/// `upload_max_filesize` (2M, which PHP reads as 2 MiB).
pub const LARGE_WXR: u64 = 2 << 20;

/// Write the WXR file `dir/<stem>.xml` atomically or, with
/// `cfg.max_wxr_size`, its parts `dir/<stem>.001.xml`, … (see
/// [`super::split`]).
///
/// `posts` are the rendered posts in file order, a chunk at a time; the
/// attachments of `media` follow them.
///
/// Errors: a file cannot be written, or a post or record cannot be read
/// back from the run's temporary files; the file is then not left behind.
pub fn write_wxr(
    cfg: &Config,
    dir: &Path,
    stem: &str,
    t: &Target<'_>,
    plan: &Plan,
    posts: impl Iterator<Item = io::Result<Vec<Rendered>>>,
    media: &MediaOutcome,
) -> Result<Written> {
    let categories = &plan.categories;
    let login = cfg
        .author
        .clone()
        .unwrap_or_else(|| names::author_login(t.space));
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
    if let Some(max) = cfg.max_wxr_size {
        let mut written =
            super::split::write_parts(dir, stem, &channel, t.space, max.0, posts, media)?;
        written.categories = categories.len();
        return Ok(written);
    }
    let name = format!("{stem}.xml");
    let path = dir.join(&name);
    let mut file = atomic::AtomicFile::create(&path)?;
    let result = write_items(file.writer(), &channel, t.space, posts, media);
    let mut written = result.map_err(|e| file.error(e))?;
    file.commit()?;
    written.categories = categories.len();
    let size = std::fs::metadata(&path)
        .map_err(|e| crate::error::Error::write(&path, e))?
        .len();
    if size > LARGE_WXR {
        let msg = format!(
            "the WXR file is {size} bytes, over 2 MiB, the upload limit of a default PHP \
             (upload_max_filesize = 2M); if the importer refuses it, convert again with \
             --max-wxr-size 2M to split it into parts of at most 2 MiB, imported in order"
        );
        written
            .size_warnings
            .push(Warning::file(&name, WarningKind::LargeWxr, msg));
    }
    written.files.push(name);
    Ok(written)
}

/// Record one rendered post's accounting, report line and changes.
pub(super) fn account(
    written: &mut Written,
    post: &Post,
    changes: &[Change],
    books: &Books,
    losses: &[Warning],
) -> io::Result<()> {
    written.books.add(books);
    for l in losses {
        written.losses.push(l)?;
    }
    written.comments += post.comments.len();
    written.lines.push(&post_line(post))?;
    for c in changes {
        written.changes.push(c)?;
    }
    Ok(())
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
            w.post(&post, &guid(space, &post))?;
            account(&mut written, &post, &changes, &books, &losses)?;
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

/// The GUID of a post: `urn:wls:<space>:<entry id>`.
pub(super) fn guid(space: &str, p: &Post) -> String {
    format!("urn:wls:{space}:{}", p.spaces_id)
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
