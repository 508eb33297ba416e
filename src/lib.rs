//! spaces2wxr: a Windows Live Spaces archive in, a WordPress import out.
//!
//! The pipeline, one module per stage, each handing plain data to the next:
//!
//! 1. [`source`]: the archive (zip or folder) as a list of files, read in
//!    place and streamed;
//! 2. [`parse`]: each page decoded and searched for entries by their DOM
//!    markers ([`model::RawEntry`]);
//! 3. [`transform`]: entries merged, dated, numbered, their links rewritten
//!    and their HTML sanitized ([`model::Post`]);
//! 4. [`output`]: the WXR 1.2 file and the media bundle, written atomically;
//! 5. [`report`]: what was converted, missing and changed.
//!
//! [`convert`] runs them all; [`inspect`] runs the reading ones and says
//! what a conversion would find, writing nothing. The library never reads
//! the command line: a [`Config`] says everything. Between stages, entries wait on disk
//! ([`spool`] for their HTML, [`records`] for the rest), so memory does not
//! grow with the archive's content.

pub mod check;
pub mod config;
pub mod convert;
pub mod error;
mod html;
pub mod inspect;
pub mod media;
pub mod model;
pub mod output;
pub mod parse;
pub mod plan;
mod platform;
pub mod progress;
pub mod render;
pub mod report;
pub mod source;
pub mod store;
mod web;

pub use config::Config;
pub use convert::{convert, convert_with};
pub use error::{Error, Result};
pub use inspect::{inspect, Inspection};
pub use report::{Report, Summary};
