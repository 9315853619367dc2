"""The call scripts (话术, seed 004) as data: one script per kind of follow-up, each a list of
steps — what to say, in Chinese as the seed writes it, with placeholders for names — and what
answer a step asks for. ``render`` fills in the placeholders for one follow-up.

The scripts are what the agent says to the customer, so they are Chinese text, not UI strings;
the labels around them on the screen are translated as usual.
"""

import string
from dataclasses import dataclass, field

from .choices import FollowUpKind, Question, Rating


@dataclass(frozen=True)
class Step:
    key: str
    text: str
    question: str = Question.NONE  # the answer the step asks for, if any
    choices: tuple[tuple[str, str], ...] = ()  # (value, what the customer says)


@dataclass(frozen=True)
class Script:
    kind: str
    title: str
    purpose: str
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    @property
    def questions(self) -> dict[str, Step]:
        """The steps that take an answer (satisfaction has its own field)."""
        return {s.key: s for s in self.steps if s.question not in (Question.NONE, Question.SATISFACTION)}


YES_NO = (("yes", "是"), ("no", "否"))
RATINGS = ((Rating.VERY_GOOD, "非常好"), (Rating.GOOD, "好"), (Rating.FAIR, "一般"))
SATISFACTIONS = (
    ("very_satisfied", "非常满意"),
    ("satisfied", "满意"),
    ("neutral", "一般"),
    ("dissatisfied", "不满意"),
)

_GREETING = Step("greeting", "您好!请问是{customer}吗?")
_INTRO = Step("introduce", "我是{dealer}客户关系中心的{agent}。")
_SATISFACTION = Step(
    "satisfaction",
    "我们公司非常注重顾客的满意度,能否请您就这次{experience}为我们做一个总体满意度的综合评价吗?"
    "是非常满意,满意,一般,还是不满意?(您看我可以把您的“很好”理解成“非常满意”吗?)",
    Question.SATISFACTION,
    SATISFACTIONS,
)
_TIP = Step("tip", "为了使我们的电话有帮助作用,我们在这里对您的行车有一个提醒:{tip}")
_BOOK = Step(
    "book_next",
    "感谢您接听我的电话,欢迎您的下一次保养,请来厂前和我们预约。请问需要我现在帮您预约吗?",
    Question.YES_NO,
    YES_NO,
)
_COMMENT = Step("comment", "请问您还有什么意见或建议吗?")  # answered in the comment field

# Driving tips by month (the seed's "对您的行车有一个提醒"): the season's care.
TIPS = {
    1: "冬季气温低,请注意检查防冻液和蓄电池,冷车启动后稍作怠速再行驶。",
    2: "春节出行前请检查轮胎气压和灯光,长途驾驶每两小时休息一次。",
    3: "春季风沙大,请及时清洁空调滤芯和空气滤芯。",
    4: "雨季将至,请检查雨刮片,雨天行车请降低车速、保持车距。",
    5: "气温升高,请检查空调制冷效果和冷却液液位。",
    6: "夏季高温,请勿在车内存放打火机、香水等易燃物品。",
    7: "暴雨天气请避开积水路段,车辆涉水后请及时检查制动。",
    8: "高温天气请注意轮胎气压不要过高,停车尽量选择阴凉处。",
    9: "秋季早晚温差大,请注意前挡风玻璃起雾,及时开启除雾功能。",
    10: "国庆长途出行前,欢迎来厂进行免费安全检查。",
    11: "入冬前请检查防冻液冰点和暖风系统。",
    12: "雨雪天气路面湿滑,请提前减速,避免急刹车。",
}

