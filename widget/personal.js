/*
 * The visitor's own handwriting: the drawings they taught the pad, each with
 * its digit, and the model personalized on them ("yours", protocol.js). One
 * for the page, shared by all its pads, as the worker that trains and runs
 * the model is (recognizer.js); kept in this browser for the site
 * (storage.js), so that both outlive a reload; and installed again in every
 * new worker. Stored or imported data may be anything: what cannot be used
 * is said in the pads' status (notice), and the bundled models go on.
 *
 * Before/after: of HOLD_BACK_FROM drawings or more, every HOLD_BACK_EVERY-th
 * is kept back from training, and both the bundled model and the new one
 * are scored on those: how the visitor's model does on drawings it did not
 * learn from, not on the ones it was shown.
 *
 * A pad attaches a listener, told:
 *   changed()               anything of snapshot may have changed (also on attaching)
 *   progress(done, total)   training goes on
 *   taught(detail)          training is done: {drawings, heldOut: {total, bundled, yours}, base}
 * A pad uses "yours" while usable; each new model (trained, restored from
 * storage, imported) has a new modelVersion, which a pad adopts once.
 */
import {checkedExample, flattenExamples} from "./examples.js";
import {drawingsFile, modelFile, readFiles} from "./exchange.js";
import {Message, PERSONAL_MODEL} from "./protocol.js";
import {recognizer} from "./recognizer.js";
import * as storage from "./storage.js";

const HOLD_BACK_FROM = 10;
const HOLD_BACK_EVERY = 5;

export function drawings(n) {
  return `${n} drawing${n === 1 ? "" : "s"}`;
}

