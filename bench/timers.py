"""Timers wrapped around functions, for the phase and stage breakdowns of the benchmarks."""

import time
from collections import Counter
from collections.abc import Callable
from typing import Any


def timed(
    spent: Counter[str], name: str, function: Callable[..., Any], cpu: Counter[str] | None = None
) -> Callable[..., Any]:
    """``function``, adding the wall time of each call to ``spent[name]`` (and, given ``cpu``,
    this process's CPU time to ``cpu[name]``)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began, began_cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - began
            if cpu is not None:
                cpu[name] += time.process_time() - began_cpu

    return wrapper
