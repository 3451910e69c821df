/*
 * What the page's main thread does per request before posting it: the
 * drawing's strokes flattened into the typed arrays of the "predict"
 * message (widget/protocol.js), by the widget's own flatten() (drawing.js,
 * as the built site serves it).
 *
 * window.timeFlattened(drawings, repeats) -> {flattened: median ms per call}
 *   drawings: each a list of strokes, each a list of [x, y], as the widget
 *   keeps them. A call takes a few µs, under the timer's 5 µs: each drawing
 *   is flattened `repeats` times in a row, timed together, after a pass to
 *   warm up.
 */
import {flatten} from "../pydigit/assets/digit-pad/drawing.js";

// One drawing, as Drawing.flattened() calls it.
const flattened = (strokes) => flatten([strokes]);

window.timeFlattened = (drawings, repeats) => {
  let kept = 0;  // the results are used, so that the JIT cannot leave a call out
  for (const strokes of drawings) kept += flattened(strokes).points.length;
  const times = drawings.map((strokes) => {
    const started = performance.now();
    for (let i = 0; i < repeats; i++) kept += flattened(strokes).lengths.length;
    return (performance.now() - started) / repeats;
  });
  window.flattenedKept = kept;
  times.sort((a, b) => a - b);
  return {flattened: times[Math.floor(times.length / 2)]};
};
