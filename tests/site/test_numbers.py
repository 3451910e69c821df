"""A number pad (<digit-pad mode="number">, the Embed page's) in Chromium:
numbers composed from one writer's recorded pen digits, replayed as pointer
strokes, are read as those numbers, live while they are drawn, with every
request on the site's own origin; at desktop and phone widths."""

import pytest

from harness.chromium import VIEWPORT, new_page, watch_requests
from harness.pad import draw_cdp, draw_mouse, drawn_answer, height_units, pad_box, pendigit_number
from harness.pad import pendigit_strokes01, wait_ready, watch_answers
from pydigit import recognize_strokes
from train.pendigits import load_pendigits

pytestmark = pytest.mark.browser

NUMBER_PAD = "digit-pad[mode=number]"
DIGIT_PAD = "digit-pad[model=mlp]"  # the Embed page's other pad
WRITER = 1
NUMBERS = ("907", "38625", "1984")
PHONE_NUMBER = "5716"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "has_touch": True,
         "is_mobile": True}
SETTLE_MS = 300  # the page's last frame painted before a screenshot

ASPECT = """(pad) => {
  const canvas = pad.shadowRoot.querySelector('canvas[part=pad]');
  return canvas.clientWidth / canvas.clientHeight;
}"""


@pytest.fixture(scope="module")
def pen_digits():
    """For each digit 0..9, the writer's first sample the CNN reads right on
    its own, surely: a misread number is then the number pad's doing."""
    chosen = {}
    for digit in load_pendigits():
        if digit.writer != WRITER or digit.label in chosen:
            continue
        alone = recognize_strokes(pendigit_strokes01(digit.strokes), "cnn")
        if alone.digit == digit.label and alone.confidence > 0.95:
            chosen[digit.label] = digit
    assert len(chosen) == 10, sorted(chosen)
    return chosen


def open_number_pad(page, url):
    """Load the page, wait for its number pad, in view, and keep its answers."""
    page.goto(url)
    assert wait_ready(page, NUMBER_PAD) == "ready"
    page.locator(NUMBER_PAD).scroll_into_view_if_needed()
    watch_answers(page, NUMBER_PAD)


@pytest.fixture
def page_on_embed(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    page = new_page(context)
    open_number_pad(page, server.site_url + "embed/")
    yield page
    context.close()


def number(pen_digits, text):
    return [pen_digits[int(c)] for c in text]


def click(page, name):
    page.locator(NUMBER_PAD).get_by_role("button", name=name).click()


def test_numbers_written_with_the_mouse_are_read_on_the_sites_origin_only(browser, server, artifacts,
                                                                            pen_digits):
    context = watch_requests(browser.new_context(viewport=VIEWPORT), server.origin)
    page = new_page(context)
    warnings = []
    page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    open_number_pad(page, server.site_url + "embed/")
    aspect = page.eval_on_selector(NUMBER_PAD, ASPECT)
    assert 3 <= aspect <= 4.5, aspect
    box = height_units(pad_box(page, NUMBER_PAD))
    read = []
    for text in NUMBERS:
        click(page, "Clear")
        page.evaluate("window.__answers.all = []")
        draw_mouse(page, pendigit_number(number(pen_digits, text), aspect), box, NUMBER_PAD)
        answer = drawn_answer(page)
        read.append(answer["text"])
        assert len(answer["digits"]) == len(answer["text"])
        for digit, shown in zip(answer["digits"], answer["text"]):
            assert str(digit["digit"]) == shown and isinstance(digit["notSure"], bool)
            assert len(digit["probabilities"]) == 10 and digit["confidence"] == max(digit["probabilities"])
        assert answer["confidence"] == min(d["confidence"] for d in answer["digits"])
        assert "digit" not in answer and answer["model"] == "cnn" and answer["ms"] > 0
        live = page.evaluate("window.__answers.all.filter((p) => !p.final && p.text !== '').length")
        assert live >= 2, f"{text}: no answer while the pen was drawing"
    assert read == list(NUMBERS)
    shown = page.locator(NUMBER_PAD).locator(".number-digits li").all_inner_texts()
    assert [each.split()[0] for each in shown] == list(NUMBERS[-1])
    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=artifacts / "numbers-1280x800.png")

    # Undo takes the last digit's strokes off; Clear empties the pad and its answer.
    for _ in pen_digits[int(NUMBERS[-1][-1])].strokes:
        click(page, "Undo")
    assert drawn_answer(page)["text"] == NUMBERS[-1][:-1]
    click(page, "Clear")
    assert drawn_answer(page)["text"] == ""
    assert page.locator(NUMBER_PAD).locator(".number-text").text_content() == "–"
    context.close()
    assert page.problems == []
    assert context.foreign == [], f"requests left the site's origin: {context.foreign}"
    # The trajectory network voted: its weights were fetched, once, and loaded.
    assert sum(url.endswith("/models/trajectory.npz") for url in context.requests) == 1
    assert not [w for w in warnings if "trajectory" in w], warnings


