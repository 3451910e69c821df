/*
 * Host of the bench's workers: the forward-pass ones (pydigit-worker.js,
 * tfjs-worker.js) in peer.html, the step timings' (profile-worker.js) in
 * profile.html.
 * window.runWorker(script, message) -> Promise of the worker's one answer;
 * each run gets a fresh worker, terminated after it answers. Pyodide's
 * workers are modules, as the widget's; TF.js's script is a classic one.
 */
"use strict";

const CLASSIC_WORKERS = ["tfjs-worker.js"];

window.runWorker = (script, message) => new Promise((resolve, reject) => {
  const worker = new Worker(script, {type: CLASSIC_WORKERS.includes(script) ? "classic" : "module"});
  const finish = (settle, value) => { worker.terminate(); settle(value); };
  worker.onmessage = ({data}) => data.error ? finish(reject, new Error(data.error)) : finish(resolve, data);
  worker.onerror = (event) => finish(reject, new Error(event.message || `${script} failed`));
  worker.postMessage(message);
});
