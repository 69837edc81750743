// Shared UI: an element builder (no HTML strings, so no injection and no inline styles),
// form fields with errors beside them and a summary on top, toasts, skeletons, dialogs,
// honest wording for errors, and inline-SVG charts with their numbers as text.

const SVG_NS = "http://www.w3.org/2000/svg";

/** h("button", {class: "x", onclick: fn, "data-testid": "y"}, "text", child, [children]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else if (k === "checked" || k === "selected" || k === "disabled" || k === "hidden" || k === "required" || k === "multiple") el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Appends children to an element, skipping null/false and flattening arrays. */
export function add(el, ...children) { append(el, children); return el; }

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

/** Readable label from an API enum: "body_only" → "Body only". */
export function humanize(s) {
  const t = String(s ?? "").replace(/[_-]+/g, " ").trim();
  return t ? t[0].toUpperCase() + t.slice(1) : "";
}

let fieldSeq = 0;
/**
 * A labelled form field: label above, hint under it, error slot beside it.
 * spec: {name, label, type, hint, value, required, options: [[value,label]], min, max, step, autocomplete, rows, testid}
 * The wrapper carries data-field=name so API field errors find it.
 */
export function field(spec) {
  const id = spec.id || `f-${spec.name.replace(/[^a-z0-9]+/gi, "-")}-${++fieldSeq}`;
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  let control;
  const common = { id, name: spec.name, "data-testid": spec.testid || `field-${spec.name}`, "aria-describedby": spec.hint ? hintId : null };
  if (spec.type === "select") {
    control = h("select", { ...common, required: spec.required },
      (spec.options || []).map(([v, l]) => h("option", { value: v, selected: String(spec.value) === String(v) }, l)));
  } else if (spec.type === "textarea") {
    control = h("textarea", { ...common, rows: spec.rows || 3, required: spec.required, maxlength: spec.maxlength, placeholder: spec.placeholder });
    control.value = spec.value ?? "";
  } else {
    control = h("input", {
      ...common, type: spec.type || "text", required: spec.required, min: spec.min, max: spec.max, step: spec.step,
      autocomplete: spec.autocomplete, inputmode: spec.inputmode, minlength: spec.minlength, maxlength: spec.maxlength,
      placeholder: spec.placeholder,
    });
    if (spec.value !== undefined && spec.value !== null) control.value = spec.value;
  }
  return h("div", { class: "field", "data-field": spec.name },
    h("label", { for: id }, spec.label),
    spec.hint ? h("p", { class: "hint", id: hintId }, spec.hint) : null,
    h("p", { class: "field-error", id: errId, hidden: true }),
    control);
}

/** A group of checkboxes in a fieldset (legend + hint), wrapper data-field=name. */
export function checkboxes(spec) {
  const chosen = new Set(spec.value || []);
  const legendId = `lg-${spec.name}-${++fieldSeq}`;
  return h("fieldset", { class: "field choices", "data-field": spec.name, "data-testid": spec.testid || `field-${spec.name}` },
    h("legend", { id: legendId }, spec.label),
    spec.hint ? h("p", { class: "hint" }, spec.hint) : null,
    h("p", { class: "field-error", hidden: true }),
    h("div", { class: "choice-grid" },
      (spec.options || []).map(([v, l]) => {
        const id = `cb-${spec.name}-${v}-${++fieldSeq}`;
        return h("div", { class: "choice" },
          h("input", { type: spec.radio ? "radio" : "checkbox", id, name: spec.name, value: v, checked: chosen.has(v), "data-testid": `choice-${spec.name}-${v}` }),
          h("label", { for: id }, l));
      })));
}

