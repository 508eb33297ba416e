#!/usr/bin/env python3
"""Check the Markdown that wordpress-export-to-markdown 2.2.2 wrote for a WXR.

    wetm_verify.py WXR OUTDIR [--expect expected.json]

Called by run_wetm.sh. Standard library only. Asserts one Markdown file per
exportable item (the tool exports every post_type except attachment, revision,
nav_menu_item, custom_css and customize_changeset, and skips status draft and
trash), that the front-matter titles are exactly the items' titles, that each
front-matter date is the UTC date of the item (the tool reads <pubDate>), and
that every non-null title of the expected.json appears.
"""

import argparse
import json
import os
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timezone
from email.utils import parsedate_to_datetime
from urllib.parse import unquote

WP = "{http://wordpress.org/export/1.2/}"
SKIPPED_TYPES = {"attachment", "revision", "nav_menu_item", "custom_css", "customize_changeset"}
SKIPPED_STATUSES = {"draft", "trash"}


def norm(s):
    return unicodedata.normalize("NFC", (s or "").strip())


def exported_items(wxr):
    items = []
    for it in ET.parse(wxr).getroot().iter("item"):
        ptype = (it.findtext(WP + "post_type") or "").strip()
        status = (it.findtext(WP + "status") or "").strip()
        if ptype in SKIPPED_TYPES or status in SKIPPED_STATUSES:
            continue
        items.append({
            "id": (it.findtext(WP + "post_id") or "").strip(),
            "type": ptype,
            "title": (it.findtext("title") or "").strip(),
            "slug": (it.findtext(WP + "post_name") or "").strip(),
            "gmt": (it.findtext(WP + "post_date_gmt") or "").strip(),
            "pubdate": (it.findtext("pubDate") or "").strip(),
        })
    return items


def front_matter(path):
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    fields = {}
    if not lines or lines[0] != "---":
        return fields
    for line in lines[1:]:
        if line == "---":
            break
        key, sep, value = line.partition(": ")
        if sep and value.startswith('"') and value.endswith('"'):
            fields[key] = value[1:-1].replace('\\"', '"')
    return fields


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("wxr")
    ap.add_argument("outdir")
    ap.add_argument("--expect")
    args = ap.parse_args(argv)
    failures = []
    items = exported_items(args.wxr)

    paths = Counter()
    for it in items:
        if not it["slug"]:
            failures.append(f"item {it['id']} has an empty wp:post_name (file name would be '.md')")
        paths[(it["type"], unquote(it["slug"]))] += 1
    for (ptype, slug), n in sorted(paths.items()):
        if n > 1 and slug:
            failures.append(f"{n} {ptype} items share post_name {slug!r}; their files collide")

    md_files = []
    for root, _dirs, files in os.walk(args.outdir):
        md_files.extend(os.path.join(root, f) for f in files if f.endswith(".md"))
    if len(md_files) != len(items):
        failures.append(f"{len(md_files)} markdown files for {len(items)} exportable items "
                        f"(types {sorted({i['type'] for i in items})})")

    matter = [front_matter(p) for p in sorted(md_files)]
    got_titles = Counter(norm(m.get("title")) for m in matter)
    want_titles = Counter(norm(i["title"]) for i in items)
    for title in sorted((want_titles - got_titles).elements()):
        failures.append(f"title {title!r} of the WXR is missing from the markdown front matter")
    for title in sorted((got_titles - want_titles).elements()):
        failures.append(f"markdown title {title!r} matches no WXR item")

    got_dates = Counter(m.get("date", "") for m in matter)
    want_dates = Counter()
    for it in items:
        try:
            date = _utc_date(it["pubdate"])
        except (TypeError, ValueError):
            failures.append(f"item {it['id']}: <pubDate> {it['pubdate']!r} is not an RFC 2822 date")
            continue
        want_dates[date] += 1
        if it["gmt"][:10] != date:
            failures.append(f"item {it['id']}: <pubDate> {it['pubdate']!r} is not post_date_gmt "
                            f"{it['gmt']!r}")
    if not failures:
        for date in sorted((want_dates - got_dates).elements()):
            failures.append(f"no markdown file has front-matter date {date!r}")

    if args.expect:
        with open(args.expect, encoding="utf-8") as fh:
            exp = json.load(fh)
        posts = exp.get("posts", []) if isinstance(exp, dict) else exp
        for p in posts:
            title = p.get("title")
            if title is not None and norm(title) not in got_titles:
                failures.append(f"expected title {title!r} (spaces_id {p.get('spaces_id')!r}) "
                                "is in no markdown file")

    for msg in failures:
        print(f"FAIL run_wetm: {msg}")
    print(f"run_wetm: {len(md_files)} markdown files for {len(items)} exportable items, "
          f"{len(failures)} problems")
    return 1 if failures else 0


def _utc_date(pubdate):
    dt = parsedate_to_datetime(pubdate)
    if dt is None:
        raise ValueError(pubdate)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d")


if __name__ == "__main__":
    sys.exit(main())
