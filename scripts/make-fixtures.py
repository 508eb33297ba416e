#!/usr/bin/env python3
"""Build the zipped test fixtures from what is checked in under testdata/.

    python3 scripts/make-fixtures.py [--check]

Standard library only. Writes, deterministically (running it twice gives
byte-identical files):

  testdata/backup-zip.zip
      family A1 of shared/docs/spaces-archives.md: the tree testdata/backup-zip/
      (minus expected.json), names sorted, a directory entry before the files
      of each folder, every timestamp 2010-10-01 12:00:00, DEFLATE, MS-DOS
      "made by", general purpose flag bit 11 (UTF-8) clear. All names must be
      ASCII (hence CP437-encodable); the script refuses otherwise.

  testdata/zh-gbk-names.zip
      family A3: a Chinese user's re-zipped backup whose entry names are GBK
      (CP936) bytes with bit 11 clear, no directory entries:
          我的空间/日志/2010-09-28 你好.html   (one zh-CN entry, list markup)
          我的空间/img/图片1.jpg                (the backup's JPEG with its own comment)
      Python's zipfile cannot store raw GBK names, so the zip structure (local
      headers, central directory, end record) is written here with struct.
      Its expectations are in testdata/zh-gbk-names.expected.json.

With --check nothing is written: the zips are rebuilt in memory and compared
with the files on disk (exit 1 when they differ or are missing).

tiny_png made the checked-in PNGs under testdata/ (zlib and struct only).
JPEGs are not encoded here: every fixture JPEG is the checked-in
`backup-zip/demo-space/img/photo1.jpg` made distinct by a comment segment
(fixturelib.jpeg_variant).
"""

import io
import os
import struct
import sys
import zipfile
import zlib

from fixturelib import jpeg_variant, raw_zip

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.path.join(ROOT, "testdata")

FIXED_TIME = (2010, 10, 1, 12, 0, 0)
EXCLUDED = {"expected.json"}


# --------------------------------------------------------------------------
# tiny image encoders


def _png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def tiny_png(width, height, pixel):
    """An 8-bit RGB PNG; pixel(x, y) -> (r, g, b)."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter type None
        for x in range(width):
            raw.extend(pixel(x, y))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _png_chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + _png_chunk(b"IEND", b"")
    )


# Annex K.3 standard luminance DC table (categories 0..11).
def _zipinfo(name, is_dir):
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.create_system = 0  # MS-DOS
    info.create_version = 20
    info.extract_version = 20
    info.compress_type = zipfile.ZIP_STORED if is_dir else zipfile.ZIP_DEFLATED
    info.external_attr = 0x10 if is_dir else 0x20  # FAT directory / archive bits
    return info


def build_backup_zip(src):
    entries = []  # (name, data or None for a directory)
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        rel = os.path.relpath(dirpath, src)
        if rel != ".":
            entries.append((rel.replace(os.sep, "/") + "/", None))
        for fn in sorted(filenames):
            if rel == "." and fn in EXCLUDED:
                continue
            name = fn if rel == "." else rel.replace(os.sep, "/") + "/" + fn
            with open(os.path.join(dirpath, fn), "rb") as fh:
                entries.append((name, fh.read()))
    entries.sort(key=lambda e: e[0])
    for name, _ in entries:
        try:
            name.encode("ascii")
        except UnicodeEncodeError:
            sys.exit(f"make-fixtures: {name!r} is not ASCII; backup-zip names must be CP437-safe")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            info = _zipinfo(name, data is None)
            if data is None:
                zf.writestr(info, b"")
            else:
                zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    out = buf.getvalue()
    # zipfile only sets bit 11 for non-ASCII names; make sure of it anyway.
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        for info in zf.infolist():
            assert not info.flag_bits & 0x800, info.filename
    return out


# --------------------------------------------------------------------------
# A3: testdata/zh-gbk-names.zip

ZH_OWNER = "D2C0FFEE12345678"
ZH_CID = -3260324732243519880  # 0xD2C0FFEE12345678 as a signed 64-bit integer


def ncr(s):
    """Numeric character references for non-ASCII, as Spaces emitted titles."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in s)


def zh_gbk_entry_html():
    cns = f"cns!{ZH_OWNER}!140"
    title = ncr("你好，新家")
    cat_link = "%25e7%2594%259f%25e6%25b4%25bb"  # 生活, percent-encoded twice
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:bv="http://spaces.live.com/bv">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title} - {ncr("小雨的空间")} - Windows Live</title>
</head>
<body>
<div id="blogList">
<div class="bvEntry" id="entry{cns}" bv:cns="{cns}" bv:ca="true" bv:cat="生活">
 <h4 class="TextColor1" id="subj{cns}"><a href="http://demo-space.spaces.live.com/blog/{cns}.entry">{title}</a></h4>
 <div class="bvMsg" id="msg{cns}"><div>搬家前的最后一篇日志。窗外的桂花开了，楼下的小猫又来要吃的。</div>
<div><img src="img/图片1.jpg" alt="" border="0"></div>
<div>以后请到新博客来找我。</div></div>
 <div class="footerLinks"><nobr>2010/9/28 15:45:07</nobr>&nbsp;| <nobr><a bvItemType="post"href="http://demo-space.spaces.live.com/blog/{cns}.entry#post">{ncr("评论")} (1)</a></nobr>&nbsp;| <nobr><a id="blogPermalink0"href="http://demo-space.spaces.live.com/blog/{cns}.entry">{ncr("永久链接")}</a></nobr>&nbsp;| <nobr><a id="blogCategory0"href="http://demo-space.spaces.live.com/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat={cat_link}">{ncr("生活")}</a></nobr></div>
 <div class="footer"></div>
 <div class="ccCommentBox"><span class="ccName">{ncr("访客")}</span><div class="Comment">沙发！新家也要常更新哦。</div></div><div class="ccDateBox"><span>2010/9/29 8:03</span></div>
</div>
</div>
</body>
</html>
"""


ZH_GBK_FILES = [
    ("我的空间/日志/2010-09-28 你好.html", lambda: zh_gbk_entry_html().encode("utf-8")),
    ("我的空间/img/图片1.jpg", lambda: jpeg_variant("spaces2wxr zh-gbk fixture")),
]


# --------------------------------------------------------------------------


def targets():
    return [
        (os.path.join(TESTDATA, "backup-zip.zip"),
         lambda: build_backup_zip(os.path.join(TESTDATA, "backup-zip"))),
        (os.path.join(TESTDATA, "zh-gbk-names.zip"),
         lambda: raw_zip([(n, make()) for n, make in ZH_GBK_FILES], "gbk")),
    ]


def main(argv):
    check = "--check" in argv[1:]
    status = 0
    for path, build in targets():
        data = build()
        rel = os.path.relpath(path, ROOT)
        if check:
            try:
                with open(path, "rb") as fh:
                    same = fh.read() == data
            except FileNotFoundError:
                same = False
            print(f"{rel}: {'up to date' if same else 'DIFFERS'}")
            status |= 0 if same else 1
        else:
            with open(path, "wb") as fh:
                fh.write(data)
            print(f"wrote {rel} ({len(data)} bytes)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
