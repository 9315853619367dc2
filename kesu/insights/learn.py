"""The statistical model: TF-IDF over character 1-3-grams plus the rule scores, one logistic
regression per class (one-vs-rest, so a text may carry several labels).

One code path for the product (training on an organisation's own labelled complaints) and for
``classify-eval`` (training on a CSV): :func:`train` and :meth:`TextModel.predict`.

Brand and model names are replaced by one placeholder before features are made (see
``text.NameMasker``): at training time from the names the caller knows (vehicle models, a CSV's
brand/car_model columns) plus a built-in list, at prediction time from the list the model keeps.
A class with too few examples to learn is left to the rules: its confidence is the rule score.
"""

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from . import rules
from .choices import CHEZHI_FAULT_AREA, CHEZHI_TO_SEED
from .text import CLASSIFY_CHARS, NameMasker, prepare

MIN_POSITIVES = 3  # fewer examples of a class than this: the rules keep deciding it
MAX_FEATURES = 400_000
C = 4.0
RULE_FEATURE_WEIGHT = 1.0
THRESHOLD = 0.5
# Prior strength of the rules, in examples: a head trained on n examples trusts its model with
# weight n / (n + RULES_PRIOR) and the lexicon with the rest, so a young installation leans on
# the lexicon and one with thousands of labelled complaints on what it learned.
RULES_PRIOR = 500
# Rule-feature columns (same order as rules.Scores.vector()).
_COLUMNS = {
    name: index
    for index, name in enumerate(
        (*rules.FAULT_AREAS, *rules.CATEGORIES, *rules.NATURES, *rules.SEVERITY_LEVELS)
    )
}


@dataclass
class Head:
    """One multi-label question (e.g. "category") with one linear model per class."""

    name: str
    classes: list[str]
    coef: np.ndarray  # (n_classes, n_features), zero rows for untrained classes
    intercept: np.ndarray  # (n_classes,)
    trained: np.ndarray  # (n_classes,) bool
    support: dict[str, int] = field(default_factory=dict)
    # The rule-feature column speaking for each class (its rule confidence), or -1.
    rule_column: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    examples: int = 0

    @property
    def model_weight(self) -> float:
        return self.examples / (self.examples + RULES_PRIOR)


@dataclass
class TextModel:
    vectorizer: TfidfVectorizer
    names: frozenset[str]
    heads: dict[str, Head]
    trained_at: float = field(default_factory=time.time)
    examples: int = 0
    version: str = ""

    def __post_init__(self) -> None:
        self._masker: NameMasker | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_masker"] = None
        return state

    @property
    def masker(self) -> NameMasker:
        if getattr(self, "_masker", None) is None:
            self._masker = NameMasker(set(self.names))
        return self._masker  # type: ignore[return-value]

    def features(self, texts: Sequence[object]) -> tuple[sp.csr_matrix, list[rules.Scores]]:
        prepared = [self.masker(prepare(t, CLASSIFY_CHARS)) for t in texts]
        return _features(self.vectorizer, prepared, fit=False)

    def predict(self, texts: Sequence[object]) -> dict[str, np.ndarray]:
        """Per head, an (n_texts, n_classes) array of confidences in 0…1."""
        matrix, _ = self.features(texts)
        return self.predict_matrix(matrix)

    def predict_matrix(self, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
        out = {}
        rule_block = matrix[:, -rules.FEATURE_COUNT :].toarray() / RULE_FEATURE_WEIGHT
        for name, head in self.heads.items():
            logits = np.asarray(matrix @ head.coef.T) + head.intercept
            probs = 1.0 / (1.0 + np.exp(-logits))
            weight = head.model_weight
            for j, column in enumerate(head.rule_column):
                rule = rule_block[:, column] if column >= 0 else None
                if not head.trained[j]:
                    probs[:, j] = rule if rule is not None else 0.0
                elif rule is not None:
                    probs[:, j] = weight * probs[:, j] + (1 - weight) * rule
            out[name] = probs
        return out


def _features(
    vectorizer: TfidfVectorizer, prepared: list[str], *, fit: bool
) -> tuple[sp.csr_matrix, list[rules.Scores]]:
    tfidf = vectorizer.fit_transform(prepared) if fit else vectorizer.transform(prepared)
    scores = [rules.score(p) for p in prepared]
    rule_block = sp.csr_matrix(
        np.asarray([s.vector() for s in scores], dtype=np.float32) * RULE_FEATURE_WEIGHT
    )
    return sp.hstack([tfidf, rule_block], format="csr", dtype=np.float32), scores


def _rule_column(label: str) -> int:
    """The rule-feature column that speaks for ``label`` (a fault area, seed category, nature,
    severity or 车质网 category name), or -1."""
    mapped = CHEZHI_FAULT_AREA.get(label) or CHEZHI_TO_SEED.get(label) or label
    return _COLUMNS.get(str(mapped), -1)


def new_vectorizer(max_features: int = MAX_FEATURES) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, 3),
        min_df=2,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )


def train(
    texts: Sequence[object],
    labels: dict[str, Sequence[set[str] | None]],
    classes: dict[str, Sequence[str]],
    *,
    names: set[str] | frozenset[str] = frozenset(),
    version: str = "",
) -> TextModel:
    """Fit one model for every head in ``labels``.

    ``labels[head][i]`` is the set of labels of text i, or None when text i says nothing about
    that head (it is then left out of that head's training). ``classes[head]`` fixes the order of
    the output columns. ``names``: brand/model names to mask (added to the built-in list).
    """
    masker = NameMasker(set(names))
    prepared = [masker(prepare(t, CLASSIFY_CHARS)) for t in texts]
    vectorizer = new_vectorizer()
    matrix, _ = _features(vectorizer, prepared, fit=True)
    heads = {}
    for head_name, head_labels in labels.items():
        head_classes = list(classes[head_name])
        rows = np.asarray([i for i, y in enumerate(head_labels) if y is not None], dtype=np.int64)
        coef = np.zeros((len(head_classes), matrix.shape[1]), dtype=np.float32)
        intercept = np.zeros(len(head_classes), dtype=np.float32)
        trained = np.zeros(len(head_classes), dtype=bool)
        support: dict[str, int] = {}
        sub = matrix[rows] if len(rows) else None
        for j, label in enumerate(head_classes):
            if sub is None:
                support[label] = 0
                continue
            y = np.asarray([label in head_labels[i] for i in rows], dtype=np.int8)  # type: ignore[operator]
            support[label] = int(y.sum())
            if y.sum() < MIN_POSITIVES or y.sum() == len(y):
                continue
            model = LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=200)
            model.fit(sub, y)
            coef[j] = model.coef_[0]
            intercept[j] = model.intercept_[0]
            trained[j] = True
        heads[head_name] = Head(
            name=head_name,
            classes=head_classes,
            coef=coef,
            intercept=intercept,
            trained=trained,
            support=support,
            rule_column=np.asarray([_rule_column(c) for c in head_classes], dtype=np.int64),
            examples=len(rows),
        )
    return TextModel(
        vectorizer=vectorizer,
        names=masker.names,
        heads=heads,
        examples=len(prepared),
        version=version,
    )


def decide(probs: np.ndarray, *, threshold: float = THRESHOLD, at_least_one: bool = True) -> list[int]:
    """Column indices of the labels to assign for one row of confidences."""
    chosen = [int(j) for j in np.flatnonzero(probs >= threshold)]
    if not chosen and at_least_one and len(probs) and float(np.max(probs)) > 0:
        chosen = [int(np.argmax(probs))]
    return chosen


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))
