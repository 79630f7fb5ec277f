// The explorer in a real browser: Debian's Chromium, driven by playwright-core (never a
// downloaded browser). Opens GET /graphql, checks the example tabs and the documentation
// explorer, runs the first example, and reads the result pane; runs the subscription example,
// reseeds (EVENTQL_RESEED, from tests/test_explorer_browser.py) and sees the new version. Every request the page makes
// must go to the eventql server itself; anything else (a CDN) is blocked and fails the test.
//
// Environment: EVENTQL_URL (server root), EVENTQL_RESEED (a reseed command), CHROMIUM_PATH (default /usr/bin/chromium),
// EVENTQL_ARTIFACTS (where the screenshot goes; default ../../test-artifacts).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { reseed } from "../reseed.mjs";
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

test("the explorer runs a subscription and shows each new version as it arrives", async () => {
  const { page, foreign, problems } = await guardedPage(browser.context);
  await page.goto(`${serverUrl}/graphql`, { waitUntil: "load" });
  const config = JSON.parse(await page.locator("#explorer-config").textContent());
  const index = config.examples.findIndex((example) => example.title === "LiveDatasetChanges");
  assert.ok(index >= 0, "an example tab runs a subscription");
  await page.waitForFunction(
    (n) => document.querySelectorAll(".graphiql-tab").length === n,
    config.examples.length,
  );
  await page.locator(".graphiql-tab").nth(index).locator("button").first().click();
  // GraphiQL sends the operation name it parsed (after a debounce): wait for this tab's.
  await page.waitForFunction(
    () => document.querySelector(".graphiql-query-editor .CodeMirror")?.CodeMirror?.operationName ===
      "LiveDatasetChanges",
  );
  await page.locator(".graphiql-execute-button").click();

  // The version shown in the result pane, or null while none has arrived.
  const shown = () =>
    page.evaluate(() => {
      const text = document.querySelector(".graphiql-response .CodeMirror")?.CodeMirror?.getValue();
      if (!text || !text.trim().startsWith("{")) return null;
      const result = JSON.parse(text);
      return result.errors ? { errors: result.errors } : result.data.datasetChanged;
    });
  const waitForVersion = async (atLeast, ms) => {
    const until = Date.now() + ms;
    for (;;) {
      const version = await shown();
      assert.equal(version?.errors, undefined, JSON.stringify(version?.errors));
      if (version && version.number >= atLeast) return version;
      if (Date.now() > until) return null;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  // Nothing says when the server has started listening: reseed until an event shows (a
  // deadline against hanging of 15 s), then reseed once more and watch its version arrive.
  let first = null;
  const started = Date.now();
  while (first === null) {
    assert.ok(Date.now() - started < 15_000, "no event shown within 15 s of reseeds");
    await reseed();
    first = await waitForVersion(0, 3_000);
  }
  const made = await reseed();
  const version = await waitForVersion(made.number, 15_000);
  assert.ok(version, `version ${made.number} shown within 15 s`);
  assert.equal(version.number, made.number);
  assert.ok(version.number > first.number, "a newer version replaced the one before");
  assert.equal(version.datasetName, made.dataset);
  assert.deepEqual(
    [version.added, version.changed, version.removed],
    [made.added, made.changed, made.removed],
  );
  // It stays open for more: GraphiQL still offers to stop it.
  await page.locator('.graphiql-execute-button[aria-label^="Stop"]').waitFor();
  await page.screenshot({ path: screenshotPath("explorer-subscription.png") });
  assert.deepEqual(foreign, [], "the explorer requested nothing outside the server");
  assert.deepEqual(problems, [], "no console errors, page errors or failed requests");

  // The stop button (the execute button while subscribed) ends the subscription.
  await page.locator(".graphiql-execute-button").click();
  await page.locator('.graphiql-execute-button[aria-label^="Execute"]').waitFor();
});
