"""The fast path's entry point: a query in, its result — or None, and the general path runs.

Per request: find the operation of (query text, operation name) in a bounded cache (parsed
and validated once, by the general path's own caches and rules); coerce the variables with
graphql-core's `get_variable_values`; pick the plan for the values the `@skip`/`@include`
variables have (compiling it the first time); check the node budget if variables size it;
run the plan in the request's database snapshot. Whenever any step says no — an invalid
document, a variable that does not coerce, an operation the plan compiler does not cover,
an argument or value the resolvers would reject — the result is None, and the request goes
to `strawberry.Schema.execute` in the same snapshot, which answers with exactly the errors
(and partial data) the GraphQL spec asks for.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

import strawberry
from graphql import get_variable_values
from graphql.execution.values import VariableValues
from strawberry.types import ExecutionResult

from gql.context import Context
from gql.errors import PublicError
from gql.fastpath.compiler import Plan, PlanCompiler, Unsupported
from gql.fastpath.document import Documents, Operation
from gql.fastpath.values import Unservable
from gql.settings import Settings
from schema.filters import FilterError

logger = logging.getLogger("eventql.fastpath")

#: Documents kept (with their plans); as many as the parser and validation caches keep.
CACHED_DOCUMENTS = 256
#: Plans kept per document (one per combination of `@skip`/`@include` variable values).
_PLANS_PER_DOCUMENT = 16
_NO_VARIABLES = VariableValues({}, {})
#: Failures that mean "the general executor must answer", not a fast path bug.
_EXPECTED = (Unservable, PublicError, FilterError, KeyError)


class FastPath:
    """Compiled execution of query operations, falling back to the general executor."""

    def __init__(self, schema: strawberry.Schema, settings: Settings) -> None:
        self.schema = schema
        self.settings = settings
        self.documents = Documents(schema, settings)
        self._operations: OrderedDict[tuple[str, str | None], Operation | None] = OrderedDict()
        #: Requests answered here, and requests left to the general executor (for tests).
        self.served = 0
        self.declined = 0

    def _operation(self, query: str, operation_name: str | None) -> Operation | None:
        key = (query, operation_name)
        try:
            found = self._operations[key]
        except KeyError:
            found = self._operations[key] = self.documents.operation(query, operation_name)
            if len(self._operations) > CACHED_DOCUMENTS:
                self._operations.popitem(last=False)
        else:
            self._operations.move_to_end(key)
        return found

    def _plan(
        self, operation: Operation, variables: VariableValues, context: Context
    ) -> Plan | None:
        coerced = variables.coerced
        signature = tuple(coerced.get(name) for name in operation.directive_variables)
        try:
            return operation.plans[signature]
        except KeyError:
            pass
        plan: Plan | None
        try:
            plan = PlanCompiler(
                self.schema,
                self.settings,
                context.db,
                operation.definition,
                operation.fragments,
                variables,
            ).compile()
        except (Unsupported, *_EXPECTED) as reason:
            logger.debug("general executor for this operation: %r", reason)
            plan = None
        except Exception:
            logger.warning(
                "cannot compile a fast path plan; the general executor answers", exc_info=True
            )
            plan = None
        if len(operation.plans) >= _PLANS_PER_DOCUMENT:
            operation.plans.clear()
        operation.plans[signature] = plan
        return plan

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Context,
    ) -> ExecutionResult | None:
        """The result of a query operation, or None to let the general executor answer."""
        result = await self._execute(query, variables, operation_name, context)
        if result is None:
            self.declined += 1
        else:
            self.served += 1
        return result

    async def _execute(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Context,
    ) -> ExecutionResult | None:
        operation = self._operation(query, operation_name)
        if operation is None:
            return None
        coerced = _NO_VARIABLES
        if operation.definition.variable_definitions:
            found = get_variable_values(
                self.schema._schema, operation.definition.variable_definitions, variables or {}
            )
            if isinstance(found, list):
                return None
            coerced = found
        plan = self._plan(operation, coerced, context)
        if plan is None:
            return None
        if operation.budget_per_request and not self.documents.within_budget(
            operation.document, operation_name, variables or {}
        ):
            return None
        try:
            data = await plan.run(context.db, coerced)
        except _EXPECTED as reason:
            logger.debug("general executor for this request: %r", reason)
            return None
        except Exception:
            logger.warning("fast path failed; the general executor answers", exc_info=True)
            return None
        return ExecutionResult(data=data, errors=None)
