"""Why an event (a fire, a failure, an injury, a scene) or any trigger does not count: a warning
light called 报警, an injury with another cause, an event denied, feared or in someone else's car,
a scene elsewhere, a step or event settled. Each check returns the reason, or None."""

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# --- reasons a trigger does not count ----------------------------------------------------------
# Each check returns why the trigger is dismissed, or None.
from .step_checks import (
    _BLAME,
    _CHIME,
    _CRIME,
    _GRIEVANCE,
    _INTENT_BEFORE,
    _OWN_STEP,
    _POLICE,
    _PRAISE,
    _WARNING_AFTER,
    _WARNING_BEFORE,
)
from .window import Window


def _warning_light(w: Window) -> Promise | None:
    """ "胎压报警", "ESP报警了", "一挂倒挡就报警，雷达滴滴地叫": the car warns; nobody calls the police."""
    if _CRIME.search(w.passage):
        return _("a crime against the customer's car reported to the police, not about the dealer")
    if _POLICE.search(w.sentence):
        return None
    if (
        _WARNING_BEFORE.search(w.left_clause)
        or _WARNING_AFTER.search(w.right_clause)
        or _CHIME.search(w.sentence)
        or not _INTENT_BEFORE.search(w.left_clause)
    ):
        return _("a warning light or chime, not a call to the police")
    return None


_UNRELATED_CAUSE = re.compile(
    r"打球|踢球|打篮球|运动|健身|跑步|摔了一?跤|摔倒|滑倒|走路|爬山|骑车|做饭|干活|工作时|工地|上班时|生病|病了|发烧|感冒|"
    r"手术|生孩子|坐月子|修水管|做家务|干家务|在家修|骑电动车|骑自行车|骑摩托|摔|石膏|羽毛球|乒乓球|篮球|足球|网球|游泳|扭了|崴了|学校|幼儿园|单位里|接送|代步车|不能开车|没法开车|阳了|老人家?|身体不好|体检|骨科|崴|扭伤|烫到手的|切菜|家里|疫情|出差"
)
# the cabin air: fumes or mist from the vents, a smell that made someone ill
_CABIN_AIR = (
    r"风口[^,。]{0,4}(?:喷|吹|冒)|白雾|刺鼻|甲醛|一氧化碳|中毒|"
    r"(?:异味|怪味|气味)[^。]{0,12}(?:咳|晕|吐|恶心|难受|喘|过敏)|(?:闻|吸)了[^,。]{0,6}(?:咳|晕|吐|恶心|难受|喘)"
)
_ON_FIRE = r"(?<![打点])(?<!打不)(?<!点不)(?<!打得)(?<!点得)着火"  # "打不着火": it will not start
_CAR_EVENT = re.compile(
    rf"撞|车祸|事故|刹车|制动|气囊|车门|车窗|天窗|座椅|起火|{_ON_FIRE}|自燃|冒烟|夹|烫|车里|车内|车上|开车时|驾驶|方向盘|失控|"
    rf"追尾|翻车|爆炸|玻璃|后备箱|尾门|电动门|充电|安全带|砸到|砸伤|砸中|举升机|千斤顶|{_CABIN_AIR}"
)
_ABSENCE = re.compile(
    r"所以|不方便|来不了|过段时间|以后再说|再说|签字|没法|没办法过来|没空|晚了|推迟|改期|耽误|请假|暂时不能|过几天|等.{0,4}出院"
)


def _no_car_event_nearby(w: Window) -> Promise | None:
    if _AT_DEALER.search(w.passage) and _PREMISES_HAZARD.search(w.passage):
        return None  # a fall on the dealer's wet floor ("洗车区积水处滑倒，120已接走")
    if not _CAR_EVENT.search(w.passage) and not re.search(r"受伤|伤|骨折|流血", w.passage):
        return _("a hospital stay with no event of the car told")
    return None


