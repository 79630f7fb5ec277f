"""The benchmark corpus: queries analysts and frontend clients really send, as fixed POST bodies.

Each `CorpusQuery` is one GraphQL operation with its variables, grouped by what it exercises:
filters (and/or/not, date ranges, relations), search, nested connections two and three levels
deep, Relay paging forwards and backwards (deep cursors too), `node`/`nodes`, fragments,
aliases and `__typename` (frontend queries get `__typename` in every selection set, as Apollo
Client adds it), dashboards of several aliased lists and charts, and aggregates (counts,
timelines, `groups(by: ...)` on events and figures, figure totals).

Variables that only the data can give — a cursor in the middle of the dataset, a record's
global ID — are `Lookup`s: a small query whose answer holds the value. `resolve` asks them
(through any `post` function: the in-process app, a server) and returns the fixed bodies, so
the cursors come from a real page of the seeded data, as a client's would.

The queries are written for the benchmark's synthetic data (`tests.seed_helpers.varied_seed`:
dataset "bench", four years from 2019, seven event types, Kazakh places) and answer with data
at any size from about 200 events (`tests/test_benchmark_corpus.py` checks that on both
databases, so the corpus cannot rot).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import FieldNode, NameNode, SelectionSetNode, parse, print_ast
from graphql.language import OperationDefinitionNode, Visitor, visit

from tests.benchmarks.queries import DATASET, BenchQuery, graphql_body

#: The middle of the synthetic data's four years: deep cursors start here.
MIDDLE = "2021-01-01"
#: Later in the data, for a nested deep page (the issue's "mid-2022 cursor").
LATE = "2022-06-01"

#: `post(query, variables)` → the JSON answer.
Post = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Lookup:
    """A variable's value read off a real answer: `query` (with `variables`) and the path to
    the value in its `data`."""

    query: str
    path: tuple[str | int, ...]
    variables: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CorpusQuery:
    """One request of the corpus: its name, group, what it asks, and its variables (fixed, or
    looked up in the data)."""

    name: str
    group: str
    title: str
    query: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    lookups: Mapping[str, Lookup] = field(default_factory=dict)
    #: Aggregates over many records: the issue allows these 10x at ten times the data.
    aggregate: bool = False


class _AddTypename(Visitor):
    """Adds `__typename` to every selection set below the operation's root, as Apollo
    Client's `addTypename` does (fragments included)."""

    def enter_selection_set(self, node: SelectionSetNode, _key: Any, parent: Any, *_: Any) -> Any:
        if isinstance(parent, OperationDefinitionNode):
            return None
        names = {s.name.value for s in node.selections if isinstance(s, FieldNode)}
        if "__typename" in names:
            return None
        typename = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())
        return SelectionSetNode(selections=(*node.selections, typename))


def with_typename(query: str) -> str:
    """`query` with `__typename` in every selection set but the root's."""
    return print_ast(visit(parse(query), _AddTypename()))


def _first_event_from(day: str, order: str = "{field: DATE}", what: str = "cursor") -> Lookup:
    """The first event on or after `day` (before it, for a descending order): its edge's
    `cursor`, or its node's `id`."""
    condition = "lessThan" if "DESC" in order else "greaterThanOrEqualTo"
    selection = "edges { cursor }" if what == "cursor" else "nodes { id }"
    return Lookup(
        f"query($day: Date!) {{ events(first: 1, filter: {{startDate: {{{condition}: $day}}}},"
        f" orderBy: [{order}]) {{ {selection} }} }}",
        ("events", "edges" if what == "cursor" else "nodes", 0, what),
        {"day": day},
    )


def _first_id(root: str, arguments: str = "") -> Lookup:
    """The global ID of the first record of a root list."""
    inner = f"({arguments})" if arguments else "(first: 1)"
    return Lookup(f"{{ {root}{inner} {{ nodes {{ id }} }} }}", (root, "nodes", 0, "id"))


