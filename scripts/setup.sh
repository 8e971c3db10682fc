#!/usr/bin/env bash
# Installs what Atelier's build, demo and tests need. Idempotent, and quick when
# everything is already there. Sourced by scripts/demo.sh and scripts/test.sh.
set -euo pipefail

ATELIER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ATELIER_ROOT
# Build output lives outside the clone so fresh clones reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/atelier/target}"
export ATELIER_MODEL_DIR="${ATELIER_MODEL_DIR:-$ATELIER_ROOT/models/all-MiniLM-L6-v2}"

step() { printf '\n==> %s\n' "$*" >&2; }

ensure_toolchain() {
  local channel
  channel="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$ATELIER_ROOT/rust-toolchain.toml")"
  if ! rustup toolchain list | grep -q "^$channel"; then
    step "installing Rust $channel (rust-toolchain.toml)"
    (cd "$ATELIER_ROOT" && rustup toolchain install)
  fi
  if ! rustup target list --installed --toolchain "$channel" | grep -q wasm32-unknown-unknown; then
    rustup target add --toolchain "$channel" wasm32-unknown-unknown
  fi
  for c in rustfmt clippy; do
    rustup component list --installed --toolchain "$channel" | grep -q "^$c" ||
      rustup component add --toolchain "$channel" "$c"
  done
}

ensure_model() {
  if [ ! -f "$ATELIER_MODEL_DIR/model.safetensors" ]; then
    step "fetching all-MiniLM-L6-v2 into $ATELIER_MODEL_DIR"
    (cd "$ATELIER_ROOT" && cargo run --release --quiet --bin indexer -- fetch-model --dir "$ATELIER_MODEL_DIR")
  fi
}

# The server's tests and load test run a real redis-server, Prometheus and wrk (each test
# starts and stops its own; nothing is left running).
ensure_services() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v prometheus >/dev/null || missing+=(prometheus)
  command -v wrk >/dev/null || missing+=(wrk)
  [ ${#missing[@]} -eq 0 ] && return
  step "installing ${missing[*]} (apt)"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y redis-server prometheus wrk
}

ensure_toolchain
ensure_services
step "building (target dir: $CARGO_TARGET_DIR)"
(cd "$ATELIER_ROOT" && cargo build --release --workspace)
ensure_model
INDEXER="$CARGO_TARGET_DIR/release/indexer"
export INDEXER
