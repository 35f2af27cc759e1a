// The exam attempt page (templates/exams/attempt.html). The server keeps the deadline and refuses late
// answers; this script only helps the candidate: it counts the time left down from the server's figure
// (not the device's clock), saves each answer as it is chosen and marks the item "saved", keeps the
// answers it could not send and sends them again when the connection returns, re-reads the time left
// after a reconnect, and when the time is up opens the result (the server has closed the attempt by
// then). Without this script the page still works: "Save answers" and "Submit the attempt" post it.
(function () {
  "use strict";
  const form = document.getElementById("exam-attempt");
  if (!form) return;
  const texts = form.dataset;
  const csrf = form.querySelector("input[name=csrf_token]").value;
  const clock = document.getElementById("time-left");
  const announcer = document.getElementById("time-announcer");
  // Minutes left at which a screen reader hears the time (the clock itself is not announced every second).
  const WARNINGS = [10, 5, 1];
  const RETRY_MS = 5000;
  const STATUS_MS = 30000;
  // Item id -> number of changes made; a save confirms the item only if no change came after it was sent.
  const changes = new Map();
  const unsaved = new Set();
  let endsAt = performance.now() + Number(form.dataset.secondsLeft) * 1000;
  let queue = Promise.resolve();
  let finished = false;
  let submitting = false;
  const warned = new Set(WARNINGS.filter((minutes) => Number(form.dataset.secondsLeft) <= minutes * 60));

  function format(seconds) {
    const two = (n) => String(n).padStart(2, "0");
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const rest = seconds % 60;
    return hours > 0 ? `${hours}:${two(minutes)}:${two(rest)}` : `${two(minutes)}:${two(rest)}`;
  }

  function secondsLeft() { return Math.max(0, Math.ceil((endsAt - performance.now()) / 1000)); }

  function resync(seconds) { if (typeof seconds === "number") endsAt = performance.now() + seconds * 1000; }

  function block(itemId) {
    return Array.from(form.querySelectorAll(".exam-item")).find((el) => el.dataset.item === itemId);
  }

  function mark(itemId, text, problem) {
    const status = block(itemId).querySelector("[data-save-status]");
    status.textContent = text;
    status.classList.toggle("text-danger", Boolean(problem));
    status.classList.toggle("text-muted", !problem);
  }

  function showResult(url) {
    finished = true;
    window.location.assign(url || texts.resultUrl);
  }

  async function send(itemId) {
    const sentAfter = changes.get(itemId) || 0;
    const body = new FormData();
    body.append("csrf_token", csrf);
    body.append("item", itemId);
    block(itemId).querySelectorAll("input:checked").forEach((input) => body.append(input.name, input.value));
    mark(itemId, texts.savingText, false);
    let response;
    let answer = {};
    try {
      response = await fetch(texts.answersUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
        credentials: "same-origin",
      });
      answer = await response.json();
    } catch (error) { // offline, or not an answer of the exam's (e.g. the login page): send it again later
      mark(itemId, texts.unsavedText, true);
      return;
    }
    resync(answer.seconds_left);
    if (response.ok && answer.saved) {
      if ((changes.get(itemId) || 0) === sentAfter) {
        unsaved.delete(itemId);
        mark(itemId, texts.savedText, false);
      }
      return;
    }
    unsaved.delete(itemId); // refused for good: sending it again would be refused again
    mark(itemId, answer.message || texts.unsavedText, true);
    if (answer.result_url) showResult(answer.result_url);
  }

  function save(itemId) {
    unsaved.add(itemId);
    // One request at a time, so that the server receives an item's choices in the order they were made.
    queue = queue.then(() => (finished ? null : send(itemId)));
  }

  function retry() {
    if (finished || submitting || !navigator.onLine) return;
    unsaved.forEach(save);
  }

  async function refreshStatus() {
    if (finished) return;
    try {
      const response = await fetch(texts.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" });
      const status = await response.json();
      if (!status.open) showResult(status.result_url);
      else resync(status.seconds_left);
    } catch (error) { /* still offline: the next try tells */ }
  }

  function timeUp() {
    if (finished) return;
    announcer.textContent = texts.timeUpText;
    form.querySelectorAll("input, button").forEach((input) => { input.disabled = true; });
    // A moment's grace for the last save in flight; the server has closed the attempt at the deadline.
    queue.then(() => setTimeout(() => showResult(texts.resultUrl), 1500));
    finished = true;
  }

  function tick() {
    const left = secondsLeft();
    clock.textContent = format(left);
    WARNINGS.forEach((minutes) => {
      if (left <= minutes * 60 && !warned.has(minutes)) {
        warned.add(minutes);
        announcer.textContent = texts.timeLeftText.replace("{clock}", format(left));
      }
    });
    if (left === 0) timeUp();
  }

  form.addEventListener("change", (event) => {
    const item = event.target.closest(".exam-item");
    if (!item || finished) return;
    changes.set(item.dataset.item, (changes.get(item.dataset.item) || 0) + 1);
    save(item.dataset.item);
  });
  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.hasAttribute("data-save-all")) { submitting = true; return; }
    const blank = Array.from(form.querySelectorAll(".exam-item")).filter((item) => !item.querySelector("input:checked"));
    if (blank.length && !window.confirm(texts.confirmText.replace("{count}", blank.length))) {
      event.preventDefault();
      return;
    }
    submitting = true;
  });
  window.addEventListener("online", () => { refreshStatus(); retry(); });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved.size && !submitting && !finished) { event.preventDefault(); event.returnValue = texts.leaveText; }
  });
  setInterval(tick, 1000);
  setInterval(retry, RETRY_MS);
  setInterval(refreshStatus, STATUS_MS);
  tick();
})();
