/*
 * pydigit's forward pass alone, under Pyodide in a worker: the site's own
 * runtime, lock, wheel and weights; the bench's 28x28 inputs.
 *
 * message: {indexURL, modelURL, inputsURL, count, warmup}
 *   inputsURL: count*784 float32, each a preprocessed 28x28 image in 0..1
 * answer:  {ms: [count] per predict_proba call, timed in Python with
 *           time.perf_counter as pydigit.browser does for timings.forward,
 *           probabilities: [count*10], isolated: crossOriginIsolated}
 */
import {bootPydigit, fetchBytes} from "./boot-pydigit.js";

const TIME_FORWARD = `
import json
import time

import numpy as np

from pydigit import load_model


def time_forward(model_path, inputs_path, count, warmup):
    model = load_model(model_path)
    x = np.fromfile(inputs_path, np.float32).reshape(count, 28, 28, 1)
    for i in range(warmup):
        model.predict_proba(x[i % count][None])
    ms, probabilities = [], []
    for i in range(count):
        started = time.perf_counter()
        p = model.predict_proba(x[i][None])
        ms.append((time.perf_counter() - started) * 1000)
        probabilities.extend(p[0].tolist())
    return json.dumps({"ms": ms, "probabilities": probabilities})
`;

self.onmessage = async ({data}) => {
  try {
    const pyodide = await bootPydigit(data.indexURL, data.modelURL);
    pyodide.FS.writeFile("/bench/inputs.bin", await fetchBytes(data.inputsURL));
    pyodide.runPython(TIME_FORWARD);
    const answer = pyodide.globals.get("time_forward")("/bench/model.npz", "/bench/inputs.bin",
                                                      data.count, data.warmup);
    self.postMessage({...JSON.parse(answer), isolated: self.crossOriginIsolated});
  } catch (error) {
    self.postMessage({error: String(error && error.message || error)});
  }
};
