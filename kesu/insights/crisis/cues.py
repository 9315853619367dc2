"""The crisis cues: what may be a crisis, by kind, each with the checks its window must pass.

One table (:data:`CUES`), read top to bottom by :func:`kesu.insights.crisis.read`. Each cue names
its kind, its pattern, why it counts and the checks that may dismiss it."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..choices import SignalKind
from .event_checks import (
    _BODY,
    _STRONG_EVENT,
    _UNRELATED_CAUSE,
    _celebration,
    _driver_error,
    _figurative_loss_of_control,
    _idiom,
    _in_case,
    _live_praise,
    _no_car_event_nearby,
    _no_crash,
    _no_person,
    _no_warning,
    _not_a_fire,
    _not_a_person,
    _only_things_locked_in,
    _scene_elsewhere,
    _someone_else,
    _threat_to_safety,
    _unrelated_injury,
    _warning_light,
)
from .step_checks import (
    Check,
    _award,
    _car_origin,
    _denied,
    _denied_in_sentence,
    _errand,
    _event_denied,
    _future_need,
    _hypothetical,
    _information,
    _landmark,
    _news_source,
    _not_exposure,
    _own_profession,
    _police_case,
    _printed,
    _private_notary,
    _relation,
    _self_identity,
)
from .window import Window

# --- cues -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    kind: str
    pattern: str
    why: Promise
    checks: tuple[Check, ...]
    needs: str = ""  # a regular expression that must occur in the sentence
    unmet: Promise | None = None  # why, when ``needs`` is not met (None: not this cue's event at all)


_G = r"[^,。!?;\n]{0,8}"  # a gap inside one clause
_COLLISION = (
    r"甩(?:到|出|向)|滑出去|冲到|撞上|撞到|撞了|撞向|撞在|撞车|追尾|车祸|出事故|发生事故|冲出|冲进|冲上|冲下|"
    r"翻车|侧翻|掉进|撞护栏|蹭到护栏|剐到|撞树|撞墙"
)
_NEAR = (
    rf"(?:差点|差一点|险些|几乎|好险|幸亏|幸好|好在|还好){_G}(?:撞|追尾|出事|出车祸|出事故|冲出|翻|掉|没命)"
)
_FAULT = (
    r"失灵|失效|没反应|没有反应|不管用|没用|没响|不响|没报警|没有报警|没提示|刹不住|停不下来|没停住|停不住|踩不下去|踩不动|踩到底|锁死|打不动|转不动|卡死|"
    r"熄火|失速|断电|黑屏|动力中断|没动力|没有动力|突然加速|暴冲|自己加速|猛冲|窜出去|自己刹车|无故急刹|莫名.{0,4}急刹|"
    r"幽灵刹车|误刹|溜车|失控|不受控制|突然跑偏|不起作用|不起效|不好使|不灵|乱转|脱手|自己[^,。]{0,4}(?:冲|窜|走|动)|往前冲|方向.{0,3}(?:变沉|变重|很沉)|没助力|助力.{0,3}(?:没了|消失|失效)"
)

# A fault of the car while driving, told with what it led to (a collision, a near miss, the
# hard shoulder): "仪表突然全黑，动力一下子没了，…滑到应急车道，后面一辆大货车擦着过去".
_DRIVING_FAULT = (
    r"失灵|失效|卡住|卡死|锁死|没反应|没有反应|反应[^,。]{0,2}没有|毫无反应|不管用|不起作用|全黑|黑屏|断电|熄火|失速|失去动力|没了动力|"
    r"(?:动力|助力|制动|刹车|转向)[^,。]{0,4}(?:丧失|消失|失去|中断)|"
    r"动力[^,。]{0,4}没了|没动力|没有动力|动力中断|自己[^,。]{0,6}(?:打方向|转|冲|窜|蹿|往前|加速|刹|走|动)|"
    r"突然(?:加速|蹿|窜|冲|急刹|打方向|往前)|往前溜|还在往前|溜车|停不下|刹不住|停不住|不受控|失控|乱转|打不动|转不动|"
    r"方向[^,。]{0,7}(?:沉|重|卡|锁)|(?:刹车|制动|方向|手刹)[^,。]{0,6}(?:没用|没有用|一点用)|失去作用|没有减速|没减速|不减速|没刹|没有刹|"
    r"(?:自己|自动|突然)(?:打开|开了|弹开)|脱落|掉了|爆裂|炸裂|自动紧急制动|紧急制动|自己刹|自动刹车|死沉|变沉|"
    r"滑行|突然不动|不动了|(?:自己|突然)[^,。]{0,4}(?:降速|减速)|没电了|(?:灯|仪表)[^,。]{0,4}(?:不亮|灭)|(?:轮|胎)[^,。]{0,4}爆|爆胎|摇摆|飞出去|飞了出去|刹车(?:直接|突然|一下子)?没了|折断|断裂|拽|拉不回来|拉不住|控制不住|不听使唤|踩空|踩了个空|急停|突然停住|自己停了|往[左右]边?(?:偏|甩)|甩尾|转了一圈|原地打转|打滑|溜(?:下去|走|车|了)|(?:灯|车灯|大灯)[^,。]{0,3}(?:全)?灭|全灭|"
    r"(?:胎|轮)[^,。]{0,10}(?:嘭|砰|嘣)(?:的)?一声|一下没劲|突然没劲|没劲了|一点(?:都|也)?不减|"
    r"往[左右]偏|跑偏|自己跑|乱跑|回不了正|回不来|不回正|(?:玻璃|挡风)[^,。]{0,6}(?:突然)?(?:碎|爆)|往前(?:窜|蹿|冲|走|溜)|车不走|"
    r"(?:刹车|制动|踏板)[^,。]{0,6}(?:软|硬邦邦|发硬|变硬|踩不动|刹不动|到底|没劲|没力)|(?:踩|像|跟)[^,。]{0,2}(?:棉花|海绵)|"
    # the speed running away (cruise control that will not let go is a cue of its own)
    r"(?:车速|速度|时速)?[^,。]{0,2}一路(?:飙|涨|窜|冲)(?:到|上)|刹不动|减不下来|车速还在|(?:根本|完全|死活|怎么都|怎么也)踩不(?:动|下去)|"
    r"(?:油门|电门)[^,。]{0,6}(?:卡住|卡死|回不来|不回来|弹不回|不回弹|下去就不)|车速[^,。]{0,4}(?:往上|一直)(?:飙|涨|窜|冲|升)|"
    r"(?:(?<![我你他她])自己|突然|猛地|猛的|一下子)[^,。]{0,8}(?:跑|偏|拐|蹿|窜|冲|溜)|往后(?:窜|蹿|冲|溜)|(?:车尾|屁股|后轮)[^,。]{0,3}(?:一甩|甩|滑)|打横|横过来"
)
_DANGER = (
    r"撞|怼|顶到|顶上|冲进|冲出|冲上|冲到|冲向|追尾|擦着|差点|险些|差一点|后怕|冷汗|吓死|应急车道|双闪|翻|滑到|"
    r"(?:后车|后面的车)[^,。]{0,4}急刹|才没|亲上|往[^,。]{0,4}冲|滑进|掉进|绿化带|护栏|隔离带|隔离墩|马路牙子|路牙|沟里|路沟|水沟|山沟|电线杆|行人|甩出|擦着地面|滑出|躲不及|幸亏|幸好|好在|"
    r"一头|追了[^,。]{0,3}(?:前面|前车|一辆|人家|别人)|挡住[^,。]{0,4}视线|看不见|看不清|凭感觉|追[^,。]{0,2}上|所幸|及时避让|避让不及|"
    r"才停下|才停住|才停了|才拉回|拉回来|吓出|吓得|吓坏|魂都|交代|没命|要不是|对向|逆行|大货车|黑灯瞎火|摸黑|什么都看不见|看不见路|"
    r"(?:甩|转|打)了[一两几]个?圈|"
    # brought to a stop by hand (一点点刹停, 拉手刹停下, 靠边停), or someone right in front of it
    r"往[左右][^,。]{0,2}(?:窜|甩|偏)了|窜到(?:旁边|对向|隔壁)|半条道|"
    r"离(?:前车|前面的车|前面|人|行人|护栏|墙)[^,。]{0,3}(?:不到|只有|就|只剩)[^,。]{0,4}(?:米|公分|厘米|一点)|"
    r"一点点刹停|慢慢刹停|才刹停|拉手刹才|手刹拉停|靠边停下|蹭着停|(?:孩子|小孩|人)[^,。]{0,4}(?:就在|刚好在)[^,。]{0,3}(?:车前|前头|前面|后面)|差一步|出人命"
)
# "突然", "自己", "无缘无故" said of the car (not "我自己"), up to the next clause end
_SPONTANEOUS = (
    r"(?:(?:车|车子|车辆|它|挡位|档位|方向盘|方向|刹车|手刹|车门|门|天窗|座椅|发动机|变速箱|油门)[^,。!?;\n]{0,4}自己|"
    r"突然|无缘无故|莫名其妙|莫名|无故|毫无征兆|没有任何征兆|猛地|猛然)"
    r"[^,。!?;\n]{0,12}?(?:[了住死掉开起走动冲窜蹿滑跳灭断抖偏停刹响])"
)
_SPONTANEOUS_DANGER = (
    r"撞|怼|追尾|顶上来|顶到|亲上|护栏|隔离带|应急车道|马路中间|快车道|车道中间|对面车道|对向|逆行|交警|趴窝|差点|差一点|"
    r"险些|幸亏|幸好|好在|要不是|吓哭|吓死|吓坏|吓傻|吓得|后怕|冷汗|往前扑|磕到|撞到头|拉回来|拉不住|拿不住|斑马线|行人"
)
_BODY_NOT_CAR = re.compile(r"扭了|崴了|扭伤|骨折|手术|受了?伤|腱鞘|胳膊疼|手疼|腰疼|没力气|力气小")


def _not_the_car(w: Window) -> Promise | None:
    """ "打羽毛球扭了手腕，方向盘转不动": the driver, not the car."""
    if (
        _BODY_NOT_CAR.search(w.left)  # the injury told first, as the reason
        and _UNRELATED_CAUSE.search(w.left)
        and not (_STRONG_EVENT.search(w.sentence) or re.search(_SPONTANEOUS_DANGER, w.sentence))
    ):
        return _("the driver could not do it (an injury), not a fault of the car")
    return None


_THREAT_CHECKS: tuple[Check, ...] = (_denied,)
_EVENT_CHECKS: tuple[Check, ...] = (_event_denied, _hypothetical, _someone_else)

CUES: tuple[Cue, ...] = (
    # safety: fire and smoke that happened
    Cue(
        SignalKind.SAFETY,
        r"(?:车里|车内|车厢|驾驶室)[^,。]{0,4}(?:全是|都是|冒|有)[^,。]{0,2}烟|起火|(?<![打点])(?<!打不)(?<!点不)(?<!打得)(?<!点得)着火|自燃|(?<!心里)(?<!心头)(?<!肚子)(?:窜|冒|蹿|喷|冲)(?:出|上|起|了)?[^,。]{0,2}火(?![花车锅大气])|"
        r"火(?:从|苗|光|星|势)|(?<!信息)(?<!要)(?<!快)(?<!气得)(?<!气到)爆炸|(?<![气肺脑毛态头])(?<!头都)(?<!头要)炸了|炸坏|着起来|(?:着|燃)了起来|(?:车|车子|车辆|电池|电车|新车|整车|爱车)[^,。]{0,6}自然(?:了(?!解)|起火|烧)|烧[^,。]{0,4}(?:只|就)?剩(?:下)?(?:个|了)?(?:架子|框架|骨架|壳子?|铁架)|烧着了|着了火|消防车|消防员|火警|(?<!\d)119(?!\d)|扑灭|被火|大火|火[^,。]{0,4}(?:包住|吞|烧)|火[^,。]{0,6}(?:窜上来|冒出来|烧起来|蹿出来|喷出来|窜出来)|(?:冒|喷|窜)[^,。]{0,4}烟(?!味|头)|冒出[^,。]{0,4}烟|一股[^,。]{0,3}烟|烟雾|浓烟|火光|爆燃|烧黑|熏黑|烧化|烧穿|冒(?:出|起)?(?:浓|黑|青|大量的?|好多|很多)?烟|(?<!心里)(?<!心头)(?<!肚子)冒火|冒出火星|火苗|明火|失火|烧起来|烧了起来|烧毁|烧没了|烧光|烧成|火灾|燃起来|窜出火|冒出火|"
        r"\bcaught fire\b|\bfire\b|\bsmoke\b",
        _("a fire or smoke in the car"),
        (*_EVENT_CHECKS, _not_a_fire),
    ),
    # a door, the bonnet or the boot opening by itself on the road; glass bursting; a battery swelling
    Cue(
        SignalKind.SAFETY,
        r"(?:车门|副驾门|主驾门|后门|门|机盖|引擎盖|发动机盖|前盖|后备箱|尾门)[^,。]{0,4}(?:自己|突然|自动)(?:开了|打开|弹开|翻起|掀起)|"
        r"(?:机盖|引擎盖|发动机盖|前盖|机器盖子?|前机盖|发动机舱盖)[^,。]{0,6}(?:翻起|弹起|掀起|飞起)|"
        # the car starting by itself
        r"(?:车|车子)[^,。]{0,4}自己(?:打着火|着车|启动|发动)|"
        r"(?:天窗|挡风|车窗|玻璃)[^,。]{0,10}(?:砰|嘭|啪)[^,。]{0,4}(?:全)?(?:碎|爆|炸)|"
        r"电池(?:包)?[^,。]{0,6}(?:鼓(?:了个)?包|鼓起来|变形)",
        _("a door, the bonnet or glass giving way on the road, or a battery swelling"),
        _EVENT_CHECKS,
        needs=r"高速|高架|环|国道|路上|开着|行驶|跑着|路口|二环|三环|上路|车速|时速|趴窝|续航|烧|味|冒烟|看不见|看不着|拍在|糊在|"
        r"地库|车库|半夜|自己(?:打着火|着车|启动|发动)",
    ),
    # cruise control that will not let go, the car holding its speed: dangerous in itself
    Cue(
        SignalKind.SAFETY,
        r"(?:定速|巡航|自适应)[^,。]{0,4}(?:关不掉|关不了|关不上|退不出|退不了|取消不了|解除不了|不退)|"
        r"(?:定速|巡航|自适应)[^,。]{0,8}(?:取消|关|退出)[^,。]{0,3}(?:没反应|不了|不掉|没用)|"
        r"车速(?:自行|自己|突然)(?:升|涨|飙|加)|"
        r"(?:踩刹车|刹车)[^,。]{0,3}(?:也|都)(?:退不出|解除不了|取消不了|不退|关不掉)",
        _("cruise control would not let go while driving"),
        _EVENT_CHECKS,
        needs=r"定速|巡航|自适应",
    ),
    # a window, door or sunroof closing on someone (the anti-pinch that did not stop it)
    Cue(
        SignalKind.SAFETY,
        r"(?:车窗|窗户|玻璃|天窗|尾门|后备箱门|电动门|滑门)[^。]{0,16}(?:夹|卡)(?:住|着|到)?[^。]{0,8}(?:胳膊|手|手指|头|脖子|腿|孩子|小孩|人)|"
        r"(?:胳膊|手|手指|头|脖子)[^。]{0,6}(?:被|让)(?:车窗|窗户|玻璃|天窗|尾门|车门)[^。]{0,4}(?:夹|卡)|"
        r"(?:碰到|遇到|夹到)[^,。]{0,4}(?:也|都)?不(?:退|停|回|弹回)[^。]{0,10}(?:卡|夹)",
        _("a window or door closing on someone"),
        _EVENT_CHECKS,
    ),
    # fuel leaking, wiring or the charging port melting: a fire about to start
    Cue(
        SignalKind.SAFETY,
        r"(?:汽油|燃油|油箱|油管)[^,。]{0,6}(?:漏|滴|渗|流)|(?:漏|滴|流)[^,。]{0,4}(?:汽油|燃油)|"
        r"(?:滴|漏)了一(?:滩|地)|一滩(?:汽油|燃油)|"
        # melted, not only a smell of burning (线束烧焦了味道很大 is the fault's sign, told as no fire)
        r"(?:充电口|充电枪|充电座|插头|插座|线束|电线|保险盒)[^,。]{0,6}(?:化了|熔了|融了|烧化|化掉)",
        _("fuel leaking, or wiring melting: a fire about to start"),
        _EVENT_CHECKS,
        needs=r"汽油|燃油|油箱|油管|油味|充电|插|线",
    ),
    # brakes, steering, power: failing while driving
    Cue(
        SignalKind.SAFETY,
        rf"(?:刹车|制动|踩刹车|脚刹|刹车踏板){_G}(?:失灵|失效|踩不下去|踩不动|没反应|没有反应|不灵|不管用|没用|"
        rf"没效果|没有效果|踩到底[^,。]{{0,4}}(?:没反应|停不|刹不|还在)|停不下来|没停住|停不住)|"
        r"(?:完全|根本|突然|彻底)刹不住|刹不下来|"
        r"(?:刹车|踏板)[^,。]{0,4}踩空|刹车(?:直接|突然|一下子)没了|没了刹车|刹车没了|没有刹车了|"
        rf"(?:转向|方向盘|方向|转向助力|助力){_G}(?:失灵|失效|打不动|锁死|卡死|转不动|突然变沉|突然变重|不受控制|乱转|脱手|没了助力|"
        rf"没有助力|没助力)|"
        r"(?:高速|高架|快速路|国道|环路|隧道|桥上)[^,。!?;\n]{0,14}(?:熄火|失速|动力中断|没有动力|没动力|断电|抛锚|爆胎|黑屏)|"
        r"(?:高速|高架|快速路|国道|环路|隧道|桥上)[^,。!?;\n]{0,14}(?:灭火了|自己灭火|突然灭火)|"
        r"失控|暴冲|突然加速|自己加速|自己猛加速|突然猛加速|猛地加速|猛地窜|方向盘[^,。]{0,4}(?:脱落|掉了|掉下来)|"
        r"(?:刹车|制动)[^,。]{0,8}(?:减不下|降不下|刹不下)|(?:怎么|使劲|拼命|死命)踩[^,。]{0,4}(?:都|也)(?:停不|刹不|减不|没用)|(?:轮胎|车轮|轮子|轱辘|前轮|后轮|[左右][前后]轮)[^,。]{0,6}(?:掉了|脱落|脱了|掉下来|飞出去|飞了|滚出去|滚到|(?:砰|嘣|咣|突然|一下子)[^,。]{0,3}没了)|半轴断|断轴|幽灵刹车|"
        r"\bbrakes? (?:failed|failure)\b|\bstall(?:ed|s)? on the (?:motorway|highway)\b",
        _("brakes, steering or power failing while driving"),
        (*_EVENT_CHECKS, _figurative_loss_of_control, _not_the_car),
    ),
    # a collision or near-collision together with a fault of the car
    Cue(
        SignalKind.SAFETY,
        rf"{_COLLISION}|{_NEAR}",
        _("a collision or near-collision with a fault of the car"),
        (_event_denied, _hypothetical, _someone_else, _driver_error),
        needs=_FAULT,
    ),
    Cue(
        SignalKind.SAFETY,
        _DRIVING_FAULT,
        _("a fault of the car while driving that led to a collision or a near miss"),
        (*_EVENT_CHECKS, _figurative_loss_of_control, _driver_error, _not_the_car),
        needs=_DANGER,
    ),
    # the car did something by itself ("突然", "自己", "无缘无故") and it led to a collision, a near
    # miss or a jolt: the shape of a safety story, whatever the fault is called
    Cue(
        SignalKind.SAFETY,
        _SPONTANEOUS,
        _("the car acted by itself while driving and it led to a collision or a near miss"),
        (*_EVENT_CHECKS, _figurative_loss_of_control, _driver_error, _not_the_car),
        needs=_SPONTANEOUS_DANGER,
    ),
    # airbags in a crash
    Cue(
        SignalKind.SAFETY,
        r"(?:安全)?气囊[^,。!?;\n]{0,14}(?:没出来|没有出来|没弹|没有弹|未弹|没打开|没有打开|未打开|没爆|没有爆|未爆|没起爆|未起爆|没弹出|弹出|弹开|爆开|"
        r"炸开|打开了|弹了|起爆|自己弹|全弹|都弹|爆了)",
        _("airbags deployed or failed in a crash"),
        (_event_denied, _hypothetical, _someone_else, _no_crash),
        needs=r"撞|事故|车祸|碰撞|追尾|翻|出事|自己|突然|无故|莫名|正常(?:开|行驶)|行驶中|开着|停着",
        unmet=_("airbags named without a crash or a deployment"),
    ),
    # someone trapped in the car
    Cue(
        SignalKind.SAFETY,
        r"(?:锁|困|关)在?(?:了)?车(?:里|内|上)|砸(?:了|开|碎|破)?[^,。]{0,3}(?:车)?窗|破窗|"
        r"(?:落锁|锁上|锁死)了?[^。]{0,10}(?:孩子|小孩|宝宝|娃|老人|狗|猫)[^。]{0,4}(?:还在|在)(?:车里|车上|后排|后座|里面)|"
        r"(?:孩子|小孩|宝宝|老人|老婆|老公|我爸|我妈|狗|猫|宠物)[^,。]{0,4}(?:出不来|被锁)",
        _("someone was trapped in the car"),
        (_event_denied, _hypothetical, _someone_else, _only_things_locked_in),
        needs=r"锁死|打不开|开不了|困|出不来|闷|哭|救|抱出|拉出|(?:自己|自动|突然)[^,。]{0,2}(?:落锁|上锁|锁)|"
        r"(?:app|手机|遥控|钥匙)[^,。]{0,4}(?:连不上|没反应|打不开|没用|失灵)|赶紧|快来|快点|想办法",
    ),
    # fumes from the exhaust in the cabin, with people made ill
    Cue(
        SignalKind.SAFETY,
        r"(?:尾气|废气|排气|一氧化碳)[^,。]{0,10}(?:往|进|灌|漏|钻|跑|倒|串|窜|吸)[^,。]{0,4}(?:车里|车内|车厢|驾驶室|座舱|进来|进去)",
        _("exhaust fumes leaking into the cabin"),
        _EVENT_CHECKS,
        needs=r"晕|恶心|吐|难受|头疼|头痛|中毒|喘不|呼吸|咳|昏|送医|医院",
    ),
    # a strong fuel smell in the cabin with people made ill
    Cue(
        SignalKind.SAFETY,
        r"(?:汽油|燃油|柴油|机油|油)(?:的)?(?:味|气味)",
        _("fuel fumes in the cabin making people ill"),
        _EVENT_CHECKS,
        needs=r"晕|恶心|想吐|吐了|呕|中毒|喘不|昏|送医|医院",
    ),
    # a structural part of the car breaking (suspension, steering linkage, axle), even at low speed
    Cue(
        SignalKind.SAFETY,
        r"(?:摆臂|控制臂|悬挂|悬架|减震器?|避震器?|球头|拉杆|横拉杆|转向节|半轴|车轴|轮轴|羊角|副车架|弹簧|"
        r"[前后]轴|[前后]桥|车桥|传动轴|驱动轴|稳定杆|平衡杆|连杆|轮毂轴承|轮毂螺丝|轮胎螺丝|轮毂螺栓|刹车盘|卡钳|转向机|方向机|转向柱)"
        r"[^,。]{0,6}(?:断了|断裂|折断|断开|断成|脱落|脱开|崩了|塌了|掉下来|裂开|裂了|松脱|飞了)|(?:轮子|车轮|轮胎)[^,。]{0,4}(?:歪|外八|内八|撇)",
        _("a structural part of the car broke"),
        (*_EVENT_CHECKS, _driver_error),
        needs=r"断|脱|崩|塌|掉",
    ),
    # the car rolling away by itself, parked or in P (挂了P档…车自己往坡下溜)
    Cue(
        SignalKind.SAFETY,
        r"(?:车|车子)?[^,。]{0,3}自己[^,。]{0,4}(?:往坡下|往下|往前|往后)?(?:溜|滑)(?:车|走|下去|了|出去)?|"
        r"(?:p|P|驻车|停车)[档挡][^。]{0,12}(?:溜|滑)(?:车|走|下去|了|出去)",
        _("the car rolled away by itself"),
        (*_EVENT_CHECKS, _driver_error),
        needs=r"撞|压|碰|坡|差点|险些|吓|孩子|人|拉住|追|挡住|停不住|(?:p|P)[档挡]|驻车|手刹",
    ),
    # a gearbox that will not engage, the car rolling back
    Cue(
        SignalKind.SAFETY,
        r"(?:挂不上|挂不进|挂不了|进不了|入不了)[^,。]{0,2}(?:档|挡)|(?:档|挡)[^,。]{0,3}(?:挂不上|挂不进|进不去)|"
        r"变速箱[^,。]{0,6}(?:失灵|失效|卡死|锁死|没反应|没了反应)",
        _("the gearbox failed and the car rolled or nearly crashed"),
        (*_EVENT_CHECKS, _driver_error, _not_the_car),
        needs=r"溜|倒退|往后退|向后退|后滑|撞|差点|险些|后怕|吓|喇叭|鸣笛|失控",
    ),
    # close to death
    Cue(
        SignalKind.SAFETY,
        r"差点(?:没命|丧命|出人命|丢了命|死|命都没)|命都差点|捡回一条命|捡了一条命|九死一生|死里逃生|"
        r"(?:交代|报销)在(?:那|这|高速|路上)|(?:全家|一家人|一家子|小命|命)(?:人)?(?:就|都|早就)(?:没了|交代了?)|鬼门关|"
        r"差点[^,。]{0,4}(?:送命|交代|没了命)",
        _("the customer nearly lost their life"),
        (_someone_else, _hypothetical),
    ),
    # injuries: words also said of the car ("车漆划伤") need a person nearby
    Cue(
        SignalKind.INJURY,
        r"受伤|受了伤|伤到|擦伤|碰伤|划伤",
        _("someone was hurt"),
        (_event_denied, _hypothetical, _unrelated_injury, _someone_else, _no_person),
    ),
    Cue(
        SignalKind.INJURY,
        r"(?:刮|撞|碰|带|顶)倒(?:了)?[^,。]{0,4}(?:人|老人|大爷|大妈|老太|阿姨|孩子|小孩|客户|行人|路人|顾客|员工|师傅)|"
        r"把[^,。]{0,10}(?:人|老人|大爷|大妈|老太|阿姨|孩子|小孩|客户|行人|路人|顾客|员工|师傅)(?:给)?(?:刮|撞|碰|带|顶)倒|"
        r"(?:诊断|确诊|查出|鉴定)(?:为|是|出)?[^,。]{0,8}(?:损伤|挫伤|骨裂|骨折|烧伤|烫伤|脑震荡)|挫伤|软组织损伤|"
        r"负伤|夹伤|夹到手|夹到了手|夹住了|夹破|割伤|烫伤|烧伤|烫出(?:了)?[^,。]{0,3}(?:泡|伤|红印)|撞伤|砸伤|摔伤|撞倒|撞飞|撞死|骨折|骨裂|流血|出血|扭伤|"
        r"缝了[^,。]{0,3}针|脑震荡|伤亡|死亡|身亡|出人命|"
        r"伤者|淤青|鼻青脸肿|触电|被电(?:了|到|击|着)|电到(?:了)?(?:我|手|人|孩子)|电击|"
        r"\binjur(?:ed|y|ies)\b|\bhospital\b|\bdied\b",
        _("someone was hurt"),
        (_event_denied, _hypothetical, _unrelated_injury, _someone_else),
    ),
    # a body part hurt
    Cue(
        SignalKind.INJURY,
        rf"(?:{_BODY})[^,。]{{0,6}}(?:肿|紫了|青了|淤|破了|打伤|弹伤|伤了|断了|裂|骨折|流血|出血|烫伤|烫起|摔坏|摔断|摔伤)|"
        rf"夹(?:住|到|伤|破)了?[^,。]{{0,3}}(?:{_BODY})|(?:{_BODY})[^,。]{{0,8}}夹(?:住|到|伤|破|了)|打伤|弹伤|"
        rf"(?:断了|伤了|划了|划破了?|烫得|烫伤|割破|砸到|砸在|砸中|打在|打中|打到|弹到|弹在|磕在)[^,。]{{0,6}}(?:{_BODY})|流了[^,。]{{0,4}}血|"
        rf"(?:{_BODY})[^,。]{{0,8}}(?:起了?[^,。]{{0,3}}(?:包|水泡|泡)|口子|水泡|起包|缝了[^,。]{{0,3}}针|划破|血)|"
        rf"(?:{_BODY})[^,。]{{0,4}}(?:压|砸|轧)(?:了|伤|断|破|住|肿)|(?:{_BODY})[^,。]{{0,3}}被[^,。]{{0,6}}(?:碾|轧|压)|"
        rf"(?:{_BODY})[^,。]{{0,4}}(?:撞在|撞到|磕在|磕到)[^。]{{0,12}}(?:疼|痛|伤|肿|血|晕|包)|(?:{_BODY})[^,。]{{0,4}}疼得",
        _("someone was hurt"),
        (_event_denied, _hypothetical, _unrelated_injury, _someone_else),
    ),
    # hospital: a signal when an event of the car is told in the same passage
    Cue(
        SignalKind.INJURY,
        r"住院|送医|送到医院|送进医院|进医院|进了医院|急诊|(?:打|叫|拨)了?120(?!\d)|120[^,。]{0,3}(?:接走|拉走|送走|来了)|滑倒|摔倒|绊倒|救护车|抢救|icu|重症监护",
        _("someone was taken to hospital after an event of the car"),
        (_event_denied, _hypothetical, _unrelated_injury, _someone_else, _no_car_event_nearby),
    ),
    # scenes at the dealer
    Cue(
        SignalKind.VIOLENCE,
        r"拉横幅|拉条幅|挂横幅|打横幅|扯横幅|横幅|条幅|举牌|一把火|烧了(?:你们|这|它)|"
        r"(?:门口|大门|店门|出口|入口|展厅)[^,。]{0,4}堵(?!车)|堵(?:住|了|着|死)?[^,。]{0,3}(?:门|大门|门口|出口|入口)|"
        r"砸了?(?:我们|你们|他们)?的?(?:茶几|桌子|电脑|玻璃|门|展车|前台)|推了[^,。]{0,6}(?:一把|顾问|销售|员工|师傅|经理)|"
        r"(?:客户|人|车)[^,。]{0,4}(?:都|也)?(?:进不来|出不去)|举着牌子|举个牌|堵门|堵大门|堵住(?:你们)?(?:店|门|大门|门口|展厅|出口)|"
        r"堵在(?:你们)?(?:店|门口|展厅|大门)|围堵|静坐|坐在[^,。]{0,8}(?:不走|抗议)|躺在[^,。]{0,6}(?:门口|展厅|店里)|"
        r"砸车|砸店|砸(?:了|烂|碎|坏)?(?:你们|展厅|玻璃|门|店|电脑|桌子)|把[^,。]{0,8}砸(?:了|烂|碎|掉|坏)|"
        r"大闹|闹事|来闹|去闹|闹一闹|闹到|打人|动手打|要动手|动了手|动起手|动手了|威胁|弄死|打死(?:你|他|她)(?![^,。]{0,4}(?:也|都))|收拾你|让你们?好看|"
        r"给我等着|你等着|等着瞧|走着瞧|出门小心|小心点儿?你|(?:给我|你们|你)[^,。]{0,3}小心点|认识的人多|找几个人|"
        r"叫几个人|有你们好受|吃不了兜着走|饶不了|走夜路|不走了|就不走|赖着不走|赖在(?:你们|店|这|展厅)|吃点苦头|吃苦头|好果子|不会让你们好过|"
        r"不得安宁|鸡犬不宁|住在你们|睡在你们|吃喝都在|推倒|掀翻|掀了|踹|摔在前台|摔了?(?:你们|东西|杯子|椅子)|"
        r"(?:停|横|堵|放|摆)在(?:你们)?[^,。]{0,4}(?:门口|大门|正门|入口|出口|门前)[^。]{0,12}"
        r"(?:别想|不挪|不走|进不来|出不去|做生意|堵|看看|都看)|泼(?:到|在|向|了)|(?:摔|扔|砸|推|扫|掀|踢)(?:到|在)?(?:了)?地上|(?:大声|当众|在店里|在展厅|破口)骂|骂(?:我们|你们|员工|销售|顾问|前台)|"
        r"大吵大闹|撒泼|叫(?:上)?几个(?:人|兄弟|朋友)|大骂|(?:摔|扔|砸)在地上|带人(?:去|来|到)|别想好过|(?:摆|挂|贴|放|举|拉)(?:到|在)(?:你们)?[^,。]{0,4}(?:门口|展厅|大门)|"
        r"车主们[^。]{0,12}(?:约好|集合|一起|商量)|(?:门口|店里)集合|堵(?:他|你|你们|经理|领导)|推翻|打翻|撞(?:到|进)(?:你们)?(?:展厅|店里|大门)|(?:直接|一脚油门|油门踩到底)开(?:到|进)(?:你们)?(?:展厅|店里|大门)|"
        r"(?:一群|一帮|几个|很多|好多|几十个)[^,。]{0,4}车主[^。]{0,12}(?:去|到|来)(?:你们)?(?:店|门口|展厅)|做(?:好)?了?[^,。]{0,2}牌子|举(?:着)?[^,。]{0,2}牌子|拿着[^,。]{0,2}牌子|站在你们[^,。]{0,4}门口|"
        r"(?:门口|展厅|店里)[^,。]{0,2}(?:坐着|躺着|睡)|让你们?[^,。]{0,5}(?:关门|倒闭|开不下去|做不成生意|干不下去|混不下去)|大字报|标语|贴(?:到|在)你们|锁在展车|锁在车里不|不下车|霸占|跳下去|哭闹|寻死|喝农药|以死|"
        r"(?:约|叫|联系|召集|带|通知|发动|动员|组织)[^,。]{0,12}车主|围(?:了|住|堵)?(?:你们)?(?:店|门)|"
        r"(?:店门|大门|门口)[^,。]{0,2}围|(?:叫上|带上|喊上)[^,。]{0,8}(?:亲戚|朋友|家人|兄弟|一帮|一群)|"
        r"(?:提|拎|带|拿|扛|揣)着?[^,。]{0,3}(?:汽油|油桶|刀|斧头|棍子|铁棍|砖头)[^,。]{0,6}(?:来|去|到|上)|(?:浇|泼|倒)[^,。]{0,2}汽油|(?:我|我们)(?:就|会|要|明天|今天)?[^,。你]{0,3}在你们[^,。]{0,4}门口[^,。]{0,6}(?:摆|坐|躺|站|举|挂|贴|拉)|几个[^,。]{0,10}车主[^。]{0,20}一起|(?:[\d一二两三四五六七八九十几]+多?个|一群|一帮|好多|很多|几十个|上百个)车主[^。]{0,20}"
        r"(?:一起|联合|约好|商量好|集体)|"
        r"(?:带着|带上|叫上|联系|召集|约上)[^,。]{0,8}(?:车友|车主)|车主一起|一起维权|联名|"
        r"(?:几个|十几个|几十个|一群|一帮|好多|很多|多位|其他)车主[^。]{0,16}(?:一起|联合|约好|商量好|集体)|集体维权|找人(?:来)?(?:收拾|弄|砸|堵|打)|跳楼|自杀|同归于尽|"
        r"放火|烧车|烧了你们|泼油漆|泼[^,。]{0,2}漆|"
        r"(?:约好|约了|说好|商量好|叫了|带了|喊了)[^。]{0,12}(?:一起|一块|几个|一帮|一群)?[^。]{0,4}(?:去|到|过去|过来|来)[^,。]{0,4}(?:店|展厅|门口|你们)[^,。]{0,6}(?:讨说法|讨个说法|要说法|理论|闹|堵|找)|"
        r"(?:跟|和|叫|约|带|喊)[^,。]{0,3}(?:几个|一帮|一群|好多|十几个|一些)(?:朋友|兄弟|哥们|亲戚|人)[^。]{0,12}(?:过去|过来|去你们|来你们|到你们|去店|来店|上门)|"
        r"(?:气不过|一气之下|火了|急眼|忍不住|没忍住|气得)[^。]{0,16}(?:摔|砸|掰|踹|扔|掀|撕|推倒)|"
        r"把[^,。]{0,8}(?:前台|展车|展厅|电脑|茶杯|杯子|椅子|桌子|茶几|玻璃|显示屏|花瓶|样车)[^,。]{0,6}(?:摔|掰|踹|扔|砸|掀|撕|推倒|踢)|"
        r"(?:睡|住|打地铺|吃喝拉撒)(?:在)?(?:你们)?(?:店里|展厅|大厅|店门口)|吃喝拉撒|打地铺|被子都带|铺盖|"
        r"(?:坐|躺|哭|耗|守|赖|蹲)着?不走(?!路)|不肯走|不愿走|不肯离开|不愿离开|滞留[^,。]{0,8}(?:展厅|客休区|休息区|店|大厅)|保安介入|谁(?:也|都)(?:不走|别想走)|"
        r"(?:不给|没有|不)[^,。]{0,4}(?:说法|答复|交代|结果|解决|退车|换车|退款|赔)[^,。]{0,4}(?:就)?(?:不走|别想走|不离开|不回去)|"
        r"(?:留宿|过夜|睡)(?:在)?(?:店内|店里|展厅|客休区|休息区)|"
        r"[\d一二两三四五六七八九十几]+(?:位|名|个)[^。]{0,8}车主[^。]{0,16}(?:一起|联合|约好|商量好|商定|集体)|集体(?:到店|来店|上门)|"
        r"(?:[三四五六七八九十几]+|[3-9]|\d{2,}|好几|十几|几十)(?:户|家人|号人)[^。]{0,20}(?:一块儿?|一起|一同|都)[^,。]{0,3}(?:上|去|到|来)(?:你们|你家)|(?:天天|每天|一直|24小时)[^,。]{0,8}(?:待着|守着|坐着|堵着|蹲着|耗着)|"
        r"(?:[\d一二两三四五六七八九十几]+多?个|一群|一帮|好多|很多|几十个)车主[^,。]{0,6}(?:都)?(?:到了?|来了?|去了?|在|围在)(?:你们)?(?:店|展厅|门口)|"
        r"让(?:他|她)[^,。]{0,4}(?:回家|走路|出门|晚上|下班|夜里)[^,。]{0,4}(?:注意点|小心点|当心点?)|"
        r"(?:你|他|她)(?:给我)?(?:回家|走路|出门|下班|夜里)[^,。]{0,3}(?:注意点|小心点|当心点)|"
        r"(?:知道|打听到|查到)[^,。]{0,3}(?:你|他|她)家(?:住)?(?:在)?哪|小心[^,。]{0,4}(?:下班|回家|上班)|(?:下班|回家)(?:的)?路上小心|(?:你|他)给我记住|给我记着|"
        r"(?:保安|销售|经理|员工|你们的人|主管|顾问)[^,。]{0,8}(?:(?:拖|推|架|赶|轰|拽|撵)[^,。]{0,4}(?:出去|出门|门外|店外)|(?:推|拽|打)了?(?:我|她|他)|往(?:门)?外(?:推|拽|拖|赶|轰|撵))|"
        r"推出(?:门外|店外)|谁敢(?:赶|轰|撵|拦|拖)|(?:我|她|他|我们|老人|我爸|我妈|我老婆|我老公)[^,。]{0,3}(?:拖|架|轰|赶|撵)(?:了)?出(?:去|门)|"
        r"(?:我|我们)[^,。]{0,10}横(?:着停|在|着)|"
        r"(?:试驾车|客户|顾客|别的车|车子|人)[^,。]{0,4}(?:都|也)?(?:进不去|出不来|开不出来|开不进来)|"
        # a dare or a weapon shown (下班你出来试试, 发了张刀的照片); lying on the floor; a crowd
        r"(?:你|他|她)?出来试试|刀的照片|拿(?:着)?刀|带(?:着)?刀|亮刀|"
        r"(?:躺|坐)在[^,。]{0,8}地上[^,。]{0,3}不起来|围了一圈人[^,。]{0,4}(?:在)?拍|"
        # smashing the cars or the glass (把展车前挡敲碎了); staff shut in (经理被堵在办公室)
        r"(?:敲|砸|踹|砍)(?:碎|烂|坏|破)了?[^,。]{0,4}(?:展车|玻璃|前挡|挡风|车窗|门|前台|电脑)|"
        r"(?:展车|前挡|挡风玻璃|玻璃门|前台)[^,。]{0,6}(?:敲碎|砸碎|砸烂|砸坏|敲烂)|"
        r"(?:经理|主管|店长|顾问|销售|员工)[^,。]{0,4}被[^,。]{0,6}(?:堵|围|困|关)在[^,。]{0,6}(?:办公室|屋里|里面|店里)|"
        r"把[^,。]{0,6}(?:经理|主管|店长|顾问|销售|员工)[^,。]{0,2}(?:堵|围|困|关|锁)在|"
        # a crowd gathered at the door (门口聚集了二十多位车主), a cloth or sheet with words held up
        r"(?:门口|门前|展厅|店里|店外|大门)[^,。]{0,6}(?:聚集|聚了|围了|站着|站了)[^,。]{0,6}(?:[\d一二两三四五六七八九十几]+|好多|很多|一群|一帮)[^,。]{0,4}(?:人|位|个|车主)|"
        r"聚集了?[^,。]{0,6}(?:[\d一二两三四五六七八九十几]+多?|好多|很多)(?:位|个|名)?[^,。]{0,4}(?:车主|人|客户)|"
        r"(?:拉着|举着|挂着|扯着|打着|撑着)[^,。]{0,8}(?:布|纸|牌|床单|被单|被罩)[^。]{0,10}(?:写|印)|"
        # the floor filled (接待区挤满了), owners dressed alike
        r"(?:接待区|展厅|大厅|店里|门口|休息区)[^,。]{0,3}(?:挤满了|站满了|坐满了|围满了)|统一(?:穿|着装)|穿着统一|"
        r"\bsmash(?:ed|ing)?\b|\bbanners?\b|\bsit-in\b",
        _("a scene at the dealer: protest, blocking, smashing or threats"),
        (_denied, _not_a_person, _celebration, _idiom, _threat_to_safety, _scene_elsewhere, _in_case),
    ),
    # a live stream from the dealer's floor with people watching: a scene, not only a platform
    Cue(
        SignalKind.VIOLENCE,
        r"(?:大厅|服务厅|交车区|休息区)[^,。]{0,3}(?:开|搞|做)(?:着|了)?[^,。]{0,3}直播|边播边骂|直播间在线|(?:在|到)你们[^,。]{0,6}(?:开|搞|做)(?:着|了)?直播|(?:店里|展厅|门口|店门口)[^,。]{0,3}(?:开|搞|做)(?:着|了)?直播|"
        r"直播间?[^,。]{0,6}(?:[几\d一二两三四五六七八九十百千万]+多?|好多|很多)(?:个)?(?:人|网友)[^,。]{0,4}(?:在线|在看|看着|围观)|"
        r"(?:[几\d十百千万]+|好多|很多)(?:个)?(?:人|网友)[^,。]{0,3}(?:在线|同时)[^,。]{0,2}(?:看|围观)",
        _("a live stream from the dealer with people watching"),
        (_denied, _live_praise),
        needs=r"直播",
    ),
    # an influential creator about to feature the customer's case, told as a warning
    Cue(
        SignalKind.MEDIA,
        r"(?:博主|网红|大v|up主|主播|达人|自媒体|测评号|[几\d十百千万]+(?:个)?粉丝)[^。]{0,24}(?:做|拍|出|写|录)(?:一|几|个)?(?:期|个|条|篇|集)?[^,。]{0,4}"
        r"(?:专题|节目|视频|文章|报道|内容)|"
        r"(?:测评|评测|博主|网红|大v|up主|主播|粉丝)[^。]{0,30}(?:过来拍|来拍|要拍|专门(?:讲|拍|做|说)|来店里拍|到店拍)",
        _("an influential creator about to feature the case, told as a warning"),
        (_denied, _no_warning),
    ),
    # media
    Cue(
        SignalKind.MEDIA,
        r"曝光|(?<![多自])媒体(?!日|音频|播放|中心|库|文件|功能|设置|试驾|活动|见面会|开放日|发布会|邀请|沟通会)|记者|电视台|报社|(?<!看)报纸|(?:新闻|电视|报纸|媒体|网上|头条)上见|央视|电台|栏目组|晚报|日报|上新闻|新闻热线|新闻记者|找新闻|上电视|焦点访谈|"
        r"(?:告诉|找|联系|投给?|打给|爆料给?|反映给|发给|上)[^,。]{0,8}(?:新闻|电视|频道|栏目|节目|报社|台里)|暗访|"
        r"(?:博主|网红|主播|up主|记者)[^。]{0,12}(?:偷拍|偷录|偷偷[^,。]{0,2}(?:拍|录)|暗中[^,。]{0,2}(?:拍|录))|新闻频道|(?:民生|都市|法治|公共|经济|生活)频道|编导|节目组|(?:新闻|日报|晚报|电视台|报社)[^,。]{0,2}的?(?:电话|来电|打来)|自称[^,。]{0,6}(?:新闻|记者|报社|电视台)|快报|晨报|商报|都市报|(?:联系|找|投|告诉|反映|打给)[^,。]{0,4}《[^》]{1,12}》|"
        r"让(?:全市|全国|全城|所有|更多|大家|全网|全世界)[^,。]{0,4}都?(?:知道|看看|看到|瞧瞧|评评理)|"
        r"(?:打|找|去|投诉到|上|告到|发给了?|给)3\s?[·.]?\s?15|(?<!\d)3\s?[·.]?\s?15\s?的?(?:晚会|热线|投诉)|"
        r"\bmedia\b|\breporters?\b|\bjournalists?\b|\btv station\b|\bpress\b",
        _("going to the media or exposing the dealer"),
        (_denied, _relation, _news_source, _self_identity, _printed),
        needs=r"找|联系|约|投|告诉|反映|打给|爆料|曝光|来|到|采访|报道|播|上|让|发给|交给|给|见|捅|写|热线|关注|介入|跟进|核实|拍|录|过去|过来|出稿|发稿|拿走|加我|要我|要了|打电话|来电|电话|调查|做一期|做期|选题|案例",
        unmet=_("the media named without any step towards them"),
    ),
    # a reporter or an editor asking the dealer to respond, recording on the floor, or the case aired
    Cue(
        SignalKind.MEDIA,
        r"(?:记者|编辑|栏目组|节目组|编导|报社|电视台|杂志|网站的|媒体的)[^。]{0,40}[。]?[^。]{0,60}"
        r"(?:采访|求证|正式回应|给个回应|作出回应|做出回应|官方回应|回应一下|给个说法|对接人|截稿)|"
        r"(?:新闻热线|报社|电视台|媒体)[^。]{0,6}转入|来源[:：]媒体|"
        r"(?:网站|媒体|报社|杂志|电视台)的[^。]{0,16}(?:在录|全程录|录音|录像|在拍|拍摄)|录音笔[^。]{0,20}(?:网站|记者|媒体|工作证)|"
        r"(?:主持人|节目里|节目上|广播里|电台)[^。]{0,16}(?:把|将)?(?:我|我们|我家)的事|"
        # a crew coming or come to film, a reporter asking staff (节目组说明天要来店里拍)
        r"(?:节目组|栏目组|记者|编导|广播|电视台|电台)[^。]{0,24}(?:要来|来店|到店|来我家|上门|录过|录了|拍了|采访过)[^。]{0,12}(?:拍|录|采访|播)?|"
        r"(?:记者|编辑)[^。]{0,16}(?:问(?:我们|我)[^。]{0,16}是不是|加了?[^,。]{0,6}微信)",
        _("the media already on the case: asking the dealer, recording or on air"),
        (_denied, _hypothetical),
        # about a grievance (报料, 是不是泡过水), not a feature on sales or a purchase
        needs=r"报料|爆料|反映|投诉|问题|维权|质疑|是不是|是否|求证|核实|录|要来[^。]{0,6}拍|来店里拍|到店拍|下[个]?(?:礼拜|星期|周)播|回应|截稿|致电|转入|"
        r"我的事|我们的事|我家的事",
    ),
    # complaint sites: a step only when the customer files there
    Cue(
        SignalKind.MEDIA,
        r"黑猫|车质网|聚投诉|消费保|人民网留言|领导留言板|留言板",
        _("a public complaint site"),
        (_denied,),
        needs=r"投诉|发|曝光|挂|反映|留言|上|去",
    ),
    # social platforms
    Cue(
        SignalKind.SOCIAL,
        r"块手|小破站|围脖|(?:视频|帖子|笔记|文章|那条|那篇)[^,。]{0,8}[\d两几一二三四五六七八九十百千万]+[^,。]{0,2}(?:个|次)?(?:播放|浏览|阅读|点赞|转发)|微博|抖音|小红书|小红薯|朋友圈|网上发帖|(?:视频|照片|录音|截图|聊天记录)[^,。]{0,6}(?:发出去|发到|传到|公开)|(?:公开|公布|放|贴|挂|传)到网上|(?:各个|各大|网络|网上|所有)平台|平台上?发|发到?网上|网上发|上网曝|发帖|发到网上|网上曝光|快手|今日头条|头条|论坛|贴吧|汽车之家|懂车帝|易车|"
        r"(?:直播|视频)[^,。]{0,10}(?:讲讲|说说|聊聊)[^,。]{0,6}你们|(?:直播|开播)[,]?[^,。]{0,3}(?:就|专门)?(?:讲|说|聊|曝)[^,。]{0,3}你们|[\d一二两三四五六七八九十几百千万]+(?:个)?粉丝|"
        r"已经(?:被)?(?:转|转发|播放|看)了[^,。]{0,2}[\d两几一二三四五六七八九十百千万]+|"
        r"b站|哔哩哔哩|知乎|视频号|公众号|热搜|车主群|业主群|车友群|车友圈|自媒体|(?:做|出|拍|剪|录)(?:一|几)?(?:期|个|条|段|集)[^,。]{0,6}视频|(?:开|搞|现场|门口|店里|展厅)直播|直播(?:曝光|维权|给大家|你们)|"
        r"\bweibo\b|\bdouyin\b|\btiktok\b|\bsocial media\b",
        _("posting on a social platform"),
        (_denied, _not_exposure),
    ),
    # regulators
    Cue(
        SignalKind.AUTHORITY,
        r"(?<!\d)12315(?!\d)|一二三一五|幺二三幺五|(?<!\d)12345(?!\d)|消费者热线|消费热线|消费者投诉|消协|消费者协会|消保委|消费者权益|消委会|"
        r"(?:局|委员会|监管所|政府|部门|街道|管理处)[^,。]{0,4}(?:登记|投诉|举报|反映|申诉|调解)|市场监管|市场监督管理|市监局|工商局|工商部门|工商|质监|"
        r"(?:局|委|所|办)(?:[^,。]{0,6}(?:科|处|股|室|中心))?(?:来电|打来电话|来函|发函|来人)|管市场的|管(?:消费|质量)的[^,。]{0,3}(?:局|部门)|交通运输局|维修管理|要求(?:我们|我店|本店)[^,。]{0,8}书面(?:说明|答复)|限期(?:整改|答复|说明)|"
        r"质检局|质量技术监督|市长热线|市民热线|政务热线|便民热线|城市热线|市长信箱|书记信箱|领导信箱|政务服务|政府热线|缺陷产品管理中心|召回中心|缺陷产品|缺陷报告|信访|交通局|运管|工信部|交通运输部|商务部|商务局|商务委|发改委|"
        r"\bconsumer (?:association|council)\b",
        _("a complaint to a regulator"),
        (_denied, _relation, _information, _landmark, _errand, _award),
        needs=r"打|拨|去|找|投诉|投了|举报|反映|提交|递交|登记|受理|介入|调解|申请|交|报|告|联系|向|到|调查|鉴定|发函|约谈|"
        r"处理|写了?信|写的信|回执|转给|上门|来|电话|等着|会联系|通知|留言|留了言|写了|发了|反馈",
        unmet=_("a regulator named without any complaint made to it"),
    ),
    # the carmaker's head office: the step above the dealer the issue names with the regulators
    Cue(
        SignalKind.AUTHORITY,
        r"(?:厂家|厂商|主机厂|品牌方?|汽车公司)(?:的)?(?:总部|总公司)|(?:投诉|告|反映|闹|捅)到(?:了)?(?:厂家|厂商|主机厂|总部|品牌)|"
        r"(?:向|给|找)(?:厂家|厂商|主机厂|总部)[^,。]{0,4}(?:投诉|举报|反映)|(?:厂家|总部)[^,。]{0,4}投诉(?:热线|电话)|"
        r"(?:品牌|厂家|厂商)(?:的)?(?:大区|区域)|(?:找|投诉|反映|捅)(?:到|给)了?[^,。]{0,4}(?:大区|区域经理|区域负责人)",
        _("a complaint to the carmaker's head office"),
        (_denied, _relation, _information, _landmark, _errand, _award),
        needs=r"投诉|举报|反映|热线|打到|告到|闹到|捅到|投诉到|找到|找了",
        unmet=_("the carmaker's head office named without any complaint made to it"),
    ),
    # the police, not a warning light
    Cue(
        SignalKind.AUTHORITY,
        r"报警|报了警|派出所|(?:打|报)(?<!\d)110(?!\d)|叫警察|找警察|警察来|民警|"
        # traffic police looking into the car's part in a crash (交警事故科来电，要调维修记录)
        r"交警[^,。]{0,6}(?:来电|打电话|打来|调|要|找)[^。]{0,40}(?:记录|鉴定|维修|资料)|车辆技术鉴定|移交公安|经侦|公安机关",
        _("calling the police"),
        (_denied, _warning_light, _hypothetical),
    ),
    # legal steps
    Cue(
        SignalKind.LEGAL,
        r"律师|律所|起诉|上诉|法院|法庭|诉讼|打官司|官司|法律途径|法律程序|法律手段|走法律|法律解决|法律上见|法律说话|"
        r"委托(?:了)?[^,。]{0,6}事务所|事务所[^,。]{0,8}(?:联系|发函|来函|代理|起诉)|(?:找|去)(?:个)?(?:说理|讲理)的地方|依法维权|代理人|代理律师|诉状|状子|退一赔三|假一赔三|三倍赔偿|诉诸|法律武器|法律上|用法律|法律来|法律责任|法律援助|援助中心|司法(?:程序|途径|鉴定|解决|手段|诉讼)|走司法|仲裁|(?<![报广预公警转通忠劝被原])告(?:你们|他们|到|上|你|死你)|立案|传票|"
        r"\blawyers?\b|\battorneys?\b|\bcourt\b|\bsue\b|\blawsuit\b|\blegal action\b",
        _("a legal step: lawyer, court or lawsuit"),
        (
            _denied,
            _relation,
            _landmark,
            _errand,
            _information,
            _police_case,
            _car_origin,
            _denied_in_sentence,
            _future_need,
            _own_profession,
        ),
    ),
    # an appraisal by a third party or a court, obtained as evidence
    Cue(
        SignalKind.LEGAL,
        r"(?:做了|做过|送去|拿去|拖到|找了|请了|委托|申请了)[^,。]{0,10}鉴定|鉴定(?:报告|结果|结论|意见书)|第三方[^,。]{0,6}鉴定",
        _("a legal step: an appraisal obtained as evidence"),
        (_denied, _hypothetical, _information, _future_need, _relation, _errand),
    ),
    # a notary recording the car or the dealer's words as evidence
    Cue(
        SignalKind.LEGAL,
        r"公证处|公证员|公证人员|证据保全|(?:拍|录)了?[^,。]{0,4}公证(?!书)|(?:车况|证据|现场|过程)[^,。]{0,4}公证",
        _("a legal step: a notary recording evidence"),
        (_denied, _relation, _errand, _information, _future_need, _own_profession, _private_notary),
        needs=r"车况|取证|赖账|保全|抵赖|拍|录|现场|全程|证据",
        unmet=_("a notary named without evidence recorded against the dealer"),
    ),
)
