// The exercise catalogue: search by words, filter by equipment, muscle and level
// (GET /api/v1/catalog/exercises), 30 at a time.
import * as api from "../api.js";
import { h, clear, field, humanize, errorNotice, skeleton, busy } from "../ui.js";
import { loadVocabulary } from "./profile.js";

const PAGE = 30;

export async function render(main, { signal, query }) {
  main.append(h("h1", {}, "Exercises"));
  let vocab = null, muscles = [];
  try {
    vocab = await loadVocabulary();
    const raw = await api.get("/api/v1/catalog/vocabulary", undefined, signal).catch(() => null);
    muscles = (raw?.muscles || []).map((m) => (typeof m === "string" ? [m, humanize(m)] : [m.id, m.label || humanize(m.id)]));
  } catch (err) { if (err.name === "AbortError") return; }
  const any = [["", "Any"]];
  const form = h("form", { id: "exercise-search", class: "card", role: "search", "data-testid": "exercise-search" },
    field({ name: "q", label: "Search", type: "search", value: query.get("q") || "", placeholder: "e.g. squat, row, plank", testid: "exercise-q" }),
    h("div", { class: "inline-fields" },
      field({ name: "equipment", label: "Equipment", type: "select", options: any.concat(vocab?.equipment || []), value: query.get("equipment") || "", testid: "exercise-equipment" }),
      muscles.length ? field({ name: "muscle", label: "Muscle", type: "select", options: any.concat(muscles), value: query.get("muscle") || "", testid: "exercise-muscle" }) : null,
      field({ name: "level", label: "Up to level", type: "select", options: any.concat(vocab?.levels || []), value: query.get("level") || "", testid: "exercise-level" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", id: "exercise-search-submit" }, "Search")));
  const count = h("p", { "aria-live": "polite", "data-testid": "exercise-count" });
  const list = h("ul", { class: "list", id: "exercise-list", "data-testid": "exercise-list" });
  const more = h("button", { type: "button", class: "btn", id: "exercise-more", "data-testid": "exercise-more", hidden: true }, "Show more");
  main.append(form, count, list, h("div", { class: "actions" }, more));

  let offset = 0;
  const filters = () => ({
    q: form.elements.q.value.trim(), equipment: form.elements.equipment.value,
    muscle: form.elements.muscle?.value || "", level: form.elements.level.value,
  });
  async function load(reset) {
    if (reset) { offset = 0; clear(list).append(h("li", {}, skeleton(4))); }
    try {
      const page = await api.get("/api/v1/catalog/exercises", { ...filters(), limit: PAGE, offset }, signal);
      if (reset) clear(list);
      for (const e of page.items) list.append(item(e));
      offset += page.items.length;
      count.textContent = `${page.total} exercise${page.total === 1 ? "" : "s"} found.`;
      more.hidden = offset >= page.total;
    } catch (err) {
      if (err.name === "AbortError") return;
      clear(list).append(h("li", {}, errorNotice(err)));
    }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); load(true); });
  for (const name of ["equipment", "muscle", "level"]) form.elements[name]?.addEventListener("change", () => load(true));
  more.addEventListener("click", () => busy(more, () => load(false), "Loading…"));
  load(true);
}

function item(e) {
  return h("li", { "data-testid": "exercise-item", "data-exercise-id": e.id },
    h("details", {},
      h("summary", {}, h("span", { class: "exercise-name" }, e.name), " ",
        h("span", { class: "muted" }, `— ${humanize(e.level || "")} · ${(e.equipment || []).map(humanize).join(", ") || "Body weight"}`)),
      h("p", { class: "muted" }, `Works: ${[...(e.primary_muscles || []), ...(e.secondary_muscles || [])].map(humanize).join(", ")}`),
      e.instructions ? h("p", {}, e.instructions) : null,
      e.form_cues?.length ? h("ul", {}, e.form_cues.map((c) => h("li", {}, c))) : null,
      e.tags?.length ? h("p", { class: "muted" }, `Take care if you avoid: ${e.tags.map(humanize).join(", ")}`) : null));
}
