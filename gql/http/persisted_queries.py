"""Automatic persisted queries (APQ), in Apollo's protocol.

A client sends only the sha256 of its query in `extensions.persistedQuery.sha256Hash`. If the
server knows the hash, it runs the stored query; if not, it answers `PersistedQueryNotFound`
(`extensions.code = PERSISTED_QUERY_NOT_FOUND`, status 200, not cacheable) and the client
retries with the query and the hash, which the server checks and stores. Short hash-only
requests fit in a GET URL, so queries become cacheable by browsers and proxies (see `etag`).

This is ASGI middleware in front of the GraphQL endpoint (`gql.http.endpoint`): it swaps a
known hash
for its query and hands the request on, so the endpoint never learns that APQ exists. Each
process keeps an LRU bounded by count and bytes (a share of `max_cache_bytes`, see
`gql.http.transport`), in front of the `persistedquery` table that every worker and host share
(`gql.http.persisted_table`): a query registered with one is known to all. A query evicted
everywhere is simply asked of the client again. Batched requests (JSON arrays) pass through
untouched.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from gql.http.asgi_messages import json_response, read_body, replay_body, with_header
from gql.http.endpoint import JSON, response_type
from gql.http.metrics import note_errors
from gql.http.persisted_table import SharedQueryStore

__all__ = ["PersistedQueries", "PersistedQueryStore", "sha256_hex"]

_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_hex(query: str) -> str:
    """The hash Apollo clients send for `query`: sha256 of its UTF-8 bytes, lower-case hex."""
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueryStore:
    """Queries by hash, least recently used dropped first, bounded by count and total size
    (the UTF-8 length of the queries: at least what Python holds for them, less its small
    per-string header)."""

    def __init__(self, *, max_entries: int = 1000, max_bytes: int = 4_000_000) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._queries: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._queries)

    def get(self, sha256: str) -> str | None:
        """The query stored under `sha256`, if still held."""
        found = self._queries.get(sha256)
        if found is None:
            return None
        self._queries.move_to_end(sha256)
        return found[0]

    def put(self, sha256: str, query: str) -> None:
        """Store `query` under its hash, evicting the least recently used beyond the bounds."""
        if sha256 in self._queries:
            self._queries.move_to_end(sha256)
            return
        size = len(query.encode())
        if size > self.max_bytes:
            return
        self._queries[sha256] = (query, size)
        self._bytes += size
        while len(self._queries) > self.max_entries or self._bytes > self.max_bytes:
            _, (_, evicted) = self._queries.popitem(last=False)
            self._bytes -= evicted


class _APQError(Exception):
    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def _not_found() -> _APQError:
    # The message and code Apollo Client's persisted-query link looks for before retrying.
    return _APQError(200, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")


class PersistedQueries:
    """ASGI middleware resolving `extensions.persistedQuery` in GET and POST requests."""

    def __init__(
        self,
        app: ASGIApp,
        store: SharedQueryStore | PersistedQueryStore | None = None,
        *,
        max_body_bytes: int | None = None,
    ) -> None:
        self.app = app
        if not isinstance(store, SharedQueryStore):  # this process's LRU alone
            store = SharedQueryStore(store if store is not None else PersistedQueryStore())
        self.store = store
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            if scope["method"] == "GET":
                scope = await self._resolve_get(scope)
            elif scope["method"] == "POST" and self._is_json(scope):
                body, complete = await read_body(receive, limit=self.max_body_bytes)
                # An oversized body goes on as it came: the endpoint refuses it with a 413.
                receive = replay_body(body, receive, more_body=not complete)
                if complete and b"persistedQuery" in body:  # skip parsing the common case
                    new_body = await self._resolve_post(body)
                    if new_body is not body:
                        receive = replay_body(new_body, receive)
                        scope = with_header(scope, b"content-length", str(len(new_body)).encode())
        except _APQError as error:
            await self._send_error(scope, send, error)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _is_json(scope: Scope) -> bool:
        content_type = next((v for k, v in scope["headers"] if k == b"content-type"), b"")
        return b"json" in content_type

    async def _resolve(self, persisted: Any, query: Any) -> str | None:
        """The query to run for a request's `persistedQuery` extension and `query`."""
        if not isinstance(persisted, dict):
            raise _APQError(400, "extensions.persistedQuery must be an object", "BAD_REQUEST")
        if persisted.get("version") != 1:
            raise _APQError(400, "Unsupported persisted query version", "BAD_REQUEST")
        sha = persisted.get("sha256Hash")
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            raise _APQError(
                400, "persistedQuery.sha256Hash must be 64 lower-case hex digits", "BAD_REQUEST"
            )
        if isinstance(query, str) and query:
            if sha256_hex(query) != sha:
                raise _APQError(
                    400, "provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH"
                )
            await self.store.put(sha, query)
            return None  # the request already carries its query
        stored = await self.store.get(sha)
        if stored is None:
            raise _not_found()
        return stored

    async def _resolve_get(self, scope: Scope) -> Scope:
        params = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        values = dict(params)
        if "persistedQuery" not in values.get("extensions", ""):
            return scope
        try:
            extensions = orjson.loads(values["extensions"])
        except orjson.JSONDecodeError:
            return scope  # the view reports malformed parameters
        if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
            return scope
        query = await self._resolve(extensions["persistedQuery"], values.get("query"))
        if query is None:
            return scope
        params = [(k, v) for k, v in params if k != "query"] + [("query", query)]
        return {**scope, "query_string": urlencode(params).encode("latin-1")}

    async def _resolve_post(self, body: bytes) -> bytes:
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return body  # the view reports malformed JSON
        if not isinstance(payload, dict):
            return body
        extensions = payload.get("extensions")
        if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
            return body
        query = await self._resolve(extensions["persistedQuery"], payload.get("query"))
        if query is None:
            return body
        payload["query"] = query
        return orjson.dumps(payload)

    @staticmethod
    async def _send_error(scope: Scope, send: Send, error: _APQError) -> None:
        note_errors([error.code])
        body = {"errors": [{"message": error.message, "extensions": {"code": error.code}}]}
        await json_response(
            send,
            error.status,
            orjson.dumps(body),
            media_type=response_type(Request(scope)) or JSON,
            # A "not found" must not be cached: the client is about to register the query.
            headers=[(b"cache-control", b"private, no-cache, must-revalidate")],
        )
