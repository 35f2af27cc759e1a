// Scoring page: autosave the draft scores and marks (each file relevant or not, each "not applicable"
// confirmed or not) while the assessor types (entries the server refuses are marked with its reason, the
// rest is saved), warn before leaving with unsaved changes, and save before the
// clarification request leaves the page. Autosave never submits. Without this script the page still
// works: "Save the draft" posts it.
(function () {
  "use strict";
  const form = document.getElementById("scores-form");
  if (!form || !form.dataset.autosaveUrl) return;
  const status = document.getElementById("save-status");
  const csrf = form.querySelector("input[name=csrf_token]");
  let dirty = false;
  let timer = null;
  let submitting = false;

  function say(text) { if (status) status.textContent = text; }

  async function post(url) {
    const headers = { "Accept": "application/json" };
    if (csrf) headers["X-CSRFToken"] = csrf.value;
    const response = await fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: headers,
      credentials: "same-origin",
    });
    return { ok: response.ok, status: response.status, body: await response.json().catch(() => ({})) };
  }

  // One entry's reasons beside it (none: its marks go away).
  function markField(block, reasons) {
    block.querySelectorAll("input, textarea").forEach((input) => {
      input.classList.toggle("is-invalid", reasons.length > 0);
      if (reasons.length) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    });
    block.querySelectorAll(".invalid-feedback").forEach((old) => old.remove());
    reasons.forEach((reason) => {
      const message = document.createElement("div");
      message.className = "invalid-feedback d-block";
      message.textContent = reason;
      block.appendChild(message);
    });
  }

  // The server's reasons beside the entries it refused; entries it refused before and accepts now are
  // cleared. Marks from a refused submission stay until their entry changes (see `changed`).
  function mark(errors) {
    form.querySelectorAll("[data-field]").forEach((block) => {
      const reasons = errors[block.dataset.field] || [];
      if (!reasons.length && !block.hasAttribute("data-autosave-marked")) return;
      markField(block, reasons);
      if (reasons.length) block.setAttribute("data-autosave-marked", ""); else block.removeAttribute("data-autosave-marked");
    });
  }

  // true when every entry is saved
  async function autosave() {
    if (timer) clearTimeout(timer);
    timer = null;
    say(form.dataset.savingText);
    try {
      const result = await post(form.dataset.autosaveUrl);
      if (result.body.errors || result.ok) mark(result.body.errors || {});
      if (result.ok && result.body.saved) {
        dirty = false;
        say(form.dataset.savedText);
        return true;
      }
      say(result.body.message || form.dataset.errorText);
    } catch (error) {
      say(form.dataset.unsavedText);
    }
    return false;
  }

  function changed(event) {
    if (event.target.form !== form) return;
    dirty = true;
    say(form.dataset.unsavedText);
    // A score or mark now given answers "this indicator has no score yet" or "this file is not marked
    // yet": its error mark goes.
    const block = event.target.closest("[data-field]");
    if (block && event.type === "change" && event.target.type === "radio") markField(block, []);
    if (timer) clearTimeout(timer);
    timer = setTimeout(autosave, 2000);
  }

  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
  form.addEventListener("submit", () => { submitting = true; if (timer) clearTimeout(timer); });
  // Asking for clarification reloads the page: save what was typed first, or stay to fix it.
  const asking = document.getElementById("clarification-form");
  if (asking) {
    asking.addEventListener("submit", async (event) => {
      if (!dirty) { submitting = true; return; }
      event.preventDefault();
      if (await autosave()) { submitting = true; asking.submit(); }
    });
  }
  window.addEventListener("beforeunload", (event) => {
    if (dirty && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });
})();
