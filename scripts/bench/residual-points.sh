#!/usr/bin/env bash
# The residual-points study (docs/BENCHMARKS.md, "Residual points"): recall@10 against
# exact f32 of the codes' top 200 re-scored with points of 2–8 bits per component, stored
# whole (int8, int4) or as the residual from the code's reconstruction, on the full
# catalog's vectors and the 260 bench queries; then the same residual entropy-coded, with
# a scale per article or one step for every component (as is, and on its principal axes).
#
#   scripts/bench/residual-points.sh [INDEX_DIR]
#
# INDEX_DIR defaults to the full-catalog index the full-catalog test builds (its f32
# vectors file and its codes are read; the points are made here).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cd "$ATELIER_ROOT"
index="${1:-$CARGO_TARGET_DIR/tmp/full-index}"
venv="$HOME/.cache/atelier/venv-numpy"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import numpy' 2>/dev/null || "$venv/bin/pip" install --quiet numpy
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mapfile -t queries < bench/queries.txt
"$INDEXER" embed --index "$index" "${queries[@]}" >"$tmp/q.txt"
"$venv/bin/python" scripts/bench/residual_points.py "$index" "$tmp/q.txt"
