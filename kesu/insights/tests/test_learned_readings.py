"""The learned second readings of crisis and emotion (issue 15), and the fresh check sets.

The fresh sets (``crisis_fresh.tsv``, ``emotion_fresh.tsv``, ``crisis_fresh2.tsv``) were written
for this repository after the rules, in other words than the dev sets, and nothing was tuned on
them: each was read once before a change and once after (docs/benchmarks.md has the figures). The
floors below sit under what was measured, so they guard against a regression, not a goal.
"""

import csv
from pathlib import Path

import pytest
from django.utils import translation

from kesu.core import ngram_model
from kesu.insights import crisis_learned, emotion_learned
from kesu.insights.crisis import find_signals, read, rules_find_crisis
from kesu.insights.emotion import analyse as emotion_of
from kesu.insights.evaluation import emotion_report

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _recall_precision(pairs: list[tuple[bool, bool]]) -> tuple[float, float]:
    tp = sum(p and y for p, y in pairs)
    fp = sum(p and not y for p, y in pairs)
    fn = sum(y and not p for p, y in pairs)
    return tp / (tp + fn), tp / (tp + fp)


@pytest.mark.parametrize(
    ("name", "recall_floor", "precision_floor"),
    [
        ("crisis_fresh.tsv", 0.89, 0.92),
        ("crisis_fresh2.tsv", 0.82, 0.95),
    ],  # measured 0.877/0.909, 0.825/0.971; after the rules by kind from fresh3 0.912/0.945, 0.850/0.971
)
def test_fresh_crisis_sets_keep_their_measured_figures(name, recall_floor, precision_floor):
    rows = _rows(name)
    assert sum(r["label"] == "1" for r in rows) >= 40 and sum(r["label"] == "0" for r in rows) >= 40
    recall, precision = _recall_precision([(bool(find_signals(r["text"])), r["label"] == "1") for r in rows])
    assert recall >= recall_floor and precision >= precision_floor, (recall, precision)


def test_the_learned_reading_adds_recall_on_fresh_text_and_no_false_crisis():
    rows = _rows("crisis_fresh.tsv") + _rows("crisis_fresh2.tsv")
    rules = [(bool(read(r["text"], learned=False).signals), r["label"] == "1") for r in rows]
    both = [(bool(read(r["text"]).signals), r["label"] == "1") for r in rows]
    assert _recall_precision(both)[0] >= _recall_precision(rules)[0] + 0.05
    # no false crisis added; the learned reading's veto may take some away (7 → 5 when written)
    assert sum(p and not y for p, y in both) <= sum(p and not y for p, y in rules)
    assert sum(p and y for p, y in both) >= sum(p and y for p, y in rules)  # nor a crisis lost


def test_fresh_emotion_set_keeps_its_measured_figures():
    rows = _rows("emotion_fresh.tsv")
    assert {r["kind"] for r in rows} == {"hotel", "shopping", "carrier", "car"}
    assert sum(r["label"] != "calm" for r in rows) >= 80 and sum(r["label"] == "calm" for r in rows) >= 80
    pairs = [(emotion_of(r["text"]).value != "calm", r["label"] != "calm") for r in rows]
    recall, precision = _recall_precision(pairs)
    assert recall >= 0.86 and precision >= 0.83, (recall, precision)  # measured 0.893 / 0.862


def test_blind_emotion_set_from_other_trades_keeps_its_measured_figures():
    """emotion_fresh2.tsv, written blind (couriers, airlines, banks, property…): first read 0.883 /
    0.828 with the rules and the old learned lift, 0.833 / 0.833 with the review-trained model."""
    rows = _rows("emotion_fresh2.tsv")
    pairs = [(emotion_of(r["text"]).value != "calm", r["label"] != "calm") for r in rows]
    recall, precision = _recall_precision(pairs)
    assert recall >= 0.80 and precision >= 0.80, (recall, precision)


