"""``classify-eval``: train on one CSV, score on another, exactly as the product trains.

CSV format: that of 车质网 exports (``desc``, ``categories`` — the 17 category names,
``|``-separated — ``brand``, ``car_model``; ``datetime`` for date splits). Scored multi-label on
the 17 categories and on the seed categories (README mapping; 其他 → none, 多元 not scored).
"""

import csv
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from . import learn, rules
from .choices import CHEZHI_ASPECT, CHEZHI_CATEGORIES, CHEZHI_FAULT_AREA, CHEZHI_TO_SEED
from .metrics import multilabel_report
from .text import CLASSIFY_CHARS, NameMasker, prepare

SEED_CLASSES = rules.CATEGORIES  # the six seed categories a text can show
REQUIRED_COLUMNS = ("desc", "categories", "brand", "car_model")
# Rules baseline → 车质网 names, for the baseline line of the report.
_SEED_TO_CHEZHI = {
    "repair_quality": "人员技术",
    "repair_cost": "服务收费",
    "reception": "服务态度",
    "purchase": "销售欺诈",
    "parts": "配件争议",
}
_ASPECT_TO_CHEZHI = {aspect: name for name, aspect in CHEZHI_ASPECT.items()}
_FAULT_TO_CHEZHI = {str(area): name for name, area in CHEZHI_FAULT_AREA.items()}


class CsvError(ValueError):
    pass


@dataclass
class Row:
    text: str
    chezhi: set[str]
    brand: str
    car_model: str
    day: date | None

    @property
    def seed(self) -> set[str]:
        return {s for c in self.chezhi if (s := CHEZHI_TO_SEED.get(c))}


def read_rows(path: str | Path) -> list[Row]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CsvError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = []
        for record in reader:
            cats = {c.strip() for c in (record.get("categories") or "").split("|") if c.strip()}
            raw_day = (record.get("datetime") or "")[:10]
            try:
                day = date.fromisoformat(raw_day) if raw_day else None
            except ValueError:
                day = None
            rows.append(
                Row(
                    text=record.get("desc") or "",
                    chezhi={c for c in cats if c in CHEZHI_TO_SEED},
                    brand=record.get("brand") or "",
                    car_model=record.get("car_model") or "",
                    day=day,
                )
            )
    return rows


def train_model(rows: Sequence[Row], *, threads: int = 1) -> learn.TextModel:
    """The product's training, on CSV rows: the 车质网 head and the seed-category head."""
    names = {r.brand for r in rows} | {r.car_model for r in rows}
    return learn.train(
        [r.text for r in rows],
        labels={"chezhi17": [r.chezhi for r in rows], "category": [r.seed for r in rows]},
        classes={"chezhi17": CHEZHI_CATEGORIES, "category": SEED_CLASSES},
        names={n for n in names if n},
        version="classify-eval",
        threads=threads,
    )


def predict(model: learn.TextModel, rows: Sequence[Row]) -> tuple[list[set[str]], list[set[str]]]:
    probs = model.predict([r.text for r in rows])
    chezhi = [{CHEZHI_CATEGORIES[j] for j in learn.decide(p)} for p in probs["chezhi17"]]
    seed = [{SEED_CLASSES[j] for j in learn.decide(p)} for p in probs["category"]]
    return chezhi, seed


def predict_rules(rows: Sequence[Row]) -> tuple[list[set[str]], list[set[str]]]:
    """The lexicon baseline, decided the same way (≥ 0.5, else the best)."""
    chezhi, seed = [], []
    masker = NameMasker()
    for row in rows:
        vector = rules.score(masker(prepare(row.text, CLASSIFY_CHARS))).vector()
        faults = vector[: len(rules.FAULT_AREAS)]
        categories = vector[len(rules.FAULT_AREAS) : len(rules.FAULT_AREAS) + len(SEED_CLASSES)]
        aspects = vector[len(vector) - len(rules.ASPECTS) :]
        chosen_seed = {SEED_CLASSES[j] for j in learn.decide(np.asarray(categories))}
        chosen_faults = {rules.FAULT_AREAS[j] for j in learn.decide(np.asarray(faults))}
        chosen_aspects = {rules.ASPECTS[j] for j in learn.decide(np.asarray(aspects), at_least_one=False)}
        names = {_FAULT_TO_CHEZHI[a] for a in chosen_faults}
        names |= {_ASPECT_TO_CHEZHI[a] for a in chosen_aspects}
        if not chosen_aspects & rules.RECEPTION_ASPECTS:  # reception without a finer aspect
            names |= {_SEED_TO_CHEZHI[s] for s in chosen_seed if s in _SEED_TO_CHEZHI}
        else:
            names |= {_SEED_TO_CHEZHI[s] for s in chosen_seed - {"reception"} if s in _SEED_TO_CHEZHI}
        chezhi.append(names)
        seed.append(chosen_seed)
    return chezhi, seed


def score(rows: Sequence[Row], chezhi: list[set[str]], seed: list[set[str]]) -> dict[str, dict[str, Any]]:
    return {
        "chezhi17": multilabel_report([r.chezhi for r in rows], chezhi, CHEZHI_CATEGORIES),
        "seed": multilabel_report([r.seed for r in rows], seed, SEED_CLASSES),
    }


def evaluate(train_rows: Sequence[Row], test_rows: Sequence[Row], *, threads: int = 1) -> dict[str, Any]:
    started = time.perf_counter()
    model = train_model(train_rows, threads=threads)
    trained = time.perf_counter()
    chezhi, seed = predict(model, test_rows)
    predicted = time.perf_counter()
    reports = score(test_rows, chezhi, seed)
    baseline = score(test_rows, *predict_rules(test_rows))
    return {
        "reports": reports,
        "baseline": baseline,
        "train_seconds": trained - started,
        "texts_per_second": len(test_rows) / max(predicted - trained, 1e-9),
        "train_examples": len(train_rows),
        "test_examples": len(test_rows),
        "predictions": (chezhi, seed),
    }


