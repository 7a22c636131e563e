/* The public map of the e-desk's open problem reports (@@reports-map).
 * Reads the reports from the page's data-source (GeoJSON) and the tiles from
 * data-tile-url; the table beside it already lists them all, so a failure
 * here (no tiles, no script) hides nothing. Texts are inserted as text. */
(function () {
  "use strict";

  function line(parent, text, tag) {
    var element = document.createElement(tag || "div");
    element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  function popup(properties) {
    var box = document.createElement("div");
    line(box, properties.number + " — " + properties.type, "strong");
    if (properties.address) {
      line(box, properties.address);
    }
    line(box, properties.state_title);
    var created = new Date(properties.created);
    line(box, created.toLocaleDateString(document.documentElement.lang || undefined));
    return box;
  }

  function start() {
    var box = document.getElementById("edesk-reports-map");
    if (!box || typeof L === "undefined") {
      return;
    }
    box.textContent = "";
    var map = L.map(box).setView(
      [parseFloat(box.dataset.latitude), parseFloat(box.dataset.longitude)],
      parseInt(box.dataset.zoom, 10)
    );
    L.tileLayer(box.dataset.tileUrl, {
      attribution: box.dataset.attribution,
      maxZoom: 19
    }).addTo(map);
    fetch(box.dataset.source, { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            var label = feature.properties.number + " " + feature.properties.type;
            return L.marker(latlng, { alt: label, title: label });
          },
          onEachFeature: function (feature, marker) {
            marker.bindPopup(popup(feature.properties));
          }
        }).addTo(map);
        if (layer.getLayers().length) {
          map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [24, 24] });
        }
      })
      .catch(function () {
        /* the table lists the reports */
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
