/*
 * The protocol between a page's <digit-pad> elements and their worker
 * (worker.js): every message, its fields, and the steps of loading. This
 * comment is the one place they are described; the page's side
 * (recognizer.js) and the worker import the names below.
 *
 * A page has one worker, whatever its number of pads. The page starts it (a
 * module worker) when the first pad connects, sends "init" once, then
 * "predict" for any pad's drawing, and "ping" while it waits for the worker.
 * The worker answers a ping at once, between any two steps of its work:
 * while it is loading, and while a request for a model it is still fetching
 * waits.
 *
 * page -> worker
 *   {type: "init", config}
 *       config: the widget's config.js, its URLs made absolute: {pen:
 *       {canvasSize, width}, defaultModel, models: {<name>: {url, label,
 *       notSure}}, pyodide: {version, indexURL, lockFileURL}}.
 *   {type: "predict", id, model, points, lengths, stages}
 *       id: a number no other request of the page has; model: a name in
 *       config.models; the drawing's strokes, in 0..1 of the pad's side (x
 *       to the right, y down): points, a Float64Array of x0, y0, x1, y1, ...
 *       of every stroke one after the other, and lengths, a Uint32Array of
 *       each stroke's number of points (both transferred); pydigit renders
 *       them with the pad's pen (pydigit.strokes). stages: true to get the
 *       preprocessing stages too.
 *   {type: "ping"}
 *       Are you alive? Any message back counts as the answer.
 *
 * worker -> page
 *   {type: "progress", step, message}
 *       Loading has started step (one of LOAD_STEPS); message says so in
 *       words, e.g. "Loading NumPy…".
 *   {type: "ready", timings}
 *       Every step done: predictions may be asked for. timings: ms per step
 *       of LOAD_STEPS, and "warmup": the ms spent predicting a made-up
 *       drawing with the default model, so that a visitor's first answers
 *       do not run cold code.
 *   {type: "prediction", id, model, digit, probabilities, confidence,
 *    input28, ms, stages?}
 *       The answer to request id (model: as asked). digit: 0..9, or null for
 *       a drawing without ink; probabilities: 10 numbers summing to 1 (all 0
 *       for no ink); confidence: the top one; input28: Uint8Array(784), the
 *       network's 28×28 input, ink values (transferred); ms: {render,
 *       preprocess, forward, worker} in ms, and {received, answered}, clock readings
 *       (performance.timeOrigin + performance.now()) when the request
 *       arrived and when the answer was posted, with which the page times
 *       each way of the trip; stages, when asked: {cropped, scaled,
 *       centred}, each {pixels (transferred), width, height}.
 *   {type: "error", step, message, id?}
 *       message: what failed, in words. With id: that request failed (its
 *       model's weights, fetched on first use, are broken; it was malformed:
 *       an unknown type, wrong fields, strokes that are not a drawing; id is
 *       null for a message without one), step "predict"; the worker goes
 *       on, and a later request for a model that failed to load loads it
 *       again. Without id: loading failed, step: the one of LOAD_STEPS that
 *       failed (or "init"); the worker is of no use.
 *   {type: "pong", memory}
 *       The answer to a ping. memory: the bytes of WebAssembly memory Python
 *       lives in (null until the runtime is loaded), for watching leaks.
 *
 * The worker loads the default model during init (step "model") and any
 * other on the first request for it.
 */

export const Message = Object.freeze({
  // page -> worker
  INIT: "init",
  PREDICT: "predict",
  PING: "ping",
  // worker -> page
  PROGRESS: "progress",
  READY: "ready",
  PREDICTION: "prediction",
  ERROR: "error",
  PONG: "pong",
});

// The steps of loading, in order: the Python runtime, NumPy, the pydigit
// package, the default model's weights.
export const LOAD_STEPS = Object.freeze(["runtime", "numpy", "pydigit", "model"]);
