//! A web archive converts in memory that follows its largest HTTP header,
//! not its records (issue 14): the index pass skips or decodes bodies as
//! streams, and a payload is read again from its gzip member when used.
//!
//! The same blog is recorded twice as a per-record `.warc.gz` whose image
//! payloads differ in size, 256 KiB against 16 MiB each (chunked and
//! gzip-encoded, so they are decoded on the way, twice: once to count them,
//! once to bundle them). Both are converted through the library while a
//! counting allocator records the peak of live heap bytes; the larger run
//! may not need more heap by anything near the bytes added. Heap bytes are
//! counted exactly, not timed.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;
use peak_alloc::PeakAlloc;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

const OWNER: &str = "D2C0FFEE12345678";

/// One WARC record in its own gzip member.
fn member(uri: &str, http: &[u8]) -> Vec<u8> {
    let mut rec = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2009-03-01T12:00:00Z\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    rec.extend(http);
    rec.extend(b"\r\n\r\n");
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(&rec).expect("gzip");
    gz.finish().expect("gzip")
}

/// A JPEG-looking payload of `len` bytes, distinct per `seed`.
fn image(seed: u8, len: usize) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, seed];
    let mut x: u32 = 0x9E37_79B9 ^ u32::from(seed);
    while b.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b.push((x >> 24) as u8);
    }
    b
}

/// A `.warc.gz` with one entry page showing `images` images of
/// `image_len` bytes each; returns the payload bytes recorded.
fn make_warc(path: &Path, images: usize, image_len: usize) -> usize {
    let mut out = Vec::new();
    let mut body = String::new();
    let mut total = 0;
    for i in 0..images {
        let uri = format!("http://tkfiles.storage.msn.com/x1pMem{i}/photo{i}.jpg");
        body.push_str(&format!("<p><img src=\"{uri}\" alt=\"photo {i}\"></p>"));
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(&image(i as u8, image_len)).expect("gzip");
        let encoded = gz.finish().expect("gzip");
        let mut http =
            b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                .to_vec();
        for chunk in encoded.chunks(64 << 10) {
            http.extend(format!("{:x}\r\n", chunk.len()).bytes());
            http.extend(chunk);
            http.extend(b"\r\n");
        }
        http.extend(b"0\r\n\r\n");
        total += image_len;
        out.extend(member(&uri, &http));
    }
    let id = format!("cns!{OWNER}!1");
    let page = format!(
        "<html><head><meta charset=\"utf-8\"></head><body><h4 id=\"subj{id}\">Photos</h4><div id=\"msg{id}\" class=\"bvMsg\">{body}</div><span class=\"bold\" id=\"LastMDate{id}\">3/1/2009</span><div class=\"footerLinks\">7:15 AM</div></body></html>"
    );
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{page}",
        page.len()
    );
    out.extend(member(
        &format!("http://demo-space.spaces.live.com/blog/{id}.entry"),
        http.as_bytes(),
    ));
    std::fs::write(path, out).expect("write warc");
    total
}

/// Peak live heap bytes while converting `input`.
fn peak_of_conversion(input: &Path, out: &Path) -> usize {
    let cfg = spaces2wxr::Config::new(input, out);
    HEAP.reset_peak_usage();
    let before = HEAP.current_usage();
    let report = spaces2wxr::convert(&cfg).expect("conversion runs");
    let peak = HEAP.peak_usage() - before;
    drop(report);
    peak
}

#[test]
fn a_warc_converts_in_memory_bounded_by_its_headers_not_its_payloads() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (small, large) = (
        tmp.path().join("small.warc.gz"),
        tmp.path().join("large.warc.gz"),
    );
    let small_bytes = make_warc(&small, 4, 256 << 10);
    let large_bytes = make_warc(&large, 4, 16 << 20);
    let small_peak = peak_of_conversion(&small, &tmp.path().join("o1"));
    let large_peak = peak_of_conversion(&large, &tmp.path().join("o2"));
    let growth = large_peak.saturating_sub(small_peak);
    eprintln!(
        "peak heap: {small_bytes} B of payloads {small_peak} B, {large_bytes} B of payloads {large_peak} B (+{growth} B)"
    );
    assert!(
        growth < (large_bytes - small_bytes) / 20,
        "peak heap grew by {growth} B while the payloads grew by {} B",
        large_bytes - small_bytes
    );
    for out in ["o1", "o2"] {
        let report: serde_json::Value = serde_json::from_slice(
            &std::fs::read(tmp.path().join(out).join("report.json")).expect("report"),
        )
        .expect("json");
        assert_eq!(report["counts"]["attachments"], 4, "{out}");
    }
}
