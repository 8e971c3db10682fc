#!/usr/bin/env bash
# How many shopper paraphrases of an occasion the hybrid ranking reads as a need that
# answers it (by a lexicon phrase, or by meaning): bench/relevance/occasion-paraphrases.tsv,
# one `indexer search --json` over them all. Prints each miss and the count.
# An expected "@Section" is met by that section among the understood sections.
#
#   scripts/bench/occasion-paraphrases.sh [INDEX_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cd "$ATELIER_ROOT"
index="${1:-$CARGO_TARGET_DIR/tmp/full-index}"
list=bench/relevance/occasion-paraphrases.tsv
grep -v '^#' "$list" | cut -f1 \
  | "$CARGO_TARGET_DIR/release/indexer" search --index "$index" --json --k 10 2>/dev/null \
  | python3 -c '
import json, sys
lexicon = json.load(open("engine/data/lexicon.json"))
def stem(w):
    n = len(w)
    if n > 4 and w.endswith("ies"): return w[:-3] + "y"
    if n > 4 and w.endswith(("sses", "shes", "ches", "xes")): return w[:-2]
    if n > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")): return w[:-1]
    return w
need_of = {}
for phrase, meaning in lexicon["phrases"]:
    if isinstance(meaning, dict) and isinstance(meaning.get("need"), str):
        need_of.setdefault(" ".join(stem(w) for w in phrase.split()), set()).add(meaning["need"])
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#")]
hits = 0
for (query, expected), line in zip(rows, sys.stdin):
    u = json.loads(line)["understood"]
    # (A phrase may name several needs: "beach wedding" is a wedding in the heat.)
    got = {x for n in u.get("needs") or [] for x in need_of.get(" ".join(stem(w) for w in n.split()), {n})}
    got |= {"@" + s for s in u.get("sections") or []}
    ok = bool(got & set(expected.split("|")))
    hits += ok
    if not ok:
        print(f"miss: {query!r}: expected {expected}, read {sorted(got) or None}")
print(f"{hits}/{len(rows)} paraphrases read as a need that answers them")
' "$list"
