"""Identity: the `Node` interface and its opaque global IDs.

A global ID is the URL-safe base64 (unpadded) of "<Kind>:<integer key>", e.g. "Event:123".
Keys come from `schema.ids.record_id(dataset, kind, slug)`, so a reseed of the same files gives
the same IDs: clients may cache them. Clients must treat IDs as opaque; the human key to share
in links is the record's `slug` (with its `dataset` name).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, ClassVar

import strawberry

from gql.errors import PublicError

#: The type of each kind of node, by its kind (its GraphQL type name, as written in global
#: IDs). Not written out: every type that sets `node_kind` adds itself when it is defined.
NODE_TYPES: dict[str, type[Node]] = {}
_MAX_ID_LENGTH = 80
#: Record keys are positive 63-bit integers (`schema.ids.record_id`), as both databases store them.
MAX_KEY = 2**63 - 1
_KEY = re.compile(r"[0-9]{1,19}")


class InvalidIdError(PublicError):
    """A string that is not an eventql global ID."""

    code = "INVALID_ID"


#: The SQL function that writes `encode_id(kind, key)` on SQLite connections (`gql.data.database`).
SQLITE_GLOBAL_ID = "eventql_global_id"


def encode_id(kind: str, key: int) -> str:
    """The global ID of record `key` of GraphQL type `kind`."""
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode().rstrip("=")


def decode_id(global_id: str) -> tuple[str, int]:
    """The (kind, key) a global ID stands for; raises `InvalidIdError` for anything else.

    A key out of the range of record keys is refused here, as no record can have it: it would
    otherwise reach the database, which cannot compare it with a 64-bit column.
    """
    if len(global_id) <= _MAX_ID_LENGTH:
        padded = global_id + "=" * (-len(global_id) % 4)
        try:
            kind, _, key = base64.urlsafe_b64decode(padded.encode("ascii")).decode().partition(":")
            if kind in NODE_TYPES and _KEY.fullmatch(key) and int(key) <= MAX_KEY:
                return kind, int(key)
        except (binascii.Error, UnicodeError, ValueError):
            pass
    shown = global_id if len(global_id) <= 40 else global_id[:37] + "..."
    raise InvalidIdError(f"{shown!r} is not a valid ID: use the `id` field of a record")


@strawberry.interface(
    name="Node",
    description="A record with a globally unique, opaque ID: fetch any of them with `node(id:)`.",
)
class Node:
    """The Relay `Node` interface."""

    node_kind: ClassVar[str] = "Node"
    db_id: strawberry.Private[int]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "node_kind" in vars(cls):  # a kind of node, not an interface such as `Record`
            NODE_TYPES[cls.node_kind] = cls

    @strawberry.field(
        description="Opaque global ID, stable across reseeds of the same seed files. Pass it to "
        "`node(id:)`; do not parse it."
    )
    def id(self) -> strawberry.ID:
        """The record's global ID."""
        return strawberry.ID(encode_id(self.node_kind, self.db_id))
