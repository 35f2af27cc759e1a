// "Copy link" buttons: <button data-copy="input-id" data-copied="Copied"> copies that input's value.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const label = button.textContent;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      // no clipboard permission (plain http, an old browser): select the text for Ctrl+C instead
      field.select();
      return;
    }
    button.textContent = button.dataset.copied;
    setTimeout(() => { button.textContent = label; }, 2000);
  });
});
