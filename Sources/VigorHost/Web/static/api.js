// The API client: the access token lives in this module's memory only; the refresh token is an
// HttpOnly cookie the host sets (because every request says `X-Vigor-Client: web`).
// A 401 triggers one refresh (shared by concurrent callers) and one retry.

const CLIENT_HEADER = "X-Vigor-Client";
let accessToken = null;
let refreshing = null;
const listeners = new Set();

/** An error from the API (its JSON error shape) or from the network. */
export class ApiError extends Error {
  constructor({ status = 0, code = "network", message = "", requestId = null, fields = [], limit = null, retryAfter = null, body = null }) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.fields = Array.isArray(fields) ? fields : [];
    this.limit = limit;
    this.retryAfter = retryAfter;
    this.body = body;
  }
  get offline() { return this.status === 0; }
}

const networkListeners = new Set();
let lastNetworkOK = true;
/** Called with `false` when a request could not reach the server and `true` when one did again. */
export function onNetwork(fn) { networkListeners.add(fn); return () => networkListeners.delete(fn); }
function network(ok) {
  if (ok === lastNetworkOK) return;
  lastNetworkOK = ok;
  for (const fn of networkListeners) { try { fn(ok); } catch (e) { console.error(e); } }
}

/** Called with `true`/`false` when the session starts or ends (e.g. a refresh failed). */
export function onSessionChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }
function emit(signedIn) { for (const fn of listeners) { try { fn(signedIn); } catch (e) { console.error(e); } } }

export function hasSession() { return accessToken !== null; }
export function setAccessToken(token) {
  accessToken = token || null;
  // A hint (not a secret) that a refresh cookie may exist, so a first visit skips a refresh that can only fail.
  try { if (accessToken) localStorage.setItem("vigor.session", "1"); else localStorage.removeItem("vigor.session"); } catch { /* storage off */ }
  emit(accessToken !== null);
}
/** Whether this browser signed in before (and did not sign out): worth trying the refresh cookie. */
export function mayHaveSession() {
  try { return localStorage.getItem("vigor.session") === "1"; } catch { return true; }
}

function headersFor(extra = {}, json = false) {
  const h = { [CLIENT_HEADER]: "web", Accept: "application/json", ...extra };
  if (json) h["Content-Type"] = "application/json";
  if (accessToken) h.Authorization = `Bearer ${accessToken}`;
  return h;
}

async function toError(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON */ }
  const e = (body && body.error) || {};
  const retry = response.headers.get("Retry-After");
  return new ApiError({
    status: response.status,
    code: e.code || `http_${response.status}`,
    message: e.message || response.statusText || "The server did not answer as expected.",
    requestId: e.request_id || response.headers.get("X-Request-Id"),
    fields: e.fields,
    limit: e.limit || null,
    retryAfter: retry !== null && retry !== "" && !Number.isNaN(Number(retry)) ? Number(retry) : null,
    body,
  });
}

function networkErrorFrom(err) {
  if (err && err.name === "AbortError") throw err;
  network(false);
  return new ApiError({ status: 0, code: "network", message: "You seem to be offline, or the server is not answering." });
}