EVENT_CARD = """
fragment EventCard on Event {
  id slug title type subType
  date { start end precision }
  location { place admin1 countryCode }
}"""

_FILTERS = [
    CorpusQuery(
        "filter-and-or-dates",
        "filters",
        "and/or filter in a date range, by date, first 20 + totalCount",
        """query Filtered($from: Date!, $to: Date!) {
  events(first: 20, orderBy: [{field: DATE}], filter: {and: [
      {date: {greaterThanOrEqualTo: $from, lessThan: $to}},
      {or: [{type: {equalTo: RIOTS}}, {type: {equalTo: PROTESTS}, admin1: {equalTo: "Mangystau"}}]}
  ]}) {
    totalCount
    nodes { slug title type date { start end } location { place admin1 } }
    pageInfo { hasNextPage endCursor }
  }
}""",
        {"from": "2019-03-01", "to": "2021-09-01"},
    ),
    CorpusQuery(
        "filter-not-participant",
        "filters",
        "not (an organiser took part) and type in, + participants, totalCount",
        """query NoOrganiser($types: [EventType!]!) {
  events(first: 20,
         filter: {type: {in: $types}, not: {participant: {role: {equalTo: ORGANISER}}}}) {
    totalCount
    nodes { slug title participants { role actor { name kind } } }
  }
}""",
        {"types": ["PROTESTS", "RIOTS"]},
    ),
    CorpusQuery(
        "filter-actor-role-date",
        "filters",
        "a security force responded, since a date, newest first",
        """query Responses($since: Date!) {
  events(first: 25, orderBy: [{field: DATE, direction: DESC}], filter: {
      startDate: {greaterThanOrEqualTo: $since},
      participant: {role: {equalTo: RESPONDER}, actor: {kind: {equalTo: SECURITY_FORCE}}}}) {
    totalCount
    nodes { slug title startDate participants { role actor { name } } }
  }
}""",
        {"since": "2022-01-01"},
    ),
    CorpusQuery(
        "filter-figure-threshold",
        "filters",
        "events with a killed figure above a threshold, + figures",
        """query Deadly($min: Int!) {
  events(first: 20, orderBy: [{field: DATE}],
         filter: {figure: {kind: {equalTo: KILLED}, best: {greaterThan: $min}}}) {
    totalCount
    nodes { slug title figures { nodes { kind best qualifier raw } } }
  }
}""",
        {"min": 500},
    ),
    CorpusQuery(
        "filter-places-dates-desc",
        "filters",
        "events in two places in one year, newest first, first 50",
        """query Places($places: [String!]!, $from: Date!, $to: Date!) {
  events(first: 50, orderBy: [{field: DATE, direction: DESC}],
         filter: {place: {in: $places},
                  date: {greaterThanOrEqualTo: $from, lessThanOrEqualTo: $to}}) {
    totalCount
    nodes { slug title startDate location { place latitude longitude coordinatePrecision } }
  }
}""",
        {"places": ["Zhanaozen", "Aktau"], "from": "2019-01-01", "to": "2021-12-31"},
    ),
    CorpusQuery(
        "statements-government",
        "filters",
        "the README's government statements: speaker (or its parent) a state body, by date",
        """query GovernmentStatements($speaker: ActorFilter!) {
  statements(first: 20, orderBy: {field: DATE}, filter: {speaker: $speaker}) {
    totalCount
    nodes {
      date { start precision } kind mode text speakerTitle
      speaker { name kind parent { name } }
      aboutEvents { title }
    }
  }
}""",
        {
            "speaker": {
                "or": [
                    {"kind": {"in": ["STATE", "STATE_BODY"]}},
                    {"parent": {"kind": {"in": ["STATE", "STATE_BODY"]}}},
                ]
            }
        },
    ),
    CorpusQuery(
        "figures-claimant-best",
        "filters",
        "whole figures (not parts) of two kinds by a claimant kind, sorted by best",
        """query BigClaims($kinds: [FigureKind!]!) {
  figures(first: 20, orderBy: [{field: BEST, direction: DESC}],
          filter: {kind: {in: $kinds}, partOfExists: false,
                   claimant: {kind: {equalTo: STATE_BODY}}}) {
    totalCount
    nodes { slug kind raw low best high claimant { name } event { title startDate } }
  }
}""",
        {"kinds": ["ARRESTED", "DETAINED"]},
    ),
]

