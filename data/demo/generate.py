#!/usr/bin/env python3
"""Generate Atelier's demo fashion catalog (data/demo/articles.csv).

The output uses exactly the column layout of the H&M Personalized Fashion
Recommendations ``articles.csv`` so the same parser and indexer can read both.
Every product name and description is composed from our own templates and
word lists; only the public category vocabularies (product types, colour
groups, index/section/department codes, ...) are reused so the demo is
schema-faithful. The data lives beside this script: ``vocabulary.json`` (the
category vocabularies, palettes and shared word lists) and ``families.json``
(each product family: its type, departments, nouns, description templates,
palette and patterns); this script is the composing logic only.

Deterministic (``random.Random(42)``), standard library only.

    python3 data/demo/generate.py            # (re)write articles.csv
    python3 data/demo/generate.py --check    # validate the committed file
"""

import argparse
import csv
import io
import json
import os
import random
import re
import sys
from collections import Counter

SEED = 42
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "articles.csv")
FIRST_PRODUCT_CODE = 990001  # 0990001...: a range the real catalog does not use

HEADER = (
    "article_id,product_code,prod_name,product_type_no,product_type_name,"
    "product_group_name,graphical_appearance_no,graphical_appearance_name,"
    "colour_group_code,colour_group_name,perceived_colour_value_id,"
    "perceived_colour_value_name,perceived_colour_master_id,"
    "perceived_colour_master_name,department_no,department_name,index_code,"
    "index_name,index_group_no,index_group_name,section_no,section_name,"
    "garment_group_no,garment_group_name,detail_desc"
).split(",")


def _load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        return json.load(fh)


# ---------------------------------------------------------------------------
# Vocabularies and word lists (vocabulary.json; its "about" says what each is)
# ---------------------------------------------------------------------------

_V = _load("vocabulary.json")
INDEXES = {k: tuple(v) for k, v in _V["indexes"].items()}
PRODUCT_TYPES = {k: tuple(v) for k, v in _V["product_types"].items()}
GRAPHICS = _V["graphics"]
PERCEIVED_VALUE = {int(k): v for k, v in _V["perceived_value"].items()}
PERCEIVED_MASTER = {int(k): v for k, v in _V["perceived_master"].items()}
COLOURS = {k: (code, [tuple(m) for m in maps]) for k, (code, maps) in _V["colours"].items()}
DEPTS = {k: tuple(v) for k, v in _V["departments"].items()}
PALETTES = {k: {c: float(w) for c, w in v.items()} for k, v in _V["palettes"].items()}
STYLE_WORDS = _V["style_words"]
NON_ASCII_WORDS = _V["non_ascii_words"]
SLOGANS = _V["slogans"]
PAT_ADJ = _V["pattern_adjectives"]
KNIT_PAT = _V["knit_pattern_adjectives"]
KNIT_STYLE = _V["knit_styles"]
COMPOUND_HEADS = set(_V["compound_heads"])
PAT_SENT = _V["pattern_sentences"]
NCOL_WEIGHTS = {int(k): w for k, w in _V["colours_per_product"].items()}
LINING = _V["lining"]
FIT_WORDS = _V["fit_words"]
LEG_BY_WORD = [tuple(p) for p in _V["leg_by_word"]]
LEG_DEFAULT = _V["leg_default"]
for _palette in PALETTES.values():
    for _colour in _palette:
        assert _colour in COLOURS, _colour

# ---------------------------------------------------------------------------
# Product families (families.json)
# ---------------------------------------------------------------------------


def fam(ptype, depts, n, nouns, desc, palette, patterns="Solid 1", lead=(),
        extras=(), slots=None, knit=False, patsent=True, ncol=None, section=""):
    """One product family, checked against the vocabularies."""
    assert ptype in PRODUCT_TYPES, ptype
    for d in depts:
        assert d in DEPTS, d
    pats = {}
    for part in patterns.split(";"):
        name, w = part.strip().rsplit(" ", 1)
        assert name in GRAPHICS, name
        pats[name] = float(w)
    if ncol is not None:
        ncol = {int(k): w for k, w in ncol.items()}
    return dict(ptype=ptype, depts=list(depts), n=n, nouns=list(nouns),
                desc=list(desc), palette=PALETTES[palette], patterns=pats,
                lead=[tuple(x) for x in lead], extras=list(extras), slots=slots or {},
                knit=knit, patsent=patsent, ncol=ncol or NCOL_WEIGHTS)


FAMILIES = [fam(**f) for f in _load("families.json")]


# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------



BRACKET = re.compile(r"\[([^\[\]]*)\]")
SLOT = re.compile(r"<(\w+)>")


def weighted(rng, items):
    """Pick a key from {key: weight} (insertion order keeps it deterministic)."""
    total = sum(items.values())
    x = rng.random() * total
    for key, w in items.items():
        x -= w
        if x < 0:
            return key
    return key


def derive_fit(noun, rng):
    for fit in FIT_WORDS:
        if fit.lower() in noun.lower():
            return fit[0] + fit[1:].lower() + "."
    return rng.choice(["Regular fit.", "Slim fit.", "Relaxed fit.", "Regular fit.", ""])