_STRONG_EVENT = re.compile(
    rf"撞|剐蹭|刮蹭|刮上|刮倒|倒地|车祸|事故|起火|{_ON_FIRE}|自燃|冒烟|夹|烫|气囊|失控|追尾|翻车|爆炸|弹出|砸|摔出|甩出|失效|失灵|{_CABIN_AIR}"
)
# An injury on the dealer's premises from what was left there ("你们车间地上的油", "展厅台阶"):
# a fall is then no private mishap.
_DEALER_PLACE = r"(?:店|这|那|车间|展厅|门店|售后|休息区|等候区|停车场|洗车|工位)"
_AT_DEALER = re.compile(
    rf"(?:在|到)(?:你们|贵店|我店|本店)(?:的)?[^,。]{{0,4}}{_DEALER_PLACE}?|在我们(?:的)?{_DEALER_PLACE}|"
    rf"在(?:他们|你们)(?:4s)?店[^,。]{{0,3}}{_DEALER_PLACE}?|儿童区|游乐区|洗车区|客休区|你们(?:的)?(?:店里|店门口|车间|展厅|售后|休息区|洗车房|工位)|"
    r"(?:车间|展厅|店里|售后|休息区|工位)[^,。]{0,4}(?:地上|地面|台阶|门口|楼梯)"
)
_PREMISES_HAZARD = re.compile(
    r"滑梯|摔下来|刚拖过|刚拖完|拖过的|未摆放[^,。]{0,4}警示|没(?:有)?(?:摆|放)[^,。]{0,4}(?:警示|提示)|(?:地上|地面|台阶|楼梯)[^,。]{0,6}(?:油|水|湿|滑|没人收拾|没有?提示|警示)|机油|油污|有油|积水|湿滑|"
    r"没人收拾|没有?(?:放)?警示|千斤顶|举升机|灯罩|天花板|吊顶|"
    rf"(?:在|到)你们(?:的)?{_DEALER_PLACE}[^,。]{{0,6}}(?:摔|滑倒|绊倒|被砸|被夹|被撞)"
)


# a sport or a chore in the injury's own clause (我打篮球把腿摔骨折了), whatever car talk follows
_OWN_ACTIVITY = re.compile(
    r"打球|踢球|打篮球|健身|跑步|爬山|做饭|修水管|做家务|干家务|在家修|羽毛球|乒乓球|篮球|足球|网球|游泳|切菜"
)
# someone knocked down by a car, told before the injury (倒车把我爸给撞了, 让试车的刮倒了)
_KNOCKED_DOWN = re.compile(
    r"把[^,。]{0,6}(?:给)?(?:撞|刮倒|碰倒|轧)|被[^,。]{0,10}(?:撞|刮倒|碰倒|轧)|给(?:撞|刮|碰)倒|"
    # … or a limb caught by a moving part (座椅突然往后一滑把我小腿卡在门框那)
    r"把[^,。]{0,3}(?:小腿|腿|手|脚|手指|胳膊|头)[^,。]{0,2}(?:卡|夹|压)"
)


def _unrelated_injury(w: Window) -> Promise | None:
    if "撞" in w.trigger:  # knocked down or hurt by a car (撞倒, 撞伤): the car is in it
        return None
    if _KNOCKED_DOWN.search(w.passage[: w.at]):
        return None
    if _OWN_ACTIVITY.search(w.left_clause) and not _STRONG_EVENT.search(w.left_clause):
        return _("an injury or illness with another cause, not one from the car")  # 我打篮球把腿摔骨折了
    around = w.left + " " + w.right  # the trigger itself ("烫伤") is no car event
    if _STRONG_EVENT.search(around):
        return None
    if _AT_DEALER.search(w.passage) and _PREMISES_HAZARD.search(w.passage):
        return None
    if re.search(r"扭|崴|腰|颈椎|劳损|坐久|久坐|开久", w.trigger + w.left_clause[-3:]) and not re.search(
        r"撞|怼|刹|追尾|急停|甩|冲", w.passage
    ):
        return _("an injury or illness with another cause, not one from the car")
    if _ABSENCE.search(around) or _UNRELATED_CAUSE.search(around):
        return _("an injury or illness with another cause, not one from the car")
    if _CAR_EVENT.search(around) or _STRONG_EVENT.search(w.passage[: w.at]):  # a crash told first
        return None
    if _UNRELATED_CAUSE.search(w.sentence) or _ABSENCE.search(w.sentence):
        return _("an injury or illness with another cause, not one from the car")
    return None


_BODY = (
    r"额头|脑袋|头部|(?<![车龙石码枕床镜灯])头|手指|指甲|手腕|手臂|手掌|(?<![扶把拉])手(?!柄|刹|套|机)|脚踝|"
    r"脚(?!垫|刹|踏|蹬)|小腿|大腿|腿|胳膊|肋骨|脸|眼睛|眼角|鼻子|鼻梁|腰|脖子|颈椎|膝盖|肩膀|胸口|胸|后背|"
    r"(?<![椅靠])背|皮肤|身上|髋骨|髋部|髋关节|尾椎|尾骨|肩膀|锁骨|肋骨|(?<!路)肩"
)
_PERSON_BEFORE = re.compile(
    r"(?:我|他|她|孩子|小孩|儿子|女儿|老婆|老公|爱人|媳妇|爸|妈|父亲|母亲|老人|婆婆|公公|家人|乘客|司机|行人|路人|"
    r"人员|一家人|大人|宝宝|同事|朋友)[^,。]{0,4}$"
)
_CAR_PART = re.compile(
    r"后视镜|车漆|漆面|保险杠|轮毂|车门|车身|玻璃|大灯|尾灯|引擎盖|机盖|车顶|叶子板|轮胎|底盘|内饰|座椅|皮子|中控|车子|爱车|车"
)


