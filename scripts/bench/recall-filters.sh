#!/usr/bin/env bash
# Recall@10 of the vector search (codes re-scored with int8 points; and of the HNSW graph)
# against exact brute force (f32) under filters of every
# selectivity, over the 260 queries of bench/queries.txt: one `indexer bench` per filter.
# In the list below `|` separates --filter arguments; one facet given twice allows either value.
# Prints a Markdown table: matching articles, share of the catalog, recall@10, latencies.
#
#   scripts/bench/recall-filters.sh [INDEX_DIR]
#
# INDEX_DIR defaults to the full-catalog index the full-catalog test builds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cd "$ATELIER_ROOT"
index="${1:-$CARGO_TARGET_DIR/tmp/full-index}"
filters=(
  ""
  "index_group=Ladieswear|index_group=Baby/Children|index_group=Divided"
  "index_group=Ladieswear|index_group=Baby/Children"
  "product_group=Garment Upper body|product_group=Garment Lower body"
  "audience=Ladies"
  "product_group=Garment Upper body"
  "colour_master=Black"
  "garment_group=Jersey Fancy"
  "product_type=Trousers"
  "pattern=Stripe"
  "colour=Red"
  "audience=Men|product_type=Shirt"
  "colour=Red|product_type=Dress"
  "colour_master=Yellow|product_type=Jacket"
)
report='
import json, sys
r = json.load(sys.stdin)
clauses = {}  # one facet given twice is "either value"
for kv in r["filters"]:
    k, v = kv.split("=", 1)
    clauses.setdefault(k, []).append(v)
f = " + ".join(k + "=" + "|".join(v) for k, v in clauses.items()) or "(none)"
n, share, recall = r["matching"], 100 * r["matching"] / r["articles"], r["recall_at_k"]
codes, hnsw, exact = (r[k]["p50_ms"] for k in ("search_codes", "search_hnsw", "search_exact"))
parts = r["browser_like"]["first_visit_points_per_query"]["partitions_p50"]
hnsw_recall = r["recall_at_k_hnsw"]
print(f"| {f} | {n:,} | {share:.2f} % | {recall:.4f} | {hnsw_recall:.4f} | {codes} ms | {hnsw} ms | {exact} ms | {parts:.0f} |")
'
printf '| filter | matching | share | recall@10 | HNSW recall@10 | codes p50 | HNSW p50 | exact p50 | partitions of points (p50) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for f in "${filters[@]}"; do
  args=()
  if [ -n "$f" ]; then
    IFS='|' read -ra parts <<<"$f"
    for p in "${parts[@]}"; do args+=(--filter "$p"); done
  fi
  "$INDEXER" bench --index "$index" "${args[@]}" 2>/dev/null | python3 -c "$report"
done
