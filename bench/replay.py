"""Drawing on the <digit-pad> from recorded strokes, and reading its answer.

Two ways in:
  mouse      every point through Chromium's own input pipeline (Playwright's
             mouse, as tests/site/pad.py does): the widget predicts while the
             "pen" moves, as it does for a person. Used for every latency figure.
  dispatched PointerEvents built in the page and dispatched on the canvas, a
             whole drawing in one task: the same widget code (point mapping,
             strokes, rendering at pen.CANVAS_SIZE, the worker), without the ~1 ms
             round trip per point. Used by the endurance run, and for the
             accuracy drawings past the plan's mouse-replayed ones.
"""

from .browser import settle

DISPATCH = """(strokes) => {
  const canvas = document.querySelector('digit-pad').shadowRoot.querySelector('canvas[part=pad]');
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


def pad_box(page):
    return page.locator("digit-pad").locator("canvas[part=pad]").bounding_box()


def draw_mouse(page, strokes01, box):
    """strokes01: list of (k, 2) arrays in 0..1 of the pad; box: pad_box(page)."""
    mouse = page.mouse
    for stroke in strokes01:
        points = [(box["x"] + float(x) * box["width"], box["y"] + float(y) * box["height"])
                  for x, y in stroke]
        mouse.move(*points[0])
        mouse.down()
        for point in points[1:]:
            mouse.move(*point)
        mouse.up()


def draw_dispatched(page, strokes01):
    page.evaluate(DISPATCH, [[[float(x), float(y)] for x, y in stroke] for stroke in strokes01])


def clear(page):
    """Empty the pad; its (synchronous) empty answer needs no wait."""
    page.eval_on_selector("digit-pad", "e => e.clear()")


def wait_answer(page, timeout=30_000):
    """The final answer for the drawing since the last pointerdown (see
    probe.js): {t, ms, timings, model, digit, probabilities, sinceUp}."""
    return settle(page, "window.__bench.nextAnswer()", timeout)


PREDICT_AGAIN = """async ([count, pauseMs]) => {
  const pad = document.querySelector('digit-pad');
  const answers = [];
  for (let i = 0; i < count; i++) {
    if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const answered = new Promise((resolve) =>
      pad.addEventListener('prediction', (e) => resolve(e.detail), {once: true}));
    pad.setAttribute('model', pad.model);
    const {ms, timings} = await answered;
    answers.push({ms, timings});
  }
  return answers;
}"""


def predict_again(page, count, pause_ms=0):
    """Predict the drawing on the pad ``count`` times, one after the other:
    setting the model attribute, even to the same value, makes the widget
    predict again (attributeChangedCallback), through the same path as a
    drawing (canvas read, message, worker, answer). pause_ms between them
    lets the page finish rendering each answer first.
    -> [{ms, timings}] per prediction."""
    return page.evaluate(PREDICT_AGAIN, [count, pause_ms])
