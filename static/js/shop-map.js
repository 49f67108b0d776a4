/* Halle — the map on a shop's page (progressive enhancement).
 *
 * The page works without it: the address and a link to it are plain HTML.
 * With JavaScript and Leaflet (static/vendor/leaflet), the #shop-map element
 * becomes a small map centred on the shop. Everything comes from data-
 * attributes: data-latitude, data-longitude, data-tile-url, data-attribution,
 * data-label and the marker images (data-marker-icon, -icon-2x, -shadow).
 */
(function () {
  "use strict";

  function initShopMap(element) {
    var lat = parseFloat(element.dataset.latitude);
    var lng = parseFloat(element.dataset.longitude);
    var tileUrl = element.dataset.tileUrl;
    if (!window.L || !tileUrl || !isFinite(lat) || !isFinite(lng)) {
      return;
    }
    element.textContent = "";
    element.classList.add("halle-shop-map--ready");
    var map = window.L.map(element, { scrollWheelZoom: false }).setView([lat, lng], 17);
    window.L.tileLayer(tileUrl, {
      maxZoom: 19,
      attribution: element.dataset.attribution || ""
    }).addTo(map);
    // Explicit icon URLs: Leaflet's own path detection breaks on hashed static file names.
    var icon = window.L.icon({
      iconUrl: element.dataset.markerIcon,
      iconRetinaUrl: element.dataset.markerIcon2x,
      shadowUrl: element.dataset.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41]
    });
    var label = element.dataset.label || "";
    window.L.marker([lat, lng], { icon: icon, alt: label, title: label, keyboard: false }).addTo(map);
  }

  function start() {
    var element = document.getElementById("shop-map");
    if (element) {
      initShopMap(element);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
