//! Typed records on disk: what a run learns per entry, per post and per
//! report line, kept out of memory until it is needed again.
//!
//! An archive can hold tens of thousands of entries; their titles, dates,
//! comment authors and report lines would otherwise stay in memory for the
//! whole run. [`Records`] appends serialized values to an unlinked
//! temporary file and hands back a small [`RecRef`]; [`Log`] is an
//! append-only sequence read back in order (report lines). Without a usable
//! temporary folder both fall back to a buffer in memory, so a run still
//! works, only without the memory bound.

use std::fmt;
use std::io;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Serialize, Serializer};

use super::Store;

/// Where one record is: byte offset of its length prefix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecRef(u64);

/// Bytes of the length prefix of every record.
const PREFIX: usize = 4;

/// Bytes read at once for a record: enough for most, so that one system
/// call fetches both the prefix and the value.
const FIRST_READ: usize = 2048;

/// Values of type `T` on disk, each reached through its [`RecRef`].
/// Appending is safe from many threads at once.
pub struct Records<T> {
    store: Store,
    _type: PhantomData<fn(T) -> T>,
}

impl<T> fmt::Debug for Records<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Records({} bytes)", self.store.len())
    }
}

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records {
            store: Store::new(),
            _type: PhantomData,
        }
    }
}

impl<T: Serialize + DeserializeOwned> Records<T> {
    /// A new, empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Store `value`.
    pub fn push(&self, value: &T) -> io::Result<RecRef> {
        let mut bytes = postcard::to_extend(value, vec![0u8; PREFIX]).map_err(io::Error::other)?;
        let len = u32::try_from(bytes.len() - PREFIX).map_err(io::Error::other)?;
        bytes[..PREFIX].copy_from_slice(&len.to_le_bytes());
        self.store.append(&bytes).map(RecRef)
    }

    /// The value stored at `at`.
    pub fn get(&self, at: RecRef) -> io::Result<T> {
        self.read(at).map(|(value, _)| value)
    }

    /// The value stored at `at`, and the offset of the next record. Most
    /// records are small: one read takes the prefix and the value.
    fn read(&self, at: RecRef) -> io::Result<(T, u64)> {
        let mut buf = vec![0u8; FIRST_READ];
        let got = self.store.read_up_to(&mut buf, at.0)?;
        if got < PREFIX {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let mut prefix = [0u8; PREFIX];
        prefix.copy_from_slice(&buf[..PREFIX]);
        let total = PREFIX + u32::from_le_bytes(prefix) as usize;
        buf.resize(total, 0);
        if got < total {
            self.store.read_at(&mut buf[got..], at.0 + got as u64)?;
        }
        let value = postcard::from_bytes(&buf[PREFIX..]).map_err(io::Error::other)?;
        Ok((value, at.0 + total as u64))
    }

    /// Every value in the order it was stored.
    fn iter(&self) -> impl Iterator<Item = io::Result<T>> + '_ {
        let end = self.store.len();
        let mut at = 0u64;
        std::iter::from_fn(move || {
            if at >= end {
                return None;
            }
            Some(match self.read(RecRef(at)) {
                Ok((value, next)) => {
                    at = next;
                    Ok(value)
                }
                Err(e) => {
                    at = end;
                    Err(e)
                }
            })
        })
    }
}

/// An append-only list kept on disk, read back in order: report lines,
/// warnings, attachment items. Only its length is held in memory.
pub struct Log<T> {
    records: Records<T>,
    len: usize,
}

impl<T> fmt::Debug for Log<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Log({} items)", self.len)
    }
}

impl<T> Default for Log<T> {
    fn default() -> Self {
        Log {
            records: Records::default(),
            len: 0,
        }
    }
}

impl<T: Serialize + DeserializeOwned> Log<T> {
    /// A new, empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Append one item.
    pub fn push(&mut self, item: &T) -> io::Result<()> {
        self.records.push(item)?;
        self.len += 1;
        Ok(())
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Is the list empty?
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The items in order.
    pub fn iter(&self) -> impl Iterator<Item = io::Result<T>> + '_ {
        self.records.iter()
    }

    /// The items in order, read into memory.
    #[cfg(test)]
    pub fn to_vec(&self) -> io::Result<Vec<T>> {
        self.iter().collect()
    }
}

