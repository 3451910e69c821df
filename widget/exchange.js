// The visitor's model and drawings as files: made in the page to be
// downloaded (no request goes anywhere), and read back when the visitor
// imports them. A file may hold anything: what is read is checked, and what
// is wrong is said in words.
import {checkedExample} from "./examples.js";

export const MODEL_FILE = "digit-pad-model.npz";
export const DRAWINGS_FILE = "digit-pad-drawings.json";
const DRAWINGS_FORMAT = "digit-pad drawings";
const DRAWINGS_VERSION = 1;
// Far larger than any model or any visitor's drawings.
const MAX_BYTES = 64 << 20;
// An object URL is released this long after its download starts: released at
// once, a browser may not have read it yet.
const RELEASE_MS = 60_000;

// weights: the personalized model's weights file (its bytes).
export function modelFile(weights) {
  return new File([weights], MODEL_FILE, {type: "application/octet-stream"});
}

// examples: [{label, strokes}] (examples.js).
export function drawingsFile(examples) {
  const content = {
    format: DRAWINGS_FORMAT, version: DRAWINGS_VERSION,
    points: "x, y in 0..1 of the pad's side, x to the right, y down",
    drawings: examples.map(({label, strokes}) => ({label, strokes})),
  };
  return new File([JSON.stringify(content)], DRAWINGS_FILE, {type: "application/json"});
}

// Offers file as a download: an <a download> of an object URL, put in parent
// (a pad's shadow root: the page's DOM stays as it was) for the click.
export function download(file, parent) {
  const url = URL.createObjectURL(file);
  const link = Object.assign(document.createElement("a"), {href: url, download: file.name, hidden: true});
  parent.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), RELEASE_MS);
}

// files: what the visitor chose (a FileList, or any list of Files) ->
// {weights: {name, bytes} or null, drawings: {name, examples} or null,
// problems: what could not be used, in words}. A model is a zip file (.npz),
// which the worker checks; anything else is read as drawings.
export async function readFiles(files) {
  const found = {weights: null, drawings: null, problems: []};
  for (const file of Array.from(files ?? [])) {
    const name = typeof file?.name === "string" && file.name ? file.name : "a file";
    try {
      if (!(file instanceof Blob)) throw new Error("it is not a file");
      if (file.size > MAX_BYTES) throw new Error(`it is larger than ${MAX_BYTES >> 20} MB`);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const kind = isZip(bytes) ? "weights" : "drawings";
      if (found[kind]) throw new Error(`only one ${kind === "weights" ? "model" : "file of drawings"} at a time`);
      found[kind] = kind === "weights" ? {name, bytes} : {name, examples: parseDrawings(bytes)};
    } catch (error) {
      found.problems.push(`${name}: ${error.message}`);
    }
  }
  return found;
}

function isZip(bytes) {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
}

function parseDrawings(bytes) {
  let content;
  try {
    content = JSON.parse(new TextDecoder("utf-8", {fatal: true}).decode(bytes));
  } catch {
    throw new Error("it is neither a model (.npz) nor drawings (.json) exported from the pad");
  }
  if (content?.format !== DRAWINGS_FORMAT || !Array.isArray(content.drawings)) {
    throw new Error("it is not a file of drawings exported from the pad");
  }
  if (content.version !== DRAWINGS_VERSION) {
    throw new Error(`its drawings are in format version ${JSON.stringify(content.version)}; ` +
                    `this pad reads version ${DRAWINGS_VERSION}`);
  }
  return content.drawings.map((drawing, i) => {
    try {
      return checkedExample(drawing);
    } catch (error) {
      throw new Error(`drawing ${i + 1}: ${error.message}`);
    }
  });
}
