"""<digit-pad> where things go wrong or differ, in Debian's Chromium: a
worker that Python's start-up keeps deaf, a step of loading that never
ends, pointers whose pointerup never comes, a colour scheme that changes
under the ink, and a phone's screen (there in Firefox and WebKit too)."""

import time

import pytest

from harness import engines
from harness.chromium import VIEWPORT, new_page
from harness.pad import (WORKER_SCRIPT, clear, draw_cdp, draw_mouse, final_prediction, pad_box, status,
                         wait_ready)

pytestmark = pytest.mark.browser

ONE = [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]]
LOWER_HALF = [[(0.5, 0.5), (0.5, 0.85)]]
SEVEN = [[(0.3, 0.25), (0.7, 0.25), (0.45, 0.8)]]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "has_touch": True,
         "is_mobile": True}
DEAF_MS = 13_000            # longer than the watchdog's MAX_UNANSWERED pings, PING_MS apart
STEP_LIMIT_MS = 3_000       # the limit of a step of loading these tests set in config.js
STALE_MS = 1_000            # pointer-input.js's
PEN = {"pointerType": "pen", "pointerId": 7}

# What the page hears: the pad's "ready" (when) and "error" events, and the
# pointer events on its canvas.
RECORD = """(() => {
  const heard = window.__heard = {ready: null, errors: [], pointer: []};
  document.addEventListener("ready", () => { heard.ready = performance.timeOrigin + performance.now(); });
  document.addEventListener("error", (e) => heard.errors.push(e.detail.message));
  customElements.whenDefined("digit-pad").then(() => {
    const canvas = document.querySelector("digit-pad").shadowRoot.querySelector("canvas[part=pad]");
    for (const type of ["pointerdown", "pointerup", "pointercancel", "lostpointercapture"])
      canvas.addEventListener(type, (e) => heard.pointer.push(`${type} ${e.pointerType}`));
  });
})();"""
# Blocks the worker's thread, its event loop with it, for ms.
BLOCK_WORKER = """(ms) => {
  const started = performance.now(), runtime = typeof self.pyodide !== "undefined";
  while (performance.now() - started < ms) {}
  return {runtime, ended: performance.timeOrigin + performance.now()};
}"""
# A PointerEvent at (x, y) in 0..1 of the canvas's side, dispatched on the canvas or on the page's body.
DISPATCH = """([type, x, y, init, onBody]) => {
  const canvas = document.querySelector("digit-pad").shadowRoot.querySelector("canvas[part=pad]");
  const box = canvas.getBoundingClientRect();
  (onBody ? document.body : canvas).dispatchEvent(new PointerEvent(type, {...init, isPrimary: true,
    clientX: box.left + x * box.width, clientY: box.top + y * box.height,
    bubbles: true, cancelable: true, composed: true}));
}"""
# The canvas's bitmap at (x, y) in 0..1 of its side, [r, g, b, a], and its text colour, [r, g, b].
INK = """([x, y]) => {
  const canvas = document.querySelector("digit-pad").shadowRoot.querySelector("canvas[part=pad]");
  const at = (u, side) => Math.min(side - 1, Math.floor(u * side));
  return {ink: [...canvas.getContext("2d").getImageData(at(x, canvas.width), at(y, canvas.height), 1, 1).data],
          text: getComputedStyle(canvas).color.match(/[\\d.]+/g).slice(0, 3).map(Number)};
}"""


