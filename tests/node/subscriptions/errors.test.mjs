// What the graphql-ws and graphql-sse clients report for a subscription that cannot run: a
// document that does not parse, and a field the schema lacks. Each is a GraphQL error with its
// `extensions.code` (for graphql-ws, the `error` message, which the client throws as the list
// of errors), never a masked internal error.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createClient as createSseClient } from "graphql-sse";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";

import { sseEndpoint, wsEndpoint } from "./support.mjs";

const BAD = [
  ["a document that does not parse", "subscription {", "GRAPHQL_PARSE_FAILED"],
  ["an unknown field", "subscription { datasetChanged { nope } }", "GRAPHQL_VALIDATION_FAILED"],
];

/** The errors `client` reports for `query`, whether it yields them or throws them. */
async function errorsOf(client, query) {
  try {
    for await (const result of client.iterate({ query })) {
      return result.errors ?? assert.fail(`a result without errors: ${JSON.stringify(result)}`);
    }
  } catch (errors) {
    if (Array.isArray(errors)) return errors;
    throw errors;
  }
  assert.fail("the subscription ended without an error");
}

for (const [name, transport] of [
  ["graphql-ws", () => createWsClient({ url: wsEndpoint, webSocketImpl: WebSocket, retryAttempts: 0 })],
  ["graphql-sse", () => createSseClient({ url: sseEndpoint, retryAttempts: 0 })],
]) {
  for (const [what, query, code] of BAD) {
    test(`${name}: ${what} is a ${code} error`, async () => {
      const client = transport();
      try {
        const errors = await errorsOf(client, query);
        assert.equal(errors.length, 1, JSON.stringify(errors));
        assert.equal(errors[0].extensions?.code, code, JSON.stringify(errors));
        assert.ok(errors[0].message.length > 0);
      } finally {
        await client.dispose();
      }
    });
  }
}
