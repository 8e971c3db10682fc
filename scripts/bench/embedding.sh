#!/usr/bin/env bash
# Embedding throughput, Atelier (candle) against sentence-transformers (torch, from PyPI),
# on the same texts, in the same run, on this machine. Prints both JSON lines.
#
#   scripts/bench/embedding.sh [CATALOG] [N]
#
# CATALOG defaults to the full H&M catalog beside the clone; N (default 10000) distinct
# article texts are taken evenly spread over the catalog (0 = all of them).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cd "$ATELIER_ROOT"

catalog="${1:-../shared/data/hm/articles.csv.gz}"
n="${2:-10000}"
ensure_peers

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$INDEXER" texts --catalog "$catalog" --distinct >"$tmp/all.jsonl"
python3 - "$tmp/all.jsonl" "$n" >"$tmp/texts.jsonl" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
n = int(sys.argv[2]) or len(lines)
step = max(1, len(lines) // n)
sys.stdout.write("\n".join(lines[::step][:n]) + "\n")
PY
step "$(wc -l <"$tmp/texts.jsonl") texts, $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
"$INDEXER" embed-bench --texts "$tmp/texts.jsonl"
"$PEER_PYTHON" scripts/bench/st_embed.py --texts "$tmp/texts.jsonl" --threads "$(nproc)" --batch-size 64 \
  --model "$ATELIER_MODEL_DIR"
