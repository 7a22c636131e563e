/* The map of the urban files (@@urban-map), and any page that holds an element
 * with data-settings in the same shape. Reads the files from settings.source
 * (GeoJSON, the REST endpoint @urban-geojson), the tiles from settings.tile_url
 * and the WMS layers from settings.wms. The page's table lists the same files,
 * so a failure here (no tiles, no script) hides nothing. Texts go in as text. */
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
    var link = line(box, properties.reference || properties.title, "a");
    link.href = properties.url;
    line(box, properties.subject);
    if (properties.licence_type_title) {
      line(box, properties.licence_type_title);
    }
    if (properties.address) {
      line(box, properties.address);
    }
    line(box, properties.state_title);
    return box;
  }

  function start(box) {
    if (typeof L === "undefined") {
      return;
    }
    var settings = JSON.parse(box.dataset.settings);
    box.textContent = "";
    var map = L.map(box).setView([settings.latitude, settings.longitude], settings.zoom);
    L.tileLayer(settings.tile_url, {
      attribution: settings.attribution,
      maxZoom: 19
    }).addTo(map);
    var overlays = {};
    (settings.wms || []).forEach(function (wms) {
      overlays[wms.title] = L.tileLayer.wms(wms.url, {
        layers: wms.layers,
        format: "image/png",
        transparent: true
      });
    });
    if (Object.keys(overlays).length) {
      L.control.layers({}, overlays).addTo(map);
    }
    fetch(settings.source, { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        var focused = null;
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            var label = (feature.properties.reference || "") + " " + feature.properties.subject;
            return L.marker(latlng, { alt: label, title: label });
          },
          onEachFeature: function (feature, marker) {
            marker.bindPopup(popup(feature.properties));
            if (settings.focus && feature.properties.uid === settings.focus) {
              focused = marker;
            }
          }
        }).addTo(map);
        if (focused) {
          map.setView(focused.getLatLng(), 17);
          focused.openPopup();
        } else if (layer.getLayers().length) {
          map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [24, 24] });
        }
      })
      .catch(function () {
        /* the table lists the files */
      });
  }

  function startAll() {
    document.querySelectorAll("[data-settings].urban-map").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
