// What a pad shows: its status line, the strokes on its canvas, the answer
// (a number pad's: number-view.js, and its digits' boxes over the strokes)
// and the announcement of it. Only what changed is written: every write
// makes the browser restyle, lay out and paint again, on the thread that
// handles the pen, while the worker computes the next answer.
import config from "./config.js";
import {drawBoxes, drawGrey, drawStrokes, inkColour} from "./ink.js";
import {NumberView, numberWords} from "./number-view.js";
import {PERSONAL_MODEL} from "./protocol.js";

// What may change the page's colour scheme: the attributes that mkdocs-material's
// palette toggle sets on <body>, and those other sites' theme switches
// commonly set, on <html> or <body>; and the system's dark mode.
const SCHEME_ATTRIBUTES = ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent",
                           "data-theme", "data-color-scheme", "class", "style"];
const DARK = matchMedia("(prefers-color-scheme: dark)");

export class PadView {
  #drawing;
  #canvas;
  #status;
  #statusText;
  #progress;
  #retry;
  #notice;
  #hint;
  #digit;
  #confidence;
  #bars;                    // per digit {li, fill, pct}
  #input28;
  #timing;
  #stages;
  #announce;
  #modelButtons;
  #number;                  // the NumberView
  #isNumber = false;        // a number pad (mode="number")
  #boxes = [];              // the number's digits on show, {box, notSure} (ink.js's drawBoxes)
  #redrawPending = 0;       // the animation frame that will redraw the strokes
  #ink = "";                // the colour the strokes on show are drawn in
  #recolourPending = 0;     // the animation frame that will check it
  #recolour = () => { this.#recolourPending ||= requestAnimationFrame(() => this.#checkInk()); };
  #resizeObserver = new ResizeObserver(() => this.#fitCanvas());
  #schemeObserver = new MutationObserver(this.#recolour);

