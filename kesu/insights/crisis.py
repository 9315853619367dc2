"""Crisis signals (DOMAIN.md "Escalation"), each with the words that matched, its kind and why.

Kinds: a safety event that happened (fire or smoke, brakes or steering failing, a collision or
near-collision with a fault, airbags in a crash), an injury, a scene at the dealer (banners,
blocking the showroom, sitting in, smashing, threatening staff), media, social platforms,
regulators and the police, and legal steps.

A word alone is not enough: every escalation goes to the carmaker and PR, so a false alarm costs
as much as a miss. Each trigger is read in its window of context — the clause and the sentence
around it — and dismissed when that window says it does not count:

* denied or disclaimed ("我不会去告你们", "没有起火", "起诉倒不至于");
* hypothetical or a worry ("会不会自燃", "万一刹车失灵", "担心高速上熄火");
* incidental: a relative who works at a TV station, a recall learned from the news, a car bought
  in a live stream, praise posted to 朋友圈, a warning light called 报警, an injury with another
  cause, a fire in someone else's car, hail that dented the roof, the customer's own profession,
  another errand at the court;
* settled: a past step or event told as over and resolved ("去年打过12315，后来换了件，已经没事了")
  — checked for every trigger; a new event or a threat told after it still counts.

Threats stay signals when conditional ("不解决就找媒体", "再不退车我就起诉"). Dismissed triggers
are kept with their reason (:func:`read`), so the page and the API can say why a word did not
raise a crisis.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kesu.core.normalize import traditional_to_simplified

from . import crisis_learned
from .choices import SignalKind
from .matcher import fast_start
from .text import CRISIS_CHARS, clean, fold

# --- windows ---------------------------------------------------------------------------------
_SENTENCE_END = "。!?;\n…"
_CLAUSE_END = _SENTENCE_END + ",、:~"
_WINDOW = 40  # characters of a sentence read on each side at most
# A conditional threat's consequence starts after these: "不解决[就]起诉" is a threat, not a denial.
_CONSEQUENCE = re.compile(r"(?:就|才|便|那|的话|否则|不然|要不|要么|再|我会|只能|只好|直接)")


@dataclass(frozen=True)
class Window:
    left_clause: str
    right_clause: str
    left: str  # the sentence before the trigger (at most _WINDOW characters)
    right: str
    trigger: str
    passage: str  # up to _WINDOW * 2 characters on each side, across sentences
    at: int = 0  # where the trigger starts in ``passage``

    @property
    def sentence(self) -> str:
        return self.left + self.trigger + self.right

    @property
    def consequence(self) -> str:
        """The clause before the trigger from its last conditional marker on."""
        tail = self.left_clause
        ends = [m.end() for m in _CONSEQUENCE.finditer(tail)]
        return tail[ends[-1] :] if ends else tail


def _window(folded: str, start: int, end: int) -> Window:
    lo = max(0, start - _WINDOW)
    hi = min(len(folded), end + _WINDOW)
    left = folded[lo:start]
    right = folded[end:hi]
    cut = max((left.rfind(ch) for ch in _SENTENCE_END), default=-1)
    left = left[cut + 1 :]
    stops = [i for i in (right.find(ch) for ch in _SENTENCE_END) if i >= 0]
    right = right[: min(stops)] if stops else right
    ccut = max((left.rfind(ch) for ch in _CLAUSE_END), default=-1)
    cstops = [i for i in (right.find(ch) for ch in _CLAUSE_END) if i >= 0]
    return Window(
        left_clause=left[ccut + 1 :],
        right_clause=right[: min(cstops)] if cstops else right,
        left=left,
        right=right,
        trigger=folded[start:end],
        passage=folded[max(0, start - 2 * _WINDOW) : end + 2 * _WINDOW],
        at=start - max(0, start - 2 * _WINDOW),
    )


# --- reasons a trigger does not count ----------------------------------------------------------
# Each check returns why the trigger is dismissed, or None.
Check = Callable[[Window], Promise | None]

_DENIAL_WORDS = (
    r"不会|不想|不打算|没打算|不准备|没准备|没想过|没想|无意|不至于|没必要|不必|不用|不愿意?|不是要|不是想|"
    r"并不想|并没有?|从没有?|从来没有?|还没有?|没有|未曾|不曾|暂时不|暂不|先不|也不|绝不会|不可能|没说要|不是说要|"
    r"才不会?|才懒得|懒得|犯不着|犯不上"
)
_DENIED_BEFORE = re.compile(
    rf"(?:{_DENIAL_WORDS})[^就才再]{{0,5}}$|(?:不|没|别|未)(?:要|想|再|敢)?(?:去|找|到|向|跟|给|上)?$|"
    r"(?<![要若还])(?:并|又|可|也)?不是(?:来|要|想|为了|去)?$"
)
_NOT_THAT_KIND = re.compile(
    r"(?:就算|即使|哪怕)[^,。]{0,4}(?:有人|别人)|不用担心|别担心|不必担心|放心|不是那种|不是那样的|又不是要|又不是想|并不是要|(?:要是|如果|若是?)我?(?:想|要)[^,。]{0,8}$|早就$"
)
_DISCLAIMED_AFTER = re.compile(
    r"^[^。!?;]{0,14}(?:倒不至于|还不至于|不至于|就算了|没必要|太麻烦|没打算|不打算|我可不想|不想那样|不想走到那一步|"
    r"不会那样|不会这么做|的想法没有|我是不会|不会的|没考虑过?|不考虑|没想过|暂不考虑|不必了|不用了|就免了|"
    r"勿扰|没这个打算|没有这个打算|没那个打算|没这个必要|(?<![不没]像)(?<!不是)(?<!没)(?<!没有)(?<!并非)(?:开个玩笑|开玩笑|说着玩|说笑)|放心[^。]{0,8}不会|不会说出去|"
    r"啥的|什么的|之类的|我?也?不(?:太)?懂|不了解|太费劲|太折腾|折腾不起|没那(?:个)?(?:闲)?(?:工夫|功夫|精力|闲心|时间)|懒得|犯不着|犯不上|划不来|不值当|不值得|"
    r"(?:但|可是?|不过|但是)?我(?:并|还|也|都|从来|一直|(?:啥|什么|一个字|一条|一张)(?:也|都))?(?:没|没有)(?:打|去|找|投诉|告|发|报|联系|请|说|写|贴|传)(?!通|完|成功|到人|算)|"
    r"(?<!不是)气话|一时冲动|说说而已|随口说说|别当真|别往心里去|干不出来|做不出来|不屑于?|不是我的(?:作风|风格)|"
    r"(?:但|可是?|不过|但是)(?:并|还|也)?(?:没|没有)(?:打|去|找|投诉|告|发|报|联系|请)(?!通|完|成功|到人|算))"
)
# The disclaimer does not hold when the customer goes on anyway ("起诉再费劲我也要告").
_ANYWAY = re.compile(r"也要|还是要|照样|一定要|非要|必须|照告|也得")
# Thought of it, then decided against: "本来想打12315，后来想想算了".
_THOUGHT_OF = re.compile(r"本来|原本|本想|原想|想过|一度|差点就|曾经想|也想过")
_DECIDED_AGAINST = re.compile(r"算了|作罢|打消|放弃了?|还是先|没(?:去|打|找|发|告)(?!通)|忍住了|没那么做")


_HEARSAY = re.compile(r"听说|据说|听人说|网上说|别人说|朋友说|听朋友说")
_OWN_STEP = re.compile(r"我(?:要|会|就|已经|准备|打算|马上|明天|今天|现在)|已经|不然|否则|再不")


_INFO = re.compile(
    r"能查|可以查|查到|查询|查一下|官网|网站|电话是多少|号码是多少|怎么打|是什么|是干什么|有什么用|模板|范本|样本|"
    r"格式|怎么写"
)
_ACTION = re.compile(r"投诉|举报|反映|打了|打过|去了|去过|已经|找|告|交了|提交|登记|受理")


def _information(w: Window) -> Promise | None:
    if _INFO.search(w.sentence) and not _ACTION.search(w.sentence):
        return _("a question for information, not a complaint filed")
    return None


_LANDMARK_BEFORE = re.compile(r"(?:楼上|楼下|隔壁|对面|旁边|附近)[^,。]{0,5}$|离$")
_LANDMARK_AFTER = re.compile(
    r"^(?:的)?(?:附近|旁边|对面|隔壁|边上|楼下|那条路|路口|那家|门口的店|那边的店|很近|不远|挺近)|"
    r"^(?:的)?(?:门口|对面|旁边|后面)(?:那个|那家|的)?(?:停车场|店|路|超市|小区|加油站|洗车)"
)


def _police_case(w: Window) -> Promise | None:
    if "立案" in w.trigger and (_POLICE.search(w.left + " " + w.right) or _CRIME.search(w.sentence)):
        return _("a police case about a crime, not a lawsuit")
    return None


_AWARD = re.compile(r"评为|评选|评上|授予|颁发|荣誉|诚信单位|先进单位|示范单位|放心消费|表彰|推荐单位|评的")


def _award(w: Window) -> Promise | None:
    """ "你们店被消协评为诚信单位": an honour the dealer received, not a complaint."""
    if _AWARD.search(w.sentence) and not re.search(r"投诉|举报|反映|告|曝光", w.sentence):
        return _("an honour the dealer received, not a complaint")
    return None


_CAR_ORIGIN = re.compile(r"^(?:的)?(?:拍卖|拍的|拍来|拍下|司法拍卖|判给|罚没|查封)")


def _car_origin(w: Window) -> Promise | None:
    """ "法院拍卖的车": where the car came from."""
    if _CAR_ORIGIN.search(w.right_clause) or re.search(r"法拍|司法拍卖", w.sentence):
        return _("where the car came from, not a step against the dealer")
    return None


# A legal step denied anywhere in the sentence covers its other legal words: "律师费这么贵，我才不去打官司呢".
_LEGAL_WORDS = r"律师|起诉|法院|打官司|官司|诉讼|仲裁|告(?:你们|他们)|法律"
_SENTENCE_DENIAL = re.compile(rf"(?:{_DENIAL_WORDS}|不去|不请|不找)[^,。就才再]{{0,4}}(?:{_LEGAL_WORDS})")
_OWN_LEGAL_STEP = re.compile(
    r"已经|委托|请了|找了|咨询了|准备|马上|正在|要求|不然|否则|再不|就(?:去|找|请|起诉|告)"
)


def _denied_in_sentence(w: Window) -> Promise | None:
    if _SENTENCE_DENIAL.search(w.sentence) and not _OWN_LEGAL_STEP.search(w.sentence):
        return _("denied or disclaimed in the same clause")
    return None


# "假如以后打官司需要维修记录": a need some day, asked about now; a threat ("不解决我就起诉") has
# its consequence marker between the condition and the step, so reads no condition here.
_IF = r"(?:假如|假设|万一|如果|要是|若是?|倘若|哪天|有朝一日)"
_FUTURE_NEED_BEFORE = re.compile(
    rf"{_IF}[^,。不没]{{0,4}}(?:以后|将来|日后|今后|哪天|有一天|哪一天)?[^,。不没]{{0,4}}$"
)
_FUTURE = re.compile(r"以后|将来|日后|今后|哪天|有一天|哪一天|有朝一日")
_NEED_AFTER = re.compile(
    r"^[^,。]{0,4}(?:需要|要用|用得着|用得上|用到|的时候|有用|备用|备着|留着|要什么|准备什么)"
)


_IF_SOME_DAY = re.compile(rf"{_IF}[^,。]{{0,4}}(?:以后|将来|日后|今后|哪天|有一天|哪一天|真有|真的有)")
_ASKING = re.compile(r"哪个|哪家|哪里|哪一|什么|吗|多久|怎么|几个|是否")


def _future_need(w: Window) -> Promise | None:
    if _FUTURE_NEED_BEFORE.search(w.consequence) and (
        _FUTURE.search(w.consequence) or _NEED_AFTER.search(w.right_clause)
    ):
        return _("a need some day in the future, not a step taken or threatened")
    # "如果以后真有纠纷要走仲裁，合同上写的是哪个仲裁委员会？": the condition covers the question
    condition = _IF_SOME_DAY.search(w.left)
    after = w.passage[w.at + len(w.trigger) + len(w.right_clause) :]
    if (
        condition
        and not _CONSEQUENCE.search(w.left[condition.end() :])
        and (_ASKING.search(w.left_clause + w.right_clause) or after.startswith("?"))
    ):
        return _("a need some day in the future, not a step taken or threatened")
    return None


def _landmark(w: Window) -> Promise | None:
    """ "法院附近那家分店" names a place."""
    if _LANDMARK_AFTER.search(w.right_clause) or _LANDMARK_BEFORE.search(w.left_clause):
        return _("a place named as a landmark")
    return None


# "媒体那边我暂时不会找", "打官司这种事我可不干": the topic first, the denial after it.
_DENIED_AFTER = re.compile(
    r"^[^,。]{0,4}(?:就|也|先|暂时)?不(?:请|找|去|告|打|发|用|考虑|提|说)了|"
    r"^[^,。]{0,8}(?:我)?(?:暂时|先|也|就|是|绝|都|可|才|并)?(?:不会|不想|不打算|不去|不找|不打|不告|不发|不干|不做|不考虑|干不出|做不出|不屑)|"
    r"^[^,。]{0,8}(?:啥|什么|一个字|一条|一张)(?:也|都)(?:没|没有|不)(?:发|说|写|贴|传|打|找|告)|"
    r"^[^,。]{0,6}(?:没再|不再|没有再)(?:联系|找|打|发|去)"
)
# "不曝光你们是不会重视的": without the step nothing moves — a threat, not a denial.
_NEEDED_AFTER = re.compile(r"^[^我,。]{0,8}(?:是不会|不会重视|不行|不管用|没用|解决不了|不会解决)")


_ANSWERED_NO = r"[^,。!?;]{0,3}\?\s*(?:没|不|算了|犯不着|犯不上|哪有|谁|至于吗)"


# "朋友开玩笑说要是再修不好就发个小红书": a joke told before the step, unless the customer means it.
_JEST_BEFORE = re.compile(r"(?<!不是)(?<!不像)(?:开玩笑|开着玩笑|打趣|调侃|逗我|起哄)[^,。]{0,3}(?:说|道|讲)")
_IN_EARNEST = re.compile(r"认真|不是开玩笑|不像开玩笑|真的会|真会|我就|我已经|我准备|我打算")


def _denied(w: Window) -> Promise | None:
    # "打官司？没那必要": a question the customer answers no
    if _JEST_BEFORE.search(w.left) and not _IN_EARNEST.search(w.sentence):
        return _("denied or disclaimed in the same clause")
    if re.search(re.escape(w.trigger) + _ANSWERED_NO, w.passage):
        return _("denied or disclaimed in the same clause")
    if _HEARSAY.search(w.left_clause) and not _OWN_STEP.search(w.sentence):
        return _("hearsay or information, not a step the customer takes")
    if _NEEDED_AFTER.search(w.right_clause):
        return None
    if (
        _DENIED_BEFORE.search(w.consequence)
        or _NOT_THAT_KIND.search(w.left_clause)
        or (_DISCLAIMED_AFTER.search(w.right) and not _ANYWAY.search(w.right))
        or (_THOUGHT_OF.search(w.left_clause) and _DECIDED_AGAINST.search(w.right + w.passage[-_WINDOW:]))
        or _DENIED_AFTER.search(w.right_clause)
    ):
        return _("denied or disclaimed in the same clause")
    return None


_EVENT_DENIED = re.compile(
    r"(?:没有|没(?!多远|多久|几|一会|过多久)|未|无(?!法)|不是|并非|并未|不曾|未曾|不存在|无人|没人|免于|避免了|幸免)[^,。!?;]{0,3}$"
)


_EVENT_DENIED_AFTER = re.compile(
    r"^[^,。!?;]{0,4}(?:这种|这样的?|这类)?(?:事|事情|情况|问题)?[^,。!?;]{0,3}(?:我|我们|倒是|倒)?(?:从来|从|还|都|也)?"
    r"(?:没|没有|未)(?:遇到|碰到|遇见|碰上|发生|出现|经历|出过)"
)


# "刹车倒是没失灵": the denial inside the words the cue matched (its gap holds "倒是没").
_EVENT_DENIED_INSIDE = re.compile(
    r"(?:没有|没|未曾|未|并非|不是)被(?:锁|困|关)|"
    r"(?:没有|没|未曾|未|并非|不是)(?:出现|发生|有)?过?(?:失灵|失效|不灵|失控|锁死|卡死|熄火|失速|断电|爆胎|黑屏|抛锚|"
    r"起火|着火|自燃|冒烟|打不动|转不动|踩不下去|踩不动|停不下来|停不住|刹不住)"
)


def _event_denied(w: Window) -> Promise | None:
    if (
        _EVENT_DENIED.search(w.left_clause)
        or _EVENT_DENIED_AFTER.search(w.right)
        or _EVENT_DENIED_INSIDE.search(w.trigger)
    ):
        return _("denied: it did not happen")
    return None


_HYPOTHETICAL_BEFORE = re.compile(
    r"(?:会不会|会|万一|如果|要是|假如|假设|若是|若|一旦|担心|担忧|害怕|怕|生怕|就怕|防止|避免|预防|以免|以防|"
    r"容易|可能|有没有|是否|能不能|该不会|不会|小心|(?<![特区分告识派级类])别|不要|不能|恐怕|隐患|风险|听说|据说|传言|谁知道|"
    r"怎么防|如何|怎样才|万万|就算|即使|哪怕|也有|梦见|梦到|做梦|假想|模拟|演练|演习|测试|教练|说明书|手册|培训|课上|或者|你就知道|就知道|预判)[^,。]{0,14}$"
)
_HYPOTHETICAL_AFTER = re.compile(
    r"^(?:[^,]{0,2}的时候(?:要|应该|该|怎么|如何|需要))|^[^,。]{0,6}(?:吗|(?<![这那怎什多要])么|嘛|呢|\?|的风险|的隐患|隐患|风险|的可能|怎么办|咋办|可咋|就完了|就麻烦了|了怎么办|谁负责|谁来负责|的话)"
)


def _hypothetical(w: Window) -> Promise | None:
    if (
        _HYPOTHETICAL_BEFORE.search(w.left_clause)
        or _HYPOTHETICAL_AFTER.search(w.right_clause)
        or re.search(r"会|可能|容易", w.trigger)  # "刹车启动三次后会失效"
    ):
        return _("a worry or a hypothetical, not something that happened")
    return None


_RELATIVES = (
    r"亲戚|表哥|表姐|表弟|表妹|堂哥|堂姐|哥哥|姐姐|弟弟|妹妹|我哥|我姐|我弟|我妹|我爸|我妈|父亲|母亲|老公|老婆|"
    r"爱人|媳妇|儿子|女儿|舅舅|叔叔|阿姨|姑姑|姨|姐夫|妹夫|嫂子|朋友|同学|同事|邻居|家里人|家人|发小|闺蜜|兄弟|哥们|"
    r"表[兄弟姐妹叔姨舅伯]|堂[兄弟姐妹叔伯]|[大小二三]?[叔伯舅姨姑婶]|小姨子|小舅子|亲家|女婿|儿媳|公公|婆婆|岳父|岳母|丈母娘|老丈人|外甥|侄子|侄女|"
    r"我本人|本人|我自己"
)
_RELATION = re.compile(rf"(?:{_RELATIVES})[^,。]{{0,6}}(?:在|是|当|做|开|跑|干|搞)[^,。]{{0,6}}$")
_RELATIVE = re.compile(_RELATIVES)
_OWNED_JOB = re.compile(r"(?:公司|单位|厂里|物业|学校|银行|保险公司)的?$")
_RELATION_JOB_AFTER = re.compile(r"^[^,。]{0,6}(?:工作|上班|实习|当|做|干|任职|退休|的朋友|出身)")
_RELATION_ACTION = re.compile(
    r"帮我|替我|报道|采访|曝光|联系|找|来处理|来找|起诉|打官司|律师函|发函|处理这件事|介入|选题|报题|写稿|稿子|上版面|见报|"
    r"跟进|在跟|盯着|关注"
)


# "我表哥是律师，…下礼拜就去立案": whatever the relative does, the customer takes the step.
_OWN_STEP_AFTER = re.compile(
    r"(?<![不没别])(?:就|要|准备|打算|马上|已经|明天|下周|下礼拜|下个?星期)[^,。不没别]{0,3}"
    r"(?:起诉|告(?:你们|他们|到)|立案|打官司|走法律|上法院|申请仲裁|曝光|找媒体|投诉|举报)|准备开干|开干了"
)


_SELF_JOB = re.compile(r"(?:我|本人)(?:就)?(?:在|是)[^,。]{0,4}$")
_ERRAND_AFTER = re.compile(
    r"^[^,。]{0,4}办[^,。]{0,10}(?:的事|事情|手续)|"
    r"^[^,。]{0,8}(?:办事|办理|办证|办手续|办(?:点|些|个|件)[^,。]{0,3}事|营业执照|远吗|远不远|怎么走|在哪|附近|旁边|对面|参加|婚礼|旁听|陪审|开会|培训)"
)


def _errand(w: Window) -> Promise | None:
    """ "我要去法院办事", "我在律师事务所上班": a place of work or an errand."""
    if _ERRAND_AFTER.search(w.right_clause) and not re.search(
        r"投诉|举报|反映|起诉|告|立案|维权", w.right_clause
    ):
        return _("an errand or a place of work, not a step against the dealer")
    if _SELF_JOB.search(w.left_clause) and _RELATION_JOB_AFTER.search(w.right_clause):
        return _("an errand or a place of work, not a step against the dealer")
    return None


_SELF_IDENTITY = re.compile(r"(?:我|我们|本人)(?:本身|自己|本人|本来)?(?:就|也)?是[^,。]{0,6}$")
_GRIEVANCE = re.compile(r"投诉|曝光|维权|问题|坑|骗|不解决|退车|赔|质量|故障|态度")


def _self_identity(w: Window) -> Promise | None:
    """ "我是记者，想采访…", "我们是市电视台的": who is speaking, not a threat."""
    if _SELF_IDENTITY.search(w.left_clause) and not _GRIEVANCE.search(w.passage):
        return _("who the speaker is, not a step against the dealer")
    return None


_PRIVATE_DEED = re.compile(r"办[^,。]{0,4}公证|财产|房产|遗产|继承|学历|出生|委托书|婚|签证|出国|公证书")


def _private_notary(w: Window) -> Promise | None:
    """ "去公证处办财产公证": a private deed, not evidence against the dealer."""
    if _PRIVATE_DEED.search(w.sentence) and not re.search(r"车况|取证|赖账|抵赖|证据", w.sentence):
        return _("an errand or a place of work, not a step against the dealer")
    return None


def _own_profession(w: Window) -> Promise | None:
    """ "我本身就是律师，平时比较忙": the customer's own job ("我就是要起诉" is a step, not a job)."""
    if re.fullmatch(r"律师|律所|法院|法庭|代理人|代理律师|公证处|公证员|lawyers?|attorneys?", w.trigger):
        return _self_identity(w)
    return None


