"""End to end: the built site in Debian's Chromium, served on 127.0.0.1 under
a sub-path, driven with real pointer input. (Recorded pen digits are
replayed in every engine by test_engines.py.)"""

import json

import pytest

from harness.chromium import VIEWPORT, new_page, watch_requests
from harness.pad import draw_cdp, draw_mouse, final_prediction, pad_box, status, wait_ready

pytestmark = pytest.mark.browser

SEVEN = [[(0.3, 0.25), (0.7, 0.25), (0.45, 0.8)]]
ONE = [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]]
BAR = [[(0.3, 0.2), (0.7, 0.2)]]
SETTLE_MS = 300  # the probability bars ease to a new answer (a CSS transition): screenshot them settled
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "has_touch": True,
         "is_mobile": True}

RECORD_EVENTS = """() => {
  const pad = document.querySelector('digit-pad');
  window.__predictions = [];
  window.__pointerTypes = new Set();
  pad.addEventListener('prediction', (e) => window.__predictions.push(e.detail));
  pad.shadowRoot.querySelector('canvas[part=pad]').addEventListener(
    'pointerdown', (e) => window.__pointerTypes.add(e.pointerType));
}"""


def open_pad(page, url):
    """Load the page, wait for a ready pad, then record its predictions
    (window.__predictions) and the kinds of pointer that drew (window.__pointerTypes)."""
    page.goto(url)
    assert wait_ready(page) == "ready", status(page)
    page.evaluate(RECORD_EVENTS)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    yield new_page(context)
    context.close()
    server.repair()


def test_loads_ready_from_own_origin_only(browser, server, artifacts):
    context = watch_requests(browser.new_context(viewport=VIEWPORT), server.origin)
    page = new_page(context)
    open_pad(page, server.site_url)
    draw_mouse(page, SEVEN)
    assert final_prediction(page)["digit"] == 7
    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=artifacts / "home-1280x800.png", full_page=False)
    context.close()
    assert page.problems == []
    assert context.foreign == [], f"requests left the site's origin: {context.foreign}"
    # The runtime, NumPy, pydigit and the model all came from the site itself.
    for needed in ("pyodide.asm.wasm", "numpy-2.0.2", "pydigit-", "models/cnn.npz"):
        assert any(needed in url for url in context.requests), needed


def test_touch_input_draws_and_predicts(browser, server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_pad(page, server.site_url)
    page.locator("digit-pad").scroll_into_view_if_needed()
    draw_cdp(context.new_cdp_session(page), page, ONE, pointer="touch")
    assert final_prediction(page)["digit"] == 1
    assert page.evaluate("[...window.__pointerTypes]") == ["touch"]
    context.close()


def test_pen_input(page, server):
    open_pad(page, server.site_url)
    draw_cdp(page.context.new_cdp_session(page), page, SEVEN, pointer="pen")
    assert final_prediction(page)["digit"] == 7
    assert page.evaluate("[...window.__pointerTypes]") == ["pen"]


def test_predictions_arrive_during_a_stroke(page, server):
    open_pad(page, server.site_url)
    box = pad_box(page)
    page.mouse.move(box["x"] + 0.5 * box["width"], box["y"] + 0.1 * box["height"])
    page.mouse.down()
    for i in range(40):
        page.mouse.move(box["x"] + 0.5 * box["width"], box["y"] + (0.1 + 0.02 * i) * box["height"])
        page.wait_for_timeout(15)
    during = page.evaluate("window.__predictions.filter(p => p.digit !== null).length")
    page.mouse.up()
    assert during >= 2, "no prediction arrived while the pointer was down"
    final = final_prediction(page)
    assert final["digit"] == 1 and len(final["probabilities"]) == 10
    assert abs(sum(final["probabilities"]) - 1) < 1e-4
    assert final["model"] == "cnn" and final["ms"] > 0


def test_model_switch_clear_and_undo(page, server):
    open_pad(page, server.site_url)
    draw_mouse(page, ONE)
    one = final_prediction(page)
    assert one["digit"] == 1
    draw_mouse(page, BAR)  # a bar over the 1: now a 7
    # The 1's final answer stays on show until the new drawing's comes: wait for that one.
    page.wait_for_function("() => { const p = document.querySelector('digit-pad').lastPrediction;"
                           f" return p.final && p.probabilities[1] !== {one['probabilities'][1]}; }}")
    seven = final_prediction(page)
    assert seven["digit"] == 7
    page.locator("digit-pad").get_by_role("button", name="Undo").click()
    page.wait_for_function("() => document.querySelector('digit-pad').lastPrediction.probabilities[1] !== "
                           f"{seven['probabilities'][1]}")
    assert final_prediction(page)["probabilities"] == pytest.approx(one["probabilities"], abs=1e-6)

    page.locator("digit-pad").get_by_role("button", name="MLP").click()
    page.wait_for_function("() => document.querySelector('digit-pad').lastPrediction.model === 'mlp'")
    mlp = final_prediction(page)
    assert mlp["digit"] == 1 and mlp["model"] == "mlp"
    assert page.get_attribute("digit-pad", "model") == "mlp"

    page.locator("digit-pad").get_by_role("button", name="Clear").click()
    page.wait_for_function("() => document.querySelector('digit-pad').lastPrediction.digit === null")
    ink = page.eval_on_selector("digit-pad", """e => {
        const c = e.shadowRoot.querySelector('canvas[part=pad]');
        return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v !== 0); }""")
    assert not ink
    assert page.problems == []


def test_keyboard_reaches_the_buttons(page, server):
    open_pad(page, server.site_url)
    draw_mouse(page, ONE)
    final_prediction(page)
    page.locator("digit-pad").get_by_role("button", name="Clear").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('digit-pad').lastPrediction.digit === null")
    live = page.locator("digit-pad").locator("[aria-live]")
    assert live.count() == 1


def site_wheel(site_dir, package):
    lock = json.loads((site_dir / "assets/pyodide/pyodide-lock.json").read_text())
    return "assets/pyodide/" + lock["packages"][package]["file_name"]


@pytest.mark.parametrize("missing", ["weights", "pydigit", "numpy"])
def test_missing_file_gives_error_then_retry_recovers(page, server, site_dir, missing):
    missing = "assets/models/cnn.npz" if missing == "weights" else site_wheel(site_dir, missing)
    server.break_file(missing)
    page.goto(server.site_url)
    assert wait_ready(page) == "error"
    shown = status(page)
    assert missing.rsplit("/", 1)[1].split("-")[0] in shown, shown
    server.repair()
    page.locator("digit-pad").get_by_role("button", name="Retry").click()
    assert wait_ready(page) == "ready"
    draw_mouse(page, ONE)
    assert final_prediction(page)["digit"] == 1


def test_phone_width_screenshot(browser, server, artifacts):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_pad(page, server.site_url)
    draw_cdp(context.new_cdp_session(page), page, SEVEN, pointer="touch")
    assert final_prediction(page)["digit"] == 7
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=artifacts / "home-390x844.png", full_page=True)
    context.close()


def test_drawing_before_ready_is_answered_once_ready(page, server):
    page.goto(server.site_url)
    page.wait_for_function("() => customElements.get('digit-pad') !== undefined")
    state_while_drawing = page.eval_on_selector("digit-pad", "e => e.state")
    draw_mouse(page, ONE)
    shown = status(page)
    assert state_while_drawing == "loading", "Pyodide was ready before the first stroke"
    assert shown.startswith("Loading"), shown  # the progress names the step
    assert wait_ready(page) == "ready"
    assert final_prediction(page)["digit"] == 1
