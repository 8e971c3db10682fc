#!/usr/bin/env python3
"""Peer benchmark: embed texts with sentence-transformers (CPU) and report throughput.

Input: JSONL where every line is one JSON string, e.g.  "yellow raincoat"
Output: one JSON line on stdout:
  {"peer": "sentence-transformers", "version": ..., "torch": ..., "texts": N,
   "seconds": S, "texts_per_second": R, "threads": 2, "batch_size": 64, "load_seconds": L, ...}

"seconds" covers only model.encode(); model loading is reported as "load_seconds".
--out PATH writes the vectors as raw little-endian f32, row-major (N * 384 values).

Usage:
    /root/.cache/atelier/venv-st/bin/python scripts/bench/st_embed.py --texts texts.jsonl \
        [--limit N] [--batch-size 64] [--threads 2] [--model models/all-MiniLM-L6-v2] [--out vecs.f32]
"""
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import json
import sys
import time


def read_texts(path: str, limit: int | None) -> list[str]:
    texts: list[str] = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if limit is not None and len(texts) >= limit:
                break
            line = line.rstrip("\n")
            if not line.strip():
                continue
            t = json.loads(line)
            if not isinstance(t, str):
                raise SystemExit(f"{path}:{lineno}: expected a JSON string, got {type(t).__name__}")
            texts.append(t)
    return texts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", required=True, help="JSONL file, one JSON string per line")
    ap.add_argument("--limit", type=int, default=None, help="embed only the first N texts")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--model", default="models/all-MiniLM-L6-v2", help="local model directory")
    ap.add_argument("--out", default=None, help="write vectors as raw little-endian f32 (N*384)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed warm-up batches (default 1)")
    args = ap.parse_args()

    texts = read_texts(args.texts, args.limit)
    if not texts:
        raise SystemExit("no texts")

    import numpy as np
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(args.threads)

    t0 = time.perf_counter()
    model = SentenceTransformer(args.model, device="cpu")
    model.eval()
    load_seconds = time.perf_counter() - t0

    # Untimed warm-up so one-off allocations / lazy init don't skew a small run.
    for _ in range(args.warmup):
        model.encode(texts[: args.batch_size], batch_size=args.batch_size, normalize_embeddings=True,
                     convert_to_numpy=True, show_progress_bar=False)

    t1 = time.perf_counter()
    vecs = model.encode(texts, batch_size=args.batch_size, normalize_embeddings=True,
                        convert_to_numpy=True, show_progress_bar=False)
    seconds = time.perf_counter() - t1

    if args.out:
        np.ascontiguousarray(vecs, dtype="<f4").tofile(args.out)

    print(json.dumps({
        "peer": "sentence-transformers",
        "version": sentence_transformers.__version__,
        "torch": torch.__version__,
        "texts": len(texts),
        "seconds": round(seconds, 4),
        "texts_per_second": round(len(texts) / seconds, 2),
        "threads": torch.get_num_threads(),
        "batch_size": args.batch_size,
        "load_seconds": round(load_seconds, 4),
        "dim": int(vecs.shape[1]),
        "max_seq_length": model.max_seq_length,
        "out": args.out,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
