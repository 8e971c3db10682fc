#!/usr/bin/env bash
# Load test of atelier-server with wrk against 127.0.0.1, bounded in time:
#   1. uncached  — no Redis: every search is embedded and ranked;
#   2. cached    — Redis on, cache primed with the query set: every search is a hit;
#   3. redis-down — the same server after Redis is killed: answers uncached, no errors.
# Queries cycle through bench/queries.txt (260 shopper queries), k = 10, hybrid ranking.
#
#   scripts/bench/server-load.sh [INDEX_DIR]
#
# INDEX_DIR defaults to the full-catalog index if present ($ATELIER_FULL_INDEX or
# ~/.cache/atelier/target/tmp/full-index), else the demo index (built if missing).
# DURATION (default 20s), CONNECTIONS (8) and THREADS (1) tune wrk; NO_BUILD=1 skips cargo. The embedded Qdrant
# store is kept in ~/.cache/atelier/qdrant-edge, so only the first run loads it (each
# scenario starts once /ready says the store answers).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/atelier/target}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-8}"
THREADS="${THREADS:-1}"
for tool in wrk redis-server curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: scripts/test.sh installs it (or apt-get install redis-server wrk curl)" >&2; exit 1; }
done

# NO_BUILD=1: use the binaries already in $CARGO_TARGET_DIR/release.
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet -p atelier-server -p atelier-indexer
SERVER="$CARGO_TARGET_DIR/release/atelier-server"
INDEXER="$CARGO_TARGET_DIR/release/indexer"

INDEX="${1:-}"
if [ -z "$INDEX" ]; then
  full="${ATELIER_FULL_INDEX:-$HOME/.cache/atelier/target/tmp/full-index}"
  if [ -f "$full/manifest.json" ]; then
    INDEX="$full"
  else
    INDEX="$ROOT/static-index-demo"
    if [ ! -f "$INDEX/manifest.json" ]; then
      "$INDEXER" build --catalog data/demo/articles.csv --out "$INDEX"
    fi
  fi
fi
articles="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["articles"])' "$INDEX/manifest.json")"

WORK="$(mktemp -d)"
SERVER_PID=""
REDIS_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() {
  PORT="$(free_port)"
  "$SERVER" --index "$INDEX" --listen "127.0.0.1:$PORT" "$@" >"$WORK/server.out" 2>>"$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 1800); do
    grep -q "listening on" "$WORK/server.out" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.5
  done
  grep -q "listening on" "$WORK/server.out" || { echo "server did not start" >&2; exit 1; }
  URL="http://127.0.0.1:$PORT"
  # Measure the loaded store, not the index's fallback while it loads (a first start or a
  # re-index loads it: up to a minute for the full catalog).
  for _ in $(seq 1 3600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/ready")" = 200 ] && return
    sleep 0.5
  done
  echo "the vector store did not become ready" >&2
  exit 1
}

stop_server() {
  kill "$SERVER_PID" && wait "$SERVER_PID" || true
  SERVER_PID=""
}

run_wrk() { # name
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s \
    -s scripts/bench/server-load.lua "$URL" -- "$ROOT/bench/queries.txt" >"$WORK/$1.txt"
  tail -n 1 "$WORK/$1.txt" >"$WORK/$1.json"
  echo "$1: $(cat "$WORK/$1.json")" >&2
}

prime() { # every query once, sequentially
  while IFS= read -r q; do
    [ -n "$q" ] && curl -fsS -o /dev/null -G "$URL/api/search" --data-urlencode "q=$q" --data-urlencode "k=10"
  done <bench/queries.txt
}

echo "index: $INDEX ($articles articles); wrk -t$THREADS -c$CONNECTIONS -d$DURATION" >&2

# 1. Uncached.
start_server
prime # warms the process (page cache, allocator) — no Redis, so nothing is cached
run_wrk uncached
stop_server

# 2. Cached.
REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >/dev/null &
REDIS_PID=$!
sleep 0.5
start_server --redis-url "redis://127.0.0.1:$REDIS_PORT"
prime
run_wrk cached

# 3. Redis down, same server.
kill "$REDIS_PID" && wait "$REDIS_PID" 2>/dev/null || true
REDIS_PID=""
run_wrk redis-down
errors="$(curl -fsS "$URL/metrics" | awk '/^atelier_cache_errors_total/ {s += $NF} END {print s + 0}')"
health="$(curl -sS "$URL/health")"
stop_server

python3 - "$WORK" "$articles" "$errors" "$health" <<'PY'
import json, sys
work, articles, errors, health = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
print(f"\n{articles} articles; store {health['vector_store']['kind']} (exact={health['vector_store']['exact']}); "
      f"Redis during scenario 3: {health['redis']['status']}; cache errors counted: {errors}\n")
print("| scenario | requests | req/s | p50 | p90 | p99 | max | non-2xx | socket errors |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for name in ["uncached", "cached", "redis-down"]:
    r = json.load(open(f"{work}/{name}.json"))
    print(f"| {name} | {r['requests']} | {r['rps']:.1f} | {r['p50_ms']:.1f} ms | {r['p90_ms']:.1f} ms | "
          f"{r['p99_ms']:.1f} ms | {r['max_ms']:.1f} ms | {r['non_2xx']} | {r['socket_errors']} |")
bad = json.load(open(f"{work}/redis-down.json"))
sys.exit(1 if bad["non_2xx"] or bad["socket_errors"] else 0)
PY
