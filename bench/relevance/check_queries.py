#!/usr/bin/env python3
"""Validate bench/relevance/queries.json against the H&M catalog (stdlib only).

Usage: python3 bench/relevance/check_queries.py [CATALOG] [--queries FILE] [--show ID] [--min-per-kind N]

CATALOG is an articles.csv or articles.csv.gz (default: ../shared/data/hm/articles.csv.gz
relative to the repo root). For every query it prints the number of relevant articles and
exits non-zero if any query has fewer than MIN_RELEVANT relevant articles, more than
MAX_SHARE of the catalog, references a field or value that does not occur in the catalog,
or if the file breaks the schema. --show ID also prints a sample of that query's matches.
"""
import argparse
import csv
import gzip
import io
import json
import os
import random
import statistics
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CATALOG = os.path.join(REPO_ROOT, "..", "shared", "data", "hm", "articles.csv.gz")
DEFAULT_QUERIES = os.path.join(HERE, "queries.json")

MIN_RELEVANT = 20
MAX_SHARE = 0.15
MIN_PER_KIND = 30
KINDS = ("attribute", "audience", "need", "typo")
OPS = ("in", "not_in", "contains_any")
AUDIENCES = ("Ladies", "Men", "Sport", "Baby", "Kids")


def audience(row):
    group = row["index_group_name"]
    if group in ("Ladieswear", "Divided"):
        return "Ladies"
    if group == "Menswear":
        return "Men"
    if group == "Sport":
        return "Sport"
    if group == "Baby/Children":
        return "Baby" if row["index_name"].startswith("Baby") else "Kids"
    return ""


def load_catalog(path):
    raw = gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")
    with raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["audience"] = audience(row)
        row["_text"] = (row.get("prod_name", "") + " " + row.get("detail_desc", "")).lower()
    return rows


def matches(query, row):
    for cond in query["all"]:
        value = row[cond["field"]]
        if "in" in cond:
            if value not in cond["in"]:
                return False
        elif "not_in" in cond:
            if value in cond["not_in"]:
                return False
        else:
            low = value.lower()
            if not any(s.lower() in low for s in cond["contains_any"]):
                return False
    texts = query.get("any_text")
    if texts:
        return any(t.lower() in row["_text"] for t in texts)
    return True


def validate(doc, rows, fields, values, min_per_kind=MIN_PER_KIND):
    """Return a list of schema/value errors (empty when the file is well formed)."""
    errs = []
    if doc.get("version") != 1:
        errs.append("version must be 1")
    if not isinstance(doc.get("relevance"), str):
        errs.append("missing relevance description")
    queries = doc.get("queries")
    if not isinstance(queries, list):
        return errs + ["queries must be a list"]
    seen = set()
    texts_lower = None
    for q in queries:
        qid = q.get("id", "?")
        if qid in seen:
            errs.append(f"{qid}: duplicate id")
        seen.add(qid)
        extra = set(q) - {"id", "kind", "query", "all", "any_text"}
        if extra:
            errs.append(f"{qid}: unknown keys {sorted(extra)}")
        if q.get("kind") not in KINDS:
            errs.append(f"{qid}: kind must be one of {KINDS}")
        if not isinstance(q.get("query"), str) or not q["query"].strip():
            errs.append(f"{qid}: empty query")
        conds = q.get("all")
        if not isinstance(conds, list) or not conds:
            errs.append(f"{qid}: `all` must be a non-empty list")
            conds = []
        for cond in conds:
            field = cond.get("field")
            ops = [k for k in cond if k != "field"]
            if field not in fields:
                errs.append(f"{qid}: unknown field {field!r}")
                continue
            if len(ops) != 1 or ops[0] not in OPS:
                errs.append(f"{qid}: condition on {field} needs exactly one of {OPS}")
                continue
            op = ops[0]
            vals = cond[op]
            if not isinstance(vals, list) or not vals or not all(isinstance(v, str) and v for v in vals):
                errs.append(f"{qid}: {field} {op} needs a non-empty list of strings")
                continue
            for v in vals:
                if op == "contains_any":
                    if not any(v.lower() in x.lower() for x in values[field]):
                        errs.append(f"{qid}: {field} contains {v!r} matches no catalog value")
                elif v not in values[field]:
                    errs.append(f"{qid}: {field} value {v!r} does not occur in the catalog")
        any_text = q.get("any_text")
        if any_text is not None:
            if not isinstance(any_text, list) or not any_text or not all(isinstance(t, str) and t for t in any_text):
                errs.append(f"{qid}: any_text must be a non-empty list of strings")
            else:
                if texts_lower is None:
                    texts_lower = "\n".join(r["_text"] for r in rows)
                for t in any_text:
                    if t.lower() not in texts_lower:
                        errs.append(f"{qid}: any_text {t!r} occurs in no prod_name/detail_desc")
    counts = Counter(q.get("kind") for q in queries)
    for kind in KINDS:
        if counts[kind] < min_per_kind:
            errs.append(f"only {counts[kind]} {kind!r} queries (need {min_per_kind})")
    return errs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("catalog", nargs="?", default=DEFAULT_CATALOG)
    ap.add_argument("--queries", default=DEFAULT_QUERIES)
    ap.add_argument("--show", action="append", default=[], metavar="ID",
                    help="print up to 15 random matches of this query (repeatable)")
    ap.add_argument("--min-per-kind", type=int, default=MIN_PER_KIND, metavar="N",
                    help=f"queries needed of each kind (default {MIN_PER_KIND}; the held-out set uses 12)")
    args = ap.parse_args()

    rows = load_catalog(args.catalog)
    if not rows:
        sys.exit(f"{args.catalog}: empty catalog")
    fields = [f for f in rows[0] if not f.startswith("_")]
    values = {f: set(r[f] for r in rows) for f in fields}
    with open(args.queries, encoding="utf-8") as fh:
        doc = json.load(fh)

    errs = validate(doc, rows, fields, values, args.min_per_kind)
    limit = int(MAX_SHARE * len(rows))
    counts = []
    failed = 0
    for q in doc.get("queries", []):
        if not isinstance(q.get("all"), list) or any(
                c.get("field") not in fields or not any(k in c for k in OPS) for c in q["all"]):
            continue
        hits = [r for r in rows if matches(q, r)]
        n = len(hits)
        counts.append(n)
        flag = ""
        if n < MIN_RELEVANT:
            flag = f"  FAIL: fewer than {MIN_RELEVANT}"
        elif n > limit:
            flag = f"  FAIL: more than {MAX_SHARE:.0%} of the catalog ({limit})"
        failed += bool(flag)
        print(f"{q['id']:<10} {q['kind']:<9} {n:>6}  {q['query']}{flag}")
        if q["id"] in args.show:
            for r in random.Random(0).sample(hits, min(15, n)):
                print(f"    {r['article_id']} | {r['prod_name']} | {r['product_type_name']} | "
                      f"{r['perceived_colour_master_name']} | {r['audience']} | {r['section_name']}")
    for e in errs:
        print("ERROR:", e)
    kinds = Counter(q.get("kind") for q in doc.get("queries", []))
    if counts:
        print(f"{len(counts)} queries ({', '.join(f'{k} {kinds[k]}' for k in KINDS)}); relevant "
              f"min {min(counts)} / median {statistics.median(counts):g} / max {max(counts)} "
              f"of {len(rows)} articles")
    if errs or failed:
        print(f"FAILED: {failed} queries out of bounds, {len(errs)} errors")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
