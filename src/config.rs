//! Plain settings of one conversion, built by the command line (or a test)
//! and read by every stage. No clap types here.

use std::path::PathBuf;

use chrono::NaiveDateTime;

use crate::parse::market::GivenZone;
use crate::source::Limits;

/// Everything a conversion needs to know; see the README for each option.
#[derive(Debug, Clone)]
pub struct Config {
    /// The archive: a `.zip` file or an extracted folder.
    pub input: PathBuf,
    /// The output folder.
    pub out_dir: PathBuf,
    /// Replace the outputs of an earlier run in a non-empty `out_dir`
    /// (exactly the files its manifest lists).
    pub force: bool,
    /// With `force`, also delete an `out_dir/media` folder that the tool
    /// did not write (or that holds files it did not write).
    pub replace_media: bool,
    /// URL of the WordPress site the WXR is meant for (no trailing slash).
    /// Internal links between posts are rewritten to `{site_url}/?name=SLUG`.
    pub site_url: String,
    /// URL under which `out_dir/media/` will be served during the import
    /// (no trailing slash).
    pub media_url: String,
    /// Time zone the blog's wall-clock dates were written in, as the user
    /// gave it; `None` reads it from the markets and languages each blog's
    /// pages name (see [`crate::parse::market::choose`]), else UTC.
    pub timezone: Option<GivenZone>,
    /// WordPress login the posts are attributed to; `None` derives one from
    /// the space name.
    pub author: Option<String>,
    /// Moment the archive was saved, for relative comment dates such as
    /// `4 hours ago`; `None` uses each file's modification time.
    pub crawl_date: Option<NaiveDateTime>,
    /// Forced code page for zip entry names without the UTF-8 flag.
    pub zip_encoding: Option<crate::source::names::NameCodec>,
    /// Store each unsanitized body in a `_wls_original_html` postmeta.
    pub keep_original: bool,
    /// Drop `<img>` elements whose file is not in the archive instead of
    /// keeping their original (dead) link.
    pub drop_missing_images: bool,
    /// Keep links to Spaces entries the archive does not hold as they are,
    /// instead of pointing them at their Internet Archive copy.
    pub keep_dead_links: bool,
    /// Caps on file sizes, total size, compression ratio and entry count.
    pub limits: Limits,
    /// A second input (a folder of downloaded images, in any layout the
    /// main input may have) consulted for images the archive lacks.
    pub media_from: Option<PathBuf>,
    /// The time written into the WXR channel's `pubDate`. Pinned by tests so
    /// that output is byte-identical; the CLI uses the newest date of the
    /// archive, never the clock, for the same reason.
    pub generated_at: Option<NaiveDateTime>,
}

impl Config {
    /// Settings with the documented defaults for `input` and `out_dir`.
    pub fn new(input: impl Into<PathBuf>, out_dir: impl Into<PathBuf>) -> Self {
        Config {
            input: input.into(),
            out_dir: out_dir.into(),
            force: false,
            replace_media: false,
            site_url: DEFAULT_SITE_URL.to_string(),
            media_url: format!("{DEFAULT_SITE_URL}/{DEFAULT_MEDIA_PATH}"),
            timezone: None,
            author: None,
            crawl_date: None,
            zip_encoding: None,
            keep_original: false,
            drop_missing_images: false,
            keep_dead_links: false,
            limits: Limits::default(),
            media_from: None,
            generated_at: None,
        }
    }
}

/// Site URL of [`Config::new`], for tests and library callers that do not
/// care. The command line never uses it: `convert` requires `--site-url`,
/// so no output carries this address unless someone chose it.
pub const DEFAULT_SITE_URL: &str = "http://localhost";

/// Path under the site where the media bundle is expected by default.
pub const DEFAULT_MEDIA_PATH: &str = "spaces2wxr-media";
