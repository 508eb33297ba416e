#!/usr/bin/env python3
"""Build the web-archive fixtures (WARC.gz and WACZ) with warcio.

    pip install -r scripts/warc-requirements.txt
    python3 scripts/make-warc-fixtures.py

Deterministic (fixed record ids, dates and gzip headers; running it twice
gives byte-identical files). The outputs are committed, so the tests never
need Python. All content is invented; the markup follows the Spaces DOM
markers of shared/docs/spaces-archives.md, the records follow
shared/docs/web-archives.md section 3.

  testdata/warc-en/warc-en.warc.gz   one gzip member per record:
      warcinfo; request + response of an entry page (chunked AND gzip
      content-encoded body, two comments, five images); the list page
      (WARC-Target-URI in <...>, gzip content-encoded, not chunked; two
      entries); two images (200); a revisit of the second image under
      another address (identical payload digest, no Refers-To: resolved by
      digest); a 302 from an old image address to the first image; a 404
      image; a 500 page. One image is never captured (for --media-from).
  testdata/wacz-zh/wacz-zh.wacz      a WACZ (zip, archive/data.warc.gz
      STORED as the spec asks, datapackage.json, pages/pages.jsonl) with a
      zh-CN entry page (utf-8, Content-Type charset only in HTTP) and its
      image, the image recorded through the Wayback (Target-URI
      https://web.archive.org/web/2009...im_/http://...).
  testdata/wacz-zh/deflated/wacz-zh-deflated.wacz  the same WACZ with the
      WARC entry DEFLATED (allowed by readers, read from its start).
"""

import gzip
import hashlib
import io
import json
import os
import zipfile
import zlib

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from fixturelib import jpeg_variant

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.path.join(ROOT, "testdata")
OWNER = "D2C0FFEE12345678"
HOST = "demo-space.spaces.live.com"


def cns(n):
    return f"cns!{OWNER}!{n}"


def entry_page(n, title, body, date, time, comments, lang="en-us"):
    cs = "".join(
        f'<div class="ccCommentBox"><div class="cxp_ic_name">{a}</div>'
        f'<div class="Comment">{t}</div><div class="ccDateBox"><span>{d}</span></div></div>\n'
        for a, t, d in comments
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:bv="http://spaces.live.com/bv" dir="ltr" lang="{lang}">
<head><title>{title} - Windows Live</title></head>
<body class="spacesBody">
<div id="blogPart"><div class="bvEntryPage">
<h4 id="subj{cns(n)}" class="TextColor1">{title}</h4>
<div id="msg{cns(n)}" class="bvMsg">{body}</div>
<span class="bold" id="LastMDate{cns(n)}">{date}</span>
<div class="footerLinks">{time}&nbsp;| <a bvItemType="post" href="#post">Comments ({len(comments)})</a>&nbsp;| <a id="blogPermalink0" href="http://{HOST}/blog/{cns(n)}.entry">Permalink</a></div>
<div id="ccComments" class="ccComments">
{cs}</div>
</div></div>
</body>
</html>
"""


def list_page(entries):
    parts = []
    for n, title, body, stamp in entries:
        parts.append(
            f"""<div id="entry{cns(n)}" class="bvEntry" bv:cns="{cns(n)}" bv:ca="true" bv:cat="Travel">
<h4 id="subj{cns(n)}" class="TextColor1"><a href="http://{HOST}/blog/{cns(n)}.entry">{title}</a></h4>
<div id="msg{cns(n)}" class="bvMsg">{body}</div>
<div class="footerLinks"><nobr>{stamp}</nobr>&nbsp;| <a bvItemType="post" href="http://{HOST}/blog/{cns(n)}.entry#post">Comments (0)</a>&nbsp;| <a id="blogPermalink0" href="http://{HOST}/blog/{cns(n)}.entry">Permalink</a></div>
<div class="footer"></div>
</div>
"""
        )
    return f"""<!DOCTYPE html>
<html xmlns:bv="http://spaces.live.com/bv" lang="en-us">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Demo's space - Windows Live</title></head>
<body><div id="blogPart"><h2 class="TextColor1">Blog</h2>
{''.join(parts)}</div></body></html>
"""


def gz_body(data):
    """gzip with a fixed header (mtime 0), as a server would send it."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
        g.write(data)
    return buf.getvalue()


def chunked(data, size=700):
    out = b""
    for i in range(0, len(data), size):
        part = data[i : i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"


def http(status, headers, body):
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode() + body


class Writer:
    def __init__(self, fh):
        self.w = WARCWriter(fh, gzip=True, warc_version="1.0")
        self.n = 0

    def _headers(self, date, extra=None):
        self.n += 1
        h = {
            "WARC-Date": date,
            "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{self.n:012d}>",
        }
        h.update(extra or {})
        return h

    def info(self):
        rec = self.w.create_warcinfo_record(
            "fixture.warc.gz",
            {"software": "spaces2wxr make-warc-fixtures.py", "format": "WARC File Format 1.0"},
        )
        rec.rec_headers.replace_header("WARC-Date", "2009-03-01T12:00:00Z")
        rec.rec_headers.replace_header(
            "WARC-Record-ID", "<urn:uuid:00000000-0000-4000-8000-000000000000>"
        )
        self.w.write_record(rec)

    def response(self, uri, raw, date="2009-03-01T12:00:00Z", extra=None):
        rec = self.w.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(raw),
            warc_headers_dict=self._headers(date, extra),
        )
        self.w.write_record(rec)
        return rec

    def request(self, uri, date="2009-03-01T12:00:00Z"):
        path = uri.split("/", 3)[3] if uri.count("/") >= 3 else ""
        raw = f"GET /{path} HTTP/1.1\r\nHost: {uri.split('/')[2]}\r\n\r\n".encode()
        rec = self.w.create_warc_record(
            uri, "request", payload=io.BytesIO(raw), warc_headers_dict=self._headers(date)
        )
        self.w.write_record(rec)

    def revisit(self, uri, digest, date="2009-03-02T12:00:00Z"):
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1"
        )
        rec = self.w.create_revisit_record(
            uri, digest, "http://unused/", "2009-03-01T12:00:00Z", http_headers=headers
        )
        # A WARC 1.0 revisit as Heritrix wrote them: no Refers-To fields.
        rec.rec_headers.remove_header("WARC-Refers-To-Target-URI")
        rec.rec_headers.remove_header("WARC-Refers-To-Date")
        rec.rec_headers.replace_header("WARC-Date", date)
        self.n += 1
        rec.rec_headers.replace_header(
            "WARC-Record-ID", f"<urn:uuid:00000000-0000-4000-8000-{self.n:012d}>"
        )
        self.w.write_record(rec)