/** Values of a checkbox group. */
export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`)].map((i) => i.value);
}

/** Removes the error summary and every field error from a form. */
export function clearErrors(form) {
  form.querySelector(".error-summary")?.remove();
  for (const wrap of form.querySelectorAll("[data-field]")) {
    wrap.classList.remove("has-error");
    const p = wrap.querySelector(".field-error");
    if (p) { p.hidden = true; p.textContent = ""; }
    for (const c of wrap.querySelectorAll("input,select,textarea")) {
      c.removeAttribute("aria-invalid");
      const hint = wrap.querySelector(".hint");
      if (hint && hint.id) c.setAttribute("aria-describedby", hint.id); else c.removeAttribute("aria-describedby");
    }
  }
}

function findWrapper(form, apiField) {
  const name = String(apiField || "");
  const wraps = [...form.querySelectorAll("[data-field]")];
  let best = wraps.find((w) => w.dataset.field === name);
  if (!best) {
    // "injuries[0].area" or "health_screen.age" → the longest data-field that prefixes it
    const candidates = wraps.filter((w) => name.startsWith(w.dataset.field) || name.replace(/\[\d+\]/g, "").startsWith(w.dataset.field));
    candidates.sort((a, b) => b.dataset.field.length - a.dataset.field.length);
    best = candidates[0];
  }
  return best;
}

/**
 * Shows an error on a form: each API field error beside its field, and a summary on top with
 * a link to each field. Other errors go into the summary with honest words.
 */
export function showFormError(form, err, title = "There is a problem") {
  clearErrors(form);
  const items = [];
  const unique = new Set();
  const fields = (err && err.fields ? err.fields : []).filter((f) => {
    const key = `${f.field}\u0000${f.message}`;
    if (unique.has(key)) return false;
    unique.add(key);
    return true;
  });
  const seen = new Map();
  for (const f of fields) {
    const wrap = findWrapper(form, f.field);
    const message = `${humanize(f.field.replace(/\[\d+\]/g, "").split(".").pop())}: ${f.message}`;
    if (wrap) {
      const p = wrap.querySelector(".field-error");
      const prev = seen.get(wrap) || [];
      prev.push(f.message);
      seen.set(wrap, prev);
      p.textContent = prev.join("; ");
      p.hidden = false;
      wrap.classList.add("has-error");
      const control = wrap.querySelector("input,select,textarea");
      if (control) {
        if (!p.id) p.id = `${control.id}-error`;
        control.setAttribute("aria-invalid", "true");
        const hint = wrap.querySelector(".hint");
        control.setAttribute("aria-describedby", [p.id, hint && hint.id].filter(Boolean).join(" "));
        items.push(h("li", {}, h("a", { href: `#${control.id}`, onclick: (e) => { e.preventDefault(); control.focus(); } }, message)));
      } else items.push(h("li", {}, message));
    } else items.push(h("li", {}, message));
  }
  if (!items.length) items.push(h("li", {}, describeError(err)));
  const summary = h("div", { class: "error-summary", role: "alert", tabindex: "-1", "data-testid": "error-summary" },
    h("h2", {}, title), h("ul", {}, items));
  form.prepend(summary);
  summary.focus();
  return summary;
}

/** "HH:MM UTC" (adds the date when it is not within the next 24 h). */
export function formatResetUTC(date) {
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return "later";
  const hm = `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`;
  if (d.getTime() - Date.now() <= 24 * 3600 * 1000) return hm;
  return `${hm} on ${d.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" })}`;
}

/** When a 429 ends, as a Date, from Retry-After. */
export function retryAt(err) {
  if (err && typeof err.retryAfter === "number") return new Date(Date.now() + err.retryAfter * 1000);
  const t = new Date();
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1));
}

const LIMIT_WORDS = {
  requests_per_day: "all of today's coach requests",
  requests_per_week: "all of this week's coach requests",
  requests_per_month: "all of this month's coach requests",
  monthly_budget: "this month's AI budget",
};
/** A 429 from the AI quota in words: what ran out and when it comes back. */
export function quotaMessage(err) {
  const what = LIMIT_WORDS[err && err.limit] || (err && /budget/i.test(err.limit || "") ? "your AI budget" : "all your coach requests for now");
  return `You've used ${what}. You can ask again at ${formatResetUTC(retryAt(err))}.`;
}

/** Honest words for an error; never a bare code. */
export function describeError(err) {
  if (!err) return "Something went wrong.";
  if (err.offline || err.status === 0) {
    if (err.code === "stream_cut") return "The answer was cut off — ask again?";
    return "You're offline, or the server isn't answering. What you typed is kept; try again when you're back online.";
  }
  switch (err.status) {
    case 401: return "Your session has ended. Please sign in again.";
    case 403: return "Your account can't do that.";
    case 404: return "That no longer exists (it may have been deleted).";
    case 409: return err.message ? `That can't be done now: ${err.message}.` : "That conflicts with something that already exists.";
    case 413: return "That is too large to send.";
    case 422: return err.message ? `Please check what you entered: ${err.message}` : "Please check what you entered.";
    case 429: {
      if (/^too_many_/.test(err.code || "") || /login|registration|password/i.test(err.message || "")) {
        return `Too many attempts. Try again at ${formatResetUTC(retryAt(err))}.`;
      }
      return quotaMessage(err);
    }
    case 502:
      if (err.code === "stream_cut") return "The answer was cut off — ask again?";
      return "The coach couldn't produce a valid answer this time. Please try again.";
    case 503: return "No coach is available right now. Please try again in a few minutes.";
    default:
      return err.status >= 500 ? "The server had a problem. Please try again." : (err.message || "Something went wrong.");
  }
}

