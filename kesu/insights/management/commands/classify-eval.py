"""`python -m kesu classify-eval --train FILE --test FILE`: train as the product does, score.

Also ``--cv FILE [--by week|day]``: leave one week (or day) out, pooled figures. The last line of
output is one JSON object: {"chezhi17": {...}, "seed": {...}, "texts_per_second": x}.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kesu.insights import evaluation, training


def _line(name: str, report: dict[str, Any]) -> str:
    return f"{name:<10} micro F1 {report['micro_f1']:.4f}  macro F1 {report['macro_f1']:.4f}"


class Command(BaseCommand):
    help = "Train the classifier on one CSV (车质网 format) and score it on another."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--train", help="CSV to train on (desc, categories, brand, car_model)")
        parser.add_argument("--test", help="CSV to score on")
        parser.add_argument("--cv", help="one CSV for cross-validation split by date")
        parser.add_argument("--by", choices=["week", "day"], default="week")
        parser.add_argument("--per-class", action="store_true", help="print per-class figures")

    def handle(self, *args: Any, **options: Any) -> None:
        threads = training.train_threads()  # KESU_INSIGHTS_TRAIN_THREADS, as the product trains
        try:
            if options["cv"]:
                rows = evaluation.read_rows(options["cv"])
                result = evaluation.cross_validate(rows, by=options["by"], threads=threads)
                for fold in result["folds"]:
                    self.stdout.write(f"fold {json.dumps(fold, ensure_ascii=False)}")
                title = f"cross-validation by {options['by']} over {len(rows)} rows"
            elif options["train"] and options["test"]:
                train_rows = evaluation.read_rows(options["train"])
                test_rows = evaluation.read_rows(options["test"])
                if not train_rows or not test_rows:
                    raise CommandError("both CSV files need at least one row")
                result = evaluation.evaluate(train_rows, test_rows, threads=threads)
                title = (
                    f"trained on {len(train_rows)} rows in {result['train_seconds']:.1f} s, "
                    f"tested on {len(test_rows)}"
                )
            else:
                raise CommandError("give --train FILE --test FILE, or --cv FILE")
        except (OSError, evaluation.CsvError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(title)
        for name in ("chezhi17", "seed"):
            self.stdout.write("model     " + _line(name, result["reports"][name]))
            self.stdout.write("rules     " + _line(name, result["baseline"][name]))
            if options["per_class"]:
                for label, row in result["reports"][name]["per_class"].items():
                    self.stdout.write(
                        f"    {label:<12} P {row['precision']:.3f} R {row['recall']:.3f} "
                        f"F1 {row['f1']:.3f} n {row['support']}"
                    )
        self.stdout.write(f"texts/second {result['texts_per_second']:.0f}")
        self.stdout.write(json.dumps(evaluation.summary(result), ensure_ascii=False))
