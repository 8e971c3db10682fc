#!/usr/bin/env python3
"""Gives the built site a strict Content-Security-Policy (a Trunk post-build hook).

    python3 scripts/csp.py [SITE_DIR]      # default: $TRUNK_STAGING_DIR (Trunk sets it)

The policy allows only the site's own files, WebAssembly compilation
('wasm-unsafe-eval') and the page's inline scripts by their SHA-256 (Trunk's module
loader and the start-up script in app/index.html) — no 'unsafe-inline', no 'unsafe-eval',
nothing from another origin. It is written twice:

* `_headers` (the format of Netlify and Cloudflare Pages; other hosts: send the same
  headers for every path): the policy with frame-ancestors, plus nosniff and a referrer
  policy. Served as a header, it also covers the workers and the service worker.
* a `<meta http-equiv="Content-Security-Policy">` in index.html, for hosts that cannot
  set headers (GitHub Pages): the same policy for the page, without frame-ancestors,
  which a meta element cannot carry.

A site that searches on an Atelier server must be allowed to reach it: the origin of
ATELIER_BACKEND (the build-time backend) is added, and any in ATELIER_API_ORIGINS
(space-separated) for pages opened with `?backend=`. Photos come from the site, the
server, or the origins in ATELIER_PHOTO_ORIGINS (a shop's CDN, space-separated).
"""
import base64
import hashlib
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

META_MARK = "<!-- atelier-csp -->"


def policy(script_hashes, frame_ancestors):
    api = os.environ.get("ATELIER_API_ORIGINS", "").split()
    backend = urlsplit(os.environ.get("ATELIER_BACKEND", ""))
    if backend.scheme and backend.netloc:
        api.append(f"{backend.scheme}://{backend.netloc}")
    # A shop whose photos live on a CDN (`indexer build --photo-url`) names its origin.
    photos = os.environ.get("ATELIER_PHOTO_ORIGINS", "").split()
    directives = [
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(f"'{h}'" for h in script_hashes),
        "style-src 'self'",
        "img-src " + " ".join(["'self'", "data:", *api, *photos]),
        "connect-src " + " ".join(["'self'", *api]),
        "worker-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ]
    if frame_ancestors:
        directives.append("frame-ancestors 'none'")
    return "; ".join(d.strip() for d in directives)


def main():
    site = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["TRUNK_STAGING_DIR"])
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    if META_MARK in html:  # already done (a second run on the same folder)
        html = re.sub(re.escape(META_MARK) + r"<meta[^>]*>\n?", "", html)
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    hashes = sorted(
        "sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()
        for s in inline
    )
    meta = f'{META_MARK}<meta http-equiv="Content-Security-Policy" content="{policy(hashes, False)}">\n'
    html, n = re.subn(r'(<meta charset="utf-8">\s*)', lambda m: m.group(1) + meta, html, count=1)
    if n != 1:
        sys.exit(f"{index}: no <meta charset=\"utf-8\"> to put the policy after")
    index.write_text(html, encoding="utf-8")
    (site / "_headers").write_text(
        "/*\n"
        f"  Content-Security-Policy: {policy(hashes, True)}\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: no-referrer\n",
        encoding="utf-8",
    )
    print(f"csp: {len(hashes)} inline scripts allowed by hash; wrote {site / '_headers'}")


if __name__ == "__main__":
    main()
