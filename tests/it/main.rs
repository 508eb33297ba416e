//! The integration tests, one binary (memory tests apart: they install
//! their own allocator). Each module runs the real `spaces2wxr` binary on
//! `testdata/` or checks a public part of the library.

mod common;
mod util;

mod accounting;
mod albums;
mod batch;
mod broken_entries;
mod check;
mod cli;
mod consumers;
mod convert;
mod fieldcases;
mod golden;
mod hostile;
mod inspect;
#[cfg(unix)]
mod kill;
mod layouts;
mod links;
mod media;
#[cfg(unix)]
mod outdir;
mod props;
mod readme;
mod sanitize;
mod shapes;
mod spaces;
mod split;
mod talk;
mod warc;
mod wayback;
mod zones;
