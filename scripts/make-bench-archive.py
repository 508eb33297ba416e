#!/usr/bin/env python3
"""Generate a large synthetic Spaces backup zip for benchmarks.

usage: make-bench-archive.py OUT.zip [--posts N] [--images N] [--image-kb K]
                             [--comments N] [--one-file]

Entry files use the single-entry markup; each post shows one image (some
images are shared between posts; none with --images 0) and carries up to
--comments comments (default 6; the text-heavy benchmark uses about ten a
post). Images are JPEG-headed random bytes, stored uncompressed as photos
are in real zips. With --one-file every entry goes into one
`demo-space/Weblog.htm` (a big blog's one-file backup) instead of one file
per entry. Deterministic for given arguments.
"""
import argparse
import random
import zipfile

OWNER = "D2C0FFEE12345678"


def page(n, img, rng, max_comments=6, whole=True):
    comments = "".join(
        f'<div class="bvCommentText"><span id="ccNamecns!{OWNER}!{n}">Reader {k}</span>'
        f'<div class="ccViewComment">Comment {k} on post {n}. ' + "Nice words. " * rng.randint(1, 20) + "</div>"
        f'<span id="ccDatecns!{OWNER}!{n}">{1 + n % 12}/{1 + k}/2009 {1 + k % 12}:0{k % 10} PM</span></div>'
        for k in range(rng.randint(max(0, max_comments - 6), max_comments))
    )
    body = "<p>" + " ".join(rng.choice(["lorem", "ipsum", "dolor", "spaces", "blog", "今天", "天气", "Olá"]) for _ in range(300)) + "</p>"
    photo = "" if img is None else f'<p><img src="../img/photo{img}.jpg" alt="photo {img}"></p>'
    entry = f"""<div class="bvEntry" id="entrycns!{OWNER}!{n}" bv:cns="cns!{OWNER}!{n}">
<div id="subjcns!{OWNER}!{n}" class="TextColor1">Post number {n}</div>
<div id="msgcns!{OWNER}!{n}" class="bvMsg">{body}{photo}</div>
<span class="bold" id="LastMDatecns!{OWNER}!{n}">{1 + n % 12}/{1 + n % 28}/2009</span>
<div class="footerLinks">{1 + n % 12}:{n % 60:02d} PM | <a id="blogCategory0" href="http://demo-space.spaces.live.com/?partqs=cat%3dCat{n % 7}">Cat{n % 7}</a></div>
{comments}</div>
"""
    if not whole:
        return entry
    return f"""<html><head><meta charset="utf-8"></head><body>
{entry}</body></html>"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--posts", type=int, default=5000)
    ap.add_argument("--images", type=int, default=2000)
    ap.add_argument("--image-kb", type=int, default=200)
    ap.add_argument("--comments", type=int, default=6)
    ap.add_argument("--one-file", action="store_true")
    a = ap.parse_args()
    rng = random.Random(2010)
    with zipfile.ZipFile(a.out, "w") as z:
        for i in range(a.images):
            data = b"\xff\xd8\xff\xe0" + rng.randbytes(a.image_kb * 1024 - 6) + b"\xff\xd9"
            info = zipfile.ZipInfo(f"demo-space/img/photo{i}.jpg", (2010, 10, 1, 12, 0, 0))
            z.writestr(info, data, compress_type=zipfile.ZIP_STORED)
        pick = (lambda: rng.randrange(a.images)) if a.images else (lambda: None)
        if a.one_file:
            info = zipfile.ZipInfo("demo-space/Weblog.htm", (2010, 10, 1, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as f:
                f.write(b'<html><head><meta charset="utf-8"></head><body>\n')
                for n in range(1, a.posts + 1):
                    f.write(page(n, pick(), rng, a.comments, whole=False).encode("utf-8"))
                f.write(b"</body></html>\n")
            return
        for n in range(1, a.posts + 1):
            info = zipfile.ZipInfo(f"demo-space/blog/cns!{OWNER}!{n}.html", (2010, 10, 1, 12, 0, 0))
            z.writestr(info, page(n, pick(), rng, a.comments), compress_type=zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    main()
