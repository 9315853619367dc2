"""A small character n-gram logistic regression, fitted with scikit-learn and scored in plain
Python (issue 15): the learned second readings of crisis (:mod:`kesu.insights.crisis_learned`),
emotion (:mod:`kesu.insights.emotion_learned`) and the language guard (:mod:`kesu.language.learned`)
share it.

Fitting is deterministic (liblinear, fixed data and seed). Scoring one text is the sum sklearn
would compute — sublinear tf × idf, l2-normed, dot the coefficients, plus the intercept — over
dictionaries, so a short text costs tens of microseconds and no sklearn call, and the n-grams that
pushed the score up can be shown as the words behind it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kesu.core.folding import clean, fold
from kesu.core.normalize import traditional_to_simplified


@cache
def _simplified() -> dict[int, str]:
    return str.maketrans(traditional_to_simplified())


def normalise(text: str, limit: int = 10_000) -> str:
    """What the models read: cleaned, folded, simplified; one character per input character, so
    offsets found in it point into the original text."""
    return simplified(fold(clean(text, limit)))


def simplified(folded: str) -> str:
    """Text already cleaned and folded (:func:`kesu.insights.text.prepare`), in simplified
    characters: what the models read, without cleaning and folding it again."""
    return folded.translate(_simplified())


@dataclass(frozen=True)
class Model:
    """The fitted weights as plain dictionaries: ``weight[g]`` is idf × coefficient of n-gram g."""

    ngrams: tuple[int, int]
    idf: dict[str, float]
    weight: dict[str, float]
    intercept: float


@dataclass(frozen=True)
class Opinion:
    probability: float
    start: int  # the clause that pushed hardest towards the positive class
    end: int
    words: tuple[str, ...]  # its strongest n-grams, strongest first


def tsv_rows(path: Path, *, positive: Callable[[str], bool]) -> list[tuple[str, int]]:
    """``text`` and a 0/1 label (``positive`` of the ``label`` column) from a TSV with a header."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["text"], int(positive(row["label"]))) for row in rows]


def fit(
    texts: list[str],
    labels: list[int],
    *,
    ngrams: tuple[int, int],
    c: float,
    min_df: int = 1,
    weights: list[float] | None = None,
) -> Model:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=ngrams, sublinear_tf=True, lowercase=False, min_df=min_df
    )
    matrix = vectorizer.fit_transform([normalise(t) for t in texts])
    classifier = LogisticRegression(
        C=c, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=0
    )
    classifier.fit(matrix, labels, sample_weight=weights)
    idf = {g: float(vectorizer.idf_[i]) for g, i in vectorizer.vocabulary_.items()}
    coef = classifier.coef_[0]
    weight = {g: float(coef[i]) * idf[g] for g, i in vectorizer.vocabulary_.items()}
    return Model(ngrams=ngrams, idf=idf, weight=weight, intercept=float(classifier.intercept_[0]))


def cache_file(name: str, *parts: bytes) -> Path:
    """Where a model fitted from ``parts`` (its data and settings) is kept between processes:
    ``$KESU_DATA_DIR/models/<name>-<digest>.json``. Another scikit-learn fits anew."""
    from django.conf import settings
    from sklearn import __version__ as sklearn_version

    digest = hashlib.sha256(sklearn_version.encode())
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return Path(settings.DATA_DIR) / "models" / f"{name}-{digest.hexdigest()[:16]}.json"


