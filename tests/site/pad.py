"""Driving a <digit-pad> in a real page, as a person would: pointer input
through Chromium's own input pipeline (mouse, pen or touch), answers read
from the element's public contract."""

from pydigit import pen
from train.pendigits import to_canvas

READY_TIMEOUT_MS = 120_000

RECORD_EVENTS = """(selector) => {
  const pad = document.querySelector(selector);
  window.__predictions = [];
  window.__pointerTypes = new Set();
  pad.addEventListener('prediction', (e) => window.__predictions.push(e.detail));
  pad.shadowRoot.querySelector('canvas[part=pad]').addEventListener(
    'pointerdown', (e) => window.__pointerTypes.add(e.pointerType));
}"""


def wait_ready(page, selector="digit-pad"):
    page.wait_for_function(f"document.querySelector('{selector}')?.dataset.state !== 'loading'",
                           timeout=READY_TIMEOUT_MS)
    return page.eval_on_selector(selector, "e => e.state")


def open_pad(page, url, selector="digit-pad"):
    page.goto(url)
    state = wait_ready(page, selector)
    assert state == "ready", page.eval_on_selector(selector, "e => e.shadowRoot.querySelector('.status').textContent")
    page.evaluate(RECORD_EVENTS, selector)


def pad_box(page, selector="digit-pad"):
    return page.locator(selector).locator("canvas[part=pad]").bounding_box()


def to_screen(page, strokes01, selector="digit-pad"):
    """strokes in 0..1 of the pad's side -> lists of (x, y) page coordinates."""
    box = pad_box(page, selector)
    return [[(box["x"] + float(x) * box["width"], box["y"] + float(y) * box["height"]) for x, y in stroke]
            for stroke in strokes01]


def pendigit_strokes01(strokes):
    """A pendigits digit's strokes (tablet units) as the evaluation lays them
    out on the pen.CANVAS_SIZE canvas, in 0..1 of the side."""
    return [s / pen.CANVAS_SIZE for s in to_canvas(strokes)]


def draw_mouse(page, strokes01, selector="digit-pad"):
    for stroke in to_screen(page, strokes01, selector):
        page.mouse.move(*stroke[0])
        page.mouse.down()
        for point in stroke[1:]:
            page.mouse.move(*point)
        page.mouse.up()


def draw_cdp(cdp, page, strokes01, pointer="touch", selector="digit-pad"):
    """Touch or pen input through the DevTools protocol, which feeds
    Chromium's real input pipeline (Playwright's own API has only taps)."""
    for stroke in to_screen(page, strokes01, selector):
        if pointer == "touch":
            cdp.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                                  "touchPoints": [{"x": stroke[0][0], "y": stroke[0][1]}]})
            for x, y in stroke[1:]:
                cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        else:
            x, y = stroke[0]
            mouse = {"button": "left", "pointerType": pointer, "clickCount": 1}
            cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, **mouse})
            for x, y in stroke[1:]:
                cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y,
                                                      "buttons": 1, **mouse})
            cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, **mouse})


def final_prediction(page, selector="digit-pad", timeout=30_000):
    """The answer for the drawing as it is now, once the pointer is up."""
    page.wait_for_function(
        f"(() => {{ const p = document.querySelector('{selector}').lastPrediction;"
        " return p && p.final && p.digit !== null; })()", timeout=timeout)
    return page.eval_on_selector(selector, "e => e.lastPrediction")


def clear(page, selector="digit-pad"):
    page.eval_on_selector(selector, "e => e.clear()")
    page.wait_for_function(
        f"document.querySelector('{selector}').lastPrediction?.digit === null", timeout=30_000)
