"""A learned second reading for crisis detection (issue 15): wording the rules do not know yet.

The rules in :mod:`kesu.insights.crisis` read each trigger word in its window, and score perfectly
on the dev set they were written against; on fresh texts they miss crises told in words no cue
lists ("车头都烧黑了", "方向盘像焊死了一样", "在你们展厅地上坐着不走"). This is a character
n-gram logistic regression (:mod:`.ngram_model`) fitted on the same labelled dev set
(``tests/data/crisis_dev.tsv``, written for this repository and shipped in it), so it knows the
*shape* of a crisis story rather than a list of words. It only ever adds to the rules and never
overrules them: :func:`kesu.insights.crisis.read` asks it only when no rule fired **and** no rule
dismissed a trigger (a denied, hypothetical or incidental trigger is the rules' call — the model
does not get to bring it back).

The fit is deterministic and lazy: the first crisis reading in a process fits it (well under a
second, most of it importing sklearn); scoring is pure Python, tens of microseconds. The
threshold was chosen by 5-fold cross-validation on the dev set (:func:`cross_validated_threshold`,
re-run by a test): the lowest whose out-of-fold precision, the rules' dismissals vetoing, reaches
``PRECISION_GOAL``. Cross-validation on the dev set is optimistic (its texts resemble one
another), hence the high goal.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from . import ngram_model

TRAINING_DATA = Path(__file__).resolve().parent / "tests" / "data" / "crisis_dev.tsv"
NGRAMS = (1, 3)  # character n-grams: Chinese has no spaces, and 1–3 characters carry the words
C = 30.0  # weak regularisation: 1,000 short texts, most n-grams seen a handful of times
PRECISION_GOAL = 0.97
THRESHOLD = 0.5  # cross_validated_threshold() on the dev set (a test checks it still is)


def training_rows() -> list[tuple[str, int]]:
    return ngram_model.tsv_rows(TRAINING_DATA, positive=lambda label: label == "1")


@cache
def model() -> ngram_model.Model:
    """Fitted once per process, on first use."""
    rows = training_rows()
    return ngram_model.fit([t for t, _ in rows], [y for _, y in rows], ngrams=NGRAMS, c=C)


def opinion(folded: str) -> ngram_model.Opinion:
    """How much ``folded`` (see :func:`ngram_model.normalise`) reads like a crisis, and why."""
    return ngram_model.opinion(model(), folded)


def cross_validated_threshold(*, vetoed: list[bool]) -> tuple[float, dict[float, tuple[float, float]]]:
    """The threshold :data:`THRESHOLD` should be, and recall/precision out of fold at each;
    ``vetoed`` marks the dev rows in which the rules dismissed a trigger."""
    rows = training_rows()
    oof = ngram_model.out_of_fold(rows, ngrams=NGRAMS, c=C)
    return ngram_model.lowest_threshold(
        oof, [y for _, y in rows], skip=vetoed, precision_goal=PRECISION_GOAL
    )