/** A small "reference" line with the request id, for reporting a problem. */
export function requestRef(err) {
  return err && err.requestId ? h("small", { class: "ref" }, `Reference: ${err.requestId}`) : null;
}

/** An inline notice block (role=alert for errors). */
export function notice(kind, ...children) {
  return h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, children);
}

export function errorNotice(err, testid = "error") {
  return h("div", { class: "notice notice-error", role: "alert", "data-testid": testid }, h("p", {}, describeError(err)), requestRef(err));
}

/** A toast: announced politely, gone after a while. */
export function toast(message, kind = "info") {
  const region = document.getElementById("toasts");
  if (!region) return;
  const t = h("div", { class: `toast toast-${kind}`, "data-testid": "toast" }, message);
  while (region.children.length >= 2) region.firstElementChild.remove();
  region.append(t);
  setTimeout(() => t.remove(), kind === "error" ? 8000 : 4000);
}

/** Placeholder lines while data is on the way (no spinner, no layout jump). */
export function skeleton(lines = 3) {
  return h("div", { class: "skeleton", "aria-hidden": "true", "data-testid": "skeleton" },
    Array.from({ length: lines }, () => h("div", { class: "skeleton-line" })));
}

/** A modal confirmation; resolves true/false. */
export function confirmDialog({ title, body, confirmLabel = "Confirm", danger = false, testid = "confirm-dialog" }) {
  return new Promise((resolve) => {
    const dlg = h("dialog", { class: "dialog", "aria-labelledby": "dlg-title", "data-testid": testid },
      h("h2", { id: "dlg-title" }, title),
      typeof body === "string" ? h("p", {}, body) : body,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "btn", "data-testid": `${testid}-cancel`, onclick: () => dlg.close("cancel") }, "Cancel"),
        h("button", { type: "button", class: danger ? "btn btn-danger" : "btn btn-primary", "data-testid": `${testid}-confirm`, onclick: () => dlg.close("ok") }, confirmLabel)));
    dlg.addEventListener("close", () => { resolve(dlg.returnValue === "ok"); dlg.remove(); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

/** Disables a form's submit button while `work` runs. */
export async function busy(button, work, label) {
  const old = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  if (label) button.textContent = label;
  try { return await work(); } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = old;
  }
}

export function formatDate(s) {
  if (!s) return "";
  const d = new Date(s.length === 10 ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: s.length === 10 ? "UTC" : undefined });
}

