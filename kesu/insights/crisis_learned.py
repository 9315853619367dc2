"""A learned second reading for crisis detection (issue 15): wording the rules do not know yet.

The rules in :mod:`kesu.insights.crisis` read each trigger word in its window, and score perfectly
on the dev set they were written against; on fresh texts they miss crises told in words no cue
lists ("车头都烧黑了", "方向盘像焊死了一样", "在你们展厅地上坐着不走"). This module is a character
n-gram logistic regression fitted on the same labelled dev set
(``tests/data/crisis_dev.tsv``, which ships in the repository), so it knows the *shape* of a
crisis story rather than a list of words. It only ever adds to the rules and never overrules them:
:func:`kesu.insights.crisis.read` asks it only when no rule fired **and** no rule dismissed a
trigger (a denied, hypothetical or incidental trigger is the rules' call — the model does not
get to bring it back).

The fit is deterministic (liblinear, fixed data) and lazy: the first crisis reading in a process
fits it in well under a second; scoring is pure Python over the fitted weights (no sklearn call
per text), a few tens of microseconds. The probability threshold was chosen by 5-fold
cross-validation on the dev set (:func:`cross_validated_threshold`, re-run by a test): the lowest
threshold whose out-of-fold precision, with the rules' dismissals vetoing, is at least
``PRECISION_GOAL``. Cross-validation on the dev set is optimistic (its texts resemble one
another), hence the high goal.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kesu.core.normalize import traditional_to_simplified

from .text import clean, fold

TRAINING_DATA = Path(__file__).resolve().parent / "tests" / "data" / "crisis_dev.tsv"
NGRAMS = (1, 3)  # character n-grams: Chinese has no spaces, and 1–3 characters carry the words
C = 30.0  # weak regularisation: 1,000 short texts, most n-grams seen a handful of times
PRECISION_GOAL = 0.97
THRESHOLD = 0.5  # cross_validated_threshold() on the dev set (a test checks it still is)
_FOLDS = 5


@cache
def _simplified() -> dict[int, str]:
    return str.maketrans(traditional_to_simplified())


def normalise(text: str, limit: int) -> str:
    """What the model reads: cleaned, folded, simplified; one character per input character, so
    offsets found in it point into the original text."""
    return fold(clean(text, limit)).translate(_simplified())


@dataclass(frozen=True)
class Model:
    """The fitted weights, as plain dictionaries: ``weight[g]`` is idf × coefficient of n-gram g."""

    idf: dict[str, float]
    weight: dict[str, float]
    intercept: float


@dataclass(frozen=True)
class Opinion:
    probability: float
    start: int  # the span of the n-grams that weighed most towards a crisis
    end: int
    words: tuple[str, ...]  # those n-grams, strongest first


def training_rows() -> list[tuple[str, int]]:
    with open(TRAINING_DATA, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["text"], int(row["label"])) for row in rows]


def _fit(texts: list[str], labels: list[int]) -> Model:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True, lowercase=False)
    matrix = vectorizer.fit_transform([normalise(t, 10_000) for t in texts])
    classifier = LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=0)
    classifier.fit(matrix, labels)
    idf = dict(zip(vectorizer.get_feature_names_out(), (float(v) for v in vectorizer.idf_), strict=True))
    coef = classifier.coef_[0]
    weight = {g: float(coef[i]) * idf[g] for g, i in vectorizer.vocabulary_.items()}
    return Model(idf=idf, weight=weight, intercept=float(classifier.intercept_[0]))


@cache
def model() -> Model:
    """Fitted once per process, on first use."""
    rows = training_rows()
    return _fit([t for t, _ in rows], [y for _, y in rows])


def _ngrams(folded: str) -> dict[str, list[int]]:
    """Each n-gram of the text with where it starts (as sklearn's char analyzer counts them)."""
    seen: dict[str, list[int]] = {}
    lo, hi = NGRAMS
    for n in range(lo, hi + 1):
        for i in range(len(folded) - n + 1):
            seen.setdefault(folded[i : i + n], []).append(i)
    return seen


def probability(folded: str, *, fitted: Model | None = None) -> float:
    return opinion(folded, fitted=fitted).probability


def opinion(folded: str, *, fitted: Model | None = None) -> Opinion:
    """The model's probability that ``folded`` (see :func:`normalise`) tells a crisis, and the
    n-grams that pushed it there — the same sum sklearn computes (sublinear tf × idf, l2-normed)."""
    m = fitted or model()
    grams = _ngrams(folded)
    norm_sq = 0.0
    score = 0.0
    pushes: list[tuple[float, str]] = []
    for gram, where in grams.items():
        idf = m.idf.get(gram)
        if idf is None:
            continue
        tf = 1.0 + math.log(len(where))
        norm_sq += (tf * idf) ** 2
        push = tf * m.weight[gram]
        score += push
        pushes.append((push, gram))
    if norm_sq == 0.0:
        return Opinion(probability=1.0 / (1.0 + math.exp(-m.intercept)), start=0, end=0, words=())
    z = score / math.sqrt(norm_sq) + m.intercept
    pushes.sort(reverse=True)
    words = tuple(g for p, g in pushes[:3] if p > 0 and len(g) > 1)
    start = end = 0
    if words:
        start = grams[words[0]][0]
        end = start + len(words[0])
        for gram in words[1:]:  # widen to the strong n-grams that touch the strongest one
            for at in grams[gram]:
                if at <= end and at + len(gram) >= start:
                    start, end = min(start, at), max(end, at + len(gram))
    return Opinion(probability=1.0 / (1.0 + math.exp(-z)), start=start, end=end, words=words)


def cross_validated_threshold(*, vetoed: list[bool]) -> tuple[float, dict[float, tuple[float, float]]]:
    """The lowest threshold (0.40–0.90 by 0.05) whose out-of-fold precision on the dev set, with
    texts the rules dismissed a trigger in left out (``vetoed``), reaches ``PRECISION_GOAL``;
    and recall/precision at each threshold. Deterministic folds."""
    from sklearn.model_selection import StratifiedKFold

    rows = training_rows()
    texts = [t for t, _ in rows]
    labels = [y for _, y in rows]
    oof = [0.0] * len(rows)
    folds = StratifiedKFold(n_splits=_FOLDS, shuffle=True, random_state=0)
    for train, test in folds.split(texts, labels):
        fitted = _fit([texts[i] for i in train], [labels[i] for i in train])
        for i in test:
            oof[i] = probability(normalise(texts[i], 10_000), fitted=fitted)
    table: dict[float, tuple[float, float]] = {}
    chosen = 0.9
    positives = sum(labels)
    for step in range(8, 19):
        threshold = round(step * 0.05, 2)
        fired = [p >= threshold and not v for p, v in zip(oof, vetoed, strict=True)]
        tp = sum(f and y == 1 for f, y in zip(fired, labels, strict=True))
        fp = sum(f and y == 0 for f, y in zip(fired, labels, strict=True))
        precision = tp / (tp + fp) if tp + fp else 1.0
        table[threshold] = (round(tp / positives, 3), round(precision, 3))
        if precision >= PRECISION_GOAL and threshold < chosen:
            chosen = threshold
    return chosen, table
