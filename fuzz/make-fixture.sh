#!/usr/bin/env bash
# Rebuilds fuzz/fixture/ (the lexical part, shards, codes and 6-bit points of an index of the first 120
# articles of our own demo catalog, built by the real indexer) and the seed inputs of
# every target in fuzz/corpus/. Run after a change of the index format:
#   fuzz/make-fixture.sh [path/to/indexer]
set -euo pipefail
cd "$(dirname "$0")/.."
INDEXER=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/atelier/target}/release/indexer}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$INDEXER" build --catalog data/demo/articles.csv --limit 120 --shard-size 64 --point-bits 6 \
  --out "$work/index" >/dev/null
rm -rf fuzz/fixture && mkdir -p fuzz/fixture
python3 - "$work/index" fuzz/fixture fuzz/corpus <<'PY'
import json, os, shutil, sys, hashlib
src, dst, corpus = sys.argv[1:4]
m = json.load(open(os.path.join(src, "manifest.json")))
f = dict(m["files"])
# A set of small files (format 10): member n is <stem><n>-<hash>.bin.
for k, v in list(f.items()):
    if isinstance(v, dict) and "stem" in v:
        f[k] = [{"path": f"{v['stem']}{n}-{v['hash']}.bin", "bytes": b} for n, b in enumerate(v["bytes"])]
keep = [f["facets"], f["keywords"], f["codes"]] + f["points"] + f["facet_columns"] + f["postings"] + f["shards"]
shutil.copy(os.path.join(src, "manifest.json"), dst)
names = ["manifest.json"] + [x["path"] for x in keep]
for x in keep:
    shutil.copy(os.path.join(src, x["path"]), dst)
with open(os.path.join(dst, "files.rs"), "w") as out:
    out.write("// Written by fuzz/make-fixture.sh.\npub const FILES: &[(&str, &[u8])] = &[\n")
    for n in names:
        out.write(f'    ("{n}", include_bytes!("{n}")),\n')
    out.write("];\n")

def seed(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    open(os.path.join(d, "seed-" + name), "wb").write(data)

lines = open("data/demo/articles.csv", encoding="utf-8").read().splitlines()
seed("csv", "head", "\n".join(lines[:6]) + "\n")
seed("csv", "quoted", "\n".join(lines[:2]) + '\n' + lines[2].replace(",", ',"', 1) + "\n")
seed("csv", "header-only", lines[0] + "\n")
kinds = {"facets": 0, "keywords": 1, "shard": 4, "postings": 5, "column": 6, "codes": 7, "points": 8}
for kind, pick in kinds.items():
    x = {"shard": f["shards"][0], "postings": f["postings"][0],
         "column": f["facet_columns"][2], "points": f["points"][0]}.get(kind) or f[kind]
    raw = open(os.path.join(src, x["path"]), "rb").read()
    seed("index_file", kind, bytes([pick]) + raw)
seed("manifest", "fixture", open(os.path.join(src, "manifest.json"), "rb").read())
seed("manifest", "empty-object", "{}")
queries = ["I need a red dress for a summer wedding", "something warm for the kids",
           "a skirt but not denim", "sandals without a heel", "ochre scarf",
           "sleeveless top\ncolour_master=Red", "jeans\naudience=Men\naudience=Ladies",
           "", "   ", "x" * 600, "pj's for girls", "yelow raincoat"]
for i, q in enumerate(queries):
    seed("query", f"{i:02}", bytes([i % 5, (i * 7) % 120]) + q.encode())
bodies = ['{"q":"red dress"}', '{"q":"jeans","k":25,"mode":"vector"}',
          '{"q":"top","filters":{"colour_master":["Red","Blue"]}}',
          '{"q":"x","filters":null}', '{"q":"x","k":0}', '{"q":"x","extra":1}', '[]']
for i, b in enumerate(bodies):
    seed("body", f"{i:02}", b)
messages = ['{"init":{"base":"./static-index/"}}',
            '{"search":{"id":1,"request":{"q":"red dress","k":10}}}',
            '{"similar":{"id":2,"request":{"article_id":"0108775015"}}}',
            '{"facets":{"id":3,"filters":{"audience":["Ladies"]}}}',
            '{"vector":{"id":4,"vector":[0.1,0.2],"ms":3.5}}',
            '{"id":5,"text":"wool scarf"}', '{"nope":{}}', '"started"']
for i, b in enumerate(messages):
    seed("worker_message", f"{i:02}", b)
PY
du -sh fuzz/fixture fuzz/corpus
