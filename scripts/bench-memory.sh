#!/usr/bin/env bash
# Benchmark: peak memory (RSS) and wall time of spaces2wxr as the number of
# posts grows, for zip and folder input, and the memory each added post
# costs between the smallest and the largest archive. Not part of the test
# suite (tests/memory.rs checks the heap exactly); timings are noisy here.
#   scripts/bench-memory.sh [POSTS ...]        default: 5000 20000 80000
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${BENCH_DIR:-/tmp/spaces2wxr-bench}
mkdir -p "$WORK"
[ $# -gt 0 ] || set -- 5000 20000 80000
command -v /usr/bin/time >/dev/null || { echo "GNU time is needed (apt-get install time)"; exit 1; }
command -v unzip >/dev/null || { echo "unzip is needed (apt-get install unzip)"; exit 1; }
cargo build --release -q
declare -A RSS
printf '%-8s %-6s %10s %12s\n' posts input "wall s" "peak KiB"
for posts in "$@"; do
  zip="$WORK/mem-$posts.zip"
  [ -f "$zip" ] || python3 scripts/make-bench-archive.py "$zip" --posts "$posts" --images 500 --image-kb 20
  rm -rf "$WORK/mem-unz" && unzip -q "$zip" -d "$WORK/mem-unz"
  for input in zip dir; do
    src=$zip; [ "$input" = dir ] && src="$WORK/mem-unz"
    rm -rf "$WORK/mem-out"
    /usr/bin/time -o "$WORK/mem-t" -f "%e %M" \
      "${CARGO_TARGET_DIR:-target}/release/spaces2wxr" convert "$src" -o "$WORK/mem-out" --site-url http://localhost >/dev/null 2>&1 || true
    read -r wall kib < "$WORK/mem-t"
    RSS[$posts-$input]=$kib
    printf '%-8s %-6s %10s %12s\n' "$posts" "$input" "$wall" "$kib"
  done
done
first=$1; last=${!#}
if [ "$first" != "$last" ]; then
  for input in zip dir; do
    per=$(( (RSS[$last-$input] - RSS[$first-$input]) * 1024 / (last - first) ))
    echo "$input input: +$per bytes of peak RSS per added post ($first -> $last posts)"
  done
fi
rm -rf "$WORK/mem-unz" "$WORK/mem-out"
