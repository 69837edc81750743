// Onboarding and profile: level, goals, equipment, days a week, session length, injuries with
// what to avoid, the health screen and units. Choices come from GET /api/v1/catalog/vocabulary.
import * as api from "../api.js";
import { store } from "../store.js";
import { h, clear, field, checkboxes, checkedValues, showFormError, clearErrors, busy, humanize, errorNotice, skeleton, toast, notice } from "../ui.js";

// Used only when the vocabulary route is not there (older host): the API's own enums.
const FALLBACK = {
  fitness_levels: ["beginner", "intermediate", "advanced"],
  goals: ["weight_loss", "muscle_gain", "strength", "endurance", "flexibility", "general_fitness"],
  equipment: ["body_only", "dumbbell", "barbell", "bench", "rack", "pullup_bar", "kettlebell", "cable", "machine", "bands", "medicine_ball", "foam_roll", "exercise_ball", "cardio_machine", "suspension"],
  contraindications: ["deep_knee_flexion", "spinal_loading", "spinal_flexion", "spinal_rotation", "overhead", "plyometric", "high_impact", "wrist_extension", "shoulder_rotation", "supine", "inverted"],
  injury_areas: ["knee", "lower_back", "shoulder", "hip", "ankle", "wrist", "elbow", "neck"],
  severities: ["mild", "moderate", "severe"],
  units: ["kg", "lb"],
};

/** [[value, label]] from a vocabulary list of strings or objects. */
function options(list) {
  return (list || []).map((x) => {
    if (typeof x === "string") return [x, humanize(x)];
    const v = x.id ?? x.value ?? x.name ?? x.key;
    return [v, x.label ?? x.title ?? (x.name && x.name !== v ? x.name : humanize(v))];
  });
}
function pick(vocab, ...keys) { for (const k of keys) if (Array.isArray(vocab?.[k]) && vocab[k].length) return vocab[k]; return null; }

export async function loadVocabulary() {
  if (store.vocabulary) return store.vocabulary;
  let v = null;
  try { v = await api.get("/api/v1/catalog/vocabulary"); } catch { v = null; }
  const norm = {
    levels: options(pick(v, "fitness_levels", "levels", "fitness_level") || FALLBACK.fitness_levels),
    goals: options(pick(v, "goals") || FALLBACK.goals),
    equipment: options(pick(v, "equipment") || FALLBACK.equipment),
    contraindications: options(pick(v, "contraindications", "contraindication_tags", "avoid") || FALLBACK.contraindications),
    areas: options(pick(v, "injury_areas", "areas") || FALLBACK.injury_areas),
    severities: options(pick(v, "severities", "injury_severities") || FALLBACK.severities),
    units: options(pick(v, "units") || FALLBACK.units),
    fromServer: Boolean(v),
  };
  store.vocabulary = norm;
  return norm;
}

