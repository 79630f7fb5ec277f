"""A least-recently-used cache bounded in bytes, shared by everything one app caches.

Parsed and validated documents, fast path operations and plans, prepared arguments and
persisted queries all go into one `BoundedCache` per app, so together they hold at most
`max_cache_bytes` (`gql.settings`). A cache bounded only in entries is not bounded at all
when one entry can be a kilobyte or a megabyte.

Sizes are estimates, made by whoever puts a value: from the length of the text the value was
made from (a query, the JSON of some variable values) times a factor measured once for that
kind of value (see each caller). An estimate is never recomputed: putting a value again under
its key replaces its size. The cache is thread-safe: worker threads fill it while the event
loop reads it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

__all__ = ["BoundedCache"]


class BoundedCache:
    """Values by key, the least recently used dropped first once `max_bytes` is exceeded."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """The estimated size of everything held."""
        return self._bytes

    def get(self, key: Hashable) -> Any:
        """The value under `key` (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        """Keep `value` under `key`, its size estimated as `size` bytes; a value larger than
        a quarter of the cache is not kept (it would push out too much else)."""
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if size > self.max_bytes // 4:
                return
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, evicted) = self._entries.popitem(last=False)
                self._bytes -= evicted

    def pop(self, key: Hashable) -> None:
        """Forget the value under `key`, if any."""
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
