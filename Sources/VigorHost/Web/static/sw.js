// Service worker: the app shell is cached on install and served when the network is gone;
// the last viewed plan (the user's own, GET /api/v1/workouts/plans/<id>) is kept for offline
// reading. No other API response is cached. Sign-out clears the plan.
const VERSION = "vigor-shell-v1";
const PLAN_CACHE = "vigor-last-plan";
const SHELL = [
  "/", "/index.html", "/styles.css", "/app.js", "/api.js", "/ui.js", "/store.js",
  "/screens/auth.js", "/screens/chat.js", "/screens/plans.js", "/screens/workouts.js", "/screens/profile.js",
  "/screens/progress.js", "/screens/exercises.js", "/screens/usage.js", "/screens/account.js", "/screens/admin.js",
  "/manifest.webmanifest", "/icons/icon.svg", "/icons/icon-192.png", "/icons/icon-512.png",
];
const PLAN_PATH = /^\/api\/v1\/workouts\/plans\/\d+$/;
const NETWORK_WAIT_MS = 3500; // bad signal: past this, the cached copy is served

let failedAt = 0; // when the network last failed: for a while after, cached copies come first

/** fetch, or a rejection once `ms` pass without an answer (the request is aborted). */
function fetchWithin(request, ms) {
  if (Date.now() - failedAt < 20000) ms = Math.min(ms, 800);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  return fetch(request, { signal: controller.signal })
    .then((response) => { failedAt = 0; return response; }, (err) => { failedAt = Date.now(); throw err; })
    .finally(() => clearTimeout(timer));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(VERSION);
    await Promise.all(SHELL.map((url) => cache.add(new Request(url, { cache: "reload" })).catch(() => undefined)));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== VERSION && key !== PLAN_CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "signed-out") event.waitUntil(caches.delete(PLAN_CACHE));
});

async function lastPlan(request) {
  try {
    const response = await fetchWithin(request, NETWORK_WAIT_MS);
    if (response.ok) {
      await caches.delete(PLAN_CACHE); // only the last viewed plan is kept
      const cache = await caches.open(PLAN_CACHE);
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(request.url, { cacheName: PLAN_CACHE });
    if (cached) {
      // Say it is the saved copy, so the app keeps its offline banner up.
      const headers = new Headers(cached.headers);
      headers.set("X-Vigor-Offline-Copy", "1");
      return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
    }
    throw err;
  }
}

async function shell(request) {
  const cache = await caches.open(VERSION);
  if (Date.now() - failedAt < 20000) {
    // The network just failed: answer from the cache at once, and refresh it in the background.
    const cached = await cache.match(request, { ignoreSearch: true }) || (request.mode === "navigate" ? await cache.match("/") : undefined);
    if (cached) {
      fetchWithin(request, NETWORK_WAIT_MS).then((r) => (r.ok && r.type === "basic" ? cache.put(request, r) : undefined)).catch(() => undefined);
      return cached;
    }
  }
  try {
    const response = await fetchWithin(request, NETWORK_WAIT_MS);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    if (request.mode === "navigate") { const index = await cache.match("/"); if (index) return index; }
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (PLAN_PATH.test(url.pathname)) { event.respondWith(lastPlan(request)); return; }
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/v1/") || ["/health", "/ready", "/metrics", "/openapi.json"].includes(url.pathname)) return;
  event.respondWith(shell(request));
});
