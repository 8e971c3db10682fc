#!/usr/bin/env python3
"""Generate tests/fixtures/parity.json: reference embeddings from sentence-transformers.

The Rust (candle) embedder is checked against these vectors.

Usage (from the repo root, with the peer venv):
    /root/.cache/atelier/venv-st/bin/python scripts/parity/make_fixture.py \
        [MODEL_DIR] [--out tests/fixtures/parity.json]

MODEL_DIR defaults to models/all-MiniLM-L6-v2 (a local copy of
sentence-transformers/all-MiniLM-L6-v2). Runs fully offline.
"""
import os

# Must be set before importing sentence_transformers / huggingface_hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import json
import sys
from pathlib import Path

LONG_TEXT = (
    "Long-form editorial: The autumn edit. As the evenings draw in and the first frost settles on the "
    "city, our designers return to the quiet luxury of texture. This season the collection is built "
    "around three ideas: warmth without weight, colour without noise, and pieces that move easily from "
    "the office to the weekend. The cornerstone is the double-faced wool coat, cut long and relaxed with "
    "dropped shoulders, notch lapels and deep patch pockets. It comes in camel, charcoal and a deep "
    "forest green that pairs beautifully with cream knitwear. Underneath, layer a fine merino roll-neck "
    "or a chunky cable-knit cardigan with horn buttons, then finish with wide-leg trousers in brushed "
    "twill that pool softly over a chelsea boot. For those who prefer a tailored line, the single-breasted "
    "blazer in houndstooth returns with a slimmer waist, a longer body and a single vent at the back. "
    "Wear it with a crisp poplin shirt and straight-leg jeans in a rinsed indigo wash, or dress it up "
    "with a satin midi skirt and pointed slingbacks. Knitwear deserves its own chapter. Our lambswool "
    "crew necks are spun in Scotland and knitted in Portugal, with ribbed cuffs and hem that keep their "
    "shape wash after wash. The mohair blend jumpers have a cloud-like halo and come in soft lilac, "
    "butter yellow and oatmeal. Vests are back as well: try a cropped sleeveless knit over a long-sleeved "
    "T-shirt for an easy nineties look. For the children, padded jackets with detachable hoods, fleece "
    "linings and reflective details keep them warm and visible on the walk to school, while corduroy "
    "dungarees with adjustable straps grow with them through the season. Accessories complete the story. "
    "A leather belt with a brushed brass buckle, a cashmere scarf in a tonal check, ribbed beanies and "
    "touchscreen gloves are the small things that make a big difference on a cold morning. Our footwear "
    "team has reworked the classic lace-up boot with a lug sole, a padded collar and water-repellent "
    "suede, available in tan, black and a rich chocolate brown. If you are travelling, the quilted "
    "weekend bag with a detachable shoulder strap fits a change of clothes, a wash bag and a paperback. "
    "Finally, a word on care. Natural fibres last longest when they are aired rather than washed, folded "
    "rather than hung, and stored with cedar blocks to keep moths away. Repair a loose button as soon as "
    "you notice it, brush wool coats after wearing, and let leather shoes rest for a day between wears. "
    "Buy less, choose well, and make it last: that is the thinking behind every piece in this collection, "
    "from the heaviest overcoat to the lightest silk camisole, and it is why we offer free repairs on "
    "outerwear for the first two years. Visit us in store to try the new shapes, book a styling "
    "appointment with our team, or browse the full range online with free returns within thirty days."
)

