#!/usr/bin/env bash
# The compact-codes study (docs/BENCHMARKS.md, "Toward 15 MB to the first query"): product
# quantisation recall and per-query cluster bytes on the full catalog's vectors.
#
#   scripts/bench/compact-codes.sh [EMBEDDING_CACHE]
#
# EMBEDDING_CACHE defaults to the largest embeddings-*.bin in the cache folder (a full
# catalog build leaves one); query vectors are the bench queries embedded by the indexer.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cd "$ATELIER_ROOT"
ensure_peers
"$PEER_PYTHON" -c 'import faiss' 2>/dev/null || "$PEER_PYTHON" -m pip install --quiet faiss-cpu
cache="${1:-$(ls -S "${ATELIER_CACHE_DIR:-$HOME/.cache/atelier}"/embeddings-*.bin 2>/dev/null | head -1)}"
[ -f "$cache" ] || { echo "no embedding cache (build the full catalog first)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mapfile -t queries < bench/queries.txt
"$INDEXER" embed --model "$ATELIER_MODEL_DIR" "${queries[@]}" >"$tmp/q.txt"
"$PEER_PYTHON" -c 'import sys, numpy as np; np.save(sys.argv[2], np.loadtxt(sys.argv[1], dtype=np.float32, ndmin=2))' \
  "$tmp/q.txt" "$tmp/q.npy"
"$PEER_PYTHON" scripts/bench/compact_codes.py "$cache" "$tmp/q.npy"
