/*
 * <digit-pad model="cnn|mlp" [show-stages]>: draw a digit, see what pydigit
 * thinks it is while you draw. Python (Pyodide + NumPy + pydigit) runs in a
 * Web Worker (worker.js, which documents the message protocol).
 *
 * Public contract (see the Embed page):
 *   attribute model = "cnn" | "mlp"; property/attribute state -> data-state =
 *   "loading" | "ready" | "error"; events "ready", "error" {message},
 *   "prediction" {digit, probabilities, confidence, ms, model}; method clear();
 *   property lastPrediction; the drawing surface is canvas[part=pad] in an
 *   open shadow root.
 */
import config from "./config.js";
import {drawGrey, drawStrokes, inkColour, readInk} from "./ink.js";
import {LOAD_STEPS, MODEL_NAMES, template} from "./template.js";

const here = import.meta.url;
const resolve = (url) => new URL(url, here).href;
const EMPTY = Object.freeze({digit: null, probabilities: new Array(10).fill(0), confidence: 0});
// The watchdog. A worker can stop without a word (it called close(), it is
// stuck in a loop, the browser stopped it): no event tells the page, and a
// prediction in flight would wait forever. So while the page waits for the
// worker (loading, or a prediction in flight) it pings it every PING_MS; the
// worker answers between its tasks, even mid-download. MAX_UNANSWERED pings in
// a row with no message back (about 10 s) mean the worker is gone: error, with
// Retry. Generous, because the worker is legitimately deaf for one synchronous
// step (importing NumPy, a forward pass), a second or so on a slow phone.
// Pings are counted, not timed, so that a throttled or frozen background tab,
// whose timer runs late, gives the worker as many chances to answer. A dead
// worker that was idle is noticed at the next prediction.
const PING_MS = 1000;
const MAX_UNANSWERED = 10;

export class DigitPad extends HTMLElement {
  static observedAttributes = ["model"];

  #worker = null;
  #state = "loading";
  #strokes = [];            // each a list of [x, y] in 0..1 of the canvas side
  #activePointer = null;
  #inFlight = null;         // the one prediction the worker is working on
  #dirty = false;           // the drawing changed since the last request
  #requestId = 0;
  #version = 0;             // bumped on every change to the drawing (or model)
  #shownVersion = -1;       // the version the answer on show is for
  #lastPrediction = null;
  #watchdog = null;         // the interval timer pinging the worker
  #unanswered = 0;          // pings sent since the worker's last message
  #networkCanvas = document.createElement("canvas");

  constructor() {
    super();
    this.attachShadow({mode: "open"}).appendChild(template.content.cloneNode(true));
    this.#networkCanvas.width = this.#networkCanvas.height = config.pen.canvasSize;
    const $ = (selector) => this.shadowRoot.querySelector(selector);
    this.pad = $("canvas[part=pad]");
    this.parts = {
      status: $(".status"), statusText: $(".status-text"), progress: $("progress"),
      retry: $(".retry"), digit: $(".digit"), confidence: $(".confidence"),
      bars: [...this.shadowRoot.querySelectorAll(".bars li")].map((li) => ({
        li, fill: li.querySelector(".fill"), pct: li.querySelector(".pct")})),
      input28: $(".input28 canvas"),
      announce: $(".announce"), timing: $(".timing"), stages: $(".stages"), hint: $(".hint"),
    };
    this.#bindDrawing();
    $(".undo").addEventListener("click", () => this.undo());
    $(".clear").addEventListener("click", () => this.clear());
    this.parts.retry.addEventListener("click", () => this.#start());
    for (const button of this.shadowRoot.querySelectorAll("[data-model]")) {
      button.addEventListener("click", () => { this.model = button.dataset.model; });
    }
  }

  connectedCallback() {
    this.#showModel();
    this.#resizeObserver.observe(this.pad);
    if (!this.#worker) this.#start();
  }

  disconnectedCallback() {
    this.#resizeObserver.disconnect();
    this.#stopWorker();
  }

  attributeChangedCallback() {
    this.#showModel();
    this.#requestPrediction(this.#strokes.length > 0);
  }

  get model() {
    const name = this.getAttribute("model");
    return MODEL_NAMES.includes(name) ? name : config.defaultModel;
  }

  set model(name) { this.setAttribute("model", name); }

  get state() { return this.#state; }

  get lastPrediction() { return this.#lastPrediction; }

  clear() {
    this.#strokes = [];
    this.#redraw();
    this.#requestPrediction(true);
  }

  undo() {
    this.#strokes.pop();
    this.#redraw();
    this.#requestPrediction(true);
  }

  // --- loading -------------------------------------------------------------

  #start() {
    this.#stopWorker();
    this.#setState("loading");
    this.parts.retry.hidden = true;
    this.parts.progress.value = 0;
    const url = resolve("./worker.js");
    let worker;
    try {
      worker = new Worker(url);  // throws e.g. when the page and the widget are on different origins
    } catch (error) {
      this.#fail(`the recognizer could not start: ${error.message}`);
      return;
    }
    this.#worker = worker;
    // A worker that has been replaced or stopped no longer speaks for the pad.
    worker.onmessage = (event) => worker === this.#worker && this.#onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker === this.#worker) {
        this.#fail(event.message ? `the recognizer crashed: ${event.message}` :
          `the recognizer could not start (${url})`);
      }
    };
    worker.postMessage({type: "init", config: absoluteConfig()});
    this.#unanswered = 0;
    this.#watchdog = setInterval(() => this.#watch(), PING_MS);
  }

