/*
 * Map widget for the curators' admin (sodertorn/geo/widgets.py MapWidget).
 *
 * Finds every element with data-testbed-map, reads the ids of the latitude, longitude and
 * GeoJSON area inputs from its data- attributes, and keeps map and inputs in step:
 * - a click on the map places the point (and creates the marker if absent); the marker can
 *   be dragged; both write latitude and longitude with six decimals;
 * - typing in the latitude and longitude inputs moves the marker;
 * - Leaflet.draw (polygon and rectangle, with edit and delete) writes the area into the
 *   text area as a GeoJSON Polygon, or a MultiPolygon for several shapes, and empties it
 *   when everything is deleted; valid GeoJSON typed into the text area is drawn.
 * Plain ES2017, no build step, no inline code: the Content-Security-Policy forbids it.
 */
(function () {
  "use strict";

  var DECIMALS = 6;

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function readNumber(input, limit) {
    if (!input) {
      return null;
    }
    var text = input.value.trim().replace(",", ".");
    if (text === "") {
      return null;
    }
    var number = Number(text);
    if (!isFinite(number) || Math.abs(number) > limit) {
      return null;
    }
    return number;
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* Deep-merge translated strings into Leaflet.draw's L.drawLocal. */
  function mergeStrings(target, source) {
    Object.keys(source).forEach(function (key) {
      if (isPlainObject(source[key]) && isPlainObject(target[key])) {
        mergeStrings(target[key], source[key]);
      } else {
        target[key] = source[key];
      }
    });
  }

  /* The polygons (each a list of rings of [lon, lat]) of a geometry, Feature or collection. */
  function polygonsOf(value) {
    if (!isPlainObject(value)) {
      return [];
    }
    if (value.type === "Feature") {
      return polygonsOf(value.geometry);
    }
    if (value.type === "FeatureCollection" && Array.isArray(value.features)) {
      return value.features.reduce(function (all, feature) {
        return all.concat(polygonsOf(feature));
      }, []);
    }
    if (value.type === "Polygon" && Array.isArray(value.coordinates)) {
      return [value.coordinates];
    }
    if (value.type === "MultiPolygon" && Array.isArray(value.coordinates)) {
      return value.coordinates.slice();
    }
    return [];
  }

  function initMap(container) {
    if (container.dataset.mapReady) {
      return;
    }
    container.dataset.mapReady = "true";

    var data = container.dataset;
    var latInput = byId(data.latitudeInput);
    var lonInput = byId(data.longitudeInput);
    var areaInput = byId(data.areaInput);
    var center = [Number(data.centerLatitude) || 59.2, Number(data.centerLongitude) || 17.9];
    var zoom = Number(data.zoom) || 9;

    if (data.drawStrings && L.drawLocal) {
      try {
        mergeStrings(L.drawLocal, JSON.parse(data.drawStrings));
      } catch (error) {
        /* keep Leaflet.draw's own English texts */
      }
    }

    var map = L.map(container, { center: center, zoom: zoom });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    L.tileLayer(data.tileUrl, { attribution: data.tileAttribution || "", maxZoom: 19 }).addTo(
      map
    );

    var drawn = new L.FeatureGroup().addTo(map);
    var marker = null;
    var busy = 0; /* drawing, editing or deleting: map clicks belong to Leaflet.draw */

    /* ---- the point ---- */

    function writePoint(latlng) {
      if (latInput) {
        latInput.value = latlng.lat.toFixed(DECIMALS);
      }
      if (lonInput) {
        lonInput.value = latlng.lng.toFixed(DECIMALS);
      }
    }

    function placeMarker(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
        return;
      }
      marker = L.marker(latlng, {
        draggable: true,
        autoPan: true,
        title: data.markerTitle || "",
        alt: data.markerTitle || "",
      }).addTo(map);
      marker.on("dragend", function () {
        writePoint(marker.getLatLng());
      });
    }

    function removeMarker() {
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
    }

    function pointFromInputs() {
      var lat = readNumber(latInput, 90);
      var lon = readNumber(lonInput, 180);
      if (lat !== null && lon !== null) {
        placeMarker(L.latLng(lat, lon));
        return true;
      }
      if (latInput && lonInput && !latInput.value.trim() && !lonInput.value.trim()) {
        removeMarker();
      }
      return false;
    }

    /* ---- the area ---- */

    function areaFromInput() {
      if (!areaInput) {
        return false;
      }
      var text = areaInput.value.trim();
      var polygons = [];
      if (text) {
        var value;
        try {
          value = JSON.parse(text);
        } catch (error) {
          return false; /* the form reports invalid JSON when saved */
        }
        polygons = polygonsOf(value);
        if (!polygons.length) {
          return false;
        }
      }
      var layers = [];
      try {
        layers = polygons.map(function (rings) {
          return L.polygon(L.GeoJSON.coordsToLatLngs(rings, 1));
        });
      } catch (error) {
        return false;
      }
      drawn.clearLayers();
      layers.forEach(function (layer) {
        drawn.addLayer(layer);
      });
      return layers.length > 0;
    }

    function writeArea() {
      if (!areaInput) {
        return;
      }
      var polygons = [];
      drawn.eachLayer(function (layer) {
        if (typeof layer.toGeoJSON !== "function") {
          return;
        }
        var geometry = layer.toGeoJSON(DECIMALS).geometry;
        if (geometry.type === "Polygon") {
          polygons.push(geometry.coordinates);
        } else if (geometry.type === "MultiPolygon") {
          polygons = polygons.concat(geometry.coordinates);
        }
      });
      if (!polygons.length) {
        areaInput.value = "";
      } else if (polygons.length === 1) {
        areaInput.value = JSON.stringify({ type: "Polygon", coordinates: polygons[0] });
      } else {
        areaInput.value = JSON.stringify({ type: "MultiPolygon", coordinates: polygons });
      }
    }

    /* ---- the view ---- */

    function fitView() {
      var bounds = L.latLngBounds([]);
      if (drawn.getLayers().length) {
        bounds.extend(drawn.getBounds());
      }
      if (marker) {
        bounds.extend(marker.getLatLng());
      }
      if (!bounds.isValid()) {
        map.setView(center, zoom, { animate: false });
      } else if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
        map.setView(bounds.getCenter(), 14, { animate: false });
      } else {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16, animate: false });
      }
    }

    /* ---- Leaflet.draw ---- */

    if (areaInput && L.Control.Draw) {
      map.addControl(
        new L.Control.Draw({
          position: "topright",
          draw: {
            polygon: { allowIntersection: false, showArea: false },
            rectangle: { showArea: false },
            polyline: false,
            circle: false,
            circlemarker: false,
            marker: false,
          },
          edit: { featureGroup: drawn, edit: {}, remove: {} },
        })
      );
      map.on(L.Draw.Event.CREATED, function (event) {
        drawn.addLayer(event.layer);
        writeArea();
      });
      map.on(L.Draw.Event.EDITED, writeArea);
      map.on(L.Draw.Event.DELETED, writeArea);
      [
        [L.Draw.Event.DRAWSTART, L.Draw.Event.DRAWSTOP],
        [L.Draw.Event.EDITSTART, L.Draw.Event.EDITSTOP],
        [L.Draw.Event.DELETESTART, L.Draw.Event.DELETESTOP],
      ].forEach(function (pair) {
        map.on(pair[0], function () {
          busy += 1;
        });
        map.on(pair[1], function () {
          /* a click that ends a drawing fires after drawstop: let it pass first */
          window.setTimeout(function () {
            busy = Math.max(0, busy - 1);
          }, 0);
        });
      });
    }

    map.on("click", function (event) {
      if (busy || !(latInput && lonInput)) {
        return;
      }
      placeMarker(event.latlng);
      writePoint(event.latlng);
    });

    [latInput, lonInput].forEach(function (input) {
      if (input) {
        input.addEventListener("input", pointFromInputs);
        input.addEventListener("change", pointFromInputs);
      }
    });
    if (areaInput) {
      areaInput.addEventListener("change", function () {
        if (!busy && areaFromInput()) {
          fitView();
        }
      });
    }

    pointFromInputs();
    areaFromInput();
    fitView();

    /* The map may have been laid out while hidden or still sizing: measure again. */
    window.addEventListener("load", function () {
      map.invalidateSize();
    });
  }

  function initAll() {
    if (typeof L === "undefined") {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-testbed-map]"), initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
