"""Precision, recall and F1 for multi-label predictions; confusion matrices for single labels."""

from collections.abc import Sequence
from typing import Any


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def multilabel_report(
    gold: Sequence[set[str]], predicted: Sequence[set[str]], classes: Sequence[str]
) -> dict[str, Any]:
    """Per-class and micro/macro figures.

    Macro F1 averages over the classes that occur in the gold labels or in the predictions (a
    class that is neither true nor predicted anywhere has no defined F1 and is left out).
    """
    per_class: dict[str, dict[str, float]] = {}
    total_tp = total_fp = total_fn = 0
    for label in classes:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if label in g and label not in p)
        precision, recall, f1 = _prf(tp, fp, fn)
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
            "predicted": tp + fp,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": len(gold) - tp - fp - fn,
        }
        total_tp, total_fp, total_fn = total_tp + tp, total_fp + fp, total_fn + fn
    micro_p, micro_r, micro_f1 = _prf(total_tp, total_fp, total_fn)
    scored = [c for c in classes if per_class[c]["support"] or per_class[c]["predicted"]]
    macro_f1 = sum(per_class[c]["f1"] for c in scored) / len(scored) if scored else 0.0
    return {
        "micro_precision": round(micro_p, 4),
        "micro_recall": round(micro_r, 4),
        "micro_f1": round(micro_f1, 4),
        "macro_f1": round(macro_f1, 4),
        "classes_scored": len(scored),
        "per_class": per_class,
        "examples": len(gold),
    }


def confusion_matrix(
    gold: Sequence[str], predicted: Sequence[str], classes: Sequence[str]
) -> dict[str, dict[str, int]]:
    """``matrix[true][predicted]`` counts for single-label answers ("" = none)."""
    labels = [*classes, ""]
    matrix = {t: dict.fromkeys(labels, 0) for t in labels}
    for g, p in zip(gold, predicted, strict=True):
        matrix.setdefault(g, dict.fromkeys(labels, 0))
        matrix[g][p] = matrix[g].get(p, 0) + 1
    return {t: row for t, row in matrix.items() if any(row.values())}


def markdown_table(report: dict[str, Any], title: str) -> str:
    lines = [
        f"### {title}",
        "",
        f"micro F1 {report['micro_f1']:.3f} · macro F1 {report['macro_f1']:.3f} · "
        f"{report['examples']} examples",
        "",
        "| class | precision | recall | F1 | support |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, row in report["per_class"].items():
        lines.append(
            f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['support']} |"
        )
    return "\n".join(lines)


def markdown_confusion(matrix: dict[str, dict[str, int]], title: str) -> str:
    columns = sorted({p for row in matrix.values() for p, n in row.items() if n})
    lines = [
        f"### {title} (rows: true, columns: predicted)",
        "",
        "| true \\ predicted | " + " | ".join(c or "—" for c in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for true, row in matrix.items():
        lines.append(f"| {true or '—'} | " + " | ".join(str(row.get(c, 0)) for c in columns) + " |")
    return "\n".join(lines)
