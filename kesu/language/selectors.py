"""Read side of the language app for other apps and tools.

:func:`evaluate_guard` measures the guard on a labelled file, for ``classify-eval --guard-file``.
(A fallback written alongside the crisis work; the guard's own version replaces it.)
"""

import csv
import statistics
import time
from functools import cache
from pathlib import Path

from kesu.language.matcher import Matcher, PhraseEntry
from kesu.language.seed import SEED_PHRASES


@cache
def _seed_matcher() -> Matcher:
    """The seed list, as the check outside any organisation reads it."""
    return Matcher(
        [
            PhraseEntry(
                phrase=item["phrase"],
                alternative=item["alternative"],
                situation=item["situation"],
                pattern=item["pattern"],
                exceptions=item["exceptions"],
            )
            for item in SEED_PHRASES
        ]
    )


def evaluate_guard(path: Path) -> dict[str, float | int]:
    """Recall on texts that contain a forbidden phrase (label 1) and false alarms on polite
    ones (label 0). TSV with a header: ``text``, ``label``."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [c for c in ("text", "label") if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = [(row["text"] or "", (row["label"] or "").strip() == "1") for row in reader]
    matcher = _seed_matcher()
    caught = false_alarms = 0
    timings: list[float] = []
    for text, rude in rows:
        started = time.perf_counter()
        flagged = not matcher.check(text).ok
        timings.append((time.perf_counter() - started) * 1000)
        if flagged and rude:
            caught += 1
        elif flagged:
            false_alarms += 1
    rude_n = sum(rude for _, rude in rows)
    polite_n = len(rows) - rude_n
    return {
        "n": len(rows),
        "caught": caught,
        "recall": round(caught / rude_n, 4) if rude_n else 0.0,
        "false_alarms": false_alarms,
        "false_alarm_rate": round(false_alarms / polite_n, 4) if polite_n else 0.0,
        "median_ms": round(statistics.median(timings), 4) if timings else 0.0,
    }
