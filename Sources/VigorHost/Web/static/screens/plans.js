// Plans: generate one (rule-based or AI planner), read it week → day → exercise, see the deload
// week, swap an exercise for one of its substitutions and save the result as a new plan.
// Also "Today": today's session from the newest plan, first thing after sign-in.
import * as api from "../api.js";
import { store } from "../store.js";
import { h, add, clear, field, showFormError, clearErrors, busy, describeError, errorNotice, skeleton, humanize, formatDate, toast, notice } from "../ui.js";

const GENERATORS = {
  "dev.vigor.planner": "Rule-based planner",
  "dev.vigor.llm-planner": "AI-personalised planner",
};
export const generatorName = (id) => GENERATORS[id] || id || "unknown planner";

let catalogNames = null;
/** Exercise names by id from the catalogue (best effort; ids are shown humanised without it). */
const CATALOG_KEY = "vigor.catalog.v1";
export async function exerciseNames({ offline = false } = {}) {
  if (catalogNames) return catalogNames;
  // The catalogue (~75 KB) changes only with the host: kept a day in local storage.
  try {
    const saved = JSON.parse(localStorage.getItem(CATALOG_KEY) || "null");
    if (saved && Date.now() - saved.at < 86400000 && Array.isArray(saved.items)) {
      catalogNames = new Map(saved.items.map((e) => [e.id, e]));
      return catalogNames;
    }
  } catch { /* no storage or a bad copy: fetch */ }
  if (offline) return new Map();
  const fresh = new Map();
  try {
    for (let offset = 0; offset < 2000; offset += 200) {
      const data = await api.request("GET", "/api/v1/catalog/exercises", { query: { limit: 200, offset }, timeoutMs: 6000 });
      const items = data.items || [];
      for (const e of items) fresh.set(e.id, e);
      if (items.length < 200 || (typeof data.total === "number" && offset + items.length >= data.total)) break;
    }
    try { localStorage.setItem(CATALOG_KEY, JSON.stringify({ at: Date.now(), items: [...fresh.values()] })); } catch { /* full or off */ }
    catalogNames = fresh;
  } catch { /* catalogue route not available: fall back to humanised ids (and try again next time) */ }
  return fresh;
}
export function nameOf(id, names) { return names?.get(id)?.name || humanize(id); }

export function formatLoad(load, units = "kg") {
  if (!load) return "";
  if (load.type === "rpe") return load.value != null ? `RPE ${load.value}` : "RPE";
  if (load.type === "bodyweight") return "Body weight";
  if (load.type === "kg") {
    if (load.value == null) return "Load of your choice";
    return units === "lb" ? `${Math.round(load.value / 0.45359237)} lb` : `${load.value} kg`;
  }
  return humanize(load.type);
}

export function formatDose(ex) {
  const sets = `${ex.sets} ${ex.sets === 1 ? "set" : "sets"}`;
  if (ex.duration_seconds) return `${sets} × ${ex.duration_seconds} s`;
  if (ex.reps) return `${sets} × ${ex.reps.min === ex.reps.max ? ex.reps.min : `${ex.reps.min}–${ex.reps.max}`} reps`;
  return sets;
}

const DAY_NAMES = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const dayName = (d) => DAY_NAMES[d] || `Day ${d}`;

/** Which week of the plan today falls in (1-based, capped at the last week) and the weekday (1 = Monday). */
export function planPosition(plan, now = new Date()) {
  const start = new Date(plan.created_at || now);
  const startDay = Date.UTC(start.getFullYear(), start.getMonth(), start.getDate());
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  const startMonday = startDay - (((start.getDay() + 6) % 7) * 86400000);
  const week = Math.min(Math.max(1, Math.floor((today - startMonday) / (7 * 86400000)) + 1), plan.weeks?.length || 1);
  return { week, day: ((now.getDay() + 6) % 7) + 1 };
}