TEXTS = [
    # shopper queries
    "I need a red dress for a summer wedding",
    "something warm for the kids",
    "yellow raincoat",
    "brown suede boots",
    "trosers",
    "a gift for a new dad",
    "comfortable running shoes for flat feet",
    "black tie outfit for men under 200 euros",
    "oversized hoodie in pastel colours",
    "what should I wear to a job interview?",
    "swimwear that doesn't show tan lines",
    # article-like texts (H&M-style: product type · colour · pattern · section · department. name. description.)
    "Dress · Red · Solid · Ladieswear · Dresses Ladies. Satin slip dress. Calf-length dress in satin with narrow adjustable shoulder straps.",
    "Jacket · Yellow · Solid · Children · Kids Outerwear. Padded rain jacket. Waterproof jacket in coated fabric with a lined hood, press-studs down the front and reflective details.",
    "Boots · Dark Brown · Solid · Menswear · Shoes. Suede Chelsea boots. Ankle boots in suede with elastic side panels, a loop at the back and chunky rubber soles.",
    "Trousers · Beige · Solid · Menswear · Trousers. Relaxed Fit linen trousers. Trousers in airy linen with a drawstring waist, side pockets and a back pocket.",
    "Sweater · Light Grey · Melange · Divided · Knitwear. Fine-knit jumper. Jumper in a soft, fine knit containing some wool with dropped shoulders and ribbing at the cuffs and hem.",
    "T-shirt · White · Placement print · Baby · Baby Tops. 2-pack cotton T-shirts. T-shirts in soft organic cotton jersey with a print on the front and press-studs on one shoulder.",
    "Bikini top · Black · Solid · Ladieswear · Swimwear. Padded triangle bikini top. Lined bikini top with moulded, padded cups and thin adjustable shoulder straps that tie at the back of the neck.",
    # edge cases
    "jeans",
    "",
    "Café crème ribbed jumper — naïve Ø",
    "!!! ??? ... --- *** (sale) [new] {50%-off} #ootd @store ;;; ~~~",
    "LOOKING FOR A WATERPROOF WINTER PARKA WITH A FUR HOOD",
    "size 38 EU / 7.5 UK, 2 pairs, 100% cotton, 3-pack for 19.99",
    "连衣裙 红色 夏天",
    "   leading and trailing whitespace\tand\ttabs   ",
    LONG_TEXT,
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir", nargs="?", default="models/all-MiniLM-L6-v2")
    ap.add_argument("--out", default="tests/fixtures/parity.json")
    args = ap.parse_args()

    model_dir = Path(args.model_dir)
    if not (model_dir / "model.safetensors").is_file():
        print(f"error: {model_dir} does not look like a model directory (no model.safetensors)", file=sys.stderr)
        return 2

    import sentence_transformers
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    model = SentenceTransformer(str(model_dir), device="cpu")
    model.eval()
    max_seq_length = model.max_seq_length
    tok = model.tokenizer

    # Full (untruncated) token counts, including [CLS] and [SEP].
    token_counts = [len(tok(t, add_special_tokens=True, truncation=False)["input_ids"]) for t in TEXTS]
    # What the model actually sees (sentence-transformers truncates at max_seq_length).
    # sentence-transformers >= 6 renamed tokenize() to preprocess().
    features = (model.preprocess if hasattr(model, "preprocess") else model.tokenize)(TEXTS)
    seen = features["attention_mask"].sum(dim=1).tolist()
    assert seen == [min(c, max_seq_length) for c in token_counts], (seen, token_counts)

    with torch.no_grad():
        vecs = model.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True, batch_size=64)
    assert vecs.shape == (len(TEXTS), 384), vecs.shape

    def r7(x: float) -> float:
        return float(f"{x:.7g}")

    out = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "generator": f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}, "
        f"transformers {transformers.__version__}",
        "normalize": True,
        "pooling": "mean",
        "max_seq_length": max_seq_length,
        "dim": int(vecs.shape[1]),
        "note": "token_counts are untruncated and include [CLS]/[SEP]; the model sees min(count, max_seq_length) tokens. "
        "vectors = model.encode(texts, normalize_embeddings=True), rounded to 7 significant digits.",
        "texts": TEXTS,
        "token_counts": token_counts,
        "vectors": [[r7(float(x)) for x in row] for row in vecs],
    }
    out_path = Path(args.out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # Diff-friendly layout: one key per line, one text / one vector per line.
    def dumps(v) -> str:
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))

    lines = ["{"]
    items = list(out.items())
    for i, (k, v) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if k in ("texts", "vectors"):
            inner = ",\n".join("    " + dumps(x) for x in v)
            lines.append(f"  {dumps(k)}: [\n{inner}\n  ]{comma}")
        else:
            lines.append(f"  {dumps(k)}: {dumps(v)}{comma}")
    lines.append("}")
    out_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    json.loads(out_path.read_text(encoding="utf-8"))  # sanity check
    print(
        f"wrote {out_path}: {len(TEXTS)} texts, max_seq_length={max_seq_length}, "
        f"max token count={max(token_counts)}, generator={out['generator']}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