@pytest.mark.parametrize(
    ("name", "floor"),
    [("emotion_fresh3.tsv", (0.80, 0.84)), ("emotion_fresh4.tsv", (0.80, 0.82))],
)
def test_later_blind_emotion_sets_keep_their_first_readings(name, floor):
    """Written blind after the review-trained model landed and never tuned on: first readings
    0.833 / 0.877 (fresh3) and 0.840 / 0.857 (fresh4)."""
    rows = _rows(name)
    pairs = [(emotion_of(r["text"]).value != "calm", r["label"] != "calm") for r in rows]
    recall, precision = _recall_precision(pairs)
    assert recall >= floor[0] and precision >= floor[1], (recall, precision)


def test_emotion_fresh5_keeps_its_figures():
    """emotion_fresh5, written blind and read once: 0.883 / 0.757. Its calm lines told to keep the
    tone down or closing a matter (不是投诉哈, 问题解决, 是个误会) then led to the settling words,
    and its misses to new accusation, repetition and sarcasm cues (0.917 / 0.846 after). The rest
    of its calm lines state a problem plainly; the real reviews' precision was not traded for them."""
    pairs = [
        (emotion_of(r["text"]).value != "calm", r["label"] != "calm") for r in _rows("emotion_fresh5.tsv")
    ]
    recall, precision = _recall_precision(pairs)
    assert recall >= 0.90 and precision >= 0.83, (recall, precision)


def test_emotion_fresh8_read_blind_and_never_tuned_on_keeps_its_first_reading():
    """emotion_fresh8, written blind during the sixth round and read once with its final code:
    0.900 / 0.857. Never tuned on: the honest figure of the round."""
    pairs = [
        (emotion_of(r["text"]).value != "calm", r["label"] != "calm") for r in _rows("emotion_fresh8.tsv")
    ]
    recall, precision = _recall_precision(pairs)
    assert recall >= 0.88 and precision >= 0.84, (recall, precision)


def test_emotion_fresh11_read_blind_and_never_tuned_on_keeps_its_first_reading():
    """emotion_fresh11 (every topic), written blind in the seventh round, committed unread and read
    once with its final code (1b223ff): 0.867 / 0.912. Never tuned on: the honest figure."""
    pairs = [
        (emotion_of(r["text"]).value != "calm", r["label"] != "calm") for r in _rows("emotion_fresh11.tsv")
    ]
    recall, precision = _recall_precision(pairs)
    assert recall >= 0.84 and precision >= 0.88, (recall, precision)


def test_emotion_fresh10_keeps_its_figures():
    """emotion_fresh10 (after-sales, with calm questions about faults and charges), written blind
    in the seventh round and read once: 0.817 / 0.875; its irony then led to new cues (0.917 /
    0.887 after). Its calm questions about a fault or a charge still read upset."""
    pairs = [
        (emotion_of(r["text"]).value != "calm", r["label"] != "calm") for r in _rows("emotion_fresh10.tsv")
    ]
    recall, precision = _recall_precision(pairs)
    assert recall >= 0.90 and precision >= 0.86, (recall, precision)


def test_emotion_fresh9_keeps_its_figures():
    """emotion_fresh9 (all cars), written blind late in the sixth round and read once: 0.917 /
    0.846; an insult (饭桶) and settling words (就是问问，不是质疑; 先报备一下) then added: 0.933 / 0.875
    (an insult the learned reading reads as calm is still vetoed: "一帮饭桶，洗个车把后视镜弄掉了").
    Its calm questions about a charge or a fault still read upset."""
    pairs = [
        (emotion_of(r["text"]).value != "calm", r["label"] != "calm") for r in _rows("emotion_fresh9.tsv")
    ]
    recall, precision = _recall_precision(pairs)
    assert recall >= 0.90 and precision >= 0.85, (recall, precision)