def derive_leg(noun, rng):
    low = noun.lower()
    for word, leg in LEG_BY_WORD:
        if word in low:
            return leg
    return rng.choice(LEG_DEFAULT)


def expand(rng, text, slots):
    def slot(m):
        val = slots[m.group(1)]
        if isinstance(val, dict):  # value chosen by a keyword of the product noun
            noun = slots["noun"].lower()
            val = next((v for k, v in val.items() if k != "*" and k in noun), val["*"])
        if isinstance(val, list):
            return rng.choice(val)
        return val

    for _ in range(3):  # slot values may contain slots/brackets themselves
        text = SLOT.sub(slot, text)
    while True:
        new = BRACKET.sub(lambda m: rng.choice(m.group(1).split("|")), text, count=1)
        if new == text:
            break
        text = new
    return text


def tidy(text):
    text = re.sub(r"\s+", " ", text).strip()
    text = text.replace(" ,", ",").replace(" .", ".").replace(",,", ",")
    text = re.sub(r"\.\.(?!\.)", ".", text)
    if text:
        text = text[0].upper() + text[1:]
    return text


PAT_WORDS = sorted({w.strip() for d in (PAT_ADJ, KNIT_PAT) for ws in d.values()
                    for w in ws if w.strip()}, key=len, reverse=True)
PAT_BEFORE_ARTICLE = re.compile(r"\b(%s) (a|an) " % "|".join(map(re.escape, PAT_WORDS)))


def fix_grammar(text):
    # "striped a linen blend" -> "a striped linen blend"
    text = PAT_BEFORE_ARTICLE.sub(
        lambda m: ("an " if m.group(1)[0] in "aeiou" else "a ") + m.group(1) + " ", text)
    text = re.sub(r"\ba (?=(embroidered|organic|imitation|extra|oversized|airy|ankle)\b)",
                  "an ", text)
    text = re.sub(r"\b(\w+-knit) \w+-knit ", r"\1 ", text)  # keep one "-knit" word
    return re.sub(r"\b([\w-]+) \1\b", r"\1", text)  # "soft soft" -> "soft"


def make_description(rng, f, noun, pattern):
    slots = {"slogan": SLOGANS, "lining": LINING, "knitstyle": KNIT_STYLE}
    slots.update(f["slots"])
    slots["noun"] = noun
    slots["Noun"] = noun[0].upper() + noun[1:]
    words = noun.split()
    head = " ".join(words[-2:]) if " ".join(words[-2:]).lower() in COMPOUND_HEADS else words[-1]
    slots["Head"] = head[0].upper() + head[1:]
    slots["fit"] = derive_fit(noun, rng)
    slots["leg"] = derive_leg(noun, rng)
    pat_words = (KNIT_PAT if f["knit"] else PAT_ADJ).get(pattern) or PAT_ADJ.get(pattern, [""])
    slots["pat"] = rng.choice(pat_words)
    parts = [expand(rng, rng.choice(f["desc"]), slots)]
    if f["patsent"] and pattern in PAT_SENT:
        parts.append(expand(rng, rng.choice(PAT_SENT[pattern]), slots))
    if f["extras"] and rng.random() < 0.35:
        parts.append(expand(rng, rng.choice(f["extras"]), slots))
    return fix_grammar(tidy(" ".join(parts)))


def make_name(rng, noun, style=None):
    style = style or rng.choice(STYLE_WORDS)
    r = rng.random()
    if r < 0.12:
        return "%s %s" % (style, noun.split()[-1])  # short form, e.g. "Marlow dress"
    return "%s %s" % (style, noun)


def pick_colours(rng, f):
    k = weighted(rng, f["ncol"])
    chosen = []
    for colour, p in f["lead"]:
        if rng.random() < p and colour not in chosen:
            chosen.append(colour)
    palette = dict(f["palette"])
    k = max(k, 1)
    chosen = chosen[:k]
    k = min(k, len(palette))
    while len(chosen) < k:
        c = weighted(rng, {n: w for n, w in palette.items() if n not in chosen})
        chosen.append(c)
    return chosen


def colour_fields(rng, colour):
    code, mappings = COLOURS[colour]
    opts = {(v, m): w for v, m, w in mappings}
    v, m = weighted(rng, opts)
    return [code, colour, str(v), PERCEIVED_VALUE[v], str(m), PERCEIVED_MASTER[m]]


def build_products(rng):
    products = []
    for f in FAMILIES:
        for _ in range(f["n"]):
            noun = rng.choice(f["nouns"])
            pattern = weighted(rng, f["patterns"])
            dept = DEPTS[rng.choice(f["depts"])]
            products.append({
                "family": f, "noun": noun, "pattern": pattern, "dept": dept,
                "name": make_name(rng, noun),
                "desc": make_description(rng, f, noun, pattern),
                "colours": pick_colours(rng, f),
            })
    rng.shuffle(products)
    # Edge case: a few non-ASCII product names.
    for word, p in zip(NON_ASCII_WORDS, rng.sample(products, len(NON_ASCII_WORDS))):
        p["name"] = make_name(rng, p["noun"], style=word)
    # Edge case: a few products with an unknown graphical appearance.
    for p in rng.sample([p for p in products if len(p["colours"]) >= 2], 4):
        p["pattern"] = "Unknown"
    return products


