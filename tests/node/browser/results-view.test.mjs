// The results view in a real browser (Debian's Chromium): runs the example tabs against the
// seeded server and checks what the view draws from each result — map marks for the events
// with coordinates, timeline bars, count bars, low–best–high bars with error bars — and that a
// click shows the record's evidence sentence. Also opens the query-builder plugin on every tab
// (it used to log "arg mismatch between arg and selection"). Nothing may be fetched from
// outside the server, and no console error may appear. Screenshots go to EVENTQL_ARTIFACTS.
//
// Environment: as explorer.test.mjs (EVENTQL_URL: a server with the bundled seed only); with
// EVENTQL_UCDP_URL and EVENTQL_UCDP_DATASET, a server holding an imported UCDP dataset and its
// name, drawn on the map too (many points, every coordinate precision).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { editorText, guardedPage, launchChromium, screenshotPath, serverUrl } from "./chromium.mjs";

const RESPONSE = ".graphiql-response .CodeMirror";
const QUERY = ".graphiql-query-editor .CodeMirror";

let browser;
let session;

before(async () => {
  assert.ok(serverUrl, "EVENTQL_URL must point at a running eventql server");
  browser = await launchChromium();
  session = await guardedPage(browser.context);
  await session.page.goto(`${serverUrl}/graphql`, { waitUntil: "load" });
  await session.page.locator(".graphiql-tab").first().waitFor();
  await session.page.locator('.graphiql-sidebar button[aria-label="Show Results view"]').click();
  await widenPluginPane(session.page);
});

// Widens the plugin pane, as a user would by dragging its edge.
async function widenPluginPane(page) {
  await page.locator(".eventql-results-body").waitFor();
  const bar = await page.locator(".graphiql-horizontal-drag-bar").first().boundingBox();
  await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
  await page.mouse.down();
  await page.mouse.move(760, bar.y + bar.height / 2, { steps: 5 });
  await page.mouse.up();
}

after(async () => {
  await browser?.close();
});

function examples(page) {
  return page.evaluate(() => JSON.parse(document.getElementById("explorer-config").textContent).examples);
}

// Selects the tab of the example titled `title`, runs it, and returns the parsed result.
async function runExample(page, title) {
  const titles = (await examples(page)).map((example) => example.title);
  const index = titles.indexOf(title);
  assert.ok(index >= 0, `an example tab titled ${title}: ${titles}`);
  await page.locator(".graphiql-tab").nth(index).locator("button").first().click();
  return runEditorQuery(page, title);
}

// Runs the query in the editor, named `name`, and returns the parsed result.
async function runEditorQuery(page, name) {
  // GraphiQL sends the operation name it parsed from the editor (after a short debounce): wait
  // for it, or a quick click sends the previous tab's name.
  await page.waitForFunction(([sel, n]) => document.querySelector(sel)?.CodeMirror?.operationName === n, [QUERY, name]);
  await page.evaluate((sel) => document.querySelector(sel).CodeMirror.setValue(""), RESPONSE);
  await page.locator(".graphiql-execute-button").click();
  await page.waitForFunction((sel) => {
    const text = document.querySelector(sel)?.CodeMirror?.getValue();
    return Boolean(text && text.trim().startsWith("{"));
  }, RESPONSE);
  const result = JSON.parse(await editorText(page, RESPONSE));
  assert.equal(result.errors, undefined, `no errors: ${JSON.stringify(result.errors)}`);
  return result;
}

// Runs `query` (a named operation) in a new tab, which it closes afterwards, so the example
// tabs stay as they are.
async function runInNewTab(page, name, query, check) {
  await page.locator(".graphiql-tab-add").click();
  await page.evaluate(([sel, q]) => document.querySelector(sel).CodeMirror.setValue(q), [QUERY, query]);
  try {
    await check(await runEditorQuery(page, name));
  } finally {
    await page.locator(".graphiql-tab-active .graphiql-tab-close").click();
  }
}

