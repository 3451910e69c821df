// The widget's defaults, for running it from a checkout: serve the
// repository root with any static server (python -m http.server) and open
// widget/index.html. The runtime comes from the last `mkdocs build` (site/),
// the weights from the package. A build writes its own config.js into the
// site, with each model's measured "not sure" threshold; here there is none.
export default {
  pen: {canvasSize: 140, width: 10},
  defaultModel: "cnn",
  models: {
    cnn: {url: "../pydigit/weights/cnn.npz", label: "CNN", notSure: 0},
    mlp: {url: "../pydigit/weights/mlp.npz", label: "MLP", notSure: 0},
  },
  trajectory: {url: "../pydigit/weights/trajectory.npz"},
  pyodide: {version: "0.27.7", indexURL: "../site/assets/pyodide/",
            lockFileURL: "../site/assets/pyodide/pyodide-lock.json"},
};
