//! The output folder of one run: checked, locked, written in a private work
//! folder, and changed only at the very end, all at once.
//!
//! [`OutDir::open`] refuses a folder that is a link or that holds files
//! the tool did not write where the run would write (see [`manifest`]),
//! takes the folder's lock ([`lock`]), removes the work folder a killed
//! earlier run recorded there, and creates this run's work folder
//! `OUT_DIR/.spaces2wxr-run-PID-…`. Everything the run writes goes there.
//! [`OutDir::commit`] then moves the new output into place, replacing what
//! an earlier run wrote (and only that), and writes the new manifest. A run
//! that fails, or is interrupted ([`on_interrupt`]), before that point
//! leaves `OUT_DIR` as it was: its work folder, its lock file and any
//! folder it created are removed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::{Error, Result};
use crate::output::atomic::AtomicFile;
use crate::output::lock::{self, Lock};
use crate::output::manifest::{self, Manifest, MediaState, MANIFEST_FILE, MEDIA_DIR};

/// How the run may treat an output folder that is not empty.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
    /// Replace what an earlier run wrote (`--force`).
    pub force: bool,
    /// Also replace a `media` folder the tool did not write
    /// (`--replace-media`).
    pub replace_media: bool,
}

/// The output folder of a run in progress.
#[derive(Debug)]
pub struct OutDir {
    session: Arc<Mutex<Session>>,
    work: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    Committed,
    RolledBack,
}

#[derive(Debug)]
struct Session {
    out: PathBuf,
    /// Folders this run created (the output folder and missing parents),
    /// deepest first.
    created: Vec<PathBuf>,
    lock: Option<Lock>,
    /// The work folder, once created.
    work: Option<PathBuf>,
    /// The manifest of the earlier run, if any.
    old: Option<Manifest>,
    policy: Policy,
    state: State,
}

/// Every run of this process with an open output folder.
static SESSIONS: Mutex<Vec<Arc<Mutex<Session>>>> = Mutex::new(Vec::new());
/// Whether a run of this process has committed its output.
static COMMITTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl OutDir {
    /// Check, create if needed, and lock `out` for a run.
    pub fn open(out: &Path, policy: Policy) -> Result<OutDir> {
        let session = Arc::new(Mutex::new(Session {
            out: out.to_path_buf(),
            created: Vec::new(),
            lock: None,
            work: None,
            old: None,
            policy,
            state: State::Open,
        }));
        // From here on, dropping the handle undoes what was done.
        locked(&SESSIONS).push(Arc::clone(&session));
        let mut dir = OutDir {
            session,
            work: PathBuf::new(),
        };
        let work = {
            let mut s = locked(&dir.session);
            s.prepare()
        };
        dir.work = work?;
        Ok(dir)
    }

    /// The work folder, where the run writes everything.
    pub fn work(&self) -> &Path {
        &self.work
    }

    #[cfg(test)]
    /// Where the run builds the media bundle (inside the work folder).
    pub fn media_dir(&self) -> PathBuf {
        self.work.join(MEDIA_DIR)
    }

    /// Make sure the file `name` may be written directly in `OUT_DIR`:
    /// nothing stands there, or a file an earlier run wrote.
    pub fn claim(&self, name: &str) -> Result<()> {
        let s = locked(&self.session);
        s.check_top(name)
    }

    /// Make sure the folder `name` (a space's folder, when the input holds
    /// several blogs) may be written in `OUT_DIR`: nothing stands there, or
    /// a folder holding only what an earlier run wrote.
    pub fn claim_folder(&self, name: &str) -> Result<()> {
        let s = locked(&self.session);
        s.check_tree(name).map(|_| ())
    }

    /// Move the run's output into `OUT_DIR`: the files `names` and the
    /// folders `folders` (`media`, or the spaces' folders), all written in
    /// the work folder, then write the manifest and remove what an earlier
    /// run wrote that this one did not replace. On failure, `OUT_DIR` is put
    /// back as it was.
    pub fn commit(self, names: &[&str], folders: &[&str]) -> Result<()> {
        let mut s = locked(&self.session);
        if s.state != State::Open {
            return Err(interrupted(&s.out));
        }
        s.commit(&self.work, names, folders)?;
        s.state = State::Committed;
        COMMITTED.store(true, std::sync::atomic::Ordering::SeqCst);
        s.finish();
        Ok(())
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        locked(&self.session).rollback();
        locked(&SESSIONS).retain(|s| !Arc::ptr_eq(s, &self.session));
    }
}

