// Vigor web app: the shell and the router (hash routes, one lazily loaded module per screen).
//
// Stable hooks for browser tests (ids / data-testid):
//   ready:   html[data-ready="true"] and performance mark "vigor-interactive" once the first screen is drawn
//   shell:   #app-header, #main-nav (links a[data-testid="nav-<route>"]), #main (role main),
//            #offline-banner, #toasts, #signout-button, [data-testid="user-badge"]
//   routes:  #/signin #/signup #/profile #/today #/chat #/chat/<id> #/plans #/plans/<id> #/exercises
//            #/workouts #/workouts/new #/progress #/usage #/account #/admin
//   auth:    #signin-form (#signin-email, #signin-password, #signin-submit), #signup-form
//            (#signup-email, #signup-username, #signup-password, #signup-submit),
//            [data-testid="error-summary"], .field-error beside each field
//   profile: #profile-form, #profile-submit, [data-testid="choice-<name>-<value>"]
//   today:   [data-testid="today"], [data-testid="today-session"|"today-rest"], [data-testid="today-log"]
//   chat:    #chat-form, #chat-input, #chat-send, #chat-log, [data-testid="msg-user"], [data-testid="msg-assistant"]
//            (while streaming: [data-testid="msg-streaming"], its data-deltas attribute counts the pieces
//            received), [data-testid="chat-notice"] (429 / 503 / cut stream / offline coach words),
//            [data-testid="ask-again"], #conversation-list, [data-testid="conversation-item"], #new-conversation,
//            [data-testid="msg-details-toggle"], [data-testid="msg-details"], [data-testid="truncated-badge"]
//   plans:   #plan-generate-form, #plan-generate, [data-testid="plan-generator-choice"], #plan-list,
//            [data-testid="plan-item"], #plan-view, [data-testid="plan-generator"], [data-testid="week-<n>"],
//            [data-testid="deload-badge"], [data-testid="exercise"] (data-exercise-id), [data-testid="swap-button"]
//            (data-sub), #plan-save-swaps, [data-testid="offline-plan-note"], [data-testid="log-from-plan"]
//   workouts:#workout-new, #workout-form, #workout-plan, #workout-day ("free" = free session), [data-testid="workout-row"]
//            (workout-row-exercise|sets|reps|load|rpe), #workout-add-row, [data-testid="rating-<1..5>"],
//            #workout-submit, #workout-history, [data-testid="workout-item"], [data-testid="analyze-button"],
//            [data-testid="analyze-narrative-button"], [data-testid="analysis"]
//   progress:#progress-form, [data-testid="progress-weight"|"progress-bodyfat"|"progress-m-waist"], #progress-submit,
//            [data-testid="chart-weight"], [data-testid="chart-volume"], [data-testid="chart-sessions"], [data-testid="adherence"]
//   usage:   #usage-view, [data-testid="usage-day"|"usage-week"|"usage-month"], [data-testid="usage-resets-<period>"],
//            [data-testid="usage-limit-reached"], [data-testid="usage-budget"], [data-testid="tiers-table"]
//   account: #password-form ([data-testid="password-current"|"password-new"], #password-submit), #apikey-form
//            ([data-testid="apikey-name"], #apikey-submit), [data-testid="apikey-secret"] (shown once), #apikey-list,
//            [data-testid="apikey-revoke"], #export-button, [data-testid="export-link"], #delete-form
//            ([data-testid="delete-password"], #delete-submit, then [data-testid="delete-dialog-confirm"])
//   admin:   #admin-providers (#provider-table, [data-testid="breaker-state"], #providers-save), #admin-plugins
//            ([data-testid="plugins-loaded"|"plugins-rejected"], #plugins-reload, [data-testid="plugins-reloaded"]),
//            #admin-tiers (#tier-table, #tiers-save), #admin-users (#admin-user-tier-form: [data-testid="admin-user-id"],
//            [data-testid="admin-user-tier"], #admin-user-tier-submit), #admin-usage, #admin-budget-form
//   exercises: #exercise-search ([data-testid="exercise-q"|"exercise-equipment"|"exercise-muscle"|"exercise-level"]),
//            #exercise-list, [data-testid="exercise-item"], #exercise-more, [data-testid="exercise-count"]
//   toasts:  [data-testid="toast"]; dialogs: [data-testid="confirm-dialog-confirm"|"-cancel"]

import * as api from "./api.js";
import { store } from "./store.js";
import { h, clear, describeError, toast } from "./ui.js";

