//! Plain settings of one conversion, built by the command line (or a test)
//! and read by every stage. No clap types here.

use std::path::PathBuf;

use chrono::NaiveDateTime;

use crate::parse::market::GivenZone;
use crate::source::Limits;

/// Everything a conversion needs to know; see the README for each option.
#[derive(Debug, Clone)]
pub struct Config {
    /// The archive: a `.zip` file or an extracted folder.
    pub input: PathBuf,
    /// Further archives converted in the same run (`convert A B C`): each
    /// is read on its own and its blogs are never merged with another
    /// input's; the run writes one folder per blog and `summary.json`.
    pub more_inputs: Vec<PathBuf>,
    /// Convert only the blogs of this shard (`--shard K/N`); see [`Shard`].
    pub shard: Option<Shard>,
    /// The output folder.
    pub out_dir: PathBuf,
    /// Replace the outputs of an earlier run in a non-empty `out_dir`
    /// (exactly the files its manifest lists).
    pub force: bool,
    /// With `force`, also delete an `out_dir/media` folder that the tool
    /// did not write (or that holds files it did not write).
    pub replace_media: bool,
    /// URL of the WordPress site the WXR is meant for (no trailing slash).
    /// Internal links between posts are rewritten to `{site_url}/?name=SLUG`.
    pub site_url: String,
    /// URL under which `out_dir/media/` will be served during the import
    /// (no trailing slash).
    pub media_url: String,
    /// Time zone the blog's wall-clock dates were written in, as the user
    /// gave it; `None` reads it from the markets and languages each blog's
    /// pages name (see `parse::market::choose`), else UTC.
    pub timezone: Option<GivenZone>,
    /// WordPress login the posts are attributed to; `None` derives one from
    /// the space name.
    pub author: Option<String>,
    /// Moment the archive was saved, for relative comment dates such as
    /// `4 hours ago`; `None` uses each file's modification time.
    pub crawl_date: Option<NaiveDateTime>,
    /// Forced code page for zip entry names without the UTF-8 flag.
    pub zip_encoding: Option<crate::source::names::NameCodec>,
    /// Store each unsanitized body in a `_wls_original_html` postmeta.
    pub keep_original: bool,
    /// Drop `<img>` elements whose file is not in the archive instead of
    /// keeping their original (dead) link.
    pub drop_missing_images: bool,
    /// Keep links to Spaces entries the archive does not hold as they are,
    /// instead of pointing them at their Internet Archive copy.
    pub keep_dead_links: bool,
    /// Caps on file sizes, total size, compression ratio and entry count.
    pub limits: Limits,
    /// A second input (a folder of downloaded images, in any layout the
    /// main input may have) consulted for images the archive lacks.
    pub media_from: Option<PathBuf>,
    /// Split the WXR into `<space>.001.xml`, `<space>.002.xml`, … of at most
    /// this many bytes each (`--max-wxr-size`); `None` writes one file.
    pub max_wxr_size: Option<ByteSize>,
    /// The time written into the WXR channel's `pubDate`. Pinned by tests so
    /// that output is byte-identical; the CLI uses the newest date of the
    /// archive, never the clock, for the same reason.
    pub generated_at: Option<NaiveDateTime>,
}

impl Config {
    /// Settings with the documented defaults for `input` and `out_dir`.
    pub fn new(input: impl Into<PathBuf>, out_dir: impl Into<PathBuf>) -> Self {
        Config {
            input: input.into(),
            more_inputs: Vec::new(),
            shard: None,
            out_dir: out_dir.into(),
            force: false,
            replace_media: false,
            site_url: DEFAULT_SITE_URL.to_string(),
            media_url: format!("{DEFAULT_SITE_URL}/{DEFAULT_MEDIA_PATH}"),
            timezone: None,
            author: None,
            crawl_date: None,
            zip_encoding: None,
            keep_original: false,
            drop_missing_images: false,
            keep_dead_links: false,
            limits: Limits::default(),
            media_from: None,
            max_wxr_size: None,
            generated_at: None,
        }
    }
}

impl Config {
    /// Every input of the run, `input` first.
    pub fn inputs(&self) -> Vec<&std::path::Path> {
        std::iter::once(self.input.as_path())
            .chain(self.more_inputs.iter().map(PathBuf::as_path))
            .collect()
    }

    /// Is this a batch: several inputs, or a shard? A batch always writes
    /// one folder per blog and `summary.json`, whatever it finds.
    pub fn is_batch(&self) -> bool {
        !self.more_inputs.is_empty() || self.shard.is_some()
    }
}

/// Shard `k` of `n` (`--shard K/N`, 1-based): a run converts only the blogs
/// whose [`Shard::of`] is `k`, so `n` runs given the same inputs (on as
/// many machines) convert every blog exactly once between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, 1 to `n`.
    pub k: u32,
    /// How many shards.
    pub n: u32,
}

impl Shard {
    /// The shard (1 to `n`) of a blog with this identity: FNV-1a (64 bit)
    /// of the identity's UTF-8 bytes, modulo `n`, plus 1. The identity is
    /// the blog's host in lower case (`anna-lee.spaces.live.com`), else
    /// `cid-` and its owner id in lower-case hex, else the input's file
    /// name; it does not depend on where the input lies, on the order of
    /// the inputs, or on the machine.
    pub fn of(identity: &str, n: u32) -> u32 {
        (fnv1a64(identity.as_bytes()) % u64::from(n.max(1))) as u32 + 1
    }

