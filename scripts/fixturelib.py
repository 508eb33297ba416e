"""Helpers shared by the fixture generators (Python 3 stdlib only).

- `raw_zip`: a deterministic zip written byte by byte, so the name encoding
  and the UTF-8 flag (bit 11) are exactly what a test needs. Python's zipfile
  cannot write legacy-encoded names.
- `jpeg_variant`: a real JPEG made distinct by a comment segment.
"""
import os
import struct
import zlib

FIXED_TIME = (2010, 10, 1, 12, 0, 0)

BASE_JPEG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata",
                         "backup-zip", "demo-space", "img", "photo1.jpg")


def dos_time(dt):
    y, mo, d, h, mi, s = dt
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def raw_zip(files, encoding, utf8_flag=False):
    """A zip of `files` (name, bytes): names encoded in `encoding`, flag bit
    11 set or clear, DEFLATE, MS-DOS "made by", no directory entries, sorted
    by encoded name, fixed timestamps."""
    flags = 0x0800 if utf8_flag else 0
    time, date = dos_time(FIXED_TIME)
    out = bytearray()
    central = bytearray()
    entries = sorted((name.encode(encoding), data) for name, data in files)
    for raw_name, data in entries:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = comp.compress(data) + comp.flush()
        crc = zlib.crc32(data) & 0xFFFFFFFF
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, time, date,
            crc, len(packed), len(data), len(raw_name), 0,
        ) + raw_name + packed
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 8, time, date,
            crc, len(packed), len(data), len(raw_name), 0, 0, 0, 0, 0x20, offset,
        ) + raw_name
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                       len(central), cd_offset, 0)
    return bytes(out)


def jpeg_variant(comment):
    """The backup fixture's JPEG with a COM segment holding `comment` right
    after SOI: decodable, and distinct per comment."""
    with open(BASE_JPEG, "rb") as f:
        base = f.read()
    assert base[:2] == b"\xff\xd8", "base image must be a JPEG"
    text = comment.encode()
    return base[:2] + b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text + base[2:]
