"""Training an organisation's own classifier, its evaluation report, and ``classify-eval``.

Models and reports are written under the temporary folder the insights conftest sets
(KESU_INSIGHTS_MODELS_DIR). Every text here was written for these tests; the 车质网 dev export
is read from ../shared/data, beside the repository (it may not be redistributed): without it, the
test on it fails, naming the path.
"""

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kesu import flows
from kesu.core.errors import Forbidden, InvalidInput, NotFound
from kesu.insights import rules, services, training
from kesu.insights.choices import CHEZHI_CATEGORIES
from kesu.insights.models import ClassifierModel, Suggestion

from .conftest import customer, make_complaint

pytestmark = pytest.mark.django_db

# Complaints as agents record them, by the category they set (seed categories).
SEED_TEXTS: dict[str, list[str]] = {
    "product": [
        "发动机怠速抖动，冷车启动的时候声音特别大",
        "变速箱换挡顿挫，二挡升三挡的时候冲一下",
        "刹车踩下去有吱吱的异响，刚换的刹车片",
        "中控屏经常黑屏，倒车影像也用不了",
        "天窗下雨漏水，座椅都湿了",
        "空调不制冷，开了半小时还是热风",
        "方向盘在高速上发抖，跑偏很明显",
        "仪表盘故障灯一直亮，加速没有力气",
        "车门密封条脱落，高速风噪很大",
        "电瓶三个月亏电两次，早上打不着火",
    ],
    "repair_quality": [
        "上次维修说修好了，开回家第二天又坏了",
        "修了三次还是同样的问题，技师根本没找到原因",
        "保养完机油尺显示机油加少了",
        "维修后车漆上多了一道划痕，技师不承认",
        "换完轮胎跑了一百公里就开始偏磨",
        "修车的时候把我的行车记录仪线弄断了",
        "钣金修复的地方颜色和原车不一样",
        "四轮定位做完方向盘反而歪了",
    ],
    "repair_cost": [
        "保养收费太贵了，工时费比别的店高一倍",
        "结账的时候多收了两个我没做的项目",
        "报价单上写的和最后收的钱对不上",
        "换个雨刮收了三百块，太离谱",
        "检测费事先没有告诉我，结账才说要收",
        "保修期内的配件也让我自己付钱",
        "洗车说免费，结果账单里有洗车费",
        "同样的保养项目这次比上次贵了两百",
    ],
    "reception": [
        "服务顾问态度很差，问什么都爱理不理",
        "打了五次电话都没人接，也没有回电",
        "约好了上午交车，等到下午也没人通知",
        "前台接待一直在玩手机，让我等了半小时",
        "说好三天给答复，一个星期了也没消息",
        "休息区没有座位，也没人给倒杯水",
        "客服说话很冲，还说我不懂车",
        "预约了保养，到店说系统里没有记录",
    ],
    "purchase": [
        "买车时销售承诺送的脚垫和贴膜一直没给",
        "提车后发现是库存很久的车，销售当时没说",
        "合同上的金融服务费销售事先没有告诉我",
        "说好的置换补贴到现在都没有兑现",
        "销售说有现车，交了定金又说要等两个月",
        "购车时答应的首保免费，结果来保养要收钱",
        "新车交付时里程表已经有三百公里",
        "上牌服务费收了两千，比说好的多",
    ],
    "parts": [
        "配件等了一个月还没到货，车一直停在店里",
        "换上去的配件不是原厂件，包装都没有",
        "订的后视镜到了颜色不对，又要重新订",
        "配件到货时间一拖再拖，每次都说下周",
        "更换的刹车片型号和车不匹配",
        "店里说配件缺货，让我去外面自己买",
        "换下来的旧件不给我看就处理掉了",
        "原厂配件价格比网上贵三倍",
    ],
}
SUFFIXES = ("", "，希望尽快给我一个说法")


