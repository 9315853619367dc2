// Intake: a click on a suggestion chip fills the matching select (category, nature, severity,
// emotion) of the form; the agent stays in charge and can change it again.
(function () {
  if (window.kesuInsights) { return; }
  window.kesuInsights = true;
  document.addEventListener("click", function (event) {
    const chip = event.target.closest("[data-fill-field]");
    if (!chip) { return; }
    const form = chip.closest("form") || document;
    const select = form.querySelector('select[name="' + chip.dataset.fillField + '"]');
    if (!select) { return; }
    select.value = chip.dataset.fillValue;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    document.querySelectorAll('[data-fill-field="' + chip.dataset.fillField + '"]').forEach(function (other) {
      other.classList.toggle("chosen", other === chip);
    });
  });
})();
