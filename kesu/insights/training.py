"""Training on an organisation's own labelled complaints, storing and finding the model.

Labels: the complaint's category, nature and severity as agents set them, overridden by the
latest ClassificationFeedback (an accepted or corrected suggestion); fault areas come from
feedback, and a complaint whose category is not "product" says "no fault area". Each model is
evaluated on the most recent fifth of the examples (a split by time, as complaints arrive)
before the final fit on everything; the report (per-class precision/recall/F1, confusion
matrices) is written beside the model under KESU_DATA_DIR. The texts are prepared once
(``learn.Corpus``) for the trial fit, its evaluation and the final fit.
"""

import json
import logging
import os
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.models import Complaint
from kesu.core.caches import ProcessCache
from kesu.core.env import env_int
from kesu.core.errors import Forbidden, InvalidInput, NotFound
from kesu.organizations import tree as orgs
from kesu.organizations.models import Organization, User

from . import conf, learn, rules
from .analysis import SEVERITY_CLASSES
from .choices import SuggestionField
from .metrics import confusion_matrix, markdown_confusion, markdown_table, multilabel_report
from .models import ClassificationFeedback, ClassifierModel

log = logging.getLogger(__name__)

HEAD_CLASSES: dict[str, tuple[str, ...]] = {
    "category": rules.CATEGORIES,
    "fault_area": rules.FAULT_AREAS,
    "nature": rules.NATURES,
    "severity": SEVERITY_CLASSES,
}
SINGLE_LABEL_HEADS = ("category", "nature", "severity")
HOLDOUT_SHARE = 0.2


def _slug(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", code) or "org"


def model_path(organization_code: str) -> Path:
    return conf.models_dir() / f"org-{_slug(organization_code)}" / "model.joblib"


# --- loading, with a per-process cache keyed by file and modification time ----------------------

_cache: ProcessCache[str, tuple[float, learn.TextModel | None]] = ProcessCache("insights.models", ttl=None)
_cache_lock = threading.Lock()  # one load at a time


def load_model(organization_code: str) -> learn.TextModel | None:
    path = model_path(organization_code)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    key = str(path)
    cached = _cache.get(key)
    if cached and cached[0] == mtime:
        return cached[1]
    with _cache_lock:
        try:
            model = joblib.load(path)
        except Exception:  # a broken or foreign file: fall back to the rules, loudly
            log.exception("cannot load classifier model %s", path)
            return None
        if not isinstance(model, learn.TextModel) or not model.compatible:
            log.warning("classifier model %s does not fit this version: retrain it", path)
            model = None  # remembered: the rules answer until the file changes
        _cache.set(key, (mtime, model))
    return model


def model_for_organization(organization_id: int | None) -> learn.TextModel | None:
    """The nearest trained model: the organisation's own, else its region's or carmaker's."""
    for _pk, code, _kind in orgs.chain(organization_id):
        model = load_model(code)
        if model is not None:
            return model
    return None


def model_for_user(user: User | None) -> learn.TextModel | None:
    if user is None or not user.is_authenticated or user.organization_id is None:
        return None
    return model_for_organization(user.organization_id)


# --- examples -----------------------------------------------------------------------------------


@dataclass
class Examples:
    texts: list[str] = field(default_factory=list)
    labels: dict[str, list[set[str] | None]] = field(
        default_factory=lambda: {head: [] for head in HEAD_CLASSES}
    )
    names: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.texts)

    def counts(self) -> dict[str, int]:
        return {head: sum(1 for y in ys if y is not None) for head, ys in self.labels.items()}

    def subset(self, indices: list[int]) -> "Examples":
        return Examples(
            texts=[self.texts[i] for i in indices],
            labels={head: [ys[i] for i in indices] for head, ys in self.labels.items()},
            names=self.names,
        )


def _one(value: str, allowed: tuple[str, ...]) -> set[str] | None:
    return {value} if value in allowed else None


