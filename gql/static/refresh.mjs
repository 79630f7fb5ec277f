#!/usr/bin/env node
// Re-vendor the GraphiQL explorer assets into ./graphiql/ from the versions pinned in
// package.json + package-lock.json, and derive the results view's world outline from
// world-atlas (Natural Earth 1:110m, public domain). Run by a maintainer after bumping a pin
// (`npm install --package-lock-only <pkg>@<version>`, then `node gql/static/refresh.mjs`), never
// at install time: a `pip install` of eventql must give a working explorer with no Node and no
// network.
//
// Packages are installed with `npm ci` into a temporary directory, so no node_modules ever
// lands inside the Python package. Each asset is stored gzip-compressed (the explorer serves
// it as-is with Content-Encoding: gzip); VERSIONS.json records where every file came from and
// the sha256 of the upstream (uncompressed) bytes, so `gunzip -c X.gz | sha256sum` can be
// checked against the npm tarball — except for a file with `patches` (see PATCHES), whose
// served bytes have `served_sha256`.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "graphiql");

// served name -> [npm package, path inside the package, media type]
const ASSETS = {
  "react.production.min.js": ["react", "umd/react.production.min.js", "text/javascript"],
  "react-dom.production.min.js": ["react-dom", "umd/react-dom.production.min.js", "text/javascript"],
  "graphiql.min.js": ["graphiql", "graphiql.min.js", "text/javascript"],
  "graphiql.min.css": ["graphiql", "graphiql.min.css", "text/css"],
  "plugin-explorer.umd.js": ["@graphiql/plugin-explorer", "dist/index.umd.js", "text/javascript"],
  "plugin-explorer.css": ["@graphiql/plugin-explorer", "dist/style.css", "text/css"],
};

// The results view's map: Natural Earth 1:110m land and the borders between countries, as two
// SVG paths in degrees, and the countries' names with label points (x = longitude, y = -latitude), rounded to 0.1° (about 11 km, finer than
// 1:110m data draws). A script setting a global, so the page needs no fetch for it.
const WORLD_OUTLINE = "world-110m.js";

// Rings crossing the antimeridian (Fiji, Chukotka) jump from 180 to -180: unwrap them into one
// continuous ring past ±180 (the map draws copies 360° to either side where needed).
function unwrap(ring) {
  let previous = null;
  return ring.map(([lon, lat]) => {
    if (previous !== null) lon += 360 * Math.round((previous - lon) / 360);
    previous = lon;
    return [lon, lat];
  });
}

function pathOf(geometry) {
  const rings =
    geometry.type === "Polygon" ? geometry.coordinates
    : geometry.type === "MultiPolygon" ? geometry.coordinates.flat()
    : geometry.type === "LineString" ? [geometry.coordinates]
    : geometry.type === "MultiLineString" ? geometry.coordinates
    : [];
  const round = (n) => String(Math.round(n * 10) / 10);
  return rings
    .map((ring) => {
      const points = [];
      for (const [lon, lat] of unwrap(ring)) {
        const point = `${round(lon)},${round(-lat)}`;
        if (points[points.length - 1] !== point) points.push(point);
      }
      return points.length > 1 ? `M${points.join("L")}` : "";
    })
    .join("");
}

// A label point per country: the centroid of its largest polygon, with that polygon's area in
// square degrees (the map labels a country only when it is drawn large enough to hold it).
function countryLabels(countries) {
  const labels = [];
  for (const feature of countries.features) {
    const geometry = feature.geometry;
    if (!geometry || !feature.properties?.name) continue;
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    let best = null;
    for (const [outer] of polygons) {
      const ring = unwrap(outer);
      let area = 0;
      let x = 0;
      let y = 0;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
        area += cross;
        x += (ring[j][0] + ring[i][0]) * cross;
        y += (ring[j][1] + ring[i][1]) * cross;
      }
      if (area !== 0 && (!best || Math.abs(area) > best.area)) {
        best = { area: Math.abs(area / 2), lon: x / (3 * area), lat: y / (3 * area) };
      }
    }
    if (best) {
      const round = (n) => Math.round(n * 10) / 10;
      const lon = ((((best.lon + 180) % 360) + 360) % 360) - 180;
      labels.push([feature.properties.name, round(lon), round(best.lat), Math.round(best.area)]);
    }
  }
  return labels.sort((a, b) => b[3] - a[3] || a[0].localeCompare(b[0]));
}

function worldOutline(modules) {
  const topojson = createRequire(path.join(modules, "x.js"))("topojson-client");
  const world = JSON.parse(fs.readFileSync(path.join(modules, "world-atlas", "countries-110m.json")));
  const land = topojson.feature(world, world.objects.land);
  const borders = topojson.mesh(world, world.objects.countries, (a, b) => a !== b);
  const outline = {
    source: "Natural Earth 1:110m via world-atlas (public domain); see THIRD-PARTY-LICENSES.txt",
    land: land.features.map((f) => pathOf(f.geometry)).join(""),
    borders: pathOf(borders),
    labels: countryLabels(topojson.feature(world, world.objects.countries)),
  };
  return Buffer.from(
    "// Generated by gql/static/refresh.mjs: the results view's world map (Natural Earth 1:110m,\n" +
      "// public domain), as SVG paths in degrees with y = -latitude.\n" +
      `window.EventqlWorld = ${JSON.stringify(outline)};\n`,
  );
}

