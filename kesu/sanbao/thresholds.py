"""The figures of 家用汽车产品修理、更换、退货责任规定 (国家市场监督管理总局令第43号, 2021-07-22,
in force 2022-01-01), as data: each with its article, the clause's wording and how it was checked.

``verified``: the figure AND the article number were checked against a published quotation of
the 2021 text (``source``); False: the figure is the 2021 text as we know it but the article
number (or, where said, the figure) could not be checked against the text itself — a reviewer
with the official text (samr.gov.cn) should confirm those before relying on the number shown.

How a clause's words are counted (民法典 第二百条 to 第二百零四条; 刑法 第九十九条 for 以内):
- "自…之日起N日内": the start day is not counted (第二百零一条), so day N is start + N days;
  a date on start + N is inside, start + N + 1 is outside.
- "N年": ends on the corresponding day of the last year (第二百零二条); 29 February → 28 February.
- "N公里之内": includes N ("以内、以上、以下 包括本数"); "以先到者为准": either limit ends it.
- "超过N": strictly more than N; "累计…N次": at least N.
"""

from dataclasses import dataclass
from decimal import Decimal

REGULATION = "家用汽车产品修理、更换、退货责任规定（国家市场监督管理总局令第43号，2022年1月1日起施行）"


@dataclass(frozen=True)
class Threshold:
    key: str
    article: str  # 第二十四条第一款第四项
    figure: Decimal
    unit: str  # day, year, km, time, percent
    rule: str  # within (≤, inclusive), more_than (>), at_least (≥), at_most (≤)
    wording: str  # the clause, in Chinese (data: shown as is)
    verified: bool
    source: str = ""


_IMLAW = "imlaw.cn 法条引用 (第二十四条第一款全文, 2024)"
_SZ = "深圳新闻网 2022-03-21 引新三包第二十一条"
_NEWS = "市场监管总局 2021-07 发布新闻稿的转载 (xivipbz.cn 2021-07-28); 条号未见原文"

