//! Many blogs in one run: several inputs, an input that holds several
//! blogs, or one shard of a long list (`--shard K/N`).
//!
//! Every input is read on its own (in parallel) and its blogs are never
//! merged with another input's. Each blog gets a name unique in the whole
//! run, in a stable order (the inputs' order, then each input's), whatever
//! the shard: the same blog has the same folder in every shard's output.
//! The blogs are then converted in parallel, each into its own folder of
//! the work folder; a blog that fails (or an input that cannot be read)
//! becomes a line of `summary.json` with its error, and the others are
//! committed all the same.

use std::path::Path;

use rayon::prelude::*;

use crate::config::{Config, Shard};
use crate::convert::{convert_space, names_of, read_input, Found, Input, Shared};
use crate::error::{Error, Result};
use crate::output::manifest::SUMMARY_FILE;
use crate::output::names::file_safe;
use crate::output::outdir::OutDir;
use crate::output::write_json;
use crate::parse::pages;
use crate::progress::Silent;
use crate::report::{Failed, Report, ShardLine, Skipped, Summary, Warning, WarningKind, Warnings};
use crate::store::records::Log;

/// What `summary.json` says of the hash behind `--shard`.
const HASH: &str = "fnv1a-64(identity) mod N + 1; identity: the host in lower case, else cid-<owner id in lower-case hex>, else the input's file name";

