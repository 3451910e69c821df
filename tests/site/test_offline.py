"""The site's service worker (widget/service-worker.js, written at the
site's root by mkdocs_pydigit/service_worker.py), in Debian's Chromium: a
visited page works offline; a new deploy is used from the visit after the
one that finds it, with nothing of the old build left; a worker that cannot
install, or a deploy without one, leaves pads that start as without it."""

import shutil

import numpy as np
import pytest

from harness.chromium import VIEWPORT, new_page
from harness.pad import clear, draw_mouse, final_prediction, replay_pendigits, status, wait_ready
from harness.server import SiteServer
from mkdocs_pydigit import service_worker
from pydigit.weights_file import load_model, save_model
from train.pendigits import balanced_sample, load_pendigits

pytestmark = pytest.mark.browser

ONE = [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]]
ALWAYS = 7  # what the second build's CNN answers, whatever is drawn
# The site's caches once the service worker is active: [{name, page}], page:
# whether it holds this page and every file the page loaded (offline.js
# hands them over once the pad is ready, and the worker fetches them again).
CACHES = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  if (registration?.active?.state !== "activated") return null;
  const wanted = [location.href.split("#")[0], ...performance.getEntriesByType("resource").map((e) => e.name)]
    .filter((url) => url.startsWith(registration.scope));
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    found.push({name, page: (await Promise.all(wanted.map((url) => cache.match(url)))).every(Boolean)});
  }
  return found;
}"""
# The sha256 of each file as the page gets it (through the service worker, if any).
SERVED_SHA256 = """async ([base, paths]) => {
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  const out = {};
  for (const path of paths) {
    out[path] = hex(await crypto.subtle.digest("SHA-256", await (await fetch(base + path)).arrayBuffer()));
  }
  return out;
}"""
REGISTRATIONS = "async () => (await navigator.serviceWorker.getRegistrations()).length"
OUR_CACHES = "async () => (await caches.keys()).filter((name) => name.startsWith('pydigit-'))"


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=VIEWPORT, service_workers="allow")
    yield context
    context.close()


def visit(page, url):
    page.goto(url)
    assert wait_ready(page) == "ready", status(page)


def poll(page, js, until, timeout_s=60):
    """Evaluate js (awaited) every 250 ms until until(value) -> that value."""
    for _ in range(timeout_s * 4):
        value = page.evaluate(js)
        if until(value):
            return value
        page.wait_for_timeout(250)
    raise AssertionError(f"waited {timeout_s} s; last value {value!r}")


def kept_cache(page, build_hash=""):
    """Wait until one cache (of the build with that hash, if given) holds the
    page and its files -> that cache's name. The worker keeps them, and takes
    over from an older build's, after the page is ready: a while later."""
    def kept(cache):
        return cache["page"] and (not build_hash or cache["name"].endswith("#" + build_hash))
    caches = poll(page, CACHES, lambda found: any(kept(c) for c in found or []))
    return next(c["name"] for c in caches if kept(c))


def answer(page, strokes):
    clear(page)
    draw_mouse(page, strokes)
    return final_prediction(page)["digit"]


def copy_site(site_dir, target):
    return shutil.copytree(site_dir, target)


def cnn_always_seven(site):
    """The site's CNN with its last layer biased to ALWAYS, and the service
    worker written again for it: a deploy with a changed model."""
    path = site / "assets" / "models" / "cnn.npz"
    model = load_model(path)
    model.layers[-1].params["b"] = model.layers[-1].params["b"] + 100 * np.eye(10, dtype=np.float32)[ALWAYS]
    save_model(model, path)
    service_worker.write(site, "assets")


def test_after_one_visit_the_site_works_offline(context, site_dir):
    digits = balanced_sample(load_pendigits(), 10)
    page = new_page(context)
    with SiteServer(site_dir) as server:
        visit(page, server.site_url)
        online = replay_pendigits(page, digits)
        kept_cache(page)
    context.set_offline(True)  # and the server is gone
    page.reload()
    assert wait_ready(page) == "ready", status(page)
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    assert online >= 8 and replay_pendigits(page, digits) == online
    assert page.problems == []


def test_a_new_deploy_is_used_from_the_next_visit_and_the_old_one_is_gone(context, site_dir, tmp_path):
    first = copy_site(site_dir, tmp_path / "first")
    second = copy_site(site_dir, tmp_path / "second")
    cnn_always_seven(second)
    new_build = service_worker.build(second, "assets")
    assert new_build["hash"] != service_worker.build(first, "assets")["hash"]
    with SiteServer(first) as server:
        page = new_page(context)
        visit(page, server.site_url)
        assert answer(page, ONE) == 1
        old_cache = kept_cache(page)

        server.serve_site(second)
        # The visit that finds the deploy runs the build it started with, whole;
        # once its pad is ready the new build's worker takes over.
        visit(page, server.site_url)
        assert answer(page, ONE) == 1
        new_cache = kept_cache(page, new_build["hash"])
        assert new_cache != old_cache
        assert page.evaluate(OUR_CACHES) == [new_cache]

        visit(page, server.site_url)
        assert answer(page, ONE) == ALWAYS
        assert page.evaluate(SERVED_SHA256, [server.site_url, list(new_build["files"])]) == new_build["files"]
        assert page.problems == []


def break_script(site):
    (site / service_worker.SCRIPT).write_text("throw new Error('a service worker that cannot start');\n")


@pytest.mark.parametrize("how", ["a precached file is missing", "its script throws"])
def test_a_worker_that_fails_to_install_leaves_a_normal_start(context, site_dir, tmp_path, how):
    site = copy_site(site_dir, tmp_path / "site")
    if how == "its script throws":
        break_script(site)
    else:  # the MLP's weights, which the pad does not load, precached too
        service_worker.write(site, "assets")
    with SiteServer(site) as server:
        if how == "a precached file is missing":
            server.break_file("assets/models/mlp.npz")
        page = new_page(context)
        for _ in range(2):
            visit(page, server.site_url)
            assert answer(page, ONE) == 1
            page.wait_for_timeout(2_000)  # the worker's install, failing
        assert page.evaluate("() => navigator.serviceWorker.controller") is None
        assert page.evaluate(CACHES) is None
        assert page.problems == []


def test_a_deploy_without_the_worker_removes_it(context, site_dir, tmp_path):
    """A build with ``offline: false`` has no script: the worker of an earlier
    build must not go on serving that build."""
    first = copy_site(site_dir, tmp_path / "first")
    second = copy_site(site_dir, tmp_path / "second")
    (second / service_worker.SCRIPT).unlink()
    config = second / "assets" / "digit-pad" / "config.js"
    config.write_text(config.read_text().replace('"enabled": true', '"enabled": false'))
    with SiteServer(first) as server:
        page = new_page(context)
        visit(page, server.site_url)
        kept_cache(page)
        server.serve_site(second)
        visit(page, server.site_url)  # still the first build's files, from its cache
        poll(page, REGISTRATIONS, lambda count: count == 0)
        poll(page, OUR_CACHES, lambda names: names == [])
        visit(page, server.site_url)
        assert page.evaluate("() => navigator.serviceWorker.controller") is None
        assert answer(page, ONE) == 1
        # Only the console's word on the missing script: the update asked for it, then the page.
        assert page.problems and all("404" in problem for problem in page.problems), page.problems
