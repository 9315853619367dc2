"""The rules baseline: lexicon hits → scores → suggestions with a confidence.

Works on a fresh installation with no labelled complaint at all. The statistical model (see
``learn``) reads the same scores as extra features, so it starts from this knowledge and learns
from the organisation's own corrections how far to trust it.
"""

import math
from dataclasses import dataclass, field
from typing import cast

from kesu.complaints.choices import Category

from . import lexicon
from .choices import FaultArea
from .matcher import Lexicon

FAULT_AREAS: tuple[str, ...] = tuple(FaultArea.values)
# The six seed categories a text can show; "mixed" is derived (several at once).
CATEGORIES: tuple[str, ...] = tuple(c for c in Category.values if c != Category.MIXED)
NATURES: tuple[str, ...] = ("appeal", "claim", "market")
SEVERITY_LEVELS: tuple[str, ...] = ("major", "serious")
# Finer service aspects (lexicon.ASPECT_TERMS): rule features of their own for the 车质网
# categories that "reception" alone cannot tell apart, and for 其他 (design defects, recalls).
ASPECTS: tuple[str, ...] = tuple(lexicon.ASPECT_TERMS)
# Aspects that are a kind of "reception" (their words also count for that category).
RECEPTION_ASPECTS = frozenset({"attitude", "promise", "process"})
# Share of the fault-area evidence that counts for the "product" category.
PRODUCT_FROM_FAULTS = 0.8
# Score at which a suggestion reaches a confidence of 1 - 1/e.
SCALE = 2.5
MIXED_THRESHOLD = 0.5
# What the lexicons below carry for each word: (dimension, class name, weight).
_Payload = tuple[str, str, float]


def confidence(score: float) -> float:
    """0 → 0, 1 → 0.33, 2 → 0.55, 3 → 0.70, 6 → 0.91; never quite 1."""
    return round(min(0.97, 1.0 - math.exp(-max(score, 0.0) / SCALE)), 3)


def _classification_lexicon() -> Lexicon:
    entries: list[tuple[str, object]] = []
    for area, terms in lexicon.FAULT_AREA_TERMS.items():
        entries += [(w, ("fault", area, weight)) for w, weight in terms.items()]
    entries += [(w, ("category", "product", weight)) for w, weight in lexicon.PRODUCT_TERMS.items()]
    for category, terms in lexicon.CATEGORY_TERMS.items():
        entries += [(w, ("category", category, weight)) for w, weight in terms.items()]
    reception = lexicon.CATEGORY_TERMS["reception"]
    for aspect, terms in lexicon.ASPECT_TERMS.items():
        entries += [(w, ("aspect", aspect, weight)) for w, weight in terms.items()]
        if aspect in RECEPTION_ASPECTS:  # once, whatever the number of aspects naming the word
            new = {w: weight for w, weight in terms.items() if w not in reception}
            entries += [(w, ("category", "reception", weight)) for w, weight in new.items()]
            reception = {**reception, **terms}
    return Lexicon(entries)


def _simple_lexicon(groups: dict[str, dict[str, float]], dimension: str) -> Lexicon:
    return Lexicon(
        (w, (dimension, name, weight)) for name, terms in groups.items() for w, weight in terms.items()
    )


CLASSIFY = _classification_lexicon()
NATURE = _simple_lexicon(lexicon.NATURE_TERMS, "nature")
SEVERITY = _simple_lexicon(lexicon.SEVERITY_TERMS, "severity")


@dataclass
class Scores:
    """Raw rule scores per class, and the words behind them."""

    fault: dict[str, float] = field(default_factory=dict)
    category: dict[str, float] = field(default_factory=dict)
    nature: dict[str, float] = field(default_factory=dict)
    severity: dict[str, float] = field(default_factory=dict)
    aspect: dict[str, float] = field(default_factory=dict)
    words: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, dimension: str, name: str, weight: float, word: str) -> None:
        bucket: dict[str, float] = getattr(self, dimension)
        evidence = self.words.setdefault((dimension, name), [])
        if word in evidence:  # a word repeated adds little: count it once more at a third
            bucket[name] = bucket.get(name, 0.0) + weight / 3
            return
        evidence.append(word)
        bucket[name] = bucket.get(name, 0.0) + weight

    def vector(self) -> list[float]:
        """Fixed-order features for the statistical model (confidences, 0…1)."""
        return (
            [confidence(self.fault.get(a, 0.0)) for a in FAULT_AREAS]
            + [confidence(self.category.get(c, 0.0)) for c in CATEGORIES]
            + [confidence(self.nature.get(n, 0.0)) for n in NATURES]
            + [confidence(self.severity.get(s, 0.0)) for s in SEVERITY_LEVELS]
            + [confidence(self.aspect.get(a, 0.0)) for a in ASPECTS]
        )


FEATURE_COUNT = len(FAULT_AREAS) + len(CATEGORIES) + len(NATURES) + len(SEVERITY_LEVELS) + len(ASPECTS)


def score(text: str) -> Scores:
    """Rule scores of a prepared text (see ``text.prepare``; brand names already masked)."""
    scores = Scores()
    for word, _start, _end, payloads in CLASSIFY.find(text):
        for dimension, name, weight in cast(list[_Payload], payloads):
            scores.add(dimension, name, weight, word)
    for lex in (NATURE, SEVERITY):
        for word, _start, _end, payloads in lex.find(text):
            for dimension, name, weight in cast(list[_Payload], payloads):
                scores.add(dimension, name, weight, word)
    fault_total = sum(scores.fault.values())
    if fault_total:
        scores.category["product"] = scores.category.get("product", 0.0) + PRODUCT_FROM_FAULTS * fault_total
        words = scores.words.setdefault(("category", "product"), [])
        for area in scores.fault:
            words += [w for w in scores.words[("fault", area)] if w not in words]
    return scores


def ranked(bucket: dict[str, float], classes: tuple[str, ...]) -> list[tuple[str, float]]:
    """(class, confidence) for every class with evidence, best first."""
    pairs = [(name, confidence(bucket.get(name, 0.0))) for name in classes]
    return sorted((p for p in pairs if p[1] > 0), key=lambda p: -p[1])
