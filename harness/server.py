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

Content-Security-Policy (harness/csp.py): ``csp`` is sent on every
response of the site (under /pydigit/: HTML, JS, wasm, JSON, errors alike;
a worker's policy is the one its script's response carries), never on the
other routes. By default ("auto") it is harness.csp.SITE_POLICY for a built
pydigit site (mkdocs-material pages with the widget: what that policy was
written for) unless the environment has PYDIGIT_CSP=0; a policy string is
sent as it is; None sends none. Under it, Playwright's wait_for_function with
an expression string polls through eval(), which the policy refuses: wait
with a function, "() => ...", which works under the policy.
``csp_report_only`` is sent as Content-Security-Policy-Report-Only beside
it. ``csp_reports=True`` appends ``report-uri /csp-reports`` to both, and
the server keeps what browsers POST there in ``.csp_reports`` (dicts, the
"csp-report" objects): the one record of violations that is the same in
every engine and includes the workers'.

The site's sitemap.xml names its pages at the site_url it was built for;
mkdocs-material's instant navigation only takes over links to the pages it
names there (same protocol, host and port). The server answers it with the
pages at its own address instead, as the host at site_url would.
"""

import http.server
import io
import json
import os
import re
import threading
from pathlib import Path

from harness import csp as csp_policy
from harness.page import PROBE_JS

SITE_PREFIX = "/pydigit/"
CACHE_POLICIES = {"static-host": "max-age=600", "revalidate": None}
CSP_REPORTS_PATH = "/csp-reports"
# Whether csp="auto" sends harness.csp.SITE_POLICY (to a built pydigit site):
# yes, unless PYDIGIT_CSP=0 (to tell whether a failure comes from the policy).
CSP_BY_DEFAULT = os.environ.get("PYDIGIT_CSP", "1") != "0"


def is_pydigit_site(site_dir):
    """Whether site_dir is a built pydigit site of mkdocs-material pages (what
    harness.csp.SITE_POLICY is for), not some other directory of test pages."""
    site_dir = Path(site_dir)
    return ((site_dir / "assets" / "digit-pad" / "digit-pad.js").is_file()
            and any((site_dir / "assets" / "javascripts").glob("bundle.*.js")))


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """One request. Each server makes a subclass holding its settings."""

    routes = {}              # URL prefix -> directory, longest prefix first
    broken = set()           # URL paths that answer 404, as a misconfigured host would
    sitemap = None           # the site's sitemap.xml at this server's address (bytes)
    cache_control = None     # the Cache-Control value, or None
    csp = None               # the Content-Security-Policy of the site's responses, or None
    csp_report_only = None   # the Content-Security-Policy-Report-Only of them, or None
    csp_reports = None       # a list: collect the reports POSTed to CSP_REPORTS_PATH; None: don't
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
        if getattr(self, "path", "").startswith(SITE_PREFIX):
            for name, policy in (("Content-Security-Policy", self.csp),
                                 ("Content-Security-Policy-Report-Only", self.csp_report_only)):
                if policy:
                    self.send_header(name, self._policy(policy))
        if self.isolated(self.path):
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def _policy(self, policy):
        if getattr(self, "inject_probe", False):
            # harness.engines.RecordingServer(inject_probe=True) puts its probe,
            # an inline script, at the top of every page: allowed by its hash.
            policy = csp_policy.add_sources(policy, "script-src", csp_policy.sha256_source(PROBE_JS))
        if self.csp_reports is not None:
            policy = csp_policy.add_sources(policy, "report-uri", CSP_REPORTS_PATH)
        return policy

    def do_POST(self):
        """Violation reports, to CSP_REPORTS_PATH (when collected); anything else is refused."""
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.split("?", 1)[0] != CSP_REPORTS_PATH or self.csp_reports is None:
            self.send_error(405)
            return
        try:
            report = json.loads(body or b"null")
        except ValueError:
            report = {"unparsed": body.decode(errors="replace")}
        # report-uri sends {"csp-report": {...}}; the Reporting API a list of {"type", "body"}.
        for one in report if isinstance(report, list) else [report]:
            if isinstance(one, dict):
                one = one.get("csp-report") or one.get("body") or one
            self.csp_reports.append({**one, "user-agent": self.headers.get("User-Agent", "")}
                                    if isinstance(one, dict) else {"report": one})
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

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
    (none by default). csp, csp_report_only, csp_reports: the site's
    Content-Security-Policy (see the module's docstring; set_csp() changes it).

    origin       e.g. "http://127.0.0.1:41234";
    site_url     the site's home page, origin + SITE_PREFIX;
    csp          the policy sent (before any report-uri), or None;
    csp_reports  the violation reports received, when collected (else None).
    """

    def __init__(self, site_dir, routes=None, cache_policy="revalidate", isolated=None,
                 csp="auto", csp_report_only=None, csp_reports=False):
        routes = {SITE_PREFIX: site_dir, **(routes or {})}
        self.handler = type("Handler", (SiteHandler,), {
            "routes": {prefix: Path(routes[prefix]) for prefix in sorted(routes, key=len, reverse=True)},
            "broken": set(),
            "csp_reports": [] if csp_reports else None,
            "isolated": staticmethod(isolated or SiteHandler.isolated)})
        self.csp_reports = self.handler.csp_reports
        if csp == "auto":
            csp = csp_policy.SITE_POLICY if CSP_BY_DEFAULT and is_pydigit_site(site_dir) else None
        self.set_csp(csp, csp_report_only)
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

    def set_csp(self, policy, report_only=None):
        """policy, report_only: policy strings or None; apply to the next response."""
        self.csp, self.csp_report_only = policy, report_only
        self.handler.csp, self.handler.csp_report_only = policy, report_only

    def serve_site(self, site_dir):
        """From the next request on, serve another build of the site at the same
        address, as a deploy replaces a site's files."""
        self.handler.routes = {**self.handler.routes, SITE_PREFIX: Path(site_dir)}
        self.handler.sitemap = sitemap_here(Path(site_dir), self.site_url)

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
