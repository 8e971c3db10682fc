#!/usr/bin/env bash
# The demo, end to end: fetch the model, index the demo catalog, and search it.
# Pass a catalog to index another one: scripts/demo.sh data/raw/articles.csv
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ATELIER_ROOT"

catalog="${1:-data/demo/articles.csv}"
step "indexing $catalog into static-index/"
"$INDEXER" build --catalog "$catalog" --out static-index
"$INDEXER" verify --index static-index
step "searching"
"$INDEXER" search --index static-index --k 5 \
  "I need a red dress for a summer wedding" \
  </dev/null
printf 'yellow raincoat\nsomething warm for the kids\nbrown suede boots\n' |
  "$INDEXER" search --index static-index --k 5
step "done: try  $INDEXER search --index static-index \"your query\""
