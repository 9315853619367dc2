"""Issue 15: the guard reads phrases as agents really type them, without false alarms.

Every kind of miss and false alarm the issue lists has examples in tests/data/guard_dev.tsv
(written for kesu: new sentences, not the issue's), checked here kind by kind; the whole file is
measured by ``selectors.evaluate_guard`` against the goals with margin. The context rules and
paraphrases are data beside each phrase, so an edit through the API changes what the guard does.
"""

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kesu.language.matcher import (
    CONTEXT_AFTER,
    Matcher,
    PatternError,
    PhraseEntry,
    pattern_problems,
    tolerance_for,
)
from kesu.language.phonetic import fold, key
from kesu.language.seed import SEED_CONTEXT, SEED_PHRASES
from kesu.language.selectors import evaluate_guard, seed_matcher

from .guard_checks import assert_caught, assert_passes

DEV = Path(__file__).parent / "data" / "guard_dev.tsv"
MATCHER = seed_matcher()


def rows() -> list[dict[str, str]]:
    with DEV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = rows()
MISSES = [(r["kind"], r["text"]) for r in ROWS if r["label"] == "1"]
ALARMS = [(r["kind"], r["text"]) for r in ROWS if r["label"] == "0"]
MISS_KINDS = (
    "homophone",
    "near_homophone",
    "traditional",
    "nin",
    "particle",
    "synonym",
    "ending",
    "emoji_space",
)
ALARM_KINDS = ("dont_know_promise", "judgement", "wei_greeting", "prefix_help")


def test_the_dev_set_has_every_kind_the_issue_lists_and_enough_of_each_label():
    assert len(MISSES) >= 150 and len(ALARMS) >= 150
    assert set(MISS_KINDS) <= {kind for kind, _ in MISSES}
    assert set(ALARM_KINDS) <= {kind for kind, _ in ALARMS}
    assert all(sum(1 for k, _ in MISSES if k == kind) >= 10 for kind in MISS_KINDS)
    assert all(sum(1 for k, _ in ALARMS if k == kind) >= 8 for kind in ALARM_KINDS)
    texts = [r["text"] for r in ROWS]
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize(("kind", "text"), MISSES, ids=[f"{k}:{t}" for k, t in MISSES])
def test_a_forbidden_phrase_typed_as_agents_type_it_is_caught(kind, text):
    assert_caught(MATCHER, text, kind)


@pytest.mark.parametrize(("kind", "text"), ALARMS, ids=[f"{k}:{t}" for k, t in ALARMS])
def test_a_polite_reply_passes(kind, text):
    assert_passes(MATCHER, text, kind)


def test_the_dev_set_meets_the_goals_with_margin():
    figures = evaluate_guard(DEV)
    assert figures["n"] == len(ROWS)
    assert figures["recall"] >= 0.97
    assert figures["false_alarm_rate"] <= 0.01
    assert figures["caught"] <= len(MISSES) and figures["false_alarms"] <= len(ALARMS)
    assert set(figures) == {"n", "caught", "recall", "false_alarms", "false_alarm_rate", "median_ms"}


@pytest.mark.parametrize("name", ["guard_check.tsv", "guard_check2.tsv"])
def test_the_check_sets_stay_caught_after_their_kinds_were_fixed(name):
    """Written after the dev set and measured once before any fix (docs/benchmarks.md has both
    runs); kept here so later edits of the seed list do not undo those fixes."""
    figures = evaluate_guard(DEV.parent / name)
    assert figures["recall"] >= 0.97 and figures["false_alarm_rate"] <= 0.01


