"""WebKitGTK (Safari's engine), Debian's webkit2gtk-driver: WebKitWebDriver
drives MiniBrowser (``--automation``) under Selenium; its page is a
harness.selenium_page.SeleniumPage.

MiniBrowser has no headless mode: it draws on an X server, an Xvfb that
``xvfb()`` starts on a free display (chosen by Xvfb itself, -displayfd) and
stops on exit. Only the driver process (and the MiniBrowser it starts) gets
that DISPLAY; this process's environment is left alone.

    with webkit.xvfb() as display:            # once per test session, say
        with webkit.launch(display=display) as page:
            page.goto(url)

Selenium 4 adds ``webSocketUrl`` (BiDi) to the capabilities it sends when
asked for BiDi: WebKitWebDriver then fails with "Failed to match
capabilities", so it is always removed. Without BiDi,
errors come from the in-page probe (harness.engines) and ``page.requests``
is None: read the server's log (harness.recording.RecordingServer). Pointer types: mouse
only (see POINTER_TYPES: touch arrives as mouse events, pen stalls after a
prevented pointerdown), so that no test believes it drew with a finger. No
SharedArrayBuffer in this build.

Slow to start Python: Pyodide's loadPyodide() keeps a worker busy, without a
break, for 6 s on this 2-core machine idle and 15 s loaded (Chromium and
Firefox: 2-3 s and 5 s), longer than the pad's watchdog waits for an answer
(10 pings, 1 s apart): on a busy machine the pad ends in "the recognizer
stopped responding" in WebKit alone.
"""

import os
import shutil
import subprocess
from contextlib import ExitStack, contextmanager

from harness.page import VIEWPORT
from harness.selenium_page import SeleniumPage, quit_driver

MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
DRIVER = "/usr/bin/WebKitWebDriver"
# Pen actions do arrive as pointerType "pen", but once a pointerdown listener
# calls preventDefault() (the pad's does) the rest of the pen gesture, and every
# later pen gesture, never reaches the page: pen is left out (page.pointer_types
# can be extended to try it). Touch actions arrive as mouse events.
POINTER_TYPES = ("mouse",)
SCREEN = "1920x1200x24"


def minibrowser():
    return os.environ.get("PYDIGIT_MINIBROWSER") or MINIBROWSER


def driver_path():
    return os.environ.get("PYDIGIT_WEBKITWEBDRIVER") or shutil.which("WebKitWebDriver") or DRIVER


@contextmanager
def xvfb(screen=SCREEN, timeout=10.0):
    """Start an Xvfb on a free display -> its DISPLAY (e.g. ":3"); stopped on exit."""
    read, write = os.pipe()
    try:
        process = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", screen,
                                    "-nolisten", "tcp", "-noreset"],
                                   pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        os.close(write)
    try:
        number = b""
        with os.fdopen(read, "rb", buffering=0) as pipe:
            while not number.endswith(b"\n"):
                chunk = pipe.read(16)     # Xvfb writes the number once it accepts clients
                if not chunk:
                    raise RuntimeError(f"Xvfb exited ({process.wait(timeout)}) before choosing a display")
                number += chunk
        yield ":" + number.decode().strip()
    finally:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def options():
    """Selenium's WebKitGTK Options for MiniBrowser in automation mode, without webSocketUrl."""
    from selenium.webdriver.webkitgtk.options import Options

    class NoBiDiOptions(Options):
        def to_capabilities(self):
            capabilities = super().to_capabilities()
            capabilities.pop("webSocketUrl", None)
            return capabilities

    opts = NoBiDiOptions()
    opts.binary_location = minibrowser()
    opts.add_argument("--automation")
    # No toolbar: the window is the viewport, which can then be as narrow as a
    # phone's (with its toolbar MiniBrowser stays >= 447 px wide). Without a window
    # manager (Xvfb) the window is not made full-screen: its size stays free.
    opts.add_argument("--full-screen")
    return opts


@contextmanager
def launch(viewport=VIEWPORT, display=None, log_path=None):
    """-> a SeleniumPage of a new MiniBrowser whose viewport is ``viewport``;
    it, its web/network processes and WebKitWebDriver are quit on exit.
    display: an X display (e.g. from xvfb()); None starts an Xvfb for this browser alone."""
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.service import Service

    with ExitStack() as stack:
        if display is None:
            display = stack.enter_context(xvfb())
        env = {**os.environ, "DISPLAY": display}
        env.pop("WAYLAND_DISPLAY", None)
        service = Service(driver_path(), log_output=log_path or os.devnull, env=env)
        driver = webdriver.WebKitGTK(options=options(), service=service)
        stack.callback(quit_driver, driver)
        page = SeleniumPage(driver, "webkit", POINTER_TYPES)
        page.set_viewport(*viewport)
        yield page
