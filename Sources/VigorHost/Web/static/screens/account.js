// Account: change password, API keys (the key shown once), export my data, delete my account.
import * as api from "../api.js";
import { store } from "../store.js";
import { forgetOfflinePlan } from "../app.js";
import { h, clear, field, showFormError, clearErrors, busy, describeError, errorNotice, skeleton, toast, confirmDialog, formatDateTime, notice } from "../ui.js";

export async function render(main, { signal, navigate }) {
  const a = store.account || {};
  main.append(h("h1", {}, "Account"),
    h("dl", { class: "kv", "data-testid": "account-info" },
      h("dt", {}, "Username"), h("dd", {}, a.username || ""),
      h("dt", {}, "E-mail"), h("dd", {}, a.email || ""),
      h("dt", {}, "Tier"), h("dd", {}, h("a", { href: "#/usage" }, a.tier || "")),
      h("dt", {}, "Member since"), h("dd", {}, a.created_at ? formatDateTime(a.created_at) : "")));

  // Change password
  const pwSubmit = h("button", { type: "submit", class: "btn btn-primary", id: "password-submit", "data-testid": "password-submit" }, "Change password");
  const pwForm = h("form", { id: "password-form", class: "card", novalidate: true, "data-testid": "password-form" },
    h("h2", {}, "Change password"),
    h("input", { type: "email", name: "username", autocomplete: "username", value: a.email || "", hidden: true, readonly: true, tabindex: "-1", "aria-hidden": "true" }),
    field({ name: "current_password", label: "Current password", type: "password", autocomplete: "current-password", testid: "password-current" }),
    field({ name: "new_password", label: "New password", type: "password", autocomplete: "new-password", hint: "At least 8 characters.", testid: "password-new" }),
    h("div", { class: "actions" }, pwSubmit));
  pwForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(pwForm);
    const body = { current_password: pwForm.elements.current_password.value, new_password: pwForm.elements.new_password.value };
    const missing = [];
    if (!body.current_password) missing.push({ field: "current_password", message: "Enter your current password" });
    if (body.new_password.length < 8) missing.push({ field: "new_password", message: "Must be at least 8 characters" });
    if (missing.length) { showFormError(pwForm, { fields: missing }); return; }
    try {
      const tokens = await busy(pwSubmit, () => api.post("/api/v1/auth/password", body), "Changing…");
      // Every other session ended; this one continues with the tokens the host returned.
      if (tokens && tokens.access_token) api.setAccessToken(tokens.access_token);
      pwForm.reset();
      toast("Password changed.");
    } catch (err) {
      if (err.status === 401 || err.status === 403) showFormError(pwForm, { fields: [{ field: "current_password", message: "That is not your current password" }] });
      else if (err.status === 404 || err.status === 405) {
        clearErrors(pwForm);
        pwForm.prepend(notice("error", h("p", { "data-testid": "password-unsupported" }, "This server can't change passwords yet (it has no route for it). Nothing was changed.")));
      }
      else showFormError(pwForm, err);
    }
  });

  // API keys
  const keyName = field({ name: "name", label: "Key name", hint: "So you can tell keys apart, e.g. 'laptop script'.", maxlength: 100, testid: "apikey-name" });
  const keySubmit = h("button", { type: "submit", class: "btn btn-primary", id: "apikey-submit", "data-testid": "apikey-submit" }, "Create key");
  const created = h("div", { id: "apikey-created", "aria-live": "polite" });
  const keyList = h("ul", { class: "list", id: "apikey-list", "data-testid": "apikey-list" }, h("li", {}, skeleton(2)));
  const keyForm = h("form", { id: "apikey-form", novalidate: true, "data-testid": "apikey-form" }, keyName, h("div", { class: "actions" }, keySubmit));
  keyForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(keyForm);
    const name = keyForm.elements.name.value.trim();
    try {
      const k = await busy(keySubmit, () => api.post("/api/v1/users/me/api-keys", name ? { name } : {}), "Creating…");
      keyForm.reset();
      const copy = h("button", { type: "button", class: "btn btn-small", "data-testid": "apikey-copy", onclick: async () => {
        try { await navigator.clipboard.writeText(k.key); toast("Copied."); } catch { toast("Select the key and copy it.", "error"); }
      } }, "Copy");
      clear(created).append(notice("ok",
        h("p", {}, h("strong", {}, "Your new key — copy it now. It will not be shown again.")),
        h("code", { class: "secret", "data-testid": "apikey-secret" }, k.key), h("div", { class: "actions" }, copy)));
      loadKeys();
    } catch (err) { showFormError(keyForm, err, "The key could not be created"); }
  });
  async function loadKeys() {
    try {
      const data = await api.get("/api/v1/users/me/api-keys", undefined, signal);
      clear(keyList);
      if (!data.items.length) keyList.append(h("li", { class: "muted" }, "No API keys."));
      for (const k of data.items) {
        const revoke = h("button", { type: "button", class: "btn btn-small btn-danger", "data-testid": "apikey-revoke", "data-key-id": k.id }, "Revoke");
        revoke.addEventListener("click", async () => {
          if (!(await confirmDialog({ title: `Revoke "${k.name}"?`, body: "Anything using this key stops working at once.", confirmLabel: "Revoke", danger: true }))) return;
          try { await api.del(`/api/v1/users/me/api-keys/${k.id}`); toast("Key revoked."); loadKeys(); } catch (err) { toast(describeError(err), "error"); }
        });
        keyList.append(h("li", { "data-testid": "apikey-item" }, h("div", { class: "exercise-head" },
          h("span", {}, h("strong", {}, k.name), " ", h("code", {}, `${k.prefix}…`)),
          revoke),
          h("small", { class: "muted" }, `Created ${formatDateTime(k.created_at)} · ${k.last_used_at ? `last used ${formatDateTime(k.last_used_at)}` : "never used"}`)));
      }
    } catch (err) {
      if (err.name === "AbortError") return;
      clear(keyList).append(h("li", {}, errorNotice(err)));
    }
  }

  // Export
  const exportButton = h("button", { type: "button", class: "btn", id: "export-button", "data-testid": "export-button" }, "Download my data (JSON)");
  const exportOut = h("div", { "aria-live": "polite" });
  exportButton.addEventListener("click", async () => {
    clear(exportOut);
    try {
      const data = await busy(exportButton, () => api.get("/api/v1/users/me/export"), "Preparing…");
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const link = h("a", { href: url, download: `vigor-export-${new Date().toISOString().slice(0, 10)}.json`, "data-testid": "export-link" }, "Save the file");
      exportOut.append(notice("ok", h("p", {}, "Your data is ready. ", link)));
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (err) { exportOut.append(errorNotice(err)); }
  });

  // Delete
  const delSubmit = h("button", { type: "submit", class: "btn btn-danger", id: "delete-submit", "data-testid": "delete-submit" }, "Delete my account");
  const delForm = h("form", { id: "delete-form", class: "card", novalidate: true, "data-testid": "delete-form" },
    h("h2", {}, "Delete my account"),
    h("p", {}, "This deletes your account, profile, plans, workouts, progress, conversations and API keys. It cannot be undone."),
    h("input", { type: "email", name: "username", autocomplete: "username", value: a.email || "", hidden: true, readonly: true, tabindex: "-1", "aria-hidden": "true" }),
    field({ name: "password", label: "Your password, to confirm", type: "password", autocomplete: "current-password", testid: "delete-password" }),
    h("div", { class: "actions" }, delSubmit));
  delForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(delForm);
    const password = delForm.elements.password.value;
    if (!password) { showFormError(delForm, { fields: [{ field: "password", message: "Enter your password to confirm" }] }); return; }
    if (!(await confirmDialog({ title: "Delete your account for good?", body: "All your data will be deleted now.", confirmLabel: "Delete everything", danger: true, testid: "delete-dialog" }))) return;
    try {
      await busy(delSubmit, () => api.del("/api/v1/users/me", { password }), "Deleting…");
      api.setAccessToken(null);
      store.reset();
      forgetOfflinePlan();
      toast("Your account and data are deleted.");
      navigate("#/signin");
    } catch (err) {
      if (err.status === 401 || err.status === 403) showFormError(delForm, { fields: [{ field: "password", message: "That is not your password" }] });
      else showFormError(delForm, err);
    }
  });

  main.append(pwForm,
    h("section", { class: "card" }, h("h2", {}, "API keys"), h("p", { class: "muted" }, "For the OpenAI-compatible API (/v1/chat/completions)."), keyForm, created, keyList),
    h("section", { class: "card" }, h("h2", {}, "Your data"), exportButton, exportOut),
    delForm);
  loadKeys();
}
