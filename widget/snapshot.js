// Repeat visits start Python from a memory snapshot that this browser made
// after the first: Pyodide's heap right after its own boot, which restores
// several times faster than the boot runs. Nothing about it is downloaded:
// once the page's worker is ready, a short-lived worker of its own
// (snapshot-worker.js) boots Pyodide once more, off the visitor's way,
// takes the snapshot and keeps it in Cache Storage under the runtime's
// build (config.pyodide.build, a hash of the files Python boots from, which
// the MkDocs plugin writes: a snapshot is only good for the exact runtime
// and standard library it was made of). The next visit's worker restores it.
//
// Only the bare runtime: Pyodide 0.27's snapshots cannot hold NumPy, which
// every visit loads after the restore as before. What the snapshot froze is
// thawed: random's seed is drawn again (str hashing keeps the snapshot's
// seed, which nothing on the page depends on).
//
// A snapshot only ever saves time: any failure (none kept, Cache Storage
// unavailable, another build's, corrupt, the restore or anything after it
// throwing) ends in the normal boot, and a bad snapshot is deleted.
// Pyodide's own checks (a magic number, its build id) catch most; the
// worker (worker.js) boots again without it when anything up to "ready" fails.

const CACHE = "digit-pad-snapshots";  // one per origin: entries per site and build

// Where a site keeps its snapshot: a key in the cache, never fetched.
function keyOf(config) {
  return `${config.pyodide.indexURL}snapshot/${config.pyodide.build}`;
}

// The options of every loadPyodide of the widget: a snapshot restores into
// the runtime that made it, loaded the same way.
export function runtimeOptions(config) {
  return {indexURL: config.pyodide.indexURL, lockFileURL: config.pyodide.lockFileURL, fullStdLib: false};
}

// A restore that crashes or hangs the worker throws nothing the worker could
// catch, and a Retry would restore the same snapshot again: while a restore
// is under way a marker is kept beside the snapshot, removed once the
// worker is ready (restored()). A marker found at the start means the last
// restore never got there: its snapshot is dropped and Python boots as on a
// first visit (a tab closed while loading costs no more than that).
function markerOf(config) {
  return `${config.pyodide.indexURL}snapshot/restoring`;
}

// -> this build's snapshot (a Uint8Array), or null.
export async function storedSnapshot(config) {
  if (!config.pyodide.build || typeof caches === "undefined") return null;
  try {
    const cache = await caches.open(CACHE);
    if (await cache.match(markerOf(config))) {
      await forgetSnapshots(config);
      return null;
    }
    const response = await cache.match(keyOf(config));
    if (!response) return null;
    const snapshot = new Uint8Array(await response.arrayBuffer());
    await cache.put(markerOf(config), new Response(""));
    return snapshot;
  } catch {
    return null;
  }
}

// The worker restored from the snapshot is ready: the next visit may too.
export async function restored(config) {
  try {
    await (await caches.open(CACHE)).delete(markerOf(config));
  } catch {
    // the marker stays: the next visit boots without the snapshot, and makes a new one
  }
}

// loadPyodide from the snapshot -> the runtime, as after its own boot.
export async function restore(loadPyodide, config, snapshot) {
  const pyodide = await loadPyodide({...runtimeOptions(config), _loadSnapshot: snapshot});
  pyodide.runPython("import random; random.seed()");
  return pyodide;
}

// This site's snapshots, all builds'.
export async function forgetSnapshots(config) {
  try {
    const cache = await caches.open(CACHE);
    const prefix = `${config.pyodide.indexURL}snapshot/`;
    for (const request of await cache.keys()) {
      if (request.url.startsWith(prefix)) await cache.delete(request);
    }
  } catch {
    // nothing kept, nothing to forget
  }
}

// Starts the worker that makes and keeps this build's snapshot, after a
// visit that had none. Where workers cannot start workers, or nothing can
// be kept, there is no snapshot and visits boot as the first did.
export function makeSnapshotLater(config) {
  if (!config.pyodide.build || typeof Worker === "undefined" || typeof caches === "undefined") return;
  try {
    const maker = new Worker(new URL("./snapshot-worker.js", import.meta.url), {type: "module"});
    maker.onmessage = maker.onerror = () => maker.terminate();
    maker.postMessage({config});
  } catch {
    // no snapshot: the next visit boots as this one did
  }
}

// In the maker: boot the bare runtime, snapshot it, keep it in place of
// this site's older ones.
export async function makeSnapshot(config) {
  const {loadPyodide} = await import(config.pyodide.indexURL + "pyodide.mjs");
  const pyodide = await loadPyodide({...runtimeOptions(config), _makeSnapshot: true});
  const snapshot = pyodide.makeMemorySnapshot();
  await forgetSnapshots(config);
  await (await caches.open(CACHE)).put(keyOf(config), new Response(snapshot));
}