def test_a_file_without_the_header_or_with_a_bad_label_is_refused(tmp_path):
    headless = tmp_path / "a.tsv"
    headless.write_text("不行\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        evaluate_guard(headless)
    bad = tmp_path / "b.tsv"
    bad.write_text("text\tlabel\n不行\tyes\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        evaluate_guard(bad)


# --- by sound ------------------------------------------------------------------------------------


def test_the_keyboards_fuzzy_pairs_share_a_key_and_unrelated_syllables_do_not():
    assert fold("zhi") == fold("zi") and fold("chui") == fold("cui") and fold("shi") == fold("si")
    assert fold("bang") == fold("ban") and fold("cheng") == fold("chen") and fold("qing") == fold("qin")
    assert fold("nan") == fold("lan")
    assert fold("fa") != fold("hua") and fold("ri") != fold("li")
    assert key("道") == key("到") == key("刀") and key("你") == key("您")
    assert key("不行") == key("步型")  # why two-character phrases must match by character
    assert len(key("说了半天😡你怎么")) == len("说了半天😡你怎么")


def test_short_phrases_match_by_character_only():
    assert tolerance_for(2) == (0, False)
    assert tolerance_for(3) == (1, True)
    for polite in (
        "您的车不幸被追尾，我们全力协助理赔",
        "从店里步行过去五分钟",
        "您的车动不动就熄火，我们一定查清楚",
    ):
        assert MATCHER.check(polite).ok, polite
    assert not MATCHER.check("你懂不动最基本的常识").ok  # three characters: one homophone at the end
    assert not MATCHER.check("我也没半法").ok


def test_a_final_particle_is_required_by_kind_but_one_inside_may_be_left_out():
    assert MATCHER.check("我已经记下来了，马上处理").ok  # 我也急呀 needs its 呀, 记 is not enough
    assert MATCHER.check("就像之前跟您说过的，周五一定有结果").ok  # 说过了 is not 说过的
    assert not MATCHER.check("跟你说过了呀").ok
    assert not MATCHER.check("这不关我事").ok and not MATCHER.check("这不关我的事").ok


# --- polite contexts as data ----------------------------------------------------------------------


def entry(**fields: Any) -> PhraseEntry:
    return PhraseEntry(alternative="我查一下再给您答复", **fields)


def test_a_promise_after_the_phrase_makes_it_polite_unless_it_is_negated_or_put_on_the_customer():
    matcher = Matcher([entry(phrase="不知道", polite_after="我…查")])
    assert matcher.check("这个我不知道，我马上去查").ok
    assert not matcher.check("这个我不知道").ok
    assert not matcher.check("不知道，我也没法查").ok
    assert not matcher.check("不知道，你自己去查").ok
    # A clause later still counts (我还不知道结果，一有消息我第一时间去查); beyond CONTEXT_AFTER not.
    near = "这个我还不知道" + "，" + "配件的事情厂家那边一直没有给消息" + "，我去查"
    assert matcher.check(near).ok
    far = "这个我不知道" + "，" + "配件的事情厂家那边一直没有给消息" * 3 + "，我去查"
    assert len(far) - len("这个我不知道") > CONTEXT_AFTER
    assert not matcher.check(far).ok  # beyond the window


def test_a_judgement_before_the_phrase_counts_only_in_the_same_sentence():
    matcher = Matcher([entry(phrase="不行", polite_before="您觉得")])
    assert matcher.check("您觉得这个方案不行，我们再换一个").ok
    assert not matcher.check("您觉得呢？不行").ok
    assert not matcher.check("这个不行").ok


def test_wei_is_a_greeting_when_followed_by_ninhao_only():
    assert MATCHER.check("喂，您好，这里是骏达4S店").ok
    assert not MATCHER.check("喂，哪位").ok
    assert not MATCHER.check("喂……你好").ok


def test_every_seed_phrase_has_its_context_data_and_it_compiles():
    assert {item["key"] for item in SEED_PHRASES} == set(SEED_CONTEXT)
    for item in SEED_PHRASES:
        problems = pattern_problems(
            phrase=item["phrase"],
            pattern=item["pattern"],
            exceptions=item["exceptions"],
            variants=item["variants"],
            polite_before=item["polite_before"],
            polite_after=item["polite_after"],
        )
        assert problems == {}, item["key"]
        assert all(len(item[name]) <= 1000 for name in ("variants", "polite_before", "polite_after"))


# --- offsets ------------------------------------------------------------------------------------

NOISE = st.sampled_from(["", " ", "😡", "！！", "，", "啊", "了", "\u200b", "👍🏻", "～", "\n"])
PIECES = st.sampled_from(
    [text for _, text in MISSES[:40]] + [text for _, text in ALARMS[:40]] + ["說了半天", "您", "喂", "不行"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(PIECES, NOISE), min_size=1, max_size=6), st.data())
def test_offsets_always_point_at_the_original_text(parts, data):
    text = "".join(piece + noise for piece, noise in parts)
    # noise inside a piece too, at a random place
    at = data.draw(st.integers(min_value=0, max_value=len(text)))
    text = text[:at] + data.draw(NOISE) + text[at:]
    result = MATCHER.check(text)
    for hit in result.hits:
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.matched
        assert hit.matched[0] not in " ，！😡\u200b" and hit.matched[-1] not in " ，！😡\u200b"
    for advisory in result.advisories:
        assert text[advisory.start : advisory.end] == advisory.matched


def test_an_entry_that_does_not_compile_is_skipped_when_a_stored_list_is_loaded():
    good = entry(phrase="不知道")
    bad = entry(phrase="不行", variants="查")  # a single character: saved past validation
    with pytest.raises(PatternError):
        Matcher([good, bad])
    matcher = Matcher([good, bad], skip_invalid=True)
    assert matcher.skipped == [bad]
    assert not matcher.check("不知道").ok and matcher.check("不行").ok
