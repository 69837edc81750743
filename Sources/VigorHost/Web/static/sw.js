// Service worker: the app shell is cached on install and served when the network is gone;
// the last viewed plan (the user's own, GET /api/v1/workouts/plans/<id>) is kept for offline
// reading. No other API response is cached. Sign-out clears the plan.
const VERSION = "vigor-shell-v1";
const PLAN_CACHE = "vigor-last-plan";
const SHELL = [
  "/", "/index.html", "/styles.css", "/app.js", "/api.js", "/ui.js", "/store.js",
  "/screens/auth.js", "/screens/chat.js", "/screens/plans.js", "/screens/workouts.js", "/screens/profile.js",
  "/screens/progress.js", "/screens/usage.js", "/screens/account.js", "/screens/admin.js",
  "/manifest.webmanifest", "/icons/icon.svg", "/icons/icon-192.png", "/icons/icon-512.png",
];
const PLAN_PATH = /^\/api\/v1\/workouts\/plans\/\d+$/;

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
    const response = await fetch(request);
    if (response.ok) {
      await caches.delete(PLAN_CACHE); // only the last viewed plan is kept
      const cache = await caches.open(PLAN_CACHE);
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(request.url, { cacheName: PLAN_CACHE });
    if (cached) return cached;
    throw err;
  }
}

async function shell(request) {
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
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