_SEARCH = [
    CorpusQuery(
        "search-events",
        "search",
        "full-text search, first 20 + totalCount",
        """query Search($words: String!) {
  events(search: $words, first: 20) {
    totalCount
    nodes { slug title startDate location { place admin1 } }
  }
}""",
        {"words": "riot Zhanaozen"},
    ),
    CorpusQuery(
        "search-relevance-filtered",
        "search",
        "search ranked by relevance within a date range",
        """query Ranked($words: String!, $since: Date!) {
  events(search: $words, first: 10, orderBy: [{field: RELEVANCE}],
         filter: {startDate: {greaterThanOrEqualTo: $since}}) {
    totalCount
    nodes { slug title description startDate }
  }
}""",
        {"words": "protest Aktau", "since": "2020-01-01"},
    ),
    CorpusQuery(
        "search-everything",
        "search",
        "one search box over events, actors and statements (aliases)",
        """query SearchBox($words: String!, $who: String!) {
  events: events(search: $words, first: 5) { totalCount nodes { id title } }
  people: actors(search: $who, first: 5) { totalCount nodes { id name kind } }
  said: statements(search: $words, first: 5) { totalCount nodes { id text speaker { name } } }
}""",
        {"words": "Almaty", "who": "security"},
    ),
    CorpusQuery(
        "search-in-filter",
        "search",
        "events whose actor matches a search, and type",
        """query ActorSearch($who: String!) {
  events(first: 20, filter: {actor: {search: $who}, type: {equalTo: PROTESTS}}) {
    totalCount
    nodes { slug title participants { actor { name } } }
  }
}""",
        {"who": "crowd"},
    ),
]

_NESTED = [
    CorpusQuery(
        "reference",
        "nested",
        "issue 6's reference: 50 events of a type by date + participants + figures",
        """query Reference($type: EventType!) {
  events(first: 50, filter: {type: {equalTo: $type}}, orderBy: [{field: DATE}]) {
    nodes {
      slug title startDate
      participants { role actor { name } }
      figures { nodes { kind value } }
    }
  }
}""",
        {"type": "RIOTS"},
    ),
    CorpusQuery(
        "nested-3-levels",
        "nested",
        "state bodies → their statements → events they are about → figures",
        """query Officials($kind: ActorKind!) {
  actors(first: 10, filter: {kind: {equalTo: $kind}}) {
    nodes {
      name
      statements(first: 5) {
        totalCount
        nodes {
          text date { start }
          aboutEvents { title figures(first: 3) { nodes { kind best } } }
        }
      }
    }
  }
}""",
        {"kind": "STATE_BODY"},
    ),
    CorpusQuery(
        "nested-dataset-events-title",
        "nested",
        "a dataset's filtered events sorted by title, with actors and their parents",
        """query DatasetEvents($name: String!, $type: EventType!) {
  dataset(name: $name) {
    name title
    events(first: 20, filter: {type: {equalTo: $type}}, orderBy: [{field: TITLE}]) {
      totalCount
      nodes { title startDate participants { role actor { name parent { name } } } }
    }
  }
}""",
        {"name": DATASET, "type": "PROTESTS"},
    ),
    CorpusQuery(
        "nested-actor-pages",
        "nested",
        "actors by name with their part in events and their children (two levels)",
        """query ActorPages {
  actors(first: 20, orderBy: [{field: NAME}], filter: {parentExists: false}) {
    nodes {
      name kind
      participations(first: 5) { totalCount nodes { role event { title date { start } } } }
      children(first: 3) { nodes { name kind } }
      reportedFigures(first: 3) { nodes { kind best } }
    }
  }
}""",
    ),
    CorpusQuery(
        "nested-figure-parts",
        "nested",
        "whole figures with their parts, event and claimant's parent",
        """query Wholes($kind: FigureKind!) {
  figures(first: 30, filter: {kind: {equalTo: $kind}, partOfExists: false}) {
    nodes {
      raw best qualifier
      parts { raw best }
      event { title location { place } }
      claimant { name parent { name } }
    }
  }
}""",
        {"kind": "PARTICIPANTS"},
    ),
]

