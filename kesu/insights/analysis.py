"""One analysis of the customer's words, the same for the live intake panel, the API and the
intake hook: category, fault area, nature, severity, crisis signals, emotion and stance.

Pure computation (no database): the caller passes the organisation's trained model, if any.
:func:`analyse_many` analyses a batch (imports, re-analysis, benchmarks) with one model
product for the whole batch; :func:`analyse` is the same for one text.
"""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kesu.complaints.choices import Category, Emotion, Nature, Severity

from . import crisis, emotion, rules
from .choices import FaultArea, SignalKind
from .learn import TextModel
from .text import CLASSIFY_CHARS, CRISIS_CHARS, NameMasker, clean, prepare

SHOW_FROM = 0.15  # suggestions below this confidence are not shown
SHOW_AT_MOST = 4
SEVERITY_CLASSES = ("normal", "serious", "major")
_MASKER = NameMasker()

_LABELS: dict[str, Any] = {
    "category": Category,
    "fault_area": FaultArea,
    "nature": Nature,
    "severity": Severity,
    "emotion": Emotion,
}


def label_of(field_name: str, value: str) -> str:
    choices = _LABELS[field_name]
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass
class Option:
    field: str
    value: str
    confidence: float
    # dataclasses.field spelled out: the attribute ``field`` above shadows the bare name for mypy
    words: list[str] = dataclasses.field(default_factory=list)

    @property
    def label(self) -> str:
        return label_of(self.field, self.value)

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "label": self.label,
            "confidence": round(self.confidence, 3),
            "words": self.words,
        }


@dataclass
class Analysis:
    category: list[Option]
    fault_area: list[Option]
    nature: list[Option]
    severity: Option
    signals: list[crisis.Signal]
    emotion: emotion.EmotionResult
    dismissed: list[crisis.Signal] = dataclasses.field(default_factory=list)
    source: str = "rules"
    model_version: str = ""
    length: int = 0
    truncated: bool = False

    @property
    def is_crisis(self) -> bool:
        return bool(self.signals)

    @property
    def is_empty(self) -> bool:
        return self.length == 0

    def top(self, field_name: str) -> Option | None:
        if field_name == "severity":
            return self.severity
        if field_name == "emotion":
            return Option("emotion", self.emotion.value, self.emotion.confidence)
        options: list[Option] = getattr(self, field_name)
        return options[0] if options else None

    def signal_words(self) -> list[str]:
        seen: list[str] = []
        for s in self.signals:
            if s.signal not in seen:
                seen.append(s.signal)
        return seen

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": [o.as_dict() for o in self.category],
            "fault_area": [o.as_dict() for o in self.fault_area],
            "nature": [o.as_dict() for o in self.nature],
            "severity": self.severity.as_dict(),
            "crisis": {
                "is_crisis": self.is_crisis,
                "signals": [
                    {**s.as_dict(), "kind_label": str(SignalKind(s.kind).label)} for s in self.signals
                ],
                # trigger words read in context and set aside, with why (negated, hypothetical…)
                "dismissed": [
                    {**s.as_dict(), "kind_label": str(SignalKind(s.kind).label)} for s in self.dismissed
                ],
            },
            "emotion": self.emotion.as_dict(),
            "source": self.source,
            "model_version": self.model_version,
            "length": self.length,
            "truncated": self.truncated,
        }


def _options(
    field_name: str, classes: tuple[str, ...], confidences: list[float], words: dict[str, list[str]]
) -> list[Option]:
    options = [
        Option(field_name, value, float(conf), words.get(value, [])[:6])
        for value, conf in zip(classes, confidences, strict=True)
        if conf >= SHOW_FROM
    ]
    options.sort(key=lambda o: -o.confidence)
    return options[:SHOW_AT_MOST]


def _with_mixed(categories: list[Option]) -> list[Option]:
    strong = [o for o in categories if o.confidence >= rules.MIXED_THRESHOLD]
    if len(strong) >= 2:
        mixed = Option("category", Category.MIXED, strong[1].confidence, [])
        return [*categories, mixed]
    return categories


def _severity(
    scores: rules.Scores,
    signals: list[crisis.Signal],
    mood: emotion.EmotionResult,
    nature: list[Option],
    model_probs: np.ndarray | None,
) -> Option:
    if signals:
        words = [s.signal for s in signals][:6]
        return Option("severity", Severity.CRISIS, 0.95 if len(signals) > 1 else 0.85, words)
    major = scores.severity.get("major", 0.0)
    serious = scores.severity.get("serious", 0.0)
    points = major + serious
    points += {"angry": 1.0, "upset": 0.5}.get(mood.value, 0.0)
    if nature and nature[0].value == "claim":
        points += 0.5
    if major >= 2 or points >= 4:
        level, conf = "major", rules.confidence(max(major, points - 1))
    elif points >= 1.5 or serious >= 2:
        level, conf = "serious", rules.confidence(points)
    else:
        level, conf = "normal", 0.6
    words = scores.words.get(("severity", level), [])[:6]
    if model_probs is not None:  # the organisation's model has the last word where it learned
        best = int(np.argmax(model_probs))
        if float(model_probs[best]) > conf:
            level, conf = SEVERITY_CLASSES[best], float(model_probs[best])
            words = scores.words.get(("severity", level), [])[:6]
    return Option("severity", level, round(conf, 3), words)


