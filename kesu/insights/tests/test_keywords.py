"""A quality signal's shared keywords are whole words (jieba with the lexicon's terms), never a
character pair straddling two words."""

from kesu.insights.keywords import shared_words, words

TEXTS = [
    "车辆在高速上突然熄火，重新启动不了，拖车到店",
    "昨天在高速上行驶时突然熄火，仪表盘故障灯全亮",
    "开了不到一千公里，等红灯时突然熄火，发动机故障灯亮",
]


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def test_shared_keywords_are_whole_words_and_no_cross_word_bigram():
    found = shared_words(TEXTS)
    assert "突然" in found and "熄火" in found and "高速上" in found  # jieba's word, as a reader reads it
    for straddling in ("然熄", "上突", "速上", "时突"):
        assert straddling not in found
    every_word = set().union(*(words(t) for t in TEXTS))
    assert set(found) <= every_word  # each keyword is a word jieba cut from a text
    for word in found:
        assert len(word) >= 2 and all(word in t for t in TEXTS if word in t)


def test_the_lexicons_workshop_terms_come_out_whole():
    cut = words("刹车片磨损严重，变速箱顿挫，方向盘抖动")
    assert {"刹车片", "变速箱", "顿挫"} <= cut
    assert not (_bigrams("刹车片磨损") - {"刹车", "磨损"}) & cut


def test_words_said_in_every_complaint_are_not_keywords():
    found = shared_words(["我们要求解决问题，刹车异响", "客户要求处理问题，刹车异响"])
    assert found == ["刹车异响"]  # the lexicon's term; not 要求, 问题, 我们


def test_on_real_complaints_every_keyword_is_a_whole_word_in_the_texts_it_comes_from(shared_data):
    """12365auto complaint titles (the shared data set), grouped as a quality signal groups them:
    one model, one fault area. Each keyword is a token jieba cut from at least two of the texts
    (a word there, not a pair of characters across two words), and the model's name is not cut
    into keywords (阿特兹 → 阿特)."""
    import csv
    from collections import defaultdict

    from kesu.insights.keywords import tokenizer
    from kesu.insights.recurrence import _shared_terms

    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    with open(shared_data("complaints-zh/dev_2020-06.csv"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["desc"].strip():
                groups[(row["car_model"], row["primary_category"])].append(row["desc"].strip())
    biggest = sorted(groups.items(), key=lambda item: -len(item[1]))[:6]
    assert len(biggest[0][1]) >= 5
    checked = 0
    for (model, _category), texts in biggest:
        found = _shared_terms(texts, limit=10, model_name=model)
        cuts = [set(tokenizer().lcut(t, HMM=False)) for t in texts]
        for word in found:
            assert sum(word in cut for cut in cuts) >= 2, (model, word)
            assert word not in model and model not in word, (model, word)
            checked += 1
        every_bigram = {t[i : i + 2] for t in texts for i in range(len(t) - 1)}
        straddling = every_bigram - set().union(*cuts)
        assert not straddling & set(found), (model, straddling & set(found))
    assert checked >= 6