def _no_person(w: Window) -> Promise | None:
    """ "车漆划伤", "后视镜被人划伤了" and "车子没有受伤的痕迹" are damage to the car."""
    left = re.sub(r"车(?:外|里|内|上|下)", "  ", w.left_clause)  # "摔出车外" is a place
    car_before = _CAR_PART.search(left[-3:]) or (
        _CAR_PART.search(left[-8:]) and not _PERSON_BEFORE.search(left[-8:])
    )
    if car_before and not re.search(_BODY, left[-8:]):
        return _("damage to the car, not to a person")
    if re.search(_BODY, left + w.right_clause) or _PERSON_BEFORE.search(left):
        return None
    return _("damage to the car, not to a person")


_OTHERS = re.compile(
    r"(?:哥|姐|弟|妹|爸|妈|叔|姨|舅|朋友|同事|邻居|亲戚|同学|别人|人家|他|她|他们|老板|领导|客户|你|您|楼主)的车|"
    r"(?:朋友|同事|邻居|亲戚|同学|别人|人家)[^,。我]{0,3}开的[^,。]{0,8}车|另一个牌子|别的牌子|其他牌子|"
    r"有辆车|有一辆车|有台车|百度|搜一下|搜索|输入|调查|新闻|报道|听说|据说|网上|网上看到|视频里看到|别人|有人|其他车主|别的车|隔壁|邻居|朋友的车|同事的车|那辆|视频里|群里|论坛|"
    r"这款车.{0,4}(?:经常|多次|容易|出过)|同款.{0,4}(?:出过|发生过)|"
    r"(?:看到|看见|路过|碰到|遇到|见到|瞧见)[^,。]{0,6}(?:一辆|有辆|辆|一台|别人|别的|路边)|"
    # 同事那台车, 朋友车, 前面一台车在收费站, 抖音上那个车
    r"(?:哥|姐|弟|妹|爸|妈|朋友|同事|邻居|亲戚|同学|车友)(?:那台|那辆|家的?|家那台)?车|"
    r"(?:前面|旁边|对面)(?:一台|一辆|那台|那辆)车?在|(?:抖音|快手|视频号|b站)上"
)


# Someone who told or helped the customer ("邻居拍门叫的我", "路人帮我报的警") is a witness to the
# customer's own event, not the owner of another car.
_WITNESS = re.compile(
    r"(?:邻居|路人|别人|有人|保安|物业|同事|朋友|路过的人)[^,。]{0,4}"
    r"(?:拍门|敲门|叫(?:的)?我|喊(?:的)?我|告诉我|通知我|提醒我|打电话给我|给我打电话|帮我|帮忙|报的警|报了警|打的119|打了119|发现的)"
)


# The customer's own case, told for them or through others: a neighbour or a relative telling the
# dealer for the owner (车主出差了托她先来报一声), the teller revealed as the one hurt (这个被砸的就是我
# 本人), our customer through a group (车主刚在群里发了视频…问我们怎么办)
_ON_BEHALF = re.compile(
    r"托(?:她|他|我|邻居|朋友|家里人?)|替(?:他|她)(?:来)?(?:说|报|问|打)|车主(?:出差|不在|不太懂|不会弄)|"
    r"让我们(?:来|去|过去)|来报一声|来转达|转达|代(?:他|她)(?:来|打|说)|就是我(?:本人|自己)|"
    r"车主[^。]{0,30}(?:@了我们|艾特了我们|问我们|找我们|联系我们)|问我们怎么办"
)


# The family's own car, happening now and brought to the dealer (我爸昨天开那辆逸动…突然熄火…车现在停在镇上)
_FAMILY_NOW = re.compile(
    r"(?:我爸|我妈|我爷爷|我奶奶|我老公|我老婆|我爱人|我媳妇|我儿子|我女儿|我闺女|我家)[^,。]{0,4}"
    r"(?:昨天|今天|今早|刚才|刚刚|前天|早上|晚上)?[^,。]{0,2}开"
)
_HELP_NOW = re.compile(r"车现在|现在[^,。]{0,6}停在|拖车|救援|你们(?:赶紧|快|派)|怎么办|吓得")


