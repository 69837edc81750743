// The one small store: the signed-in account, the profile and the vocabulary, shared by screens.
// Nothing here is persisted except `lastPlanId` (a number, for the offline plan view).

const state = { account: null, profile: null, vocabulary: null };

export const store = {
  get account() { return state.account; },
  set account(v) { state.account = v; },
  get profile() { return state.profile; },
  set profile(v) { state.profile = v; },
  get vocabulary() { return state.vocabulary; },
  set vocabulary(v) { state.vocabulary = v; },
  get isAdmin() { return state.account?.role === "admin"; },
  get units() { return state.profile?.preferences?.units === "lb" ? "lb" : "kg"; },
  reset() { state.account = null; state.profile = null; },
  get lastPlanId() {
    try { const v = Number(localStorage.getItem("vigor.lastPlanId")); return Number.isInteger(v) && v > 0 ? v : null; } catch { return null; }
  },
  set lastPlanId(id) {
    try { if (id) localStorage.setItem("vigor.lastPlanId", String(id)); else localStorage.removeItem("vigor.lastPlanId"); } catch { /* storage off */ }
  },
};
