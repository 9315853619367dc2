// Intake: choosing a found customer fills the hidden ids and hides the new-customer fields.
(function () {
  const customer = document.getElementById("id_customer_id");
  const vehicle = document.getElementById("id_vehicle_id");
  const chosen = document.getElementById("chosen");
  const label = document.getElementById("chosen-label");
  const fresh = document.getElementById("new-customer");
  function choose(id, vid, text) {
    customer.value = id; vehicle.value = vid || "";
    label.textContent = text; chosen.hidden = !id; fresh.hidden = !!id;
  }
  document.getElementById("matches").addEventListener("click", function (event) {
    const button = event.target.closest("button.match");
    if (button) {
      choose(button.dataset.customer, button.dataset.vehicle, button.dataset.label);
      document.getElementById("matches").innerHTML = "";
    }
  });
  document.getElementById("chosen-clear").addEventListener("click", function () { choose("", "", ""); });
  if (customer.value) { choose(customer.value, vehicle.value, "#" + customer.value); }
})();
