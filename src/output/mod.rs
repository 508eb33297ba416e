//! Output stage: the WXR file(s) and the report, each written
//! atomically into the output folder.

pub mod atomic;
pub mod lock;
pub mod manifest;
pub mod names;
pub mod outdir;
pub mod split;
pub mod write;
pub mod wxr;
pub mod xml;

use std::path::Path;

use crate::error::Result;

/// Write `report.json` or `summary.json` atomically, streaming its long
/// lists from disk.
pub(crate) fn write_json(path: &Path, report: &impl serde::Serialize) -> Result<()> {
    use std::io::Write;
    let mut file = atomic::AtomicFile::create(path)?;
    let w = file.writer();
    let written = serde_json::to_writer_pretty(&mut *w, report)
        .map_err(std::io::Error::from)
        .and_then(|()| w.write_all(b"\n"));
    written.map_err(|e| file.error(e))?;
    file.commit()?;
    Ok(())
}
