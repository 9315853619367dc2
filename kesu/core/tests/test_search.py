"""Chinese-aware search: the bigram tokens, and ``text_search`` on the real database.

The suite runs on SQLite (substring scan) and on PostgreSQL (GIN index on
``to_tsvector('simple', search_tokens)``); every database test here must give the SAME answer as
a plain Python substring scan of the stored texts, whichever backend runs it.
"""

import csv
import random
import re
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kesu import flows
from kesu.complaints import services
from kesu.complaints.models import Complaint
from kesu.complaints.queries import text_search
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.core.search import document_tokens, like_patterns_for, normalize_text, tsquery_for
from kesu.core.validators import with_check_digit
from kesu.demo.builder import DemoOrg

# A small alphabet so that random texts share many substrings (and near misses like 刹…车).
CJK = "刹车异响退换修好了没有发动机变速箱故障灯亮住"
ASCII = "abp17f "
PUNCT = "，。！、 "
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

NO_DB = settings(max_examples=400, deadline=None, database=None)
WITH_DB = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

texts = st.text(alphabet=CJK + ASCII + PUNCT, min_size=1, max_size=40).filter(str.strip)


def backend() -> str:
    return connection.vendor


def found(term: str) -> set[int]:
    return set(text_search(Complaint.objects.all(), term).values_list("pk", flat=True))


def scanned(term: str) -> set[int]:
    """The reference answer: complaints whose stored verbatim or facts contain ``term``."""
    return {
        pk
        for pk, verbatim, facts in Complaint.objects.values_list("pk", "verbatim", "facts")
        if term in verbatim or term in facts
    }


def cjk_substrings(text: str) -> list[str]:
    return [
        run[i:j]
        for run in _CJK_RUN.findall(text)
        for i in range(len(run))
        for j in range(i + 1, len(run) + 1)
    ]


# --- the tokens, without a database -------------------------------------------------------------


def _tsquery_holds(tokens: list[str], tsquery: str) -> bool:
    """What PostgreSQL answers for ``to_tsvector('simple', tokens) @@ to_tsquery(tsquery)`` for the
    shapes ``tsquery_for`` builds: ``&`` of plain lexemes, ``x:*`` prefixes, ``(a <-> b)`` phrases.
    """

    def one(part: str) -> bool:
        part = part.strip().strip("()")
        if part.endswith(":*"):
            return any(token.startswith(part[:-2]) for token in tokens)
        phrase = part.split(" <-> ")
        return any(
            tokens[start : start + len(phrase)] == phrase for start in range(len(tokens) - len(phrase) + 1)
        )

    return all(one(part) for part in tsquery.split(" & "))


def _like_holds(token_string: str, query: str) -> bool:
    return all(pattern in token_string for pattern in like_patterns_for(query))


def test_tokens_are_bigrams_plus_the_last_character_of_each_run() -> None:
    assert document_tokens("刹车失灵") == "刹车 车失 失灵 灵"
    assert document_tokens("刹", "车") == "刹 车"
    assert document_tokens("变速箱报故障码P17F1") == "变速 速箱 箱报 报故 故障 障码 码 p17f1"
    assert document_tokens("ＡＢＣ１２３，刹车") == "abc123 刹车 车"


def test_queries() -> None:
    assert like_patterns_for("刹车失灵") == ["刹车 车失 失灵"]
    assert like_patterns_for("刹") == ["刹"]
    assert like_patterns_for("，。!?") == []
    assert tsquery_for("，。!?") == ""
    tokens = document_tokens("刹住了车").split()
    assert not _tsquery_holds(tokens, tsquery_for("刹车"))
    assert _tsquery_holds(tokens, tsquery_for("刹"))


@NO_DB
@given(st.lists(texts, min_size=1, max_size=2), st.data())
def test_the_index_query_never_loses_a_document_that_contains_the_words(
    docs: list[str], data: st.DataObject
) -> None:
    """The GIN pre-filter (``tsquery_for``) may let extra candidates through, never drop one."""
    tokens = document_tokens(*docs).split()
    candidates = [s for doc in docs for s in cjk_substrings(normalize_text(doc))]
    if not candidates:
        return
    query = data.draw(st.sampled_from(candidates))
    assert _tsquery_holds(tokens, tsquery_for(query)), (docs, query)
    assert _like_holds(" ".join(tokens), query), (docs, query)


