"""The schema as it runs a request: preparation off the event loop, caches bounded in bytes,
and errors logged as their kind deserves.

`EventqlSchema` is `strawberry.Schema` with four changes, none visible to clients:

- **Preparation in a worker thread.** Parsing and validating a document the server has not
  seen — Strawberry's parse and validation steps with every extension hook on them (the token
  limit, the depth, alias and budget rules of `gql.execution.limits`) — runs in one of the
  app's worker
  threads (`gql.execution.workers`); a document prepared before runs its (cached, cheap) steps
  inline.
  This mirrors `strawberry.Schema._prepare_operation_async` of Strawberry 0.341 step by step
  with the synchronous hooks; the pin in `pyproject.toml` protects it.
- **Caches bounded in bytes.** The `ParserCache` and `ValidationCache` extensions keep their
  results in the app's `BoundedCache` (through `gql.execution.documents`) instead of process-wide
  `lru_cache`s bounded only by entries.
- **Input conversion in one pass** over the fields an input value holds
  (`gql.execution.input_conversion`): a filter of 1,000 conditions converts in 40 ms, not 650.
- **Logging.** `process_errors` logs through `gql.errors.log_errors`: one line for a client's
  mistake, a traceback only for an unexpected error.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.schema.schema import _parse_operation_document, _run_validation
from strawberry.types import ExecutionContext
from strawberry.types.execution import PreExecutionError

from gql.errors import log_errors
from gql.execution import input_conversion
from gql.execution.bounded_cache import BoundedCache
from gql.execution.documents import DocumentCache
from gql.execution.workers import Workers
from gql.settings import Settings

__all__ = ["EventqlSchema", "persisted_query_bytes"]


def persisted_query_bytes(settings: Settings) -> int:
    """The part of `max_cache_bytes` that persisted queries may hold (`gql.http.transport`): a
    sixteenth. The schema's cache of documents, plans and arguments holds the rest."""
    return settings.max_cache_bytes // 16


class EventqlSchema(strawberry.Schema):
    """`strawberry.Schema`, preparing operations in worker threads within a cache budget.

    It owns the app's `BoundedCache` (`cache`, `max_cache_bytes`), the document cache on it
    (`documents`) and the worker threads (`workers`); `close()` stops the threads.
    """

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        input_conversion.install(self)
        self.cache = BoundedCache(settings.max_cache_bytes - persisted_query_bytes(settings))
        self.documents = DocumentCache(self.cache)
        self.workers = Workers()

    def close(self) -> None:
        """Stop the worker threads (at the end of the app's lifespan)."""
        self.workers.close()

    def get_extensions(self, sync: bool = False) -> list[SchemaExtension]:
        """This request's extensions, the parse and validation caches pointed at `cache`."""
        extensions = super().get_extensions(sync)
        for extension in extensions:
            if isinstance(extension, ParserCache):
                extension.cached_parse_document = self.documents.parse
            elif isinstance(extension, ValidationCache):
                extension.cached_validate_document = self.documents.validate
        return extensions

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log an operation's errors: one line each, a traceback only when unexpected."""
        log_errors(errors)

    async def _prepare_operation_async(
        self, context: ExecutionContext, extensions_runner: SchemaExtensionsRunner
    ) -> PreExecutionError | None:
        query = context.query
        if query is not None and self.documents.prepared(query):
            return self._prepare(context, extensions_runner)
        prepared = await self.workers.run(self._prepare, context, extensions_runner)
        if query is not None and prepared is None:
            self.documents.mark_prepared(query)
        return prepared

    def _prepare(
        self, context: ExecutionContext, extensions_runner: SchemaExtensionsRunner
    ) -> PreExecutionError | None:
        """Parse, check the operation type, and validate (Strawberry's steps, synchronous)."""
        if not context.query and context.graphql_document is None:
            raise MissingQueryError
        with extensions_runner.parsing():
            try:
                _parse_operation_document(context)
            except GraphQLError as error:
                context.pre_execution_errors = [error]
                return PreExecutionError(data=None, errors=[error])
            except Exception as error:  # as Strawberry: any parse failure is the client's
                error = GraphQLError(str(error), original_error=error)
                context.pre_execution_errors = [error]
                return PreExecutionError(data=None, errors=[error])
        try:
            operation_type = context.operation_type
        except RuntimeError as error:
            raise CannotGetOperationTypeError(context.operation_name) from error
        if operation_type not in context.allowed_operations:
            raise InvalidOperationTypeError(operation_type)
        with extensions_runner.validation():
            _run_validation(context)
            if context.pre_execution_errors:
                return PreExecutionError(data=None, errors=context.pre_execution_errors)
        return None