impl<T: Serialize + DeserializeOwned> Serialize for Log<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len))?;
        for item in self.iter() {
            seq.serialize_element(&item.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// Run `work` on every item, in parallel a chunk at a time, and hand the
/// results to `sink` in the items' order. Only one chunk of results is held
/// at once; the first error stops the run.
pub fn in_order<I, U, E>(
    items: &[I],
    chunk: usize,
    work: impl Fn(&I) -> Result<U, E> + Sync,
    mut sink: impl FnMut(&I, U) -> Result<(), E>,
) -> Result<(), E>
where
    I: Sync,
    U: Send,
    E: Send,
{
    use rayon::prelude::*;
    for part in items.chunks(chunk.max(1)) {
        let done: Vec<U> = part.par_iter().map(&work).collect::<Result<_, E>>()?;
        for (item, u) in part.iter().zip(done) {
            sink(item, u)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Item {
        title: String,
        when: Option<chrono::NaiveDateTime>,
        tags: Vec<String>,
    }

    fn item(i: usize) -> Item {
        Item {
            title: format!("台北 {i} ]]> \u{0}"),
            when: chrono::NaiveDate::from_ymd_opt(2009, 1 + (i % 12) as u32, 1)
                .and_then(|d| d.and_hms_opt(12, 0, 0)),
            tags: vec!["a".repeat(i % 5); i % 3],
        }
    }

    #[test]
    fn records_round_trip_from_many_threads() {
        let records = Records::new();
        let refs: Vec<RecRef> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..100)
                .map(|i| {
                    let r = &records;
                    s.spawn(move || r.push(&item(i)).expect("push"))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        for (i, r) in refs.iter().enumerate().rev() {
            assert_eq!(records.get(*r).expect("get"), item(i));
        }
    }

    #[test]
    fn records_larger_than_the_first_read_round_trip() {
        let big = |i: usize| Item {
            title: "長".repeat(FIRST_READ * i / 3 + i),
            when: None,
            tags: vec!["t".repeat(i * 100); i],
        };
        let records = Records::new();
        let refs: Vec<RecRef> = (0..6)
            .map(|i| records.push(&big(i)).expect("push"))
            .collect();
        for (i, r) in refs.iter().enumerate() {
            assert_eq!(records.get(*r).expect("get"), big(i));
        }
        let mut log = Log::new();
        for i in (0..6).rev() {
            log.push(&big(i)).expect("push");
        }
        let back = log.to_vec().expect("read");
        assert_eq!(back, (0..6).rev().map(big).collect::<Vec<_>>());
    }

    #[test]
    fn memory_store_behaves_like_the_file() {
        let records: Records<Item> = Records {
            store: Store::Memory(std::sync::Mutex::new(Vec::new())),
            _type: PhantomData,
        };
        let a = records.push(&item(1)).expect("push");
        let b = records.push(&item(2)).expect("push");
        assert_eq!(records.get(b).expect("get"), item(2));
        assert_eq!(records.get(a).expect("get"), item(1));
        assert!(records.get(RecRef(10_000)).is_err());
    }

    #[test]
    fn in_order_keeps_order_and_stops_at_the_first_error() {
        let items: Vec<u32> = (0..1000).collect();
        let mut seen = Vec::new();
        in_order(
            &items,
            7,
            |i| Ok::<u32, String>(i * 2),
            |i, d| {
                seen.push((*i, d));
                Ok(())
            },
        )
        .expect("runs");
        assert_eq!(seen, items.iter().map(|i| (*i, i * 2)).collect::<Vec<_>>());
        let mut count = 0;
        let r = in_order(
            &items,
            10,
            |i| {
                if *i == 25 {
                    Err(format!("bad {i}"))
                } else {
                    Ok(*i)
                }
            },
            |_, _| {
                count += 1;
                Ok(())
            },
        );
        assert_eq!(r, Err("bad 25".to_string()));
        assert_eq!(count, 20, "chunks before the failing one were handed on");
    }

    #[test]
    fn log_keeps_order_and_serializes_as_a_list() {
        let mut log = Log::new();
        for i in 0..50 {
            log.push(&item(i)).expect("push");
        }
        assert_eq!(log.len(), 50);
        let back = log.to_vec().expect("read");
        assert_eq!(back, (0..50).map(item).collect::<Vec<_>>());
        let json = serde_json::to_value(&log).expect("json");
        assert_eq!(json.as_array().map(Vec::len), Some(50));
        assert_eq!(json[3]["title"], item(3).title);
        let empty: Log<Item> = Log::new();
        assert!(empty.is_empty());
        assert_eq!(serde_json::to_string(&empty).expect("json"), "[]");
    }
}
