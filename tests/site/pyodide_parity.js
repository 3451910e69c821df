// Runs pydigit under Pyodide in Node, loaded from the files the site vendors:
// recognize on a .npy of images, and render_ink + recognize_strokes and the
// trajectory network's vote on the strokes of an .npz (points{i}, lengths{i} per drawing, as the widget sends
// them, and labels), and personalize on the first TAUGHT of those drawings.
// Writes the answers as JSON, the rendered ink and the personalized head's first Dense
// layer (float32) as .npz files.
// usage: node pyodide_parity.js SITE_ASSETS_DIR IMAGES.npy STROKES.npz OUT_DIR
"use strict";
const fs = require("fs");
const path = require("path");
const {loadSitePyodide} = require("./site_pyodide.js");

async function main() {
  const [assets, imagesPath, strokesPath, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
  const pyodide = await loadSitePyodide(assets, {"/data/images.npy": imagesPath, "/data/strokes.npz": strokesPath});
  const answers = pyodide.runPython(`
import json, sys
import numpy as np
import time
from pydigit import load_model, personalize, recognize
from pydigit.browser import split_strokes
from pydigit.recognize import recognize_strokes
from pydigit.strokes import render_ink
from pydigit.trajectory import trajectory_features

images = np.load("/data/images.npy")
with np.load("/data/strokes.npz") as npz:
    drawings = [split_strokes(npz[f"points{i}"], npz[f"lengths{i}"]) for i in range(len(npz["labels"]))]
    labels, taught = npz["labels"], int(npz["taught"])
answers = {"python": sys.version, "numpy": np.__version__}
for name in ("cnn", "mlp"):
    model = load_model(f"/data/{name}.npz")
    predictions = [recognize(image, model=model) for image in images]
    from_strokes = [recognize_strokes(strokes, model=model) for strokes in drawings]
    answers[name] = {"digits": [p.digit for p in predictions],
                     "probabilities": [p.probabilities.tolist() for p in predictions],
                     "stroke_probabilities": [p.probabilities.tolist() for p in from_strokes]}
trajectory = load_model("/data/trajectory.npz")
answers["trajectory"] = trajectory.predict_proba(np.stack([trajectory_features(s) for s in drawings])).tolist()
np.savez("/data/inks.npz", *[render_ink(strokes) for strokes in drawings])
started = time.perf_counter()
mine = personalize([render_ink(strokes) for strokes in drawings[:taught]], labels[:taught],
                   load_model("/data/cnn.npz"))
answers["personalize_seconds"] = time.perf_counter() - started
np.savez("/data/personalized.npz", **mine.layers[-3].params)  # the head's first Dense: where the residual learns
json.dumps(answers)
`);
  fs.writeFileSync(path.join(outDir, "answers.json"), answers);
  fs.writeFileSync(path.join(outDir, "inks.npz"), pyodide.FS.readFile("/data/inks.npz"));
  fs.writeFileSync(path.join(outDir, "personalized.npz"), pyodide.FS.readFile("/data/personalized.npz"));
}

main().catch((error) => { console.error(error); process.exit(1); });