def labelled_examples(organization: Organization) -> Examples:
    """The organisation's complaints, oldest first, with what agents said about them."""
    dealers = orgs.dealer_ids_under(organization)
    feedback: dict[tuple[int, str], str] = {}
    for complaint_id, field_name, chosen in (
        ClassificationFeedback.objects.filter(complaint__dealer_id__in=dealers)
        .order_by("at", "pk")
        .values_list("complaint_id", "field", "chosen")
        .iterator(chunk_size=5000)
    ):
        feedback[(complaint_id, field_name)] = chosen  # the latest word wins
    examples = Examples()
    rows = (
        Complaint.objects.filter(dealer_id__in=dealers)
        .order_by("received_at", "pk")
        .values_list("pk", "verbatim", "category", "nature", "severity", "vehicle__model_name")
        .iterator(chunk_size=5000)
    )
    for pk, verbatim, category, nature, severity, model_name in rows:
        category = feedback.get((pk, SuggestionField.CATEGORY), category)
        nature = feedback.get((pk, SuggestionField.NATURE), nature)
        severity = feedback.get((pk, SuggestionField.SEVERITY), severity)
        fault: set[str] | None
        if (pk, SuggestionField.FAULT_AREA) in feedback:
            chosen = feedback[(pk, SuggestionField.FAULT_AREA)]
            fault = {chosen} if chosen else set()
        elif category and category not in ("product", "mixed"):
            fault = set()
        else:
            fault = None
        labels = {
            "category": _one(category, rules.CATEGORIES),
            "fault_area": fault,
            "nature": _one(nature, rules.NATURES),
            "severity": _one(severity, SEVERITY_CLASSES),
        }
        if all(v is None for v in labels.values()):
            continue
        examples.texts.append(verbatim)
        for head, value in labels.items():
            examples.labels[head].append(value)
        if model_name:
            examples.names.add(model_name)
    return examples


# --- training and the evaluation report -------------------------------------------------------


def train_threads() -> int:
    """Classes fitted at once (KESU_INSIGHTS_TRAIN_THREADS in settings or the environment;
    default 1, leaving the other cores to the web workers). The model does not depend on it."""
    name = "KESU_INSIGHTS_TRAIN_THREADS"
    return max(1, int(getattr(settings, name, env_int(name, 1))))


def _fit(examples: Examples, version: str, corpus: learn.Corpus | None = None) -> learn.TextModel:
    """The model of ``examples``; ``corpus``: their texts already prepared (same order)."""
    minimum = conf.min_training_examples()
    labels: dict[str, Sequence[set[str] | None]] = {
        h: ys for h, ys in examples.labels.items() if sum(y is not None for y in ys) >= minimum
    }
    return learn.train(
        examples.texts,
        labels=labels,
        classes={h: HEAD_CLASSES[h] for h in labels},
        names=examples.names,
        version=version,
        corpus=corpus,
        threads=train_threads(),
    )


def evaluate(model: learn.TextModel, test: Examples, corpus: learn.Corpus | None = None) -> dict[str, Any]:
    """Per head, the report of ``model`` on ``test`` (``corpus``: its texts prepared with the
    model's names, as :meth:`learn.TextModel.prepare` would)."""
    if corpus is None:
        probs = model.predict(test.texts)
    else:
        probs = model.predict_prepared(corpus.prepared, corpus.rules)
    report: dict[str, Any] = {}
    for head, matrix in probs.items():
        classes = model.heads[head].classes
        rows = [i for i, y in enumerate(test.labels[head]) if y is not None]
        if not rows:
            continue
        gold = [test.labels[head][i] or set() for i in rows]
        single = head in SINGLE_LABEL_HEADS
        predicted = [{classes[j] for j in learn.decide(matrix[i], at_least_one=single)} for i in rows]
        entry: dict[str, Any] = {"report": multilabel_report(gold, predicted, classes)}
        if single:
            top = [classes[int(np.argmax(matrix[i]))] for i in rows]
            entry["confusion"] = confusion_matrix([next(iter(g), "") for g in gold], top, classes)
        report[head] = entry
    return report