@NO_DB
@given(st.lists(texts, min_size=1, max_size=2), st.text(alphabet=CJK, min_size=1, max_size=5))
def test_a_cjk_query_matches_the_tokens_exactly_when_it_is_a_substring(docs: list[str], query: str) -> None:
    token_string = document_tokens(*docs)
    expected = any(query in normalize_text(doc) for doc in docs)
    assert _like_holds(token_string, query) == expected, (docs, query)
    if expected:
        assert _tsquery_holds(token_string.split(), tsquery_for(query))


# --- text_search on the database ----------------------------------------------------------------


@pytest.fixture
def customer(demo: DemoOrg):  # type: ignore[no-untyped-def]
    return make_customer(demo)


def complaint(demo: DemoOrg, customer, verbatim: str, facts: str = "") -> Complaint:  # type: ignore[no-untyped-def]
    return make_complaint(demo, verbatim=verbatim, facts=facts, customer=customer)


@pytest.mark.parametrize("word", ["刹车", "退车", "异响"])
def test_two_character_words_are_found_and_only_where_they_occur(demo: DemoOrg, customer, word: str) -> None:
    hits = [
        complaint(demo, customer, f"客户反映{word}问题，要求处理"),
        complaint(demo, customer, f"{word}"),
        complaint(demo, customer, "车辆已检查", facts=f"技师确认{word}"),
        complaint(demo, customer, f"{word}{word}{word}"),
        complaint(demo, customer, f"abc{word}123"),
    ]
    misses = [
        complaint(demo, customer, f"{word[0]}住了{word[1]}"),  # 刹住了车: both characters, apart
        complaint(demo, customer, f"{word[1]}{word[0]}"),  # reversed
        complaint(demo, customer, f"{word[0]}，{word[1]}"),  # split by punctuation
        complaint(demo, customer, f"{word[0]} {word[1]}"),  # split by a space
        complaint(demo, customer, f"{word[0]}A{word[1]}"),  # split by a letter
        complaint(demo, customer, "发动机故障灯亮"),
    ]
    result = found(word)
    assert {c.pk for c in hits} <= result
    assert not {c.pk for c in misses} & result
    assert result == scanned(word)


def test_shachuzhuleche_does_not_match_shache(demo: DemoOrg, customer) -> None:
    miss = complaint(demo, customer, "刹住了车")
    hit = complaint(demo, customer, "刹车")
    assert found("刹车") == {hit.pk}
    assert found("刹住") == {miss.pk}
    assert found("住了车") == {miss.pk}


def test_single_characters_longer_phrases_and_facts(demo: DemoOrg, customer) -> None:
    a = complaint(demo, customer, "刹车失灵，差点追尾", facts="制动液不足")
    b = complaint(demo, customer, "刹住了车")
    c = complaint(demo, customer, "空调异味")
    assert found("刹") == {a.pk, b.pk}
    assert found("车") == {a.pk, b.pk}
    assert found("尾") == {a.pk}  # the last character of a run
    assert found("刹车失灵") == {a.pk}
    assert found("车失灵") == {a.pk}
    assert found("刹车失灵，差点追尾") == {a.pk}
    assert found("失灵差点") == set()  # the comma separates them in the text
    assert found("制动液") == {a.pk}  # facts are searched too
    assert found("液不足") == {a.pk}
    assert found("灵制") == set()  # verbatim and facts are not one text
    assert found("空调异味") == {c.pk}
    assert found("异味空调") == set()
    assert found("  异味  ") == {c.pk}  # surrounding spaces are ignored


