/* Placed comments in the citizen dialogue (dialogue/), on top of static/js/maps.js.
 *
 * The contribution form's map ([data-place-picker] around the map): a click or tap inside the
 * outlined area (the GeoJSON of the map's data-features-id, drawn by maps.js) writes the point
 * into the form's labelled latitude and longitude inputs (data-latitude-id, data-longitude-id)
 * and says so in the status line (data-status-id); typing in the inputs moves the marker.
 * The inputs are the form: without JavaScript, or without a pointer, they are filled in by
 * hand, and the server checks the point against the same area.
 *
 * The closed round's density map ([data-place-density] = id of a JSON FeatureCollection of
 * points with a "count"): a circle per place, its size and its label the count; the table
 * beside it holds the same numbers. */
(function () {
  "use strict";

  function inRing(lon, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (yi > lat !== yj > lat && lon < xi + ((lat - yi) * (xj - xi)) / (yj - yi)) {
        inside = !inside;
      }
    }
    return inside;
  }

  function inGeometry(lon, lat, geometry) {
    if (!geometry) {
      return false;
    }
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return (polygons || []).some(function (rings) {
      return (
        rings.length &&
        inRing(lon, lat, rings[0]) &&
        !rings.slice(1).some(function (hole) {
          return inRing(lon, lat, hole);
        })
      );
    });
  }

  function readJSON(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function startPicker(map, element, picker) {
    var latInput = document.getElementById(picker.dataset.latitudeId);
    var lonInput = document.getElementById(picker.dataset.longitudeId);
    var status = document.getElementById(picker.dataset.statusId);
    var areas = readJSON(element.dataset.featuresId);
    var features = (areas && areas.features) || [];
    var marker = null;
    if (!latInput || !lonInput) {
      return;
    }
    element.classList.add("place-picker-map");

    function inside(latlng) {
      return (
        !features.length ||
        features.some(function (feature) {
          return inGeometry(latlng.lng, latlng.lat, feature.geometry);
        })
      );
    }

    function show(latlng) {
      if (!marker) {
        marker = L.marker(latlng, {
          title: picker.dataset.markerTitle,
          alt: picker.dataset.markerTitle,
          keyboard: false,
        }).addTo(map);
      } else {
        marker.setLatLng(latlng);
      }
    }

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function fromInputs() {
      var lat = parseFloat(latInput.value.replace(",", "."));
      var lon = parseFloat(lonInput.value.replace(",", "."));
      if (isFinite(lat) && isFinite(lon)) {
        show(L.latLng(lat, lon));
      } else if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
    }

    map.on("click", function (event) {
      var latlng = event.latlng;
      if (!inside(latlng)) {
        say(picker.dataset.outsideText);
        return;
      }
      var lat = latlng.lat.toFixed(6);
      var lon = latlng.lng.toFixed(6);
      latInput.value = lat;
      lonInput.value = lon;
      show(latlng);
      say(picker.dataset.placedText.replace("{lat}", lat).replace("{lon}", lon));
      element.dataset.placed = "true";
    });
    latInput.addEventListener("change", fromInputs);
    lonInput.addEventListener("change", fromInputs);
    fromInputs();
  }

  function startDensity(map, wrapper) {
    var data = readJSON(wrapper.dataset.placeDensity);
    var group = L.featureGroup().addTo(map);
    ((data && data.features) || []).forEach(function (feature) {
      if (!feature.geometry) {
        return;
      }
      var count = (feature.properties && feature.properties.count) || 0;
      var c = feature.geometry.coordinates;
      L.circleMarker([c[1], c[0]], {
        radius: 8 + 5 * Math.sqrt(count),
        color: "#6a3d00",
        weight: 2,
        fillColor: "#d98a1a",
        fillOpacity: 0.45,
        interactive: false,
      })
        .bindTooltip(String(count), {
          permanent: true,
          direction: "center",
          className: "density-label",
        })
        .addTo(group);
    });
    var bounds = group.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 16, animate: false });
    }
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var element = map.getContainer();
    var picker = element.closest("[data-place-picker]");
    if (picker) {
      startPicker(map, element, picker);
    }
    var density = element.closest("[data-place-density]");
    if (density) {
      startDensity(map, density);
    }
  });
})();
