// The page's side of the site's service worker (service-worker.js): it
// registers it, lets a newly deployed build's take over, and hands it the
// page to keep for offline visits. config.offline, from the MkDocs plugin:
// {enabled, serviceWorker (its URL, relative to this file), cachePrefix};
// the checkout's config.js has none, and then nothing happens here.
//
// Called when a pad is ready, not before: installing the worker fetches
// every file of the build, which must not compete with Python's start-up,
// and mostly finds them in the HTTP cache once the page has loaded them.
// Nothing here may break a pad: any failure leaves the page as it would be
// without a service worker.
import config from "./config.js";

let registered = null;     // a Promise of the active worker, or null: one registration per page
const kept = new Set();    // the page URLs handed to it (instant navigation changes the URL)

export function keepOffline() {
  const offline = config.offline;
  if (!offline || !("serviceWorker" in navigator)) return;
  const script = new URL(offline.serviceWorker, import.meta.url).href;
  if (!offline.enabled) {
    registered ??= forget(script, offline.cachePrefix).catch(() => null);
    return;
  }
  registered ??= register(script).catch(() => null);
  const page = location.href.split("#")[0];
  if (kept.has(page)) return;
  kept.add(page);
  const files = performance.getEntriesByType("resource").map((entry) => entry.name);
  registered.then((worker) => worker?.postMessage({type: "keep", urls: [page, ...files]})).catch(() => {});
}

async function register(script) {
  // "none": the browser asks the server for the script and what it imports,
  // never its HTTP cache, so that a deploy is seen at once.
  const registration = await navigator.serviceWorker.register(script, {updateViaCache: "none"});
  if (!registration.installing && !registration.waiting) {
    // A returning visit: has the site been deployed again since?
    const updated = await registration.update().then(() => true, () => false);
    if (!updated && await goneFromSite(script)) return null;
  }
  const next = registration.installing ?? registration.waiting;
  if (next) await takeOver(next);
  return registration.active;
}

// A deploy without the worker (offline: false, or the plugin removed) fails
// its update: the old worker would serve the old build for ever. Offline,
// the fetch fails too, and the worker stays. -> whether it was forgotten.
async function goneFromSite(script) {
  const response = await fetch(script, {cache: "no-store"}).catch(() => null);
  if (response?.status !== 404) return false;
  await forget(script, config.offline.cachePrefix);
  return true;
}

// Waits for the new build's worker to install (or fail to), then lets it
// take over from the old one. This page has started: it no longer needs
// the old build's files.
function takeOver(worker) {
  return new Promise((resolve) => {
    const settle = () => {
      if (worker.state === "installed") worker.postMessage({type: "take-over"});
      else if (worker.state === "activated" || worker.state === "redundant") resolve();
    };
    worker.addEventListener("statechange", settle);
    settle();
  });
}

// No worker of ours any more, and none of its caches (service-worker.js
// names them: the prefix, the site's path, "#", the build's hash).
async function forget(script, cachePrefix) {
  const scope = new URL(".", script);
  const registration = await navigator.serviceWorker.getRegistration(scope.href);
  const worker = registration?.active ?? registration?.waiting ?? registration?.installing;
  if (worker?.scriptURL === script) await registration.unregister();
  const family = cachePrefix + scope.pathname + "#";
  for (const name of await caches.keys()) {
    if (name.startsWith(family)) await caches.delete(name);
  }
  return null;
}
