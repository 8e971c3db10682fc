#!/usr/bin/env bash
# Installs what Atelier's build, demo and tests need. Idempotent, and quick when
# everything is already there. Sourced by scripts/demo.sh and scripts/test.sh.
set -euo pipefail

ATELIER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ATELIER_ROOT
# Build output lives outside the clone so fresh clones reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/atelier/target}"
export ATELIER_MODEL_DIR="${ATELIER_MODEL_DIR:-$ATELIER_ROOT/models/all-MiniLM-L6-v2}"

# Every native cargo command excludes the browser crates, so features unify the same way
# each time (nothing is compiled twice).
NATIVE_ONLY="--exclude atelier-app --exclude atelier-worker --exclude atelier-encoder"
export NATIVE_ONLY

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

# Tools live outside the clone too, so fresh clones reuse them.
ATELIER_TOOLS="${ATELIER_TOOLS:-$HOME/.cache/atelier/tools}"
export PATH="$ATELIER_TOOLS/bin:$PATH"
TRUNK_VERSION="0.22.1"
# Must equal [tools] wasm_opt in Trunk.toml.
BINARYEN_VERSION="132"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages, installed only when a command is missing.
ensure_apt() { # ensure_apt COMMAND PACKAGE...
  local cmd="$1"; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  step "installing $* (apt)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# Trunk and the wasm-bindgen CLI matching Cargo.lock (Trunk must never download them).
ensure_web_tools() {
  local wb
  wb="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print }' "$ATELIER_ROOT/Cargo.lock")"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb$"; then
    step "installing wasm-bindgen-cli $wb"
    cargo install --quiet --root "$ATELIER_TOOLS" wasm-bindgen-cli --version "$wb"
  fi
  if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION$"; then
    step "installing trunk $TRUNK_VERSION"
    cargo install --quiet --root "$ATELIER_TOOLS" trunk --version "$TRUNK_VERSION" --locked
  fi
  # wasm-opt for Trunk's data-wasm-opt (Trunk.toml pins its version): npm's binaryen,
  # since Debian's (108) produces a wasm that crashes.
  if ! wasm-opt --version 2>/dev/null | grep -q "(version_$BINARYEN_VERSION)"; then
    step "installing wasm-opt (npm binaryen $BINARYEN_VERSION)"
    ensure_apt npm npm
    mkdir -p "$ATELIER_TOOLS/binaryen" "$ATELIER_TOOLS/bin"
    (cd "$ATELIER_TOOLS/binaryen" &&
      npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION.0.0")
    ln -sfn "$ATELIER_TOOLS/binaryen/node_modules/.bin/wasm-opt" "$ATELIER_TOOLS/bin/wasm-opt"
  fi
}

# cargo-deny for the dependency checks (licenses, bans, sources) scripts/test.sh runs.
CARGO_DENY_VERSION="0.20.2"
ensure_deny() {
  if ! cargo-deny --version 2>/dev/null | grep -q " $CARGO_DENY_VERSION$"; then
    step "installing cargo-deny $CARGO_DENY_VERSION"
    cargo install --quiet --locked --root "$ATELIER_TOOLS" cargo-deny --version "$CARGO_DENY_VERSION"
  fi
}

# Headless Chromium, its WebDriver, and playwright-core (never a downloaded browser).
ensure_browser() {
  ensure_apt chromium chromium chromium-driver
  ensure_apt chromedriver chromium-driver
  ensure_apt npm npm
  local m="$ATELIER_ROOT/tests/browser/node_modules"
  if [ ! -f "$m/playwright-core/package.json" ] || [ ! -f "$m/axe-core/axe.min.js" ]; then
    step "installing playwright-core and axe-core (npm)"
    (cd "$ATELIER_ROOT/tests/browser" && npm ci --no-audit --no-fund --silent)
  fi
}

# Builds the site (app + worker) into $1 and links the index folder $2 into it.
build_site() { # build_site DIST INDEX_DIR
  (cd "$ATELIER_ROOT" && trunk build --release --dist "$1" >/dev/null)
  ln -sfn "$(cd "$2" && pwd)" "$1/static-index"
}

ensure_model() {
  if [ ! -f "$ATELIER_MODEL_DIR/model.safetensors" ]; then
    step "fetching all-MiniLM-L6-v2 into $ATELIER_MODEL_DIR"
    (cd "$ATELIER_ROOT" && cargo run --release --quiet --bin indexer -- fetch-model --dir "$ATELIER_MODEL_DIR")
  fi
}

# sentence-transformers (torch, from PyPI) for the peer benchmarks, in a venv of its own;
# sets PEER_PYTHON.
ensure_peers() {
  local venv="${ATELIER_PEER_VENV:-$HOME/.cache/atelier/venv-st}"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sentence_transformers' 2>/dev/null; then
    step "installing sentence-transformers into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r "$ATELIER_ROOT/scripts/requirements-peers.txt"
  fi
  PEER_PYTHON="$venv/bin/python"
}

# The server's tests and load test run a real redis-server, Prometheus and wrk (each test
# starts and stops its own; nothing is left running). scripts/test.sh calls it; the demo
# needs none of them.
ensure_services() {
  ensure_apt redis-server redis-server
  ensure_apt prometheus prometheus
  ensure_apt wrk wrk
}

ensure_toolchain
# Native crates only: the browser crates (app, worker) are built for wasm32 by Trunk.
# ATELIER_NO_BUILD=1 uses the release binaries already in the target dir (benchmarks
# re-run against a build that is known to be current).
if [ -z "${ATELIER_NO_BUILD:-}" ]; then
  step "building (target dir: $CARGO_TARGET_DIR)"
  (cd "$ATELIER_ROOT" && cargo build --release --workspace $NATIVE_ONLY)
fi
ensure_model
INDEXER="$CARGO_TARGET_DIR/release/indexer"
export INDEXER
