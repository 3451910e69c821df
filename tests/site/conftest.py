"""Fixtures for the site tests: the built site, a static server on 127.0.0.1
that can be told to answer 404 for chosen files, and Debian's Chromium driven
by Playwright. Building takes a few seconds; set PYDIGIT_SITE_DIR to test an
already built site instead."""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]
ARTIFACTS = PROJECT / "test-artifacts"


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    if os.environ.get("PYDIGIT_SITE_DIR"):
        return Path(os.environ["PYDIGIT_SITE_DIR"])
    out = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict",
                    "--site-dir", str(out)], cwd=PROJECT, check=True)
    return out


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    broken = set()  # URL paths that answer 404, as a misconfigured host would

    def do_GET(self):
        if self.path.split("?")[0] in self.broken:
            self.send_error(404, "deliberately missing")
            return
        super().do_GET()

    def log_message(self, *args):
        pass


class SiteServer:
    """The site under a sub-path (/pydigit/), as a project site is served:
    every URL in the site must be relative for it to work."""

    prefix = "/pydigit/"

    def __init__(self, root):
        self.root = root
        handler = type("Handler", (SiteHandler,), {"broken": set()})
        self.broken = handler.broken
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"
        self.url = self.origin + self.prefix
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def break_file(self, site_path):
        self.broken.add(self.prefix + site_path)

    def repair(self):
        self.broken.clear()


@pytest.fixture(scope="session")
def server(site_dir, tmp_path_factory):
    # Serve <tmp>/pydigit -> site_dir, so that pages live under /pydigit/.
    root = tmp_path_factory.mktemp("www")
    (root / "pydigit").symlink_to(site_dir, target_is_directory=True)
    server = SiteServer(root)
    yield server
    server.httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
