"""Endurance and bad input for <digit-pad>, in Debian's Chromium: a flood of
strokes, odd drawings, broken weights and a worker that dies.

Every answer is checked against pydigit in CPython on the very strokes the
element sent to its worker: an init script keeps a copy of the last "predict"
message before its buffers are transferred. PYDIGIT_ENDURANCE_STROKES (default
1000) sets the length of the flood.
"""

import io
import json
import os
import time

import numpy as np
import pytest

from harness.chromium import VIEWPORT, new_page
from harness.pad import (READY_TIMEOUT_MS, WORKER_SCRIPT, draw_cdp, draw_mouse, pad_box, pad_worker,
                         page_points, status, wait_ready)
from pydigit import load_model, model_from_bytes
from pydigit.browser import split_strokes
from pydigit.recognize import recognize_strokes
from pydigit.strokes import render
from pydigit.layers import Dense
from pydigit.weights_file import MODEL_NAMES, save_model

pytestmark = pytest.mark.browser

STROKES = int(os.environ.get("PYDIGIT_ENDURANCE_STROKES", "1000"))
ROUND = 100                 # strokes between two clears in the flood
ONE = [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]]
BAR = [[(0.3, 0.2), (0.7, 0.2)]]
MAX_TICK_GAP_MS = 250
MAX_HEAP_GROWTH = 2         # times the JS heap after the first round
MAX_WASM_GROWTH_MB = 32

INSTRUMENT = """(() => {
// A copy of the last predict message the page posts (its strokes are
// transferred), and every error event of the pad (heard once, on the way down).
window.__predicts = 0;
window.__lastPredict = null;
window.__padErrors = [];
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
  if (message && message.type === "predict") {
    window.__predicts++;
    window.__lastPredict = {model: message.model, points: Array.from(message.points),
                            lengths: Array.from(message.lengths)};
  }
  return post.call(this, message, ...rest);
};
window.addEventListener("error", (event) => {
  if (event.target.localName === "digit-pad") window.__padErrors.push(event.detail.message);
}, true);
})();
"""

# Counts the final answers since the end of the last stroke, so that a final
# answer for an earlier drawing is never mistaken for the answer to the last
# one. A stroke is the pad's: it is drawn by the first pointer down on the
# canvas while no other is (a second finger, say, draws nothing).
WATCH_FINALS = """() => {
  const pad = document.querySelector("digit-pad");
  let drawing = null;
  window.__finals = 0;
  pad.addEventListener("pointerdown", (event) => {
    if (drawing === null && event.composedPath()[0].matches("canvas[part=pad]")) drawing = event.pointerId;
  });
  const end = (event) => {
    if (event.pointerId === drawing) [drawing, window.__finals] = [null, 0];
  };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  pad.addEventListener("prediction", (event) => { if (event.detail.final) window.__finals++; });
}"""

# A 16 ms timer on the main thread: how often it fires, the longest gap and
# when it was (the test's own measurements, a forced GC and copying the
# strokes sent out, are not the widget's doing: gaps in them are kept apart). And
# the longest task over 50 ms, to tell a busy main thread from a busy machine.
TICKER = """() => {
  const t = window.__ticks = {count: 0, maxGap: 0, at: 0, measuring: false, maxMeasuringGap: 0,
                              longestTask: 0, last: performance.now(), started: performance.now()};
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) t.longestTask = Math.max(t.longestTask, task.duration);
  }).observe({type: "longtask"});
  setInterval(() => {
    const now = performance.now(), gap = now - t.last;
    if (t.measuring) t.maxMeasuringGap = Math.max(t.maxMeasuringGap, gap);
    else if (gap > t.maxGap) Object.assign(t, {maxGap: gap, at: now - t.started});
    t.last = now;
    t.count++;
  }, 16);
}"""


# --- helpers -----------------------------------------------------------------

def instrumented_page(browser, **options):
    """A page in a context of its own, instrumented, its console errors and
    uncaught exceptions (the worker's too) collected in page.problems."""
    context = browser.new_context(viewport=VIEWPORT, **options)
    context.add_init_script(INSTRUMENT)
    return new_page(context)


