"""Debian's Chromium under Playwright, launched as the site tests launch it.

Two kinds of context:
  chromium.context(origin)   an incognito context of the one shared browser:
                             fresh, but its HTTP cache lives in memory and
                             keeps no entry of more than a few MB, so the
                             10 MB pyodide.asm.wasm and the 7 MB NumPy wheel
                             are fetched again on every visit;
  chromium.profile(origin)   a browser with a new, empty profile on disk, as
                             a first-time visitor has: its disk cache keeps
                             everything, so a repeat visit is what a
                             returning visitor gets. Every load figure uses it.
"""

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

# Exactly tests/site/conftest.py's CHROMIUM_ARGS (tests/bench checks they agree).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
PROBE = Path(__file__).resolve().parent / "pages" / "probe.js"
READY_TIMEOUT_MS = 120_000


def executable():
    return shutil.which("chromium") or "/usr/bin/chromium"


class Chromium:
    def __init__(self, playwright):
        self.playwright = playwright
        self.browser = playwright.chromium.launch(executable_path=executable(), args=CHROMIUM_ARGS)
        self.version = self.browser.version

    def context(self, origin):
        """A fresh incognito context with the probe (see instrument)."""
        return instrument(self.browser.new_context(viewport=VIEWPORT), origin)

    @contextmanager
    def profile(self, origin):
        """A fresh browser with an empty on-disk profile -> its context (see instrument)."""
        with tempfile.TemporaryDirectory(prefix="pydigit-bench-profile-") as directory:
            context = self.playwright.chromium.launch_persistent_context(
                directory, executable_path=executable(), args=CHROMIUM_ARGS, viewport=VIEWPORT)
            try:
                yield instrument(context, origin)
            finally:
                context.close()

    def close(self):
        self.browser.close()


@contextmanager
def launch_chromium():
    """-> a Chromium (Debian's /usr/bin/chromium), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = Chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


def instrument(context, origin):
    """Inject the probe into every page; ``context.requests`` collects the
    URL of every request made, by pages and workers alike, and
    ``context.foreign`` those that left ``origin``."""
    context.add_init_script(path=str(PROBE))
    context.requests, context.foreign = [], []

    def on_request(request):
        context.requests.append(request.url)
        if not request.url.startswith(origin + "/"):
            context.foreign.append(request.url)

    context.on("request", on_request)
    return context


def new_page(context):
    """A page whose console errors and uncaught exceptions land in ``page.problems``."""
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def settle(page, promise, timeout_ms):
    """Await a promise of the page (a JS expression) without polling; fails
    after timeout_ms (a timer in the page, which costs nothing until then)."""
    return page.evaluate(f"""() => Promise.race([{promise}, new Promise((_, reject) => setTimeout(
        () => reject(new Error("timed out after {timeout_ms} ms: {promise}")), {timeout_ms}))])""")


def wait_ready(page, timeout=READY_TIMEOUT_MS):
    """Wait for the widget's "ready" (or its error) -> window.__bench."""
    settle(page, "window.__bench.settled", timeout)
    bench = page.evaluate("window.__bench")
    if bench["error"]:
        raise RuntimeError(f"the widget failed to load: {bench['error']}")
    return bench


def pad_worker(page):
    """The widget's Web Worker (the page also runs MkDocs Material's search worker)."""
    for worker in page.workers:
        if worker.url.endswith("/digit-pad/worker.js"):
            return worker
    raise RuntimeError("the <digit-pad> worker is not running")
