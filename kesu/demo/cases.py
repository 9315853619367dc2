"""Demo complaint texts, modelled on the seed cases (seed 003) and everyday variations.

Each case: category, nature, severity, emotion, demands, the customer's own words, the facts.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    category: str
    nature: str
    severity: str
    emotion: str
    demands: tuple[str, ...]
    verbatim: str
    facts: str


SEED_CASES: tuple[Case, ...] = (
    Case(
        "product",
        "claim",
        "crisis",
        "angry",
        ("return", "exchange"),
        "我公司五辆车先后出问题，水箱漏水、音响模块、转向模块都修过，今天去机场的高速上刹车突然踩不下去，"
        "差点出人命！我要求退掉这辆车，五辆全部换掉，不然我就找媒体曝光。",
        "客户为大客户，五辆车均有维修记录；高速途中制动模块失效，已拖回店检查。",
    ),
    Case(
        "product",
        "appeal",
        "serious",
        "upset",
        ("free_repair",),
        "新车才开了不到2000公里，去秦皇岛的路上遇上暴雨，后雨刮完全不动，太危险了，我今天必须走。",
        "检查为后雨刮电机质量问题需更换，店内缺货；客户坚持当天离店。",
    ),
    Case(
        "product",
        "claim",
        "major",
        "angry",
        ("compensation", "free_repair"),
        "车刚跑了不到一千公里，在高速公路上突然熄火，再也打不着火，拖车费谁出？必须由你们出。",
        "客户经800热线投诉；高速熄火无法启动，产生拖车费用。",
    ),
    Case(
        "repair_quality",
        "appeal",
        "normal",
        "upset",
        ("free_repair",),
        "仪表有问题换了一个新零件，换完以后平均油耗显示的功能没有了，你们修车越修越坏。",
        "更换仪表零件后油耗显示功能缺失，需确认零件版本。",
    ),
    Case(
        "product",
        "claim",
        "crisis",
        "angry",
        ("exchange", "compensation"),
        "我的车在高速上开着开着就起火了，人差点没跑出来，这事你们必须给个说法，我已经联系记者了。",
        "高速行驶中车辆起火，DCRC经理已报备厂方；需当日出具事故报告。",
    ),
)

VARIATIONS: tuple[Case, ...] = (
    Case(
        "product",
        "appeal",
        "serious",
        "upset",
        ("free_repair",),
        "刹车的时候有异响，咯吱咯吱的，来了三次了还是这样。",
        "制动异响，三次进店未根治。",
    ),
    Case(
        "product",
        "appeal",
        "normal",
        "calm",
        ("free_repair",),
        "空调不制冷，开了半天出来的还是热风。",
        "空调制冷不良，待查冷媒与压缩机。",
    ),
    Case(
        "product",
        "appeal",
        "serious",
        "upset",
        ("free_repair", "apology"),
        "变速箱换挡顿挫很严重，起步的时候一冲一冲的。",
        "变速箱换挡冲击，需读取故障码。",
    ),
    Case(
        "product",
        "claim",
        "major",
        "angry",
        ("return",),
        "买车不到一个月发动机就漏油，这是新车吗？我要退车！",
        "新车发动机渗油，客户要求退车。",
    ),
    Case(
        "product",
        "appeal",
        "normal",
        "upset",
        ("free_repair",),
        "方向盘抖得厉害，高速上一过一百就抖。",
        "高速方向盘抖动，待做动平衡与四轮定位。",
    ),
    Case(
        "repair_quality",
        "appeal",
        "serious",
        "angry",
        ("free_repair", "apology"),
        "上次保养完回去机油灯就亮了，还没有修好，你们到底会不会修？",
        "保养后机油报警，疑似机滤安装不当。",
    ),
    Case(
        "repair_quality",
        "claim",
        "normal",
        "upset",
        ("compensation",),
        "洗完车发现车门被划了一道，之前明明没有的。",
        "客户称车门划痕为洗车造成，需查看交车检查单与监控。",
    ),
    Case(
        "repair_cost",
        "market",
        "normal",
        "upset",
        ("discount",),
        "换个刹车片要一千多，太贵了，外面才几百块。",
        "客户认为刹车片价格偏高，属价格异议。",
    ),
    Case(
        "repair_cost",
        "appeal",
        "normal",
        "upset",
        ("free_repair",),
        "还在保修期内为什么要我自己付钱？",
        "客户认为故障应在保修范围内，需核对保修条款。",
    ),
    Case(
        "reception",
        "appeal",
        "serious",
        "angry",
        ("apology",),
        "接待太差了，服务顾问爱理不理的，等了两个小时没人管。",
        "客户等候两小时无人跟进，服务顾问态度差。",
    ),
    Case(
        "reception",
        "appeal",
        "normal",
        "upset",
        ("apology",),
        "说好今天下午五点交车，到现在也没有消息，没有遵守约定。",
        "承诺交车时间未兑现，未主动告知延误。",
    ),
    Case(
        "purchase",
        "claim",
        "serious",
        "angry",
        ("exchange", "compensation"),
        "这不是我定购的车，颜色和配置都不对，合同上写的是顶配。",
        "交付车辆配置与合同不符。",
    ),
    Case(
        "purchase",
        "market",
        "normal",
        "upset",
        ("discount", "gift"),
        "我朋友同款车比我便宜了八千，你们得给我补差价，不然我投诉到12315。",
        "客户以价格差为由要求补偿，属市场抱怨。",
    ),
    Case(
        "parts",
        "appeal",
        "normal",
        "upset",
        ("free_repair",),
        "居然没有零部件，一个后视镜要等一个月？",
        "后视镜总成缺货，需向区域调货。",
    ),
    Case(
        "parts",
        "market",
        "normal",
        "calm",
        ("discount",),
        "配件价格比别的店贵，能不能便宜一点？",
        "客户对配件价格有异议。",
    ),
    Case(
        "mixed",
        "claim",
        "major",
        "angry",
        ("compensation", "apology"),
        "退车退不了，维修又修不好，费用还乱收，我要找律师起诉你们。",
        "多次维修未果并伴收费争议，客户提及律师。",
    ),
    Case(
        "product",
        "appeal",
        "serious",
        "upset",
        ("free_repair",),
        "车子在路上突然熄火，等红灯的时候又熄了一次。",
        "怠速熄火两次，需检查节气门与油路。",
    ),
    Case(
        "product",
        "appeal",
        "normal",
        "calm",
        ("free_repair",),
        "中控屏经常黑屏，倒车影像也没有了。",
        "中控黑屏、倒车影像失效，待升级软件。",
    ),
)