  constructor(root, drawing) {
    const $ = (selector) => root.querySelector(selector);
    this.#drawing = drawing;
    this.#canvas = $("canvas[part=pad]");
    this.#status = $(".status");
    this.#statusText = $(".status-text");
    this.#progress = $("progress");
    this.#retry = $(".retry");
    this.#notice = $(".notice");
    this.#hint = $(".hint");
    this.#digit = $(".digit");
    this.#confidence = $(".confidence");
    this.#bars = [...root.querySelectorAll(".bars li")].map((li) => ({
      li, fill: li.querySelector(".fill"), pct: li.querySelector(".pct")}));
    this.#input28 = $(".input28 canvas");
    this.#timing = $(".timing");
    this.#stages = $(".stages");
    this.#announce = $(".announce");
    this.#modelButtons = [...root.querySelectorAll("[data-model]")];
    this.#number = new NumberView(root);
  }

  get canvas() { return this.#canvas; }

  // A number pad's width / height, which its strokes' x runs to (1 while
  // the pad has no size: not in the page's layout).
  get aspect() { return this.#canvas.clientWidth / this.#canvas.clientHeight || 1; }

  // mode: "digit" or "number". The layout follows the host's attribute (the
  // styles); the canvas's bitmap follows its new size (#fitCanvas).
  showMode(mode) {
    this.#isNumber = mode === "number";
    this.#hint.textContent = this.#isNumber ? "Write a number" : "Draw a digit";
    this.#canvas.setAttribute("aria-label", this.#isNumber ?
      "Drawing pad: write a number, its digits side by side" : "Drawing pad: draw a digit from 0 to 9");
    this.#boxes = [];
  }

  // --- status ----------------------------------------------------------------

  showState(state) {
    this.#status.dataset.state = state;
    if (state === "ready") this.#statusText.textContent = "Ready: Python is running in your browser.";
  }

  showStatus(text) { this.#statusText.textContent = text; }

  // stepsDone: how many of the load's steps (protocol.js) are done.
  showProgress(stepsDone) { this.#progress.value = stepsDone; }

  showRetry(shown) { this.#retry.hidden = !shown; }

  // What could not be used or kept of the visitor's data (personal.js),
  // whatever the pad's state: the bundled models go on meanwhile.
  showNotice(text) {
    this.#notice.hidden = !text;
    setText(this.#notice, text);
  }

  // name: the model in use; personal: whether the visitor's own model can
  // be chosen (its button is shown).
  showModel(name, personal) {
    for (const button of this.#modelButtons) {
      button.setAttribute("aria-pressed", String(button.dataset.model === name));
      if (button.dataset.model === PERSONAL_MODEL) button.hidden = !personal;
    }
  }

  // --- the strokes -------------------------------------------------------------

  // The canvas's size, which its bitmap follows, and the page's colour
  // scheme: the strokes are painted into the bitmap in the theme's text
  // colour (ink.js), and would stay in the old one when the scheme changes,
  // black on a pad gone dark. While the pad is in the page.
  watch() {
    this.#resizeObserver.observe(this.#canvas);
    for (const element of [document.documentElement, document.body]) {
      if (element) this.#schemeObserver.observe(element, {attributeFilter: SCHEME_ATTRIBUTES});
    }
    DARK.addEventListener("change", this.#recolour);
  }

  unwatch() {
    this.#resizeObserver.disconnect();
    this.#schemeObserver.disconnect();
    DARK.removeEventListener("change", this.#recolour);
    cancelAnimationFrame(this.#recolourPending);
    this.#recolourPending = 0;
  }

  // A frame after the change, once the page's own scripts have followed it
  // (mkdocs-material sets its palette's attributes one after the other).
  #checkInk() {
    this.#recolourPending = 0;
    if (inkColour(this.#canvas) !== this.#ink) this.redraw();
  }

  #fitCanvas() {
    const canvas = this.#canvas;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    canvas.height = this.#isNumber ? Math.max(1, Math.round(canvas.clientHeight * ratio)) : canvas.width;
    this.redraw();
  }

  redraw() {
    const canvas = this.#canvas;
    const side = canvas.height;  // px per unit of the strokes: a square pad's side, a number pad's height
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, canvas.width, side);
    const penWidth = config.pen.width / config.pen.canvasSize * side;
    this.#ink = inkColour(canvas);
    drawStrokes(context, this.#drawing.strokes, side, penWidth, this.#ink);
    drawBoxes(context, this.#boxes, side, window.devicePixelRatio || 1, this.#ink);
    this.#hint.hidden = !this.#drawing.isEmpty;
  }

  // Redraw whole strokes once per frame: drawing segment by segment makes the
  // anti-aliased edges of overlapping round caps show as beads.
  scheduleRedraw() {
    this.#hint.hidden = true;
    this.#redrawSoon();
  }

  #redrawSoon() {
    this.#redrawPending ||= requestAnimationFrame(() => {
      this.#redrawPending = 0;
      this.redraw();
    });
  }

  // --- the answer --------------------------------------------------------------

  // detail: a "prediction" event's; message: the worker's answer, if it
  // came from the worker (an empty pad's does not); sure: the confidence
  // reaches the model's "not sure" threshold.
  showAnswer(detail, message, sure) {
    const {digit, probabilities, confidence} = detail;
    setText(this.#digit, digit === null ? "–" : sure ? String(digit) : "?");
    const percent = Math.round(confidence * 100);
    setText(this.#confidence, digit === null ? "" :
      sure ? `${percent}%` : `not sure (maybe ${digit}, ${percent}%)`);
    this.#bars.forEach(({li, fill, pct}, d) => {
      const p = probabilities[d];
      // On the bar itself (which the property sizes), not on its row: a custom
      // property set on an element restyles all its descendants.
      const width = String(Math.round(p * 1000) / 1000);  // 0.1 % steps: under a pixel
      if (fill.style.getPropertyValue("--p") !== width) fill.style.setProperty("--p", width);
      li.classList.toggle("top", d === digit);
      setText(pct, digit === null ? "" : `${Math.round(p * 100)}%`);
    });
    drawGrey(this.#input28, message ? message.input28 : new Uint8Array(784), 28, 28);
    setText(this.#timing, message ? `${detail.ms.toFixed(1)} ms` : "");
    if (message?.stages) this.#showStages(message.stages);
  }

  // The stages the worker sent: "ink" only with an explanation (protocol.js).
  #showStages(stages) {
    this.#stages.hidden = false;
    for (const figure of this.#stages.querySelectorAll("figure")) {
      const name = figure.dataset.stage, stage = stages[name];
      figure.hidden = !stage;
      if (!stage) continue;
      drawGrey(figure.querySelector("canvas"), stage.pixels, stage.width, stage.height);
      figure.querySelector("figcaption").textContent = `${name} ${stage.width}×${stage.height}`;
    }
  }

  // A number pad's answer. detail: its "prediction" event's; message: the
  // worker's answer, if it came from the worker (an empty pad's does not).
  showNumber(detail, message) {
    this.#number.show(detail);
    this.#boxes = message ? message.boxes.map((box, i) => ({box, notSure: detail.digits[i].notSure})) : [];
    this.#redrawSoon();
    setText(this.#timing, message ? `${detail.ms.toFixed(1)} ms` : "");
  }

  announceNumber(detail) { this.say(numberWords(detail)); }

  // For screen readers, through the live region: only final answers.
  announce({digit, confidence}, sure) {
    const percent = Math.round(confidence * 100);
    this.say(digit === null ? "The pad is empty." :
      sure ? `Looks like a ${digit}, ${percent} percent.` :
        `Not sure. Maybe a ${digit}, ${percent} percent.`);
  }

  // The pad's one live region says the answers, and what teaching did (a
  // drawing kept, the round's next digit, training done): one region, so
  // that they are read one after the other, never over each other. Said
  // later in the same task, a text replaces the one before.
  say(text) { this.#announce.textContent = text; }
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}
