/*
 * The <digit-pad> element: its attributes, state, events and methods, and
 * its life in the page. Its public contract (the Embed page, docs/embed.md,
 * says more):
 *   attribute/property model = "cnn" | "mlp" | "yours"; attribute show-stages;
 *   property state, attribute data-state = "loading" | "ready" | "error";
 *   events, bubbling and composed: "ready" {timings}, "error" {message},
 *   "prediction" {digit, probabilities, confidence, ms, model, final,
 *   timings?}, "teach-progress" {done, total}, "taught" {drawings,
 *   heldOut: {total, bundled, yours}, base}; methods clear(), undo(),
 *   teach(label), train(), resetPersonal(), exportPersonal(),
 *   importPersonal(files); properties lastPrediction (the last "prediction"
 *   detail), examples, personalized = "none" | "training" | "ready"; the
 *   drawing surface is canvas[part=pad] in an open shadow root.
 * All the pads of a page share one worker (recognizer.js), and the
 * visitor's drawings and model (personal.js).
 */
import config from "./config.js";
import {Drawing} from "./drawing.js";
import {DRAWINGS_FILE, MODEL_FILE, download} from "./exchange.js";
import {GuidedRound} from "./guided-round.js";
import {PadView} from "./pad-view.js";
import {inWords, personal} from "./personal.js";
import {PointerInput} from "./pointer-input.js";
import {Predictor} from "./predictor.js";
import {LOAD_STEPS, PERSONAL_MODEL} from "./protocol.js";
import {recognizer} from "./recognizer.js";
import {TeachView, taughtWords} from "./teach-view.js";
import {MODEL_NAMES, template} from "./template.js";

export class DigitPadElement extends HTMLElement {
  static observedAttributes = ["model"];

