// 3-D Secure with real keys: Stripe.js shows the bank's page, then we go back to the checkout.
(function () {
  var step = document.getElementById("payment-action");
  if (!step || !window.Stripe) { return; }
  window.Stripe(step.dataset.key).handleNextAction({ clientSecret: step.dataset.secret }).then(function () {
    window.location.href = step.dataset.return;
  });
})();