def _empty() -> Analysis:
    return Analysis(
        category=[],
        fault_area=[],
        nature=[],
        severity=Option("severity", Severity.NORMAL, 0.0),
        signals=[],
        emotion=emotion.analyse(""),
        length=0,
    )


def analyse(text: object, *, model: TextModel | None = None) -> Analysis:
    """Analyse the customer's words. Bounded: reads at most ``CRISIS_CHARS`` characters."""
    return analyse_many([text], model=model)[0]


def analyse_many(texts: Sequence[object], *, model: TextModel | None = None) -> list[Analysis]:
    """:func:`analyse` of each text, the model reading them all as one batch (one sparse
    product instead of one per text); each text is folded, masked and rule-scored once, the
    same preparation serving the rules and the model."""
    raws = [clean(t, CRISIS_CHARS) for t in texts]
    live = [i for i, raw in enumerate(raws) if raw.strip()]
    masker = model.masker if model is not None else _MASKER
    prepared = [masker(prepare(raws[i], CLASSIFY_CHARS)) for i in live]
    scores = [rules.score(p) for p in prepared]
    vectors = [s.vector() for s in scores]
    confidences: dict[str, np.ndarray] = {}
    if model is not None and live:
        probs = model.predict_prepared(prepared, np.asarray(vectors, dtype=np.float32))
        for head, classes in _HEAD_CLASSES.items():
            if head not in probs or (head == "severity" and not model.heads[head].trained.any()):
                continue
            known = model.heads[head].classes
            index = np.asarray([known.index(c) if c in known else -1 for c in classes], dtype=np.int64)
            row_values = probs[head][:, np.maximum(index, 0)]
            confidences[head] = np.where(index >= 0, row_values, 0.0)
    results = [_empty() if not raw.strip() else None for raw in raws]
    for k, i in enumerate(live):
        model_rows = {head: values[k].tolist() for head, values in confidences.items()}
        results[i] = _analysis(texts[i], raws[i], scores[k], vectors[k], model, model_rows)
    return results  # type: ignore[return-value]


_HEAD_CLASSES: dict[str, tuple[str, ...]] = {
    "category": rules.CATEGORIES,
    "fault_area": rules.FAULT_AREAS,
    "nature": rules.NATURES,
    "severity": SEVERITY_CLASSES,
}


def _analysis(
    text: object,
    raw: str,
    scores: rules.Scores,
    vector: list[float],
    model: TextModel | None,
    model_rows: dict[str, list[float]],
) -> Analysis:
    length = len(text) if isinstance(text, str) else len(raw)
    evidence_fault = {a: scores.words.get(("fault", a), []) for a in rules.FAULT_AREAS}
    evidence_cat = {c: scores.words.get(("category", c), []) for c in rules.CATEGORIES}
    evidence_nature = {n: scores.words.get(("nature", n), []) for n in rules.NATURES}
    n_fault, n_cat = len(rules.FAULT_AREAS), len(rules.CATEGORIES)
    fault_conf = model_rows.get("fault_area", vector[:n_fault])
    cat_conf = model_rows.get("category", vector[n_fault : n_fault + n_cat])
    nature_conf = model_rows.get("nature", vector[n_fault + n_cat : n_fault + n_cat + len(rules.NATURES)])
    severity = model_rows.get("severity")
    severity_probs = np.asarray(severity) if severity is not None else None
    source, version = ("model", model.version) if model is not None else ("rules", "")
    nature = _options("nature", rules.NATURES, nature_conf, evidence_nature)
    categories = _options("category", rules.CATEGORIES, cat_conf, evidence_cat)
    if not nature and categories:  # a complaint about the car or a repair asks for a fix
        nature = [Option("nature", Nature.APPEAL, 0.4)]
    reading = crisis.read(raw)
    signals = reading.signals
    mood = emotion.analyse(raw)
    return Analysis(
        category=_with_mixed(categories),
        fault_area=_options("fault_area", rules.FAULT_AREAS, fault_conf, evidence_fault),
        nature=nature,
        severity=_severity(scores, signals, mood, nature, severity_probs),
        signals=signals,
        emotion=mood,
        dismissed=reading.dismissed,
        source=source,
        model_version=version,
        length=length,
        truncated=length > CRISIS_CHARS or len(raw) > CLASSIFY_CHARS,
    )
