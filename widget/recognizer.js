// The page's recognizer: the one worker (worker.js) that all the page's
// <digit-pad> elements share, so that a page starts Python once however many
// pads it has. It starts with the first pad to connect and ends after the
// last has gone; it watches that the worker answers, and gives each answer to
// the pad that asked. What goes between it and the worker: protocol.js.
import config from "./config.js";
import {ANSWERS, Message} from "./protocol.js";

// The watchdog. A worker can stop without a word (it called close(), it is
// stuck in a loop, the browser stopped it): no event tells the page, and a
// request in flight would wait forever. So while a request is in flight (a
// prediction, a training) the page pings the worker every PING_MS; the
// worker answers between its tasks, even mid-download or mid-training.
// MAX_UNANSWERED pings in a row with no message back mean the worker is
// gone: every pad shows the error, with Retry. Generous, because the worker
// is legitimately deaf for one synchronous step (a forward pass, loading a
// model's weights, a step of training), longer on a slow phone. Pings are
// counted, not timed, so that a throttled or frozen background tab, whose
// timer runs late, gives the worker as many chances to answer. A dead worker
// that was idle is noticed at the next prediction.
//
// While Python loads, pings are not counted: its start-up keeps the worker
// busy without a break for longer than MAX_UNANSWERED pings in WebKit on a
// busy machine, on a page that would have worked. Loading has its own limit
// instead: each step of it (protocol.js's LOAD_STEPS; the worker says as
// each starts, and "ready" at the end) may take LOAD_STEP_LIMIT_MS, whether
// the worker is deaf or waits on a download that never ends. A step that
// takes longer fails the load, naming the step ("Loading NumPy took more
// than 60 s: …"). Counted in the watchdog's ticks too, so that a late timer
// only gives more time. A site's config.js may set another limit,
// loadStepLimitMs (one for a slow network, or a test's short one).
const PING_MS = 1000;
const MAX_UNANSWERED = 10;
const LOAD_STEP_LIMIT_MS = 60_000;

/*
 * A pad attaches a listener, told of the worker's state (all at once, on
 * attaching, in a microtask: what the pad has missed):
 *   loading()                the worker is starting (again)
 *   progress(step, text)     loading has started step (protocol.js's LOAD_STEPS)
 *   ready(timings)           predictions may be asked for; timings: the load's
 *   failed(message)          the worker failed: it answers no request; retry() starts another
 * and asks with predict(request, asker), the asker told of that request:
 *   answered(message)        the worker's "prediction" message
 *   refused(message)         the request failed; the worker goes on
 *   dropped()                the worker stopped before it answered
 * Teaching's requests (personal.js) ask with ask(message), a Promise.
 */
class Recognizer {
  #state = "stopped";       // "stopped" | "loading" | "ready" | "failed"
  #worker = null;
  #listeners = new Set();   // the connected pads'
  #askers = new Map();      // request id -> the asker waiting for its answer
  #lastId = 0;
  #progress = null;         // the last "progress" message of the load under way
  #timings = null;          // the finished load's
  #failure = "";            // what went wrong, while failed
  #watchdog = 0;            // the interval timer pinging the worker
  #unanswered = 0;          // pings sent since the worker's last message
  #stepTicks = 0;           // watchdog ticks since the step of loading under way started

  get state() { return this.#state; }

  attach(listener) {
    this.#listeners.add(listener);
    if (this.#state === "stopped") this.#start();
    else queueMicrotask(() => this.#listeners.has(listener) && this.#catchUp(listener));
  }

  // The worker lives on until a task later: a pad moved in the page, or the
  // pads of the next page when instant navigation swaps the page's body,
  // connect again before then.
  detach(listener) {
    this.#listeners.delete(listener);
    setTimeout(() => this.#listeners.size === 0 && this.#stop());
  }

  // request: {model, points, lengths, stages} (protocol.js's "predict"), or
  // {type: "predict-number", model, points, lengths, aspect} (the typed
  // arrays are transferred) -> its id. Only while ready.
  predict(request, asker) {
    return this.#send({type: Message.PREDICT, ...request}, [request.points.buffer, request.lengths.buffer],
                      asker);
  }

  // message: one of teaching's requests (protocol.js: "teach", "score",
  // "personal", "forget"), without its id; transfer: its buffers to
  // transfer; progress(message): told of each "teach-progress" -> a Promise
  // of the worker's answer, rejected with an Error when the worker refuses
  // the request, stops before it answers, or is not ready.
  ask(message, transfer = [], progress = () => {}) {
    return new Promise((resolve, reject) => {
      if (this.#state !== "ready") {
        reject(new Error("the recognizer is not ready"));
        return;
      }
      this.#send(message, transfer, {
        answered: resolve,
        progress,
        refused: (text) => reject(new Error(text)),
        dropped: () => reject(new Error("the recognizer stopped before it answered")),
      });
    });
  }

  #send(message, transfer, asker) {
    const id = ++this.#lastId;
    this.#askers.set(id, asker);
    this.#worker.postMessage({...message, id}, transfer);
    return id;
  }

