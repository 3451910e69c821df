// The site's service worker: repeat visits start from the browser's Cache
// Storage, and a page visited once works with the network off. A classic
// script, imported by the one the MkDocs plugin writes at the site's root
// (a service worker controls only the pages under its script's directory),
// which defines BUILD: {hash, prefix, files and later: {path from the site's
// root: sha256}} (mkdocs_pydigit/service_worker.py). offline.js registers it.
//
//   - The build's files (the widget, the runtime, its wheels and lock, the
//     weights): fetched and checked against their sha256 when the worker
//     installs, then served from its cache first. The widget's scripts too:
//     a page then runs one build's files, never a new widget or lock with an
//     old runtime or wheel. But for BUILD.later (the weights of the models
//     a visitor may never pick): served from the cache first too, put there,
//     checked, the first time a page asks for them.
//   - The site's other files (pages, styles, the theme's scripts): from the
//     network first, a copy kept; the copy when the network fails. Online
//     a visitor sees the pages as deployed; offline, as last seen.
//   - Other origins, paths outside the site, methods other than GET: not
//     touched, as without a service worker.
//
// A deploy changes the script, so the browser installs the new build's
// worker beside the old; it takes over when a page says so (offline.js,
// once the page's pad is ready: a page's start-up never sees two builds),
// and deletes the old build's cache; the next visit is the new build's. It
// claims no page: a page loaded without it stays so. The pages the old
// worker served pass to it, after their start-up: only what they fetch
// later (a second model's weights) comes from the new build.
/* global BUILD */
const SCOPE = self.registration.scope;
// Cache Storage is the origin's: a pydigit site under another path has its own caches.
const FAMILY = BUILD.prefix + new URL(SCOPE).pathname + "#";
const CACHE = FAMILY + BUILD.hash;
const byURL = (files) => new Map(Object.entries(files).map(([path, sha256]) => [new URL(path, SCOPE).href, sha256]));
const PRECACHED = byURL(BUILD.files);
const LATER = byURL(BUILD.later);

self.addEventListener("install", (event) => event.waitUntil(precache()));
self.addEventListener("activate", (event) => event.waitUntil(dropOtherBuilds()));

self.addEventListener("message", (event) => {
  const message = event.data;
  if (message?.type === "take-over") self.skipWaiting();
  else if (message?.type === "keep" && Array.isArray(message.urls)) event.waitUntil(keep(message.urls));
});

self.addEventListener("fetch", (event) => {
  const {request} = event;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  if (PRECACHED.has(request.url)) event.respondWith(cacheFirst(request));
  else if (LATER.has(request.url)) event.respondWith(cacheFirstKept(event));
  else event.respondWith(networkFirst(event));
});

// A file that fails to load, or is not this build's (the site was deployed
// again meanwhile), fails the install: pages go on with the worker they
// had, or none, and the next visit tries again. Files already in the cache
// were checked when put there.
async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all([...PRECACHED].map(async ([url, sha256]) => {
    if (await cache.match(url)) return;
    // Revalidated: the HTTP cache's copy (the page's own download) only if the server still has it.
    const response = await fetch(url, {cache: "no-cache"});
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    if (await digest(response.clone()) !== sha256) throw new Error(`${url} is not this build's`);
    await cache.put(url, response);
  }));
}

async function digest(response) {
  const hash = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
  return Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function dropOtherBuilds() {
  for (const name of await caches.keys()) {
    if (name.startsWith(FAMILY) && name !== CACHE) await caches.delete(name);
  }
}

async function cacheFirst(request) {
  return (await caches.match(request, {cacheName: CACHE})) ?? fetch(request);
}

// A file of BUILD.later: kept the first time a page asks for it.
async function cacheFirstKept(event) {
  const cached = await caches.match(event.request, {cacheName: CACHE});
  if (cached) return cached;
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(keepLater(event.request.url, response.clone()));
  return response;
}

// Only if it is this build's: after a deploy, the page gets the response all
// the same, as it would without a worker, but the cache keeps none.
async function keepLater(url, response) {
  if (await digest(response.clone()) === LATER.get(url)) await (await caches.open(CACHE)).put(url, response);
}

async function networkFirst(event) {
  try {
    const response = await fetch(event.request);
    if (keepable(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(event.request, copy)));
    }
    return response;
  } catch {
    return (await caches.match(event.request, {cacheName: CACHE})) ?? Response.error();
  }
}

// A redirected response cannot answer a navigation: the browser refuses it.
function keepable(response) {
  return response.ok && response.type === "basic" && !response.redirected;
}

// A page and the files it loaded, which it sends once its pad is ready: the
// first visit's page loaded before this worker was there to keep them (a
// model picked then among them).
async function keep(urls) {
  const cache = await caches.open(CACHE);
  await Promise.all(urls.filter((url) => typeof url === "string" && url.startsWith(SCOPE) && !PRECACHED.has(url))
    .map(async (url) => {
      const response = await fetch(url).catch(() => null);
      if (response && LATER.has(url)) await keepLater(url, response);
      else if (response && keepable(response)) await cache.put(url, response);
    }));
}
