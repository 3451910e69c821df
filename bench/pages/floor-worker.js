/*
 * The floor's worker: Pyodide + NumPy, steps timed like worker.js's
 * ("runtime", "numpy"), plus `import numpy` ("import"), which the widget
 * does inside its "pydigit" step: every NumPy page pays it.
 */
self.onmessage = async ({data}) => {
  const timings = {};
  const step = async (name, work) => {
    const started = performance.now();
    await work();
    timings[name] = performance.now() - started;
  };
  try {
    let pyodide;
    await step("runtime", async () => {
      const {loadPyodide} = await import(data.indexURL + "pyodide.mjs");
      pyodide = await loadPyodide({indexURL: data.indexURL, lockFileURL: data.lockFileURL,
                                   stdLibURL: data.stdLibURL, fullStdLib: false});
    });
    await step("numpy", () => pyodide.loadPackage("numpy", {messageCallback: () => {}}));
    await step("import", async () => pyodide.runPython("import numpy"));
    self.postMessage({type: "ready", timings});
  } catch (error) {
    self.postMessage({type: "error", message: String(error && error.message || error)});
  }
};