def labelled_complaints(demo, dealer: int = 1, per_text: int = len(SUFFIXES)) -> list[Any]:
    """The dealer's complaints, the category set by the agent at intake (oldest first)."""
    made = []
    n = 0
    for suffix in SUFFIXES[:per_text]:
        for category, texts in SEED_TEXTS.items():
            for text in texts:
                n += 1
                made.append(
                    make_complaint(
                        demo,
                        dealer,
                        verbatim=text + suffix,
                        customer=customer(demo, dealer, n),
                        category=category,
                    )
                )
    return made


def read_report(record: ClassifierModel) -> dict[str, Any]:
    return json.loads(Path(record.path).with_name("report.json").read_text(encoding="utf-8"))


# --- training an organisation's model ---------------------------------------------------------


def test_training_writes_the_model_and_an_evaluation_report_under_the_models_folder(demo, _models_in_tmp):
    complaints = labelled_complaints(demo)
    record = training.train_for_organization(organization_id=demo.dealers["D1"].pk)
    model_file = Path(record.path)
    assert model_file.is_file()
    assert model_file.resolve().is_relative_to(_models_in_tmp.resolve())
    assert record.organization == demo.dealers["D1"]
    assert record.examples["category"] == len(complaints)

    report = read_report(record)
    assert report["organization"] == "D1" and report["version"] == record.version
    assert report["examples"] == len(complaints)
    holdout = report["holdout"]
    assert 0 < holdout < len(complaints)
    category = report["report"]["category"]
    figures = category["report"]
    assert figures["examples"] == holdout
    assert set(figures["per_class"]) == set(SEED_TEXTS)
    for row in figures["per_class"].values():
        for name in ("precision", "recall", "f1"):
            assert 0.0 <= row[name] <= 1.0
        assert row["support"] == row["tp"] + row["fn"]
        if row["tp"] + row["fp"]:
            assert row["precision"] == pytest.approx(row["tp"] / (row["tp"] + row["fp"]), abs=1e-4)
        if row["support"]:
            assert row["recall"] == pytest.approx(row["tp"] / row["support"], abs=1e-4)
    assert sum(row["support"] for row in figures["per_class"].values()) == holdout  # one label each
    # the confusion matrix counts each held-out complaint once, on the row of its true category
    confusion = category["confusion"]
    assert sum(sum(row.values()) for row in confusion.values()) == holdout
    for true, row in confusion.items():
        assert sum(row.values()) == figures["per_class"][true]["support"]
    # the summary kept on the record is the report's
    assert record.metrics["category"]["micro_f1"] == figures["micro_f1"]
    assert 0.0 <= record.metrics["category"]["macro_f1"] <= 1.0

    markdown = model_file.with_name("report.md").read_text(encoding="utf-8")
    assert "| class | precision | recall | F1 | support |" in markdown
    assert all(f"| {name} |" in markdown for name in SEED_TEXTS)
    assert "rows: true, columns: predicted" in markdown


def test_the_trained_model_serves_its_dealer_and_not_another(demo, api):
    labelled_complaints(demo)
    record = training.train_for_organization(organization_id=demo.dealers["D1"].pk)
    new_here = make_complaint(demo, 1, verbatim="刹车有异响，修了两次没修好", customer=customer(demo, 1, 500))
    new_there = make_complaint(
        demo, 2, verbatim="刹车有异响，修了两次没修好", customer=customer(demo, 2, 501)
    )
    here = Suggestion.objects.get(complaint=new_here)
    there = Suggestion.objects.get(complaint=new_there)
    assert (here.source, here.model_version) == ("model", record.version)
    assert (there.source, there.model_version) == ("rules", "")
    analysed = api("agent1").post("/api/v1/insights/analyze", {"text": "变速箱换挡顿挫"}).json()
    assert (analysed["source"], analysed["model_version"]) == ("model", record.version)
    assert (
        api("agent2").post("/api/v1/insights/analyze", {"text": "变速箱换挡顿挫"}).json()["source"] == "rules"
    )


