// Admin (role admin only; the host enforces it): providers, plugins, tiers, users' tiers,
// the usage report and the global budget. Denser than the other screens: it is for a desk.
import * as api from "../api.js";
import { h, clear, busy, describeError, errorNotice, skeleton, toast, usd, humanize, formatDateTime, showFormError, clearErrors, field, notice } from "../ui.js";

const toMicros = (v) => (v === "" || v === null || v === undefined ? null : Math.round(Number(v) * 1e6));
const fromMicros = (m) => (m === null || m === undefined ? "" : String(m / 1e6));
const cell = (...c) => h("td", {}, c);
let seq = 0;
function input(attrs, label) {
  const id = `adm-${++seq}`;
  return [h("label", { for: id, class: "sr-only" }, label), h("input", { id, ...attrs })];
}

export async function render(main, { signal }) {
  main.append(h("h1", {}, "Admin"),
    h("nav", { "aria-label": "Admin sections" }, h("p", {},
      ["providers", "plugins", "tiers", "users", "usage", "budget"].map((s, i) => [i ? " · " : null, h("a", { href: `#/admin`, "data-jump": s, onclick: (e) => { e.preventDefault(); document.getElementById(`admin-${s}`)?.scrollIntoView(); document.getElementById(`admin-${s}`)?.focus(); } }, humanize(s))]))));
  const sections = ["providers", "plugins", "tiers", "users", "usage", "budget"].map((s) => {
    const sec = h("section", { class: "card", id: `admin-${s}`, tabindex: "-1", "data-testid": `admin-${s}` }, h("h2", {}, humanize(s)), skeleton(3));
    main.append(sec);
    return sec;
  });
  const [prov, plug, tiers, users, usage, budget] = sections;
  const guard = (sec, fn) => fn().catch((err) => { if (err.name !== "AbortError") { sec.querySelector(".skeleton")?.remove(); sec.append(errorNotice(err)); } });
  guard(prov, () => providers(prov, signal));
  guard(plug, () => plugins(plug, signal));
  guard(tiers, () => tierEditor(tiers, signal));
  guard(users, () => userTiers(users, signal));
  guard(usage, () => usageReport(usage, signal));
  guard(budget, () => budgetEditor(budget, signal));
}

function reset(sec, title) { clear(sec).append(h("h2", {}, title)); }

