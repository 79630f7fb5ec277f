// Shared by the subscription tests: the server's endpoints, the reseed the Python driver
// provides, and a queue of the events a client receives.
//
// Neither graphql-transport-ws nor graphql-sse acknowledges that a subscription has started on
// the server (graphql-ws's `connected` only says the socket was accepted), so a reseed sent
// right after subscribing could come before the server listens. `followReseeds` therefore
// first reseeds until an event arrives (the subscription is then live), and only then makes
// the reseed whose event it checks.
import assert from "node:assert/strict";
import fs from "node:fs";

import { canReseed, reseed } from "../reseed.mjs";

if (!process.env.EVENTQL_URL || !canReseed) {
  throw new Error(
    "EVENTQL_URL must point at a running eventql server and EVENTQL_RESEED hold a reseed " +
      "command (a JSON argv); see tests/test_clients_subscriptions_node.py",
  );
}

/** The HTTP GraphQL endpoint (urql's `url`), the WebSocket one and the SSE one. */
export const endpoint = new URL("/graphql", process.env.EVENTQL_URL).toString();
export const wsEndpoint = endpoint.replace(/^http/, "ws");
export const sseEndpoint = new URL("/graphql/stream", process.env.EVENTQL_URL).toString();

/** Every event's version, with the fields the Python driver's reseed reports
 * (../operations/DatasetChanged.graphql, also typed by graphql-codegen). */
export const DATASET_CHANGED = fs.readFileSync(
  new URL("../operations/DatasetChanged.graphql", import.meta.url),
  "utf8",
);

/** No wait in these tests is longer: a deadline against hanging, not a timing check. */
const DEADLINE_MS = 15_000;
/** Warm-up: reseed again if the subscription has not heard of a reseed within this time. */
const RETRY_MS = 3_000;

/** The results a subscription delivers, in order, to be awaited one at a time. */
export class Events {
  #results = [];
  #waiting = null;
  #failure = null;

  /** A result (`{data, errors}`) from the client. */
  push = (result) => {
    this.#results.push(result);
    this.#wake();
  };

  /** The client reported an error or ended the subscription. */
  fail = (error) => {
    this.#failure = error ?? new Error("the subscription completed");
    this.#wake();
  };

  #wake() {
    this.#waiting?.();
    this.#waiting = null;
  }

  /** The next event's `datasetChanged`, or null if none comes within `ms`. */
  async next(ms) {
    const until = Date.now() + ms;
    while (this.#results.length === 0) {
      if (this.#failure) throw this.#failure;
      const left = until - Date.now();
      if (left <= 0) return null;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const result = this.#results.shift();
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data.datasetChanged;
  }
}

/** With a subscription delivering to `events`: reseed until it is live, then reseed once more
 * and check the event of that reseed (its version number, change counts and dataset). */
export async function followReseeds(events) {
  const started = Date.now();
  let first = null;
  while (first === null) {
    assert.ok(Date.now() - started < DEADLINE_MS, "no event within 15 s of reseeds");
    await reseed();
    first = await events.next(RETRY_MS);
  }
  const made = await reseed();
  assert.ok(made.number > first.number, "each reseed makes a newer version");
  // Events of warm-up reseeds still on their way come first, in order; then this one.
  let event = first;
  do {
    const previous = event.number;
    event = await events.next(DEADLINE_MS);
    assert.ok(event, `no event for version ${made.number} within 15 s`);
    assert.ok(event.number > previous, `versions in order: ${previous}, then ${event.number}`);
  } while (event.number < made.number);
  assert.equal(event.number, made.number);
  assert.equal(event.datasetName, made.dataset);
  assert.deepEqual(
    { added: event.added, changed: event.changed, removed: event.removed },
    { added: made.added, changed: made.changed, removed: made.removed },
  );
  // What changed, record by record, is what the edit did (in slug order; Apollo adds
  // __typename to each object, which the comparison leaves out).
  const changes = event.changes.nodes
    .map(({ change, kind, slug, fields }) => ({
      change,
      kind,
      slug,
      fields: fields.map(({ field, old, new: value }) => ({ field, old, new: value })),
    }))
    .sort((a, b) => a.slug.localeCompare(b.slug));
  assert.deepEqual(changes, made.changes);
  assert.equal(event.loadKind, "SEED");
  assert.ok(event.id, "a version is a Node");
  assert.match(event.contentHash, /^[0-9a-f]{16,}$/);
  assert.ok(!Number.isNaN(Date.parse(event.createdAt)), `a time: ${event.createdAt}`);
  return event;
}
