#!/usr/bin/env python3
"""Write a large WARC.gz for the memory benchmark: a list page of N entries,
each showing one photo of K KiB, and every photo as its own gzip-compressed
response record, so the file is about N * K KiB (1 GB with the defaults).

    python3 scripts/make-big-warc.py OUT.warc.gz [--entries 4000] [--photo-kb 256]

Needs warcio (scripts/warc-requirements.txt). Not a fixture: it is made on
demand by scripts/bench-warc.sh and never committed.
"""
import argparse
import io
import os
import random
import sys

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, os.path.dirname(__file__))
from fixturelib import jpeg_variant  # noqa: E402

OWNER = "D2C0FFEE12345678"
HOST = "big-space.spaces.live.com"


def response(w, uri, body, ctype):
    headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
    rec = w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                               warc_headers_dict={"WARC-Date": "2009-03-01T12:00:00Z"})
    w.write_record(rec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--entries", type=int, default=4000)
    ap.add_argument("--photo-kb", type=int, default=256)
    a = ap.parse_args()
    rnd = random.Random(7)
    base = jpeg_variant("big-warc")
    with open(a.out, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        per_page = 100
        for first in range(0, a.entries, per_page):
            parts = []
            for n in range(first + 1, min(first + per_page, a.entries) + 1):
                cid = f"cns!{OWNER}!{n}"
                parts.append(
                    f'<div id="entry{cid}" class="bvEntry" bv:cns="{cid}" bv:cat="Photos">'
                    f'<h4 id="subj{cid}" class="TextColor1"><a href="http://{HOST}/blog/{cid}.entry">Photo {n}</a></h4>'
                    f'<div id="msg{cid}" class="bvMsg"><p>Day {n}.</p><img src="http://{HOST}/photos/p{n}.jpg"></div>'
                    f'<div class="footerLinks"><nobr>3/1/2009 12:{n % 60:02d} PM</nobr></div><div class="footer"></div></div>\n')
            page = ('<!DOCTYPE html><html xmlns:bv="http://spaces.live.com/bv" lang="en-us"><head><title>Big</title></head>'
                    f'<body><div id="blogPart">{"".join(parts)}</div></body></html>').encode()
            response(w, f"http://{HOST}/blog/?page={first // per_page}", page, "text/html; charset=utf-8")
            for n in range(first + 1, min(first + per_page, a.entries) + 1):
                filler = rnd.randbytes(a.photo_kb * 1024 - len(base))
                response(w, f"http://{HOST}/photos/p{n}.jpg", base + filler, "image/jpeg")


if __name__ == "__main__":
    main()