def split_key(row: Row, by: str) -> str:
    if row.day is None:
        return "undated"
    if by == "day":
        return row.day.isoformat()
    year, week, _ = row.day.isocalendar()
    return f"{year}-W{week:02d}"


def cross_validate(rows: Sequence[Row], *, by: str = "week", threads: int = 1) -> dict[str, Any]:
    """Leave one date group out; predictions of all folds are pooled and scored once."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[split_key(row, by)].append(index)
    if len(groups) < 2:
        raise CsvError(f"cross-validation by {by} needs at least two {by}s of data")
    chezhi: list[set[str]] = [set() for _ in rows]
    seed: list[set[str]] = [set() for _ in rows]
    folds = []
    seconds = 0.0
    for key, test_index in sorted(groups.items()):
        held = set(test_index)
        train_rows = [r for i, r in enumerate(rows) if i not in held]
        test_rows = [rows[i] for i in test_index]
        result = evaluate(train_rows, test_rows, threads=threads)
        fold_chezhi, fold_seed = result["predictions"]
        for position, i in enumerate(test_index):
            chezhi[i], seed[i] = fold_chezhi[position], fold_seed[position]
        seconds += len(test_rows) / result["texts_per_second"]
        folds.append(
            {
                "test": key,
                "train_examples": len(train_rows),
                "test_examples": len(test_rows),
                "chezhi17_micro_f1": result["reports"]["chezhi17"]["micro_f1"],
                "seed_micro_f1": result["reports"]["seed"]["micro_f1"],
            }
        )
    return {
        "reports": score(rows, chezhi, seed),
        "baseline": score(rows, *predict_rules(rows)),
        "texts_per_second": len(rows) / max(seconds, 1e-9),
        "folds": folds,
    }


PER_CLASS_FIELDS = ("precision", "recall", "f1", "support")


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The last line of ``classify-eval``: per head, micro and macro F1, the lexicon baseline's,
    and per class its precision, recall, F1 and support (gold examples)."""
    out: dict[str, Any] = {}
    for name in ("chezhi17", "seed"):
        report, baseline = result["reports"][name], result["baseline"][name]
        out[name] = {
            "micro_f1": report["micro_f1"],
            "macro_f1": report["macro_f1"],
            "rules": {"micro_f1": baseline["micro_f1"], "macro_f1": baseline["macro_f1"]},
            "per_class": {
                label: {key: row[key] for key in PER_CLASS_FIELDS}
                for label, row in report["per_class"].items()
            },
        }
    out["texts_per_second"] = round(result["texts_per_second"], 1)
    return out


# --- crisis and emotion on labelled TSV files (classify-eval --crisis-file / --emotion-file) ---


def read_labelled(path: str | Path) -> list[tuple[str, str]]:
    """``text`` and ``label`` of a TSV file with a header (other columns are ignored)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in ("text", "label") if c not in (reader.fieldnames or [])]
        if missing:
            raise CsvError(f"{path}: missing column(s) {', '.join(missing)}")
        return [((row["text"] or ""), (row["label"] or "").strip().lower()) for row in reader]


def _binary_report(truth: Sequence[bool], predicted: Sequence[bool]) -> dict[str, Any]:
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    fp = sum(p and not t for t, p in zip(truth, predicted, strict=True))
    fn = sum(t and not p for t, p in zip(truth, predicted, strict=True))
    recall = tp / (tp + fn) if tp + fn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(truth),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "recall": round(recall, 4),
        "precision": round(precision, 4),
        "f1": round(f1, 4),
    }


def evaluate_crisis(path: str | Path) -> dict[str, Any]:
    """Crisis detection on a TSV of ``text`` and ``label`` (1 crisis, 0 not), the product's
    :func:`kesu.insights.crisis.find_signals` deciding."""
    from .crisis import find_signals

    rows = read_labelled(path)
    bad = sorted({label for _, label in rows if label not in ("0", "1")})
    if bad:
        raise CsvError(f"{path}: crisis labels are 1 or 0, not {', '.join(bad[:5])}")
    started = time.perf_counter()
    predicted = [bool(find_signals(text)) for text, _ in rows]
    seconds = time.perf_counter() - started
    report = _binary_report([label == "1" for _, label in rows], predicted)
    report["ms_per_text"] = round(1000 * seconds / max(len(rows), 1), 3)
    return report


UPSET_LABELS = frozenset({"upset", "angry", "1"})
CALM_LABELS = frozenset({"calm", "0"})


def evaluate_emotion(path: str | Path) -> dict[str, Any]:
    """Upset-or-angry against calm on a TSV of ``text`` and ``label`` (calm / upset / angry, or
    1 upset / 0 calm): recall and precision of reading a text as upset or angry."""
    rows = read_labelled(path)
    bad = sorted({label for _, label in rows if label not in UPSET_LABELS | CALM_LABELS})
    if bad:
        raise CsvError(f"{path}: emotion labels are calm, upset, angry (or 1/0), not {', '.join(bad[:5])}")
    return emotion_report([(text, label in UPSET_LABELS) for text, label in rows])


def emotion_report(rows: Sequence[tuple[str, bool]]) -> dict[str, Any]:
    """Upset-or-angry against calm on ``(text, upset)`` pairs, the product's reading deciding."""
    from .emotion import analyse as emotion_of

    predicted = [emotion_of(text).value != "calm" for text, _ in rows]
    return _binary_report([upset for _, upset in rows], predicted)
