/*
 * Host page of the forward-pass workers (pydigit-worker.js, tfjs-worker.js).
 * window.runWorker(script, message) -> Promise of the worker's one answer;
 * each run gets a fresh worker, terminated after it answers.
 */
"use strict";

window.runWorker = (script, message) => new Promise((resolve, reject) => {
  const worker = new Worker(script);
  const finish = (settle, value) => { worker.terminate(); settle(value); };
  worker.onmessage = ({data}) => data.error ? finish(reject, new Error(data.error)) : finish(resolve, data);
  worker.onerror = (event) => finish(reject, new Error(event.message || `${script} failed`));
  worker.postMessage(message);
});
