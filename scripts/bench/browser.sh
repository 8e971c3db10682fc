#!/usr/bin/env bash
# Browser benchmark (docs/BENCHMARKS.md, "Browser"): builds the site around an index and
# measures, in headless Chromium served from 127.0.0.1, the bytes of a first visit, the
# time to first result on a cold and a warm cache, and query latency (data-took-ms).
#
#   scripts/bench/browser.sh [INDEX_DIR] [N_QUERIES]
# INDEX_DIR defaults to the full-catalog index the full-catalog test builds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cd "$ATELIER_ROOT"
ensure_web_tools
ensure_browser
index="${1:-$CARGO_TARGET_DIR/tmp/full-index}"
[ -f "$index/manifest.json" ] || { echo "no index at $index (build one with indexer build)" >&2; exit 1; }
site="$CARGO_TARGET_DIR/bench-site"
build_site "$site" "$index"
ATELIER_ROOT="$ATELIER_ROOT" ATELIER_DIST="$site" QUERIES="$ATELIER_ROOT/bench/queries.txt" \
  N_QUERIES="${2:-60}" node tests/browser/bench.mjs