def _someone_else(w: Window) -> Promise | None:
    left = _WITNESS.sub(" ", w.left) + w.trigger[:1]  # "朋友[车]轮子跑掉了": whose car, in the trigger
    if _ON_BEHALF.search(w.passage):
        return None
    if _FAMILY_NOW.search(w.passage) and _HELP_NOW.search(w.passage):  # 我爸昨天开那辆…车现在停在镇上
        return None
    if _OTHERS.search(left) and not re.search(r"我的车|我车|我家车|我这台|我这辆", w.left_clause):
        return _("an event in someone else's car or in the news")
    return None


_NOT_THE_CAR_FIRE = re.compile(
    r"排气管|排气|尾气|白烟|蒸汽|水汽|雾气|烟头|抽烟|吸烟|香烟|烟味儿?(?!.*(?:烧|焦))|烟花|鞭炮|炊烟|火锅|烧烤|生火|点火开关|打火机|冒烟的速度"
)


def _not_a_fire(w: Window) -> Promise | None:
    """Steam from the exhaust on a cold morning is not smoke from a fire (flames are)."""
    if re.match(r"(?:报警|探测|传感|险)", w.right_clause):
        return _("exhaust steam or other smoke, not a fire")
    if re.search(r"游戏|打游戏|喊|嚷|叫着|吵", w.left_clause) and "炸" in w.trigger:
        return _("exhaust steam or other smoke, not a fire")
    if "火" in w.trigger and not re.search(r"点火|火花|打火", w.left_clause[-2:] + w.trigger):
        return None
    near = w.left_clause + w.trigger + w.right_clause
    if _NOT_THE_CAR_FIRE.search(near):
        # White smoke from the cabin with a smell of burning, scorch marks or people choking is
        # no steam ("座椅加热那块都焦了冒白烟", "出风口喷出一股白烟…呛得直咳嗽").
        if not _STEAM_OR_OTHER.search(near) and _BURNING.search(w.sentence):
            return None
        return _("exhaust steam or other smoke, not a fire")
    return None


_STEAM_OR_OTHER = re.compile(
    r"排气|尾气|蒸汽|水汽|雾气|烟头|抽烟|吸烟|香烟|烟花|鞭炮|炊烟|火锅|烧烤|点火开关|打火机"
)
_BURNING = re.compile(
    r"焦了|烧焦|焦糊|糊味|焦味|烧糊|烤焦|熏黑|烧化|熔化|融化|烧[^,。]{0,3}味|刺鼻|呛得|呛人|咳嗽|睁不开眼|跑下车|跑出去|"
    r"赶紧停车|火星|故障|短路|锁死|巨响|充电|充着电|电池|底盘|拔了?枪|线束|电线"
)


_FALLING_OBJECT = re.compile(r"冰雹|树枝|树|石头|花盆|高空|坠物|掉下|落下|砸下|台风|暴雨")


_THINGS = re.compile(r"(?:钥匙|手机|包|钱包|东西|证件|卡|遥控器?)[^,。]{0,3}(?:被|都|也)?$")


def _only_things_locked_in(w: Window) -> Promise | None:
    """ "钥匙锁在车里了": the keys are inside, nobody is trapped."""
    if _THINGS.search(w.left_clause):
        return _("keys or belongings locked in the car, nobody trapped")
    return None


_DEALER_PROPERTY = re.compile(
    r"卷帘门|(?:店|车间|展厅)[^,。]{0,2}(?:门|招牌|玻璃|外墙)|招牌|展车|黑心4s|黑店"
)


def _not_a_person(w: Window) -> Promise | None:
    if _FALLING_OBJECT.search(w.left):
        return _("something fell on the car; nobody smashed it")
    if _DEALER_PROPERTY.search(w.passage):  # 车间卷帘门被人泼了红漆: the dealer is the target
        return None
    if re.search(r"被人?[^,。]{0,2}$", w.left_clause) or _CRIME.search(w.sentence):
        return _("the customer's car was vandalised; no scene at the dealer")
    return None


