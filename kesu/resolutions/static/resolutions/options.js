/* kesu.resolutions: the options card — a signature pad (canvas, saved as PNG), one more remedy
   row, and the answer form's fields shown for the answer and method chosen. Plain JS, no CDN. */
(function () {
  "use strict";

  function setupPad(pad) {
    if (pad.dataset.ready) return;
    pad.dataset.ready = "1";
    var canvas = pad.querySelector("canvas");
    var ctx = canvas.getContext("2d");
    var drawing = false, last = null;
    pad.dataset.strokes = "0";
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height)
      };
    }
    canvas.style.touchAction = "none"; // a finger draws instead of scrolling the page
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      last = point(event);
      canvas.setPointerCapture(event.pointerId);
      ctx.beginPath();
      ctx.arc(last.x, last.y, 1, 0, 2 * Math.PI);
      ctx.fillStyle = "#111";
      ctx.fill();
      pad.dataset.strokes = String(Number(pad.dataset.strokes) + 1);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var next = point(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(next.x, next.y);
      ctx.stroke();
      last = next;
      event.preventDefault();
    });
    function stop() { drawing = false; }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    var clear = pad.querySelector("[data-signature-clear]");
    if (clear) clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      pad.dataset.strokes = "0";
    });
  }

  function setupAnswerForm(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var answer = form.querySelector("[name=answer]");
    var method = form.querySelector("[name=method]");
    function show() {
      form.querySelectorAll("[data-when-answer]").forEach(function (el) {
        el.hidden = answer && el.getAttribute("data-when-answer") !== answer.value;
      });
      form.querySelectorAll("[data-when-method]").forEach(function (el) {
        el.hidden = method && el.getAttribute("data-when-method") !== method.value;
      });
    }
    if (answer) answer.addEventListener("change", show);
    if (method) method.addEventListener("change", show);
    show();
    form.addEventListener("submit", function () {
      var pad = form.querySelector("[data-signature-pad]");
      var field = form.querySelector("[name=signature]");
      if (!pad || !field) return;
      var signed = Number(pad.dataset.strokes) > 0 && method && method.value === "signature";
      field.value = signed ? pad.querySelector("canvas").toDataURL("image/png") : "";
    });
  }

  function addLine(button) {
    var body = button.closest("form").querySelector("[data-lines] tbody");
    var row = body.rows[body.rows.length - 1].cloneNode(true);
    row.classList.remove("has-error");
    row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
    row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    body.appendChild(row);
  }

  function setup(root) {
    (root || document).querySelectorAll("[data-signature-pad]").forEach(setupPad);
    (root || document).querySelectorAll("form[data-answer-form]").forEach(setupAnswerForm);
  }

  if (!window.kesuOptions) {
    window.kesuOptions = true;
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-add-line]");
      if (button) addLine(button);
    });
    document.addEventListener("htmx:load", function (event) { setup(event.target); });
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { setup(document); });
    }
  }
  setup(document);
})();