def test_a_carmakers_model_serves_every_dealer_without_one_of_its_own(demo):
    at_one = labelled_complaints(demo, 1, per_text=1)
    at_two = labelled_complaints(demo, 2, per_text=1)
    record = training.train_for_organization(organization_id=demo.manufacturer.pk)
    assert record.examples["category"] == len(at_one) + len(at_two)  # every dealer's complaints
    for username in ("agent1", "agent2", "agent3"):
        result = services.analyse_text(actor=demo.users[username], text="刹车异响")
        assert result.model_version == record.version


def test_agents_corrections_are_training_labels(demo):
    complaints = labelled_complaints(demo)
    unlabelled = [
        make_complaint(demo, 1, verbatim=text, customer=customer(demo, 1, 700 + i))
        for i, text in enumerate(("车子用了半年问题不断", "来店三次都没解决", "希望店长给个说法"))
    ]
    for complaint in unlabelled[:2]:
        flows.decide(
            actor=demo.users["agent1"], complaint_id=complaint.pk, field="category", chosen="reception"
        )
    record = training.train_for_organization(organization_id=demo.dealers["D1"].pk)
    assert record.examples["category"] == len(complaints) + 2


def test_too_few_labelled_complaints_are_refused_and_nothing_is_written(demo, _models_in_tmp):
    for i, text in enumerate(SEED_TEXTS["product"][:5]):
        make_complaint(demo, 1, verbatim=text, customer=customer(demo, 1, i + 1), category="product")
    with pytest.raises(InvalidInput) as caught:
        training.train_for_organization(organization_id=demo.dealers["D1"].pk)
    assert "organization_id" in caught.value.fields
    assert not ClassifierModel.objects.exists()
    assert not _models_in_tmp.exists() or not any(_models_in_tmp.rglob("*.joblib"))


def test_only_administrators_train_and_only_known_organisations(demo):
    with pytest.raises(Forbidden):
        training.train_for_organization(organization_id=demo.dealers["D1"].pk, actor=demo.users["manager1"])
    with pytest.raises(NotFound):
        training.train_for_organization(organization_id=987654, actor=demo.users["admin"])
    assert not ClassifierModel.objects.exists()


def test_classify_train_command_trains_or_says_why_it_skipped(demo, _models_in_tmp):
    out = io.StringIO()
    call_command("classify-train", "--org", "D2", stdout=out)
    assert out.getvalue().startswith("D2: skipped")
    labelled_complaints(demo, 1)
    out = io.StringIO()
    call_command("classify-train", "--org", "D1", stdout=out)
    record = ClassifierModel.objects.get()
    assert out.getvalue().startswith(f"D1: model {record.version}")
    assert Path(record.path).resolve().is_relative_to(_models_in_tmp.resolve())
    with pytest.raises(CommandError, match="NOPE"):
        call_command("classify-train", "--org", "NOPE", stdout=io.StringIO())


# --- classify-eval ----------------------------------------------------------------------------

# Rows in the 车质网 export's format: desc, categories (|-separated names), brand, car_model.
CHEZHI_TEXTS: dict[str, list[str]] = {
    "发动机/电动机": [
        "发动机怠速抖动严重",
        "发动机烧机油很厉害",
        "冷车启动发动机异响",
        "电机过热报警动力下降",
    ],
    "变速器": ["变速箱换挡顿挫", "变速器低速冲击感明显", "自动挡升挡迟缓", "变速箱报故障进入保护模式"],
    "制动系统": ["刹车异响吱吱叫", "刹车片磨损过快", "制动踏板发软", "刹车时车身跑偏"],
    "车身附件及电器": ["车机系统卡顿死机", "天窗漏水", "中控屏黑屏", "车门密封条脱落"],
    "服务态度": ["服务顾问态度恶劣", "接待人员爱理不理", "客服电话一直打不通", "销售顾问说话难听"],
    "服务收费": ["保养收费过高", "工时费乱收", "结账多收了检测费", "报价和结算对不上"],
    "销售欺诈": ["销售承诺的赠品没给", "购车时隐瞒展车事实", "金融服务费强制收取", "宣传的配置实际没有"],
    "配件争议": ["配件等了一个月没到", "更换的是副厂配件", "配件型号不匹配", "配件价格比网上贵很多"],
}
BRANDS = (("东风日产", "轩逸"), ("一汽-大众", "速腾"), ("长安汽车", "逸动"))
TRAIN_ENDINGS = ("", "，多次反映无果", "，要求厂家处理")
TEST_ENDINGS = ("，希望尽快解决",)