WARRANTY_YEARS = Threshold(
    "warranty_years",
    "第十八条",
    Decimal(3),
    "year",
    "within",
    "家用汽车产品包修期不低于3年或者行驶里程60000公里，以先到者为准",
    False,
    "多家转载一致 (3年/60000公里); 条号未见原文",
)
WARRANTY_KM = Threshold(
    "warranty_km",
    "第十八条",
    Decimal(60000),
    "km",
    "within",
    "家用汽车产品包修期不低于3年或者行驶里程60000公里，以先到者为准",
    False,
    "同上",
)
SANBAO_YEARS = Threshold(
    "sanbao_years",
    "第十八条",
    Decimal(2),
    "year",
    "within",
    "三包有效期不低于2年或者行驶里程50000公里，以先到者为准；包修期和三包有效期自销售者开具购车发票之日起计算；"
    "开具购车发票日期与交付家用汽车产品日期不一致的，自交付之日起计算",
    False,
    "多家转载一致 (2年/50000公里, 交付日); 条号未见原文",
)
SANBAO_KM = Threshold(
    "sanbao_km",
    "第十八条",
    Decimal(50000),
    "km",
    "within",
    "三包有效期不低于2年或者行驶里程50000公里，以先到者为准",
    False,
    "同上",
)
FREE_REPAIR = Threshold(
    "free_repair",
    "第十九条",
    Decimal(0),
    "day",
    "within",
    "在包修期内，家用汽车产品出现质量问题……消费者可以凭三包凭证选择修理者免费修理（包括免除工时费和材料费）",
    False,
    "条号未见原文",
)
COURTESY_DAYS = Threshold(
    "courtesy_days",
    "第二十一条",
    Decimal(5),
    "day",
    "more_than",
    "在包修期内，因质量问题单次修理时间超过5日（包括等待修理零部件时间）的，修理者应当自第6日起为消费者提供备用车，"
    "或者向消费者支付合理的交通费用补偿",
    True,
    _SZ,
)
SEVEN_DAYS = Threshold(
    "seven_days",
    "第二十二条",
    Decimal(7),
    "day",
    "within",
    "家用汽车产品自三包有效期起算之日起7日内，因质量问题需要更换发动机、变速器、动力蓄电池、行驶驱动电机或者其主要零部件的，"
    "消费者可以凭购车发票、三包凭证选择更换家用汽车产品或者退货，销售者应当免费更换或者退货",
    False,
    _NEWS,
)
SIXTY_DAYS = Threshold(
    "sixty_days",
    "第二十三条",
    Decimal(60),
    "day",
    "within",
    "家用汽车产品自三包有效期起算之日起60日内或者行驶里程3000公里之内（以先到者为准），因质量问题出现转向系统失效、"
    "制动系统失效、车身开裂、燃油泄漏或者动力蓄电池起火的，消费者可以凭购车发票、三包凭证选择更换家用汽车产品或者退货，"
    "销售者应当免费更换或者退货",
    False,
    _NEWS,
)
SIXTY_DAYS_KM = Threshold(
    "sixty_days_km",
    "第二十三条",
    Decimal(3000),
    "km",
    "within",
    "60日内或者行驶里程3000公里之内（以先到者为准）",
    False,
    _NEWS,
)
MAJOR_PART_60 = Threshold(
    "major_part_sixty_days",
    "第二十三条第二款",
    Decimal(60),
    "day",
    "within",
    "家用汽车产品自三包有效期起算之日起60日内或者行驶里程3000公里之内（以先到者为准），发动机、变速器、动力蓄电池、"
    "行驶驱动电机的主要零部件出现质量问题的，消费者可以凭购车发票、三包凭证选择免费更换发动机、变速器、动力蓄电池、"
    "行驶驱动电机",
    False,
    "征求意见稿及转载 (60日/3000公里); 条款号未见原文",
)
SAFETY_REPAIRS = Threshold(
    "safety_repairs",
    "第二十四条第一款第一项",
    Decimal(2),
    "time",
    "at_least",
    "因严重安全性能故障累计进行2次修理，但仍未排除该故障或者出现新的严重安全性能故障的",
    True,
    _IMLAW,
)
ASSEMBLY_REPLACEMENTS = Threshold(
    "assembly_replacements",
    "第二十四条第一款第二项",
    Decimal(2),
    "time",
    "at_least",
    "发动机、变速器、动力蓄电池、行驶驱动电机因其质量问题累计更换2次，仍不能正常使用的",
    True,
    _IMLAW,
)
MAIN_PART_REPLACEMENTS = Threshold(
    "main_part_replacements",
    "第二十四条第一款第三项",
    Decimal(2),
    "time",
    "at_least",
    "发动机、变速器、动力蓄电池、行驶驱动电机、转向系统、制动系统、悬架系统、传动系统、污染控制装置、车身的同一主要零部件"
    "因其质量问题累计更换2次，仍不能正常使用的",
    True,
    _IMLAW,
)
REPAIR_DAYS = Threshold(
    "repair_days",
    "第二十四条第一款第四项",
    Decimal(30),
    "day",
    "more_than",
    "因质量问题累计修理时间超过30日",
    True,
    _IMLAW,
)
SAME_PROBLEM_REPAIRS = Threshold(
    "same_problem_repairs",
    "第二十四条第一款第四项",
    Decimal(4),
    "time",
    "more_than",
    "因同一质量问题累计修理超过4次的",
    True,
    _IMLAW,
)
USAGE_RATE_MAX = Threshold(
    "usage_rate_max",
    "第二十六条",
    Decimal("0.005"),
    "percent",
    "at_most",
    "合理使用补偿费用的计算公式为：[（车价款（元）×行驶里程（km））/1000]×n。使用补偿系数n由生产者确定并明示在三包凭证上。"
    "使用补偿系数n不得高于0.5%；销售者依照本规定应当免费更换、退货的除外",
    False,
    "未见2021年原文: 2012年版为0.5%至0.8%, 2021年版据我们所知改为不得高于0.5%; 条号亦未核实",
)

THRESHOLDS: tuple[Threshold, ...] = (
    WARRANTY_YEARS,
    WARRANTY_KM,
    SANBAO_YEARS,
    SANBAO_KM,
    FREE_REPAIR,
    COURTESY_DAYS,
    SEVEN_DAYS,
    SIXTY_DAYS,
    SIXTY_DAYS_KM,
    MAJOR_PART_60,
    SAFETY_REPAIRS,
    ASSEMBLY_REPLACEMENTS,
    MAIN_PART_REPLACEMENTS,
    REPAIR_DAYS,
    SAME_PROBLEM_REPAIRS,
    USAGE_RATE_MAX,
)
BY_KEY = {t.key: t for t in THRESHOLDS}
