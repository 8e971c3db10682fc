#!/usr/bin/env bash
# The demo, end to end: fetch the model, index the demo catalog, build the browser app
# and serve it on http://127.0.0.1:8080/ (PORT to change; Ctrl-C stops).
# Pass a catalog to index another one: scripts/demo.sh data/raw/articles.csv
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ATELIER_ROOT"
ensure_web_tools

catalog="${1:-data/demo/articles.csv}"
step "indexing $catalog into static-index/"
"$INDEXER" build --catalog "$catalog" --out static-index
"$INDEXER" verify --index static-index
step "a search from the command line"
"$INDEXER" search --index static-index --k 5 "I need a red dress for a summer wedding" </dev/null

step "building the app (trunk) into dist/"
build_site dist static-index
port="${PORT:-8080}"
step "open http://127.0.0.1:$port/  — searches run in your browser (Ctrl-C to stop)"
exec python3 scripts/serve.py dist --port "$port"
