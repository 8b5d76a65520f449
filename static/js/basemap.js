/* The base layer of every public map: the municipalities' real boundaries from the portal's own
 * data (sodertorn/geo/basemap.py, one small cacheable GeoJSON for every page), drawn so that a
 * map still reads when no tile loads. static/js/maps.js calls SodertornBaseMap.add(map) for each
 * map it starts; this file is loaded before it (templates/includes/map_assets.html).
 *   data-base-map-url     the GeoJSON (fetched once per page, however many maps)
 *   data-base-map-groups  the groups to draw, space-separated: "programme" (the eight Södertörn
 *                         municipalities, every map) and "comparison" (Stockholm, on the maps
 *                         that show Stockholm's districts)
 * How it reads, with and without tiles:
 * - The boundaries are drawn in a pane of their own under the tile pane (z-index 150 < 200):
 *   a pale, opaque land colour with a dark outline. Without tiles they are the map; when tiles
 *   load, the tiles cover them and the map looks as it did before (OpenStreetMap draws the
 *   municipal borders and names itself). Where a tile is missing, the boundaries show through.
 * - The names are labels at each municipality's centre, in a pane above the map's own areas
 *   (choropleth colours, a testbed's area) and below its markers and popups, never catching the
 *   pointer. They show while the tiles have not loaded (none yet, or some failed) and are
 *   hidden once a round of tiles has loaded without error (the class map-has-tiles on the
 *   map, static/css/site.css): the tiles then carry the names.
 * A label that would overlap an earlier one (the collection's order) is left out at that zoom.
 * The maps' own lists and tables stay the text alternative; the labels are plain text.
 * Sets data-base-map="drawn" (with data-base-map-count) or "failed" on the map element. */
(function () {
  "use strict";

  var BASE_PANE = "basemap";
  var LABEL_PANE = "basemaplabels";
  var TILE_PANE_Z = 200;
  var STYLES = {
    programme: {
      color: "#3b4a43",
      weight: 1.5,
      opacity: 1,
      fillColor: "#f7f5ee",
      fillOpacity: 1,
    },
    comparison: {
      color: "#4f5b63",
      weight: 1.5,
      opacity: 1,
      dashArray: "6 4",
      fillColor: "#eceeea",
      fillOpacity: 1,
    },
  };
  var requests = {};

  function load(url) {
    if (!requests[url]) {
      requests[url] = fetch(url, {
        headers: { Accept: "application/geo+json" },
        credentials: "same-origin",
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("base map " + response.status);
        }
        return response.json();
      });
    }
    return requests[url];
  }

  function pane(map, name, zIndex) {
    var element = map.getPane(name) || map.createPane(name);
    element.style.zIndex = String(zIndex);
    return element;
  }

  // map-has-tiles while the last round of tiles loaded without an error.
  function watchTiles(map, element) {
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer)) {
        return;
      }
      var loaded = 0;
      var failed = 0;
      layer.on("loading", function () {
        loaded = 0;
        failed = 0;
      });
      layer.on("tileload", function () {
        loaded += 1;
      });
      layer.on("tileerror", function () {
        failed += 1;
        element.classList.remove("map-has-tiles");
      });
      layer.on("load", function () {
        element.classList.toggle("map-has-tiles", loaded > 0 && failed === 0);
      });
    });
  }

  // Labels in the collection's order; one that would overlap an earlier one is left out at
  // this zoom (class base-map-label-hidden), so no two names are drawn over each other.
  function placeLabels(labels) {
    var placed = [];
    labels.forEach(function (label) {
      var node = label.getElement();
      if (!node) {
        return;
      }
      node.classList.remove("base-map-label-hidden");
      var box = node.getBoundingClientRect();
      var overlaps = placed.some(function (other) {
        return !(
          box.right < other.left ||
          box.left > other.right ||
          box.bottom < other.top ||
          box.top > other.bottom
        );
      });
      if (overlaps) {
        node.classList.add("base-map-label-hidden");
      } else {
        placed.push(box);
      }
    });
  }

  function addLabel(map, props) {
    var label = L.tooltip({
      pane: LABEL_PANE,
      permanent: true,
      direction: "center",
      interactive: false,
      opacity: 1,
      className: "base-map-label",
    })
      .setLatLng([props.label[1], props.label[0]])
      .setContent(props.name)
      .addTo(map);
    var node = label.getElement();
    if (node) {
      node.removeAttribute("role"); // a place name on the map, not a tooltip of something
    }
    return label;
  }

  function add(map) {
    var element = map.getContainer();
    var url = element.dataset.baseMapUrl;
    if (!url) {
      return Promise.resolve();
    }
    var groups = (element.dataset.baseMapGroups || "programme").split(/\s+/);
    pane(map, BASE_PANE, TILE_PANE_Z - 50);
    pane(map, LABEL_PANE, 450).classList.add("base-map-labels");
    watchTiles(map, element);
    return load(url)
      .then(function (data) {
        var features = (data.features || []).filter(function (feature) {
          return groups.indexOf((feature.properties || {}).group) >= 0;
        });
        L.geoJSON(
          { type: "FeatureCollection", features: features },
          {
            pane: BASE_PANE,
            interactive: false,
            style: function (feature) {
              return STYLES[feature.properties.group] || STYLES.programme;
            },
          }
        ).addTo(map);
        var labels = features
          .filter(function (feature) {
            return feature.properties.label && feature.properties.name;
          })
          .map(function (feature) {
            return addLabel(map, feature.properties);
          });
        placeLabels(labels);
        map.on("zoomend", function () {
          placeLabels(labels);
        });
        element.dataset.baseMapCount = String(features.length);
        element.dataset.baseMap = "drawn";
      })
      .catch(function () {
        element.dataset.baseMap = "failed";
      });
  }

  window.SodertornBaseMap = { add: add };
})();