# "…我已经把材料给他了": whatever the relative's job, the customer has handed the case over.
_HANDED_OVER = re.compile(
    r"(?:已经|都|已)[^,。不没]{0,6}(?:材料|资料|视频|录音|证据|照片|截图|聊天记录|合同|情况|经过)[^,。]{0,4}"
    r"(?:给|发给|交给|转给|传给|告诉|讲给)(?:了)?(?:他|她|他们|她们)|"
    r"(?:已经|都|已)(?:给|发给|交给|转给|传给)(?:了)?(?:他|她|他们|她们)[^,。]{0,4}(?:材料|资料|视频|录音|证据|照片|截图)|"
    r"(?:材料|资料|视频|录音|证据|照片|截图|记录)[^,。]{0,6}(?:都|已经|已)[^,。不没]{0,3}(?:给|发给|交给|转给|传给|发|交|转)(?:了)?(?:他|她|他们|她们)|"
    r"(?:材料|资料|视频|录音|证据)[^,。]{0,4}(?:他|她|他们|她们)[^,。]{0,3}(?:拿走|带走|收了|要走)|出稿|发稿|见报|(?:值得|要|准备)写一篇|写篇稿"
)


def _relation(w: Window) -> Promise | None:
    """ "我表哥在电视台上班" mentions a job, not a step the customer takes."""
    related = _RELATION.search(w.left_clause) or (
        _RELATIVE.search(w.left_clause) and _RELATION_JOB_AFTER.search(w.right_clause)
    )
    related = related or re.match(r"^[^,。]{0,3}的?(?:朋友|亲戚|同学|同事|熟人|哥们|老同学)", w.right_clause)
    if (related or _OWNED_JOB.search(w.left_clause)) and not (
        _RELATION_ACTION.search(w.right_clause)
        or _OWN_STEP_AFTER.search(w.right)
        or _HANDED_OVER.search(w.right)
    ):
        return _("a relative's or friend's job, not a step the customer takes")
    return None


