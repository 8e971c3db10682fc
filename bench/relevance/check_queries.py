#!/usr/bin/env python3
"""Validate a judged query set (bench/relevance/*.json) against the H&M catalog (stdlib only).

Usage: python3 bench/relevance/check_queries.py [CATALOG] [--queries FILE] [--show ID]
                                                [--kinds SET|K1,K2,...] [--min-per-kind N]

CATALOG is an articles.csv or articles.csv.gz (default: ../shared/data/hm/articles.csv.gz
relative to the repo root). For every query it prints the number of relevant articles and
exits non-zero if any query has fewer than MIN_RELEVANT relevant articles, more than
MAX_SHARE of the catalog, references a field or value that does not occur in the catalog
(or a field `indexer relevance` cannot read), or if the file breaks the schema. --show ID
also prints a sample of that query's matches. A query that is both in a held-out half
(heldout.json, shopper-heldout.json) and in a set tuned on is an error; --disjoint checks
only that, for every set, without a catalog.

Kinds come in sets: "core" (attribute, audience, need, typo: queries.json, heldout.json) and
"shopper" (negation, shade, detail, occasion: shopper-queries.json, shopper-heldout.json).
A file must hold every kind of the sets it uses (or of --kinds), each at least
--min-per-kind times (default: 30 per core kind, 20 per shopper kind), and no other kind.
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
# Kind sets, and the queries each kind needs in a file by default.
KIND_SETS = {
    "core": ("attribute", "audience", "need", "typo"),
    "shopper": ("negation", "shade", "detail", "occasion"),
}
MIN_PER_KIND = {"core": 30, "shopper": 20}
KINDS = tuple(k for kinds in KIND_SETS.values() for k in kinds)
# Fields `indexer relevance` (indexer/src/relevance.rs) can judge on.
JUDGED_FIELDS = ("audience", "prod_name", "product_type_name", "product_group_name",
                 "graphical_appearance_name", "colour_group_name", "perceived_colour_value_name",
                 "perceived_colour_master_name", "department_name", "index_name",
                 "index_group_name", "section_name", "garment_group_name", "detail_desc",
                 "index_code", "product_type_no")
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


def kind_set_of(kind):
    return next((name for name, kinds in KIND_SETS.items() if kind in kinds), None)


def required_kinds(doc, spec=None):
    """The kinds a file must hold, each with its default minimum: those of --kinds (a set name
    or a comma-separated list of kinds), else every kind of each set the file's queries use."""
    if spec:
        kinds = []
        for part in spec.split(","):
            part = part.strip()
            kinds.extend(KIND_SETS.get(part, (part,)))
    else:
        used = {kind_set_of(q.get("kind")) for q in doc.get("queries", []) if isinstance(q, dict)}
        kinds = [k for name, ks in KIND_SETS.items() if name in used for k in ks] or list(KIND_SETS["core"])
    return {k: MIN_PER_KIND.get(kind_set_of(k), 1) for k in dict.fromkeys(kinds)}


def validate(doc, rows, fields, values, min_per_kind=None, kinds=None):
    """Return a list of schema/value errors (empty when the file is well formed).

    kinds maps each kind the file must hold to its minimum count (see required_kinds);
    min_per_kind, when given, overrides every minimum."""
    errs = []
    if kinds is None:
        kinds = required_kinds(doc)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        errs.append(f"unknown kinds {unknown} (known: {', '.join(KINDS)})")
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
        if q.get("kind") not in kinds:
            errs.append(f"{qid}: kind must be one of {tuple(kinds)}")
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
            if field not in JUDGED_FIELDS:
                errs.append(f"{qid}: field {field!r} cannot be judged by `indexer relevance`")
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
    for kind, need in kinds.items():
        if min_per_kind is not None:
            need = min_per_kind
        if counts[kind] < need:
            errs.append(f"only {counts[kind]} {kind!r} queries (need {need})")
    return errs


# The held-out halves: no query of theirs may be in a set that is tuned on.
HELD_OUT = ("heldout.json", "shopper-heldout.json")


def overlaps(path):
    """Queries of `path` that are also in a judged set on the other side of the tuning /
    held-out line (same words, case and spacing aside): a held-out query tuned on is no
    longer held out."""
    norm = lambda q: " ".join(q.lower().split())
    def queries(p):
        with open(p, encoding="utf-8") as fh:
            if p.endswith(".tsv"):  # query <TAB> …, '#' comments (occasion-paraphrases.tsv)
                rows = [l.split("\t")[0] for l in fh if l.strip() and not l.startswith("#")]
                return {norm(q): f"line {q!r}" for q in rows}
            return {norm(q["query"]): q.get("id") for q in json.load(fh).get("queries", [])}
    mine = queries(path)
    held = os.path.basename(path) in HELD_OUT
    errs = []
    for name in sorted(os.listdir(HERE)):
        other = os.path.join(HERE, name)
        if not name.endswith((".json", ".tsv")) or os.path.abspath(other) == os.path.abspath(path):
            continue
        if held == (name in HELD_OUT):
            continue
        for text, qid in queries(other).items():
            if text in mine:
                errs.append(f"{mine[text]}: {text!r} is also {qid} of {name}")
    return errs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("catalog", nargs="?", default=DEFAULT_CATALOG)
    ap.add_argument("--disjoint", action="store_true",
                    help="only check that no set tuned on (judged sets, occasion-paraphrases.tsv) shares a "
                         "query with a held-out one (every file in bench/relevance; no catalog needed)")
    ap.add_argument("--queries", default=DEFAULT_QUERIES)
    ap.add_argument("--show", action="append", default=[], metavar="ID",
                    help="print up to 15 random matches of this query (repeatable)")
    ap.add_argument("--kinds", metavar="SET|K1,K2,...",
                    help="kinds the file must hold: a set (" + ", ".join(KIND_SETS) + ") or a comma-separated "
                         "list (default: every kind of each set the file's queries use)")
    ap.add_argument("--min-per-kind", type=int, default=None, metavar="N",
                    help="queries needed of each kind (default " + ", ".join(
                        f"{n} per {name} kind" for name, n in MIN_PER_KIND.items()) + "; heldout.json uses 12)")
    args = ap.parse_args()

    if args.disjoint:
        errs = [e for name in HELD_OUT for e in overlaps(os.path.join(HERE, name))]
        for e in errs:
            print("ERROR:", e)
        print("FAILED" if errs else "OK: no held-out query is in a set tuned on")
        return 1 if errs else 0

    rows = load_catalog(args.catalog)
    if not rows:
        sys.exit(f"{args.catalog}: empty catalog")
    fields = [f for f in rows[0] if not f.startswith("_")]
    values = {f: set(r[f] for r in rows) for f in fields}
    with open(args.queries, encoding="utf-8") as fh:
        doc = json.load(fh)

    kinds = required_kinds(doc, args.kinds)
    errs = validate(doc, rows, fields, values, args.min_per_kind, kinds) + overlaps(args.queries)
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
    seen = Counter(q.get("kind") for q in doc.get("queries", []))
    if counts:
        print(f"{len(counts)} queries ({', '.join(f'{k} {seen[k]}' for k in kinds)}); relevant "
              f"min {min(counts)} / median {statistics.median(counts):g} / max {max(counts)} "
              f"of {len(rows)} articles")
    if errs or failed:
        print(f"FAILED: {failed} queries out of bounds, {len(errs)} errors")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