  // Ends the worker, if any; a request it had not answered is asked again of
  // the next one.
  #stopWorker() {
    clearInterval(this.#watchdog);
    this.#worker?.terminate();
    this.#worker = null;
    if (this.#inFlight) {
      this.#inFlight = null;
      this.#dirty = true;
    }
  }

  #watch() {
    if (this.#state !== "loading" && !this.#inFlight) this.#unanswered = 0;  // not waiting
    else if (this.#unanswered++ < MAX_UNANSWERED) this.#worker.postMessage({type: "ping"});
    else this.#fail("the recognizer stopped responding");
  }

  #onMessage(message) {
    this.#unanswered = 0;  // any message shows the worker is alive
    if (message.type === "progress") {
      this.parts.progress.value = LOAD_STEPS.indexOf(message.step);
      this.parts.statusText.textContent = message.message;
    } else if (message.type === "ready") {
      this.parts.progress.value = LOAD_STEPS.length;
      this.#setState("ready");
      this.dispatchEvent(new CustomEvent("ready", {detail: {timings: message.timings}}));
      this.#pump();
    } else if (message.type === "prediction") {
      this.#onPrediction(message);
    } else if (message.type === "error") {
      this.#fail(message.message);
    }
  }

  #setState(state) {
    this.#state = state;
    this.dataset.state = state;
    this.parts.status.dataset.state = state;
    if (state === "ready") this.parts.statusText.textContent = "Ready: Python is running in your browser.";
  }

  // Any failure ends the worker (a new one starts on Retry), so no late
  // message from it can undo the error state.
  #fail(message) {
    const loading = this.#state === "loading";
    this.#stopWorker();
    this.#setState("error");
    this.parts.statusText.textContent = `${loading ? "Could not load the recognizer" : "Error"}: ${message}`;
    this.parts.retry.hidden = false;
    this.dispatchEvent(new CustomEvent("error", {detail: {message}}));
  }

  // --- drawing -------------------------------------------------------------

  #resizeObserver = new ResizeObserver(() => {
    const side = this.pad.clientWidth;
    const ratio = window.devicePixelRatio || 1;
    this.pad.width = this.pad.height = Math.max(1, Math.round(side * ratio));
    this.#redraw();
  });

  #bindDrawing() {
    // In 0..1 of the canvas's content box, which its bitmap fills (not of its border box).
    const point = (event) => {
      const box = this.pad.getBoundingClientRect();
      return [(event.clientX - box.left - this.pad.clientLeft) / this.pad.clientWidth,
              (event.clientY - box.top - this.pad.clientTop) / this.pad.clientHeight];
    };
    this.pad.addEventListener("pointerdown", (event) => {
      if (this.#activePointer !== null || (event.pointerType === "mouse" && event.button !== 0)) return;
      event.preventDefault();
      this.#activePointer = event.pointerId;
      this.pad.setPointerCapture(event.pointerId);
      this.#strokes.push([point(event)]);
      this.#scheduleRedraw();
      this.#requestPrediction();
    });
    this.pad.addEventListener("pointermove", (event) => {
      if (event.pointerId !== this.#activePointer) return;
      const stroke = this.#strokes.at(-1);
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      for (const each of events.length ? events : [event]) {
        stroke.push(point(each));
        this.#scheduleRedraw();
      }
      this.#requestPrediction();
    });
    const end = (event) => {
      if (event.pointerId === this.#activePointer) {
        this.#activePointer = null;
        this.#penUp(event.pointerId);
      }
      // Fired right after the pointerup (or pointercancel) has been through
      // the whole page, in the same task.
      if (event.type === "lostpointercapture") this.#finalise(event.pointerId);
    };
    this.pad.addEventListener("pointerup", end);
    this.pad.addEventListener("pointercancel", end);
    this.pad.addEventListener("lostpointercapture", end);
  }

  #penWidth(side) { return config.pen.width / config.pen.canvasSize * side; }

  #redraw() {
    const context = this.pad.getContext("2d");
    context.clearRect(0, 0, this.pad.width, this.pad.height);
    drawStrokes(context, this.#strokes, this.pad.width, this.#penWidth(this.pad.width), inkColour(this.pad));
    this.parts.hint.hidden = this.#strokes.length > 0;
  }

  // Redraw whole strokes once per frame: drawing segment by segment makes the
  // anti-aliased edges of overlapping round caps show as beads.
  #scheduleRedraw() {
    this.parts.hint.hidden = true;
    this.#redrawPending ||= requestAnimationFrame(() => {
      this.#redrawPending = 0;
      this.#redraw();
    });
  }

  #redrawPending = 0;

  #networkPixels() {
    const side = config.pen.canvasSize;
    const context = this.#networkCanvas.getContext("2d", {willReadFrequently: true});
    context.clearRect(0, 0, side, side);
    drawStrokes(context, this.#strokes, side, config.pen.width, "#000");
    return readInk(context, side);
  }

  // --- predicting ----------------------------------------------------------

  // final: the answer to announce (pointer up, undo, clear, model switch).
  #requestPrediction(final = false) {
    this.#version++;
    this.#dirty = true;
    this.#announceNext ||= final;
    this.#pump();
  }

  #announceNext = false;

  // Lifting the pen adds no ink: the drawing is the one last asked about, so
  // its answer, on show or on its way, is the final one; nothing to ask again.
  // (Asking again would also be slow: Chromium holds a worker's reply to a
  // request made while handling discrete input, such as a pointerup, until it
  // has rendered the next frame.)
  #penUp(pointerId) {
    this.#announceNext = true;
    if (this.#dirty || this.#inFlight || this.#state !== "ready" || !this.#lastPrediction ||
        this.#shownVersion !== this.#version) {
      this.#dirty ||= !this.#inFlight;  // no answer on its way: ask
      this.#pump();
      return;
    }
    // The answer on show becomes final once the pointerup has been through
    // the page (whoever listens to both hears the pointerup first, as when
    // the final answer comes from the worker): at the lostpointercapture that
    // follows it, or, for pointer events dispatched from script, which have
    // none, at the next frame.
    this.#pendingFinal = {version: this.#version, pointerId};
    requestAnimationFrame(() => this.#finalise(pointerId));
  }

  #pendingFinal = null;

  #finalise(pointerId) {
    const pending = this.#pendingFinal;
    if (!pending || pending.pointerId !== pointerId) return;
    this.#pendingFinal = null;
    // Unless the drawing (or model) changed meanwhile: its own answer will be final.
    if (pending.version === this.#version && this.#shownVersion === this.#version &&
        this.#activePointer === null && !this.#inFlight) {
      this.#show({...this.#lastPrediction, final: true}, null, false);
    }
  }

  #pump() {
    if (!this.#dirty || this.#inFlight || this.#state !== "ready" || !this.#worker) return;
    this.#dirty = false;
    if (this.#strokes.length === 0) {
      this.#shownVersion = this.#version;
      this.#show({...EMPTY, probabilities: [...EMPTY.probabilities], ms: 0, model: this.model,
                  final: this.#activePointer === null});
      return;
    }
    const pixels = this.#networkPixels();
    const side = config.pen.canvasSize;
    this.#inFlight = {id: ++this.#requestId, started: performance.now(), version: this.#version};
    this.#worker.postMessage({
      type: "predict", id: this.#inFlight.id, model: this.model, width: side, height: side,
      pixels, stages: this.hasAttribute("show-stages"),
    }, [pixels.buffer]);
  }

  #onPrediction(message) {
    if (!this.#inFlight || message.id !== this.#inFlight.id) return;
    const now = performance.now();
    const {started, version} = this.#inFlight;
    const ms = now - started;
    const final = version === this.#version && this.#activePointer === null;
    this.#inFlight = null;
    // An answer for a drawing that has since been cleared is not shown.
    if (this.#strokes.length > 0) {
      // The worker's clock readings, on the same time line as the page's:
      // the message's trip to the worker and the answer's trip back.
      const {received, answered, ...steps} = message.ms;
      const origin = performance.timeOrigin;
      this.#shownVersion = version;
      this.#show({digit: message.digit, probabilities: message.probabilities,
                  confidence: message.confidence, ms, model: message.model, final,
                  timings: {...steps, total: ms, toWorker: received - (origin + started),
                            toPage: origin + now - answered}}, message);
    }
    this.#pump();
  }

  // render: false when the answer on show only becomes final (pen up).
  #show(detail, message = null, render = true) {
    this.#lastPrediction = detail;
    if (render) this.#render(detail, message);
    const {digit, confidence} = detail;
    const sure = digit !== null && confidence >= config.models[detail.model].notSure;
    if (this.#announceNext && detail.final) {
      this.#announceNext = false;
      this.parts.announce.textContent = digit === null ? "The pad is empty." :
        sure ? `Looks like a ${digit}, ${Math.round(confidence * 100)} percent.` :
          `Not sure. Maybe a ${digit}, ${Math.round(confidence * 100)} percent.`;
    }
    this.dispatchEvent(new CustomEvent("prediction", {detail}));
  }

  // The answer on screen. Only what changed is written: every write makes
  // the browser restyle, lay out and paint again, on the thread that handles
  // the pen, while the worker computes the next answer.
  #render(detail, message) {
    const {digit, probabilities, confidence} = detail;
    const threshold = config.models[detail.model].notSure;
    const sure = digit !== null && confidence >= threshold;
    setText(this.parts.digit, digit === null ? "–" : sure ? String(digit) : "?");
    const percent = Math.round(confidence * 100);
    setText(this.parts.confidence, digit === null ? "" :
      sure ? `${percent}%` : `not sure (maybe ${digit}, ${percent}%)`);
    this.parts.bars.forEach(({li, fill, pct}, d) => {
      const p = probabilities[d];
      // On the bar itself (which the property sizes), not on its row: a custom
      // property set on an element restyles all its descendants.
      const width = String(Math.round(p * 1000) / 1000);  // 0.1 % steps: under a pixel
      if (fill.style.getPropertyValue("--p") !== width) fill.style.setProperty("--p", width);
      li.classList.toggle("top", d === digit);
      setText(pct, digit === null ? "" : `${Math.round(p * 100)}%`);
    });
    drawGrey(this.parts.input28, message ? message.input28 : new Uint8Array(784), 28, 28);
    setText(this.parts.timing, message ? `${detail.ms.toFixed(1)} ms` : "");
    if (message?.stages) this.#showStages(message.stages);
  }

  #showStages(stages) {
    this.parts.stages.hidden = false;
    for (const [name, stage] of Object.entries(stages)) {
      const figure = this.parts.stages.querySelector(`[data-stage=${name}]`);
      drawGrey(figure.querySelector("canvas"), stage.pixels, stage.width, stage.height);
      figure.querySelector("figcaption").textContent = `${name} ${stage.width}×${stage.height}`;
    }
  }

  #showModel() {
    for (const button of this.shadowRoot.querySelectorAll("[data-model]")) {
      button.setAttribute("aria-pressed", String(button.dataset.model === this.model));
    }
  }
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function absoluteConfig() {
  const models = Object.fromEntries(Object.entries(config.models).map(
    ([name, spec]) => [name, {...spec, url: resolve(spec.url)}]));
  return {...config, models, pyodide: {...config.pyodide,
    indexURL: resolve(config.pyodide.indexURL), lockFileURL: resolve(config.pyodide.lockFileURL)}};
}

customElements.define("digit-pad", DigitPad);
