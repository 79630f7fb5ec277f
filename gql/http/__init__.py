"""HTTP and transport: the Starlette app, GraphQL over HTTP, ETags, persisted queries, the
explorer; and what operators watch: health, metrics, request IDs.
"""