// Fixes applied to upstream files, each an exact text replacement that must match once (a new
// upstream version that no longer matches fails the refresh, rather than silently losing it).
const PATCHES = {
  "plugin-explorer.umd.js": [
    {
      // graphiql-explorer 0.9 (bundled in the plugin) renders no value for a list literal in an
      // argument (`orderBy: [{field: DATE}]` shows `orderBy:` and logs "arg mismatch between arg
      // and selection"; upstream OneGraph/graphiql-explorer#66). A list of one is shown as its
      // item, which the builder edits (GraphQL reads a single value as a list of one); a longer
      // list is shown as printed GraphQL, read-only, to edit in the query editor.
      why: "list literals in arguments: a list of one edits as its item, longer lists show as text",
      find: 'r=null;if(s){if(s.kind==="Variable")',
      replace:
        'r=null;if(s&&s.kind==="ListValue"&&s.values.length===1)s=s.values[0];' +
        'if(s&&s.kind==="ListValue")r=a.createElement("span",{className:"graphiql-explorer-list-value",' +
        'style:{color:f.colors.builtin}},(0,g.print)(s));else ' +
        'if(s){if(s.kind==="Variable")',
    },
  ],
};

function patched(served, bytes) {
  let text = bytes.toString("utf8");
  for (const { find, replace } of PATCHES[served] ?? []) {
    const count = text.split(find).length - 1;
    if (count !== 1) throw new Error(`${served}: patch target found ${count} times, expected once: ${find}`);
    text = text.replace(find, () => replace);
  }
  return Buffer.from(text, "utf8");
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

function findLicence(dir) {
  const name = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  return name ? fs.readFileSync(path.join(dir, name), "utf8").trim() : null;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "eventql-graphiql-"));
try {
  for (const f of ["package.json", "package-lock.json"]) {
    fs.copyFileSync(path.join(here, f), path.join(work, f));
  }
  execFileSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: work,
    stdio: "inherit",
  });
  const lock = JSON.parse(fs.readFileSync(path.join(work, "package-lock.json"), "utf8"));
  const modules = path.join(work, "node_modules");

  // Replace what this script generates; keep the hand-written README.md.
  fs.mkdirSync(out, { recursive: true });
  for (const f of fs.readdirSync(out)) {
    if (f.endsWith(".gz") || f === "VERSIONS.json" || f === "THIRD-PARTY-LICENSES.txt") {
      fs.rmSync(path.join(out, f));
    }
  }

  const assets = [];
  for (const [served, [pkg, from, mediaType]] of Object.entries(ASSETS)) {
    const bytes = fs.readFileSync(path.join(modules, pkg, from));
    const served_bytes = patched(served, bytes);
    const stored = `${served}.gz`;
    // Level 9 and no file name or mtime in the header: the same input gives the same bytes.
    fs.writeFileSync(path.join(out, stored), zlib.gzipSync(served_bytes, { level: 9 }));
    const version = JSON.parse(fs.readFileSync(path.join(modules, pkg, "package.json"))).version;
    const entry = { served, stored, media_type: mediaType, package: pkg, version, from, sha256: sha256(bytes) };
    if (PATCHES[served]) {
      entry.patches = PATCHES[served].map((patch) => patch.why);
      entry.served_sha256 = sha256(served_bytes);
    }
    assets.push(entry);
  }

  const outline = worldOutline(modules);
  fs.writeFileSync(path.join(out, `${WORLD_OUTLINE}.gz`), zlib.gzipSync(outline, { level: 9 }));
  const atlas = JSON.parse(fs.readFileSync(path.join(modules, "world-atlas", "package.json"))).version;
  assets.push({
    served: WORLD_OUTLINE,
    stored: `${WORLD_OUTLINE}.gz`,
    media_type: "text/javascript",
    package: "world-atlas",
    version: atlas,
    from: "countries-110m.json (objects land and countries), derived by refresh.mjs",
    sha256: sha256(outline),
  });

  // Every package in the locked tree: the UMD builds bundle most of them (codemirror,
  // markdown-it, radix-ui, ...), so their licences travel with the vendored files.
  const notices = [];
  for (const [key, meta] of Object.entries(lock.packages)) {
    if (!key) continue;
    const dir = path.join(work, key);
    const name = key.replace(/^.*node_modules\//, "");
    const text = findLicence(dir);
    notices.push(
      `${"=".repeat(78)}\n${name}@${meta.version} (${meta.license ?? "see package"})\n${"=".repeat(78)}\n` +
        (text ?? `No licence file in the package; its package.json declares ${meta.license}.`),
    );
  }
  fs.writeFileSync(
    path.join(out, "THIRD-PARTY-LICENSES.txt"),
    "Licences of the npm packages whose code or data is in the vendored assets (and of\n" +
      "topojson-client, which only derives the world outline at vendor time).\n" +
      "Map data: Made with Natural Earth, 1:110m land and countries, via world-atlas.\n" +
      "Natural Earth is in the public domain (https://www.naturalearthdata.com/about/terms-of-use/).\n" +
      "Generated by gql/static/refresh.mjs from package-lock.json.\n\n" +
      notices.join("\n\n") +
      "\n",
  );

  const versions = {
    generated_by: "gql/static/refresh.mjs",
    packages: Object.fromEntries(
      Object.keys(lock.packages[""].devDependencies).map((p) => [p, lock.packages[`node_modules/${p}`].version]),
    ),
    assets,
  };
  fs.writeFileSync(path.join(out, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
  console.log(`vendored ${assets.length} assets into ${path.relative(process.cwd(), out) || "."}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
