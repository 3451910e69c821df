// Drawing on canvases: the strokes (on screen and for the network) and the
// greyscale images the worker sends back.

// Opaque, even where the theme's text colour is translucent: crossing strokes
// would otherwise show darker where they overlap.
export function inkColour(element) {
  const colour = getComputedStyle(element).color;  // resolved to rgb() or rgba()
  return colour.replace(/^rgba\((\d+),\s*(\d+),\s*(\d+),.*\)$/, "rgb($1, $2, $3)");
}

// Strokes in 0..1 coordinates onto a square canvas of `side` px: round pen,
// a lone point drawn as a dot, exactly as pydigit.pen describes.
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

export function drawGrey(canvas, pixels, width, height) {
  canvas.width = width;
  canvas.height = height;
  const image = new ImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    image.data.set([255 - pixels[i], 255 - pixels[i], 255 - pixels[i], 255], 4 * i);
  }
  canvas.getContext("2d").putImageData(image, 0, 0);
}
