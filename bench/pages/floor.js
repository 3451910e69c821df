/*
 * The floor: what any page that runs NumPy through Pyodide 0.27.7 in a Web
 * Worker pays before its own code runs. It loads the site's files
 * (/pydigit/assets/pyodide/ and the site's lock) with the same loadPyodide
 * options as the widget's worker.js, but Pyodide's whole standard library
 * as Pyodide publishes it (the npm package's), not the site's trimmed one:
 * the floor is bare Pyodide, which the site's start-up is measured against.
 *
 * window.__floor = {ready: {t, timings} | null, error: message | null,
 *                  settled: a Promise, resolved when either is set}
 * t: ms since navigation start; timings: {runtime, numpy, import} ms in the worker.
 */
"use strict";
window.__floor = {ready: null, error: null};
let settle;
window.__floor.settled = new Promise((resolve) => { settle = resolve; });
const runtime = new URL("/pydigit/assets/pyodide/", location.href).href;
const worker = new Worker("floor-worker.js", {type: "module"});
worker.onmessage = ({data}) => {
  if (data.type === "ready") window.__floor.ready = {t: performance.now(), timings: data.timings};
  else window.__floor.error = data.message;
  settle();
};
worker.onerror = (event) => {
  window.__floor.error = event.message || "the worker failed";
  settle();
};
worker.postMessage({indexURL: runtime, lockFileURL: runtime + "pyodide-lock.json",
                    stdLibURL: new URL("/bench/node_modules/pyodide/python_stdlib.zip", location.href).href});
