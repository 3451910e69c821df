/*
 * What the page's main thread does per request before posting it: the
 * drawing's strokes flattened into the typed arrays of the "predict"
 * message (widget/protocol.js).
 *
 * window.timeFlattened(drawings, repeats) -> {flattened: median ms per call}
 *   drawings: each a list of strokes, each a list of [x, y], as the widget
 *   keeps them. A call takes a few µs, under the timer's 5 µs: each drawing
 *   is flattened `repeats` times in a row, timed together, after a pass to
 *   warm up.
 */
"use strict";

// A copy of widget/drawing.js's Drawing.flattened(), its strokes a parameter:
// keep the two the same.
function flattened(strokes) {
  const lengths = new Uint32Array(strokes.map((stroke) => stroke.length));
  const points = new Float64Array(2 * lengths.reduce((sum, n) => sum + n, 0));
  let i = 0;
  for (const stroke of strokes) {
    for (const [x, y] of stroke) {
      points[i++] = x;
      points[i++] = y;
    }
  }
  return {points, lengths};
}

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
