#!/usr/bin/env bash
# Starts atelier-server — one command, nothing else to run:
#   scripts/serve-api.sh                        # the demo catalog (indexed first if needed)
#   scripts/serve-api.sh --index DIR            # any index, e.g. the full catalog
#   scripts/serve-api.sh --redis-url redis://127.0.0.1:6379   # with the Redis cache
# Other flags go to atelier-server (see --help); the API is at http://127.0.0.1:8000
# (docs: /docs). The embedded Qdrant store is loaded from the index on first start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ATELIER_ROOT"

has_index=0
for a in "$@"; do
  case "$a" in --index | --index=*) has_index=1 ;; esac
done
if [ "$has_index" -eq 0 ] && [ -z "${ATELIER_INDEX:-}" ]; then
  demo="$ATELIER_ROOT/static-index-demo"
  if [ ! -f "$demo/manifest.json" ]; then
    step "indexing the demo catalog into static-index-demo/"
    "$INDEXER" build --catalog data/demo/articles.csv --out "$demo"
  fi
  set -- --index "$demo" "$@"
fi
step "starting atelier-server (Ctrl-C stops it)"
exec "$CARGO_TARGET_DIR/release/atelier-server" "$@"