  #state = "loading";       // "loading" | "ready" | "error"
  #drawing = new Drawing();
  #view;
  #teachView;
  #input;
  #predictor;
  #inUse = null;            // the model the pad's answers come from
  #adopted = 0;             // the version of the visitor's model (personal.js) the pad switched to
  #round = null;            // the guided round under way, if any
  // What personal.js tells this pad of the visitor's drawings and model.
  #personalListener = {
    changed: () => this.#personalChanged(),
    progress: (done, total) => {
      this.#teachView.show(personal.snapshot, this.#bundledLabel());
      this.#emit("teach-progress", {done, total});
    },
    taught: (detail) => {
      // Said by the pads that now use it: one pad of a page is enough.
      if (this.model === PERSONAL_MODEL) this.#view.say(taughtWords(detail, this.#bundledLabel()));
      this.#emit("taught", detail);
    },
  };
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
    this.#teachView = new TeachView(root, {
      teach: (label) => !this.#drawing.isEmpty && this.teach(label),
      startRound: () => this.#startRound(),
      next: () => this.#nextInRound(),
      stopRound: () => this.#stopRound(),
      train: () => this.#trainAndSay(),
      exportFile: (kind) => this.#exportFile(kind),
      importFiles: (files) => this.importPersonal(files).catch((error) => this.#view.say(inWords(error))),
      reset: () => this.resetPersonal(),
    });
    this.#input = new PointerInput(this.#view.canvas, this.#drawing, {
      drew: () => {
        this.#view.scheduleRedraw();
        this.#predictor.changed();
        if (this.#round) this.#showRound();
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

  // The visitor's data first: it has the worker install "yours" before any
  // pad asks the worker anything.
  connectedCallback() {
    this.#view.showModel(this.model, personal.usable);
    this.#view.watch();
    personal.attach(this.#personalListener);
    recognizer.attach(this.#listener);
  }

  disconnectedCallback() {
    this.#view.unwatch();
    recognizer.detach(this.#listener);
    personal.detach(this.#personalListener);
  }

  attributeChangedCallback() {
    this.#inUse = this.model;
    this.#view.showModel(this.#inUse, personal.usable);
    this.#predictor.changed(!this.#drawing.isEmpty);
  }

  // "yours" while the visitor's model is usable; its bundled model meanwhile.
  get model() {
    const name = this.getAttribute("model");
    if (name === PERSONAL_MODEL) return personal.usable ? name : personal.base ?? config.defaultModel;
    return MODEL_NAMES.includes(name) ? name : config.defaultModel;
  }

  set model(name) { this.setAttribute("model", name); }

  get state() { return this.#state; }

  get lastPrediction() { return this.#predictor.lastPrediction; }

  // How many drawings the visitor has taught (the page's, shared by its pads).
  get examples() { return personal.examples; }

  get personalized() { return personal.state; }

  // Both end a stroke under way first: the pointer draws again once pressed again.
  clear() {
    this.#input.endStroke();
    this.#drawing.clear();
    this.#edited();
  }

  undo() {
    this.#input.endStroke();
    this.#drawing.undo();
    this.#edited();
  }

  // The drawing on the pad is a label (0..9): kept, in this browser, among
  // the visitor's drawings, and the pad emptied for the next -> how many
  // drawings there are now.
  teach(label) {
    if (!Number.isInteger(label) || label < 0 || label > 9) {
      throw new RangeError(`teach(label): the label is a digit from 0 to 9, not ${label}`);
    }
    if (this.#drawing.isEmpty) throw new Error("teach(label): the pad is empty; draw the digit first");
    this.#input.endStroke();
    const count = personal.add(label, this.#drawing.strokes);
    this.clear();
    this.#view.say(personal.snapshot.said);  // in place of "The pad is empty."
    return count;
  }

  // Personalizes the pad's bundled model with the visitor's drawings ->
  // a Promise of the "taught" event's detail, rejected saying why.
  train() { return personal.train(this.#bundledModel()); }

  // The visitor's model (.npz) and drawings (.json), as Files, for keeping.
  exportPersonal() { return personal.files(); }

  // files: such Files -> a Promise of {model, drawings, problems}.
  importPersonal(files) { return personal.import(files); }

  resetPersonal() {
    this.#stopRound();
    return personal.reset();
  }

  #edited() {
    this.#view.redraw();
    this.#predictor.changed(true);
    if (this.#round) this.#showRound();
  }

  // The bundled model the pad uses, or "yours" was personalized from.
  #bundledModel() {
    const model = this.model;
    return model === PERSONAL_MODEL ? personal.base ?? config.defaultModel : model;
  }

  #bundledLabel() { return config.models[this.#bundledModel()].label; }

  // A new model of the visitor's is used at once in place of the bundled
  // model it was personalized from (the model switch goes back to it); a
  // model that stops being usable (Reset, a new worker that has not got it
  // yet) gives way to its bundled model.
  #personalChanged() {
    if (personal.usable && personal.modelVersion !== this.#adopted) {
      this.#adopted = personal.modelVersion;
      if (this.model === personal.base) this.model = PERSONAL_MODEL;
    }
    const model = this.model;
    this.#view.showModel(model, personal.usable);
    if (model !== this.#inUse) {
      this.#inUse = model;
      this.#predictor.changed(!this.#drawing.isEmpty);
    }
    const snapshot = personal.snapshot;
    this.#view.showNotice(snapshot.notice);
    this.#teachView.show(snapshot, this.#bundledLabel());
  }

  #startRound() {
    this.#round = new GuidedRound();
    this.clear();
    this.#view.say(this.#round.prompt);
  }

  #nextInRound() {
    if (!this.#round || this.#drawing.isEmpty) return;
    const round = this.#round;
    this.teach(round.digit);
    round.next();
    if (round.finished) {
      this.#stopRound();
      this.#trainAndSay();
    } else {
      this.#showRound();
      this.#view.say(round.prompt);
    }
  }

  // From the pad's buttons: a failure is said (its words are on show too, personal.js).
  #trainAndSay() {
    this.train().catch((error) => this.#view.say(`Training failed: ${inWords(error)}`));
  }

  #stopRound() {
    this.#round = null;
    this.#showRound();
  }

  #showRound() {
    this.#teachView.showRound(this.#round ? this.#round.prompt : null, !this.#drawing.isEmpty);
  }

  #exportFile(kind) {
    const name = kind === "model" ? MODEL_FILE : DRAWINGS_FILE;
    const file = personal.files().find((each) => each.name === name);
    if (file) download(file, this.shadowRoot.querySelector(".teach"));
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
  // "yours" is as sure as its bundled model needs to be.
  #show(detail, {message, render, announce}) {
    const spec = config.models[detail.model] ?? config.models[this.#bundledModel()];
    const sure = detail.digit !== null && detail.confidence >= spec.notSure;
    if (render) this.#view.showAnswer(detail, message, sure);
    if (announce) this.#view.announce(detail, sure);
    this.#teachView.showCorrection(detail.final && detail.digit !== null && !this.#round);
    this.#emit("prediction", detail);
  }

  // Bubbling and composed, so that a page can listen on document.
  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, {detail, bubbles: true, composed: true}));
  }
}
