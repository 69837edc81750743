// Sign in and sign up. Errors from the API's 422 go beside their field; what was typed is kept.
import * as api from "../api.js";
import { loadAccount, forgetOfflinePlan } from "../app.js";
import { h, field, showFormError, clearErrors, busy } from "../ui.js";

export function signin(main, { navigate }) {
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "signin-submit", "data-testid": "signin-submit" }, "Sign in");
  const form = h("form", { id: "signin-form", novalidate: true, "data-testid": "signin-form" },
    field({ name: "email", id: "signin-email", label: "E-mail", type: "email", autocomplete: "email", required: true, testid: "signin-email" }),
    field({ name: "password", id: "signin-password", label: "Password", type: "password", autocomplete: "current-password", required: true, testid: "signin-password" }),
    h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const email = form.elements.email.value.trim();
    const password = form.elements.password.value;
    const missing = [];
    if (!email) missing.push({ field: "email", message: "Enter your e-mail address" });
    if (!password) missing.push({ field: "password", message: "Enter your password" });
    if (missing.length) { showFormError(form, { fields: missing }); return; }
    try {
      await busy(submit, async () => { await api.login(email, password); forgetOfflinePlan(); await loadAccount(); }, "Signing in…");
      navigate("#/today");
    } catch (err) {
      if (err.status === 401) showFormError(form, { fields: [{ field: "password", message: "The e-mail or password is not right" }] });
      else showFormError(form, err);
    }
  });
  main.append(
    h("h1", {}, "Sign in"),
    h("p", {}, "Your coach, your plan and your training log."),
    form,
    h("p", {}, "New here? ", h("a", { href: "#/signup", "data-testid": "to-signup" }, "Create an account")));
  form.elements.email.focus();
}

export function signup(main, { navigate }) {
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "signup-submit", "data-testid": "signup-submit" }, "Create account");
  const form = h("form", { id: "signup-form", novalidate: true, "data-testid": "signup-form" },
    field({ name: "email", id: "signup-email", label: "E-mail", type: "email", autocomplete: "email", required: true, testid: "signup-email" }),
    field({ name: "username", id: "signup-username", label: "Username", hint: "3 to 50 letters, digits, '_', '.' or '-'. Others never see your e-mail.", autocomplete: "username", required: true, testid: "signup-username" }),
    field({ name: "password", id: "signup-password", label: "Password", type: "password", hint: "At least 8 characters.", autocomplete: "new-password", required: true, testid: "signup-password" }),
    h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = {
      email: form.elements.email.value.trim(),
      username: form.elements.username.value.trim(),
      password: form.elements.password.value,
    };
    try {
      await busy(submit, async () => { await api.register(body); forgetOfflinePlan(); await loadAccount(); }, "Creating your account…");
      navigate("#/profile?onboarding=1");
    } catch (err) {
      if (err.status === 409 && err.fields?.length) {
        showFormError(form, { fields: err.fields.map((f) => ({ field: f.field, message: f.field === "email" ? "An account with this e-mail already exists" : f.field === "username" ? "This username is taken" : f.message })) });
      } else if (err.status === 409) {
        const which = /user ?name/i.test(err.message) ? "username" : "email";
        showFormError(form, { fields: [{ field: which, message: which === "email" ? "An account with this e-mail already exists" : "This username is taken" }] });
      } else showFormError(form, err);
    }
  });
  main.append(
    h("h1", {}, "Create your account"),
    h("p", {}, "Next you'll tell your coach about your training, so your plan fits you."),
    form,
    h("p", {}, "Already have an account? ", h("a", { href: "#/signin", "data-testid": "to-signin" }, "Sign in")));
  form.elements.email.focus();
}
