// Reloads a page while something runs in the background: an element with
// data-refresh-seconds="N" reloads the page after N seconds. Without JavaScript the
// page offers a plain link instead. A file of its own, so a strict CSP allows it.
(function () {
  "use strict";
  var element = document.querySelector("[data-refresh-seconds]");
  if (!element) {
    return;
  }
  var seconds = parseFloat(element.getAttribute("data-refresh-seconds"));
  if (seconds > 0) {
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
}());