_PAGING = [
    CorpusQuery(
        "page-first",
        "paging",
        "the first page by date, edges with cursors",
        """query FirstPage($n: Int!) {
  events(first: $n, orderBy: [{field: DATE}]) {
    edges { cursor node { id title date { start } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}""",
        {"n": 10},
    ),
    CorpusQuery(
        "page-after-deep",
        "paging",
        "a page after a mid-dataset cursor (2021-01-01), by date",
        """query After($cursor: String!) {
  events(first: 10, after: $cursor, orderBy: [{field: DATE}]) {
    edges { cursor node { id title date { start } } }
    pageInfo { hasNextPage endCursor }
  }
}""",
        lookups={"cursor": _first_event_from(MIDDLE)},
    ),
    CorpusQuery(
        "page-before-deep-desc",
        "paging",
        "the issue's plan cliff: last 10 before a mid-dataset cursor, DATE DESC",
        """query Before($cursor: String!) {
  events(last: 10, before: $cursor, orderBy: [{field: DATE, direction: DESC}]) {
    edges { cursor node { id title date { start } } }
    pageInfo { hasPreviousPage startCursor }
  }
}""",
        lookups={"cursor": _first_event_from(MIDDLE, "{field: DATE, direction: DESC}")},
    ),
    CorpusQuery(
        "page-last",
        "paging",
        "the last page (backwards from the end), by date",
        """query LastPage($n: Int!) {
  events(last: $n, orderBy: [{field: DATE}]) {
    edges { cursor node { id title date { start } } }
    pageInfo { hasPreviousPage startCursor }
  }
}""",
        {"n": 10},
    ),
    CorpusQuery(
        "page-title-mixed-deep",
        "paging",
        "a page after a mid-dataset cursor by title ASC, date DESC (mixed directions)",
        """query ByTitle($cursor: String!) {
  events(first: 20, after: $cursor, orderBy: [{field: TITLE}, {field: DATE, direction: DESC}]) {
    edges { cursor node { title date { start } } }
    pageInfo { hasNextPage endCursor }
  }
}""",
        lookups={
            "cursor": Lookup(
                """query($t: String!) { events(first: 1,
                filter: {title: {greaterThanOrEqualTo: $t}},
                orderBy: [{field: TITLE}, {field: DATE, direction: DESC}]) {
                edges { cursor } } }""",
                ("events", "edges", 0, "cursor"),
                {"t": "Protest"},
            )
        },
    ),
    CorpusQuery(
        "page-nested-deep",
        "paging",
        "a dataset's events after a mid-2022 cursor, filtered (nested deep page)",
        """query NestedDeep($name: String!, $cursor: String!) {
  dataset(name: $name) {
    events(first: 10, after: $cursor, orderBy: [{field: DATE}],
           filter: {type: {in: [RIOTS, PROTESTS]}}) {
      edges { cursor node { title startDate } }
      pageInfo { hasNextPage endCursor }
    }
  }
}""",
        {"name": DATASET},
        lookups={
            "cursor": Lookup(
                """query($name: String!, $day: Date!) { dataset(name: $name) {
                events(first: 1, orderBy: [{field: DATE}], filter: {startDate:
                {greaterThanOrEqualTo: $day}}) { edges { cursor } } } }""",
                ("dataset", "events", "edges", 0, "cursor"),
                {"name": DATASET, "day": LATE},
            )
        },
    ),
    CorpusQuery(
        "page-figures-best-deep",
        "paging",
        "figures by best DESC after a mid-range cursor",
        """query FiguresByBest($cursor: String!) {
  figures(first: 20, after: $cursor, orderBy: [{field: BEST, direction: DESC}]) {
    edges { cursor node { kind best raw } }
    pageInfo { hasNextPage endCursor }
  }
}""",
        lookups={
            "cursor": Lookup(
                """{ figures(first: 1, filter: {best: {lessThanOrEqualTo: 500}},
                orderBy: [{field: BEST, direction: DESC}]) { edges { cursor } } }""",
                ("figures", "edges", 0, "cursor"),
            )
        },
    ),
    CorpusQuery(
        "page-statements-before",
        "paging",
        "statements: last 10 before a mid-dataset cursor, by date",
        """query StatementsBefore($cursor: String!) {
  statements(last: 10, before: $cursor, orderBy: [{field: DATE}]) {
    edges { cursor node { text date { start } speaker { name } } }
    pageInfo { hasPreviousPage startCursor }
  }
}""",
        lookups={
            "cursor": Lookup(
                """query($day: Date!) { statements(first: 1, orderBy: [{field: DATE}],
                filter: {date: {greaterThanOrEqualTo: $day}}) { edges { cursor } } }""",
                ("statements", "edges", 0, "cursor"),
                {"day": MIDDLE},
            )
        },
    ),
]

