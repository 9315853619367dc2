"""The statistical model: TF-IDF over character 1-3-grams, the lexicon's words and the rule
scores, one logistic regression per class (one-vs-rest, so a text may carry several labels).

Each class's confidence blends its model with its lexicon rule. How far a class trusts its
model starts from how many examples it has (a rare category leans on its words) and, with the
confidence at which the class is assigned, is chosen per class on held-out blocks of the
training examples (:func:`tune_thresholds`); confidences are then mapped so that every class
is assigned at THRESHOLD, and callers need not know the per-class thresholds.

One code path for the product (training on an organisation's own labelled complaints) and for
``classify-eval`` (training on a CSV): :func:`train` and :meth:`TextModel.predict`.

Brand and model names are replaced by one placeholder before features are made (see
``text.NameMasker``): at training time from the names the caller knows (vehicle models, a CSV's
brand/car_model columns) plus a built-in list, at prediction time from the list the model keeps.
A class with too few examples to learn is left to the rules: its confidence is the rule score.

Cost. The n-grams are counted with numpy (:class:`CharNgrams`: the features of scikit-learn's
``TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)``, without a Python
loop over every n-gram), and each class is fitted by stochastic gradient descent on the same
regularised, class-balanced log loss that liblinear solved before — a few passes over the data
instead of a Newton solve per class. Texts are prepared (folded, names masked, rule-scored) once
per training run and shared by the trial fit and the final fit (:class:`Corpus`). All heads'
weights live in one (features × classes) matrix, so a batch of texts costs one sparse product.
"""

import math
import re
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, SGDClassifier

from . import rules
from .choices import CHEZHI_ASPECT, CHEZHI_FAULT_AREA, CHEZHI_OTHER_SERVICE, CHEZHI_TO_SEED
from .text import CLASSIFY_CHARS, NameMasker, prepare

MIN_POSITIVES = 3  # fewer examples of a class than this: the rules keep deciding it
MAX_FEATURES = 400_000
MIN_DF = 2  # an n-gram seen in a single text is no feature
NGRAM_MAX = 3
# Inverse regularisation strength, as liblinear's C (per text, not per mean); 4 → 10 gained
# about 0.01 macro F1 on 车质网 titles.
C = 10.0
RULE_FEATURE_WEIGHT = 1.0
TERM_FEATURE_WEIGHT = 0.25  # a lexicon word found (beside the n-grams, L2-normalised to 1)
TERM_MIN_DF = 2
THRESHOLD = 0.5
# Per-class thresholds (see ``tune_thresholds``): chosen on out-of-fold predictions from
# TUNE_FOLDS consecutive blocks (one newest block above TUNE_SINGLE_SPLIT_FROM examples, to bound
# the training time), on this grid, pulled towards THRESHOLD with a prior of TUNE_SHRINK
# positives; a class with fewer than TUNE_MIN_POSITIVES held-out positives keeps THRESHOLD.
TUNE_FOLDS = 3
TUNE_MIN_EXAMPLES = 60
TUNE_SINGLE_SPLIT_FROM = 20_000
TUNE_MIN_POSITIVES = 3
TUNE_SHRINK = 20
THRESHOLD_GRID = np.round(np.arange(0.1, 0.91, 0.05), 2)
SHARE_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)  # the model's share against the rule, tried per class
# Up to this many examples a head is solved exactly (liblinear, quick at that size); beyond, by
# stochastic gradient descent: at most MAX_EPOCHS passes, stopping once PATIENCE passes in a row
# improved the loss by less than TOLERANCE. SGD's answer is a little off the optimum on a few
# hundred examples, not on thousands: on real forum posts it matches liblinear's F1 and stops
# after a few passes, while on large, noisy sets the rare classes still gain from the later
# passes, up to MAX_EPOCHS. Fixed seeds: the same examples give the same model.
EXACT_UP_TO = 5_000
MAX_EPOCHS = 20
TOLERANCE = 1e-3
PATIENCE = 2  # passes without that improvement before stopping
SEED = 20240601
# Prior strength of the rules, in examples: a head trained on n examples trusts its model with
# weight n / (n + RULES_PRIOR) and the lexicon with the rest, so a young installation leans on
# the lexicon and one with thousands of labelled complaints on what it learned.
RULES_PRIOR = 500
CLASS_RULES_PRIOR = 50  # the same per class, in positive examples (see ``class_shares``)
# Rule-feature columns (same order as rules.Scores.vector()).
_COLUMNS = {
    name: index
    for index, name in enumerate(
        (*rules.FAULT_AREAS, *rules.CATEGORIES, *rules.NATURES, *rules.SEVERITY_LEVELS, *rules.ASPECTS)
    )
}
FORMAT = 2  # layout of a pickled TextModel (1: per-head coefficient rows, sklearn vectorizer)


