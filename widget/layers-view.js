// What a pad shows of an explanation (<digit-pad show-layers>): every layer
// of the network for the drawing, feature maps as a grid of small tiles (one
// per channel), vectors as bars, then the saliency of the explained digit's
// score as a heat map over the network's 28×28 input; and the probability
// bars as buttons choosing the digit explained. Built the first time a pad
// shows its layers: a pad without them does no work for it. What the
// explanation holds: protocol.js ("prediction").
import styles from "./layers-view.css.js";

// Orange for positive (ink that speaks for the digit), blue for negative
// (against it), drawn with an opacity that grows with the value over a
// transparent canvas: readable on a light and a dark page alike.
const FOR = [230, 115, 0];
const AGAINST = [30, 110, 220];
const PAPER = [128, 128, 128];   // a tile's or the input's faint grey, under the colour
const TILE_ALPHA = 0.1;          // a tile's own, so that an all-zero channel still shows
const INPUT_ALPHA = 0.45;        // the network's input's ink, under the heat map
const MAP_WIDTH_PX = 220;        // about how wide a layer's tiles are shown at most

export class LayersView {
  #section;
  #bars;                    // the probability bars' <li>, by digit
  #list;
  #heat;
  #title;
  #error;
  #shown = false;
  #layout = "";             // the layer names the figures were made for
  #canvases = new Map();    // layer name -> its canvas
  #drawn = null;            // what the vector layers were last drawn from, to draw them again at a new size
  // A vector layer's canvas has as many pixels as it takes on the screen:
  // scaled, its bars would be resampled on every frame the panel changes,
  // and smoothly resampling them cost more than all the rest of an answer.
  #resized = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const canvas = entry.target;
      const size = entry.devicePixelContentBoxSize?.[0];
      const width = Math.round(size ? size.inlineSize : entry.contentBoxSize[0].inlineSize * devicePixelRatio);
      const height = Math.round(size ? size.blockSize : entry.contentBoxSize[0].blockSize * devicePixelRatio);
      if (width < 1 || height < 1 || (canvas.width === width && canvas.height === height)) continue;
      canvas.width = width;
      canvas.height = height;
      if (this.#drawn) drawBars(canvas, this.#drawn.layers.find(({name}) => name === canvas.dataset.layer), this.#drawn);
    }
  });

  // root: the pad's shadow root; choose(digit): a probability bar was
  // clicked (or pressed with Enter or Space).
  constructor(root, {choose}) {
    const section = this.#section = document.createElement("section");
    section.className = "layers";
    section.setAttribute("part", "layers");
    section.dataset.state = "empty";
    section.setAttribute("aria-label", "Inside the network");
    section.innerHTML = `<style>${styles}</style>
      <p class="layers-title">Inside the network</p>
      <p class="layers-hint">Each layer's output for your drawing: <b>conv</b>, a tile per filter, how much of its
        pattern is at each place (<span class="swatch for"></span> positive, <span class="swatch against"></span>
        negative); <b>relu</b>, the negatives set to zero; <b>pool</b>, the largest value of each patch;
        <b>flatten</b> and <b>dense</b>, rows of numbers as bars. Click a digit's bar to see what speaks for and
        against it.</p>
      <p class="layers-empty">Draw a digit: each layer of the network, and what speaks for and against its answer, are drawn from it.</p>
      <p class="layers-error"></p>
      <div class="layer-list"></div>
      <div class="heat">${[
        ["saliency", "<b>Saliency</b>: where ink would raise the score of"],
        ["gradient_x_input", "<b>Gradient × input</b>: the ink you drew that counts for"],
      ].map(([name, words]) => `
        <figure data-map="${name}"><canvas width="28" height="28"></canvas><figcaption>${words}
          <span class="target-words"></span> (<span class="swatch for"></span> for,
          <span class="swatch against"></span> against)</figcaption></figure>`).join("")}
      </div>`;
    root.querySelector(".stages").after(section);
    this.#list = section.querySelector(".layer-list");
    this.#heat = section.querySelector(".heat");
    this.#title = section.querySelector(".layers-title");
    this.#error = section.querySelector(".layers-error");
    this.#bars = [...root.querySelectorAll(".bars li")];
    this.#bars.forEach((li, digit) => {
      li.addEventListener("click", () => this.#shown && choose(digit));
      li.addEventListener("keydown", (event) => {
        if (!this.#shown || (event.key !== "Enter" && event.key !== " ")) return;
        event.preventDefault();
        choose(digit);
      });
    });
  }

  // shown: the pad's show-layers; the bars are buttons only meanwhile.
  showPanel(shown) {
    this.#shown = shown;
    this.#section.hidden = !shown;
    this.#bars.forEach((li, digit) => {
      for (const [name, value] of [["role", "button"], ["tabindex", "0"], ["aria-label", `Explain ${digit}`]]) {
        if (shown) li.setAttribute(name, value);
        else li.removeAttribute(name);
      }
      if (!shown) li.removeAttribute("aria-pressed");
    });
  }

  // detail: the "prediction" event's; explanation: the worker's (protocol.js),
  // null for an answer without one (an empty pad's); input28: the network's input.
  show(detail, explanation, input28) {
    const target = explanation ? explanation.target : null;
    setAttribute(this.#section, "data-state", explanation ? "shown" : "empty");
    setText(this.#title, explanation ? `Inside the network: what speaks for and against ${aDigit(target)}${
      target === detail.digit ? ", its answer" : ` (its answer: ${detail.digit})`}` : "Inside the network");
    this.#bars.forEach((li, digit) => setAttribute(li, "aria-pressed", String(digit === target)));
    if (!explanation) return;
    const {layers} = explanation;
    this.#layOut(layers);
    const values = floats(explanation.activations);
    this.#drawn = {layers, values, target, logits: layers.at(-1).name};
    for (const layer of layers) {
      const canvas = this.#canvases.get(layer.name);
      if (layer.kind === "map") drawMaps(canvas, layer, values);
      else drawBars(canvas, layer, this.#drawn);
    }
    for (const name of ["saliency", "gradient_x_input"]) {
      const figure = this.#heat.querySelector(`[data-map=${name}]`);
      drawHeat(figure.querySelector("canvas"), floats(explanation[name]), input28);
      setText(figure.querySelector(".target-words"), aDigit(target));
    }
  }

  // Why there is no explanation: the worker refused the request.
  showError(message) {
    this.#section.dataset.state = "error";
    this.#error.textContent = `No explanation: ${message}`;
  }

  // One figure per layer, made again only when the network changes (a model
  // switch); a row per block of layers (from each convolution on, and for
  // the vectors), which wraps on a narrow pad.
  #layOut(layers) {
    const layout = layers.map(({name}) => name).join();
    if (layout === this.#layout) return;
    this.#layout = layout;
    this.#canvases.clear();
    this.#resized.disconnect();
    const rows = [];
    layers.forEach((layer, i) => {
      if (i === 0 || layer.name.startsWith("conv") || (layer.kind === "vector" && layers[i - 1].kind === "map")) {
        rows.push(document.createElement("div"));
        rows.at(-1).className = "layer-row";
      }
      const figure = document.createElement("figure");
      figure.className = "layer";
      figure.dataset.layer = layer.name;
      figure.dataset.kind = layer.kind;
      const canvas = document.createElement("canvas");
      canvas.dataset.layer = layer.name;
      if (layer.kind === "map") sizeMapCanvas(canvas, layer);
      else observeSize(this.#resized, canvas);
      const caption = document.createElement("figcaption");
      caption.innerHTML = `<b>${layer.name}</b> ${layer.shape.join("×")}${
        i === layers.length - 1 ? ": the logits, 0 to 9" : ""}`;
      figure.append(canvas, caption);
      rows.at(-1).append(figure);
      this.#canvases.set(layer.name, canvas);
    });
    this.#list.replaceChildren(...rows);
  }
}

// Only what changed is written (pad-view.js says why).
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function setAttribute(element, name, value) {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function aDigit(digit) { return `${digit === 8 ? "an" : "a"} ${digit}`; }

// A map layer's tiles: as many columns as make the grid about twice as wide as tall.
function grid([height, width, channels]) {
  const columns = Math.min(channels, 2 ** Math.ceil(Math.log2(Math.sqrt(2 * channels))));
  return {height, width, channels, columns, rows: Math.ceil(channels / columns)};
}

// In device pixels where the browser can say them (Safari cannot: it
// refuses the box), else in CSS pixels, which the observer scales.
function observeSize(observer, canvas) {
  try {
    observer.observe(canvas, {box: "device-pixel-content-box"});
  } catch {
    observer.observe(canvas);
  }
}

function sizeMapCanvas(canvas, layer) {
  const {height, width, columns, rows} = grid(layer.shape);
  canvas.width = columns * (width + 1) - 1;  // a transparent pixel between tiles
  canvas.height = rows * (height + 1) - 1;
  // Shown at most a whole number of times its size, less where the row is narrower.
  canvas.style.maxWidth = `${canvas.width * Math.max(1, Math.round(MAP_WIDTH_PX / canvas.width))}px`;
}

// A layer's smallest and largest value, 0 included: [low, high].
function range(values, offset, count) {
  let low = 0, high = 0;
  for (let i = offset; i < offset + count; i++) {
    const value = values[i];
    if (value < low) low = value;
    else if (value > high) high = value;
  }
  return [low, high];
}

// A map layer from values (float32s, each pixel's channels side by side),
// a tile per channel, on one scale for the whole layer: low to high in 256
// steps, zero the step `zero` (the channels that barely respond look faint).
function drawMaps(canvas, {shape, offset}, values) {
  const {height, width, channels, columns} = grid(shape);
  const [low, high] = range(values, offset, height * width * channels);
  const scale = high > low ? 255 / (high - low) : 0;
  const colours = palette(Math.round(-low * scale));
  const image = new ImageData(canvas.width, canvas.height);
  const words = new Uint32Array(image.data.buffer);
  for (let c = 0; c < channels; c++) {
    const left = (c % columns) * (width + 1);
    const top = Math.floor(c / columns) * (height + 1);
    for (let y = 0; y < height; y++) {
      const row = (top + y) * canvas.width + left;
      const start = offset + y * width * channels + c;
      for (let x = 0; x < width; x++) {
        words[row + x] = colours[Math.round((values[start + x * channels] - low) * scale)];
      }
    }
  }
  canvas.getContext("2d").putImageData(image, 0, 0);
}

// Each byte's pixel, when the byte `zero` stands for 0 (the same for most
// layers from one answer to the next: kept).
const palettes = new Map();

function palette(zero) {
  if (!palettes.has(zero)) {
    const colours = new Uint32Array(256);
    for (let b = 0; b < 256; b++) {
      const value = b >= zero ? (b - zero) / ((255 - zero) || 1) : (b - zero) / zero;
      colours[b] = word(over(value >= 0 ? FOR : AGAINST, Math.abs(value), PAPER, TILE_ALPHA));
    }
    palettes.set(zero, colours);
  }
  return palettes.get(zero);
}

// A vector layer as bars up (positive) and down (negative) from its zero
// line, pixel by pixel (a canvas's fillRect per bar costs more than all the
// pixels), over the canvas's whole width: each value its own columns, with a
// gap where they are wide enough, or, where there are more values than
// columns, each column the largest and smallest of its values. drawn: the
// values and the target, the digit explained, whose logit is drawn fully
// and the others' fainter.
const BAR_COLOURS = [FOR, AGAINST].map((colour) => [1, 0.45].map((alpha) => word(over(colour, alpha, PAPER, 0))));

function drawBars(canvas, {name, shape: [count], offset}, {values, target, logits}) {
  const {width, height} = canvas;
  const [low, high] = range(values, offset, count);
  const image = new ImageData(width, height);
  const words = new Uint32Array(image.data.buffer);
  const zeroY = Math.round(height * high / (high - low || 1));
  const pixelsPerUnit = height / (high - low || 1);
  const gap = width >= 3 * count ? 1 : 0;
  for (let x = 0; x < width; x++) {
    const first = Math.floor(x * count / width);
    const last = Math.max(first, Math.ceil((x + 1) * count / width) - 1);
    if (gap && Math.floor((x + 1) * count / width) > first) continue;  // a value's last column
    let largest = 0, smallest = 0;
    for (let i = first; i <= last; i++) {
      largest = Math.max(largest, values[offset + i]);
      smallest = Math.min(smallest, values[offset + i]);
    }
    const faint = name === logits && target !== null && first !== target ? 1 : 0;
    const top = Math.max(0, Math.round(zeroY - largest * pixelsPerUnit));
    const bottom = Math.min(height, Math.round(zeroY - smallest * pixelsPerUnit));
    for (let y = top; y < zeroY; y++) words[y * width + x] = BAR_COLOURS[0][faint];
    for (let y = zeroY; y < bottom; y++) words[y * width + x] = BAR_COLOURS[1][faint];
  }
  canvas.getContext("2d").putImageData(image, 0, 0);
}

// A 28×28 heat map (float32 values) over the network's input (bytes, ink
// 255): each value's colour, as opaque as it is large against the largest one.
function drawHeat(canvas, values, input28) {
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  const image = new ImageData(28, 28);
  const words = new Uint32Array(image.data.buffer);
  for (let i = 0; i < 784; i++) {
    const value = largest > 0 ? values[i] / largest : 0;
    // The square root: the gradient is spread thin, and its weaker half would barely show.
    words[i] = word(over(value >= 0 ? FOR : AGAINST, Math.sqrt(Math.abs(value)), PAPER,
                         INPUT_ALPHA * input28[i] / 255));
  }
  canvas.getContext("2d").putImageData(image, 0, 0);
}

// colour at opacity alpha over base at opacity baseAlpha -> [r, g, b, a] in 0..255.
function over(colour, alpha, base, baseAlpha) {
  const a = alpha + baseAlpha * (1 - alpha);
  if (a === 0) return [0, 0, 0, 0];
  return [...colour.map((c, i) => (c * alpha + base[i] * baseAlpha * (1 - alpha)) / a), a * 255];
}

// [r, g, b, a] -> one ImageData pixel as a 32-bit word: R, G, B, A in
// memory on a little-endian machine (all of them, in practice: ink.js).
function word(rgba) {
  const [r, g, b, a] = rgba.map(Math.round);
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

// Little-endian float32s in a Uint8Array -> a Float32Array (copied if not
// aligned for one).
function floats(bytes) {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}
