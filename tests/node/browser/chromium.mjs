// Debian's Chromium for the browser tests, driven by playwright-core (never a downloaded
// browser), and a guard that records everything a page should not do: requests outside the
// eventql server (blocked), console errors, page errors and failed requests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const serverUrl = process.env.EVENTQL_URL;
export const artifacts = process.env.EVENTQL_ARTIFACTS ?? path.resolve(here, "../../../test-artifacts");
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

/** A persistent Chromium context in a fresh profile; `close()` removes the profile too. */
export async function launchChromium() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "eventql-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1600, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A new page whose requests outside `base` (default: EVENTQL_URL) are blocked and recorded
 * in `foreign`, and whose console errors, page errors and failed requests are recorded in
 * `problems`. */
export async function guardedPage(context, base = serverUrl) {
  const origin = new URL(base).origin;
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
  return { page, foreign, problems };
}

/** The text of the CodeMirror editor matching `selector`. */
export async function editorText(page, selector) {
  return page.evaluate((sel) => document.querySelector(sel)?.CodeMirror?.getValue() ?? "", selector);
}

export function screenshotPath(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  return path.join(artifacts, name);
}
