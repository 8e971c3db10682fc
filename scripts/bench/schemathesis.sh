#!/usr/bin/env bash
# Fuzzes the server's HTTP API against its own OpenAPI description with schemathesis
# (PyPI, installed into ~/.cache/atelier/tools/schemathesis-venv on first use): every
# check (server errors, status codes, content types, response schemas, schema-violating
# requests accepted, valid ones refused, methods), examples + coverage + fuzzing phases.
#
#   scripts/bench/schemathesis.sh [--max-examples 200] [--seed 1] [--index DIR]
#
# Starts atelier-server on the demo index (or DIR) with the embedded store and a real
# Redis when redis-server is installed; prints schemathesis's summary; exits non-zero on
# any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cd "$ATELIER_ROOT"
max_examples=200
seed=1
index="$ATELIER_ROOT/static-index-demo"
while [ $# -gt 0 ]; do
  case "$1" in
    --max-examples) max_examples="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --index) index="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
venv="$HOME/.cache/atelier/tools/schemathesis-venv"
if [ ! -x "$venv/bin/schemathesis" ]; then
  step "installing schemathesis (PyPI) into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis>=4,<5'
fi
if [ ! -f "$index/manifest.json" ]; then
  step "indexing the demo catalog into $index"
  "$INDEXER" build --catalog data/demo/articles.csv --out "$index"
fi

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
extra=()
if command -v redis-server >/dev/null; then
  rport=$((port + 1))
  redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >/dev/null &
  pids+=($!)
  extra+=(--redis-url "redis://127.0.0.1:$rport")
fi
ATELIER_CACHE_DIR="$work/cache" "$CARGO_TARGET_DIR/release/atelier-server" \
  --index "$index" --listen "127.0.0.1:$port" "${extra[@]}" >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/health" | grep -q '"status":"ok"' && break
  sleep 0.2
done
step "schemathesis against http://127.0.0.1:$port (max $max_examples examples per operation)"
status=0
"$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
  --checks all --phases examples,coverage,fuzzing --max-examples "$max_examples" \
  --workers 1 --seed "$seed" --no-color || status=$?
if grep -q 'panicked' "$work/server.log"; then
  echo "the server panicked:" >&2
  grep -A5 panicked "$work/server.log" >&2
  status=1
fi
exit "$status"
