"""Deterministic record IDs: the same dataset, kind and slug always give the same key."""

from __future__ import annotations

import hashlib

#: Record kinds as they appear in IDs and search entries.
KINDS = ("dataset", "source", "actor", "event", "statement", "figure")


def record_id(dataset: str, kind: str, slug: str) -> int:
    """A positive 63-bit integer key for a record, stable across reseeds and machines.

    Derived from a hash so that reseeding the same files yields the same keys (and the same
    GraphQL global IDs); the loader still checks every key for collisions.
    """
    digest = hashlib.blake2b(f"{dataset}\x1f{kind}\x1f{slug}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF_FFFF_FFFF


def dataset_id(name: str) -> int:
    """The key of a dataset row."""
    return record_id(name, "dataset", name)
