#!/usr/bin/env bash
# Runs every test: formatting, lints, unit and end-to-end tests (real model, real files;
# the full-catalog test runs when the H&M catalog is present, and says so when not).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ATELIER_ROOT"

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy"
cargo clippy --release --workspace --all-targets --quiet -- -D warnings
step "the engine builds for the browser (wasm32)"
cargo check --release -p atelier-engine --target wasm32-unknown-unknown --no-default-features --features wasm
step "cargo test"
cargo test --release --workspace