@pytest.fixture
def make_page(browser):
    contexts = []

    def make(**options):
        page = instrumented_page(browser, **options)
        contexts.append(page.context)
        return page
    yield make
    for context in contexts:
        context.close()


def open_ready(page, server):
    page.goto(server.site_url)
    assert wait_ready(page) == "ready", status(page)
    page.evaluate(WATCH_FINALS)


def settled(page, timeout=60_000):
    """The final answer for the drawing as it is now. Call after the last
    pointer-up (or reset window.__finals before a change made from script)."""
    page.wait_for_function("() => window.__finals > 0", timeout=timeout)
    return page.eval_on_selector("digit-pad", "e => e.lastPrediction")


def change(page, script):
    """A change to the drawing made from script, then its final answer."""
    page.evaluate("window.__finals = 0")
    page.eval_on_selector("digit-pad", script)
    return settled(page)


def retry_recovers(page):
    """Retry after an error: the pad is ready again and answers a new drawing."""
    page.locator("digit-pad").get_by_role("button", name="Retry").click()
    assert wait_ready(page) == "ready"
    page.evaluate(WATCH_FINALS)
    draw_mouse(page, ONE)
    assert settled(page)["digit"] == 1


def last_sent_strokes(page):
    """-> (model, strokes) of the last predict message the page posted."""
    sent = page.evaluate("window.__lastPredict")
    return sent["model"], split_strokes(sent["points"], sent["lengths"])


@pytest.fixture(scope="module")
def models(site_dir):
    return {name: load_model(site_dir / "assets" / "models" / f"{name}.npz")
            for name in MODEL_NAMES}


@pytest.fixture(scope="module")
def not_sure(site_dir):
    text = (site_dir / "assets" / "digit-pad" / "config.js").read_text()
    config = json.loads(text[text.index("{"):text.rindex("}") + 1])
    return {name: spec["notSure"] for name, spec in config["models"].items()}


def check_answer(page, answer, models, not_sure):
    """A digit with probabilities summing to 1, the same as CPython's on the
    strokes the element sent, shown as the digit or, below the model's
    threshold, as "?" (not sure) -> those strokes rendered on the whole pad
    (pen.CANVAS_SIZE a side), float ink 0..1."""
    assert answer["final"] and answer["digit"] in range(10), answer
    probabilities = np.array(answer["probabilities"])
    assert probabilities.shape == (10,) and (probabilities >= 0).all()
    assert abs(probabilities.sum() - 1) < 1e-4
    assert probabilities.argmax() == answer["digit"]
    assert answer["confidence"] == pytest.approx(probabilities.max(), abs=1e-6)
    model, strokes = last_sent_strokes(page)
    assert model == answer["model"]
    native = recognize_strokes(strokes, model=models[model])
    assert np.abs(native.probabilities - probabilities).max() <= 1e-5
    pad = page.locator("digit-pad")
    shown, caption = pad.locator(".digit").text_content(), pad.locator(".confidence").text_content()
    if answer["confidence"] >= not_sure[model]:
        assert shown == str(answer["digit"]) and "not sure" not in caption
    else:
        assert shown == "?" and caption.startswith(f"not sure (maybe {answer['digit']}"), caption
    return render(strokes)


def ink_at(page, points01):
    """Alpha of the pad's canvas at points in 0..1 of its side."""
    return page.eval_on_selector("digit-pad", """(e, points) => {
        const c = e.shadowRoot.querySelector('canvas[part=pad]'), g = c.getContext('2d');
        const at = (u, side) => Math.min(side - 1, Math.floor(u * side));
        return points.map(([x, y]) => g.getImageData(at(x, c.width), at(y, c.height), 1, 1).data[3]);
    }""", points01)


def js_heap_mb(cdp):
    cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"] / 2**20


def wasm_mb(page):
    return pad_worker(page).evaluate("pyodide._module.HEAP8.byteLength") / 2**20


def scribbles(rng, count):
    """Short random scribbles in 0..1: a press and one to three moves each."""
    strokes = []
    for _ in range(count):
        start = rng.uniform(0.1, 0.9, 2)
        steps = rng.normal(0, 0.08, (rng.integers(1, 4), 2))
        strokes.append(np.clip(np.vstack([start, start + np.cumsum(steps, axis=0)]), 0.01, 0.99))
    return strokes


