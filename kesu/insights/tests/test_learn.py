"""The statistical model's parts: n-gram features, the code table, training, the batch analysis.

Every text here was written for these tests (phrases combined by rule); no corpus is read.
"""

import itertools
import pickle
import unicodedata

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from kesu.insights import learn, rules
from kesu.insights.analysis import analyse, analyse_many
from kesu.insights.choices import CHEZHI_CATEGORIES
from kesu.insights.text import fold

PARTS = {
    "product": ["发动机怠速抖动", "变速箱换挡顿挫", "刹车异响", "天窗漏水", "中控屏黑屏", "空调不制冷"],
    "reception": ["服务顾问态度差", "电话没人接", "等了半天没人管", "前台爱理不理"],
    "repair_cost": ["保养收费太贵", "多收了工时费", "结账对不上"],
    "purchase": ["销售承诺没兑现", "合同里加了金融服务费", "提车发现是库存车"],
}
ENDINGS = ["", "，希望尽快处理", "，已经第三次了！", "，要求厂家给说法", "  真的很气愤"]


def texts_and_labels() -> tuple[list[str], list[set[str]]]:
    texts, labels = [], []
    for (category, phrases), ending in itertools.product(PARTS.items(), ENDINGS):
        for phrase in phrases:
            texts.append(f"我的车{phrase}{ending}")
            labels.append({category})
    return texts, labels


def sklearn_columns(vectorizer: TfidfVectorizer) -> np.ndarray:
    """sklearn's columns in the order of learn's n-gram codes."""

    def code(gram: str) -> int:
        chars = [ord(c) for c in gram] + [0x1FFFFF] * (3 - len(gram))
        return (chars[0] << 42) | (chars[1] << 21) | chars[2]

    return np.asarray([vectorizer.vocabulary_[g] for g in sorted(vectorizer.vocabulary_, key=code)])


# --- n-grams -----------------------------------------------------------------------------------


def test_char_ngrams_are_sklearns_tfidf_features():
    texts, _ = texts_and_labels()
    texts = [t.lower() for t in texts] + ["", "a", "ab  c\t\td"]
    reference = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, dtype=np.float32, lowercase=False
    )
    expected = reference.fit_transform(texts)[:, sklearn_columns(reference)]
    ngrams = learn.CharNgrams()
    got = ngrams.fit_transform(texts)
    assert got.shape == expected.shape
    assert abs(got - expected).max() < 1e-6
    unseen = ["我的车发动机漏油", "完全没见过的字句", ""]
    expected_new = reference.transform(unseen)[:, sklearn_columns(reference)]
    assert abs(ngrams.transform(unseen) - expected_new).max() < 1e-6
    assert ngrams.transform([]).shape == (0, ngrams.n_features)


def test_char_ngrams_in_slices_count_the_same(monkeypatch):
    texts, _ = texts_and_labels()
    whole = learn.CharNgrams()
    expected = whole.fit_transform(texts)
    monkeypatch.setattr(learn, "_CHUNK_CHARS", 50)  # a few texts per slice
    sliced = learn.CharNgrams()
    got = sliced.fit_transform(texts)
    assert np.array_equal(sliced.vocabulary, whole.vocabulary)
    assert abs(got - expected).max() < 1e-6
    assert abs(sliced.transform(texts) - expected).max() < 1e-6


def test_max_features_keeps_the_most_frequent_ngrams():
    texts = ["甲甲甲乙", "甲乙丙", "甲丙", "丁丁", "丁"]
    ngrams = learn.CharNgrams(min_df=1, max_features=2)
    ngrams.fit_transform(texts)
    kept = {chr(code >> 42) for code in ngrams.vocabulary}  # both are single characters
    assert kept == {"甲", "丁"}


