"""Loading the site: cold (a fresh browser profile: empty cache), repeat
visits (the same profile, reloaded once the first visit's service worker
and memory snapshot are in place, as a visitor who comes back finds them)
and offline (one more reload with the network off), next to the floor page
(Pyodide + NumPy only, pages/floor.html), loaded the same way.

Every time is performance.now() in the page, ms since navigation start:
  ready     the widget's "ready" event; its detail.timings splits the worker's
            part into runtime / numpy / pydigit / model (ms each);
  before_worker = ready - sum(timings): the page, its scripts and the
            worker's own script before init starts;
  drawable  customElements.whenDefined('digit-pad') resolved and the canvas
            laid out (non-zero box and backing size) — see pages/probe.js.
Bytes come from Resource Timing (page, its workers and the navigation):
transferSize is what crossed the network (0 from cache, headers only for a
304); every request's URL is also recorded through Playwright, and any that
left the origin fails the run.
"""

from harness.chromium import new_page
from harness.pad import READY_TIMEOUT_MS, draw_mouse, pad_worker

from .browser import settle, wait_ready
from .replay import wait_answer

RESOURCE_ENTRIES = """(types) => types.flatMap((type) => performance.getEntriesByType(type))
  .map((e) => ({url: e.name, transfer: e.transferSize, encoded: e.encodedBodySize,
                serviceWorker: e.workerStart > 0}))"""
# Once the first visit is over: the service worker is activated, holding the
# build (it claims no page: the first visit's stays uncontrolled, the next is
# controlled), and the snapshot is kept (snapshot.js's cache).
SETTLED = """async () => (await navigator.serviceWorker.getRegistration())?.active?.state === "activated"
  && (await caches.keys()).includes("digit-pad-snapshots")
  && (await (await caches.open("digit-pad-snapshots")).keys()).length > 0"""
SETTLE_TIMEOUT_S = 120
LOAD_TIMES = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          firstContentfulPaint: paint ? paint.startTime : null};
}"""


def resources(page):
    """Resource Timing of the page and of each of its workers:
    [{url, transfer, encoded (bytes), serviceWorker}]."""
    entries = page.evaluate(RESOURCE_ENTRIES, ["navigation", "resource"])
    for worker in page.workers:
        entries += worker.evaluate(RESOURCE_ENTRIES, ["resource"])
    return entries


def site_load(page):
    """After wait_ready: the load's times (ms since navigation start)."""
    bench = page.evaluate("window.__bench")
    timings = bench["ready"]["timings"]
    return {"ready": bench["ready"]["t"], "timings": timings,
            "before_worker": bench["ready"]["t"] - sum(timings.values()),
            "drawable": bench["drawable"], **page.evaluate(LOAD_TIMES)}


def wait_floor(page, timeout=READY_TIMEOUT_MS):
    settle(page, "window.__floor.settled", timeout)
    floor = page.evaluate("window.__floor")
    if floor["error"]:
        raise RuntimeError(f"the floor page failed: {floor['error']}")
    return {"ready": floor["ready"]["t"], "timings": floor["ready"]["timings"]}


def first_answers(page, drawing):
    """Right after ready, a digit drawn with the mouse: the very first
    prediction (made at pointerdown, on the first point) and the final
    answer; then the first MLP answer (switching models makes the worker
    fetch and load the MLP's weights)."""
    draw_mouse(page, drawing.strokes01)
    final = wait_answer(page)
    first = page.evaluate("window.__bench.predictions[0]")
    page.evaluate("window.__bench.answer = null")
    page.eval_on_selector("digit-pad", "e => { e.model = 'mlp'; }")
    mlp = wait_answer(page)
    page.eval_on_selector("digit-pad", "e => { e.model = 'cnn'; }")
    keep = lambda answer: {k: answer[k] for k in ("ms", "timings", "digit")}
    return {"cnn": keep(first), "cnn_final": keep(final), "mlp": keep(mlp), "label": drawing.label}


def settle_first_visit(page):
    """Wait until what a first visit leaves behind is in place (SETTLED)."""
    for _ in range(SETTLE_TIMEOUT_S * 4):
        if page.evaluate(SETTLED):
            return
        page.wait_for_timeout(250)
    raise RuntimeError(f"no service worker or snapshot {SETTLE_TIMEOUT_S} s after the first visit")