_CELEBRATION = re.compile(
    r"活动|促销|开业|庆祝|欢迎|恭喜|交车仪式|喜|祝贺|周年|店庆|宣传|广告|国庆|春节|新春|中秋|元旦|端午|圣诞|节日|新年|"
    r"好看|漂亮|挺好|不错|你们(?:店)?(?:门口)?挂的|你们[^,。]{0,8}的[^,。]{0,4}(?:横幅|条幅|标语|牌子)|上市|你们[^,。]{0,6}(?:拉|挂|贴|打)的|写错|错字|哈哈|字掉|团购|车展|发布会|试驾会|展会|特卖|优惠|报名|拍照"
)


_OUTING = re.compile(r"车友会|自驾|聚会|沙龙|试驾会|团购|报名|活动|俱乐部|旅游|出游|聚餐")
# "带车友会十几个同款车主过去，大家…的问题都一样": the same fault brings them, not an outing
_SHARED_FAULT = re.compile(
    r"问题|故障|毛病|通病|顿挫|异响|抖动|漏油|漏水|一样的|都一样|同样的|讨说法|说法|交代|解决|区域经理|领导|负责人"
)


def _celebration(w: Window) -> Promise | None:
    if (
        re.search(r"横幅|条幅|牌|标语", w.trigger)
        and _CELEBRATION.search(w.sentence)
        and not _BLAME.search(w.sentence)
    ):
        return _("a promotion banner, not a protest")
    if re.search(r"砸|锤", w.trigger) and re.search(r"测试|环节|演示|表演|活动", w.sentence):
        return _("a test or a show staged by the dealer, not a scene")
    if (
        re.search(r"车主|车友", w.trigger)
        and _OUTING.search(w.sentence)
        and not (_BLAME.search(w.sentence) or _SHARED_FAULT.search(w.sentence))
    ):
        return _("owners meeting for an outing, not a protest")
    return None


_FIGURE_OF_SPEECH = re.compile(r"^(?:价|也不|都不|我也不|我都不|不买|了也不)|^[^,。]{0,2}(?:也不|都不)")


def _idiom(w: Window) -> Promise | None:
    if _FIGURE_OF_SPEECH.search(w.right_clause):
        return _("a figure of speech")
    return None


_SAFETY_THREAT = re.compile(r"安全|隐患|风险|生命|健康|行车")


# A scene told of others, read or heard of ("网上看到有车主维权闹到店里"): not at this dealer, not now.
_SEEN_ELSEWHERE = re.compile(
    r"(?:网上|新闻|视频|抖音|微博)(?:里|上)?[^,。]{0,3}(?:看到|看见|刷到)|听说|据说|看到有人|看到有车主"
)


# … or at another shop (隔壁那家别的牌子的店门口拉横幅了)
_OTHER_SHOP = re.compile(r"隔壁(?:那家|的店|店)|别的(?:店|牌子的店)|别家(?:店)?|另一家店|对面(?:那家|的店)")


def _scene_elsewhere(w: Window) -> Promise | None:
    if (_SEEN_ELSEWHERE.search(w.left_clause) or _OTHER_SHOP.search(w.left)) and not _OWN_STEP.search(
        w.left_clause + w.right_clause
    ):
        return _("a scene read or heard of elsewhere, not at this dealer")
    return None


def _threat_to_safety(w: Window) -> Promise | None:
    if _SAFETY_THREAT.search(w.left_clause + w.right_clause):
        return _("a threat to safety (a worry), not threatening staff")
    return None


def _live_praise(w: Window) -> Promise | None:
    """ "在你们展厅开直播提车，太开心了": a celebration streamed, not a scene."""
    if _PRAISE.search(w.passage) and not _BLAME.search(w.passage) and not _GRIEVANCE.search(w.passage):
        return _("praise shared on a platform, not an exposure")
    return None


_WARNING = re.compile(
    r"掂量|看着办|好自为之|后果自负|别怪我|等着瞧|走着瞧|想清楚|想好了|自己看着|给你们提个醒|你们自己想|不解决|再不|否则|不然"
)


_OWN_CASE = re.compile(
    r"我(?:的|这)(?:件)?(?:事|遭遇|经历|车|台车|辆车)|我这台|我这辆|我们这台|你们(?:这个|这台|这款|家的|店的)|专门(?:讲|拍|说|做)"
)


def _no_warning(w: Window) -> Promise | None:
    """A creator's feature is a crisis when it is about the customer's own case or held over the
    dealer ("想拿我这台车做一期专题，你们自己掂量"); a creator asking for a test car is not."""
    if not (_WARNING.search(w.passage) or _OWN_CASE.search(w.sentence)):
        return _("a creator named without holding it over the dealer")
    return None


_MOOD = re.compile(r"情绪|心态|脾气|场面|局面|预算|成本|价格|时间")


