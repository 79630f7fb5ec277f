// The results view: a GraphiQL plugin that draws the current tab's JSON result as a map,
// timelines and bar charts (results-shapes.js finds them, results-map.js and results-charts.js
// draw them). A
// click on a mark shows its record and evidence sentence below that chart. Plain DOM + SVG:
// React only hosts the panel. Nothing here fetches anything.
window.EventqlResults = (function () {
  "use strict";

  var shapes = window.EventqlResultShapes;
  var charts = window.EventqlCharts;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function code(text) {
    return element("code", "", text);
  }

  function paragraph() {
    var p = element("p", "eventql-note");
    Array.prototype.forEach.call(arguments, function (part) {
      p.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
    return p;
  }

  // ---- the detail box -------------------------------------------------------------------------

  function titleOf(record) {
    var title = record.title || record.name || record.raw || record.slug || record.id;
    if (title !== undefined && title !== null) return String(title);
    if (typeof record.kind === "string") {
      return charts.readable(record.kind) + (typeof record.unit === "string" ? " (" + record.unit + ")" : "");
    }
    return "record";
  }

  // A record's scalar fields, one level of nesting flattened ("location.place"), lists left out.
  function fieldRows(record) {
    var rows = [];
    Object.keys(record).forEach(function (key) {
      var value = record[key];
      if (key === "evidence") return;
      if (value === null || typeof value !== "object") rows.push([key, value]);
      else if (shapes.isObject(value)) {
        Object.keys(value).forEach(function (inner) {
          var v = value[inner];
          if (v === null || typeof v !== "object") rows.push([key + "." + inner, v]);
        });
      }
    });
    return rows.slice(0, 16);
  }

  function evidenceText(record) {
    var evidence = record && record.evidence;
    if (shapes.isObject(evidence) && typeof evidence.text === "string") return evidence.text;
    if (shapes.isObject(evidence) && typeof evidence.locator === "string") return null;
    return undefined; // not selected in the query
  }

  function evidenceBlock(record) {
    var text = evidenceText(record);
    if (typeof text === "string") {
      var quote = element("blockquote", "eventql-evidence", "“" + text + "”");
      return quote;
    }
    if (text === null) {
      var locator = record.evidence.locator;
      return paragraph("No evidence sentence: this record was imported from a row (", code(String(locator)), ").");
    }
    return paragraph("The result carries no evidence sentence for this record: add ", code("evidence { text }"), " to its selection to see it here.");
  }

  // A record: its title, its fields (unless `compact`: one line of date and place), and its
  // evidence sentence.
  function recordBlock(record, compact) {
    var block = element("div", "eventql-record");
    block.appendChild(element("div", "eventql-record-title", titleOf(record)));
    if (compact) {
      var facts = [shapes.isObject(record.date) ? record.date.start : null, record.type ? charts.readable(record.type) : null];
      block.appendChild(element("div", "eventql-subtitle", facts.filter(Boolean).join(" · ")));
    } else {
      var table = element("table", "eventql-fields");
      fieldRows(record).forEach(function (row) {
        var tr = element("tr");
        tr.appendChild(element("th", "", row[0]));
        tr.appendChild(element("td", "", row[1] === null ? "null" : String(row[1])));
        table.appendChild(tr);
      });
      block.appendChild(table);
    }
    // A figure total has no sentence of its own: the figures that went into it have.
    if (Array.isArray(record.figures)) {
      block.appendChild(paragraph(record.figures.length ? "The figures that went into it:" : "No figures listed: select figures { raw evidence { text } } to see them."));
      record.figures.slice(0, 20).forEach(function (figure) {
        if (!shapes.isObject(figure)) return;
        var inner = element("div", "eventql-record eventql-nested");
        inner.appendChild(element("div", "eventql-record-title", titleOf(figure)));
        inner.appendChild(evidenceBlock(figure));
        block.appendChild(inner);
      });
    } else {
      block.appendChild(evidenceBlock(record));
    }
    return block;
  }

  function sameValue(a, b) {
    if (shapes.isObject(a) && shapes.isObject(b)) return titleOf(a) === titleOf(b);
    return a !== undefined && String(a).toLowerCase() === String(b).toLowerCase();
  }

  // The records of the result that a bar or bucket counts, when the query selected them too.
  // Umbrella events (`umbrella: true`) stand for their parts, which grouped counts and
  // timelines count instead, so they are not listed under a bar either.
  function recordsIn(selection, records) {
    records = records.filter(function (record) { return record.umbrella !== true; });
    if (selection.kind === "bucket") {
      return records.filter(function (record) {
        var start = shapes.isObject(record.date) ? record.date.start : record.start;
        return typeof start === "string" && start.slice(0, 10) >= selection.start && start.slice(0, 10) <= selection.end;
      });
    }
    var key = selection.group.labelKey;
    var value = selection.item[key];
    return records.filter(function (record) {
      return key in record && sameValue(record[key], value);
    });
  }

  function showSelection(box, selection, found) {
    box.textContent = "";
    box.hidden = false;
    if (selection.kind === "point") {
      box.appendChild(recordBlock(selection.point.record));
    } else if (selection.kind === "range") {
      box.appendChild(recordBlock(selection.item));
    } else {
      var heading =
        selection.kind === "bucket"
          ? selection.start + (selection.end !== selection.start ? " – " + selection.end : "") + ": " + selection.bucket.count +
            (selection.bucket.spanning ? " (and " + selection.bucket.spanning + " that may start here and run past it)" : "")
          : selection.label + ": " + selection.item.count;
      box.appendChild(element("div", "eventql-record-title", heading));
      var matches = recordsIn(selection, found.records);
      if (!matches.length) {
        box.appendChild(
          paragraph("A count, not a record: the result lists none of the records it counts. Select ", code("nodes { title date { start } evidence { text } }"), " beside the aggregates to see them here."),
        );
      }
      matches.slice(0, 20).forEach(function (record) {
        box.appendChild(recordBlock(record, true));
      });
      if (matches.length > 20) box.appendChild(paragraph("… and " + (matches.length - 20) + " more in the result."));
    }
    box.scrollIntoView({ block: "nearest" });
  }

  // ---- sections -------------------------------------------------------------------------------

  function section(container, title, subtitle) {
    var wrapper = element("section", "eventql-section");
    wrapper.appendChild(element("h3", "", title));
    if (subtitle) wrapper.appendChild(element("div", "eventql-subtitle", subtitle));
    container.appendChild(wrapper);
    var detail = element("div", "eventql-detail");
    detail.hidden = true;
    return {
      add: function (node) { return wrapper.appendChild(node); },
      select: function (found) { return function (selection) { showSelection(detail, selection, found); }; },
      finish: function () { wrapper.appendChild(detail); },
    };
  }

  function mapSection(container, found) {
    var total = found.points.length + found.unplaced.length;
    if (!found.points.length) {
      if (found.unplaced.length) {
        container.appendChild(paragraph("Map: none of the " + found.unplaced.length + " records with a location has coordinates (", code("location { latitude longitude }"), ")."));
      }
      return;
    }
    var subtitle = found.points.length + " record" + (found.points.length === 1 ? "" : "s") + " with coordinates" +
      (found.unplaced.length ? "; " + found.unplaced.length + " of " + total + " with a location have none and are not drawn" : "");
    var s = section(container, "Map", subtitle);
    var map = window.EventqlMap.mapChart(found.points, s.select(found));
    s.add(map.svg);
    s.add(window.EventqlMap.mapLegend(found.points));
    var notes = ["Mark size and style show what the coordinates stand for: the larger and fainter, the less precise."];
    if (map.stacked) notes.push(map.stacked + " at the same spot as another are fanned out around it.");
    if (!map.hasOutline) notes.push("The world outline (world-110m.js) did not load.");
    s.add(paragraph(notes.join(" ")));
    s.finish();
  }

  function chartSections(container, found) {
    found.timelines.forEach(function (timeline) {
      var total = timeline.buckets.reduce(function (sum, b) { return sum + b.count; }, 0);
      var over = timeline.buckets.reduce(function (sum, b) { return sum + (b.spanning || 0); }, 0);
      var s = section(container, "Timeline", timeline.title + " · " + timeline.buckets.length + " buckets, " + total + " records" + (over ? " wholly inside one, " + over + " spanning several" : ""));
      s.add(charts.timelineChart(timeline.buckets, s.select(found)));
      s.finish();
    });
    found.groups.forEach(function (group) {
      var s = section(container, "Counts", group.title + (group.items.length > charts.MAX_ROWS ? " · first " + charts.MAX_ROWS + " of " + group.items.length : ""));
      s.add(charts.countBars(group, s.select(found)));
      s.finish();
    });
    found.ranges.forEach(function (ranges) {
      // Different units (people, cells) never share a scale.
      var units = new Map();
      ranges.items.forEach(function (item) {
        var unit = typeof item.unit === "string" ? item.unit : "";
        if (!units.has(unit)) units.set(unit, []);
        units.get(unit).push(item);
      });
      var first = true;
      units.forEach(function (items, unit) {
        var s = section(container, "Low – best – high", ranges.title + (unit ? " · " + unit : ""));
        s.add(charts.rangeBars(items, ranges.title, s.select(found)));
        if (first) s.add(paragraph("Bars reach the best number; whiskers run from low to high, and an arrow means no upper bound (open-ended, e.g. 'more than')."));
        first = false;
        s.finish();
      });
    });
  }

  var HELP = [
    "Run a query and its result is drawn here: records with ",
    "location { latitude longitude coordinatePrecision }",
    " on a map, ",
    "aggregates { timeline(interval: DAY) { start end count } }",
    " as a timeline, counts such as ",
    "byType",
    " and figure ",
    "totals { kind low best high }",
    " as bars. The example tabs use each of them.",
  ];

  function help() {
    return paragraph.apply(null, HELP.map(function (part, i) { return i % 2 ? code(part) : part; }));
  }

  function renderResult(container, text) {
    if (!text || !text.trim()) {
      container.appendChild(help());
      return;
    }
    var result;
    try {
      result = JSON.parse(text);
    } catch (e) {
      container.appendChild(paragraph("The result is not JSON, so there is nothing to draw."));
      return;
    }
    // A GraphQL response draws its `data`; any other JSON is drawn as it is.
    var response = shapes.isObject(result) && ("data" in result || "errors" in result);
    var data = response ? result.data : result;
    if (response && Array.isArray(result.errors) && result.errors.length) {
      var first = shapes.isObject(result.errors[0]) ? String(result.errors[0].message) : "?";
      container.appendChild(
        paragraph("The result has " + result.errors.length + " error(s), the first: " + first + (data ? ". Drawing the data it has." : ". It has no data to draw.")),
      );
      if (!data) return;
    }
    var found = shapes.find(data);
    var before = container.childNodes.length;
    mapSection(container, found);
    chartSections(container, found);
    if (found.truncated) container.appendChild(paragraph("The result is very large: only its first part was read."));
    if (container.childNodes.length === before) {
      container.appendChild(paragraph("Nothing to draw in this result."));
      container.appendChild(help());
    }
  }

  // Draws `text` (the response pane's content) into `container`; never throws.
  function render(container, text) {
    container.textContent = "";
    try {
      renderResult(container, text);
    } catch (error) {
      container.textContent = "";
      container.appendChild(paragraph("The results view could not draw this result (" + String(error && error.message) + ")."));
    }
  }

  // ---- the GraphiQL plugin --------------------------------------------------------------------

  function Icon() {
    var h = React.createElement;
    return h(
      "svg",
      { viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 1.5, "aria-hidden": true },
      h("path", { d: "M3 21h18M6 17v-5M10 17V7M14 17v-8M18 17V4" }),
    );
  }

  // Follows the response editor: redraws whenever its text changes (a run, a tab switch).
  function Panel() {
    var context = GraphiQL.React.useEditorContext({ nonNull: true, caller: Panel });
    var responseEditor = context.responseEditor;
    var ref = React.useRef(null);
    React.useEffect(
      function () {
        var container = ref.current;
        if (!container) return undefined;
        var draw = function () {
          render(container, responseEditor ? responseEditor.getValue() : "");
        };
        draw();
        if (!responseEditor) return undefined;
        responseEditor.on("change", draw);
        return function () {
          responseEditor.off("change", draw);
        };
      },
      [responseEditor],
    );
    return React.createElement(
      "div",
      { className: "eventql-results" },
      React.createElement("div", { className: "graphiql-doc-explorer-title" }, "Results view"),
      React.createElement("div", { ref: ref, className: "eventql-results-body" }),
    );
  }

  function plugin() {
    return { title: "Results view", icon: Icon, content: Panel };
  }

  return { plugin: plugin, render: render };
})();