@pytest.fixture
def make_page(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(**{"viewport": VIEWPORT, **options})
        context.add_init_script(RECORD)
        contexts.append(context)
        return new_page(context)
    yield make
    for context in contexts:
        context.close()


def open_ready(page, url):
    page.goto(url)
    assert wait_ready(page) == "ready", status(page)


def heard(page, what):
    return page.evaluate(f"window.__heard.{what}")


def alpha_at(page, x, y):
    return page.evaluate(INK, [x, y])["ink"][3]


# --- 1. start-up --------------------------------------------------------------

def test_a_worker_deaf_while_python_loads_still_gets_ready(make_page, server):
    """The worker's thread blocked, while Python loads, for longer than the
    watchdog lets an answer take (as WebKit's start-up does): the pad waits,
    and is ready once the load goes on."""
    page = make_page()
    with page.expect_worker(lambda w: w.url.endswith(WORKER_SCRIPT)) as worker:
        page.goto(server.site_url)
    blocked = worker.value.evaluate(BLOCK_WORKER, DEAF_MS)
    assert not blocked["runtime"], "Python had loaded before the worker was blocked"
    assert wait_ready(page) == "ready", status(page)
    assert heard(page, "ready") > blocked["ended"] and heard(page, "errors") == []
    draw_mouse(page, ONE)
    assert final_prediction(page)["digit"] == 1


def test_a_step_of_loading_that_never_ends_fails_naming_it(make_page, server):
    """NumPy's download never ends (the worker waits, idle): the load fails
    once the step has taken longer than the limit, naming it; Retry loads."""
    page = make_page()

    def short_limit(route):  # config.js with loadStepLimitMs (recognizer.js)
        response, limit = route.fetch(), f'"loadStepLimitMs": {STEP_LIMIT_MS}, '
        route.fulfill(response=response, body=response.text().replace("{", "{" + limit, 1))
    page.route("**/digit-pad/config.js", short_limit)
    page.route("**/numpy-*.whl", lambda route: None)  # never answered
    started = time.monotonic()
    page.goto(server.site_url)
    page.wait_for_function("() => document.querySelector('digit-pad').dataset.state === 'error'", timeout=60_000)
    assert time.monotonic() - started > STEP_LIMIT_MS / 1000
    message = f"Loading NumPy took more than {STEP_LIMIT_MS // 1000} s: the recognizer stopped responding"
    assert heard(page, "errors") == [message] and message in status(page)
    page.unroute("**/numpy-*.whl")
    page.locator("digit-pad").get_by_role("button", name="Retry").click()
    assert wait_ready(page) == "ready", status(page)


# --- 2. input that recovers ---------------------------------------------------

def test_a_pen_that_leaves_without_a_pointerup_gives_way_to_the_mouse(make_page, server):
    """A real pen pressed on the pad and never lifted, silent for longer than
    STALE_MS: the mouse draws."""
    page = make_page()
    open_ready(page, server.site_url)
    box, cdp = pad_box(page), page.context.new_cdp_session(page)
    cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": box["x"] + 0.5 * box["width"],
             "y": box["y"] + 0.25 * box["height"], "button": "left", "pointerType": "pen", "clickCount": 1})
    page.wait_for_timeout(STALE_MS + 300)
    draw_mouse(page, SEVEN, box)
    assert final_prediction(page)["digit"] == 7
    assert heard(page, "pointer")[:2] == ["pointerdown pen", "pointerdown mouse"]


def test_pointercancel_keeps_the_stroke_and_the_next_one_draws(make_page, server):
    """Half a 1, cancelled (its ink stays); a touch cancelled before it moves
    (no dot); the other half: a 1."""
    page = make_page(has_touch=True)
    open_ready(page, server.site_url)
    box, cdp = pad_box(page), page.context.new_cdp_session(page)

    def touch(kind, *points):
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
            {"x": box["x"] + x * box["width"], "y": box["y"] + y * box["height"]} for x, y in points]})
    touch("touchStart", (0.5, 0.15))
    for i in range(1, 8):
        touch("touchMove", (0.5, 0.15 + 0.05 * i))
    touch("touchCancel")
    touch("touchStart", (0.2, 0.8))
    touch("touchCancel")
    draw_cdp(cdp, page, LOWER_HALF, pointer="touch")
    assert final_prediction(page)["digit"] == 1
    assert heard(page, "pointer").count("pointercancel touch") == 2
    assert alpha_at(page, 0.5, 0.3) > 0 and alpha_at(page, 0.5, 0.7) > 0 and alpha_at(page, 0.2, 0.8) == 0


