"""A learned second reading for the guard (issue 15): rude replies told in words no wording lists.

The matcher (:mod:`kesu.language.matcher`) finds each forbidden phrase by its wordings, by sound and
with particles, spaces and emoji between the characters; what it cannot know is a paraphrase no
wording covers yet ("这事你找厂家去，我这儿管不着"). This is a character n-gram logistic regression
(:mod:`kesu.core.ngram_model`, shared with the crisis and emotion readings) fitted on the labelled
guard sets written for this repository (:data:`TRAINING_SETS`) and on everyday staff talk that is
fine to send (:data:`EVERYDAY_DATA`: casual WeChat replies, 哈/亲/你, bad news given decently), so
it knows the *tone* of a brush-off rather than a list of words.

It only adds, and only to a text in which the matcher found no wording at all (a wording it found
and excused as polite stays the matcher's call): the clause that pushed hardest and sounds like a
seed phrase (:func:`closest_seed`: it was fitted on the seed phrases' variants) becomes the hit,
shown with that phrase and its suggestion — when the organisation's list has that phrase active.
An organisation that drops a phrase is not shown it again by the model, and a clause that shares
no pair of sounds with any seed phrase raises nothing.

Measured out of set (each set scored by a model fitted without it) on the misses of the matcher as
it stood before each set was tuned on, and on two sets written after it was built: see
:data:`THRESHOLD` and docs/benchmarks.md. ``guard_fresh8``, 12, 16, 19, 21, 25 and 27 stay out of it:
they are the honest check of the matcher and the model together.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from kesu.core import ngram_model
from kesu.core.normalize import normalize
from kesu.language.phonetic import key
from kesu.language.seed import SEED_PHRASES

DATA = Path(__file__).resolve().parent / "tests" / "data"
# The labelled guard sets the matcher was tuned on (a fixed list: a new set is a new fit, made on
# purpose); guard_fresh8, 12, 16, 19, 21, 25 and 27 are held out.
TRAINING_SETS = tuple(
    DATA / f"guard_{name}.tsv"
    for name in (
        "dev",
        "check",
        "check2",
        *(
            f"fresh{n}"
            for n in (2, 3, 4, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, *range(20, 33))
            if n not in (21, 25, 27)
        ),
    )
)
# What staff really send that is fine: casual, short, 你 as often as 您, refusals given decently.
# Without it the model takes a casual voice for a rude one.
EVERYDAY_DATA = DATA / "guard_everyday.tsv"
NGRAMS = (1, 3)
C = 10.0
# Chosen when it was built as the lowest threshold (by 0.05) at which, scored out of set (two new
# sets and the one with most misses, each by a model fitted without it; the everyday lines in two
# folds), the reading flags none of the 180 acceptable replies of those sets, none of the 400
# everyday lines and none of the 130 polite look-alikes of ``tests/phrase_cases.py`` (never fitted
# on): 0.85 flagged one look-alike ("我们绝不会承诺做不到的事情"), 0.7 two; 0.9 caught 5 of the 15
# replies those sets' wordings missed. Fitted on more sets, the shipped model reads that look-alike
# 0.909: 0.92 keeps a margin (out of set on seven sets it then adds 10 catches of 300, 0.9 adds 11,
# and no flag on their 420 acceptable replies).
THRESHOLD = 0.92
MIN_CHARS = 4  # a clause shorter than this ("好的") carries too little to call rude


def training_rows() -> list[tuple[str, int]]:
    rows = [
        row
        for path in TRAINING_SETS
        for row in ngram_model.tsv_rows(path, positive=lambda label: label == "1")
    ]
    return rows + ngram_model.tsv_rows(EVERYDAY_DATA, positive=lambda label: False)


@cache
def model() -> ngram_model.Model:
    """Fitted once (a second or a few), then read from the cache by every later process."""
    rows = training_rows()
    path = ngram_model.cache_file("guard", repr((NGRAMS, C)).encode(), repr(rows).encode())
    return ngram_model.cached_fit(
        path, lambda: ngram_model.fit([t for t, _ in rows], [y for _, y in rows], ngrams=NGRAMS, c=C)
    )


def rude_clauses(text: str) -> list[tuple[int, int]]:
    """When ``text`` reads as brushing the customer off (at least :data:`THRESHOLD`), the clauses
    that say it, most telling first (offsets into ``text``); else none."""
    folded = ngram_model.normalise(text)
    if len(folded.strip()) < MIN_CHARS:
        return []
    clauses = ngram_model.pushing_clauses(model(), folded, at_least=THRESHOLD)
    trimmed = (_words_only(folded, lo, hi) for lo, hi in clauses)
    return [(lo, hi) for lo, hi in trimmed if hi - lo >= 2]


def _words_only(text: str, lo: int, hi: int) -> tuple[int, int]:
    """The span without the emoji, marks and spaces at its ends (说了半天😡 → 说了半天)."""
    while lo < hi and not text[lo].isalnum():
        lo += 1
    while hi > lo and not text[hi - 1].isalnum():
        hi -= 1
    return lo, hi


def sound_pairs(keyed: str) -> frozenset[str]:
    """The characters and adjacent pairs of a sound-keyed text (:func:`kesu.language.phonetic.key`)
    within its clauses: punctuation markers and spaces split it."""
    runs = re.split(r"[\s,.]+", keyed)
    return frozenset(
        [run[i : i + 2] for run in runs for i in range(len(run) - 1)] + [ch for run in runs for ch in run]
    )


def _wording_text(*wordings: str) -> str:
    """A phrase and its wordings as plain text (pattern symbols split the words)."""
    return re.sub(r"[|…*×^$.]+", "，", "|".join(wordings))


@cache
def _seed_sounds() -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
    phrases = tuple(item["phrase"] for item in SEED_PHRASES)
    sounds = tuple(
        sound_pairs(key(normalize(_wording_text(item["phrase"], item["pattern"], item["variants"]))))
        for item in SEED_PHRASES
    )
    return phrases, sounds


def closest_seed(keyed_clause: str) -> str | None:
    """The seed phrase whose sounds the clause (sound-keyed) shares most, each weighed by how few
    seed phrases have it (a pair twice a character): 催我 tells more than 你 or 我. ``None`` if the
    clause shares no pair of sounds with any."""
    clause = sound_pairs(keyed_clause)
    phrases, candidates = _seed_sounds()
    spread: dict[str, int] = {}
    for sounds in candidates:
        for sound in sounds & clause:
            spread[sound] = spread.get(sound, 0) + 1
    best, best_phrase = 0.0, None
    for phrase, sounds in zip(phrases, candidates, strict=True):
        shared = clause & sounds
        if not any(len(sound) == 2 for sound in shared):
            continue
        score = sum(len(sound) / spread[sound] for sound in shared)
        if score > best:
            best, best_phrase = score, phrase
    return best_phrase