_NODES = [
    CorpusQuery(
        "node-event",
        "node",
        "node(id:) of an event with its relations",
        """query Node($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Event {
      slug title date { start end precision } location { place admin1 countryCode }
      participants { role actor { name kind } }
      figures { totalCount nodes { kind value claimant { name } } }
      statements { nodes { kind text speaker { name } } }
    }
  }
}""",
        lookups={"id": _first_event_from(MIDDLE, what="id")},
    ),
    CorpusQuery(
        "nodes-mixed",
        "node",
        "nodes(ids:) of five kinds, with inline fragments per type",
        """query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on Event { title startDate }
    ... on Actor { name actorKind: kind parent { name } }
    ... on Figure { figureKind: kind best event { title } }
    ... on Statement { text statementKind: kind speaker { name } }
    ... on Source { headline outlet }
  }
}""",
        lookups={
            "ids": Lookup(
                """query($day: Date!) {
  e: events(first: 2, filter: {startDate: {greaterThanOrEqualTo: $day}}) { nodes { id } }
  a: actors(first: 2, filter: {parentExists: true}) { nodes { id } }
  f: figures(first: 2) { nodes { id } }
  s: statements(first: 2) { nodes { id } }
  o: sources(first: 2) { nodes { id } }
}""",
                (),
                {"day": MIDDLE},
            )
        },
    ),
    CorpusQuery(
        "slug-lookups",
        "node",
        "records by slug, aliased: an event, an actor and a figure",
        """query Slugs($event: String!, $actor: String!, $figure: String!, $dataset: String!) {
  riot: event(slug: $event, dataset: $dataset) { id title source { headline } evidence { locator } }
  who: actor(slug: $actor, dataset: $dataset) { id name children { totalCount } }
  count: figure(slug: $figure, dataset: $dataset) { id raw best partOf { raw } }
}""",
        {"event": "e29", "actor": "a6", "figure": "f2-1", "dataset": DATASET},
    ),
]

