/*
 * bench/step_timings.py under Pyodide: the same source CPython runs, on the
 * same strokes, with the site's runtime, pydigit wheel and weights.
 *
 * message: {indexURL, modelURL, strokesURL, sourceURL}
 *   strokes: an .npz of each drawing's points and lengths (step_timings.save_strokes)
 * answer:  {steps: [[name, median ms]], isolated}
 */
import {bootPydigit, fetchBytes} from "./boot-pydigit.js";

self.onmessage = async ({data}) => {
  try {
    const pyodide = await bootPydigit(data.indexURL, data.modelURL);
    pyodide.FS.writeFile("/bench/strokes.npz", await fetchBytes(data.strokesURL));
    pyodide.FS.writeFile("/bench/step_timings.py", await fetchBytes(data.sourceURL));
    const steps = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/bench")
from step_timings import load_strokes, step_times
from pydigit import load_model
json.dumps(step_times(load_model("/bench/model.npz"), load_strokes("/bench/strokes.npz")))
`);
    self.postMessage({steps: JSON.parse(steps), isolated: self.crossOriginIsolated});
  } catch (error) {
    self.postMessage({error: String(error && error.message || error)});
  }
};
