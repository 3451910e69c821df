"""The How it works page's pad (show-stages show-layers) in Chromium: a
recorded pen digit replayed with the mouse is drawn stage by stage, layer by
layer, with the saliency; a bar chooses the digit explained; a bad target is
said in the page. Screenshots at desktop and phone width in test-artifacts/.

The layers' canvases are read back to see that something was drawn on them:
they are the page's own pictures of the worker's answer (the recognition
itself never reads a canvas)."""

import pytest

from harness.chromium import VIEWPORT, new_page, watch_requests
from harness.pad import draw_mouse, final_prediction, pendigit_strokes01, status, wait_ready
from train.pendigits import balanced_sample, load_pendigits

pytestmark = pytest.mark.browser

PAGE = "how-it-works/"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "has_touch": True,
         "is_mobile": True}
SETTLE_MS = 300  # the probability bars ease to a new answer (a CSS transition)

# What the panel shows, by layer name: its canvas's size and how much of it is
# coloured (alpha above a tile's own faint grey), and the heat maps' colour.
DRAWN = """e => {
  const layers = e.shadowRoot.querySelector('.layers');
  const inked = (canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 3; i < data.length; i += 4) count += data[i] > 40;
    return count;
  };
  const figures = [...layers.querySelectorAll('.layer')].map((f) => {
    const canvas = f.querySelector('canvas');
    return {name: f.dataset.layer, kind: f.dataset.kind, width: canvas.width, height: canvas.height,
            shown: canvas.getBoundingClientRect().width, inked: inked(canvas)};
  });
  const heat = Object.fromEntries([...layers.querySelectorAll('.heat figure')].map((f) => {
    const canvas = f.querySelector('canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, 28, 28).data;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) coloured += data[i + 3] > 40 && data[i] !== data[i + 2];
    return [f.dataset.map, {coloured, scale: f.dataset.scale, pixels: Array.from(data),
                            caption: f.querySelector('figcaption').textContent.replace(/\\s+/g, ' ')}];
  }));
  return {state: layers.dataset.state, hidden: layers.hidden, title: layers.querySelector('.layers-title').textContent,
          error: layers.querySelector('.layers-error').textContent, figures, heat,
          stages: [...e.shadowRoot.querySelectorAll('.stages figure:not([hidden])')].map((f) => f.dataset.stage)};
}"""


@pytest.fixture(scope="module")
def digit():
    """A recorded pen '4' (pendigits): its strokes on the pad."""
    four = next(d for d in balanced_sample(load_pendigits(), 10) if d.label == 4)
    return pendigit_strokes01(four.strokes)


def open_how_it_works(context, server):
    page = new_page(context)
    page.goto(server.site_url + PAGE)
    assert wait_ready(page) == "ready", status(page)
    page.locator("digit-pad").scroll_into_view_if_needed()
    return page


def explained(page, target=None, timeout=30_000):
    """The final answer once it explains target (None: any)."""
    want = "true" if target is None else f"p.explanation.target === {target}"
    page.wait_for_function("() => { const p = document.querySelector('digit-pad').lastPrediction;"
                           f" return p && p.final && p.explanation && {want}; }}", timeout=timeout)
    return final_prediction(page)


def test_a_replayed_digit_shows_every_stage_layer_and_the_saliency(browser, server, digit, artifacts):
    context = watch_requests(browser.new_context(viewport=VIEWPORT), server.origin)
    page = open_how_it_works(context, server)
    draw_mouse(page, digit)
    answer = explained(page)
    assert answer["digit"] == 4 and answer["explanation"]["target"] == 4
    layers = answer["explanation"]["layers"]
    assert [layer["name"] for layer in layers][:3] == ["conv1", "relu1", "pool1"] and layers[-1]["shape"] == [10]
    assert set(answer["timings"]) >= {"render", "preprocess", "forward", "backward", "worker"}

    shown = page.eval_on_selector("digit-pad", DRAWN)
    assert shown["state"] == "shown" and not shown["hidden"] and shown["error"] == ""
    assert shown["stages"] == ["ink", "cropped", "scaled", "centred"]
    assert [f["name"] for f in shown["figures"]] == [layer["name"] for layer in layers]
    for figure, layer in zip(shown["figures"], layers):
        assert figure["kind"] == layer["kind"]
        assert figure["width"] > 0 and figure["height"] > 0 and figure["shown"] > 0, figure
        if layer["kind"] == "map":  # a tile per channel, a pixel apart
            h, w, c = layer["shape"]
            assert figure["width"] * figure["height"] >= h * w * c
        assert figure["inked"] > 0, f"nothing drawn for {figure['name']}"
    for name in ("saliency", "gradient_x_input"):
        assert shown["heat"][name]["coloured"] > 20, name
        assert "a 4" in shown["heat"][name]["caption"]
    assert "a 4, its answer" in shown["title"]

    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=artifacts / "how-it-works-layers-1280.png", full_page=True, animations="disabled")
    context.close()
    assert page.problems == []
    assert context.foreign == [], f"requests left the site's origin: {context.foreign}"


