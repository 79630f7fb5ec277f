// HTTP conventions seen from Node clients: Apollo's automatic persisted queries over GET,
// ETag revalidation, and the GraphQL-over-HTTP audit of npm `graphql-http`.
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { test } from "node:test";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { serverAudits } from "graphql-http";

import { endpoint } from "./support.mjs";

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

function recordingClient(requests) {
  const recordingFetch = async (url, init = {}) => {
    const response = await fetch(url, init);
    const body = await response.clone().json();
    requests.push({ method: init.method ?? "GET", url: String(url), body });
    return response;
  };
  return new ApolloClient({
    link: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
      new HttpLink({ uri: endpoint, fetch: recordingFetch }),
    ),
    cache: new InMemoryCache(),
  });
}

test("Apollo's persisted query link registers a query once, then sends only its hash", async () => {
  // A query this server has not seen before, so the first request cannot hit.
  const alias = `run_${randomUUID().replaceAll("-", "")}`;
  const query = gql`query PersistedDatasets { ${alias}: datasets { name } }`;

  const first = [];
  const result = await recordingClient(first).query({ query });
  assert.ok(result.data[alias].length > 0);
  assert.equal(first.length, 2, "a miss, then the retry with the query");
  assert.equal(first[0].method, "GET");
  assert.ok(!new URL(first[0].url).searchParams.has("query"), "the first request is hash-only");
  assert.equal(first[0].body.errors[0].extensions.code, "PERSISTED_QUERY_NOT_FOUND");
  assert.equal(first[1].body.errors, undefined);

  const second = [];
  const again = await recordingClient(second).query({ query });
  assert.deepEqual(again.data, result.data);
  assert.equal(second.length, 1, "the hash alone is enough now");
  assert.ok(!new URL(second[0].url).searchParams.has("query"));
});

test("a GET query revalidates with its ETag", async () => {
  const url = new URL(endpoint);
  url.searchParams.set("query", "{ datasets { name contentHash } }");
  const first = await fetch(url);
  const etag = first.headers.get("etag");
  assert.equal(first.status, 200);
  assert.ok(etag);
  const again = await fetch(url, { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
});

for (const audit of serverAudits({ url: endpoint })) {
  test(`graphql-http audit ${audit.id}: ${audit.name}`, async () => {
    const result = await audit.fn();
    assert.equal(result.status, "ok", result.reason);
  });
}
