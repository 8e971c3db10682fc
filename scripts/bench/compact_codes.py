#!/usr/bin/env python3
"""A study for the "<= 15 MB to the first query" target: how compact can the per-article
codes of a first download be, and how many bytes of exact vectors would a query then have
to fetch to re-score its candidates? Run by scripts/bench/compact-codes.sh.

    compact_codes.py CACHE.bin QUERIES.npy

CACHE.bin is the indexer's embedding cache (the f32 vector of every distinct article text);
QUERIES.npy the query vectors. With faiss (from PyPI), single-threaded, it reports for
product quantisation with 48 / 64 / 96 one-byte codes per article:
  - recall@10 of the codes alone, and recall of the exact top 10 within their top 50 /
    100 / 200 (what re-scoring that many candidates with exact vectors would reach);
and, for k-means partitions of 256 / 1,024 / 4,096 clusters, how many clusters (and
bytes of int8 vectors) the exact top 100 of a query falls in.
"""
import sys
import time

import faiss
import numpy as np

faiss.omp_set_num_threads(1)
raw = open(sys.argv[1], "rb").read()[28:]  # the container header (engine::format)
dim, count = np.frombuffer(raw[32:40], dtype=np.uint32)
entries = np.frombuffer(raw[40:], dtype=np.uint8).reshape(count, 16 + dim * 4)
X = np.ascontiguousarray(entries[:, 16:]).view(np.float32).reshape(count, dim)
Q = np.load(sys.argv[2]).astype(np.float32)
print(f"{count} vectors of {dim}, {len(Q)} queries", flush=True)

flat = faiss.IndexFlatIP(int(dim))
flat.add(X)
_, truth = flat.search(Q, 100)
gt10 = truth[:, :10]


def recall(found, k):
    return np.mean([len(set(found[i, :k]) & set(gt10[i])) / 10 for i in range(len(Q))])


for m in (48, 64, 96):
    t = time.time()
    pq = faiss.index_factory(int(dim), f"PQ{m}", faiss.METRIC_INNER_PRODUCT)
    pq.train(X)
    pq.add(X)
    _, found = pq.search(Q, 200)
    print(f"PQ{m}: {m} B/article = {m * 105542 / 1e6:.2f} MB for 105,542 articles; "
          f"recall@10 {recall(found, 10):.4f}; exact top 10 within top 50 {recall(found, 50):.4f}, "
          f"100 {recall(found, 100):.4f}, 200 {recall(found, 200):.4f} (train {time.time() - t:.0f} s)",
          flush=True)

for c in (256, 1024, 4096):
    km = faiss.Kmeans(int(dim), c, niter=10, seed=1, spherical=True, max_points_per_centroid=64)
    km.train(X)
    _, a = km.index.search(X, 1)
    a = a[:, 0]
    sizes = np.bincount(a, minlength=c)
    touched = [np.unique(a[truth[i]]) for i in range(len(Q))]
    n = [len(t) for t in touched]
    mb = [sizes[t].sum() * int(dim) / 1e6 for t in touched]
    print(f"{c} clusters: the exact top 100 falls in {np.median(n):.0f} (p95 {np.percentile(n, 95):.0f}) "
          f"clusters = {np.median(mb):.2f} MB (p95 {np.percentile(mb, 95):.2f}) of int8 vectors", flush=True)
