// Where the visitor's examples and personal model are kept: this browser's
// IndexedDB, which is the site's own (per origin) and never sent anywhere.
// What is read back is checked by its users (personal.js): the database
// may hold anything by then, another version's records, another script's,
// a corrupt copy.
//
// The database "digit-pad", version 1: the store "examples", one record per
// drawing ({label, strokes}, examples.js), keys counted up, so that two tabs
// teaching at once both keep theirs; the store "personal", the model under
// the key "model" ({weights, base, personalized, heldOut}, personal.js).
const NAME = "digit-pad";
const VERSION = 1;
const EXAMPLES = "examples";
const PERSONAL = "personal";
const MODEL_KEY = "model";

let opening = null;         // a Promise of the open database

function open() {
  opening ??= new Promise((resolve, reject) => {
    if (!globalThis.indexedDB) throw new Error("this browser offers no IndexedDB");
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(EXAMPLES)) db.createObjectStore(EXAMPLES, {autoIncrement: true});
      if (!db.objectStoreNames.contains(PERSONAL)) db.createObjectStore(PERSONAL);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab's newer version of the widget wants the database: let it.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error);
  });
  opening.catch(() => { opening = null; });  // a later call tries again
  return opening;
}

// work(examples, personal) sets the requests of a transaction going over
// both stores, and may return a function that reads their results -> a
// Promise of that, once the transaction is done (written for good, for a
// readwrite one).
async function transaction(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction([EXAMPLES, PERSONAL], mode);
    const read = work(tx.objectStore(EXAMPLES), tx.objectStore(PERSONAL));
    tx.oncomplete = () => resolve(read?.());
    tx.onerror = (event) => reject(event.target.error ?? tx.error);  // a request's, or the transaction's
    tx.onabort = () => reject(tx.error ?? new Error("the browser gave up writing"));
  });
}

// -> {examples: the stored drawings' records, oldest first; model: the
// stored model's record, or undefined}, as they are.
export function readAll() {
  return transaction("readonly", (examples, personal) => {
    const stored = examples.getAll();
    const model = personal.get(MODEL_KEY);
    return () => ({examples: stored.result, model: model.result});
  });
}

export function addExample(example) {
  return transaction("readwrite", (examples) => {
    examples.add(example);
  });
}

export function putModel(record) {
  return transaction("readwrite", (examples, personal) => {
    personal.put(record, MODEL_KEY);
  });
}

// Every stored example replaced by these.
export function replaceExamples(list) {
  return transaction("readwrite", (examples) => {
    examples.clear();
    for (const example of list) examples.add(example);
  });
}

// Everything forgotten.
export function clearAll() {
  return transaction("readwrite", (examples, personal) => {
    examples.clear();
    personal.clear();
  });
}
