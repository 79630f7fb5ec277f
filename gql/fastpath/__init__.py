"""The fast path: query operations compiled into plans of SQL per level and generated builders.

Strawberry stays the schema (SDL, validation, introspection, descriptions) and the general
executor. For a query operation the fast path can answer, it compiles the selection once —
`compiler` (using the `Listing`/`Relation` metadata through `registry`), `steps` and
`arguments` (the resolvers' own filter, order, page and statement builders), `inline`
(nested selections the database writes as JSON, one column of their parent's rows), `fetch`
(one statement per level for the rest, batched by parent keys), `codegen` (a builder per
selection that writes dicts straight from rows, splicing in the database's JSON) — caches
the plan per document and operation (`runner`, `document`), and runs it with each request's
variables. The benchmark's reference query is one SQL statement. Everything else falls back to the
general executor, transparently: `FastPath.execute` returns None.
"""

from gql.fastpath.runner import FastPath

__all__ = ["FastPath"]
