#!/usr/bin/env python3
"""The "reference stack" that Atelier replaces, for benchmarks (scripts/bench/peer-compare.sh).

FastAPI + uvicorn + sentence-transformers (all-MiniLM-L6-v2) + Qdrant (qdrant-client) + Redis:
    GET /api/search?q=...&k=10  embed q with MiniLM, top-k from Qdrant (cosine), the JSON answer
                                cached in Redis under (collection, k, q) when REDIS_URL is set
    GET /health                 {"status": "ok", "pid": ..., "points": ...}

Load the collection first (articles embedded as "prod_name: detail_desc"; the embeddings are cached
as .npy under PEER_DIR, keyed by a hash of the CSV, so a rerun does not re-embed):
    python app.py load --catalog data/demo/articles.csv      # prints a JSON line with "collection"
Then serve it:
    PEER_COLLECTION=... uvicorn app:app --app-dir scripts/bench/peer-server --workers 2

Environment:
    PEER_COLLECTION  collection to serve (printed by `load`)
    QDRANT_URL       a Qdrant server (HTTP, e.g. http://127.0.0.1:6333); unset: qdrant-client's local
                     mode, stored in PEER_DIR/qdrant-local/<collection> (brute-force search in Python,
                     all vectors in memory). Local storage is locked by one client at a time, so every
                     worker serves a private copy of it.
    REDIS_URL        e.g. redis://127.0.0.1:6379; unset: no cache
    MODEL_DIR        local model folder [models/all-MiniLM-L6-v2 of this repo]
    TORCH_THREADS    torch threads per worker [1: run one worker per core]
    PEER_DIR         cache folder [/root/.cache/atelier/peer-server]
"""
import os

# The model is a local folder: never reach for the Hugging Face hub (as scripts/bench/st_embed.py).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import contextlib
import csv
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MODEL_DIR = os.environ.get("MODEL_DIR", str(ROOT / "models" / "all-MiniLM-L6-v2"))
PEER_DIR = Path(os.environ.get("PEER_DIR", "/root/.cache/atelier/peer-server"))
CACHE_TTL = 3600  # seconds, as atelier-server's default


def load_model(threads: int):
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(MODEL_DIR, device="cpu")
    model.eval()
    return model


def qdrant_client(collection: str, private_copy: bool = False):
    """A client of the Qdrant server at QDRANT_URL, else of the local-mode store of `collection`.
    Returns (client, temporary folder to delete or None)."""
    from qdrant_client import QdrantClient

    if os.environ.get("QDRANT_URL"):
        return QdrantClient(url=os.environ["QDRANT_URL"], timeout=30), None
    path = PEER_DIR / "qdrant-local" / collection
    if not private_copy:
        return QdrantClient(path=str(path)), None
    # Local mode takes an exclusive lock on its folder: each uvicorn worker opens its own copy.
    tmp = tempfile.mkdtemp(prefix="peer-qdrant-")
    shutil.copytree(path, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".lock"))
    return QdrantClient(path=tmp), tmp


# ---------------------------------------------------------------------------------------- load

def read_catalog(path: str) -> tuple[list[str], list[str], list[str]]:
    """(article ids, names, texts) of the H&M articles.csv; text = "prod_name: detail_desc"."""
    ids, names, texts = [], [], []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            aid, name = row["article_id"].strip(), row["prod_name"].strip()
            if not aid.isdigit() or not name:
                continue
            desc = (row.get("detail_desc") or "").strip()
            ids.append(aid)
            names.append(name)
            texts.append(f"{name}: {desc}" if desc else name)
    return ids, names, texts