def cached_fit(path: Path, build: Callable[[], Model]) -> Model:
    """The model saved at ``path`` (JSON, written by an earlier process), else ``build()`` saved
    there: a fit on tens of thousands of texts takes seconds that every process, test worker and
    web start would otherwise pay again. ``path`` names what the model was fitted from, so a
    change of data or settings fits anew. JSON, not pickle: the file is read back, never run."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        low, high = data["ngrams"]
        return Model((int(low), int(high)), data["idf"], data["weight"], float(data["intercept"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    model = build()
    _save(path, model)
    return model


def _save(path: Path, model: Model) -> None:
    data = {"ngrams": model.ngrams, "idf": model.idf, "weight": model.weight, "intercept": model.intercept}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(temporary, path)  # whole or not at all, even with processes racing
    except OSError:
        pass  # a read-only disk: fit again next time


_WHITE_SPACES = re.compile(r"\s\s+")


def _as_fitted(folded: str) -> tuple[str, list[int] | None]:
    """The text as sklearn's char analyzer read it when fitting (a run of two or more whitespace
    characters is one space: many real posts end in spaces), and where each of its characters
    stands in ``folded`` (``None``: where it stands in ``text``, nothing collapsed)."""
    if _WHITE_SPACES.search(folded) is None:
        return folded, None
    text: list[str] = []
    where: list[int] = []
    last = 0
    for run in _WHITE_SPACES.finditer(folded):
        text.append(folded[last : run.start()])
        where.extend(range(last, run.start()))
        text.append(" ")
        where.append(run.start())
        last = run.end()
    text.append(folded[last:])
    where.extend(range(last, len(folded)))
    return "".join(text), where


def _grams(folded: str, ngrams: tuple[int, int]) -> dict[str, list[int]]:
    """Each n-gram of the text with where it starts in ``folded``, as sklearn's char analyzer
    counts them."""
    text, where = _as_fitted(folded)
    seen: dict[str, list[int]] = {}
    lo, hi = ngrams
    for n in range(lo, hi + 1):
        for i in range(len(text) - n + 1):
            seen.setdefault(text[i : i + n], []).append(i if where is None else where[i])
    return seen


def _weigh(model: Model, grams: dict[str, list[int]]) -> tuple[float, dict[str, float]]:
    """The probability, and how hard each known n-gram pushed towards the positive class."""
    norm_sq = 0.0
    score = 0.0
    pushes: dict[str, float] = {}
    for gram, where in grams.items():
        idf = model.idf.get(gram)
        if idf is None:
            continue
        tf = 1.0 + math.log(len(where))
        norm_sq += (tf * idf) ** 2
        pushes[gram] = push = tf * model.weight[gram]
        score += push
    if norm_sq == 0.0:
        return _sigmoid(model.intercept), pushes
    return _sigmoid(score / math.sqrt(norm_sq) + model.intercept), pushes


def probability(model: Model, folded: str) -> float:
    """The probability that ``folded`` (see :func:`normalise`) is of the positive class: what
    :func:`opinion` says without looking for the clause behind it (a tenth of the time on long
    texts)."""
    return _weigh(model, _grams(folded, model.ngrams))[0]


def opinion(model: Model, folded: str) -> Opinion:
    """The probability that ``folded`` (see :func:`normalise`) is of the positive class, and the
    span of the n-grams that pushed it there."""
    grams = _grams(folded, model.ngrams)
    chance, pushes = _weigh(model, grams)
    if not pushes:
        return Opinion(probability=chance, start=0, end=0, words=())
    # Even when single characters weigh most ("揍", "占") the clause that holds them is shown: a
    # span-less opinion was once dropped by its callers, losing confident readings.
    start, end, words = _strongest_clause(folded, grams, pushes, model.ngrams)
    return Opinion(probability=chance, start=start, end=end, words=words)


_CLAUSE_BREAKS = frozenset(",.!?;:，。！？；：、\n ")


def _clause_bounds(folded: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    begin = 0
    for i, ch in enumerate(folded + ","):
        if ch in _CLAUSE_BREAKS:
            if i > begin:
                bounds.append((begin, i))
            begin = i + 1
    return bounds


def _pushing_clauses(
    folded: str, grams: dict[str, list[int]], pushes: dict[str, float], ngrams: tuple[int, int]
) -> list[tuple[float, int, int]]:
    """Each clause that pushes towards the positive class, with how hard, hardest first."""
    ranked: list[tuple[float, int, int]] = []
    for lo, hi in _clause_bounds(folded):
        here = _grams(folded[lo:hi], ngrams)
        total = sum(pushes[g] * len(at) / len(grams[g]) for g, at in here.items() if g in pushes)
        if total > 0.0:
            ranked.append((total, lo, hi))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return ranked


def pushing_clauses(model: Model, folded: str, *, at_least: float) -> list[tuple[int, int]]:
    """When ``folded`` is of the positive class with probability ``at_least`` or more, the clauses
    that pushed it there, hardest first (for a reader that must pick one of them by another test);
    else none, without ranking the clauses (most texts: the cost of :func:`probability`)."""
    grams = _grams(folded, model.ngrams)
    chance, pushes = _weigh(model, grams)
    if chance < at_least:
        return []
    return [(lo, hi) for _, lo, hi in _pushing_clauses(folded, grams, pushes, model.ngrams)]


def _strongest_clause(
    folded: str, grams: dict[str, list[int]], pushes: dict[str, float], ngrams: tuple[int, int]
) -> tuple[int, int, tuple[str, ...]]:
    """The clause whose n-grams push hardest towards the positive class, and its three strongest
    n-grams of two characters or more (single characters when none is): a span an agent can read
    ("方向盘像焊死了一样"), where the single strongest n-gram is often a style word ("突然")."""
    ranked = _pushing_clauses(folded, grams, pushes, ngrams)
    if not ranked:
        return 0, 0, ()
    _, lo, hi = ranked[0]
    inside = _grams(folded[lo:hi], ngrams)
    pushing = sorted(((pushes[g], g) for g in inside if pushes.get(g, 0.0) > 0), reverse=True)
    words = [g for _, g in pushing if len(g) > 1] or [g for _, g in pushing]
    return lo, hi, tuple(words[:3])


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def out_of_fold(
    rows: list[tuple[str, int]], *, ngrams: tuple[int, int], c: float, folds: int = 5
) -> list[float]:
    """Each row's probability from a model fitted on the other folds (deterministic folds)."""
    from sklearn.model_selection import StratifiedKFold

    texts = [t for t, _ in rows]
    labels = [y for _, y in rows]
    oof = [0.0] * len(rows)
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(texts, labels):
        model = fit([texts[i] for i in train], [labels[i] for i in train], ngrams=ngrams, c=c)
        for i in test:
            oof[i] = opinion(model, normalise(texts[i])).probability
    return oof


def lowest_threshold(
    oof: list[float], labels: list[int], *, skip: list[bool], precision_goal: float
) -> tuple[float, dict[float, tuple[float, float]]]:
    """The lowest threshold (0.40–0.90 by 0.05) whose out-of-fold precision, rows in ``skip``
    left out (the rules decided them), reaches ``precision_goal``; and recall/precision at each."""
    table: dict[float, tuple[float, float]] = {}
    chosen = 0.9
    positives = sum(labels)
    for step in range(8, 19):
        threshold = round(step * 0.05, 2)
        fired = [p >= threshold and not s for p, s in zip(oof, skip, strict=True)]
        tp = sum(f and y == 1 for f, y in zip(fired, labels, strict=True))
        fp = sum(f and y == 0 for f, y in zip(fired, labels, strict=True))
        precision = tp / (tp + fp) if tp + fp else 1.0
        table[threshold] = (round(tp / positives, 3), round(precision, 3))
        if precision >= precision_goal and threshold < chosen:
            chosen = threshold
    return chosen, table
