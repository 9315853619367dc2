"""Crisis signals: media, authorities, lawyers, smashing the car, social platforms, safety events
and injuries (DOMAIN.md "Escalation"), each with the words that matched and where.

Safety events and injuries can be denied ("没有起火", "无人受伤"): a negation just before the
word cancels that signal. Threats count even when conditional ("不解决我就找媒体").
"""

import re
from dataclasses import dataclass
from functools import cache

from kesu.core.normalize import traditional_to_simplified

from .lexicon import CRISIS_PATTERNS, NEGATABLE_KINDS, NEGATION_BEFORE
from .text import CRISIS_CHARS, clean, fold

_KINDS = [kind for kind, _ in CRISIS_PATTERNS]
_PATTERN = re.compile("|".join(f"(?P<k{i}>{body})" for i, (_, body) in enumerate(CRISIS_PATTERNS)))
_NEGATED = re.compile(NEGATION_BEFORE)
_LOOKBACK = 8


@dataclass(frozen=True)
class Signal:
    signal: str  # the words as the customer wrote them
    kind: str
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"signal": self.signal, "kind": self.kind, "start": self.start, "end": self.end}


@cache
def _simplified_table() -> dict[int, str]:
    return str.maketrans(traditional_to_simplified())


def _negated(folded: str, start: int) -> bool:
    return bool(_NEGATED.search(folded[max(0, start - _LOOKBACK) : start]))


def find_signals(text: str, *, limit: int = CRISIS_CHARS) -> list[Signal]:
    """Every crisis signal in the first ``limit`` characters; offsets index the original text."""
    original = clean(text, limit)  # control characters and lone surrogates → spaces
    folded = fold(original).translate(_simplified_table())  # 刹車失靈 reads as 刹车失灵; same length
    signals: list[Signal] = []
    for match in _PATTERN.finditer(folded):
        group = match.lastgroup or ""
        kind = _KINDS[int(group[1:])]
        if kind in NEGATABLE_KINDS and _negated(folded, match.start()):
            continue
        signals.append(
            Signal(
                signal=original[match.start() : match.end()],
                kind=str(kind),
                start=match.start(),
                end=match.end(),
            )
        )
    return signals