_NEWS_SOURCE = re.compile(r"(?:看|看到|看了|从|在|听|刷到|据|根据|上了?|通过)[^,。]{0,3}$")
_NEWS_SOURCE_AFTER = re.compile(
    r"^[^,。]{0,4}(?:上说|里说|上看|里看|说|报道|报导|里播|上播|讲|得知|才知道|看到|了解到)"
)
_RECALL = re.compile(r"召回|通报|发布|公告|官方|厂家|别人|有人|其他|新款|同款|这款车|这个车型|车型")


def _news_source(w: Window) -> Promise | None:
    """ "看新闻才知道召回": the news told the customer something; nobody goes to the press."""
    if w.trigger.endswith("上见"):  # "新闻上见": see you in the news
        return None
    if _PRAISE.search(w.sentence) and not _BLAME.search(w.sentence):
        return _("the news as a source of information, not a threat to go to the press")
    if (_NEWS_SOURCE.search(w.left_clause) or _NEWS_SOURCE_AFTER.search(w.right_clause)) and not (
        re.search(
            r"曝光|找|联系|爆料|投诉到|打给|打电话给|上门|来采访|采访我|报道我|发给|捅|来拍|过来拍|拍一期|做一期|跟拍",
            w.sentence,
        )
        or _HANDED_OVER.search(w.sentence)
    ):
        return _("the news as a source of information, not a threat to go to the press")
    if _RECALL.search(w.sentence) and not re.search(r"曝光|找|联系|爆料|打给|发给|我的车|我这", w.sentence):
        return _("the news as a source of information, not a threat to go to the press")
    return None


