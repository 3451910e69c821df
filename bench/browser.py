"""Chromium as the bench uses it (launched by harness.chromium, as the site
tests launch it), every site page instrumented with pages/probe.js.

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

import tempfile
from contextlib import contextmanager
from pathlib import Path

from harness.chromium import VIEWPORT, launch, persistent_context, watch_requests
from harness.pad import READY_TIMEOUT_MS

PROBE = Path(__file__).resolve().parent / "pages" / "probe.js"


class Chromium:
    def __init__(self, browser):
        self.browser = browser
        self.version = browser.version

    def context(self, origin):
        """A fresh incognito context with the probe (see instrument)."""
        return instrument(self.browser.new_context(viewport=VIEWPORT), origin)

    @contextmanager
    def profile(self, origin):
        """A fresh browser with an empty on-disk profile -> its context (see instrument)."""
        with tempfile.TemporaryDirectory(prefix="pydigit-bench-profile-") as directory:
            context = persistent_context(self.browser, directory, viewport=VIEWPORT)
            try:
                yield instrument(context, origin)
            finally:
                context.close()


@contextmanager
def launch_chromium():
    """-> a Chromium (Debian's /usr/bin/chromium), closed on exit."""
    with launch() as browser:
        yield Chromium(browser)


def instrument(context, origin):
    """Inject the probe into every page; ``context.requests`` and
    ``context.foreign`` log the requests (harness.chromium.watch_requests)."""
    context.add_init_script(path=str(PROBE))
    return watch_requests(context, origin)


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
