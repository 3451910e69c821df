// What the visitor has drawn: strokes of points in 0..1 of the pad's side
// (a number pad's: in units of its height, x in 0..width / height).
// The network's input is made from these points by pydigit in the worker,
// never read back from a canvas (which privacy-hardened browsers blank or
// salt with noise).

export class Drawing {
  #strokes = [];            // each a list of [x, y], x to the right, y down

  get strokes() { return this.#strokes; }

  get isEmpty() { return this.#strokes.length === 0; }

  startStroke(point) { this.#strokes.push([point]); }

  extendStroke(point) { this.#strokes.at(-1).push(point); }

  undo() { this.#strokes.pop(); }

  clear() { this.#strokes = []; }

  // The strokes as the worker takes them (protocol.js's "predict" and
  // "predict-number"): every point's x, y one after the other, and each
  // stroke's number of points.
  flattened() {
    const {points, lengths} = flatten([this.#strokes]);
    return {points, lengths};
  }
}

// Drawings (each a list of strokes) as the worker takes them: their strokes'
// points and lengths one drawing after the other, and counts, each drawing's
// number of strokes (protocol.js).
export function flatten(drawings) {
  const strokes = drawings.flat();
  const counts = new Uint32Array(drawings.map((drawing) => drawing.length));
  const lengths = new Uint32Array(strokes.map((stroke) => stroke.length));
  const points = new Float64Array(2 * lengths.reduce((sum, n) => sum + n, 0));
  let i = 0;
  for (const stroke of strokes) {
    for (const [x, y] of stroke) {
      points[i++] = x;
      points[i++] = y;
    }
  }
  return {points, lengths, counts};
}