# --- character n-grams ----------------------------------------------------------------------

_PAD = 0x1FFFFF  # above every code point: marks the missing characters of 1- and 2-grams
_BITS = 21  # bits per character in an n-gram code (3 × 21 = 63: one int64)
_SPACES = re.compile(r"\s\s+")  # as scikit-learn's char analyzer: runs of spaces count as one
_CHUNK_CHARS = 2_000_000  # texts are counted in slices of about this many characters
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing


def ngram_codes(texts: Sequence[str], ngram_max: int = NGRAM_MAX) -> tuple[np.ndarray, np.ndarray]:
    """(text index, n-gram code) of every character n-gram (n = 1…ngram_max) of ``texts``.

    An n-gram's code packs its characters into one int64, 21 bits each, unused places padded
    with a value no character has, so codes of different n never collide.
    """
    texts = [_SPACES.sub(" ", t) for t in texts]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    joined = "".join(texts).encode("utf-32-le", "surrogatepass")
    chars = np.frombuffer(joined, dtype=np.uint32).astype(np.int64)
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    end = np.repeat(np.cumsum(lengths), lengths)  # one past each position's last character
    position = np.arange(len(chars), dtype=np.int64)
    docs, codes = [], []
    code = chars << (2 * _BITS)
    for n in range(1, ngram_max + 1):
        if n > 1:
            code = code[:-1] | (chars[n - 1 :] << (_BITS * (3 - n)))
        padded = code
        for k in range(n, 3):
            padded = padded | (_PAD << (_BITS * (2 - k)))
        valid = position[: len(code)] + n <= end[: len(code)]
        docs.append(doc[: len(code)][valid])
        codes.append(padded[valid])
    return np.concatenate(docs), np.concatenate(codes)


class CodeTable:
    """int64 codes → their position in a fixed list, looked up with numpy for a whole batch.

    Each code has one home slot (Fibonacci hashing into a table at most a quarter full); the
    codes that find their home taken (about one in nine) are kept aside, sorted. A lookup is one
    gather and, for the codes not at home, one binary search in the small list set aside.
    """

    def __init__(self, keys: np.ndarray):
        keys = np.asarray(keys, dtype=np.int64)
        bits = max(4, math.ceil(math.log2(max(len(keys), 1))) + 2)
        self._shift = np.uint64(64 - bits)
        index_type = np.int32 if len(keys) < 2**31 else np.int64
        self._keys = np.full(1 << bits, -1, dtype=np.int64)  # codes are never negative
        self._values = np.full(1 << bits, -1, dtype=index_type)
        slot = self._slot(keys)
        _, first = np.unique(slot, return_index=True)
        self._keys[slot[first]] = keys[first]
        self._values[slot[first]] = first
        aside = np.ones(len(keys), dtype=bool)
        aside[first] = False
        rest = np.flatnonzero(aside)
        order = np.argsort(keys[rest], kind="stable")
        self._aside_keys = keys[rest][order]
        self._aside_values = rest[order].astype(index_type)

    def _slot(self, codes: np.ndarray) -> np.ndarray:
        return (codes.astype(np.uint64) * _MULTIPLIER) >> self._shift

    def lookup(self, codes: np.ndarray) -> np.ndarray:
        """The position of each code, -1 for codes not in the table."""
        slot = self._slot(codes)
        found = np.where(self._keys[slot] == codes, self._values[slot], -1)
        if len(self._aside_keys):
            away = np.flatnonzero(found < 0)
            at = np.minimum(np.searchsorted(self._aside_keys, codes[away]), len(self._aside_keys) - 1)
            hit = self._aside_keys[at] == codes[away]
            found[away[hit]] = self._aside_values[at[hit]]
        return found