# --- 1. a thousand rapid strokes ---------------------------------------------

def test_a_thousand_rapid_strokes(make_page, server, models, not_sure):
    """Strokes go in as fast as Chromium takes them (mouse, pen and touch
    through CDP, no waits), ROUND strokes a drawing, the pad cleared between
    drawings as someone writing digit after digit would. The main thread keeps
    ticking, the last drawing of each round gets its final answer (CPython's,
    on the strokes sent) and memory stays flat from the first round to the last."""
    page = make_page(has_touch=True)
    open_ready(page, server)
    cdp = page.context.new_cdp_session(page)
    rng = np.random.default_rng(0)
    page.evaluate(TICKER)
    started, heap, wasm = time.monotonic(), [], []
    for done in range(0, STROKES, ROUND):
        if done:
            assert change(page, "e => e.clear()")["digit"] is None
        predicts = page.evaluate("window.__predicts")
        batch = scribbles(rng, min(ROUND, STROKES - done))
        for i in range(0, len(batch), 10):  # ten strokes at a time with one kind of pointer
            draw_cdp(cdp, page, batch[i:i + 10], pointer=rng.choice(["mouse", "pen", "touch"]))
        answer = settled(page)
        page.evaluate("window.__ticks.measuring = true")
        assert page.evaluate("window.__predicts") > predicts
        check_answer(page, answer, models, not_sure)
        heap.append(js_heap_mb(cdp))
        wasm.append(wasm_mb(page))
        page.evaluate("window.__ticks.measuring = false")
    seconds = time.monotonic() - started
    ticks = page.evaluate("window.__ticks")
    elapsed_ms = ticks["last"] - ticks["started"]
    print(f"\n{STROKES} strokes in {seconds:.0f} s, {page.evaluate('window.__predicts')} predictions;"
          f" timer: {ticks['count']} ticks in {elapsed_ms / 1000:.0f} s, longest gap {ticks['maxGap']:.0f} ms"
          f" at {ticks['at'] / 1000:.1f} s ({ticks['maxMeasuringGap']:.0f} ms while measuring),"
          f" longest task {ticks['longestTask']:.0f} ms;"
          f" JS heap {heap[0]:.1f} -> {heap[-1]:.1f} MB; wasm {wasm[0]:.0f} -> {wasm[-1]:.0f} MB")
    # No task of the page's blocks its main thread for long, and its timer
    # keeps firing (a gap with no long task is the machine's doing).
    assert ticks["longestTask"] < MAX_TICK_GAP_MS, ticks
    assert ticks["maxGap"] < MAX_TICK_GAP_MS, ticks
    assert ticks["count"] >= elapsed_ms / 16 / 4  # at least a quarter of its nominal rate
    assert heap[-1] < MAX_HEAP_GROWTH * heap[0]
    assert wasm[-1] - wasm[0] < MAX_WASM_GROWTH_MB
    assert page.evaluate("window.__padErrors") == []
    assert page.problems == []


# --- 2. odd drawings -----------------------------------------------------------

@pytest.fixture(scope="module")
def odd_page(browser, server):
    page = instrumented_page(browser, has_touch=True)
    open_ready(page, server)
    page.cdp = page.context.new_cdp_session(page)
    yield page
    page.context.close()


@pytest.fixture
def pad(odd_page):
    """The shared page, its pad cleared and its problems forgotten."""
    change(odd_page, "e => e.clear()")
    odd_page.problems.clear()
    yield odd_page
    assert odd_page.problems == []
    assert odd_page.evaluate("window.__padErrors") == []


def test_empty_pad(pad, models, not_sure):
    draw_mouse(pad, ONE)
    check_answer(pad, settled(pad), models, not_sure)
    predicts = pad.evaluate("window.__predicts")
    for script in ("e => e.clear()", "e => e.clear()", "e => e.undo()"):
        empty = change(pad, script)
        assert empty["digit"] is None and empty["confidence"] == 0
        assert empty["probabilities"] == [0] * 10
        assert pad.locator("digit-pad").locator(".digit").text_content() == "–"
    assert pad.evaluate("window.__predicts") == predicts  # nothing to ask the worker


