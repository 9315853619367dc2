"""The process-level caches: one mechanism, registered by name.

Some data every intake or sweep reads changes rarely — business calendars, SLA policies, the
organisation tree, compiled forbidden-phrase matchers, the search statistics. Each process keeps
them in a :class:`ProcessCache`:

* ``ttl`` (seconds): an entry older than that is read again, so an edit made in *another* process
  is seen within ``ttl``; ``None`` for entries that are checked some other way (the matchers
  carry the stamp of the list they were compiled from).
* ``clear()``: the process that made an edit clears the cache at once (signals in the apps'
  ``ready``, or the service that made the edit).
* every cache registers under its name; :func:`clear_all` empties them all — the test suite calls
  it before each test (root ``conftest.py``), so a rolled-back test's data is never served to the
  next one.

Pure memoisation of data that cannot change while the process runs (lexicons, translations
looked up once, SQL text built from the models) stays ``functools.cache``: there is nothing to
expire. Django's cache framework is not used for these: its default is per process too, and a
shared cache would pickle compiled matchers and model instances on every read.
"""

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_REGISTRY: dict[str, "ProcessCache[object, object]"] = {}


class ProcessCache(Generic[K, V]):
    """A dict of this process, whose entries expire after ``ttl`` seconds (``None``: never).

    ``max_entries`` bounds it: when full, the whole cache is emptied (the keys are few — one per
    organisation — so this only guards against unbounded growth). Thread-safe: the web server's
    threads and the sweep's share it."""

    def __init__(self, name: str, *, ttl: float | None, max_entries: int = 10_000) -> None:
        if name in _REGISTRY:
            raise ValueError(f"a process cache named {name!r} exists already")
        self.name, self.ttl, self.max_entries = name, ttl, max_entries
        self._entries: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()
        _REGISTRY[name] = self  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<ProcessCache {self.name} ttl={self.ttl} entries={len(self._entries)}>"

    def __len__(self) -> int:
        return len(self._entries)

    def _fresh(self, entry: tuple[float, V]) -> bool:
        return self.ttl is None or time.monotonic() - entry[0] < self.ttl

    def get(self, key: K, default: V | None = None) -> V | None:
        """The value of ``key`` while it is fresh, else ``default``."""
        entry = self._entries.get(key)
        if entry is None or not self._fresh(entry):
            return default
        return entry[1]

    def set(self, key: K, value: V) -> V:
        with self._lock:
            if len(self._entries) >= self.max_entries and key not in self._entries:
                self._entries.clear()
            self._entries[key] = (time.monotonic(), value)
        return value

    def get_or_set(self, key: K, compute: Callable[[], V]) -> V:
        """The fresh value of ``key``, or ``compute()`` stored under it. Two threads missing at
        once may both compute; the last one stored wins (the values are equal)."""
        entry = self._entries.get(key)
        if entry is not None and self._fresh(entry):
            return entry[1]
        return self.set(key, compute())

    def pop(self, key: K) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def registered() -> dict[str, ProcessCache[object, object]]:
    """Every process cache by name (for the tests and for operators' debugging)."""
    return dict(_REGISTRY)


def clear_all() -> None:
    """Empty every process cache (the test suite does before each test)."""
    for cache in list(_REGISTRY.values()):
        cache.clear()