_FRONTEND = [
    CorpusQuery(
        "frontend-event-list",
        "fragments",
        "an Apollo-style list page: fragments, aliases, __typename everywhere",
        with_typename(
            """query EventList($type: EventType!, $first: Int!) {
  list: events(first: $first, filter: {type: {equalTo: $type}},
               orderBy: [{field: DATE, direction: DESC}]) {
    total: totalCount
    edges { cursor node { ...EventCard figures(first: 3) { nodes { ...FigureChip } } } }
    pageInfo { hasNextPage endCursor }
  }
}
fragment FigureChip on Figure { id kind best qualifier }"""
            + EVENT_CARD
        ),
        {"type": "PROTESTS", "first": 25},
    ),
    CorpusQuery(
        "frontend-event-page",
        "fragments",
        "an Apollo-style event page by ID: nested fragments, __typename everywhere",
        with_typename(
            """query EventPage($id: ID!) {
  event: node(id: $id) {
    ... on Event {
      ...EventCard
      description umbrella
      source { id headline outlet }
      evidence { text locator }
      participants { role actor { ...ActorChip } }
      links { kind target { ...EventCard } }
      figures(first: 10) { nodes { id kind raw best claimant { ...ActorChip } } }
      statements(first: 5) { nodes { id text kind speaker { ...ActorChip } } }
    }
  }
}
fragment ActorChip on Actor { id name kind parent { id name } }"""
            + EVENT_CARD
        ),
        lookups={
            "id": Lookup(
                """{ events(first: 1, filter: {link: {kind: {equalTo: FOLLOWS}}}) {
                nodes { id } } }""",
                ("events", "nodes", 0, "id"),
            )
        },
    ),
    CorpusQuery(
        "frontend-actor-page",
        "fragments",
        "an Apollo-style actor page: aliased connections of one actor",
        with_typename(
            """query ActorPage($id: ID!) {
  actor: node(id: $id) {
    id
    ... on Actor {
      name kind countryCode
      parent { id name }
      recent: participations(first: 10) { totalCount nodes { role event { ...EventCard } } }
      said: statements(first: 5) { totalCount nodes { id text date { start } } }
      about: statementsAbout(first: 5) { totalCount nodes { id text } }
      claims: reportedFigures(first: 5) { totalCount nodes { id kind best } }
    }
  }
}"""
            + EVENT_CARD
        ),
        lookups={
            "id": Lookup(
                """{ actors(first: 1, filter: {kind: {equalTo: CROWD}}) { nodes { id } } }""",
                ("actors", "nodes", 0, "id"),
            )
        },
    ),
]

_DASHBOARDS = [
    CorpusQuery(
        "dashboard-lists",
        "dashboards",
        "five aliased lists: latest, riots, arrests, statements, actors",
        with_typename(
            """query Home($type: EventType!) {
  latest: events(first: 5, orderBy: [{field: DATE, direction: DESC}]) { nodes { ...EventCard } }
  riots: events(first: 5, filter: {type: {equalTo: $type}},
                orderBy: [{field: DATE, direction: DESC}]) {
    totalCount nodes { ...EventCard } }
  arrests: figures(first: 5, filter: {kind: {equalTo: ARRESTED}},
                   orderBy: [{field: BEST, direction: DESC}]) {
    nodes { raw best event { title } } }
  said: statements(first: 5, orderBy: [{field: DATE, direction: DESC}]) {
    nodes { text speaker { name } } }
  forces: actors(first: 5, filter: {kind: {equalTo: SECURITY_FORCE}}) { totalCount nodes { name } }
}"""
            + EVENT_CARD
        ),
        {"type": "RIOTS"},
    ),
    CorpusQuery(
        "dashboard-charts",
        "dashboards",
        "lists and charts in one operation (test_fastpath_aggregates' dashboard)",
        """query Dashboard($type: EventType!) {
  latest: events(first: 5, orderBy: {field: DATE, direction: DESC}) {
    nodes { slug title date { start end } } }
  riots: events(first: 3, filter: {type: {equalTo: $type}}) {
    totalCount nodes { slug participants { role actor { name } } }
    chart: aggregates { timeline(interval: MONTH) { start count spanning } umbrellaCount }
    ...Counts }
  figures(first: 5) { nodes { kind value } aggregates { byFigureKind { kind count } } }
  actors(first: 5) { nodes { name } }
  statements(first: 5) { nodes { text } }
}
fragment Counts on EventConnection { aggregates { count byCountry { countryCode count } } }""",
        {"type": "RIOTS"},
        aggregate=True,
    ),
    CorpusQuery(
        "dashboard-region",
        "dashboards",
        "one region's dashboard: aliased lists and counts over a date range",
        """query Region($region: String!, $from: Date!) {
  recent: events(first: 10, orderBy: [{field: DATE, direction: DESC}],
                 filter: {admin1: {equalTo: $region}, startDate: {greaterThanOrEqualTo: $from}}) {
    totalCount nodes { title startDate type } }
  violent: events(first: 5, filter: {admin1: {equalTo: $region},
                                     type: {in: [RIOTS, BATTLES, VIOLENCE_AGAINST_CIVILIANS]}}) {
    totalCount nodes { title type } }
  byType: events(filter: {admin1: {equalTo: $region}, startDate: {greaterThanOrEqualTo: $from}}) {
    aggregates { byType { type count } } }
}""",
        {"region": "Mangystau", "from": "2021-01-01"},
        aggregate=True,
    ),
]

