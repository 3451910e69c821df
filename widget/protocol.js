/*
 * The protocol between a page's <digit-pad> elements and their worker
 * (worker.js): every message, its fields, and the steps of loading. This
 * comment is the one place they are described; the page's side
 * (recognizer.js) and the worker import the names below.
 *
 * A page has one worker, whatever its number of pads. The page starts it (a
 * module worker) when the first pad connects, sends "init" once, then
 * "predict" for any pad's drawing ("predict-number" for a number pad's),
 * "ping" while it waits for the worker, and the requests of teaching
 * (below) when the visitor teaches it.
 * The worker answers a ping at once, between any two steps of its work:
 * while it is loading, while a request for a model it is still fetching
 * waits, and between the steps of a "teach".
 *
 * page -> worker
 *   {type: "init", config}
 *       config: the widget's config.js, its URLs made absolute: {pen:
 *       {canvasSize, width}, defaultModel, models: {<name>: {url, label,
 *       notSure}}, pyodide: {version, indexURL, lockFileURL}}.
 *   {type: "predict", id, model, points, lengths, stages, explain?, target?}
 *       id: a number no other request of the page has; model: a name in
 *       config.models, or "yours" (below); the drawing's strokes, in 0..1
 *       of the pad's side (x to the right, y down): points, a Float64Array
 *       of x0, y0, x1, y1, ... of every stroke one after the other, and
 *       lengths, a Uint32Array of each stroke's number of points (both
 *       transferred); pydigit renders them with the pad's pen
 *       (pydigit.strokes). stages: true to get the preprocessing stages too.
 *       explain: true to get the explanation too (<digit-pad show-layers>):
 *       the answer then comes from pydigit.explain, whose forward pass
 *       gives it, with the network's layers and the saliency of target's
 *       score; target: the digit to explain, null for the answer (anything
 *       else but 0..9: an error for id, in explain's words).
 *   {type: "predict-number", id, model, points, lengths, aspect}
 *       A number pad's drawing (<digit-pad mode="number">): digits written
 *       on one line, read left to right (pydigit.number). As "predict", but
 *       the points are in units of the pad's HEIGHT: y in 0..1, x in
 *       0..aspect, the pad's width / height; the pen is as wide relative
 *       to the pad's height as on the square pad. Each digit's answer is
 *       model's, times the vote of the trajectory network (config.trajectory,
 *       fetched with the first number), which reads how it was written;
 *       without those weights, and for a digit cut out of ink that joins
 *       two, model's alone.
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
 *       do not run cold code; "snapshot" only when Python started from the
 *       memory snapshot an earlier visit left in this browser (snapshot.js):
 *       the ms reading it, before "runtime", which then restores it.
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
 *       centred}, each {pixels (transferred), width, height}, and first
 *       ink, the strokes as rendered, when explained too.
 *       explanation, when asked (ms then has backward too): {target, layers,
 *       activations, saliency, gradient_x_input}, as
 *       pydigit.explain.Explanation.compact() says: target, the digit
 *       explained; layers, per layer in order {name, kind ("map" or
 *       "vector"), shape, offset}; activations, saliency and
 *       gradient_x_input, Uint8Arrays of little-endian float32s (all three
 *       transferred): every layer's output, each from its offset on (a map
 *       row by row, each pixel's channels side by side), and the two 28×28
 *       maps, row by row.
 *   {type: "number-prediction", id, model, text, digits, boxes, ms}
 *       The answer to "predict-number" id. text: the number read, "" for a
 *       drawing without ink; digits: per digit, left to right, {digit,
 *       probabilities, confidence} as in "prediction"; boxes: per digit,
 *       [x0, y0, x1, y1] of its ink in pad heights, as the points; ms: the
 *       ms of each of pydigit.number's steps (none for no ink), and worker,
 *       received and answered as in "prediction".
 *   {type: "error", step, message, id?}
 *       message: what failed, in words. With id: that request failed (its
 *       model's weights, fetched on first use, are broken; it was malformed:
 *       an unknown type, wrong fields, strokes that are not a drawing; id is
 *       null for a message without one), step "predict" (for
 *       "predict-number" and teaching's requests, below: the request's
 *       type); the worker goes
 *       on, and a later request for a model that failed to load loads it
 *       again. Without id: loading failed, step: the one of LOAD_STEPS that
 *       failed (or "init"); the worker is of no use.
 *   {type: "pong", memory}
 *       The answer to a ping. memory: the bytes of WebAssembly memory Python
 *       lives in (null until the runtime is loaded), for watching leaks.
 *
 * The worker loads the default model during init (step "model") and any
 * other on the first request for it.
 *
 * Teaching: the visitor's own handwriting (personal.js). The worker keeps
 * at most one personalized model beside the bundled ones, under the name
 * PERSONAL_MODEL ("yours"): "predict" and "score" with that name use it. It
 * comes from a "teach" or a "personal" and lasts until a "forget" or the
 * worker's end; the page installs the stored one again in each new worker.
 * Several drawings travel as one message: points and lengths as for
 * "predict", of every stroke of every drawing one after the other, plus
 * counts, a Uint32Array of each drawing's number of strokes, and labels, a
 * Uint8Array of each drawing's digit (all four transferred).
 *
 * page -> worker
 *   {type: "teach", id, model, points, lengths, counts, labels}
 *       Personalize the bundled model named model (pydigit.browser.Teaching)
 *       with the drawings. One small step of the work per task of the
 *       worker's: between two steps it answers predictions and pings, so the
 *       pads keep answering and the watchdog sees it alive. Bad drawings
 *       fail at once. A later "teach" or a "forget" stops it (an error for
 *       its id). Once done, "yours" is the new model.
 *   {type: "score", id, model, points, lengths, counts, labels}
 *       How many of the drawings model (a bundled name or "yours") reads as
 *       their labels: the before/after on drawings kept back from teaching.
 *   {type: "personal", id, weights}
 *       Make weights, a Uint8Array of a personalized weights file (as
 *       "taught" gave it: stored, or imported by the visitor; transferred),
 *       "yours". It must be personalized from a bundled model of the
 *       site's: the one its metadata names. Until it is checked, and if it
 *       is not one, "yours" stays as it was.
 *   {type: "forget", id}
 *       No "yours" any more; a "teach" under way stops.
 *
 * worker -> page
 *   {type: "teach-progress", id, done, total}
 *       After each step of "teach" id: done of total steps (total is known
 *       from the first step on).
 *   {type: "taught", id, model, base, weights, personalized}
 *       "teach" id is done: model is "yours", personalized from the bundled
 *       base; weights: its weights file (.npz), a Uint8Array (transferred),
 *       what the page stores, exports and sends back in "personal";
 *       personalized: its metadata ({base, drawings, per_digit, seed, ...}).
 *   {type: "scored", id, model, correct, total, digits}
 *       The answer to "score" id: digits, the model's digit for each drawing.
 *   {type: "personal-ready", id, model, base, personalized}
 *       "personal" id is done: model is "yours", as for "taught".
 *   {type: "forgotten", id}
 *       "forget" id is done.
 *   An "error" with the request's id answers any of them that fails (bad
 *   drawings, a file that is not a personalized model of this site's, no
 *   "yours" to score with, a "teach" stopped), step: the request's type;
 *   the worker goes on, and so does any model it had.
 */

