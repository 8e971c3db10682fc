#!/usr/bin/env bash
# Runs every test: formatting, lints, unit and end-to-end tests (real model, real files;
# the full-catalog test runs when the H&M catalog is present, and says so when not).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ATELIER_ROOT"
ensure_services

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy"
cargo clippy --release --workspace $NATIVE_ONLY --all-targets --quiet -- -D warnings
step "cargo clippy: the browser crates for wasm32"
cargo clippy --release --target wasm32-unknown-unknown -p atelier-app -p atelier-worker \
  -p atelier-encoder --all-targets --quiet -- -D warnings
# The search worker as shipped, and the engine, without the model (the tests above add it).
cargo clippy --release --target wasm32-unknown-unknown -p atelier-worker --quiet -- -D warnings
cargo clippy --release -p atelier-engine --no-default-features --quiet -- -D warnings
step "cargo deny: licenses, banned and duplicate crates, sources (deny.toml)"
ensure_deny
# Advisories need the RustSec database from GitHub, which CI cannot reach: run
# `cargo deny check` where it is reachable.
cargo deny --log-level error check bans licenses sources
step "the judged query sets: no held-out query is in a set tuned on"
python3 bench/relevance/check_queries.py --disjoint
step "the demo catalog: its generator and data files reproduce it byte for byte"
demo_check="$(python3 data/demo/generate.py --check)" || { echo "$demo_check" >&2; exit 1; }
step "cargo test"
cargo test --release --workspace $NATIVE_ONLY
step "the link emulator the browser tests and benchmarks serve through (scripts/serve.py)"
python3 "$ATELIER_ROOT/tests/serve_test.py"
step "browser tests"
"$ATELIER_ROOT/scripts/test-browser.sh"
