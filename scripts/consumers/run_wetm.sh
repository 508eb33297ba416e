#!/usr/bin/env bash
# Run the third-party WXR consumer wordpress-export-to-markdown (npm, pinned in
# package.json / package-lock.json) on a WXR file, fully offline and without
# its interactive wizard, then check what it wrote with wetm_verify.py.
#
#   scripts/consumers/run_wetm.sh WXR OUTDIR [EXPECTED_JSON]
#
# OUTDIR must not exist or be empty (the tool silently skips files that
# already exist). Needs `npm ci` in scripts/consumers first.
# Exit: 0 ok, 1 check failed, 2 usage, 77 node or the npm package missing.
set -euo pipefail

usage() { echo "usage: $0 WXR OUTDIR [EXPECTED_JSON]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
wxr=$1
outdir=$2
expect=${3:-}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tool="$here/node_modules/wordpress-export-to-markdown/index.js"
python=${SPACES2WXR_PYTHON:-python3}

if ! command -v node >/dev/null 2>&1; then
    echo "skipped: node not installed (apt-get install nodejs npm)"
    exit 77
fi
if [ ! -f "$tool" ]; then
    echo "skipped: wordpress-export-to-markdown not installed (cd scripts/consumers && npm ci)"
    exit 77
fi
[ -f "$wxr" ] || { echo "run_wetm: no such WXR file: $wxr" >&2; exit 2; }
if [ -n "$expect" ] && [ ! -f "$expect" ]; then
    echo "run_wetm: no such expected file: $expect" >&2
    exit 2
fi
if [ -e "$outdir" ] && [ -n "$(ls -A "$outdir")" ]; then
    echo "run_wetm: output dir $outdir is not empty" >&2
    exit 2
fi
mkdir -p "$outdir"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Flags are those of wordpress-export-to-markdown 2.2.2 (src/wizard.js):
# no wizard, no image downloads (attached or scraped), so no network at all;
# one flat "<post_type>/<post_name>.md" file per exported item.
status=0
timeout 300 node "$tool" \
    --wizard=false \
    --input="$wxr" \
    --output="$outdir" \
    --save-attached-images=false \
    --save-scraped-images=false \
    --include-other-types=true \
    --post-folders=false \
    --prefix-date=false \
    --year-folders=false \
    --month-folders=false \
    </dev/null >"$log" 2>&1 || status=$?

# The tool catches its own exceptions and still exits 0, so read its log too.
if [ "$status" -ne 0 ] || grep -q "Something went wrong" "$log" || ! grep -q "All done!" "$log" \
    || grep -q "\[FAILED\]" "$log"; then
    echo "FAIL run_wetm: wordpress-export-to-markdown failed on $wxr (exit $status); its output:"
    sed 's/^/    /' "$log"
    exit 1
fi

args=("$wxr" "$outdir")
[ -n "$expect" ] && args+=(--expect "$expect")
exec "$python" "$here/wetm_verify.py" "${args[@]}"