_EXPOSE = re.compile(
    r"看看你们|更新|进展|说了|讲了|写了|写出来|放上去|置顶|顶一下|艾特|@|圈了|气愤|说清楚|讲清楚|小心|提醒|别买|让所有|发|转|挂|晒|曝|爆料|传到|传开|传遍|都在说|都知道|热搜|让(?:大家|网友|所有人|全国|更多人)|视频|帖|揭露|吐槽|公开|直播|评评理|说道说道|上网"
)
_SOURCE = re.compile(
    r"看到|刷到|发现|看的|查的|查到|了解到|种草|搜到|关注|买的|下单|订的|领的|抢的|优惠|广告|博主|主播|达人|评测|报价|"
    r"看了|介绍|讲解|直播间|抽奖|团购|秒杀"
)
_PRAISE = re.compile(
    r"推荐|夸|好评|点赞|表扬|感谢|满意|开心|漂亮|喜提|提车|恭喜|祝贺|晒.{0,3}新车|分享|赞|不错|很好|暖心|贴心|专业"
)
_BLAME = re.compile(
    r"曝光|垃圾|坑|骗|差劲|太差|避雷|别买|黑店|投诉|维权|揭露|让大家看看|评评理|不解决|态度|恶劣|无良|欺"
)


_SOMEONE_POSTED = re.compile(
    r"(?:有人|有兄弟|别人|网友|楼主|他们|大家|有车友|很多人|好多人|你(?!们))[^,。我]{0,4}$"
)
_ABOUT_DEALER = re.compile(
    r"你们|这件事|这事|此事|经过|情况|遭遇|维修|记录|视频|证据|所作所为|真相|服务|店|截图|回复|车主"
)
_READING = re.compile(
    r"查|都说|里的帖子|去看|看下|看一下|留意|上说|里说|看到|有人说|说的|求助|咨询|问问|记得"
)


_OWN_POST = re.compile(r"我[^,。你他她]{0,8}(?:发|挂|贴|传|放|公开|曝)|已经[^,。你他她]{0,4}(?:发|挂|贴|传)")


_CREATOR_SELF = re.compile(
    r"(?:我|我们|本人)(?:是|在)?(?:做|搞|干|玩|开)[^,。]{0,8}(?:自媒体|博主|测评|评测|号|频道|up主|账号)"
)
_BUSINESS = re.compile(r"借[^,。]{0,4}车|试驾车|合作|对接|商务|推广|市场部|赞助|邀约|投放|洽谈|置换|报价单")


# A post's views or likes counted ("十来万播放", "点赞两千多"): it is out and spreading; the 赞 in
# it is no praise.
_COUNTED = re.compile(
    r"(?:点赞|赞|播放|浏览|阅读|转发|评论)(?:量|数)?[^,。]{0,2}[\d两几一二三四五六七八九十百千万]+|[\d两几一二三四五六七八九十百千万]+[^,。]{0,2}(?:个|次)?(?:点赞|赞|播放|浏览|阅读|转发)"
)


def _not_exposure(w: Window) -> Promise | None:
    """A platform is a signal when the customer posts there to expose the dealer (the trigger
    itself, "发帖", proves nothing: someone else may have posted, or the customer read there)."""
    around = _COUNTED.sub(" 传开 ", w.left + " " + w.right)
    if _CREATOR_SELF.search(w.passage) and _BUSINESS.search(w.passage) and not _GRIEVANCE.search(w.passage):
        return _("a creator's business request, not an exposure")
    if _PRAISE.search(around) and not _BLAME.search(around):
        return _("praise shared on a platform, not an exposure")
    posted = _EXPOSE.search(around) or re.search(r"发|转|曝|公开|传|挂|贴|放|视频", w.trigger)
    own_post = posted and (
        _OWN_POST.search(around)
        or (
            re.search(r"网上|曝|公开|公布|传到|发出去", w.trigger)  # "再不解决就传到网上去"
            and re.search(r"就|准备|要|会|已经|马上|再不|不然|否则", w.left_clause)
        )
    )
    own_post = own_post or re.search(
        r"(?:不给|不解决|不处理|不退|不赔|不管|再不|不然|否则|要是不|如果不)[^,。]{0,10}(?:我|我们)?(?:就|会|要)",
        w.left,
    )
    if _SOMEONE_POSTED.search(w.left_clause) and not own_post:
        return _("the platform is where the customer saw or bought something")
    if (_SOURCE.search(around) or _READING.search(around)) and not (_BLAME.search(around) or own_post):
        return _("the platform is where the customer saw or bought something")
    intent = re.search(r"我|已经|准备|要|会|都在|全在|疯|让(?:大家|网友|所有人|更多人)", around)
    if not (_BLAME.search(around) or (posted and (_ABOUT_DEALER.search(around) or intent))):
        return _("a platform named without posting anything there")
    return None


