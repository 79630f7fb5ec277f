"""The GraphQL API: a documented Strawberry schema over the records, and the Starlette app.

Knows nothing of file formats; reads the database through `schema/` (tables, filters, search).
"""
