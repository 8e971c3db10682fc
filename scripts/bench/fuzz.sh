#!/usr/bin/env bash
# Fuzzes every target in fuzz/ (or those named) with cargo-fuzz for a while each, then
# merges what the fuzzer found into the committed corpora (minimised) and prints one
# table row per target: executions, corpus size, crashes. A crash stops the run with the
# input saved under fuzz/artifacts/TARGET/; fix it and copy the input to
# fuzz/regressions/TARGET/ so that `cargo test -p atelier-fuzz` replays it forever.
#
#   scripts/bench/fuzz.sh [--minutes 10] [--max-len 4096] [TARGET...]
#
# Inputs are capped at --max-len bytes (4 kB by default) so that the merged corpora stay
# small enough to commit; every decoder's limits are reachable well below that.
#
# Installs a nightly toolchain (rustup) and cargo-fuzz (crates.io) if missing; the
# project itself builds on stable, and CI replays the corpora on stable.
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=10
max_len=4096
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --max-len) max_len="$2"; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(csv index_file manifest query body worker_message)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export CARGO_TARGET_DIR="$HOME/.cache/atelier/fuzz-target"

printf '| target | minutes | executions | corpus (committed, minimised) | crashes, timeouts, OOM |\n| --- | --- | --- | --- | --- |\n'
for t in "${targets[@]}"; do
  log=$(mktemp)
  fresh=$(mktemp -d)
  # New inputs go to $fresh; the committed corpus is read as seeds.
  if cargo +nightly fuzz run --features libfuzzer "$t" "$fresh" "fuzz/corpus/$t" -- \
      -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 \
      -max_len="$max_len" -print_final_stats=1 >"$log" 2>&1; then
    outcome=0
  else
    outcome=$(grep -c -E '^(==[0-9]+==ERROR|SUMMARY: libFuzzer)' "$log" || true)
    echo "fuzz $t failed; the log is $log" >&2
    tail -40 "$log" >&2
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # Minimise the committed corpus together with the new inputs.
  cargo +nightly fuzz cmin --features libfuzzer "$t" "fuzz/corpus/$t" >/dev/null 2>&1 || true
  cp -n "$fresh"/* "fuzz/corpus/$t/" 2>/dev/null || true
  cargo +nightly fuzz cmin --features libfuzzer "$t" "fuzz/corpus/$t" >/dev/null 2>&1 || true
  size=$(ls "fuzz/corpus/$t" | wc -l)
  printf '| %s | %s | %s | %s inputs | %s |\n' "$t" "$minutes" "${runs:-?}" "$size" "$outcome"
  rm -rf "$fresh"
  [ "$outcome" = 0 ] || exit 1
done
