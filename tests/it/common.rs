//! Helpers shared by `hostile.rs`, `props.rs` and `kill.rs`: Spaces pages
//! built from text, zips built in memory, a tempdir "scene" with a sentinel
//! folder, and snapshots that prove nothing outside `OUT_DIR` changed.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use zip::write::SimpleFileOptions;

/// Longest a single run may take before the test kills it and fails (a
/// debug build on a busy 2-core machine; a normal run takes well under 1 s).
pub const DEADLINE: Duration = Duration::from_secs(60);

/// The owner CID used by every synthetic entry.
pub const OWNER: &str = "D2C0FFEE12345678";

/// `&`, `<`, `>`, `"` and `'` as character references; everything else raw.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One comment of a synthetic page: author and text as HTML fragments.
pub struct PageComment<'a> {
    /// Author HTML.
    pub author: &'a str,
    /// Comment body HTML.
    pub text: &'a str,
}

/// A single-entry Spaces page for entry `n` with the given title and body
/// HTML (not escaped here) and comments, dated 9/28/2010 3:45 PM.
pub fn page(n: u64, title_html: &str, body_html: &str, comments: &[PageComment<'_>]) -> String {
    let id = format!("cns!{OWNER}!{n}");
    let mut s = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\
         <title>page</title></head><body>\n\
         <div id=\"subj{id}\" class=\"TextColor1\">{title_html}</div>\
         <div id=\"msg{id}\" class=\"bvMsg\">{body_html}</div>\
         <span class=\"bold\" id=\"LastMDate{id}\">9/28/2010</span>\
         <div class=\"footerLinks\">3:45 PM</div>\n"
    );
    for c in comments {
        s.push_str(&format!(
            "<div class=\"bvCommentText\"><span id=\"ccName{id}\">{}</span>\
             <div class=\"ccViewComment\">{}</div>\
             <span id=\"ccDate{id}\">9/29/2010 8:15 AM</span></div>\n",
            c.author, c.text
        ));
    }
    s.push_str("</body></html>\n");
    s
}

/// A plain page for entry `n` whose body holds the word `marker`.
pub fn simple_page(n: u64, marker: &str) -> Vec<u8> {
    page(
        n,
        &format!("Entry {n} {marker}"),
        &format!("<p>Body of {marker}</p>"),
        &[],
    )
    .into_bytes()
}

/// Archive path of entry `n` in the usual backup layout.
pub fn entry_path(n: u64) -> String {
    format!("blog/cns!{OWNER}!{n}.html")
}

/// Options for zip entries: deflated, fixed date.
pub fn zip_options() -> SimpleFileOptions {
    let date = zip::DateTime::from_date_and_time(2010, 9, 28, 15, 45, 0).expect("valid zip date");
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(date)
}

/// A zip holding `entries` (name, bytes), deflated.
pub fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        w.start_file(*name, zip_options()).expect("start zip entry");
        w.write_all(bytes).expect("write zip entry");
    }
    w.finish().expect("finish zip").into_inner()
}

/// What a path holds, compared before and after a run. Links are never
/// followed and FIFOs never opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A folder with its permission bits.
    Dir(u32),
    /// A regular file: length, fingerprint, modification time, permission bits.
    File {
        /// Length in bytes.
        len: u64,
        /// Fingerprint of the bytes ([`hash_file`]), or the read error.
        hash: Result<Vec<u8>, String>,
        /// Modification time.
        mtime: Option<std::time::SystemTime>,
        /// Permission bits.
        mode: u32,
    },
    /// A symbolic link and its target.
    Link(PathBuf),
    /// A FIFO, socket or device.
    Other,
}

/// Every path under a folder (relative, `/`-separated) and what it holds.
pub type Snapshot = BTreeMap<String, Node>;

#[cfg(unix)]
fn mode(m: &std::fs::Metadata) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&m.permissions())
}

#[cfg(not(unix))]
fn mode(m: &std::fs::Metadata) -> u32 {
    u32::from(m.permissions().readonly())
}

/// Fingerprint of a file's bytes, read in chunks: std's SipHash (compiled
/// optimised even in a debug build, ten times faster than SHA-256 there)
/// and the length. Enough to see any change a run could make.
pub fn hash_file(p: &Path) -> Result<Vec<u8>, String> {
    use std::hash::Hasher;
    use std::io::Read;
    let mut f = std::fs::File::open(p).map_err(|e| e.to_string())?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut len = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            let mut out = h.finish().to_le_bytes().to_vec();
            out.extend_from_slice(&len.to_le_bytes());
            return Ok(out);
        }
        h.write(&buf[..n]);
        len += n as u64;
    }
}

