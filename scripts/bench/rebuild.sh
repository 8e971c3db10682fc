#!/usr/bin/env bash
# Incremental rebuild: the time to re-index the catalog after 1% of its rows changed,
# against a full build. Prints the indexer's own timing lines for each build.
#
#   scripts/bench/rebuild.sh [CATALOG] [--full]
#
# CATALOG defaults to the full H&M catalog beside the clone. Every 100th row gets a new
# description (so its embedding text changes). First the unchanged catalog is indexed
# with a copy of the warm embedding cache (the user's cache is left as it was): that is
# the index a shop already has, and its build time is that of a build whose embeddings
# are all cached but whose graph is built from scratch. Then the changed catalog is
# indexed into the same folder, as a shop re-indexes: only the changed texts are
# embedded, and the previous index's graph is updated instead of built anew. With --full
# it also runs a full build without any cache or previous index.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cd "$ATELIER_ROOT"

catalog="${1:-../shared/data/hm/articles.csv.gz}"
full="${2:-}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 - "$catalog" "$tmp/changed.csv" <<'PY'
import csv, gzip, sys
src, dst = sys.argv[1], sys.argv[2]
opener = gzip.open if src.endswith(".gz") else open
with opener(src, "rt", encoding="utf-8", newline="") as f, open(dst, "w", encoding="utf-8", newline="") as out:
    rows = csv.DictReader(f)
    w = csv.DictWriter(out, fieldnames=rows.fieldnames)
    w.writeheader()
    changed = 0
    for i, row in enumerate(rows):
        if i % 100 == 0:
            row["detail_desc"] = (row.get("detail_desc") or "") + " New season edition."
            changed += 1
        w.writerow(row)
print(f"changed {changed} of {i + 1} rows", file=sys.stderr)
PY

# The warm cache, copied: the rebuild adds the changed texts to the copy only.
cache_src="${ATELIER_CACHE_DIR:-$HOME/.cache/atelier}"
mkdir -p "$tmp/cache"
cp "$cache_src"/embeddings-*.bin "$tmp/cache/" 2>/dev/null || echo "note: no warm cache in $cache_src" >&2

filter() { grep -E "^(read|[0-9]+ distinct|embedded|graph:|wrote)"; }
step "the index before the change (warm cache, graph from scratch)"
ATELIER_CACHE_DIR="$tmp/cache" "$INDEXER" build --catalog "$catalog" --out "$tmp/index" 2>&1 | filter
recall() { "$INDEXER" bench --index "$tmp/index" --queries bench/queries.txt --k 10 | grep -E '"recall'; }
step "recall@10 of the graph built from scratch (bench/queries.txt against exact search)"
recall
step "re-index with 1% of rows changed (warm cache, previous index in --out)"
ATELIER_CACHE_DIR="$tmp/cache" "$INDEXER" build --catalog "$tmp/changed.csv" --out "$tmp/index" 2>&1 | filter
step "recall@10 of the updated graph (bench/queries.txt against exact search)"
recall

if [ "$full" = "--full" ]; then
  step "full build, no cache"
  rm -rf "$tmp/index"
  "$INDEXER" build --catalog "$tmp/changed.csv" --out "$tmp/index" --no-cache 2>&1 | filter
fi
