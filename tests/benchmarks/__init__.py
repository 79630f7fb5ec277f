"""The API benchmark (not a test): `python -m tests.benchmarks [--quick] [--events N] ...`.

Generates a synthetic dataset (`tests.seed_helpers.large_seed(..., varied=True)`), seeds it
into SQLite and PostgreSQL (timing the load and a reseed), serves it — eventql with the
general executor and with the fast path, a raw SQL + orjson floor, and PostGraphile v5 on
PostgreSQL — each in its own process, and loads each with 16 concurrent clients from a
separate load-generator process (wrk if installed). Prints requests/s, p50/p99 latency, SQL
statements per request, ratios to the floor and to PostGraphile, and peak server memory.

`--workload grouped` runs the grouped-aggregates workload instead (`tests.benchmarks.grouped`):
deaths by country and year and arrests by claimant and month on UCDP-shaped data, with one
client and with many, against a hand-written SQL GROUP BY floor and PostGraphile with
`@graphile/pg-aggregates`, checking that the answers agree.
"""
