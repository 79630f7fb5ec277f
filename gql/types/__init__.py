"""The GraphQL object types, one module per record kind (`EventType` is exposed as `Event`).

Every field of a row-backed type is declared once, by a factory of `fields`: a column, a
computed value, a value object (`values`), a to-one record, a list or a connection. The
factory makes the Strawberry field, its resolver, and the spec (`specs`) the fast path
compiles, all from the one declaration. Objects are made from table rows (`from_row`);
relations resolve through the request's DataLoaders, so a nested field costs one SQL
statement per field, not per record.
"""
