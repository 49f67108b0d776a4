/* Product page: picking another shop's offer shows that offer in the headline (price, stock,
   seller, VAT detail) and in the address bar (?commerce=<shop>), as the server renders it for
   that address; without script the radio still chooses what is added to the basket and each
   offer keeps its own link. */
(function () {
  "use strict";
  var form = document.getElementById("add_to_basket_form");
  if (!form) return;
  form.addEventListener("change", function (event) {
    var radio = event.target;
    if (radio.name !== "stockrecord" || !radio.dataset.offerUrl) return;
    ["price", "excl_tax", "tax"].forEach(function (field) {
      document.querySelectorAll('[data-offer-field="' + field + '"]').forEach(function (el) {
        el.textContent = radio.dataset["offer" + field.charAt(0).toUpperCase() + field.slice(1)];
      });
    });
    document.querySelectorAll('[data-offer-field="availability"]').forEach(function (el) {
      el.textContent = radio.dataset.offerAvailability;
      el.className = "availability " + radio.dataset.offerAvailabilityCode;
    });
    document.querySelectorAll('[data-offer-field="shop"]').forEach(function (el) {
      el.href = radio.dataset.offerShopUrl;
      el.innerHTML = "";
      var strong = document.createElement("strong");
      strong.textContent = radio.dataset.offerShop;
      el.appendChild(strong);
    });
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", radio.dataset.offerUrl);
    }
  });
})();
