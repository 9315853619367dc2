"""The matcher on its own: the seed list against sentences written for kesu, offsets into the
original text, normalisation, the pattern language and hostile input."""

import random

import pytest
from opencc import OpenCC

from kesu.core.normalize import normalize
from kesu.language.matcher import (
    MAX_CHECK_CHARS,
    MAX_HITS,
    Matcher,
    PatternError,
    PhraseEntry,
    _explains,
    _PoliteSpans,
    compile_pattern,
    pattern_problems,
)
from kesu.language.seed import SEED_PHRASES, SEED_REPLIES
from kesu.language.services.guard import default_matcher

from .phrase_cases import FORBIDDEN, POLITE

KEYS = {item["key"] for item in SEED_PHRASES}


def seed_matcher() -> Matcher:
    return Matcher(
        [
            PhraseEntry(
                phrase=item["phrase"],
                alternative=item["alternative"],
                situation=item["key"],  # the key, so a test can tell which entry fired
                pattern=item["pattern"],
                exceptions=item["exceptions"],
                variants=item["variants"],
                polite_before=item["polite_before"],
                polite_after=item["polite_after"],
            )
            for item in SEED_PHRASES
        ]
    )


MATCHER = seed_matcher()


def test_there_are_enough_cases_and_they_name_real_entries():
    assert len(FORBIDDEN) >= 100 and len(POLITE) >= 100
    assert len(set(FORBIDDEN)) == len(FORBIDDEN) and len(set(POLITE)) == len(POLITE)
    assert {key for _, key in FORBIDDEN} <= KEYS
    assert {key for _, key in FORBIDDEN} == KEYS  # every seed entry is exercised


@pytest.mark.parametrize(("text", "key"), FORBIDDEN, ids=[t for t, _ in FORBIDDEN])
def test_forbidden_variant_is_caught(text, key):
    result = MATCHER.check(text)
    assert not result.ok
    assert key in {hit.situation for hit in result.hits}, [(h.situation, h.matched) for h in result.hits]
    for hit in result.hits:  # offsets point into the original text
        assert text[hit.start : hit.end] == hit.matched
        assert hit.matched.strip() and hit.suggestion


@pytest.mark.parametrize("text", POLITE)
def test_polite_look_alike_passes(text):
    result = MATCHER.check(text)
    assert result.ok, [(h.situation, h.matched) for h in result.hits]


def test_seed_alternatives_and_standard_replies_pass_their_own_guard():
    for item in SEED_PHRASES:
        assert MATCHER.check(item["alternative"]).ok, item["alternative"]
    for reply in SEED_REPLIES:
        assert MATCHER.check(reply["text"]).ok, reply["key"]


def test_offsets_survive_spaces_full_width_traditional_and_emoji():
    text = "😀张先生，這個　我 真的做不到！另外，不　行。"
    result = MATCHER.check(text)
    spans = [(h.situation, text[h.start : h.end]) for h in result.hits]
    assert ("cannot_do", "這個　我 真的做不到") in spans
    assert ("no_way", "不　行") in spans


def test_hit_carries_phrase_and_suggestion():
    hit = default_matcher().check("这我做不到").hits[0]
    assert (hit.phrase, hit.suggestion, hit.start, hit.end) == ("这我做不到", "我一定尽力", 0, 5)


def test_buxing_only_as_a_refusal():
    assert MATCHER.check("不行").hits
    assert MATCHER.check("车辆不行驶时").ok
    assert MATCHER.check("您看行不行").ok
    hits = MATCHER.check("不行不行").hits  # the exception 行不行 explains only the second one
    assert [(h.start, h.end) for h in hits] == [(0, 2)]


def test_nin_advisory_is_separate_and_does_not_block():
    result = MATCHER.check("你好，请问你找谁？你们的车已经修好了")
    assert result.ok
    kinds = [(a.kind, a.matched, a.suggestion) for a in result.advisories]
    assert ("nin", "你", "您") in kinds
    assert ("who", "你找谁", "请问您找哪位？") in kinds
    assert all(a.matched != "你们"[0] or a.start != 9 for a in result.advisories)  # 你们 is plural
    assert MATCHER.check("您好，请问您找哪位？").advisories == []


def test_normal_form_keeps_length_and_folds_what_it_should():
    for text in ("這個ＯＫ！", "妳 好\u200b…", "\ud800\x00abc", "İ", "㈠①"):
        assert len(normalize(text)) == len(text)
    assert normalize("這個ＯＫ！") == "这个ok."
    assert normalize("不\u200b行") == "不,行"


