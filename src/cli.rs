//! The command line: clap arguments turned into a [`Config`]. The only
//! module that knows about clap.

use std::path::PathBuf;

use chrono::NaiveDateTime;
use clap::{Args, Parser, Subcommand};

use spaces2wxr::{
    ByteSize, ByteSizeError, Config, GivenZone, Limits, NameCodec, Shard, DEFAULT_MEDIA_PATH,
};

/// Convert a Windows Live Spaces archive into a WordPress import (WXR 1.2),
/// a media bundle and a report. Works offline; nothing is downloaded.
#[derive(Debug, Parser)]
#[command(
    name = "spaces2wxr",
    version,
    about,
    long_about = None,
    after_help = EXIT_CODES
)]
pub struct Cli {
    /// Print nothing but errors: no summary, no progress bars.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: every warning in the summary (not only the first 20).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Shown at the end of `--help`.
const EXIT_CODES: &str = "Example:
  spaces2wxr convert space.zip -o out --site-url https://blog.example.org
  (spaces2wxr convert --help lists the outputs and more examples)

Exit status: 0 the output was written (warnings or not; see report.json), \
3 written with warnings under --strict, 1 fatal error (nothing written), 2 usage error, \
130 interrupted (Ctrl-C, SIGTERM, SIGHUP; the run's partial files were removed).";

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert an archive (space.zip, an extracted backup or a crawler mirror).
    #[command(after_help = CONVERT_HELP, after_long_help = CONVERT_HELP)]
    Convert(Box<ConvertArgs>),
    /// Say what an archive holds and what a conversion would make of it
    /// (layout, blogs, posts, dates, comments, images, encodings, time
    /// zone, warnings), writing nothing.
    #[command(after_help = INSPECT_HELP)]
    Inspect(InspectArgs),
    /// Check WXR files (ours or anyone's) against what the WordPress
    /// Importer does, and say what an import would lose.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Print the images a converted blog lacks, one address per line, for a
    /// downloader; convert again with --media-from DIR to fill them in.
    #[command(after_help = MISSING_HELP)]
    Missing(MissingArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(
        after_help = "Example:\n  spaces2wxr completions bash > ~/.local/share/bash-completion/completions/spaces2wxr"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff) on standard output: the program's, or a
    /// subcommand's.
    #[command(
        after_help = "Examples:\n  spaces2wxr man > spaces2wxr.1 && man ./spaces2wxr.1\n  spaces2wxr man convert > spaces2wxr-convert.1"
    )]
    Man {
        /// A subcommand (convert, inspect, check, missing, completions).
        subcommand: Option<String>,
    },
}