function exerciseBlock(ex, { names, onSwap, swapped }) {
  const units = store.units;
  return h("div", { class: `exercise${swapped ? " exercise-swapped" : ""}`, "data-testid": "exercise", "data-exercise-id": ex.exercise_id },
    h("div", { class: "exercise-head" },
      h("span", { class: "exercise-name" }, ex.name || nameOf(ex.exercise_id, names), swapped ? h("span", { class: "badge", "data-testid": "swapped-badge" }, " swapped") : null),
      h("span", { class: "exercise-dose" }, formatDose(ex))),
    h("div", { class: "muted" }, `Rest ${ex.rest_seconds} s · ${formatLoad(ex.load, units)}`),
    ex.instructions ? h("p", {}, ex.instructions) : null,
    howTo(names?.get(ex.exercise_id)),
    ex.substitutions?.length
      ? h("div", { class: "subs" }, h("span", { class: "muted" }, "Instead:"),
        ex.substitutions.map((s) => onSwap
          ? h("button", { type: "button", class: "btn btn-small", "data-testid": "swap-button", "data-sub": s, "aria-label": `Swap ${ex.name || nameOf(ex.exercise_id, names)} for ${nameOf(s, names)}`, onclick: () => onSwap(s) }, nameOf(s, names))
          : h("span", { class: "badge" }, nameOf(s, names))))
      : null);
}

/** The catalogue's form cues and muscles for an exercise, folded away until asked for. */
function howTo(info) {
  if (!info || (!info.form_cues?.length && !info.primary_muscles?.length)) return null;
  return h("details", { class: "howto", "data-testid": "exercise-howto" },
    h("summary", {}, "How to do it"),
    info.primary_muscles?.length ? h("p", { class: "muted" }, `Works: ${[...info.primary_muscles, ...(info.secondary_muscles || [])].map(humanize).join(", ")}`) : null,
    info.form_cues?.length ? h("ul", {}, info.form_cues.map((c) => h("li", {}, c))) : null);
}

export function sessionBlock(session, opts) {
  return [
    session.warmup?.length ? h("p", {}, h("strong", {}, "Warm-up: "), session.warmup.map((w) => `${w.name} (${w.minutes} min)`).join("; ")) : null,
    session.exercises.map((ex, i) => exerciseBlock(ex, { ...opts, onSwap: opts.onSwap ? (s) => opts.onSwap(i, s) : null, swapped: opts.swappedSet?.has(i) })),
    session.cooldown?.length ? h("p", {}, h("strong", {}, "Cool-down: "), session.cooldown.map((w) => `${w.name} (${w.minutes} min)`).join("; ")) : null,
  ];
}