const routes = {
  signin: { module: "./screens/auth.js", fn: "signin", title: "Sign in", public: true },
  signup: { module: "./screens/auth.js", fn: "signup", title: "Create your account", public: true },
  today: { module: "./screens/plans.js", fn: "today", title: "Today" },
  profile: { module: "./screens/profile.js", fn: "render", title: "Your profile" },
  chat: { module: "./screens/chat.js", fn: "render", title: "Coach" },
  plans: { module: "./screens/plans.js", fn: "render", title: "Plans", offline: true },
  exercises: { module: "./screens/exercises.js", fn: "render", title: "Exercises" },
  workouts: { module: "./screens/workouts.js", fn: "render", title: "Workouts" },
  progress: { module: "./screens/progress.js", fn: "render", title: "Progress" },
  usage: { module: "./screens/usage.js", fn: "render", title: "Usage and tier" },
  account: { module: "./screens/account.js", fn: "render", title: "Account" },
  admin: { module: "./screens/admin.js", fn: "render", title: "Admin", admin: true },
};

const main = document.getElementById("main");
let current = null; // { abort: AbortController, cleanup }
let booted = false;
let offlineMode = false;
let signingOut = false;

export function navigate(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [pathPart, queryPart = ""] = raw.split("?");
  const parts = pathPart.split("/").filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || "", params: parts.slice(1), query: new URLSearchParams(queryPart) };
}

function updateNav(name) {
  for (const a of document.querySelectorAll("#main-nav a")) {
    if (a.dataset.route === name) {
      a.setAttribute("aria-current", "page");
      const ul = a.closest("ul");
      if (ul && ul.scrollWidth > ul.clientWidth) ul.scrollLeft = a.parentElement.offsetLeft - (ul.clientWidth - a.parentElement.offsetWidth) / 2;
    } else a.removeAttribute("aria-current");
  }
  const signedIn = api.hasSession();
  document.getElementById("main-nav").hidden = !signedIn && !offlineMode;
  document.getElementById("signout-button").hidden = !signedIn;
  const adminLink = document.querySelector('#main-nav a[data-route="admin"]');
  if (adminLink) adminLink.parentElement.hidden = !store.isAdmin;
  const badge = document.querySelector('[data-testid="user-badge"]');
  badge.textContent = signedIn && store.account ? store.account.username : "";
}

async function route() {
  if (!booted) return;
  let { name, params, query } = parseHash();
  const signedIn = api.hasSession();
  if (!routes[name]) name = signedIn ? "today" : (offlineMode && store.lastPlanId ? "plans" : "signin");
  let spec = routes[name];
  if (offlineMode && !signedIn && !spec.offline) {
    // Offline with no session: say so instead of asking to sign in (which cannot work now).
    if (current) current.abort.abort();
    current = { abort: new AbortController(), cleanup: null };
    updateNav(name);
    clear(main);
    main.dataset.screen = "offline";
    document.title = "Offline · Vigor";
    main.append(h("h1", { tabindex: "-1" }, "You're offline"),
      h("p", { "data-testid": "offline-screen" }, "This part of Vigor needs a connection. It will come back by itself when the server can be reached."),
      store.lastPlanId ? h("p", {}, h("a", { class: "btn btn-primary", href: `#/plans/${store.lastPlanId}`, "data-testid": "offline-plan-link" }, "Open your last viewed plan")) : null);
    return;
  }
  if (!spec.public && !signedIn && !(offlineMode && spec.offline)) { name = "signin"; spec = routes.signin; }
  if (spec.public && signedIn) { name = "today"; spec = routes.today; }
  if (spec.admin && !store.isAdmin) { name = "today"; spec = routes.today; }
  if (offlineMode && name === "plans" && !params.length && store.lastPlanId) params = [String(store.lastPlanId)];

  if (current) { current.abort.abort(); if (typeof current.cleanup === "function") { try { current.cleanup(); } catch (e) { console.error(e); } } }
  const abort = new AbortController();
  current = { abort, cleanup: null };
  updateNav(name);
  document.title = `${spec.title} · Vigor`;
  clear(main);
  main.dataset.screen = name;
  try {
    const mod = await import(spec.module);
    if (abort.signal.aborted) return;
    const cleanup = await mod[spec.fn](main, { params, query, signal: abort.signal, navigate, offline: offlineMode });
    if (!abort.signal.aborted) current.cleanup = cleanup;
  } catch (err) {
    if (err && err.name === "AbortError") return;
    console.error(err);
    clear(main);
    main.append(h("h1", { tabindex: "-1" }, spec.title), h("div", { class: "notice notice-error", role: "alert", "data-testid": "screen-error" }, describeError(err)));
  }
  if (abort.signal.aborted) return;
  const heading = main.querySelector("h1");
  // Move focus to the new screen's heading (screen readers announce it), unless the screen
  // already put it somewhere useful (the chat box, the first field of a form).
  const active = document.activeElement;
  const focusLost = !active || active === document.body || active.closest("#main-nav, .app-header") || !document.contains(active);
  if (heading && focusLost) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
}

