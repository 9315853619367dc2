"""Timers wrapped around functions, for the phase and stage breakdowns of the benchmarks."""

import time
from collections import Counter
from collections.abc import Callable
from typing import Any


def timed(spent: Counter[str], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, adding the wall time of each call to ``spent[name]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - began

    return wrapper
