"""What other apps may read from language: the guard's quality on a labelled file.

``python -m kesu classify-eval --guard-file FILE`` (kesu/insights) calls :func:`evaluate_guard`;
nothing here writes to the database.
"""

import csv
import statistics
import time
from functools import cache
from pathlib import Path

from kesu.language.matcher import Matcher, PhraseEntry
from kesu.language.seed import SEED_PHRASES


def seed_entries() -> list[PhraseEntry]:
    """The seed list as the matcher takes it (every organisation starts from it)."""
    return [
        PhraseEntry(
            phrase=item["phrase"],
            alternative=item["alternative"],
            situation=item["situation"],
            pattern=item["pattern"],
            exceptions=item["exceptions"],
            variants=item["variants"],
            polite_before=item["polite_before"],
            polite_after=item["polite_after"],
        )
        for item in SEED_PHRASES
    ]


@cache
def seed_matcher() -> Matcher:
    return Matcher(seed_entries(), learned=True)


def read_labelled(path: Path) -> list[tuple[str, int]]:
    """Rows of a TSV with the header ``text<TAB>label`` (label 1 = forbidden phrase, 0 = polite)."""
    rows: list[tuple[str, int]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames is None or not {"text", "label"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: the header must be text<TAB>label")
        for line, row in enumerate(reader, start=2):
            label = (row.get("label") or "").strip()
            if label not in ("0", "1"):
                raise ValueError(f"{path}:{line}: label must be 0 or 1, not {label!r}")
            rows.append((row.get("text") or "", int(label)))
    return rows


def evaluate_guard(path: Path) -> dict:  # type: ignore[type-arg]
    """Recall on forbidden variants, false alarms on polite replies and the median check time.

    The seed list is used (what every organisation starts from), so the figure does not depend
    on one organisation's edits. ``median_ms`` is the median wall time of one check.
    """
    rows = read_labelled(path)
    matcher = seed_matcher()
    for text, _ in rows[:50]:  # warm the normaliser's and the sound key's tables
        matcher.check(text)
    caught = false_alarms = positives = negatives = 0
    timings: list[float] = []
    clock = time.perf_counter
    for text, label in rows:
        start = clock()
        flagged = not matcher.check(text).ok
        timings.append(clock() - start)
        if label:
            positives += 1
            caught += flagged
        else:
            negatives += 1
            false_alarms += flagged
    return {
        "n": len(rows),
        "caught": caught,
        "recall": round(caught / positives, 4) if positives else 0.0,
        "false_alarms": false_alarms,
        "false_alarm_rate": round(false_alarms / negatives, 4) if negatives else 0.0,
        "median_ms": round(statistics.median(timings) * 1000, 4) if timings else 0.0,
    }


__all__ = ["evaluate_guard", "read_labelled", "seed_entries", "seed_matcher"]
