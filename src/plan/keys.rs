//! The little that stays in memory per entry while a run sorts, merges and
//! numbers them: an [`IdKey`] and where its record is. Everything else about
//! an entry waits on disk in [`Records`].

use std::collections::HashMap;

use crate::model::RawEntry;
use crate::parse::ids::SpacesId;
use crate::store::records::{RecRef, Records};

/// A Spaces id with its owner interned: 16 bytes instead of a string.
/// Once [`Owners::sort`] has run, keys order exactly as their ids do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdKey {
    /// Index of the owner in [`Owners`].
    pub owner: u32,
    /// The per-space counter.
    pub number: u64,
}

/// The distinct owners (CIDs) of an archive; there are very few.
#[derive(Debug, Default)]
pub struct Owners {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Owners {
    /// The key of `id`, adding its owner when new.
    pub fn intern(&mut self, id: &SpacesId) -> IdKey {
        let owner = match self.index.get(&id.owner) {
            Some(&o) => o,
            None => {
                let o = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
                self.names.push(id.owner.clone());
                self.index.insert(id.owner.clone(), o);
                o
            }
        };
        IdKey {
            owner,
            number: id.number,
        }
    }

    /// The owner ids as written, by index.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// How many owners there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// The key of `id`, if its owner is known.
    pub fn key(&self, id: &SpacesId) -> Option<IdKey> {
        Some(IdKey {
            owner: *self.index.get(&id.owner)?,
            number: id.number,
        })
    }

    /// Number the owners in name order, so that key order is id order;
    /// `keys` are renumbered to match.
    pub fn sort(&mut self, keys: &mut [EntryKey]) {
        let mut by_name: Vec<u32> = (0..self.names.len() as u32).collect();
        by_name.sort_by(|a, b| self.names[*a as usize].cmp(&self.names[*b as usize]));
        let mut new_of = vec![0u32; self.names.len()];
        for (new, old) in by_name.iter().enumerate() {
            new_of[*old as usize] = new as u32;
        }
        for k in keys.iter_mut() {
            k.id.owner = new_of[k.id.owner as usize];
        }
        self.names = by_name
            .iter()
            .map(|o| std::mem::take(&mut self.names[*o as usize]))
            .collect();
        self.index = self
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
    }
}

/// One entry as found on one page: its id and where the rest is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryKey {
    /// The entry's id.
    pub id: IdKey,
    /// Its [`RawEntry`] record.
    pub rec: RecRef,
}

/// Every entry of an archive, in archive order, with its records.
#[derive(Debug, Default)]
pub struct Entries {
    /// One key per entry found (the same id may appear on several pages).
    pub keys: Vec<EntryKey>,
    /// The entries themselves.
    pub records: Records<RawEntry>,
    /// Owners of the ids.
    pub owners: Owners,
}

impl Entries {
    /// Is there no entry?
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Entries from a list, in its order (for tests).
    #[cfg(test)]
    pub fn from_list(list: &[RawEntry]) -> Self {
        let mut out = Entries::default();
        for e in list {
            let rec = out.records.push(e).expect("store");
            let id = out.owners.intern(&e.id);
            out.keys.push(EntryKey { id, rec });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(owner: &str, number: u64) -> SpacesId {
        SpacesId {
            owner: owner.into(),
            number,
        }
    }

    #[test]
    fn sorted_keys_order_as_ids_do() {
        let ids = [id("FF00", 3), id("1p2abc", 9), id("AA11", 1), id("FF00", 1)];
        let list: Vec<RawEntry> = ids
            .iter()
            .map(|i| RawEntry {
                id: i.clone(),
                ..Default::default()
            })
            .collect();
        let mut entries = Entries::from_list(&list);
        entries.owners.sort(&mut entries.keys);
        let mut by_key: Vec<(IdKey, &SpacesId)> =
            entries.keys.iter().map(|k| k.id).zip(&ids).collect();
        by_key.sort();
        let mut by_id = ids.to_vec();
        by_id.sort();
        assert_eq!(
            by_key.iter().map(|(_, i)| (*i).clone()).collect::<Vec<_>>(),
            by_id
        );
        assert_eq!(
            entries.owners.key(&id("FF00", 7)).map(|k| k.number),
            Some(7)
        );
        assert_eq!(
            entries.owners.key(&id("FF00", 7)).map(|k| k.owner),
            entries.owners.key(&id("FF00", 1)).map(|k| k.owner)
        );
        assert_eq!(entries.owners.key(&id("0000", 1)), None);
    }
}