  retry() {
    if (this.#state === "failed" && this.#listeners.size > 0) this.#start();
  }

  #catchUp(listener) {
    if (this.#state === "loading") {
      listener.loading();
      if (this.#progress) listener.progress(this.#progress.step, this.#progress.message);
    } else if (this.#state === "ready") {
      listener.ready(this.#timings);
    } else if (this.#state === "failed") {
      listener.failed(this.#failure);
    }
  }

  #start() {
    this.#stop();
    this.#state = "loading";
    this.#each((listener) => listener.loading());
    const url = new URL("./worker.js", import.meta.url).href;
    let worker;
    try {
      worker = new Worker(url, {type: "module"});  // throws e.g. when the page and the widget are on different origins
    } catch (error) {
      this.#fail(`the recognizer could not start: ${error.message}`);
      return;
    }
    this.#worker = worker;
    // A worker that has been replaced or stopped no longer speaks for the page.
    worker.onmessage = (event) => worker === this.#worker && this.#onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker !== this.#worker) return;
      this.#fail(event.message ? `the recognizer crashed: ${event.message}` :
        `the recognizer could not start (${url})`);
    };
    worker.postMessage({type: Message.INIT, config: absoluteConfig()});
    this.#unanswered = this.#stepTicks = 0;
    this.#watchdog = setInterval(() => this.#watch(), PING_MS);
  }

  // Ends the worker, if any; its unanswered requests are dropped.
  #stop() {
    clearInterval(this.#watchdog);
    this.#worker?.terminate();
    this.#worker = null;
    this.#state = "stopped";
    this.#progress = this.#timings = null;
    const askers = [...this.#askers.values()];
    this.#askers.clear();
    for (const asker of askers) asker.dropped();
  }

  // Any failure of the worker ends it (a new one starts on Retry), so no
  // late message from it can undo the error.
  #fail(message) {
    this.#stop();
    this.#state = "failed";
    this.#failure = message;
    this.#each((listener) => listener.failed(message));
  }

  #watch() {
    if (this.#state === "loading") this.#watchLoad();
    else if (this.#askers.size === 0) this.#unanswered = 0;  // not waiting
    else if (this.#unanswered++ < MAX_UNANSWERED) this.#worker.postMessage({type: Message.PING});
    else this.#fail("the recognizer stopped responding");
  }

  #watchLoad() {
    const limit = config.loadStepLimitMs ?? LOAD_STEP_LIMIT_MS;
    if (++this.#stepTicks * PING_MS <= limit) return;
    // The step's own words, from its "progress" message: "Loading NumPy…".
    const step = this.#progress ? this.#progress.message.replace(/…$/, "") : "Starting the recognizer";
    this.#fail(`${step} took more than ${limit / 1000} s: the recognizer stopped responding`);
  }

  #onMessage(message) {
    this.#unanswered = 0;  // any message shows the worker is alive
    if (message.type === Message.PROGRESS) {
      this.#progress = message;
      this.#stepTicks = 0;
      this.#each((listener) => listener.progress(message.step, message.message));
    } else if (message.type === Message.READY) {
      this.#state = "ready";
      this.#timings = message.timings;
      this.#each((listener) => listener.ready(message.timings));
    } else if (ANSWERS.includes(message.type)) {
      this.#takeAsker(message.id)?.answered(message);
    } else if (message.type === Message.TEACH_PROGRESS) {
      this.#askers.get(message.id)?.progress(message);
    } else if (message.type === Message.ERROR && message.id !== undefined) {
      this.#takeAsker(message.id)?.refused(message.message);
    } else if (message.type === Message.ERROR) {
      this.#fail(message.message);
    }
  }

  // The asker waiting for request id, no longer waiting.
  #takeAsker(id) {
    const asker = this.#askers.get(id);
    this.#askers.delete(id);
    return asker;
  }

  // A listener may attach or detach pads: it does not change who is told now.
  #each(tell) {
    for (const listener of [...this.#listeners]) tell(listener);
  }
}

// The URLs in config.js are relative to the widget's files, wherever the
// page that loads them is (and after instant navigation changed its URL).
function absoluteConfig() {
  const resolve = (url) => new URL(url, import.meta.url).href;
  const models = Object.fromEntries(Object.entries(config.models).map(
    ([name, spec]) => [name, {...spec, url: resolve(spec.url)}]));
  const trajectory = config.trajectory && {url: resolve(config.trajectory.url)};
  return {...config, models, trajectory, pyodide: {...config.pyodide,
    indexURL: resolve(config.pyodide.indexURL), lockFileURL: resolve(config.pyodide.lockFileURL)}};
}

export const recognizer = new Recognizer();
