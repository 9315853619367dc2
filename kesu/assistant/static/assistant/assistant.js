/* kesu.assistant: a clean draft fills the reply box (the agent still sends it); a flagged one
   goes there only when the agent asks, to rephrase it. The composer's live check runs on it. */
(function () {
  if (window.kesuAssistant) return;
  window.kesuAssistant = true;
  function fill(text) {
    var area = document.getElementById("reply-text");
    if (!area) return;
    area.value = text;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
    area.scrollIntoView({ block: "center" });
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var source = event.target.querySelector && event.target.querySelector("textarea[data-assistant-fill]");
    if (source) fill(source.value);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-assistant-use]");
    if (!button) return;
    var source = button.parentElement.querySelector("textarea[data-assistant-draft]");
    if (source) fill(source.value);
  });
  /* a failed request (the server down, a 5xx) leaves the page as it is, with a quiet notice */
  function quiet(event) {
    var output = document.getElementById("assistant-output");
    if (!output || !event.detail || !event.detail.elt || !event.detail.elt.closest("#assistant-panel")) return;
    output.innerHTML = "";
    var note = document.createElement("p");
    note.className = "muted";
    note.setAttribute("data-testid", "assistant-unavailable");
    note.textContent = output.getAttribute("data-unavailable") || "";
    output.appendChild(note);
  }
  document.addEventListener("htmx:responseError", quiet);
  document.addEventListener("htmx:sendError", quiet);
})();