async function providers(sec, signal) {
  const [rules, status] = await Promise.all([api.get("/api/v1/admin/providers", undefined, signal), api.get("/api/v1/ai/provider-status", undefined, signal)]);
  reset(sec, "Providers");
  const state = new Map((status.providers || []).map((p) => [p.provider, p]));
  const rows = rules.items.map((r) => {
    const st = state.get(r.provider);
    const circuit = st?.circuit?.state || (r.loaded ? "closed" : "—");
    const tr = h("tr", { "data-provider": r.provider, "data-model": r.model || "" },
      h("th", { scope: "row" }, r.provider, r.model ? h("small", { class: "muted" }, ` ${r.model}`) : null),
      cell(r.loaded ? h("span", { class: "badge badge-ok" }, "loaded") : h("span", { class: "badge" }, "not loaded")),
      cell(h("span", { class: `badge ${circuit === "open" ? "badge-bad" : circuit === "closed" ? "badge-ok" : ""}`, "data-testid": "breaker-state" }, circuit),
        st?.circuit?.open_until ? h("small", {}, ` until ${formatDateTime(st.circuit.open_until)}`) : null),
      cell(input({ type: "number", name: "priority", min: 0, max: 1000000, value: r.priority, class: "narrow", "data-testid": "provider-priority" }, `Priority of ${r.provider}`)),
      cell(input({ type: "checkbox", name: "enabled", checked: r.enabled, "data-testid": "provider-enabled" }, `${r.provider} enabled`)),
      ["daily", "weekly", "monthly"].map((p) => cell(input({ type: "number", name: `${p}_cap`, min: 0, step: "0.01", value: fromMicros(r[`${p}_cap_micros`]), placeholder: "none" }, `${humanize(p)} cap for ${r.provider} (USD)`))),
      cell(Object.entries(r.spent_micros || {}).map(([k, v]) => `${k}: ${usd(v)}`).join(", ") || "—"));
    return tr;
  });
  const save = h("button", { type: "button", class: "btn btn-primary", id: "providers-save", "data-testid": "providers-save" }, "Save providers");
  const out = h("div", { "aria-live": "polite" });
  save.addEventListener("click", async () => {
    clear(out);
    const body = { providers: rows.map((tr) => {
      const v = (n) => tr.querySelector(`[name="${n}"]`);
      return {
        provider: tr.dataset.provider, model: tr.dataset.model, priority: Number(v("priority").value), enabled: v("enabled").checked,
        daily_cap_micros: toMicros(v("daily_cap").value), weekly_cap_micros: toMicros(v("weekly_cap").value), monthly_cap_micros: toMicros(v("monthly_cap").value),
      };
    }) };
    try { await busy(save, () => api.put("/api/v1/admin/providers", body), "Saving…"); toast("Providers saved."); providers(sec, signal); }
    catch (err) { out.append(errorNotice(err), err.fields?.length ? h("ul", {}, err.fields.map((f) => h("li", {}, `${f.field}: ${f.message}`))) : null); }
  });
  sec.append(h("p", { class: "muted" }, "Lower priority is tried first. Caps in USD; empty means no cap."),
    h("div", { class: "table-wrap" }, h("table", { id: "provider-table" },
      h("thead", {}, h("tr", {}, ["Provider", "Plugin", "Breaker", "Priority", "Enabled", "Daily cap $", "Weekly cap $", "Monthly cap $", "Spent"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows))),
    h("div", { class: "actions" }, save), out);
}

async function plugins(sec, signal, changed = null) {
  const data = await api.get("/api/v1/admin/plugins", undefined, signal);
  reset(sec, "Plugins");
  const reload = h("button", { type: "button", class: "btn btn-primary", id: "plugins-reload", "data-testid": "plugins-reload" }, "Reload plugins");
  reload.addEventListener("click", async () => {
    try {
      const r = await busy(reload, () => api.post("/api/v1/admin/plugins/reload", {}), "Reloading…");
      toast(`Plugins reloaded${r.changed?.length ? `: ${r.changed.length} changed` : ", nothing changed"}.`);
      plugins(sec, signal, r.changed || []);
    } catch (err) { sec.append(errorNotice(err)); }
  });
  sec.append(h("p", { class: "muted" }, `Folder: ${data.directory || "—"}`),
    changed ? notice("ok", h("p", { "data-testid": "plugins-reloaded" }, changed.length ? `Changed: ${changed.map((c) => (typeof c === "string" ? c : c.id || c.path || JSON.stringify(c))).join(", ")}` : "Reloaded: nothing changed.")) : null,
    h("h3", {}, `Loaded (${data.loaded.length})`),
    h("ul", { class: "list", "data-testid": "plugins-loaded" }, data.loaded.map((p) => h("li", {},
      h("strong", {}, p.name), ` ${p.id} ${p.version} · ${humanize(p.kind)}${p.provider ? ` · provider ${p.provider}` : ""}${p.isolated ? " · isolated" : ""}`,
      h("br"), h("small", { class: "muted" }, p.path)))),
    h("h3", {}, `Rejected (${data.rejected.length})`),
    data.rejected.length
      ? h("ul", { class: "list", "data-testid": "plugins-rejected" }, data.rejected.map((r) => h("li", {}, h("strong", {}, r.path), h("br"), h("span", { class: "badge badge-bad" }, r.code), ` ${r.reason}`)))
      : h("p", { class: "muted" }, "None."),
    h("div", { class: "actions" }, reload));
}

async function tierEditor(sec, signal) {
  const data = await api.get("/api/v1/admin/tiers", undefined, signal);
  reset(sec, "Tiers");
  const tbody = h("tbody", {});
  const row = (t = {}) => tbody.append(h("tr", { "data-testid": "tier-row" },
    cell(input({ name: "name", value: t.name || "", pattern: "[a-z0-9_-]{1,32}", size: 10, "data-testid": "tier-name" }, "Tier name")),
    cell(input({ name: "requests_per_day", type: "number", min: 0, value: t.requests_per_day ?? "", "data-testid": "tier-day" }, "Requests a day")),
    cell(input({ name: "requests_per_week", type: "number", min: 0, value: t.requests_per_week ?? "" }, "Requests a week")),
    cell(input({ name: "requests_per_month", type: "number", min: 0, value: t.requests_per_month ?? "" }, "Requests a month")),
    cell(input({ name: "budget", type: "number", min: 0, step: "0.01", value: fromMicros(t.monthly_budget_micros ?? 0) }, "Monthly AI budget USD")),
    cell(input({ name: "price", type: "number", min: 0, step: "0.01", value: fromMicros(t.price_micros ?? 0) }, "Price USD"))));
  data.items.forEach(row);
  const out = h("div", { "aria-live": "polite" });
  const save = h("button", { type: "button", class: "btn btn-primary", id: "tiers-save", "data-testid": "tiers-save" }, "Save tiers");
  save.addEventListener("click", async () => {
    clear(out);
    const tiers = [...tbody.children].map((tr) => {
      const v = (n) => tr.querySelector(`[name="${n}"]`).value.trim();
      return { name: v("name"), requests_per_day: Number(v("requests_per_day")), requests_per_week: Number(v("requests_per_week")), requests_per_month: Number(v("requests_per_month")), monthly_budget_micros: toMicros(v("budget")) ?? 0, price_micros: toMicros(v("price")) ?? 0 };
    }).filter((t) => t.name);
    try { await busy(save, () => api.put("/api/v1/admin/tiers", { tiers }), "Saving…"); toast("Tiers saved."); tierEditor(sec, signal); }
    catch (err) { out.append(errorNotice(err), err.fields?.length ? h("ul", {}, err.fields.map((f) => h("li", {}, `${f.field}: ${f.message}`))) : null); }
  });
  sec.append(h("div", { class: "table-wrap" }, h("table", { id: "tier-table" },
    h("thead", {}, h("tr", {}, ["Name", "A day", "A week", "A month", "AI budget $/month", "Price $"].map((c) => h("th", { scope: "col" }, c)))), tbody)),
    h("div", { class: "actions" }, h("button", { type: "button", class: "btn", "data-testid": "tier-add", onclick: () => row() }, "Add a tier"), save), out);
}

async function userTiers(sec, signal) {
  const [tiers, usage] = await Promise.all([api.get("/api/v1/admin/tiers", undefined, signal), api.get("/api/v1/admin/usage", undefined, signal)]);
  reset(sec, "Users");
  const options = tiers.items.map((t) => [t.name, humanize(t.name)]);
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "admin-user-tier-submit", "data-testid": "admin-user-tier-submit" }, "Change tier");
  const form = h("form", { id: "admin-user-tier-form", novalidate: true, "data-testid": "admin-user-tier-form" },
    h("div", { class: "inline-fields" },
      field({ name: "user_id", label: "User id", type: "number", min: 1, inputmode: "numeric", testid: "admin-user-id" }),
      field({ name: "tier", label: "New tier", type: "select", options, testid: "admin-user-tier" })),
    h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const id = Number(form.elements.user_id.value);
    if (!Number.isInteger(id) || id < 1) { showFormError(form, { fields: [{ field: "user_id", message: "Enter a user id (a whole number)" }] }); return; }
    try {
      await busy(submit, () => api.put(`/api/v1/admin/users/${id}/tier`, { tier: form.elements.tier.value }), "Changing…");
      toast(`User ${id} is now on ${form.elements.tier.value}.`);
      userTiers(sec, signal);
    } catch (err) { showFormError(form, err.status === 404 ? { fields: [{ field: "user_id", message: "No user with this id" }] } : err); }
  });
  const pickUser = (u) => { form.elements.user_id.value = u.user_id; form.elements.tier.value = u.tier; form.elements.tier.focus(); };
  sec.append(h("p", { class: "muted" }, "Users who used the AI this month are listed; pick one, or type any user id."), form,
    h("div", { class: "table-wrap" }, h("table", { "data-testid": "admin-users-table" },
      h("thead", {}, h("tr", {}, ["Id", "User", "Tier", "Requests", "Cost", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, (usage.users || []).map((u) => h("tr", {}, cell(String(u.user_id)), cell(u.username), cell(u.tier), cell(String(u.requests)), cell(usd(u.cost_micros)),
        cell(h("button", { type: "button", class: "btn btn-small", "data-testid": "admin-pick-user", onclick: () => pickUser(u) }, `Change ${u.username}'s tier`))))))));
}

async function usageReport(sec, signal, since = "") {
  const data = await api.get("/api/v1/admin/usage", { since }, signal);
  reset(sec, "Usage");
  const sinceField = field({ name: "since", label: "Since", type: "date", value: data.since || since, testid: "admin-usage-since" });
  const form = h("form", { class: "inline-fields", "data-testid": "admin-usage-form" }, sinceField, h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, "Show")));
  form.addEventListener("submit", (e) => { e.preventDefault(); usageReport(sec, signal, form.elements.since.value).catch((err) => sec.append(errorNotice(err))); });
  const table = (title, groups, first = "Key") => groups?.length ? [h("h3", {}, title), h("div", { class: "table-wrap" }, h("table", {},
    h("thead", {}, h("tr", {}, [first, "Requests", "Attempts", "Tokens in/out", "Cost"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, groups.map((g) => h("tr", {}, cell(g.key ?? g.username), cell(String(g.requests ?? "")), cell(String(g.attempts ?? "")), cell(`${g.prompt_tokens ?? 0}/${g.completion_tokens ?? 0}`), cell(usd(g.cost_micros)))))))] : null;
  sec.append(form,
    h("p", { id: "admin-usage-total", "data-testid": "admin-usage-total" }, `${data.total_requests} requests, ${usd(data.total_cost_micros)} since ${data.since}.`),
    table("By user", (data.users || []).map((u) => ({ ...u, key: `${u.username} (${u.tier})` })), "User"),
    table("By provider", data.by_provider, "Provider"),
    table("By model", data.by_model, "Model"),
    table("By day", data.by_day, "Day"));
}

async function budgetEditor(sec, signal) {
  const b = await api.get("/api/v1/admin/budget", undefined, signal);
  reset(sec, "Budget");
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "admin-budget-submit", "data-testid": "admin-budget-submit" }, "Save budget");
  const auto = h("div", { class: "choice field", "data-field": "auto_disable" }, h("input", { type: "checkbox", id: "budget-auto", name: "auto_disable", checked: b.auto_disable }), h("label", { for: "budget-auto" }, "Stop paid AI when a budget is used up"));
  const form = h("form", { id: "admin-budget-form", novalidate: true, "data-testid": "admin-budget-form" },
    h("div", { class: "inline-fields" },
      field({ name: "weekly_budget_micros", label: "Weekly budget (USD)", type: "number", min: 0, step: "0.01", value: fromMicros(b.weekly_budget_micros), hint: "Empty = none" }),
      field({ name: "monthly_budget_micros", label: "Monthly budget (USD)", type: "number", min: 0, step: "0.01", value: fromMicros(b.monthly_budget_micros), hint: "Empty = none" }),
      field({ name: "alert_threshold_percent", label: "Alert at (%)", type: "number", min: 1, max: 100, value: b.alert_threshold_percent })),
    auto, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = {
      weekly_budget_micros: toMicros(form.elements.weekly_budget_micros.value.trim()),
      monthly_budget_micros: toMicros(form.elements.monthly_budget_micros.value.trim()),
      alert_threshold_percent: Number(form.elements.alert_threshold_percent.value),
      auto_disable: form.elements.auto_disable.checked,
    };
    try { await busy(submit, () => api.put("/api/v1/admin/budget", body), "Saving…"); toast("Budget saved."); budgetEditor(sec, signal); }
    catch (err) { showFormError(form, err); }
  });
  sec.append(
    h("div", { class: "stat-grid" }, (b.spend || []).map((s) => h("div", { class: "stat" }, h("strong", {}, humanize(s.period)),
      h("p", {}, `${usd(s.spent_micros)}${s.budget_micros != null ? ` of ${usd(s.budget_micros)} (${Math.round(s.percent_used ?? 0)}%)` : " (no budget)"}`),
      h("small", { class: "muted" }, `resets ${formatDateTime(s.resets_at)}`)))),
    form,
    h("h3", {}, "Alerts"),
    b.alerts?.length ? h("ul", { class: "list", "data-testid": "budget-alerts" }, b.alerts.map((a) => h("li", {}, `${formatDateTime(a.created_at)}: ${humanize(a.kind)} — ${a.period} ${usd(a.spent_micros)} of ${usd(a.budget_micros)}`))) : h("p", { class: "muted" }, "No alerts."));
}
