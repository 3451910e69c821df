"""Driving a <digit-pad> in a real page, and reading its public contract
(its state, lastPrediction, clear()). Every function takes the CSS selector
of the pad, "digit-pad" unless told.

Strokes are given in 0..1 of the pad's side: each stroke a sequence of
(x, y), x to the right, y down; on a number pad (mode="number"), in units of
its height, x in 0..width / height: draw them in height_units(pad_box(...)).
Three ways to draw them:
  draw_mouse        Playwright's mouse: every point through Chromium's own
                    input pipeline, one per frame, so that the widget
                    predicts while the "pen" moves, as it does for a person;
  draw_cdp          touch or pen input through the DevTools protocol, the
                    same pipeline (Playwright's own API has only taps);
  draw_dispatched   PointerEvents built in the page and dispatched on the
                    canvas, a whole drawing in one task: the same widget code
                    (point mapping, strokes, rendering, the worker) without
                    the ~1 ms round trip per point.
"""

import numpy as np

from pydigit import pen
from train.pendigits import to_canvas

SELECTOR = "digit-pad"
WORKER_SCRIPT = "/digit-pad/worker.js"  # how the pad's worker's URL ends
READY_TIMEOUT_MS = 120_000              # a cold load fetches ~10 MB and starts Python

DISPATCH = """([selector, strokes]) => {
  const canvas = document.querySelector(selector).shadowRoot.querySelector('canvas[part=pad]');
  const box = canvas.getBoundingClientRect();
  const init = ([x, y], buttons) => ({clientX: box.left + x * box.width, clientY: box.top + y * box.height,
    pointerId: 1, pointerType: 'mouse', isPrimary: true, button: 0, buttons,
    bubbles: true, cancelable: true, composed: true});
  for (const stroke of strokes) {
    canvas.dispatchEvent(new PointerEvent('pointerdown', init(stroke[0], 1)));
    for (const point of stroke.slice(1)) canvas.dispatchEvent(new PointerEvent('pointermove', init(point, 1)));
    canvas.dispatchEvent(new PointerEvent('pointerup', init(stroke.at(-1), 0)));
  }
}"""
WATCH_ANSWERS = """(selector) => {
  const answers = window.__answers = {all: [], drawn: null, waiting: []};
  document.addEventListener('pointerdown', () => { answers.drawn = null; }, true);
  document.querySelector(selector).addEventListener('prediction', (event) => {
    answers.all.push(event.detail);
    if (!event.detail.final) return;
    answers.drawn = event.detail;
    for (const resolve of answers.waiting.splice(0)) resolve(event.detail);
  });
}"""
DRAWN_ANSWER = """(timeout) => {
  const answers = window.__answers;
  return answers.drawn ?? Promise.race([new Promise((resolve) => answers.waiting.push(resolve)),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no final answer in ${timeout} ms`)), timeout))]);
}"""
# The empty answer is given at once, unless a prediction is still in flight.
CLEAR = "e => { e.clear(); return e.lastPrediction?.digit === null; }"


def pendigit_strokes01(strokes):
    """A pendigits digit's strokes (tablet units) laid out as the evaluation
    lays them out on the pen.CANVAS_SIZE canvas -> list of (k, 2) float
    arrays in 0..1 of the side."""
    return [s / pen.CANVAS_SIZE for s in to_canvas(strokes)]


def pendigit_number(digits, aspect, height=0.7, gap=0.15):
    """train.pendigits digits -> one number's strokes on a number pad of
    that aspect (width / height), in pad heights: each digit ``height``
    tall, ``gap`` apart, left to right, the whole centred on the pad (made
    smaller if it would not fit in 90% of its width)."""
    shapes = []
    for digit in digits:
        points = np.concatenate(digit.strokes)
        low, high = points.min(axis=0), points.max(axis=0)
        scale = 1 / max(float(high[1] - low[1]), 1e-6)
        shapes.append(([(s - low) * scale for s in digit.strokes], float(high[0] - low[0]) * scale))
    width = sum(w for _, w in shapes) * height + gap * (len(shapes) - 1)
    shrink = min(1.0, 0.9 * aspect / width)
    x, top = (aspect - width * shrink) / 2, (1 - height * shrink) / 2
    strokes = []
    for digit_strokes, w in shapes:
        strokes += [s * height * shrink + (x, top) for s in digit_strokes]
        x += (w * height + gap) * shrink
    return strokes