class CharNgrams:
    """TF-IDF over character n-grams: the features of ``TfidfVectorizer(analyzer="char",
    ngram_range=(1, ngram_max), min_df=min_df, sublinear_tf=True)`` (smooth idf, L2-normalised
    rows, float32), counted with numpy. ``max_features`` keeps the most frequent n-grams."""

    def __init__(self, *, ngram_max: int = NGRAM_MAX, min_df: int = MIN_DF, max_features: int = MAX_FEATURES):
        self.ngram_max = ngram_max
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary = np.zeros(0, dtype=np.int64)  # sorted n-gram codes
        self.idf = np.zeros(0, dtype=np.float32)
        self._table: CodeTable | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_table"] = None  # rebuilt on first use: smaller files
        return state

    @property
    def n_features(self) -> int:
        return len(self.vocabulary)

    @property
    def table(self) -> CodeTable:
        if self._table is None:
            self._table = CodeTable(self.vocabulary)
        return self._table

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        chunks = []
        for lo, hi in _chunks(texts):
            doc, code = ngram_codes(texts[lo:hi], self.ngram_max)
            terms, local = np.unique(code, return_inverse=True)
            pairs, counts = np.unique(doc * max(len(terms), 1) + local, return_counts=True)
            pair_doc, pair_term = np.divmod(pairs, max(len(terms), 1))
            chunks.append((hi - lo, terms, pair_doc, pair_term, counts))
        all_terms = np.concatenate([c[1] for c in chunks])
        terms, inverse = np.unique(all_terms, return_inverse=True)
        df = np.bincount(
            inverse,
            weights=np.concatenate([np.bincount(c[3], minlength=len(c[1])) for c in chunks]),
            minlength=len(terms),
        )
        tf = np.bincount(
            inverse,
            weights=np.concatenate([np.bincount(c[3], weights=c[4], minlength=len(c[1])) for c in chunks]),
            minlength=len(terms),
        )
        keep = np.flatnonzero(df >= self.min_df)
        if len(keep) > self.max_features:
            order = np.lexsort((terms[keep], -tf[keep]))  # most frequent first, ties by code
            keep = np.sort(keep[order[: self.max_features]])
        self.vocabulary = terms[keep]
        self.idf = (np.log((1 + len(texts)) / (1 + df[keep])) + 1).astype(np.float32)
        self._table = None
        blocks = []
        for n_docs, chunk_terms, pair_doc, pair_term, counts in chunks:
            column = self.table.lookup(chunk_terms)[pair_term]
            hit = column >= 0
            blocks.append(self._matrix(n_docs, pair_doc[hit], column[hit], counts[hit]))
        return _stack(blocks, self.n_features)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        blocks = []
        for lo, hi in _chunks(texts):
            doc, code = ngram_codes(texts[lo:hi], self.ngram_max)
            column = self.table.lookup(code)
            hit = column >= 0
            doc, column = doc[hit], column[hit]
            pairs, counts = np.unique(doc * max(self.n_features, 1) + column, return_counts=True)
            pair_doc, pair_column = np.divmod(pairs, max(self.n_features, 1))
            blocks.append(self._matrix(hi - lo, pair_doc, pair_column, counts))
        return _stack(blocks, self.n_features)

    def _matrix(self, n_docs: int, row: np.ndarray, column: np.ndarray, counts: np.ndarray) -> sp.csr_matrix:
        """Rows sorted by (row, column), one entry per pair: sublinear tf × idf, L2-normalised."""
        values = (1.0 + np.log(counts.astype(np.float32))) * self.idf[column]
        norms = np.sqrt(np.bincount(row, weights=values * values, minlength=n_docs)).astype(np.float32)
        values /= np.where(norms > 0, norms, 1.0)[row]
        indptr = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=n_docs), out=indptr[1:])
        index_type = np.int32 if max(self.n_features, len(values)) < 2**31 else np.int64
        return sp.csr_matrix(
            (values.astype(np.float32), column.astype(index_type), indptr.astype(index_type)),
            shape=(n_docs, self.n_features),
        )


def _chunks(texts: Sequence[str]) -> Iterator[tuple[int, int]]:
    start, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text) + 1
        if size >= _CHUNK_CHARS:
            yield start, i + 1
            start, size = i + 1, 0
    if start < len(texts) or not len(texts):
        yield start, len(texts)