function planView(plan, names, { offline, onChanged }) {
  const root = h("article", { id: "plan-view", "data-testid": "plan-view", "data-plan-id": plan.id });
  const working = structuredClone(plan);
  const swaps = new Map(); // "w-d" → Set of exercise indexes
  const saveBar = h("div", { class: "notice notice-ok", hidden: true, "data-testid": "swap-bar" },
    h("p", {}, "You swapped exercises. Save to keep them as a new plan (the original stays)."),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "btn btn-primary", id: "plan-save-swaps", "data-testid": "plan-save-swaps", onclick: (e) => save(e.currentTarget) }, "Save as new plan"),
      h("button", { type: "button", class: "btn", "data-testid": "plan-discard-swaps", onclick: () => onChanged(plan.id) }, "Discard changes")));

  async function save(button) {
    const body = structuredClone(working);
    for (const k of ["id", "created_at", "source"]) delete body[k];
    try {
      const stored = await busy(button, () => api.post("/api/v1/workouts/plans", body), "Saving…");
      toast("Saved as a new plan.");
      onChanged(stored.id);
    } catch (err) {
      clear(saveBar.querySelector("p"));
      saveBar.querySelector("p").append(err.status === 422
        ? `The plan with this swap doesn't pass the safety checks: ${(err.fields || []).map((f) => f.message).join("; ") || err.message}`
        : describeError(err));
      saveBar.className = "notice notice-error";
    }
  }

  const weeks = working.weeks.map((week, wi) => {
    const det = h("details", { class: `week${week.deload ? " week-deload" : ""}`, open: wi === 0, "data-testid": `week-${week.number}` },
      h("summary", {}, `Week ${week.number}`, week.deload ? h("span", { class: "badge badge-deload", "data-testid": "deload-badge" }, "Deload week — lighter") : null));
    const body = h("div", {});
    const drawDays = () => {
      clear(body);
      for (const [di, day] of week.days.entries()) {
        const sec = h("section", { class: "day", "data-testid": `day-${week.number}-${day.day}` },
          h("h3", {}, dayName(day.day), day.rest ? h("span", { class: "muted" }, " — rest") : day.session ? ` — ${day.session.name}` : ""));
        if (!day.rest && day.session) {
          sec.append(h("p", { class: "muted" }, `${day.session.focus ? humanize(day.session.focus) + " · " : ""}about ${day.session.estimated_minutes} min`));
          const key = `${wi}-${di}`;
          add(sec, sessionBlock(day.session, {
            names, swappedSet: swaps.get(key),
            onSwap: offline ? null : (ei, sub) => {
              const ex = day.session.exercises[ei];
              const info = names.get(sub);
              const old = ex.exercise_id;
              ex.exercise_id = sub;
              ex.name = info?.name || humanize(sub);
              if (info?.instructions) ex.instructions = info.instructions;
              ex.substitutions = [old, ...ex.substitutions.filter((s) => s !== sub)];
              if (!swaps.has(key)) swaps.set(key, new Set());
              swaps.get(key).add(ei);
              saveBar.hidden = false;
              drawDays();
              toast(`Swapped for ${ex.name}.`);
            },
          }));
        }
        body.append(sec);
      }
    };
    drawDays();
    det.append(body);
    return det;
  });

  add(root,
    h("h2", {}, plan.title || "Your plan"),
    h("p", {}, plan.summary || ""),
    h("p", {}, h("span", { class: "badge" }, humanize(plan.split || "")), " ", h("span", { class: "badge" }, humanize(plan.level || "")), " ",
      h("span", { class: "badge", "data-testid": "plan-generator" }, `Made by: ${generatorName(plan.generator || plan.source)}`),
      " ", h("span", { class: "muted" }, formatDate(plan.created_at))),
    plan.deload_weeks?.length ? h("p", {}, `Deload: week ${plan.deload_weeks.join(", ")} (lighter, to recover).`) : null,
    plan.adjustments?.length ? notice("warn", h("strong", {}, "Adjusted for you:"), h("ul", {}, plan.adjustments.map((a) => h("li", {}, `${a.what} — ${a.why}`)))) : null,
    plan.safety_notes?.length ? h("div", { class: "card" }, h("h3", {}, "Safety"), h("ul", {}, plan.safety_notes.map((n) => h("li", {}, n)))) : null,
    plan.progression ? h("details", { class: "card" }, h("summary", {}, `Progression: ${humanize(plan.progression.rule)}`), h("p", {}, plan.progression.description)) : null,
    offline ? null : h("p", { class: "actions" },
      h("a", { class: "btn btn-primary", href: `#/workouts/new?plan=${plan.id}`, "data-testid": "log-from-plan" }, "Log a session from this plan")),
    saveBar,
    weeks,
    h("p", { class: "muted", "data-testid": "plan-disclaimer" }, plan.disclaimer || ""));
  return root;
}

async function fetchPlan(id, signal) {
  const plan = await api.get(`/api/v1/workouts/plans/${id}`, undefined, signal);
  store.lastPlanId = plan.id;
  return plan;
}

