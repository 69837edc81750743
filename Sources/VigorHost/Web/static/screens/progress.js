// Progress: record weight, body fat and measurements; charts of weight (with a moving
// average) and measurements over time, weekly training volume and adherence to the plan.
import * as api from "../api.js";
import { store } from "../store.js";
import { h, clear, field, showFormError, clearErrors, busy, errorNotice, skeleton, toast, todayISO, lineChart, barChart, fromDisplayWeight, toDisplayWeight, round1, formatDate } from "../ui.js";

const MEASUREMENTS = [["waist", "Waist"], ["hips", "Hips"], ["chest", "Chest"], ["arm", "Upper arm"], ["thigh", "Thigh"]];

/** Monday (UTC, YYYY-MM-DD) of the week a date falls in. */
function weekStart(iso) {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
function lastWeeks(n) {
  const out = [];
  const start = weekStart(new Date().toISOString());
  const d = new Date(`${start}T00:00:00Z`);
  for (let i = n - 1; i >= 0; i--) { const w = new Date(d); w.setUTCDate(d.getUTCDate() - 7 * i); out.push(w.toISOString().slice(0, 10)); }
  return out;
}
const shortDate = (iso) => { const d = new Date(`${iso}T00:00:00Z`); return `${d.getUTCDate()}/${d.getUTCMonth() + 1}`; };

export async function render(main, { signal }) {
  const units = store.units;
  main.append(h("h1", {}, "Progress"));
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "progress-submit", "data-testid": "progress-submit" }, "Save entry");
  const form = h("form", { id: "progress-form", class: "card", novalidate: true, "data-testid": "progress-form" },
    h("h2", {}, "New entry"),
    h("div", { class: "inline-fields" },
      field({ name: "date", label: "Date", type: "date", value: todayISO(), testid: "progress-date" }),
      field({ name: "weight_kg", label: `Body weight (${units})`, type: "number", step: "0.1", min: units === "lb" ? 44 : 20, max: units === "lb" ? 1100 : 500, inputmode: "decimal", testid: "progress-weight" }),
      field({ name: "body_fat_percent", label: "Body fat (%)", type: "number", step: "0.1", min: 1, max: 75, inputmode: "decimal", hint: "Optional", testid: "progress-bodyfat" })),
    h("details", {}, h("summary", {}, "Measurements (cm)"),
      h("div", { class: "inline-fields" }, MEASUREMENTS.map(([k, l]) => field({ name: `measurements.${k}`, label: `${l} (cm)`, type: "number", step: "0.1", min: 1, max: 500, inputmode: "decimal", testid: `progress-m-${k}` })))),
    field({ name: "notes", label: "Notes (optional)", type: "textarea", maxlength: 2000, testid: "progress-notes" }),
    h("div", { class: "actions" }, submit));
  const charts = h("div", { id: "progress-charts" }, skeleton(6));
  main.append(form, charts);

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const num = (n) => { const v = form.elements[n].value.trim(); return v === "" ? undefined : Number(v); };
    const body = { date: form.elements.date.value || undefined };
    const w = num("weight_kg");
    if (w !== undefined) body.weight_kg = round1(fromDisplayWeight(w, units) * 10) / 10;
    const bf = num("body_fat_percent");
    if (bf !== undefined) body.body_fat_percent = bf;
    const m = {};
    for (const [k] of MEASUREMENTS) { const v = num(`measurements.${k}`); if (v !== undefined) m[k] = v; }
    if (Object.keys(m).length) body.measurements = m;
    const notes = form.elements.notes.value.trim();
    if (notes) body.notes = notes;
    if (body.weight_kg === undefined && bf === undefined && !body.measurements && !notes) {
      showFormError(form, { fields: [{ field: "weight_kg", message: "Enter at least a weight, a body-fat figure, a measurement or a note" }] });
      return;
    }
    try {
      await busy(submit, () => api.post("/api/v1/users/me/progress", body), "Saving…");
      toast("Entry saved.");
      form.reset();
      form.elements.date.value = todayISO();
      load();
    } catch (err) { showFormError(form, err, "The entry could not be saved"); }
  });

  async function load() {
    try {
      const [progress, logs, plans] = await Promise.all([
        api.get("/api/v1/users/me/progress", { limit: 200 }, signal),
        api.get("/api/v1/workouts/logs", { limit: 200 }, signal),
        api.get("/api/v1/workouts/plans", { limit: 1 }, signal),
      ]);
      clear(charts);
      const entries = [...progress.items].sort((a, b) => (a.date || "").localeCompare(b.date || ""));
      const weights = entries.filter((e) => typeof e.weight_kg === "number").map((e) => ({ date: e.date, value: round1(toDisplayWeight(e.weight_kg, units)) }));
      charts.append(h("h2", {}, "Body"));
      if (weights.length) {
        const first = weights[0].value, last = weights[weights.length - 1].value;
        charts.append(h("p", { "data-testid": "weight-summary" }, `Latest ${last} ${units} on ${formatDate(weights[weights.length - 1].date)}; ${last - first >= 0 ? "+" : ""}${round1(last - first)} ${units} since ${formatDate(weights[0].date)}.`));
      }
      charts.append(lineChart({ points: weights, title: `Body weight (${units})`, unit: units, average: 7, testid: "chart-weight" }));
      const fat = entries.filter((e) => typeof e.body_fat_percent === "number").map((e) => ({ date: e.date, value: e.body_fat_percent }));
      if (fat.length) charts.append(lineChart({ points: fat, title: "Body fat (%)", unit: "%", testid: "chart-bodyfat" }));
      const keys = new Set();
      for (const e of entries) for (const k of Object.keys(e.measurements || {})) keys.add(k);
      for (const k of keys) {
        const pts = entries.filter((e) => typeof e.measurements?.[k] === "number").map((e) => ({ date: e.date, value: e.measurements[k] }));
        charts.append(lineChart({ points: pts, title: `${MEASUREMENTS.find(([m]) => m === k)?.[1] || k} (cm)`, unit: "cm", testid: `chart-m-${k}` }));
      }

      // Weekly volume: sets × reps × load where a load was logged, else sets × reps.
      const weeks = lastWeeks(8);
      const volume = new Map(weeks.map((w) => [w, 0]));
      const sessions = new Map(weeks.map((w) => [w, 0]));
      let anyLoad = false;
      for (const log of logs.items) {
        const wk = weekStart(log.date || log.created_at);
        if (!volume.has(wk)) continue;
        sessions.set(wk, sessions.get(wk) + 1);
        for (const e of log.exercises || []) {
          const load = e.load_kg ? toDisplayWeight(e.load_kg, units) : 0;
          if (load) anyLoad = true;
          volume.set(wk, volume.get(wk) + e.sets * e.reps * (load || 1));
        }
      }
      charts.append(h("h2", {}, "Training"));
      charts.append(barChart({
        bars: weeks.map((w) => ({ label: `Week of ${formatDate(w)}`, short: shortDate(w), value: Math.round(volume.get(w)) })),
        title: anyLoad ? `Weekly volume (sets × reps × ${units}; reps where no load)` : "Weekly volume (total reps)", testid: "chart-volume",
      }));
      const planned = plans.items[0]?.days_per_week || store.profile?.days_per_week || 3;
      const recent = weeks.slice(-4);
      const done = recent.reduce((a, w) => a + sessions.get(w), 0);
      const pct = Math.round((Math.min(done, planned * 4) / (planned * 4)) * 100);
      charts.append(h("section", { class: "card", "data-testid": "adherence" },
        h("h3", {}, "Adherence, last 4 weeks"),
        h("p", { class: "big-number" }, `${pct}%`),
        h("p", {}, `${done} of ${planned * 4} planned sessions (${planned} a week).`)),
      barChart({ bars: weeks.map((w) => ({ label: `Week of ${formatDate(w)}`, short: shortDate(w), value: sessions.get(w) })), title: `Sessions per week (plan: ${planned})`, max: Math.max(planned, ...sessions.values()), testid: "chart-sessions" }));
    } catch (err) {
      if (err.name === "AbortError") return;
      clear(charts).append(errorNotice(err));
    }
  }
  load();
}