/// Shown at the end of `convert --help`.
const CONVERT_HELP: &str = "Examples:
  spaces2wxr convert space.zip -o out --site-url https://blog.example.org
  spaces2wxr convert mirror/ -o out --site-url https://blog.example.org \\
      --media-url https://files.example.org/spaces --timezone Asia/Shanghai
  spaces2wxr convert space.zip -o out --site-url http://localhost --force --strict
  spaces2wxr convert space.zip -o out --site-url https://blog.example.org --max-wxr-size 2M
  spaces2wxr convert blogs/*.zip crawl.warc.gz -o out --site-url https://blog.example.org
  spaces2wxr convert blogs/*.zip -o out-3 --site-url https://blog.example.org --shard 3/8

Outputs (in OUT_DIR):
  <space>.xml       the WXR 1.2 file to import (Tools > Import > WordPress, or wp import)
  <space>.001.xml … with --max-wxr-size: the parts, to import in this order
  media/YYYY/MM/    the images the posts show; serve them at --media-url during the import
  report.json       what was converted, missing and changed (warning kinds: see the README)
  .spaces2wxr-manifest.json  what the run wrote, so --force replaces exactly that
  With several blogs (several inputs, an input holding several, or --shard):
  OUT_DIR/<space>/ for each, and summary.json; a table goes to standard error.
  A summary goes to standard error (none with --quiet; progress bars only on a terminal).

Exit status: 0 the output was written (warnings or not; see report.json; with several \
blogs, some may have failed: summary.json lists them), 3 written with warnings under --strict \
(a blog of a batch that failed is one), 1 fatal error (nothing written) or every blog of a batch failed \
(summary.json says why), 2 usage error (nothing read or written), 130 interrupted (Ctrl-C, SIGTERM, SIGHUP; the run's partial \
files were removed, nothing was changed).";

/// Shown at the end of `missing --help`.
const MISSING_HELP: &str = "Examples:
  spaces2wxr missing out/report.json > missing.txt
  wget -x -i missing.txt -P downloads    (or any downloader that keeps host/path folders)
  spaces2wxr convert blog.warc.gz -o out --site-url https://blog.example.org --force --media-from downloads

Exit status: 0 the list was printed (it may be empty), 1 the report could not be read, 2 usage error.";

/// Arguments of `missing`.
#[derive(Debug, Args)]
pub struct MissingArgs {
    /// A report.json written by convert (or the output folder holding it,
    /// or holding one folder per blog).
    pub report: PathBuf,
    /// Print the original addresses instead of their Internet Archive
    /// copies (https://web.archive.org/web/2011id_/URL).
    #[arg(long)]
    pub original: bool,
}

/// Shown at the end of `inspect --help`.
const INSPECT_HELP: &str = "Examples:
  spaces2wxr inspect space.zip
  spaces2wxr inspect mirror/ --json > inspection.json

It reads the archive the way convert does (images are found and read, not copied), so its \
numbers are the ones convert reports; it writes no file. Exit status: 0 read, 1 the input \
cannot be read or holds no Spaces entry, 2 usage error.";

/// Arguments of `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The archive: a .zip file or a folder.
    pub input: PathBuf,
    /// Print the inspection as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Time zone the blog's dates were written in, as for convert
    /// [default: the zone of the market the pages name, else UTC].
    #[arg(long, value_name = "TZ", value_parser = GivenZone::parse, allow_hyphen_values = true)]
    pub timezone: Option<GivenZone>,
    /// When the archive was saved, as for convert (YYYY-MM-DD HH:MM[:SS]).
    #[arg(long, value_name = "DATETIME", value_parser = parse_crawl_date)]
    pub crawl_date: Option<NaiveDateTime>,
    /// Code page of zip entry names that lack the UTF-8 flag, as for
    /// convert [default: detected].
    #[arg(long, value_name = "ENCODING", value_parser = zip_encoding)]
    pub zip_encoding: Option<NameCodec>,
}

impl InspectArgs {
    /// The library config: the input and the options that change what is
    /// read. It has no output folder; inspecting never writes.
    pub fn into_config(self) -> Config {
        let mut cfg = Config::new(self.input, PathBuf::new());
        cfg.timezone = self.timezone;
        cfg.crawl_date = self.crawl_date;
        cfg.zip_encoding = self.zip_encoding;
        cfg
    }
}

/// Shown at the end of `check --help`.
const CHECK_HELP: &str = "Examples:
  spaces2wxr check out/demo-space.xml --media-dir out/media
  spaces2wxr check export.xml --json

Exit status: 0 nothing would be lost (notes may be printed), 1 an import would lose or \
misattribute data, or a file could not be read, 2 usage error.";

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The WXR files.
    #[arg(required = true)]
    pub wxr: Vec<PathBuf>,
    /// The folder served at the attachments' URL (spaces2wxr's OUT_DIR/media),
    /// to check that every attachment file is there.
    #[arg(long, value_name = "DIR")]
    pub media_dir: Option<PathBuf>,
    /// Print the findings as JSON (one object per file) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The archives: .zip files, folders or web archives (WARC, WACZ). With
    /// several, or with --shard, every blog gets OUT_DIR/<space>/ and
    /// OUT_DIR/summary.json lists them; blogs are converted in parallel and
    /// one that fails does not stop the others.
    #[arg(required = true, num_args = 1.., value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Convert only the blogs of shard K of N (1-based), chosen by a stable
    /// hash of each blog's host or owner id, so N runs (on N machines, a
    /// Slurm array, parallel jobs) given the same inputs convert every blog
    /// exactly once between them.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Output folder; it must not exist or must be empty, unless --force.
    /// It may not be a symbolic link, hold the input, or lie in the input.
    #[arg(short, long, value_name = "OUT_DIR")]
    pub output: PathBuf,
    /// URL of the WordPress site you will import into (required: links
    /// between posts become {URL}/?name=SLUG, and the media URL is built on
    /// it). For a test site on this computer, say so: --site-url
    /// http://localhost.
    #[arg(long, value_name = "URL", required = true, value_parser = web_url)]
    pub site_url: String,
    /// URL where OUT_DIR/media/ will be reachable while the importer
    /// downloads the attachments [default: {site-url}/spaces2wxr-media].
    #[arg(long, value_name = "URL", value_parser = web_url)]
    pub media_url: Option<String>,
    /// Time zone the blog's dates were written in: an IANA name
    /// (Asia/Shanghai), an abbreviation (PST, CET, JST), UTC, or an offset
    /// (+08:00) [default: the zone of the market the pages name (mkt=zh-cn
    /// gives Asia/Shanghai), else UTC].
    #[arg(long, value_name = "TZ", value_parser = GivenZone::parse, allow_hyphen_values = true)]
    pub timezone: Option<GivenZone>,
    /// WordPress login to attribute the posts to [default: from the space name].
    #[arg(long, value_name = "LOGIN", value_parser = check_login)]
    pub author: Option<String>,
    /// When the archive was saved, for relative comment dates such as
    /// "4 hours ago" (YYYY-MM-DD HH:MM[:SS]) [default: HTTrack's stamp in
    /// the page, else the file's time].
    #[arg(long, value_name = "DATETIME", value_parser = parse_crawl_date)]
    pub crawl_date: Option<NaiveDateTime>,
    /// Code page of zip entry names that lack the UTF-8 flag (cp437, cp850,
    /// gbk, big5, shift_jis, …) [default: detected].
    #[arg(long, value_name = "ENCODING", value_parser = zip_encoding)]
    pub zip_encoding: Option<NameCodec>,
    /// Keep each unsanitized body in a _wls_original_html postmeta.
    #[arg(long)]
    pub keep_original: bool,
    /// Remove images whose file is not in the archive instead of keeping
    /// their original link.
    #[arg(long)]
    pub drop_missing_images: bool,
    /// Keep links to Spaces entries that are not in the archive as they are
    /// (dead spaces.live.com addresses) instead of pointing them at their
    /// Internet Archive copy (https://web.archive.org/web/2011/URL).
    #[arg(long)]
    pub keep_dead_links: bool,
    /// Write into a non-empty OUT_DIR. Replaces exactly what an earlier run
    /// wrote there, as OUT_DIR/.spaces2wxr-manifest.json lists it (its WXR
    /// files, report.json, and media/ with the files in it), and removes the
    /// work folder of a killed run, as OUT_DIR/.spaces2wxr.lock records it.
    /// It never touches anything else: your other files stay; a file, link
    /// or media/ folder that spaces2wxr did not write (or that changed since)
    /// where the run would write stops the run instead (see
    /// --replace-media); links are never followed; the input is never
    /// touched.
    #[arg(long)]
    pub force: bool,
    /// Exit with status 3 when the output was written but the run raised
    /// warnings (missing images, missing comments, …); without it such a run
    /// exits 0.
    #[arg(long)]
    pub strict: bool,
    /// With --force: delete an OUT_DIR/media folder that spaces2wxr did not
    /// write, or that holds files it did not write, with everything in it
    /// (a link there is removed, never followed), and put the new bundle in
    /// its place.
    #[arg(long, requires = "force")]
    pub replace_media: bool,
    /// Split the WXR into <space>.001.xml, <space>.002.xml, … of at most
    /// SIZE each, to import in that order (each also works on its own).
    /// K, M, G, KiB, MiB, GiB are powers of 1024 (2M = PHP's 2M upload
    /// limit); KB, MB, GB powers of 1000 [default: one file].
    #[arg(long, value_name = "SIZE", value_parser = parse_wxr_size)]
    pub max_wxr_size: Option<ByteSize>,
    /// Skip archive files larger than this (uncompressed; K, M, G suffixes).
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Refuse an archive whose files add up to more than this.
    #[arg(long, value_name = "SIZE", default_value = "64G", value_parser = parse_size)]
    pub max_total_size: u64,
    /// Skip zip entries over 1 MiB compressed more than N:1 (zip bombs).
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub max_ratio: u64,
    /// Refuse a zip with more entries than this.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub max_entries: usize,
    /// A folder (or zip, or web archive) of images downloaded later, for
    /// example with the list `spaces2wxr missing` prints: images the input
    /// lacks are looked for there, by their original address.
    #[arg(long, value_name = "DIR")]
    pub media_from: Option<PathBuf>,
}

impl ConvertArgs {
    /// The library config these arguments describe (clap has already
    /// checked and typed each value).
    pub fn into_config(self) -> Config {
        let mut inputs = self.inputs.into_iter();
        let first = inputs.next().unwrap_or_default();
        let mut cfg = Config::new(first, self.output);
        cfg.more_inputs = inputs.collect();
        cfg.shard = self.shard;
        cfg.timezone = self.timezone;
        cfg.media_url = match self.media_url {
            Some(u) => u,
            None => format!("{}/{DEFAULT_MEDIA_PATH}", self.site_url),
        };
        cfg.site_url = self.site_url;
        cfg.crawl_date = self.crawl_date;
        cfg.zip_encoding = self.zip_encoding;
        cfg.author = self.author;
        cfg.force = self.force;
        cfg.replace_media = self.replace_media;
        cfg.limits = Limits {
            max_file_bytes: self.max_file_size,
            max_total_bytes: self.max_total_size,
            max_ratio: self.max_ratio,
            max_entries: self.max_entries,
        };
        cfg.keep_original = self.keep_original;
        cfg.drop_missing_images = self.drop_missing_images;
        cfg.keep_dead_links = self.keep_dead_links;
        cfg.media_from = self.media_from;
        cfg.max_wxr_size = self.max_wxr_size;
        cfg
    }
}

/// A check report as text for a terminal.
pub fn check_text(r: &spaces2wxr::CheckReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let items: Vec<String> = r.items.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let _ = writeln!(
        out,
        "{}: WXR {}, {} items ({}), {} comments, {} authors, {} categories",
        r.file,
        r.wxr_version.as_deref().unwrap_or("?"),
        r.items.values().sum::<usize>(),
        items.join(", "),
        r.comments,
        r.authors,
        r.categories
    );
    for f in &r.findings {
        let level = match f.severity {
            spaces2wxr::Severity::Problem => "problem",
            spaces2wxr::Severity::Note => "note",
        };
        let item = f
            .item
            .as_deref()
            .map(|i| format!(" {i}:"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {level} [{}]{item} {}", f.code, f.message);
    }
    if r.problems() == 0 {
        let _ = writeln!(out, "  ok: an import loses nothing the checks know of");
    }
    out
}

/// `512`, `64K`, `2M`, `3G`, `1T` (powers of 1024).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => return Err("use a number with K, M, G or T".to_string()),
            };
            (&t[..i], 1u64 << shift)
        }
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| "not a size such as 512M or 2G".to_string())
}

/// `--max-wxr-size`: a [`ByteSize`].
fn parse_wxr_size(s: &str) -> Result<ByteSize, ByteSizeError> {
    s.parse()
}

/// An http(s) URL without its trailing slash.
fn web_url(url: &str) -> Result<String, String> {
    let u = url.trim().trim_end_matches('/');
    let parsed = url::Url::parse(u).ok();
    let ok = parsed.is_some_and(|p| {
        matches!(p.scheme(), "http" | "https")
            && p.host_str().is_some_and(|h| !h.is_empty())
            && p.query().is_none()
            && p.fragment().is_none()
    }) && !u.contains(char::is_whitespace);
    if ok {
        Ok(u.to_string())
    } else {
        Err("needs an http:// or https:// URL".to_string())
    }
}

fn parse_crawl_date(s: &str) -> Result<NaiveDateTime, String> {
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d",
    ]
    .iter()
    .find_map(|f| {
        NaiveDateTime::parse_from_str(s, f).ok().or_else(|| {
            chrono::NaiveDate::parse_from_str(s, f)
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
    })
    .ok_or_else(|| "not YYYY-MM-DD [HH:MM[:SS]]".to_string())
}

fn zip_encoding(label: &str) -> Result<NameCodec, String> {
    NameCodec::from_label(label).ok_or_else(|| {
        "unknown encoding (try cp437, cp850, gbk, big5, shift_jis, utf-8)".to_string()
    })
}

fn check_login(login: &str) -> Result<String, String> {
    let ok = !login.is_empty()
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '@'));
    if ok {
        Ok(login.to_string())
    } else {
        Err("a WordPress login uses only a-z 0-9 _ . - @".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn urls_and_logins_are_checked() {
        assert_eq!(
            web_url("https://blog.example.org/").as_deref(),
            Ok("https://blog.example.org")
        );
        assert!(web_url("ftp://x").is_err());
        assert_eq!(web_url("http://a").as_deref(), Ok("http://a"));
        assert!(web_url("http://").is_err());
        assert!(web_url("https://x/?q=1").is_err());
        assert!(check_login("anna").is_ok());
        assert!(check_login("安娜").is_err());
        assert!(parse_crawl_date("2011-03-01 12:30").is_ok());
        assert!(parse_crawl_date("yesterday").is_err());
        assert_eq!(
            zip_encoding("cp936"),
            Ok(NameCodec::Legacy(encoding_rs::GBK))
        );
        assert_eq!(zip_encoding("850"), Ok(NameCodec::Cp850));
        assert!(zip_encoding("klingon").is_err());
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("512"), Ok(512));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999T").is_err());
    }
}
