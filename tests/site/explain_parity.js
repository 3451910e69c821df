// Runs pydigit.explain under Pyodide in Node, loaded from the files the site
// vendors: explain_strokes on the strokes of an .npz (points{i}, lengths{i}
// per drawing, as the widget sends them, and targets: -1 for the answer, else
// the digit to explain), with both bundled models; then times explain_strokes
// with the CNN on the first drawing, 50 times: p50 of the whole call and of
// its parts, of its compact form and, beside it, of recognize_strokes.
// Writes every explanation's arrays as explained.npz, keys MODEL.I.NAME (the
// activations' names, saliency, gradient_x_input, probabilities), and the
// answers and timings as answers.json.
// usage: node explain_parity.js SITE_ASSETS_DIR STROKES.npz OUT_DIR
"use strict";
const fs = require("fs");
const path = require("path");
const {loadSitePyodide} = require("./site_pyodide.js");

async function main() {
  const [assets, strokesPath, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
  const pyodide = await loadSitePyodide(assets, {"/data/strokes.npz": strokesPath});
  const answers = pyodide.runPython(`
import json, sys, time
import numpy as np
from pydigit import load_model
from pydigit.browser import split_strokes
from pydigit.explain import explain_strokes
from pydigit.recognize import recognize_strokes

with np.load("/data/strokes.npz") as npz:
    targets = [None if t < 0 else int(t) for t in npz["targets"]]
    drawings = [split_strokes(npz[f"points{i}"], npz[f"lengths{i}"]) for i in range(len(targets))]
answers = {"python": sys.version, "numpy": np.__version__}
arrays = {}
for name in ("cnn", "mlp"):
    model = load_model(f"/data/{name}.npz")
    digits = []
    for i, (strokes, target) in enumerate(zip(drawings, targets)):
        e = explain_strokes(strokes, model, target)
        digits.append([e.digit, e.target])
        for key, values in {**e.activations, "saliency": e.saliency,
                            "gradient_x_input": e.gradient_x_input,
                            "probabilities": e.probabilities}.items():
            arrays[f"{name}.{i}.{key}"] = values
    answers[name] = digits
np.savez("/data/explained.npz", **arrays)


def timed(run, times=50):
    """-> (milliseconds of each of times calls of run, after a first one
    that fills per-size caches such as Conv2D's patch indices; the results)."""
    run()
    spent, results = [], []
    for _ in range(times):
        started = time.perf_counter()
        results.append(run())
        spent.append((time.perf_counter() - started) * 1000)
    return spent, results


def p50(values):
    return sorted(values)[len(values) // 2]  # numpy.median needs numpy.ma, which the site leaves out


cnn, strokes = load_model("/data/cnn.npz"), drawings[0]
spent, explanations = timed(lambda: explain_strokes(strokes, cnn))
answers["explain_strokes_ms"] = {"total": p50(spent), **{part: p50([e.timings[part] for e in explanations])
                                                         for part in explanations[0].timings}}
answers["compact_ms"] = p50(timed(explanations[0].compact)[0])
answers["recognize_strokes_ms"] = p50(timed(lambda: recognize_strokes(strokes, cnn))[0])
json.dumps(answers)
`);
  fs.writeFileSync(path.join(outDir, "answers.json"), answers);
  fs.writeFileSync(path.join(outDir, "explained.npz"), pyodide.FS.readFile("/data/explained.npz"));
}

main().catch((error) => { console.error(error); process.exit(1); });