export const Message = Object.freeze({
  // page -> worker
  INIT: "init",
  PREDICT: "predict",
  PREDICT_NUMBER: "predict-number",
  PING: "ping",
  TEACH: "teach",
  SCORE: "score",
  PERSONAL: "personal",
  FORGET: "forget",
  // worker -> page
  PROGRESS: "progress",
  READY: "ready",
  PREDICTION: "prediction",
  NUMBER_PREDICTION: "number-prediction",
  ERROR: "error",
  PONG: "pong",
  TEACH_PROGRESS: "teach-progress",
  TAUGHT: "taught",
  SCORED: "scored",
  PERSONAL_READY: "personal-ready",
  FORGOTTEN: "forgotten",
});

// The worker's answers that end a request (an "error" with its id does too).
export const ANSWERS = Object.freeze([Message.PREDICTION, Message.NUMBER_PREDICTION, Message.TAUGHT,
                                      Message.SCORED, Message.PERSONAL_READY, Message.FORGOTTEN]);

// The name the personalized model goes by, beside config.models' names.
export const PERSONAL_MODEL = "yours";

// The steps of loading, in order: the Python runtime, NumPy, the pydigit
// package, the default model's weights.
export const LOAD_STEPS = Object.freeze(["runtime", "numpy", "pydigit", "model"]);
