//! On-disk storage between stages: entries, plans and HTML wait in an
//! unlinked temporary file (in memory when no temporary folder is usable),
//! so memory does not grow with the archive's content.

pub mod records;
pub mod text;
