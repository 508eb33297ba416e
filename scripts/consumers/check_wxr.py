#!/usr/bin/env python3
"""Independent check that a WXR file satisfies the WordPress importer's contract.

Written from shared/docs/wxr-and-importer.md (Part 1, rules of section 1.11), not
from the converter's code, so it catches the converter's own blind spots.

    check_wxr.py [--expect expected.json] WXR [WXR ...]

Prints one line per failure ("FAIL <file>: <what>"), then exactly one summary
line "check_wxr: N passed, M failed" (N/M count files).  Exit status: 0 all files
passed, 1 some file failed, 2 usage error, 77 a required Python module is
missing (lxml, feedparser; see requirements.txt).
"""

import argparse
import bisect
import html
import json
import os
import re
import sys
import traceback
import unicodedata
from datetime import datetime

try:
    from lxml import etree
except ImportError:  # pragma: no cover - depends on the environment
    etree = None
try:
    import feedparser
except ImportError:  # pragma: no cover - depends on the environment
    feedparser = None

EXIT_MISSING_DEPS = 77
MAX_LINES_PER_FILE = 200

NS = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
URI_TO_PREFIX = {uri: prefix for prefix, uri in NS.items()}

ITEM_REQUIRED = [
    "title", "dc:creator", "guid", "content:encoded", "wp:post_id",
    "wp:post_date", "wp:post_date_gmt", "wp:status", "wp:post_type",
    "wp:comment_status", "wp:ping_status", "wp:post_name", "wp:post_parent",
    "wp:menu_order", "wp:is_sticky",
]
COMMENT_REQUIRED = [
    "wp:comment_id", "wp:comment_author", "wp:comment_date",
    "wp:comment_date_gmt", "wp:comment_content", "wp:comment_approved",
    "wp:comment_type", "wp:comment_parent",
]
# The regex parser's get_tag() matches "<TAG.*?>(.*?)</TAG>", so a tag whose name
# is a prefix of a sibling's name must come first (wp:post_date before _gmt).
PREFIX_ORDER = {
    "item": [("wp:post_date", "wp:post_date_gmt")],
    "wp:comment": [
        ("wp:comment_date", "wp:comment_date_gmt"),
        ("wp:comment_author", "wp:comment_author_email"),
        ("wp:comment_author", "wp:comment_author_url"),
        ("wp:comment_author", "wp:comment_author_IP"),
    ],
}
STATUSES = {"publish", "draft", "pending", "private", "future", "inherit"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
ZERO_DATE = "0000-00-00 00:00:00"
SLUG_RE = re.compile(r"^(?:[a-z0-9_-]|%[0-9a-f]{2})+$")
LOGIN_RE = re.compile(r"^[A-Za-z0-9 _.@-]+$")  # survives sanitize_user($l, true)
INT_RE = re.compile(r"^(?:0|[1-9][0-9]*)$")
POS_INT_RE = re.compile(r"^[1-9][0-9]*$")
ATTACHED_FILE_RE = re.compile(r"^(\d{4})/(\d{2})/[^/]+$")
DECL_RE = re.compile(
    r"""^(?:\ufeff)?<\?xml\s+version\s*=\s*(["'])1\.0\1(?:\s+encoding\s*=\s*(["'])([^"']*)\2)?"""
)
INVALID_XML_CHAR_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
STRICT_CATEGORY_TAG_RE = re.compile(r'^<category domain="[^"]+" nicename="[^"]+">$')
TOKEN_RE = re.compile(
    r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>|<![^>]*>|<[^>]*>|[^<]+", re.S
)
START_TAG_NAME_RE = re.compile(r"^<([^\s/>]+)")
# Leaf elements whose text the importer uses as markup: CDATA only, never mixed.
MARKUP_ELEMENTS = {"content:encoded", "excerpt:encoded", "wp:comment_content", "title"}


def qname(el):
    """'wp:post_id' style name of an lxml element (prefix from the fixed NS map)."""
    tag = el.tag
    if not isinstance(tag, str):
        return None
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        return URI_TO_PREFIX.get(uri, "{" + uri + "}") + ":" + local
    return tag


def children(el, name):
    return [c for c in el if qname(c) == name]


def text_of(el, name, default=None):
    found = children(el, name)
    if not found:
        return default
    return found[0].text or ""


def norm(s):
    return unicodedata.normalize("NFC", (s or "").strip())


def shown(s):
    """The text a browser shows for a field WordPress prints as HTML
    (post_title, comment_author): `&lt;` shows as `<`."""
    return norm(html.unescape(s or ""))


class Checker:
    """Collects failures for one WXR file."""

    def __init__(self, path, expect=None):
        self.path = path
        self.expect = expect
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)

    # ---------------------------------------------------------------- raw bytes
    def run(self):
        try:
            with open(self.path, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            self.fail(f"cannot read file: {exc}")
            return self.failures
        text = self.check_bytes(raw)
        if text is None:
            return self.failures
        try:
            parser = etree.XMLParser(recover=False, resolve_entities=False,
                                     no_network=True, load_dtd=False,
                                     huge_tree=True, strip_cdata=False)
            tree = etree.fromstring(raw, parser).getroottree()
        except etree.XMLSyntaxError as exc:
            self.fail(f"not well-formed XML (lxml recover=False): {exc}")
            return self.failures
        if tree.docinfo.doctype:
            self.fail(f"has a DOCTYPE ({tree.docinfo.doctype}); the SimpleXML parser rejects any DOCTYPE")
        self.check_raw_tokens(text)
        self.check_tree(tree.getroot())
        self.check_feedparser(raw, len(tree.getroot().findall("channel/item")))
        return self.failures

    def check_bytes(self, raw):
        try:
            text = raw.decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            self.fail(f"not valid UTF-8 at byte {exc.start}: {exc.reason}")
            return None
        m = DECL_RE.match(text)
        if not m:
            self.fail('no XML declaration at the start of the file (want <?xml version="1.0" encoding="UTF-8"?>)')
        elif m.group(3) is None:
            self.fail('XML declaration has no encoding; want encoding="UTF-8"')
        elif m.group(3).lower() != "utf-8":
            self.fail(f'XML declaration says encoding="{m.group(3)}"; the importer needs "UTF-8"')
        if re.search(r"<!DOCTYPE", text[:4096], re.I):
            self.fail("DOCTYPE found near the start of the file; the SimpleXML parser rejects any DOCTYPE")
        line_starts = _line_starts(text)
        bad = 0
        for m in INVALID_XML_CHAR_RE.finditer(text):
            bad += 1
            if bad <= 5:
                line = bisect.bisect_right(line_starts, m.start())
                self.fail(f"line {line}: XML-invalid character U+{ord(m.group()):04X}")
        if bad > 5:
            self.fail(f"{bad - 5} more XML-invalid characters")
        return text

    # ------------------------------------------------------------- raw tokens
    def check_raw_tokens(self, text):
        """Checks that need the raw serialisation: one-line tags, CDATA, category tags."""
        line_starts = _line_starts(text)

        def line_of(pos):
            return bisect.bisect_right(line_starts, pos)

        # stack entries: [qname, start_line, has_child_elements, parts]
        stack = []
        for m in TOKEN_RE.finditer(text):
            tok = m.group()
            if tok.startswith("<![CDATA["):
                if stack:
                    stack[-1][3].append(("cdata", tok, line_of(m.start())))
            elif tok.startswith("<!") or tok.startswith("<?"):
                continue
            elif tok.startswith("</"):
                if stack:
                    entry = stack.pop()
                    self.check_closed_element(entry, line_of(m.start()), stack)
            elif tok.startswith("<"):
                nm = START_TAG_NAME_RE.match(tok)
                name = nm.group(1) if nm else "?"
                line = line_of(m.start())
                if stack:
                    stack[-1][2] = True
                if name == "category" and not STRICT_CATEGORY_TAG_RE.match(tok):
                    self.fail(f'line {line}: {tok!r} is not exactly <category domain="…" nicename="…"> '
                              "(the regex parser needs both attributes, in that order, double-quoted)")
                if tok.endswith("/>"):
                    if name in ("category",):
                        self.fail(f"line {line}: empty <category/>; terms need a name")
                    continue
                stack.append([name, line, False, []])
            else:
                if stack:
                    kind = "ws" if not tok.strip() else "text"
                    stack[-1][3].append((kind, tok, line_of(m.start())))

    def check_closed_element(self, entry, end_line, stack):
        name, start_line, has_children, parts = entry
        if name in ("wp:author", "wp:wxr_version", "wp:base_site_url", "wp:base_blog_url") \
                and start_line != end_line:
            self.fail(f"line {start_line}: <{name}> spans lines {start_line}-{end_line}; "
                      "the regex parser needs it on one physical line")
        if has_children:
            return
        parent = stack[-1][0] if stack else None
        kinds = {k for k, _, _ in parts}
        has_cdata = "cdata" in kinds
        escaped = [(tok, ln) for k, tok, ln in parts if k == "text" and "&" in tok]
        if has_cdata and "text" in kinds:
            ln = next(ln for k, _, ln in parts if k == "text")
            self.fail(f"line {ln}: <{name}> mixes CDATA with escaped/plain text; "
                      "XMLProcessor mangles that (use one CDATA, split on ]]>)")
            return
        if has_cdata and "ws" in kinds:
            self.fail(f"line {start_line}: <{name}> has whitespace outside its CDATA; "
                      "parsers disagree on it")
            return
        importer_field = (name == "title" and parent == "item") or name == "category" \
            or name.split(":", 1)[0] in ("wp", "content", "excerpt", "dc")
        if not importer_field:
            return
        if escaped:
            tok, ln = escaped[0]
            what = "markup" if name in MARKUP_ELEMENTS else "text"
            self.fail(f"line {ln}: <{name}> holds entity-escaped {what} {tok[:40]!r}; "
                      "must be CDATA (the regex parser does not decode entities)")

    # ------------------------------------------------------------------- tree
    def check_tree(self, root):
        if root.tag != "rss":
            self.fail(f"root element is <{qname(root)}>, not <rss>")
            return
        if root.get("version") != "2.0":
            self.fail(f'<rss version="{root.get("version")}">; want version="2.0"')
        if not self.check_namespaces(root):
            return
        channels = children(root, "channel")
        if len(channels) != 1:
            self.fail(f"found {len(channels)} <channel> elements; want exactly 1")
            return
        channel = channels[0]
        versions = children(channel, "wp:wxr_version")
        if len(versions) != 1:
            self.fail(f"found {len(versions)} <wp:wxr_version>; want exactly 1")
        elif (versions[0].text or "").strip() != "1.2":
            self.fail(f"wp:wxr_version is {versions[0].text!r}; want '1.2'")
        logins = self.check_authors(channel)
        cat_slugs = self.check_channel_terms(channel)
        items = children(channel, "item")
        self.check_items(items, logins, cat_slugs)
        if self.expect is not None:
            self.check_expected(items)

    def check_namespaces(self, root):
        """False when a required prefix is missing or mis-bound (nothing else can be checked)."""
        nsmap = dict(root.nsmap)
        usable = all(nsmap.get(p) == uri for p, uri in NS.items())
        if nsmap != NS:
            extra = sorted(set(map(str, nsmap)) - set(NS))
            missing = sorted(set(NS) - set(map(str, nsmap)))
            wrong = sorted(p for p in NS if p in nsmap and nsmap[p] != NS[p])
            parts = []
            if missing:
                parts.append("missing " + ", ".join(missing))
            if extra:
                parts.append("unexpected " + ", ".join(extra))
            for p in wrong:
                parts.append(f"{p}={nsmap[p]} (want {NS[p]})")
            self.fail("namespace declarations on <rss> are not exactly excerpt/content/wfw/dc/wp: "
                      + "; ".join(parts))
        for el in root.iter():
            if isinstance(el.tag, str) and dict(el.nsmap) != nsmap:
                self.fail(f"line {el.sourceline}: <{qname(el)}> (re)declares namespaces; "
                          "the expat parser matches literal prefixes")
                break
        return usable

    def check_authors(self, channel):
        logins = set()
        ids = set()
        for a in children(channel, "wp:author"):
            login = text_of(a, "wp:author_login", "")
            if not login:
                self.fail(f"line {a.sourceline}: <wp:author> without wp:author_login")
                continue
            if not LOGIN_RE.match(login):
                self.fail(f"line {a.sourceline}: author_login {login!r} does not survive "
                          "sanitize_user(…, true) (ASCII a-z0-9 space _ . - @)")
            if login in logins:
                self.fail(f"line {a.sourceline}: duplicate author_login {login!r}")
            logins.add(login)
            aid = text_of(a, "wp:author_id")
            if aid is not None:
                if not POS_INT_RE.match(aid.strip()):
                    self.fail(f"line {a.sourceline}: author_id {aid!r} is not a positive integer")
                elif aid.strip() in ids:
                    self.fail(f"line {a.sourceline}: duplicate author_id {aid.strip()}")
                ids.add(aid.strip())
        if not logins:
            self.fail("channel declares no <wp:author>")
        return logins

    def check_channel_terms(self, channel):
        slugs = set()
        term_ids = set()
        for c in children(channel, "wp:category"):
            slug = text_of(c, "wp:category_nicename", "")
            name = text_of(c, "wp:cat_name", "")
            parent = text_of(c, "wp:category_parent", "")
            where = f"line {c.sourceline}: wp:category {slug!r}"
            if not SLUG_RE.match(slug):
                self.fail(f"{where}: category_nicename is not a sanitize_title slug "
                          "(lowercase a-z0-9 - _ %xx)")
            if not name.strip():
                self.fail(f"{where}: empty wp:cat_name")
            if slug in slugs:
                self.fail(f"{where}: declared twice")
            if parent and parent not in slugs:
                self.fail(f"{where}: category_parent {parent!r} is not declared before it")
            slugs.add(slug)
            tid = text_of(c, "wp:term_id")
            if tid is not None:
                if not POS_INT_RE.match(tid.strip()):
                    self.fail(f"{where}: term_id {tid!r} is not a positive integer")
                elif tid.strip() in term_ids:
                    self.fail(f"{where}: duplicate term_id {tid.strip()}")
                term_ids.add(tid.strip())
        for t in children(channel, "wp:tag"):
            slug = text_of(t, "wp:tag_slug", "")
            if not SLUG_RE.match(slug):
                self.fail(f"line {t.sourceline}: wp:tag_slug {slug!r} is not a sanitize_title slug")
            if not text_of(t, "wp:tag_name", "").strip():
                self.fail(f"line {t.sourceline}: wp:tag {slug!r} has an empty tag_name")
            tid = text_of(t, "wp:term_id")
            if tid is not None:
                if not POS_INT_RE.match(tid.strip()):
                    self.fail(f"line {t.sourceline}: wp:tag term_id {tid!r} is not a positive integer")
                elif tid.strip() in term_ids:
                    self.fail(f"line {t.sourceline}: duplicate term_id {tid.strip()}")
                term_ids.add(tid.strip())
        return slugs

    def check_items(self, items, logins, cat_slugs):
        if not items:
            self.fail("channel has no <item>")
        by_id = {}
        triples = {}
        guids = {}
        comment_ids = {}
        for it in items:
            self.check_item_fields(it, logins, cat_slugs)
            pid = (text_of(it, "wp:post_id") or "").strip()
            if POS_INT_RE.match(pid):
                if pid in by_id:
                    self.fail(f"line {it.sourceline}: duplicate wp:post_id {pid} "
                              f"(first at line {by_id[pid].sourceline})")
                else:
                    by_id[pid] = it
            triple = (text_of(it, "title", ""), text_of(it, "wp:post_date", ""),
                      text_of(it, "wp:post_type", ""))
            if triple in triples:
                self.fail(f"line {it.sourceline}: same (title, post_date, post_type) {triple!r} as the "
                          f"item at line {triples[triple]}; post_exists() would skip one")
            else:
                triples[triple] = it.sourceline
            guid = (text_of(it, "guid") or "").strip()
            if guid:
                if guid in guids:
                    self.fail(f"line {it.sourceline}: duplicate guid {guid!r} (first at line "
                              f"{guids[guid]}); GUID-deduping importers would skip one")
                else:
                    guids[guid] = it.sourceline
            self.check_comments(it, comment_ids)
        basenames = {}
        for it in items:
            self.check_item_links(it, by_id)
            if (text_of(it, "wp:post_type") or "").strip() == "attachment":
                self.check_attachment(it, by_id, basenames)

    def check_item_fields(self, it, logins, cat_slugs):
        pid = (text_of(it, "wp:post_id") or "").strip()
        where = f"line {it.sourceline}: item post_id={pid or '?'}"
        for name in ITEM_REQUIRED:
            n = len(children(it, name))
            if n == 0:
                self.fail(f"{where}: missing <{name}>")
            elif n > 1:
                self.fail(f"{where}: {n} <{name}> elements; want one")
        self.check_prefix_order(it, "item", where)
        if pid and not POS_INT_RE.match(pid):
            self.fail(f"{where}: wp:post_id is not a positive integer")
        creator = text_of(it, "dc:creator")
        if creator is not None and creator not in logins:
            self.fail(f"{where}: dc:creator {creator!r} is not a declared wp:author_login")
        if text_of(it, "guid") is not None and not (text_of(it, "guid") or "").strip():
            self.fail(f"{where}: empty guid")
        for name in ("wp:post_date", "wp:post_date_gmt"):
            val = text_of(it, name)
            if val is not None:
                self.check_date(val, f"{where}: {name}")
        for name, allowed in (("wp:status", STATUSES), ("wp:comment_status", {"open", "closed"}),
                              ("wp:ping_status", {"open", "closed"}), ("wp:is_sticky", {"0", "1"})):
            val = text_of(it, name)
            if val is not None and val.strip() not in allowed:
                self.fail(f"{where}: {name} is {val!r}; want one of {sorted(allowed)}")
        ptype = (text_of(it, "wp:post_type") or "").strip()
        if text_of(it, "wp:post_type") is not None and not ptype:
            self.fail(f"{where}: empty wp:post_type")
        for name in ("wp:post_parent", "wp:menu_order"):
            val = text_of(it, name)
            if val is not None and not INT_RE.match(val.strip()):
                self.fail(f"{where}: {name} {val!r} is not a non-negative integer")
        if ptype != "attachment" and not any(
                (text_of(it, n) or "").strip() for n in ("title", "content:encoded", "excerpt:encoded")):
            self.fail(f"{where}: empty title, content and excerpt (wp_insert_post: empty_content)")
        for cat in children(it, "category"):
            self.check_item_category(cat, where, cat_slugs)

    def check_item_category(self, cat, where, cat_slugs):
        domain = cat.get("domain")
        nicename = cat.get("nicename")
        if not domain:
            self.fail(f"{where}: <category> without domain")
        if not nicename:
            self.fail(f"{where}: <category> {cat.text!r} without nicename (silently dropped by all parsers)")
            return
        if not SLUG_RE.match(nicename):
            self.fail(f"{where}: category nicename {nicename!r} is not a sanitize_title slug "
                      "(lowercase a-z0-9 - _ %xx)")
        if not (cat.text or "").strip():
            self.fail(f"{where}: <category nicename={nicename!r}> has no name")
        if domain == "category" and nicename not in cat_slugs:
            self.fail(f"{where}: category {nicename!r} is not declared as a channel <wp:category>")

    def check_prefix_order(self, el, kind, where):
        names = [qname(c) for c in el]
        for first, second in PREFIX_ORDER[kind]:
            if first in names and second in names and names.index(second) < names.index(first):
                self.fail(f"{where}: <{second}> comes before <{first}>; the regex parser's "
                          f"get_tag('{first}') would then read the wrong element")

    def check_date(self, val, where, allow_zero=False):
        v = val.strip()
        if not DATE_RE.match(v):
            self.fail(f"{where} {val!r} is not YYYY-MM-DD HH:MM:SS")
            return
        if v == ZERO_DATE:
            if not allow_zero:
                self.fail(f"{where} is {ZERO_DATE}; WordPress would recompute it in the target timezone")
            return
        try:
            datetime.strptime(v, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            self.fail(f"{where} {val!r} is not a real date")

    def check_comments(self, it, comment_ids):
        pid = (text_of(it, "wp:post_id") or "").strip()
        for c in children(it, "wp:comment"):
            cid = (text_of(c, "wp:comment_id") or "").strip()
            where = f"line {c.sourceline}: comment {cid or '?'} of post {pid or '?'}"
            for name in COMMENT_REQUIRED:
                n = len(children(c, name))
                if n != 1:
                    self.fail(f"{where}: {n} <{name}> elements; want one")
            self.check_prefix_order(c, "wp:comment", where)
            if not POS_INT_RE.match(cid):
                self.fail(f"{where}: comment_id {cid!r} is not a positive integer")
            elif cid in comment_ids:
                self.fail(f"{where}: comment_id {cid} already used at line {comment_ids[cid]}")
            else:
                comment_ids[cid] = c.sourceline
            parent = (text_of(c, "wp:comment_parent") or "").strip()
            if parent and parent != "0":
                if not POS_INT_RE.match(parent):
                    self.fail(f"{where}: comment_parent {parent!r} is not an integer")
                elif not POS_INT_RE.match(cid) or int(parent) >= int(cid):
                    self.fail(f"{where}: comment_parent {parent} is not lower than the comment's id "
                              "(the importer maps a parent only if it was inserted first)")
                elif not self._comment_in_item(it, parent):
                    self.fail(f"{where}: comment_parent {parent} is not a comment of the same post")
            approved = text_of(c, "wp:comment_approved")
            if approved is not None and approved.strip() not in ("0", "1"):
                self.fail(f"{where}: comment_approved {approved!r}; want 1 or 0")
            ctype = text_of(c, "wp:comment_type")
            if ctype is not None and not ctype.strip():
                self.fail(f"{where}: empty comment_type (want comment, pingback or trackback)")
            for name in ("wp:comment_date", "wp:comment_date_gmt"):
                val = text_of(c, name)
                if val is not None:
                    self.check_date(val, f"{where}: {name}")

    @staticmethod
    def _comment_in_item(it, cid):
        return any((text_of(c, "wp:comment_id") or "").strip() == cid
                   for c in children(it, "wp:comment"))

    def check_item_links(self, it, by_id):
        pid = (text_of(it, "wp:post_id") or "").strip()
        parent = (text_of(it, "wp:post_parent") or "").strip()
        if parent and parent != "0" and INT_RE.match(parent):
            if parent == pid:
                self.fail(f"line {it.sourceline}: item {pid} is its own post_parent")
            elif parent not in by_id:
                self.fail(f"line {it.sourceline}: item {pid} has post_parent {parent}, "
                          "which is no item of this file")
        for meta in children(it, "wp:postmeta"):
            if text_of(meta, "wp:meta_key") == "_thumbnail_id":
                val = (text_of(meta, "wp:meta_value") or "").strip()
                target = by_id.get(val)
                if target is None or (text_of(target, "wp:post_type") or "").strip() != "attachment":
                    self.fail(f"line {it.sourceline}: item {pid} has _thumbnail_id {val!r}, "
                              "which is no attachment item of this file")

    def check_attachment(self, it, by_id, basenames):
        pid = (text_of(it, "wp:post_id") or "").strip()
        where = f"line {it.sourceline}: attachment {pid or '?'}"
        url = (text_of(it, "wp:attachment_url") or "").strip()
        if not url:
            self.fail(f"{where}: missing or empty wp:attachment_url")
        elif not re.match(r"^(https?://|/)", url):
            self.fail(f"{where}: attachment_url {url!r} is neither http(s) nor site-relative")
        else:
            from urllib.parse import unquote, urlsplit
            base = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
            if base in basenames:
                self.fail(f"{where}: attachment_url basename {base!r} also used by attachment "
                          f"{basenames[base]} (a flat --source-dir needs unique basenames)")
            else:
                basenames[base] = pid
        files = [text_of(m, "wp:meta_value") or "" for m in children(it, "wp:postmeta")
                 if text_of(m, "wp:meta_key") == "_wp_attached_file"]
        date = (text_of(it, "wp:post_date") or "").strip()
        if len(files) != 1:
            self.fail(f"{where}: {len(files)} _wp_attached_file postmeta; want one (YYYY/MM/name)")
        else:
            m = ATTACHED_FILE_RE.match(files[0].strip())
            if not m:
                self.fail(f"{where}: _wp_attached_file {files[0]!r} is not YYYY/MM/name")
            elif DATE_RE.match(date) and (m.group(1), m.group(2)) != (date[:4], date[5:7]):
                self.fail(f"{where}: _wp_attached_file {files[0]!r} does not match post_date {date}")
        parent = (text_of(it, "wp:post_parent") or "").strip()
        owner = by_id.get(parent)
        if parent == "0":
            pass  # unattached media: valid, the importer keeps it in the library
        elif owner is None:
            self.fail(f"{where}: post_parent {parent!r} is not the post_id of an item in this file")
        elif (text_of(owner, "wp:post_type") or "").strip() == "attachment":
            self.fail(f"{where}: post_parent {parent} is another attachment, not a post")

    # ---------------------------------------------------------------- expected
    def check_expected(self, items):
        exp = self.expect
        posts = exp.get("posts") if isinstance(exp, dict) else exp
        if not isinstance(posts, list):
            self.fail("--expect file has no list of posts")
            return
        tz = exp.get("timezone") if isinstance(exp, dict) else None
        utc = tz in (None, "", "UTC", "Etc/UTC")
        post_items = [it for it in items if (text_of(it, "wp:post_type") or "").strip() == "post"]
        if len(post_items) != len(posts):
            self.fail(f"expected {len(posts)} posts, WXR has {len(post_items)} items of post_type post")
        by_entry = {}
        for it in items:
            for meta in children(it, "wp:postmeta"):
                if text_of(meta, "wp:meta_key") == "_wls_entry_id":
                    by_entry.setdefault((text_of(meta, "wp:meta_value") or "").strip(), it)
        for exp_post in posts:
            if not isinstance(exp_post, dict):
                self.fail(f"--expect: post entry {exp_post!r} is not an object")
                continue
            sid = str(exp_post.get("spaces_id", "")).strip()
            it = by_entry.get(sid)
            if it is None:
                self.fail(f"expected post spaces_id={sid!r}: no item with postmeta _wls_entry_id={sid!r}")
                continue
            self.check_expected_post(exp_post, it, sid, utc)

    def check_expected_post(self, exp_post, it, sid, utc):
        where = f"post spaces_id={sid!r} (post_id {(text_of(it, 'wp:post_id') or '').strip()})"
        title = exp_post.get("title")
        if title is not None and shown(text_of(it, "title", "")) != norm(title):
            self.fail(f"{where}: title {text_of(it, 'title', '')!r}, expected {title!r}")
        date = exp_post.get("date")
        post_date = (text_of(it, "wp:post_date") or "").strip()
        if date is not None and not _date_matches(date, post_date):
            self.fail(f"{where}: post_date {post_date!r}, expected {date!r}")
        gmt = (text_of(it, "wp:post_date_gmt") or "").strip()
        if utc and gmt != post_date:
            self.fail(f"{where}: post_date_gmt {gmt!r} != post_date {post_date!r} with timezone UTC")
        cats = [norm(c.text) for c in children(it, "category") if c.get("domain") == "category"]
        want = exp_post.get("category")
        for name in ([want] if isinstance(want, str) else (want or [])):
            if norm(name) not in cats:
                self.fail(f"{where}: category {name!r} not among {cats!r}")
        want_comments = exp_post.get("comments")
        if want_comments is None:
            return
        got = sorted(children(it, "wp:comment"), key=_comment_id)
        if len(got) != len(want_comments):
            self.fail(f"{where}: {len(got)} comments, expected {len(want_comments)}")
        for i, (c, w) in enumerate(zip(got, want_comments)):
            if not isinstance(w, dict):
                self.fail(f"{where}: --expect comment entry {w!r} is not an object")
                continue
            author = text_of(c, "wp:comment_author", "")
            if w.get("author") is not None and shown(author) != norm(w["author"]):
                self.fail(f"{where}: comment #{i + 1} author {author!r}, expected {w['author']!r}")
            cdate = (text_of(c, "wp:comment_date") or "").strip()
            if w.get("date") is not None and not _date_matches(w["date"], cdate):
                self.fail(f"{where}: comment #{i + 1} date {cdate!r}, expected {w['date']!r}")

    # -------------------------------------------------------------- feedparser
    def check_feedparser(self, raw, items):
        parsed = feedparser.parse(raw)
        if parsed.bozo:
            self.fail(f"feedparser bozo: {parsed.get('bozo_exception')!r}")
        if len(parsed.entries) != items:
            self.fail(f"feedparser sees {len(parsed.entries)} entries, the file has {items} items")


def _comment_id(comment):
    cid = (text_of(comment, "wp:comment_id") or "").strip()
    return int(cid) if cid.isdigit() else 0


def _line_starts(text):
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def _date_matches(expected, actual):
    """Expected local date, compared to the precision it is written with."""
    e = str(expected).strip().replace("T", " ")
    e = re.sub(r"(?:Z|[+-]\d{2}:?\d{2})$", "", e).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", e):
        return actual == e
    if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", e) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", e):
        return actual.startswith(e)
    return actual == e


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--expect", metavar="FILE", help="expected.json with the posts the WXR must hold")
    ap.add_argument("--timezone", metavar="ZONE",
                    help="the zone the converter read dates in (its report.json); overrides expected.json's")
    ap.add_argument("wxr", nargs="+", help="WXR file(s) to check")
    args = ap.parse_args(argv)
    missing = [name for name, mod in (("lxml", etree), ("feedparser", feedparser)) if mod is None]
    if missing:
        print(f"skipped: python module(s) {', '.join(missing)} not installed for {sys.executable} "
              "(pip install -r scripts/consumers/requirements.txt)")
        return EXIT_MISSING_DEPS
    expect = None
    if args.expect:
        try:
            with open(args.expect, encoding="utf-8") as fh:
                expect = json.load(fh)
        except (OSError, ValueError) as exc:
            print(f"check_wxr: cannot read --expect {args.expect}: {exc}", file=sys.stderr)
            return 2
        if args.timezone and isinstance(expect, dict):
            expect["timezone"] = args.timezone
    passed = failed = 0
    for path in args.wxr:
        try:
            failures = Checker(path, expect).run()
        except Exception:  # a crash must still name the file and count as a failure
            failures = ["check_wxr crashed:\n" + traceback.format_exc()]
        shown = os.path.relpath(path) if not os.path.isabs(path) else path
        for msg in failures[:MAX_LINES_PER_FILE]:
            print(f"FAIL {shown}: {msg}")
        if len(failures) > MAX_LINES_PER_FILE:
            print(f"FAIL {shown}: … and {len(failures) - MAX_LINES_PER_FILE} more failures")
        if failures:
            failed += 1
        else:
            passed += 1
    print(f"check_wxr: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
