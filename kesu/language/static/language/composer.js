/* kesu.language: "use it" puts the suggested wording in place of the highlighted phrase. */
(function () {
  if (window.kesuComposer) return;
  window.kesuComposer = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-replace]");
    if (!button) return;
    var area = document.getElementById("reply-text");
    if (!area) return;
    var from = button.getAttribute("data-replace"), to = button.getAttribute("data-with");
    var at = area.value.indexOf(from);
    if (at < 0) return;
    area.value = area.value.slice(0, at) + to + area.value.slice(at + from.length);
    area.focus();
    area.setSelectionRange(at, at + to.length);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
