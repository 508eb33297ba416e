#!/usr/bin/env bash
# Benchmark: spaces2wxr against `unzip -q` of the same archive (wall time
# and peak memory). Not part of the test suite: timings are noisy here.
#   scripts/bench.sh [POSTS] [IMAGES] [IMAGE_KB]
set -euo pipefail
cd "$(dirname "$0")/.."
POSTS=${1:-5000} IMAGES=${2:-2000} KB=${3:-200}
WORK=${BENCH_DIR:-/tmp/spaces2wxr-bench}
mkdir -p "$WORK"
ZIP="$WORK/bench-$POSTS-$IMAGES-$KB.zip"
[ -f "$ZIP" ] || python3 scripts/make-bench-archive.py "$ZIP" --posts "$POSTS" --images "$IMAGES" --image-kb "$KB"
cargo build --release -q
command -v unzip >/dev/null || { echo "unzip is needed (apt-get install unzip)"; exit 1; }
echo "archive: $ZIP ($(du -h "$ZIP" | cut -f1), $POSTS posts, $IMAGES images of ${KB} KiB)"
for run in 1 2 3; do
  rm -rf "$WORK/unz" "$WORK/out"; sync
  /usr/bin/time -f "unzip -q      : %e s wall, %M KiB peak" unzip -q "$ZIP" -d "$WORK/unz"
  /usr/bin/time -o "$WORK/t" -f "spaces2wxr zip: %e s wall, %M KiB peak" \
    ./target/release/spaces2wxr convert "$ZIP" -o "$WORK/out" >/dev/null 2>&1 || true
  cat "$WORK/t"
  /usr/bin/time -o "$WORK/t" -f "spaces2wxr dir: %e s wall, %M KiB peak" \
    ./target/release/spaces2wxr convert "$WORK/unz" -o "$WORK/out" --force >/dev/null 2>&1 || true
  cat "$WORK/t"
done
echo "output: $(du -sh "$WORK/out" | cut -f1), $(grep -c '<item>' "$WORK"/out/*.xml) items"
