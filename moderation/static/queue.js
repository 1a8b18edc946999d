// Keyboard shortcuts for the queue: j/k move between rows, Enter opens, a assigns to me.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr"));
  if (!rows.length) { return; }
  var current = -1;
  function select(index) {
    if (index < 0 || index >= rows.length) { return; }
    if (current >= 0) { rows[current].classList.remove("selected"); }
    current = index;
    rows[current].classList.add("selected");
    rows[current].focus();
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || event.metaKey || event.ctrlKey || event.altKey) {
      return;
    }
    if (event.key === "j") { select(current + 1); event.preventDefault(); }
    else if (event.key === "k") { select(Math.max(current - 1, 0)); event.preventDefault(); }
    else if (event.key === "Enter" && current >= 0) { window.location = rows[current].dataset.href; }
    else if (event.key === "a" && current >= 0) {
      var form = document.getElementById("bulk");
      form.querySelectorAll("input[name=case]").forEach(function (box) { box.checked = false; });
      rows[current].querySelector("input[name=case]").checked = true;
      form.querySelector("select[name=action]").value = "assign_me";
      form.submit();
    }
  });
})();