def write_csv(path: Path, endings: tuple[str, ...], *, dated: bool = False, two_labels: bool = True) -> Path:
    rows = []
    number = 0
    for e, ending in enumerate(endings):
        for category, texts in CHEZHI_TEXTS.items():
            for t, text in enumerate(texts):
                brand, car_model = BRANDS[(e + t) % len(BRANDS)]
                categories = category
                if two_labels and category == "车身附件及电器" and t == 0:
                    categories = "车身附件及电器|销售欺诈"  # several labels, as in the export
                number += 1
                rows.append(
                    {
                        "id": str(900000 + number),
                        "brand": brand,
                        "car_model": car_model,
                        "desc": f"{brand}{car_model}{text}{ending}",
                        "datetime": f"2020-06-{(3 if number % 2 else 12):02d}" if dated else "",
                        "categories": categories,
                    }
                )
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["id", "brand", "car_model", "desc", "datetime", "categories"]
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


def last_json_line(output: str) -> dict[str, Any]:
    last = output.strip().splitlines()[-1]
    summary = json.loads(last)
    assert isinstance(summary, dict)
    return summary


def check_summary(summary: dict[str, Any]) -> None:
    """The last line's shape: per head micro/macro F1, the rules' figures, and per class of
    the head its precision, recall, F1 (0…1) and support (a count)."""
    assert set(summary) >= {"chezhi17", "seed", "texts_per_second"}
    for name, classes in (("chezhi17", CHEZHI_CATEGORIES), ("seed", rules.CATEGORIES)):
        head = summary[name]
        assert set(head) >= {"micro_f1", "macro_f1", "rules", "per_class"}
        for value in (head["micro_f1"], head["macro_f1"], *head["rules"].values()):
            assert isinstance(value, (int, float)) and 0.0 <= value <= 1.0
        assert list(head["per_class"]) == list(classes)
        for row in head["per_class"].values():
            assert set(row) == {"precision", "recall", "f1", "support"}
            assert all(0.0 <= row[k] <= 1.0 for k in ("precision", "recall", "f1"))
            assert isinstance(row["support"], int) and row["support"] >= 0
    assert summary["texts_per_second"] > 0


def test_classify_eval_trains_on_one_csv_and_scores_another(tmp_path):
    train = write_csv(tmp_path / "train.csv", TRAIN_ENDINGS)
    test = write_csv(tmp_path / "test.csv", TEST_ENDINGS)
    out = io.StringIO()
    call_command("classify-eval", "--train", str(train), "--test", str(test), "--per-class", stdout=out)
    output = out.getvalue()
    summary = last_json_line(output)
    check_summary(summary)
    # texts this close to the training rows are recognised better than by chance
    assert summary["chezhi17"]["micro_f1"] > 0.5
    per_ending = sum(len(texts) for texts in CHEZHI_TEXTS.values())
    assert f"trained on {per_ending * len(TRAIN_ENDINGS)} rows" in output
    assert f"tested on {per_ending * len(TEST_ENDINGS)}" in output
    per_class = [line for line in output.splitlines() if line.startswith("    ")]
    assert {line.split()[0] for line in per_class} >= set(CHEZHI_TEXTS)
    # the JSON's per-class support counts the test rows of each category
    support = {c: row["support"] for c, row in summary["chezhi17"]["per_class"].items()}
    for category, texts in CHEZHI_TEXTS.items():
        extra = len(TEST_ENDINGS) if category == "销售欺诈" else 0  # the two-label rows
        assert support[category] == len(texts) * len(TEST_ENDINGS) + extra