# A tired or drunk driver (因犯困下了路沟): the driver's state, not the car
DRIVER_STATE = r"犯困|打瞌睡|打盹|睡着了|疲劳驾驶|酒驾|喝了酒|喝多了"
_DRIVER_ERROR = re.compile(
    r"不小心|没注意|操作失误|我的责任|我的错|全责是我|我自己撞|走神|没看到|没看见|没看清|倒车时没|看手机|我全责|跟车没关系|与车无关|"
    + DRIVER_STATE
)


def _driver_error(w: Window) -> Promise | None:
    if _DRIVER_ERROR.search(w.sentence) or re.search(
        r"(?:前车|前面的车|对方|别人的车|别的车)[^,。]{0,3}$", w.left_clause
    ):
        return _("the driver's own mistake, not a fault of the car")
    return None


def _figurative_loss_of_control(w: Window) -> Promise | None:
    if _MOOD.search(w.left_clause[-4:]):
        return _("a figure of speech")
    return None


# A past step or event told as over and resolved ("去年打过12315，后来换了件，已经没事了",
# "前年冒过一次烟，换了线束后一直没事"): the trigger is told in the past, and the passage says it
# ended. A step still threatened or a new event told after it (今天又, 再不解决) still counts.
_PAST = re.compile(
    r"去年|前年|早几年|前几年|那几年|那年|当年|上次|上回|那次|那回|之前|以前|先前|早先|当时|当初|本来|原本|曾经|上个?月|"
    r"上半年|几年前|几个月前|那会儿?|那阵子|前阵子|早些时候|前期|此前|早前"
)
_TOLD_AS_PAST = re.compile(
    r"^[^,。]{0,2}过|^[^,。]{0,6}[的得](?:事|那件事|事情|那次)|^[^,。]{0,3}(?:那件事|那事儿?|那回事|那个事|那档子事)"
)
_NOW = re.compile(
    r"今天|今早|今晚|现在|这次|这回|刚才|刚刚|昨天|昨晚|前天|最近|这两天|这几天|又|再次|目前|马上|立刻"
)
_RESOLVED = re.compile(
    r"(?:已经|早就|早已|后来|现在|之后|最后)[^,。没不未还]{0,4}(?:没事|没问题|解决|处理好|处理完|了结|结了|结案|过去了|翻篇|调解|处理得(?:还行|不错|挺好|很好)|"
    r"撤回|撤诉|和解|搞定|删|撤)|(?:已经|早就|早已|后来|之后|最后)[^,。没不未还]{0,6}(?:修好|换了(?:新车|一台|一辆|台|辆)|退了车|赔了|赔偿了|和解)|"
    r"判完了?|(?:官司|案子)[^,。没不未还]{0,3}(?:赢了|打赢了|打完了|结了)|(?:钱|赔偿|赔款|车款)[^,。没不未还]{0,4}(?:拿到|到账|到位|退回来|打过来了)|赔完了|"
    r"协议[^,。没不未还]{0,3}签(?:了|好)|签了[^,。没不未还]{0,3}(?:协议|和解)|(?:都|也|早)过去了|翻篇了|(?:问题|事情|事儿|那件事|这事)[^,。没不未还]{0,3}解决了|"
    r"(?:我|已经|早就)[^,。没不]{0,3}(?:删|撤)(?:了|掉了)|(?:一直|到现在|至今)[^,。]{0,6}(?:都|也)?没(?:事|出过|再出|问题)|"
    r"(?:此后|之后|后来|从那以后|打那以后)[^,。]{0,4}(?:再也|再|都|也)没(?:事|出过|再出|问题|坏过|犯过)|"
    # made good and thanked for (给换了新车，现在开着挺好; 送面锦旗)
    r"(?:给|已经?)换了(?:新车|一台|一辆)|现在[^,。没不]{0,4}(?:挺好|很好|正常|没毛病)|锦旗|(?:车|件)[^,。没不]{0,2}换好了|"
    r"不计较了|不追究了"
)
_CLAIMED = re.compile(r"(?:说是?|以为|号称|声称|答应|保证)[^,。]{0,4}$")
_STILL_ON = re.compile(
    r"(?<!处理)(?<!检测)(?<!鉴定)(?<!调解)结果(?!是满意|满意)|谁知|没想到|又(?!来)|再次|仍然|依然|依旧|还是(?:不|没|会|老|有)|还没|没解决|不解决|再不|不然|否则|如果再|要是再|"
    r"还(?:要|会|得)(?:去|找|告|起诉|投诉|曝光)"
)


