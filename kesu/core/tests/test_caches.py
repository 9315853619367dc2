"""The process caches: entries expire after their time to live, ``clear()`` empties one cache,
``clear_all()`` every registered one (the suite does before each test)."""

from typing import Any

import pytest

from kesu.core import caches
from kesu.core.caches import ProcessCache


@pytest.fixture
def clock(monkeypatch: Any) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(caches.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def fresh_name() -> Any:
    made: list[str] = []

    def name(suffix: str) -> str:
        made.append(f"test.{suffix}")
        return made[-1]

    yield name
    for name_made in made:
        caches._REGISTRY.pop(name_made, None)


def test_an_entry_expires_after_its_time_to_live(clock, fresh_name):
    cache: ProcessCache[int, str] = ProcessCache(fresh_name("ttl"), ttl=60)
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        return f"value {len(calls)}"

    assert cache.get_or_set(1, compute) == "value 1"
    clock[0] += 59
    assert cache.get_or_set(1, compute) == "value 1" and cache.get(1) == "value 1"
    clock[0] += 2
    assert cache.get(1) is None
    assert cache.get_or_set(1, compute) == "value 2"


def test_without_a_time_to_live_entries_stay_until_cleared(clock, fresh_name):
    cache: ProcessCache[str, int] = ProcessCache(fresh_name("forever"), ttl=None)
    cache.set("a", 1)
    cache.set("b", 2)
    clock[0] += 10**9
    assert cache.get("a") == 1
    cache.pop("a")
    cache.pop("missing")
    assert cache.get("a") is None and cache.get("b") == 2
    cache.clear()
    assert len(cache) == 0


def test_a_full_cache_starts_again(fresh_name):
    cache: ProcessCache[int, int] = ProcessCache(fresh_name("bounded"), ttl=None, max_entries=3)
    for key in range(3):
        cache.set(key, key)
    cache.set(2, 20)  # a key it holds: no eviction
    assert len(cache) == 3
    cache.set(3, 3)
    assert len(cache) == 1 and cache.get(3) == 3


def test_names_are_unique_and_clear_all_empties_every_cache(fresh_name):
    name = fresh_name("unique")
    cache: ProcessCache[int, int] = ProcessCache(name, ttl=None)
    with pytest.raises(ValueError):
        ProcessCache(name, ttl=None)
    cache.set(1, 1)
    caches.clear_all()
    assert len(cache) == 0


def test_the_applications_caches_are_registered():
    import kesu.complaints.queries
    import kesu.insights.training
    import kesu.language.services.guard
    import kesu.sla.policies  # noqa: F401  (each registers its caches when imported)

    assert {
        "organizations.chains",
        "sla.calendars",
        "sla.policies",
        "language.matchers",
        "language.default_matcher",
        "complaints.token_frequencies",
        "insights.models",
    } <= set(caches.registered())