def site_visit(chromium, server, drawing=None, reloads=2, offline=False):
    """A cold load in a fresh profile, then, once its service worker and
    snapshot are in place, ``reloads`` reloads (the 2nd, 3rd... visit: V8
    stores compiled WebAssembly and JS beside the cached files after a
    visit, so the 3rd can be faster than the 2nd), and with offline one more
    with the network off -> {cold, cold_resources, requests (the service
    worker's install among them), warm: [...], warm_resources: [[...]],
    offline?, first?, foreign, problems}. With a drawing, also the first
    answers (before the reloads)."""
    with chromium.profile(server.origin) as context:
        page = new_page(context)
        page.goto(server.site_url)
        wait_ready(page)
        pad_worker(page)  # the resources of every worker must be readable now
        visit = {"cold": site_load(page), "cold_resources": resources(page), "warm": [], "warm_resources": []}
        if drawing is not None:
            visit["first"] = first_answers(page, drawing)
        settle_first_visit(page)
        visit["requests"] = list(context.requests)
        for _ in range(reloads):
            page.reload()
            wait_ready(page)
            visit["warm"].append(site_load(page))
            visit["warm_resources"].append(resources(page))
        if offline:
            context.set_offline(True)
            page.reload()
            wait_ready(page)
            visit["offline"] = site_load(page)
            context.set_offline(False)
        visit["foreign"] = list(context.foreign)
        visit["problems"] = list(page.problems)
        return visit


def floor_visit(chromium, server, reloads=2):
    """The floor page in a fresh profile, cold then reloaded:
    {cold, warm: [...], foreign, problems}."""
    with chromium.profile(server.origin) as context:
        page = new_page(context)
        page.goto(server.url("bench/floor.html"))
        visit = {"cold": wait_floor(page), "warm": []}
        for _ in range(reloads):
            page.reload()
            visit["warm"].append(wait_floor(page))
        visit["foreign"] = list(context.foreign)
        visit["problems"] = list(page.problems)
        return visit


def transfer(entries):
    """Resource Timing entries -> {requests, bytes, from_cache, revalidated,
    from_network, from_service_worker}: bytes is the sum of transferSize
    (headers + body that crossed the network); from_service_worker, of all
    the requests, those the service worker answered."""
    cached = [e for e in entries if e["transfer"] == 0]
    revalidated = [e for e in entries if 0 < e["transfer"] < e["encoded"]]
    return {"requests": len(entries), "bytes": sum(e["transfer"] for e in entries),
            "from_cache": len(cached), "revalidated": len(revalidated),
            "from_network": len(entries) - len(cached) - len(revalidated),
            "from_service_worker": sum(bool(e.get("serviceWorker")) for e in entries)}


def median_of(records):
    """[{name: number | {name: number}}] -> the same shape, each the median
    over records (None where a value is missing)."""
    from .stats import median

    first = records[0]
    out = {}
    for key, value in first.items():
        if isinstance(value, dict):
            out[key] = median_of([r[key] for r in records])
        else:
            values = [r[key] for r in records if r.get(key) is not None]
            out[key] = median(values) if values else None
    return out


def summarize_loads(site_visits, floor_visits, revalidate_visit):
    """The runs of site_visit / floor_visit -> the load figures (medians)."""
    site = median_of([v["cold"] for v in site_visits])
    floor = median_of([v["cold"] for v in floor_visits])
    return {
        "runs": len(site_visits),
        "cold": {"site": site, "floor": floor,
                 "site_runs": [v["cold"] for v in site_visits],
                 "floor_runs": [v["cold"] for v in floor_visits]},
        "above_floor": site["ready"] - floor["ready"],
        "offline": median_of([v["offline"] for v in site_visits if "offline" in v]),
        "warm": {"static_host": median_of([v["warm"][0] for v in site_visits]),
                 "static_host_third": median_of([v["warm"][-1] for v in site_visits]),
                 "revalidate": revalidate_visit["warm"][0],
                 "floor": median_of([v["warm"][0] for v in floor_visits]),
                 "floor_third": median_of([v["warm"][-1] for v in floor_visits])},
        "first_answers": site_visits[0]["first"],
    }
