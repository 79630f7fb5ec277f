// Apollo Client 4 against the live server: relayStylePagination pages through every event
// with fetchMore, the normalised cache holds nested relations, and the result matches a
// single unpaginated request.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";
import { filter, firstValueFrom } from "rxjs";

import { endpoint, operation, post } from "./support.mjs";

const EVENTS_PAGE = gql(operation("EventsPage"));
const PAGE_SIZE = 3;

function client() {
  return new ApolloClient({
    link: new HttpLink({ uri: endpoint }),
    cache: new InMemoryCache({
      typePolicies: {
        // Pages of the same list (same filter/order/search) merge into one edge list.
        Query: { fields: { events: relayStylePagination(["filter", "orderBy", "search"]) } },
      },
    }),
  });
}

test("relayStylePagination pages through all events with fetchMore", async () => {
  const apollo = client();
  const observable = apollo.watchQuery({ query: EVENTS_PAGE, variables: { first: PAGE_SIZE } });
  const subscription = observable.subscribe(() => {});
  try {
    let result = await firstValueFrom(observable.pipe(filter((r) => r.dataState === "complete")));
    let pages = 1;
    while (result.data.events.pageInfo.hasNextPage) {
      result = await observable.fetchMore({
        variables: { first: PAGE_SIZE, after: result.data.events.pageInfo.endCursor },
      });
      pages += 1;
    }
    const merged = apollo.readQuery({ query: EVENTS_PAGE, variables: { first: PAGE_SIZE } });
    const ids = merged.events.edges.map((edge) => edge.node.id);

    const expected = await post(operation("AllEventIds"));
    assert.equal(expected.errors, undefined);
    assert.ok(expected.data.events.totalCount > PAGE_SIZE, "the seed data spans several pages");
    assert.equal(pages, Math.ceil(expected.data.events.totalCount / PAGE_SIZE));
    assert.deepEqual(ids, expected.data.events.nodes.map((node) => node.id));
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    assert.equal(merged.events.pageInfo.hasNextPage, false);
  } finally {
    subscription.unsubscribe();
  }
});

test("nested relations are read from the normalised cache", async () => {
  const apollo = client();
  const { data } = await apollo.query({ query: EVENTS_PAGE, variables: { first: 50 } });
  const events = data.events.edges.map((edge) => edge.node);

  const withFigures = events.find((event) => event.figures.nodes.some((f) => f.claimant));
  assert.ok(withFigures, "some event has a figure with a claimant");
  const figure = withFigures.figures.nodes.find((f) => f.claimant);
  assert.equal(typeof figure.claimant.name, "string");

  // The claimant is one normalised Actor entity, whichever path reached it.
  const cached = apollo.cache.extract();
  assert.equal(cached[apollo.cache.identify(figure.claimant)].name, figure.claimant.name);
  assert.ok(events.some((event) => event.participants.length > 0), "participants with roles");
  assert.ok(events.some((event) => event.statements.nodes.length > 0), "statements about events");
  for (const event of events) {
    for (const participation of event.participants) {
      assert.ok(participation.role && participation.actor.id);
    }
  }
});
