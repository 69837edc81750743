// Workouts: log a session from the plan (prefilled) or a free one, the history, and the
// analysis of a logged session (with an optional coach comment, which uses a request).
import * as api from "../api.js";
import { store } from "../store.js";
import { h, add, clear, field, showFormError, clearErrors, busy, describeError, errorNotice, skeleton, formatDate, toast, todayISO, fromDisplayWeight, toDisplayWeight, round1, notice, requestRef } from "../ui.js";
import { exerciseNames, nameOf, dayName, planPosition } from "./plans.js";

export async function render(main, ctx) {
  if (ctx.params[0] === "new") return logForm(main, ctx);
  return historyView(main, ctx);
}

async function historyView(main, { signal }) {
  main.append(h("h1", {}, "Workouts"),
    h("p", { class: "actions" }, h("a", { class: "btn btn-primary", href: "#/workouts/new", id: "workout-new", "data-testid": "workout-new" }, "Log a session")));
  const list = h("ul", { class: "list", id: "workout-history", "data-testid": "workout-history" }, h("li", {}, skeleton(4)));
  main.append(h("h2", {}, "History"), list);
  try {
    const [logs, names] = await Promise.all([api.get("/api/v1/workouts/logs", { limit: 100 }, signal), exerciseNames()]);
    clear(list);
    if (!logs.items.length) list.append(h("li", { class: "muted" }, "No sessions logged yet."));
    const units = store.units;
    for (const log of logs.items) {
      const out = h("div", { "aria-live": "polite" });
      const analyse = h("button", { type: "button", class: "btn btn-small", "data-testid": "analyze-button", "data-log-id": log.id }, "Analyse");
      const comment = h("button", { type: "button", class: "btn btn-small", "data-testid": "analyze-narrative-button" }, "Analyse with a coach comment");
      const run = async (button, narrative) => {
        try {
          const a = await busy(button, () => api.post(`/api/v1/ai/analyze-workout/${log.id}${narrative ? "?narrative=true" : ""}`), "Analysing…");
          clear(out).append(analysisBlock(a, narrative));
        } catch (err) { clear(out).append(errorNotice(err)); }
      };
      analyse.addEventListener("click", () => run(analyse, false));
      comment.addEventListener("click", () => run(comment, true));
      list.append(h("li", { "data-testid": "workout-item", "data-log-id": log.id },
        h("h3", {}, `${formatDate(log.date || log.created_at)} · ${log.duration_minutes} min · ${"★".repeat(log.rating || 0)}${"☆".repeat(5 - (log.rating || 0))}`,
          h("span", { class: "sr-only" }, ` rated ${log.rating} of 5`)),
        h("ul", {}, (log.exercises || []).map((e) => h("li", {}, `${nameOf(e.exercise_id, names)}: ${e.sets} × ${e.reps}${e.load_kg ? ` @ ${round1(toDisplayWeight(e.load_kg, units))} ${units}` : ""}`))),
        log.notes ? h("p", { class: "muted" }, log.notes) : null,
        h("div", { class: "actions" }, analyse, comment),
        out));
    }
  } catch (err) {
    if (err.name === "AbortError") return;
    clear(list).append(h("li", {}, errorNotice(err)));
  }
}

function analysisBlock(a, narrative) {
  const section = (title, items) => items?.length ? [h("h4", {}, title), h("ul", {}, items.map((s) => h("li", {}, s)))] : null;
  return h("div", { class: "card", "data-testid": "analysis" },
    h("h3", {}, "Analysis"),
    h("p", {}, a.assessment),
    section("Strengths", a.strengths),
    section("To improve", a.areas_to_improve),
    section("Recommendations", a.recommendations),
    section("Next steps", a.next_steps),
    a.narrative ? h("blockquote", { "data-testid": "analysis-narrative" }, a.narrative)
      : narrative ? h("p", { class: "muted" }, "The coach couldn't add a comment right now; the analysis above stands on its own.") : null);
}

