// Checkout, step 1: changing the mode or the point shows its slots at once (without
// JavaScript the shopper presses "Afficher les créneaux").
(function () {
  "use strict";
  var refresh = document.getElementById("refresh-slots");
  if (!refresh) { return; }
  refresh.classList.add("d-none");
  document.querySelectorAll('#collect_form input[name="mode"], #collect_form input[name="point"]').forEach(function (input) {
    input.addEventListener("change", function () { refresh.click(); });
  });
})();