/** Exchanges the refresh cookie for a new access token; `false` if there is no live session. */
export function refresh({ timeoutMs = 10000 } = {}) {
  if (!refreshing) {
    refreshing = (async () => {
      let response;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        response = await fetch("/api/v1/auth/refresh", {
          method: "POST", credentials: "same-origin", signal: controller.signal,
          headers: { [CLIENT_HEADER]: "web", Accept: "application/json" },
        });
      } catch (err) {
        network(false);
        throw new ApiError({ status: 0, code: "network", message: "The server did not answer in time." });
      } finally { clearTimeout(timer); }
      network(true);
      if (!response.ok) {
        if (response.status === 401 || response.status === 422 || response.status === 400 || response.status === 403) {
          setAccessToken(null);
          return false;
        }
        throw await toError(response);
      }
      const data = await response.json();
      setAccessToken(data.access_token);
      return true;
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

function buildURL(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "") continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * One JSON request. Resolves to the parsed body (or null for 204); rejects with ApiError.
 * options: { body, query, signal, headers, auth (default true) }
 */
export async function request(method, path, options = {}) {
  const { body, query, headers = {}, auth = true, timeoutMs = 30000 } = options;
  const url = buildURL(path, query);
  // A request that hangs (bad signal) ends as a network error instead of a skeleton forever.
  const timeout = typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(timeoutMs) : null;
  const signal = options.signal && timeout && AbortSignal.any ? AbortSignal.any([options.signal, timeout]) : (options.signal || timeout || undefined);
  const networkError = (err) => {
    if (timeout && timeout.aborted && !(options.signal && options.signal.aborted)) {
      network(false);
      return new ApiError({ status: 0, code: "network", message: "The server did not answer in time." });
    }
    return networkErrorFrom(err);
  };
  const send = () => fetch(url, {
    method, signal, credentials: "same-origin",
    headers: headersFor(headers, body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let response;
  try { response = await send(); } catch (err) { throw networkError(err); }
  if (response.status === 401 && auth) {
    const renewed = await refresh();
    if (renewed) {
      try { response = await send(); } catch (err) { throw networkError(err); }
    }
    if (response.status === 401) setAccessToken(null);
  }
  network(response.headers.get("X-Vigor-Offline-Copy") !== "1");
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  return type.includes("json") ? response.json() : response.text();
}

export const get = (path, query, signal) => request("GET", path, { query, signal });
export const post = (path, body, options = {}) => request("POST", path, { ...options, body });
export const put = (path, body, options = {}) => request("PUT", path, { ...options, body });
export const del = (path, body, options = {}) => request("DELETE", path, { ...options, body });

/** Signs in; the host sets the refresh cookie. Resolves to the token response. */
export async function login(email, password) {
  const data = await request("POST", "/api/v1/auth/login", { body: { email, password }, auth: false });
  setAccessToken(data.access_token);
  return data;
}

export async function register(fields) {
  const data = await request("POST", "/api/v1/auth/register", { body: fields, auth: false });
  setAccessToken(data.access_token);
  return data;
}

export async function logout() {
  try { await request("POST", "/api/v1/auth/logout", { auth: false }); }
  catch (err) { if (err.status !== 401 && !err.offline) throw err; }
  finally { setAccessToken(null); }
}

/** Splits an SSE byte stream into {event, data} frames. */
async function* sseFrames(stream) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const raw = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = "message";
        const data = [];
        for (const line of raw.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let value = colon < 0 ? "" : line.slice(colon + 1);
          if (value.startsWith(" ")) value = value.slice(1);
          if (field === "event") event = value;
          else if (field === "data") data.push(value);
        }
        if (data.length) yield { event, data: data.join("\n") };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Streams one coach turn. Calls onDelta(text) per piece; resolves to
 * { ok: true, done } with the stored reply, or { ok: false, error, conversationId, messageId }
 * when the stream was cut after it began. Rejects with ApiError when it never began.
 */
export async function streamChat(input, { onDelta, signal } = {}) {
  const send = () => fetch("/api/v1/ai/chat", {
    method: "POST", signal, credentials: "same-origin",
    headers: headersFor({ Accept: "text/event-stream" }, true),
    body: JSON.stringify(input),
  });
  let response;
  try { response = await send(); } catch (err) { throw networkErrorFrom(err); }
  if (response.status === 401 && (await refresh())) {
    try { response = await send(); } catch (err) { throw networkErrorFrom(err); }
  }
  if (!response.ok) throw await toError(response);
  const type = response.headers.get("Content-Type") || "";
  if (!type.includes("text/event-stream")) {
    const done = await response.json();
    if (onDelta) onDelta(done.reply || "");
    return { ok: true, done };
  }
  let received = false;
  try {
    for await (const frame of sseFrames(response.body)) {
      let payload;
      try { payload = JSON.parse(frame.data); } catch { continue; }
      if (frame.event === "delta") { received = true; if (onDelta) onDelta(payload.text || ""); }
      else if (frame.event === "done") return { ok: true, done: payload };
      else if (frame.event === "error") {
        const e = payload.error || {};
        return {
          ok: false, received,
          error: new ApiError({ status: 502, code: e.code || "stream_cut", message: e.message || "the answer was cut", requestId: e.request_id, limit: e.limit }),
          conversationId: payload.conversation_id ?? null, messageId: payload.message_id ?? null,
        };
      }
    }
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
  }
  return { ok: false, received, error: new ApiError({ status: 0, code: "stream_cut", message: "the connection ended before the answer finished" }), conversationId: null, messageId: null };
}