def test_without_the_trajectory_network_numbers_are_still_read(browser, server, pen_digits):
    # Its weights cannot be fetched (the service worker is kept out, so that
    # the request is the page's and can fail): the image network reads alone.
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.route("**/models/trajectory.npz", lambda route: route.abort())
    page = new_page(context)
    warnings = []
    page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    open_number_pad(page, server.site_url + "embed/")
    aspect = page.eval_on_selector(NUMBER_PAD, ASPECT)
    draw_mouse(page, pendigit_number(number(pen_digits, NUMBERS[0]), aspect),
               height_units(pad_box(page, NUMBER_PAD)), NUMBER_PAD)
    assert drawn_answer(page)["text"] == NUMBERS[0]
    # Said once, not once per request (a request goes with every pen move), and not fetched again.
    assert sum("without the trajectory network" in w for w in warnings) == 1, warnings
    assert page.problems == []
    context.close()


def test_a_number_pad_has_no_teaching(page_on_embed):
    page = page_on_embed
    pad = page.locator(NUMBER_PAD)
    assert not pad.locator(".teach").is_visible() and not pad.locator(".bars").is_visible()
    assert pad.get_by_role("button", name="Undo").is_visible()
    draw_mouse(page, [[(0.5, 0.2), (0.5, 0.8)]], height_units(pad_box(page, NUMBER_PAD)), NUMBER_PAD)
    assert drawn_answer(page)["text"] == "1"
    refused = page.eval_on_selector(NUMBER_PAD,
                                    "e => { try { e.teach(1); } catch (error) { return error.message; } }")
    assert "a number pad does not teach" in refused
    assert page.problems == []


def test_a_scribble_is_not_a_number_and_the_pad_goes_on(page_on_embed):
    page = page_on_embed
    pad = page.locator(NUMBER_PAD)
    box = height_units(pad_box(page, NUMBER_PAD))
    dots = [[(0.2 + 0.1 * (i % 30), 0.3 + 0.2 * (i // 30))] * 2 for i in range(90)]
    draw_mouse(page, dots, box, NUMBER_PAD)
    answer = drawn_answer(page)
    assert answer["text"] == "" and "separate marks" in answer["problem"]
    assert "separate marks" in pad.locator(".number-problem").text_content()
    assert page.eval_on_selector(NUMBER_PAD, "e => e.state") == "ready"
    click(page, "Clear")
    draw_mouse(page, [[(0.5, 0.2), (0.5, 0.8)]], box, NUMBER_PAD)
    assert drawn_answer(page)["text"] == "1"
    assert pad.locator(".number-problem").text_content() == ""
    assert page.problems == []


def test_the_mode_switches_a_pad_between_a_digit_and_a_number(page_on_embed, pen_digits):
    page = page_on_embed
    page.locator(DIGIT_PAD).scroll_into_view_if_needed()
    watch_answers(page, DIGIT_PAD)
    draw_mouse(page, pendigit_strokes01(pen_digits[7].strokes), selector=DIGIT_PAD)
    assert drawn_answer(page)["text"] == "7"
    page.eval_on_selector(DIGIT_PAD, "e => { e.mode = 'number'; }")
    page.wait_for_function(f"() => !('digit' in document.querySelector('{DIGIT_PAD}').lastPrediction)")
    read = page.eval_on_selector(DIGIT_PAD, "e => e.lastPrediction")
    assert read["text"] == "7" and read["model"] == "mlp"
    assert page.locator(DIGIT_PAD).locator(".number-text").text_content() == "7"
    page.eval_on_selector(DIGIT_PAD, "e => { e.mode = 'digit'; }")
    page.wait_for_function(f"() => 'digit' in document.querySelector('{DIGIT_PAD}').lastPrediction")
    assert page.eval_on_selector(DIGIT_PAD, "e => e.lastPrediction.digit") == 7
    assert page.problems == []


def test_a_number_written_with_a_finger_on_a_phone(browser, server, artifacts, pen_digits):
    context = browser.new_context(**PHONE)
    page = new_page(context)
    open_number_pad(page, server.site_url + "embed/")
    aspect = page.eval_on_selector(NUMBER_PAD, ASPECT)
    assert 2 <= aspect <= 3, aspect
    draw_cdp(context.new_cdp_session(page), page, pendigit_number(number(pen_digits, PHONE_NUMBER), aspect),
             "touch", NUMBER_PAD, height_units(pad_box(page, NUMBER_PAD)))
    assert drawn_answer(page)["text"] == PHONE_NUMBER
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    # The pad and every digit's confidence in view together, without scrolling.
    for part in ("canvas[part=pad]", ".number-digits"):
        box = page.locator(NUMBER_PAD).locator(part).bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["viewport"]["height"], (part, box)
    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=artifacts / "numbers-390x844.png")
    context.close()
    assert page.problems == []