def _stack(blocks: list[sp.csr_matrix], n_features: int) -> sp.csr_matrix:
    if len(blocks) == 1:
        return blocks[0]
    return sp.vstack(blocks, format="csr")  # type: ignore[no-any-return]


# --- prepared texts -----------------------------------------------------------------------


def rule_block(scores: Sequence[rules.Scores]) -> np.ndarray:
    """(n_texts, rules.FEATURE_COUNT) rule confidences."""
    if not scores:
        return np.zeros((0, rules.FEATURE_COUNT), dtype=np.float32)
    return np.asarray([s.vector() for s in scores], dtype=np.float32)


def lexicon_terms(prepared: Sequence[str]) -> dict[str, int]:
    """The classification lexicon's words found in ``prepared`` texts (TERM_MIN_DF of them or
    more), each with its column among the term features."""
    counts: dict[str, int] = {}
    for text in prepared:
        for word in {w for w, _start, _end, _payloads in rules.CLASSIFY.find(text)}:
            counts[word] = counts.get(word, 0) + 1
    kept = sorted(w for w, n in counts.items() if n >= TERM_MIN_DF)
    return {w: j for j, w in enumerate(kept)}


def term_matrix(prepared: Sequence[str], terms: dict[str, int]) -> sp.csr_matrix:
    """(n_texts, len(terms)): TERM_FEATURE_WEIGHT where the text has the word."""
    rows: list[int] = []
    columns: list[int] = []
    for i, text in enumerate(prepared):
        found = {terms[w] for w, _start, _end, _payloads in rules.CLASSIFY.find(text) if w in terms}
        rows += [i] * len(found)
        columns += sorted(found)
    values = np.full(len(rows), TERM_FEATURE_WEIGHT, dtype=np.float32)
    return sp.csr_matrix((values, (rows, columns)), shape=(len(prepared), len(terms)), dtype=np.float32)


@dataclass
class Corpus:
    """Texts as the model reads them (folded, capped, names masked) with their rule scores:
    computed once per training run, shared by the trial fit, its evaluation and the final fit."""

    prepared: list[str]
    rules: np.ndarray  # (n, rules.FEATURE_COUNT)
    names: frozenset[str]

    @classmethod
    def build(cls, texts: Sequence[object], names: set[str] | frozenset[str] = frozenset()) -> "Corpus":
        masker = NameMasker(set(names))
        prepared = [masker(prepare(t, CLASSIFY_CHARS)) for t in texts]
        return cls(prepared, rule_block([rules.score(p) for p in prepared]), masker.names)

    def __len__(self) -> int:
        return len(self.prepared)

    def subset(self, indices: Sequence[int] | range | np.ndarray) -> "Corpus":
        rows = np.asarray(indices, dtype=np.int64)
        return Corpus([self.prepared[i] for i in rows], self.rules[rows], self.names)


# --- the model ------------------------------------------------------------------------------


@dataclass
class Head:
    """One multi-label question (e.g. "category") with one linear model per class: columns
    ``first … first + len(classes)`` of the model's weight matrix."""

    name: str
    classes: list[str]
    trained: np.ndarray  # (n_classes,) bool
    support: dict[str, int] = field(default_factory=dict)
    # The rule-feature column speaking for each class (its rule confidence), or -1.
    rule_column: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    examples: int = 0
    first: int = 0
    # Per class, the confidence at which it is assigned, chosen on out-of-fold predictions (see
    # :func:`tune_thresholds`); :meth:`TextModel.predict_prepared` maps it to THRESHOLD, so every
    # caller decides at THRESHOLD. Empty: THRESHOLD for every class (models trained before).
    thresholds: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    # Per class, the model's share against its rule, chosen with the threshold; empty: the
    # head's model_weight for every class.
    shares: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    @property
    def model_weight(self) -> float:
        return self.examples / (self.examples + RULES_PRIOR)

    def model_shares(self) -> np.ndarray:
        shares = getattr(self, "shares", None)
        if shares is None or not len(shares):
            return np.full(len(self.classes), self.model_weight)
        return shares.astype(np.float64)

    @property
    def columns(self) -> slice:
        return slice(self.first, self.first + len(self.classes))


