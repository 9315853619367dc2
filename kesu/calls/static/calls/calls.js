// The call form: a found customer fills the hidden id (and the name and plate if empty); the
// colleague field shows for 找人 / 留言 only; the duration counts from the first digit typed
// unless the agent types one.
(function () {
  const form = document.querySelector("[data-testid=call-form]");
  if (!form) { return; }
  const customer = document.getElementById("id_customer_id");
  const chosen = document.getElementById("call-chosen");
  const label = document.getElementById("call-chosen-label");
  const number = document.getElementById("id_number");
  const duration = document.getElementById("id_duration_seconds");
  const forField = document.getElementById("call-for");
  let started = null;
  let durationTyped = duration && duration.value !== "0" && duration.value !== "";
  function choose(id, text) {
    customer.value = id || ""; label.textContent = text || ""; chosen.hidden = !id;
  }
  document.getElementById("call-matches").addEventListener("click", function (event) {
    const button = event.target.closest("button.match");
    if (!button) { return; }
    choose(button.dataset.customer, button.dataset.label);
    const name = document.getElementById("id_caller_name");
    const plate = document.getElementById("id_plate");
    if (name && !name.value) { name.value = button.dataset.name || ""; }
    if (plate && !plate.value) { plate.value = button.dataset.plate || ""; }
    document.getElementById("call-matches").innerHTML = "";
  });
  document.getElementById("call-chosen-clear").addEventListener("click", function () { choose("", ""); });
  number.addEventListener("input", function () { if (started === null) { started = Date.now(); } });
  if (duration) { duration.addEventListener("input", function () { durationTyped = true; }); }
  function showFor() {
    const picked = form.querySelector("input[name=purpose]:checked");
    forField.hidden = !(picked && (picked.value === "find_person" || picked.value === "message"));
  }
  form.addEventListener("change", function (event) { if (event.target.name === "purpose") { showFor(); } });
  showFor();
  form.addEventListener("submit", function () {
    if (duration && !durationTyped && started !== null) {
      duration.value = String(Math.max(0, Math.round((Date.now() - started) / 1000)));
    }
  });
  if (customer.value) { choose(customer.value, "#" + customer.value); }
})();
