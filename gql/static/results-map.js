// The results view's map: records with coordinates on the bundled Natural Earth 1:110m outline
// (window.EventqlWorld, from world-110m.js; no tiles, nothing fetched), in a local
// equirectangular view around the points, each mark styled by what its coordinates stand for.
window.EventqlMap = (function () {
  "use strict";

  var charts = window.EventqlCharts;
  var svgElement = charts.svgElement;
  var svgRoot = charts.svgRoot;
  var tooltip = charts.tooltip;
  var clickable = charts.clickable;
  var WIDTH = charts.WIDTH;

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
        tooltip(circle, String(record.title || record.name || record.slug || "record") + (place ? " — " + place : "") + " (" + style.label + ")");
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

  return { mapChart: mapChart, mapLegend: mapLegend };
})();
