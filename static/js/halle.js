// Small behaviours the templates ask for with data attributes, instead of inline handlers
// (the Content-Security-Policy runs no onclick="…" and no inline <script>).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-halle-print], [data-halle-back]") : null;
    if (!target) { return; }
    event.preventDefault();
    if (target.hasAttribute("data-halle-print")) { window.print(); } else { window.history.back(); }
  });

  // Oscar's image widget (manager's dashboard): its preview hides the upload button once
  // the chosen picture shows, and says so when the browser cannot show it.
  document.querySelectorAll("img[data-halle-upload-button]").forEach(function (img) {
    var button = document.getElementById(img.getAttribute("data-halle-upload-button"));
    if (!button) { return; }
    img.addEventListener("load", function () { button.style.display = "none"; });
    img.addEventListener("error", function () {
      if (!img.getAttribute("src")) { return; }
      button.style.display = "";
      window.alert(img.getAttribute("data-halle-error"));
    });
  });
})();