async function detailText(page, section) {
  const detail = page.locator(".eventql-section").filter({ hasText: section }).locator(".eventql-detail").first();
  await detail.waitFor();
  return detail.innerText();
}

test("the map draws one mark per event with coordinates, sized by precision", async () => {
  const { page } = session;
  const result = await runExample(page, "EventsOnAMap");
  const events = result.data.events.nodes;
  const placed = events.filter((e) => e.location?.latitude != null && e.location?.longitude != null);
  assert.ok(placed.length > 0, "the seed has events with coordinates");

  const marks = page.locator(".eventql-map .eventql-marker");
  await page.waitForFunction((n) => document.querySelectorAll(".eventql-map .eventql-marker").length === n, placed.length);
  const precisions = await marks.evaluateAll((nodes) => nodes.map((n) => n.dataset.precision).sort());
  assert.deepEqual(precisions, placed.map((e) => e.location.coordinatePrecision).sort());
  assert.ok((await page.locator(".eventql-land").count()) > 0, "the world outline is drawn");
  const subtitle = await page.locator(".eventql-section", { hasText: "Map" }).locator(".eventql-subtitle").innerText();
  assert.match(subtitle, new RegExp(`${events.length - placed.length} of ${events.length} with a location have none`));

  // The mark of the exact-ish event (drawn on top) opens its record and evidence sentence.
  await marks.last().click();
  const detail = await detailText(page, "Map");
  const shown = placed.find((e) => detail.includes(e.title));
  assert.ok(shown, `the detail names a placed event: ${detail}`);
  assert.ok(detail.includes(shown.evidence.text), `the detail quotes its evidence: ${detail}`);
  await page.locator(".eventql-results").evaluate((n) => n.scrollIntoView());
  await page.screenshot({ path: screenshotPath("results-map.png") });
});

test("the timeline draws a bar per day and the types as count bars", async () => {
  const { page } = session;
  const result = await runExample(page, "Timeline");
  const { aggregates, nodes } = result.data.events;
  await page.waitForFunction(
    (n) => document.querySelectorAll(".eventql-timeline-bar").length === n,
    aggregates.timeline.length,
  );
  assert.equal(await page.locator(".eventql-bar").count(), aggregates.byType.length);

  // A range that runs past a day is drawn as that day's lighter `spanning` part, not its bar.
  const spanning = aggregates.timeline.filter((b) => b.spanning > 0).length;
  assert.equal(await page.locator(".eventql-timeline-spanning").count(), spanning);
  // A day's bar lists the events that may begin that day (those wholly in it and those that
  // run past it), each with its sentence.
  const busiest = aggregates.timeline.reduce((a, b) => (b.count > a.count ? b : a));
  const index = aggregates.timeline.indexOf(busiest);
  await page.locator(".eventql-timeline-bar").nth(index).click();
  const detail = await detailText(page, "Timeline");
  // Umbrella events are not counted (their parts are), so they are not listed either.
  const thatDay = nodes.filter((e) => e.date.start === busiest.start && !e.umbrella);
  assert.equal(thatDay.length, busiest.count + busiest.spanning);
  for (const event of thatDay) {
    assert.ok(detail.includes(event.title), `${event.title} in ${detail}`);
    assert.ok(detail.includes(event.evidence.text), `evidence of ${event.title}`);
  }
  await page.locator(".eventql-section", { hasText: "Timeline" }).first().evaluate((n) => n.scrollIntoView());
  await page.screenshot({ path: screenshotPath("results-timeline.png") });
});

