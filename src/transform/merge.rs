//! One post per Spaces id.
//!
//! A crawler mirror often holds the same entry twice: on a list page and on
//! its own page (and a list page may be saved under several query strings).
//! The copies are merged field by field: the single-entry page wins, the
//! others fill what it lacks, and comments are united without duplicates.

use crate::model::{RawComment, RawEntry};
use crate::parse::dom::fold_space;
use crate::records::Records;
use crate::transform::keys::EntryKey;

/// One key per id: `keys` sorted by id (archive order among equal ids);
/// the copies of an entry found more than once are merged into a new record.
pub fn merge_stored(
    keys: Vec<EntryKey>,
    records: &Records<RawEntry>,
) -> std::io::Result<Vec<EntryKey>> {
    let mut out: Vec<EntryKey> = Vec::with_capacity(keys.len());
    for group in keys.chunk_by(|a, b| a.id == b.id) {
        if let [one] = group {
            out.push(*one);
            continue;
        }
        let copies = group
            .iter()
            .map(|k| records.get(k.rec))
            .collect::<std::io::Result<Vec<_>>>()?;
        out.push(EntryKey {
            id: group[0].id,
            rec: records.push(&merge_group(copies))?,
        });
    }
    Ok(out)
}

/// Merge the copies of one entry, given in archive order.
pub fn merge_group(mut group: Vec<RawEntry>) -> RawEntry {
    // Highest rank first; among equals the one with most comments.
    group.sort_by(|a, b| {
        b.rank
            .cmp(&a.rank)
            .then(b.comments.len().cmp(&a.comments.len()))
    });
    let mut it = group.into_iter();
    let mut main = it.next().expect("a group has at least one entry");
    for other in it {
        fill(
            &mut main.title,
            other.title.filter(|t| !t.trim().is_empty()),
        );
        fill(&mut main.date_text, other.date_text);
        fill(&mut main.time_text, other.time_text);
        fill(&mut main.category, other.category);
        fill(&mut main.permalink, other.permalink);
        fill(&mut main.saved_at, other.saved_at);
        fill(&mut main.crawled_utc, other.crawled_utc);
        if main.body.is_blank() {
            main.body = other.body;
        }
        main.declared_comments = main.declared_comments.max(other.declared_comments);
        main.more_comments_link |= other.more_comments_link;
        add_comments(&mut main.comments, other.comments);
    }
    main
}

fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// Append the comments of `more` that `have` does not hold yet.
fn add_comments(have: &mut Vec<RawComment>, more: Vec<RawComment>) {
    let key = |c: &RawComment| (fold_space(&c.author), c.html.fingerprint());
    for c in more {
        let k = key(&c);
        if !have.iter().any(|h| key(h) == k) {
            have.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::ids::SpacesId;
    use crate::transform::keys::Entries;

    fn entry(n: u64, rank: u8, title: Option<&str>, comments: &[&str]) -> RawEntry {
        RawEntry {
            id: SpacesId {
                owner: "D2C0FFEE12345678".into(),
                number: n,
            },
            rank,
            title: title.map(Into::into),
            comments: comments
                .iter()
                .map(|t| RawComment {
                    author: "a".into(),
                    html: (*t).into(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn entry_page_wins_and_comments_are_united() {
        let list = RawEntry {
            category: Some("Travel".into()),
            ..entry(1, 1, Some("List title"), &["one", "two"])
        };
        let single = entry(1, 2, Some("Entry title"), &["two", "three"]);
        let entries = Entries::from_list(&[list, entry(2, 1, None, &[]), single]);
        let mut keys = entries.keys.clone();
        keys.sort_by_key(|k| k.id);
        let merged: Vec<RawEntry> = merge_stored(keys, &entries.records)
            .expect("merge")
            .iter()
            .map(|k| entries.records.get(k.rec).expect("record"))
            .collect();
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].title.as_deref(), Some("Entry title"));
        assert_eq!(merged[0].category.as_deref(), Some("Travel"));
        let texts: Vec<_> = merged[0]
            .comments
            .iter()
            .map(|c| c.html.read(None).expect("inline").into_owned())
            .collect();
        assert_eq!(texts, ["two", "three", "one"]);
        assert_eq!(merged[1].id.number, 2);
    }
}
