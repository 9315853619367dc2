"""Crisis and emotion reading speed (issue 15): per-text latency of the crisis reading, the
emotion reading and the whole rules analysis (``analysis.analyse`` without a trained model, as
the live intake panel runs it before an organisation has trained one).

    .venv/bin/python -m bench.crisis_bench                 # the dev sets in kesu/insights/tests/data
    .venv/bin/python -m bench.crisis_bench --long 200      # plus 200 long complaints (~2,000 chars)
    .venv/bin/python -m bench.crisis_bench --long 500 --chars 300

Figures are reported, never judged; the last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "kesu" / "insights" / "tests" / "data"


def _texts() -> list[str]:
    texts = []
    for name in ("crisis_dev.tsv", "emotion_dev.tsv"):
        with open(DATA / name, encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return texts


def _long(texts: Sequence[str], n: int, seed: int, chars: int) -> list[str]:
    """Long complaints: dev texts strung together to about ``chars`` characters (every sentence
    a crisis or emotion text: the worst case for the window checks)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts: list[str] = []
        while sum(map(len, parts)) < chars:
            parts.append(rng.choice(texts))
        out.append("。".join(parts))
    return out


def _timed(fn: Callable[[str], Any], texts: Sequence[str], repeat: int) -> dict[str, float]:
    for text in texts[:50]:  # warm the compiled patterns and caches
        fn(text)
    timings = []
    for _ in range(repeat):
        for text in texts:
            started = time.perf_counter()
            fn(text)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
        "texts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / max(len(texts), 1), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--long", type=int, default=0, help="also time N long complaints")
    parser.add_argument("--chars", type=int, default=2_000, help="length of the long complaints")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()
    from kesu.insights import analysis, crisis, emotion

    sets = {"dev": _texts()}
    if args.long:
        sets["long"] = _long(sets["dev"], args.long, args.seed, args.chars)
    figures: dict[str, Any] = {}
    for name, texts in sets.items():
        figures[name] = {
            "crisis": _timed(crisis.read, texts, args.repeat),
            "emotion": _timed(emotion.analyse, texts, args.repeat),
            "analysis": _timed(analysis.analyse, texts, args.repeat),
        }
        for part, row in figures[name].items():
            print(
                f"{name:<5} {part:<9} median {row['median_ms']:.3f} ms  p95 {row['p95_ms']:.3f} ms  "
                f"({row['texts']} texts, {row['mean_chars']} chars)"
            )
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
