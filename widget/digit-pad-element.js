/*
 * The <digit-pad> element: its attributes, state, events and methods, and
 * its life in the page. Its public contract (the Embed page, docs/embed.md,
 * says more):
 *   attribute/property model = "cnn" | "mlp"; attribute show-stages;
 *   property state, attribute data-state = "loading" | "ready" | "error";
 *   events, bubbling and composed: "ready" {timings}, "error" {message},
 *   "prediction" {digit, probabilities, confidence, ms, model, final,
 *   timings?}; methods clear(), undo(); property lastPrediction (the last
 *   "prediction" detail); the drawing surface is canvas[part=pad] in an open
 *   shadow root.
 * All the pads of a page share one worker (recognizer.js).
 */
import config from "./config.js";
import {Drawing} from "./drawing.js";
import {PadView} from "./pad-view.js";
import {PointerInput} from "./pointer-input.js";
import {Predictor} from "./predictor.js";
import {LOAD_STEPS} from "./protocol.js";
import {recognizer} from "./recognizer.js";
import {MODEL_NAMES, template} from "./template.js";

export class DigitPadElement extends HTMLElement {
  static observedAttributes = ["model"];

  #state = "loading";       // "loading" | "ready" | "error"
  #drawing = new Drawing();
  #view;
  #input;
  #predictor;
  // What the recognizer tells this pad of the page's worker.
  #listener = {
    loading: () => {
      this.#setState("loading");
      this.#view.showRetry(false);
      this.#view.showProgress(0);
    },
    progress: (step, text) => {
      this.#view.showProgress(LOAD_STEPS.indexOf(step));
      this.#view.showStatus(text);
    },
    ready: (timings) => {
      this.#view.showProgress(LOAD_STEPS.length);
      this.#setState("ready");
      this.#emit("ready", {timings});
      this.#predictor.ask();
    },
    failed: (message) => {
      this.#predictor.askAgain();
      this.#fail(message);
    },
  };

  constructor() {
    super();
    const root = this.attachShadow({mode: "open"});
    root.appendChild(template.content.cloneNode(true));
    this.#view = new PadView(root, this.#drawing);
    this.#predictor = new Predictor(this.#drawing, {
      canAsk: () => this.#state === "ready" && this.isConnected && recognizer.state === "ready",
      penDown: () => this.#input.penDown,
      model: () => this.model,
      withStages: () => this.hasAttribute("show-stages"),
      show: (detail, how) => this.#show(detail, how),
      refused: (message) => this.#fail(message),
    });
    this.#input = new PointerInput(this.#view.canvas, this.#drawing, {
      drew: () => {
        this.#view.scheduleRedraw();
        this.#predictor.changed();
      },
      penUp: (pointerId) => this.#predictor.penUp(pointerId),
      captureLost: (pointerId) => this.#predictor.finalise(pointerId),
    });
    root.querySelector(".undo").addEventListener("click", () => this.undo());
    root.querySelector(".clear").addEventListener("click", () => this.clear());
    root.querySelector(".retry").addEventListener("click", () => this.#retry());
    for (const button of root.querySelectorAll("[data-model]")) {
      button.addEventListener("click", () => { this.model = button.dataset.model; });
    }
  }

  connectedCallback() {
    this.#view.showModel(this.model);
    this.#view.watch();
    recognizer.attach(this.#listener);
  }

  disconnectedCallback() {
    this.#view.unwatch();
    recognizer.detach(this.#listener);
  }

  attributeChangedCallback() {
    this.#view.showModel(this.model);
    this.#predictor.changed(!this.#drawing.isEmpty);
  }

  get model() {
    const name = this.getAttribute("model");
    return MODEL_NAMES.includes(name) ? name : config.defaultModel;
  }

  set model(name) { this.setAttribute("model", name); }

  get state() { return this.#state; }

  get lastPrediction() { return this.#predictor.lastPrediction; }

  // Both end a stroke under way first: the pointer draws again once pressed again.
  clear() {
    this.#input.endStroke();
    this.#drawing.clear();
    this.#view.redraw();
    this.#predictor.changed(true);
  }

  undo() {
    this.#input.endStroke();
    this.#drawing.undo();
    this.#view.redraw();
    this.#predictor.changed(true);
  }

  #setState(state) {
    this.#state = state;
    this.dataset.state = state;
    this.#view.showState(state);
  }

  // The page's worker failed (every pad shows it), or this pad's request did.
  #fail(message) {
    const loading = this.#state === "loading";
    this.#setState("error");
    this.#view.showStatus(`${loading ? "Could not load the recognizer" : "Error"}: ${message}`);
    this.#view.showRetry(true);
    this.#emit("error", {message});
  }

  // A failed worker is started again, for every pad; a request that failed
  // (the worker goes on) is asked again.
  #retry() {
    if (recognizer.state === "failed") {
      recognizer.retry();
    } else if (this.#state === "error" && recognizer.state === "ready") {
      this.#view.showRetry(false);
      this.#setState("ready");
      this.#predictor.ask();
    }
  }

  // detail: the "prediction" event's; how: {message (the worker's, if it
  // answered), render (false when only finality changed), announce}.
  #show(detail, {message, render, announce}) {
    const sure = detail.digit !== null && detail.confidence >= config.models[detail.model].notSure;
    if (render) this.#view.showAnswer(detail, message, sure);
    if (announce) this.#view.announce(detail, sure);
    this.#emit("prediction", detail);
  }

  // Bubbling and composed, so that a page can listen on document.
  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, {detail, bubbles: true, composed: true}));
  }
}