_AGGREGATES = [
    CorpusQuery(
        "agg-timeline-month",
        "aggregates",
        "monthly timeline of one event type (+ totalCount)",
        """query Timeline($type: EventType!) {
  events(filter: {type: {equalTo: $type}}) {
    totalCount
    aggregates { timeline(interval: MONTH) { start end count } }
  }
}""",
        {"type": "RIOTS"},
        aggregate=True,
    ),
    CorpusQuery(
        "agg-by-type-subtype",
        "aggregates",
        "byType, bySubType and umbrella count over every event",
        """query Kinds {
  events {
    aggregates { count byType { type count } bySubType { type subType count } umbrellaCount }
  }
}""",
        aggregate=True,
    ),
    CorpusQuery(
        "agg-event-groups-region-year",
        "aggregates",
        "events grouped by region and year (groups), in a date range",
        """query RegionYears($from: Date!) {
  events(filter: {startDate: {greaterThanOrEqualTo: $from}}) {
    aggregates { groups(by: [ADMIN1, YEAR], orderBy: {field: KEYS, direction: ASC}) {
      keys { admin1 periodStart spansPeriods } count } }
  }
}""",
        {"from": "2020-01-01"},
        aggregate=True,
    ),
    CorpusQuery(
        "agg-event-groups-actor-role",
        "aggregates",
        "riots grouped by actor and role, top 20 by count",
        """query WhoRiots($type: EventType!) {
  events(filter: {type: {equalTo: $type}}) {
    aggregates { groups(by: [ACTOR, ROLE], first: 20) { keys { actor { name kind } role } count } }
  }
}""",
        {"type": "RIOTS"},
        aggregate=True,
    ),
    CorpusQuery(
        "agg-by-actor-country",
        "aggregates",
        "one region's events: top responders and countries",
        """query Responders($region: String!) {
  events(filter: {admin1: {equalTo: $region}}) {
    aggregates {
      count
      byActor(role: RESPONDER, first: 10) { count actor { name kind } }
      byCountry { countryCode count }
    }
  }
}""",
        {"region": "Mangystau"},
        aggregate=True,
    ),
    CorpusQuery(
        "agg-figure-totals",
        "aggregates",
        "figure totals by kind (low/best/high, parts never double counted), whole dataset",
        """query Totals {
  figures(first: 5) {
    aggregates {
      byFigureKind { kind count }
      totals { kind unit low best high figureCount openEndedCount skippedPartCount }
    }
  }
}""",
        aggregate=True,
    ),
    CorpusQuery(
        "agg-figure-groups-country-year",
        "aggregates",
        "the explorer's deaths by country and year (groups)",
        """query DeathsByCountryAndYear($kind: FigureKind!) {
  figures(filter: {kind: {equalTo: $kind}}) {
    aggregates {
      groups(by: [COUNTRY, YEAR], orderBy: {field: KEYS, direction: ASC}) {
        keys { countryCode periodStart spansPeriods kind } low best high figureCount unknownCount
      }
    }
  }
}""",
        {"kind": "KILLED"},
        aggregate=True,
    ),
    CorpusQuery(
        "agg-figure-groups-claimant-month",
        "aggregates",
        "the explorer's arrests by claimant and month, top 20 by best",
        """query ArrestsByClaimant($kind: FigureKind!) {
  figures(filter: {kind: {equalTo: $kind}}) {
    aggregates {
      groups(by: [CLAIMANT, MONTH], first: 20) {
        keys { claimant { name } periodStart spansPeriods }
        low best high boundsOnlyCount skippedPartCount
      }
    }
  }
}""",
        {"kind": "ARRESTED"},
        aggregate=True,
    ),
    CorpusQuery(
        "agg-statements",
        "aggregates",
        "statements: count, by kind, top speakers, quarterly timeline",
        """query Said($since: Date!) {
  statements(filter: {date: {greaterThanOrEqualTo: $since}}) {
    aggregates { count byKind { kind count } bySpeaker(first: 10) { count actor { name } }
                 timeline(interval: QUARTER) { start count } }
  }
}""",
        {"since": "2020-01-01"},
        aggregate=True,
    ),
]