def sha1_digest(data):
    import base64

    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def warc_en():
    harbour = jpeg_variant("warc-en harbour")
    lighthouse = jpeg_variant("warc-en lighthouse")
    img_a = "http://tkfiles.storage.msn.com/x1pWarcA/harbour.jpg"
    img_b = "http://tkfiles.storage.msn.com/x1pWarcB/lighthouse.jpg"
    img_b_revisit = "http://blufiles.storage.msn.com/x1pWarcB/lighthouse.jpg"
    img_moved = "http://tkfiles.storage.msn.com/x1pMoved/old-harbour.jpg"
    img_gone = "http://tkfiles.storage.msn.com/x1pGone/gone.jpg"
    img_never = "http://tkfiles.storage.msn.com/x1pNever/later.jpg"
    body = (
        "<p>Walked down to the old harbour at dawn; the fishing boats were still in.</p>"
        f'<p><img src="{img_a}" alt="Harbour"></p>'
        f'<p><img src="{img_b_revisit}" alt="Lighthouse"></p>'
        f'<p><img src="{img_moved}" alt="Harbour again"></p>'
        f'<p><img src="{img_gone}" alt="Gone"></p>'
        f'<p><img src="{img_never}" alt="Later"></p>'
    )
    entry = entry_page(
        501,
        "Morning at the harbour",
        body,
        "3/1/2009",
        "7:15 AM",
        [
            ("Rui", "Lovely light on the water.", "3/1/2009 9:30 AM"),
            ("Helen", "Which harbour is this?", "3/2/2009 6:05 PM"),
        ],
    ).encode()
    listing = list_page(
        [
            (502, "Rainy Sunday", "<p>Stayed in and read all day.</p>", "2/22/2009 4:00 PM"),
            (503, "First post", "<p>Hello from my new space.</p>", "2/15/2009 10:30 AM"),
        ]
    ).encode()
    out = io.BytesIO()
    w = Writer(out)
    w.info()
    entry_uri = f"http://{HOST}/blog/{cns(501)}.entry"
    w.request(entry_uri)
    w.response(
        entry_uri,
        http(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
            ],
            chunked(gz_body(entry)),
        ),
    )
    w.response(
        f"http://{HOST}/",
        http(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(len(gz_body(listing)))),
            ],
            gz_body(listing),
        ),
    )
    w.response(
        img_a,
        http("200 OK", [("Content-Type", "image/jpeg"), ("Content-Length", str(len(harbour)))], harbour),
    )
    w.response(
        img_b,
        http(
            "200 OK",
            [("Content-Type", "image/jpeg"), ("Content-Length", str(len(lighthouse)))],
            lighthouse,
        ),
        extra={"WARC-Payload-Digest": sha1_digest(lighthouse)},
    )
    w.revisit(img_b_revisit, sha1_digest(lighthouse))
    w.response(
        img_moved,
        http("302 Found", [("Location", img_a), ("Content-Length", "0")], b""),
    )
    w.response(
        img_gone,
        http("404 Not Found", [("Content-Type", "text/html"), ("Content-Length", "9")], b"not found"),
    )
    w.response(
        f"http://{HOST}/blog/{cns(504)}.entry",
        http("500 Internal Server Error", [("Content-Type", "text/html")], b"<html>error</html>"),
    )
    data = out.getvalue()
    # The list page's Target-URI in angle brackets (wget 1.19 wrote them).
    data = bracket_uri(data, f"http://{HOST}/")
    return data, {"later.jpg": jpeg_variant("warc-en later (downloaded)")}