def height_units(box):
    """A number pad's pad_box as the drawing functions' box: strokes in
    units of the pad's height."""
    return {**box, "width": box["height"]}


def pad_box(page, selector=SELECTOR):
    """The drawing canvas's {x, y, width, height} in the viewport (CSS px),
    scrolled into view first: mouse input lands where the viewport shows it
    (a navigation may have restored a scroll position that hides the pad)."""
    canvas = page.locator(selector).locator("canvas[part=pad]")
    canvas.scroll_into_view_if_needed()
    return canvas.bounding_box()


def page_points(strokes01, box):
    """strokes in 0..1 of the pad's side; box: pad_box(page) -> lists of
    (x, y) page coordinates."""
    return [[(box["x"] + float(x) * box["width"], box["y"] + float(y) * box["height"]) for x, y in stroke]
            for stroke in strokes01]


def draw_mouse(page, strokes01, box=None, selector=SELECTOR):
    """box: pad_box(page), when known already (one round trip less)."""
    for stroke in page_points(strokes01, box or pad_box(page, selector)):
        page.mouse.move(*stroke[0])
        page.mouse.down()
        for point in stroke[1:]:
            page.mouse.move(*point)
        page.mouse.up()


def draw_cdp(cdp, page, strokes01, pointer="touch", selector=SELECTOR, box=None):
    """cdp: page.context.new_cdp_session(page); pointer: "touch", "pen" or
    "mouse"; box: as for draw_mouse."""
    for stroke in page_points(strokes01, box or pad_box(page, selector)):
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


def draw_dispatched(page, strokes01, selector=SELECTOR):
    page.evaluate(DISPATCH, [selector, [[[float(x), float(y)] for x, y in stroke] for stroke in strokes01]])


def clear(page, selector=SELECTOR, timeout=30_000):
    """Empty the pad and wait for its empty answer."""
    if not page.eval_on_selector(selector, CLEAR):
        page.wait_for_function(f"() => document.querySelector('{selector}').lastPrediction?.digit === null",
                               timeout=timeout)


def wait_ready(page, selector=SELECTOR, timeout=READY_TIMEOUT_MS):
    """Wait until the pad has loaded or failed -> its state ("ready" or "error")."""
    page.wait_for_function(f"() => document.querySelector('{selector}')?.dataset.state !== 'loading'",
                           timeout=timeout)
    return page.eval_on_selector(selector, "e => e.state")


def final_prediction(page, selector=SELECTOR, timeout=30_000):
    """The answer for the drawing as it is now, once the pointer is up."""
    page.wait_for_function(
        f"() => {{ const p = document.querySelector('{selector}').lastPrediction;"
        " return p && p.final && p.digit !== null; }", timeout=timeout)
    return page.eval_on_selector(selector, "e => e.lastPrediction")


def watch_answers(page, selector=SELECTOR):
    """From now on, keep the pad's answers in window.__answers: all, every
    "prediction" detail; drawn, the final one for the drawing since the last
    pointerdown (null until it comes: a final answer between two strokes is
    not the drawing's); waiting, what drawn_answer awaits."""
    page.evaluate(WATCH_ANSWERS, selector)


def drawn_answer(page, timeout=30_000):
    """The pad's final answer (watch_answers) to the drawing since the last
    pointerdown, waited for without polling the page."""
    return page.evaluate(DRAWN_ANSWER, timeout)


def replay_pendigits(page, digits, selector=SELECTOR):
    """Each of ``digits`` (train.pendigits digits) drawn with the mouse on the
    cleared pad -> how many of them the pad read right."""
    correct = 0
    for digit in digits:
        clear(page, selector)
        draw_mouse(page, pendigit_strokes01(digit.strokes), selector=selector)
        correct += final_prediction(page, selector)["digit"] == digit.label
    return correct


def status(page, selector=SELECTOR):
    """The pad's status line: the loading step, or what went wrong."""
    return page.locator(selector).locator(".status-text").text_content()


def pad_worker(page):
    """The pad's Web Worker (the page also runs MkDocs Material's search worker)."""
    for worker in page.workers:
        if worker.url.endswith(WORKER_SCRIPT):
            return worker
    raise RuntimeError("the <digit-pad> worker is not running")
