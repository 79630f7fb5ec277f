// The results view's charts, drawn as plain SVG: a map on the bundled Natural Earth outline
// (window.EventqlWorld, from world-110m.js), a timeline, count bars, and low–best–high bars with
// error bars. Each function takes the shapes found by results-shapes.js and `select(item)`,
// called when a mark is clicked, and returns an element.
window.EventqlCharts = (function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 480;
  var DAY_MS = 86400000;

  function svgElement(name, attributes, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, String(attributes[key]));
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svgRoot(height, label) {
    return svgElement("svg", {
      viewBox: "0 0 " + WIDTH + " " + height,
      width: "100%",
      role: "img",
      "aria-label": label,
      class: "eventql-chart",
    });
  }

  function tooltip(node, text) {
    node.appendChild(svgElement("title", {}, text));
    return node;
  }

  // Clickable and keyboard-reachable: a mark opens its record in the detail box.
  function clickable(node, onClick) {
    node.setAttribute("tabindex", "0");
    node.addEventListener("click", onClick);
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        onClick();
      }
    });
    return node;
  }

  function readable(value) {
    if (value === null || value === undefined) return "(none)";
    if (typeof value === "object") return String(value.name || value.title || value.slug || value.id || "?");
    return String(value).replace(/_/g, " ").toLowerCase();
  }

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  // ---- map ----------------------------------------------------------------------------------

  // How each coordinate precision is drawn: the less precise, the larger and fainter the mark,
  // so a country centroid never looks like an exact site. Order: most precise first.
  var PRECISIONS = [
    { key: "EXACT", label: "exact site", r: 3.5, fill: "#b2182b", opacity: 1, dash: "" },
    { key: "NEAR", label: "within ~25 km", r: 4.5, fill: "#d6604d", opacity: 0.95, dash: "" },
    { key: "SETTLEMENT", label: "town or city centroid", r: 5.5, fill: "#f4a582", opacity: 0.9, dash: "" },
    { key: "ADMIN2", label: "district centroid", r: 8, fill: "#92c5de", opacity: 0.6, dash: "" },
    { key: "ADMIN1", label: "region centroid", r: 11, fill: "#4393c3", opacity: 0.4, dash: "3 2" },
    { key: "REGION", label: "stands for a larger area", r: 14, fill: "#2166ac", opacity: 0.3, dash: "3 2" },
    { key: "COUNTRY", label: "country centroid", r: 17, fill: "#878787", opacity: 0.3, dash: "1 2" },
    { key: "INTERNATIONAL", label: "international waters/airspace", r: 8, fill: "#35978f", opacity: 0.6, dash: "1 2" },
  ];
  var UNKNOWN_PRECISION = { key: "", label: "precision not in the result", r: 5, fill: "#555555", opacity: 0.8, dash: "" };

  function precisionStyle(precision) {
    return (
      PRECISIONS.find(function (style) {
        return style.key === precision;
      }) || UNKNOWN_PRECISION
    );
  }

  // The view: the points' bounding box, padded, at least ~36° × 20° (enough to show the country
  // and its neighbours around a single place), kept within ±85° of latitude.
  function mapView(points, height) {
    var lons = points.map(function (p) { return p.lon; });
    var lats = points.map(function (p) { return p.lat; });
    var west = Math.min.apply(null, lons);
    var east = Math.max.apply(null, lons);
    var south = Math.min.apply(null, lats);
    var north = Math.max.apply(null, lats);
    var lonPad = Math.max((east - west) * 0.15, (36 - (east - west)) / 2, 1);
    var latPad = Math.max((north - south) * 0.15, (20 - (north - south)) / 2, 1);
    west -= lonPad;
    east += lonPad;
    south = Math.max(south - latPad, -85);
    north = Math.min(north + latPad, 85);
    var centreLat = (north + south) / 2;
    // Shrink longitude by cos(latitude) about the centre: a local equirectangular view.
    var kx = Math.max(Math.cos((centreLat * Math.PI) / 180), 0.2);
    var scale = Math.min(WIDTH / ((east - west) * kx), height / (north - south));
    var cx = ((west + east) / 2) * kx;
    var cy = -centreLat;
    return {
      kx: kx,
      scale: scale,
      west: (cx - WIDTH / 2 / scale) / kx,
      east: (cx + WIDTH / 2 / scale) / kx,
      south: -(cy + height / 2 / scale),
      north: -(cy - height / 2 / scale),
      x: function (lon) { return WIDTH / 2 + (lon * kx - cx) * scale; },
      y: function (lat) { return height / 2 + (-lat - cy) * scale; },
      transform: function (shift) {
        return (
          "translate(" + (WIDTH / 2 - cx * scale + shift * kx * scale) + " " + (height / 2 - cy * scale) + ") " +
          "scale(" + kx * scale + " " + scale + ")"
        );
      },
    };
  }

  function graticule(svg, view, height) {
    var span = view.east - view.west;
    var step = span > 120 ? 30 : span > 40 ? 10 : 5;
    var group = svgElement("g", { class: "eventql-graticule" });
    for (var lon = Math.ceil(view.west / step) * step; lon <= view.east; lon += step) {
      group.appendChild(svgElement("line", { x1: view.x(lon), x2: view.x(lon), y1: 0, y2: height }));
    }
    for (var lat = Math.ceil(view.south / step) * step; lat <= view.north; lat += step) {
      group.appendChild(svgElement("line", { x1: 0, x2: WIDTH, y1: view.y(lat), y2: view.y(lat) }));
    }
    svg.appendChild(group);
  }

  function outline(svg, view) {
    var world = window.EventqlWorld;
    if (!world) return false;
    // Copies 360° either side only when the view crosses the antimeridian.
    var shifts = [0];
    if (view.west < -180) shifts.push(-360);
    if (view.east > 180) shifts.push(360);
    shifts.forEach(function (shift) {
      var group = svgElement("g", { transform: view.transform(shift) });
      group.appendChild(svgElement("path", { d: world.land, class: "eventql-land", "vector-effect": "non-scaling-stroke" }));
      group.appendChild(svgElement("path", { d: world.borders, class: "eventql-borders", "vector-effect": "non-scaling-stroke" }));
      svg.appendChild(group);
    });
    return true;
  }

  // Country names where the country is drawn large enough, largest first, none overlapping.
  function countryLabels(svg, view, height) {
    var labels = (window.EventqlWorld && window.EventqlWorld.labels) || [];
    var placed = [];
    var group = svgElement("g", { class: "eventql-country-labels" });
    labels.forEach(function (label) {
      var size = Math.sqrt(label[3]) * view.scale;
      if (size < 30 || placed.length >= 40) return;
      var x = view.x(label[1]);
      var y = view.y(label[2]);
      var half = (label[0].length * 6) / 2;
      if (x - half < 2 || x + half > WIDTH - 2 || y < 10 || y > height - 4) return;
      var box = [x - half, y - 10, x + half, y + 2];
      var overlaps = placed.some(function (other) {
        return box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3];
      });
      if (overlaps) return;
      placed.push(box);
      group.appendChild(svgElement("text", { x: x.toFixed(1), y: y.toFixed(1), "text-anchor": "middle" }, label[0]));
    });
    svg.appendChild(group);
  }

  // Points at the same spot are spread in a small sunflower so each stays visible and clickable.
  function spread(points, view) {
    var byPixel = new Map();
    points.forEach(function (point) {
      var x = view.x(point.lon);
      var y = view.y(point.lat);
      var key = Math.round(x) + "," + Math.round(y);
      if (!byPixel.has(key)) byPixel.set(key, []);
      byPixel.get(key).push({ point: point, x: x, y: y });
    });
    var placed = [];
    byPixel.forEach(function (group) {
      group.forEach(function (mark, i) {
        if (group.length > 1) {
          var radius = 4.5 * Math.sqrt(i + 0.5);
          var angle = i * 2.39996; // the golden angle
          mark.x += radius * Math.cos(angle);
          mark.y += radius * Math.sin(angle);
        }
        placed.push(mark);
      });
    });
    return { marks: placed, stacked: points.length - byPixel.size };
  }

  function mapChart(points, select) {
    var height = 300;
    var svg = svgRoot(height, "map of " + points.length + " records with coordinates");
    svg.classList.add("eventql-map");
    svg.appendChild(svgElement("rect", { x: 0, y: 0, width: WIDTH, height: height, class: "eventql-sea" }));
    var view = mapView(points, height);
    graticule(svg, view, height);
    var hasOutline = outline(svg, view);
    countryLabels(svg, view, height);
    var layout = spread(points, view);
    // Large (imprecise) marks first, so the precise ones are drawn on top of them.
    layout.marks
      .slice()
      .sort(function (a, b) { return precisionStyle(b.point.precision).r - precisionStyle(a.point.precision).r; })
      .forEach(function (mark) {
        var style = precisionStyle(mark.point.precision);
        var record = mark.point.record;
        var place = [mark.point.location.place, mark.point.location.admin1, mark.point.location.countryCode]
          .filter(Boolean)
          .join(", ");
        var circle = svgElement("circle", {
          cx: mark.x.toFixed(1),
          cy: mark.y.toFixed(1),
          r: style.r,
          fill: style.fill,
          "fill-opacity": style.opacity,
          "stroke-dasharray": style.dash,
          class: "eventql-marker",
          "data-precision": style.key || "unknown",
        });
        tooltip(circle, readable(record.title || record.name || record.slug || "record") + (place ? " — " + place : "") + " (" + style.label + ")");
        svg.appendChild(clickable(circle, function () { select({ kind: "point", point: mark.point }); }));
      });
    return { svg: svg, stacked: layout.stacked, hasOutline: hasOutline };
  }

  function mapLegend(points) {
    var counts = new Map();
    points.forEach(function (point) {
      var style = precisionStyle(point.precision);
      counts.set(style, (counts.get(style) || 0) + 1);
    });
    var legend = document.createElement("div");
    legend.className = "eventql-legend";
    PRECISIONS.concat([UNKNOWN_PRECISION]).forEach(function (style) {
      if (!counts.has(style)) return;
      var item = document.createElement("span");
      item.className = "eventql-legend-item";
      var swatch = svgElement("svg", { width: 38, height: 38, viewBox: "-19 -19 38 38" });
      swatch.appendChild(svgElement("circle", { r: style.r, fill: style.fill, "fill-opacity": style.opacity, "stroke-dasharray": style.dash, class: "eventql-marker" }));
      item.appendChild(swatch);
      item.appendChild(document.createTextNode((style.key ? style.key.toLowerCase() + ": " : "") + style.label + " (" + counts.get(style) + ")"));
      legend.appendChild(item);
    });
    return legend;
  }

  // ---- timeline -----------------------------------------------------------------------------

  function dayNumber(text) {
    var parts = String(text).slice(0, 10).split("-").map(Number);
    return Date.UTC(parts[0], parts[1] - 1, parts[2]) / DAY_MS;
  }

  function dayText(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function timelineChart(buckets, select) {
    var height = 170;
    var top = 14;
    var bottom = 26;
    var left = 34;
    var right = 8;
    var rows = buckets
      .map(function (bucket) {
        var start = dayNumber(bucket.start);
        var end = typeof bucket.end === "string" ? dayNumber(bucket.end) : start;
        return { bucket: bucket, start: start, end: Math.max(end, start) };
      })
      .filter(function (row) { return isFinite(row.start); })
      .sort(function (a, b) { return a.start - b.start; });
    var svg = svgRoot(height, "timeline of " + rows.length + " buckets");
    if (!rows.length) return svg;
    var first = rows[0].start;
    var last = rows[rows.length - 1].end + 1;
    var perDay = (WIDTH - left - right) / Math.max(last - first, 1);
    var maxCount = Math.max.apply(null, rows.map(function (row) { return row.bucket.count; }).concat([1]));
    var plotHeight = height - top - bottom;
    var y = function (count) { return top + plotHeight - (count / maxCount) * plotHeight; };
    var axes = svgElement("g", { class: "eventql-axis" });
    axes.appendChild(svgElement("line", { x1: left, x2: WIDTH - right, y1: y(0), y2: y(0) }));
    axes.appendChild(svgElement("line", { x1: left, x2: left, y1: top, y2: y(0) }));
    axes.appendChild(svgElement("text", { x: left - 4, y: y(maxCount) + 4, "text-anchor": "end" }, String(maxCount)));
    axes.appendChild(svgElement("text", { x: left - 4, y: y(0), "text-anchor": "end" }, "0"));
    var ticks = Math.min(4, last - first);
    for (var i = 0; i <= ticks; i++) {
      var day = Math.round(first + ((last - 1 - first) * i) / Math.max(ticks, 1));
      var x = left + (day - first + 0.5) * perDay;
      axes.appendChild(svgElement("line", { x1: x, x2: x, y1: y(0), y2: y(0) + 4 }));
      var anchor = i === 0 ? "start" : i === ticks ? "end" : "middle";
      axes.appendChild(svgElement("text", { x: anchor === "start" ? left : anchor === "end" ? WIDTH - right : x, y: height - 8, "text-anchor": anchor }, dayText(day)));
    }
    svg.appendChild(axes);
    rows.forEach(function (row) {
      var width = Math.max((row.end - row.start + 1) * perDay - 1, 2);
      var bar = svgElement("rect", {
        x: (left + (row.start - first) * perDay).toFixed(1),
        y: y(row.bucket.count).toFixed(1),
        width: width.toFixed(1),
        height: Math.max(y(0) - y(row.bucket.count), 1).toFixed(1),
        class: "eventql-timeline-bar",
      });
      var span = row.end > row.start ? dayText(row.start) + " – " + dayText(row.end) : dayText(row.start);
      tooltip(bar, span + ": " + row.bucket.count);
      svg.appendChild(clickable(bar, function () { select({ kind: "bucket", bucket: row.bucket, start: dayText(row.start), end: dayText(row.end) }); }));
    });
    return svg;
  }

  // ---- horizontal bars ----------------------------------------------------------------------

  var ROW = 20;
  var LABEL = 150;
  var MAX_ROWS = 40;

  function barFrame(count, label) {
    var height = count * ROW + 22;
    var svg = svgRoot(height, label);
    return { svg: svg, height: height, plotWidth: WIDTH - LABEL - 70 };
  }

  function rowLabel(svg, index, text) {
    svg.appendChild(tooltip(svgElement("text", { x: LABEL - 6, y: index * ROW + 14, "text-anchor": "end", class: "eventql-bar-label" }, shorten(text, 24)), text));
  }

  function countBars(group, select) {
    var items = group.items.slice(0, MAX_ROWS);
    var frame = barFrame(items.length, group.title);
    var maxCount = Math.max.apply(null, items.map(function (item) { return item.count; }).concat([1]));
    items.forEach(function (item, index) {
      var label = readable(item[group.labelKey]);
      rowLabel(frame.svg, index, label);
      var width = Math.max((item.count / maxCount) * frame.plotWidth, 1);
      var bar = svgElement("rect", { x: LABEL, y: index * ROW + 3, width: width.toFixed(1), height: ROW - 6, class: "eventql-bar" });
      tooltip(bar, label + ": " + item.count);
      frame.svg.appendChild(clickable(bar, function () { select({ kind: "group", group: group, item: item, label: label }); }));
      frame.svg.appendChild(svgElement("text", { x: LABEL + width + 4, y: index * ROW + 14, class: "eventql-bar-value" }, String(item.count)));
    });
    return frame.svg;
  }

  function rangeLabel(item) {
    var parts = [readable(item.kind || item.name || item.slug || "")];
    if (item.claimant && typeof item.claimant === "object") parts.push("by " + readable(item.claimant));
    if (typeof item.raw === "string") parts.push("“" + item.raw + "”");
    return parts.filter(Boolean).join(" ");
  }

  // One bar per item to its `best` (else `low`), with an error bar from `low` to `high`. A null
  // `high` beside a number means open-ended ('more than 5,100'): the error bar runs off the
  // axis with an arrow. Items without any number get a row saying so.
  function rangeBars(items, title, select) {
    items = items.slice(0, MAX_ROWS);
    var frame = barFrame(items.length, title);
    var num = window.EventqlResultShapes.isNumber;
    var maxValue = Math.max.apply(null, items.map(function (item) {
      return Math.max(num(item.high) ? item.high : 0, num(item.best) ? item.best : 0, num(item.low) ? item.low : 0);
    }).concat([1]));
    var scale = (frame.plotWidth - 24) / maxValue; // room on the right for open-ended arrows
    var end = LABEL + frame.plotWidth;
    items.forEach(function (item, index) {
      var label = rangeLabel(item);
      var mid = index * ROW + ROW / 2;
      var best = num(item.best) ? item.best : num(item.low) ? item.low : null;
      rowLabel(frame.svg, index, label);
      var onClick = function () { select({ kind: "range", item: item, label: label }); };
      if (best === null) {
        var none = svgElement("text", { x: LABEL + 2, y: mid + 4, class: "eventql-bar-none" }, item.high != null ? "up to " + item.high : "no number (unknown or vague)");
        frame.svg.appendChild(clickable(tooltip(none, label), onClick));
        return;
      }
      var bar = svgElement("rect", { x: LABEL, y: index * ROW + 4, width: Math.max(best * scale, 1).toFixed(1), height: ROW - 8, class: "eventql-range-bar" });
      var low = num(item.low) ? item.low : best;
      var open = !num(item.high);
      var x1 = LABEL + low * scale;
      var x2 = open ? end : LABEL + item.high * scale;
      var whisker = svgElement("g", { class: "eventql-error-bar" + (open ? " eventql-open-ended" : "") });
      whisker.appendChild(svgElement("line", { x1: x1, x2: x2, y1: mid, y2: mid }));
      whisker.appendChild(svgElement("line", { x1: x1, x2: x1, y1: mid - 5, y2: mid + 5 }));
      if (open) whisker.appendChild(svgElement("path", { d: "M" + (x2 - 6) + "," + (mid - 4) + "L" + x2 + "," + mid + "L" + (x2 - 6) + "," + (mid + 4) }));
      else whisker.appendChild(svgElement("line", { x1: x2, x2: x2, y1: mid - 5, y2: mid + 5 }));
      var range = "low " + low + ", best " + best + ", high " + (open ? "none (open-ended)" : item.high);
      tooltip(bar, label + ": " + range);
      tooltip(whisker, label + ": " + range);
      frame.svg.appendChild(clickable(bar, onClick));
      frame.svg.appendChild(whisker);
      frame.svg.appendChild(svgElement("text", { x: end + 4, y: mid + 4, class: "eventql-bar-value" }, best.toLocaleString("en") + (open ? "+" : "")));
    });
    return frame.svg;
  }

  return {
    mapChart: mapChart,
    mapLegend: mapLegend,
    timelineChart: timelineChart,
    countBars: countBars,
    rangeBars: rangeBars,
    readable: readable,
    MAX_ROWS: MAX_ROWS,
  };
})();
