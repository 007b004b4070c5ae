"""The Content Security Policy of the web pages: the site's own files, nothing from a third party.

Every page carries it in a `<meta http-equiv="Content-Security-Policy">` (templates/web/main.html);
README.md gives the same policy as the HTTP header the web server should send (a header can also say
`frame-ancestors`, which browsers ignore in a meta tag). The pages load no script at all (Material's
bundle and its two inline helpers are left out, templates/web/main.html), but the search page, which
loads its own file. So a script that reached a page some other way than the site's own files could not
run, whatever bulletin.sanitize let through.

`'wasm-unsafe-eval'` lets the search page compile Pagefind's WebAssembly search (bulletin/search.py),
a file of the site; it allows no JavaScript `eval` and no script from elsewhere.

Were Material's bundle loaded again, this would keep from running its ResizeObserver polyfill and
mermaid, both from unpkg.com (bulletin.sanitize also removes the `mermaid` class from prose). Material
features that write inline scripts (announce.dismiss, consent, version's "outdated" banner,
content.tabs.link) or reach GitHub's API (repo_url) must stay off in the shell's configuration. Images:
the site's own, and `data:` (Material's icons are SVG written as data: URLs in its stylesheet).
"""

from __future__ import annotations

import base64
import hashlib

DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("media-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("frame-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# Only as an HTTP header: browsers ignore these in a meta tag.
HEADER_ONLY = (("frame-ancestors", "'self'"),)


def policy(header: bool = False, styles: tuple[str, ...] = ()) -> str:
    """The policy as the pages' meta tag says it; with `header`, as the web server should send it.
    `styles`: the exact text of `<style>` elements the page may hold (the 404 page's, which loads no
    file so that it works at any address), allowed by their SHA-256 hashes and nothing else inline."""
    hashes = "".join(f" 'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in styles)
    directives = tuple((name, value + hashes if name == "style-src" else value) for name, value in DIRECTIVES)
    return "; ".join(f"{name} {value}" for name, value in directives + (HEADER_ONLY if header else ()))
