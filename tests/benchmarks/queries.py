"""The benchmark's requests: eventql's representative queries, the floor's, PostGraphile's.

Each is one fixed POST body, so every request of a run is the same work: the reference query
(issue 6: the first 50 events of one type by date, with participants' roles and actor names
and figures' kinds and values), a timeline aggregate, a full-text search, and a node lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from gql.types.node import encode_id
from schema.ids import record_id

#: The dataset name the benchmark seeds.
DATASET = "bench"
#: The event type the reference and timeline queries ask for (one event in seven).
EVENT_TYPE = "RIOTS"


@dataclass(frozen=True)
class BenchQuery:
    """A request to measure: a name, what it asks, the path and the JSON body."""

    name: str
    title: str
    body: bytes
    path: str = "/graphql"


def graphql_body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    """A GraphQL-over-HTTP POST body."""
    payload: dict[str, Any] = {"query": " ".join(query.split())}
    if variables:
        payload["variables"] = variables
    return orjson.dumps(payload)


REFERENCE_QUERY = """query Reference($type: EventType!) {
  events(first: 50, filter: {type: {equalTo: $type}}, orderBy: [{field: DATE}]) {
    nodes {
      slug title startDate
      participants { role actor { name } }
      figures { nodes { kind value } }
    }
  }
}"""

TIMELINE_QUERY = """query Timeline($type: EventType!) {
  events(filter: {type: {equalTo: $type}}) {
    totalCount
    aggregates { timeline(interval: MONTH) { start end count } }
  }
}"""

SEARCH_QUERY = """query Search($words: String!) {
  events(search: $words, first: 20) {
    totalCount
    nodes { slug title startDate location { place admin1 } }
  }
}"""

NODE_QUERY = """query Node($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Event {
      slug title date { start end precision } location { place admin1 countryCode }
      participants { role actor { name kind } }
      figures { totalCount nodes { kind value claimant { name } } }
      statements { nodes { kind text speaker { name } } }
    }
  }
}"""


def eventql_queries() -> list[BenchQuery]:
    """The four representative queries, as eventql's `/graphql` takes them."""
    node_id = encode_id("Event", record_id(DATASET, "event", "e70"))
    return [
        BenchQuery(
            "reference",
            "50 events of a type by date + participants + figures",
            graphql_body(REFERENCE_QUERY, {"type": EVENT_TYPE}),
        ),
        BenchQuery(
            "timeline",
            "monthly timeline of one event type (+ totalCount)",
            graphql_body(TIMELINE_QUERY, {"type": EVENT_TYPE}),
        ),
        BenchQuery(
            "search",
            "full-text search, first 20 + totalCount",
            graphql_body(SEARCH_QUERY, {"words": "riot Zhanaozen"}),
        ),
        BenchQuery(
            "node",
            "node(id:) of an event with its relations",
            graphql_body(NODE_QUERY, {"id": node_id}),
        ),
    ]


def floor_query() -> BenchQuery:
    """The raw floor's request: the reference query's data without GraphQL."""
    return BenchQuery(
        "floor",
        "plain SQL + orjson (no GraphQL)",
        orjson.dumps({"variables": {"type": EVENT_TYPE}}),
        path="/floor",
    )


#: The reference query in PostGraphile v5's schema (its default naming of our tables and
#: foreign keys): the same events, participants with actor names, and figures.
POSTGRAPHILE_QUERY = """query Reference($type: String!) {
  allEvents(first: 50, condition: {type: $type}, orderBy: [START_DATE_ASC, PRIMARY_KEY_ASC]) {
    nodes {
      slug title startDate
      participationsByEventId { nodes { role actorByActorId { name } } }
      figuresByEventId { nodes { kind value } }
    }
  }
}"""


def postgraphile_query() -> BenchQuery:
    """The reference query for PostGraphile (stored values: the type is lower case)."""
    return BenchQuery(
        "postgraphile",
        "PostGraphile v5, the reference query",
        graphql_body(POSTGRAPHILE_QUERY, {"type": EVENT_TYPE.lower()}),
    )
