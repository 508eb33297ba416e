#!/usr/bin/env bash
# Benchmark: spaces2wxr against `unzip -q` of the same archive (wall time,
# CPU time and peak memory). Not part of the test suite: timings are noisy.
#   scripts/bench.sh [photos] [POSTS] [IMAGES] [IMAGE_KB]   photo-heavy (default 5000 2000 200)
#   scripts/bench.sh text [POSTS]      text-heavy: about ten comments a post, no photos (default 20000)
#   scripts/bench.sh onefile [POSTS]   the text-heavy posts in one Weblog.htm (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=photos
case "${1:-}" in photos|text|onefile) MODE=$1; shift ;; esac
WORK=${BENCH_DIR:-/tmp/spaces2wxr-bench}
BIN="${CARGO_TARGET_DIR:-target}/release/spaces2wxr"
mkdir -p "$WORK"
case $MODE in
  photos) POSTS=${1:-5000} IMAGES=${2:-2000} KB=${3:-200}
          ARGS=(--posts "$POSTS" --images "$IMAGES" --image-kb "$KB") ;;
  text)   POSTS=${1:-20000}; ARGS=(--posts "$POSTS" --images 0 --comments 13) ;;
  onefile) POSTS=${1:-20000}; ARGS=(--posts "$POSTS" --images 0 --comments 13 --one-file) ;;
esac
ZIP="$WORK/bench-$MODE-$(echo "${ARGS[@]}" | tr -c 'a-z0-9\n' '_').zip"
[ -f "$ZIP" ] || python3 scripts/make-bench-archive.py "$ZIP" "${ARGS[@]}"
cargo build --release -q
command -v unzip >/dev/null || { echo "unzip is needed (apt-get install unzip)"; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "GNU time is needed (apt-get install time)"; exit 1; }
echo "archive: $ZIP ($(du -h "$ZIP" | cut -f1); $MODE: ${ARGS[*]})"
FMT="%e s wall, %U+%S s CPU, %M KiB peak"
for run in 1 2 3; do
  rm -rf "$WORK/unz" "$WORK/out"; sync
  /usr/bin/time -f "unzip -q      : $FMT" unzip -q "$ZIP" -d "$WORK/unz"
  /usr/bin/time -o "$WORK/t" -f "spaces2wxr zip: $FMT" \
    "$BIN" convert "$ZIP" -o "$WORK/out" --site-url http://localhost >/dev/null 2>&1 || true
  cat "$WORK/t"
  /usr/bin/time -o "$WORK/t" -f "spaces2wxr dir: $FMT" \
    "$BIN" convert "$WORK/unz" -o "$WORK/out" --site-url http://localhost --force >/dev/null 2>&1 || true
  cat "$WORK/t"
done
echo "output: $(du -sh "$WORK/out" | cut -f1), $(cat "$WORK"/out/*.xml | grep -c '<item>') items"
