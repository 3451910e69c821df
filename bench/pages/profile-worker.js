/*
 * bench/step_timings.py under Pyodide: the same source CPython runs, on the
 * same canvases, with the site's runtime, pydigit wheel and weights.
 *
 * message: {indexURL, modelURL, canvasesURL, count, side, sourceURL}
 *   canvases: count*side*side uint8 drawings (the canvas alpha channel)
 * answer:  {steps: [[name, median ms]], isolated}
 */
import {bootPydigit, fetchBytes} from "./boot-pydigit.js";

self.onmessage = async ({data}) => {
  try {
    const pyodide = await bootPydigit(data.indexURL, data.modelURL);
    pyodide.FS.writeFile("/bench/canvases.bin", await fetchBytes(data.canvasesURL));
    pyodide.FS.writeFile("/bench/step_timings.py", await fetchBytes(data.sourceURL));
    const steps = pyodide.runPython(`
import json, sys
import numpy as np
sys.path.insert(0, "/bench")
from step_timings import step_times
from pydigit import load_model
canvases = np.fromfile("/bench/canvases.bin", np.uint8).reshape(${data.count}, ${data.side}, ${data.side})
json.dumps(step_times(load_model("/bench/model.npz"), canvases))
`);
    self.postMessage({steps: JSON.parse(steps), isolated: self.crossOriginIsolated});
  } catch (error) {
    self.postMessage({error: String(error && error.message || error)});
  }
};