def test_emotion_fresh7_keeps_its_figures():
    """emotion_fresh7, written blind after fresh6's fixes and read once: 0.833 / 0.847. Its
    accusations, insults and irony then led to new cues (0.917 / 0.873 after). Its calm problem
    reports and questions (定损单上漏了雾灯…, 这个属于正常磨合吗？) still read upset."""
    pairs = [
        (emotion_of(r["text"]).value != "calm", r["label"] != "calm") for r in _rows("emotion_fresh7.tsv")
    ]
    recall, precision = _recall_precision(pairs)
    assert recall >= 0.90 and precision >= 0.85, (recall, precision)


def test_emotion_fresh6_keeps_its_figures():
    """emotion_fresh6, written blind and read once: 0.933 / 0.800. Its calm problem reports with a
    plain request (麻烦派人看一下, 不行的话换个房也可以) then led to the request words, and its
    sarcasm to new cues (0.983 / 0.881 after). Its calm questions about a fault (碎屏险还在有效期内
    吗？) still read upset."""
    pairs = [
        (emotion_of(r["text"]).value != "calm", r["label"] != "calm") for r in _rows("emotion_fresh6.tsv")
    ]
    recall, precision = _recall_precision(pairs)
    assert recall >= 0.95 and precision >= 0.86, (recall, precision)


@pytest.mark.parametrize(
    ("text", "upset"),
    [
        # settling words calm, even beside an accusation (no irony in 问题解决)
        ("上周多收的钱今天退回来了，问题解决，谢谢", False),
        ("我没生气哈，就想问下这个月账单为什么多了十块", False),
        ("原来是系统延迟，客服解释清楚了，是个误会", False),
        # a waiting time in minutes is no zero-star grade
        ("请问订单大概还要多久，说40分钟送到", False),
        # an accusation, a repetition, sarcasm in new words
        ("你们的投诉电话是摆设吗，打了一上午没人接", True),
        ("我已经跟三个客服讲过了，每次都要从头说", True),
        ("等了两个小时才叫到号，效率真高啊", True),
        # emotion_fresh6's kinds in new words: a plain request with a problem told calmly; a
        # fact about the customer; thanks for a harm, a loss called a saving, praise in quotes
        ("卫生间的灯有一盏不亮，麻烦安排人换一下，谢谢", False),
        ("空调出风有点小，不行的话周末我开过去看看", False),
        ("我白天不太方便接电话，有结果发短信就行", False),
        ("快递箱压扁了，感谢你们帮我省了拆箱的力气", True),
        ("菜全凉了，正好，省得我自己放冰箱", True),
        ("这就是你们说的“专业”服务，真是“贴心”", True),
        # emotion_fresh7's kinds in new words: what is plain to see or done behind the customer's
        # back; a harm done "for" the customer; efficiency praised for a late answer; an insult;
        # praise offered
        ("这份报价摆明了是欺负我们不懂行", True),
        ("保险是你们擅自帮我续的，我根本没同意", True),
        ("洗个车还顺便帮我把后视镜刮了，真周到", True),
        ("客服速度真快，三天前的留言今天才有人回", True),
        ("前台那个小伙子什么玩意，叫了三遍都不理", True),
        ("想表扬一下喷漆的李师傅，之前别家都没弄好", False),
        ("保养账单上多了一项检测费，就是问问，不是质疑", False),
        # emotion_fresh10's kinds in new words: a promise in scare quotes remarked on, thanks that
        # teach a lesson, the irrelevant praised, it got worse with each visit, one word of praise
        # after a failure, a word said twice, "dream on"
        ("说好的“当天取车”，我今天算是深刻体会到它的意思了", True),
        ("这个“包修”挺有意思的，修一次收一次钱", True),
        ("收了两百块检测费，什么也没查出来，学到了", True),
        ("送去修异响，异响还在，内饰倒是挺干净", True),
        ("方向盘越调越偏，专业。", True),
        ("交车时说全车检查过了，结果玻璃水是空的。贴心啊，贴心", True),
        ("还想让我出钱换发动机？做梦去吧", True),
    ],
)
def test_emotion_of_new_kinds(text, upset):
    assert (emotion_of(text).value != "calm") is upset, emotion_of(text)


