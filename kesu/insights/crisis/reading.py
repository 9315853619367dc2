"""Reading a text for crisis: every cue's trigger in its window, kept or dismissed with why,
and the learned second reading (:mod:`kesu.insights.crisis_learned`) beside the rules."""

import re
from dataclasses import dataclass
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kesu.core.normalize import traditional_to_simplified

from .. import crisis_learned
from ..choices import SignalKind
from ..matcher import fast_start
from ..text import CRISIS_CHARS, clean, fold
from .cues import CUES
from .event_checks import DRIVER_STATE, _agents_words, _retracted, _settled, _staff_talk
from .window import _window


@dataclass(frozen=True)
class Signal:
    signal: str  # the words as the customer wrote them
    kind: str
    start: int
    end: int
    why: str = ""

    @property
    def kind_label(self) -> str:
        return str(SignalKind(self.kind).label)

    def as_dict(self) -> dict[str, object]:
        return {
            "signal": self.signal,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "why": self.why,
            "kind_label": self.kind_label,
        }


@dataclass(frozen=True)
class Reading:
    """What the crisis check found: the signals that count and the triggers it set aside."""

    signals: list[Signal]
    dismissed: list[Signal]


@cache
def _simplified_table() -> dict[int, str]:
    """Traditional characters, and the dialect's 俺 and 咱 (I, we), as the cues spell them."""
    return str.maketrans({**traditional_to_simplified(), "俺": "我", "咱": "我"})


# A keyboard's slips the cues would miss, one character for one (以经 for 已经, 自已 for 自己).
_SLIPS = re.compile("以经|己经|自已")


def _folded(original: str) -> str:
    return _SLIPS.sub(_slip_fixed, fold(original).translate(_simplified_table()))


def _slip_fixed(slip: re.Match[str]) -> str:
    return "自己" if slip.group() == "自已" else "已经"


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...]:
    return tuple((re.compile(fast_start(c.pattern)), re.compile(c.needs) if c.needs else None) for c in CUES)


# Checks every trigger passes, whatever its cue: over and resolved, taken back, the agent's words
# in a call, staff talking among themselves.
_EVERY_CUE = (_settled, _retracted, _agents_words, _staff_talk)
_PUNCTUATED = re.compile(r"[,.!?;:，。！？；：、]")
_PHRASE = 4  # characters a space-separated stretch needs to be a spoken phrase, not a word


def _spacefree(text: str) -> tuple[str, list[int]]:
    """The text without spaces, and where each kept character was: "刹车 突然 失灵" reads whole.
    Voice-to-text with no punctuation pauses with spaces between phrases ("俺冇那个心思 打官司费钱
    又费工夫"): there each space ends a clause, read as a comma."""
    gaps = " \t\u200b\u200c\u200d\u202e"
    last = len(text) - 1
    spoken = _PUNCTUATED.search(text) is None and sum(len(part) >= _PHRASE for part in text.split()) >= 2
    kept: list[int] = []
    chars: list[str] = []
    for i, ch in enumerate(text):
        if ch not in gaps or (0 < i < last and text[i - 1].isascii() and text[i + 1].isascii()):
            kept.append(i)
            chars.append(ch)
        elif spoken and ch == " " and chars and chars[-1] != ",":
            kept.append(i)
            chars.append(",")
    return "".join(chars), kept