_WARNING_BEFORE = re.compile(
    r"(?:仪表|仪表盘|胎压|雷达|故障|系统|车辆|车子|车身|一直|老是|经常|频繁|总是|总|又|会|防盗|水温|温度|电池|发动机|"
    r"自动|中控|屏幕|屏|提示|莫名|无故|偶尔|间歇|反复|突然|乱|都|还在|机油|油压|刹车|气囊|倒车|盲区|车道|碰撞|疲劳)[^,。]{0,4}$"
)
_WARNING_AFTER = re.compile(r"^(?:灯|声|器|提示|信息|音|码|系统|装置|功能|图标|标志|指示|响|一直|不停)")


_POLICE = re.compile(r"警察|派出所|民警|出警|立案|笔录|110|交警|公安")
_CHIME = re.compile(
    r"雷达|灯|仪表|提示|滴滴|嘀嘀|蜂鸣|声音|故障码|胎压|系统|[a-z]{2,}|说是|显示|水温|温度|一开|一挂|一踩|启动|打火|车速|开着"
)
_CRIME = re.compile(
    r"被偷|被盗|偷了|盗了|被人[^,。]{0,3}(?:划|砸|撬|偷|刮|扎|剐)|被砸|被划|备案|丢了|小偷|撬"
)
_INTENT_BEFORE = re.compile(
    r"(?:我|我们|已经|就|要|马上|当场|直接|去|只能|只好|必须|准备|打算|立刻|赶紧|帮我|替我)[^,。]{0,2}$"
)


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
    r"手术|生孩子|坐月子|骑电动车|骑自行车|骑摩托|摔|石膏|羽毛球|乒乓球|篮球|足球|网球|游泳|扭了|崴了|学校|幼儿园|单位里|接送|代步车|不能开车|没法开车|阳了|老人家?|身体不好|体检|骨科|崴|扭伤|烫到手的|切菜|家里|疫情|出差"
)
# the cabin air: fumes or mist from the vents, a smell that made someone ill
_CABIN_AIR = (
    r"风口[^,。]{0,4}(?:喷|吹|冒)|白雾|刺鼻|甲醛|一氧化碳|中毒|"
    r"(?:异味|怪味|气味)[^。]{0,12}(?:咳|晕|吐|恶心|难受|喘|过敏)|(?:闻|吸)了[^,。]{0,6}(?:咳|晕|吐|恶心|难受|喘)"
)
_ON_FIRE = r"(?<![打点])(?<!打不)(?<!点不)(?<!打得)(?<!点得)着火"  # "打不着火": it will not start
_CAR_EVENT = re.compile(
    rf"撞|车祸|事故|刹车|制动|气囊|车门|车窗|天窗|座椅|起火|{_ON_FIRE}|自燃|冒烟|夹|烫|车里|车内|车上|开车时|驾驶|方向盘|失控|"
    rf"追尾|翻车|爆炸|玻璃|后备箱|尾门|电动门|充电|安全带|{_CABIN_AIR}"
)
_ABSENCE = re.compile(
    r"所以|不方便|来不了|过段时间|以后再说|再说|签字|没法|没办法过来|没空|晚了|推迟|改期|耽误|请假|暂时不能|过几天|等.{0,4}出院"
)


def _no_car_event_nearby(w: Window) -> Promise | None:
    if not _CAR_EVENT.search(w.passage) and not re.search(r"受伤|伤|骨折|流血", w.passage):
        return _("a hospital stay with no event of the car told")
    return None


_STRONG_EVENT = re.compile(
    rf"撞|车祸|事故|起火|{_ON_FIRE}|自燃|冒烟|夹|烫|气囊|失控|追尾|翻车|爆炸|弹出|砸|摔出|甩出|失效|失灵|{_CABIN_AIR}"
)
# An injury on the dealer's premises from what was left there ("你们车间地上的油", "展厅台阶"):
# a fall is then no private mishap.
_DEALER_PLACE = r"(?:店|这|那|车间|展厅|门店|售后|休息区|停车场|洗车|工位)"
_AT_DEALER = re.compile(
    rf"(?:在|到)你们(?:的)?{_DEALER_PLACE}|你们(?:的)?(?:店里|店门口|车间|展厅|售后|休息区|洗车房|工位)|"
    r"(?:车间|展厅|店里|售后|休息区|工位)[^,。]{0,4}(?:地上|地面|台阶|门口|楼梯)"
)
_PREMISES_HAZARD = re.compile(
    r"(?:地上|地面|台阶|楼梯)[^,。]{0,6}(?:油|水|湿|滑|没人收拾|没有?提示|警示)|机油|油污|有油|积水|湿滑|"
    r"没人收拾|没有?(?:放)?警示|千斤顶|举升机|"
    rf"(?:在|到)你们(?:的)?{_DEALER_PLACE}[^,。]{{0,6}}(?:摔|滑倒|绊倒|被砸|被夹|被撞)"
)


def _unrelated_injury(w: Window) -> Promise | None:
    around = w.left + " " + w.right  # the trigger itself ("烫伤") is no car event
    if _STRONG_EVENT.search(around):
        return None
    if _AT_DEALER.search(w.passage) and _PREMISES_HAZARD.search(w.passage):
        return None
    if re.search(r"扭|崴|腰|颈椎|劳损|坐久|久坐|开久", w.trigger + w.left_clause[-3:]) and not re.search(
        r"撞|刹|追尾|急停|甩|冲", around
    ):
        return _("an injury or illness with another cause, not one from the car")
    if _ABSENCE.search(around) or _UNRELATED_CAUSE.search(around):
        return _("an injury or illness with another cause, not one from the car")
    if _CAR_EVENT.search(around):
        return None
    if _UNRELATED_CAUSE.search(w.sentence) or _ABSENCE.search(w.sentence):
        return _("an injury or illness with another cause, not one from the car")
    return None


_BODY = (
    r"额头|脑袋|头部|(?<![车龙石码枕床镜灯])头|手指|指甲|手腕|手臂|手掌|(?<![扶把拉])手(?!柄|刹|套|机)|脚踝|"
    r"脚(?!垫|刹|踏|蹬)|小腿|大腿|腿|胳膊|肋骨|脸|眼睛|眼角|鼻子|鼻梁|腰|脖子|颈椎|膝盖|肩膀|胸口|胸|后背|"
    r"(?<![椅靠])背|皮肤|身上|髋骨|髋部|髋关节|尾椎|尾骨|肩膀|锁骨|肋骨"
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
    r"百度|搜一下|搜索|输入|调查|新闻|报道|听说|据说|网上|网上看到|视频里看到|别人|有人|其他车主|别的车|隔壁|邻居|朋友的车|同事的车|那辆|视频里|群里|论坛|"
    r"这款车.{0,4}(?:经常|多次|容易|出过)|同款.{0,4}(?:出过|发生过)|"
    r"(?:看到|看见|路过|碰到|遇到|见到|瞧见)[^,。]{0,6}(?:一辆|有辆|辆|一台|别人|别的|路边)"
)


# Someone who told or helped the customer ("邻居拍门叫的我", "路人帮我报的警") is a witness to the
# customer's own event, not the owner of another car.
_WITNESS = re.compile(
    r"(?:邻居|路人|别人|有人|保安|物业|同事|朋友|路过的人)[^,。]{0,4}"
    r"(?:拍门|敲门|叫(?:的)?我|喊(?:的)?我|告诉我|通知我|提醒我|打电话给我|给我打电话|帮我|帮忙|报的警|报了警|打的119|打了119|发现的)"
)


def _someone_else(w: Window) -> Promise | None:
    left = _WITNESS.sub(" ", w.left)
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


def _not_a_person(w: Window) -> Promise | None:
    if _FALLING_OBJECT.search(w.left):
        return _("something fell on the car; nobody smashed it")
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
    if re.search(r"横幅|条幅|牌|标语", w.trigger) and _CELEBRATION.search(w.sentence):
        return _("a promotion banner, not a protest")
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


