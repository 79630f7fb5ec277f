// The results view's charts, drawn as plain SVG: a timeline, count bars, and low–best–high bars
// with error bars (the map is in results-map.js, on these helpers). Each chart takes the shapes
// found by results-shapes.js and `select(item)`, called when a mark is clicked, and returns an
// element.
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
      role: "group",
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

  // A group's value as a label: enum constants read as words ("STATE_ACTS" → "state acts");
  // other strings (a country code, a name) stay as they are.
  // A group's `keys` (grouped aggregates): its non-null values, a record by its name, and
  // "spans periods" for the group of records dated across periods.
  function keysLabel(keys) {
    var parts = [];
    Object.keys(keys).forEach(function (key) {
      var value = keys[key];
      if (key === "spansPeriods") { if (value === true) parts.push("spans periods"); return; }
      if (value === null || value === undefined || key === "periodEnd") return;
      parts.push(typeof value === "object" ? readable(value) : readable(value));
    });
    return parts.length ? parts.join(" · ") : "(none)";
  }

  function readable(value) {
    if (value === null || value === undefined) return "(none)";
    if (typeof value === "object") {
      var named = value.name || value.title || value.slug || value.id;
      return named ? String(named) : keysLabel(value);
    }
    var text = String(value);
    return /^[A-Z0-9_]+$/.test(text) && (text.length > 3 || text.indexOf("_") >= 0) ? text.replace(/_/g, " ").toLowerCase() : text.replace(/_/g, " ");
  }

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
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
    // A bucket's `spanning` records (dated as a range that runs past it) are drawn lighter, on
    // top of the records wholly inside it: reported, not mistaken for a spike.
    var spanning = function (bucket) { return isFinite(bucket.spanning) ? bucket.spanning : 0; };
    var maxCount = Math.max.apply(null, rows.map(function (row) { return row.bucket.count + spanning(row.bucket); }).concat([1]));
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
      // At least 5 px wide (centred on its span), so a day in a long, sparse timeline stays
      // visible and clickable.
      var span = (row.end - row.start + 1) * perDay;
      var width = Math.max(span - 1, 5);
      var bar = svgElement("rect", {
        x: Math.max(left + (row.start - first) * perDay - Math.max(width - span, 0) / 2, left).toFixed(1),
        y: y(row.bucket.count).toFixed(1),
        width: width.toFixed(1),
        height: Math.max(y(0) - y(row.bucket.count), 1).toFixed(1),
        class: "eventql-timeline-bar",
      });
      var days = row.end > row.start ? dayText(row.start) + " – " + dayText(row.end) : dayText(row.start);
      var over = spanning(row.bucket);
      tooltip(bar, days + ": " + row.bucket.count + (over ? " (and " + over + " spanning beyond it)" : ""));
      svg.appendChild(clickable(bar, function () { select({ kind: "bucket", bucket: row.bucket, start: dayText(row.start), end: dayText(row.end) }); }));
      if (over) {
        var extra = svgElement("rect", {
          x: bar.getAttribute("x"),
          y: y(row.bucket.count + over).toFixed(1),
          width: bar.getAttribute("width"),
          height: Math.max(y(row.bucket.count) - y(row.bucket.count + over), 1).toFixed(1),
          class: "eventql-timeline-spanning",
        });
        tooltip(extra, days + ": " + over + " dated as a range that runs past this bucket");
        svg.appendChild(extra);
      }
    });
    return svg;
  }

  // ---- horizontal bars ----------------------------------------------------------------------

  var ROW = 20;
  var LABEL = 170;
  var MAX_ROWS = 40;

  function barFrame(count, label) {
    var height = count * ROW + 8;
    var svg = svgRoot(height, label);
    return { svg: svg, height: height, plotWidth: WIDTH - LABEL - 70 };
  }

  function rowLabel(svg, index, text) {
    svg.appendChild(tooltip(svgElement("text", { x: LABEL - 6, y: index * ROW + 14, "text-anchor": "end", class: "eventql-bar-label" }, shorten(text, 28)), text));
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
    if (item.keys && typeof item.keys === "object") return readable(item.keys);
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
    svgElement: svgElement,
    svgRoot: svgRoot,
    tooltip: tooltip,
    clickable: clickable,
    WIDTH: WIDTH,
    timelineChart: timelineChart,
    countBars: countBars,
    rangeBars: rangeBars,
    readable: readable,
    MAX_ROWS: MAX_ROWS,
  };
})();
