// What the visitor has drawn: strokes of points in 0..1 of the pad's side,
// and those strokes as the network sees them.
import config from "./config.js";
import {drawStrokes, readInk} from "./ink.js";

export class Drawing {
  #strokes = [];            // each a list of [x, y], x to the right, y down
  #networkCanvas = document.createElement("canvas");

  constructor() {
    this.#networkCanvas.width = this.#networkCanvas.height = config.pen.canvasSize;
  }

  get strokes() { return this.#strokes; }

  get isEmpty() { return this.#strokes.length === 0; }

  startStroke(point) { this.#strokes.push([point]); }

  extendStroke(point) { this.#strokes.at(-1).push(point); }

  undo() { this.#strokes.pop(); }

  clear() { this.#strokes = []; }

  // The ink values the worker is sent: the strokes drawn with the pen the
  // evaluation uses, on its canvas (pydigit.pen).
  networkPixels() {
    const side = config.pen.canvasSize;
    const context = this.#networkCanvas.getContext("2d", {willReadFrequently: true});
    context.clearRect(0, 0, side, side);
    drawStrokes(context, this.#strokes, side, config.pen.width, "#000");
    return readInk(context, side);
  }
}
