"""The French 404 page works wherever the web server sends it: the site published under /bulletin-sr/
or at /, and an unknown deep address such as /x/y/z. The page loads no file (its style is in it, allowed
by its hash in the Content Security Policy), so in a real browser it is styled, breaks no policy and
fetches nothing, at every one of those addresses."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bulletin import csp

from .conftest import ROOT
from .test_accessibility import build_site, chromium_session

pytestmark = pytest.mark.slow


class NotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under `prefix`; anything else, or a missing file, gets 404.html with status 404,
    as the web server that publishes the site is told to do (README.md), with the policy README.md gives
    as an HTTP header, which the browser applies with the page's own."""

    prefix = "/"

    def send_head(self):
        path = self.path.split("?", 1)[0]
        if path.startswith(self.prefix):
            target = Path(super().translate_path("/" + path[len(self.prefix) :]))
            if target.is_file() or (target / "index.html").is_file():
                self.path = "/" + path[len(self.prefix) :]
                return super().send_head()
        body = Path(self.directory, "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        style = (ROOT / "templates/web/introuvable.css").read_text(encoding="utf-8")
        self.send_header("Content-Security-Policy", csp.policy(header=True, styles=(style,)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("notfound"))


@pytest.fixture(scope="module")
def browser():
    with chromium_session() as chromium:
        yield chromium


@contextmanager
def _serve(directory: Path, prefix: str) -> Iterator[str]:
    handler = functools.partial(type("Handler", (NotFoundHandler,), {"prefix": prefix}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("prefix", ["/bulletin-sr/", "/"])
@pytest.mark.parametrize("address", ["nimporte-quoi", "x/y/z/", "bulletins/2099-01/page.html"])
def test_404_styled_at_any_address(built: Path, browser, prefix: str, address: str) -> None:
    with _serve(built, prefix) as origin:
        page = browser.new_page()
        problems: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("request", lambda r: requests.append(r.url))
        url = f"{origin}{prefix}{address}"
        response = page.goto(url)
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "Page introuvable"
        # Its own style applied (the header's blue band), not the browser's default.
        band = page.evaluate("getComputedStyle(document.querySelector('body > header')).backgroundColor")
        assert band == "rgb(0, 90, 140)"
        assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
        assert requests == [url], requests  # nothing else fetched: nothing that could miss
        assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
        page.close()
