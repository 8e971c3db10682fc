#!/usr/bin/env bash
# Browser tests (run by scripts/test.sh, or alone): builds the demo index and the site,
# then
#  1. wasm-bindgen-test: the worker's engine in a real Chromium worker, against native;
#  2. tests/browser/run.mjs: the app in headless Chromium (playwright-core) — rankings
#     equal `indexer search --json`, filters, more-like-this, URL state, offline, errors.
# Extra arguments go to run.mjs (e.g. a test name filter).
set -euo pipefail
# Idempotent and quick when everything is built (scripts/test.sh has just built it all).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ATELIER_ROOT"
ensure_web_tools
ensure_browser

work="$CARGO_TARGET_DIR/browser-tests"
mkdir -p "$work"
index="$work/index"
step "indexing the demo catalog into $index"
"$INDEXER" build --catalog data/demo/articles.csv --out "$index" >/dev/null

step "wasm-bindgen-test: the engine in a browser worker vs native"
fixtures="$work/fixtures"
rm -rf "$fixtures" && mkdir -p "$fixtures"
ln -sfn "$index" "$fixtures/index"
python3 - "$ATELIER_ROOT/tests/fixtures/parity.json" "$INDEXER" "$index" \
  > "$fixtures/native-embeddings.jsonl" <<'PY'
import json, subprocess, sys
texts = json.load(open(sys.argv[1]))["texts"]
subprocess.run([sys.argv[2], "embed", "--index", sys.argv[3], "--json", "--", *texts], check=True)
PY
printf '%s\n' "I need a red dress for a summer wedding" "something warm for the kids" \
  "black jeans" "striped shirt for men" "cardigen" "brown suede boots" "yellow raincoat" |
  "$INDEXER" search --index "$index" --json --k 10 > "$fixtures/native-search.jsonl"
printf '%s\n' "red dress" "something warm for the kids" "black jeans" "striped shirt for men" \
  "cardigen" "linen trousers" |
  "$INDEXER" search --index "$index" --json --k 10 --mode lexical > "$fixtures/native-lexical.jsonl"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
ATELIER_SERVE_QUIET=1 python3 scripts/serve.py "$fixtures" --port "$port" --cors &
fixture_server=$!
trap 'kill $fixture_server 2>/dev/null || true' EXIT
(
  cd worker
  ATELIER_WASM_TEST_BASE="http://127.0.0.1:$port/" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  WASM_BINDGEN_TEST_TIMEOUT=600 \
    cargo test --release --target wasm32-unknown-unknown --test web
)
kill $fixture_server 2>/dev/null || true

step "the app's unit tests (wasm32, in Node)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --release --target wasm32-unknown-unknown -p atelier-app --lib

api_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
step "building the site (trunk); its Content-Security-Policy lets it reach the test's API"
site="$work/site"
ATELIER_API_ORIGINS="http://127.0.0.1:$api_port" build_site "$site" "$index"

step "the same site with a rebuilt index (shards of 16: other files, another version)"
index_next="$work/index-next"
"$INDEXER" build --catalog data/demo/articles.csv --out "$index_next" --shard-size 16 >/dev/null
site_next="$work/site-next"
rm -rf "$site_next" && cp -a "$site" "$site_next"
ln -sfn "$index_next" "$site_next/static-index"

step "atelier-server on the demo index (for the server-backed mode test)"
rm -rf "$work/qdrant"
"$CARGO_TARGET_DIR/release/atelier-server" --index "$index" --listen "127.0.0.1:$api_port" \
  --qdrant-path "$work/qdrant" >"$work/server.out" 2>"$work/server.log" &
api_server=$!
trap 'kill $fixture_server $api_server 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  grep -q "listening on" "$work/server.out" 2>/dev/null && break
  kill -0 "$api_server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
grep -q "listening on" "$work/server.out" || { echo "atelier-server did not start" >&2; exit 1; }

step "the app in headless Chromium"
ATELIER_ROOT="$ATELIER_ROOT" ATELIER_DIST="$site" ATELIER_INDEX="$index" INDEXER="$INDEXER" \
  ATELIER_DIST_NEXT="$site_next" ATELIER_INDEX_NEXT="$index_next" ATELIER_SERVER_URL="http://127.0.0.1:$api_port" node tests/browser/run.mjs "$@"
kill "$api_server" 2>/dev/null || true
