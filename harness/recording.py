"""A SiteServer that logs every request it answers: the one record of the
page's and its workers' requests that is the same in every engine."""

import io
import re
import time
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from harness.page import PROBE_JS
from harness.server import SiteServer


class Request(NamedTuple):
    """One request the server answered."""

    method: str
    path: str             # as requested, e.g. "/pydigit/assets/digit-pad/worker.js"
    status: int
    dest: str             # Sec-Fetch-Dest ("document", "script", "worker", "empty", ...), "" if not sent
    referer: str          # a worker's own requests carry the worker script's URL here
    user_agent: str
    time: float           # time.monotonic()


class _Recording:
    """Mixed in before a SiteServer's handler class."""

    requests = None
    inject_probe = False

    def log_request(self, code="-", size="-"):
        headers = getattr(self, "headers", None)
        header = headers.get if headers else (lambda name, default="": default)
        self.requests.append(Request(getattr(self, "command", None) or "", getattr(self, "path", ""), int(code) if str(code).isdigit() else 0,
                                     header("Sec-Fetch-Dest", ""), header("Referer", ""),
                                     header("User-Agent", ""), time.monotonic()))

    def send_head(self):
        if not self.inject_probe or self.path.split("?", 1)[0] in self.broken:
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if path.suffix != ".html" or not path.is_file():
            return super().send_head()
        body = inject_probe(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def inject_probe(html):
    """html bytes -> the same with PROBE_JS as the first script of its head
    (after <meta charset>, which must stay in the first 1024 bytes)."""
    tag = b"<script>" + PROBE_JS.encode() + b"</script>"
    for pattern in (rb"<meta\s+charset[^>]*>", rb"<head[^>]*>"):
        match = re.search(pattern, html, re.IGNORECASE)
        if match:
            return html[:match.end()] + tag + html[match.end():]
    return tag + html


class RecordingServer(SiteServer):
    """A SiteServer that logs every request it answers in ``.requests`` (a
    list of Request: the page's and its workers' alike, in every engine).

    inject_probe: HTML files are served with PROBE_JS at the top of their head
    (always 200, no Last-Modified), so that the page's errors are collected
    from document start in every engine; the HTML then differs from the
    built file by that script, so leave it off where bytes or caching matter."""

    def __init__(self, site_dir, routes=None, cache_policy="revalidate", isolated=None, inject_probe=False):
        super().__init__(site_dir, routes=routes, cache_policy=cache_policy, isolated=isolated)
        self.requests = []
        # Before any request: the server thread reads the class per request.
        self.handler = type("RecordingHandler", (_Recording, self.handler),
                            {"requests": self.requests, "inject_probe": inject_probe})
        self.httpd.RequestHandlerClass = self.handler

    def paths(self, since=0.0, dest=None):
        """Paths requested since ``since`` (a time.monotonic() value), of Sec-Fetch-Dest ``dest`` if given."""
        return [r.path for r in list(self.requests) if r.time >= since and (dest is None or r.dest == dest)]

    def worker_requests(self, worker_script="/digit-pad/worker.js", since=0.0):
        """The requests of the worker whose script's path ends in worker_script:
        that script itself, and every request whose Referer is a URL already
        counted, transitively (a worker's fetches carry its script's URL, a
        module's imports the module's: pyodide.mjs -> pyodide.asm.js)."""
        paths, found = set(), []
        for r in list(self.requests):
            path = r.path.split("?", 1)[0]
            referer = urlsplit(r.referer).path if r.referer else ""
            if r.time >= since and (path.endswith(worker_script) or referer in paths):
                paths.add(path)
                found.append(r)
        return found
