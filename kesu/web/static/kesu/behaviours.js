// The pages' small behaviours, delegated from data attributes: the Content-Security-Policy
// (script-src 'self') refuses inline handlers (onchange=, onclick=, hx-on, javascript: links).
(function () {
  document.addEventListener("change", function (event) {
    const field = event.target.closest("[data-autosubmit]");
    if (field && field.form) { field.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); return; }
    const back = event.target.closest("[data-back]");
    if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); return; }
    const tabs = event.target.closest("[data-tabs]");
    const tab = event.target.closest("a.tab");
    if (tabs && tab) {
      tabs.querySelectorAll("a.tab").forEach(function (a) { a.classList.toggle("active", a === tab); });
    }
  });
  // a form marked data-swap-errors shows its 409 / 422 answer (the form with its errors)
  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    if ((status === 409 || status === 422) && event.detail.elt.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
