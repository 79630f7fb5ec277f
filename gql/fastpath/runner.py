"""The fast path's entry point: a query in, its result — or None, and the general path runs.

Per request: find the operation of (query text, operation name) in the app's bounded cache
(parsed and validated once, by the general path's own caches and rules); coerce the
variables with graphql-core's `get_variable_values`; pick the plan for the values the
`@skip`/`@include` variables have (compiling it the first time); check the request cost if
it depends on variables; prepare every field's arguments (`gql.fastpath.arguments`); run the
plan in the request's database snapshot. Whenever any step says no — an invalid document, a
variable that does not coerce, an operation the plan compiler does not cover, an argument or
value the resolvers would reject — the result is None, and the request goes to
`strawberry.Schema.execute` in the same snapshot, which answers with exactly the errors (and
partial data) the GraphQL spec asks for.

Everything before running is CPU work, from microseconds (all cached) to seconds (a new
document, a filter of hundreds of conditions). It is tried on the event loop with the caches
only, and done in a worker thread (`gql.execution.workers`) as soon as anything needs
computing, or the
variables are large: the event loop only ever runs the cached case.

Every request is counted for `/metrics` (`gql.metrics.FAST_PATH`): answered, or declined for
one of `DECLINE_REASONS`.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from graphql import get_variable_values
from graphql.execution.values import VariableValues
from strawberry.types import ExecutionResult

from gql import metrics
from gql.context import Context
from gql.data.database import Database
from gql.execution.documents import document_bytes
from gql.execution.runtime import EventqlSchema
from gql.fastpath.arguments import RequestArguments, made_arguments
from gql.fastpath.compiler import Plan, PlanCompiler, Request
from gql.fastpath.declines import DECLINES, Unservable, Unsupported
from gql.fastpath.document import Compiled, Documents, Operation
from gql.settings import Settings

__all__ = ["FastPath"]

logger = logging.getLogger("eventql.fastpath")

#: Plans kept per document (one per combination of `@skip`/`@include` variable values).
_PLANS_PER_DOCUMENT = 16
#: Estimated size of a plan: a fixed part and bytes per character of its generated source
#: (measured with tracemalloc: 100-200 per character, statements included).
_PLAN_BYTES = 10_000
_PLAN_BYTES_PER_CHAR = 200
#: Largest variables (as JSON) whose coercion may run on the event loop.
_INLINE_VARIABLES_BYTES = 4096
_NO_VARIABLES = VariableValues({}, {})
#: What the cache holds for an operation the fast path does not take.
_DECLINED = "declined"
#: Why a request went to the general executor (the `reason` label of
#: `eventql_fastpath_operations_total`): not a valid query operation within the limits; its
#: variables do not coerce; a part the plan compiler does not cover (`Unsupported`); a value
#: found while running that it must not write (`Unservable`); a request mistake the general
#: executor words (a limit, a bad filter or ID); the cost with these variables over a limit;
#: a fast path bug (logged at ERROR).
DECLINE_REASONS = (
    "operation",
    "variables",
    "unsupported",
    "unservable",
    "request_error",
    "budget",
    "bug",
)
_ANSWERED = metrics.FAST_PATH.labels("answered", "")
_DECLINED_BY = {reason: metrics.FAST_PATH.labels("declined", reason) for reason in DECLINE_REASONS}


def _reason(decline: Exception) -> str:
    """The reason label of one of the `DECLINES`."""
    if isinstance(decline, Unsupported):
        return "unsupported"
    if isinstance(decline, Unservable):
        return "unservable"
    return "request_error"  # a `PublicError` or `FilterError`: the general executor words it


class _Busy(Exception):
    """Something is not cached: the preparation must go to a worker thread."""


class FastPath:
    """Compiled execution of query operations, falling back to the general executor."""

    def __init__(self, schema: EventqlSchema, settings: Settings) -> None:
        self.schema = schema
        self.settings = settings
        self.documents = Documents(schema, settings)
        #: Requests answered here, requests left to the general executor, and fast path bugs
        #: (each also logged at ERROR; the general executor answered those requests).
        self.served = 0
        self.declined = 0
        self.failed = 0

    def _bug(self, what: str) -> None:
        """Log and count an unexpected exception of the fast path (being handled)."""
        self.failed += 1
        logger.error("fast path bug: %s; the general executor answers", what, exc_info=True)

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Context,
    ) -> ExecutionResult | None:
        """The result of a query operation, or None to let the general executor answer."""
        result = await self._execute(query, variables, operation_name, context)
        if isinstance(result, str):
            self.declined += 1
            _DECLINED_BY[result].inc()
            return None
        self.served += 1
        _ANSWERED.inc()
        return result

    async def _execute(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Context,
    ) -> ExecutionResult | str:
        """The result, or the reason to decline (one of `DECLINE_REASONS`)."""
        request = RequestArguments()
        db = context.db
        try:
            ready = self._prepare(query, variables, operation_name, db, request, compute=False)
        except _Busy:
            ready = await self.schema.workers.run(
                self._prepare, query, variables, operation_name, db, request, compute=True
            )
        if isinstance(ready, str):
            return ready
        plan, coerced = ready
        try:
            with request.active():
                data = await plan.run(db, coerced, Request(self.schema, context, variables))
        except DECLINES as reason:
            logger.debug("general executor for this request: %r", reason)
            return _reason(reason)
        except Exception:
            self._bug("running a plan failed")
            return "bug"
        return ExecutionResult(data=data, errors=None)

    def _prepare(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        db: Database,
        request: RequestArguments,
        *,
        compute: bool,
    ) -> tuple[Plan, VariableValues] | str:
        """The plan and coerced variables of a request, its arguments prepared; or the reason
        to leave it to the general executor. Without `compute`, raises `_Busy` rather than
        compute anything."""
        operation = self._operation(query, operation_name, compute)
        if operation is None:
            return "operation"
        coerced = _NO_VARIABLES
        if operation.definition.variable_definitions:
            if not compute and variables and _large(variables):
                raise _Busy
            found = get_variable_values(
                self.schema._schema, operation.definition.variable_definitions, variables or {}
            )
            if isinstance(found, list):
                return "variables"
            coerced = found
        compiled = self._plan(operation, coerced, db, compute)
        if isinstance(compiled, str):
            return compiled
        plan, arguments = compiled
        if operation.budget_per_request and not self.documents.within_budget(
            operation.document, operation_name, variables or {}
        ):
            return "budget"
        with request.active():
            if not compute and not all(a.ready(coerced) for a in arguments):
                raise _Busy
            try:
                for argument in arguments:
                    argument.get(coerced, db)
            except DECLINES as reason:
                logger.debug("general executor for these arguments: %r", reason)
                return _reason(reason)
            except Exception:
                self._bug("preparing arguments failed")
                return "bug"
        return plan, coerced

    def _operation(self, query: str, operation_name: str | None, compute: bool) -> Operation | None:
        key = ("operation", query, operation_name)
        found = self.schema.cache.get(key)
        if found is None:
            if not compute:
                raise _Busy
            found = self.documents.operation(query, operation_name)
            if found is None:
                self.schema.cache.put(key, _DECLINED, 2 * len(query) + 100)
            else:
                self.schema.cache.put(key, found, _operation_bytes(found, query))
        return found if isinstance(found, Operation) else None

    def _plan(
        self, operation: Operation, variables: VariableValues, db: Database, compute: bool
    ) -> Compiled | str:
        """The operation's plan for these variables, or why the compiler declined it."""
        coerced = variables.coerced
        signature = tuple(coerced.get(name) for name in operation.directive_variables)
        try:
            return operation.plans[signature]
        except KeyError:
            if not compute:
                raise _Busy from None
        compiled: Compiled | str
        try:
            with made_arguments() as made:
                plan = PlanCompiler(
                    self.schema,
                    self.settings,
                    db,
                    operation.definition,
                    operation.fragments,
                    variables,
                ).compile()
            compiled = (plan, tuple(made))
        except DECLINES as reason:
            logger.debug("general executor for this operation: %r", reason)
            compiled = _reason(reason)
        except Exception:
            self._bug("compiling a plan failed")
            compiled = "bug"
        if len(operation.plans) >= _PLANS_PER_DOCUMENT:
            operation.plans.clear()
        operation.plans[signature] = compiled
        # Put again: the operation's estimate now counts this plan.
        key = ("operation", operation.query, operation.name)
        self.schema.cache.put(key, operation, _operation_bytes(operation, operation.query))
        return compiled


def _large(variables: dict[str, Any]) -> bool:
    try:
        return len(orjson.dumps(variables)) > _INLINE_VARIABLES_BYTES
    except TypeError:
        return True


def _operation_bytes(operation: Operation, query: str) -> int:
    """The estimated size of an operation: its document (which it keeps alive) and plans."""
    plans = sum(
        _PLAN_BYTES + _PLAN_BYTES_PER_CHAR * len(compiled[0].source)
        for compiled in operation.plans.values()
        if not isinstance(compiled, str)
    )
    return document_bytes(operation.document, query) + plans
