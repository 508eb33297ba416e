//! Raw HTML kept on disk between parsing and writing.
//!
//! Every entry must be read before any post can be written (posts are
//! ordered by date, merged across pages, numbered), but their HTML is only
//! needed again when each post is written. Parsed bodies and comments are
//! therefore appended to an unlinked temporary file and held as offsets, so
//! that HTML never piles up in memory; the rest of each entry waits in
//! [`super::records::Records`].

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::io;

use super::Store;
use crate::parse::dom::fold_space;

/// HTML text of a body or a comment: in memory as parsed, or moved into a
/// `Spool`. Where a stored text lies is the spool's business alone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Text(Repr);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Repr {
    /// Held in memory (as parsed, or when the spool could not write).
    Inline(String),
    /// Stored in the spool.
    Stored {
        /// Byte offset in the spool file.
        offset: u64,
        /// Length in bytes.
        len: u64,
        /// [`Text::fingerprint`] of the content, taken when it was stored.
        fingerprint: u64,
    },
}

impl Default for Text {
    fn default() -> Self {
        Text(Repr::Inline(String::new()))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(Repr::Inline(s))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(Repr::Inline(s.to_string()))
    }
}

impl Text {
    /// The content, read back from `spool` if it was stored there.
    ///
    /// Errors: the spool's temporary file cannot be read.
    pub fn read<'a>(&'a self, spool: &Spool) -> io::Result<Cow<'a, str>> {
        match &self.0 {
            Repr::Inline(s) => Ok(Cow::Borrowed(s)),
            Repr::Stored { offset, len, .. } => spool.read(*offset, *len).map(Cow::Owned),
        }
    }

    /// The content of a text not yet moved into a spool (as the parser
    /// hands it over).
    pub fn inline(&self) -> Option<&str> {
        match &self.0 {
            Repr::Inline(s) => Some(s),
            Repr::Stored { .. } => None,
        }
    }

    /// Hash of the content with white space folded: equal for the same
    /// comment found on two pages. Empty content hashes to 0.
    pub fn fingerprint(&self) -> u64 {
        match &self.0 {
            Repr::Inline(s) => fingerprint(s),
            Repr::Stored { fingerprint, .. } => *fingerprint,
        }
    }

    /// Is there no visible content (only white space)?
    pub fn is_blank(&self) -> bool {
        self.fingerprint() == 0
    }
}

fn fingerprint(s: &str) -> u64 {
    let folded = fold_space(s);
    if folded.is_empty() {
        return 0;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    folded.hash(&mut h);
    h.finish().max(1)
}

/// An append-only temporary file of texts, shared by all threads.
pub struct Spool {
    store: Store,
}

impl fmt::Debug for Spool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Spool")
    }
}

impl Default for Spool {
    fn default() -> Self {
        Self::new()
    }
}

impl Spool {
    /// A new spool in the system's temporary folder (removed on exit), or
    /// in memory when no temporary file can be made.
    pub fn new() -> Self {
        Spool {
            store: Store::new(),
        }
    }

    /// Move `text` into the spool; on a write error it stays in memory.
    pub fn store(&self, text: Text) -> Text {
        let Text(Repr::Inline(s)) = text else {
            return text;
        };
        if s.is_empty() {
            return Text::from(s);
        }
        match self.store.append(s.as_bytes()) {
            Ok(offset) => Text(Repr::Stored {
                offset,
                len: s.len() as u64,
                fingerprint: fingerprint(&s),
            }),
            Err(_) => Text::from(s),
        }
    }

    fn read(&self, offset: u64, len: u64) -> io::Result<String> {
        let mut buf = vec![0u8; usize::try_from(len).map_err(io::Error::other)?];
        self.store.read_at(&mut buf, offset)?;
        String::from_utf8(buf).map_err(io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip_from_many_threads() {
        let spool = Spool::new();
        let texts: Vec<String> = (0..200)
            .map(|i| format!("<p>今天 {i}</p>").repeat(i % 7 + 1))
            .collect();
        let stored: Vec<Text> = std::thread::scope(|s| {
            let handles: Vec<_> = texts
                .iter()
                .map(|t| s.spawn(|| spool.store(Text::from(t.as_str()))))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        for (t, s) in texts.iter().zip(&stored) {
            assert!(s.inline().is_none());
            assert_eq!(s.read(&spool).expect("read"), t.as_str());
            assert_eq!(s.fingerprint(), Text::from(t.as_str()).fingerprint());
        }
    }

    #[test]
    fn blank_and_fingerprints() {
        assert!(Text::from(" \n\u{a0}").is_blank());
        assert!(!Text::from("x").is_blank());
        let a = Text::from("<p>a  b</p>");
        let b = Text::from("<p>a b</p>\n");
        assert_eq!(a.fingerprint(), b.fingerprint());
        let beyond = Text(Repr::Stored {
            offset: 0,
            len: 1,
            fingerprint: 5,
        });
        assert!(beyond.read(&Spool::new()).is_err());
    }
}