def test_a_bar_chooses_the_digit_explained(browser, server, digit):
    context = browser.new_context(viewport=VIEWPORT)
    page = open_how_it_works(context, server)
    draw_mouse(page, digit)
    answer = explained(page)
    before = page.eval_on_selector("digit-pad", DRAWN)["heat"]["saliency"]
    other = sorted(range(10), key=lambda d: -answer["probabilities"][d])[1]

    page.locator("digit-pad").locator(f".bars li[data-digit='{other}']").click()
    assert explained(page, other)["digit"] == answer["digit"]
    shown = page.eval_on_selector("digit-pad", DRAWN)
    after = shown["heat"]["saliency"]
    a_digit = f"{'an' if other == 8 else 'a'} {other}"
    assert after["pixels"] != before["pixels"] and a_digit in after["caption"]
    assert f"{a_digit} (its answer: {answer['digit']})" in shown["title"]
    pressed = page.locator("digit-pad").locator(".bars li[aria-pressed=true]")
    assert pressed.count() == 1 and pressed.get_attribute("data-digit") == str(other)
    assert page.eval_on_selector("digit-pad", "e => e.target") == other

    # The same bar again, with the keyboard: back to the answer.
    page.locator("digit-pad").get_by_role("button", name=f"Explain {other}").focus()
    page.keyboard.press("Enter")
    assert explained(page, answer["digit"])["explanation"]["target"] == answer["digit"]
    assert page.eval_on_selector("digit-pad", "e => e.target") is None
    context.close()
    assert page.problems == []


@pytest.mark.parametrize("target", ["12", "'3'", "2.5"])
def test_a_bad_target_is_said_in_the_page_and_a_good_one_recovers(browser, server, digit, target):
    context = browser.new_context(viewport=VIEWPORT)
    page = open_how_it_works(context, server)
    draw_mouse(page, digit)
    explained(page)
    page.eval_on_selector("digit-pad", f"e => {{ e.target = {target}; }}")
    page.wait_for_function("() => document.querySelector('digit-pad').dataset.state === 'error'")
    said = "target must be a digit from 0 to 9 (or None for the network's answer)"
    assert said in status(page)
    shown = page.eval_on_selector("digit-pad", DRAWN)
    assert shown["state"] == "error" and said in shown["error"]
    assert page.locator("digit-pad").locator(".layers-error").is_visible()

    page.eval_on_selector("digit-pad", "e => { e.target = 7; }")
    assert explained(page, 7)["digit"] == 4
    assert page.eval_on_selector("digit-pad", "e => e.state") == "ready"
    assert page.eval_on_selector("digit-pad", DRAWN)["state"] == "shown"
    context.close()
    assert page.problems == []


def test_a_crafted_request_with_a_bad_target_gets_an_error_answer_and_the_worker_goes_on(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    page = open_how_it_works(context, server)
    worker = next(w for w in page.workers if w.url.endswith("/digit-pad/worker.js"))
    answers = worker.evaluate("""async () => {
      const answers = [];
      const post = self.postMessage;
      self.postMessage = (message, transfer) => { answers.push(message); post.call(self, message, transfer); };
      const ask = (id, target) => self.onmessage({data: {type: 'predict', id, model: 'cnn', explain: true, target,
        points: new Float64Array([0.3, 0.25, 0.7, 0.25, 0.45, 0.8]), lengths: new Uint32Array([3])}});
      await ask(9001, 10);
      await ask(9002, null);
      self.postMessage = post;
      return answers.map(({type, id, step, message, digit, explanation}) =>
        ({type, id, step, message, digit, target: explanation?.target}));
    }""")
    assert answers[0]["type"] == "error" and answers[0]["id"] == 9001 and answers[0]["step"] == "predict"
    assert "target must be a digit from 0 to 9 (or None for the network's answer), got 10" in answers[0]["message"]
    assert [answers[1][key] for key in ("type", "id", "digit", "target")] == ["prediction", 9002, 7, 7]
    context.close()


def test_phone_width(browser, server, digit, artifacts):
    context = browser.new_context(**PHONE)
    page = open_how_it_works(context, server)
    draw_mouse(page, digit)
    explained(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    for figure in page.eval_on_selector("digit-pad", DRAWN)["figures"]:
        assert 0 < figure["shown"] <= 390, figure
    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=artifacts / "how-it-works-layers-390x844.png", full_page=True, animations="disabled")
    context.close()
    assert page.problems == []


def test_a_pad_without_show_layers_has_no_layers(browser, server, digit):
    context = browser.new_context(viewport=VIEWPORT)
    page = new_page(context)
    page.goto(server.site_url)
    assert wait_ready(page) == "ready"
    page.evaluate("""() => {
      const post = Worker.prototype.postMessage;
      window.__sent = [];
      Worker.prototype.postMessage = function (message, ...rest) {
        if (message?.type === 'predict') window.__sent.push(Object.keys(message));
        return post.call(this, message, ...rest);
      };
    }""")
    draw_mouse(page, digit)
    answer = final_prediction(page)
    sent = page.evaluate("window.__sent")
    assert sent and all("explain" not in keys for keys in sent)
    assert "explanation" not in answer
    assert page.locator("digit-pad").locator(".layers").count() == 0
    assert page.locator("digit-pad").get_by_role("button", name="Explain 4").count() == 0
    context.close()
    assert page.problems == []
