#!/usr/bin/env python3
"""More like this, measured on a set judged by hand (bench/more-like-this/judged.json).

For each source article, `indexer search --like ID --k K --json`; a result counts when
its product type is one the judge accepted for that source and its audience is the
source's. Prints each source's precision and the means (both, type only, audience only).

  scripts/bench/more-like-this.py --index FULL_INDEX [--indexer PATH] [--k 10]

Needs the full catalog's index (the judged articles are the H&M catalog's).
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index", required=True)
    p.add_argument(
        "--indexer",
        default=os.environ.get(
            "INDEXER",
            str(Path.home() / ".cache/atelier/target/release/indexer"),
        ),
    )
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--judged", default=str(ROOT / "bench/more-like-this/judged.json"))
    args = p.parse_args()
    judged = json.loads(Path(args.judged).read_text())["sources"]
    both = types = audiences = 0.0
    for s in judged:
        out = subprocess.run(
            [args.indexer, "search", "--index", args.index, "--json",
             "--like", s["article_id"], "--k", str(args.k)],
            capture_output=True, text=True,
        )
        if out.returncode != 0:
            print(f"{s['article_id']}: {out.stderr.strip()}", file=sys.stderr)
            return 1
        results = json.loads(out.stdout.splitlines()[0])["results"]
        t = [r["product_type_name"] in s["types"] for r in results]
        a = [r["audience"] == s["audience"] for r in results]
        n = max(len(results), 1)
        pb = sum(x and y for x, y in zip(t, a)) / n
        both += pb
        types += sum(t) / n
        audiences += sum(a) / n
        print(f"{s['article_id']}  {pb:.1f}  {s['what']}")
    n = len(judged)
    print(f"\n{n} sources, k={args.k}: precision (type and audience) {both / n:.3f}, "
          f"type {types / n:.3f}, audience {audiences / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