def read(text: str, *, limit: int = CRISIS_CHARS, learned: bool = True) -> Reading:
    """Every crisis trigger in the first ``limit`` characters, kept or dismissed with why; offsets
    index the original text. ``learned=False``: the rules alone (what the learned reading is
    fitted and cross-validated against)."""
    original = clean(text, limit)  # control characters and lone surrogates → spaces
    folded_full = _folded(original)  # 刹車失靈 reads as 刹车失灵
    folded, where = _spacefree(folded_full)
    signals: list[Signal] = []
    dismissed: list[Signal] = []
    taken: list[tuple[int, int]] = []
    for cue, (pattern, needs) in zip(CUES, _compiled(), strict=True):
        for match in pattern.finditer(folded):
            if match.end() == match.start():
                continue
            start, end = where[match.start()], where[match.end() - 1] + 1
            w = _window(folded, match.start(), match.end())
            reason: Promise | None = None
            if needs is not None and not needs.search(w.sentence):
                if cue.unmet is None:
                    continue  # not this cue's event at all (a collision with no fault named)
                reason = cue.unmet
            for check in (*cue.checks, *_EVERY_CUE) if reason is None else ():
                reason = check(w)
                if reason is not None:
                    break
            found = Signal(
                signal=original[start:end],
                kind=str(cue.kind),
                start=start,
                end=end,
                why=str(reason if reason is not None else cue.why),
            )
            if reason is not None:
                dismissed.append(found)
            elif not any(s <= start and end <= e for s, e in taken):
                taken.append((start, end))
                signals.append(found)
    if learned and signals and _overruled(folded_full, signals):
        dismissed, signals = dismissed + [_vetoed(s) for s in signals], []
    if learned and not signals and not dismissed:
        second = _learned(original, folded_full)
        if second is not None:
            signals.append(second)
    signals.sort(key=lambda s: s.start)
    dismissed = [d for d in dismissed if not any(s.start <= d.start and d.end <= s.end for s in signals)]
    dismissed.sort(key=lambda s: s.start)
    return Reading(signals=signals, dismissed=dismissed)


def rules_find_crisis(text: str) -> bool:
    """The rules alone raise a crisis in ``text`` (what the learned reading is fitted against)."""
    return bool(read(text, learned=False).signals)


_DRIVER_STATE = re.compile(DRIVER_STATE)
_VETO_REACH = 80  # characters read on each side of a signal when the learned reading judges it


def _overruled(folded: str, signals: list[Signal]) -> bool:
    """Whether the learned reading overrules the rules' signals: the text is long enough to judge
    and, around every signal, reads nothing like a crisis (:data:`crisis_learned.VETO`). Around
    each signal, not the whole text: a fire told in one line of a long polite letter is not
    drowned by the rest."""
    if len(folded.replace(" ", "")) < crisis_learned.VETO_MIN_CHARS:
        return False
    return all(
        crisis_learned.probability(
            folded[max(0, s.start - _VETO_REACH) : s.end + _VETO_REACH], by_rules=rules_find_crisis
        )
        < crisis_learned.VETO
        for s in signals
    )


def _vetoed(signal: Signal) -> Signal:
    why = _("the rest of the text reads like an ordinary complaint, not a crisis (learned reading)")
    return Signal(signal=signal.signal, kind=signal.kind, start=signal.start, end=signal.end, why=str(why))


def _learned(original: str, folded: str) -> Signal | None:
    """The learned second reading (:mod:`.crisis_learned`), asked only when no rule fired and no
    rule set a trigger aside: it adds crises told in words no cue lists, never overrules a rule."""
    if crisis_learned.probability(folded, by_rules=rules_find_crisis) < crisis_learned.THRESHOLD:
        return None  # most texts: no need to look for the clause
    if _DRIVER_STATE.search(folded):  # 因犯困下了路沟: the driver's state, which no rule is needed for
        return None
    opinion = crisis_learned.opinion(folded, by_rules=rules_find_crisis)
    if opinion.end <= opinion.start:
        return None
    why = _(
        "worded like the crises in the labelled examples (model %(percent)d%%, strongest words: "
        "%(words)s); no rule names it, so check it"
    ) % {"percent": round(opinion.probability * 100), "words": "、".join(opinion.words)}
    return Signal(
        signal=original[opinion.start : opinion.end],
        kind=str(SignalKind.LEARNED),
        start=opinion.start,
        end=opinion.end,
        why=str(why),
    )


def find_signals(text: str, *, limit: int = CRISIS_CHARS) -> list[Signal]:
    """The crisis signals that count in the first ``limit`` characters."""
    return read(text, limit=limit).signals
