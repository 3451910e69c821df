"""The static server the browsers load the site from: one origin on
127.0.0.1 (an ephemeral port), until ``close()``; a context manager.

    /pydigit/...   the built site, under a sub-path as a project site is
                   served: every URL in the site must be relative for it to work;
    more routes    {URL prefix: directory}, as the caller adds them (the
                   bench: its own pages, its data, TF.js).

Python's http.server answers with Last-Modified and no Cache-Control, and
with 304 to If-Modified-Since: a browser then revalidates files whose
freshness it can only guess. ``cache_policy`` chooses what a repeat visit
sees:
  "revalidate":  plain http.server (no Cache-Control): heuristic freshness,
                 which for just-built files means revalidating them (304s);
  "static-host": ``Cache-Control: max-age=600`` on every response, what
                 GitHub Pages sends: a visit within 10 minutes takes all
                 from cache.
Connections are kept alive (HTTP/1.1), as by any static host.

The site's sitemap.xml names its pages at the site_url it was built for;
mkdocs-material's instant navigation only takes over links to the pages it
names there (same protocol, host and port). The server answers it with the
pages at its own address instead, as the host at site_url would.
"""

import http.server
import io
import re
import threading
from pathlib import Path

SITE_PREFIX = "/pydigit/"
CACHE_POLICIES = {"static-host": "max-age=600", "revalidate": None}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """One request. Each server makes a subclass holding its settings."""

    routes = {}              # URL prefix -> directory, longest prefix first
    broken = set()           # URL paths that answer 404, as a misconfigured host would
    sitemap = None           # the site's sitemap.xml at this server's address (bytes)
    cache_control = None     # the Cache-Control value, or None
    isolated = staticmethod(lambda path: False)
    protocol_version = "HTTP/1.1"

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        for prefix, directory in self.routes.items():
            if path.startswith(prefix):
                # SimpleHTTPRequestHandler resolves (and sanitises) relative to `directory`.
                self.directory = str(directory)
                return super().translate_path("/" + path[len(prefix):])
        return "/nonexistent"

    def send_head(self):
        path = self.path.split("?", 1)[0]
        if path in self.broken:
            self.send_error(404, "deliberately missing")
            return None
        if path == SITE_PREFIX + "sitemap.xml" and self.sitemap is not None:
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(self.sitemap)))
            self.end_headers()
            return io.BytesIO(self.sitemap)
        return super().send_head()

    def end_headers(self):
        if self.cache_control:
            self.send_header("Cache-Control", self.cache_control)
        if self.isolated(self.path):
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def log_message(self, *args):
        pass


class _HTTPServer(http.server.ThreadingHTTPServer):
    # A browser keeps idle connections open: closing must not wait for them
    # (their threads are daemons).
    block_on_close = False


def sitemap_here(site_dir, site_url):
    """The site's sitemap.xml with its pages at ``site_url`` -> bytes, or
    None for a site without one (or built without a site_url)."""
    sitemap, home = site_dir / "sitemap.xml", site_dir / "index.html"
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', home.read_text()) if home.is_file() else None
    if not sitemap.is_file() or canonical is None:
        return None
    return sitemap.read_text().replace(f"<loc>{canonical.group(1)}", f"<loc>{site_url}").encode()


class SiteServer:
    """Serves ``site_dir`` under SITE_PREFIX, and ``routes`` ({URL prefix:
    directory}) beside it. isolated(path) -> True for the URL paths whose
    responses carry COOP + COEP, which make their page cross-origin isolated
    (none by default).

    origin     e.g. "http://127.0.0.1:41234";
    site_url   the site's home page, origin + SITE_PREFIX.
    """

    def __init__(self, site_dir, routes=None, cache_policy="revalidate", isolated=None):
        routes = {SITE_PREFIX: site_dir, **(routes or {})}
        self.handler = type("Handler", (SiteHandler,), {
            "routes": {prefix: Path(routes[prefix]) for prefix in sorted(routes, key=len, reverse=True)},
            "broken": set(),
            "isolated": staticmethod(isolated or SiteHandler.isolated)})
        self.set_cache_policy(cache_policy)
        self.httpd = _HTTPServer(("127.0.0.1", 0), self.handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"
        self.site_url = self.origin + SITE_PREFIX
        self.handler.sitemap = sitemap_here(Path(site_dir), self.site_url)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path):
        """path: e.g. "bench/floor.html" -> absolute URL on this server."""
        return f"{self.origin}/{path.lstrip('/')}"

    def set_cache_policy(self, policy):
        """policy: a key of CACHE_POLICIES; applies to the next response."""
        self.cache_policy = policy
        self.handler.cache_control = CACHE_POLICIES[policy]

    def break_file(self, site_path):
        """Answer 404 for a file of the site (e.g. "assets/models/cnn.npz") until repair()."""
        self.handler.broken.add(SITE_PREFIX + site_path)

    def repair(self):
        self.handler.broken.clear()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