export async function render(main, { params, signal, navigate, offline, query }) {
  main.append(h("h1", {}, "Plans"));
  if (params[0]) {
    const id = Number(params[0]);
    const slot = h("div", {}, skeleton(6));
    main.append(h("p", {}, offline ? null : h("a", { href: "#/plans", "data-testid": "back-to-plans" }, "← All plans")), slot);
    try {
      const [plan, names] = await Promise.all([fetchPlan(id, signal), exerciseNames({ offline })]);
      clear(slot);
      if (offline) slot.append(notice("warn", h("p", { "data-testid": "offline-plan-note" }, "You're offline: this is the copy of the plan you last viewed.")));
      if (query?.get("generated") && query.get("wanted") && query.get("wanted") !== (plan.generator || plan.source)) {
        slot.append(notice("warn", h("p", { "data-testid": "generator-note" }, `You asked for the ${generatorName(query.get("wanted"))}, but this plan was made by the ${generatorName(plan.generator || plan.source)} (the other one was not available, or this server picks the planner itself).`)));
      }
      slot.append(planView(plan, names, { offline, onChanged: (nid) => navigate(`#/plans/${nid}`) }));
    } catch (err) {
      if (err.name === "AbortError") return;
      clear(slot);
      slot.append(offline ? notice("warn", h("p", { "data-testid": "offline-plan-note" }, "You're offline and this plan wasn't saved for offline use. Open it once while online.")) : errorNotice(err));
    }
    return;
  }

  // Generate form + list
  const profile = store.profile || {};
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "plan-generate", "data-testid": "plan-generate" }, "Make my plan");
  const form = h("form", { id: "plan-generate-form", novalidate: true, class: "card", "data-testid": "plan-generate-form" },
    h("h2", {}, "New plan"),
    h("p", { class: "muted" }, "Made from your profile (level, goals, equipment, injuries). Change them in ", h("a", { href: "#/profile" }, "your profile"), "."),
    h("div", { class: "inline-fields" },
      field({ name: "weeks", label: "Weeks", type: "number", min: 1, max: 16, value: 4, inputmode: "numeric", hint: "1 to 16" }),
      field({ name: "days_per_week", label: "Days a week", type: "number", min: 1, max: 7, value: profile.days_per_week ?? 3, inputmode: "numeric" }),
      field({ name: "session_minutes", label: "Minutes a session", type: "number", min: 15, max: 120, value: profile.session_minutes ?? 45, inputmode: "numeric", hint: "15 to 120" })),
    field({ name: "focus_areas", label: "Focus areas (optional)", hint: "Comma separated, e.g. full_body, upper_body", value: (profile.preferences?.focus_areas || []).join(", ") }),
    field({ name: "generator", label: "Planner", type: "select", value: "", testid: "plan-generator-choice",
      options: [["", "Let the server choose"], ["dev.vigor.planner", "Rule-based planner (offline, instant)"], ["dev.vigor.llm-planner", "AI-personalised planner (uses an AI request)"]] }),
    h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const num = (n) => { const v = form.elements[n].value.trim(); return v === "" ? undefined : Number(v); };
    const body = { weeks: num("weeks"), days_per_week: num("days_per_week"), session_minutes: num("session_minutes") };
    const focus = form.elements.focus_areas.value.split(",").map((s) => s.trim()).filter(Boolean);
    if (focus.length) body.focus_areas = focus;
    const wanted = form.elements.generator.value;
    if (wanted) body.generator = wanted;
    try {
      const plan = await busy(submit, () => api.post("/api/v1/ai/workout-plan", body), "Making your plan…");
      toast("Your plan is ready.");
      navigate(`#/plans/${plan.id}?generated=1${wanted ? `&wanted=${encodeURIComponent(wanted)}` : ""}`);
    } catch (err) {
      showFormError(form, err, err.status === 429 ? "Out of requests" : "The plan could not be made");
    }
  });

  const list = h("ul", { class: "list", id: "plan-list", "data-testid": "plan-list" }, h("li", {}, skeleton(3)));
  main.append(form, h("h2", {}, "Your plans"), list);
  try {
    const data = await api.get("/api/v1/workouts/plans", { limit: 50 }, signal);
    clear(list);
    if (!data.items.length) list.append(h("li", { class: "muted" }, "No plans yet — make your first one above."));
    for (const p of data.items) {
      list.append(h("li", {}, h("a", { class: "row-link", href: `#/plans/${p.id}`, "data-testid": "plan-item" },
        h("span", {}, p.title || `Plan ${p.id}`), h("small", { class: "muted" }, `${formatDate(p.created_at)} · ${generatorName(p.generator || p.source)}`))));
    }
  } catch (err) {
    if (err.name === "AbortError") return;
    clear(list); list.append(h("li", {}, describeError(err)));
  }
}