class Personal {
  #pads = new Set();
  #loaded = null;           // the Promise of reading storage, once
  #read = false;            // storage has been read (or found unusable)
  #examples = [];           // {label, strokes} (examples.js), in the order taught
  #record = null;           // the personal model: {weights, base, personalized, heldOut}
  #installed = false;       // the worker running now has #record as "yours"
  #installing = false;
  #lastInstalled = null;    // the record the pads were last given
  #modelVersion = 0;
  #workerReady = false;
  #training = null;         // the Promise of the training under way
  #progress = null;         // {done, total, drawings: how many it learns from} while training
  #generation = 0;          // counts Resets: work begun before one is void
  #said = "";               // the last word on teaching: "Kept as a 4: 13 drawings."
  // What could not be used or kept, for the status: of storage (it cannot
  // keep anything, some drawings in it cannot be read), of a model (the
  // stored one, an imported file).
  #storageNotice = "";
  #modelNotice = "";
  // What the recognizer tells of the page's worker: a new worker has no "yours".
  #worker = {
    loading: () => this.#workerGone(),
    progress: () => {},
    ready: () => {
      this.#workerReady = true;
      this.#changed();
      this.#restore();
    },
    failed: () => this.#workerGone(),
  };

  // The first pad to attach reads storage, and has the recognizer tell this
  // of the worker before it tells any pad: "yours" is asked to be installed
  // before any pad asks it anything.
  attach(pad) {
    this.#pads.add(pad);
    if (this.#pads.size === 1) recognizer.attach(this.#worker);
    this.#loaded ??= this.#load();
    queueMicrotask(() => this.#pads.has(pad) && pad.changed());
  }

  detach(pad) {
    this.#pads.delete(pad);
    if (this.#pads.size === 0) recognizer.detach(this.#worker);
  }

  // "none" | "training" | "ready" (a model of yours is usable, whether or
  // not it is training a new one).
  get state() { return this.#training ? "training" : this.#installed ? "ready" : "none"; }

  get usable() { return this.#installed; }

  get modelVersion() { return this.#modelVersion; }

  // The bundled model "yours" was personalized from, if any.
  get base() { return this.#record?.base ?? null; }

  get examples() { return this.#examples.length; }

  get snapshot() {
    return {
      state: this.state, usable: this.#installed, examples: this.#examples.length,
      progress: this.#progress, said: this.#said, base: this.base,
      notice: [this.#storageNotice, this.#modelNotice].filter(Boolean).join(" "),
      hasModel: this.#record !== null,
      trainedOn: this.#installed ? this.#record.personalized?.drawings ?? null : null,
      heldOut: this.#installed ? this.#record.heldOut : null,
      canTrain: this.#workerReady && this.#read && !this.#training && this.#examples.length > 0,
    };
  }

  // A drawing of the digit label (its strokes, as drawing.js has them) ->
  // how many drawings there are now. Stored meanwhile.
  add(label, strokes) {
    const example = checkedExample({label, strokes});
    this.#examples.push(example);
    this.#said = `Kept as a ${label}: ${drawings(this.#examples.length)} of yours.`;
    storage.addExample(example).catch((error) => this.#notKept(error));
    this.#changed();
    return this.#examples.length;
  }

  // base: the bundled model to personalize -> a Promise of the "taught"
  // detail; rejected, saying why, when it cannot train. One at a time: while
  // one trains, the same Promise.
  train(base) {
    if (this.#training) return this.#training;
    if (!this.#workerReady || !this.#read) return Promise.reject(new Error("the recognizer is not ready yet"));
    if (this.#examples.length === 0) {
      return Promise.reject(new Error("there is nothing to learn from yet: teach it some drawings first"));
    }
    const generation = this.#generation;
    const examples = [...this.#examples];
    const keptBack = examples.length >= HOLD_BACK_FROM ?
      examples.filter((_, i) => i % HOLD_BACK_EVERY === HOLD_BACK_EVERY - 1) : [];
    const learning = examples.filter((example) => !keptBack.includes(example));
    this.#progress = {done: 0, total: 0, drawings: learning.length};
    this.#said = "";
    this.#training = this.#train(base, learning, keptBack, generation).catch((error) => {
      const stopped = generation !== this.#generation;
      if (!stopped) this.#said = `Training failed: ${inWords(error)}`;
      throw stopped ? new Error("training stopped: Reset forgot everything") : error;
    }).finally(() => {
      this.#training = this.#progress = null;
      this.#changed();
    });
    this.#changed();
    return this.#training;
  }

  // The files to export: the model's .npz, if any, and the drawings' .json, if any.
  files() {
    const files = [];
    if (this.#record) files.push(modelFile(this.#record.weights));
    if (this.#examples.length) files.push(drawingsFile(this.#examples));
    return files;
  }

  // files: the visitor's (exchange.js reads them) -> a Promise of {model:
  // whether a model was taken, drawings: how many were, problems: what was
  // not, in words (also in the notice)}. Imported drawings replace the
  // stored ones; an imported model becomes "yours" once the worker has
  // checked it, and otherwise the one before stays.
  async import(files) {
    const generation = this.#generation;
    const found = await readFiles(files);
    const result = {model: false, drawings: 0, problems: found.problems};
    if (found.weights) {
      try {
        if (this.#training) throw new Error("a training is under way: import once it is done");
        const answer = await this.#install(found.weights.bytes);
        if (generation !== this.#generation) throw new Error("Reset came first");
        this.#use({weights: found.weights.bytes, base: answer.base, personalized: answer.personalized,
                   heldOut: null});
        this.#save();
        result.model = true;
      } catch (error) {
        result.problems.push(`${found.weights.name}: ${inWords(error)}`);
      }
    }
    if (found.drawings && generation === this.#generation) {
      this.#examples = found.drawings.examples;
      storage.replaceExamples(this.#examples).catch((error) => this.#notKept(error));
      result.drawings = this.#examples.length;
    }
    const taken = [result.model && "your model", result.drawings && drawings(result.drawings)].filter(Boolean);
    this.#said = taken.length ? `Imported ${taken.join(" and ")}.` : "";
    this.#modelNotice = result.problems.length ? `Could not import ${result.problems.join("; ")}.` : "";
    this.#changed();
    return result;
  }

  // Forgets every drawing and the model, here, in storage and in the worker.
  async reset() {
    this.#generation++;
    this.#examples = [];
    this.#record = this.#lastInstalled = null;
    this.#installed = false;
    this.#said = "Forgotten: your drawings and your model.";
    this.#storageNotice = this.#modelNotice = "";
    if (this.#workerReady) recognizer.ask({type: Message.FORGET}).catch(() => {});  // a worker that stopped has forgotten
    this.#changed();
    try {
      await storage.clearAll();
    } catch (error) {
      this.#storageNotice = `Your saved drawings could not be forgotten: ${inWords(error)}.`;
      this.#changed();
    }
  }

  async #train(base, learning, keptBack, generation) {
    const {fields, transfer} = flattenExamples(learning);
    const taught = await recognizer.ask({type: Message.TEACH, model: base, ...fields}, transfer, ({done, total}) => {
      this.#progress = {...this.#progress, done, total};
      for (const pad of [...this.#pads]) pad.progress(done, total);
    });
    const heldOut = {total: keptBack.length, bundled: 0, yours: 0};
    if (keptBack.length && generation === this.#generation) {
      heldOut.bundled = (await this.#score(base, keptBack)).correct;
      heldOut.yours = (await this.#score(PERSONAL_MODEL, keptBack)).correct;
    }
    if (generation !== this.#generation) throw new Error("stopped");
    this.#modelNotice = "";
    this.#use({weights: taught.weights, base: taught.base, personalized: taught.personalized, heldOut});
    this.#save();
    const detail = {drawings: learning.length, heldOut, base: taught.base};
    this.#said = `Trained on ${drawings(learning.length)}.`;
    for (const pad of [...this.#pads]) pad.taught(detail);
    return detail;
  }

  #score(model, examples) {
    const {fields, transfer} = flattenExamples(examples);
    return recognizer.ask({type: Message.SCORE, model, ...fields}, transfer);
  }

  // weights -> a Promise of the worker's "personal-ready": it is "yours" now.
  #install(weights) {
    const copy = weights.slice();  // the record keeps its own
    return recognizer.ask({type: Message.PERSONAL, weights: copy}, [copy.buffer]);
  }

  // The record is the model the worker has as "yours" now.
  #use(record) {
    this.#record = record;
    this.#installed = true;
    if (this.#lastInstalled !== record) {
      this.#lastInstalled = record;
      this.#modelVersion++;
    }
    this.#changed();
  }

  // The stored model, into the worker: once storage is read, and again in each new worker.
  async #restore() {
    const record = this.#record;
    if (!record || !this.#workerReady || this.#installed || this.#installing) return;
    this.#installing = true;
    try {
      const answer = await this.#install(record.weights);
      if (record !== this.#record) return;  // trained, imported or reset meanwhile
      Object.assign(record, {base: answer.base, personalized: answer.personalized});
      this.#use(record);
    } catch (error) {
      // A worker that stopped meanwhile gets it when the next is ready.
      if (record !== this.#record || !this.#workerReady) return;
      this.#record = null;
      this.#modelNotice = `Your saved model could not be used: ${inWords(error)}. ` +
        "The bundled model answers instead; training again replaces it.";
      this.#changed();
    } finally {
      this.#installing = false;
    }
  }

  async #load() {
    let stored;
    try {
      stored = await storage.readAll();
    } catch (error) {
      this.#read = true;
      this.#storageNotice = `Your drawings cannot be kept in this browser (${inWords(error)}): ` +
        "they last as long as the page.";
      this.#changed();
      return;
    }
    this.#read = true;
    const loaded = [];
    for (const value of stored.examples) {
      try {
        loaded.push(checkedExample(value));
      } catch {
        // left out, and left in storage: Reset clears it
      }
    }
    const unreadable = stored.examples.length - loaded.length;
    if (unreadable) {
      this.#storageNotice = `${drawings(unreadable)} saved here could not be read and ` +
        `${unreadable === 1 ? "is" : "are"} left out.`;
    }
    this.#examples = [...loaded, ...this.#examples];  // any taught before storage was read came after
    if (stored.model !== undefined && !this.#record) {
      try {
        this.#record = checkedRecord(stored.model);
      } catch (error) {
        this.#modelNotice = `Your saved model could not be used: ${inWords(error)}. ` +
          "The bundled model answers instead; training again replaces it.";
      }
    }
    this.#changed();
    this.#restore();
  }

  #workerGone() {
    this.#workerReady = this.#installed = this.#installing = false;
    this.#changed();
  }

  #save() {
    const {weights, base, personalized, heldOut} = this.#record;
    storage.putModel({weights, base, personalized, heldOut}).catch((error) => this.#notKept(error));
  }

  #notKept(error) {
    this.#storageNotice = `Your drawings and model could not be saved in this browser: ${inWords(error)}.`;
    this.#changed();
  }

  #changed() {
    for (const pad of [...this.#pads]) pad.changed();
  }
}

// What went wrong, for the visitor: pydigit's ValueError is in words already.
export function inWords(error) {
  return String(error?.message ?? error).replace(/^\w*Error: /, "");
}

// A stored model's record, as storage gives it -> the record; an Error
// saying what is wrong otherwise. The worker checks the weights themselves.
function checkedRecord(value) {
  if (value === null || typeof value !== "object" || !(value.weights instanceof Uint8Array)) {
    throw new Error("it is not a weights file");
  }
  const {weights, base = null, personalized = null, heldOut = null} = value;
  const counts = heldOut && ["total", "bundled", "yours"].every((key) => Number.isInteger(heldOut[key]));
  return {weights, base: typeof base === "string" ? base : null,
          personalized: personalized !== null && typeof personalized === "object" ? personalized : null,
          heldOut: counts ? {total: heldOut.total, bundled: heldOut.bundled, yours: heldOut.yours} : null};
}

export const personal = new Personal();
