/*
 * The <digit-pad> element: its attributes, state, events and methods, and
 * its life in the page. Its public contract (the Embed page, docs/embed.md,
 * says more):
 *   attribute/property model = "cnn" | "mlp" | "yours"; attribute show-stages;
 *   attribute show-layers (the layers and the saliency, layers-view.js, and
 *   "prediction" details with explanation {target, layers: [{name, kind,
 *   shape}]}; a number pad ignores it), property target = null (the
 *   answer) | 0..9, the digit explained (anything else: an error the pad shows);
 *   attribute/property mode = "digit" (default) | "number" (a wide pad that
 *   reads a number written on one line; it does not teach);
 *   property state, attribute data-state = "loading" | "ready" | "error";
 *   events, bubbling and composed: "ready" {timings}, "error" {message},
 *   "prediction" {digit, probabilities, confidence, text, digits, ms,
 *   model, final, timings?} (text: the digits read; digits: per digit
 *   {digit, confidence, probabilities, notSure}; a number pad's has no
 *   digit and probabilities, and its confidence is its least sure digit's),
 *   "teach-progress" {done, total}, "taught" {drawings, heldOut: {total,
 *   bundled, yours}, base}; methods clear(), undo(),
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
import {LayersView} from "./layers-view.js";
import {PadView} from "./pad-view.js";
import {inWords, personal} from "./personal.js";
import {PointerInput} from "./pointer-input.js";
import {Predictor} from "./predictor.js";
import {LOAD_STEPS, PERSONAL_MODEL} from "./protocol.js";
import {recognizer} from "./recognizer.js";
import {TeachView, taughtWords} from "./teach-view.js";
import {MODEL_NAMES, template} from "./template.js";

export class DigitPadElement extends HTMLElement {
  static observedAttributes = ["model", "mode", "show-layers"];

  #state = "loading";       // "loading" | "ready" | "error"
  #drawing = new Drawing();
  #view;
  #teachView;
  #input;
  #predictor;
  #inUse = null;            // the model the pad's answers come from
  #adopted = 0;             // the version of the visitor's model (personal.js) the pad switched to
  #round = null;            // the guided round under way, if any
  #layers = null;           // the LayersView, once the pad has shown its layers
  #target = null;           // the digit they explain, null for the answer
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
      explain: () => (this.#explaining ? {explain: true, target: this.#target} : {}),
      mode: () => this.mode,
      aspect: () => this.#view.aspect,
      notSure: (model) => this.#threshold(model),
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

  attributeChangedCallback(name) {
    if (name === "show-layers") {
      this.#layersChanged();
      return;
    }
    if (name === "mode") {
      this.#modeChanged();
      return;
    }
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

  // "number": a number pad (the styles key on the attribute's exact value, as this does).
  get mode() { return this.getAttribute("mode") === "number" ? "number" : "digit"; }

  set mode(mode) { this.setAttribute("mode", mode); }

  get state() { return this.#state; }

  get lastPrediction() { return this.#predictor.lastPrediction; }

  get target() { return this.#target; }

  // Not checked here: the worker refuses anything but 0..9, in explain's
  // words, and the pad says them. A pad in error for that asks again.
  set target(digit) {
    this.#target = digit;
    if (!this.#explaining) return;
    this.#predictor.changed();
    if (this.#state === "error" && recognizer.state === "ready") this.#retry();
  }

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
    if (this.mode === "number") throw new Error("teach(label): a number pad does not teach; teach a digit pad");
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

  // The answer first: an emptied number pad's has no boxes to redraw.
  #edited() {
    this.#predictor.changed(true);
    this.#view.redraw();
    if (this.#round) this.#showRound();
  }

  // The bundled model the pad uses, or "yours" was personalized from.
  #bundledModel() {
    const model = this.model;
    return model === PERSONAL_MODEL ? personal.base ?? config.defaultModel : model;
  }

  #bundledLabel() { return config.models[this.#bundledModel()].label; }

  // The confidence from which model's answers are sure: "yours" is as sure
  // as its bundled model needs to be.
  #threshold(model) { return (config.models[model] ?? config.models[this.#bundledModel()]).notSure; }

  // The strokes are kept: both modes' are in units of the pad's height.
  #modeChanged() {
    const mode = this.mode;
    this.#input.byHeight = mode === "number";
    this.#view.showMode(mode);
    if (mode === "number") this.#stopRound();
    this.#predictor.changed(!this.#drawing.isEmpty);
  }

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

  // A digit pad that shows its layers asks for their explanation.
  get #explaining() { return this.#layers !== null && this.hasAttribute("show-layers") && this.mode === "digit"; }

  // Made the first time they are shown; the answer on show is asked again, with them.
  #layersChanged() {
    const shown = this.hasAttribute("show-layers");
    if (shown) this.#layers ??= new LayersView(this.shadowRoot, {choose: (digit) => this.#choose(digit)});
    this.#layers?.showPanel(shown);
    if (shown) this.#predictor.changed();
  }

  // A bar chosen: its digit explained, or the answer again when it is the
  // digit explained already, or the answer.
  #choose(digit) {
    this.target = digit === this.#target || digit === this.lastPrediction?.digit ? null : digit;
  }

  // An emptied pad explains its next drawing's answer.
  #showLayers(detail, message) {
    if (!this.#explaining) return;
    if (detail.digit === null) this.#target = null;
    this.#layers.show(detail, message?.explanation ?? null, message?.input28);
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
    if (this.#explaining) this.#layers.showError(message);
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
    const number = this.mode === "number";
    if (number) {
      if (render) this.#view.showNumber(detail, message);
      if (announce) this.#view.announceNumber(detail);
    } else {
      const sure = detail.digit !== null && detail.confidence >= this.#threshold(detail.model);
      if (render) this.#view.showAnswer(detail, message, sure);
      if (render) this.#showLayers(detail, message);
      if (announce) this.#view.announce(detail, sure);
    }
    this.#teachView.showCorrection(!number && detail.final && detail.digit !== null && !this.#round);
    this.#emit("prediction", detail);
  }

  // Bubbling and composed, so that a page can listen on document.
  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, {detail, bubbles: true, composed: true}));
  }
}
