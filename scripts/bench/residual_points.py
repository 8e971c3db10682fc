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


def entropy_bytes(ints):
    """What an ideal entropy coder would store per article: the sum over components of
    the empirical entropy of their integer levels (no side information counted)."""
    bits = 0.0
    for j in range(ints.shape[1]):
        _, counts = np.unique(ints[:, j], return_counts=True)
        p = counts / counts.sum()
        bits -= (p * np.log2(p)).sum()
    return bits / 8


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

    # Would entropy coding, or a rotation that puts the residual's variance in fewer
    # components, buy the same recall in fewer bytes? The residual quantised with one
    # step for every component (no per-article scale), as is and rotated onto its
    # principal axes; sizes are entropies, an ideal coder's bytes.
    def recall(points):
        return np.mean([len(set(top(points[c] @ v, c, 10)) & e) / 10
                        for v, c, e in zip(q, candidates, exact)])

    print("\n| residual, entropy-coded | bytes / article (entropy) | recall@10 |")
    print("| --- | ---: | ---: |")
    for bits in (5, 6):
        most = 2 ** (bits - 1) - 1
        scale = np.abs(residual).max(1, keepdims=True) / most
        ints = np.clip(np.round(residual / scale), -most, most).astype(np.int16)
        print(f"| {bits}-bit, a scale per article (as above) | {entropy_bytes(ints) + 4:.0f} | "
              f"{recall(recon + ints * scale):.4f} |")
    cov = np.cov(residual[::5].T)
    w, axes = np.linalg.eigh(cov)
    axes, w = axes[:, ::-1], w[::-1]
    print(f"(the residual's principal axes: the first 100 of {dim} hold "
          f"{w[:100].sum() / w.sum():.0%} of its variance)")
    for name, rotate in (("one step", None), ("one step, principal axes", axes)):
        r = residual if rotate is None else residual @ rotate
        for frac in (0.25, 0.5):
            step = r.std() * frac
            ints = np.round(r / step).astype(np.int16)
            back = ints * step if rotate is None else (ints * step) @ rotate.T
            print(f"| {name} of {frac} σ | {entropy_bytes(ints):.0f} | {recall(recon + back):.4f} |")


main()
