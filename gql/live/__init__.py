"""Live updates: a feed of new dataset versions per process, and the two transports that carry
subscriptions to clients (`graphql-transport-ws` over WebSocket, `graphql-sse` over
Server-Sent Events)."""
