"""python -m bench.profile [--site DIR] [--drawings N]: where a prediction's
time goes, step by step, from the strokes the worker receives, in Pyodide
(Chromium, a worker of the isolated bench page pages/profile.html) and in
CPython, on the same strokes (step_timings.py); and what the page's main
thread spends per request, flattening the strokes into the message's typed
arrays (widget/drawing.js's flatten(), timed by pages/flatten.js).

Not part of ``python -m bench``: evidence for where to optimise.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from harness.chromium import new_page  # noqa: E402
from harness.site import build_site, check_site  # noqa: E402
from pydigit import MODEL_NAMES, load_model  # noqa: E402

from . import step_timings  # noqa: E402
from .browser import launch_chromium  # noqa: E402
from .drawings import flat_strokes, sample_drawings  # noqa: E402
from .report import table  # noqa: E402
from .serve import bench_server  # noqa: E402

FLATTEN_REPEATS = 1000  # calls per drawing, timed together: one is shorter than the timer's resolution


def pyodide_steps(page, server, model):
    """The worker's step timings for one model -> [(step, median ms)]."""
    answer = page.evaluate("([s, m]) => runWorker(s, m)", ["profile-worker.js", {
        "indexURL": server.url("pydigit/assets/pyodide/"),
        "modelURL": server.url(f"pydigit/assets/models/{model}.npz"),
        "strokesURL": server.url("bench/data/strokes.npz"), "sourceURL": server.url("bench/data/step_timings.py")}])
    if not answer["isolated"]:
        raise RuntimeError("the profile worker is not cross-origin isolated: check bench/serve.py")
    return answer["steps"]


def steps_table(model, pyodide, native, count):
    rows = [[name, f"{browser_ms:.3f}", f"{cpython_ms:.3f}", f"{browser_ms / cpython_ms:.1f}x"]
            for (name, browser_ms), (_, cpython_ms) in zip(pyodide, native)]
    total = [sum(ms for _, ms in steps) for steps in (pyodide, native)]
    rows.append(["sum of medians", f"{total[0]:.3f}", f"{total[1]:.3f}", f"{total[0] / total[1]:.1f}x"])
    return table(f"{model.upper()}: median ms per step over {count} drawings, from the strokes the worker gets",
                 ["step", "Pyodide", "CPython", "ratio"], rows)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--drawings", type=int, default=100)
    args = parser.parse_args(argv)
    site_dir = check_site(args.site) if args.site else build_site(tempfile.mkdtemp(prefix="pydigit-bench-site-"))
    drawings = sample_drawings(args.drawings)
    requests = [flat_strokes(d.strokes01) for d in drawings]
    data_dir = Path(tempfile.mkdtemp(prefix="pydigit-bench-profile-"))
    step_timings.save_strokes(data_dir / "strokes.npz", requests)
    shutil.copyfile(step_timings.__file__, data_dir / "step_timings.py")

    with bench_server(site_dir, data_dir) as server, launch_chromium() as chromium:
        context = chromium.browser.new_context()
        page = new_page(context)
        page.goto(server.url("bench/profile.html"))
        pyodide = {model: pyodide_steps(page, server, model) for model in MODEL_NAMES}
        strokes = [[[[float(x), float(y)] for x, y in s] for s in d.strokes01] for d in drawings]
        main_thread = page.evaluate("([d, n]) => timeFlattened(d, n)", [strokes, FLATTEN_REPEATS])
        problems = list(page.problems)
        context.close()

    requests = step_timings.load_strokes(data_dir / "strokes.npz")  # as the worker read them
    for model in MODEL_NAMES:
        native = step_timings.step_times(load_model(site_dir / "assets" / "models" / f"{model}.npz"), requests)
        print(steps_table(model, pyodide[model], native, len(requests)))
    print(table("Page main thread, per request: the strokes flattened into typed arrays (median ms)",
                ["step", "ms"], [[k, f"{v:.4f}"] for k, v in main_thread.items()]))
    print(json.dumps({"pyodide": pyodide, "main_thread": main_thread}))
    if problems:
        raise SystemExit("console errors on the bench page:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    main()