def build_rows():
    rng = random.Random(SEED)
    products = build_products(rng)
    rows = []
    for i, p in enumerate(products):
        product_code = "%07d" % (FIRST_PRODUCT_CODE + i)
        f = p["family"]
        type_no, group = PRODUCT_TYPES[f["ptype"]]
        ic, sec_no, sec, dep_no, dep, gg_no, gg = p["dept"]
        index_name, ig_no, ig_name = INDEXES[ic]
        variant = 0
        for colour in p["colours"]:
            variant += 1 if rng.random() < 0.8 else rng.randint(2, 4)
            rows.append([
                product_code + "%03d" % variant, product_code, p["name"],
                str(type_no), f["ptype"], group,
                str(GRAPHICS[p["pattern"]]), p["pattern"],
                *colour_fields(rng, colour),
                str(dep_no), dep, ic, index_name, str(ig_no), ig_name,
                str(sec_no), sec, str(gg_no), gg, p["desc"],
            ])
    # Edge case: a few unknown perceived colour masters (value kept) ...
    for row in rng.sample([r for r in rows if r[9] in ("Black", "White", "Off White",
                                                        "Light Grey", "Dark Grey")], 5):
        row[12], row[13] = "-1", "Unknown"
    # ... and a few rows where the whole colour is unknown.
    for row in rng.sample([r for r in rows if r[12] != "-1"], 3):
        row[8:14] = ["-1", "Unknown", "-1", "Unknown", "-1", "Unknown"]
    # Edge case: about 1% of rows without a description.
    for row in rng.sample(rows, round(len(rows) * 0.01)):
        row[24] = ""
    return rows


def render(rows):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Validation (--check)
# ---------------------------------------------------------------------------


def check(path):
    problems = []
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    if text != render(build_rows()):
        problems.append("file differs from a fresh generation (re-run generate.py)")
    for bad in ("0108775015,", "0111565001,"):
        if any(line.startswith(bad) for line in text.splitlines()):
            problems.append("line starting with %s" % bad)
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    if header != HEADER:
        problems.append("header mismatch")
    rows = list(reader)
    ids = Counter(r[0] for r in rows)
    seen_codes, last_code, per_product = set(), None, {}
    for n, r in enumerate(rows, start=2):
        if len(r) != 25:
            problems.append("line %d: %d columns" % (n, len(r)))
            continue
        aid, code = r[0], r[1]
        if not (len(aid) == 10 and aid.isdigit() and aid[0] == "0" and aid[:7] == code):
            problems.append("line %d: bad article_id %r" % (n, aid))
        if code != last_code:
            if code in seen_codes:
                problems.append("line %d: product_code %s not grouped" % (n, code))
            seen_codes.add(code)
            last_code = code
        fixed = tuple(r[i] for i in range(len(r)) if i not in range(8, 14) and i not in (0, 24))
        if per_product.setdefault(code, fixed) != fixed:
            problems.append("line %d: non-colour fields differ within %s" % (n, code))
    dupes = [k for k, v in ids.items() if v > 1]
    if dupes:
        problems.append("duplicate article_ids: %s" % dupes[:5])

    def show(title, counter, top=None):
        items = counter.most_common(top)
        print("%s: %s" % (title, ", ".join("%s %d" % kv for kv in items)))

    print("rows %d, products %d, size %d bytes" % (len(rows), len(seen_codes),
                                                   len(text.encode("utf-8"))))
    show("index_group", Counter(r[19] for r in rows))
    show("index_name", Counter(r[17] for r in rows))
    show("product_group", Counter(r[5] for r in rows))
    show("product_type (top 20)", Counter(r[4] for r in rows), 20)
    show("colour_group (top 20)", Counter(r[9] for r in rows), 20)
    show("colour_master", Counter(r[13] for r in rows))
    show("graphical_appearance", Counter(r[7] for r in rows))
    show("colours per product", Counter(Counter(r[1] for r in rows).values()))
    print("edge cases: empty desc %d, desc with quotes %d, desc with commas %d, "
          "non-ASCII names %d, unknown graphical %d, unknown colour master %d, "
          "unknown colour group %d" % (
              sum(not r[24] for r in rows), sum('"' in r[24] for r in rows),
              sum("," in r[24] for r in rows), sum(not r[2].isascii() for r in rows),
              sum(r[6] == "-1" for r in rows), sum(r[12] == "-1" for r in rows),
              sum(r[8] == "-1" for r in rows)))
    if problems:
        print("PROBLEMS:")
        for p in problems[:50]:
            print("  " + p)
        return 1
    print("OK")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="validate the existing articles.csv instead of writing it")
    ap.add_argument("--out", default=OUT_PATH, help="output path (default: %(default)s)")
    args = ap.parse_args(argv)
    if args.check:
        return check(args.out)
    rows = build_rows()
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        fh.write(render(rows))
    print("wrote %d rows (%d products) to %s" % (
        len(rows), len({r[1] for r in rows}), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
