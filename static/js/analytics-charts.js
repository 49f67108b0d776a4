/* Draws the statistics pages' charts with Chart.js (static/vendor/chartjs) from the figures
   the page embeds as JSON (<script type="application/json" id="analytics-chart-data">): no
   inline script. Each canvas says which chart it is in data-chart; the same figures are in
   the table beside it, so the page reads the same without JavaScript. */
(function () {
  "use strict";
  var source = document.getElementById("analytics-chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var green = "#1b5e20", amber = "#b45309", grid = "#dee2e6";
  var euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  var count = new Intl.NumberFormat("fr-FR");
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#212529";
  Chart.defaults.animation = reduced ? false : Chart.defaults.animation;

  var builders = {
    series: function (d) {
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { type: "bar", label: "Ventes nettes TTC", data: d.net, backgroundColor: green, yAxisID: "euros", order: 2 },
            { type: "line", label: "Commandes", data: d.orders, borderColor: amber, backgroundColor: amber,
              pointStyle: "rectRot", pointRadius: 4, tension: 0.2, yAxisID: "orders", order: 1 }
          ]
        },
        options: {
          scales: {
            euros: { position: "left", beginAtZero: true, grid: { color: grid }, ticks: { callback: function (v) { return euros.format(v); } } },
            orders: { position: "right", beginAtZero: true, grid: { display: false }, ticks: { precision: 0 } }
          }
        }
      };
    },
    shops: function (d) {
      return {
        type: "bar",
        data: { labels: d.labels, datasets: [{ label: "Ventes nettes TTC", data: d.net, backgroundColor: green }] },
        options: {
          indexAxis: "y",
          scales: { x: { beginAtZero: true, grid: { color: grid }, ticks: { callback: function (v) { return euros.format(v); } } },
                    y: { ticks: { autoSkip: false } } },
          plugins: { legend: { display: false } }
        }
      };
    },
    hours: function (d) {
      return {
        type: "bar",
        data: { labels: d.labels, datasets: [{ label: "Commandes", data: d.orders, backgroundColor: green }] },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } }
      };
    },
    footfall: function (d) {
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { type: "bar", label: "Passages", data: d.passers, backgroundColor: "#90a4ae", yAxisID: "passers", order: 2 },
            { type: "line", label: "Commandes", data: d.orders, borderColor: green, backgroundColor: green,
              pointStyle: "rectRot", pointRadius: 4, yAxisID: "orders", order: 1 }
          ]
        },
        options: {
          scales: {
            passers: { position: "left", beginAtZero: true, ticks: { callback: function (v) { return count.format(v); } } },
            orders: { position: "right", beginAtZero: true, grid: { display: false }, ticks: { precision: 0 } }
          }
        }
      };
    }
  };

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var name = canvas.getAttribute("data-chart");
    var key = canvas.getAttribute("data-key") || name;
    if (!builders[name] || !data[key]) { return; }
    var config = builders[name](data[key]);
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false }, config.options);
    new Chart(canvas, config);
  });
})();
