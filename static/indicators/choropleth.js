/* Choropleth maps for the indicator pages.
 * A django-leaflet map whose element has data-choropleth-id names a <script type="application/json">
 * with a FeatureCollection; each feature's properties give name, url, value (formatted), unit,
 * className (the colour class, the same as the legend's swatch) and classLabel.
 * Colours come from CSS classes (static/css/site.css), so no inline styles are needed; the
 * tooltip and popup are built from text nodes. The legend and a table are in the page itself. */
(function () {
  "use strict";

  function describe(props) {
    var text = props.name + ": " + props.value;
    if (props.unit && props.classLabel) {
      text += " " + props.unit;
    }
    if (props.prioritised) {
      text += " (" + props.prioritised + ")";
    }
    return text;
  }

  function popupContent(props) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.name;
    var heading = document.createElement("strong");
    heading.appendChild(link);
    box.appendChild(heading);
    var value = document.createElement("p");
    value.textContent = props.value + (props.classLabel && props.unit ? " " + props.unit : "");
    box.appendChild(value);
    if (props.prioritised) {
      var mark = document.createElement("p");
      mark.textContent = "\u2605 " + props.prioritised;
      box.appendChild(mark);
    }
    return box;
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var element = map.getContainer();
    var sourceId = element.dataset.choroplethId;
    if (!sourceId) {
      return;
    }
    var source = document.getElementById(sourceId);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return {
          className:
            "choropleth-area " +
            (feature.properties.className || "choropleth-none") +
            (feature.properties.prioritised ? " choropleth-prioritised" : ""),
          color: "#1b1f23",
          weight: 1,
          opacity: 0.9,
          fillOpacity: 0.85,
        };
      },
      onEachFeature: function (feature, area) {
        var props = feature.properties || {};
        area.bindTooltip(describe(props), { sticky: true });
        if (props.url) {
          area.bindPopup(popupContent(props));
        }
      },
    }).addTo(map);
    map.on("popupopen", function (e) {
      var link = e.popup.getElement().querySelector("a[href]");
      if (link) {
        link.focus();
      }
    });
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12], animate: false });
    }
    element.dataset.areaCount = String(layer.getLayers().length);
    element.dataset.choroplethReady = "true";
  });
})();
