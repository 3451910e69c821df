"""One Python per page, in Debian's Chromium: every <digit-pad> of a page
shares one worker, whether the pads are on the page together, added later,
moved, removed, or on the next page of mkdocs-material's instant navigation;
each pad keeps its own drawing, model and answers, a failed request fails
only its pad, and a failed worker every pad, until one Retry.

The pads' events are heard on document (they bubble out of the element):
an init script keeps them in window.__events.
"""

import pytest

from harness.chromium import VIEWPORT, new_page
from harness.pad import WORKER_SCRIPT, draw_mouse, final_prediction, pad_worker, status, wait_ready

pytestmark = pytest.mark.browser

ONE = [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]]
SEVEN = [[(0.3, 0.25), (0.7, 0.25), (0.45, 0.8)]]
BAR = [[(0.3, 0.2), (0.7, 0.2)]]
RELEASE_MS = 500  # well past the deferred check that ends the worker of a page without pads

# A page of the site's own files, as the Embed page says any static site
# uses them: the script and two pads, side by side.
TWO_PADS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Two pads</title>
<script type="module" src="assets/digit-pad/digit-pad.js"></script>
<style>body { display: flex; gap: 2rem; margin: 1rem; } digit-pad { flex: 1; }</style>
</head><body>
<digit-pad id="a" model="cnn"></digit-pad>
<digit-pad id="b" model="mlp"></digit-pad>
</body></html>"""

RECORD_EVENTS = """(() => {
  window.__events = [];
  for (const type of ["ready", "error", "prediction"]) {
    document.addEventListener(type, (event) => {
      if (event.target.localName === "digit-pad") {
        window.__events.push({type, pad: event.target.id, detail: event.detail});
      }
    });
  }
})();"""

BOTH_READY = "() => ['a', 'b'].every((id) => document.getElementById(id).state === 'ready')"


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RECORD_EVENTS)
    page = new_page(context)
    page.new_workers = []
    page.on("worker", lambda worker: worker.url.endswith(WORKER_SCRIPT) and page.new_workers.append(worker))
    yield page
    context.close()
    server.repair()


def pad_workers(page):
    return [worker for worker in page.workers if worker.url.endswith(WORKER_SCRIPT)]


def events(page, type, pad=None):
    return [e for e in page.evaluate("window.__events") if e["type"] == type and pad in (None, e["pad"])]


def open_two_pads(page, server):
    url = server.site_url + "two-pads.html"
    page.route(url, lambda route: route.fulfill(content_type="text/html", body=TWO_PADS))
    page.goto(url)
    for pad in ("#a", "#b"):
        assert wait_ready(page, pad) == "ready", status(page, pad)


def wait_final_answer(page, pad, timeout=30_000):
    """The next final answer with a digit that pad (its id) gives, counting
    from the last time window.__events was emptied."""
    page.wait_for_function(f"""() => window.__events.some((e) => e.type === 'prediction' && e.pad === '{pad}'
                               && e.detail.final && e.detail.digit !== null)""", timeout=timeout)
    return [e["detail"] for e in events(page, "prediction", pad) if e["detail"]["final"]][-1]


def test_two_pads_share_one_worker_each_with_its_own_drawing_and_model(page, server):
    open_two_pads(page, server)
    assert len(pad_workers(page)) == 1
    draw_mouse(page, ONE, selector="#a")
    one = final_prediction(page, "#a")
    draw_mouse(page, SEVEN, selector="#b")
    seven = final_prediction(page, "#b")
    assert (one["digit"], one["model"]) == (1, "cnn")
    assert (seven["digit"], seven["model"]) == (7, "mlp")
    assert page.eval_on_selector("#a", "e => e.lastPrediction") == one
    ready = events(page, "ready")
    assert sorted(e["pad"] for e in ready) == ["a", "b"]
    assert ready[0]["detail"]["timings"] == ready[1]["detail"]["timings"]  # one load
    assert len(pad_workers(page)) == 1 and len(page.new_workers) == 1
    assert page.problems == []


def test_removing_one_pad_keeps_the_worker_removing_both_ends_it(page, server):
    open_two_pads(page, server)
    worker = pad_worker(page)
    page.eval_on_selector("#a", "e => e.remove()")
    page.wait_for_timeout(RELEASE_MS)
    assert pad_workers(page) == [worker]
    draw_mouse(page, ONE, selector="#b")
    assert final_prediction(page, "#b")["digit"] == 1
    with worker.expect_event("close", timeout=10_000):
        page.eval_on_selector("#b", "e => e.remove()")
    assert pad_workers(page) == []
    assert page.problems == []


def test_a_pad_added_once_ready_is_ready_at_once(page, server):
    page.goto(server.site_url)
    assert wait_ready(page) == "ready", status(page)
    page.evaluate("""() => {
        const pad = document.createElement('digit-pad');
        pad.id = 'late';
        pad.setAttribute('model', 'mlp');
        document.querySelector('article').prepend(pad);
    }""")
    page.wait_for_function("() => window.__events.some((e) => e.type === 'ready' && e.pad === 'late')",
                           timeout=2_000)  # no load
    first, late = events(page, "ready")
    assert late["detail"]["timings"] == first["detail"]["timings"]
    draw_mouse(page, SEVEN, selector="#late")
    answer = final_prediction(page, "#late")
    assert (answer["digit"], answer["model"]) == (7, "mlp")
    assert len(page.new_workers) == 1
    assert page.problems == []


def test_a_moved_pad_keeps_the_worker_and_its_drawing(page, server):
    page.goto(server.site_url)
    assert wait_ready(page) == "ready", status(page)
    worker = pad_worker(page)
    draw_mouse(page, ONE)
    assert final_prediction(page)["digit"] == 1
    page.eval_on_selector("digit-pad", """e => {
        window.__states = [];
        new MutationObserver(() => window.__states.push(e.dataset.state))
          .observe(e, {attributes: true, attributeFilter: ['data-state']});
        const article = document.querySelector('article');
        e.remove();
        article.prepend(e);  // out of the page and back, in one task
    }""")
    page.wait_for_timeout(RELEASE_MS)
    assert pad_workers(page) == [worker] and page.new_workers == [worker]
    assert "loading" not in page.evaluate("window.__states")
    assert page.eval_on_selector("digit-pad", "e => [e.state, e.lastPrediction.digit]") == ["ready", 1]
    draw_mouse(page, BAR)  # over the 1: a 7
    assert final_prediction(page)["digit"] == 7
    assert page.problems == []


def test_a_failed_request_fails_only_the_pad_that_asked(page, server):
    """The MLP's weights, fetched on first use, are broken: the MLP pad
    shows the error, the CNN pad goes on; Retry on the MLP pad asks again
    (the worker fetches the weights again), with the same worker."""
    route = "**/assets/models/mlp.npz"
    page.route(route, lambda r: r.fulfill(response=r.fetch(), body=b"<html>not found</html>"))
    open_two_pads(page, server)
    draw_mouse(page, SEVEN, selector="#b")
    page.wait_for_function("() => document.getElementById('b').state === 'error'")
    [error] = events(page, "error")
    assert error["pad"] == "b"
    assert error["detail"]["message"].startswith("Loading the MLP weights failed:")
    assert error["detail"]["message"] in status(page, "#b")
    draw_mouse(page, ONE, selector="#a")
    assert final_prediction(page, "#a")["digit"] == 1
    assert page.eval_on_selector("#a", "e => e.state") == "ready"
    page.unroute(route)
    page.locator("#b").get_by_role("button", name="Retry").click()
    answer = final_prediction(page, "#b")
    assert (answer["digit"], answer["model"]) == (7, "mlp")
    assert len(page.new_workers) == 1 and len(events(page, "error")) == 1
    assert page.problems == []


def test_a_failed_worker_fails_every_pad_and_one_retry_restarts_it(page, server):
    """The worker stops answering while the first pad waits for it: both
    pads show the error; Retry on the second starts one worker again, and
    both pads ask about their drawings again."""
    open_two_pads(page, server)
    draw_mouse(page, ONE, selector="#a")
    draw_mouse(page, SEVEN, selector="#b")
    assert final_prediction(page, "#a")["digit"] == 1 and final_prediction(page, "#b")["digit"] == 7
    pad_worker(page).evaluate("() => { self.onmessage = () => close(); }")
    draw_mouse(page, BAR, selector="#a")  # over the 1: the worker is asked about a 7
    page.wait_for_function("() => ['a', 'b'].every((id) => document.getElementById(id).state === 'error')",
                           timeout=30_000)
    for pad in ("a", "b"):
        [error] = events(page, "error", pad)
        assert "stopped responding" in error["detail"]["message"]
        assert page.locator(f"#{pad}").get_by_role("button", name="Retry").is_visible()
    page.evaluate("window.__events = []")
    page.locator("#b").get_by_role("button", name="Retry").click()
    page.wait_for_function(BOTH_READY, timeout=120_000)
    assert wait_final_answer(page, "a")["digit"] == 7  # the drawing that was waiting
    assert wait_final_answer(page, "b")["digit"] == 7
    assert len(pad_workers(page)) == 1 and len(page.new_workers) == 2
    assert page.problems == []


def test_instant_navigation_keeps_the_one_worker(page, server):
    """Material's instant navigation swaps the page's body for the next
    page's: the module is loaded already, the new pads connect to the worker
    that is running. (It takes over only links to the pages sitemap.xml
    lists: the server answers it for its own address, see harness.server.)"""
    page.goto(server.site_url)
    assert wait_ready(page) == "ready", status(page)
    worker = pad_worker(page)
    page.evaluate("window.__sameDocument = true")

    page.locator("article").get_by_role("link", name="How it works").click()
    page.wait_for_url("**/how-it-works/")
    page.wait_for_selector("digit-pad[show-stages][data-state=ready]", state="attached", timeout=5_000)
    assert page.evaluate("window.__sameDocument") is True, "the navigation loaded a new document"
    draw_mouse(page, ONE)
    assert final_prediction(page)["digit"] == 1
    assert page.locator("digit-pad").locator(".stages").is_visible()

    page.locator("a.md-nav__link:visible", has_text="Home").first.click()
    page.wait_for_url("**/pydigit/")
    page.wait_for_selector("digit-pad:not([show-stages])[data-state=ready]", state="attached", timeout=5_000)
    assert page.evaluate("window.__sameDocument") is True
    draw_mouse(page, SEVEN)
    assert final_prediction(page)["digit"] == 7
    assert pad_workers(page) == [worker] and page.new_workers == [worker]
    assert page.problems == []
