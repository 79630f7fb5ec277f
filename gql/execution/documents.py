"""Parsed and validated documents, kept within the app's cache budget
(`gql.execution.bounded_cache`).

Strawberry's `ParserCache` and `ValidationCache` extensions keep their results in
`functools.lru_cache`s bounded by entries and shared by the whole process; a document at the
token limit takes about 3 MB, so 256 entries could hold most of a gigabyte. `DocumentCache`
gives the same two steps (`parse`, `validate`, with the same signatures) a home in the app's
`BoundedCache`; `gql.execution.runtime` hands them to those extensions, and the fast path
(`gql.fastpath.document`) uses them too, so both executors share one entry per document.

Sizes: a parsed document is estimated at `BYTES_PER_TOKEN` per token plus its text, twice
(the key, and the strings copied into the tree). The factor was measured with tracemalloc on
documents of names, integers, lists and punctuation (360-610 bytes per token; 280 bytes per
character of the densest text). A validation result is small unless it holds errors.
"""

from __future__ import annotations

from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema
from graphql.language.parser import parse
from strawberry.schema.schema import validate_document

from gql.execution.bounded_cache import BoundedCache

__all__ = ["BYTES_PER_TOKEN", "DocumentCache"]

#: Estimated bytes of a parsed document per token (measured, rounded up).
BYTES_PER_TOKEN = 600
#: Estimated bytes of a validation result, and of each error in it.
_VALIDATION_BYTES = 500
_ERROR_BYTES = 2000

Rules = tuple[type[ASTValidationRule], ...]


def document_bytes(document: DocumentNode, query: str) -> int:
    """The estimated size of `document`, parsed from `query`."""
    tokens = 0
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        tokens += 1
        token = token.next
    return BYTES_PER_TOKEN * tokens + 2 * len(query)


class DocumentCache:
    """Parse and validate once per document text, within a shared `BoundedCache`."""

    def __init__(self, cache: BoundedCache) -> None:
        self.cache = cache

    def parse(self, query: str, **options: Any) -> DocumentNode:
        """`graphql.parse(query, **options)`, cached (syntax errors are raised every time)."""
        key = ("parse", query, tuple(sorted(options.items())))
        document: DocumentNode | None = self.cache.get(key)
        if document is None:
            document = parse(query, **options)
            self.cache.put(key, document, document_bytes(document, query))
        return document

    def validate(
        self, schema: GraphQLSchema, document: DocumentNode, rules: Rules
    ) -> list[GraphQLError]:
        """Strawberry's `validate_document(schema, document, rules)`, cached per document."""
        # By identity: documents come from `parse` above, one object per text while cached
        # (hashing a document by value walks the whole tree). The entry keeps the document
        # and the schema alive, so their ids cannot be reused while it exists.
        key = ("validate", id(schema), id(document), rules)
        found = self.cache.get(key)
        if found is not None and found[0] is schema and found[1] is document:
            errors: list[GraphQLError] = found[2]
            return errors
        errors = validate_document(schema, document, rules)
        size = _VALIDATION_BYTES + _ERROR_BYTES * len(errors)
        self.cache.put(key, (schema, document, errors), size)
        return errors

    def mark_prepared(self, query: str) -> None:
        """Note that `query` has been parsed and validated (its next preparation is cheap)."""
        self.cache.put(("prepared", query), True, 2 * len(query) + 100)

    def prepared(self, query: str) -> bool:
        """Whether `query` was parsed and validated recently (so doing it again costs lookups)."""
        return self.cache.get(("prepared", query)) is not None
