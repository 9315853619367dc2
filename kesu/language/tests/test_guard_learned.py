"""The guard's learned reading (issue 15): brush-offs no wording lists, caught by their tone and
shown with the seed phrase they sound like; casual, decent staff talk left alone."""

import pytest

from kesu.language.matcher import Matcher, PhraseEntry
from kesu.language.selectors import seed_entries, seed_matcher

from .phrase_cases import POLITE

# New paraphrases, written for this test (no listed wording matches them; the learned reading does).
BRUSH_OFFS = [
    ("跟你说你也不懂", "跟你说你也不懂"),
    ("这个你问我也没用，找厂家去", "这个你问我也没用"),
]
ELSEWHERE = "这个问题你应该问××，我无法回答你"

# Casual staff talk, written for this test: 哥/亲/哈, 你 for 您, bad news given decently.
CASUAL = [
    "好嘞哥，明早九点给你留工位哈",
    "亲，这个件目前缺货，到了第一时间通知你",
    "电池这块我也不太确定，我问下技术总监回你",
    "收到，我这边马上安排师傅过去看看",
    "哥你别急哈，我已经在催仓库了，今天下午给你准信",
    "你的车已经洗好了，随时可以来提哈",
]


@pytest.mark.parametrize(("text", "clause"), BRUSH_OFFS)
def test_a_brush_off_no_wording_lists_is_caught_by_the_learned_reading_with_its_clause(text, clause):
    assert Matcher(seed_entries()).check(text).ok  # the wordings alone miss it
    result = seed_matcher().check(text)
    [hit] = result.hits
    assert hit.reading == "learned"
    assert text[hit.start : hit.end] == hit.matched
    assert hit.matched == clause
    assert hit.suggestion  # the closest seed phrase's polite alternative is offered


@pytest.mark.parametrize("text", CASUAL)
def test_casual_decent_staff_talk_passes_the_learned_reading(text):
    assert seed_matcher().check(text).ok


@pytest.mark.parametrize("text", POLITE)
def test_polite_look_alikes_pass_the_learned_reading_too(text):
    # sentences sharing words with forbidden phrases (做不到, 怎么样, 程序); never fitted on
    assert seed_matcher().check(text).ok


def test_a_clause_holding_an_entrys_exception_is_the_lists_call():
    # 做不到的事 is cannot_do's exception (a promise not to over-promise): the list says these
    # words are polite there, so the model may not flag the clause
    assert seed_matcher().check("我们绝不会承诺做不到的事情").ok


def test_a_wording_found_and_excused_stays_the_matchers_call():
    text = "不知道您方便什么时候过来？我帮您约师傅"
    assert Matcher(seed_entries()).check(text).ok  # 不知道 found, excused by the polite words
    assert seed_matcher().check(text).ok


def test_the_learned_hit_names_the_seed_phrase_it_sounds_like():
    [hit] = seed_matcher().check("这个你问我也没用，找厂家去").hits
    assert hit.phrase == ELSEWHERE


def test_an_organisation_that_drops_a_phrase_is_not_shown_it_by_the_model():
    text = "这个你问我也没用，找厂家去"
    entries = seed_entries()
    assert not Matcher(entries, learned=True).check(text).ok
    kept = [entry for entry in entries if entry.phrase != ELSEWHERE]
    result = Matcher(kept, learned=True).check(text)
    assert all(hit.phrase != ELSEWHERE for hit in result.hits)


def test_a_phrase_of_the_organisations_own_is_matched_by_its_wording_not_the_model():
    entry = PhraseEntry(phrase="包您满意", alternative="我们会尽力让您满意")
    [hit] = Matcher([*seed_entries(), entry], learned=True).check("放心吧，这次修完包您满意").hits
    assert (hit.phrase, hit.reading) == ("包您满意", "wording")


def test_the_api_says_which_reading_found_each_hit(demo, api):
    response = api("agent1").post("/api/v1/language/check", {"text": "跟你说你也不懂"})
    assert response.status_code == 200
    [hit] = response.json()["hits"]
    assert hit["reading"] == "learned"
    response = api("agent1").post("/api/v1/language/check", {"text": "这不可能"})
    assert [h["reading"] for h in response.json()["hits"]] == ["wording"]


def test_the_live_check_says_a_hit_was_read_by_its_tone(demo, client):
    client.force_login(demo.users["agent1"])
    page = client.post("/language/check/", {"text": "这个你问我也没用，找厂家去"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="guard-learned"' in html and "模型按语气判断" in html
    assert "这个你问我也没用" in html  # the clause is marked
