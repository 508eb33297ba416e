//! The output folder: the user's files are never removed or overwritten,
//! and a failure to write ends the run with OUT_DIR as it was.
//!
//! Each test runs the real binary on a small generated archive in a scene
//! (see `common.rs`): the input, `out/`, and a sentinel folder that
//! no run may touch. Full and read-only file systems are real: a small
//! tmpfs is mounted when the test runs as root (as CI does); where mounting
//! is not permitted the test says `skipped` and passes.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const MANIFEST: &str = ".spaces2wxr-manifest.json";

/// A PNG-signed file of `len` bytes, different for each `n`.
fn image(n: u64, len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while bytes.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.push(x as u8);
    }
    bytes
}

/// `entries` entry pages; entry `n` shows image `n % images` (none when
/// `images` is 0) and carries `words` words of text.
fn archive(entries: u64, images: u64, image_len: usize, words: usize) -> Vec<(String, Vec<u8>)> {
    let text = "lorem ipsum dolor sit amet ".repeat(words / 5 + 1);
    let mut files: Vec<(String, Vec<u8>)> = (1..=entries)
        .map(|n| {
            let img = if images > 0 {
                format!("<img src=\"../img/p{}.png\" alt=\"photo\">", n % images)
            } else {
                String::new()
            };
            let body = format!("<p>Entry {n}: {text}</p>{img}");
            let p = page(n, &format!("Entry {n}"), &body, &[]);
            (entry_path(n), p.into_bytes())
        })
        .collect();
    files.extend((0..images).map(|n| (format!("img/p{n}.png"), image(n, image_len))));
    files
}

fn scene(files: &[(String, Vec<u8>)]) -> Scene {
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    Scene::folder(&refs)
}

/// Two entries and one image.
fn small_scene() -> Scene {
    scene(&archive(2, 1, 2_000, 20))
}

/// Names directly in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The paths the manifest lists.
fn manifest_paths(out: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(out.join(MANIFEST)).expect("manifest");
    let v: serde_json::Value = serde_json::from_str(&text).expect("manifest is JSON");
    v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["path"].as_str().expect("path").to_string())
        .collect()
}

// ------------------------------------------------------------ --force

#[test]
fn force_keeps_the_users_files_whatever_their_names() {
    let mut s = small_scene();
    assert_converted(&s.run(&[]));
    // Files of the user's, some named like the temporaries of old versions.
    let mine: [(&str, &[u8]); 5] = [
        (".notes.old-1", b"notes"),
        (".draft.partial-2", b"draft"),
        (".space.xml.partial-99", b"my own xml"),
        ("mine.txt", b"mine"),
        (".media.old-7/photo.jpg", b"photo"),
    ];
    for (rel, bytes) in mine {
        let p = s.out.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, bytes).expect("write");
    }
    s.freeze();
    assert_converted(&s.run(&["--force"]));
    for (rel, bytes) in mine {
        assert_eq!(
            std::fs::read(s.out.join(rel)).ok().as_deref(),
            Some(bytes),
            "{rel} was removed or changed"
        );
    }
    let mut want = vec![
        ".draft.partial-2",
        ".media.old-7",
        ".notes.old-1",
        ".space.xml.partial-99",
        MANIFEST,
        "media",
        "mine.txt",
        "report.json",
        "space.xml",
    ];
    want.sort();
    assert_eq!(names(&s.out), want);
}

#[test]
fn force_refuses_a_media_folder_the_tool_did_not_write() {
    let mut s = small_scene();
    std::fs::create_dir_all(s.out.join("media/holiday")).expect("mkdir");
    std::fs::write(s.out.join("media/holiday/me.jpg"), b"me at the sea").expect("write");
    let o = s.run(&["--force"]);
    assert_fatal(&o, &s.out.join("media"), &["--replace-media"]);
    s.assert_nothing_written();
    // The documented way to replace it.
    let o = s.run(&["--replace-media"]);
    assert_eq!(assert_clean_exit(&o), 2, "--replace-media needs --force");
    assert_converted(&s.run(&["--force", "--replace-media"]));
    assert!(!s.out.join("media/holiday").exists());
    s.assert_only_output_written();
}

#[test]
fn force_refuses_a_file_added_to_the_tools_media_folder() {
    let mut s = small_scene();
    assert_converted(&s.run(&[]));
    let added = s.out.join("media/2010/09/my-own.jpg");
    std::fs::write(&added, b"mine").expect("write");
    s.freeze();
    let o = s.run(&["--force"]);
    assert_fatal(&o, &s.out.join("media"), &["media/2010/09/my-own.jpg"]);
    s.assert_nothing_written();
}

