/* On every page (templates/oscar/base.html).

   1. Data tables wider than the screen (a phone, the dashboard's long tables) scroll sideways in
   their own box, the page itself never does (WCAG 1.4.10 lets two-dimensional data tables
   scroll). The box is a labelled region reachable with the keyboard, so it can be scrolled
   without a mouse. Tables already in a .table-responsive box get the same label and focus.
   2. Names for controls Oscar's dashboard renders without one (its bulk-selection check boxes,
      the search box select2 adds, sort links of empty column headers) and list roles for its
      bar chart, which is not a definition list. */
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
  var fr = document.documentElement.lang !== "en";
  function rowName(input) {
    var row = input.closest("tr");
    if (!row) return "";
    var cells = row.querySelectorAll("td, th");
    for (var i = 0; i < cells.length; i++) {
      var text = cells[i].textContent.trim().replace(/\s+/g, " ");
      if (text) return text.slice(0, 60);
    }
    return "";
  }
  function hasName(el) {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.closest("label")) return true;
    return !!(el.id && document.querySelector('label[for="' + el.id.replace(/"/g, '\\"') + '"]'));
  }
  function nameControls(root) {
    var boxes = root.querySelectorAll('input[type="checkbox"], input[type="radio"]');
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (hasName(box)) continue;
      if (box.name === "select_all") box.setAttribute("aria-label", fr ? "Tout sélectionner" : "Select all");
      else box.setAttribute("aria-label", (fr ? "Sélectionner " : "Select ") + rowName(box));
    }
    var searches = root.querySelectorAll(".select2-search__field");
    for (var j = 0; j < searches.length; j++) {
      if (hasName(searches[j])) continue;
      var container = searches[j].closest(".select2-container");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
      searches[j].setAttribute("aria-label", label ? label.textContent.trim() : (fr ? "Rechercher" : "Search"));
    }
    var links = root.querySelectorAll("a[href]");
    for (var k = 0; k < links.length; k++) {
      var link = links[k];
      if (link.textContent.trim() || hasName(link) || link.querySelector("img[alt]:not([alt=''])")) continue;
      link.setAttribute("aria-label", link.getAttribute("title") || (fr ? "Trier" : "Sort"));
    }
    var fields = root.querySelectorAll('td input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([type="submit"]), td select');
    for (var f = 0; f < fields.length; f++) {
      if (!hasName(fields[f])) fields[f].setAttribute("aria-label", (fr ? "Quantité — " : "Quantity — ") + rowName(fields[f]));
    }
    var frames = root.querySelectorAll("iframe:not([title])");
    for (var g = 0; g < frames.length; g++) frames[g].setAttribute("title", fr ? "Aperçu" : "Preview");
    // Oscar's tab lists hold <li> wrappers (presentation) around their tabs; its dashboard menu a <form> in a <ul>.
    var wrappers = root.querySelectorAll('[role="tablist"] > li');
    for (var h = 0; h < wrappers.length; h++) {
      wrappers[h].setAttribute("role", "presentation");
      wrappers[h].removeAttribute("tabindex");
    }
    var tabs = root.querySelectorAll('[role="tablist"] > a:not([role]), [role="tablist"] > li > a:not([role])');
    for (var t = 0; t < tabs.length; t++) {
      tabs[t].setAttribute("role", "tab");
      tabs[t].setAttribute("aria-selected", tabs[t].classList.contains("active") ? "true" : "false");
    }
    var strays = root.querySelectorAll("ul > form, ol > form");
    for (var q = 0; q < strays.length; q++) {
      var item = document.createElement("li");
      item.className = "nav-item";
      strays[q].parentElement.insertBefore(item, strays[q]);
      item.appendChild(strays[q]);
    }
    var charts = root.querySelectorAll("dl.bar-chart");
    for (var m = 0; m < charts.length; m++) {
      charts[m].setAttribute("role", "list");
      var bars = charts[m].children;
      for (var n = 0; n < bars.length; n++) bars[n].setAttribute("role", "listitem");
    }
  }
  function skipTarget() {
    // Oscar's dashboard has no #contenu: the skip link leads to its content area instead.
    if (document.getElementById("contenu")) return;
    var content = document.querySelector("main:not([id]), [role=main]:not([id]), .page-content:not([id]), .content:not([id])");
    if (content) {
      content.id = "contenu";
      if (!content.hasAttribute("tabindex")) content.setAttribute("tabindex", "-1");
    }
  }
  function start() {
    skipTarget();
    wrapWideTables();
    nameControls(document);
    // select2 builds its search boxes after the page is ready.
    if (window.MutationObserver) {
      new MutationObserver(function (changes) {
        for (var i = 0; i < changes.length; i++) {
          for (var j = 0; j < changes[i].addedNodes.length; j++) {
            var node = changes[i].addedNodes[j];
            if (node.nodeType === 1) nameControls(node.parentElement || node);
          }
        }
      }).observe(document.body, {childList: true, subtree: true});
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
