// The explorer in a real browser: Debian's Chromium, driven by playwright-core (never a
// downloaded browser). Opens GET /graphql, checks the example tabs and the documentation
// explorer, runs the first example, and reads the result pane. Every request the page makes
// must go to the eventql server itself; anything else (a CDN) is blocked and fails the test.
//
// Environment: EVENTQL_URL (server root), CHROMIUM_PATH (default /usr/bin/chromium),
// EVENTQL_ARTIFACTS (where the screenshot goes; default ../../test-artifacts).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const serverUrl = process.env.EVENTQL_URL;
const artifacts = process.env.EVENTQL_ARTIFACTS ?? path.resolve(here, "../../../test-artifacts");
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// The flags that keep Chromium quiet on a machine with no internet: without the
// background-networking ones it keeps trying (and failing) to reach Google's hosts.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

let context;
let userDataDir;

before(async () => {
  assert.ok(serverUrl, "EVENTQL_URL must point at a running eventql server");
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "eventql-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1600, height: 1000 },
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

async function editorText(page, selector) {
  return page.evaluate((sel) => document.querySelector(sel)?.CodeMirror?.getValue() ?? "", selector);
}

test("the explorer opens offline with the examples and runs the first one", async () => {
  const origin = new URL(serverUrl).origin;
  const foreign = [];
  const problems = [];
  const page = await context.newPage();
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`failed: ${request.url()}`));

  const response = await page.goto(`${serverUrl}/graphql`, { waitUntil: "load" });
  assert.equal(response.status(), 200);
  assert.match(response.headers()["content-type"], /^text\/html/);

  // The page's own config lists the examples; each gets a tab, the first is shown.
  const config = JSON.parse(await page.locator("#explorer-config").textContent());
  assert.ok(config.examples.length >= 3, "at least three example queries");
  await page.locator(".graphiql-query-editor .CodeMirror").waitFor();
  await page.waitForFunction(
    (n) => document.querySelectorAll(".graphiql-tab").length === n,
    config.examples.length,
  );
  const tabTitles = await page.locator(".graphiql-tab").allTextContents();
  for (const example of config.examples) {
    assert.ok(tabTitles.some((t) => t.includes(example.title)), `a tab for ${example.title}`);
  }
  assert.equal(
    (await editorText(page, ".graphiql-query-editor .CodeMirror")).trim(),
    config.examples[0].query.trim(),
  );

  // The documentation explorer is open and has loaded the schema (by introspection).
  await page.locator(".graphiql-doc-explorer").waitFor();
  await page.locator(".graphiql-doc-explorer >> text=Query").first().waitFor();

  await page.locator(".graphiql-execute-button").click();
  await page.waitForFunction(() => {
    const text = document.querySelector(".graphiql-response .CodeMirror")?.CodeMirror?.getValue();
    return Boolean(text && text.trim().startsWith("{"));
  });
  const result = JSON.parse(await editorText(page, ".graphiql-response .CodeMirror"));
  assert.equal(result.errors, undefined, `no errors: ${JSON.stringify(result.errors)}`);
  const [field] = Object.keys(result.data);
  const nodes = result.data[field].nodes ?? result.data[field].edges;
  assert.ok(Array.isArray(nodes) && nodes.length > 0, "the result pane shows seeded records");

  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, "explorer.png") });

  assert.deepEqual(foreign, [], "the explorer requested nothing outside the server");
  assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
});