#[test]
fn force_never_overwrites_a_file_the_tool_did_not_write() {
    for name in ["report.json", "space.xml"] {
        let mut s = small_scene();
        std::fs::create_dir(&s.out).expect("mkdir");
        std::fs::write(s.out.join(name), b"the user's own").expect("write");
        let o = s.run(&["--force"]);
        assert_fatal(&o, &s.out.join(name), &["does not list"]);
        s.assert_nothing_written();
    }
}

#[test]
fn force_with_another_archive_leaves_no_stale_wxr() {
    let mut s = small_scene();
    assert_converted(&s.run(&[]));
    assert!(s.out.join("space.xml").exists());
    let other = s.root().join("other-blog");
    std::fs::rename(&s.input, &other).expect("rename input");
    s.input = other;
    assert_converted(&s.run(&["--force"]));
    assert!(
        !s.out.join("space.xml").exists(),
        "stale WXR of the old archive"
    );
    assert!(s.out.join("other-blog.xml").exists());
    let listed = manifest_paths(&s.out);
    assert!(listed.contains(&"other-blog.xml".to_string()), "{listed:?}");
    assert!(!listed.contains(&"space.xml".to_string()), "{listed:?}");
}

#[test]
fn a_linked_out_dir_is_refused() {
    let mut s = small_scene();
    let real = s.root().join("real-out");
    std::fs::create_dir(&real).expect("mkdir");
    std::fs::write(real.join(".keep.partial-1"), b"keep").expect("write");
    std::fs::write(real.join(".spaces2wxr-run-1-a"), b"keep").expect("write");
    std::os::unix::fs::symlink(&real, &s.out).expect("symlink");
    let o = s.run(&["--force"]);
    assert_fatal(&o, &s.out, &["symbolic link"]);
    s.assert_nothing_written();
}

#[test]
fn an_input_inside_out_dir_is_refused() {
    let zip = zip_bytes(&[(&entry_path(1), &simple_page(1, "ZIPPED"))]);
    // The zip directly in OUT_DIR, and inside a media folder --force would replace.
    for rel in ["space.zip", "media/space.zip"] {
        let mut s = Scene::zip(&zip);
        let input = s.out.join(rel);
        std::fs::create_dir_all(input.parent().expect("parent")).expect("mkdir");
        std::fs::rename(&s.input, &input).expect("move the zip into OUT_DIR");
        s.input = input.clone();
        let o = s.run(&["--force", "--replace-media"]);
        assert_fatal(&o, &s.out, &["lies inside"]);
        assert_eq!(std::fs::read(&input).expect("zip still there"), zip);
        s.assert_nothing_written();
    }
    // A folder input inside OUT_DIR.
    let mut s = small_scene();
    let input = s.out.join("blog");
    std::fs::create_dir(&s.out).expect("mkdir");
    std::fs::rename(&s.input, &input).expect("move");
    s.input = input;
    let o = s.run(&["--force"]);
    assert_fatal(&o, &s.out, &["lies inside"]);
    s.assert_nothing_written();
}

#[test]
fn a_failed_run_leaves_no_trace() {
    // Nothing found in the input: OUT_DIR (created for the lock) goes again.
    let mut s = Scene::folder(&[("index.html", b"<html><body>hello</body></html>")]);
    let o = s.run(&[]);
    assert_eq!(assert_clean_exit(&o), 1);
    assert!(!s.out.exists());
    s.assert_nothing_written();
}

// ------------------------------------------------- unreadable input image

#[test]
fn an_unreadable_input_image_stays_a_warning() {
    let good = image(1, 3_000);
    let bad = image(2, 3_000);
    let p1 = page(1, "Good", "<img src=\"../img/good.png\">", &[]);
    let p2 = page(2, "Bad", "<img src=\"../img/bad.png\">", &[]);
    let stored = zip_options().compression_method(zip::CompressionMethod::Stored);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in [
        (entry_path(1), p1.as_bytes()),
        (entry_path(2), p2.as_bytes()),
        ("img/good.png".to_string(), &good[..]),
        ("img/bad.png".to_string(), &bad[..]),
    ] {
        use std::io::Write;
        w.start_file(name, stored).expect("start");
        w.write_all(bytes).expect("write");
    }
    let mut zip = w.finish().expect("finish").into_inner();
    // Damage the stored bytes of bad.png: its checksum no longer matches.
    let at = zip
        .windows(64)
        .position(|win| win == &bad[1000..1064])
        .expect("image bytes in the zip");
    zip[at] ^= 0xFF;
    let mut s = Scene::zip(&zip);
    assert_converted(&s.run(&[]));
    let warnings = s.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("media-unreadable|img/bad.png")),
        "{warnings:#?}"
    );
    let bundled = list_paths(&s.out.join("media"));
    assert!(
        bundled.iter().any(|(p, _)| p.ends_with("good.png")),
        "{bundled:?}"
    );
    assert!(
        !bundled.iter().any(|(p, _)| p.ends_with("bad.png")),
        "{bundled:?}"
    );
    s.assert_only_output_written();
}

