#!/usr/bin/env bash
# atelier-server against the reference stack it replaces (scripts/bench/peer-server: FastAPI +
# uvicorn --workers 2 + sentence-transformers MiniLM + Qdrant + Redis), in one run, with the same
# wrk script (scripts/bench/server-load.lua over bench/queries.txt, k = 10, wrk -t1 -c8).
# For each server:
#   uncached — no Redis: every search is embedded and ranked (after one untimed pass of the queries);
#   cached   — Redis on, primed with every query once, then wrk: every search is a hit.
# and, for each start: the start-up time (process start -> first 200 from /api/search; the
# collection / store is already loaded on disk) and the time until the whole server is ready
# (atelier: /health says the vector store is ok; peer: every uvicorn worker answers /health),
# and the server's memory after wrk: peak RSS (VmHWM) and RSS/PSS now, summed over its processes
# (uvicorn's parent and workers).
#
#   scripts/bench/peer-compare.sh
#
# DURATION (20s), INDEX (the full-catalog index ~/.cache/atelier/target/tmp/full-index if built,
# else the demo index), CATALOG (data/raw/articles.csv if present, else data/demo/articles.csv; the
# peer's collection, and it must be the catalog of INDEX), QDRANT_URL (a Qdrant server for the peer;
# unset: qdrant-client's local mode), NO_BUILD=1 skips cargo. ATELIER_ARGS: more flags for
# atelier-server (e.g. "--store remote --qdrant-url http://127.0.0.1:6334" to put it on the
# same Qdrant server as the peer); PARAMS: more query parameters for every request of both
# servers (e.g. "mode=vector": Atelier's vector-only ranking, the peer's only kind; the peer
# ignores it). The peer's venv
# (~/.cache/atelier/venv-peer-server) is created when missing or when its requirements changed.
# Prints one JSON line per server and scenario, then a markdown table.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/atelier/target}"
DURATION="${DURATION:-20s}"
VENV="${PEER_VENV:-$HOME/.cache/atelier/venv-peer-server}"
PEER_DIR="$ROOT/scripts/bench/peer-server"
for tool in wrk redis-server curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y redis-server wrk curl" >&2; exit 1; }
done

