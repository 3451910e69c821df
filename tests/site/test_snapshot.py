"""The memory snapshot a repeat visit starts Python from (widget/snapshot.js),
in Debian's Chromium: the first visit's worker has it made once ready, the
next visit boots from it and answers as the first did; a snapshot that is
missing or corrupt, or whose last restore never reached "ready" (a crash or a
hang throws nothing), ends in the normal boot and a pad that answers."""

import pytest

from harness.chromium import VIEWPORT, new_page
from harness.pad import draw_mouse, final_prediction, replay_pendigits, status, wait_ready
from train.pendigits import balanced_sample, load_pendigits

pytestmark = pytest.mark.browser

SNAPSHOTS = "digit-pad-snapshots"  # snapshot.js's cache
# Every pad's "ready" timings, kept by the page: timings.snapshot says the
# worker started from a snapshot.
KEEP_READY = """document.addEventListener("ready", (event) => {
  if (event.target.localName === "digit-pad") window.__readyTimings = event.detail.timings;
}, true);"""
KEPT = f"""async () => (await (await caches.open("{SNAPSHOTS}")).keys()).map((request) => request.url)
  .filter((url) => !url.endsWith("/restoring"))"""
# What a restore that crashed or hung the worker leaves: the marker kept while one is under way.
INTERRUPT = f"""async (key) => {{
  const marker = key.replace(/snapshot\\/[^/]*$/, "snapshot/restoring");
  await (await caches.open("{SNAPSHOTS}")).put(marker, new Response(""));
}}"""
SPOIL = f"""async (url) => {{
  const cache = await caches.open("{SNAPSHOTS}");
  const bytes = new Uint8Array(await (await cache.match(url)).arrayBuffer());
  for (let i = 64; i < bytes.length; i += 4096) bytes[i] ^= 0xff;  // the header intact, the heap not
  await cache.put(url, new Response(bytes));
}}"""
DROP = f"""async () => {{ await caches.delete("{SNAPSHOTS}"); }}"""
SEVEN = [[(0.2, 0.15), (0.8, 0.15), (0.4, 0.85)]]


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(KEEP_READY)
    yield context
    context.close()


def visit(page, url):
    """Load url -> the pad's ready timings."""
    page.goto(url)
    assert wait_ready(page) == "ready", status(page)
    return page.evaluate("window.__readyTimings")


def kept_snapshot(page, timeout_s=120):
    """Wait for the snapshot the first visit has made -> its key."""
    for _ in range(timeout_s * 4):
        kept = page.evaluate(KEPT)
        if kept:
            return kept[0]
        page.wait_for_timeout(250)
    raise AssertionError(f"no snapshot kept after {timeout_s} s")


def answers(page, digits):
    draw_mouse(page, SEVEN)
    return final_prediction(page)["probabilities"], replay_pendigits(page, digits)


def test_the_next_visit_starts_from_the_snapshot_and_answers_the_same(context, server):
    digits = balanced_sample(load_pendigits(), 10)
    page = new_page(context)
    assert "snapshot" not in visit(page, server.site_url)
    first = answers(page, digits)
    kept_snapshot(page)
    assert "snapshot" in visit(page, server.site_url)
    assert answers(page, digits) == first
    assert page.problems == []


@pytest.mark.parametrize("how", ["corrupt", "missing", "interrupted"])
def test_without_a_good_snapshot_the_pad_boots_as_on_a_first_visit(context, server, how):
    page = new_page(context)
    visit(page, server.site_url)
    key = kept_snapshot(page)
    page.evaluate({"corrupt": SPOIL, "missing": DROP, "interrupted": INTERRUPT}[how], key)
    assert "snapshot" not in visit(page, server.site_url)
    draw_mouse(page, SEVEN)
    assert final_prediction(page)["digit"] == 7
    # A new snapshot is made for the next visit, which starts from it.
    kept_snapshot(page)
    assert "snapshot" in visit(page, server.site_url)
    assert page.problems == []
