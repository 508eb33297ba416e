#!/usr/bin/env bash
# Convert every fixture in testdata/ and import each result into a real
# WordPress with ../shared/tools/wp-import-check (needs its one-time setup).
# Prints a one-line verdict per fixture and keeps each JSON report under
# $OUT (default /tmp/spaces2wxr-wpcheck). Relative comment dates are
# anchored to a fixed crawl date so runs are comparable. Not run by CI: it installs and
# drives WordPress, MariaDB and PHP.
#
# SPLIT=SIZE converts with --max-wxr-size SIZE and imports all parts of each
# blog in order into one site (several WXR arguments); the verdict then sums
# the parts. WXR_HARNESS_PREFILL and WXR_HARNESS_WP pass through to the harness.
set -uo pipefail
cd "$(dirname "$0")/.."
CHECK=${WP_IMPORT_CHECK:-../shared/tools/wp-import-check}
OUT=${OUT:-/tmp/spaces2wxr-wpcheck}
MEDIA_URL=${MEDIA_URL:-http://localhost/spaces2wxr-media}
SITE_URL=${SITE_URL:-http://localhost}
cargo build --release -q || exit 1
BIN="${CARGO_TARGET_DIR:-target}/release/spaces2wxr"
rm -rf "$OUT" && mkdir -p "$OUT"
status=0
# Every fixture (folders and zips under testdata/ and testdata/field-cases/,
# not the XSS vectors or the goldens), or the inputs given as arguments.
if [ $# -gt 0 ]; then
  inputs=("$@")
else
  inputs=()
  for p in testdata/* testdata/field-cases/*; do
    case "$(basename "$p")" in xss|golden|field-cases|README.md|*.json) continue ;; esac
    if [ -d "$p" ] || [[ "$p" == *.zip ]]; then inputs+=("$p"); fi
  done
fi
for input in "${inputs[@]}"; do
  name=$(basename "$input")
  split_args=()
  if [ -n "${SPLIT:-}" ]; then split_args=(--max-wxr-size "$SPLIT"); fi
  "$BIN" convert "$input" -o "$OUT/$name" --site-url "$SITE_URL" --media-url "$MEDIA_URL" \
    --crawl-date "2010-11-20 12:00:00" "${split_args[@]}" 2>/dev/null
  code=$?
  if [ "$code" != 0 ]; then echo "$name: conversion failed ($code)"; status=1; continue; fi
  # One WXR (or its parts, in order), or one per space (OUT/<space>/) when the
  # input holds several blogs.
  while IFS= read -r dir; do
  label="$name${dir#"$OUT/$name"}"
  json="$OUT/$(echo "$label" | tr / _).json"
  mapfile -t wxrs < <(find "$dir" -maxdepth 1 -name '*.xml' | sort)
  "$CHECK" "${wxrs[@]}" "$dir/media" "$MEDIA_URL" > "$json" 2> "${json%.json}.log"
  python3 - "$json" "$label" "${wxrs[@]}" <<'PY' || status=1
import json, sys, re
d = json.load(open(sys.argv[1]))
wxr = "".join(open(f, encoding="utf-8").read() for f in sys.argv[3:])
want_posts = wxr.count("<wp:post_type><![CDATA[post]]>")
want_att = wxr.count("<wp:post_type><![CDATA[attachment]]>")
want_comments = wxr.count("<wp:comment>")
got = (d["posts"]["count"], d["attachments"]["count"], d["comments"]["count"])
ok = d["ok"] and got == (want_posts, want_att, want_comments) and d["posts"]["with_stale_media_urls"] == 0
print(f"{sys.argv[2]}: parts={len(sys.argv) - 3} ok={d['ok']} posts={got[0]}/{want_posts} attachments={got[1]}/{want_att} "
      f"comments={got[2]}/{want_comments} threaded={d['comments']['threaded']} "
      f"categories={d['categories']['count']} stale_media={d['posts']['with_stale_media_urls']} "
      f"links={d['internal_links']['resolved']}/{d['internal_links']['total']} files_missing={d['attachments']['files_missing']} errors={len(d['importer']['errors'])} problems={d['problems']}")
sys.exit(0 if ok else 1)
PY
  done < <(find "$OUT/$name" -name '*.xml' -printf '%h\n' | sort -u)
done
exit $status
