"""Many predictions in one page: memory must not grow.

One drawing is put on the pad (dispatched pointer events: two predictions,
so that the counts below start near zero), then predicted again and again
(replay.predict_again: the same path as a drawing's predictions). At each checkpoint
(total predictions made) the page and worker heaps (after GC), the worker's
WebAssembly memory and its live Python objects are read (memory.py).
"""

from harness.chromium import new_page
from harness.pad import draw_dispatched

from . import stats
from .browser import wait_ready
from .memory import MemoryProbe
from .replay import predict_again, wait_answer


def endurance(chromium, server, drawing, checkpoints):
    """checkpoints: increasing prediction counts, e.g. (10, 100, 1000) ->
    {checkpoints: [{predictions, page_heap, worker_heap, wasm_memory,
    python_objects}], repeated: summary of the repeated predictions' ms}."""
    context = chromium.context(server.origin)
    page = new_page(context)
    try:
        page.goto(server.site_url)
        wait_ready(page)
        draw_dispatched(page, drawing.strokes01)
        wait_answer(page)
        done = page.evaluate("window.__bench.predictions.length")
        page.evaluate("window.__bench.predictions = null")  # the probe itself must not grow
        probe = MemoryProbe(page)
        rows, repeated = [], []
        for target in checkpoints:
            if target > done:
                repeated += [answer["ms"] for answer in predict_again(page, target - done)]
                done = target
            rows.append({"predictions": done, **probe.read()})
        probe.close()
        return {"checkpoints": rows, "repeated": stats.summarize(repeated) if repeated else None,
                "growth": growth(rows), "problems": list(page.problems)}
    finally:
        context.close()


def growth(rows):
    """Change of each measure from the first checkpoint to the last, and
    over the second half of the run (after warm-up effects): a leak shows
    in both."""
    keys = ("page_heap", "worker_heap", "wasm_memory", "python_objects")
    middle = rows[(len(rows) - 1) // 2]
    return {key: {"first_to_last": rows[-1][key] - rows[0][key],
                  "second_half": rows[-1][key] - middle[key]} for key in keys}