def load(args) -> int:
    import numpy as np
    from qdrant_client import models

    digest = hashlib.sha256(Path(args.catalog).read_bytes()).hexdigest()[:16]
    collection = f"articles-{digest}"
    ids, names, texts = read_catalog(args.catalog)
    PEER_DIR.mkdir(parents=True, exist_ok=True)

    # 1. Embeddings, cached by catalog hash (the .json beside them keeps the original embedding time).
    npy, meta = PEER_DIR / f"embeddings-{digest}.npy", PEER_DIR / f"embeddings-{digest}.json"
    cached = npy.exists() and meta.exists()
    if cached:
        vecs = np.load(npy)
        info = json.loads(meta.read_text())
    else:
        t0 = time.perf_counter()
        model = load_model(args.threads)
        load_s = time.perf_counter() - t0
        t1, c1, load1 = time.perf_counter(), time.process_time(), os.getloadavg()[0]
        vecs = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                            show_progress_bar=False).astype(np.float32)
        # CPU seconds and the load average too: the wall time means little on a busy machine.
        info = {"embed_seconds": round(time.perf_counter() - t1, 2), "cpu_seconds": round(time.process_time() - c1, 2),
                "model_load_seconds": round(load_s, 2), "texts": len(texts), "threads": args.threads,
                "batch_size": 64, "load_average": [round(load1, 2), round(os.getloadavg()[0], 2)]}
        info["texts_per_second"] = round(len(texts) / info["embed_seconds"], 1)
        np.save(npy, vecs)
        meta.write_text(json.dumps(info))
    assert vecs.shape == (len(ids), 384), vecs.shape

    # 2. The collection (cosine), skipped when it already holds every article.
    client, _ = qdrant_client(collection)
    t2 = time.perf_counter()
    upserted = False
    if not (client.collection_exists(collection) and client.count(collection).count == len(ids)):
        if client.collection_exists(collection):
            client.delete_collection(collection)
        client.create_collection(collection, vectors_config=models.VectorParams(
            size=vecs.shape[1], distance=models.Distance.COSINE))
        client.upload_collection(collection, vectors=vecs, ids=[int(a) for a in ids],
                                 payload=({"article_id": a, "name": n} for a, n in zip(ids, names)),
                                 batch_size=256)
        upserted = True
    client.close()
    print(json.dumps({"collection": collection, "articles": len(ids), "embeddings_cached": cached, **info,
                      "upserted": upserted, "upsert_seconds": round(time.perf_counter() - t2, 2),
                      "qdrant": os.environ.get("QDRANT_URL") or "local"}))
    return 0


# ---------------------------------------------------------------------------------------- serve

def make_app():
    import redis
    from fastapi import FastAPI, HTTPException, Query, Response

    collection = os.environ.get("PEER_COLLECTION", "")
    state: dict = {}

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        if not collection:
            raise RuntimeError("PEER_COLLECTION is not set (run `app.py load` first)")
        state["model"] = load_model(int(os.environ.get("TORCH_THREADS", "1")))
        state["model"].encode("warm up", normalize_embeddings=True)
        state["qdrant"], tmp = qdrant_client(collection, private_copy=True)
        state["points"] = state["qdrant"].count(collection).count
        url = os.environ.get("REDIS_URL")
        state["redis"] = redis.Redis.from_url(url, socket_timeout=1) if url else None
        try:
            yield
        finally:
            state["qdrant"].close()
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)

    app = FastAPI(lifespan=lifespan)

    @app.get("/health")
    def health():
        return {"status": "ok", "pid": os.getpid(), "collection": collection, "points": state["points"],
                "redis": "enabled" if state["redis"] else "disabled"}

    # A plain `def`: FastAPI runs it in its thread pool, so encoding does not block the event loop.
    @app.get("/api/search")
    def search(q: str = Query(..., max_length=512), k: int = Query(10, ge=1, le=100)):
        q = q.strip()
        if not q:
            raise HTTPException(400, "empty query")
        cache, key = state["redis"], f"peer:{collection}:{k}:{q}"
        if cache is not None:
            try:
                hit = cache.get(key)
                if hit is not None:
                    return Response(hit, media_type="application/json")
            except redis.RedisError:
                pass  # the cache is an optimisation: search without it
        t0 = time.perf_counter()
        vec = state["model"].encode(q, normalize_embeddings=True, convert_to_numpy=True)
        points = state["qdrant"].query_points(collection, query=vec.tolist(), limit=k, with_payload=True).points
        body = json.dumps({
            "query": q, "took_ms": round((time.perf_counter() - t0) * 1000, 3),
            "results": [{"article_id": p.payload["article_id"], "name": p.payload["name"],
                         "score": round(p.score, 6)} for p in points],
        }).encode()
        if cache is not None:
            try:
                cache.set(key, body, ex=CACHE_TTL)
            except redis.RedisError:
                pass
        return Response(body, media_type="application/json")

    return app


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    lp = sub.add_parser("load", help="embed a catalog and upsert it into a Qdrant collection")
    lp.add_argument("--catalog", required=True, help="H&M articles.csv")
    lp.add_argument("--threads", type=int, default=os.cpu_count(), help="torch threads [all cores]")
    sys.exit(load(ap.parse_args()))
else:
    app = make_app()  # uvicorn app:app
