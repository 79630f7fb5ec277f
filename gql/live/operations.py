"""Running one GraphQL operation for a streaming transport (WebSocket or Server-Sent Events).

The same schema, validation, limits (depth, aliases, cost) and error masking as HTTP
(`gql.http.endpoint`): the operation goes through `EventqlSchema.stream`, which prepares it
with every extension, and each result is formatted as HTTP formats it, every error with its
`extensions.code`. Queries read in one snapshot within `request_timeout_s`, as over HTTP;
a subscription holds no connection while it waits, and reads each event in a snapshot of its
own (`gql.types.subscription`).

Subscriptions are counted per process against `max_subscriptions`; a transport counts its
own per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from graphql import GraphQLError, OperationType, get_operation_ast
from strawberry.types.execution import ExecutionResult, PreExecutionError

from gql import metrics
from gql.context import Context
from gql.data.database import Database
from gql.errors import MASKED_MESSAGE, LimitError
from gql.execution.runtime import EventqlSchema
from gql.http.deadline import timeout_message
from gql.http.endpoint import result_payload
from gql.http.metrics import note_errors
from gql.live.feed import VersionFeed
from gql.settings import Settings

__all__ = ["BadOperation", "LiveOperations", "Operation", "Outcome"]

logger = logging.getLogger("eventql.live")

#: What a transport sends: `next` an execution result; `error` errors before execution
#: (parse, validation, a limit), after which the operation is over.
Outcome = tuple[Literal["next", "error"], Any]


class BadOperation(Exception):
    """An operation request that is not well-formed (not a GraphQL error: a protocol one)."""


@dataclass(frozen=True)
class Operation:
    """A well-formed request: a document, its variables, the operation to run."""

    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None

    @classmethod
    def from_payload(cls, payload: Any) -> Operation:
        """Check the shape of a request (`{"query": ..., "variables": ..., ...}`)."""
        if not isinstance(payload, dict):
            raise BadOperation("the operation must be a JSON object with a `query`")
        query = payload.get("query")
        variables = payload.get("variables")
        name = payload.get("operationName")
        extensions = payload.get("extensions")
        if not isinstance(query, str) or not query:
            raise BadOperation("missing query: send the GraphQL document as `query`")
        if variables is not None and not isinstance(variables, dict):
            raise BadOperation("`variables` must be a JSON object")
        if name is not None and not isinstance(name, str):
            raise BadOperation("`operationName` must be a string")
        if extensions is not None and not isinstance(extensions, dict):
            raise BadOperation("`extensions` must be a JSON object")
        return cls(query, variables, name, extensions)


class LiveOperations:
    """Runs operations for the live transports; one per app."""

    def __init__(
        self,
        schema: EventqlSchema,
        settings: Settings,
        database: Callable[[], Database],
        feed: VersionFeed,
    ) -> None:
        self.schema = schema
        self.settings = settings
        self.database = database
        self.feed = feed
        #: Subscriptions running in this process, over both transports.
        self.subscriptions = 0

    async def is_subscription(self, operation: Operation) -> bool:
        """Whether the operation to run is a subscription (False for a document that does not
        parse or name an operation it holds: running it reports that)."""
        documents = self.schema.documents
        try:
            if documents.prepared(operation.query):
                document = documents.parse(operation.query, max_tokens=self.settings.max_tokens)
            else:  # parsing a document not seen before is CPU work: off the event loop
                document = await self.schema.workers.run(
                    documents.parse, operation.query, max_tokens=self.settings.max_tokens
                )
        except GraphQLError:
            return False
        found = get_operation_ast(document, operation.operation_name)
        return found is not None and found.operation is OperationType.SUBSCRIPTION

    @contextlib.contextmanager
    def _slot(self, transport: str) -> Iterator[None]:
        limit = self.settings.max_subscriptions
        if self.subscriptions >= limit:
            raise LimitError(
                f"subscription limit exceeded: this server runs at most {limit} subscriptions "
                "at once (max_subscriptions); try again later or another server"
            )
        self.subscriptions += 1
        gauge = metrics.SUBSCRIPTIONS.labels(transport)
        gauge.inc()
        try:
            yield
        finally:
            self.subscriptions -= 1
            gauge.dec()

    async def run(self, operation: Operation, transport: str) -> AsyncGenerator[Outcome, None]:
        """Run `operation`; yield what to send, in order. A query yields one result; a
        subscription one per event, until the caller stops iterating (or cancels)."""
        try:
            if await self.is_subscription(operation):
                with self._slot(transport):
                    context = Context(db=self.database(), settings=self.settings, feed=self.feed)
                    # Closed here, not left to the garbage collector, when the caller stops:
                    # a subscription's event may hold a pooled connection (its snapshot).
                    async with contextlib.aclosing(self._stream(operation, context)) as stream:
                        async for outcome in stream:
                            yield outcome
            else:
                async with asyncio.timeout(self.settings.request_timeout_s):
                    async with self.database().snapshot() as db:
                        context = Context(db=db, settings=self.settings)
                        async with contextlib.aclosing(self._stream(operation, context)) as stream:
                            async for outcome in stream:
                                yield outcome
        except LimitError as error:
            yield "error", [_error(error.message, error.code)]
        except GraphQLError as error:
            # A document that does not parse (or is over max_tokens): Strawberry's `execute`
            # returns that as a result, but its stream raises it. Sent as errors before
            # execution, like a validation error.
            failed = PreExecutionError(data=None, errors=[error])
            yield "error", result_payload(failed).get("errors", [])
        except TimeoutError:
            message = timeout_message(self.settings.request_timeout_s)
            yield "next", {"errors": [_error(message, "REQUEST_TIMEOUT")]}
        except Exception:
            logger.exception("unexpected error running a streamed GraphQL operation")
            yield "next", {"errors": [_error(MASKED_MESSAGE, "INTERNAL_SERVER_ERROR")]}

    async def _stream(
        self, operation: Operation, context: Context
    ) -> AsyncGenerator[Outcome, None]:
        results = await self.schema.stream(
            operation.query,
            variable_values=operation.variables,
            context_value=context,
            operation_name=operation.operation_name,
            operation_extensions=operation.extensions,
        )
        last: dict[str, Any] | None = None
        async with contextlib.aclosing(results):
            async for result in results:
                if not isinstance(result, ExecutionResult):
                    continue  # incremental delivery frames: the schema has no @defer/@stream
                payload = result_payload(result)
                if isinstance(result, PreExecutionError):
                    yield "error", payload.get("errors", [])
                elif payload != last:  # a live query whose answer did not change: not sent
                    last = payload
                    yield "next", payload


def _error(message: str, code: str) -> dict[str, Any]:
    note_errors([code])
    return {"message": message, "extensions": {"code": code}}
