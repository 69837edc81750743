// Coach chat: the answer streams in piece by piece; conversations and their history; honest
// words for a cut stream, a provider failure and a used-up quota; provider and cost on demand.
import * as api from "../api.js";
import { h, clear, describeError, requestRef, formatDateTime, skeleton, usd, errorNotice, quotaMessage } from "../ui.js";

const OFFLINE_PROVIDERS = new Set(["fallback"]);
// The host's safety screen answers a red flag itself, under this provider name.
const SAFETY_PROVIDER = "safety";

// The emergency number in the screen's answer ("Call 112 now"), when the operator set a dialable
// one: the default ("your local emergency number (112 / 911)") gets no button.
function emergencyNumber(text) {
  const match = /\bcall (\+?\d[\d ]{0,14}\d) now\b/i.exec(text);
  return match ? match[1] : null;
}

export async function render(main, { params, signal }) {
  let conversationId = params[0] ? Number(params[0]) : null;
  let sending = false;
  let controller = null;

  const list = h("ul", { class: "list", id: "conversation-list", "data-testid": "conversation-list" });
  const log = h("div", { class: "chat-log", id: "chat-log", role: "log", tabindex: "0", "aria-label": "Messages", "aria-live": "polite", "aria-relevant": "additions text", "data-testid": "chat-log" });
  const noticeSlot = h("div", { id: "chat-notice-slot" });
  const input = h("textarea", { id: "chat-input", name: "message", rows: 2, maxlength: 4000, required: true, "data-testid": "chat-input", placeholder: "e.g. How should I warm up for squats?" });
  const send = h("button", { type: "submit", class: "btn btn-primary", id: "chat-send", "data-testid": "chat-send" }, "Send");
  const form = h("form", { class: "chat-form", id: "chat-form", "data-testid": "chat-form" },
    h("label", { for: "chat-input" }, "Ask your coach"),
    input, h("div", { class: "actions" }, send));

  main.append(
    h("h1", {}, "Coach"),
    h("div", { class: "chat-layout" },
      h("aside", { class: "conversations", "aria-labelledby": "conv-title" },
        h("h2", { id: "conv-title" }, "Conversations"),
        h("button", { type: "button", class: "btn", id: "new-conversation", "data-testid": "new-conversation", onclick: () => { if (!sending) { conversationId = null; history.replaceState(null, "", "#/chat"); clear(log); clear(noticeSlot); markCurrent(); emptyState(); input.focus(); } } }, "New conversation"),
        list),
      // Notices go under the form: appearing there, they never move the log or the form.
      h("section", { "aria-label": "Conversation" }, log, form, noticeSlot)));

  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener("submit", (e) => { e.preventDefault(); ask(input.value); });

  function emptyState() {
    log.append(h("p", { class: "muted", "data-testid": "chat-empty" }, "Ask about technique, your plan, recovery or nutrition basics. Your coach knows your profile."));
  }

  function markCurrent() {
    for (const a of list.querySelectorAll("a")) {
      if (Number(a.dataset.id) === conversationId) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    }
  }

  async function loadList() {
    try {
      const data = await api.get("/api/v1/ai/conversations", { limit: 50 }, signal);
      clear(list);
      if (!data.items.length) list.append(h("li", { class: "muted" }, "No conversations yet."));
      for (const c of data.items) {
        list.append(h("li", {}, h("a", { class: "row-link", href: `#/chat/${c.id}`, "data-id": c.id, "data-testid": "conversation-item" },
          h("span", {}, c.title || `Conversation ${c.id}`), h("small", { class: "muted" }, formatDateTime(c.updated_at)))));
      }
      markCurrent();
    } catch (err) {
      if (err.name === "AbortError") return;
      clear(list); list.append(h("li", {}, describeError(err)));
    }
  }

  function bubble(role, text, extra = {}) {
    const body = h("div", { class: "msg-text" }, text);
    const el = h("div", { class: `msg msg-${role}`, "data-testid": extra.testid || `msg-${role}` }, role === "user" ? h("span", { class: "sr-only" }, "You: ") : h("span", { class: "sr-only" }, "Coach: "), body);
    log.append(el);
    return { el, body };
  }

  function details(el, info) {
    const urgent = info.provider === SAFETY_PROVIDER;
    if (urgent) {
      el.classList.add("msg-emergency");
      el.prepend(h("strong", { class: "msg-emergency-title", "data-testid": "emergency-title" }, "Please read this now"));
    }
    const number = urgent ? emergencyNumber(el.querySelector(".msg-text")?.textContent || "") : null;
    const panel = h("dl", { class: "kv msg-details", "data-testid": "msg-details", hidden: true },
      h("dt", {}, "Answered by"), h("dd", {}, info.provider || "unknown"),
      info.model ? [h("dt", {}, "Model"), h("dd", {}, info.model)] : null,
      info.usage ? [h("dt", {}, "Tokens"), h("dd", {}, `${info.usage.prompt_tokens ?? 0} in, ${info.usage.completion_tokens ?? 0} out`),
        h("dt", {}, "Cost"), h("dd", {}, usd(info.usage.cost_micros))] : null);
    const toggle = h("button", { type: "button", class: "btn btn-quiet btn-small", "aria-expanded": "false", "data-testid": "msg-details-toggle" }, "Details");
    toggle.addEventListener("click", () => {
      panel.hidden = !panel.hidden;
      toggle.setAttribute("aria-expanded", String(!panel.hidden));
    });
    const meta = h("div", { class: "msg-meta" },
      OFFLINE_PROVIDERS.has(info.provider) ? h("span", { class: "badge", "data-testid": "offline-coach-badge" }, "Offline knowledge") : null,
      info.truncated ? h("span", { class: "badge badge-bad", "data-testid": "truncated-badge" }, "Cut off") : null,
      number ? h("a", { class: "btn btn-danger btn-small", href: `tel:${number.replace(/ /g, "")}`, "data-testid": "emergency-call" }, `Call ${number}`) : null,
      toggle);
    el.append(meta, panel);
  }

  async function loadConversation(id) {
    clear(log);
    log.append(skeleton(4));
    try {
      const c = await api.get(`/api/v1/ai/conversations/${id}`, undefined, signal);
      clear(log);
      for (const m of c.messages || []) {
        const role = m.role === "user" ? "user" : "assistant";
        const { el } = bubble(role, m.content);
        if (role === "assistant") {
          if (m.truncated) el.classList.add("msg-truncated");
          details(el, { provider: m.provider, model: m.model, truncated: m.truncated });
        }
      }
      if (!c.messages?.length) emptyState();
      toBottom();
    } catch (err) {
      if (err.name === "AbortError") return;
      clear(log);
      log.append(errorNotice(err, "chat-notice"));
    }
  }

  function showNotice(kind, text, err, action) {
    clear(noticeSlot);
    noticeSlot.append(h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status", "data-testid": "chat-notice" },
      h("p", {}, text), requestRef(err), action || null));
  }

  function nearBottom() { return log.scrollTop + log.clientHeight >= log.scrollHeight - 80; }
  function toBottom() { log.scrollTop = log.scrollHeight; }

  async function ask(text) {
    const message = String(text || "").trim();
    if (!message || sending) { if (!message) { showNotice("error", "Type a question first."); input.focus(); } return; }
    sending = true;
    send.disabled = true;
    clear(noticeSlot);
    log.querySelector('[data-testid="chat-empty"]')?.remove();
    bubble("user", message);
    const answer = bubble("assistant", "", { testid: "msg-streaming" });
    toBottom();
    answer.body.classList.add("typing");
    answer.el.setAttribute("aria-busy", "true");
    input.value = "";
    let received = "";
    let deltas = 0;
    controller = new AbortController();
    signal.addEventListener("abort", () => controller?.abort(), { once: true });
    try {
      const result = await api.streamChat(conversationId ? { message, conversation_id: conversationId } : { message }, {
        signal: controller.signal,
        onDelta: (piece) => {
          const stick = nearBottom();
          received += piece;
          answer.el.dataset.deltas = String(++deltas);
          answer.body.append(document.createTextNode(piece));
          if (stick) toBottom();
        },
      });
      answer.body.classList.remove("typing");
      answer.el.removeAttribute("aria-busy");
      if (result.ok) {
        const d = result.done;
        answer.el.dataset.testid = "msg-assistant";
        if (d.reply && d.reply !== received) answer.body.textContent = d.reply;
        details(answer.el, { provider: d.provider, model: d.model, usage: d.usage });
        if (d.provider === SAFETY_PROVIDER) showNotice("error", "Please read the coach's answer now: what you describe may need help at once.");
        if (OFFLINE_PROVIDERS.has(d.provider)) showNotice("warn", "The coach is answering from offline knowledge: no AI provider is reachable right now, so answers are general.");
        if (d.conversation_id && d.conversation_id !== conversationId) {
          conversationId = d.conversation_id;
          history.replaceState(null, "", `#/chat/${conversationId}`);
        }
        loadList();
      } else {
        answer.el.dataset.testid = "msg-assistant";
        answer.el.classList.add("msg-truncated");
        if (!received) answer.body.textContent = "(no answer arrived)";
        details(answer.el, { provider: "unknown", truncated: true });
        if (result.conversationId && result.conversationId !== conversationId) {
          conversationId = result.conversationId;
          history.replaceState(null, "", `#/chat/${conversationId}`);
          loadList();
        }
        const again = h("button", { type: "button", class: "btn btn-small", "data-testid": "ask-again", onclick: () => ask(message) }, "Ask again");
        showNotice("error", "The answer was cut off — ask again?", result.error, again);
      }
    } catch (err) {
      if (err.name === "AbortError") return;
      answer.el.remove();
      log.lastElementChild?.remove(); // the user's bubble: their text goes back into the box
      input.value = message;
      if (err.status === 429) {
        showNotice("error", quotaMessage(err), err,
          h("a", { href: "#/usage", "data-testid": "usage-link" }, "See your usage"));
      } else if (err.status === 503) {
        showNotice("error", "No coach is available right now (every AI provider is down or switched off). Your question is kept; try again in a few minutes.", err);
      } else {
        showNotice("error", describeError(err), err);
      }
      if (!log.children.length) emptyState();
    } finally {
      sending = false;
      send.disabled = false;
      controller = null;
    }
  }

  // Before anything is asked: say if only the offline coach can answer right now.
  const status = h("p", { class: "muted", id: "coach-status", "data-testid": "coach-status", "aria-live": "polite" });
  main.querySelector("h1").after(status);
  api.get("/api/v1/ai/provider-status", undefined, signal).then((st) => {
    const up = (st.providers || []).filter((p) => p.enabled && p.available !== false && p.circuit?.state !== "open");
    if (!up.length) status.textContent = "No coach is reachable right now; questions may fail until one is back.";
    else if (up.every((p) => p.offline)) status.textContent = "The coach is answering from offline knowledge right now (general guidance, no AI provider reachable).";
    else status.textContent = `Coach online (${up.filter((p) => !p.offline).map((p) => p.name || p.provider).join(", ")}).`;
  }).catch(() => { /* the status line is a courtesy; asking still works */ });

  loadList();
  if (conversationId) await loadConversation(conversationId); else emptyState();
  input.focus({ preventScroll: true });
  return () => controller?.abort();
}
