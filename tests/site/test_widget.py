"""End to end: the built site in Debian's Chromium, served on 127.0.0.1 under
a sub-path, driven with real pointer input."""

import json

import pytest

from tests.site.pad import (clear, draw_cdp, draw_mouse, final_prediction, open_pad,
                            pendigit_strokes01, wait_ready)
from train.pendigits import balanced_sample, load_pendigits

pytestmark = pytest.mark.browser

SEVEN = [[(0.3, 0.25), (0.7, 0.25), (0.45, 0.8)]]
ONE = [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]]
BAR = [[(0.3, 0.2), (0.7, 0.2)]]
SETTLE_MS = 300  # the probability bars ease to a new answer (a CSS transition): screenshot them settled


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()
    server.repair()


def test_loads_ready_from_own_origin_only(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requests, problems = [], []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    open_pad(page, server.url)
    draw_mouse(page, SEVEN)
    assert final_prediction(page)["digit"] == 7
    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=artifacts / "home-1280x800.png", full_page=False)
    context.close()
    assert problems == []
    foreign = [url for url in requests if not url.startswith(server.origin + "/")]
    assert foreign == [], f"requests left the site's origin: {foreign}"
    # The runtime, NumPy, pydigit and the model all came from the site itself.
    for needed in ("pyodide.asm.wasm", "numpy-2.0.2", "pydigit-", "models/cnn.npz"):
        assert any(needed in url for url in requests), needed


def test_replayed_pen_strokes(page, server):
    digits = balanced_sample(load_pendigits(), 100)
    open_pad(page, server.url)
    correct = 0
    for digit in digits:
        clear(page)
        draw_mouse(page, pendigit_strokes01(digit.strokes))
        correct += final_prediction(page)["digit"] == digit.label
    accuracy = correct / len(digits)
    print(f"\nreplayed pen strokes in Chromium: {correct}/{len(digits)} = {accuracy:.1%}")
    assert accuracy >= 0.96
    assert page.problems == []


def test_touch_input_draws_and_predicts(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    open_pad(page, server.url)
    page.locator("digit-pad").scroll_into_view_if_needed()
    draw_cdp(context.new_cdp_session(page), page, ONE, pointer="touch")
    assert final_prediction(page)["digit"] == 1
    assert page.evaluate("[...window.__pointerTypes]") == ["touch"]
    context.close()


def test_pen_input(page, server):
    open_pad(page, server.url)
    draw_cdp(page.context.new_cdp_session(page), page, SEVEN, pointer="pen")
    assert final_prediction(page)["digit"] == 7
    assert page.evaluate("[...window.__pointerTypes]") == ["pen"]


def test_predictions_arrive_during_a_stroke(page, server):
    open_pad(page, server.url)
    box = page.locator("digit-pad").locator("canvas[part=pad]").bounding_box()
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
    open_pad(page, server.url)
    draw_mouse(page, ONE)
    one = final_prediction(page)
    assert one["digit"] == 1
    draw_mouse(page, BAR)  # a bar over the 1: now a 7
    seven = final_prediction(page)
    assert seven["digit"] == 7
    page.locator("digit-pad").get_by_role("button", name="Undo").click()
    page.wait_for_function("document.querySelector('digit-pad').lastPrediction.probabilities[1] !== "
                           f"{seven['probabilities'][1]}")
    assert final_prediction(page)["probabilities"] == pytest.approx(one["probabilities"], abs=1e-6)

    page.locator("digit-pad").get_by_role("button", name="MLP").click()
    page.wait_for_function("document.querySelector('digit-pad').lastPrediction.model === 'mlp'")
    mlp = final_prediction(page)
    assert mlp["digit"] == 1 and mlp["model"] == "mlp"
    assert page.get_attribute("digit-pad", "model") == "mlp"

    page.locator("digit-pad").get_by_role("button", name="Clear").click()
    page.wait_for_function("document.querySelector('digit-pad').lastPrediction.digit === null")
    ink = page.eval_on_selector("digit-pad", """e => {
        const c = e.shadowRoot.querySelector('canvas[part=pad]');
        return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v !== 0); }""")
    assert not ink
    assert page.problems == []


def test_keyboard_reaches_the_buttons(page, server):
    open_pad(page, server.url)
    draw_mouse(page, ONE)
    final_prediction(page)
    page.locator("digit-pad").get_by_role("button", name="Clear").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('digit-pad').lastPrediction.digit === null")
    live = page.locator("digit-pad").locator("[aria-live]")
    assert live.count() == 1


def site_wheel(site_dir, package):
    lock = json.loads((site_dir / "assets/pyodide/pyodide-lock.json").read_text())
    return "assets/pyodide/" + lock["packages"][package]["file_name"]


@pytest.mark.parametrize("missing", ["weights", "pydigit", "numpy"])
def test_missing_file_gives_error_then_retry_recovers(page, server, site_dir, missing):
    missing = "assets/models/cnn.npz" if missing == "weights" else site_wheel(site_dir, missing)
    server.break_file(missing)
    page.goto(server.url)
    assert wait_ready(page) == "error"
    status = page.locator("digit-pad").locator(".status-text").text_content()
    assert missing.rsplit("/", 1)[1].split("-")[0] in status, status
    server.repair()
    page.locator("digit-pad").get_by_role("button", name="Retry").click()
    assert wait_ready(page) == "ready"
    draw_mouse(page, ONE)
    assert final_prediction(page)["digit"] == 1


def test_phone_width_screenshot(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  has_touch=True, is_mobile=True)
    page = context.new_page()
    open_pad(page, server.url)
    draw_cdp(context.new_cdp_session(page), page, SEVEN, pointer="touch")
    assert final_prediction(page)["digit"] == 7
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=artifacts / "home-390x844.png", full_page=True)
    context.close()


def test_drawing_before_ready_is_answered_once_ready(page, server):
    page.goto(server.url)
    page.wait_for_function("customElements.get('digit-pad') !== undefined")
    state_while_drawing = page.eval_on_selector("digit-pad", "e => e.state")
    draw_mouse(page, ONE)
    status = page.locator("digit-pad").locator(".status-text").text_content()
    assert state_while_drawing == "loading", "Pyodide was ready before the first stroke"
    assert status.startswith("Loading"), status  # the progress names the step
    assert wait_ready(page) == "ready"
    assert final_prediction(page)["digit"] == 1