@dataclass
class TextModel:
    vectorizer: Any  # CharNgrams (models of format 1: a fitted TfidfVectorizer)
    names: frozenset[str]
    heads: dict[str, Head]
    # Lexicon words as features of their own (word → column after the n-grams): a word of four
    # or more characters is one feature, not a handful of n-grams shared with other words.
    # Empty in models trained before.
    terms: dict[str, int] = field(default_factory=dict)
    # (n_text_features + len(terms) + rule_features, n_classes of all heads), C order; zero
    # columns for untrained classes. The last rows weigh the rule confidences.
    weights: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    intercept: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    trained_at: float = field(default_factory=time.time)
    examples: int = 0
    version: str = ""
    format: int = FORMAT
    rule_features: int = rules.FEATURE_COUNT  # the lexicon's dimensions when it was trained

    def __post_init__(self) -> None:
        self._masker: NameMasker | None = None
        self._blend_cache: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_masker"] = None
        state["_blend_cache"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("format", 1) < 2:  # per-head (n_classes, n_features) rows: one matrix
            first = 0
            blocks, intercepts = [], []
            for head in state["heads"].values():
                blocks.append(np.asarray(head.__dict__.pop("coef"), dtype=np.float32))
                intercepts.append(np.asarray(head.__dict__.pop("intercept"), dtype=np.float32))
                head.first = first
                first += len(head.classes)
            state["weights"] = np.ascontiguousarray(np.vstack(blocks).T) if blocks else np.zeros((0, 0))
            state["intercept"] = np.concatenate(intercepts) if intercepts else np.zeros(0)
            state["format"] = FORMAT
            vocabulary = getattr(state["vectorizer"], "vocabulary_", {})
            state["rule_features"] = state["weights"].shape[0] - len(vocabulary)
        state["_masker"] = None
        state["_blend_cache"] = None
        self.__dict__.update(state)

    @property
    def compatible(self) -> bool:
        """False when the lexicon's dimensions changed since training (retrain to use it).

        New rule dimensions are only ever appended (the aspects of issue 15 came after the
        severities), so a model trained with fewer reads the first ``rule_features`` of them and
        keeps serving its organisation until it is retrained."""
        return 0 < self.rule_features <= rules.FEATURE_COUNT

    @property
    def masker(self) -> NameMasker:
        if getattr(self, "_masker", None) is None:
            self._masker = NameMasker(set(self.names))
        return self._masker  # type: ignore[return-value]

    def prepare(self, texts: Sequence[object]) -> list[str]:
        masker = self.masker
        return [masker(prepare(t, CLASSIFY_CHARS)) for t in texts]

    def predict(self, texts: Sequence[object]) -> dict[str, np.ndarray]:
        """Per head, an (n_texts, n_classes) array of confidences in 0…1."""
        prepared = self.prepare(texts)
        return self.predict_prepared(prepared, rule_block([rules.score(p) for p in prepared]))

    def predict_prepared(self, prepared: Sequence[str], rule_scores: np.ndarray) -> dict[str, np.ndarray]:
        """As :meth:`predict`, for texts already prepared by :meth:`prepare` (or a
        :class:`Corpus` built with this model's names) and their :func:`rule_block`."""
        if not len(prepared):
            return {name: np.zeros((0, len(h.classes))) for name, h in self.heads.items()}
        model, rule = self._model_and_rule(prepared, rule_scores)
        # Per column: a trained class blends its model with its rule (its share), an untrained
        # one is its rule alone (0 without a rule column).
        trained, column, weight = self._blend
        blended = np.where(column >= 0, weight * model + (1 - weight) * rule, model)
        probs = np.where(trained, blended, rule)
        return {name: rescale(probs[:, head.columns], head) for name, head in self.heads.items()}

    def _model_and_rule(
        self, prepared: Sequence[str], rule_scores: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(the model's own confidence, the rule's) of every text and column, unblended."""
        terms: dict[str, int] = getattr(self, "terms", {})
        rule_scores = rule_scores[:, : self.rule_features]  # a model trained before new dimensions
        n_rules = self.weights.shape[0] - self.rule_features
        n_text = n_rules - len(terms)
        tfidf = self.vectorizer.transform(list(prepared))
        logits = np.asarray(tfidf @ self.weights[:n_text], dtype=np.float64)
        if terms:
            found = term_matrix(prepared, terms)
            logits += np.asarray(found @ self.weights[n_text:n_rules], dtype=np.float64)
        logits += (rule_scores * RULE_FEATURE_WEIGHT) @ self.weights[n_rules:]
        logits += self.intercept
        _trained, column, _weight = self._blend
        rule = np.where(column >= 0, rule_scores[:, np.maximum(column, 0)], 0.0)
        return 1.0 / (1.0 + np.exp(-logits)), rule

    @property
    def _blend(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(trained, rule column, model weight) of every column of the weight matrix."""
        cached = getattr(self, "_blend_cache", None)
        if cached is None:
            heads = list(self.heads.values())
            cached = self._blend_cache = (
                np.concatenate([h.trained for h in heads]) if heads else np.zeros(0, dtype=bool),
                np.concatenate([h.rule_column for h in heads]) if heads else np.zeros(0, dtype=np.int64),
                np.concatenate([h.model_shares() for h in heads]) if heads else np.zeros(0),
            )
        return cached


def _rule_column(label: str) -> int:
    """The rule-feature column that speaks for ``label`` (a fault area, seed category, nature,
    severity or 车质网 category name), or -1. 车质网's 其他服务问题 ("other service problems") has
    none: no word says "other"."""
    if label == CHEZHI_OTHER_SERVICE:
        return -1
    mapped = CHEZHI_FAULT_AREA.get(label) or CHEZHI_ASPECT.get(label) or CHEZHI_TO_SEED.get(label) or label
    return _COLUMNS.get(str(mapped), -1)


def rule_columns(classes: Sequence[str]) -> np.ndarray:
    """The rule column of each class of one head. Where several classes map to the same rule
    dimension (车质网's fault areas and seed categories), the rule speaks for
    the first of them only — the way the rules baseline reads it — and the others learn from
    the rule score as a feature, without a share of their confidence or the rule's fallback."""
    columns = [_rule_column(c) for c in classes]
    seen: set[int] = set()
    for j, column in enumerate(columns):
        if column in seen:
            columns[j] = -1
        seen.add(column)
    return np.asarray(columns, dtype=np.int64)


def class_shares(classes: Sequence[str], support: dict[str, int], *, examples: int) -> np.ndarray:
    """Each class's trust in its model against its rule before tuning: the head's
    ``examples / (examples + RULES_PRIOR)``, and for a class with few positives less, as
    ``positives / (positives + CLASS_RULES_PRIOR)``: a category seen eleven times in a thousand
    complaints is told better by its words than by what eleven examples taught."""
    head_share = examples / (examples + RULES_PRIOR) if examples else 0.0
    return np.asarray(
        [min(head_share, support.get(c, 0) / (support.get(c, 0) + CLASS_RULES_PRIOR)) for c in classes],
        dtype=np.float32,
    )


def new_vectorizer(max_features: int = MAX_FEATURES) -> CharNgrams:
    return CharNgrams(ngram_max=NGRAM_MAX, min_df=MIN_DF, max_features=max_features)


def _fit_class(matrix: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Minimise C·Σ balanced log loss + ½‖w‖²: exactly on small heads, by SGD on large ones
    (the same objective divided by C·n)."""
    model: LogisticRegression | SGDClassifier
    if matrix.shape[0] <= EXACT_UP_TO:
        model = LogisticRegression(
            C=C, solver="liblinear", class_weight="balanced", max_iter=200, random_state=SEED
        )
        model.fit(matrix, y)
        return model.coef_[0].astype(np.float32), float(model.intercept_[0])
    model = SGDClassifier(
        loss="log_loss",
        alpha=1.0 / (C * matrix.shape[0]),
        class_weight="balanced",
        max_iter=MAX_EPOCHS,
        tol=TOLERANCE,
        n_iter_no_change=PATIENCE,
        random_state=SEED,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(matrix, y)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def train(
    texts: Sequence[object],
    labels: dict[str, Sequence[set[str] | None]],
    classes: dict[str, Sequence[str]],
    *,
    names: set[str] | frozenset[str] = frozenset(),
    version: str = "",
    corpus: Corpus | None = None,
    threads: int = 1,
    tune: bool = True,
) -> TextModel:
    """Fit one model for every head in ``labels``.

    ``labels[head][i]`` is the set of labels of text i, or None when text i says nothing about
    that head (it is then left out of that head's training). ``classes[head]`` fixes the order of
    the output columns. ``names``: brand/model names to mask (added to the built-in list).
    ``corpus``: ``texts`` already prepared with ``names`` (:meth:`Corpus.build`), to share the
    work between several fits on the same examples. ``threads``: classes fitted at once.
    """
    if corpus is None:
        corpus = Corpus.build(texts, names)
    vectorizer = new_vectorizer()
    tfidf = vectorizer.fit_transform(corpus.prepared)
    terms = lexicon_terms(corpus.prepared)
    matrix = sp.hstack(
        [tfidf, term_matrix(corpus.prepared, terms), sp.csr_matrix(corpus.rules * RULE_FEATURE_WEIGHT)],
        format="csr",
        dtype=np.float32,
    )
    n_classes = sum(len(classes[h]) for h in labels)
    weights = np.zeros((matrix.shape[1], n_classes), dtype=np.float32)
    intercept = np.zeros(n_classes, dtype=np.float32)
    heads = {}
    jobs: list[tuple[int, sp.csr_matrix, np.ndarray]] = []  # (column, rows of the head, targets)
    first = 0
    for head_name, head_labels in labels.items():
        head_classes = list(classes[head_name])
        rows = np.asarray([i for i, y in enumerate(head_labels) if y is not None], dtype=np.int64)
        trained = np.zeros(len(head_classes), dtype=bool)
        support: dict[str, int] = {}
        sub = None if not len(rows) else matrix if len(rows) == matrix.shape[0] else matrix[rows]
        for j, label in enumerate(head_classes):
            if sub is None:
                support[label] = 0
                continue
            y = np.asarray([label in head_labels[i] for i in rows], dtype=np.int8)  # type: ignore[operator]
            support[label] = int(y.sum())
            if y.sum() < MIN_POSITIVES or y.sum() == len(y):
                continue
            jobs.append((first + j, sub, y))
            trained[j] = True
        heads[head_name] = Head(
            name=head_name,
            classes=head_classes,
            trained=trained,
            support=support,
            rule_column=rule_columns(head_classes),
            examples=len(rows),
            first=first,
            shares=class_shares(head_classes, support, examples=len(rows)),
        )
        first += len(head_classes)
    # Each class is its own problem with its own seed: the same model whatever the threads.
    fitted = Parallel(n_jobs=max(1, threads), prefer="threads")(
        delayed(_fit_class)(sub, y) for _column, sub, y in jobs
    )
    for (column, _sub, _y), (coef, bias) in zip(jobs, fitted, strict=True):
        weights[:, column], intercept[column] = coef, bias
    model = TextModel(
        vectorizer=vectorizer,
        terms=terms,
        names=corpus.names,
        heads=heads,
        weights=weights,
        intercept=intercept,
        examples=len(corpus),
        version=version,
    )
    if tune:
        tune_thresholds(model, corpus, labels, classes, threads=threads)
    return model


# --- per-class thresholds -----------------------------------------------------------------


def tuning_folds(n: int) -> list[np.ndarray]:
    """Held-out blocks for choosing thresholds: TUNE_FOLDS consecutive blocks (examples come
    oldest first, so each block is a stretch of time), one newest block on large sets."""
    if n < TUNE_MIN_EXAMPLES:
        return []
    if n > TUNE_SINGLE_SPLIT_FROM:
        return [np.arange(int(n * (1 - 1 / TUNE_FOLDS)), n)]
    return [block for block in np.array_split(np.arange(n), TUNE_FOLDS) if len(block)]


def _f1_at(probs: np.ndarray, gold: np.ndarray, positives: int) -> tuple[float, float]:
    """(best F1, its threshold) over THRESHOLD_GRID; ties go to the threshold nearest THRESHOLD."""
    chosen = probs[None, :] >= THRESHOLD_GRID[:, None]
    tp = (chosen & gold[None, :]).sum(axis=1)
    f1 = 2 * tp / np.maximum(chosen.sum(axis=1) + positives, 1)
    near = np.abs(THRESHOLD_GRID - THRESHOLD)
    best = int(np.lexsort((near, -np.round(f1, 9)))[0])
    return float(f1[best]), float(THRESHOLD_GRID[best])


def choose_decision(
    model: np.ndarray, rule: np.ndarray, gold: np.ndarray, *, default_share: float, has_rule: bool
) -> tuple[float, float]:
    """(model share, threshold) of one class from held-out (model, rule) confidences: the pair
    with the best F1, the share from SHARE_GRID (with the default share; ties keep it). Both are
    pulled towards their defaults in proportion to how few positives spoke for them (a choice
    made on two examples is mostly luck)."""
    positives = int(gold.sum())
    if positives < TUNE_MIN_POSITIVES:
        return default_share, THRESHOLD
    shares = [default_share, *(s for s in SHARE_GRID if abs(s - default_share) > 1e-9)] if has_rule else [1.0]
    best_share, best_t, best_f1 = default_share, THRESHOLD, -1.0
    for share in shares:
        f1, t = _f1_at(share * model + (1 - share) * rule, gold, positives)
        if f1 > best_f1 + 1e-9:
            best_share, best_t, best_f1 = share, t, f1
    trust = positives / (positives + TUNE_SHRINK)
    pulled = trust * best_t + (1 - trust) * THRESHOLD
    threshold = float(np.clip(pulled, THRESHOLD_GRID[0], THRESHOLD_GRID[-1]))
    return (trust * best_share + (1 - trust) * default_share if has_rule else default_share), threshold


def tune_thresholds(
    model: TextModel,
    corpus: Corpus,
    labels: dict[str, Sequence[set[str] | None]],
    classes: dict[str, Sequence[str]],
    *,
    threads: int = 1,
) -> None:
    """Choose each trained class's threshold, and how far it trusts its model against its rule,
    on confidences for examples the deciding model did not see: models fitted without one block
    of examples predict that block (:func:`tuning_folds`). The rare classes gain most: their
    balanced fit is sure too late or too early, and on few examples the lexicon often knows
    better than the model."""
    folds = tuning_folds(len(corpus))
    if not folds:
        return
    held: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {h: [] for h in model.heads}
    rows: list[np.ndarray] = []
    for block in folds:
        rest = np.setdiff1d(np.arange(len(corpus)), block)
        part = corpus.subset(rest)
        trial = train(
            part.prepared,
            labels={h: [ys[i] for i in rest] for h, ys in labels.items()},
            classes=classes,
            corpus=part,
            threads=threads,
            tune=False,
        )
        test = corpus.subset(block)
        own, rule = trial._model_and_rule(test.prepared, test.rules)
        for name, head in trial.heads.items():
            held[name].append((own[:, head.columns], rule[:, head.columns]))
        rows.append(block)
    order = np.concatenate(rows)
    for name, head in model.heads.items():
        own = np.vstack([m for m, _r in held[name]])
        rule = np.vstack([r for _m, r in held[name]])
        known = np.asarray([labels[name][i] is not None for i in order], dtype=bool)
        thresholds = np.full(len(head.classes), THRESHOLD, dtype=np.float32)
        shares = head.model_shares().astype(np.float32)
        for j, label in enumerate(head.classes):
            gold = np.asarray([label in (labels[name][i] or ()) for i in order], dtype=bool)[known]
            has_rule = bool(head.rule_column[j] >= 0)
            if head.trained[j]:
                shares[j], thresholds[j] = choose_decision(
                    own[known, j], rule[known, j], gold, default_share=float(shares[j]), has_rule=has_rule
                )
            elif has_rule:  # the rule alone decides: only its threshold
                only = rule[known, j]
                thresholds[j] = choose_decision(only, only, gold, default_share=1.0, has_rule=False)[1]
        head.thresholds, head.shares = thresholds, shares
    model._blend_cache = None


def rescale(probs: np.ndarray, head: Head) -> np.ndarray:
    """Confidences mapped piecewise-linearly so each class's own threshold lands on THRESHOLD
    (0 and 1 stay put): the order of a class's confidences is unchanged."""
    thresholds = getattr(head, "thresholds", None)
    if thresholds is None or not len(thresholds):
        return probs
    t = thresholds.astype(np.float64)
    low = probs * (THRESHOLD / t)
    high = THRESHOLD + (probs - t) * ((1 - THRESHOLD) / (1 - t))
    return np.where(probs < t, low, high)


def decide(probs: np.ndarray, *, threshold: float = THRESHOLD, at_least_one: bool = True) -> list[int]:
    """Column indices of the labels to assign for one row of confidences."""
    chosen = [int(j) for j in np.flatnonzero(probs >= threshold)]
    if not chosen and at_least_one and len(probs) and float(np.max(probs)) > 0:
        chosen = [int(np.argmax(probs))]
    return chosen


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))