def test_opencc_character_map_agrees_with_opencc():
    converter = OpenCC("t2s")
    for text in (
        "說了半天你怎麼還不明白",
        "我們的程序就是這樣，只有等",
        "聽不清，大聲點",
        "這個問題你應該問銷售部",
    ):
        assert normalize(text).replace(",", "，") == converter.convert(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x00\x01\x02\ufffd\ud800",
        "😡" * 5000,
        bytes(range(256)).decode("latin-1") * 50,
        "不行" * 200_000,  # far beyond the cap
        "a" * 1_000_000,
        "عربي русский 日本語のテキスト 한국어 不知道",
    ],
    ids=["empty", "blank", "controls", "emoji", "binary", "dense-1MB", "latin-1MB", "mixed"],
)
def test_hostile_input_never_crashes_and_is_bounded(text):
    # Bounded: only the first MAX_CHECK_CHARS are read (the time it takes is in bench/, not here).
    result = MATCHER.check(text)
    assert result.checked_chars == min(len(text), MAX_CHECK_CHARS)
    assert result.truncated == (len(text) > MAX_CHECK_CHARS)
    assert len(result.hits) <= 200


def test_dense_text_gives_the_capped_hit_list():
    # 不行不行…: 行不行 explains every second 不行, so the hits are 0:2, 4:6, 8:10 … up to the cap.
    expected = [("no_way", 4 * k, 4 * k + 2) for k in range(MAX_HITS)]
    for text in ("不行" * 10_000, "不行" * 200_000):
        result = MATCHER.check(text)
        assert [(h.situation, h.start, h.end) for h in result.hits] == expected
        assert all(h.matched == "不行" for h in result.hits) and result.advisories == []


def test_dense_exceptions_do_not_hide_a_late_hit():
    # Thousands of explained matches come first; they are not hits and do not use up the cap.
    assert MATCHER.check("行不行" * 6000).ok
    text = "行不行" * 6000 + "，这个不行"
    assert [(h.situation, h.start, h.end) for h in MATCHER.check(text).hits] == [("no_way", 18003, 18005)]
    # 不行驶 × 7000 is cut at MAX_CHECK_CHARS right after a 不行 that has no 驶 any more.
    result = MATCHER.check("不行驶" * 7000)
    assert result.truncated and [(h.start, h.end) for h in result.hits] == [(19998, 20000)]


def test_polite_spans_agree_with_scanning_every_exception():
    regex, _ = compile_pattern("行不行|不行驶|实在不行|如果…不行|不…行", strict=True)
    rng = random.Random(4)
    for _ in range(300):
        normal = normalize("".join(rng.choice("不行驶实在如果您，。") for _ in range(rng.randint(0, 60))))
        spans = [m.span() for m in regex.finditer(normal)]
        polite = _PoliteSpans(regex, normal)
        for start in range(len(normal)):
            for end in range(start + 1, min(len(normal), start + 8) + 1):
                expected = any(_explains(s, e, start, end) for s, e in spans)
                assert polite.explain(start, end) == expected, (normal, start, end)


def test_pattern_language():
    regex, starts = compile_pattern("这…我…做不到|^喂")
    assert regex.search(normalize("这个我真的做不到")) and regex.search(normalize("喂，你好"))
    assert not regex.search(normalize("这个问题，我们今天下午三点之前一定做不到位"))
    assert starts == {"这", "喂"}
    with pytest.raises(PatternError) as error:
        compile_pattern("不")
    assert error.value.code == "single_character"
    with pytest.raises(PatternError):
        compile_pattern(" ，。 | … ")
    assert set(pattern_problems(phrase="喂", pattern="", exceptions="")) == {"phrase"}
    assert set(pattern_problems(phrase="不行", pattern="", exceptions="驶")) == {"exceptions"}
    assert pattern_problems(phrase="不行", pattern="", exceptions="不行驶") == {}


def test_gap_is_bounded():
    regex, _ = compile_pattern("这…做不到")
    assert regex.search(normalize("这件事情真的做不到"))  # four characters between
    assert not regex.search(normalize("这边我们已经安排好了做不到"))  # too far apart
    assert not regex.search(normalize("这个。我做不到"[:3] + "。" + "做不到"))  # no gap over 。


def test_nin_matches_you_but_nin_only_matches_nin():
    you, _ = compile_pattern("你别催我")
    assert you.search(normalize("您别催我")) and you.search(normalize("妳別催我"))
    polite, _ = compile_pattern("不知道您", strict=True)
    assert polite.search(normalize("不知道您是否方便"))
    assert not polite.search(normalize("不知道你在说什么"))
