"""The assembled Strawberry schema: types, limits, caches and error masking."""

from __future__ import annotations

from pathlib import Path

import strawberry
from strawberry.extensions import MaskErrors, SchemaExtension, ValidationCache

from gql.errors import MASKED_MESSAGE, should_mask
from gql.execution.limits import RequestLimits, TokenLimitedParserCache, limit_rules
from gql.execution.runtime import EventqlSchema
from gql.settings import Settings
from gql.types import vocabularies as enums  # noqa: F401  (registers the vocabularies as GraphQL enums)
from gql.types.actor import ActorType
from gql.types.event import EventType
from gql.types.figure import FigureType
from gql.types.query import Query
from gql.types.source import DatasetType, SourceType
from gql.types.statement import StatementType
from gql.types.subscription import Subscription

#: The committed SDL of the schema; a test fails when it drifts from the code.
SDL_PATH = Path(__file__).parent / "schema.graphql"


def build_schema(settings: Settings) -> EventqlSchema:
    """The schema, with the limits of `settings`.

    Extensions are given as factories: Strawberry builds them per request, so no state is
    shared between concurrent requests. The order matters: the parse cache enforces the
    token limit, the validation cache runs the depth, alias and selection rules that
    `RequestLimits` adds, then `RequestLimits` checks the request cost (node budget, filter
    conditions), and `MaskErrors` hides unexpected errors.
    """
    rules = limit_rules(settings)

    def parser() -> SchemaExtension:
        return TokenLimitedParserCache(settings.max_tokens)

    def validation() -> SchemaExtension:
        return ValidationCache(maxsize=256)

    def limits() -> SchemaExtension:
        return RequestLimits(settings, rules)

    def masking() -> SchemaExtension:
        return MaskErrors(should_mask_error=should_mask, error_message=MASKED_MESSAGE)

    return EventqlSchema(
        settings,
        query=Query,
        subscription=Subscription,
        types=[EventType, ActorType, StatementType, FigureType, SourceType, DatasetType],
        extensions=[parser, validation, limits, masking],
    )


def sdl(schema: strawberry.Schema) -> str:
    """The schema in GraphQL SDL, as committed in `gql/schema.graphql`."""
    return schema.as_str() + "\n"


if __name__ == "__main__":
    SDL_PATH.write_text(sdl(build_schema(Settings())), encoding="utf-8")