def _scene_elsewhere(w: Window) -> Promise | None:
    if _SEEN_ELSEWHERE.search(w.left_clause) and not _OWN_STEP.search(w.left_clause + w.right_clause):
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


_OWN_CASE = re.compile(r"我(?:的|这)(?:件)?(?:事|遭遇|经历|车|台车|辆车)|我这台|我这辆")


def _no_warning(w: Window) -> Promise | None:
    """A creator's feature is a crisis when it is about the customer's own case or held over the
    dealer ("想拿我这台车做一期专题，你们自己掂量"); a creator asking for a test car is not."""
    if not (_WARNING.search(w.passage) or _OWN_CASE.search(w.sentence)):
        return _("a creator named without holding it over the dealer")
    return None


_MOOD = re.compile(r"情绪|心态|脾气|场面|局面|预算|成本|价格|时间")


_DRIVER_ERROR = re.compile(
    r"不小心|没注意|操作失误|我的责任|我的错|全责是我|我自己撞|走神|没看到|没看见|没看清|倒车时没|看手机|我全责|跟车没关系|与车无关"
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
    r"^[^,。]{0,2}过|^[^,。]{0,6}的(?:事|那件事|事情|那次)|^[^,。]{0,3}(?:那件事|那事儿?|那回事|那个事|那档子事)"
)
_NOW = re.compile(
    r"今天|今早|今晚|现在|这次|这回|刚才|刚刚|昨天|昨晚|前天|最近|这两天|这几天|又|再次|目前|马上|立刻"
)
_RESOLVED = re.compile(
    r"(?:已经|早就|早已|后来|现在|之后|最后)[^,。没不未还]{0,4}(?:没事|没问题|解决|处理好|处理完|了结|结了|结案|过去了|翻篇|"
    r"撤回|撤诉|和解|搞定|删|撤)|(?:已经|早就|早已|后来|之后|最后)[^,。没不未还]{0,6}(?:修好|换了(?:新车|一台|一辆|台|辆)|退了车|赔了|赔偿了|和解)|"
    r"判完了?|(?:官司|案子)[^,。没不未还]{0,3}(?:赢了|打赢了|打完了|结了)|(?:钱|赔偿|赔款|车款)[^,。没不未还]{0,3}(?:拿到|到账|到位|退回来)|"
    r"协议[^,。没不未还]{0,3}签(?:了|好)|签了[^,。没不未还]{0,3}(?:协议|和解)|(?:都|也|早)过去了|翻篇了|(?:问题|事情|事儿|那件事|这事)[^,。没不未还]{0,3}解决了|"
    r"(?:我|已经|早就)[^,。没不]{0,3}(?:删|撤)(?:了|掉了)|(?:一直|到现在|至今)[^,。]{0,6}(?:都|也)?没(?:事|出过|再出|问题)|"
    r"(?:此后|之后|后来|从那以后|打那以后)[^,。]{0,4}(?:再也|再|都|也)没(?:事|出过|再出|问题|坏过|犯过)|"
    # made good and thanked for (给换了新车，现在开着挺好; 送面锦旗)
    r"(?:给|已经?)换了(?:新车|一台|一辆)|现在[^,。没不]{0,4}(?:挺好|很好|正常|没毛病)|锦旗|(?:车|件)[^,。没不]{0,2}换好了|"
    r"不计较了|不追究了"
)
_CLAIMED = re.compile(r"(?:说是?|以为|号称|声称|答应|保证)[^,。]{0,4}$")
_STILL_ON = re.compile(
    r"结果|谁知|没想到|又(?!来)|再次|仍然|依然|依旧|还是(?:不|没|会|老|有)|还没|没解决|不解决|再不|不然|否则|如果再|要是再|"
    r"还(?:要|会|得)(?:去|找|告|起诉|投诉|曝光)"
)


# A step withdrawn, told right after it ("律师那边我撤了", "视频已经删了"): over, whenever it was.
_WITHDRAWN = re.compile(
    r"^[^,。]{0,5}(?:我|已经|早就)?(?:撤了|撤回了|撤诉了|撤掉了|删了|删掉了|不打了|不告了)"
)