export async function today(main, { signal }) {
  const who = store.account?.username;
  main.append(h("h1", {}, who ? `Today, ${who}` : "Today"));
  const slot = h("div", { "data-testid": "today" }, skeleton(5));
  main.append(slot);
  try {
    const list = await api.get("/api/v1/workouts/plans", { limit: 1 }, signal);
    clear(slot);
    if (!list.items.length) {
      slot.append(h("div", { class: "card" },
        h("h2", {}, "Let's get you a plan"),
        h("p", {}, "Check your profile, then make a plan that fits your week."),
        h("p", { class: "actions" },
          h("a", { class: "btn btn-primary", href: "#/plans", "data-testid": "today-make-plan" }, "Make a plan"),
          h("a", { class: "btn", href: "#/profile" }, "Your profile"),
          h("a", { class: "btn", href: "#/chat" }, "Ask the coach"))));
      return;
    }
    const [plan, names, logs] = await Promise.all([
      fetchPlan(list.items[0].id, signal), exerciseNames({ offline: true }), // saved copy only: no 75 KB fetch for Today
      api.get("/api/v1/workouts/logs", { limit: 20 }, signal).catch(() => ({ items: [] })),
    ]);
    const pos = planPosition(plan);
    const now = new Date();
    const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7));
    const mondayISO = `${monday.getFullYear()}-${String(monday.getMonth() + 1).padStart(2, "0")}-${String(monday.getDate()).padStart(2, "0")}`;
    const doneThisWeek = logs.items.filter((l) => (l.date || l.created_at || "").slice(0, 10) >= mondayISO).length;
    const week = plan.weeks[pos.week - 1];
    const day = week?.days.find((d) => d.day === pos.day);
    const card = h("section", { class: "card", "data-testid": "today-session" },
      h("h2", {}, `${dayName(pos.day)} · week ${pos.week} of ${plan.weeks.length}`, week?.deload ? h("span", { class: "badge badge-deload", "data-testid": "deload-badge" }, " Deload week") : null));
    if (day && !day.rest && day.session) {
      add(card, h("p", {}, h("strong", {}, day.session.name), ` — about ${day.session.estimated_minutes} min`),
        sessionBlock(day.session, { names }),
        h("p", { class: "actions" },
          h("a", { class: "btn btn-primary", href: `#/workouts/new?plan=${plan.id}&week=${pos.week}&day=${pos.day}`, "data-testid": "today-log" }, "Log this session"),
          h("a", { class: "btn", href: "#/chat" }, "Ask the coach")));
    } else {
      const next = week?.days.find((d) => d.day > pos.day && !d.rest);
      add(card, h("p", { "data-testid": "today-rest" }, "Rest day. Recovery is part of training: walk, stretch, sleep well."),
        next ? h("p", {}, `Next session: ${dayName(next.day)} — ${next.session?.name || ""}.`) : null,
        h("p", { class: "actions" }, h("a", { class: "btn", href: `#/workouts/new?plan=${plan.id}` }, "Log a session anyway"), h("a", { class: "btn", href: "#/chat" }, "Ask the coach")));
    }
    const planned = plan.days_per_week || week?.days.filter((d) => !d.rest).length || 0;
    slot.append(card,
      h("p", { "data-testid": "today-week-count" }, `This week: ${doneThisWeek} of ${planned} sessions logged.`),
      h("p", {}, h("a", { href: `#/plans/${plan.id}`, "data-testid": "today-plan-link" }, `See the whole plan: ${plan.title}`)));
  } catch (err) {
    if (err.name === "AbortError") return;
    clear(slot);
    slot.append(errorNotice(err));
  }
}
