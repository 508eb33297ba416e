#!/usr/bin/env python3
"""Generate a large synthetic Spaces backup zip for benchmarks.

usage: make-bench-archive.py OUT.zip [--posts N] [--images N] [--image-kb K]

Entry files use the single-entry markup; each post shows one image (some
images are shared between posts) and carries a few comments. Images are
JPEG-headed random bytes, stored uncompressed as photos are in real zips.
Deterministic for given arguments.
"""
import argparse
import random
import zipfile

OWNER = "D2C0FFEE12345678"


def page(n, img, rng):
    comments = "".join(
        f'<div class="bvCommentText"><span id="ccNamecns!{OWNER}!{n}">Reader {k}</span>'
        f'<div class="ccViewComment">Comment {k} on post {n}. ' + "Nice words. " * rng.randint(1, 20) + "</div>"
        f'<span id="ccDatecns!{OWNER}!{n}">{1 + n % 12}/{1 + k}/2009 {1 + k % 12}:0{k % 10} PM</span></div>'
        for k in range(rng.randint(0, 6))
    )
    body = "<p>" + " ".join(rng.choice(["lorem", "ipsum", "dolor", "spaces", "blog", "今天", "天气", "Olá"]) for _ in range(300)) + "</p>"
    return f"""<html><head><meta charset="utf-8"></head><body>
<div id="subjcns!{OWNER}!{n}" class="TextColor1">Post number {n}</div>
<div id="msgcns!{OWNER}!{n}" class="bvMsg">{body}<p><img src="../img/photo{img}.jpg" alt="photo {img}"></p></div>
<span class="bold" id="LastMDatecns!{OWNER}!{n}">{1 + n % 12}/{1 + n % 28}/2009</span>
<div class="footerLinks">{1 + n % 12}:{n % 60:02d} PM | <a id="blogCategory0" href="http://demo-space.spaces.live.com/?partqs=cat%3dCat{n % 7}">Cat{n % 7}</a></div>
{comments}</body></html>"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--posts", type=int, default=5000)
    ap.add_argument("--images", type=int, default=2000)
    ap.add_argument("--image-kb", type=int, default=200)
    a = ap.parse_args()
    rng = random.Random(2010)
    with zipfile.ZipFile(a.out, "w") as z:
        for i in range(a.images):
            data = b"\xff\xd8\xff\xe0" + rng.randbytes(a.image_kb * 1024 - 6) + b"\xff\xd9"
            info = zipfile.ZipInfo(f"demo-space/img/photo{i}.jpg", (2010, 10, 1, 12, 0, 0))
            z.writestr(info, data, compress_type=zipfile.ZIP_STORED)
        for n in range(1, a.posts + 1):
            info = zipfile.ZipInfo(f"demo-space/blog/cns!{OWNER}!{n}.html", (2010, 10, 1, 12, 0, 0))
            z.writestr(info, page(n, rng.randrange(a.images), rng), compress_type=zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    main()
