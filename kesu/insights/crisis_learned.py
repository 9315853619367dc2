"""A learned second reading for crisis detection (issue 15): wording the rules do not know yet.

The rules in :mod:`kesu.insights.crisis` read each trigger word in its window, and score perfectly
on the dev set they were written against; on fresh texts they miss crises told in words no cue
lists ("车头都烧黑了", "方向盘像焊死了一样", "在你们展厅地上坐着不走"). This is a character
n-gram logistic regression (:mod:`.ngram_model`) fitted on every labelled crisis set the rules were
tuned on (:data:`TRAINING_SETS`: the dev set, and each fresh set after its first reading; written
for this repository and shipped in it), so it knows the *shape* of a crisis story rather than a
list of words. The sets differ in voice, and a model that has read more of them reads a set it has
never seen better: left out in turn, ``crisis_fresh11`` went from 0.68 recall (rules and a model
fitted on the dev set alone) to 0.87 at precision 0.90. ``crisis_fresh10``, ``crisis_fresh12``,
``crisis_fresh17`` and ``crisis_fresh19`` stay out of it: they are the honest check of the rules
and the model together.

It adds to the rules when no rule fired **and** no rule dismissed a trigger (a denied,
hypothetical or incidental trigger is the rules' call — the model does not get to bring it back).
It overrules them only the other way, and rarely: a text of :data:`VETO_MIN_CHARS` or more that it
reads below :data:`VETO` has the rules' signals set aside, with why (a trigger word in an everyday
request). Both happen in :func:`kesu.insights.crisis.read`.

The fit is deterministic and lazy: the first crisis reading fits it (a few seconds, most of it
importing sklearn) and keeps it under ``$KESU_DATA_DIR/models`` for later processes; scoring is
pure Python, tens of microseconds. The threshold is high (see :data:`THRESHOLD`):
cross-validation on written sets is optimistic, and what bounds it is real text — a first version
at the cross-validated 0.5 fired on one real car-forum post in twenty-three ("方向盘", "我已经"
read as crisis).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from kesu.core import ngram_model

DATA = Path(__file__).resolve().parent / "tests" / "data"
TRAINING_DATA = DATA / "crisis_dev.tsv"
# The labelled crisis sets the rules were tuned on; crisis_fresh10, 12, 17, 19, 26, 31, 33, 39 and
# 42 are held out (never tuned nor trained on: the honest check).
TRAINING_SETS = (
    TRAINING_DATA,
    *(
        DATA / f"crisis_{name}.tsv"
        for name in (
            "fresh",
            *(
                f"fresh{n}"
                for n in (
                    2,
                    3,
                    4,
                    5,
                    6,
                    7,
                    8,
                    9,
                    11,
                    13,
                    14,
                    15,
                    16,
                    18,
                    20,
                    21,
                    22,
                    23,
                    24,
                    25,
                    27,
                    28,
                    29,
                    30,
                    32,
                    34,
                    35,
                    36,
                    37,
                    38,
                    40,
                    41,
                    43,
                    44,
                    45,
                    46,
                    47,
                    48,
                )
            ),
        )
    ),
)
EVERYDAY_DATA = DATA / "emotion_dev.tsv"
# Ordinary car talk and complaints, none a crisis, written for this repository: without them the
# model takes car-part words (方向盘, 发动机, 刹车) for crisis, and fires on real forum posts.
CAR_TALK_DATA = DATA / "crisis_everyday_car.tsv"
# What staff and customers say at the desk (the language guard's labelled sets, written for this
# repository; none a crisis, whatever their guard label): more voices that are not a crisis, so the
# model leans less on how a text is told ("我已经", "直接") and more on what happened. Sets each
# scored against the rules as they stood before they were tuned on it, with a model fitted without
# it, read 0.820 / 0.884 before and 0.864 / 0.890 with these lines and C = 20 (docs/benchmarks.md).
# A fixed list: every guard set but those held out to the end of the sixth round (16, 19); a new
# set is a new fit, made on purpose.
GUARD_DATA = tuple(
    DATA.parent.parent.parent / "language" / "tests" / "data" / f"guard_{name}.tsv"
    for name in (
        "dev",
        "check",
        "check2",
        *(f"fresh{n}" for n in (*range(2, 16), 17, 18)),
    )
)
NGRAMS = (1, 3)  # character n-grams: Chinese has no spaces, and 1–3 characters carry the words
C = 20.0  # with the guard lines; without them 30 read car-part words as crisis, and 10 was chosen
PRECISION_GOAL = 0.97
# The lowest threshold (by 0.01) at which (a) out-of-fold precision on the dev set reaches
# PRECISION_GOAL (that alone allows 0.65: cross_validated_threshold(), checked by a test) and (b)
# the learned reading fires on at most FORUM_RATE of the 7,465 real car-forum posts in
# ../shared/data (nearly none a crisis; 0.85 gives 0.5 %, 0.9 gives 0.15 %; a test checks it where
# the shared data is present). The forum posts only set this one number; nothing is fitted on them.
THRESHOLD = 0.91  # with C = 20 and the guard lines: 0.9 fires on 15 forum posts (0.2 %), 0.91 on 11
FORUM_RATE = 0.002
# Below VETO the model overrules the rules: a trigger word in a text that reads nothing like a
# crisis ("我腿骨折了，想问能不能上门取送车", "我哥在4S店上班，说车主动不动就说要曝光…").
# Measured out of set (each fresh set scored by a model fitted without it, the dev set in five
# folds): below 0.05 fell 5 of the rules' 19 false alarms on the fresh sets and none of their 1,155
# crises (dev and fresh); below 0.1, 2 dev crises would fall. Short texts carry too little for the
# model to overrule anything ("报警了，有人砸车" reads 0.045): only from VETO_MIN_CHARS.
VETO = 0.05
VETO_MIN_CHARS = 15


def training_rows(*, by_rules: Callable[[str], bool]) -> list[tuple[str, int]]:
    """The labelled crisis sets, ordinary car talk, and as negatives the emotion dev set's everyday
    complaints in which ``by_rules`` (the crisis rules alone, passed in: :mod:`.crisis` imports
    this module) finds no crisis: without them the model takes the crisis stories' style ("已经",
    "直接", "我准备") for crisis."""
    rows = [
        row
        for path in TRAINING_SETS
        for row in ngram_model.tsv_rows(path, positive=lambda label: label == "1")
    ]
    rows += ngram_model.tsv_rows(CAR_TALK_DATA, positive=lambda label: False)
    everyday = ngram_model.tsv_rows(EVERYDAY_DATA, positive=lambda label: False)
    everyday += [
        row for path in GUARD_DATA for row in ngram_model.tsv_rows(path, positive=lambda label: False)
    ]
    return rows + [(t, 0) for t, _ in everyday if not by_rules(t)]


@cache
def model(by_rules: Callable[[str], bool]) -> ngram_model.Model:
    """Fitted once (a second or a few), then read from the cache by every later process. The cache
    is named by the training rows themselves: the rules choose the everyday negatives, so a change
    of rules that changes them fits anew."""
    rows = training_rows(by_rules=by_rules)
    path = ngram_model.cache_file("crisis", repr((NGRAMS, C)).encode(), repr(rows).encode())
    return ngram_model.cached_fit(
        path, lambda: ngram_model.fit([t for t, _ in rows], [y for _, y in rows], ngrams=NGRAMS, c=C)
    )


def probability(folded: str, *, by_rules: Callable[[str], bool]) -> float:
    """How much ``folded`` reads like a crisis (without the clause behind it: quicker)."""
    return ngram_model.probability(model(by_rules), folded)


def opinion(folded: str, *, by_rules: Callable[[str], bool]) -> ngram_model.Opinion:
    """How much ``folded`` (see :func:`ngram_model.normalise`) reads like a crisis, and why."""
    return ngram_model.opinion(model(by_rules), folded)


def cross_validated_threshold(
    *, by_rules: Callable[[str], bool], vetoed: list[bool]
) -> tuple[float, dict[float, tuple[float, float]]]:
    """The lowest threshold meeting ``PRECISION_GOAL`` out of fold, and recall/precision out of
    fold at each; ``vetoed`` marks the training rows in which the rules dismissed a trigger."""
    rows = training_rows(by_rules=by_rules)
    oof = ngram_model.out_of_fold(rows, ngrams=NGRAMS, c=C)
    return ngram_model.lowest_threshold(oof, [y for _, y in rows], skip=vetoed, precision_goal=PRECISION_GOAL)
