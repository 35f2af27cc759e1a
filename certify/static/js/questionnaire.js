// Questionnaire page: autosave while typing (answers the server refuses are marked with its reason, the
// rest is saved; a save the server could not make is retried), warn before leaving with unsaved changes, save before an evidence upload or removal
// leaves the page, show or hide conditional questions as the server decides, and while a question is
// declared "not applicable" disable its own input and show the justification. Without this script the
// page still works: Save posts it.
(function () {
  "use strict";
  const form = document.getElementById("questionnaire-page");
  if (!form || !form.dataset.autosaveUrl) return;
  const status = document.getElementById("save-status");
  const csrf = form.querySelector("input[name=csrf_token]").value;
  const version = form.querySelector("input[name=version]");
  let dirty = false;
  let timer = null;
  let submitting = false;
  // milliseconds before an unsaved page is sent again, doubling up to the last
  const FIRST_RETRY = 3000, LAST_RETRY = 30000;
  let retryDelay = FIRST_RETRY;

  function say(text) { if (status) status.textContent = text; }

  async function post(url) {
    const response = await fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      credentials: "same-origin",
    });
    return { ok: response.ok, status: response.status, body: await response.json().catch(() => ({})) };
  }

  // The server's reasons beside the answers it refused; the marks of answers now accepted go away.
  function mark(errors) {
    form.querySelectorAll(".question[data-question]").forEach((block) => {
      const reasons = errors[block.dataset.question] || [];
      block.querySelectorAll("input, select, textarea").forEach((input) => {
        if (input.type === "file") return;
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
    });
  }

  // true when every answer is saved
  async function autosave() {
    if (timer) clearTimeout(timer);
    timer = null;
    say(form.dataset.savingText);
    try {
      const result = await post(form.dataset.autosaveUrl);
      if (result.body.version !== undefined) version.value = result.body.version;
      if (result.body.errors || result.ok) mark(result.body.errors || {});
      if (result.ok && result.body.saved) {
        dirty = false;
        retryDelay = FIRST_RETRY;
        say(form.dataset.savedText);
        return true;
      }
      if (result.status === 503) {
        retryLater();
      } else {
        say(result.body.message || form.dataset.errorText);
      }
    } catch (error) {
      retryLater();  // no answer at all: the network, or the server restarting
    }
    return false;
  }

  // The server could not save (its database restarting, the network gone): nothing typed is lost, and the
  // same answers are sent again, less and less often, until they are saved or the manager saves by hand.
  function retryLater() {
    say(form.dataset.retryingText);
    if (timer) clearTimeout(timer);
    timer = setTimeout(autosave, retryDelay);
    retryDelay = Math.min(retryDelay * 2, LAST_RETRY);
  }

  // A declared answer is its justification: the input is not sent (the server would ignore it anyway),
  // and keeps what was typed in case the box is unchecked again.
  function applyNotApplicable(block) {
    const part = block.querySelector("[data-not-applicable]");
    if (!part) return;
    const box = part.querySelector("input[type=checkbox]");
    part.querySelector("[data-justification]").hidden = !box.checked;
    block.querySelectorAll("input, select, textarea").forEach((input) => {
      if (!part.contains(input)) input.disabled = box.disabled || box.checked;
    });
  }

  async function refreshVisibility() {
    try {
      const result = await post(form.dataset.visibilityUrl);
      if (!result.ok) return;
      const visible = new Set(result.body.visible);
      form.querySelectorAll(".question[data-question]").forEach((block) => {
        const shown = visible.has(block.dataset.question);
        block.parentElement.hidden = !shown;
        // Hidden answers are not sent: the server would refuse answers to questions it does not ask.
        block.querySelectorAll("input, select, textarea").forEach((input) => { input.disabled = !shown; });
        applyNotApplicable(block);
      });
      // A ratio is computed by the server from the answers being typed; the page only shows it.
      form.querySelectorAll("output[data-ratio]").forEach((output) => {
        output.textContent = result.body.ratios[output.dataset.ratio] || output.dataset.pendingText;
      });
    } catch (error) { /* the next save shows the server's view */ }
  }

  function changed(event) {
    if (event.target.form !== form || event.target.type === "file") return;
    dirty = true;
    const block = event.target.closest(".question");
    if (block && event.target.closest("[data-not-applicable]")) applyNotApplicable(block);
    say(form.dataset.unsavedText);
    if (timer) clearTimeout(timer);
    timer = setTimeout(autosave, 2000);
    if (event.type === "change") refreshVisibility();
  }

  form.querySelectorAll(".question").forEach((block) => {
    if (block.parentElement.hidden) {
      block.querySelectorAll("input, select, textarea").forEach((input) => { input.disabled = true; });
    }
    applyNotApplicable(block);
  });
  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
  form.addEventListener("submit", () => { submitting = true; if (timer) clearTimeout(timer); });
  // Uploading or removing a file reloads the page: save what was typed first, or stay to fix it.
  document.querySelectorAll("form[id^=upload-], form[id^=remove-]").forEach((other) => {
    other.addEventListener("submit", async (event) => {
      if (!dirty) { submitting = true; return; }
      event.preventDefault();
      if (await autosave()) { submitting = true; other.submit(); }
    });
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });
})();
