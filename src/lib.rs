//! spaces2wxr: a Windows Live Spaces archive in, a WordPress import out.
//!
//! The pipeline, one module per stage, each owning its pass and handing
//! plain data (`model`) to the next; [`convert()`] runs them in this order:
//!
//! 1. `source`: the archive (zip or folder) as a list of files, read in
//!    place and streamed;
//! 2. `parse`: pages decoded, cut into entries by a streaming pass
//!    (`parse::split`), each entry parsed once (`parse::entry`): its body,
//!    comments, dates, and the URLs it references; `parse::pages` drives
//!    it over the archive and groups entries into spaces (blogs);
//! 3. `plan`: copies of an entry merged, dates settled (time zone, missing
//!    and relative dates), posts ordered, numbered and titled;
//! 4. `media`: image references resolved to archive files, copied,
//!    deduplicated and named into the bundle;
//! 5. `render`: each post's HTML in one walk: links to other posts and
//!    bundled images rewritten while it is sanitized, then ammonia;
//! 6. `output`: the WXR file streamed, the output folder changed all at
//!    once, with a manifest of what the tool wrote;
//! 7. `report`: what was converted, missing and changed, and the
//!    accounting of what every page showed.
//!
//! Several inputs, or an input holding several blogs, make a batch
//! (`batch`): each blog its own folder, converted in parallel, listed in
//! `summary.json`; `--shard K/N` keeps the blogs of one shard.
//!
//! Between stages, entries and texts wait on disk (`store`), so memory does
//! not grow with the archive's content. The library never reads the
//! command line: a [`Config`] says everything. [`inspect()`] runs the reading
//! stages and says what a conversion would find, writing nothing;
//! [`check_wxr`] checks any WXR against the importer's rules.
//!
//! The modules are private; what a caller may use is re-exported here. The
//! hidden [`internals`] module opens a few of them to the fuzz targets and
//! the property tests, and is not part of the API.

mod batch;
mod check;
mod config;
mod convert;
mod error;
mod html;
mod inspect;
mod media;
mod model;
mod output;
mod parse;
mod plan;
mod platform;
mod progress;
mod render;
mod report;
mod source;
mod store;
mod web;

pub use check::{check_wxr, CheckOptions, CheckReport, Finding, Severity};
pub use config::{ByteSize, ByteSizeError, Config, Shard, DEFAULT_MEDIA_PATH};
pub use convert::{convert, convert_with};
pub use error::{printable, Error, Result};
pub use inspect::{inspect, inspect_with, Inspection, SpaceInspection};
pub use output::outdir::{on_interrupt, Interrupted};
pub use parse::market::GivenZone;
pub use progress::{Progress, Stage};
pub use report::{missing_addresses, Report, Summary, Warning, WarningKind, Warnings};
pub use source::names::NameCodec;
pub use source::Limits;

/// Parts of the pipeline opened to the fuzz targets and property tests.
/// Not part of the API: it changes without notice.
#[doc(hidden)]
pub mod internals {
    pub use crate::model::{Category, Comment, Post};
    pub use crate::output::wxr;
    pub use crate::parse::dates;
    pub use crate::parse::ids::SpacesId;
    pub use crate::parse::{parse_file, PageKind};
    pub use crate::render::sanitize::Sanitizer;
    pub use crate::source::Archive;
    pub use crate::store::text::Text;
}