def test_a_crisis_in_words_no_rule_knows_is_shown_with_its_clause_and_why():
    text = "我已经在你们展厅里躺了一下午，今天不给退车我就睡这儿了"
    assert read(text, learned=False).signals == []
    with translation.override("en"):
        (signal,) = read(text).signals
        assert signal.kind == "learned" and signal.kind_label == "Worded like a crisis (learned)"
    assert text[signal.start : signal.end] == signal.signal == "我已经在你们展厅里躺了一下午"
    assert "no rule names it" in signal.why and "model" in signal.why


@pytest.mark.parametrize(
    "text",
    [
        "我绝不会去法院告你们，只想要个解释",  # the rules dismissed 法院: the model may not bring it back
        "夏天停在露天会不会自燃？",
        "仪表盘一直报警，说是胎压低",
    ],
)
def test_a_dismissed_trigger_vetoes_the_learned_reading(text):
    reading = read(text)
    assert reading.signals == [] and reading.dismissed


def test_everyday_requests_stay_calm_and_no_crisis():
    for text in ("想预约周六上午做个小保养，有位置吗", "请问酒店有没有接机服务", "方向盘的音量键怎么用"):
        assert find_signals(text) == []
        assert emotion_of(text).value == "calm"


@pytest.mark.parametrize(
    "text",
    [
        "耳机音质很好，降噪也够用，就是盒子有点大",  # praise with one small flaw
        "第三次来这家民宿了，老板人很好，每次都给我们留靠湖的房间",  # a repeat visit, happily
        "入住手续办得很快，房间朝南，阳光很好……",  # an ellipsis is no sigh here
        "您好，包裹已放在前台，麻烦签收后回复一下",  # a status message
    ],
)
def test_praise_and_plain_messages_from_other_trades_read_calm(text):
    assert emotion_of(text).value == "calm"


@pytest.mark.parametrize(
    "text",
    [
        "买的净水器装上第二周就漏水，地板泡了一片，售后说要排队等师傅",
        "这本书印刷模糊，好几页还是重复装订的，送礼都拿不出手",
        "健身房卡办了才一个月就关门了，前台电话打不通，人去楼空",
    ],
)
def test_displeasure_told_in_another_trades_words_reads_upset(text):
    assert emotion_of(text).value != "calm"


def test_the_learned_readings_score_as_sklearn_does():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = crisis_learned.training_rows(by_rules=rules_find_crisis)
    texts = [ngram_model.normalise(t) for t, _ in rows]
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=crisis_learned.NGRAMS, sublinear_tf=True, lowercase=False
    )
    matrix = vectorizer.fit_transform(texts)
    classifier = LogisticRegression(
        C=crisis_learned.C, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=0
    ).fit(matrix, [y for _, y in rows])
    expected = classifier.predict_proba(vectorizer.transform(texts[:200]))[:, 1]
    for text, want in zip(texts[:200], expected, strict=True):
        assert crisis_learned.opinion(text, by_rules=rules_find_crisis).probability == pytest.approx(
            want, abs=1e-9
        )


def test_crisis_threshold_meets_the_cross_validated_precision_goal():
    rows = crisis_learned.training_rows(by_rules=rules_find_crisis)
    vetoed = [bool(read(t, learned=False).dismissed) for t, _ in rows]
    lowest, table = crisis_learned.cross_validated_threshold(by_rules=rules_find_crisis, vetoed=vetoed)
    assert lowest <= crisis_learned.THRESHOLD
    recall, precision = table[max(t for t in table if t <= crisis_learned.THRESHOLD)]
    assert precision >= crisis_learned.PRECISION_GOAL and recall >= 0.5, table