async function logForm(main, { query, signal, navigate }) {
  main.append(h("h1", {}, "Log a session"), h("p", {}, h("a", { href: "#/workouts" }, "← History")));
  const slot = h("div", {}, skeleton(6));
  main.append(slot);
  let plans, names;
  try {
    [plans, names] = await Promise.all([api.get("/api/v1/workouts/plans", { limit: 50 }, signal), exerciseNames()]);
  } catch (err) {
    if (err.name === "AbortError") return;
    clear(slot).append(errorNotice(err));
    return;
  }
  clear(slot);
  if (!plans.items.length) {
    slot.append(h("div", { class: "card" }, h("p", {}, "Sessions are logged against one of your plans. Make a plan first."), h("a", { class: "btn btn-primary", href: "#/plans" }, "Make a plan")));
    return;
  }
  const units = store.units;
  const planCache = new Map();
  const getPlan = async (id) => { if (!planCache.has(id)) planCache.set(id, await api.get(`/api/v1/workouts/plans/${id}`, undefined, signal)); return planCache.get(id); };
  const wantedPlan = Number(query.get("plan")) || plans.items[0].id;

  const rows = h("div", { id: "workout-exercises", "data-testid": "workout-exercises" });
  const daySelect = h("select", { id: "workout-day", name: "day", "data-testid": "workout-day" });
  const planSelect = h("select", { id: "workout-plan", name: "plan_id", "data-testid": "workout-plan" },
    plans.items.map((p) => h("option", { value: p.id, selected: p.id === wantedPlan }, `${p.title || `Plan ${p.id}`} (${formatDate(p.created_at)})`)));
  let rowSeq = 0;

  const exerciseOptions = (plan) => {
    const ids = new Set(names.keys());
    for (const w of plan?.weeks || []) for (const d of w.days) for (const e of d.session?.exercises || []) { ids.add(e.exercise_id); for (const s of e.substitutions || []) ids.add(s); }
    return [...ids].sort((a, b) => nameOf(a, names).localeCompare(nameOf(b, names)));
  };

  function addRow(plan, ex = null) {
    const i = rowSeq++;
    const idx = rows.children.length;
    const id = (n) => `wx-${i}-${n}`;
    const all = exerciseOptions(plan);
    const select = h("select", { id: id("exercise"), name: "exercise_id", "data-testid": "workout-row-exercise" });
    const mine = new Set([...(store.profile?.equipment || []), "body_only"]);
    const fits = (x) => { const eq = names.get(x)?.equipment; return !Array.isArray(eq) || eq.every((e) => mine.has(e)); };
    const fill = (text = "", onlyMine = false) => {
      const words = text.toLowerCase().split(/\s+/).filter(Boolean);
      const keep = select.value || ex?.exercise_id;
      clear(select);
      const shown = all.filter((x) => (x === keep) || ((!onlyMine || fits(x)) && words.every((w) => `${nameOf(x, names)} ${x}`.toLowerCase().includes(w))));
      for (const x of shown) select.append(h("option", { value: x, selected: x === keep }, nameOf(x, names)));
    };
    fill("", !ex);
    const search = ex ? null : (() => {
      const box = h("input", { id: id("search"), type: "search", "data-testid": "workout-row-search", placeholder: "e.g. squat" });
      const only = h("input", { id: id("mine"), type: "checkbox", checked: true, "data-testid": "workout-row-mine" });
      const refill = () => fill(box.value, only.checked);
      box.addEventListener("input", refill);
      only.addEventListener("change", refill);
      return [h("div", { class: "field" }, h("label", { for: id("search") }, "Find an exercise"), box),
        h("div", { class: "choice" }, only, h("label", { for: id("mine") }, "Only with my equipment"))];
    })();
    const num = (n, label, attrs) => h("div", { class: "field", "data-field": `exercises[${idx}].${n}` },
      h("label", { for: id(n) }, label), h("p", { class: "field-error", hidden: true }),
      h("input", { id: id(n), name: n, type: "number", inputmode: "decimal", "data-testid": `workout-row-${n}`, ...attrs }));
    const row = h("fieldset", { class: "card", "data-testid": "workout-row" },
      h("legend", {}, ex ? ex.name || nameOf(ex.exercise_id, names) : `Exercise ${idx + 1}`),
      search,
      h("div", { class: "field", "data-field": `exercises[${idx}].exercise_id` }, h("label", { for: id("exercise") }, "Exercise"), h("p", { class: "field-error", hidden: true }), select),
      h("div", { class: "inline-fields" },
        num("sets", "Sets done", { min: 1, max: 20, value: ex?.sets ?? 3 }),
        num("reps", ex?.duration_seconds ? "Seconds per set" : "Reps per set", { min: 0, max: 300, value: ex?.duration_seconds ?? ex?.reps?.max ?? 10 }),
        num("load", `Load (${units})`, { min: 0, max: 2000, step: "0.5", value: ex?.load?.type === "kg" && ex.load.value != null ? round1(toDisplayWeight(ex.load.value, units)) : "" }),
        num("rpe", "RPE (1–10)", { min: 1, max: 10, step: "0.5", value: "" })),
      h("button", { type: "button", class: "btn btn-small", "data-testid": "workout-row-remove", onclick: () => { row.remove(); renumber(); } }, "Remove"));
    rows.append(row);
  }
  function renumber() {
    [...rows.children].forEach((row, idx) => {
      for (const w of row.querySelectorAll("[data-field]")) w.dataset.field = w.dataset.field.replace(/exercises\[\d+\]/, `exercises[${idx}]`);
    });
  }

  async function fillDays() {
    const plan = await getPlan(Number(planSelect.value));
    const pos = planPosition(plan);
    const wantWeek = Number(query.get("week")) || pos.week;
    const wantDay = Number(query.get("day")) || null;
    clear(daySelect).append(h("option", { value: "free" }, "Free session (choose exercises)"));
    for (const w of plan.weeks) for (const d of w.days) if (!d.rest && d.session) {
      daySelect.append(h("option", { value: `${w.number}-${d.day}`, selected: w.number === wantWeek && (wantDay ? d.day === wantDay : d.day >= pos.day && !daySelect.querySelector("option[selected]")) },
        `Week ${w.number}${w.deload ? " (deload)" : ""} · ${dayName(d.day)} · ${d.session.name}`));
    }
    fillRows();
  }
  async function fillRows() {
    const plan = await getPlan(Number(planSelect.value));
    clear(rows);
    rowSeq = 0;
    if (daySelect.value === "free") { addRow(plan); return; }
    const [wn, dn] = daySelect.value.split("-").map(Number);
    const session = plan.weeks.find((w) => w.number === wn)?.days.find((d) => d.day === dn)?.session;
    for (const ex of session?.exercises || []) addRow(plan, ex);
  }
  planSelect.addEventListener("change", () => fillDays().catch((e) => toast(describeError(e), "error")));
  daySelect.addEventListener("change", () => fillRows().catch((e) => toast(describeError(e), "error")));

  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "workout-submit", "data-testid": "workout-submit" }, "Save session");
  const ratingField = h("fieldset", { class: "field", "data-field": "rating", "data-testid": "workout-rating" },
    h("legend", {}, "How did it go?"), h("p", { class: "hint" }, "1 = very hard or bad, 5 = great"), h("p", { class: "field-error", hidden: true }),
    h("div", { class: "choice-grid" }, [1, 2, 3, 4, 5].map((n) => h("div", { class: "choice" },
      h("input", { type: "radio", name: "rating", id: `rating-${n}`, value: n, checked: n === 4, "data-testid": `rating-${n}` }),
      h("label", { for: `rating-${n}` }, String(n))))));
  const form = h("form", { id: "workout-form", novalidate: true, "data-testid": "workout-form" },
    h("div", { class: "field", "data-field": "plan_id" }, h("label", { for: "workout-plan" }, "Plan"), h("p", { class: "hint" }, "Every session is filed under one of your plans."), h("p", { class: "field-error", hidden: true }), planSelect),
    h("div", { class: "field" }, h("label", { for: "workout-day" }, "Session"), daySelect),
    h("div", { class: "inline-fields" },
      field({ name: "date", label: "Date", type: "date", value: todayISO(), testid: "workout-date" }),
      field({ name: "duration_minutes", label: "Minutes", type: "number", min: 1, max: 600, value: 45, inputmode: "numeric", testid: "workout-duration" })),
    h("h2", {}, "Exercises"), rows,
    h("p", {}, h("button", { type: "button", class: "btn", id: "workout-add-row", "data-testid": "workout-add-row", onclick: async () => addRow(await getPlan(Number(planSelect.value))) }, "Add an exercise")),
    ratingField,
    field({ name: "notes", label: "Notes (optional)", type: "textarea", maxlength: 2000, testid: "workout-notes" }),
    h("div", { class: "actions" }, submit));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const exercises = [];
    const rpeNotes = [];
    for (const row of rows.children) {
      const v = (n) => row.querySelector(`[name="${n}"]`).value.trim();
      const ex = { exercise_id: v("exercise_id"), sets: Number(v("sets")), reps: Number(v("reps")) };
      if (v("load") !== "") ex.load_kg = round1(fromDisplayWeight(Number(v("load")), units) * 10) / 10;
      if (v("rpe") !== "") rpeNotes.push(`${nameOf(ex.exercise_id, names)} RPE ${v("rpe")}`);
      exercises.push(ex);
    }
    if (!exercises.length) { showFormError(form, { fields: [{ field: "plan_id", message: "Add at least one exercise" }] }); return; }
    let notes = form.elements.notes.value.trim();
    if (rpeNotes.length) notes = [notes, `Effort: ${rpeNotes.join("; ")}`].filter(Boolean).join("\n");
    const body = {
      plan_id: Number(planSelect.value), date: form.elements.date.value || undefined,
      duration_minutes: Number(form.elements.duration_minutes.value), rating: Number(form.querySelector('input[name="rating"]:checked')?.value || 0) || undefined,
      exercises, notes: notes || undefined,
    };
    try {
      await busy(submit, () => api.post("/api/v1/workouts/logs", body), "Saving…");
      toast("Session saved. Nice work.");
      navigate("#/workouts");
    } catch (err) { showFormError(form, err, "The session could not be saved"); }
  });

  slot.append(form);
  try { await fillDays(); } catch (err) { if (err.name !== "AbortError") slot.prepend(errorNotice(err)); }
}