def test_classify_eval_cross_validates_by_week(tmp_path):
    rows = write_csv(tmp_path / "all.csv", TRAIN_ENDINGS, dated=True)
    out = io.StringIO()
    call_command("classify-eval", "--cv", str(rows), "--by", "week", stdout=out)
    lines = out.getvalue().strip().splitlines()
    folds = [json.loads(line.removeprefix("fold ")) for line in lines if line.startswith("fold ")]
    assert sorted(fold["test"] for fold in folds) == ["2020-W23", "2020-W24"]
    total = sum(len(texts) for texts in CHEZHI_TEXTS.values()) * len(TRAIN_ENDINGS)
    assert sum(fold["test_examples"] for fold in folds) == total
    assert all(fold["train_examples"] + fold["test_examples"] == total for fold in folds)
    check_summary(last_json_line(out.getvalue()))


def test_classify_eval_names_a_missing_column(tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text("desc,brand,car_model\n刹车异响,东风日产,轩逸\n", encoding="utf-8")
    good = write_csv(tmp_path / "good.csv", TEST_ENDINGS)
    with pytest.raises(CommandError, match="categories"):
        call_command("classify-eval", "--train", str(broken), "--test", str(good), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("classify-eval", stdout=io.StringIO())
    with pytest.raises(CommandError, match="two"):
        call_command("classify-eval", "--cv", str(good), stdout=io.StringIO())  # one undated group


def split_by_date(source: Path, folder: Path, share: float = 0.75) -> tuple[Path, Path]:
    """The earlier ``share`` of the export's rows to train on, the later days to test on (as
    complaints arrive; near-duplicate campaigns cluster within days, so never random rows)."""
    with open(source, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        rows = sorted(reader, key=lambda r: (r["datetime"], r["id"]))
    cut = int(len(rows) * share)
    paths = (folder / "train.csv", folder / "test.csv")
    for path, part in zip(paths, (rows[:cut], rows[cut:]), strict=True):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(part)
    return paths


def test_on_the_real_export_the_model_does_at_least_as_well_as_the_rules_per_category(tmp_path, shared_data):
    split_by_date(shared_data("complaints-zh/dev_2020-06.csv"), tmp_path)
    out = io.StringIO()
    call_command(
        "classify-eval",
        "--train",
        str(tmp_path / "train.csv"),
        "--test",
        str(tmp_path / "test.csv"),
        stdout=out,
    )
    output = out.getvalue()
    check_summary(last_json_line(output))

    def macro(kind: str, head: str) -> float:
        match = re.search(rf"^{kind}\s+{head}\s+micro F1 [0-9.]+\s+macro F1 ([0-9.]+)", output, re.MULTILINE)
        assert match, output
        return float(match.group(1))

    # what the organisation's data teaches shows most on the categories the lexicon knows least
    for head in ("chezhi17", "seed"):
        assert macro("model", head) >= macro("rules", head)


def test_on_later_days_of_the_real_export_the_classifier_meets_the_issue_15_goals(tmp_path, shared_data):
    """Trained on the earlier three quarters of the 车质网 export, scored on the later days it
    never saw: micro F1 ≥ 0.82 and macro F1 ≥ 0.70 on the 17 categories, macro F1 ≥ 0.70 on the
    seed categories (measured 0.835 / 0.766 and 0.758 when written: see docs/benchmarks.md)."""
    train, test = split_by_date(shared_data("complaints-zh/dev_2020-06.csv"), tmp_path)
    out = io.StringIO()
    call_command("classify-eval", "--train", str(train), "--test", str(test), stdout=out)
    summary = last_json_line(out.getvalue())
    check_summary(summary)
    assert summary["chezhi17"]["micro_f1"] >= 0.82
    assert summary["chezhi17"]["macro_f1"] >= 0.70
    assert summary["seed"]["macro_f1"] >= 0.70
    # the rare categories are found, not given up for the frequent ones
    per_class = summary["chezhi17"]["per_class"]
    for category in ("服务收费", "配件争议", "服务流程不完善", "承诺不兑现"):
        if per_class[category]["support"]:
            assert per_class[category]["f1"] >= 0.4, (category, per_class[category])
