#!/usr/bin/env python3
"""Kills `indexer build` at random moments and checks that no index is ever lost.

    scripts/bench/kill-builds.py [--kills 50] [--seed 1] [--indexer PATH]

Publishes an index of the demo catalog at OUT, then repeatedly rebuilds OUT from one of
two catalogs (the demo catalog and a smaller cut of it, so that old and new differ) and
sends SIGKILL at a random moment of the build (half uniform over an uninterrupted
build's time, half over its last quarter, where it writes and publishes) until KILLS
builds have been killed (builds that end before their moment are checked too, and not
counted). Half of the builds take the two-step publish that file systems without
`renameat2(RENAME_EXCHANGE)` use, slowed down so that kills can land between its two
steps (`ATELIER_FAULT=publish-two-step-slow`: 300 ms between them). After every kill:

* OUT passes `indexer verify` and is, whole, either the index before the build or the
  one it was writing; or OUT is missing because the kill fell between the two steps, and
  the moved-aside copy `.OUT.old-PID` passes `verify` (the next build restores it);
* the next build starts from that and succeeds when left alone (checked at the end).

Prints one line per kill and a summary row for docs/RELIABILITY.md; exits 1 on a loss.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manifest(folder: Path):
    """The manifest's bytes and its article count (None when there is no manifest)."""
    try:
        raw = (folder / "manifest.json").read_bytes()
        return raw, json.loads(raw)["articles"]
    except (OSError, ValueError, KeyError):
        return None, None


def verify(indexer, folder: Path) -> bool:
    r = subprocess.run([indexer, "verify", "--index", str(folder)], capture_output=True, text=True)
    return r.returncode == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    target = os.environ.get("CARGO_TARGET_DIR", str(Path.home() / ".cache/atelier/target"))
    ap.add_argument("--indexer", default=str(Path(target) / "release/indexer"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    indexer = args.indexer

    work = Path(tempfile.mkdtemp(prefix="kill-builds-"))
    demo = ROOT / "data/demo/articles.csv"
    lines = demo.read_text(encoding="utf-8").splitlines(keepends=True)
    small = work / "small.csv"
    small.write_text("".join(lines[: len(lines) * 2 // 3]), encoding="utf-8")
    catalogs = [demo, small]
    out = work / "idx"
    env = dict(os.environ)

    def build(catalog, fault=None):
        e = dict(env)
        e.pop("ATELIER_FAULT", None)
        if fault:
            e["ATELIER_FAULT"] = fault
        return subprocess.Popen(
            [indexer, "build", "--catalog", str(catalog), "--out", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=e,
        )

    # Uninterrupted builds: the time to aim at, and each catalog's article count.
    # (Once to fill the embedding cache, then timed.)
    # Each catalog's build after the other's, as in the loop below (the graph is updated
    # from the index in place), twice; the longer time of the two.
    articles, took = {}, {}
    for c in catalogs:
        assert build(c).wait() == 0, f"building {c} failed"
    for _ in range(2):
        for c in catalogs:
            started = time.monotonic()
            assert build(c).wait() == 0, f"building {c} failed"
            took[c] = max(took.get(c, 0.0), time.monotonic() - started)
            articles[c] = manifest(out)[1]
    print("an uninterrupted build takes " + ", ".join(
        f"{took[c]:.2f} s ({articles[c]} articles)" for c in catalogs))

    losses = 0
    outcomes = {"old": 0, "new": 0, "moved aside": 0}
    finished = 0  # builds that ended before their kill: not counted as kills
    n = 0
    while n < args.kills:
        before, before_articles = manifest(out)
        if before is None:
            # The last kill fell between the two steps: the index is the copy moved aside,
            # which this build puts back before anything else.
            aside = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
            before, before_articles = manifest(aside[-1])
        # Always build the other catalog, so that old and new differ.
        catalog = catalogs[1] if before_articles == articles[catalogs[0]] else catalogs[0]
        fault = "publish-two-step-slow" if rng.random() < 0.5 else None
        # Half anywhere in the build, half aimed at its end (writing and publishing).
        t = took[catalog]
        at = rng.uniform(0.0, t) if rng.random() < 0.5 else rng.uniform(0.8 * t, 1.05 * t)
        p = build(catalog, fault)
        time.sleep(at)
        finished_first = p.poll() is not None
        if not finished_first:
            p.send_signal(signal.SIGKILL)
        p.wait()
        if finished_first:
            finished += 1
            if p.returncode != 0 or manifest(out)[1] != articles[catalog] or not verify(indexer, out):
                losses += 1
                print(f"    a build left alone failed or left a bad index  LOST", flush=True)
            continue
        n += 1
        if out.exists():
            # Old: the manifest byte for byte (and every file it names verified). New: a
            # whole index of the other catalog. Anything else is a mix: a loss.
            now, now_articles = manifest(out)
            outcome = "old" if now == before else "new"
            ok = verify(indexer, out) and (now == before or now_articles == articles[catalog])
        else:
            aside = sorted(out.parent.glob(f".{out.name}.old-*"))
            ok = bool(aside) and verify(indexer, aside[-1]) and manifest(aside[-1])[0] == before
            outcome = "moved aside"
        outcomes[outcome] += 1
        losses += 0 if ok else 1
        print(f"{n:3} {'two-step' if fault else 'exchange'} killed at {at:.2f} s: {outcome}"
              f"{'' if ok else '  LOST'}", flush=True)

    # Left alone, the next build recovers whatever the last kill left and succeeds.
    final = build(catalogs[0]).wait() == 0 and verify(indexer, out)
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    print(f"final build: {'ok' if final else 'FAILED'}; leftovers: {leftovers or 'none'}")
    print(f"| {args.kills} random SIGKILLs of `indexer build` (seed {args.seed}) | "
          f"old index kept {outcomes['old']}, new one complete {outcomes['new']}, "
          f"old one moved aside and restored by the next build {outcomes['moved aside']} "
          f"({finished} more builds ended before their kill moment) | "
          f"{losses} losses |")
    if losses or not final or leftovers:
        sys.exit(1)


if __name__ == "__main__":
    main()
