/* Södertörn analysis: with JavaScript, the year changes in place and a button plays through
 * the years. Without it, the GET form does the same by loading the page again.
 * The server puts every year's bubble positions and formatted values in the json_script
 * #bubble-frames: {"years": [...], "frames": {"2016": {"<key>": {cx, cy, r, x, y, size}}},
 * "labels": {"2016": {"<width class>": {"<key>": [x, y, text-anchor]}}}}: the labels of each
 * year placed (without overlaps) for each width class's set of labels; a key left out has no
 * room that year and its label is hidden. Labels are hidden while the bubbles move.
 * Only attributes, classes and text are changed (no inline styles: the CSP forbids them). */
(function () {
  "use strict";

  var STEP_MS = 1200;
  var MOVE_MS = 600;

  function init() {
    var source = document.getElementById("bubble-frames");
    var svg = document.getElementById("bubble-chart");
    var form = document.getElementById("analysis-form");
    if (!source || !svg || !form) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var years = data.years.map(String);
    var select = form.querySelector("select[name=year]");
    var playBox = document.getElementById("play-controls");
    var playButton = document.getElementById("play-button");
    var status = document.getElementById("bubble-status");
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var circles = svg.querySelectorAll("circle.bubble");
    var labelSets = {};
    svg.querySelectorAll("g[data-labels]").forEach(function (group) {
      var set = {};
      group.querySelectorAll("text.bubble-label").forEach(function (label) {
        set[label.dataset.key] = label;
      });
      labelSets[group.dataset.labels] = set;
    });
    var rows = {};
    document.querySelectorAll("#bubble-table tbody tr[data-key]").forEach(function (row) {
      rows[row.dataset.key] = row;
    });
    var current = svg.dataset.year;
    var timer = null;
    var animation = null;

    function setText(row, column, text, raw) {
      var cell = row && row.querySelector("[data-col=" + column + "]");
      if (cell) {
        cell.textContent = text;
        cell.dataset.value = raw;
      }
    }

    function place(circle, cx, cy, r) {
      circle.setAttribute("cx", cx.toFixed(1));
      circle.setAttribute("cy", cy.toFixed(1));
      circle.setAttribute("r", r.toFixed(1));
    }

    function placeLabels(year) {
      var spots = (data.labels || {})[year] || {};
      Object.keys(labelSets).forEach(function (name) {
        var placed = spots[name] || {};
        var set = labelSets[name];
        Object.keys(set).forEach(function (key) {
          var label = set[key];
          var spot = placed[key];
          if (!spot) {
            label.classList.add("is-hidden");
            return;
          }
          label.setAttribute("x", spot[0]);
          label.setAttribute("y", spot[1]);
          label.setAttribute("text-anchor", spot[2]);
          label.classList.remove("is-hidden");
        });
      });
    }

    function show(year, announce) {
      year = String(year);
      var frame = data.frames[year];
      if (!frame) {
        return;
      }
      current = year;
      svg.dataset.year = year;
      var moves = [];
      circles.forEach(function (circle) {
        var key = circle.dataset.key;
        var point = frame[key];
        var row = rows[key];
        if (!point) {
          circle.classList.add("is-hidden");
          ["x", "y", "size"].forEach(function (column) { setText(row, column, "–", ""); });
          circle.dataset.x = circle.dataset.y = circle.dataset.size = "";
          return;
        }
        var wasHidden = circle.classList.contains("is-hidden");
        circle.classList.remove("is-hidden");
        circle.dataset.x = point.xr;
        circle.dataset.y = point.yr;
        circle.dataset.size = point.sr;
        var title = circle.querySelector("title");
        if (title) {
          var name = title.textContent.split(":")[0];
          title.textContent = name + ": " + point.x + " / " + point.y + (point.sr ? " / " + point.size : "");
        }
        setText(row, "x", point.x, point.xr);
        setText(row, "y", point.y, point.yr);
        setText(row, "size", point.size, point.sr);
        var to = [parseFloat(point.cx), parseFloat(point.cy), parseFloat(point.r)];
        var from = wasHidden
          ? to
          : [parseFloat(circle.getAttribute("cx")), parseFloat(circle.getAttribute("cy")), parseFloat(circle.getAttribute("r"))];
        moves.push({ circle: circle, from: from, to: to });
      });
      animate(moves, function () { placeLabels(year); });
      document.querySelectorAll(".js-year").forEach(function (node) { node.textContent = year; });
      var watermark = document.getElementById("bubble-year");
      if (watermark) watermark.textContent = year;
      var heading = svg.querySelector("title");
      if (heading) heading.textContent = heading.textContent.replace(/\d{4}$/, year);
      if (select) select.value = year;
      var url = new URL(window.location.href);
      url.searchParams.set("year", year);
      window.history.replaceState(null, "", url);
      if (announce && status) {
        status.textContent = (status.dataset.template || "{year}").replace("{year}", year);
      }
    }

    function animate(moves, done) {
      if (animation) {
        window.cancelAnimationFrame(animation);
        animation = null;
      }
      if (reduceMotion) {
        moves.forEach(function (m) { place(m.circle, m.to[0], m.to[1], m.to[2]); });
        done();
        return;
      }
      svg.classList.add("is-moving");
      var start = null;
      function step(now) {
        if (start === null) start = now;
        var t = Math.min(1, (now - start) / MOVE_MS);
        var ease = t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
        moves.forEach(function (m) {
          place(
            m.circle,
            m.from[0] + (m.to[0] - m.from[0]) * ease,
            m.from[1] + (m.to[1] - m.from[1]) * ease,
            m.from[2] + (m.to[2] - m.from[2]) * ease
          );
        });
        animation = t < 1 ? window.requestAnimationFrame(step) : null;
        if (!animation) {
          svg.classList.remove("is-moving");
          done();
        }
      }
      animation = window.requestAnimationFrame(step);
    }

    function stop(announce) {
      if (timer) {
        window.clearInterval(timer);
        timer = null;
      }
      playButton.setAttribute("aria-pressed", "false");
      playButton.textContent = playButton.dataset.playLabel;
      if (announce && status) {
        status.textContent = (status.dataset.template || "{year}").replace("{year}", current);
      }
    }

    function play() {
      var index = years.indexOf(current);
      if (index < 0 || index >= years.length - 1) {
        index = 0;
        show(years[0], false);
      }
      playButton.setAttribute("aria-pressed", "true");
      playButton.textContent = playButton.dataset.pauseLabel;
      timer = window.setInterval(function () {
        var next = years.indexOf(current) + 1;
        if (next >= years.length) {
          stop(true);
          return;
        }
        show(years[next], false);
        if (next === years.length - 1) {
          stop(true);
        }
      }, STEP_MS);
    }

    if (select) {
      select.addEventListener("change", function () {
        stop(false);
        show(select.value, true);
      });
    }
    if (playBox && playButton && years.length > 1) {
      playBox.hidden = false;
      playButton.addEventListener("click", function () {
        if (timer) {
          stop(true);
        } else {
          play();
        }
      });
    }
    svg.dataset.ready = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
