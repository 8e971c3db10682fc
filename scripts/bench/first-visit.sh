#!/usr/bin/env bash
# Progressive first visit over emulated mobile links (docs/BENCHMARKS.md): a cold visit of
# SITE/?q=QUERY in headless Chromium, served by scripts/serve.py emulating each link
# (--rate-kbit, --rtt-ms, --gzip), timing the first result card (the preliminary keyword
# answer, while the model and graph still download) and the full answer, with the bytes
# sent by then, by kind of file; with --offline also the background fill of the offline
# cache until the network is quiet. One JSON line per visit, then a table per link
# (tests/browser/first-visit.mjs; `node tests/browser/first-visit.mjs --help`).
#
#   scripts/bench/first-visit.sh [INDEX_DIR] [first-visit.mjs options]
#   SITE=DIR scripts/bench/first-visit.sh [first-visit.mjs options]     # a site built before
#
# Options: --links 9000:60,1600:150 (kbit/s:RTT ms)  --runs 3  --query Q (repeatable;
# default 4 queries of different kinds)  --offline [--quiet-s 3] [--offline-cap-s 300]
# --no-gzip | --gzip-bin no  --timeout-s 1200  --first-only (end each visit at the first card).
#
# Without SITE, the site is built around INDEX_DIR (default: the full-catalog index the
# full-catalog test builds) into $CARGO_TARGET_DIR/bench-site, as scripts/bench/browser.sh
# does. ATELIER_NO_BUILD=1 builds and installs nothing (no cargo, no trunk, no apt): it
# uses SITE, or the bench-site built before (relinked to INDEX_DIR if one is given).
# When the indexer binary is there ($INDEXER, else $CARGO_TARGET_DIR/release/indexer), the
# expected full (hybrid) and preliminary (lexical) top 10 of each query are computed on
# the site's index first, and every visit is checked against them (EXPECT, EXPECT_LEXICAL
# given in the environment are used instead).
#
#   ATELIER_NO_BUILD=1 SITE=~/.cache/atelier/target/browser-tests/site \
#     scripts/bench/first-visit.sh --links 9000:60 --runs 1      # a quick look, demo index
#   scripts/bench/first-visit.sh /path/to/full-index --offline   # the full measurement
set -euo pipefail

index=""
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then index="$1"; shift; fi
[ "${1:-}" = "--" ] && shift

if [ -z "${ATELIER_NO_BUILD:-}" ]; then
  source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh" # builds the native binaries
  cd "$ATELIER_ROOT"
  ensure_browser
  if [ -z "${SITE:-}" ]; then
    ensure_web_tools
    index="${index:-$CARGO_TARGET_DIR/tmp/full-index}"
    [ -f "$index/manifest.json" ] || { echo "no index at $index (build one with indexer build)" >&2; exit 1; }
    SITE="$CARGO_TARGET_DIR/bench-site"
    step "building the site around $index into $SITE"
    build_site "$SITE" "$index"
  fi
else
  ATELIER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  export ATELIER_ROOT
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/atelier/target}"
  INDEXER="${INDEXER:-$CARGO_TARGET_DIR/release/indexer}"
  cd "$ATELIER_ROOT"
  if [ -z "${SITE:-}" ]; then
    SITE="$CARGO_TARGET_DIR/bench-site"
    [ -f "$SITE/index.html" ] || {
      echo "ATELIER_NO_BUILD=1: no site at $SITE (pass SITE=DIR, or build one without ATELIER_NO_BUILD)" >&2
      exit 1
    }
    if [ -n "$index" ]; then
      [ -f "$index/manifest.json" ] || { echo "no index at $index" >&2; exit 1; }
      ln -sfn "$(cd "$index" && pwd)" "$SITE/static-index"
    fi
  fi
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || {
    echo "no Chromium at ${CHROMIUM:-/usr/bin/chromium} (scripts/setup.sh's ensure_browser installs it)" >&2
    exit 1
  }
  if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --silent)
  fi
fi
[ -f "$SITE/index.html" ] && [ -f "$SITE/static-index/manifest.json" ] || {
  echo "$SITE is not a built site with static-index/manifest.json" >&2
  exit 1
}

# The expected rankings, from the same index, unless given.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ -z "${EXPECT:-}" ] && [ -x "${INDEXER:-}" ]; then
  node tests/browser/first-visit.mjs --print-queries "$@" > "$tmp/queries.txt"
  if "$INDEXER" search --index "$SITE/static-index" --json --k 10 < "$tmp/queries.txt" > "$tmp/expect.jsonl" &&
     "$INDEXER" search --index "$SITE/static-index" --json --k 10 --mode lexical \
       < "$tmp/queries.txt" > "$tmp/expect-lexical.jsonl"; then
    export EXPECT="$tmp/expect.jsonl" EXPECT_LEXICAL="${EXPECT_LEXICAL:-$tmp/expect-lexical.jsonl}"
  else
    echo "first-visit: $INDEXER search failed; the answers are not checked" >&2
  fi
fi

ATELIER_ROOT="$ATELIER_ROOT" node tests/browser/first-visit.mjs --site "$SITE" "$@"
