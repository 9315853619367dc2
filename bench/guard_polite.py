"""False alarms of the guard on the repository's own polite text: no database, no Django.

    .venv/bin/python -m bench.guard_polite [--show]

Real polite text the product already speaks: the standard-reply library (kesu/language/seed.py),
the follow-up call scripts (kesu/followups/scripts.py), the demo stories and cases (kesu/demo) —
every string literal of those files with 15 or more Chinese characters and no pattern syntax —
and, apart, the zh_Hans UI messages of 10 or more Chinese characters. Each is checked with the
seed list; the count flagged is printed (``--show``: which, and what was found).
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

from kesu.language.seed import SEED_PHRASES
from kesu.language.selectors import seed_matcher

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (
    "kesu/language/seed.py",
    "kesu/followups/scripts.py",
    "kesu/demo/stories.py",
    "kesu/demo/cases.py",
    "kesu/demo/builder.py",
    "kesu/demo/day.py",
    "kesu/demo/improvements.py",
    "kesu/demo/appointments.py",
)
MESSAGES = "kesu/locale/zh_Hans/LC_MESSAGES/django.po"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PATTERN_SYNTAX = re.compile(r"[…|$^]")


def replies() -> list[str]:
    """String literals of the polite sources (the seed phrases' alternatives included, their
    patterns and the phrases themselves left out)."""
    forbidden = {p["phrase"] for p in SEED_PHRASES}
    found: list[str] = []
    for name in SOURCES:
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if text in forbidden or _PATTERN_SYNTAX.search(text):
                    continue
                if len(_HAN.findall(text)) >= 15:
                    found.append(text)
    return list(dict.fromkeys(found))


def messages() -> list[str]:
    text = (ROOT / MESSAGES).read_text(encoding="utf-8")
    return [m for m in re.findall(r'msgstr "(.*)"', text) if len(_HAN.findall(m)) >= 10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each flagged text")
    args = parser.parse_args()
    matcher = seed_matcher()
    for title, texts in (("replies, scripts, demo text", replies()), ("UI messages (zh_Hans)", messages())):
        flagged = []
        for text in texts:
            result = matcher.check(text)
            if not result.ok:
                flagged.append((text, [(h.phrase, h.matched) for h in result.hits]))
        rate = len(flagged) / len(texts) if texts else 0.0
        print(f"{title}: {len(flagged)} / {len(texts)} flagged ({rate:.1%})")
        if args.show:
            for text, hits in flagged:
                print(f"  {text[:80]}  {hits}")


if __name__ == "__main__":
    main()
