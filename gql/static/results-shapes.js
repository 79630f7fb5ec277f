// Finds what the results view can draw in a GraphQL result of any shape: it walks the JSON
// and recognises shapes, not field names of one query, so aliases, nesting and other
// connections work too. Never throws on data: anything unrecognised is skipped.
//
//   points     objects with latitude/longitude (eventql's Location), each tied to the record
//              that holds it (the nearest enclosing object with a title, name, slug or id)
//   unplaced   records with a `location` that has no coordinates (they cannot be drawn)
//   timelines  lists of {start: "YYYY-MM-DD", end?, count}   (aggregates.timeline)
//   groups     lists of {<label>: …, count}                   (byType, bySubType, byKind, …)
//   ranges     lists of objects with low/best/high numbers    (figure totals, figures)
//   records    every record-like object, for drilling down from a bar to the records in it
window.EventqlResultShapes = (function () {
  "use strict";

  var MAX_NODES = 200000; // a walk this long means a huge result: stop rather than freeze
  var MAX_DEPTH = 40;
  var DATE = /^\d{4}-\d{2}-\d{2}/;

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isNumber(value) {
    return typeof value === "number" && isFinite(value);
  }

  function isRecord(value) {
    return (
      isObject(value) &&
      ["title", "name", "slug", "id", "raw"].some(function (key) {
        return typeof value[key] === "string" || typeof value[key] === "number";
      })
    );
  }

  // [longitude, latitude] of an object that carries coordinates, else null.
  function coordinatesOf(value) {
    var lat = [value.latitude, value.lat].find(isNumber);
    var lon = [value.longitude, value.lon, value.lng].find(isNumber);
    if (lat === undefined && Array.isArray(value.coordinates) && value.coordinates.length >= 2) {
      lon = value.coordinates[0];
      lat = value.coordinates[1];
    }
    if (!isNumber(lat) || !isNumber(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 360) return null;
    return [lon, lat];
  }

  function precisionOf(value) {
    var precision = value.coordinatePrecision !== undefined ? value.coordinatePrecision : value.precision;
    return typeof precision === "string" ? precision.toUpperCase() : null;
  }

  function isTimeline(items) {
    return items.every(function (item) {
      return isObject(item) && typeof item.start === "string" && DATE.test(item.start) && isNumber(item.count);
    });
  }

  // The key naming a group: the first key besides `count` holding a scalar or a named object,
  // or the `keys` of a grouped aggregate.
  function groupLabelKey(item) {
    return Object.keys(item).find(function (key) {
      if (key === "count") return false;
      var value = item[key];
      if (key === "keys" && isObject(value)) return true;
      return value === null || typeof value === "string" || typeof value === "number" || isRecord(value);
    });
  }

  function isGroups(items) {
    return items.every(function (item) {
      return isObject(item) && isNumber(item.count) && groupLabelKey(item) !== undefined;
    });
  }

  function isRanges(items) {
    var numbered = 0;
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (!isObject(item) || !("best" in item || "low" in item || "high" in item)) return false;
      if (isNumber(item.best) || isNumber(item.low) || isNumber(item.high)) numbered += 1;
    }
    return numbered > 0;
  }

  // A readable name for a path such as ["events", "aggregates", "byType"].
  function pathTitle(path) {
    var names = path.filter(function (part) {
      return typeof part === "string" && part !== "nodes" && part !== "edges" && part !== "node";
    });
    return names.join(" › ") || "result";
  }

  function find(data) {
    var found = { points: [], unplaced: [], timelines: [], groups: [], ranges: [], records: [], truncated: false };
    var seenPoints = new Map();
    var seenRecords = new Set();
    var visited = 0;

    function identity(record) {
      if (record && (typeof record.id === "string" || typeof record.id === "number")) return "id:" + record.id;
      return record;
    }

    function addPoint(location, coordinates, ancestors) {
      var record = location;
      for (var i = ancestors.length - 1; i >= 0; i--) {
        if (isRecord(ancestors[i])) {
          record = ancestors[i];
          break;
        }
      }
      var key = identity(record);
      if (seenPoints.has(key)) return;
      var point = { lon: coordinates[0], lat: coordinates[1], precision: precisionOf(location), location: location, record: record };
      seenPoints.set(key, point);
      found.points.push(point);
    }

    // Returns whether the list holds ranges: lists inside those (a total's figures) are part of
    // that chart's records, not charts of their own.
    function classify(items, path, inRanges) {
      if (items.length === 0 || !items.every(isObject)) return false;
      var title = pathTitle(path);
      if (isTimeline(items)) found.timelines.push({ title: title, buckets: items });
      else if (isRanges(items)) {
        if (inRanges) return true;
        // The same field in several records (each event's figures) makes one chart.
        var same = found.ranges.find(function (ranges) { return ranges.title === title; });
        if (same) same.items = same.items.concat(items);
        else found.ranges.push({ title: title, items: items });
        return true;
      } else if (isGroups(items)) found.groups.push({ title: title, labelKey: groupLabelKey(items[0]), items: items });
      return false;
    }

    function walk(value, path, ancestors, inRanges) {
      visited += 1;
      if (visited > MAX_NODES || path.length > MAX_DEPTH) {
        found.truncated = true;
        return;
      }
      if (Array.isArray(value)) {
        var ranges = classify(value, path, inRanges) || inRanges;
        value.forEach(function (item, index) {
          walk(item, path.concat([index]), ancestors, ranges);
        });
        return;
      }
      if (!isObject(value)) return;
      var coordinates = coordinatesOf(value);
      if (coordinates) addPoint(value, coordinates, ancestors);
      if (isRecord(value) && !seenRecords.has(identity(value))) {
        seenRecords.add(identity(value));
        found.records.push(value);
        if ("location" in value && (value.location === null || (isObject(value.location) && !coordinatesOf(value.location)))) {
          found.unplaced.push(value);
        }
      }
      var inner = ancestors.concat([value]);
      Object.keys(value).forEach(function (key) {
        walk(value[key], path.concat([key]), inner, inRanges);
      });
    }

    walk(data, [], [], false);
    // A record that is placed through one occurrence is not unplaced through another.
    var placed = new Set(
      found.points.map(function (point) {
        return identity(point.record);
      }),
    );
    found.unplaced = found.unplaced.filter(function (record) {
      return !placed.has(identity(record));
    });
    return found;
  }

  return { find: find, isObject: isObject, isNumber: isNumber, isRecord: isRecord };
})();
