"""GraphQL over HTTP: requests in, JSON out, and a 4xx with a GraphQL-style body for every
malformed request — never a 500.

Follows the GraphQL-over-HTTP spec: POST with `application/json` bodies, GET with URL
parameters for queries only (mutations over GET are 405), `application/graphql-response+json`
when the client accepts it (then parse and validation errors are 400 and carry no `data`), and
`application/json` otherwise (200 for every well-formed request). Batches (a JSON array of
operations) are capped at `max_batch`; bodies at `max_body_bytes`. Responses are encoded with
orjson.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import orjson
from graphql import GraphQLError, get_operation_ast
from starlette.requests import Request
from starlette.responses import Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from gql.context import Context
from gql.data.database import Database
from gql.errors import MASKED_MESSAGE, DatabaseUnavailableError, error_code, one_line
from gql.execution.runtime import EventqlSchema
from gql.fastpath import FastPath
from gql.http.metrics import note_batch, note_errors, note_operation
from gql.settings import Settings

logger = logging.getLogger("eventql.http")

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
#: Why a subscription sent to `/graphql` over plain HTTP is refused.
SUBSCRIPTIONS_NOT_OVER_HTTP = (
    "Subscriptions are not served over plain HTTP: use a WebSocket to /graphql "
    "(graphql-transport-ws) or Server-Sent Events at /graphql/stream (graphql-sse)"
)
#: Answers a GET (e.g. a browser's) itself, or returns None to leave it to GraphQL.
HtmlPage = Callable[[Request], Response | None]


class RequestError(Exception):
    """A malformed request: answered with `status` and a GraphQL-style error body."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: Mapping[str, str] | None = None,
        code: str = "BAD_REQUEST",
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
        self.code = code


def error_response(
    status: int,
    message: str,
    media_type: str = JSON,
    headers: Mapping[str, str] | None = None,
    code: str = "BAD_REQUEST",
) -> Response:
    """A response whose body is `{"errors": [{"message": ..., "extensions": {"code": ...}}]}`
    (`code` one of `gql.errors.ERROR_CODES`)."""
    note_errors([code])
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    return Response(body, status, headers=dict(headers or {}), media_type=media_type)


def response_type(request: Request) -> str | None:
    """The JSON media type the client accepts best, or None if it accepts neither."""
    accept = request.headers.get("accept")
    if not accept:
        return JSON
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, media.lower()))
    for _, _, media in sorted(ranked):
        if media == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if media in (JSON, "application/*", "*/*"):
            return JSON
    return None


class GraphQLEndpoint:
    """The `/graphql` endpoint."""

    def __init__(
        self,
        schema: EventqlSchema,
        settings: Settings,
        database: Callable[[], Database],
        html_page: HtmlPage | None = None,
    ) -> None:
        self.schema = schema
        self.settings = settings
        self.database = database
        self.html_page = html_page
        self.fast_path = FastPath(schema, settings) if settings.fast_path else None

    async def handle(self, request: Request) -> Response:
        """Answer one HTTP request."""
        if request.method == "GET" and self.html_page is not None:
            page = self.html_page(request)
            if page is not None:
                return page
        media_type = response_type(request)
        try:
            if media_type is None:
                raise RequestError(
                    406, f"Not acceptable: this endpoint answers with {JSON} or {GRAPHQL_RESPONSE}"
                )
            if request.method == "GET":
                operations = [operation_from_url(request)]
                batch = False
            elif request.method == "POST":
                operations, batch = await self._from_body(request)
                if batch:
                    note_batch()
            else:
                raise RequestError(
                    405, "Method not allowed: use POST, or GET for queries", {"Allow": "GET, POST"}
                )
            results = [
                await self._execute(request, operation, media_type) for operation in operations
            ]
        except RequestError as error:
            # A client mistake: one line, no traceback (the client got the message).
            logger.info("request refused (%d): %s", error.status, one_line(error.message))
            return error_response(
                error.status, error.message, media_type or JSON, error.headers, error.code
            )
        except Exception:
            logger.exception("unexpected error answering a GraphQL request")
            return error_response(
                500, MASKED_MESSAGE, media_type or JSON, code="INTERNAL_SERVER_ERROR"
            )
        if batch:
            body = orjson.dumps([payload for payload, _ in results])
            return Response(body, 200, media_type=media_type)
        payload, status = results[0]
        headers = {"Retry-After": "1"} if status == 503 else None
        return Response(orjson.dumps(payload), status, headers=headers, media_type=media_type)

    async def _from_body(self, request: Request) -> tuple[list[Any], bool]:
        data = await json_body(request, self.settings.max_body_bytes)
        if isinstance(data, dict):
            return [data], False
        if isinstance(data, list):
            if self.settings.max_batch == 0:
                raise RequestError(400, "Batched requests are turned off (max_batch is 0)")
            if not data or len(data) > self.settings.max_batch:
                raise RequestError(
                    400,
                    f"batch limit exceeded: a batch holds 1 to {self.settings.max_batch} "
                    f"operations (max_batch), this one holds {len(data)}",
                    code="LIMIT_EXCEEDED",
                )
            return data, True
        raise RequestError(400, "The JSON body must be an object with a `query` (or a list)")

    async def _execute(
        self, request: Request, operation: Any, media_type: str
    ) -> tuple[dict[str, Any], int]:
        if not isinstance(operation, dict):
            raise RequestError(400, "Each operation must be a JSON object with a `query`")
        query = operation.get("query")
        variables = operation.get("variables")
        name = operation.get("operationName")
        if query is None or query == "":
            raise RequestError(400, "Missing query: send the GraphQL document as `query`")
        if not isinstance(query, str):
            raise RequestError(400, "`query` must be a string")
        if variables is not None and not isinstance(variables, dict):
            raise RequestError(400, "`variables` must be a JSON object")
        if name is not None and not isinstance(name, str):
            raise RequestError(400, "`operationName` must be a string")
        if operation.get("extensions") is not None and not isinstance(
            operation["extensions"], dict
        ):
            raise RequestError(400, "`extensions` must be a JSON object")
        allowed = (
            {OperationType.QUERY}
            if request.method == "GET"
            else {OperationType.QUERY, OperationType.MUTATION}
        )
        try:
            # One snapshot per operation: all its statements see the same committed data.
            # The request's deadline (`gql.http.deadline`) covers this, and every other operation
            # of a batch: when it passes, the snapshot's statement is interrupted as it closes.
            async with self.database().snapshot() as db:
                context = Context(db=db, settings=self.settings, request=request)
                result = None
                if self.fast_path is not None:
                    result = await self.fast_path.execute(query, variables, name, context)
                if result is None:  # not an operation the fast path answers
                    result = await self.schema.execute(
                        query,
                        variable_values=variables,
                        context_value=context,
                        operation_name=name,
                        allowed_operation_types=allowed,
                    )
        except InvalidOperationTypeError as error:
            if error.operation_type is OperationType.SUBSCRIPTION:
                raise RequestError(400, SUBSCRIPTIONS_NOT_OVER_HTTP) from None
            raise RequestError(
                405, "Only queries may be sent with GET: use POST", {"Allow": "POST"}
            ) from None
        except CannotGetOperationTypeError as error:
            raise RequestError(400, error.as_http_error_reason()) from None
        except MissingQueryError:
            raise RequestError(400, "Missing query: send the GraphQL document as `query`") from None
        valid = not isinstance(result, PreExecutionError)
        note_operation(name if name is not None else self._name_in(query, valid), valid=valid)
        return _payload(result, media_type)

    def _name_in(self, query: str, valid: bool) -> str | None:
        """The name of the only operation of `query` (for metrics), from the parse cache."""
        if not valid:
            return None
        try:
            document = self.schema.documents.parse(query, max_tokens=self.settings.max_tokens)
        except GraphQLError:
            return None
        operation = get_operation_ast(document)
        return None if operation is None or operation.name is None else operation.name.value