def test_one_dot(pad, models, not_sure):
    box = pad_box(pad)
    pad.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pixels = check_answer(pad, settled(pad), models, not_sure)
    assert 0 < (pixels > 0).mean() < 0.02  # one pen-wide dot


def test_full_black_pad(pad, models, not_sure):
    # Rows 3% of the side apart, well within the pen's width (7%).
    # Not in the very corners, which the pad's rounded border cuts off.
    rows = np.linspace(0.03, 0.97, 31)
    zigzag = [[(0.03, y), (0.97, y)][::(-1) ** i] for i, y in enumerate(rows)]
    draw_mouse(pad, zigzag)
    pixels = check_answer(pad, settled(pad), models, not_sure)
    assert (pixels > 0.5).mean() > 0.97


def test_one_stroke_of_5000_points(pad, models, not_sure):
    """A spiral of 5 000 points in one stroke. The press and release are real
    (CDP); the 5 000 moves are PointerEvents dispatched from page script, 50
    per animation frame, because CDP input is acknowledged once per frame and
    5 000 real moves would take minutes."""
    turns = np.linspace(0, 12 * np.pi, 5000)
    radius = 0.05 + 0.4 * turns / turns[-1]
    [points] = page_points([np.stack([0.5 + radius * np.cos(turns), 0.5 + radius * np.sin(turns)], 1)],
                           pad_box(pad))
    pad.eval_on_selector("digit-pad", """e => e.shadowRoot.querySelector('canvas[part=pad]')
        .addEventListener('pointerdown', (event) => { window.__pointerId = event.pointerId; }, {once: true})""")
    mouse = {"button": "left", "pointerType": "mouse", "clickCount": 1}
    (x, y), (x_end, y_end) = points[0], points[-1]
    pad.cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, **mouse})
    pad.eval_on_selector("digit-pad", """async (e, points) => {
        const canvas = e.shadowRoot.querySelector('canvas[part=pad]');
        for (let i = 0; i < points.length; i += 50) {
          for (const [x, y] of points.slice(i, i + 50)) {
            canvas.dispatchEvent(new PointerEvent('pointermove', {pointerId: window.__pointerId,
              pointerType: 'mouse', isPrimary: true, clientX: x, clientY: y, buttons: 1,
              bubbles: true, composed: true}));
          }
          await new Promise(requestAnimationFrame);
        }
    }""", points[1:])
    pad.cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x_end, "y": y_end, **mouse})
    check_answer(pad, settled(pad), models, not_sure)
    # The whole spiral is on the pad: its last point, far from its first.
    assert ink_at(pad, [(0.5 + 0.45, 0.5)])[0] > 0


def test_pointer_leaves_the_pad_and_comes_back(pad, models, not_sure):
    """Pointer capture keeps the stroke going outside the pad, and a button
    released outside still ends it: the next stroke draws."""
    box = pad_box(pad)
    at = lambda x, y: (box["x"] + x * box["width"], box["y"] + y * box["height"])  # noqa: E731
    pad.mouse.move(*at(0.2, 0.3))
    pad.mouse.down()
    for point in [(0.5, 0.3), (1.6, 0.5), (2.0, -0.3), (0.8, 0.7), (0.6, 0.8)]:
        pad.mouse.move(*at(*point), steps=5)
    pad.mouse.up()
    check_answer(pad, settled(pad), models, not_sure)
    assert all(ink_at(pad, [(0.6, 0.8), (0.7, 0.75)]))

    pad.mouse.move(*at(0.3, 0.5))
    pad.mouse.down()
    pad.mouse.move(*at(-0.5, 0.5), steps=5)
    pad.mouse.up()  # outside the pad
    check_answer(pad, settled(pad), models, not_sure)
    draw_mouse(pad, [[(0.85, 0.15), (0.85, 0.35)]])
    check_answer(pad, settled(pad), models, not_sure)
    assert ink_at(pad, [(0.85, 0.25)])[0] > 0


