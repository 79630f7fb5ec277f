// urql subscribes to datasetChanged through subscriptionExchange over both transports the
// server speaks: graphql-transport-ws (the graphql-ws client) and graphql-sse (the
// graphql-sse client), as urql's documentation wires them; a reseed's new version reaches it.
import { test } from "node:test";

import { Client, fetchExchange, subscriptionExchange } from "@urql/core";
import { createClient as createSseClient } from "graphql-sse";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";

import {
  DATASET_CHANGED,
  Events,
  endpoint,
  followReseeds,
  sseEndpoint,
  wsEndpoint,
} from "./support.mjs";

/** An urql client whose subscriptions go to `transport` (a graphql-ws or graphql-sse client:
 * both have `subscribe(request, sink)` returning an unsubscribe function). */
function client(transport) {
  return new Client({
    url: endpoint,
    exchanges: [
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return {
            subscribe(sink) {
              return { unsubscribe: transport.subscribe(input, sink) };
            },
          };
        },
      }),
      fetchExchange,
    ],
  });
}

async function follows(transport) {
  const events = new Events();
  const subscription = client(transport)
    .subscription(DATASET_CHANGED, { datasets: ["kazakhstan-2022"] })
    .subscribe((result) => {
      if (result.error) events.fail(result.error);
      else events.push(result);
    });
  try {
    await followReseeds(events);
  } finally {
    subscription.unsubscribe();
    await transport.dispose();
  }
}

test("urql hears of a reseed over WebSocket (subscriptionExchange, graphql-ws)", async () => {
  await follows(createWsClient({ url: wsEndpoint, webSocketImpl: WebSocket, retryAttempts: 0 }));
});

test("urql hears of a reseed over Server-Sent Events (subscriptionExchange, graphql-sse)", async () => {
  await follows(createSseClient({ url: sseEndpoint, retryAttempts: 0 }));
});
