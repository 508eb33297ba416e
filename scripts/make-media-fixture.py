#!/usr/bin/env python3
"""Write testdata/media-mirror/: a crawler mirror of a Spaces blog whose posts
use images from every Spaces/SkyDrive host era (2005-2010), saved the way
HTTrack and wget lay them out (one folder per host, wget's `@query` names).

Everything is synthetic and deterministic: running it twice gives the same
bytes. Images are tiny but real PNG/JPEG/GIF files.
"""
import os
import struct
import zlib

from fixturelib import jpeg_variant

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "media-mirror")
OWNER = "D2C0FFEE12345678"
HOST = "demo-space.spaces.live.com"


def png(w, h, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def gif(color):
    # 1x1 GIF89a with a two-entry palette.
    return (b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(color) + b"\xff\xff\xff"
            b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def jpeg(seed):
    return jpeg_variant(f"spaces2wxr fixture {seed}")


FILES = {
    # 2005 storage.msn.com token without a name: HTTrack added an extension.
    "storage.msn.com/x1pK9dZtQ2.jpg": jpeg(1),
    # 2008 Live Writer thumbnail + full size pair on byfiles.storage.msn.com.
    "byfiles.storage.msn.com/y1pThumb7/image_thumb[7].png": png(4, 3, (10, 120, 200)),
    "byfiles.storage.msn.com/y1pFull7/image[7].png": png(16, 12, (10, 120, 200)),
    # 2007 storage.live.com with a space and brackets in the name.
    "blufiles.storage.live.com/y1pB3/image_thumb[3] 61095F84.png": png(3, 3, (250, 200, 0)),
    # 2009 SkyDrive, saved by wget with --restrict-file-names=windows.
    "aBc123.bay.livefilestore.com/y1pQ/IMG_0001.JPG@psid=1": jpeg(2),
    # 2010 SkyDrive public folder, percent-encoded CJK name in the URL.
    "public.bay.livefilestore.com/y1mX/下载[3].jpg": jpeg(3),
    # The same bytes under two names (deduplicated by content).
    f"{HOST}/img/sunset.gif": gif((200, 80, 20)),
    f"{HOST}/img/copy of sunset.gif": gif((200, 80, 20)),
    # A crawler saved an error page under an image name.
    "tkfiles.storage.msn.com/x1pErr/broken.jpg": b"<html><body>404 Not Found</body></html>",
}


def entry(n, title, date, time, body):
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>{title} - demo-space</title></head>
<body><div id="content">
<div id="subjcns!{OWNER}!{n}" class="TextColor1">{title}</div>
<div id="msgcns!{OWNER}!{n}" class="bvMsg">{body}</div>
<span class="bold" id="LastMDatecns!{OWNER}!{n}">{date}</span>
<div class="footerLinks">{time} | <a id="blogCategory0" href="http://{HOST}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat%3dPhotos">Photos</a></div>
</div></body></html>
"""


POSTS = {
    201: entry(201, "Old photos, new writer", "10/12/2008", "9:15 PM", f"""
<p>From 2005: <img src="http://storage.msn.com/x1pK9dZtQ2" alt="Harbour"></p>
<p><a href="http://byfiles.storage.msn.com/y1pFull7/image[7].png?PARTNER=WRITER"><img style="border:0" alt="Lake" src="http://byfiles.storage.msn.com/y1pThumb7/image_thumb[7].png?PARTNER=WRITER" width="4" height="3"></a></p>
<p><img src="http://blufiles.storage.live.com/y1pB3/image_thumb%5B3%5D%2061095F84.png" alt="Sign"></p>
<p>The sunset again: <img src="../img/sunset.gif" alt="Sunset"></p>
<p>Lost: <img src="http://tkfiles.storage.msn.com/x1pGone/gone.jpg" alt="Gone"></p>"""),
    202: entry(202, "SkyDrive album", "6/3/2009", "10:02 AM", f"""
<table border="0" cellpadding="0" cellspacing="0"><tr>
<td valign="top"><a href="http://aBc123.bay.livefilestore.com/y1pQ/IMG_0001.JPG?psid=1" target="_blank" rel="WLPP;url=http://aBc123.bay.livefilestore.com/y1pQ/IMG_0001.JPG?psid=1;cnsid=cns&#033;{OWNER}&#033;220"><img src="http://aBc123.bay.livefilestore.com/y1pQ/IMG_0001.JPG?psid=1" border="0"></a></td>
<td width="15"></td>
<td valign="top"><a href="http://public.bay.livefilestore.com/y1mX/%E4%B8%8B%E8%BD%BD[3].jpg?download&amp;psid=1"><img src="http://public.bay.livefilestore.com/y1mX/%E4%B8%8B%E8%BD%BD[3].jpg?psid=1" alt="下载"></a></td>
</tr></table>
<p>Same sunset, other name: <img src="http://{HOST}/img/copy%20of%20sunset.gif"></p>
<p>And the 2005 harbour once more: <img src="http://storage.msn.com/x1pK9dZtQ2"></p>"""),
    203: entry(203, "A broken download", "1/20/2010", "7:40 PM", """
<p>This one was an error page: <img src="http://tkfiles.storage.msn.com/x1pErr/broken.jpg"></p>"""),
}


def main():
    for rel, data in FILES.items():
        path = os.path.join(ROOT, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    for n, html in POSTS.items():
        path = os.path.join(ROOT, HOST, "blog", f"cns!{OWNER}!{n}.html")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(html)
    os.makedirs(os.path.join(ROOT, "hts-cache"), exist_ok=True)
    open(os.path.join(ROOT, "hts-cache", "new.txt"), "w").close()


if __name__ == "__main__":
    main()