def test_two_touches_at_once(pad, models, not_sure):
    """Two fingers down together and moving: one of them draws."""
    box = pad_box(pad)

    def send(kind, *touches):
        """CDP takes the touches down after each event: one left out is lifted."""
        points = [{"x": box["x"] + x * box["width"], "y": box["y"] + y * box["height"], "id": finger}
                  for finger, (x, y) in touches]
        pad.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    left = [(0.25, 0.2 + 0.05 * i) for i in range(13)]
    right = [(0.75, 0.2 + 0.05 * i) for i in range(13)]
    send("touchStart", (0, left[0]), (1, right[0]))
    for l, r in zip(left[1:], right[1:]):
        send("touchMove", (0, l), (1, r))
    send("touchEnd")
    check_answer(pad, settled(pad), models, not_sure)
    inked = [all(ink_at(pad, path[2:-2])) for path in (left, right)]
    blank = [not any(ink_at(pad, path[2:-2])) for path in (left, right)]
    assert inked in ([True, False], [False, True]) and blank == inked[::-1], (inked, blank)

    # One finger down, a second joins, the first lifts, the second goes on:
    # the second never draws, and the pad is free again afterwards.
    change(pad, "e => e.clear()")
    send("touchStart", (0, (0.2, 0.2)))
    send("touchMove", (0, (0.2, 0.5)))
    send("touchStart", (0, (0.2, 0.5)), (1, (0.8, 0.2)))
    send("touchMove", (1, (0.8, 0.3)))  # the first finger lifts
    send("touchMove", (1, (0.8, 0.8)))
    send("touchEnd")
    check_answer(pad, settled(pad), models, not_sure)
    first, second = ink_at(pad, [(0.2, 0.35), (0.8, 0.55)])
    assert first > 0 and second == 0
    draw_cdp(pad.cdp, pad, [[(0.5, 0.3), (0.5, 0.7)]], pointer="touch")
    check_answer(pad, settled(pad), models, not_sure)
    assert ink_at(pad, [(0.5, 0.5)])[0] > 0


def test_detached_pad_then_put_back(make_page, server, models, not_sure):
    """Taken out of the page (the worker ends a task after the last pad has
    left), switching its model asks for nothing; back in the page it answers
    for the drawing with the new model."""
    page = make_page()
    open_ready(page, server)
    draw_mouse(page, ONE)
    settled(page)
    page.eval_on_selector("digit-pad", """e => {
        window.__pad = e;
        window.__place = [e.parentNode, e.nextSibling];
        e.remove();
        e.model = 'mlp';
    }""")
    page.evaluate("window.__finals = 0; __place[0].insertBefore(__pad, __place[1])")
    answer = settled(page, timeout=READY_TIMEOUT_MS)
    assert answer["model"] == "mlp"
    check_answer(page, answer, models, not_sure)
    assert change(page, "e => e.clear()")["digit"] is None
    assert page.problems == []


# --- 3. broken weights, a dying worker -----------------------------------------

