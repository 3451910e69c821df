"""Debian's Chromium (/usr/bin/chromium) under Playwright, launched one way
for every test and every benchmark figure."""

import shutil
from contextlib import contextmanager

from harness import page

# No sandbox (containers run as root), no GPU (headless machines), none of
# Chromium's own network traffic (updates, sync) beside the site's, and HTTP
# over TCP as the local server speaks it (no QUIC).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]
VIEWPORT = dict(zip(("width", "height"), page.VIEWPORT))


def executable():
    return shutil.which("chromium") or "/usr/bin/chromium"


@contextmanager
def launch():
    """-> a Playwright Browser of Debian's Chromium, closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def persistent_context(browser, directory, **options):
    """A browser of its own, like ``browser``, with its profile (and disk
    cache) in ``directory`` -> its BrowserContext; closing it closes that browser."""
    return browser.browser_type.launch_persistent_context(
        directory, executable_path=executable(), args=CHROMIUM_ARGS, **options)


def new_page(context):
    """A page whose console errors (its workers' too) and uncaught
    exceptions land in ``page.problems``, a list of strings."""
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def watch_requests(context, origin):
    """From now on ``context.requests`` collects the URL of every request
    made, by pages and workers alike, and ``context.foreign`` those that
    left ``origin`` (e.g. "http://127.0.0.1:8000") -> the context."""
    context.requests, context.foreign = [], []

    def on_request(request):
        context.requests.append(request.url)
        if not request.url.startswith(origin + "/"):
            context.foreign.append(request.url)

    context.on("request", on_request)
    return context