def test_code_table_finds_exactly_the_listed_codes():
    rng = np.random.default_rng(3)
    for size in (0, 1, 7, 5000):
        keys = np.unique(rng.integers(0, 2**62, size))
        table = learn.CodeTable(keys)
        queries = np.concatenate([keys, rng.integers(0, 2**62, 3000), keys[: size // 2]])
        found = table.lookup(queries)
        position = {int(k): i for i, k in enumerate(keys)}
        assert found.tolist() == [position.get(int(q), -1) for q in queries]


# --- training and prediction -------------------------------------------------------------------


def train(texts: list[str], labels: list[set[str]]) -> learn.TextModel:
    return learn.train(
        texts,
        labels={"category": labels},
        classes={"category": rules.CATEGORIES},
        names={"轩逸"},
        version="t",
    )


def test_training_is_deterministic_and_survives_pickling():
    texts, labels = texts_and_labels()
    first, second = train(texts, labels), train(texts, labels)
    assert np.array_equal(first.weights, second.weights)
    copy = pickle.loads(pickle.dumps(first))
    probe = ["变速箱顿挫得厉害", "销售骗我买了库存车", "服务态度太差了"]
    for head, values in first.predict(probe).items():
        assert np.allclose(values, copy.predict(probe)[head])
    chosen = [{rules.CATEGORIES[j] for j in learn.decide(row)} for row in first.predict(probe)["category"]]
    assert chosen[0] == {"product"} and "purchase" in chosen[1] and "reception" in chosen[2]


def test_large_heads_are_fitted_by_sgd(monkeypatch):
    texts, labels = texts_and_labels()
    monkeypatch.setattr(learn, "EXACT_UP_TO", 10)
    model, again = train(texts, labels), train(texts, labels)
    assert np.array_equal(model.weights, again.weights)  # seeded
    threaded = learn.train(
        texts, labels={"category": labels}, classes={"category": rules.CATEGORIES}, names={"轩逸"}, threads=2
    )
    assert np.array_equal(model.weights, threaded.weights)  # one seed a class, whatever the threads
    head = model.heads["category"]
    assert head.trained[[rules.CATEGORIES.index(c) for c in PARTS]].all()
    probs = model.predict(["刹车异响，希望尽快处理"])["category"][0]
    assert rules.CATEGORIES[int(np.argmax(probs))] == "product"


def test_a_class_the_data_lacks_is_left_to_its_rule():
    texts, labels = texts_and_labels()
    model = train(texts, labels)
    head = model.heads["category"]
    parts = rules.CATEGORIES.index("parts")
    assert not head.trained[parts] and head.support["parts"] == 0
    text = "配件等了一个月还没到货"
    prepared = model.prepare([text])
    rule = learn.rule_block([rules.score(p) for p in prepared])
    expected = rule[0, head.rule_column[parts]]
    assert model.predict([text])["category"][0, parts] == pytest.approx(expected)


def test_each_chezhi_service_category_has_a_rule_of_its_own_but_other_service_problems():
    columns = learn.rule_columns(CHEZHI_CATEGORIES)
    service = ["服务态度", "承诺不兑现", "服务流程不完善", "其他服务问题", "其他"]
    aspects = [learn._COLUMNS[a] for a in ("attitude", "promise", "process")]
    expected = [*aspects, -1, learn._COLUMNS["defect"]]
    assert [int(columns[CHEZHI_CATEGORIES.index(c)]) for c in service] == expected
    assert int(columns[CHEZHI_CATEGORIES.index("变速器")]) == learn._COLUMNS["transmission"]
    assert int(columns[CHEZHI_CATEGORIES.index("人员技术")]) == learn._COLUMNS["repair_quality"]


def test_several_classes_on_one_rule_dimension_give_it_to_the_first_only():
    columns = learn.rule_columns(["变速器", "transmission", "reception"])
    assert [int(c) for c in columns] == [learn._COLUMNS["transmission"], -1, learn._COLUMNS["reception"]]


def test_a_model_of_the_previous_format_still_predicts():
    """Models saved before the n-gram rewrite: a TfidfVectorizer and per-head coefficient rows."""
    texts, labels = texts_and_labels()
    corpus = learn.Corpus.build(texts)
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    matrix = sp.hstack([vectorizer.fit_transform(corpus.prepared), sp.csr_matrix(corpus.rules)], format="csr")
    coef = np.zeros((len(rules.CATEGORIES), matrix.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(rules.CATEGORIES), dtype=np.float32)
    trained = np.zeros(len(rules.CATEGORIES), dtype=bool)
    for j, label in enumerate(rules.CATEGORIES):
        y = np.asarray([label in ys for ys in labels])
        if y.sum() >= learn.MIN_POSITIVES:
            fitted = LogisticRegression(C=4.0, solver="liblinear", class_weight="balanced").fit(matrix, y)
            coef[j], intercept[j], trained[j] = fitted.coef_[0], fitted.intercept_[0], True
    head = learn.Head.__new__(learn.Head)
    head.__dict__.update(
        name="category",
        classes=list(rules.CATEGORIES),
        coef=coef,
        intercept=intercept,
        trained=trained,
        support={},
        rule_column=learn.rule_columns(rules.CATEGORIES),
        examples=len(texts),
    )
    old = learn.TextModel.__new__(learn.TextModel)
    old.__setstate__(
        {
            "vectorizer": vectorizer,
            "names": corpus.names,
            "heads": {"category": head},
            "trained_at": 0.0,
            "examples": len(texts),
            "version": "old",
            "_masker": None,
        }
    )
    probe = ["变速箱顿挫得厉害", "服务顾问态度太差"]
    probs = old.predict(probe)["category"]
    prepared = old.prepare(probe)
    features = sp.hstack(
        [vectorizer.transform(prepared), sp.csr_matrix(learn.rule_block([rules.score(p) for p in prepared]))]
    )
    expected = 1 / (1 + np.exp(-(features @ coef.T + intercept)))
    weight = len(texts) / (len(texts) + learn.RULES_PRIOR)
    rule = features.toarray()[:, -rules.FEATURE_COUNT :]
    for j, column in enumerate(head.rule_column):
        if not trained[j]:
            expected[:, j] = rule[:, column] if column >= 0 else 0.0
        elif column >= 0:
            expected[:, j] = weight * expected[:, j] + (1 - weight) * rule[:, column]
    assert np.allclose(probs, expected, atol=1e-5)
    assert old.format == learn.FORMAT and old.weights.shape == (matrix.shape[1], len(rules.CATEGORIES))


# --- the batch analysis ---------------------------------------------------------------------------


def test_analyse_many_is_analyse_of_each_text():
    texts, labels = texts_and_labels()
    model = train(texts, labels)
    batch = [
        "刹车失灵差点出事，我要找媒体曝光！",
        "",
        "   ",
        None,
        "服务顾问态度很差，修了三次没修好",
        "轩逸异响",
    ]
    for with_model in (None, model):
        many = analyse_many(batch, model=with_model)
        assert [a.as_dict() for a in many] == [analyse(t, model=with_model).as_dict() for t in batch]
    assert analyse_many([]) == []
    assert analyse_many(batch, model=model)[0].source == "model"
    assert analyse_many(batch, model=model)[1].is_empty


# --- folding ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "刹车，异响！",
        "全角　空格ＡＢＣ１２３",
        "a\u0301ｂ",
        "…省略号",
        "ﬁ连字",
        "İ大写",
        "①②",
        "\xa0不换行",
        "ｶﾀｶﾅ",
    ],
)
def test_fold_is_nfkc_lower_one_character_for_one(text):
    reference = unicodedata.normalize("NFKC", text).lower()
    if len(reference) != len(text):
        reference = "".join(
            f if len(f := unicodedata.normalize("NFKC", ch).lower()) == 1 else ch for ch in text
        )
    assert fold(text) == reference
    assert len(fold(text)) == len(text)