def test_ascii_words_next_to_chinese(demo: DemoOrg, customer) -> None:
    a = complaint(demo, customer, "轩逸变速箱仪表报故障码P17F1")
    complaint(demo, customer, "故障码P0300，发动机抖动")
    assert found("P17F1") == {a.pk}
    assert found("p17f1") == {a.pk}
    assert found("故障码") == scanned("故障码")
    assert len(found("故障码")) == 2


@pytest.mark.parametrize("part", ["p17", "17f1"])
def test_part_of_an_ascii_word_is_treated_alike_on_every_database(demo: DemoOrg, customer, part: str) -> None:
    """``tsquery_for``: "ASCII words must appear as whole tokens" (PostgreSQL); the SQLite branch
    promises to scan "the same normalised tokens, so both databases agree"."""
    complaint(demo, customer, "变速箱报故障码P17F1")
    assert found(part) == set(), backend()


def test_full_width_query_finds_half_width_text(demo: DemoOrg, customer) -> None:
    """A Chinese IME types ＰＭ２.５ / Ｐ１７Ｆ１ in full width; ``normalize_text`` exists so that
    "what users type and what they search agree" — on every database."""
    a = complaint(demo, customer, "变速箱报故障码P17F1")
    assert found("Ｐ１７Ｆ１") == {a.pk}


def test_search_follows_an_edit_of_the_text(demo: DemoOrg, customer) -> None:
    c = complaint(demo, customer, "空调异味")
    flows.update_complaint(
        actor=demo.users["agent1"],
        complaint_id=c.pk,
        expected_version=c.version,
        changes={"verbatim": "刹车异响", "facts": "前轮"},
    )
    assert found("空调") == set()
    assert found("异响") == {c.pk}
    assert found("前轮") == {c.pk}