def test_emotion_on_real_reviews_it_never_trained_on_meets_the_issue_15_goal():
    """The fifth of the package's real reviews kept out of training (hotels, laptops, books): upset or
    angry found in the negative ones (issue 15's goal on another domain: ≥ 0.80 / ≥ 0.85; measured
    0.819 / 0.870). The rules alone read about a third of the positive reviews as upset (recall
    0.73, precision 0.68)."""
    rows = emotion_learned.review_rows(held_out=True)
    assert len(rows) > 7000
    report = emotion_report([(text, bool(negative)) for text, negative in rows])
    recall, precision = report["recall"], report["precision"]
    assert recall >= 0.80 and precision >= 0.85, (recall, precision)


def test_no_review_is_both_trained_on_and_held_out():
    trained = {text for text, _ in emotion_learned.review_rows(held_out=False)}
    held = {text for text, _ in emotion_learned.review_rows(held_out=True)}
    assert len(trained) > 13000 and len(held) > 3000  # texts; the package repeats many reviews
    assert not held & trained


def test_crisis_reading_rarely_fires_on_real_car_forum_posts(shared_data):
    """Real posts from a car forum (../shared/data; nearly none a crisis), each read once: the
    learned reading may add at most FORUM_RATE of them to what the rules raise, and the whole
    reading (rules, learned additions and veto) raised 35 before the fifth round, 30 after it, and
    34 after the sixth (the model trained on the guard's lines fires on 11, the rules on 23) — a
    change that raises more is a change towards false escalations."""
    with open(shared_data("complaints-zh/ccf_car_forum_dev.csv"), encoding="utf-8-sig", newline="") as handle:
        posts = [row["content"] for row in csv.DictReader(handle)]
    assert len(posts) > 7000
    readings = [find_signals(p) for p in posts]
    learned = sum(any(s.kind == "learned" for s in signals) for signals in readings)
    assert learned <= crisis_learned.FORUM_RATE * len(posts), learned
    assert sum(bool(signals) for signals in readings) <= 35


def test_a_fitted_model_is_read_back_from_its_cache_file(tmp_path):
    """The second process reads what the first fitted (the emotion model takes seconds to fit);
    a damaged file is fitted anew, not trusted."""
    texts, labels = ["刹车失灵撞车了", "车子开着很好", "发动机冒烟着火", "保养很顺利"], [1, 0, 1, 0]
    path = tmp_path / "models" / "m.json"
    fitted = ngram_model.cached_fit(path, lambda: ngram_model.fit(texts, labels, ngrams=(1, 2), c=1.0))
    assert path.exists()

    def must_not_fit() -> ngram_model.Model:
        raise AssertionError("fitted again although the cache held the model")

    assert ngram_model.cached_fit(path, must_not_fit) == fitted
    path.write_text("{not json", encoding="utf-8")
    again = ngram_model.cached_fit(path, lambda: ngram_model.fit(texts, labels, ngrams=(1, 2), c=1.0))
    assert again == fitted and ngram_model.cached_fit(path, must_not_fit) == fitted


def test_the_learned_reading_overrules_a_trigger_in_a_long_ordinary_text_and_says_why():
    """A trigger word in a long text that reads nothing like a crisis is set aside, with why; a
    short text is never overruled, and a real crisis told at length keeps its signals."""
    ordinary = "我腿骨折了，想问能不能上门取送车，顺便问下保养多少钱"
    reading = read(ordinary)
    assert reading.signals == [] and read(ordinary, learned=False).signals
    assert {d.why for d in reading.dismissed} == {"全文读来是普通投诉，不像危机（学习模型判断）"}
    assert read("报警了，有人砸车").signals  # too short to overrule
    crisis = "保养完第二天在高架上发动机舱冒烟，差点烧起来，我带着孩子站在护栏外面等消防"
    assert read(crisis).signals
