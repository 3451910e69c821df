// Pyodide in Node, loaded from the files the site vendors, with the pydigit
// package and the bundled networks (/data/cnn.npz, /data/mlp.npz,
// /data/trajectory.npz): what the
// parity scripts (pyodide_parity.js, explain_parity.js) start from.
"use strict";
const fs = require("fs");
const path = require("path");

// assets: the built site's assets/ directory; files: {path in Pyodide's
// file system: path on disk} to copy in as well -> the loaded Pyodide.
async function loadSitePyodide(assets, files = {}) {
  const runtime = path.join(assets, "pyodide") + path.sep;
  // The site ships Pyodide's ES module (its worker imports it), not the CommonJS script.
  const {loadPyodide} = await import(require("url").pathToFileURL(path.join(runtime, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({indexURL: runtime, lockFileURL: path.join(runtime, "pyodide-lock.json")});
  await pyodide.loadPackage("pydigit", {messageCallback: () => {}});
  pyodide.FS.mkdirTree("/data");
  for (const name of ["cnn", "mlp", "trajectory"]) {
    pyodide.FS.writeFile(`/data/${name}.npz`, fs.readFileSync(path.join(assets, "models", `${name}.npz`)));
  }
  for (const [target, source] of Object.entries(files)) pyodide.FS.writeFile(target, fs.readFileSync(source));
  return pyodide;
}

module.exports = {loadSitePyodide};
