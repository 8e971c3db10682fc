#!/usr/bin/env bash
# atelier-server on a Qdrant cluster losing a node under load (issue 18): wrk in three
# phases against one server with --store remote —
#   1. before — every peer up;
#   2. during — right after KILL_CMD kills one peer (the load keeps running);
#   3. after  — once RESTART_CMD has brought it back and it has rejoined.
# Each phase reports requests, req/s, p50/p99, non-2xx and socket errors, what /health
# says, and the searches the server answered from the index's own graph instead of the
# store (atelier_store_fallbacks_total).
#
#   QDRANT_URL=http://127.0.0.1:6344,http://127.0.0.1:6354,http://127.0.0.1:6364 \
#   KILL_CMD='…kill peer 3…' RESTART_CMD='…start peer 3…' \
#   scripts/bench/server-failover.sh [INDEX_DIR]
#
# The cluster is yours: this script starts no Qdrant. INDEX_DIR defaults to the full
# catalog's index if present, else the demo index. DURATION (20s per phase),
# CONNECTIONS (8), EXACT (auto), SETTLE (seconds after RESTART_CMD, 20), NO_BUILD=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/atelier/target}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-8}"
SETTLE="${SETTLE:-20}"
: "${QDRANT_URL:?set QDRANT_URL to the gRPC URLs of the cluster peers, comma-separated}"
: "${KILL_CMD:?set KILL_CMD to a command that kills one Qdrant peer}"
: "${RESTART_CMD:?set RESTART_CMD to a command that starts it again}"
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install wrk curl)" >&2; exit 1; }
done
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet -p atelier-server -p atelier-indexer
SERVER="$CARGO_TARGET_DIR/release/atelier-server"

INDEX="${1:-}"
if [ -z "$INDEX" ]; then
  full="${ATELIER_FULL_INDEX:-$HOME/.cache/atelier/target/tmp/full-index}"
  if [ -f "$full/manifest.json" ]; then INDEX="$full"; else INDEX="$ROOT/static-index-demo"; fi
  [ -f "$INDEX/manifest.json" ] || "$CARGO_TARGET_DIR/release/indexer" build --catalog data/demo/articles.csv --out "$INDEX"
fi

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
t0=$(date +%s.%N)
"$SERVER" --index "$INDEX" --listen "127.0.0.1:$PORT" --store remote --qdrant-url "$QDRANT_URL" \
  --exact "${EXACT:-auto}" >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
URL="http://127.0.0.1:$PORT"
# Ready: the store loaded (the first start on a version loads the collection).
for _ in $(seq 1 7200); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "$URL/ready" || true)"
  [ "$code" = 200 ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.5
done
ready_s="$(python3 -c "import time,sys; print(f'{time.time()-float(sys.argv[1]):.1f}')" "$t0")"
echo "store ready after ${ready_s} s: $(curl -s "$URL/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["vector_store"].get("layout"))')" >&2

fallbacks() { curl -fsS "$URL/metrics" | awk '/^atelier_store_fallbacks_total/ {s += $NF} END {print s + 0}'; }
phase() { # name
  local before; before="$(fallbacks)"
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s \
    -s scripts/bench/server-load.lua "$URL" -- "$ROOT/bench/queries.txt" | tail -n 1 >"$WORK/$1.json"
  echo "$(( $(fallbacks) - before ))" >"$WORK/$1.fallbacks"
  curl -sS "$URL/health" >"$WORK/$1.health"
  echo "$1: $(cat "$WORK/$1.json")" >&2
}

phase before
sh -c "$KILL_CMD"
phase during
sh -c "$RESTART_CMD"
sleep "$SETTLE"
phase after
grep -E "vector store failed|backing" "$WORK/server.log" | head -3 >&2 || true

python3 - "$WORK" "$ready_s" <<'PY'
import json, sys
work, ready = sys.argv[1], sys.argv[2]
print(f"\nstore ready after {ready} s\n")
print("| phase | requests | req/s | p50 | p99 | max | non-2xx | socket errors | answered from the index's graph | /health |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
failed = False
for name in ["before", "during", "after"]:
    r = json.load(open(f"{work}/{name}.json"))
    h = json.load(open(f"{work}/{name}.health"))
    fb = open(f"{work}/{name}.fallbacks").read().strip()
    store = h["vector_store"]
    print(f"| {name} | {r['requests']} | {r['rps']:.1f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | "
          f"{r['max_ms']:.1f} ms | {r['non_2xx']} | {r['socket_errors']} | {fb} | {h['status']} (store {store.get('status')}: {store.get('layout')}) |")
    failed |= bool(r["non_2xx"] or r["socket_errors"])
sys.exit(1 if failed else 0)
PY
