"""Emotion intensity (calm / upset / angry) and the customer's behaviour with its stance.

A lexicon of insults, threats, anger, worry, impatience and plain dissatisfaction, amplified by
intensifiers (太, 简直, 居然…) and exclamation marks, damped by calming words (谢谢, 满意). The
behaviour with the most evidence picks the stance of seed 004 (DOMAIN.md): "handle the mood
before the matter".
"""

from dataclasses import dataclass, field
from typing import cast

from kesu.complaints.choices import Emotion

from .choices import STANCES, Behaviour
from .lexicon import CALMING_TERMS, EMOTION_TERMS, INTENSIFIERS, NEUTRAL_TERMS
from .matcher import Lexicon
from .text import CLASSIFY_CHARS, prepare

_ENTRIES: list[tuple[str, object]] = [
    (w, ("emotion", weight, behaviour)) for w, (weight, behaviour) in EMOTION_TERMS.items()
]
_ENTRIES += [(w, ("calm", weight, None)) for w, weight in CALMING_TERMS.items()]
_ENTRIES += [(w, ("intensifier", 0.0, None)) for w in INTENSIFIERS]
_ENTRIES += [(w, ("neutral", 0.0, None)) for w in NEUTRAL_TERMS]
_LEXICON = Lexicon(_ENTRIES)
_ANGRY_EMOJI = frozenset("😡🤬😠💢👿😤🖕")
_SAD_EMOJI = frozenset("😭😢😞😩😫😒🙄")
_HAPPY_EMOJI = frozenset("😊😀😁😄👍❤🙏🌹💯😘")

UPSET_AT = 0.9
ANGRY_AT = 2.4
# Where behaviours tie, the first listed wins: insults are the strongest evidence.
_PRIORITY = (
    Behaviour.RUDE,
    Behaviour.ANGRY,
    Behaviour.FLUSTERED,
    Behaviour.IRRITABLE,
    Behaviour.INSISTS,
    Behaviour.PERSISTENT,
)


@dataclass
class EmotionResult:
    value: str
    confidence: float
    behaviour: str
    intensity: float
    words: list[str] = field(default_factory=list)

    @property
    def stance(self) -> str:
        return str(STANCES[Behaviour(self.behaviour)])

    @property
    def label(self) -> str:
        return str(Emotion(self.value).label)

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)

    @property
    def behaviour_label(self) -> str:
        return str(Behaviour(self.behaviour).label)

    def as_dict(self) -> dict[str, object]:
        return {
            "value": self.value,
            "label": self.label,
            "confidence": self.confidence,
            "intensity": self.intensity,
            "behaviour": self.behaviour,
            "behaviour_label": self.behaviour_label,
            "stance": self.stance,
            "words": self.words,
        }


def _marks(text: str) -> tuple[int, bool]:
    exclamations = text.count("!")
    doubled = "!!" in text or "?!" in text or "!?" in text or "??" in text
    return exclamations, doubled


def analyse(text: object) -> EmotionResult:
    folded = prepare(text, CLASSIFY_CHARS)
    heat = 0.0
    calm = 0.0
    intensifiers = 0
    by_behaviour: dict[str, float] = {}
    words: list[str] = []
    for word, _start, _end, payloads in _LEXICON.find(folded):
        kind, weight, word_behaviour = cast(tuple[str, float, str | None], payloads[0])
        if kind == "intensifier":
            intensifiers += 1
            continue
        if kind == "neutral":
            continue
        repeated = word in words
        gain = weight / 3 if repeated else weight
        if not repeated:
            words.append(word)
        if kind == "calm":
            calm += gain
        else:
            heat += gain
            if word_behaviour:
                by_behaviour[word_behaviour] = by_behaviour.get(word_behaviour, 0.0) + gain
    exclamations, doubled = _marks(folded)
    angry_emoji = sum(ch in _ANGRY_EMOJI for ch in folded)
    sad_emoji = sum(ch in _SAD_EMOJI for ch in folded)
    happy_emoji = sum(ch in _HAPPY_EMOJI for ch in folded)
    heat += min(angry_emoji, 3) * 1.0 + min(sad_emoji, 3) * 0.5
    if angry_emoji:
        by_behaviour[Behaviour.ANGRY] = by_behaviour.get(Behaviour.ANGRY, 0.0) + angry_emoji
    calm += min(happy_emoji, 3) * 0.5
    intensity = heat * (1 + 0.15 * min(intensifiers, 4))
    if heat or exclamations >= 2:
        intensity += 0.35 * min(exclamations, 6) + (0.5 if doubled else 0.0)
    intensity = round(max(0.0, intensity - calm), 2)
    if intensity >= ANGRY_AT:
        value, margin = "angry", intensity - ANGRY_AT
    elif intensity >= UPSET_AT:
        value, margin = "upset", min(intensity - UPSET_AT, ANGRY_AT - intensity)
    else:
        value, margin = "calm", UPSET_AT - intensity
    conf = round(min(0.95, 0.55 + 0.4 * min(1.0, margin)), 2)
    if value == "calm":
        behaviour = Behaviour.CALM
    elif by_behaviour:
        best = max(by_behaviour.values())
        behaviour = next(b for b in _PRIORITY if by_behaviour.get(b, 0.0) == best)
    else:
        behaviour = Behaviour.ANGRY  # upset without a telling word: frustrated → stay friendly
    return EmotionResult(
        value=value,
        confidence=conf,
        behaviour=str(behaviour),
        intensity=intensity,
        words=words[:12],
    )
