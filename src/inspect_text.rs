//! `spaces2wxr inspect` as text for a terminal: one block for the input,
//! one per blog, each a column of labels and values.

use std::fmt::Write as _;

use spaces2wxr::printable;
use spaces2wxr::Warnings;
use spaces2wxr::{Inspection, SpaceInspection};

/// Width of the label column.
const LABEL: usize = 12;

/// Warnings listed one by one (all of them with `--verbose`).
const SHOWN: usize = 10;

/// The inspection as a compact table.
pub fn table(i: &Inspection, verbose: bool) -> String {
    let mut out = String::new();
    let row = |out: &mut String, label: &str, value: &str| {
        let _ = writeln!(out, "{label:<LABEL$} {value}");
    };
    row(
        &mut out,
        "input",
        &format!("{} ({})", printable(&i.input), i.layout.container),
    );
    let layout = if i.layout.kinds.is_empty() {
        "no known layout by its file names (entries are found by content anyway)".to_string()
    } else {
        i.layout
            .kinds
            .iter()
            .map(|k| format!("{} ({})", k.kind.describe(), printable(&k.evidence)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    row(&mut out, "layout", &layout);
    let mut files = format!(
        "{}: {} with entries ({}), {}, {}",
        count(i.files, "file"),
        count(i.pages_with_entries, "page"),
        count(i.entries_found, "entry"),
        count(i.ignored_pages, "other HTML page"),
        count(i.feed_items, "feed item")
    );
    if let Some(z) = &i.zip_names {
        let _ = write!(files, "; zip names read as {z}");
    }
    row(&mut out, "files", &files);
    let enc: Vec<String> = i
        .encodings
        .iter()
        .map(|(e, n)| format!("{e} {n}"))
        .collect();
    row(&mut out, "encodings", &enc.join(", "));
    warnings(&mut out, &i.warnings, verbose);
    for s in &i.spaces {
        out.push('\n');
        space(&mut out, s, verbose);
    }
    out.push_str("\nNothing was written. `spaces2wxr convert` makes these posts.\n");
    out
}

fn space(out: &mut String, s: &SpaceInspection, verbose: bool) {
    let row = |out: &mut String, label: &str, value: &str| {
        let _ = writeln!(out, "{label:<LABEL$} {value}");
    };
    let name = match &s.host {
        Some(h) => format!("{} ({h})", s.space),
        None => format!("{} (owner {})", s.space, s.owners.join(", ")),
    };
    row(out, "space", &name);
    let dates = s
        .dates
        .as_ref()
        .map(|d| format!(", {} to {}", d.first, d.last))
        .unwrap_or_default();
    row(
        out,
        "posts",
        &format!("{} from {}{dates}", s.posts, count(s.pages, "page")),
    );
    let c = &s.comments;
    let comments = if c.declared == 0 {
        format!("{} held; no page declares a count", c.held)
    } else {
        format!(
            "{} held; pages declare {}, {} of them not in the archive",
            c.held, c.declared, c.missing
        )
    };
    row(out, "comments", &comments);
    row(
        out,
        "images",
        &format!(
            "{} in the archive ({}), {} missing",
            s.images.local,
            size(s.images.local_bytes),
            s.images.missing
        ),
    );
    row(
        out,
        "time zone",
        &format!("{} ({})", s.timezone.zone, s.timezone.note),
    );
    warnings(out, &s.warnings, verbose);
}

/// The warnings line: how many of each kind, then the first few.
fn warnings(out: &mut String, w: &Warnings, verbose: bool) {
    if w.is_empty() {
        let _ = writeln!(out, "{:<LABEL$} none", "warnings");
        return;
    }
    let kinds: Vec<String> = w
        .by_kind()
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let _ = writeln!(
        out,
        "{:<LABEL$} {}: {}",
        "warnings",
        w.len(),
        kinds.join(", ")
    );
    let shown = if verbose { usize::MAX } else { SHOWN };
    for w in w.iter().take(shown).filter_map(Result::ok) {
        let file = if w.file.is_empty() {
            String::new()
        } else {
            format!("{}: ", printable(&w.file))
        };
        let _ = writeln!(
            out,
            "{:<LABEL$}   {file}{} ({})",
            "",
            printable(&w.message),
            w.kind
        );
    }
    if w.len() > shown {
        let _ = writeln!(
            out,
            "{:<LABEL$}   … {} more (--verbose or --json lists all)",
            "",
            w.len() - shown
        );
    }
}

/// `1 page`, `2 pages`, `3 entries`.
fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// Bytes for people: `812 B`, `35 KB`, `4.2 MB`.
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", b / 1024),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}
