// Usage and tier: requests left today / this week / this month, budget, and when each resets.
import * as api from "../api.js";
import { h, clear, errorNotice, skeleton, meter, usd, formatResetUTC, humanize } from "../ui.js";

const PERIOD = { day: "Today", week: "This week", month: "This month" };

export async function render(main, { signal }) {
  main.append(h("h1", {}, "Usage and tier"));
  const slot = h("div", { id: "usage-view", "data-testid": "usage-view" }, skeleton(6));
  main.append(slot);
  try {
    const [u, tiers] = await Promise.all([api.get("/api/v1/users/me/usage", undefined, signal), api.get("/api/v1/tiers", undefined, signal).catch(() => ({ items: [] }))]);
    clear(slot);
    const out = (u.periods || []).find((p) => p.requests_remaining <= 0);
    slot.append(h("p", {}, "Your tier: ", h("strong", { "data-testid": "usage-tier" }, humanize(u.tier))));
    if (out) {
      slot.append(h("div", { class: "notice notice-error", role: "alert", "data-testid": "usage-limit-reached" },
        h("p", {}, `You've used all your coach requests for ${PERIOD[out.period]?.toLowerCase() || out.period}. You can ask again at ${formatResetUTC(out.resets_at)}.`)));
    }
    const grid = h("div", { class: "stat-grid" });
    for (const p of u.periods || []) {
      grid.append(h("section", { class: "stat", "data-testid": `usage-${p.period}` },
        h("h2", {}, PERIOD[p.period] || humanize(p.period)),
        h("p", { class: "big-number" }, String(p.requests_remaining), h("span", { class: "sr-only" }, " requests left")),
        h("p", {}, `of ${p.requests_limit} requests left`),
        meter({ label: `${p.requests_used} used`, used: p.requests_used, limit: p.requests_limit }),
        h("p", { class: "muted", "data-testid": `usage-resets-${p.period}` }, `Resets at ${formatResetUTC(p.resets_at)}`),
        h("p", { class: "muted" }, `Spent ${usd(p.cost_micros)}`)));
    }
    slot.append(grid);
    if (typeof u.monthly_budget_micros === "number") {
      slot.append(h("section", { class: "card", "data-testid": "usage-budget" },
        h("h2", {}, "AI budget this month"),
        meter({ label: `${usd(u.budget_used_micros)} of ${usd(u.monthly_budget_micros)} used`, used: u.budget_used_micros, limit: u.monthly_budget_micros }),
        h("p", {}, `${usd(u.budget_remaining_micros)} left. When it runs out, the coach stops until the month resets.`)));
    }
    if (tiers.items?.length) {
      slot.append(h("h2", {}, "Tiers"), h("div", { class: "table-wrap" }, h("table", { "data-testid": "tiers-table" },
        h("thead", {}, h("tr", {}, ["Tier", "A day", "A week", "A month", "AI budget", "Price"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, tiers.items.map((t) => h("tr", { "aria-current": t.name === u.tier ? "true" : null },
          h("th", { scope: "row" }, humanize(t.name), t.name === u.tier ? " (yours)" : ""),
          h("td", {}, String(t.requests_per_day)), h("td", {}, String(t.requests_per_week)), h("td", {}, String(t.requests_per_month)),
          h("td", {}, usd(t.monthly_budget_micros)), h("td", {}, usd(t.price_micros))))))));
      slot.append(h("p", { class: "muted" }, "Ask an administrator to change your tier."));
    }
  } catch (err) {
    if (err.name === "AbortError") return;
    clear(slot).append(errorNotice(err));
  }
}
