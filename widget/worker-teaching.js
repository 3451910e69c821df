// The worker's side of teaching (protocol.js: "teach", "score", "personal",
// "forget"): the visitor's personalized model, kept beside the bundled ones
// under the name "yours", and its training, a step per task so that the
// worker answers the pads and the watchdog meanwhile.
import {Message, PERSONAL_MODEL} from "./protocol.js";
import {plain} from "./python-values.js";

// Between two steps of training the worker waits for its next task, so that
// the messages that came meanwhile (predictions, pings) are handled first. A
// message to itself rather than setTimeout(0): browsers clamp nested timers
// to 4 ms from the fifth on, which would add half a second to a hundred
// steps of a few milliseconds.
const wake = new MessageChannel();
const sleepers = [];
wake.port1.onmessage = () => sleepers.shift()();

function nextTask() {
  return new Promise((resolve) => {
    sleepers.push(resolve);
    wake.port2.postMessage(null);
  });
}

export class Teacher {
  #python;                  // see the constructor
  #personal = null;         // {model: a PyProxy of a pydigit Model, base: its bundled model's name}
  #teaching = null;         // the id of the "teach" under way

  // python: {pyodide, bridge (pydigit.browser), defaultModel (there once
  // the worker is ready), isBundled(name), bundled(name) -> a Promise of that
  // bundled Model (rejected, saying why, for any other name), post(message,
  // transfer)}.
  constructor(python) {
    this.#python = python;
  }

  // "yours", for "predict" and "score".
  get model() {
    if (!this.#personal) throw new Error("there is no personalized model: teach it first");
    return this.#personal.model;
  }

  async teach({id, model: base, points, lengths, counts, labels}) {
    const {bridge, bundled, post} = this.#python;
    // Bad drawings raise here, before any work.
    const teaching = bridge.Teaching(points, lengths, counts, labels, await bundled(base));
    this.#teaching = id;
    try {
      for (let step = plain(teaching.step()); !step.finished; step = plain(teaching.step())) {
        post({type: Message.TEACH_PROGRESS, id, done: step.done, total: step.total});
        await nextTask();
        if (this.#teaching !== id) throw new Error("teaching stopped: a later request replaced it or forgot the model");
      }
      const weights = plain(teaching.weights());
      // Its own proxy: an attribute's is destroyed with the object's (below).
      const model = teaching.model.copy();
      this.#replace(model, base);
      post({type: Message.TAUGHT, id, model: PERSONAL_MODEL, base, weights,
            personalized: personalizedMeta(model)}, [weights.buffer]);
    } finally {
      teaching.destroy();
      if (this.#teaching === id) this.#teaching = null;
    }
  }

  async score({id, model: name, points, lengths, counts, labels}, modelNamed) {
    const model = await modelNamed(name);
    const {correct, total, digits} = plain(this.#python.bridge.score_examples(points, lengths, counts, labels, model));
    this.#python.post({type: Message.SCORED, id, model: name, correct, total,
                       digits: digits.map((digit) => digit ?? null)});
  }

  // The model becomes "yours" only once pydigit has checked it: until then,
  // and if it is not one, "yours" stays as it was.
  async install({id, weights}) {
    if (!(weights instanceof Uint8Array)) throw new Error("weights must be a weights file's bytes, a Uint8Array");
    const {bridge, bundled, post, pyodide} = this.#python;
    const data = pyodide.toPy(weights);  // a memoryview of a copy
    try {
      const base = this.#baseOf(data);
      const result = bridge.personal_model(data, await bundled(base));
      let model, personalized;
      try {
        model = result.get(0).copy();  // a proxy of its own, as for teach's
        personalized = plain(result.get(1));
      } finally {
        result.destroy();
      }
      this.#replace(model, base);
      post({type: Message.PERSONAL_READY, id, model: PERSONAL_MODEL, base, personalized});
    } finally {
      data.destroy();
    }
  }

  forget({id}) {
    this.#teaching = null;
    this.#replace(null, null);
    this.#python.post({type: Message.FORGOTTEN, id});
  }

  // The bundled model a weights file says it was personalized from. Read
  // from its metadata; the default model when it says none or cannot be
  // read, and personal_model then says what is wrong with the file.
  #baseOf(data) {
    const {pyodide, defaultModel, isBundled} = this.#python;
    let base = null;
    const weightsFile = pyodide.pyimport("pydigit.weights_file");
    try {
      const model = weightsFile.model_from_bytes(data, "the file");
      base = personalizedMeta(model)?.base ?? null;
      model.destroy();
    } catch {
      return defaultModel;
    } finally {
      weightsFile.destroy();
    }
    if (base === null) return defaultModel;
    if (!isBundled(base)) {
      throw new Error(`the model was personalized from ${JSON.stringify(base)}, a network this site does not have`);
    }
    return base;
  }

  // A model in use elsewhere is never destroyed under it: every request
  // takes "yours" and uses it within one task.
  #replace(model, base) {
    this.#personal?.model.destroy();
    this.#personal = model ? {model, base} : null;
  }
}

// A Model's meta["personalized"], or undefined.
function personalizedMeta(model) {
  return plain(model.meta).personalized;
}