SCRIPTS: dict[str, Script] = {
    FollowUpKind.SERVICE_3D: Script(
        FollowUpKind.SERVICE_3D,
        "售后3日电访",
        "感谢顾客到厂维修保养,关心维修或保养后的车况,调查总体满意度,核对顾客信息,提供服务讯息。",
        (
            _GREETING,
            _INTRO,
            Step(
                "ask_time",
                "您的{vehicle}在{date}到我们厂进行了{work},现在能耽误您几分钟时间了解一下您车子保养后的使用情况吗?",
            ),
            Step("car_ok", "请问我们是否有将您的车子一次性维护保养好呢?", Question.YES_NO, YES_NO),
            Step(
                "advisor_rating",
                "您对服务专员{advisor}的诚实与真诚度如何评价?是非常好,好,还是一般?",
                Question.RATING,
                RATINGS,
            ),
            _SATISFACTION,
            _TIP,
            _COMMENT,
            _BOOK,
        ),
    ),
    FollowUpKind.DELIVERY_3D: Script(
        FollowUpKind.DELIVERY_3D,
        "新车回访 · 售后三日电访",
        "让顾客感受真诚与尊重,了解顾客感受、调查满意度,核对顾客资料以建立完整的信息档案。",
        (
            _GREETING,
            _INTRO,
            Step(
                "ask_time",
                "恭喜您在{date}提了新车{vehicle},现在能耽误您几分钟时间了解一下您的用车情况吗?",
            ),
            Step("contact_ok", "请问这个号码是否可以联系到您?", Question.YES_NO, YES_NO),
            Step("car_ok", "新车用得还顺手吗?有没有什么不清楚的功能?", Question.YES_NO, YES_NO),
            Step(
                "advisor_rating",
                "您对销售顾问{advisor}的诚实与真诚度如何评价?是非常好,好,还是一般?",
                Question.RATING,
                RATINGS,
            ),
            _SATISFACTION,
            _TIP,
            _COMMENT,
        ),
    ),
    FollowUpKind.DELIVERY_7D: Script(
        FollowUpKind.DELIVERY_7D,
        "新车回访 · 7日关怀电访",
        "关心车况,询问里程,首保提醒,介绍保养及索赔政策和车辆使用常识,介绍服务专员,推导预约。",
        (
            _GREETING,
            _INTRO,
            Step("ask_time", "您的新车{vehicle}已经开了一周了,现在能耽误您几分钟时间关心一下您的车况吗?"),
            Step("car_ok", "车子这一周用下来情况还好吗?", Question.YES_NO, YES_NO),
            Step("mileage", "请问现在大概开了多少公里了?", Question.NUMBER),
            Step(
                "first_service",
                "提醒您:新车首次保养请在5000公里或6个月内进行(以先到为准),首保前请提前和我们预约。"
                "保养及索赔政策详见保修手册,有疑问随时致电我们。",
            ),
            _SATISFACTION,
            _TIP,
            _BOOK,
        ),
    ),
    FollowUpKind.REVISIT: Script(
        FollowUpKind.REVISIT,
        "投诉结案回访",
        "确认问题已经解决(跟进与预防),了解顾客对处理过程的满意度;一般或不满意即重新处理。",
        (
            _GREETING,
            _INTRO,
            Step(
                "ask_time",
                "关于您反映的问题(投诉单号{complaint}),我们已处理完毕。现在能耽误您几分钟时间了解一下处理后的情况吗?",
            ),
            Step("problem_solved", "请问您的问题是否已经彻底解决了?", Question.YES_NO, YES_NO),
            _SATISFACTION,
            _COMMENT,
            Step("thanks", "感谢您接听我的电话,今后有任何问题欢迎随时联系我们。"),
        ),
    ),
}


# What the overall satisfaction question is about, and the SMS says the call was for.
EXPERIENCE: dict[str, str] = {
    FollowUpKind.SERVICE_3D: "维修保养经历",
    FollowUpKind.DELIVERY_3D: "购车和交车经历",
    FollowUpKind.DELIVERY_7D: "购车和用车经历",
    FollowUpKind.REVISIT: "投诉的处理过程",
}
SMS_PURPOSE: dict[str, str] = {
    FollowUpKind.SERVICE_3D: "了解您的爱车保养后的使用情况",
    FollowUpKind.DELIVERY_3D: "关心您的新车使用情况",
    FollowUpKind.DELIVERY_7D: "关心您的新车车况并提醒首次保养",
    FollowUpKind.REVISIT: "回访您反映问题的处理情况",
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "××"  # a name the record does not have: the seed's own placeholder


def render(text: str, values: dict[str, str]) -> str:
    """``text`` with its {placeholders} filled (×× for what is unknown)."""
    present = {k: v for k, v in values.items() if v}
    return string.Formatter().vformat(text, (), _Blank(present))


def script_for(kind: str) -> Script:
    return SCRIPTS[kind]
