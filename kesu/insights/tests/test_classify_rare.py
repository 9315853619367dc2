"""The rare 车质网 categories the monthly review counts (issue 15): found by the lexicon on a
fresh installation, kept by a model trained on the 车质网 export, and the pieces that make them
so — per-class thresholds, the model's share against the rule, lexicon words as features.

Every text here was written for these tests (none is from the export, which is read from
../shared/data and skipped without it).
"""

import pickle
from collections.abc import Sequence

import numpy as np
import pytest

from kesu.insights import evaluation, learn, rules
from kesu.insights.choices import CHEZHI_CATEGORIES

# Complaint titles as customers write them on 车质网, by the rare category they must get.
RARE: dict[str, list[str]] = {
    "服务收费": [
        "长安CS75保养时4S店额外收取洗车费和检测费",
        "广汽传祺GS4经销商收取上牌服务费价格不透明",
        "奇瑞瑞虎7订金交了不退还 销售说要扣手续费",
    ],
    "承诺不兑现": [
        "哈弗H6购车时承诺的免费保养一直没兑现",
        "比亚迪宋新车超过合同约定日期三个月仍不交车",
        "大众朗逸三包期内变速箱故障经销商拒不履行三包",
    ],
    "服务流程不完善": [
        "本田思域保养时未经同意更换了刹车油",
        "丰田卡罗拉维修后4S店不给维修工单",
        "小鹏P7附近没有充电桩 售后网点太少",
    ],
    "其他": [
        "日产轩逸同款车普遍存在异响 疑似设计缺陷",
        "大众速腾后悬挂断裂厂家不召回",
        "别克英朗新款疑似减配 取消了后排出风口",
    ],
    "配件争议": ["雪佛兰科鲁兹更换的大灯不是原厂件", "标致408等配件两个月还没到货"],
    "人员技术": ["荣威i5做完四轮定位后方向盘跑偏 师傅技术不过关", "现代伊兰特变速箱多次维修还是修不好"],
    "服务态度": ["福特福克斯车门异响4S店和厂家互相推诿", "起亚K3发动机故障厂家不回复也不处理"],
}


def rare_rows() -> list[evaluation.Row]:
    return [
        evaluation.Row(text=text, chezhi={category}, brand="", car_model="", day=None)
        for category, texts in RARE.items()
        for text in texts
    ]


def missed(rows: list[evaluation.Row], predicted: list[set[str]]) -> list[tuple[str, str, set[str]]]:
    pairs = zip(rows, predicted, strict=True)
    return [(r.text, next(iter(r.chezhi)), p) for r, p in pairs if not r.chezhi <= p]


def test_a_fresh_installation_finds_the_rare_categories_by_their_words():
    rows = rare_rows()
    chezhi, _seed = evaluation.predict_rules(rows)
    assert missed(rows, chezhi) == []


def test_each_service_aspect_is_a_rule_feature_of_its_own():
    scores = rules.score("厂家互相推诿，承诺的保养不兑现，未经同意维修，疑似设计缺陷")
    assert set(scores.aspect) == {"attitude", "promise", "process", "defect"}
    assert "互相推诿" in scores.words[("aspect", "attitude")]
    vector = scores.vector()
    assert len(vector) == rules.FEATURE_COUNT
    assert all(v > 0.5 for v in vector[-len(rules.ASPECTS) :])
    # the three service aspects also count for the seed category "reception"; a design defect not
    assert scores.category["reception"] > 0
    assert "疑似设计缺陷" not in scores.words.get(("category", "reception"), [])


def test_a_model_trained_on_the_export_keeps_the_rare_categories(shared_data):
    rows = evaluation.read_rows(shared_data("complaints-zh/dev_2020-06.csv"))
    model = evaluation.train_model(rows)
    probe = rare_rows()
    chezhi, _seed = evaluation.predict(model, probe)
    assert missed(probe, chezhi) == []


# --- the pieces -------------------------------------------------------------------------------


def chezhi_examples() -> tuple[list[str], list[set[str]]]:
    texts, labels = [], []
    frequent = {
        "变速器": ["变速箱顿挫严重", "变速箱换挡冲击", "变速箱异响", "挂挡不顺变速箱故障"],
        "车身附件及电器": ["车机黑屏死机", "天窗漏水", "大灯进水起雾", "中控台异响"],
    }
    for n in range(6):
        for category, texts_of in {**frequent, **RARE}.items():
            for text in texts_of:
                texts.append(f"{text}{'，' * (n % 2)}第{n}次")
                labels.append({category})
    return texts, labels


def train_chezhi(texts: list[str], labels: list[set[str]]) -> learn.TextModel:
    return learn.train(
        texts, labels={"chezhi17": labels}, classes={"chezhi17": CHEZHI_CATEGORIES}, version="t"
    )


