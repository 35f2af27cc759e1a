// Questionnaire page: autosave while typing, warn before leaving with unsaved changes, and show or hide
// conditional questions as the server decides. Without this script the page still works: Save posts it.
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

  async function autosave() {
    timer = null;
    say(form.dataset.savingText);
    try {
      const result = await post(form.dataset.autosaveUrl);
      if (result.ok && result.body.saved) {
        version.value = result.body.version;
        dirty = false;
        say(form.dataset.savedText);
      } else {
        say(result.body.message || form.dataset.errorText);
      }
    } catch (error) {
      say(form.dataset.unsavedText);
    }
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
      });
    } catch (error) { /* the next save shows the server's view */ }
  }

  function changed(event) {
    if (event.target.form !== form || event.target.type === "file") return;
    dirty = true;
    say(form.dataset.unsavedText);
    if (timer) clearTimeout(timer);
    timer = setTimeout(autosave, 2000);
    if (event.type === "change") refreshVisibility();
  }

  form.querySelectorAll(".question").forEach((block) => {
    if (block.parentElement.hidden) {
      block.querySelectorAll("input, select, textarea").forEach((input) => { input.disabled = true; });
    }
  });
  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
  form.addEventListener("submit", () => { submitting = true; if (timer) clearTimeout(timer); });
  window.addEventListener("beforeunload", (event) => {
    if (dirty && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });
})();
