"""Time the forbidden-phrase guard (:mod:`kesu.language.matcher`) on its own: no database, no Django.

    .venv/bin/python -m bench.guard_bench [--texts 2000] [--runs 3] [--repeat 20] [--batches 5] [--seed 1]

The matcher is built from the seed list (kesu/language/seed.py), as every organisation starts, with
the learned reading (:mod:`kesu.language.learned`) the services switch on.
Three figures, printed with the machine's load (/proc/loadavg) before and after; they are
reported, never judged — nothing here passes or fails on timing:

* typical replies: ``--texts`` texts of 50-300 characters glued from the standard replies, the
  forbidden variants and polite look-alikes of kesu/language/tests/phrase_cases.py, synthetic
  complaint text (bench/text.py) and random Chinese; median, p95 and max of one check (each text
  checked ``--runs`` times, its best time kept), overall and by length;
* dense texts of MAX_CHECK_CHARS (20,000) characters, the matcher's worst cases (hits or
  exceptions at every few characters); median and p95 of ``--repeat`` checks each (wall clock),
  and the mean CPU time of this thread per check (less sensitive to other load on the machine);
* a batch: texts per second checking all typical texts one after another (best of ``--batches``).
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.text import complaint_text
from kesu.language.matcher import MAX_CHECK_CHARS, Matcher
from kesu.language.seed import SEED_PHRASES, SEED_REPLIES
from kesu.language.selectors import seed_entries
from kesu.language.tests.phrase_cases import FORBIDDEN, POLITE

PLACEHOLDERS = {
    "customer_name": "张先生",
    "dealer": "骏达4S店",
    "agent_number": "0537",
    "promised_time": "明天下午三点前",
}
PUNCTUATION = "，，，。。！？、 "
COMMON = [chr(code) for code in range(0x4E00, 0x9FA6)]


def seed_matcher() -> Matcher:
    return Matcher(seed_entries(), learned=True)  # as the services build it


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def random_chinese(rng: random.Random, length: int) -> str:
    return "".join(
        rng.choice(PUNCTUATION) if rng.random() < 0.1 else rng.choice(COMMON) for _ in range(length)
    )


def typical_texts(rng: random.Random, count: int) -> list[str]:
    """Agent replies of 50-300 characters: mostly polite, some with a forbidden phrase."""
    replies = [reply["text"].format(**PLACEHOLDERS) for reply in SEED_REPLIES]
    alternatives = [item["alternative"] for item in SEED_PHRASES]
    forbidden = [text for text, _ in FORBIDDEN]
    pieces: list[Callable[[], str]] = [
        lambda: rng.choice(replies),
        lambda: rng.choice(replies),
        lambda: rng.choice(POLITE),
        lambda: rng.choice(POLITE),
        lambda: rng.choice(alternatives),
        lambda: rng.choice(forbidden),
        lambda: complaint_text(rng)[0],
        lambda: random_chinese(rng, rng.randint(10, 60)),
    ]
    texts = []
    for _ in range(count):
        target = rng.randint(50, 300)
        text = ""
        while len(text) < target:
            text += rng.choice(pieces)() + rng.choice(("", "，", "。", " "))
        texts.append(text[:target])
    return texts


def dense_texts(rng: random.Random) -> dict[str, str]:
    """Texts of exactly MAX_CHECK_CHARS characters that keep the matcher busiest."""

    def fill(piece: Callable[[], str]) -> str:
        parts: list[str] = []
        size = 0
        while size < MAX_CHECK_CHARS:
            parts.append(piece())
            size += len(parts[-1])
        return "".join(parts)[:MAX_CHECK_CHARS]

    pattern_chars = sorted(
        {char for item in SEED_PHRASES for char in item["pattern"] + item["exceptions"] if char not in "|…^$"}
    )
    forbidden = [text for text, _ in FORBIDDEN]
    return {
        "不行 × 10,000 (review case)": fill(lambda: "不行"),
        "行不行 repeated (all explained)": fill(lambda: "行不行"),
        "随便您 repeated (all explained)": fill(lambda: "随便您"),
        "不知道您 repeated (all explained)": fill(lambda: "不知道您"),
        "polite look-alikes cycled": fill(lambda: rng.choice(POLITE)),
        "forbidden variants cycled": fill(lambda: rng.choice(forbidden)),
        "pattern characters + 你 shuffled": fill(lambda: rng.choice(pattern_chars + ["你"] * 20)),
    }


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def time_checks(matcher: Matcher, texts: Sequence[str], runs: int = 1) -> list[float]:
    """Seconds per check, one per text: the best of ``runs`` checks (fewer scheduler hiccups)."""
    timings: list[float] = []
    clock = time.perf_counter
    for text in texts:
        best = math.inf
        for _ in range(runs):
            start = clock()
            matcher.check(text)
            best = min(best, clock() - start)
        timings.append(best)
    return timings


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms" if seconds < 0.001 else f"{seconds * 1000:.1f} ms"


def main(argv: Sequence[str] | None = None) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    django.setup()  # the learned reading keeps its fitted model under the settings' data dir
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=2000, help="typical replies to check (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="checks per typical text, best kept (default 3)")
    parser.add_argument("--repeat", type=int, default=20, help="checks of each dense text (default 20)")
    parser.add_argument("--batches", type=int, default=5, help="batch runs, best is reported (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the texts (default 1)")
    parser.add_argument("--skip-dense", action="store_true", help="only the typical replies and the batch")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    matcher = seed_matcher()
    texts = typical_texts(rng, args.texts)
    dense = dense_texts(rng)
    # Warm-up: the normaliser's table learns every character (the dense texts' first 2,000 do).
    for text in texts + [text[:2000] for text in dense.values()]:
        matcher.check(text)
    print(
        f"guard bench: {len(matcher.compiled)} seed entries, Python {platform.python_version()}, "
        f"{platform.machine()}, load before {load()}"
    )

    gc.collect()
    timings = time_checks(matcher, texts, args.runs)
    lengths = [len(text) for text in texts]
    hit_share = sum(1 for text in texts if not matcher.check(text).ok) / len(texts)
    print(
        f"\ntypical replies: {len(texts)} texts, {min(lengths)}-{max(lengths)} chars "
        f"(mean {statistics.mean(lengths):.0f}), {hit_share:.0%} with a hit"
    )
    print(f"  per check (best of {args.runs} per text):")
    print(
        f"    all: median {ms(statistics.median(timings))}, p95 {ms(percentile(timings, 95))}, "
        f"max {ms(max(timings))}"
    )
    for low, high in ((50, 100), (100, 200), (200, 301)):
        bucket = [t for t, n in zip(timings, lengths, strict=True) if low <= n < high]
        if bucket:
            print(
                f"    {low}-{min(high, 300)} chars ({len(bucket)}): median {ms(statistics.median(bucket))}, "
                f"p95 {ms(percentile(bucket, 95))}"
            )

    if not args.skip_dense:
        print(f"\ndense {MAX_CHECK_CHARS:,}-char texts ({args.repeat} checks each):")
        worst = 0.0
        for name, text in dense.items():
            gc.collect()
            cpu = time.thread_time()
            runs = time_checks(matcher, [text] * args.repeat)
            cpu = (time.thread_time() - cpu) / args.repeat
            result = matcher.check(text)
            worst = max(worst, percentile(runs, 95))
            print(
                f"  {name:<36} median {ms(statistics.median(runs)):>9}, p95 {ms(percentile(runs, 95)):>9}"
                f", cpu {ms(cpu):>9}   hits {len(result.hits):3d}, advisories {len(result.advisories):3d}"
            )
        print(f"  worst p95: {ms(worst)}")

    best = math.inf
    for _ in range(args.batches):
        gc.collect()
        start = time.perf_counter()
        for text in texts:
            matcher.check(text)
        best = min(best, time.perf_counter() - start)
    print(
        f"\nbatch: {len(texts)} typical texts in {best * 1000:.0f} ms (best of {args.batches}) "
        f"→ {len(texts) / best:,.0f} texts/s on one thread"
    )
    print(f"load after {load()}")


if __name__ == "__main__":
    main()
