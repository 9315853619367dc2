"""The window of context a crisis trigger is read in: its clause, its sentence and up to
:data:`_WINDOW` characters on each side (see :mod:`kesu.insights.crisis`)."""

import re
from dataclasses import dataclass

# --- windows ---------------------------------------------------------------------------------
_SENTENCE_END = "。!?;\n…"
_CLAUSE_END = _SENTENCE_END + ",、:~"
_WINDOW = 40  # characters of a sentence read on each side at most
# A conditional threat's consequence starts after these: "不解决[就]起诉" is a threat, not a denial.
_CONSEQUENCE = re.compile(r"(?:就|才|便|那|的话|否则|不然|要不|要么|再|我会|只能|只好|直接)")


@dataclass(frozen=True)
class Window:
    left_clause: str
    right_clause: str
    left: str  # the sentence before the trigger (at most _WINDOW characters)
    right: str
    trigger: str
    passage: str  # up to _WINDOW * 2 characters on each side, across sentences
    at: int = 0  # where the trigger starts in ``passage``

    @property
    def sentence(self) -> str:
        return self.left + self.trigger + self.right

    @property
    def consequence(self) -> str:
        """The clause before the trigger from its last conditional marker on."""
        tail = self.left_clause
        ends = [m.end() for m in _CONSEQUENCE.finditer(tail)]
        return tail[ends[-1] :] if ends else tail


def _window(folded: str, start: int, end: int) -> Window:
    lo = max(0, start - _WINDOW)
    hi = min(len(folded), end + _WINDOW)
    left = folded[lo:start]
    right = folded[end:hi]
    cut = max((left.rfind(ch) for ch in _SENTENCE_END), default=-1)
    left = left[cut + 1 :]
    stops = [i for i in (right.find(ch) for ch in _SENTENCE_END) if i >= 0]
    right = right[: min(stops)] if stops else right
    ccut = max((left.rfind(ch) for ch in _CLAUSE_END), default=-1)
    cstops = [i for i in (right.find(ch) for ch in _CLAUSE_END) if i >= 0]
    return Window(
        left_clause=left[ccut + 1 :],
        right_clause=right[: min(cstops)] if cstops else right,
        left=left,
        right=right,
        trigger=folded[start:end],
        passage=folded[max(0, start - 2 * _WINDOW) : end + 2 * _WINDOW],
        at=start - max(0, start - 2 * _WINDOW),
    )