def fit_and_evaluate(examples: Examples, version: str) -> tuple[learn.TextModel, dict[str, Any], int]:
    """The trial fit on the older examples, its report on the most recent ``HOLDOUT_SHARE``
    (held out: 0 when there are too few to spare), then the final fit on all of them."""
    cut = int(len(examples) * (1 - HOLDOUT_SHARE))
    report: dict[str, Any] = {}
    holdout = len(examples) - cut
    corpus = learn.Corpus.build(examples.texts, examples.names)
    if cut >= conf.min_training_examples() and holdout >= 10:
        older, newer = list(range(cut)), list(range(cut, len(examples)))
        trial = _fit(examples.subset(older), version, corpus.subset(older))
        report = evaluate(trial, examples.subset(newer), corpus.subset(newer))
        del trial
    return _fit(examples, version, corpus), report, holdout if report else 0


def _markdown(organization: Organization, meta: dict[str, Any], report: dict[str, Any]) -> str:
    parts = [
        f"# Classifier report — {organization.name} ({organization.code})",
        "",
        f"Trained {meta['trained_at']} on {meta['examples']} complaints in {meta['seconds']:.1f} s; "
        f"evaluated on the most recent {meta['holdout']} (split by time).",
        "",
    ]
    for head, entry in report.items():
        parts.append(markdown_table(entry["report"], head))
        parts.append("")
        if "confusion" in entry:
            parts.append(markdown_confusion(entry["confusion"], f"{head} — top suggestion"))
            parts.append("")
    return "\n".join(parts)


def _atomic_write(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(temporary)
    os.replace(temporary, path)


def train_for_organization(*, organization_id: int, actor: User | None = None) -> ClassifierModel:
    """Train, evaluate and store the model of one organisation (a dealer, region or carmaker).

    ``actor`` None is the system (command or task); a person must be an administrator.
    """
    if actor is not None and not actor.is_kesu_admin:
        raise Forbidden(_("Only administrators can train classifiers."))
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise NotFound(_("No such organisation."))
    started = time.perf_counter()
    examples = labelled_examples(organization)
    counts = examples.counts()
    if max(counts.values(), default=0) < conf.min_training_examples():
        raise InvalidInput(
            _("Too few labelled complaints to train (%(n)d; at least %(min)d).")
            % {"n": max(counts.values(), default=0), "min": conf.min_training_examples()},
            fields={"organization_id": _("Not enough labelled complaints.")},
        )
    version = timezone.now().strftime("%Y%m%d%H%M%S")
    model, report, holdout = fit_and_evaluate(examples, version)
    seconds = time.perf_counter() - started
    path = model_path(organization.code)
    meta = {
        "organization": organization.code,
        "version": version,
        "trained_at": timezone.now().isoformat(timespec="seconds"),
        "examples": len(examples),
        "labelled": counts,
        "holdout": holdout,
        "seconds": round(seconds, 2),
    }
    _atomic_write(path, lambda p: joblib.dump(model, p, compress=1))
    _atomic_write(
        path.with_name("report.json"),
        lambda p: p.write_text(json.dumps({**meta, "report": report}, ensure_ascii=False, indent=1)),
    )
    _atomic_write(path.with_name("report.md"), lambda p: p.write_text(_markdown(organization, meta, report)))
    summary = {
        head: {k: entry["report"][k] for k in ("micro_f1", "macro_f1", "examples")}
        for head, entry in report.items()
    }
    return ClassifierModel.objects.create(
        organization=organization,
        path=str(path),
        version=version,
        examples=counts,
        metrics=summary,
        seconds=round(seconds, 2),
        trained_by=actor,
    )