def test_thresholds_and_shares_are_chosen_per_class_and_kept_with_the_model():
    texts, labels = chezhi_examples()
    model = train_chezhi(texts, labels)
    head = model.heads["chezhi17"]
    assert head.thresholds.shape == head.shares.shape == (len(CHEZHI_CATEGORIES),)
    low, high = learn.THRESHOLD_GRID[0], learn.THRESHOLD_GRID[-1]
    assert ((head.thresholds >= low) & (head.thresholds <= high)).all()
    assert ((head.shares >= 0) & (head.shares <= 1)).all()
    # a class the data lacks keeps the defaults
    absent = CHEZHI_CATEGORIES.index("离合器")
    assert head.thresholds[absent] == learn.THRESHOLD
    copy = pickle.loads(pickle.dumps(model))
    assert np.array_equal(copy.heads["chezhi17"].thresholds, head.thresholds)
    probe = ["变速箱顿挫", "4S店收取检测费"]
    assert np.allclose(copy.predict(probe)["chezhi17"], model.predict(probe)["chezhi17"])


def test_few_examples_of_a_class_lean_on_its_rule():
    shares = learn.class_shares(["a", "b", "c"], {"a": 5, "b": 500, "c": 0}, examples=2000)
    assert shares[0] == pytest.approx(5 / (5 + learn.CLASS_RULES_PRIOR))
    assert shares[1] == pytest.approx(2000 / (2000 + learn.RULES_PRIOR))  # capped at the head's share
    assert shares[2] == 0.0


def test_a_class_threshold_lands_on_the_common_threshold_and_keeps_the_order():
    head = learn.Head(name="h", classes=["a", "b"], trained=np.ones(2, dtype=bool))
    head.thresholds = np.asarray([0.2, 0.8], dtype=np.float32)
    probs = np.asarray([[0.0, 0.0], [0.2, 0.8], [0.1, 0.9], [1.0, 1.0], [0.3, 0.79]])
    out = learn.rescale(probs, head)
    assert np.allclose(out[0], 0) and np.allclose(out[1], learn.THRESHOLD) and np.allclose(out[3], 1)
    assert out[2, 0] < learn.THRESHOLD < out[2, 1]
    assert out[4, 0] > learn.THRESHOLD > out[4, 1]
    for j in range(2):
        assert list(np.argsort(out[:, j], kind="stable")) == list(np.argsort(probs[:, j], kind="stable"))


def test_the_threshold_with_the_best_held_out_f1_is_chosen_and_pulled_to_the_default_on_few_positives():
    model = np.asarray([0.9, 0.35, 0.3, 0.32, 0.1, 0.05] * 10)
    gold = np.asarray([True, True, True, True, False, False] * 10)
    share, threshold = learn.choose_decision(model, model, gold, default_share=1.0, has_rule=False)
    assert share == 1.0 and threshold < learn.THRESHOLD  # 0.3 separates them; 0.5 misses three in four
    few = gold.copy()
    few[4:] = False
    few[:4] = [True, False, False, False]  # one positive: luck, keep the default
    chosen = learn.choose_decision(model, model, few, default_share=1.0, has_rule=False)
    assert chosen == (1.0, learn.THRESHOLD)


def test_lexicon_words_are_features_of_their_own():
    texts, labels = chezhi_examples()
    model = train_chezhi(texts, labels)
    assert {"互相推诿", "厂家不召回", "未经同意"} <= set(model.terms)
    found = learn.term_matrix(["互相推诿，厂家不召回", "天气很好"], model.terms)
    assert found[0].nnz == 2 and found[1].nnz == 0


def test_a_model_trained_before_the_aspects_keeps_serving_until_retrained():
    """A model saved before the four aspect dimensions existed has no weights for them: it
    reads the rule dimensions it knew and predicts as it did, without its lexicon words."""
    from .test_learn import texts_and_labels

    texts, labels = texts_and_labels()
    heads: dict[str, Sequence[str]] = {"category": rules.CATEGORIES}
    model = learn.train(texts, labels={"category": labels}, classes=heads, tune=False)
    n_aspects = len(rules.ASPECTS)
    model.weights[-n_aspects:] = 0.0  # what it learned without the aspects
    old = pickle.loads(pickle.dumps(model))
    old.weights = np.ascontiguousarray(model.weights[:-n_aspects])
    old.rule_features = rules.FEATURE_COUNT - n_aspects
    assert old.compatible
    probe = ["变速箱顿挫得厉害", "销售骗我买了库存车", "厂家互相推诿"]
    assert np.allclose(old.predict(probe)["category"], model.predict(probe)["category"])
    old.rule_features = rules.FEATURE_COUNT + 1  # a lexicon newer than this code: refused
    assert not old.compatible
