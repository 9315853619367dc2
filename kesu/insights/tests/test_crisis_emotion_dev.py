"""Crisis and emotion on the project's own dev sets (issue 15), one test per text, grouped by
kind: each kind of miss (a safety event told without media, a scene at the dealer, a regulator,
a legal step phrased indirectly…) and of false alarm (a denied intent, a relative at a TV station,
a recall from the news, a live-stream purchase, an unrelated injury, praise on 朋友圈, a worry
about a fire, a warning light called 报警). The texts were written for this repository."""

import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from kesu.insights import evaluation
from kesu.insights.analysis import analyse
from kesu.insights.crisis import find_signals, read
from kesu.insights.emotion import analyse as emotion_of

DATA = Path(__file__).parent / "data"
CRISIS_DEV = DATA / "crisis_dev.tsv"
EMOTION_DEV = DATA / "emotion_dev.tsv"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


CRISIS_ROWS = _rows(CRISIS_DEV)
EMOTION_ROWS = _rows(EMOTION_DEV)


@pytest.mark.parametrize(
    ("kind", "text"),
    [(r["kind"], r["text"]) for r in CRISIS_ROWS if r["label"] == "1"],
    ids=lambda v: v[:12],
)
def test_crisis_is_caught(kind, text):
    signals = find_signals(text)
    assert signals, read(text).dismissed
    for s in signals:  # the words as written, with a reason
        assert text[s.start : s.end] == s.signal and s.why


@pytest.mark.parametrize(
    ("kind", "text"),
    [(r["kind"], r["text"]) for r in CRISIS_ROWS if r["label"] == "0"],
    ids=lambda v: v[:12],
)
def test_no_false_crisis(kind, text):
    assert find_signals(text) == [], kind


def test_dev_set_covers_every_kind_with_enough_texts():
    kinds = {r["kind"].split("-")[0] for r in CRISIS_ROWS}
    assert {"safety", "injury", "violence", "media", "social", "authority", "legal"} <= kinds
    assert sum(r["label"] == "1" for r in CRISIS_ROWS) >= 120
    assert sum(r["label"] == "0" for r in CRISIS_ROWS) >= 120
    assert sum(r["label"] != "calm" for r in EMOTION_ROWS) >= 120
    assert sum(r["label"] == "calm" for r in EMOTION_ROWS) >= 120


@pytest.mark.parametrize(
    ("text", "dismissed_word", "why"),
    [
        ("我绝不会去法院告你们，只想要个解释", "法院", "denied"),
        ("我表哥在电视台上班，今天他来帮我取车", "电视台", "relative"),
        ("我二姨在晚报当编辑，她说这车挺省油", "晚报", "without any step"),
        ("仪表盘一直报警，说是胎压低", "报警", "warning light"),
        ("夏天停在露天会不会自燃？", "自燃", "hypothetical"),
    ],
)
def test_dismissed_words_say_why(text, dismissed_word, why):
    with translation.override("en"):
        reading = read(text)
    assert reading.signals == []
    assert any(d.signal == dismissed_word and why in d.why for d in reading.dismissed), reading.dismissed


def test_analysis_shows_signals_with_kind_and_why_and_what_was_set_aside():
    data = analyse("刹车踩到底没反应，直接撞上了护栏。我不会去找媒体，只要你们负责").as_dict()["crisis"]
    assert data["is_crisis"]
    assert {s["kind"] for s in data["signals"]} == {"safety"}
    assert all(s["why"] and s["kind_label"] for s in data["signals"])
    assert [d["signal"] for d in data["dismissed"]] == ["媒体"]


@pytest.mark.parametrize(
    ("kind", "text", "label"),
    [(r["kind"], r["text"], r["label"]) for r in EMOTION_ROWS],
    ids=lambda v: v[:12],
)
def test_emotion_dev(kind, text, label):
    value = emotion_of(text).value
    if label == "calm":
        assert value == "calm", emotion_of(text).words
    else:
        assert value in ("upset", "angry"), (kind, emotion_of(text).words)


def test_labelled_files_reach_classify_eval(tmp_path, capsys):
    crisis_file = tmp_path / "crisis.tsv"
    crisis_file.write_text("text\tlabel\n车在高速上着火了\t1\n请问保养多少钱\t0\n", encoding="utf-8")
    emotion_file = tmp_path / "emotion.tsv"
    emotion_file.write_text(
        "text\tlabel\n修了三次了还漏油，是不是乱修\tupset\n谢谢师傅\tcalm\n", encoding="utf-8"
    )
    call_command("classify-eval", crisis_file=str(crisis_file), emotion_file=str(emotion_file))
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["crisis"] | {"ms_per_text": 0} == {
        "n": 2,
        "tp": 1,
        "fp": 0,
        "fn": 0,
        "recall": 1.0,
        "precision": 1.0,
        "f1": 1.0,
        "ms_per_text": 0,
    }
    assert last["emotion"]["recall"] == 1.0 and last["emotion"]["precision"] == 1.0


def test_guard_file_reaches_classify_eval(tmp_path, capsys):
    selectors = pytest.importorskip("kesu.language.selectors")
    if not hasattr(selectors, "evaluate_guard"):
        pytest.skip("kesu.language.selectors.evaluate_guard is not there")
    guard_file = tmp_path / "guard.tsv"
    guard_file.write_text("text\tlabel\n您好，我们马上为您查询\t0\n", encoding="utf-8")
    call_command("classify-eval", guard_file=str(guard_file))
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["guard"]["n"] == 1 and last["guard"]["false_alarms"] == 0


def test_a_file_without_the_label_column_is_refused(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("text\tverdict\n起火\t1\n", encoding="utf-8")
    with pytest.raises(evaluation.CsvError, match="label"):
        evaluation.evaluate_crisis(bad)


def test_dev_figures_meet_the_goals_with_margin():
    crisis = evaluation.evaluate_crisis(CRISIS_DEV)
    emotion = evaluation.evaluate_emotion(EMOTION_DEV)
    assert crisis["recall"] >= 0.97 and crisis["precision"] >= 0.9, crisis
    assert emotion["recall"] >= 0.9 and emotion["precision"] >= 0.9, emotion
