/* Public maps: starts every map and fills it with the GeoJSON named by its data attributes.
 *   data-map-options   django-leaflet's options (tiles, attribution, centre, zoom from
 *                      settings.LEAFLET_CONFIG, {% map_options %}): the map is started here
 *                      with L.Map.djangoMap on window load, as django-leaflet's inline start-up
 *                      script would (none is written: the CSP allows scripts from 'self' only)
 *   data-geojson-url   a FeatureCollection fetched from the portal (same filters as the list)
 *   data-features-id   id of a <script type="application/json"> holding a FeatureCollection
 *   data-list-label    optional: a collapsible list of the fetched testbeds (links) is added
 *                      under the map, its text alternative where the page lists only some
 *   data-zoom-in-label, data-zoom-out-label   translated names of Leaflet's zoom buttons
 *   data-base-map-url, data-base-map-groups   the boundaries drawn under the tiles, so the map
 *                      reads without them (static/js/basemap.js, loaded before this file)
 * data-loaded="true" once the map's data and its base layer are drawn (or have failed).
 * Markers are keyboard-focusable and named by the testbed title; popups are built from
 * text nodes (never innerHTML), so titles cannot inject markup. */
(function () {
  "use strict";

  var AREA_STYLE = { color: "#005a4a", weight: 2, fillColor: "#2f8f7a", fillOpacity: 0.15 };

  function popupContent(props) {
    var box = document.createElement("div");
    var heading = document.createElement("strong");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.title;
    heading.appendChild(link);
    box.appendChild(heading);
    var details = [props.status_label, (props.municipalities || []).join(", "), props.place]
      .filter(Boolean)
      .join(" · ");
    if (details) {
      var meta = document.createElement("p");
      meta.textContent = details;
      box.appendChild(meta);
    }
    return box;
  }

  function featureLayer(data) {
    return L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var title = (feature.properties && feature.properties.title) || "";
        return L.marker(latlng, { title: title, alt: title, keyboard: true, riseOnHover: true });
      },
      style: function () {
        return AREA_STYLE;
      },
      onEachFeature: function (feature, layer) {
        var props = feature.properties || {};
        if (props.url) {
          layer.bindPopup(popupContent(props));
        }
      },
    });
  }

  function showError(element) {
    var note = document.createElement("p");
    note.className = "map-error";
    note.setAttribute("role", "status");
    note.textContent = element.dataset.loadingError;
    element.insertAdjacentElement("afterend", note);
  }

  function addList(element, data) {
    var label = element.dataset.listLabel;
    var items = ((data && data.features) || []).filter(function (feature) {
      return feature.properties && feature.properties.url && feature.properties.title;
    });
    if (!label || !items.length) {
      return;
    }
    var details = document.createElement("details");
    details.className = "map-list";
    var summary = document.createElement("summary");
    summary.textContent = label + " (" + items.length + ")";
    var list = document.createElement("ul");
    items.forEach(function (feature) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = feature.properties.url;
      link.textContent = feature.properties.title;
      item.appendChild(link);
      if (feature.properties.status_label) {
        item.appendChild(document.createTextNode(" · " + feature.properties.status_label));
      }
      list.appendChild(item);
    });
    details.appendChild(summary);
    details.appendChild(list);
    (element.closest("figure") || element).insertAdjacentElement("afterend", details);
  }

  function nameZoomButtons(element) {
    [
      [".leaflet-control-zoom-in", element.dataset.zoomInLabel],
      [".leaflet-control-zoom-out", element.dataset.zoomOutLabel],
    ].forEach(function (pair) {
      var button = element.querySelector(pair[0]);
      if (button && pair[1]) {
        button.title = pair[1];
        button.setAttribute("aria-label", pair[1]);
      }
    });
  }

  function fit(map, group) {
    var bounds = group.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15, animate: false });
    }
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var element = map.getContainer();
    var base = window.SodertornBaseMap ? window.SodertornBaseMap.add(map) : Promise.resolve();
    var group = L.featureGroup().addTo(map);
    nameZoomButtons(element);

    map.on("popupopen", function (e) {
      var link = e.popup.getElement().querySelector("a[href]");
      if (link) {
        link.focus();
      }
    });

    var inlineId = element.dataset.featuresId;
    var inline = inlineId && document.getElementById(inlineId);
    if (inline) {
      featureLayer(JSON.parse(inline.textContent)).addTo(group);
      fit(map, group);
    }

    var url = element.dataset.geojsonUrl;
    if (!url) {
      base.then(function () {
        element.dataset.loaded = "true";
      });
      return;
    }
    var features = fetch(url, {
      headers: { Accept: "application/geo+json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("GeoJSON " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var layer = featureLayer(data).addTo(group);
        element.dataset.markerCount = String(layer.getLayers().length);
        addList(element, data);
        fit(map, group);
      })
      .catch(function () {
        showError(element);
      });
    Promise.all([base, features]).then(function () {
      element.dataset.loaded = "true";
    });
  });

  // Each map sends "map:init" (above, and static/indicators/choropleth.js listens too: every
  // deferred script has run by the load event).
  function startMaps() {
    document.querySelectorAll("[data-map-options]").forEach(function (element) {
      L.Map.djangoMap(element.id, {
        djoptions: JSON.parse(element.dataset.mapOptions),
        globals: false,
        callback: null,
      });
    });
  }

  if (document.readyState === "complete") {
    startMaps();
  } else {
    window.addEventListener("load", startMaps);
  }
})();