# The peer's venv, idempotently: rebuilt only when requirements.txt changes (~6 GB: CUDA torch).
stamp="$(sha256sum "$PEER_DIR/requirements.txt" | cut -c1-16)"
if [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$stamp" ]; then
  echo "installing the peer's venv: python3 -m venv $VENV && $VENV/bin/pip install -r $PEER_DIR/requirements.txt" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$PEER_DIR/requirements.txt"
  echo "$stamp" >"$VENV/.requirements"
fi

[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet -p atelier-server -p atelier-indexer
SERVER="$CARGO_TARGET_DIR/release/atelier-server"
if [ -z "${CATALOG:-}" ]; then
  CATALOG=data/demo/articles.csv && [ -f data/raw/articles.csv ] && CATALOG=data/raw/articles.csv
fi
if [ -z "${INDEX:-}" ]; then
  INDEX="$HOME/.cache/atelier/target/tmp/full-index"
  if [ ! -f "$INDEX/manifest.json" ]; then
    INDEX="$ROOT/static-index-demo" CATALOG=data/demo/articles.csv
    [ -f "$INDEX/manifest.json" ] || "$CARGO_TARGET_DIR/release/indexer" build --catalog "$CATALOG" --out "$INDEX"
  fi
fi

WORK="$(mktemp -d)"
PID="" REDIS_PID=""
stop() { # pid: SIGTERM, then wait (uvicorn's parent stops its workers)
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() { stop "$PID"; stop "$REDIS_PID"; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print(round($(now) - $1, 2))"; }
tree() { echo "$1"; for c in $(pgrep -P "$1"); do tree "$c"; done; } # a process and its descendants

# The peer's collection: embeds the catalog (or reads the cached embeddings) and upserts it.
echo "loading the peer's collection from $CATALOG ..." >&2
LOAD="$("$VENV/bin/python" "$PEER_DIR/app.py" load --catalog "$CATALOG")"
echo "$LOAD" >&2
COLLECTION="$(echo "$LOAD" | python3 -c 'import json,sys; print(json.load(sys.stdin)["collection"])')"
indexed="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["articles"])' "$INDEX/manifest.json")"
[ "$indexed" = "$(echo "$LOAD" | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')" ] ||
  echo "warning: $INDEX has $indexed articles, the peer's collection from $CATALOG has not as many" >&2

start() { # server: start it, measure start-up and readiness; sets PID, URL, STARTUP, READY
  local port t0 i
  port="$(free_port)" URL="http://127.0.0.1:$port"
  t0="$(now)"
  if [ "$1" = atelier ]; then
    # shellcheck disable=SC2086 # ATELIER_ARGS is split into flags on purpose
    "$SERVER" --index "$INDEX" --listen "127.0.0.1:$port" ${REDIS_URL:+--redis-url "$REDIS_URL"} ${ATELIER_ARGS:-} \
      >"$WORK/server.out" 2>"$WORK/server.log" &
  else
    PEER_COLLECTION="$COLLECTION" REDIS_URL="${REDIS_URL:-}" "$VENV/bin/uvicorn" app:app \
      --app-dir "$PEER_DIR" --host 127.0.0.1 --port "$port" --workers 2 --log-level warning \
      >"$WORK/server.out" 2>"$WORK/server.log" &
  fi
  PID=$!
  for i in $(seq 1 6000); do # up to 10 minutes
    curl -fsS -o /dev/null --max-time 10 "$URL/api/search?q=warm+up&k=10" 2>/dev/null && break
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
  done
  STARTUP="$(since "$t0")"
  for i in $(seq 1 6000); do
    if [ "$1" = atelier ]; then
      curl -fsS "$URL/health" | grep -q '"vector_store":{"status":"ok"' && break
    else # every worker has answered /health at least once
      curl -fsS "$URL/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])' >>"$WORK/pids" || true
      [ "$(sort -u "$WORK/pids" | wc -l)" -ge 2 ] && break
    fi
    sleep 0.1
  done
  READY="$(since "$t0")"
  rm -f "$WORK/pids"
}

prime() { # every query once, sequentially
  while IFS= read -r q; do
    [ -n "$q" ] && curl -fsS -o /dev/null "$URL/api/search?k=10${PARAMS:+&$PARAMS}" -G --data-urlencode "q=$q"
  done <bench/queries.txt
}

measure() { # server scenario: one JSON line into $WORK/results.jsonl
  prime
  wrk -t1 -c8 -d"$DURATION" --timeout 10s -s scripts/bench/server-load.lua "$URL" -- "$ROOT/bench/queries.txt" "${PARAMS:-}" \
    | tail -n 1 >"$WORK/wrk.json"
  local pids; pids="$(tree "$PID" | tr '\n' ' ')"
  python3 - "$1" "$2" "$STARTUP" "$READY" "$WORK/wrk.json" $pids >>"$WORK/results.jsonl" <<'PY'
import json, sys
server, scenario, startup, ready, wrk, pids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
def kb(path, key):
    for line in open(path):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0
mem = {"hwm_mb": sum(kb(f"/proc/{p}/status", "VmHWM") for p in pids) / 1024,
       "rss_mb": sum(kb(f"/proc/{p}/status", "VmRSS") for p in pids) / 1024,
       "pss_mb": sum(kb(f"/proc/{p}/smaps_rollup", "Pss") for p in pids) / 1024}
print(json.dumps({"server": server, "scenario": scenario, "startup_s": float(startup), "ready_s": float(ready),
                  **json.load(open(wrk)), **{k: round(v, 1) for k, v in mem.items()}, "processes": len(pids)}))
PY
  tail -n 1 "$WORK/results.jsonl"
}

echo "index $INDEX; catalog $CATALOG; wrk -t1 -c8 -d$DURATION; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for server in atelier peer; do
  if [ "$server" = atelier ]; then # a first start loads the embedded Qdrant store once (not measured)
    REDIS_URL="" start atelier && stop "$PID"
  fi
  REDIS_URL="" start "$server"
  measure "$server" uncached
  stop "$PID" && PID=""

  rport="$(free_port)"
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >/dev/null &
  REDIS_PID=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$rport") 2>/dev/null; do sleep 0.1; done
  REDIS_URL="redis://127.0.0.1:$rport" start "$server"
  measure "$server" cached
  stop "$PID" && PID=""
  stop "$REDIS_PID" && REDIS_PID=""
done

python3 - "$WORK/results.jsonl" "$LOAD" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
rows, load = [json.loads(l) for l in open(sys.argv[1])], json.loads(sys.argv[2])
print(f"\n{load['articles']} articles; peer: Qdrant {load['qdrant']}, embedding the catalog took "
      f"{load['embed_seconds']} s ({load['texts_per_second']} texts/s, {load['threads']} threads); "
      f"load average at the end {sys.argv[3]}\n")
print("| server | scenario | start-up | ready | req/s | p50 | p90 | p99 | non-2xx | errors | peak RSS | PSS |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    print(f"| {r['server']} | {r['scenario']} | {r['startup_s']:.2f} s | {r['ready_s']:.2f} s | {r['rps']:.1f} | "
          f"{r['p50_ms']:.1f} ms | {r['p90_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['non_2xx']} | "
          f"{r['socket_errors']} | {r['hwm_mb']:.0f} MB | {r['pss_mb']:.0f} MB |")
sys.exit(1 if any(r["non_2xx"] or r["socket_errors"] for r in rows) else 0)
PY
