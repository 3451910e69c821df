"""python -m bench.profile [--site DIR] [--drawings N]: where a prediction's
time goes, step by step, in Pyodide (Chromium, a worker of the isolated
bench page) and in CPython, on the same drawings; and what the page's main
thread spends reading a drawing off the canvas (a copy of widget/drawing.js's
networkPixels, timed in the site's page).

Not part of ``python -m bench``: evidence for where to optimise.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from harness.chromium import new_page  # noqa: E402
from harness.site import build_site, check_site  # noqa: E402
from pydigit import MODEL_NAMES, load_model, pen  # noqa: E402

from . import step_timings  # noqa: E402
from .browser import launch_chromium, wait_ready  # noqa: E402
from .drawings import canvas_pixels, sample_drawings  # noqa: E402
from .report import table  # noqa: E402
from .serve import bench_server  # noqa: E402

# widget/drawing.js's networkPixels, step by step: strokes onto the pen.CANVAS_SIZE canvas,
# getImageData, the alpha channel copied out. Median ms over the drawings.
READ_CANVAS = """([drawings, side, width]) => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = side;
  const context = canvas.getContext('2d', {willReadFrequently: true});
  const times = {draw: [], getImageData: [], alpha: []};
  for (let pass = 0; pass < 3; pass++) for (const strokes of drawings) {
    const t0 = performance.now();
    context.clearRect(0, 0, side, side);
    context.lineCap = context.lineJoin = 'round';
    context.lineWidth = width;
    for (const stroke of strokes) {
      context.beginPath();
      context.moveTo(stroke[0][0] * side, stroke[0][1] * side);
      for (const [x, y] of stroke.slice(1)) context.lineTo(x * side, y * side);
      context.stroke();
    }
    const t1 = performance.now();
    const rgba = context.getImageData(0, 0, side, side).data;
    const t2 = performance.now();
    const alpha = new Uint8Array(side * side);
    for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[4 * i + 3];
    const t3 = performance.now();
    if (pass === 2) { times.draw.push(t1 - t0); times.getImageData.push(t2 - t1); times.alpha.push(t3 - t2); }
  }
  const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}"""


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--drawings", type=int, default=100)
    args = parser.parse_args(argv)
    site_dir = check_site(args.site) if args.site else build_site(tempfile.mkdtemp(prefix="pydigit-bench-site-"))
    drawings = sample_drawings(args.drawings)
    canvases = np.stack([canvas_pixels(d) for d in drawings])
    data_dir = Path(tempfile.mkdtemp(prefix="pydigit-bench-profile-"))
    canvases.tofile(data_dir / "canvases.bin")
    shutil.copyfile(step_timings.__file__, data_dir / "step_timings.py")

    with bench_server(site_dir, data_dir) as server, launch_chromium() as chromium:
        context = chromium.browser.new_context()
        page = context.new_page()
        page.goto(server.url("bench/peer.html"))
        pyodide = {}
        for model in MODEL_NAMES:
            answer = page.evaluate("([s, m]) => runWorker(s, m)", ["profile-worker.js", {
                "indexURL": server.url("pydigit/assets/pyodide/"),
                "modelURL": server.url(f"pydigit/assets/models/{model}.npz"),
                "canvasesURL": server.url("bench/data/canvases.bin"), "sourceURL": server.url("bench/data/step_timings.py"),
                "count": len(canvases), "side": pen.CANVAS_SIZE}])
            pyodide[model] = answer["steps"]
        context.close()
        context = chromium.context(server.origin)
        page = new_page(context)
        page.goto(server.site_url)
        wait_ready(page)
        strokes = [[[[float(x), float(y)] for x, y in s] for s in d.strokes01] for d in drawings]
        read_canvas = page.evaluate(READ_CANVAS, [strokes, pen.CANVAS_SIZE, pen.PEN_WIDTH])
        context.close()

    for model in MODEL_NAMES:
        native = step_timings.step_times(load_model(site_dir / "assets" / "models" / f"{model}.npz"), canvases)
        rows = [[name, f"{browser_ms:.3f}", f"{cpython_ms:.3f}", f"{browser_ms / cpython_ms:.1f}x"]
                for (name, browser_ms), (_, cpython_ms) in zip(pyodide[model], native)]
        total = [sum(ms for _, ms in steps) for steps in (pyodide[model], native)]
        rows.append(["sum of medians", f"{total[0]:.3f}", f"{total[1]:.3f}", f"{total[0] / total[1]:.1f}x"])
        print(table(f"{model.upper()}: median ms per step over {len(canvases)} drawings",
                    ["step", "Pyodide", "CPython", "ratio"], rows))
    print(table(f"Page main thread: reading a drawing off the {pen.CANVAS_SIZE} px canvas (median ms)",
                ["step", "ms"], [[k, f"{v:.3f}"] for k, v in read_canvas.items()]))
    print(json.dumps({"pyodide": pyodide, "read_canvas": read_canvas}))


if __name__ == "__main__":
    main()
