// Longhaul dashboard: the only script. Pages work without it; it adds two things.
// 1. Confirmation before a destructive action: a button with data-confirm asks first.
// 2. Live refresh: an element with data-refresh="N" (N > 0) reloads the page every N seconds
//    while the tab is visible and no form field has focus or a selected checkbox.
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
(function () {
  var marker = document.querySelector("[data-refresh]");
  var seconds = marker ? parseInt(marker.getAttribute("data-refresh"), 10) : 0;
  if (!(seconds > 0)) { return; }
  window.setInterval(function () {
    var busy = document.activeElement && /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    var selected = document.querySelector("input[type=checkbox]:checked");
    if (!document.hidden && !busy && !selected) { window.location.reload(); }
  }, seconds * 1000);
})();