// ------------------------------------------- full and read-only file systems

/// A tmpfs mounted for one test, unmounted on drop.
struct Mount {
    dir: PathBuf,
}

impl Mount {
    /// Mount a tmpfs of `size` (`mount -o size=…`) at `dir`; `None`, with a
    /// line saying the test is skipped, where mounting is not permitted.
    fn tmpfs(dir: &Path, size: &str, test: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).expect("mkdir mount point");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            println!("skipped {test}: cannot mount a tmpfs here (needs root, as in CI)");
            return None;
        }
        Some(Mount {
            dir: dir.to_path_buf(),
        })
    }

    fn read_only(&self) {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount read-only");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

/// Snapshot of `out` (empty when it does not exist).
fn out_state(out: &Path) -> (bool, Snapshot) {
    (out.exists(), snapshot(out))
}

/// A run into a 1 MiB file system fails with exit 1, names the file and
/// the reason, and leaves OUT_DIR as it was: absent, or holding the
/// complete output of an earlier run.
fn full_disk_case(test: &str, files: &[(String, Vec<u8>)]) {
    let mut s = scene(files);
    let Some(_mount) = Mount::tmpfs(&s.root().join("disk"), "1m", test) else {
        return;
    };
    s.out = s.root().join("disk/out");
    s.freeze();
    let o = s.run(&[]);
    assert_fatal(&o, &s.out, &["No space left on device"]);
    assert!(
        !s.out.exists(),
        "OUT_DIR removed again: {:?}",
        names(&s.out)
    );
    s.assert_nothing_written();

    // Over the complete output of a small archive, with --force.
    let small = s.root().join("small");
    let small_files = archive(2, 1, 2_000, 20);
    for (rel, bytes) in &small_files {
        let p = small.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, bytes).expect("write");
    }
    let big = std::mem::replace(&mut s.input, small);
    assert_converted(&s.run(&[]));
    s.input = big;
    let before = out_state(&s.out);
    s.freeze();
    let o = s.run(&["--force"]);
    assert_fatal(&o, &s.out, &["No space left on device"]);
    assert_eq!(out_state(&s.out), before, "OUT_DIR changed");
    s.assert_nothing_written();
}

#[test]
fn a_full_disk_while_copying_images_is_fatal_and_changes_nothing() {
    // 20 images of 100 KB: the bundle cannot fit in 1 MiB.
    full_disk_case(
        "a_full_disk_while_copying_images_is_fatal_and_changes_nothing",
        &archive(40, 20, 100_000, 10),
    );
}

#[test]
fn a_full_disk_while_writing_the_wxr_is_fatal_and_changes_nothing() {
    // No images, 3,000 posts of text: the WXR cannot fit in 1 MiB.
    full_disk_case(
        "a_full_disk_while_writing_the_wxr_is_fatal_and_changes_nothing",
        &archive(3_000, 0, 0, 60),
    );
}

#[test]
fn a_read_only_out_dir_is_fatal_and_changes_nothing() {
    let mut s = small_scene();
    let root = euid() == Some(0);
    let mount = if root {
        let Some(m) = Mount::tmpfs(
            &s.root().join("disk"),
            "4m",
            "a_read_only_out_dir_is_fatal_and_changes_nothing",
        ) else {
            return;
        };
        s.out = s.root().join("disk/out");
        Some(m)
    } else {
        None
    };
    assert_converted(&s.run(&[]));
    match &mount {
        Some(m) => m.read_only(),
        None => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&s.out, std::fs::Permissions::from_mode(0o555))
                .expect("chmod");
        }
    }
    let before = out_state(&s.out);
    s.freeze();
    let o = s.run(&["--force"]);
    let reason = if root {
        "Read-only file system"
    } else {
        "Permission denied"
    };
    assert_fatal(&o, &s.out, &[reason]);
    assert_eq!(out_state(&s.out), before, "OUT_DIR changed");
    s.assert_nothing_written();
    if mount.is_none() {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&s.out, std::fs::Permissions::from_mode(0o755));
    }
}