fn interrupted(out: &Path) -> Error {
    Error::OutputRefused {
        path: out.to_path_buf(),
        reason: "the run was interrupted".into(),
    }
}

impl Session {
    /// Lock, clean up after a killed run, check what stands in the folder
    /// and create the work folder; returns the work folder.
    fn prepare(&mut self) -> Result<PathBuf> {
        self.created = create_out_dir(&self.out)?;
        let (lock, journal) = Lock::acquire(&self.out)?;
        self.lock = Some(lock);
        for name in &journal.work {
            remove_tree(&self.out.join(name))?;
        }
        self.old = Manifest::load(&self.out)?;
        if !self.is_empty()? {
            if !self.policy.force {
                return Err(Error::OutputNotEmpty {
                    path: self.out.clone(),
                });
            }
            self.check_top("report.json")?;
            self.check_media()?;
        }
        let name = format!(
            "{}{}-{:x}",
            lock::WORK_PREFIX,
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() & 0xffff_ffff_ffff)
                .unwrap_or_default()
        );
        let work = self.out.join(&name);
        if std::fs::symlink_metadata(&work).is_ok() {
            return Err(Error::write(
                &work,
                std::io::ErrorKind::AlreadyExists.into(),
            ));
        }
        if let Some(l) = self.lock.as_mut() {
            l.record_work(&name)?;
        }
        std::fs::create_dir(&work).map_err(|e| Error::write(&work, e))?;
        self.work = Some(work.clone());
        let media = work.join(MEDIA_DIR);
        std::fs::create_dir(&media).map_err(|e| Error::write(&media, e))?;
        Ok(work)
    }

    /// Whether the folder holds nothing but this run's lock file.
    fn is_empty(&self) -> Result<bool> {
        let entries = std::fs::read_dir(&self.out).map_err(|e| Error::write(&self.out, e))?;
        for e in entries {
            let e = e.map_err(|e| Error::write(&self.out, e))?;
            if e.file_name() != lock::LOCK_FILE {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `OUT_DIR/name` is free or an earlier run's file.
    fn check_top(&self, name: &str) -> Result<()> {
        let path = self.out.join(name);
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(());
        }
        if self
            .old
            .as_ref()
            .is_some_and(|m| m.owns_file(&self.out, name))
        {
            return Ok(());
        }
        Err(Error::OutputRefused {
            path,
            reason: format!(
                "{MANIFEST_FILE} does not list it as spaces2wxr's output (or it changed since), \
                 and --force replaces only what that manifest lists; move it away or choose another output folder"
            ),
        })
    }

    /// `OUT_DIR/media` is absent or an earlier run's, or may be replaced.
    fn check_media(&self) -> Result<MediaState> {
        self.check_tree(MEDIA_DIR)
    }

    /// `OUT_DIR/tree` is absent or an earlier run's; a foreign `media`
    /// folder may be replaced with `--replace-media`, a foreign space
    /// folder never.
    fn check_tree(&self, tree: &str) -> Result<MediaState> {
        let state = manifest::tree_state(&self.out, tree, self.old.as_ref())?;
        if let MediaState::Foreign(rel) = &state {
            if tree != MEDIA_DIR {
                return Err(Error::OutputRefused {
                    path: self.out.join(tree),
                    reason: format!(
                        "it holds '{}', which {MANIFEST_FILE} does not list as spaces2wxr's output; \
                         move it away or choose another output folder",
                        shown(rel)
                    ),
                });
            }
            if !self.policy.replace_media {
                let what = if rel == MEDIA_DIR {
                    format!(
                        "{MANIFEST_FILE} does not list this media folder as spaces2wxr's output"
                    )
                } else {
                    format!(
                        "it holds '{}', which {MANIFEST_FILE} does not list as spaces2wxr's output",
                        shown(rel)
                    )
                };
                return Err(Error::OutputRefused {
                    path: self.out.join(MEDIA_DIR),
                    reason: format!(
                        "{what}; move it away, or pass --replace-media to delete that whole folder"
                    ),
                });
            }
        }
        Ok(state)
    }

    fn commit(&mut self, work: &Path, names: &[&str], folders: &[&str]) -> Result<()> {
        for name in names {
            self.check_top(name)?;
        }
        self.check_media()?;
        for folder in folders {
            self.check_tree(folder)?;
        }
        let mut tops: Vec<&str> = names.to_vec();
        tops.retain(|n| !folders.contains(n));
        let entries =
            manifest::entries_of(work, &tops, folders).map_err(|e| Error::write(work, e))?;
        let new = Manifest::new(entries);
        let old = self.old.clone().unwrap_or_default();
        let mut moves = Moves::default();
        let done = self.swap(work, &new, &old, &tops, folders, &mut moves);
        if let Err(e) = done {
            moves.undo();
            return Err(e);
        }
        // Earlier outputs this run did not replace (the WXR of another
        // archive, the media folder or space folders of an earlier layout):
        // removed while they are still as the tool wrote them.
        let mut kept = Vec::new();
        let mut gone_folders: Vec<&str> = Vec::new();
        for e in &old.entries {
            let p = e.path();
            let top = p.split('/').next().unwrap_or(p);
            if tops.contains(&top) || folders.contains(&top) {
                continue;
            }
            if p.contains('/') {
                if !gone_folders.contains(&top) {
                    kept.push(e.clone());
                }
                continue;
            }
            let removed = match e {
                manifest::Entry::File { .. } => {
                    old.owns_file(&self.out, p) && std::fs::remove_file(self.out.join(p)).is_ok()
                }
                manifest::Entry::Dir { .. } => {
                    matches!(
                        manifest::tree_state(&self.out, p, Some(&old)),
                        Ok(MediaState::Ours)
                    ) && remove_tree(&self.out.join(p)).is_ok()
                }
            };
            if removed {
                gone_folders.push(top);
            } else {
                kept.push(e.clone());
            }
        }
        // Entries under a folder listed before the folder itself were kept
        // above; drop those whose folder is now gone.
        kept.retain(|e| {
            let p = e.path();
            !(p.contains('/') && gone_folders.contains(&p.split('/').next().unwrap_or(p)))
        });
        let mut last = new.clone();
        last.entries.extend(kept);
        // The union written before the moves still covers everything if
        // this fails; the output itself is complete.
        let _ = write_manifest(work, &self.out, &last, "manifest.final");
        sync_dir(&self.out);
        Ok(())
    }

    /// The all-or-nothing part of the commit, each step recorded in `moves`.
    fn swap(
        &self,
        work: &Path,
        new: &Manifest,
        old: &Manifest,
        tops: &[&str],
        folders: &[&str],
        moves: &mut Moves,
    ) -> Result<()> {
        // A manifest covering both runs first: killed during the moves, the
        // folder still holds only files a manifest lists.
        let manifest = self.out.join(MANIFEST_FILE);
        if std::fs::symlink_metadata(&manifest).is_ok() {
            moves.rename(&manifest, &work.join("old-manifest"))?;
        }
        write_manifest(work, &self.out, &new.union(old), "manifest.union")?;
        moves.created(manifest);
        for folder in folders {
            let dest = self.out.join(folder);
            if std::fs::symlink_metadata(&dest).is_ok() {
                moves.rename(&dest, &work.join(format!("old-{folder}")))?;
            }
            moves.rename(&work.join(folder), &dest)?;
        }
        // The WXR files last: no WXR under its final name unless all the
        // rest is in place.
        let mut order: Vec<&str> = tops.to_vec();
        order.sort_by_key(|n| n.ends_with(".xml"));
        for name in order {
            let dest = self.out.join(name);
            if std::fs::symlink_metadata(&dest).is_ok() {
                moves.rename(&dest, &work.join(format!("old-{name}")))?;
            }
            moves.rename(&work.join(name), &dest)?;
        }
        Ok(())
    }

    /// After a commit: remove the work folder (with the earlier outputs
    /// moved there) and release the lock.
    fn finish(&mut self) {
        if let Some(w) = self.work.take() {
            let _ = remove_tree(&w);
        }
        if let Some(l) = self.lock.take() {
            l.release();
        }
    }

    /// Undo everything an unfinished run did to the folder.
    fn rollback(&mut self) {
        if self.state != State::Open {
            return;
        }
        self.state = State::RolledBack;
        if let Some(w) = self.work.take() {
            let _ = remove_tree(&w);
        }
        if let Some(l) = self.lock.take() {
            l.release();
        }
        for dir in &self.created {
            if std::fs::remove_dir(dir).is_err() {
                break;
            }
        }
    }
}

/// A name from the file system, with control characters escaped for the
/// terminal.
fn shown(name: &str) -> String {
    name.chars()
        .flat_map(|c| {
            let esc: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            esc
        })
        .collect()
}

/// Renames done during a commit, to undo them in reverse on failure.
#[derive(Default)]
struct Moves {
    done: Vec<Step>,
}

enum Step {
    Renamed(PathBuf, PathBuf),
    Created(PathBuf),
}

impl Moves {
    fn rename(&mut self, from: &Path, to: &Path) -> Result<()> {
        std::fs::rename(from, to).map_err(|e| Error::write(to, e))?;
        self.done
            .push(Step::Renamed(from.to_path_buf(), to.to_path_buf()));
        Ok(())
    }

    fn created(&mut self, path: PathBuf) {
        self.done.push(Step::Created(path));
    }

    fn undo(self) {
        for step in self.done.into_iter().rev() {
            match step {
                Step::Renamed(from, to) => {
                    let _ = std::fs::rename(&to, &from);
                }
                Step::Created(p) => {
                    let _ = std::fs::remove_file(&p);
                }
            }
        }
    }
}

/// Write `m` through a temporary file in the work folder, then rename it
/// over `OUT_DIR`'s manifest.
fn write_manifest(work: &Path, out: &Path, m: &Manifest, tmp_name: &str) -> Result<()> {
    use std::io::Write;
    let tmp = work.join(tmp_name);
    let mut f = AtomicFile::create(&tmp)?;
    let written = f.writer().write_all(&m.to_bytes());
    written.map_err(|e| f.error(e))?;
    f.commit()?;
    let dest = out.join(MANIFEST_FILE);
    std::fs::rename(&tmp, &dest).map_err(|e| Error::write(&dest, e))
}

/// Make sure `out` is a folder (not a link to one), creating it and any
/// missing parents; returns the folders created, deepest first.
fn create_out_dir(out: &Path) -> Result<Vec<PathBuf>> {
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => {
            let target = std::fs::read_link(out)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Err(Error::OutputRefused {
                path: out.to_path_buf(),
                reason: format!(
                    "it is a symbolic link (to '{target}'); give the real folder instead"
                ),
            });
        }
        Ok(m) if m.is_dir() => return Ok(Vec::new()),
        Ok(_) => {
            return Err(Error::OutputRefused {
                path: out.to_path_buf(),
                reason: "it is a file, not a folder".into(),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::write(out, e)),
    }
    let mut missing = Vec::new();
    let mut p = Some(out);
    while let Some(dir) = p.filter(|d| !d.as_os_str().is_empty()) {
        if std::fs::symlink_metadata(dir).is_ok() {
            break;
        }
        missing.push(dir.to_path_buf());
        p = dir.parent();
    }
    std::fs::create_dir_all(out).map_err(|e| Error::write(out, e))?;
    Ok(missing)
}

/// Remove a folder tree (or a file) without following links in it. A
/// writer of this process may still be adding files while an interrupted
/// run is cleaned up: retry until the tree is gone.
fn remove_tree(p: &Path) -> Result<()> {
    let mut last = None;
    for _ in 0..200 {
        let meta = match std::fs::symlink_metadata(p) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::write(p, e)),
        };
        let removed = if meta.is_dir() {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        };
        match removed {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => last = Some(e),
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    Err(Error::write(
        p,
        last.unwrap_or_else(|| std::io::ErrorKind::Other.into()),
    ))
}

/// Flush the folder's entries (the renames) to disk, where the platform
/// allows opening a folder.
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// What became of a run when the process was interrupted.
#[derive(Debug, PartialEq, Eq)]
pub enum Interrupted {
    /// The runs in progress were undone; the line to print.
    RolledBack(String),
    /// The output was already complete: let the run finish normally.
    Complete,
}

/// Undo every run of this process that has not committed yet (called from
/// the SIGINT/SIGTERM handler). A commit in progress is waited for.
pub fn on_interrupt() -> Interrupted {
    let sessions: Vec<Arc<Mutex<Session>>> = locked(&SESSIONS).clone();
    let mut outs = Vec::new();
    for s in &sessions {
        let mut s = locked(s);
        if s.state == State::Open {
            s.rollback();
            outs.push(s.out.display().to_string());
        }
    }
    if outs.is_empty() && COMMITTED.load(std::sync::atomic::Ordering::SeqCst) {
        return Interrupted::Complete;
    }
    let msg = match outs.as_slice() {
        [] => "interrupted; nothing was written".to_string(),
        [one] => format!(
            "interrupted; the run's partial files were removed and nothing was changed in '{one}'"
        ),
        many => format!(
            "interrupted; the runs' partial files were removed and nothing was changed in '{}'",
            many.join("', '")
        ),
    };
    Interrupted::RolledBack(msg)
}

/// Refuse an output folder inside the input folder, or one that holds the
/// input (a folder, or a zip lying in it): nothing the run writes or
/// replaces may touch the input.
pub(crate) fn check_overlap(input: &Path, out: &Path) -> Result<()> {
    let (Ok(i), Some(o)) = (input.canonicalize(), absolute_lenient(out)) else {
        return Ok(());
    };
    if i.is_dir() && o.starts_with(&i) {
        return Err(Error::OutputOverlapsInput {
            out: out.to_path_buf(),
            input: input.to_path_buf(),
        });
    }
    if i.starts_with(&o) {
        let how = if i == o { "is" } else { "lies inside" };
        return Err(Error::OutputRefused {
            path: out.to_path_buf(),
            reason: format!(
                "the input '{}' {how} it; choose an output folder elsewhere",
                input.display()
            ),
        });
    }
    Ok(())
}

/// Canonical form of a path that may not exist yet.
pub(crate) fn absolute_lenient(p: &Path) -> Option<std::path::PathBuf> {
    if let Ok(c) = p.canonicalize() {
        return Some(c);
    }
    let parent = p
        .parent()
        .filter(|x| !x.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(absolute_lenient(parent)?.join(p.file_name()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// A run that writes `wxr` and one media file, then commits.
    fn run(out: &Path, policy: Policy, wxr: &str, image: &[u8]) -> Result<()> {
        let dir = OutDir::open(out, policy)?;
        dir.claim(wxr)?;
        let month = dir.media_dir().join("2010");
        std::fs::create_dir(&month).expect("mkdir");
        std::fs::write(month.join("a.jpg"), image).expect("write");
        for name in [wxr, "report.json"] {
            let mut f = AtomicFile::create(&dir.work().join(name))?;
            f.writer().write_all(name.as_bytes()).expect("write");
            f.commit()?;
        }
        dir.commit(&[wxr, "report.json"], &[MEDIA_DIR])
    }

    const FORCE: Policy = Policy {
        force: true,
        replace_media: false,
    };

    #[test]
    fn a_run_leaves_its_output_and_a_manifest_only() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("new/out");
        run(&out, Policy::default(), "a.xml", b"jpeg").expect("run");
        assert_eq!(
            names(&out),
            [MANIFEST_FILE, "a.xml", "media", "report.json"]
        );
        let m = Manifest::load(&out).expect("load").expect("manifest");
        let paths: Vec<&str> = m.entries.iter().map(|e| e.path()).collect();
        assert_eq!(
            paths,
            [
                "a.xml",
                "report.json",
                "media",
                "media/2010",
                "media/2010/a.jpg"
            ]
        );
    }

    #[test]
    fn force_replaces_the_earlier_output_and_nothing_else() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        run(&out, Policy::default(), "old.xml", b"old").expect("first");
        std::fs::write(out.join("notes.txt"), b"mine").expect("write");
        std::fs::write(out.join(".old-1.partial-2"), b"mine too").expect("write");
        assert!(matches!(
            run(&out, Policy::default(), "new.xml", b"new"),
            Err(Error::OutputNotEmpty { .. })
        ));
        run(&out, FORCE, "new.xml", b"newer").expect("forced");
        assert_eq!(
            names(&out),
            [
                ".old-1.partial-2",
                MANIFEST_FILE,
                "media",
                "new.xml",
                "notes.txt",
                "report.json"
            ],
            "the old WXR went, the user's files stayed"
        );
        assert_eq!(
            std::fs::read(out.join("media/2010/a.jpg")).expect("read"),
            b"newer"
        );
    }

    #[test]
    fn a_failed_run_leaves_the_folder_as_it_was() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("a/b/out");
        {
            let dir = OutDir::open(&out, Policy::default()).expect("open");
            std::fs::write(dir.work().join("half.xml"), b"half").expect("write");
        }
        assert_eq!(
            names(tmp.path()),
            Vec::<String>::new(),
            "created folders removed"
        );
        let out = tmp.path().join("out");
        run(&out, Policy::default(), "a.xml", b"one").expect("first");
        let before = names(&out);
        {
            let dir = OutDir::open(&out, FORCE).expect("open");
            std::fs::write(dir.media_dir().join("x.jpg"), b"x").expect("write");
        }
        assert_eq!(names(&out), before);
        assert_eq!(
            std::fs::read(out.join("media/2010/a.jpg")).expect("read"),
            b"one"
        );
    }

    #[test]
    fn names_in_messages_show_control_characters_escaped() {
        assert_eq!(shown("media/a\u{1b}[31m.jpg"), "media/a\\u{1b}[31m.jpg");
        assert_eq!(shown("media/图片.jpg"), "media/图片.jpg");
    }

    #[test]
    fn media_the_tool_did_not_write_needs_replace_media() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        std::fs::create_dir_all(out.join("media/holiday")).expect("mkdir");
        std::fs::write(out.join("media/holiday/me.jpg"), b"me").expect("write");
        let err = run(&out, FORCE, "a.xml", b"x").expect_err("refused");
        assert!(err.to_string().contains("--replace-media"), "{err}");
        assert_eq!(names(&out), ["media"]);
        let replace = Policy {
            force: true,
            replace_media: true,
        };
        run(&out, replace, "a.xml", b"x").expect("replaced");
        assert!(!out.join("media/holiday").exists());
    }

    #[test]
    fn a_file_of_the_users_under_an_output_name_is_never_replaced() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).expect("mkdir");
        std::fs::write(out.join("report.json"), b"my report").expect("write");
        let err = run(&out, FORCE, "a.xml", b"x").expect_err("refused");
        assert!(err.to_string().contains("report.json"), "{err}");
        assert_eq!(
            std::fs::read(out.join("report.json")).expect("read"),
            b"my report"
        );
        assert_eq!(names(&out), ["report.json"]);
    }

    #[test]
    fn a_killed_runs_work_folder_is_removed_by_the_next_run() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).expect("mkdir");
        // What a SIGKILLed run leaves: its lock file naming its work folder.
        let (mut l, _) = Lock::acquire(&out).expect("lock");
        l.record_work(".spaces2wxr-run-1-ab").expect("record");
        std::fs::create_dir(out.join(".spaces2wxr-run-1-ab")).expect("mkdir");
        std::fs::write(out.join(".spaces2wxr-run-1-ab/x.partial"), b"x").expect("write");
        // A same-shaped name the journal does not list is not touched.
        std::fs::create_dir(out.join(".spaces2wxr-run-2-cd")).expect("mkdir");
        drop(l);
        let err = run(&out, Policy::default(), "a.xml", b"x").expect_err("not empty");
        assert!(matches!(err, Error::OutputNotEmpty { .. }));
        assert_eq!(names(&out), [".spaces2wxr-run-2-cd"]);
        std::fs::remove_dir(out.join(".spaces2wxr-run-2-cd")).expect("rmdir");
        let (mut l, _) = Lock::acquire(&out).expect("lock");
        l.record_work(".spaces2wxr-run-3-ef").expect("record");
        std::fs::create_dir(out.join(".spaces2wxr-run-3-ef")).expect("mkdir");
        drop(l);
        run(&out, Policy::default(), "a.xml", b"x").expect("only leftovers: empty");
    }

    #[test]
    fn a_commit_that_fails_half_way_is_undone() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        run(&out, Policy::default(), "a.xml", b"one").expect("first");
        let manifest_before = std::fs::read(out.join(MANIFEST_FILE)).expect("manifest");
        let before = names(&out);
        {
            let dir = OutDir::open(&out, FORCE).expect("open");
            for name in ["a.xml", "report.json"] {
                std::fs::write(dir.work().join(name), b"new").expect("write");
            }
            // The new bundle vanishes: its move fails after the manifest
            // and the old bundle were already moved.
            std::fs::remove_dir(dir.media_dir()).expect("rmdir");
            assert!(dir.commit(&["a.xml", "report.json"], &[MEDIA_DIR]).is_err());
        }
        assert_eq!(names(&out), before);
        assert_eq!(
            std::fs::read(out.join(MANIFEST_FILE)).expect("manifest"),
            manifest_before
        );
        assert_eq!(std::fs::read(out.join("a.xml")).expect("wxr"), b"a.xml");
        assert_eq!(
            std::fs::read(out.join("media/2010/a.jpg")).expect("media"),
            b"one"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_output_folder_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let real = tmp.path().join("real");
        std::fs::create_dir(&real).expect("mkdir");
        let out = tmp.path().join("out");
        std::os::unix::fs::symlink(&real, &out).expect("symlink");
        let err = run(&out, FORCE, "a.xml", b"x").expect_err("refused");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(names(&real), Vec::<String>::new());
    }
}
