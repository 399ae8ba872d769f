// Explains failures that keep the page's module from ever running
// (opened from file://, a script that cannot be fetched).
(function () {
  "use strict";
  function show(message) {
    var el = document.getElementById("etat");
    if (!el) { document.addEventListener("DOMContentLoaded", function () { show(message); }); return; }
    el.textContent = message;
    el.className = "state error";
  }
  if (location.protocol === "file:") {
    // The most useful explanation: keep it rather than the load errors that follow.
    show("Cette page doit être servie par HTTP (par exemple avec « make serve ») : " +
         "les navigateurs refusent de charger un module WebAssembly depuis file://.");
    return;
  }
  window.addEventListener("error", function (e) {
    var t = e.target;
    if (t && t.tagName === "SCRIPT") {
      show("Le moteur de recherche n’a pas pu être chargé (" + (t.src || "script") + ").");
    }
  }, true);
})();
