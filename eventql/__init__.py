"""eventql: a GraphQL API over structured records of news events.

This package wires the layers together: settings and the `eventql` command line.
"""