def bracket_uri(data, uri):
    """Rewrite, inside its own gzip member, the one record whose Target-URI
    is `uri` to `<uri>` (Content-Length is of the block, so unchanged)."""
    out = b""
    rest = data
    while rest:
        d = zlib.decompressobj(31)
        plain = d.decompress(rest)
        used = len(rest) - len(d.unused_data)
        member, rest = rest[:used], rest[used:]
        needle = f"WARC-Target-URI: {uri}\r\n".encode()
        if needle in plain:
            plain = plain.replace(needle, f"WARC-Target-URI: <{uri}>\r\n".encode())
            member = gz_body(plain)
        out += member
    return out


def warc_zh():
    photo = jpeg_variant("wacz-zh 西湖")
    img = "http://blufiles.storage.msn.com/y1pZhWacz/xihu.jpg"
    body = (
        "<div>周末去了西湖，断桥边的柳树叶子都黄了。</div>"
        f'<div><img src="{img}" alt="西湖"></div>'
    )
    page = entry_page(
        1301,
        "周末去了西湖",
        body,
        "2009/11/28",
        "8:03",
        [("小猫", "照片真好看！", "2009/11/29 0:12")],
        lang="zh-cn",
    ).encode()
    out = io.BytesIO()
    w = Writer(out)
    w.info()
    w.response(
        f"http://{HOST}/blog/{cns(1301)}.entry",
        http("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))], page),
    )
    w.response(
        f"https://web.archive.org/web/20091130000000im_/{img}",
        http("200 OK", [("Content-Type", "image/jpeg"), ("Content-Length", str(len(photo)))], photo),
    )
    return out.getvalue()


def wacz(warc, method):
    pages = (
        json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})
        + "\n"
        + json.dumps(
            {"url": f"http://{HOST}/blog/{cns(1301)}.entry", "ts": "2009-03-01T12:00:00Z", "title": "周末去了西湖"},
            ensure_ascii=False,
        )
        + "\n"
    ).encode()
    resources = [("archive/data.warc.gz", warc), ("pages/pages.jsonl", pages)]
    package = {
        "profile": "data-package",
        "wacz_version": "1.1.1",
        "title": "demo-space",
        "resources": [
            {"name": os.path.basename(p), "path": p, "hash": "sha256:" + hashlib.sha256(b).hexdigest(), "bytes": len(b)}
            for p, b in resources
        ],
    }
    files = resources + [("datapackage.json", json.dumps(package, indent=2).encode())]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2009, 3, 1, 12, 0, 0))
            info.compress_type = method if name.startswith("archive/") else zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def write(rel, data):
    p = os.path.join(TESTDATA, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)
    print(f"wrote {rel} ({len(data)} bytes)")


def main():
    data, downloads = warc_en()
    write("warc-en/warc-en.warc.gz", data)
    for name, b in downloads.items():
        # A later download of the missing image, as `wget -x` saves
        # https://web.archive.org/web/2011id_/http://tkfiles.storage.msn.com/x1pNever/later.jpg
        write(
            f"warc-en/downloads/web.archive.org/web/2011id_/http:/tkfiles.storage.msn.com/x1pNever/{name}",
            b,
        )
    zh = warc_zh()
    write("wacz-zh/wacz-zh.wacz", wacz(zh, zipfile.ZIP_STORED))
    write("wacz-zh/deflated/wacz-zh-deflated.wacz", wacz(zh, zipfile.ZIP_DEFLATED))


if __name__ == "__main__":
    main()
