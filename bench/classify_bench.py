"""Classification benchmark (issue 15): how fast ``classify-eval``'s model decides one text.

    .venv/bin/python -m bench.classify_bench --csv ../shared/data/complaints-zh/dev_2020-06.csv

Trains the 车质网 and seed-category heads on the CSV exactly as ``classify-eval`` does
(``evaluation.train_model``: per-class thresholds and model shares chosen on held-out blocks,
lexicon-word features), then times ``TextModel.predict`` on one text at a time (wall and CPU,
median and p95) and on the whole file in one batch. The CSV is read where it lies, never copied.
Figures are reported, never judged; the last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--csv", required=True, help="车质网-format CSV to train on and classify")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the texts, one at a time")
    args = parser.parse_args()
    _setup()
    from kesu.insights import evaluation

    rows = evaluation.read_rows(args.csv)
    load_before = os.getloadavg()
    started, cpu = time.perf_counter(), time.process_time()
    model = evaluation.train_model(rows)
    training = {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
    }
    texts = [r.text for r in rows]
    model.predict(texts[:10])  # warm: the n-gram table is built on first use
    wall: list[float] = []
    cpu_times: list[float] = []
    for _ in range(args.repeat):
        for text in texts:
            t0, c0 = time.perf_counter(), time.process_time()
            model.predict([text])
            wall.append((time.perf_counter() - t0) * 1000)
            cpu_times.append((time.process_time() - c0) * 1000)
    started = time.perf_counter()
    model.predict(texts)
    batch = len(texts) / max(time.perf_counter() - started, 1e-9)
    figures: dict[str, Any] = {
        "texts": len(texts),
        "chars_mean": round(statistics.fmean(len(t) for t in texts), 1),
        "load_before": [round(x, 2) for x in load_before],
        "training": training,
        "per_text_ms": {
            "median": round(statistics.median(wall), 3),
            "p95": round(percentile(wall, 0.95), 3),
            "cpu_median": round(statistics.median(cpu_times), 3),
            "cpu_p95": round(percentile(cpu_times, 0.95), 3),
        },
        "batch_texts_per_second": round(batch, 1),
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(
        f"trained on {len(texts)} texts in {training['seconds']} s; one text: median "
        f"{figures['per_text_ms']['median']} ms, p95 {figures['per_text_ms']['p95']} ms "
        f"(CPU {figures['per_text_ms']['cpu_median']} / {figures['per_text_ms']['cpu_p95']} ms); "
        f"batch {batch:.0f} texts/s"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