def test_words_deep_in_the_longest_allowed_texts_are_found(demo: DemoOrg, customer) -> None:
    """verbatim and facts may hold services.MAX_TEXT characters each: far more tokens than a
    tsvector has positions (16,383). Words at the very end of both must still be found, and
    such a complaint must be storable at all (the GIN index computes its tsvector on INSERT)."""
    rng = random.Random(16383)
    wide = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]  # no 刹车异响变速箱漏油 among them

    def filler(n: int) -> str:
        return "".join(rng.choice(wide) for _ in range(n))

    size = services.MAX_TEXT - 10
    at_end = complaint(demo, customer, filler(size) + "最后刹车异响")
    in_facts = complaint(demo, customer, filler(size), facts=filler(size) + "变速箱漏油")
    assert found("刹车异响") == scanned("刹车异响") == {at_end.pk}
    assert found("变速箱漏油") == scanned("变速箱漏油") == {in_facts.pk}
    for text in (at_end.verbatim, in_facts.facts):
        for start in (100, len(text) // 2, len(text) - 30, len(text) - 8):
            query = text[start : start + 6]
            assert found(query) == scanned(query), (backend(), start)


@WITH_DB
@given(st.lists(st.tuples(texts, st.one_of(st.just(""), texts)), min_size=1, max_size=3), st.data())
def test_search_equals_a_substring_scan(
    demo: DemoOrg, customer, docs: list[tuple[str, str]], data: st.DataObject
) -> None:
    for verbatim, facts in docs:
        complaint(demo, customer, verbatim, facts)
    candidates = [s for verbatim, facts in docs for s in cjk_substrings(verbatim + "\n" + facts)]
    queries = data.draw(
        st.lists(
            st.one_of(
                st.sampled_from(candidates) if candidates else st.nothing(),
                st.text(alphabet=CJK, min_size=1, max_size=4),
            ),
            min_size=1,
            max_size=3,
        )
    )
    for query in queries:
        result = found(query)
        expected = scanned(query)
        assert result == expected, (backend(), query, result ^ expected)
    for verbatim, facts in docs:  # every CJK substring of the new texts finds its complaint
        for query in cjk_substrings(verbatim)[:20] + cjk_substrings(facts)[:20]:
            assert found(query) == scanned(query) != set(), (backend(), query)


# --- identifiers typed in the search box --------------------------------------------------------

OTHER_VIN = with_check_digit("LSVAM4187C2184847")


@pytest.fixture
def two_customers(demo: DemoOrg):  # type: ignore[no-untyped-def]
    first = make_customer(demo, mobile="13812341234", plate="粤A12345")
    second = make_customer(demo, mobile="13900001111", plate="粤BD12345", vin=OTHER_VIN)
    mine = make_complaint(demo, customer=first, verbatim="空调异味")
    theirs = make_complaint(demo, customer=second, verbatim="空调异味")
    return mine, theirs


@pytest.mark.parametrize(
    "term",
    [
        "13812341234",
        "138 1234 1234",
        "粤A12345",
        "粤a12345",
        " 粤A12345 ",
        with_check_digit("LGBH52E05KY123450"),
        with_check_digit("LGBH52E05KY123450").lower(),
    ],
)
def test_phone_plate_and_vin_find_the_customers_complaints(two_customers, term: str) -> None:
    mine, theirs = two_customers
    assert found(term) == {mine.pk}


@pytest.mark.parametrize("term", ["粤BD12345", "粤bd12345", "13900001111", OTHER_VIN])
def test_identifiers_of_the_other_customer(two_customers, term: str) -> None:
    mine, theirs = two_customers
    assert found(term) == {theirs.pk}


@pytest.mark.parametrize(
    "term",
    ["138-1234-1234", "+86 138 1234 1234", "粤A·12345"],
)
def test_identifiers_typed_as_the_validators_accept_them(two_customers, term: str) -> None:
    """The phone as printed on a business card, the plate with its dot: the intake form accepts
    these spellings (normalize_mobile / normalize_plate), so the search box should too."""
    mine, theirs = two_customers
    assert found(term) == {mine.pk}


def test_number_is_found_exactly(two_customers) -> None:
    mine, theirs = two_customers
    assert found(mine.number) == {mine.pk}
    assert found(mine.number.lower()) == {mine.pk}
    assert found(f" {mine.number} ") == {mine.pk}
    assert found(theirs.number) == {theirs.pk}


def test_unknown_identifiers_find_nothing(two_customers) -> None:
    assert found("13800000000") == set()
    assert found("京A99999") == set()
    assert found(with_check_digit("LFV2A21K0A3000001")) == set()
    assert found("KS-1999-000001") == set()


def test_blank_query_returns_everything(two_customers) -> None:
    assert found("") == found("   ") == set(Complaint.objects.values_list("pk", flat=True))


# --- real complaint titles ----------------------------------------------------------------------

WORDS = [
    # two characters
    "刹车", "异响", "漏油", "故障", "抖动", "异味", "车机", "维修", "退车", "变速", "发动",
    "机油", "烧机", "油耗", "生锈", "卡顿", "断裂", "熄火", "车窗",
    # four characters
    "虚假宣传", "故障灯亮", "发动机异", "变速箱顿", "质量问题", "刹车异响", "车机死机",
    "烧机油严", "服务态度", "发动机抖", "方向盘异",
    # one and three
    "响", "油", "变速箱", "发动机", "方向盘",
]  # fmt: skip


def _dev_texts(source: Path, limit: int) -> list[str]:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [row["desc"].strip() for row in csv.DictReader(handle)]
    return [text for text in rows if text][:limit]


def test_real_complaint_titles_search_equals_substring_scan(demo: DemoOrg, customer, shared_data) -> None:
    descs = _dev_texts(shared_data("complaints-zh/dev_2020-06.csv"), 300)
    assert len(descs) >= 200
    for desc in descs:
        complaint(demo, customer, desc)
    hits_somewhere = 0
    for word in WORDS:
        expected = scanned(word)
        assert found(word) == expected, (backend(), word, len(found(word)), len(expected))
        hits_somewhere += bool(expected)
    assert hits_somewhere >= 15  # the word list really exercises the data
    rng = random.Random(20200601)
    for desc in rng.sample(descs, 60):
        substrings = [s for s in cjk_substrings(desc) if len(s) <= 6]
        for query in rng.sample(substrings, min(3, len(substrings))):
            assert found(query) == scanned(query), (backend(), query)
