"""Recall@10 of the codes' top 200 re-scored with points of several precisions.

Reads an index folder's f32 vectors and product-quantisation codes (docs/BENCHMARKS.md,
"Residual points"); the query vectors are one line of floats per query.
"""
import json
import struct
import sys

import numpy as np

RESCORE = 200


def payload(path):
    b = open(path, "rb").read()
    if b[:4] != b"ATLR" or b[7] != 0:
        sys.exit(f"{path}: not a stored (uncompressed) index file")
    return b[28:]


def load(index):
    files = json.load(open(f"{index}/manifest.json"))["files"]
    v = payload(f"{index}/{files['vectors']['path']}")
    dim, n = struct.unpack("<II", v[:8])
    x = np.frombuffer(v[8:], dtype="<f4").reshape(n, dim)
    c = payload(f"{index}/{files['codes']['path']}")
    _, _, m, _ = struct.unpack("<IIII", c[:16])
    d, at = dim // m, 16
    centroids = np.frombuffer(c[at:at + m * 256 * d * 4], dtype="<f4").reshape(m, 256, d)
    at += m * 256 * d * 4
    codes = np.frombuffer(c[at:at + n * m], dtype="u1").reshape(n, m)
    recon = np.empty_like(x)
    for s in range(m):
        recon[:, s * d:(s + 1) * d] = centroids[s][codes[:, s]]
    return x, recon


def quantise(a, bits):
    """Per-row scale from the largest component; levels in ±(2^(bits-1) − 1)."""
    top = 2 ** (bits - 1) - 1
    scale = np.abs(a).max(1, keepdims=True) / top
    scale[scale == 0] = 1
    return np.clip(np.round(a / scale), -top, top) * scale


def top(scores, ids, k):
    return ids[np.lexsort((ids, -scores))[:k]]


def main():
    x, recon = load(sys.argv[1])
    q = np.loadtxt(sys.argv[2], dtype=np.float32, ndmin=2)
    n = np.arange(len(x))
    residual = x - recon
    print(f"{len(x)} articles, {len(q)} queries; residual / vector length: "
          f"{np.linalg.norm(residual, axis=1).mean():.3f}")
    exact = [set(top(x @ v, n, 10)) for v in q]
    candidates = [top(recon @ v, n, RESCORE) for v in q]
    ceiling = np.mean([len(set(c) & e) / 10 for c, e in zip(candidates, exact)])
    print(f"exact top 10 within the codes' top {RESCORE}: {ceiling:.4f}\n")
    print("| points | bytes / article | recall@10 |")
    print("| --- | ---: | ---: |")
    dim = x.shape[1]
    schemes = [("int8 vector", 8, False), ("int4 vector", 4, False)]
    schemes += [(f"{b}-bit residual", b, True) for b in (2, 3, 4, 5, 6, 7, 8)]
    for name, bits, is_residual in schemes:
        points = recon + quantise(residual, bits) if is_residual else quantise(x, bits)
        found = [len(set(top(points[c] @ v, c, 10)) & e) / 10
                 for v, c, e in zip(q, candidates, exact)]
        print(f"| {name} | {dim * bits // 8 + 4} | {np.mean(found):.4f} |")


main()
