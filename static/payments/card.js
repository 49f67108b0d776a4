// Stripe Elements (real keys only): the card typed here becomes a PaymentMethod id posted with the order.
(function () {
  var mount = document.getElementById("card-element");
  var form = mount && mount.closest("form");
  if (!form || !window.Stripe) { return; }
  var stripe = window.Stripe(mount.dataset.key);
  var card = stripe.elements({ locale: "fr" }).create("card");
  card.mount(mount);
  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[name=payment_method]");
    if (input.value) { return; }
    event.preventDefault();
    stripe.createPaymentMethod({ type: "card", card: card }).then(function (result) {
      if (result.error) {
        document.getElementById("card-errors").textContent = result.error.message;
        return;
      }
      input.value = result.paymentMethod.id;
      form.submit();
    });
  });
})();