# A step withdrawn, told right after it ("律师那边我撤了", "视频已经删了"): over, whenever it was.
_WITHDRAWN = re.compile(
    r"^[^,。]{0,8}(?:我|已经|早就)?(?:撤了|撤回了|撤诉了|撤掉了|删了|删掉了|不打了|不告了)"
)


# Told as done, whenever it was (和解协议签完了, 谈妥了, 跟他讲清楚了, 不用再联系): over.
_SETTLED_NOW = re.compile(
    r"协议[^,。没不未]{0,3}签(?:完|好|了)|签了[^,。没不未]{0,3}(?:和解|协议)|谈妥了|讲清楚了|说清楚了|不用再联系|"
    r"没意见了|一切正常|再没出过|都(?:已经)?解决了|算(?:是)?了结了|"
    # closed or called off (同意结案, 横幅已撤, 不报道了, 客户点了"已解决", 回访均正常)
    r"同意结案|已结案|圆满结案|无异常|均正常|正常使用|已修复|已处理完|处理完了|已解决|已(?:经)?撤|撤下来|撤回了|翻篇了|"
    r"不报道了|不报了|不曝光了|不用报了|没再来|打过招呼了|(?:算|就)过去了|(?:笔记|视频|帖子)[^,。]{0,3}删了|撤回投诉|调解会开完|"
    r"(?:已经?|已)退还|退还了|书面道歉|评分改为|改(?:成|为)好评|"
    r"已[^,。]{0,8}结案|(?:工单|风险|本单)[^,。]{0,2}(?:已)?关闭|不再(?:跟进|追诉|追究)|终结书|归档|自行删除|上门致歉|获赔|"
    # called off or agreed, in many voices (不闹了, 律师那边让他先停了, 投诉也撤了, 唔使再跟进)
    r"不闹了|不弄了|不告了|(?:让|叫)(?:他|她|律师)?[^,。]{0,2}停了|叫停了|(?:也|都|已经?)撤了|签订[^,。]{0,3}(?:和解|协议)|"
    r"(?:已经|已|也)调解了|(?:也|已经?)结了|协商好了|和解了|谈好了|唔使再跟进|冇事啦|"
    r"调解成功|调解完了?|调解已完成|本案结|满意确认书|不用来采访|不来采访了|不采访了|(?:已|已经|已由)[^,。]{0,6}撤回|(?:钱|款|赔偿)[^,。]{0,6}到账|本案(?:已)?关闭|达成(?:了)?和解|(?:已|双方)和解|(?:钱|款|赔偿)[^,。]{0,8}(?:已|已经)?打过去|调解完毕|调解书|"
    r"在法院调解了|调解结案|(?:钱|款)[^,。]{0,4}打过来了|履行完毕|再无争议|(?:已经|已|就)结束了?|都签了字|报道[^,。]{0,4}没(?:有)?发|没有报道|没报道"
)


_RETRACT_REACH = 48  # characters after the trigger read for a retraction
# Taken back after it was said or written ("是我夸张了", "经核实为笔误", "就是在气头上",
# "他没答应"): never meant, or refused.
_RETRACTED = re.compile(
    r"夸张了|夸张的|笔误|写错了|说错了|别当真|没这回事|酒醒了|醉话|喝多了说的|(?<!不是)气头上|(?<!不是)气话|实际(?:上)?(?:没|并没|不会)|"
    r"其实[^,。]{0,12}(?:不会|不认识|没(?:有)?(?:去|找|请|发|打))|(?:也|并|根本)不会(?:真)?去|"
    r"(?:他|她|我|客户|车主)(?:并)?(?:没|没有)(?:答应|同意)|"
    r"我(?:已经)?(?:回绝|拒绝|推掉)了|是(?:个)?误会|其实是(?:水汽|蒸汽|水蒸气)|"
    r"(?:这|此事)?跟你们没(?:有)?关系|与(?:你们|贵店)无关|不是(?:针对|冲)你们|经(?:回听|核实|核查)[^。]{0,24}(?:无|没有|并非|不是)|并非(?:其|我|客户)?本人|本次未提及|未提及|"
    r"(?:水汽|水蒸气|蒸汽|冷凝水)[^。]{0,16}(?:非|并非|不是)起火|经(?:检查|检测|核实)[^。]{0,4}为[^。]{0,12}(?:水汽|水蒸气|蒸汽|冷凝水)|"
    r"(?:水汽|水蒸气|蒸汽)[^。]{0,12}没(?:有)?起火|没(?:有)?起火[^。]{0,12}(?:水汽|水蒸气|蒸汽)|(?:他|她|客户|车主)(?:当场)?(?:拒绝了|谢绝了|婉拒了)"
)


