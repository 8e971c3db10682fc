#!/usr/bin/env python3
"""Index size on disk per file, as a Markdown table, from an index's manifest.json.

    python3 scripts/bench/index_sizes.py static-index
"""
import json
import sys
from pathlib import Path


def members(entry):
    """A set of small files (stem, hash, each member's size) as [{path, bytes}]: member n is
    <stem><n>-<hash>.bin (format 10; a list of {path, bytes} before)."""
    if isinstance(entry, list):
        return entry
    return [{"path": f"{entry['stem']}{n}-{entry['hash']}.bin", "bytes": b} for n, b in enumerate(entry["bytes"])]


def main() -> int:
    index = Path(sys.argv[1] if len(sys.argv) > 1 else "static-index")
    m = json.loads((index / "manifest.json").read_text())
    files = m["files"]
    rows = []
    browser_first = 0
    for key, note in [
        ("codes", f"product-quantisation codes ({m['codes']['m']} B per article) and partitions (browser, full answer)"),
        ("graph", "HNSW + int8 vectors (native `indexer bench` only)"),
        ("facets", "facet names, values and counts; products (browser, first query)"),
        ("keywords", "BM25 vocabulary, document frequencies and lengths (browser, first query)"),
        ("model_weights", f"MiniLM weights, {m['model']['weights_dtype']} (browser, once)"),
        ("tokenizer", "tokenizer.json, deflated (browser, once)"),
        ("model_config", "config.json (browser, once)"),
        ("vectors", "f32 vectors (native exact search/re-scoring only)"),
    ]:
        rows.append((files[key]["path"], files[key]["bytes"], note))
        if key in ("codes", "facets", "keywords"):
            browser_first += files[key]["bytes"]
    columns = members(files.get("facet_columns", []))
    total_columns = sum(c["bytes"] for c in columns)
    browser_first += total_columns
    if columns:
        rows.append((f"column<n>-*.bin × {len(columns)}", total_columns,
                     "each article's value, a file per facet (browser: the columns a query reads)"))
    points = members(files.get("points", []))
    total_points = sum(p["bytes"] for p in points)
    rows.append((f"points<n>-*.bin × {len(points)}", total_points,
                 f"int8 vectors by partition, avg {total_points // max(1, len(points)):,} B "
                 "(browser: the partitions of a query's candidates)"))
    words = members(files.get("words", []))
    if words:
        total_words = sum(w["bytes"] for w in words)
        rows.append((f"words<n>-*.bin × {len(words)}", total_words,
                     f"the model's word embeddings, 64 token ids a file, avg {total_words // len(words):,} B "
                     "(browser: the files of a query's tokens)"))
    postings = members(files.get("postings", []))
    total_postings = sum(p["bytes"] for p in postings)
    rows.append((f"postings<n>-*.bin × {len(postings)}", total_postings,
                 f"BM25 postings by runs of terms, avg {total_postings // max(1, len(postings)):,} B "
                 "(browser: the buckets of a query's terms)"))
    shards = members(files["shards"])
    total_shards = sum(s["bytes"] for s in shards)
    rows.append((f"shard<n>-*.bin × {len(shards)}", total_shards,
                 f"metadata, {m['shard_size']} articles each, avg {total_shards // max(1, len(shards)):,} B (on demand)"))
    manifest_bytes = (index / "manifest.json").stat().st_size
    rows.append(("manifest.json", manifest_bytes, "read first"))
    print(f"Index of {m['articles']:,} articles (format version {m['format_version']}):\n")
    print("| file | bytes | MB | what |")
    print("| --- | ---: | ---: | --- |")
    for name, size, note in rows:
        print(f"| `{name}` | {size:,} | {size / 1e6:.1f} | {note} |")
    total = sum(r[1] for r in rows)
    print(f"| **total** | {total:,} | {total / 1e6:.1f} | |")
    print(f"\nFacet tables + keyword vocabulary + manifest (what a browser needs before its first, lexical, answer, "
          f"besides that query's postings, facet columns and cards): {(files['facets']['bytes'] + files['keywords']['bytes'] + manifest_bytes) / 1e6:.2f} MB")
    print(f"Codes + facets + keywords + manifest (what a browser needs before its full answer, besides the model "
          "and the query's partitions of points): "
          f"{(browser_first + manifest_bytes) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
