//! Progress of a run, for whoever shows it: the library says what stage it
//! is in and how far along, and knows nothing of terminals. The command
//! line implements [`Progress`] with progress bars; [`Silent`] shows
//! nothing.

/// A stage of a run that reports its progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and parsing the archive's pages (counted in files).
    Pages,
    /// Finding and copying the posts' images (counted in posts).
    Media,
    /// Writing the posts into the WXR (counted in posts).
    Posts,
}

impl Stage {
    /// A short label such as `pages read`.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Pages => "pages read",
            Stage::Media => "media copied (posts)",
            Stage::Posts => "posts written",
        }
    }
}

/// Receives a run's progress. Called from the run's main thread only, in
/// order: `begin`, any number of `advance`, `end`, for each stage (and
/// for each blog when the input holds several).
pub trait Progress: Sync {
    /// A stage starts with `total` units of work.
    fn begin(&self, stage: Stage, total: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
    /// The stage is over.
    fn end(&self);
}

/// Shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn begin(&self, _: Stage, _: u64) {}
    fn advance(&self, _: u64) {}
    fn end(&self) {}
}
