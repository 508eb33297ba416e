//! Write stage: the WXR file, the media bundle and the report, each written
//! atomically into the output folder.

pub mod atomic;
pub mod bundle;
pub mod slug;
pub mod wxr;
pub mod xml;
