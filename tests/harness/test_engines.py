"""harness.engines and its drivers, in each engine against a tiny static page
(no site build): navigation, JS, page errors (also from document start when
the server injects the probe), the server's request log, the viewport, and
real pointer input that a canvas in a shadow root sees where it was sent."""

import time

import pytest

from harness import engines

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180),
              # Selenium's own WebKitGTK driver calls a deprecated API of itself.
              pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning")]

PAGE = """<!doctype html><meta charset="utf-8"><title>engines</title>
<style>body { margin: 0; height: 2400px; } digit-pad { position: absolute; left: 37px; top: 1300px; }</style>
<digit-pad></digit-pad>
<script>
  window.events = [];
  customElements.define('digit-pad', class extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({mode: 'open'}).innerHTML = `<style>canvas { display: block; width: 300px; height: 300px;
        border: 2px solid; box-sizing: border-box; touch-action: none; }</style><canvas part="pad"></canvas>`;
      const canvas = this.shadowRoot.querySelector('canvas');
      for (const type of ['pointerdown', 'pointermove', 'pointerup', 'pointercancel'])
        canvas.addEventListener(type, (e) => events.push({type, pointerType: e.pointerType, x: e.clientX, y: e.clientY}));
      canvas.addEventListener('pointerdown', (e) => { e.preventDefault(); canvas.setPointerCapture(e.pointerId); });
    }
  });
</script>"""
EARLY = """<!doctype html><meta charset="utf-8"><title>early</title>
<script>console.error('said while loading'); throw new Error('thrown while loading');</script>"""
WORKER = """import {word} from './dep.js';
const text = await (await fetch('data.txt')).text();
postMessage(word + ' ' + text);
setTimeout(() => { throw new Error('thrown in the worker'); });"""
STROKE = [(0.1, 0.2), (0.5, 0.5), (0.9, 0.8)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    site = tmp_path_factory.mktemp("static")
    (site / "index.html").write_text(PAGE)
    (site / "early.html").write_text(EARLY)
    (site / "w.js").write_text(WORKER)
    (site / "dep.js").write_text("export const word = 'hello';")
    (site / "data.txt").write_text("world")
    with engines.RecordingServer(site, inject_probe=True) as server:
        yield server


@pytest.fixture(scope="module", params=["chromium", "firefox", "webkit"])
def page(request):
    if not engines.installed(request.param):
        pytest.skip(f"{request.param} (or its driver) is not installed")
    with engines.launch(request.param) as page:
        yield page


@pytest.fixture
def loaded(page, server):
    page.goto(server.site_url)
    page.clear_problems()
    return page


def test_navigates_and_runs_js(loaded, server):
    page = loaded
    assert page.evaluate("document.title") == "engines"
    assert page.evaluate("(a, b) => a + b", 2, 3) == 5
    assert page.evaluate("return arguments[0] * 2;", 21) == 42
    assert page.evaluate("async () => { await new Promise(r => setTimeout(r, 20)); return [1, 'x', null]; }") == [1, "x", None]
    page.evaluate("setTimeout(() => { window.later = 7; }, 50)")
    assert page.wait_for("window.later", timeout=5) == 7
    with pytest.raises(TimeoutError):
        page.wait_for("window.never", timeout=0.2)
    assert page.viewport() == {"width": 1280, "height": 800, "dpr": 1, "scroll_x": 0, "scroll_y": 0}
    assert page.evaluate("location.href") == server.site_url


def test_sees_page_errors(loaded):
    page = loaded
    page.evaluate("() => { console.error('said', 1); setTimeout(() => { throw new Error('thrown later'); });"
                  " Promise.reject(new Error('rejected')); }")
    page.wait_for("new Promise(r => setTimeout(() => r(true), 100))")
    problems = " | ".join(page.problems)
    assert "said 1" in problems and "thrown later" in problems and "rejected" in problems, problems
    page.clear_problems()
    assert page.problems == []


def test_sees_errors_from_document_start_when_the_server_injects_the_probe(page, server):
    page.goto(server.url("pydigit/early.html"))
    problems = " | ".join(page.problems)
    assert "said while loading" in problems and "thrown while loading" in problems, problems
    page.clear_problems()


def test_the_server_logs_every_request(loaded, server):
    since = time.monotonic()
    loaded.evaluate("fetch('early.html').then(r => r.text())")
    loaded.wait_for("performance.getEntriesByType('resource').some(e => e.name.endsWith('/early.html'))")
    assert "/pydigit/early.html" in server.paths(since)
    assert any(url.endswith("/pydigit/early.html") for url in loaded.resources())
    if loaded.requests is not None:         # chromium, firefox (BiDi)
        assert any(url.endswith("/pydigit/early.html") for url in loaded.requests)


def test_a_workers_requests_and_uncaught_errors_are_seen(loaded, server):
    since = time.monotonic()
    loaded.evaluate("() => { window.w = new Worker('w.js', {type: 'module'});"
                    " w.onmessage = (e) => { window.said = e.data; }; }")
    assert loaded.wait_for("window.said", timeout=10) == "hello world"
    # The server tells in every engine; the engine itself in Chromium and Firefox.
    assert [r.path for r in server.worker_requests("/w.js", since=since)] == [
        "/pydigit/w.js", "/pydigit/dep.js", "/pydigit/data.txt"]
    if loaded.requests is not None:
        assert any(url.endswith("/pydigit/data.txt") for url in loaded.requests)
    # An uncaught error in a worker reaches the page's onerror too (the probe, in WebKit).
    loaded.wait_for("new Promise(r => setTimeout(() => r(true), 200))")
    assert any("thrown in the worker" in p for p in loaded.problems), loaded.problems


@pytest.mark.parametrize("pointer", ["mouse", "touch", "pen"])
def test_a_drag_reaches_the_canvas_where_it_was_sent(loaded, pointer):
    page = loaded
    if pointer not in page.pointer_types:
        pytest.skip(f"{page.engine} has no {pointer} input here")
    engines.draw(page, [STROKE], pointer=pointer)      # the pad is below the fold: scrolled into view
    page.wait_for("events.some(e => e.type === 'pointerup')", timeout=5)
    box = engines.pad_box(page)
    assert page.viewport()["scroll_y"] > 0 and 0 <= box["y"] and box["y"] + box["height"] <= 800
    events = page.evaluate("events")
    down = next(i for i, e in enumerate(events) if e["type"] == "pointerdown")
    gesture = [(e["type"], e["pointerType"]) for e in events[down:]]
    assert gesture == [("pointerdown", pointer), ("pointermove", pointer), ("pointermove", pointer),
                       ("pointerup", pointer)], events
    expected = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in STROKE]
    for event, (x, y) in zip(events[down:], expected + expected[-1:]):    # down, move, move, up
        assert abs(event["x"] - x) <= 2 and abs(event["y"] - y) <= 2, (event, (x, y))


def test_a_phone_viewport(loaded):
    page = loaded
    page.set_viewport(390, 844)
    try:
        assert page.viewport()["width"] == 390 and page.viewport()["height"] == 844
        box = engines.pad_box(page)
        assert box["x"] == 37 and box["width"] == 300
    finally:
        page.set_viewport(1280, 800)
