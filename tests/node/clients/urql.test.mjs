// urql with Graphcache against the live server: schema-aware normalised caching, and
// relayPagination merging every page of events into one list.
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";

import { Client, fetchExchange, gql } from "@urql/core";
import { cacheExchange } from "@urql/exchange-graphcache";
import { relayPagination } from "@urql/exchange-graphcache/extras";
import { buildSchema, introspectionFromSchema, isObjectType } from "graphql";

import { endpoint, operation, post } from "./support.mjs";

const EVENTS_PAGE = gql(operation("EventsPage"));
const PAGE_SIZE = 4;
const schema = buildSchema(
  fs.readFileSync(new URL("../../../gql/schema.graphql", import.meta.url), "utf8"),
);

// Records have global IDs; connections, edges, dates and the like are embedded in their parent.
const keys = Object.fromEntries(
  Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith("__") && !type.getFields().id)
    .map((type) => [type.name, () => null]),
);

function client() {
  return new Client({
    url: endpoint,
    exchanges: [
      cacheExchange({
        schema: introspectionFromSchema(schema),
        keys,
        resolvers: { Query: { events: relayPagination() } },
      }),
      fetchExchange,
    ],
  });
}

test("Graphcache's relayPagination merges every page of events", async () => {
  const urql = client();
  let result = await urql.query(EVENTS_PAGE, { first: PAGE_SIZE }).toPromise();
  assert.equal(result.error, undefined, result.error?.message);
  while (result.data.events.pageInfo.hasNextPage) {
    const after = result.data.events.pageInfo.endCursor;
    result = await urql.query(EVENTS_PAGE, { first: PAGE_SIZE, after }).toPromise();
    assert.equal(result.error, undefined, result.error?.message);
  }
  const ids = result.data.events.edges.map((edge) => edge.node.id);

  const expected = await post(operation("AllEventIds"));
  assert.ok(expected.data.events.totalCount > PAGE_SIZE, "the seed data spans several pages");
  assert.deepEqual(ids, expected.data.events.nodes.map((node) => node.id));
});

test("Graphcache normalises actors shared by events, figures and statements", async () => {
  const urql = client();
  const result = await urql.query(EVENTS_PAGE, { first: 50 }).toPromise();
  assert.equal(result.error, undefined, result.error?.message);
  const names = new Map();
  for (const { node: event } of result.data.events.edges) {
    const actors = [
      ...event.participants.map((p) => p.actor),
      ...event.figures.nodes.map((f) => f.claimant).filter(Boolean),
      ...event.statements.nodes.map((s) => s.speaker),
    ];
    for (const actor of actors) {
      if (names.has(actor.id)) assert.equal(names.get(actor.id), actor.name);
      names.set(actor.id, actor.name);
    }
  }
  assert.ok(names.size > 1, "events reference several actors");

  // The global ID is stable: refetching the record by it gives the same actor.
  const [id, name] = names.entries().next().value;
  const node = await urql.query(gql(operation("NodeById")), { id }).toPromise();
  assert.equal(node.data.node.name, name);
});
