"""`python -m kesu classify-eval --train FILE --test FILE`: train as the product does, score.

Also ``--cv FILE [--by week|day]``: leave one week (or day) out, pooled figures. The last line of
output is one JSON object: {"chezhi17": {...}, "seed": {...}, "texts_per_second": x}.

``--guard-file``, ``--crisis-file``, ``--emotion-file`` (TSV with a header: ``text``, ``label``)
measure the guard, crisis detection and emotion with the same command; their figures are added to
the last line under ``guard``, ``crisis`` and ``emotion``. Given alone (without ``--train`` or
``--cv``), the last line holds just those.
"""

import importlib
import json
from pathlib import Path
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
        parser.add_argument("--guard-file", help="TSV text/label (1 rude, 0 polite) for the guard")
        parser.add_argument("--crisis-file", help="TSV text/label (1 crisis, 0 not)")
        parser.add_argument("--emotion-file", help="TSV text/label (calm/upset/angry or 0/1)")

    def _labelled(self, options: dict[str, Any]) -> dict[str, Any]:
        """Guard, crisis and emotion figures for the labelled files given."""
        figures: dict[str, Any] = {}
        try:
            if options.get("guard_file"):
                selectors = importlib.import_module("kesu.language.selectors")
                evaluate_guard = getattr(selectors, "evaluate_guard", None)
                if evaluate_guard is None:
                    raise CommandError("--guard-file: kesu.language.selectors.evaluate_guard is missing")
                figures["guard"] = evaluate_guard(Path(options["guard_file"]))
            if options.get("crisis_file"):
                figures["crisis"] = evaluation.evaluate_crisis(options["crisis_file"])
            if options.get("emotion_file"):
                figures["emotion"] = evaluation.evaluate_emotion(options["emotion_file"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for name, report in figures.items():
            self.stdout.write(f"{name:<10}" + json.dumps(report, ensure_ascii=False))
        return figures

    def handle(self, *args: Any, **options: Any) -> None:
        threads = training.train_threads()  # KESU_INSIGHTS_TRAIN_THREADS, as the product trains
        labelled = any(options.get(k) for k in ("guard_file", "crisis_file", "emotion_file"))
        if labelled and not options["cv"] and not (options["train"] and options["test"]):
            self.stdout.write(json.dumps(self._labelled(options), ensure_ascii=False))
            return
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
        last = evaluation.summary(result)
        if labelled:
            last.update(self._labelled(options))
        self.stdout.write(json.dumps(last, ensure_ascii=False))