def _settled(w: Window) -> Promise | None:
    if _WITHDRAWN.search(w.right_clause) and not _STILL_ON.search(w.passage[w.at + len(w.trigger) :]):
        return _("a past step or event told as over and resolved")
    before = w.left + w.trigger  # "视频我本来发到网上了": the trigger may hold the time itself
    past_at = max((m.end() for m in _PAST.finditer(before)), default=-1)
    told_past = past_at >= 0 and not _NOW.search(before[past_at:])
    if not (told_past or (_TOLD_AS_PAST.search(w.right_clause) and not _NOW.search(w.left))):
        return None
    after = w.passage[w.at + len(w.trigger) :]
    resolved = next(
        (m for m in _RESOLVED.finditer(after) if not _CLAIMED.search(after[: m.start()])),
        None,
    )
    if resolved is None or _STILL_ON.search(after[: resolved.start()] + after[resolved.end() :]):
        return None
    return _("a past step or event told as over and resolved")


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
    r"往[左右]偏|跑偏|自己跑|乱跑|回不了正|回不来|不回正|(?:玻璃|挡风)[^,。]{0,6}(?:突然)?(?:碎|爆)|往前(?:窜|蹿|冲|走|溜)|车不走|"
    r"(?:刹车|制动|踏板)[^,。]{0,6}(?:软|硬邦邦|发硬|变硬|踩不动|刹不动|到底|没劲|没力)|(?:踩|像|跟)[^,。]{0,2}(?:棉花|海绵)|"
    # cruise control that will not let go, the speed running away
    r"(?:定速|巡航|自适应)[^,。]{0,4}(?:关不掉|关不了|关不上|退不出|退不了|取消不了|解除不了|不退)|踩刹车[^,。]{0,2}(?:也|都)不退|"
    r"(?:车速|速度|时速)?[^,。]{0,2}一路(?:飙|涨|窜|冲)(?:到|上)|刹不动|减不下来|车速还在|(?:根本|完全|死活|怎么都|怎么也)踩不(?:动|下去)|"
    r"(?:油门|电门)[^,。]{0,6}(?:卡住|卡死|回不来|不回来|弹不回|不回弹|下去就不)|车速[^,。]{0,4}(?:往上|一直)(?:飙|涨|窜|冲|升)|"
    r"(?:(?<![我你他她])自己|突然|猛地|猛的|一下子)[^,。]{0,8}(?:跑|偏|拐|蹿|窜|冲|溜)|往后(?:窜|蹿|冲|溜)|(?:车尾|屁股|后轮)[^,。]{0,3}(?:一甩|甩|滑)|打横|横过来"
)
_DANGER = (
    r"撞|怼|顶到|顶上|冲进|冲出|冲上|冲到|冲向|追尾|擦着|差点|险些|差一点|后怕|冷汗|吓死|应急车道|双闪|翻|滑到|"
    r"(?:后车|后面的车)[^,。]{0,4}急刹|才没|亲上|往[^,。]{0,4}冲|滑进|掉进|绿化带|护栏|隔离带|隔离墩|马路牙子|路牙|沟里|路沟|水沟|山沟|电线杆|行人|甩出|擦着地面|滑出|躲不及|幸亏|幸好|好在|"
    r"一头|追了[^,。]{0,3}(?:前面|前车|一辆|人家|别人)|挡住[^,。]{0,4}视线|看不见|看不清|凭感觉|追[^,。]{0,2}上|所幸|及时避让|避让不及|"
    r"才停下|才停住|才停了|才拉回|拉回来|吓出|吓得|吓坏|魂都|交代|没命|要不是|对向|逆行|大货车|黑灯瞎火|摸黑|什么都看不见|看不见路|"
    r"(?:甩|转|打)了[一两几]个?圈"
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
        r"(?:车里|车内|车厢|驾驶室)[^,。]{0,4}(?:全是|都是|冒|有)[^,。]{0,2}烟|起火|(?<![打点])(?<!打不)(?<!点不)(?<!打得)(?<!点得)着火|自燃|(?:窜|冒|蹿|喷|冲)(?:出|上|起|了)?[^,。]{0,2}火(?![花车锅大气])|"
        r"火(?:从|苗|光|星|势)|(?<!信息)爆炸|(?<![气肺脑毛])炸了|炸坏|着起来|(?:着|燃)了起来|(?:车|车子|车辆|电池|电车|新车|整车|爱车)[^,。]{0,6}自然(?:了(?!解)|起火|烧)|烧[^,。]{0,4}(?:只|就)?剩(?:下)?(?:个|了)?(?:架子|框架|骨架|壳子?|铁架)|烧着了|着了火|消防车|消防员|火警|(?<!\d)119(?!\d)|扑灭|被火|大火|火[^,。]{0,4}(?:包住|吞|烧)|火[^,。]{0,6}(?:窜上来|冒出来|烧起来|蹿出来|喷出来|窜出来)|(?:冒|喷|窜)[^,。]{0,4}烟(?!味|头)|冒出[^,。]{0,4}烟|一股[^,。]{0,3}烟|烟雾|浓烟|火光|爆燃|烧黑|熏黑|烧化|烧穿|冒(?:出|起)?(?:浓|黑|青|大量的?|好多|很多)?烟|冒火|冒出火星|火苗|明火|失火|烧起来|烧了起来|烧毁|烧没了|烧光|烧成|火灾|燃起来|窜出火|冒出火|"
        r"\bcaught fire\b|\bfire\b|\bsmoke\b",
        _("a fire or smoke in the car"),
        (*_EVENT_CHECKS, _not_a_fire),
    ),
    # a door, the bonnet or the boot opening by itself on the road; glass bursting; a battery swelling
    Cue(
        SignalKind.SAFETY,
        r"(?:车门|副驾门|主驾门|后门|门|机盖|引擎盖|发动机盖|前盖|后备箱|尾门)[^,。]{0,4}(?:自己|突然|自动)(?:开了|打开|弹开|翻起|掀起)|"
        r"(?:机盖|引擎盖|发动机盖|前盖)[^,。]{0,6}(?:翻起|弹起|掀起|飞起)|"
        r"(?:天窗|挡风|车窗|玻璃)[^,。]{0,10}(?:砰|嘭|啪)[^,。]{0,4}(?:全)?(?:碎|爆|炸)|"
        r"电池(?:包)?[^,。]{0,6}(?:鼓(?:了个)?包|鼓起来|变形)",
        _("a door, the bonnet or glass giving way on the road, or a battery swelling"),
        _EVENT_CHECKS,
        needs=r"高速|高架|环|国道|路上|开着|行驶|跑着|路口|二环|三环|上路|车速|时速|趴窝|续航|烧|味|冒烟|看不见|拍在",
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
        rf"(?:高速|高架|快速路|国道|环路|隧道|桥上){_G}(?:熄火|失速|动力中断|没有动力|没动力|断电|抛锚|爆胎|黑屏)|"
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
        (_event_denied, _hypothetical, _someone_else),
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
        rf"(?:安全)?气囊{_G}(?:没出来|没有出来|没弹|没有弹|未弹|没打开|没有打开|未打开|没爆|没有爆|未爆|没起爆|未起爆|没弹出|弹出|弹开|爆开|"
        r"炸开|打开了|弹了|起爆|自己弹|全弹|都弹|爆了)",
        _("airbags deployed or failed in a crash"),
        (_event_denied, _hypothetical, _someone_else),
        needs=r"撞|事故|车祸|碰撞|追尾|翻|出事|自己|突然|无故|莫名|正常(?:开|行驶)|行驶中|开着",
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
        r"(?:摆臂|控制臂|悬挂|悬架|减震器?|避震器?|球头|拉杆|横拉杆|转向节|半轴|车轴|轮轴|羊角|副车架|弹簧)[^,。]{0,6}"
        r"(?:断了|断裂|折断|断开|断成|脱落|脱开|崩了|塌了|掉下来)|(?:轮子|车轮|轮胎)[^,。]{0,4}(?:歪|外八|内八|撇)",
        _("a structural part of the car broke"),
        (*_EVENT_CHECKS, _driver_error),
        needs=r"断|脱|崩|塌|掉",
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
        r"负伤|夹伤|夹到手|夹到了手|夹住了|夹破|割伤|烫伤|烧伤|撞伤|砸伤|摔伤|撞倒|撞飞|撞死|骨折|骨裂|流血|出血|扭伤|"
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
        rf"(?:{_BODY})[^,。]{{0,4}}(?:压|砸|轧)(?:了|伤|断|破|住|肿)|"
        rf"(?:{_BODY})[^,。]{{0,4}}(?:撞在|撞到|磕在|磕到)[^。]{{0,12}}(?:疼|痛|伤|肿|血|晕|包)|(?:{_BODY})[^,。]{{0,4}}疼得",
        _("someone was hurt"),
        (_event_denied, _hypothetical, _unrelated_injury, _someone_else),
    ),
    # hospital: a signal when an event of the car is told in the same passage
    Cue(
        SignalKind.INJURY,
        r"住院|送医|送到医院|送进医院|进医院|进了医院|急诊|(?:打|叫|拨)了?120(?!\d)|救护车|抢救|icu|重症监护",
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
        r"大闹|闹事|来闹|去闹|闹一闹|闹到|打人|动手打|要动手|动起手|动手了|威胁|弄死|打死(?:你|他|她)(?![^,。]{0,4}(?:也|都))|收拾你|让你们?好看|"
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
        r"(?:坐|躺|哭|耗|守|赖|蹲)着?不走(?!路)|谁(?:也|都)(?:不走|别想走)|"
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
        r"\bsmash(?:ed|ing)?\b|\bbanners?\b|\bsit-in\b",
        _("a scene at the dealer: protest, blocking, smashing or threats"),
        (_denied, _not_a_person, _celebration, _idiom, _threat_to_safety, _scene_elsewhere),
    ),
    # a live stream from the dealer's floor with people watching: a scene, not only a platform
    Cue(
        SignalKind.VIOLENCE,
        r"(?:在|到)你们[^,。]{0,6}(?:开|搞|做)(?:着|了)?直播|(?:店里|展厅|门口|店门口)[^,。]{0,3}(?:开|搞|做)(?:着|了)?直播|"
        r"直播间?[^,。]{0,6}(?:[几\d十百千万]+|好多|很多)(?:个)?(?:人|网友)[^,。]{0,4}(?:在线|看着|围观)|"
        r"(?:[几\d十百千万]+|好多|很多)(?:个)?(?:人|网友)[^,。]{0,3}(?:在线|同时)[^,。]{0,2}(?:看|围观)",
        _("a live stream from the dealer with people watching"),
        (_denied, _live_praise),
        needs=r"直播",
    ),
    # an influential creator about to feature the customer's case, told as a warning
    Cue(
        SignalKind.MEDIA,
        r"(?:博主|网红|大v|up主|主播|达人|自媒体|测评号|[几\d十百千万]+(?:个)?粉丝)[^。]{0,24}(?:做|拍|出|写|录)(?:一|几|个)?(?:期|个|条|篇|集)?[^,。]{0,4}"
        r"(?:专题|节目|视频|文章|报道|内容)",
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
        (_denied, _relation, _news_source, _self_identity),
        needs=r"找|联系|约|投|告诉|反映|打给|爆料|曝光|来|到|采访|报道|播|上|让|发给|交给|给|见|捅|写|热线|关注|介入|跟进|核实|拍|录|过去|过来|出稿|发稿|拿走|加我|要我|要了|打电话|来电|电话",
        unmet=_("the media named without any step towards them"),
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
        r"b站|哔哩哔哩|知乎|视频号|公众号|热搜|车主群|业主群|车友群|车友圈|自媒体|(?:做|出|拍|剪|录)(?:一|几)?(?:期|个|条|段|集)[^,。]{0,6}视频|(?:开|搞|现场|门口|店里|展厅)直播|直播(?:曝光|维权|给大家|你们)|"
        r"\bweibo\b|\bdouyin\b|\btiktok\b|\bsocial media\b",
        _("posting on a social platform"),
        (_denied, _not_exposure),
    ),
    # regulators
    Cue(
        SignalKind.AUTHORITY,
        r"(?<!\d)12315(?!\d)|(?<!\d)12345(?!\d)|消费者热线|消费热线|消费者投诉|消协|消费者协会|消保委|消费者权益|消委会|"
        r"(?:局|委员会|监管所|政府|部门|街道|管理处)[^,。]{0,4}(?:登记|投诉|举报|反映|申诉|调解)|市场监管|市场监督管理|市监局|工商局|工商部门|工商|质监|"
        r"(?:局|委|所|办)(?:来电|打来电话|来函|发函)|书面说明|书面答复|限期(?:整改|答复|说明)|"
        r"质检局|质量技术监督|市长热线|市民热线|政务热线|便民热线|城市热线|市长信箱|书记信箱|领导信箱|政务服务|政府热线|缺陷产品管理中心|召回中心|缺陷产品|缺陷报告|信访|交通局|运管|工信部|交通运输部|商务部|"
        r"\bconsumer (?:association|council)\b",
        _("a complaint to a regulator"),
        (_denied, _relation, _information, _landmark, _errand, _award),
        needs=r"打|拨|去|找|投诉|举报|反映|提交|递交|登记|受理|介入|调解|申请|交|报|告|联系|向|到|调查|鉴定|发函|约谈|"
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
        r"报警|报了警|派出所|(?:打|报)(?<!\d)110(?!\d)|叫警察|找警察|警察来|民警",
        _("calling the police"),
        (_denied, _warning_light, _hypothetical),
    ),
    # legal steps
    Cue(
        SignalKind.LEGAL,
        r"律师|律所|起诉|上诉|法院|法庭|诉讼|打官司|官司|法律途径|法律程序|法律手段|走法律|法律解决|法律上见|法律说话|"
        r"依法维权|代理人|代理律师|诉状|状子|退一赔三|假一赔三|三倍赔偿|诉诸|法律武器|法律上|用法律|法律来|法律责任|法律援助|援助中心|司法(?:程序|途径|鉴定|解决|手段|诉讼)|走司法|仲裁|(?<![报广预公警转通忠劝被原])告(?:你们|他们|到|上|你|死你)|立案|传票|"
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


@dataclass(frozen=True)
class Signal:
    signal: str  # the words as the customer wrote them
    kind: str
    start: int
    end: int
    why: str = ""

    @property
    def kind_label(self) -> str:
        return str(SignalKind(self.kind).label)

    def as_dict(self) -> dict[str, object]:
        return {
            "signal": self.signal,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "why": self.why,
            "kind_label": self.kind_label,
        }


@dataclass(frozen=True)
class Reading:
    """What the crisis check found: the signals that count and the triggers it set aside."""

    signals: list[Signal]
    dismissed: list[Signal]


@cache
def _simplified_table() -> dict[int, str]:
    return str.maketrans(traditional_to_simplified())


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...]:
    return tuple((re.compile(fast_start(c.pattern)), re.compile(c.needs) if c.needs else None) for c in CUES)