def truncated(good, tmp_path):
    return good[:len(good) // 2]


def wrong_array_shape(good, tmp_path):
    """A valid npz, its header intact, the last Dense layer's weights a column short."""
    with np.load(io.BytesIO(good)) as npz:
        arrays = {key: npz[key] for key in npz.files}
    key = max((k for k in arrays if k.endswith(".W") and arrays[k].ndim == 2),
              key=lambda k: int(k.split(".")[0][len("layer"):]))
    arrays[key] = arrays[key][:, 1:]
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def wrong_architecture(good, tmp_path):
    """A model, saved by pydigit itself, whose last Dense layer takes one input too many."""
    model = model_from_bytes(good)
    i = max(i for i, layer in enumerate(model.layers) if isinstance(layer, Dense))
    last = model.layers[i]
    model.layers[i] = Dense(last.in_features + 1, last.out_features)
    save_model(model, tmp_path / "bad.npz")
    return (tmp_path / "bad.npz").read_bytes()


@pytest.mark.parametrize("corrupt, says", [(truncated, "truncated or corrupt"),
                                           (wrong_array_shape, "has shape"),
                                           (wrong_architecture, "cannot take an input of shape")])
def test_corrupt_weights_then_retry(make_page, server, site_dir, tmp_path, corrupt, says):
    bad = corrupt((site_dir / "assets" / "models" / "cnn.npz").read_bytes(), tmp_path)
    page = make_page()
    # The browser fetches the real file from the real server; its body is swapped.
    route = "**/assets/models/cnn.npz"
    page.route(route, lambda r: r.fulfill(response=r.fetch(), body=bad))
    page.goto(server.site_url)
    assert wait_ready(page) == "error"
    assert page.evaluate("window.__padErrors.length") == 1
    message = page.evaluate("window.__padErrors[0]")
    assert message.startswith("Loading the CNN weights failed:") and says in message, message
    assert message in status(page)
    page.unroute(route)
    retry_recovers(page)
    assert page.problems == []


def test_corrupt_lazy_model_fails_the_prediction_then_retry(make_page, server, models, not_sure):
    """The MLP weights load on first use, during a prediction: broken, they
    put the pad in error; Retry answers the drawing that was waiting (with
    the MLP)."""
    page = make_page()
    route = "**/assets/models/mlp.npz"
    page.route(route, lambda r: r.fulfill(response=r.fetch(), body=b"<html>not found</html>"))
    open_ready(page, server)
    draw_mouse(page, ONE)
    assert settled(page)["digit"] == 1
    page.locator("digit-pad").get_by_role("button", name="MLP").click()
    page.wait_for_function("() => document.querySelector('digit-pad').state === 'error'")
    message = page.evaluate("window.__padErrors[0]")
    assert message.startswith("Loading the MLP weights failed:") and "corrupt" in message, message
    page.unroute(route)
    page.evaluate("window.__finals = 0")
    page.locator("digit-pad").get_by_role("button", name="Retry").click()
    answer = settled(page, timeout=READY_TIMEOUT_MS)
    assert answer["model"] == "mlp"
    check_answer(page, answer, models, not_sure)
    assert page.problems == []


SABOTAGE = {  # run in the worker: what it does with its next message
    # It closes itself: no event tells the page.
    "closes": ("() => { self.onmessage = () => close(); }", "stopped responding"),
    # It throws: an uncaught error, which the page hears of.
    "throws": ("() => { self.onmessage = () => { throw new Error('simulated crash'); }; }",
               "simulated crash"),
    # It spins forever: alive, but deaf.
    "hangs": ("() => { self.onmessage = () => { for (;;) {} }; }", "stopped responding"),
}


@pytest.mark.parametrize("how", SABOTAGE)
def test_worker_dies_during_a_prediction_then_retry(make_page, server, how):
    sabotage, says = SABOTAGE[how]
    page = make_page()
    open_ready(page, server)
    draw_mouse(page, ONE)
    assert settled(page)["digit"] == 1
    pad_worker(page).evaluate(sabotage)
    draw_mouse(page, BAR)  # a bar over the 1: the worker is asked about a 7
    page.wait_for_function("() => document.querySelector('digit-pad').state === 'error'", timeout=30_000)
    message = page.evaluate("window.__padErrors[0]")
    assert says in message and message in status(page)
    assert page.locator("digit-pad").get_by_role("button", name="Retry").is_visible()
    page.evaluate("window.__finals = 0")
    page.locator("digit-pad").get_by_role("button", name="Retry").click()
    answer = settled(page, timeout=READY_TIMEOUT_MS)  # the waiting drawing, not drawn again
    assert answer["digit"] == 7
    assert page.evaluate("window.__padErrors.length") == 1
    assert [p for p in page.problems if "simulated crash" not in p] == []


def test_worker_dies_while_loading_then_retry(make_page, server):
    page = make_page()
    with page.expect_worker(lambda w: w.url.endswith(WORKER_SCRIPT)) as worker:
        page.goto(server.site_url)
    worker.value.evaluate("setTimeout(close)")
    assert wait_ready(page) == "error"
    assert "stopped responding" in status(page)
    retry_recovers(page)
    assert page.problems == []


def test_missing_worker_script_then_retry(make_page, server):
    page = make_page()
    server.break_file("assets/digit-pad/worker.js")
    try:
        page.goto(server.site_url)
        assert wait_ready(page) == "error"
        assert "worker.js" in status(page)
    finally:
        server.repair()
    page.locator("digit-pad").get_by_role("button", name="Retry").click()
    assert wait_ready(page) == "ready"