def _retracted(w: Window) -> Promise | None:
    after = w.passage[w.at + len(w.trigger) :][:_RETRACT_REACH]
    if _RETRACTED.search(after) and not _STILL_ON.search(after):
        return _("taken back: exaggerated, a slip, said in anger, or refused")
    return None


# A call written as turns ("客户：… 坐席：…"): the agent's words (请问有没有冒烟？) are no event.
_TURN = re.compile(r"(坐席|客服|接线员|专员|顾问|客户|车主|顾客|来电人)[:：]")
_AGENT = frozenset({"坐席", "客服", "接线员", "专员", "顾问"})


# Staff talking among themselves about what a customer might do, in training, or of news from
# elsewhere ("万一哪天有客户在展厅开直播…", "内训课题《媒体危机应对》", "外省那个砸车的新闻…不是咱们品牌").
_STAFF_IF = re.compile(r"(?:万一|如果|假设|假如|要是|如(?=客户|车主))[^,。]{0,8}(?:客户|车主|顾客|有人)")
_DRILL = re.compile(r"培训|内训|演练|模拟场景|课题|话术|案例分享|周会上|提醒大家|讨论[:：]|结论[:：]")
_OTHER_PLACE = re.compile(r"外省|外地|不是我们(?:品牌|店)|引以为戒")


def _staff_talk(w: Window) -> Promise | None:
    if _STAFF_IF.search(w.left) or _DRILL.search(w.passage):
        return _("staff discussing what a customer might do, or training")
    if _OTHER_PLACE.search(w.sentence):
        return _("news from elsewhere, not at this dealer")
    return None


def _agents_words(w: Window) -> Promise | None:
    turns = list(_TURN.finditer(w.passage[: w.at]))
    if turns and turns[-1].group(1) in _AGENT:
        return _("the agent's words in the call, not the customer's")
    return None


_WITHDRAWN_BEFORE = re.compile(r"(?:已经|已|早就)?(?:撤回了|撤诉了|撤销了|撤了)")


def _settled(w: Window) -> Promise | None:
    after = w.passage[w.at + len(w.trigger) :]
    if _WITHDRAWN_BEFORE.search(w.passage[: w.at]) and not _STILL_ON.search(w.passage):
        return _("a past step or event told as over and resolved")
    settled_now = _SETTLED_NOW.search(w.passage, w.at)  # from the trigger on: a long trigger may hold it
    if (_WITHDRAWN.search(w.right_clause) or settled_now) and not _STILL_ON.search(after):
        return _("a past step or event told as over and resolved")
    before = w.left + w.trigger  # "视频我本来发到网上了": the trigger may hold the time itself
    past_at = max((m.end() for m in _PAST.finditer(before)), default=-1)
    told_past = past_at >= 0 and not _NOW.search(before[past_at:])
    if not (told_past or (_TOLD_AS_PAST.search(w.right_clause) and not _NOW.search(w.left))):
        return None
    resolved = next(
        (m for m in _RESOLVED.finditer(after) if not _CLAIMED.search(after[: m.start()])),
        None,
    )
    if resolved is None or _STILL_ON.search(after[: resolved.start()] + after[resolved.end() :]):
        return None
    return _("a past step or event told as over and resolved")


_NO_CRASH = re.compile(r"(?:没有|没|未|从未)(?:发生过?|出过|有过)?(?:任何)?(?:碰撞|事故|车祸)|没出过事")


def _no_crash(w: Window) -> Promise | None:
    """ "车辆没有发生过任何碰撞，气囊也没有弹出，只是灯一直亮着": a warning light, no crash; and airbags
    that went off in a crash the insurer sent in for repair (定损车…气囊全弹了) did their job."""
    deployed = re.search(r"弹出|弹开|爆开|炸开|起爆|自己弹|弹了|爆了", w.trigger) and not re.search(
        r"没|未", w.trigger
    )
    if _NO_CRASH.search(w.sentence) and not deployed:
        return _("no crash: only the airbag warning")
    if re.search(r"定损|保险公司送|钣喷", w.sentence) and not re.search(r"没|未|不", w.trigger):
        return _("an accident repair: the airbags did their job")
    return None


def _in_case(w: Window) -> Promise | None:
    """ "万一车里起火人出不来": a fear, not a scene (万一 is seldom an ultimatum)."""
    if "万一" in w.left_clause:
        return _("a worry or a hypothetical, not something that happened")
    return None
