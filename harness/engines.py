"""The three engines the cross-engine tests run in, behind one small page
interface: Chromium (Playwright, harness/chromium.py), Firefox ESR and
WebKitGTK (Selenium, harness/firefox.py and harness/webkit.py). Playwright
cannot drive Debian's Firefox or WebKit; Selenium's W3C WebDriver can.

    with engines.launch("webkit") as page:          # or "chromium", "firefox", "firefox-rfp"
        page.goto(server.site_url)
        engines.wait_ready(page)
        engines.draw(page, strokes01)                 # real pointer input, mouse by default
        engines.final_prediction(page)["digit"]
        page.problems                                  # page errors and console.error calls

A Page (one tab of one browser, for the browser's whole life) offers:
  goto(url)                   navigate, wait for the load event;
  evaluate(js, *args)         run JS in the page -> its JSON-able value (promises awaited);
                              js is an expression ("document.title"), a function
                              ("(a, b) => a + b", called with args) or a statement
                              body starting with return/const/let/var/if/for/...;
  wait_for(js, *args, timeout) poll js until truthy -> that value (TimeoutError);
  problems                    uncaught errors, unhandled rejections, console.error
                              calls and elements that failed to load, as strings,
                              for the page's whole life (all navigations);
  requests                    URLs the page *and its workers* requested, where the
                              engine tells (Chromium, Firefox with BiDi), else None:
                              then use RecordingServer.requests;
  resources()                 the page's own Resource Timing URLs (not its workers');
  set_viewport(w, h), viewport()   the layout viewport, CSS px;
  draw(strokes, pointer)      strokes of viewport CSS px as one gesture each, real
                              input (WebDriver actions / Playwright / CDP);
  screenshot(path)            the viewport as a PNG.

Where each engine gets its errors and requests from:
  chromium  Playwright's console/pageerror events (workers included), context requests;
  firefox   WebDriver BiDi (log.entryAdded, network.beforeRequestSent): from document
            start, workers included; plus the in-page probe for failed elements;
  webkit    the in-page probe only (WebKitWebDriver has no BiDi): installed by goto()
            once the page has loaded, or from document start when the page is served
            by RecordingServer(inject_probe=True). A worker's uncaught errors reach the
            page's onerror (as the HTML spec says); its console.error calls are not seen.
The server's own request log (RecordingServer) is the one source that is the
same in every engine, and it has the workers' requests.

Pointer types (page.pointer_types): chromium mouse/touch/pen; firefox mouse/touch
(geckodriver has no pen); webkit mouse (touch actions arrive as mouse events; pen
actions stall after a prevented pointerdown, as the pad's is: see harness/webkit.py).
All of them in CSS px of the viewport, whatever devicePixelRatio is (WebDriver and
Playwright both speak CSS px; checked with Firefox's RFP, which reports 2).
"""

import shutil
from contextlib import contextmanager
from pathlib import Path

from harness.chromium_page import launch_chromium
from harness.page import VIEWPORT, Page  # noqa: F401 - Page: the interface every launch() gives
from harness.recording import RecordingServer  # noqa: F401 - used with the pages: harness.engines.RecordingServer

CONFIGURATIONS = ("chromium", "firefox", "firefox-rfp", "webkit")
SELECTOR = "digit-pad"
READY_TIMEOUT = 120.0                       # s; a cold load fetches ~10 MB and starts Python
PREDICTION_TIMEOUT = 30.0


PAD_BOX_JS = """const [selector] = arguments;
const canvas = document.querySelector(selector)?.shadowRoot?.querySelector('canvas[part=pad]');
if (!canvas) return null;
const host = canvas.getRootNode().host;
// In view, and not under anything (a sticky header): its corners hit the pad.
const clear = (b) => b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight && b.right <= innerWidth &&
  [[b.left + 3, b.top + 3], [b.right - 3, b.top + 3], [b.left + 3, b.bottom - 3], [b.right - 3, b.bottom - 3]]
    .every(([x, y]) => document.elementFromPoint(x, y) === host);
let box = canvas.getBoundingClientRect();
if (!clear(box)) {
  canvas.scrollIntoView({block: 'center', inline: 'center'});
  box = canvas.getBoundingClientRect();
}
return {x: box.left, y: box.top, width: box.width, height: box.height};"""
CLEAR_JS = ("const e = document.querySelector(arguments[0]); e.clear();"
            " return e.lastPrediction?.digit === null;")


