/* Data tables wider than the screen (a phone, the dashboard's long tables) scroll sideways in
   their own box, the page itself never does (WCAG 1.4.10 lets two-dimensional data tables
   scroll). The box is a labelled region reachable with the keyboard, so it can be scrolled
   without a mouse. Tables already in a .table-responsive box get the same label and focus. */
(function () {
  "use strict";
  function label(table) {
    var caption = table.querySelector("caption");
    var text = caption ? caption.textContent.trim() : "";
    return (text ? text + " — " : "") + (document.documentElement.lang === "en" ? "table, scroll sideways" : "tableau, défilement horizontal");
  }
  function region(box, table) {
    box.classList.add("halle-scroll");
    if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    if (!box.hasAttribute("role")) box.setAttribute("role", "region");
    if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", label(table));
  }
  function wrapWideTables() {
    var tables = document.querySelectorAll("table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      var parent = table.parentElement;
      if (!parent) continue;
      if (parent.classList.contains("table-responsive") || parent.classList.contains("halle-scroll")) {
        if (parent.scrollWidth > parent.clientWidth + 1) region(parent, table);
        continue;
      }
      if (table.getBoundingClientRect().width <= parent.clientWidth + 1) continue;
      var box = document.createElement("div");
      parent.insertBefore(box, table);
      box.appendChild(table);
      region(box, table);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wrapWideTables);
  } else {
    wrapWideTables();
  }
})();