export function formatDateTime(s) {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s || "";
  return d.toLocaleString(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

export function usd(micros) {
  const v = Number(micros || 0) / 1e6;
  return v < 0.01 && v > 0 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`;
}

export function todayISO() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export const KG_PER_LB = 0.45359237;
export function toDisplayWeight(kg, units) { return units === "lb" ? kg / KG_PER_LB : kg; }
export function fromDisplayWeight(v, units) { return units === "lb" ? v * KG_PER_LB : v; }
export function round1(v) { return Math.round(v * 10) / 10; }

/**
 * A line chart (inline SVG) of dated values, with an optional moving average, and the
 * numbers as a visually hidden table for screen readers.
 * points: [{date: "YYYY-MM-DD", value}] oldest first.
 */
export function lineChart({ points, title, unit = "", average = 0, testid }) {
  const W = 320, H = 140, P = 28;
  const wrap = h("figure", { class: "chart", "data-testid": testid });
  if (!points.length) { wrap.append(h("p", { class: "muted" }, "No entries yet.")); return wrap; }
  const xs = points.map((p) => Date.parse(`${p.date}T00:00:00Z`));
  const ys = points.map((p) => p.value);
  const minX = Math.min(...xs), maxX = Math.max(...xs);
  let minY = Math.min(...ys), maxY = Math.max(...ys);
  if (minY === maxY) { minY -= 1; maxY += 1; }
  const pad = (maxY - minY) * 0.1; minY -= pad; maxY += pad;
  const sx = (x) => (maxX === minX ? W / 2 : P + ((x - minX) / (maxX - minX)) * (W - 2 * P));
  const top = 10, bottom = H - 20;
  const sy = (y) => bottom - ((y - minY) / (maxY - minY)) * (bottom - top);
  const path = (vals) => vals.map((y, i) => `${i ? "L" : "M"}${sx(xs[i]).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${title}: ${points.length} entries, latest ${round1(ys[ys.length - 1])} ${unit}`, class: "chart-svg" },
    svg("line", { x1: P, y1: bottom + 6, x2: W - P, y2: bottom + 6, class: "axis" }),
    svg("text", { x: 2, y: sy(maxY - pad) + 4, class: "tick" }, String(round1(maxY - pad))),
    svg("text", { x: 2, y: sy(minY + pad) + 4, class: "tick" }, String(round1(minY + pad))),
    svg("text", { x: sx(minX), y: H - 2, class: "tick", "text-anchor": "start" }, formatDate(points[0].date)),
    maxX > minX ? svg("text", { x: sx(maxX), y: H - 2, class: "tick", "text-anchor": "end" }, formatDate(points[points.length - 1].date)) : null,
    svg("path", { d: path(ys), class: "line" }),
    points.map((p, i) => svg("circle", { cx: sx(xs[i]).toFixed(1), cy: sy(ys[i]).toFixed(1), r: 3, class: "dot" })));
  if (average > 1 && points.length > 2) {
    const avg = ys.map((_, i) => { const from = Math.max(0, i - average + 1); const win = ys.slice(from, i + 1); return win.reduce((a, b) => a + b, 0) / win.length; });
    s.append(svg("path", { d: path(avg), class: "line-avg" }));
  }
  wrap.append(h("figcaption", {}, title, average > 1 && points.length > 2 ? h("span", { class: "legend" }, ` — dashed: ${average}-entry moving average`) : null), s);
  wrap.append(dataTable(["Date", `Value${unit ? ` (${unit})` : ""}`], points.map((p) => [formatDate(p.date), String(round1(p.value))]), title));
  return wrap;
}

/** A bar chart (inline SVG) with the numbers as text under it. bars: [{label, value}] */
export function barChart({ bars, title, unit = "", max = null, testid }) {
  const W = 320, H = 150, P = 20;
  const wrap = h("figure", { class: "chart", "data-testid": testid });
  if (!bars.length) { wrap.append(h("p", { class: "muted" }, "Nothing to show yet.")); return wrap; }
  const top = max ?? Math.max(1, ...bars.map((b) => b.value));
  const bw = (W - 2 * P) / bars.length;
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${title}: ${bars.map((b) => `${b.label} ${round1(b.value)}${unit}`).join(", ")}`, class: "chart-svg" },
    svg("line", { x1: P, y1: H - P, x2: W - P, y2: H - P, class: "axis" }),
    bars.map((b, i) => {
      const bh = Math.max(0, Math.min(1, b.value / top)) * (H - 2 * P - 10);
      return [
        svg("rect", { x: (P + i * bw + bw * 0.15).toFixed(1), y: (H - P - bh).toFixed(1), width: (bw * 0.7).toFixed(1), height: bh.toFixed(1), class: "bar" }),
        svg("text", { x: (P + i * bw + bw / 2).toFixed(1), y: H - 5, class: "tick", "text-anchor": "middle" }, b.short ?? b.label),
      ];
    }));
  wrap.append(h("figcaption", {}, title), s, dataTable(["", `Value${unit ? ` (${unit})` : ""}`], bars.map((b) => [b.label, String(round1(b.value))]), title));
  return wrap;
}

function dataTable(head, rows, caption) {
  return h("details", { class: "chart-data" }, h("summary", {}, "Show the numbers"),
    h("table", {}, h("caption", { class: "sr-only" }, caption),
      h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c)))))));
}

/** A meter bar with text, e.g. requests used of limit. */
export function meter({ label, used, limit, testid }) {
  const pct = limit > 0 ? Math.min(100, Math.round((used / limit) * 100)) : 0;
  const bar = h("span", { class: "meter-fill" });
  bar.style.width = `${pct}%`;
  if (pct >= 90) bar.classList.add("meter-high");
  return h("div", { class: "meter", "data-testid": testid },
    h("div", { class: "meter-label" }, label),
    h("span", { class: "meter-track", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": limit, "aria-valuenow": used, "aria-label": label }, bar));
}
