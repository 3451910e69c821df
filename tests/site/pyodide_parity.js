// Runs pydigit.recognize under Pyodide in Node, loaded from the files the
// site vendors, on a .npy of images; prints the answers as JSON.
// usage: node pyodide_parity.js SITE_ASSETS_DIR IMAGES.npy OUT.json
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
  const [assets, imagesPath, outPath] = process.argv.slice(2).map((p) => path.resolve(p));
  const runtime = path.join(assets, "pyodide") + path.sep;
  // The site ships Pyodide's ES module (its worker imports it), not the CommonJS script.
  const {loadPyodide} = await import(require("url").pathToFileURL(path.join(runtime, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({indexURL: runtime, lockFileURL: path.join(runtime, "pyodide-lock.json")});
  await pyodide.loadPackage("pydigit", {messageCallback: () => {}});
  pyodide.FS.mkdirTree("/data");
  for (const name of ["cnn", "mlp"]) {
    pyodide.FS.writeFile(`/data/${name}.npz`, fs.readFileSync(path.join(assets, "models", `${name}.npz`)));
  }
  pyodide.FS.writeFile("/data/images.npy", fs.readFileSync(imagesPath));
  const answers = pyodide.runPython(`
import json, sys
import numpy as np
from pydigit import load_model, recognize

images = np.load("/data/images.npy")
answers = {"python": sys.version, "numpy": np.__version__}
for name in ("cnn", "mlp"):
    model = load_model(f"/data/{name}.npz")
    predictions = [recognize(image, model=model) for image in images]
    answers[name] = {"digits": [p.digit for p in predictions],
                     "probabilities": [p.probabilities.tolist() for p in predictions]}
json.dumps(answers)
`);
  fs.writeFileSync(outPath, answers);
}

main().catch((error) => { console.error(error); process.exit(1); });
