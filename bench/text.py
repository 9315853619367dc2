"""Synthetic Chinese complaint texts for the benchmark, built from short fragments.

Written for this repository (no third-party corpus is copied). Each text is an opening, one or two
faults (component + symptom), some history, feelings and a demand, padded with fillers to about
40-150 characters, so the words a user searches for (刹车, 变速箱, 顿挫, 刹车失灵, 起火 …) occur
with different frequencies, in different positions and next to different neighbours.
"""

import random

OPENINGS = (
    "我上个月刚提的车，",
    "车子买了不到半年，",
    "去年在你们店买的轩逸，",
    "今天早上开车上班的时候，",
    "高速上跑到一百二的时候，",
    "昨天下雨天开车回家，",
    "新车才开了两千公里，",
    "周末带家人出去玩，",
    "这台车保养完第二天，",
    "冬天早上冷车启动后，",
    "上次在你们这里做完首保，",
    "我在4S店修完车回来，",
    "车子过了一个减速带之后，",
    "从提车到现在三个月，",
    "我老婆开这辆车接孩子的时候，",
    "跑长途去外地出差，",
    "市区堵车走走停停的时候，",
    "停在地库一晚上，",
    "刚加完油开出加油站，",
    "车子开了四万多公里，",
    "打电话预约了好几次，",
    "前天在高架上，",
)

# Component → symptoms that make sense for it.
FAULTS: dict[str, tuple[str, ...]] = {
    "刹车": ("有异响", "失灵", "发软", "踩下去有咯吱声", "抖动", "踩不下去", "跑偏"),
    "变速箱": ("顿挫", "换挡顿挫严重", "漏油", "有异响", "打滑", "报故障", "升档很慢"),
    "发动机": ("漏油", "突然熄火", "抖动厉害", "故障灯亮了", "烧机油", "有异响", "启动困难"),
    "空调": ("不制冷", "有异味", "出风口有异响", "制热效果差", "时冷时热"),
    "雨刮": ("刮不干净", "不回位", "有异响", "完全不动", "抖动"),
    "天窗": ("漏水", "关不严", "有异响", "打不开"),
    "方向盘": ("抖动", "跑偏", "有异响", "很沉", "回正不好"),
    "车门": ("关不严", "有异响", "密封条漏风", "锁不上"),
    "底盘": ("有异响", "刮底", "生锈", "松散"),
    "大灯": ("起雾", "不亮", "进水", "忽明忽暗"),
    "中控屏": ("黑屏", "死机", "自动重启", "导航不准", "卡顿"),
    "座椅": ("加热不工作", "有异响", "调节失灵", "皮面开裂"),
    "轮胎": ("鼓包", "偏磨", "漏气", "噪音大"),
    "电瓶": ("亏电", "打不着火", "报警"),
    "后视镜": ("折叠失灵", "抖动", "加热失灵"),
    "油箱盖": ("打不开", "有异味"),
    "排气管": ("冒黑烟", "冒白烟", "有异响", "滴水"),
}
DETAILS = (
    "当时车速大概六十公里",
    "后面的车差点撞上来",
    "仪表盘上一堆故障灯",
    "车里还坐着老人和孩子",
    "只能打双闪停在应急车道",
    "叫了道路救援等了两个小时",
    "换了个加油站加油也一样",
    "冷车的时候特别明显",
    "热车以后稍微好一点",
    "开空调的时候更严重",
    "过坑的时候咚咚响",
    "低速跟车的时候最明显",
)
CONNECTORS = ("，", "，而且", "，还有", "，同时", "，另外", "，后来又发现", "；")
SEVERE = (
    "发动机舱冒烟差点起火",
    "仪表台下面冒烟有焦糊味",
    "车子在路边突然起火了",
    "高速上突然熄火差点追尾",
    "刹车失灵撞上了护栏",
    "安全气囊没有弹出",
)
HISTORY = (
    "修了三次还没有修好",
    "已经来店里检查过两次",
    "师傅说是正常现象",
    "换了配件还是一样",
    "等配件等了半个多月",
    "维修师傅态度很差",
    "说好的免费检修又要收费",
    "每次来都说查不出问题",
    "保养的时候说已经处理好了",
    "服务顾问一直推脱",
    "打了好几次电话没人回",
    "上次修完只好了一个星期",
    "维修费比别的店贵了一倍",
    "工单上写的和实际做的不一样",
    "代步车也不给安排",
)
FEELINGS = (
    "太让人失望了",
    "严重影响行车安全",
    "一家人都吓坏了",
    "我现在都不敢开这辆车",
    "真的很气愤",
    "耽误了我好几天的工作",
    "你们的服务太差了",
    "这么大的品牌怎么能这样",
    "我对这个车彻底没信心了",
)
DEMANDS = (
    "要求退车",
    "要求换车",
    "要求赔偿损失",
    "希望尽快给个说法",
    "不解决我就去投诉到厂家",
    "要求免费维修并延长质保",
    "要求你们店长出面道歉",
    "不然我就发到网上曝光",
    "要求提供代步车",
    "请给一个书面的处理方案",
    "要求退还多收的维修费",
)
FILLERS = (
    "说实话",
    "我想问一下",
    "你们看着办吧",
    "麻烦尽快回复",
    "这个问题一直没有解决",
    "我每天都要用车",
    "车是贷款买的",
    "朋友也是买的这个车",
    "我已经很有耐心了",
    "请重视一下",
)
FACTS = (
    "经检测，{c}{s}属实，已安排技师复查。",
    "客户来店检查，{c}{s}，需更换相关零件。",
    "技术经理试车确认{c}{s}，已申请厂家技术支持。",
    "检查{c}未发现明显异常，已向客户解释并记录。",
    "客户反映{c}{s}，已预约明日进店检测。",
    "{c}故障码已读取，等待配件到店后维修。",
    "已致电客户致歉，{c}问题由售后服务部跟进。",
)

_COMPONENTS = tuple(FAULTS)
_COMPONENT_WEIGHTS = (11, 12, 12, 8, 6, 4, 5, 4, 4, 3, 6, 3, 4, 3, 2, 1, 2)
assert len(_COMPONENT_WEIGHTS) == len(_COMPONENTS)


def _fault(rng: random.Random) -> tuple[str, str]:
    component = rng.choices(_COMPONENTS, _COMPONENT_WEIGHTS)[0]
    return component, rng.choice(FAULTS[component])


def complaint_text(rng: random.Random) -> tuple[str, str]:
    """(verbatim, facts): the customer's words (~40-150 chars) and, for half, the agent's facts."""
    component, symptom = _fault(rng)
    parts = [rng.choice(OPENINGS), component, symptom]
    if rng.random() < 0.45:
        other, other_symptom = _fault(rng)
        parts += [rng.choice(CONNECTORS), other, other_symptom]
    for _ in range(rng.choice((0, 1, 1, 2))):
        parts += ["，", rng.choice(DETAILS)]
    if rng.random() < 0.04:
        parts += ["，", rng.choice(SEVERE)]
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        parts += ["，", rng.choice(HISTORY)]
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        parts += ["，", rng.choice(FILLERS)]
    if rng.random() < 0.6:
        parts += ["，", rng.choice(FEELINGS)]
    if rng.random() < 0.7:
        parts += ["，", rng.choice(DEMANDS)]
    text = "".join(parts)
    while len(text) < 40:
        text += "，" + rng.choice(FILLERS + HISTORY)
    text = text[:149] + "。"
    facts = rng.choice(FACTS).format(c=component, s=symptom) if rng.random() < 0.5 else ""
    return text, facts
