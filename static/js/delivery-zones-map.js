/* Halle — the delivery zones on the manager's page (only when map tiles are configured,
 * HALLE_MAP_TILE_URL; none offline). Each zone's radius is a circle and its GeoJSON polygon a
 * shape, labelled with the parcels booked and left in its coming windows. Data come from the
 * #delivery-zones-data JSON block (no inline script: the site's CSP). */
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("delivery-zones-map");
    var data = document.getElementById("delivery-zones-data");
    if (!element || !data || !window.L) { return; }
    var zones = JSON.parse(data.textContent);
    var map = window.L.map(element, { scrollWheelZoom: false });
    window.L.tileLayer(element.dataset.tileUrl, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
    var group = window.L.featureGroup().addTo(map);
    zones.forEach(function (zone) {
      var label = zone.name + " — " + zone.booked + " colis réservés, " + zone.left + " restants";
      if (zone.radius) {
        window.L.circle([zone.lat, zone.lon], { radius: zone.radius }).bindTooltip(label).addTo(group);
      }
      if (zone.polygon) {
        window.L.geoJSON(zone.polygon).bindTooltip(label).addTo(group);
      }
      if (!zone.radius && !zone.polygon) {
        window.L.circleMarker([zone.lat, zone.lon]).bindTooltip(label).addTo(group);
      }
    });
    map.fitBounds(group.getBounds(), { padding: [10, 10] });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