    /// Does this shard hold the blog with this identity?
    pub fn holds(&self, identity: &str) -> bool {
        Shard::of(identity, self.n) == self.k
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{s}' is not a shard K/N with 1 <= K <= N (such as 3/8)");
        let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let k: u32 = k.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

/// FNV-1a, 64 bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Site URL of [`Config::new`], for tests and library callers that do not
/// care. The command line never uses it: `convert` requires `--site-url`,
/// so no output carries this address unless someone chose it.
pub const DEFAULT_SITE_URL: &str = "http://localhost";

/// Path under the site where the media bundle is expected by default.
pub const DEFAULT_MEDIA_PATH: &str = "spaces2wxr-media";

/// A number of bytes, as given on the command line: `512`, `300B`,
/// `64K`/`64KiB`, `2M`/`2MiB`, `1G`/`1GiB` (powers of 1024, as PHP's
/// `upload_max_filesize = 2M` means), or `500KB`, `2MB`, `1GB` (powers of
/// 1000, as SI has them). Letters are case-insensitive; no fractions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteSize(pub u64);

/// Why a size could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ByteSizeError {
    /// No digits, or something other than a unit after them.
    #[error("'{0}' is not a size such as 2M, 512KiB or 2MB (K, M, G, KiB, MiB, GiB are powers of 1024; KB, MB, GB powers of 1000)")]
    Malformed(String),
    /// Zero bytes.
    #[error("'{0}': the size must be more than zero")]
    Zero(String),
    /// More than 2^64 bytes.
    #[error("'{0}' is too large")]
    TooLarge(String),
}

impl std::str::FromStr for ByteSize {
    type Err = ByteSizeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "k" | "kib" => 1 << 10,
            "m" | "mib" => 1 << 20,
            "g" | "gib" => 1 << 30,
            "kb" => 1_000,
            "mb" => 1_000_000,
            "gb" => 1_000_000_000,
            _ => return Err(ByteSizeError::Malformed(s.to_string())),
        };
        if num.is_empty() {
            return Err(ByteSizeError::Malformed(s.to_string()));
        }
        let n: u64 = num
            .parse()
            .map_err(|_| ByteSizeError::TooLarge(s.to_string()))?;
        let bytes = n
            .checked_mul(mult)
            .ok_or_else(|| ByteSizeError::TooLarge(s.to_string()))?;
        if bytes == 0 {
            return Err(ByteSizeError::Zero(s.to_string()));
        }
        Ok(ByteSize(bytes))
    }
}

impl std::fmt::Display for ByteSize {
    /// The shortest exact form: `2MiB`, `2MB`, `1500B`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0;
        for (unit, size) in [
            ("GiB", 1u64 << 30),
            ("GB", 1_000_000_000),
            ("MiB", 1 << 20),
            ("MB", 1_000_000),
            ("KiB", 1 << 10),
            ("KB", 1_000),
        ] {
            if n >= size && n.is_multiple_of(size) {
                return write!(f, "{}{unit}", n / size);
            }
        }
        write!(f, "{n}B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_read_and_fnv1a_is_the_published_one() {
        // Test vectors of the FNV reference (draft-eastlake-fnv).
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!("3/8".parse(), Ok(Shard { k: 3, n: 8 }));
        assert_eq!("1/1".parse(), Ok(Shard { k: 1, n: 1 }));
        for bad in ["0/4", "5/4", "1/0", "3", "a/b", "-1/4", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let n = 7;
        for id in ["anna-lee.spaces.live.com", "cid-7e8f90a1b2c3d4e5", "x"] {
            let k = Shard::of(id, n);
            assert!((1..=n).contains(&k));
            let holding = (1..=n).filter(|k| Shard { k: *k, n }.holds(id)).count();
            assert_eq!(holding, 1);
        }
    }

    #[test]
    fn sizes_read_binary_and_decimal_units() {
        let ok = |s: &str| s.parse::<ByteSize>().map(|b| b.0);
        assert_eq!(ok("2MB"), Ok(2_000_000));
        assert_eq!(ok("2mb"), Ok(2_000_000));
        assert_eq!(ok("2M"), Ok(2 << 20));
        assert_eq!(ok("2MiB"), Ok(2 << 20));
        assert_eq!(ok("512KiB"), Ok(512 << 10));
        assert_eq!(ok("512k"), Ok(512 << 10));
        assert_eq!(ok("500KB"), Ok(500_000));
        assert_eq!(ok("64M"), Ok(64 << 20));
        assert_eq!(ok("1G"), Ok(1 << 30));
        assert_eq!(ok("1GB"), Ok(1_000_000_000));
        assert_eq!(ok(" 4096 "), Ok(4096));
        assert_eq!(ok("300B"), Ok(300));
        assert_eq!(ok("2 MiB"), Ok(2 << 20));
        for bad in ["", "MB", "2.5M", "2TB", "-1M", "2 M B", "lots", "0x10"] {
            assert!(
                matches!(bad.parse::<ByteSize>(), Err(ByteSizeError::Malformed(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            "0".parse::<ByteSize>(),
            Err(ByteSizeError::Zero(_))
        ));
        assert!(matches!(
            "0MB".parse::<ByteSize>(),
            Err(ByteSizeError::Zero(_))
        ));
        assert!(matches!(
            "99999999999999999999".parse::<ByteSize>(),
            Err(ByteSizeError::TooLarge(_))
        ));
        assert!(matches!(
            "20000000000G".parse::<ByteSize>(),
            Err(ByteSizeError::TooLarge(_))
        ));
        assert_eq!(ByteSize(2 << 20).to_string(), "2MiB");
        assert_eq!(ByteSize(2_000_000).to_string(), "2MB");
        assert_eq!(ByteSize(1500).to_string(), "1500B");
        for s in ["2MiB", "2MB", "1500B", "512KiB"] {
            assert_eq!(
                s.parse::<ByteSize>().map(|b| b.to_string()).as_deref(),
                Ok(s)
            );
        }
    }
}