/// What `p` holds, without following a link.
pub fn node(p: &Path) -> Option<Node> {
    let m = std::fs::symlink_metadata(p).ok()?;
    let t = m.file_type();
    Some(if t.is_symlink() {
        Node::Link(std::fs::read_link(p).unwrap_or_default())
    } else if t.is_dir() {
        Node::Dir(mode(&m))
    } else if t.is_file() {
        Node::File {
            len: m.len(),
            hash: hash_file(p),
            mtime: m.modified().ok(),
            mode: mode(&m),
        }
    } else {
        Node::Other
    })
}

/// Snapshot of everything under `root`.
pub fn snapshot(root: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.expect("dir entry").path();
            let rel = p
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            let Some(n) = node(&p) else { continue };
            if matches!(n, Node::Dir(_)) {
                stack.push(p);
            }
            out.insert(rel, n);
        }
    }
    out
}

/// Every path under `root` (relative, `/`-separated) and whether it is a
/// folder; links are not followed and nothing is read.
pub fn list_paths(root: &Path) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let is_dir = std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir());
            if is_dir {
                stack.push(p.clone());
            }
            let rel = p.strip_prefix(root).expect("under root");
            out.push((rel.to_string_lossy().replace('\\', "/"), is_dir));
        }
    }
    out.sort();
    out
}

/// Total bytes of the regular files under `root` (links not followed).
pub fn tree_size(root: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(m) = std::fs::symlink_metadata(e.path()) else {
                continue;
            };
            if m.is_dir() {
                stack.push(e.path());
            } else if m.is_file() {
                total += m.len();
            }
        }
    }
    total
}

/// A tempdir laid out as `input` (folder or `space.zip`), `out/` (not created),
/// `sentinel/` (a few files that must never change) and `cwd/` (the child's
/// working folder, so relative writes would land inside the tempdir).
pub struct Scene {
    /// The tempdir; removed on drop.
    pub tmp: tempfile::TempDir,
    /// The archive given to the binary.
    pub input: PathBuf,
    /// `OUT_DIR`.
    pub out: PathBuf,
    /// Files and folders that no run may touch.
    pub sentinel: PathBuf,
    /// The child's working folder.
    pub cwd: PathBuf,
    before: Snapshot,
}

impl Scene {
    fn base(input_name: &str) -> Scene {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().to_path_buf();
        let sentinel = root.join("sentinel");
        std::fs::create_dir_all(sentinel.join("blog")).expect("mkdir sentinel");
        std::fs::write(sentinel.join("x.html"), b"sentinel x").expect("write sentinel");
        std::fs::write(sentinel.join("blog/keep.html"), b"sentinel keep").expect("write sentinel");
        std::fs::write(sentinel.join("evil.html"), simple_page(9, "SENTINELMARK"))
            .expect("write sentinel page");
        let cwd = root.join("cwd");
        std::fs::create_dir(&cwd).expect("mkdir cwd");
        Scene {
            input: root.join(input_name),
            out: root.join("out"),
            sentinel,
            cwd,
            tmp,
            before: Snapshot::new(),
        }
    }