def test_lost_pointer_capture_ends_the_stroke_and_the_next_one_draws(make_page, server):
    page = make_page()
    open_ready(page, server.site_url)
    box = pad_box(page)
    mouse, at = page.mouse, lambda x, y: (box["x"] + x * box["width"], box["y"] + y * box["height"])
    mouse.move(*at(0.5, 0.15))
    mouse.down()
    mouse.move(*at(0.5, 0.5), steps=5)
    page.eval_on_selector("digit-pad", "e => e.shadowRoot.querySelector('canvas[part=pad]')"
                          ".releasePointerCapture(1)")
    mouse.move(*at(0.85, 0.5), steps=5)  # no longer drawing
    mouse.up()
    draw_mouse(page, LOWER_HALF, box)
    assert final_prediction(page)["digit"] == 1
    assert "lostpointercapture mouse" in heard(page, "pointer") and alpha_at(page, 0.7, 0.5) == 0


def test_a_pen_press_whose_pointerup_never_comes_does_not_block_the_pad(make_page, server):
    """A pen's pointerdown with no pointerup (made by script, so that the pad
    cannot capture it either): a 7 drawn with the mouse is drawn and read (the
    pen's dot is on its bar). Then a stroke of that pen ends at a pointerup
    outside the pad, and its later moves draw nothing."""
    page = make_page()
    open_ready(page, server.site_url)
    dispatch = lambda kind, x, y, buttons, on_body=False: page.evaluate(  # noqa: E731
        DISPATCH, [kind, x, y, {**PEN, "buttons": buttons}, on_body])
    dispatch("pointerdown", 0.5, 0.25, 1)
    draw_mouse(page, SEVEN)
    assert final_prediction(page)["digit"] == 7
    clear(page)
    dispatch("pointerdown", 0.5, 0.15, 1)
    dispatch("pointermove", 0.5, 0.5, 1)
    dispatch("pointerup", 1.5, 0.5, 0, True)
    dispatch("pointermove", 0.85, 0.5, 1)
    draw_mouse(page, LOWER_HALF)
    assert final_prediction(page)["digit"] == 1
    assert alpha_at(page, 0.7, 0.5) == 0 and page.problems == []


# --- 3. theme changes ---------------------------------------------------------

def ink_follows_text(page, point=(0.5, 0.5), timeout=5_000):
    """Wait until the ink at point (a stroke's middle) is the canvas's text
    colour -> that colour, [r, g, b]."""
    page.wait_for_function(f"""() => {{ const {{ink, text}} = ({INK})({list(point)});
        return ink[3] === 255 && text.every((v, i) => Math.abs(v - ink[i]) <= 2); }}""", timeout=timeout)
    return page.evaluate(INK, list(point))["text"]


def test_the_palette_toggle_recolours_the_ink(make_page, server):
    """mkdocs-material's toggle in the header: the ink follows each way, and
    a pad out of the page meanwhile follows once it is back."""
    page = make_page()
    open_ready(page, server.site_url)
    draw_mouse(page, ONE)
    final_prediction(page)
    toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
    light = ink_follows_text(page)
    toggle.click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    dark = ink_follows_text(page)
    assert sum(dark) > sum(light) + 300, (light, dark)  # light strokes on the dark pad
    page.evaluate("window.__pad = document.querySelector('digit-pad');"
                  " window.__place = [__pad.parentNode, __pad.nextSibling]; __pad.remove()")
    toggle.click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'default'")
    page.evaluate("__place[0].insertBefore(__pad, __place[1])")
    assert ink_follows_text(page) == light
    assert page.problems == []


