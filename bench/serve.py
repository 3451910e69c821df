"""The bench's own static server on 127.0.0.1: one origin for everything.

    /pydigit/...                    the built site (a sub-path, as a project site is served)
    /bench/...                      bench/pages/ (bench-only HTML and JS)
    /bench/data/...                 files the run generates (weights for TF.js, inputs)
    /bench/node_modules/@tensorflow/...   TF.js from node_modules (never part of the site)

Python's http.server answers with Last-Modified and no Cache-Control, and
with 304 to If-Modified-Since: a browser then revalidates files whose
freshness it can only guess. ``cache_policy`` chooses what a repeat visit
sees:
  "static-host": ``Cache-Control: max-age=600`` on every file, what GitHub
                 Pages sends: a visit within 10 minutes takes all from cache;
  "revalidate":  plain http.server (no Cache-Control): heuristic freshness,
                 which for just-built files means revalidating them (304s).
The bench pages that time code with performance.now() are cross-origin
isolated (COOP + COEP), which gives 5 µs timers instead of 100 µs; the site
and the floor page are served exactly like the site, without those headers.
"""

import http.server
import threading
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "pages"
TFJS = PROJECT / "node_modules" / "@tensorflow"
SITE_PREFIX = "/pydigit/"
CACHE_POLICIES = {"static-host": "max-age=600", "revalidate": None}
# Pages that must load like the site (no isolation): the floor is compared with it.
NOT_ISOLATED = ("/bench/floor",)


class BenchHandler(http.server.SimpleHTTPRequestHandler):
    routes = {}             # URL prefix -> directory, longest prefix first
    cache_control = None    # the header value, or None
    protocol_version = "HTTP/1.1"  # keep-alive, as any static host

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        for prefix, directory in self.routes.items():
            if path.startswith(prefix):
                relative = path[len(prefix):]
                # SimpleHTTPRequestHandler resolves (and sanitises) relative to `directory`.
                self.directory = str(directory)
                return super().translate_path("/" + relative)
        self.directory = "/nonexistent"
        return "/nonexistent"

    def end_headers(self):
        if self.cache_control:
            self.send_header("Cache-Control", self.cache_control)
        if self.path.startswith("/bench/") and not self.path.startswith(NOT_ISOLATED):
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def log_message(self, *args):
        pass


class BenchServer:
    """Serves ``site_dir`` and the bench pages on 127.0.0.1 (ephemeral port)
    until ``close()``; usable as a context manager."""

    def __init__(self, site_dir, data_dir, cache_policy="static-host"):
        routes = {"/bench/node_modules/@tensorflow/": TFJS, "/bench/data/": Path(data_dir),
                  "/bench/": PAGES, SITE_PREFIX: Path(site_dir)}
        self.handler = type("Handler", (BenchHandler,), {"routes": routes})
        self.set_cache_policy(cache_policy)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"
        self.site_url = self.origin + SITE_PREFIX
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def set_cache_policy(self, policy):
        self.cache_policy = policy
        self.handler.cache_control = CACHE_POLICIES[policy]

    def url(self, path):
        """path: e.g. "bench/floor.html" -> absolute URL on this server."""
        return f"{self.origin}/{path.lstrip('/')}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
