// The <digit-pad> worker: Pyodide, NumPy and pydigit, off the page's main
// thread, one for all the pads of a page. What it is told and what it
// answers: protocol.js. Teaching's requests: worker-teaching.js.
import {Message, PERSONAL_MODEL} from "./protocol.js";
import {describe, plain} from "./python-values.js";
import {forgetSnapshots, makeSnapshotLater, restore, restored, runtimeOptions, storedSnapshot} from "./snapshot.js";
import {Teacher} from "./worker-teaching.js";

let pyodide = null;
let bridge = null;           // the pydigit.browser module
let config = null;
const models = new Map();    // bundled model's name -> Promise of a pydigit Model (PyProxy)
const teacher = new Teacher({
  get pyodide() { return pyodide; },
  get bridge() { return bridge; },
  get defaultModel() { return config.defaultModel; },
  isBundled,
  bundled: (name) => modelNamed(name, false),
  post,
});

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

async function timed(timings, step, message, work) {
  post({type: Message.PROGRESS, step, message});
  const started = performance.now();
  try {
    return await work();
  } catch (error) {
    throw Object.assign(new Error(`${message.replace(/…$/, "")} failed: ${describe(error)}`), {step});
  } finally {
    timings[step] = performance.now() - started;
  }
}

async function fetchBytes(url, signal = undefined) {
  const response = await fetch(url, {signal});
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// A weights file fetched, written into Python's file system as name.npz
// and loaded -> a pydigit Model (PyProxy).
async function loadWeights(url, name, signal = undefined) {
  const bytes = await fetchBytes(url, signal);
  const path = `/models/${name}.npz`;
  pyodide.FS.mkdirTree("/models");
  pyodide.FS.writeFile(path, bytes);
  return pyodide.pyimport("pydigit").load_model(path);
}

function loadModel(name) {
  if (!models.has(name)) {
    const spec = config.models[name];
    const promise = (async () => {
      if (!spec) throw new Error(`unknown model "${name}"`);
      return loadWeights(spec.url, name);
    })();
    promise.catch(() => models.delete(name));  // a later request retries
    models.set(name, promise);
  }
  return models.get(name);
}

// The network that reads how each digit of a number was written
// (pydigit.trajectory), fetched with the first number: a Promise of it, or
// of null when its weights would not load in TRAJECTORY_TIMEOUT_MS (or the
// config names none). Numbers are then read by the image network alone for
// as long as this worker lives (one warning, not one per request: requests
// come with every pen move); the next page load tries again.
const TRAJECTORY_TIMEOUT_MS = 10_000;
let trajectory = null;

function trajectoryNetwork() {
  trajectory ??= (async () => {
    if (!config.trajectory) throw new Error("the config names no trajectory network");
    return loadWeights(config.trajectory.url, "trajectory", AbortSignal.timeout(TRAJECTORY_TIMEOUT_MS));
  })().catch((error) => {
    console.warn(`digit-pad: numbers are read without the trajectory network: ${describe(error)}`);
    return null;
  });
  return trajectory;
}

// From the snapshot this browser kept of the runtime, if any (snapshot.js):
// timings.snapshot, the ms reading it, says so. If anything fails on the way
// from it to "ready", the normal boot, as on a first visit, which then
// makes the snapshot (again) for the next visit.
async function init(message) {
  config = message.config;
  const started = performance.now();
  const snapshot = await storedSnapshot(config);
  if (snapshot) {
    try {
      await boot({snapshot: performance.now() - started}, snapshot);
      return await restored(config);
    } catch {
      await forgetSnapshots(config);
      pyodide = bridge = trajectory = null;
      models.clear();
    }
  }
  await boot({}, null);
  makeSnapshotLater(config);
}

async function boot(timings, snapshot) {
  await timed(timings, "runtime", "Loading the Python runtime…", async () => {
    const {loadPyodide} = await import(config.pyodide.indexURL + "pyodide.mjs");
    pyodide = snapshot ? await restore(loadPyodide, config, snapshot) : await loadPyodide(runtimeOptions(config));
    // A module's top-level names are not globals: tools that look into the
    // worker from outside (DevTools, the bench's memory probe) find it here.
    self.pyodide = pyodide;
  });
  await timed(timings, "numpy", "Loading NumPy…", () => loadPackage("numpy"));
  await timed(timings, "pydigit", "Loading pydigit…", async () => {
    await loadPackage("pydigit");
    bridge = pyodide.pyimport("pydigit.browser");
  });
  const name = config.defaultModel;
  const model = await timed(timings, "model", `Loading the ${name.toUpperCase()} weights…`,
                            () => loadModel(name));
  const started = performance.now();
  try {
    warmUp(model);
  } catch (error) {
    throw Object.assign(new Error(`Warming up failed: ${describe(error)}`), {step: "model"});
  }
  timings.warmup = performance.now() - started;
  // Everything loaded so far (NumPy, pydigit, the model: some 30 000 objects)
  // lives as long as the worker. Frozen, Python's cyclic collector no longer
  // walks it: a full collection, which would otherwise stall one prediction
  // now and then for longer than a whole prediction takes, becomes nearly free.
  pyodide.pyimport("gc").freeze();
  post({type: Message.READY, timings});
}

// Predictions of a made-up drawing (a ring) before "ready". V8 first runs
// WebAssembly with its baseline compiler and optimises the functions that
// turn out hot, in the background: without this, the first dozen or so
// predictions a visitor makes run several times slower than the rest. One
// is not enough; a few make the first ones nearly as fast as the rest, for
// a cost the visitor does not notice in the load.
const WARMUP_PREDICTIONS = 5;

function warmUp(model) {
  const steps = 48;
  const points = new Float64Array(2 * (steps + 1));
  for (let i = 0; i <= steps; i++) {
    points[2 * i] = 0.5 + 0.3 * Math.cos(2 * Math.PI * i / steps);
    points[2 * i + 1] = 0.5 + 0.3 * Math.sin(2 * Math.PI * i / steps);
  }
  const lengths = new Uint32Array([steps + 1]);
  for (let i = 0; i < WARMUP_PREDICTIONS; i++) {
    plain(bridge.predict_strokes(points, lengths, model, false));
  }
}

async function loadPackage(name) {
  const problems = [];
  await pyodide.loadPackage(name, {
    messageCallback: () => {},
    errorCallback: (text) => problems.push(text),
  });
  if (problems.length) throw new Error(problems.join("; "));
}

function isBundled(name) {
  return typeof name === "string" && Object.hasOwn(config.models, name);
}

// The model a request names: a bundled one (its weights fetched on first
// use) or, when personal, "yours".
async function modelNamed(name, personal = true) {
  if (personal && name === PERSONAL_MODEL) return teacher.model;
  if (!isBundled(name)) throw new Error(`unknown model ${JSON.stringify(name)}`);
  return loadModel(name).catch((error) => {
    throw new Error(`Loading the ${name.toUpperCase()} weights failed: ${describe(error)}`);
  });
}

async function predict(message, received) {
  const started = performance.now();
  const model = await modelNamed(message.model);
  const stages = message.stages === true;
  const result = plain(message.explain === true ?
    bridge.explain_strokes_for_page(message.points, message.lengths, model, message.target ?? null, stages) :
    bridge.predict_strokes(message.points, message.lengths, model, stages));
  result.digit ??= null;  // Python's None arrives as undefined
  const transfer = [result.input28.buffer];
  if (result.stages) {
    for (const stage of Object.values(result.stages)) transfer.push(stage.pixels.buffer);
  }
  if (result.explanation) {
    const {activations, saliency, gradient_x_input} = result.explanation;
    transfer.push(activations.buffer, saliency.buffer, gradient_x_input.buffer);
  }
  const now = performance.now();
  Object.assign(result.ms, {worker: now - started, received, answered: performance.timeOrigin + now});
  post({type: Message.PREDICTION, id: message.id, model: message.model, ...result}, transfer);
}

// What each model read of the digits of the number being drawn
// (pydigit.number.DigitMemo): a stroke added to the last digit reads that
// digit again, not the whole number.
const digitMemos = new Map();

// A number pad's drawing: the number, each digit's answer and its box.
async function predictNumber(message, received) {
  const started = performance.now();
  const model = await modelNamed(message.model);
  const voter = await trajectoryNetwork();
  if (!digitMemos.has(message.model)) digitMemos.set(message.model, bridge.DigitMemo());
  const result = plain(bridge.predict_number_strokes(message.points, message.lengths, model, message.aspect,
                                                     digitMemos.get(message.model), voter));
  const now = performance.now();
  Object.assign(result.ms, {worker: now - started, received, answered: performance.timeOrigin + now});
  post({type: Message.NUMBER_PREDICTION, id: message.id, model: message.model, ...result});
}

// The WebAssembly memory Python lives in, in bytes (null before it is loaded):
// what a page (or a test) can watch for leaks without reaching into the worker.
function memoryBytes() {
  return pyodide ? pyodide._module.HEAP8.buffer.byteLength : null;
}

// The requests that need the runtime loaded, by type.
const REQUESTS = {
  [Message.PREDICT]: predict,
  [Message.PREDICT_NUMBER]: predictNumber,
  [Message.TEACH]: (message) => teacher.teach(message),
  [Message.SCORE]: (message) => teacher.score(message, modelNamed),
  [Message.PERSONAL]: (message) => teacher.install(message),
  [Message.FORGET]: (message) => teacher.forget(message),
};

// Every message gets its answer: a malformed one (not an object, an unknown
// type, wrong fields) an error for its id, after which the worker goes on.
self.onmessage = async (event) => {
  const received = performance.timeOrigin + performance.now();
  const message = event.data !== null && typeof event.data === "object" ? event.data : {};
  if (message.type === Message.PING) return post({type: Message.PONG, memory: memoryBytes()});
  const request = Object.hasOwn(REQUESTS, message.type) ? REQUESTS[message.type] : null;
  try {
    if (message.type === Message.INIT) await init(message);
    else if (!request) throw new Error(`unknown message type ${JSON.stringify(message.type)}`);
    else if (!bridge) throw new Error("not ready: the recognizer is still loading");
    else await request(message, received);
  } catch (error) {
    const step = error.step || (message.type === Message.INIT ? "init" : request ? message.type : "predict");
    const failed = {type: Message.ERROR, step, message: describe(error)};
    post(message.type === Message.INIT ? failed : {...failed, id: message.id ?? null});
  }
};
