"""Insights benchmark: guard + classification + crisis check per text and per batch, retraining.

    .venv/bin/python -m bench.insights_bench                      # synthetic texts (bench/text.py)
    .venv/bin/python -m bench.insights_bench --train-csv FILE --analyse-csv FILE --train 100000

What it measures, on one process (figures are reported, never judged):

* retraining: the product's training path on N labelled texts — ``training.fit_and_evaluate``,
  the one ``train_for_organization`` runs: texts prepared once, trial fit on the older 80 %,
  its evaluation report on the newest 20 %, final fit on all — with the four product heads
  (category, fault area, nature, severity); with ``--train-csv`` also classify-eval's training
  (``evaluation.train_model``: the 车质网 and seed-category heads);
* single-text latency (median, p95) of the language guard's check (``kesu.language``'s seed
  matcher) plus ``analysis.analyse`` with the trained model (classification, crisis signals,
  emotion), one text at a time as the live intake panel does;
* batch throughput (texts/s) of the same work with ``analysis.analyse_many`` over batches.

Texts: synthetic complaints from ``bench.text`` (written for this repository), or the ``desc``
column of a CSV in the 车质网 export format (``--train-csv`` / ``--analyse-csv``: never copied,
read where they lie). Labels of synthetic texts: the lexicon's own top category and fault area,
nature and severity drawn with a fixed seed — timing does not depend on what they say. The last
line of output is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()


def synthetic_texts(n: int, seed: int) -> list[str]:
    from bench.text import complaint_text

    rng = random.Random(seed)
    return [complaint_text(rng)[0] for _ in range(n)]


def csv_texts(path: str, n: int) -> list[str]:
    from kesu.insights import evaluation

    return [row.text for row in evaluation.read_rows(path)[:n]]


def synthetic_examples(texts: Sequence[str], seed: int) -> Any:
    """Product examples labelled by the lexicon (category, fault area) and a seeded draw."""
    from kesu.insights import rules, training
    from kesu.insights.analysis import SEVERITY_CLASSES, analyse_many

    rng = random.Random(seed)
    examples = training.Examples()
    for text, found in zip(texts, analyse_many(texts), strict=True):
        category = found.category[0].value if found.category else None
        fault = {found.fault_area[0].value} if found.fault_area else set()
        examples.texts.append(text)
        examples.labels["category"].append({category} if category else None)
        examples.labels["fault_area"].append(fault if category == "product" else set())
        examples.labels["nature"].append({rng.choice(rules.NATURES)})
        examples.labels["severity"].append({rng.choice(SEVERITY_CLASSES)})
    return examples


def csv_examples(path: str, n: int, seed: int) -> Any:
    """Product examples from a 车质网 CSV: the first seed category, the fault areas of the
    quality categories, nature and severity drawn with a fixed seed."""
    from kesu.insights import evaluation, rules, training
    from kesu.insights.analysis import SEVERITY_CLASSES
    from kesu.insights.choices import CHEZHI_FAULT_AREA

    rng = random.Random(seed)
    examples = training.Examples()
    for row in evaluation.read_rows(path)[:n]:
        seed_labels = sorted(row.seed)
        examples.texts.append(row.text)
        examples.labels["category"].append({seed_labels[0]} if seed_labels else None)
        faults = {str(CHEZHI_FAULT_AREA[c]) for c in row.chezhi if c in CHEZHI_FAULT_AREA}
        examples.labels["fault_area"].append(faults if "product" in seed_labels else set())
        examples.labels["nature"].append({rng.choice(rules.NATURES)})
        examples.labels["severity"].append({rng.choice(SEVERITY_CLASSES)})
        examples.names |= {name for name in (row.brand, row.car_model) if name}
    return examples


def measure_training(examples: Any) -> tuple[Any, dict[str, Any]]:
    from kesu.insights import training

    started = time.perf_counter()
    cpu = time.process_time()
    model, report, holdout = training.fit_and_evaluate(examples, "bench")
    figures = {
        "examples": len(examples),
        "labelled": examples.counts(),
        "holdout": holdout,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "features": int(model.weights.shape[0]),
        "report_micro_f1": {head: entry["report"]["micro_f1"] for head, entry in report.items()},
    }
    return model, figures


def measure_eval_training(path: str, n: int) -> dict[str, Any]:
    from kesu.insights import evaluation, training

    rows = evaluation.read_rows(path)[:n]
    started = time.perf_counter()
    evaluation.train_model(rows, threads=training.train_threads())
    return {"examples": len(rows), "seconds": round(time.perf_counter() - started, 2)}


def measure_latency(texts: Sequence[str], model: Any) -> dict[str, Any]:
    from kesu.insights.analysis import analyse
    from kesu.language.services.guard import default_matcher

    matcher = default_matcher()
    for text in texts[:50]:  # warm-up: compiled patterns, the model's name masker and n-gram table
        matcher.check(text)
        analyse(text, model=model)
    timings = []
    for text in texts:
        started = time.perf_counter()
        matcher.check(text)
        analyse(text, model=model)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "texts": len(texts),
        "median_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
        "max_ms": round(timings[-1], 3),
        "texts_per_second": round(len(texts) / (sum(timings) / 1000), 1),
    }


def measure_batches(texts: Sequence[str], model: Any, batch: int, repeat: int) -> dict[str, Any]:
    """Best of ``repeat`` runs, in wall-clock and in CPU time (this process only), of guard +
    ``analyse_many`` (the whole analysis) and of guard + ``model.predict`` + crisis signals
    (classification and crisis check alone, without emotion and the suggestion objects)."""
    from kesu.insights.analysis import analyse_many
    from kesu.insights.crisis import find_signals
    from kesu.language.services.guard import default_matcher

    matcher = default_matcher()

    def whole(chunk: Sequence[str]) -> None:
        for text in chunk:
            matcher.check(text)
        analyse_many(chunk, model=model)

    def classify_and_crisis(chunk: Sequence[str]) -> None:
        for text in chunk:
            matcher.check(text)
        model.predict(chunk)
        for text in chunk:
            find_signals(text)

    figures: dict[str, Any] = {"texts": len(texts), "batch": batch}
    kinds = [("analyse_many", whole)] + ([("predict_and_crisis", classify_and_crisis)] if model else [])
    for name, work in kinds:
        work(texts[:batch])  # warm-up
        wall = cpu = float("inf")
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            for start in range(0, len(texts), batch):
                work(texts[start : start + batch])
            wall = min(wall, time.perf_counter() - started)
            cpu = min(cpu, time.process_time() - cpu_started)
        figures[name] = {
            "texts_per_second": round(len(texts) / wall, 1),
            "texts_per_cpu_second": round(len(texts) / cpu, 1),
        }
    return figures


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=int, default=100_000, help="texts to retrain on (0: skip)")
    parser.add_argument("--train-csv", help="车质网-format CSV to train on (default: synthetic)")
    parser.add_argument("--analyse", type=int, default=2_000, help="texts for latency and batches")
    parser.add_argument("--analyse-csv", help="CSV whose desc column is analysed (default: synthetic)")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3, help="batch runs; the best is reported")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, help="KESU_INSIGHTS_TRAIN_THREADS for the retraining")
    args = parser.parse_args(argv)
    if args.threads:
        os.environ["KESU_INSIGHTS_TRAIN_THREADS"] = str(args.threads)
    _setup()

    from kesu.insights import training

    result: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "train_threads": training.train_threads(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
    train_n = max(args.train, 0) or 2_000  # a model is needed for the analysis figures
    if args.train_csv:
        examples = csv_examples(args.train_csv, train_n, args.seed)
    else:
        examples = synthetic_examples(synthetic_texts(train_n, args.seed), args.seed)
    model, training_figures = measure_training(examples)
    if args.train:
        result["training"] = training_figures
        print(f"retraining (product path) on {len(examples)} texts: {training_figures['seconds']} s")
        if args.train_csv:
            result["classify_eval_training"] = measure_eval_training(args.train_csv, train_n)
            print(f"classify-eval training: {result['classify_eval_training']['seconds']} s")

    if args.analyse_csv:
        texts = csv_texts(args.analyse_csv, args.analyse)
    else:
        texts = synthetic_texts(args.analyse, args.seed + 1)
    result["analysed_chars_mean"] = round(statistics.mean(len(t) for t in texts), 1)
    result["latency_model"] = measure_latency(texts, model)
    result["latency_rules"] = measure_latency(texts, None)
    result["batch_model"] = measure_batches(texts, model, args.batch, args.repeat)
    result["batch_rules"] = measure_batches(texts, None, args.batch, args.repeat)
    for name in ("latency_model", "latency_rules"):
        figures = result[name]
        print(f"{name}: median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms")
    for name in ("batch_model", "batch_rules"):
        for kind in ("analyse_many", "predict_and_crisis"):
            if kind not in result[name]:
                continue
            figures = result[name][kind]
            print(
                f"{name} {kind}: {figures['texts_per_second']} texts/s "
                f"({figures['texts_per_cpu_second']} per CPU second)"
            )
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
