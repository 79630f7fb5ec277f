"""GraphQL over HTTP: the media type a client gets, and the status codes that go with it.

Follows the GraphQL-over-HTTP specification (graphql.github.io/graphql-over-http):

- A client that asks for `application/graphql-response+json` (Apollo Client 4 and urql do)
  gets it, with meaningful status codes: a request that fails before execution (a syntax
  error, a validation error, a limit, bad variables) is 400 and has no `data` key.
- Everyone else gets `application/json` and 200 for every well-formed request, as legacy
  clients expect. An `Accept` header naming neither type (nor a wildcard) gets 406.
- GET executes queries only: a mutation over GET is 405 with `Allow: POST`.

Telling a request error from a field error needs no hook into execution: field errors always
carry a `path` (GraphQL spec, "Errors"), errors raised before execution never do.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import parse_qsl

import orjson
from graphql import GraphQLError, OperationDefinitionNode, parse
from starlette.types import ASGIApp, Receive, Scope, Send

from gql.asgi_messages import capture_json_response, json_response

__all__ = [
    "APPLICATION_JSON",
    "GRAPHQL_RESPONSE_JSON",
    "GraphQLOverHTTP",
    "error_body",
    "is_request_error",
    "operation_type",
    "preferred_media_type",
]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"

# (media range, the supported type it admits, how specific the match is)
_RANGES = (
    (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON, 2),
    (APPLICATION_JSON, APPLICATION_JSON, 2),
    ("application/*", APPLICATION_JSON, 1),
    ("*/*", APPLICATION_JSON, 0),
)


def preferred_media_type(accept: str | None) -> str | None:
    """The response media type for an `Accept` header, or None when neither is acceptable.

    No header means `application/json`. Between two equally acceptable types, one the client
    named explicitly wins; with only wildcards, `application/json` does (spec: "SHOULD accept
    */* and use application/json").
    """
    if not accept or not accept.strip():
        return APPLICATION_JSON
    best: str | None = None
    best_score = (0.0, -1, 0)
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        for media_range, supported, specificity in _RANGES:
            if media.lower() != media_range or quality <= 0:
                continue
            named = 1 if supported == GRAPHQL_RESPONSE_JSON else 0
            score = (quality, specificity, named)
            if score > best_score:
                best, best_score = supported, score
    return best


def error_body(message: str, code: str | None = None) -> bytes:
    """A GraphQL response body carrying one request error (no `data` key)."""
    error: dict[str, Any] = {"message": message}
    if code:
        error["extensions"] = {"code": code}
    return orjson.dumps({"errors": [error]})


def is_request_error(payload: object) -> bool:
    """Whether a GraphQL response reports a request error: it failed before execution began,
    so nothing was executed (no error has a `path`) and `data` is null or absent."""
    if not isinstance(payload, dict) or payload.get("data") is not None:
        return False
    errors = payload.get("errors")
    return (
        isinstance(errors, list)
        and bool(errors)
        and all(isinstance(error, dict) and "path" not in error for error in errors)
    )


@functools.lru_cache(maxsize=256)
def operation_type(query: str, operation_name: str | None, max_tokens: int) -> str | None:
    """`query`, `mutation` or `subscription` for the operation a request selects; None when
    the document does not parse or does not pick exactly one operation (execution reports it).
    Cached: GET requests repeat the same few documents."""
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    return operations[0].operation.value


class GraphQLOverHTTP:
    """ASGI middleware in front of the GraphQL view: media type, status codes, GET policy."""

    def __init__(self, app: ASGIApp, *, max_tokens: int = 5000) -> None:
        self.app = app
        self.max_tokens = max_tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"accept"), None)
        media_type = preferred_media_type(accept)
        if media_type is None:
            body = error_body(
                f"Not Acceptable: this endpoint responds with {GRAPHQL_RESPONSE_JSON} or "
                f"{APPLICATION_JSON}.",
                "NOT_ACCEPTABLE",
            )
            await json_response(send, 406, body)
            return
        if scope["method"] == "GET" and self._is_mutation(scope):
            body = error_body(
                "Mutations are not allowed over GET: send them with POST.", "METHOD_NOT_ALLOWED"
            )
            await json_response(
                send, 405, body, media_type=media_type, headers=[(b"allow", b"POST")]
            )
            return
        if media_type == APPLICATION_JSON:
            await self.app(scope, receive, send)
            return

        response = await capture_json_response(self.app, scope, receive, send)
        if response is None:
            return
        response.set_header(b"content-type", f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8".encode())
        if response.status == 200 and b'"errors"' in response.body:
            payload = orjson.loads(response.body)
            if is_request_error(payload):
                payload.pop("data", None)
                response.status = 400
                response.set_body(orjson.dumps(payload))
        await response.send(send)

    def _is_mutation(self, scope: Scope) -> bool:
        params = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        query = params.get("query")
        if not query:
            return False
        kind = operation_type(query, params.get("operationName"), self.max_tokens)
        return kind in ("mutation", "subscription")
