"""The data model of eventql: record models for seed files, SQLModel tables, and the database.

Knows nothing of GraphQL or file formats; `seeds/` and `gql/` build on it.
"""