test("figure totals are bars with low–high error bars, open-ended ones marked", async () => {
  const { page } = session;
  const result = await runExample(page, "FigureTotalsByKind");
  const { aggregates, nodes } = result.data.figures;
  const numbered = [...aggregates.totals, ...nodes].filter((f) => f.best != null || f.low != null);
  await page.waitForFunction((n) => document.querySelectorAll(".eventql-range-bar").length === n, numbered.length);
  assert.equal(await page.locator(".eventql-error-bar").count(), numbered.length);
  const openEnded = numbered.filter((f) => f.high == null).length;
  assert.ok(openEnded > 0, "the seed has open-ended figures ('more than 5,100')");
  assert.equal(await page.locator(".eventql-error-bar.eventql-open-ended").count(), openEnded);
  assert.equal(await page.locator(".eventql-bar").count(), aggregates.byKind.length);

  // The arrests total opens the figures that went into it, with their sentences.
  const arrested = aggregates.totals.findIndex((t) => t.kind === "ARRESTED");
  await page.locator(".eventql-section").filter({ hasText: "totals" }).locator(".eventql-range-bar").nth(arrested).click();
  const detail = await detailText(page, "totals");
  for (const figure of aggregates.totals[arrested].figures) {
    assert.ok(detail.includes(figure.evidence.text), `evidence of ${figure.slug} in ${detail}`);
  }
  await page.locator(".eventql-section", { hasText: "totals" }).first().evaluate((n) => n.scrollIntoView());
  await page.screenshot({ path: screenshotPath("results-figures.png") });
});

test("a result without evidence says so instead of showing none", async () => {
  const { page } = session;
  const query = "query NoEvidence { events(first: 20) { nodes { title location { latitude longitude coordinatePrecision } } } }";
  await runInNewTab(page, "NoEvidence", query, async () => {
    // Marks are keyboard-reachable too (and this one may lie under a larger one).
    await page.locator(".eventql-map .eventql-marker").first().focus();
    await page.keyboard.press("Enter");
    assert.match(await detailText(page, "Map"), /no evidence sentence for this record: add evidence \{ text \}/);
  });
});

test("results of any shape are read without errors", async () => {
  const { page } = session;
  const deep = JSON.stringify({ data: JSON.parse("[".repeat(200) + "1" + "]".repeat(200)) });
  const cases = [
    ["", /Run a query/],
    ["not json {", /not JSON/],
    ['{"errors": [{"message": "boom"}]}', /1 error\(s\), the first: boom\. It has no data/],
    ['{"data": {"a": [1, "x", null, {"latitude": "43", "longitude": 76}], "b": {"count": "3"}}}', /Nothing to draw/],
    ['{"data": {"t": [{"start": "2022-13-45", "count": 2}, {"start": "2022-01-02", "end": null, "count": 1}]}}', /Timeline/],
    ['{"data": {"g": [{"type": null, "count": 0}, {"type": {"name": "x"}, "count": -1}]}}', /Counts/],
    ['{"data": {"r": [{"kind": "KILLED", "low": null, "best": null, "high": 7}, {"kind": "X", "best": 1e308}]}}', /Low – best – high/],
    ['{"data": {"p": [{"title": "far", "location": {"latitude": 89.9, "longitude": 359}}, {"title": "pole", "location": {"latitude": -90, "longitude": -180}}]}}', /Map/],
    [deep, /.+/],
  ];
  for (const [text, expected] of cases) {
    await page.evaluate(([sel, t]) => document.querySelector(sel).CodeMirror.setValue(t), [RESPONSE, text]);
    const shown = await page.locator(".eventql-results-body").innerText();
    assert.match(shown, expected, `for ${text.slice(0, 80)}: ${shown}`);
    assert.doesNotMatch(shown, /could not draw/, `for ${text.slice(0, 80)}`);
  }
});