    /// A folder input holding `files` (relative path, bytes).
    pub fn folder(files: &[(&str, &[u8])]) -> Scene {
        let s = Scene::base("space");
        std::fs::create_dir(&s.input).expect("mkdir input");
        for (rel, bytes) in files {
            let p = s.input.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, bytes).expect("write input file");
        }
        s
    }

    /// A zip input with exactly these bytes.
    pub fn zip(bytes: &[u8]) -> Scene {
        let s = Scene::base("space.zip");
        std::fs::write(&s.input, bytes).expect("write zip");
        s
    }

    /// Replace the zip input's bytes (before freezing).
    pub fn write_input(&self, bytes: &[u8]) {
        std::fs::write(&self.input, bytes).expect("write input");
    }

    /// The tempdir root.
    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// Remember the state of the tempdir; call after the last setup step.
    pub fn freeze(&mut self) {
        self.before = snapshot(self.root());
    }

    /// The command line `convert INPUT -o OUT_DIR extra…`, ready to spawn.
    pub fn command(&self, extra: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_spaces2wxr"));
        c.arg("convert")
            .arg(&self.input)
            .arg("-o")
            .arg(&self.out)
            .args(["--site-url", "http://localhost"])
            .args(extra)
            .current_dir(&self.cwd)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default());
        c
    }

    /// Run the binary to completion (freezing the scene first if needed);
    /// a run longer than [`DEADLINE`] is killed and fails the test.
    pub fn run(&mut self, extra: &[&str]) -> Output {
        self.run_within(extra, DEADLINE)
    }

    /// [`Scene::run`] with another deadline.
    pub fn run_within(&mut self, extra: &[&str], deadline: Duration) -> Output {
        if self.before.is_empty() {
            self.freeze();
        }
        let mut child = self
            .command(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let started = Instant::now();
        while child.try_wait().expect("try_wait").is_none() {
            if started.elapsed() > deadline {
                child.kill().expect("kill the stuck run");
                let o = child.wait_with_output().expect("reap");
                panic!(
                    "the run did not finish within {deadline:?} (killed)\nstderr:\n{}",
                    stderr(&o)
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        child.wait_with_output().expect("the binary runs")
    }

    /// The WXR text.
    pub fn wxr(&self) -> String {
        std::fs::read_to_string(wxr_file(&self.out)).expect("WXR is UTF-8")
    }

    /// `report.json`, parsed.
    pub fn report(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.out.join("report.json")).expect("report.json");
        serde_json::from_str(&text).expect("report.json is JSON")
    }

    /// Warnings of the report as `kind|file|message` lines.
    pub fn warnings(&self) -> Vec<String> {
        self.report()["warnings"]
            .as_array()
            .expect("warnings list")
            .iter()
            .map(|w| {
                format!(
                    "{}|{}|{}",
                    w["kind"].as_str().unwrap_or_default(),
                    w["file"].as_str().unwrap_or_default(),
                    w["message"].as_str().unwrap_or_default()
                )
            })
            .collect()
    }

    /// Nothing but `OUT_DIR` changed: the input, the sentinel, the working
    /// folder and every other path of the tempdir are as frozen, and
    /// `OUT_DIR` holds only the WXR, `report.json`, `media/` and the
    /// manifest, with no temporary file left.
    pub fn assert_only_output_written(&self) {
        let after = snapshot(self.root());
        self.assert_outside_unchanged(&after, true);
        let mut unexpected = Vec::new();
        for (path, node) in &after {
            if self.before.contains_key(path) {
                continue;
            }
            let ok = match path.as_str() {
                "out" | "out/report.json" | "out/media" | "out/.spaces2wxr-manifest.json" => true,
                p if p.starts_with("out/media/") => !p.split('/').any(|seg| seg.starts_with('.')),
                p => {
                    p.starts_with("out/")
                        && !p[4..].contains('/')
                        && p.ends_with(".xml")
                        && !p[4..].starts_with('.')
                }
            };
            if !ok {
                unexpected.push(format!("{path} ({node:?})"));
            }
        }
        assert!(
            unexpected.is_empty(),
            "unexpected new paths: {unexpected:#?}"
        );
    }

    /// The run wrote nothing at all, anywhere.
    pub fn assert_nothing_written(&self) {
        let after = snapshot(self.root());
        let added: Vec<&String> = after
            .keys()
            .filter(|k| !self.before.contains_key(*k))
            .collect();
        assert!(added.is_empty(), "a failed run wrote {added:?}");
        self.assert_outside_unchanged(&after, false);
    }

    fn assert_outside_unchanged(&self, after: &Snapshot, out_may_change: bool) {
        assert!(!self.before.is_empty(), "scene was never frozen");
        for (path, was) in &self.before {
            if out_may_change && (path == "out" || path.starts_with("out/")) {
                continue;
            }
            let now = after.get(path);
            assert_eq!(now, Some(was), "{path} changed");
        }
    }
}

/// The one `.xml` file directly in `out`.
pub fn wxr_file(out: &Path) -> PathBuf {
    let xmls: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("out dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "xml")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    assert_eq!(xmls.len(), 1, "exactly one WXR in {out:?}: {xmls:?}");
    xmls[0].clone()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The run ended by itself (no signal, no panic, no stack overflow) with
/// one of the documented codes; returns the code.
pub fn assert_clean_exit(o: &Output) -> i32 {
    let err = stderr(o);
    let code = o
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {:?}\nstderr:\n{err}", o.status));
    assert!(
        [0, 1, 2, 3].contains(&code),
        "exit {code} (101 = panic)\nstderr:\n{err}"
    );
    assert!(!err.contains("panicked"), "panic:\n{err}");
    assert!(!err.contains("overflow"), "overflow:\n{err}");
    code
}

/// A fatal run: exit 1, one line on stderr naming `path` and containing
/// every word of `reason`.
pub fn assert_fatal(o: &Output, path: &Path, reason: &[&str]) {
    let err = stderr(o);
    assert_eq!(assert_clean_exit(o), 1, "expected a fatal error:\n{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line:\n{err}");
    assert!(
        err.contains(&*path.to_string_lossy()),
        "names {path:?}:\n{err}"
    );
    for r in reason {
        assert!(err.contains(r), "mentions {r:?}:\n{err}");
    }
}

/// A converted run: exit 0 (warnings or not); returns the code.
pub fn assert_converted(o: &Output) -> i32 {
    let code = assert_clean_exit(o);
    assert!(
        code == 0,
        "expected a conversion, got {code}:\n{}",
        stderr(o)
    );
    code
}

/// The effective user id, read from `/proc/self/status` (Linux).
pub fn euid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}
