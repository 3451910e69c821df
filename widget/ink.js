// Drawing on canvases, for showing only: the strokes on screen and the
// greyscale images the worker sends back. Nothing is ever read back.

// Opaque, even where the theme's text colour is translucent: crossing strokes
// would otherwise show darker where they overlap.
export function inkColour(element) {
  const colour = getComputedStyle(element).color;  // resolved to rgb() or rgba()
  return colour.replace(/^rgba\((\d+),\s*(\d+),\s*(\d+),.*\)$/, "rgb($1, $2, $3)");
}

// Strokes in 0..1 coordinates (of a square pad's side; a number pad's
// height) onto a canvas, `side` px per unit: round pen, a lone point drawn
// as a dot, exactly as pydigit.pen describes.
export function drawStrokes(context, strokes, side, width, colour) {
  context.lineCap = context.lineJoin = "round";
  context.lineWidth = width;
  context.strokeStyle = context.fillStyle = colour;
  for (const stroke of strokes) {
    if (stroke.length === 1) {
      context.beginPath();
      context.arc(stroke[0][0] * side, stroke[0][1] * side, width / 2, 0, 2 * Math.PI);
      context.fill();
      continue;
    }
    context.beginPath();
    context.moveTo(stroke[0][0] * side, stroke[0][1] * side);
    for (const [x, y] of stroke.slice(1)) context.lineTo(x * side, y * side);
    context.stroke();
  }
}

// A number pad's digits, each {box: [x0, y0, x1, y1] in the strokes' units,
// notSure}, outlined faintly over the strokes (dashed where not sure),
// `side` px per unit, `line` px wide, a little outside the ink.
export function drawBoxes(context, boxes, side, line, colour) {
  context.save();
  context.globalAlpha = 0.35;
  context.strokeStyle = colour;
  context.lineWidth = line;
  for (const {box: [x0, y0, x1, y1], notSure} of boxes) {
    context.setLineDash(notSure ? [4 * line, 3 * line] : []);
    const margin = 3 * line;
    context.strokeRect(x0 * side - margin, y0 * side - margin,
                       (x1 - x0) * side + 2 * margin, (y1 - y0) * side + 2 * margin);
  }
  context.restore();
}

// Pixels as 32-bit words, for writing a whole RGBA pixel at once:
// ImageData is R, G, B, A in memory, so on a little-endian machine (all of
// them, in practice) alpha is a word's top byte.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// Ink values (0 = paper) as a grey image: ink black on white.
export function drawGrey(canvas, pixels, width, height) {
  if (canvas.width !== width) canvas.width = width;  // setting it clears the canvas, even unchanged
  if (canvas.height !== height) canvas.height = height;
  const image = new ImageData(width, height);
  if (LITTLE_ENDIAN) {
    const words = new Uint32Array(image.data.buffer);
    for (let i = 0; i < words.length; i++) words[i] = 0xff000000 | (0x010101 * (255 - pixels[i]));
  } else {
    const data = image.data;
    for (let i = 0; i < width * height; i++) {
      data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = 255 - pixels[i];
      data[4 * i + 3] = 255;
    }
  }
  canvas.getContext("2d").putImageData(image, 0, 0);
}
