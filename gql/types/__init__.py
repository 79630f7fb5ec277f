"""The GraphQL object types, one module per record kind (`EventType` is exposed as `Event`).

Each type is built from a database row by its `from_row`; relations resolve through the
request's DataLoaders, so nested fields cost one SQL statement per field, not per record.
"""
