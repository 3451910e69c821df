// Runs the widget's own worker (the site's assets/digit-pad/worker.js) under
// Node through everything a page asks of it: load, predictions with both
// models, with stages, of nothing and of malformed strokes, with the layers
// explained, of a number, teaching, scoring,
// a personal model good and bad, forgetting. Writes JSON: {answers: the
// worker's messages, in order, as {type, id, digit, text, message}; stdlib: the
// modules Python imported from its standard library's zip, sorted; magic:
// Pyodide's importlib.util.MAGIC_NUMBER as hex}.
// usage: node worker_in_node.js SITE_ASSETS_DIR PYODIDE_DIR OUT.json
// PYODIDE_DIR: the runtime to load, normally SITE_ASSETS_DIR/pyodide.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const {pathToFileURL, fileURLToPath} = require("url");

// A worker's globals, as far as worker.js uses them.
const answers = [];
let answered = () => {};
globalThis.self = globalThis;
globalThis.postMessage = (message) => {
  answers.push(message);
  answered();
};
const networkFetch = globalThis.fetch;
globalThis.fetch = async (url) => String(url).startsWith("file:")
  ? new Response(fs.readFileSync(fileURLToPath(url)))
  : networkFetch(url);

// The next answer that ends request id (or, without one, ready or an error).
function answerTo(id, from) {
  return new Promise((resolve) => {
    answered = () => {
      const found = answers.slice(from).find((m) =>
        id === undefined ? ["ready", "error"].includes(m.type)
                         : m.id === id && !["teach-progress", "progress"].includes(m.type));
      if (found) resolve(found);
    };
    answered();
  });
}

let nextId = 1;
async function ask(message) {
  const id = message.type === "init" ? undefined : nextId++;
  const from = answers.length;
  self.onmessage({data: {...message, id}});
  return answerTo(id, from);
}

// Strokes in 0..1 of the pad, as the widget sends them (protocol.js).
function flat(drawings) {
  const strokes = drawings.flat();
  return {points: Float64Array.from(strokes.flat(2)), lengths: Uint32Array.from(strokes.map((s) => s.length)),
          counts: Uint32Array.from(drawings.map((d) => d.length))};
}
const SEVEN = [[[0.3, 0.25], [0.7, 0.25], [0.45, 0.8]]];
const ONE = [[[0.5, 0.15], [0.5, 0.5], [0.5, 0.85]]];
const ZERO = [Array.from({length: 25}, (_, i) => [0.5 + 0.25 * Math.cos(i / 4), 0.5 + 0.35 * Math.sin(i / 4)])];

async function main() {
  const [assets, runtime, out] = process.argv.slice(2).map((p) => path.resolve(p));
  // The widget's files are ES modules with a .js suffix: a package.json says so to Node.
  const widget = fs.mkdtempSync(path.join(os.tmpdir(), "digit-pad-"));
  fs.cpSync(path.join(assets, "digit-pad"), widget, {recursive: true});
  fs.writeFileSync(path.join(widget, "package.json"), '{"type": "module"}');
  const widgetURL = pathToFileURL(widget + path.sep);
  const config = (await import(new URL("config.js", widgetURL))).default;
  // config.js's URLs are relative to where the site has the widget (recognizer.js's absoluteConfig).
  const shipped = pathToFileURL(path.join(assets, "digit-pad") + path.sep);
  for (const spec of [...Object.values(config.models), config.trajectory]) spec.url = new URL(spec.url, shipped).href;
  config.pyodide.indexURL = runtime + path.sep;
  config.pyodide.lockFileURL = path.join(runtime, "pyodide-lock.json");
  await import(new URL("worker.js", widgetURL));

  await ask({type: "init", config});
  const seven = flat([SEVEN]);
  await ask({type: "predict", model: "cnn", points: seven.points, lengths: seven.lengths, stages: true});
  await ask({type: "predict", model: "mlp", points: seven.points, lengths: seven.lengths});
  await ask({type: "predict", model: "cnn", points: new Float64Array([2, 2]), lengths: new Uint32Array([1])});
  await ask({type: "predict", model: "cnn", points: seven.points, lengths: new Uint32Array([7])});
  await ask({type: "predict", model: "cnn", points: seven.points, lengths: seven.lengths, explain: true, target: 3});
  // "17" on a number pad four times as wide as tall, in units of its height.
  const seventeen = flat([[...ONE, ...SEVEN.map((s) => s.map(([x, y]) => [x + 0.8, y]))]]);
  await ask({type: "predict-number", model: "cnn", points: seventeen.points, lengths: seventeen.lengths, aspect: 4});
  const examples = flat([ZERO, ONE, SEVEN, ZERO, ONE, SEVEN]);
  const labels = Uint8Array.from([0, 1, 7, 0, 1, 7]);
  const taught = await ask({type: "teach", model: "cnn", ...examples, labels});
  await ask({type: "score", model: "yours", ...examples, labels});
  await ask({type: "personal", weights: taught.weights});
  await ask({type: "personal", weights: new Uint8Array([1, 2, 3])});
  await ask({type: "forget"});
  await ask({type: "score", model: "yours", ...examples, labels});

  const stdlib = self.pyodide.runPython(`
import sys
zips = tuple(p + "/" for p in sys.path if p.endswith(".zip"))
sorted(name for name, module in sys.modules.items()
       if (getattr(getattr(module, "__spec__", None), "origin", None) or "").startswith(zips))
`).toJs();
  const magic = self.pyodide.runPython("import importlib.util; importlib.util.MAGIC_NUMBER.hex()");
  const summary = answers.map(({type, id, digit, text, message}) => ({type, id, digit, text, message}));
  fs.writeFileSync(out, JSON.stringify({answers: summary, stdlib, magic}, null, 1));
  fs.rmSync(widget, {recursive: true});
  process.exit(0);  // teaching's MessageChannel would keep Node running
}

main().catch((error) => { console.error(error); process.exit(1); });