/// The identity a blog's shard is computed from (see [`Shard::of`]).
pub(crate) fn identity(host: Option<&str>, owners: &[String], input: &Path) -> String {
    match (host, owners.first()) {
        (Some(h), _) => h.to_ascii_lowercase(),
        (None, Some(o)) => format!("cid-{}", o.to_ascii_lowercase()),
        (None, None) => input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// One input after reading: its blogs' keys (all of them, for naming), and
/// the input itself with only the blogs of this shard, or its error.
struct Read {
    /// Each blog's host and first owner, in the input's order.
    keys: Vec<(Option<String>, Option<String>, String)>,
    /// How many blogs the input holds.
    total: usize,
    /// The input, its spaces filtered to the shard (with their index among
    /// `keys`); `None` when none is left or it could not be read.
    input: Option<(Input, Vec<(usize, pages::Space)>)>,
    /// Why it could not be read.
    error: Option<Error>,
}

fn read_one(cfg: &Config, shard: Option<Shard>, input: Result<Input>) -> Read {
    let mut input = match input {
        Ok(i) => i,
        Err(e) => {
            return Read {
                keys: Vec::new(),
                total: 0,
                input: None,
                error: Some(e),
            }
        }
    };
    let spaces = std::mem::take(&mut input.spaces);
    let keys: Vec<_> = spaces
        .iter()
        .map(|s| {
            let id = identity(s.host.as_deref(), &s.owners, &cfg.input);
            (s.host.clone(), s.owners.first().cloned(), id)
        })
        .collect();
    let total = spaces.len();
    let kept: Vec<(usize, pages::Space)> = spaces
        .into_iter()
        .enumerate()
        .filter(|(i, _)| shard.is_none_or(|sh| sh.holds(&keys[*i].2)))
        .collect();
    Read {
        keys,
        total,
        // An input none of whose blogs is in the shard is closed at once.
        input: (!kept.is_empty()).then_some((input, kept)),
        error: None,
    }
}

/// One blog to convert.
struct Unit {
    /// Index of its input.
    input: usize,
    space: pages::Space,
    name: String,
    dir: String,
}

/// Convert a batch into `out`: the inputs of `cfg`, or the one input
/// already read (`first`, holding several blogs).
pub(crate) fn convert_batch(cfg: &Config, out: OutDir, first: Option<Input>) -> Result<Summary> {
    let paths = cfg.inputs();
    let cfgs: Vec<Config> = paths
        .iter()
        .map(|p| {
            let mut c = cfg.clone();
            c.input = p.to_path_buf();
            c.more_inputs = Vec::new();
            c
        })
        .collect();
    let reads: Vec<Read> = match first {
        Some(input) => vec![read_one(&cfgs[0], cfg.shard, Ok(input))],
        None => cfgs
            .par_iter()
            .map(|c| read_one(c, cfg.shard, read_input(c, &Silent)))
            .collect(),
    };
    let several_inputs = paths.len() > 1;

    // Names over every blog of every input, in order, shard or not.
    let all_keys = reads.iter().flat_map(|r| r.keys.iter());
    let names = names_of(
        all_keys
            .clone()
            .map(|(h, o, _)| (h.as_deref(), o.as_deref())),
    );
    let mut offsets = Vec::with_capacity(reads.len());
    let mut at = 0;
    for r in &reads {
        offsets.push(at);
        at += r.keys.len();
    }

    let mut summary_warnings = Warnings::new();
    let mut ignored_pages = Log::new();
    let mut failed = Vec::new();
    let mut skipped = Vec::new();
    let mut units = Vec::new();
    let mut inputs: Vec<Option<Input>> = Vec::with_capacity(reads.len());
    let mut found_of: Vec<Option<Found>> = Vec::new();
    for (i, r) in reads.into_iter().enumerate() {
        let shown = paths[i].display().to_string();
        if let Some(e) = r.error {
            let error = e.to_string();
            summary_warnings.push(Warning::file(
                &shown,
                WarningKind::ConversionFailed,
                &*error,
            ));
            failed.push(Failed {
                input: shown,
                space: None,
                error,
            });
            inputs.push(None);
            found_of.push(None);
            continue;
        }
        let held: Vec<usize> = match &r.input {
            Some((_, kept)) => kept.iter().map(|(k, _)| *k).collect(),
            None => Vec::new(),
        };
        if let Some(sh) = cfg.shard {
            for (k, (_, _, id)) in r.keys.iter().enumerate() {
                if !held.contains(&k) {
                    skipped.push(Skipped {
                        space: names[offsets[i] + k].clone(),
                        identity: id.clone(),
                        shard: Shard::of(id, sh.n),
                        input: shown.clone(),
                    });
                }
            }
        }
        let Some((mut input, kept)) = r.input else {
            inputs.push(None);
            found_of.push(None);
            continue;
        };
        // What concerns the input as a whole goes into its blog's report
        // when it holds one (as a conversion of it alone would), else into
        // the summary.
        let ignored = std::mem::take(&mut input.ignored);
        let warnings = std::mem::replace(&mut input.warnings, Warnings::new());
        let prefix = |file: &str| {
            if several_inputs {
                paths[i].join(file).display().to_string()
            } else {
                file.to_string()
            }
        };
        if r.total == 1 {
            found_of.push(Some(Found {
                dir: String::new(),
                ignored,
                warnings,
            }));
        } else {
            for w in warnings.iter() {
                let mut w = w.map_err(|source| Error::Spool { source })?;
                w.file = prefix(&w.file);
                summary_warnings.push(w);
            }
            for p in ignored.iter() {
                let mut p = p.map_err(|source| Error::Spool { source })?;
                p.file = prefix(&p.file);
                ignored_pages
                    .push(&p)
                    .map_err(|source| Error::Spool { source })?;
            }
            found_of.push(None);
        }
        for (k, space) in kept {
            let name = names[offsets[i] + k].clone();
            let dir = file_safe(&name);
            units.push(Unit {
                input: i,
                space,
                name,
                dir,
            });
        }
        // `Input::spaces` was emptied; the rest is shared by its blogs.
        input.spaces = Vec::new();
        inputs.push(Some(input));
    }

    // Claim and create every folder before any work starts: a folder that
    // holds a file of the user's stops the run with nothing written.
    for u in &units {
        out.claim_folder(&u.dir)?;
        let dir = out.work().join(&u.dir);
        std::fs::create_dir(&dir).map_err(|e| Error::write(&dir, e))?;
    }
    // An input holding one blog gave it its `Found`; one holding several
    // kept it for the summary.
    let several_of: Vec<bool> = found_of.iter().map(Option::is_none).collect();
    let found_of: Vec<std::sync::Mutex<Option<Found>>> =
        found_of.into_iter().map(std::sync::Mutex::new).collect();
    let work = out.work();
    let results: Vec<(String, String, Result<Report>)> = units
        .into_par_iter()
        .map(|u| {
            let input = inputs[u.input].as_ref().expect("read input");
            let shared = Shared {
                archive: &input.archive,
                spool: &input.spool,
                feed: &input.feed,
                several: several_of[u.input],
                progress: &Silent,
            };
            let mut found = found_of[u.input]
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .unwrap_or_else(|| Found {
                    dir: String::new(),
                    ignored: Log::new(),
                    warnings: Warnings::new(),
                });
            found.dir = u.dir.clone();
            let dir = work.join(&u.dir);
            let result = convert_space(
                &cfgs[u.input],
                &shared,
                u.space,
                u.name.clone(),
                &dir,
                found,
            );
            if result.is_err() {
                let _ = std::fs::remove_dir_all(&dir);
            }
            (paths[u.input].display().to_string(), u.name, result)
        })
        .collect();
    drop(inputs);

    let mut reports = Vec::with_capacity(results.len());
    let mut from = Vec::with_capacity(results.len());
    for (input, name, result) in results {
        match result {
            Ok(r) => {
                reports.push(r);
                from.push(input);
            }
            Err(e) => {
                let error = e.to_string();
                let msg = format!("{name}: {error}");
                summary_warnings.push(Warning::file(&input, WarningKind::ConversionFailed, msg));
                failed.push(Failed {
                    input,
                    space: Some(name),
                    error,
                });
            }
        }
    }
    let mut summary = Summary::several(
        &cfg.input.display().to_string(),
        reports,
        ignored_pages,
        summary_warnings,
    );
    summary.site_url = cfg.site_url.clone();
    summary.media_url = cfg.media_url.clone();
    if several_inputs {
        summary.inputs = paths.iter().map(|p| p.display().to_string()).collect();
        for (line, input) in summary.spaces.iter_mut().zip(from) {
            line.input = Some(input);
        }
    }
    summary.failed = failed;
    summary.shard = cfg.shard.map(|sh| ShardLine {
        shard: sh.to_string(),
        hash: HASH.to_string(),
        skipped,
    });
    out.claim(SUMMARY_FILE)?;
    write_json(&out.work().join(SUMMARY_FILE), &summary)?;
    let folders: Vec<&str> = summary.spaces.iter().map(|s| s.dir.as_str()).collect();
    out.commit(&[SUMMARY_FILE], &folders)?;
    Ok(summary)
}
