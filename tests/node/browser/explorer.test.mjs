// The explorer in a real browser: Debian's Chromium, driven by playwright-core (never a
// downloaded browser). Opens GET /graphql, checks the example tabs and the documentation
// explorer, runs the first example, and reads the result pane. Every request the page makes
// must go to the eventql server itself; anything else (a CDN) is blocked and fails the test.
//
// Environment: EVENTQL_URL (server root), CHROMIUM_PATH (default /usr/bin/chromium),
// EVENTQL_ARTIFACTS (where the screenshot goes; default ../../test-artifacts).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { editorText, guardedPage, launchChromium, screenshotPath, serverUrl } from "./chromium.mjs";

let browser;

before(async () => {
  assert.ok(serverUrl, "EVENTQL_URL must point at a running eventql server");
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

test("the explorer opens offline with the examples and runs the first one", async () => {
  const { page, foreign, problems } = await guardedPage(browser.context);

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

  await page.screenshot({ path: screenshotPath("explorer.png") });

  assert.deepEqual(foreign, [], "the explorer requested nothing outside the server");
  assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
});
