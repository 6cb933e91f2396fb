// Registers the agenda's service worker, so that the page stays readable when the
// connection drops after it was loaded (events/offline.py serves the worker).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) {
    return;
  }
  navigator.serviceWorker.register(script.dataset.worker, {scope: script.dataset.scope}).catch(function () {
    // No offline copy then; the page itself works as before.
  });
}());