def pad_box(page, selector=SELECTOR):
    """The drawing canvas's border box {x, y, width, height} in viewport CSS px
    (as harness.pad.pad_box, whose page coordinates are the viewport's too),
    scrolled to the middle of the viewport first if any of it is outside or
    covered: WebDriver refuses points outside the viewport, and a point under
    another element would land on that element."""
    box = page.evaluate(PAD_BOX_JS, selector)
    if box is None:
        raise LookupError(f"no {selector} with a canvas[part=pad] in the page")
    return box


def viewport_points(strokes01, box):
    """Strokes in 0..1 of the pad's side -> lists of (x, y) viewport CSS px."""
    return [[(box["x"] + float(x) * box["width"], box["y"] + float(y) * box["height"]) for x, y in stroke]
            for stroke in strokes01]


def draw(page, strokes01, pointer="mouse", selector=SELECTOR, move_ms=0):
    """Draw strokes given in 0..1 of the pad's side, as real pointer input."""
    page.draw(viewport_points(strokes01, pad_box(page, selector)), pointer=pointer, move_ms=move_ms)


def wait_ready(page, selector=SELECTOR, timeout=READY_TIMEOUT):
    """Wait until the pad has loaded or failed -> its state ("ready" or "error")."""
    page.wait_for("(s) => { const e = document.querySelector(s);"
                  " return e && e.dataset.state && e.dataset.state !== 'loading'; }",
                  selector, timeout=timeout)
    return page.evaluate("(s) => document.querySelector(s).state", selector)


def clear(page, selector=SELECTOR, timeout=PREDICTION_TIMEOUT):
    """Empty the pad and wait for its empty answer."""
    if not page.evaluate(CLEAR_JS, selector):
        page.wait_for("(s) => document.querySelector(s).lastPrediction?.digit === null",
                      selector, timeout=timeout)


def final_prediction(page, selector=SELECTOR, timeout=PREDICTION_TIMEOUT):
    """The pad's answer for the drawing as it is now, once the pointer is up."""
    return page.wait_for("(s) => { const p = document.querySelector(s).lastPrediction;"
                         " return p && p.final && p.digit !== null ? p : null; }",
                         selector, timeout=timeout)


def replay_pendigits(page, digits, pointer="mouse", selector=SELECTOR):
    """Each of ``digits`` (train.pendigits digits) drawn on the cleared pad ->
    the list of the pad's final answers (their "digit" to compare with labels)."""
    from harness.pad import pendigit_strokes01

    answers = []
    for digit in digits:
        clear(page, selector)
        draw(page, pendigit_strokes01(digit.strokes), pointer=pointer, selector=selector)
        answers.append(final_prediction(page, selector))
    return answers


def installed(configuration):
    """Whether this machine has the browser and driver ``configuration`` needs."""
    if configuration == "chromium":
        return bool(shutil.which("chromium")) or Path("/usr/bin/chromium").exists()
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    if configuration in ("firefox", "firefox-rfp"):
        from harness import firefox
        try:
            firefox.geckodriver()
        except FileNotFoundError:
            return False
        return Path(firefox.binary()).exists()
    from harness import webkit
    return Path(webkit.minibrowser()).exists() and Path(webkit.driver_path()).exists() and bool(shutil.which("Xvfb"))


@contextmanager
def launch(configuration, viewport=VIEWPORT, **options):
    """configuration: one of CONFIGURATIONS -> a Page of a new browser, quit on exit.
    options go to that engine's launch (firefox: prefs, bidi; webkit: display)."""
    if configuration == "chromium":
        with launch_chromium(viewport=viewport, **options) as page:
            yield page
    elif configuration in ("firefox", "firefox-rfp"):
        from harness import firefox

        prefs = dict(options.pop("prefs", None) or {})
        if configuration == "firefox-rfp":
            prefs.update(firefox.RFP_PREFS)
        with firefox.launch(prefs=prefs, viewport=viewport, **options) as page:
            yield page
    elif configuration == "webkit":
        from harness import webkit

        with webkit.launch(viewport=viewport, **options) as page:
            yield page
    else:
        raise ValueError(f"unknown configuration {configuration!r}: one of {CONFIGURATIONS}")