export async function render(main, { query, signal, navigate }) {
  const onboarding = query.get("onboarding") === "1";
  main.append(h("h1", {}, onboarding ? "Tell your coach about you" : "Your profile"));
  if (onboarding) main.append(h("p", {}, "This shapes your plan and the coach's answers. You can change it any time."));
  const slot = h("div", {}, skeleton(8));
  main.append(slot);
  let profile, vocab;
  try {
    [profile, vocab] = await Promise.all([api.get("/api/v1/users/me", undefined, signal), loadVocabulary()]);
  } catch (err) {
    if (err.name === "AbortError") return;
    clear(slot).append(errorNotice(err));
    return;
  }
  clear(slot);
  const hs = profile.health_screen || {};
  const prefs = profile.preferences || {};
  const injuriesBox = h("div", { id: "injuries", "data-testid": "injuries" });
  let injSeq = 0;

  function injuryRow(inj = {}) {
    const n = injSeq++;
    const idx = injuriesBox.children.length;
    const areaId = `inj-area-${n}`;
    const listId = `inj-areas-${n}`;
    const row = h("fieldset", { class: "card", "data-testid": "injury-row" },
      h("legend", {}, "Injury or limitation"),
      h("div", { class: "field", "data-field": `injuries[${idx}].area` },
        h("label", { for: areaId }, "Where"), h("p", { class: "hint" }, "e.g. knee, lower back"), h("p", { class: "field-error", hidden: true }),
        h("input", { id: areaId, name: "area", list: listId, value: inj.area || "", maxlength: 200, "data-testid": "injury-area" }),
        h("datalist", { id: listId }, vocab.areas.map(([v, l]) => h("option", { value: v }, l)))),
      field({ name: `injuries[${idx}].severity`, label: "How bad", type: "select", value: inj.severity || "mild", options: vocab.severities, testid: "injury-severity" }),
      checkboxes({ name: `injuries[${idx}].avoid`, label: "Movements to avoid", hint: "Your plan will leave out exercises that involve these.", options: vocab.contraindications, value: inj.avoid || [], testid: "injury-avoid" }),
      h("button", { type: "button", class: "btn btn-small", "data-testid": "injury-remove", onclick: () => { row.remove(); } }, "Remove this injury"));
    injuriesBox.append(row);
  }
  for (const inj of profile.injuries || []) injuryRow(inj);

  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "profile-submit", "data-testid": "profile-submit" }, onboarding ? "Save and continue" : "Save profile");
  const form = h("form", { id: "profile-form", novalidate: true, "data-testid": "profile-form" },
    vocab.fromServer ? null : notice("warn", h("p", {}, "Showing the built-in choices (the server's list could not be loaded).")),
    checkboxes({ name: "fitness_level", label: "Your training level", radio: true, options: vocab.levels, value: [profile.fitness_level || "beginner"], hint: "Beginner: under about 6 months of regular training." }),
    checkboxes({ name: "goals", label: "Goals", options: vocab.goals, value: profile.goals || [], hint: "Pick up to 6." }),
    checkboxes({ name: "equipment", label: "Equipment you can use", options: vocab.equipment, value: profile.equipment || ["body_only"], hint: "Your plan only uses what you tick (body weight is always fine)." }),
    h("div", { class: "inline-fields" },
      field({ name: "days_per_week", label: "Days a week", type: "number", min: 1, max: 7, value: profile.days_per_week ?? 3, inputmode: "numeric", hint: "1 to 7" }),
      field({ name: "session_minutes", label: "Minutes a session", type: "number", min: 15, max: 120, value: profile.session_minutes ?? 45, inputmode: "numeric", hint: "15 to 120" })),
    field({ name: "preferences.focus_areas", label: "Focus areas (optional)", hint: "Comma separated, e.g. full_body, upper_body, core", value: (prefs.focus_areas || []).join(", "), testid: "profile-focus" }),
    h("h2", {}, "Injuries"),
    injuriesBox,
    h("p", {}, h("button", { type: "button", class: "btn", id: "injury-add", "data-testid": "injury-add", onclick: () => injuryRow() }, "Add an injury")),
    h("h2", {}, "Health screen"),
    h("p", { class: "hint" }, "A yes here means your plan stays gentle and tells you to get medical clearance first."),
    field({ name: "health_screen.age", label: "Age", type: "number", min: 13, max: 120, value: hs.age ?? "", inputmode: "numeric", hint: "Optional" }),
    h("div", { class: "choice-grid" },
      checkbox("health_screen.parq_any_yes", "A doctor said I have a heart condition, or I get chest pain, dizziness or other warning signs with activity (PAR-Q)", hs.parq_any_yes),
      checkbox("health_screen.pregnant", "I am pregnant", hs.pregnant),
      checkbox("health_screen.inactive", "I have been inactive for a long time", hs.inactive)),
    h("h2", {}, "Units"),
    checkboxes({ name: "preferences.units", label: "Show weights in", radio: true, options: vocab.units.map(([v, l]) => [v, v === "kg" ? "Kilograms (kg)" : v === "lb" ? "Pounds (lb)" : l]), value: [prefs.units || "kg"] }),
    h("div", { class: "actions" }, submit));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const num = (n) => { const v = form.elements[n].value.trim(); return v === "" ? undefined : Number(v); };
    const injuries = [...injuriesBox.children].map((row, idx) => ({
      area: row.querySelector('[name="area"]').value.trim(),
      severity: row.querySelector("select").value,
      avoid: [...row.querySelectorAll('input[type="checkbox"]:checked')].map((i) => i.value),
    })).filter((i) => i.area || i.avoid.length);
    const body = {
      fitness_level: checkedValues(form, "fitness_level")[0] || "beginner",
      goals: checkedValues(form, "goals"),
      equipment: checkedValues(form, "equipment"),
      days_per_week: num("days_per_week"),
      session_minutes: num("session_minutes"),
      injuries,
      health_screen: {
        parq_any_yes: form.elements["health_screen.parq_any_yes"].checked,
        pregnant: form.elements["health_screen.pregnant"].checked,
        inactive: form.elements["health_screen.inactive"].checked,
      },
      preferences: {
        ...prefs,
        units: checkedValues(form, "preferences.units")[0] || "kg",
        focus_areas: form.elements["preferences.focus_areas"].value.split(",").map((x) => x.trim()).filter(Boolean),
      },
    };
    const age = num("health_screen.age");
    if (age !== undefined) body.health_screen.age = age;
    try {
      store.profile = await busy(submit, () => api.put("/api/v1/users/me", body), "Saving…");
      toast("Profile saved.");
      if (onboarding) navigate("#/plans");
    } catch (err) { showFormError(form, err, "The profile could not be saved"); }
  });
  slot.append(form);
}

function checkbox(name, label, checked) {
  const id = `cb-${name.replace(/\W+/g, "-")}`;
  return h("div", { class: "choice field", "data-field": name },
    h("input", { type: "checkbox", id, name, checked: Boolean(checked), "data-testid": `field-${name}` }),
    h("label", { for: id }, label));
}