def _spacefree(text: str) -> tuple[str, list[int]]:
    """The text without spaces, and where each kept character was: "刹车 突然 失灵" reads whole."""
    gaps = " \t\u200b\u200c\u200d\u202e"
    last = len(text) - 1
    kept = [
        i
        for i, ch in enumerate(text)
        if ch not in gaps or (0 < i < last and text[i - 1].isascii() and text[i + 1].isascii())
    ]
    return "".join(text[i] for i in kept), kept


def read(text: str, *, limit: int = CRISIS_CHARS, learned: bool = True) -> Reading:
    """Every crisis trigger in the first ``limit`` characters, kept or dismissed with why; offsets
    index the original text. ``learned=False``: the rules alone (what the learned reading is
    fitted and cross-validated against)."""
    original = clean(text, limit)  # control characters and lone surrogates → spaces
    folded_full = fold(original).translate(_simplified_table())  # 刹車失靈 reads as 刹车失灵
    folded, where = _spacefree(folded_full)
    signals: list[Signal] = []
    dismissed: list[Signal] = []
    taken: list[tuple[int, int]] = []
    for cue, (pattern, needs) in zip(CUES, _compiled(), strict=True):
        for match in pattern.finditer(folded):
            if match.end() == match.start():
                continue
            start, end = where[match.start()], where[match.end() - 1] + 1
            w = _window(folded, match.start(), match.end())
            reason: Promise | None = None
            if needs is not None and not needs.search(w.sentence):
                if cue.unmet is None:
                    continue  # not this cue's event at all (a collision with no fault named)
                reason = cue.unmet
            for check in (*cue.checks, _settled) if reason is None else ():
                reason = check(w)
                if reason is not None:
                    break
            found = Signal(
                signal=original[start:end],
                kind=str(cue.kind),
                start=start,
                end=end,
                why=str(reason if reason is not None else cue.why),
            )
            if reason is not None:
                dismissed.append(found)
            elif not any(s <= start and end <= e for s, e in taken):
                taken.append((start, end))
                signals.append(found)
    if learned and signals and _overruled(folded_full):
        dismissed, signals = dismissed + [_vetoed(s) for s in signals], []
    if learned and not signals and not dismissed:
        second = _learned(original, folded_full)
        if second is not None:
            signals.append(second)
    signals.sort(key=lambda s: s.start)
    dismissed = [d for d in dismissed if not any(s.start <= d.start and d.end <= s.end for s in signals)]
    dismissed.sort(key=lambda s: s.start)
    return Reading(signals=signals, dismissed=dismissed)


def rules_find_crisis(text: str) -> bool:
    """The rules alone raise a crisis in ``text`` (what the learned reading is fitted against)."""
    return bool(read(text, learned=False).signals)


def _overruled(folded: str) -> bool:
    """Whether the learned reading overrules the rules' signals: the text is long enough to judge
    and reads nothing like a crisis (:data:`crisis_learned.VETO`)."""
    if len(folded.replace(" ", "")) < crisis_learned.VETO_MIN_CHARS:
        return False
    return crisis_learned.probability(folded, by_rules=rules_find_crisis) < crisis_learned.VETO


def _vetoed(signal: Signal) -> Signal:
    why = _("the rest of the text reads like an ordinary complaint, not a crisis (learned reading)")
    return Signal(signal=signal.signal, kind=signal.kind, start=signal.start, end=signal.end, why=str(why))


def _learned(original: str, folded: str) -> Signal | None:
    """The learned second reading (:mod:`.crisis_learned`), asked only when no rule fired and no
    rule set a trigger aside: it adds crises told in words no cue lists, never overrules a rule."""
    if crisis_learned.probability(folded, by_rules=rules_find_crisis) < crisis_learned.THRESHOLD:
        return None  # most texts: no need to look for the clause
    opinion = crisis_learned.opinion(folded, by_rules=rules_find_crisis)
    if opinion.end <= opinion.start:
        return None
    why = _(
        "worded like the crises in the labelled examples (model %(percent)d%%, strongest words: "
        "%(words)s); no rule names it, so check it"
    ) % {"percent": round(opinion.probability * 100), "words": "、".join(opinion.words)}
    return Signal(
        signal=original[opinion.start : opinion.end],
        kind=str(SignalKind.LEARNED),
        start=opinion.start,
        end=opinion.end,
        why=str(why),
    )


def find_signals(text: str, *, limit: int = CRISIS_CHARS) -> list[Signal]:
    """The crisis signals that count in the first ``limit`` characters."""
    return read(text, limit=limit).signals
