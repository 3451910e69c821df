// The visitor's examples: drawings, each with the digit it is, as the pads
// keep, store and export them: {label, strokes}, strokes as drawing.js has
// them. Checked wherever they come from (the browser's storage, a file the
// visitor imports: either may hold anything), and flattened for the worker.
import {flatten} from "./drawing.js";

// Far more points than anyone draws for one digit: more is not a drawing.
const MAX_POINTS = 20_000;

// value -> {label, strokes}, a copy of what it holds; an Error saying what is
// wrong with it otherwise.
export function checkedExample(value) {
  if (value === null || typeof value !== "object") throw new Error("it is not a drawing");
  const {label, strokes} = value;
  if (!Number.isInteger(label) || label < 0 || label > 9) {
    throw new Error(`its digit is ${JSON.stringify(label) ?? String(label)}, not one of 0 to 9`);
  }
  if (!Array.isArray(strokes) || strokes.length === 0) throw new Error("it has no strokes");
  let points = 0;
  const copy = strokes.map((stroke) => {
    if (!Array.isArray(stroke) || stroke.length === 0) throw new Error("one of its strokes has no points");
    points += stroke.length;
    if (points > MAX_POINTS) throw new Error(`it has more than ${MAX_POINTS} points`);
    return stroke.map((point) => {
      if (!Array.isArray(point) || point.length !== 2 || !point.every(Number.isFinite)) {
        throw new Error("one of its points is not two numbers");
      }
      return [point[0], point[1]];
    });
  });
  return {label, strokes: copy};
}

// Examples -> the fields of a "teach" or a "score" (protocol.js) and the
// buffers to transfer.
export function flattenExamples(examples) {
  const {points, lengths, counts} = flatten(examples.map((example) => example.strokes));
  const labels = new Uint8Array(examples.map((example) => example.label));
  return {fields: {points, lengths, counts, labels},
          transfer: [points.buffer, lengths.buffer, counts.buffer, labels.buffer]};
}