def result_payload(result: ExecutionResult) -> dict[str, Any]:
    """An execution result as sent (`{"data": ..., "errors": [...]}`, every error with its
    `extensions.code`), for the streaming transports (`gql.live`)."""
    return _payload(result, JSON)[0]


def _payload(result: ExecutionResult, media_type: str) -> tuple[dict[str, Any], int]:
    errors: list[GraphQLError] = list(result.errors or [])
    executed = not isinstance(result, PreExecutionError)
    for error in errors:
        if isinstance(error.original_error, DatabaseUnavailableError):
            # The whole operation depends on the database: one clear error and a 503, so
            # clients and proxies retry (`Retry-After`), instead of a list of failed fields.
            return {"errors": _formatted([error], executed)}, 503
    # Parse, validation and variable errors mean nothing was executed: no `data` key at all.
    not_run = not executed or (
        result.data is None and bool(errors) and all(e.path is None for e in errors)
    )
    payload: dict[str, Any] = {} if not_run else {"data": result.data}
    if errors:
        payload["errors"] = _formatted(errors, executed)
    if result.extensions:
        payload["extensions"] = result.extensions
    status = 400 if not_run and media_type == GRAPHQL_RESPONSE else 200
    return payload, status


def _formatted(errors: list[GraphQLError], executed: bool) -> list[dict[str, Any]]:
    """The errors as sent, each with its `extensions.code` (`gql.errors.error_code`)."""
    formatted = []
    codes = []
    for error in errors:
        code = error_code(error, executed=executed)
        item: dict[str, Any] = dict(error.formatted)
        # A copy: the error's own extensions may be shared (validation results are cached).
        item["extensions"] = {**item.get("extensions", {}), "code": code}
        formatted.append(item)
        codes.append(code)
    note_errors(codes)
    return formatted


def operation_from_url(request: Request) -> dict[str, Any]:
    """The operation a GET sends in its URL parameters (`variables`, `extensions` as JSON);
    `RequestError` when one of those is not JSON."""
    params = request.query_params
    operation: dict[str, Any] = {
        "query": params.get("query"),
        "operationName": params.get("operationName"),
    }
    for name in ("variables", "extensions"):
        raw = params.get(name)
        if raw:
            try:
                operation[name] = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise RequestError(400, f"`{name}` is not valid JSON") from None
    return operation


async def json_body(request: Request, limit: int) -> Any:
    """A POST's JSON body, read up to `limit` bytes; `RequestError` for another content type
    (415), a bigger body (413) or malformed JSON (400)."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != JSON:
        raise RequestError(
            415,
            f"Unsupported content type {content_type or '(none)'!r}: send the request as {JSON}",
        )
    too_big = RequestError(
        413,
        f"body size limit exceeded: at most {limit} bytes (max_body_bytes)",
        code="LIMIT_EXCEEDED",
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    try:
        return orjson.loads(b"".join(chunks))
    except orjson.JSONDecodeError as error:
        raise RequestError(400, f"Malformed JSON body: {error.msg}") from None
