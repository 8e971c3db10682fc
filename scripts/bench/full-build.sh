#!/usr/bin/env bash
# A full, cold `indexer build` of the catalog against sentence-transformers (torch, from
# PyPI) embedding the same distinct texts, in the same run, on this machine.
#
#   scripts/bench/full-build.sh [CATALOG]
#
# CATALOG defaults to the full H&M catalog beside the clone. The build starts with an
# empty embedding cache of its own (so it embeds every distinct text, and writes the
# cache as a first build does) and no previous index; its time covers reading the
# catalog, embedding, the graph and writing every file. sentence-transformers then embeds
# the distinct texts the build embedded (`indexer texts --distinct`), with its own
# length-sorted batches of 64 on every core. KEEP_INDEX=DIR keeps the index (and
# KEEP_CACHE=DIR the embedding cache) for later benchmarks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cd "$ATELIER_ROOT"

catalog="${1:-../shared/data/hm/articles.csv.gz}"
ensure_peers
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

step "$(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
step "indexer build, cold (empty embedding cache, no previous index)"
start=$(date +%s.%N)
"$INDEXER" build --catalog "$catalog" --out "$tmp/index" --cache-dir "$tmp/cache" 2>&1 |
  grep -E "^(read|[0-9]+ distinct|embedded|wrote)"
build=$(python3 -c "print($(date +%s.%N) - $start)")

"$INDEXER" texts --catalog "$catalog" --distinct >"$tmp/texts.jsonl"
step "sentence-transformers, $(wc -l <"$tmp/texts.jsonl") texts"
st=$("$PEER_PYTHON" scripts/bench/st_embed.py --texts "$tmp/texts.jsonl" --threads "$(nproc)" \
  --batch-size 64 --model "$ATELIER_MODEL_DIR")
echo "$st"
st_seconds=$(echo "$st" | python3 -c 'import json, sys; print(json.load(sys.stdin)["seconds"])')
python3 -c "b, s = $build, $st_seconds; print(f'\nfull build {b:.1f} s; sentence-transformers embedding alone {s:.1f} s: the build is {s / b:.2f}x faster')"
if [ -n "${KEEP_INDEX:-}" ]; then rm -rf "$KEEP_INDEX" && mv "$tmp/index" "$KEEP_INDEX"; fi
if [ -n "${KEEP_CACHE:-}" ]; then mkdir -p "$KEEP_CACHE" && cp "$tmp/cache"/embeddings-*.bin "$KEEP_CACHE/"; fi