/** Forgets the offline copy of the last plan (sign-out, or a new sign-in that may be someone else). */
export function forgetOfflinePlan() {
  store.lastPlanId = null;
  if (navigator.serviceWorker?.controller) navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
}

/** Loads the account (and the profile, for units) after a sign-in or a restored session. */
export async function loadAccount() {
  store.account = await api.get("/api/v1/auth/me");
  try { store.profile = await api.get("/api/v1/users/me"); } catch { store.profile = null; }
  updateNav(parseHash().name);
}

function setOffline(isOffline) {
  const banner = document.getElementById("offline-banner");
  banner.hidden = !isOffline;
  document.body.classList.toggle("is-offline", isOffline);
}

async function signOut() {
  signingOut = true;
  try { await api.logout(); } catch (err) { toast(describeError(err), "error"); }
  store.reset();
  forgetOfflinePlan();
  toast("You are signed out.");
  signingOut = false;
  navigate("#/signin");
}

async function boot() {
  // The host answers /chat, /plans/3 ... with this page too: turn such a path into the hash route.
  const first = location.pathname.split("/").filter(Boolean)[0];
  if (first && routes[first] && !location.hash) history.replaceState(null, "", `/#${location.pathname}${location.search}`);
  document.getElementById("signout-button").addEventListener("click", signOut);
  // The skip link must not change the hash (that is the router's): it moves focus instead.
  document.querySelector(".skip-link")?.addEventListener("click", (e) => {
    e.preventDefault();
    const target = main.querySelector("h1") || main;
    target.setAttribute("tabindex", "-1");
    target.focus();
  });
  window.addEventListener("online", () => { setOffline(false); if (offlineMode) { offlineMode = false; restore().then(route); } });
  window.addEventListener("offline", () => setOffline(true));
  api.onNetwork((ok) => setOffline(offlineMode || !ok || navigator.onLine === false));
  setOffline(navigator.onLine === false);
  api.onSessionChange((signedIn) => {
    if (!signedIn && booted && !signingOut && !routes[parseHash().name]?.public) {
      store.reset();
      toast("Your session has ended. Please sign in again.", "error");
      navigate("#/signin");
    }
  });
  window.addEventListener("hashchange", route);
  // Installable: offer the browser's install prompt when it has one for us.
  let installPrompt = null;
  const install = document.getElementById("install-button");
  window.addEventListener("beforeinstallprompt", (e) => { e.preventDefault(); installPrompt = e; install.hidden = false; });
  window.addEventListener("appinstalled", () => { install.hidden = true; installPrompt = null; });
  install.addEventListener("click", async () => {
    if (!installPrompt) return;
    installPrompt.prompt();
    try { await installPrompt.userChoice; } catch { /* dismissed */ }
    installPrompt = null;
    install.hidden = true;
  });
  await restore();
  booted = true;
  document.body.classList.remove("booting");
  await route();
  // For the browser tests' time-to-interactive figure: the first screen is drawn and usable.
  performance.mark("vigor-interactive");
  document.documentElement.dataset.ready = "true";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((e) => console.warn("service worker:", e));
  }
}

let retryTimer = null;
async function restore() {
  try {
    if (api.mayHaveSession() && (await api.refresh({ timeoutMs: 4000 }))) await loadAccount();
    offlineMode = false;
    setOffline(navigator.onLine === false);
  } catch (err) {
    if (err.offline) {
      offlineMode = true;
      setOffline(true);
      // The server may be unreachable while the device is "online": try again now and then.
      if (!retryTimer) {
        retryTimer = setInterval(async () => {
          await restore();
          if (!offlineMode) { clearInterval(retryTimer); retryTimer = null; route(); }
        }, 15000);
      }
    } else console.warn("session restore:", err);
  }
}

boot();
