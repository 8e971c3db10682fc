#!/usr/bin/env bash
# Lighthouse 12 (pinned: 13 needs Node 22) on the built site around an index, served by
# scripts/serve.py as a static host would (gzip, the site's _headers), in Debian's
# Chromium: mobile and desktop presets, RUNS runs each; prints each run's category scores,
# LCP and CLS as JSON lines, then the medians (docs/BENCHMARKS.md).
#
#   scripts/bench/lighthouse.sh [INDEX_DIR] [RUNS] [URL_QUERY]
# INDEX_DIR defaults to the demo index (built if missing); URL_QUERY (default
# "?q=red+dress") is appended to the page's URL.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cd "$ATELIER_ROOT"
ensure_web_tools
ensure_browser
lh_dir="$ATELIER_TOOLS/lighthouse"
if [ ! -x "$lh_dir/node_modules/.bin/lighthouse" ]; then
  step "installing lighthouse 12.2.3 into $lh_dir"
  mkdir -p "$lh_dir" && (cd "$lh_dir" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund lighthouse@12.2.3)
fi
index="${1:-$CARGO_TARGET_DIR/bench-demo-index}"
if [ ! -f "$index/manifest.json" ]; then
  "$INDEXER" build --catalog data/demo/articles.csv --out "$index" >/dev/null
fi
runs="${2:-3}"
query="${3:-?q=red+dress}"
site="$CARGO_TARGET_DIR/bench-lighthouse-site"
build_site "$site" "$index"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
ATELIER_SERVE_QUIET=1 python3 scripts/serve.py "$site" --port "$port" --gzip &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
out="$(mktemp -d)"
for preset in mobile desktop; do
  for run in $(seq 1 "$runs"); do
    flags=()
    [ "$preset" = desktop ] && flags=(--preset=desktop)
    CHROME_PATH=/usr/bin/chromium "$lh_dir/node_modules/.bin/lighthouse" \
      "http://127.0.0.1:$port/$query" "${flags[@]}" --quiet --output=json \
      --output-path="$out/$preset-$run.json" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --user-data-dir=$out/profile-$preset-$run" \
      >/dev/null 2>&1 || echo "lighthouse $preset run $run failed" >&2
  done
done
python3 - "$out" <<'PY'
import glob, json, statistics, sys
rows = {}
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    r = json.load(open(path))
    preset = path.rsplit("/", 1)[1].split("-")[0]
    row = {k: round(v["score"] * 100) for k, v in r["categories"].items() if v["score"] is not None}
    row["lcp_s"] = round(r["audits"]["largest-contentful-paint"]["numericValue"] / 1000, 2)
    row["cls"] = round(r["audits"]["cumulative-layout-shift"]["numericValue"], 4)
    row["preset"] = preset
    print(json.dumps(row))
    rows.setdefault(preset, []).append(row)
for preset, rs in rows.items():
    keys = [k for k in rs[0] if k != "preset"]
    print(json.dumps({"preset": preset, "median_of": len(rs), **{k: statistics.median(r[k] for r in rs) for k in keys}}))
PY