# A page that follows the system's colour scheme in its CSS alone, as any site may.
SCHEME_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Follows the system</title>
<script type="module" src="assets/digit-pad/digit-pad.js"></script>
<style>@media (prefers-color-scheme: dark) { body { background: #111; }
  digit-pad { --md-default-fg-color: rgb(230, 230, 230); --md-default-bg-color: #111; } }</style>
</head><body><digit-pad></digit-pad></body></html>"""


def test_the_system_colour_scheme_recolours_the_ink(make_page, server):
    page = make_page(color_scheme="light")
    url = server.site_url + "follows-the-system.html"
    page.route(url, lambda route: route.fulfill(content_type="text/html", body=SCHEME_PAGE))
    open_ready(page, url)
    draw_mouse(page, ONE)
    final_prediction(page)
    light = ink_follows_text(page)
    page.emulate_media(color_scheme="dark")
    assert ink_follows_text(page) == [230, 230, 230] != light
    page.emulate_media(color_scheme="light")
    assert ink_follows_text(page) == light


# --- 4. a phone's screen ------------------------------------------------------

# The viewport's boxes of the pad, the answer and every bar, and the bottom of
# the page's sticky header (0 without one).
BOXES = """() => {
  const root = document.querySelector("digit-pad").shadowRoot;
  const box = (element) => { const b = element.getBoundingClientRect();
    return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
  return {pad: box(root.querySelector("canvas[part=pad]")), answer: box(root.querySelector(".answer")),
          bars: [...root.querySelectorAll(".bars li")].map(box), width: innerWidth, height: innerHeight,
          header: document.querySelector(".md-header")?.getBoundingClientRect().bottom ?? 0};
}"""
CENTRE_PAD = "e => e.shadowRoot.querySelector('canvas[part=pad]').scrollIntoView({block: 'center'})"


def out_of_view(boxes):
    """-> the names of the boxes (pad, answer, bar <d>) not wholly in view below the header."""
    named = {"pad": boxes["pad"], "answer": boxes["answer"],
             **{f"bar {d}": box for d, box in enumerate(boxes["bars"])}}
    return [name for name, b in named.items() if b["top"] < boxes["header"] - 0.5 or b["left"] < 0
            or b["bottom"] > boxes["height"] + 0.5 or b["right"] > boxes["width"] + 0.5]


def check_layout(evaluate, phone):
    """The pad, the answer and every bar in view together; on a phone, the
    pad wide enough to draw on comfortably, on a desktop the answer beside it."""
    boxes = evaluate(BOXES)
    assert out_of_view(boxes) == []
    pad, answer = boxes["pad"], boxes["answer"]
    if phone:
        assert pad["right"] - pad["left"] >= 0.6 * boxes["width"]
    else:
        assert answer["left"] >= pad["right"] and answer["top"] == pad["top"]
        assert all(bar["left"] >= pad["right"] for bar in boxes["bars"])


@pytest.mark.parametrize("size", ["390x844", "1280x800"])
@pytest.mark.parametrize("path", ["", "how-it-works/"])
def test_the_answer_and_the_bars_are_in_view_while_drawing(make_page, server, artifacts, path, size):
    """As the page loads and with the pad scrolled to the middle of the
    viewport (where a browser puts what it scrolls to)."""
    phone = size == "390x844"
    page = make_page(**PHONE) if phone else make_page()
    open_ready(page, server.site_url + path)
    if phone:
        draw_cdp(page.context.new_cdp_session(page), page, SEVEN, pointer="touch")
    else:
        draw_mouse(page, SEVEN)
    assert final_prediction(page)["digit"] == 7
    page.wait_for_timeout(300)  # the bars' transition
    page.screenshot(path=artifacts / f"robustness-{path.strip('/') or 'home'}-{size}.png")
    check_layout(page.evaluate, phone)
    page.eval_on_selector("digit-pad", CENTRE_PAD)
    check_layout(page.evaluate, phone)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("engine", ["firefox", "webkit"])
def test_the_phone_layout_in_other_engines(site_dir, artifacts, engine):
    """At a phone's width in Firefox and WebKit (without touch or its pixel
    ratio, which the layout does not depend on)."""
    with engines.RecordingServer(site_dir) as site, engines.launch(engine, viewport=(390, 844)) as page:
        page.goto(site.site_url)
        assert engines.wait_ready(page) == "ready"
        engines.draw(page, SEVEN)
        assert engines.final_prediction(page)["digit"] == 7
        time.sleep(0.3)  # the bars' transition
        page.screenshot(artifacts / f"robustness-home-390x844-{engine}.png")
        check_layout(page.evaluate, phone=True)
        assert page.problems == []