#: Every query of the corpus, in the order they are run and printed.
CORPUS: tuple[CorpusQuery, ...] = (
    *_FILTERS,
    *_SEARCH,
    *_NESTED,
    *_PAGING,
    *_NODES,
    *_FRONTEND,
    *_DASHBOARDS,
    *_AGGREGATES,
)


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _ids(data: Any) -> list[str]:
    """Every `id` in an answer, in order."""
    if isinstance(data, dict):
        return [i for key, value in data.items() for i in ([value] if key == "id" else _ids(value))]
    if isinstance(data, list):
        return [i for value in data for i in _ids(value)]
    return []


async def variables_of(query: CorpusQuery, post: Post) -> dict[str, Any]:
    """The query's variables, its lookups asked through `post`. A lookup whose path is empty
    gives every `id` in its answer (a list for `nodes(ids:)`)."""
    variables = dict(query.variables)
    for name, lookup in query.lookups.items():
        answer = await post(lookup.query, dict(lookup.variables))
        if answer.get("errors") or not answer.get("data"):
            raise RuntimeError(f"{query.name}: lookup of ${name} failed: {answer}")
        data = answer["data"]
        variables[name] = _at(data, lookup.path) if lookup.path else _ids(data)
    return variables


async def resolve(post: Post, names: set[str] | None = None) -> list[BenchQuery]:
    """The corpus (or the queries named) as fixed POST bodies, lookups asked through `post`."""
    return [
        BenchQuery(q.name, q.title, graphql_body(q.query, await variables_of(q, post)))
        for q in CORPUS
        if names is None or q.name in names
    ]


def empty_parts(data: Any) -> list[str]:
    """The root fields of an answer that hold nothing: null, or a connection whose `nodes` or
    `edges` list is empty, or nothing but nulls, zeros, false and empty lists."""

    def holds(value: Any) -> bool:
        if isinstance(value, dict):
            return any(holds(v) for k, v in value.items() if k != "__typename")
        if isinstance(value, list):
            return any(holds(v) for v in value)
        if isinstance(value, bool) or value is None:
            return False
        return value not in (0, "")

    empty = []
    for name, value in (data or {}).items():
        if isinstance(value, dict):
            lists = [value[k] for k in ("nodes", "edges") if k in value]
            if any(not found for found in lists):
                empty.append(name)
                continue
        if not holds(value):
            empty.append(name)
    return empty