test("the query builder renders every example tab without an arg mismatch", async () => {
  const { page } = session;
  await page.locator('.graphiql-sidebar button[aria-label="Show GraphiQL Explorer"]').click();
  await page.locator(".graphiql-explorer-root").first().waitFor();
  const count = (await examples(page)).length;
  for (let i = 0; i < count; i++) {
    await page.locator(".graphiql-tab").nth(i).locator("button").first().click();
    await page.locator(".graphiql-explorer-root").first().waitFor();
  }
  // List literals as users type them: a list of one shows as its item (with its value), a
  // longer one as read-only text; neither logs an error (problems are checked at the end).
  const query = `query Lists {
  events(first: 5, orderBy: [{ field: DATE }, { field: TITLE }], filter: { type: { in: [RIOTS] } }) {
    nodes { title }
  }
}`;
  await page.locator(".graphiql-tab-add").click();
  await page.evaluate(([sel, q]) => document.querySelector(sel).CodeMirror.setValue(q), [QUERY, query]);
  await page.waitForFunction((sel) => document.querySelector(sel)?.CodeMirror?.operationName === "Lists", QUERY);
  const root = page.locator(".graphiql-explorer-root").first();
  await page.locator(".graphiql-explorer-list-value", { hasText: "[{field: DATE}, {field: TITLE}]" }).waitFor();
  const shown = await root.locator("select").evaluateAll((nodes) => nodes.map((n) => n.value));
  assert.ok(shown.includes("RIOTS"), `the single-item list shows its value: ${shown}`);
  await page.screenshot({ path: screenshotPath("query-builder.png") });
  await page.locator(".graphiql-tab-active .graphiql-tab-close").click();
  await page.locator('.graphiql-sidebar button[aria-label="Show Results view"]').click();
});

test("an imported UCDP dataset maps every coordinate precision", { skip: !process.env.EVENTQL_UCDP_URL }, async () => {
  const { page, foreign, problems } = await guardedPage(browser.context, process.env.EVENTQL_UCDP_URL);
  await page.goto(`${process.env.EVENTQL_UCDP_URL}/graphql`, { waitUntil: "load" });
  await page.locator(".graphiql-tab").first().waitFor();
  await page.locator('.graphiql-sidebar button[aria-label="Show Results view"]').click();
  await widenPluginPane(page);
  const query = `query UcdpMap {
  events(first: 100, orderBy: {field: DATE, direction: DESC}, filter: {dataset: {equalTo: "${process.env.EVENTQL_UCDP_DATASET}"}}) {
    nodes { title location { place countryCode latitude longitude coordinatePrecision } evidence { locator } }
  }
}`;
  await runInNewTab(page, "UcdpMap", query, async (result) => {
    const placed = result.data.events.nodes.filter((e) => e.location?.latitude != null);
    await page.waitForFunction((n) => document.querySelectorAll(".eventql-map .eventql-marker").length === n, placed.length);
    const precisions = new Set(placed.map((e) => e.location.coordinatePrecision));
    assert.ok(precisions.size >= 3, `several precisions: ${[...precisions]}`);
    const legend = await page.locator(".eventql-legend").innerText();
    for (const precision of precisions) {
      assert.ok(legend.includes(precision.toLowerCase()), `${precision} in the legend: ${legend}`);
    }
    await page.locator(".eventql-map .eventql-marker").last().focus();
    await page.keyboard.press("Enter");
    assert.match(await detailText(page, "Map"), /imported from a row/);
    await page.locator(".eventql-results").evaluate((n) => n.scrollIntoView());
    await page.screenshot({ path: screenshotPath("results-map-ucdp.png") });
  });
  assert.deepEqual(foreign, [], "the page requested nothing outside the server");
  assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
});

test("nothing was fetched from outside the server, and no console errors", async () => {
  const { page, foreign, problems } = session;
  const urls = await page.evaluate(() =>
    [...document.querySelectorAll("script[src], link[href]")].map((n) => n.getAttribute("src") ?? n.getAttribute("href")),
  );
  assert.ok(urls.length >= 10, `the page's scripts and styles: ${urls}`);
  for (const url of urls) assert.match(url, /^\/graphql\/static\//, "every asset is served by eventql");
  assert.deepEqual(foreign, [], "the page requested nothing outside the server");
  assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
});
