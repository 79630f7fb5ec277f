// Apollo Client 4 subscribes to datasetChanged over both transports the server speaks:
// graphql-transport-ws (GraphQLWsLink + graphql-ws) and graphql-sse (an ApolloLink over the
// graphql-sse client, as in graphql-sse's README); a reseed's new version reaches it.
import { test } from "node:test";

import { ApolloClient, ApolloLink, InMemoryCache, gql } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { print } from "graphql";
import { createClient as createSseClient } from "graphql-sse";
import { createClient as createWsClient } from "graphql-ws";
import { Observable } from "rxjs";
import WebSocket from "ws";

import { DATASET_CHANGED, Events, followReseeds, sseEndpoint, wsEndpoint } from "./support.mjs";

/** A terminating link that runs every operation over graphql-sse (distinct connections). */
class SSELink extends ApolloLink {
  constructor(options) {
    super();
    this.client = createSseClient(options);
  }

  request(operation) {
    return new Observable((sink) =>
      this.client.subscribe(
        {
          query: print(operation.query),
          variables: operation.variables,
          operationName: operation.operationName,
        },
        {
          next: sink.next.bind(sink),
          complete: sink.complete.bind(sink),
          error: sink.error.bind(sink),
        },
      ),
    );
  }
}

async function follows(link, dispose) {
  const apollo = new ApolloClient({ link, cache: new InMemoryCache() });
  const events = new Events();
  const subscription = apollo
    .subscribe({ query: gql(DATASET_CHANGED), variables: { datasets: ["kazakhstan-2022"] } })
    .subscribe({ next: events.push, error: events.fail, complete: () => events.fail() });
  try {
    await followReseeds(events);
  } finally {
    subscription.unsubscribe();
    apollo.stop();
    await dispose();
  }
}

test("Apollo Client hears of a reseed over WebSocket (GraphQLWsLink, graphql-ws)", async () => {
  const client = createWsClient({ url: wsEndpoint, webSocketImpl: WebSocket, retryAttempts: 0 });
  await follows(new GraphQLWsLink(client), () => client.dispose());
});

test("Apollo Client hears of a reseed over Server-Sent Events (graphql-sse)", async () => {
  const link = new SSELink({ url: sseEndpoint, retryAttempts: 0 });
  await follows(link, () => link.client.dispose());
});
