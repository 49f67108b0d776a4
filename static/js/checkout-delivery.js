// Checkout, delivery: the street field suggests addresses of the town's address base as
// the shopper types (plain JS, no inline code: the site's CSP); choosing one fills the
// postcode and town and checks the address at once. Without JavaScript the shopper types
// the three fields and presses « Vérifier l'adresse ».
(function () {
  "use strict";
  var form = document.getElementById("delivery_form");
  if (!form) { return; }
  var street = form.querySelector('input[name="street"]');
  var list = document.getElementById("address-suggestions");
  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var active = -1;
  var results = [];

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    street.setAttribute("aria-expanded", "false");
    street.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(i) {
    var a = results[i];
    if (!a) { return; }
    street.value = a.street;
    form.querySelector('input[name="postcode"]').value = a.postcode;
    form.querySelector('input[name="town"]').value = a.town;
    close();
    document.getElementById("check-address").click();
  }

  function show(items) {
    results = items;
    list.innerHTML = "";
    items.forEach(function (a, i) {
      var li = document.createElement("li");
      li.id = "address-option-" + i;
      li.setAttribute("role", "option");
      li.className = "co-suggestion";
      li.textContent = a.label;
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    street.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  function highlight(i) {
    var options = list.querySelectorAll("li");
    if (!options.length) { return; }
    active = (i + options.length) % options.length;
    options.forEach(function (li, j) { li.setAttribute("aria-selected", j === active ? "true" : "false"); });
    street.setAttribute("aria-activedescendant", options[active].id);
  }

  street.addEventListener("input", function () {
    clearTimeout(timer);
    var q = street.value.trim();
    if (q.length < 3) { close(); return; }
    timer = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(close);
    }, 150);
  });
  street.addEventListener("keydown", function (event) {
    if (list.hidden) { return; }
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
    else if (event.key === "Escape") { close(); }
  });
  street.addEventListener("blur", function () { setTimeout(close, 100); });
})();
