//! Raw HTML kept on disk between parsing and writing.
//!
//! Every entry must be read before any post can be written (posts are
//! ordered by date, merged across pages, numbered), but their HTML is only
//! needed again when each post is written. Parsed bodies and comments are
//! therefore appended to an unlinked temporary file and held as offsets, so
//! that HTML never piles up in memory; the rest of each entry waits in
//! [`crate::store::records`].

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::io;

use crate::parse::dom::fold_space;
use crate::store::records::Store;

/// HTML text of a body or a comment: in memory, or stored in a [`Spool`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Text {
    /// Held in memory (as parsed, or when no spool is used).
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
        Text::Inline(String::new())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Inline(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Inline(s.to_string())
    }
}

impl Text {
    /// The content; a stored text needs its spool.
    pub fn read<'a>(&'a self, spool: Option<&Spool>) -> io::Result<Cow<'a, str>> {
        match (self, spool) {
            (Text::Inline(s), _) => Ok(Cow::Borrowed(s)),
            (Text::Stored { offset, len, .. }, Some(sp)) => sp.read(*offset, *len).map(Cow::Owned),
            (Text::Stored { .. }, None) => {
                Err(io::Error::other("spooled text read without its spool"))
            }
        }
    }

    /// Hash of the content with white space folded: equal for the same
    /// comment found on two pages. Empty content hashes to 0.
    pub fn fingerprint(&self) -> u64 {
        match self {
            Text::Inline(s) => fingerprint(s),
            Text::Stored { fingerprint, .. } => *fingerprint,
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

impl Spool {
    /// A new spool in the system's temporary folder (removed on exit).
    pub fn new() -> io::Result<Self> {
        Ok(Spool {
            store: Store::file()?,
        })
    }

    /// Move `text` into the spool; on a write error it stays in memory.
    pub fn store(&self, text: Text) -> Text {
        let Text::Inline(s) = text else { return text };
        if s.is_empty() {
            return Text::Inline(s);
        }
        match self.store.append(s.as_bytes()) {
            Ok(offset) => Text::Stored {
                offset,
                len: s.len() as u64,
                fingerprint: fingerprint(&s),
            },
            Err(_) => Text::Inline(s),
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
        let spool = Spool::new().expect("spool");
        let texts: Vec<String> = (0..200)
            .map(|i| format!("<p>今天 {i}</p>").repeat(i % 7 + 1))
            .collect();
        let stored: Vec<Text> = std::thread::scope(|s| {
            let handles: Vec<_> = texts
                .iter()
                .map(|t| s.spawn(|| spool.store(Text::Inline(t.clone()))))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        for (t, s) in texts.iter().zip(&stored) {
            assert!(matches!(s, Text::Stored { .. }));
            assert_eq!(s.read(Some(&spool)).expect("read"), t.as_str());
            assert_eq!(s.fingerprint(), Text::Inline(t.clone()).fingerprint());
        }
    }

    #[test]
    fn blank_and_fingerprints() {
        assert!(Text::Inline(" \n\u{a0}".into()).is_blank());
        assert!(!Text::Inline("x".into()).is_blank());
        let a = Text::Inline("<p>a  b</p>".into());
        let b = Text::Inline("<p>a b</p>\n".into());
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert!(Text::Stored {
            offset: 0,
            len: 1,
            fingerprint: 5
        }
        .read(None)
        .is_err());
    }
}
