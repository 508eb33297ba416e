//! Write stage: the WXR file, the media bundle and the report, each written
//! atomically into the output folder.

pub mod atomic;
pub mod lock;
pub mod manifest;
pub mod outdir;
pub mod slug;
pub mod split;
pub mod write;
pub mod wxr;
pub mod xml;
