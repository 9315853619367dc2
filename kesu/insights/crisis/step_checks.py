"""Why a step (media, a platform, a regulator, the police, a lawyer) named in a complaint is not
taken: each check reads the trigger's window and returns the reason it is dismissed, or None."""

import re
from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .window import _CONSEQUENCE, _WINDOW, Window

# --- reasons a trigger does not count ----------------------------------------------------------
# Each check returns why the trigger is dismissed, or None.


Check = Callable[[Window], Promise | None]

_DENIAL_WORDS = (
    r"不会|不想|不打算|没打算|不准备|没准备|没想过|没想|无意|不至于|没必要|不必|不用|不愿意?|不是要|不是想|"
    r"并不想|并没有?|从没有?|从来没有?|还没有?|没有|未曾|不曾|暂时不|暂不|先不|也不|绝不会|不可能|没说要|不是说要|"
    r"才不会?|才懒得|懒得|犯不着|犯不上|用不着|唔会|唔想|冇打算"
)
_DENIED_BEFORE = re.compile(
    rf"(?:{_DENIAL_WORDS})[^就才再]{{0,8}}$|(?:(?<![见找拿得看等办])不|没|别|未)(?:要|想|再|敢)?(?:去|找|到|向|跟|给|上)?$|"
    r"(?<![要若还])(?:并|又|可|也)?不是(?:来|要|想|为了|去)?$|"
    # the second of a list the denial covers (不会向12315或消协投诉)
    rf"(?:{_DENIAL_WORDS})(?:向|去|找|到)[^,。]{{1,8}}(?:或者?|和|、|及)$|"
    r"不(?:打|去|找|告|上|报)什么$|"
    # a rhetorical no (俺哪认识啥记者)
    r"(?:哪|哪里|哪儿)(?:认识|有|会|敢|请得起)[^,。]{0,3}$"
)
_NOT_THAT_KIND = re.compile(
    r"(?:就算|即使|哪怕)[^,。]{0,4}(?:有人|别人)|不用担心|别担心|不必担心|放心|不是那种|不是那样的|又不是要|又不是想|并不是要|(?:要是|如果|若是?)我?(?:想|要)[^,。]{0,8}$|早就$"
)
_DISCLAIMED_AFTER = re.compile(
    r"^[^。!?;]{0,14}(?:太累人|哪有那精力|没那精力|没到那一步|还没到那一步|倒不至于|还不至于|不至于|就算了|没必要|太麻烦|没打算|不打算|我可不想|不想那样|不想走到那一步|"
    r"不会那样|不会这么做|的想法没有|我是不会|不会的|没考虑过?|不考虑|没想过|暂不考虑|不必了|不用了|就免了|"
    r"勿扰|没这个打算|没有这个打算|没那个打算|没这个必要|(?<![不没]像)(?<!不是)(?<!没)(?<!没有)(?<!并非)(?:开个玩笑|开玩笑|说着玩|说笑)|放心[^。]{0,8}不会|不会说出去|"
    r"啥的|什么的|之类的|我?也?不(?:太)?懂|不了解|太费劲|太折腾|折腾不起|没那(?:个)?(?:闲)?(?:工夫|功夫|精力|闲心|时间)|懒得|犯不着|犯不上|划不来|不值当|不值得|"
    r"(?:但|可是?|不过|但是)?我(?:并|还|也|都|从来|一直|(?:啥|什么|一个字|一条|一张)(?:也|都))?(?:没|没有)(?:打|去|找|投诉|告|发|报|联系|请|说|写|贴|传)(?!通|完|成功|到人|算)|"
    r"我?才不(?:去|干|发|找|告)|我?没让(?:他|她|他们)?(?:去|发)?|被我拦|我(?:给)?拦(?:下来|住)了|唔会|唔想|"
    r"(?<!不是)气话|一时冲动|说说而已|[没冇]那个心思|没这个心思|费钱又费|费时费力|随口说说|别当真|别往心里去|干不出来|做不出来|不屑于?|不是我的(?:作风|风格)|"
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
    r"格式|怎么写|第[一二三四五六七八九十百零\d]+条|注意到|读到|"
    # the regulator's own notice to every dealer (市场监管局发了关于明码标价的通知)
    r"关于[^,。]{0,16}的通知|下发|印发|发了[^,。]{0,12}通知"
)
_ACTION = re.compile(
    r"投诉|举报|反映|打了|打过|去了|去过|已经|找|告|交了|提交|登记|受理|上报|报完|报了|投了|填了|委托|递交|主张|申请了"
)


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
    r"^[^,。]{0,8}(?:啥|什么|一个字|一条|一张|一个)(?:也|都)(?:没|没有|不)(?:发|说|写|贴|传|打|找|告|认识)|"
    r"^[^,。]{0,6}(?:没再|不再|没有再)(?:联系|找|打|发|去)"
)
# "不曝光你们是不会重视的": without the step nothing moves — a threat, not a denial.
_NEEDED_AFTER = re.compile(r"^[^我,。]{0,8}(?:是不会|不会重视|不行|不管用|没用|解决不了|不会解决)")


_ANSWERED_NO = r"[^,。!?;]{0,3}\?\s*(?:没|不|算了|犯不着|犯不上|哪有|谁|至于吗)"


# "朋友开玩笑说要是再修不好就发个小红书": a joke told before the step, unless the customer means it.
_JEST_BEFORE = re.compile(r"(?<!不是)(?<!不像)(?:开玩笑|开着玩笑|打趣|调侃|逗我|起哄)[^,。]{0,3}(?:说|道|讲)")
_IN_EARNEST = re.compile(r"认真|不是开玩笑|不像开玩笑|真的会|真会|我就|我已经|我准备|我打算")


_NOT_THAT_PERSON = re.compile(r"不是那种[^。]{0,16}的人")


def _denied(w: Window) -> Promise | None:
    if re.search(
        r"(?<![进出回过上下拿得要见收给等])不(?:会)?(?:去|来|到)|没(?:去|来)(?!不)", w.left[-1:] + w.trigger
    ):  # "几个车主商量过了，不去你们店" (拿不到…就不走 is a condition)
        return _("denied or disclaimed in the same clause")
    if _NOT_THAT_PERSON.search(w.sentence):  # 他不是那种去闹、去找媒体的人
        return _("denied or disclaimed in the same clause")
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
    r"(?:没有(?!车)|没(?!多远|多久|几|一会|过多久|车)|(?<![除是])非(?!常)|未|无(?!法)|不是|并非|并未|不曾|未曾|不存在|无人|没人|免于|避免了|幸免)[^,。!?;]{0,3}$"
)


_EVENT_DENIED_AFTER = re.compile(
    r"^[^,。!?;]{0,4}(?:这种|这样的?|这类)?(?:事|事情|情况|问题)?[^,。!?;]{0,3}(?:我|我们|倒是|倒)?(?:从来|从|还|都|也)?"
    r"(?:没|没有|未)(?:遇到|碰到|遇见|碰上|发生|出现|经历|出过)|"
    # waved away as old talk (至于断轴什么的就不要再说了)
    r"^[^,。!?;]{0,3}(?:什么的|之类的|啥的)[^,。!?;]{0,2}(?:不要|别)再?(?:说|提)了?"
)


# "刹车倒是没失灵": the denial inside the words the cue matched (its gap holds "倒是没").
_EVENT_DENIED_INSIDE = re.compile(
    r"(?:没有|没|未曾|未|并非|不是)被(?:锁|困|关)|"
    r"(?:没有|没|未曾|未|并非|不是)(?:出现|发生|有)?过?(?:失灵|失效|不灵|失控|锁死|卡死|熄火|失速|断电|爆胎|黑屏|抛锚|"
    r"起火|着火|自燃|冒烟|打不动|转不动|踩不下去|踩不动|停不下来|停不住|刹不住)"
)


# "前面啥也没有": nothing ahead — where it happened, not a denial.
_NOTHING_THERE = re.compile(r"(?:啥|什么)(?:也|都)没有?")


def _event_denied(w: Window) -> Promise | None:
    if (
        _EVENT_DENIED.search(_NOTHING_THERE.sub("  ", w.left_clause))
        or _EVENT_DENIED_AFTER.search(w.right)
        or _EVENT_DENIED_INSIDE.search(w.trigger)
    ):
        return _("denied: it did not happen")
    return None


_HYPOTHETICAL_BEFORE = re.compile(
    r"(?:会不会|(?<![那这])会(?!儿)|万一|如果|要是|假如|假设|若是|若|一旦|担心|担忧|害怕|怕|生怕|就怕|防止|避免|预防|以免|以防|"
    r"那不得|那还不|岂不是|以为|容易|可能|有没有|是否|能不能|倘若|是不是只能|是不是得|可不可以|该不会|不会|小心|(?<![特区分告识派级类])别|不要|不能|恐怕|隐患|风险|听说|据说|传言|谁知道|"
    r"怎么防|如何|怎样才|万万|就算|即使|哪怕|也有|梦见|梦到|做梦|假想|模拟|演练|演习|测试|教练|说明书|手册|培训|课上|或者|你就知道|就知道|预判)[^,。]{0,14}$"
)
_HYPOTHETICAL_AFTER = re.compile(
    r"^(?:[^,]{0,2}的时候(?:要|应该|该|怎么|如何|需要))|^[^,。]{0,6}(?:吗|(?<![这那怎什多要])么|嘛|呢|\?|的风险|的隐患|隐患|风险|的可能|怎么办|咋办|可咋|就完了|就麻烦了|了怎么办|谁负责|谁来负责|的话|会怎样|会怎么样|会如何)"
)


def _hypothetical(w: Window) -> Promise | None:
    if re.match(r"^[^。!?]{0,3}(?:假设|假如|倘若)", w.sentence) and re.match(
        r"^[^。!]{0,30}(?:\?|吗|怎么)", w.passage[w.at :]
    ):  # 假设我把车借给朋友开，出了事故气囊没弹出来，…怎么认定的？
        return _("a worry or a hypothetical, not something that happened")
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
    r"闺女|侄子|侄女|外孙|孙子|孙女|老伴|那口子|表[兄弟姐妹叔姨舅伯]|堂[兄弟姐妹叔伯]|[大小二三]?[叔伯舅姨姑婶]|小姨子|小舅子|亲家|女婿|儿媳|公公|婆婆|岳父|岳母|丈母娘|老丈人|外甥|侄子|侄女|"
    r"我儿|我本人|本人|我自己"
)
_RELATION = re.compile(rf"(?:{_RELATIVES})[^,。]{{0,6}}(?:在|是|当|做|开|跑|干|搞)[^,。]{{0,6}}$")
_RELATIVE = re.compile(_RELATIVES)
_OWNED_JOB = re.compile(r"(?:公司|单位|厂里|物业|学校|银行|保险公司)的?$")
_RELATION_JOB_AFTER = re.compile(r"^[^,。]{0,6}(?:工作|上班|实习|当|做|干|任职|退休|的朋友|出身)")
_RELATION_ACTION = re.compile(
    r"帮我|替我|报道|采访|曝光|联系|找|来处理|来找|起诉|打官司|律师函|发函|处理这件事|介入|选题|报题|写稿|稿子|上版面|见报|"
    r"跟进|在跟|盯着|关注|调查|做一期|案例"
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


_SELF_IDENTITY = re.compile(r"(?:我|我们|本人|客户|车主)(?:本身|自己|本人|本来)?(?:就|也)?是[^,。]{0,6}$")
_GRIEVANCE = re.compile(
    r"投诉|曝光|维权|问题|坑|骗|不解决|不处理|推脱|退车|赔|质量|故障|态度|爆料|核实|求证|调查"
)


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


# A firm, a court or a newsroom as the customer (律所行政…约保养, 法院车队的公务车年检, 报社采购商务车).
_INSTITUTION_AS_CUSTOMER = re.compile(
    r"^[^,。]{0,4}(?:行政|车队|公务车|的车|采购|前台|办公室|主任的车|领导的车|单位的车|团购)"
)


# Words printed on something (a "新闻采访" sticker left by the last owner): nobody goes anywhere.
_PRINTED_ON = re.compile(r"^[^,。]{0,4}[”\"」』]?的?(?:车贴|贴纸|贴画|字样|标语|标志|logo|车标|招牌)")


def _printed(w: Window) -> Promise | None:
    if _PRINTED_ON.search(w.right_clause):
        return _("words printed on a sticker or a sign, not a step")
    return None


def _own_profession(w: Window) -> Promise | None:
    """ "我本身就是律师，平时比较忙": the customer's own job ("我就是要起诉" is a step, not a job);
    "律所行政，想给主任的车约保养": an institution as the customer."""
    if re.fullmatch(r"律师|律所|法院|法庭|代理人|代理律师|公证处|公证员|lawyers?|attorneys?", w.trigger):
        if _INSTITUTION_AS_CUSTOMER.search(w.right_clause) and not _GRIEVANCE.search(w.sentence):
            return _("an errand or a place of work, not a step against the dealer")
        return _self_identity(w)
    return None


# "…我已经把材料给他了": whatever the relative's job, the customer has handed the case over.
_HANDED_OVER = re.compile(
    r"(?:已经|都|已)[^,。不没]{0,6}(?:材料|资料|视频|录音|证据|照片|截图|聊天记录|合同|情况|经过)[^,。]{0,4}"
    r"(?:给|发给|交给|转给|传给|告诉|讲给)(?:了)?(?:他|她|他们|她们)|"
    r"(?:已经|都|已)(?:给|发给|交给|转给|传给)(?:了)?(?:他|她|他们|她们)[^,。]{0,4}(?:材料|资料|视频|录音|证据|照片|截图)|"
    r"(?:材料|资料|视频|录音|证据|照片|截图|记录)[^,。]{0,6}(?:都|已经|已)[^,。不没]{0,3}(?:给|发给|交给|转给|传给|发|交|转)(?:了)?(?:他|她|他们|她们)|"
    r"(?:材料|资料|视频|录音|证据)[^,。]{0,4}(?:他|她|他们|她们)[^,。]{0,3}(?:拿走|带走|收了|要走)|出稿|发稿|见报|(?:值得|要|准备)写一篇|写篇稿|"
    r"稿子|约(?:了)?时间|愿意跟|开始跟|要来采访|来采访"
)


_ACTING_FOR = re.compile(r"陪我(?:过去|去|来)|替我出面|(?:跟|和|向)(?:他|她)解释|跟(?:他|她)谈")


def _relation(w: Window) -> Promise | None:
    """ "我表哥在电视台上班" mentions a job, not a step the customer takes."""
    if _ACTING_FOR.search(w.passage[w.at :]):
        return None
    related = _RELATION.search(w.left_clause) or (
        _RELATIVE.search(w.left_clause) and _RELATION_JOB_AFTER.search(w.right_clause)
    )
    related = related or re.match(rf"^[^,。]{{0,3}}的?(?:熟人|老同学|{_RELATIVES})", w.right_clause)
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
            r"曝光|找|联系|爆料|投诉到|打给|打电话给|上门|来采访|采访我|报道我|发给|捅|来拍|过来拍|拍一期|做一期|跟拍|"
            r"投稿|派记者|记者[^,。]{0,4}核实",
            w.sentence,
        )
        or _HANDED_OVER.search(w.sentence)
    ):
        return _("the news as a source of information, not a threat to go to the press")
    if _RECALL.search(w.sentence) and not re.search(
        r"曝光|找|联系|爆料|打给|发给|我的车|我这|投稿|派记者|核实|拍照|在前台|到店|来店|采访", w.sentence
    ):
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
    r"曝光|垃圾|坑|骗|差劲|太差|避雷|别买|黑店|投诉|维权|揭露|让大家看看|评评理|不解决|态度|恶劣|无良|欺|"
    r"强制|隐瞒|补过|补漆|泡过水|泡水|事故车|翻新|遭遇|(?:@|艾特)[^,。]{0,6}(?:官方|官博|总部|品牌)|怎么对我|"
    r"趴窝|看着办|糊弄|怎么坑|坑人|骗人|漏水|漏油|跟帖|同款车主|相同问题|观望|不敢(?:来|买|去)|点名"
)


_SOMEONE_POSTED = re.compile(
    r"(?:有人|有兄弟|别人|网友|楼主|他们|大家|有车友|很多人|好多人|你(?!们))[^,。我]{0,4}$"
)
_ABOUT_DEALER = re.compile(
    r"你们|这件事|这事|此事|经过|情况|遭遇|维修|记录|视频|证据|所作所为|真相|服务|店|截图|回复|车主"
)
_READING = re.compile(
    r"@客服|@管家|群里问|写着|上写|查|都说|里的帖子|去看|看下|看一下|留意|上说|里说|看到|有人说|说的|求助|咨询|问问|记得"
)


_OWN_POST = re.compile(
    r"我[^,。你他她]{0,8}(?:发|挂|贴|传|放|公开|曝|写了|开的|直播了)|我直播|我的(?:帖子|视频|笔记|文章)|在[^,。]{0,4}直播了|直播了[一两几半]|已经[^,。你他她]{0,4}(?:发|挂|贴|传)|大v转发|(?:@|艾特)了|"
    # a post made ready or timed (视频已经剪好了, 今晚八点准时发抖音, 标题就叫《…》)
    r"(?:准时|定时|今晚|今天|明天|马上|立马|待会儿?|等会儿?)[^,。]{0,4}(?:发|挂|贴|传|放|上传)|"
    r"(?:视频|帖子|文章|稿子)[^,。]{0,4}(?:剪好|做好|拍好|写好|准备好)|标题就?叫|"
    # the owner posted, told by someone else (车主在业主群和朋友圈都发了), and it spread
    r"(?:车主|客户)[^,。你]{0,12}(?:都|已经|也)?发了|传开了|"
    r"在(?:朋友圈|群里|抖音|微博|小红书|网上)[^,。]{0,2}发了(?:一篇|一条|一个|个|篇|条)|"
    r"(?:^|,)(?:朋友圈|群里|抖音|微博|小红书)(?:我)?(?:已经|也)?发了|我在[^,。]{0,10}里说了"
)


_CREATOR_SELF = re.compile(
    r"(?:我|我们|本人)(?:是|在)?(?:做|搞|干|玩|开)[^,。]{0,8}(?:自媒体|博主|测评|评测|号|频道|up主|账号)"
)
_BUSINESS = re.compile(r"借[^,。]{0,4}车|试驾车|合作|对接|商务|推广|市场部|赞助|邀约|投放|洽谈|置换|报价单")


# A post's views or likes counted ("十来万播放", "点赞两千多"): it is out and spreading; the 赞 in
# it is no praise.
_COUNTED = re.compile(
    r"(?:一堆|很多|好多|不少|大批|一大堆)[^,。]{0,4}(?:点赞|转发)|(?:点赞|赞|播放|浏览|阅读|转发|评论)(?:量|数)?[^,。]{0,2}[\d两几一二三四五六七八九十百千万]+|[\d两几一二三四五六七八九十百千万]+[^,。]{0,2}(?:个|次)?(?:点赞|赞|播放|浏览|阅读|转发)"
)


# The customer's own post spreading, told anywhere in the passage (a call's later turn: "我昨天发的
# 那条已经转了两千多了", "几个分群都转了")
_OWN_POST_SPREAD = re.compile(
    r"(?:我|已经)[^,。你他她]{0,8}(?:发|挂|贴|传|剪)[^。]{0,20}(?:转了|都转|转发|评论|播放|点赞|阅读)|"
    r"我把[^。]{0,20}发了[^。]{0,20}(?:转|传)"
)
# The dealer's own post (我们店前天发的交车视频火了: 咱 reads as 我)
_DEALER_OWN_POST = re.compile(r"(?:我们店|我们的?(?:官方)?号|店里|运营)[^,。]{0,6}发的|运营[:：]")
# Sent to the dealer itself, not posted (视频已经发到贵店服务邮箱)
_SENT_TO_DEALER = re.compile(
    r"发(?:到|给)了?(?:贵店|你们|店里|贵司|厂家|顾问|经理)[^,。]{0,4}(?:邮箱|微信|手机|服务)?"
)


_ABOUT_US = re.compile(r"(?:说|点名|曝光|骂|挂)[^,。]{0,4}(?:我们店|我们的|我们家|我店|本店|你们店|贵店)")
# … out and spreading: counted (:data:`_COUNTED`), on a hot list, or discussed under it
_ON_THE_LISTS = re.compile(r"热榜|热搜|评论区[^,。]{0,6}(?:一堆|好多|很多|好几个|都在)")


def _not_exposure(w: Window) -> Promise | None:
    """A platform is a signal when the customer posts there to expose the dealer (the trigger
    itself, "发帖", proves nothing: someone else may have posted, or the customer read there)."""
    if _DEALER_OWN_POST.search(w.sentence):
        return _("the dealer's own post")
    if _OWN_POST_SPREAD.search(w.passage) and (_BLAME.search(w.passage) or not _PRAISE.search(w.passage)):
        return None
    if _SENT_TO_DEALER.search(w.sentence):
        return _("sent to the dealer, not posted")
    around = _COUNTED.sub(" 传开 ", w.left + " " + w.right)
    around = re.sub(r"不是投诉|没投诉|不投诉|不是要投诉|投诉电话|投诉热线", " ", around)
    if _CREATOR_SELF.search(w.passage) and _BUSINESS.search(w.passage) and not _GRIEVANCE.search(w.passage):
        return _("a creator's business request, not an exposure")
    if _PRAISE.search(around) and not _BLAME.search(w.passage):
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
        r"(?:不给|不解决|不处理|不退|不赔|不管|再不|不然|否则|要是不|如果不)[^,。]{0,10}(?:我|我们)?(?:就|会|要)|"
        r"(?:不给|不解决|不处理|不退|不赔|再不|不然|否则)[^。]{0,10}(?:就|会|要)(?:把|去|发)|"
        # … or someone of the family will (你们再不回话，她就发朋友圈)
        r"(?:再不|不然|否则|要是不|如果不)[^。]{0,10}(?:她|他|她们|他们|孩子|闺女|女儿|儿子|家里人)(?:就|会|要)",
        w.left,
    )
    if _ABOUT_US.search(w.passage) and (_COUNTED.search(w.passage) or _ON_THE_LISTS.search(w.passage)):
        return None  # 博主发了条视频，说我们店…点赞已经三万多了: about this dealer, and spreading
    if _SOMEONE_POSTED.search(w.left_clause) and not own_post:
        return _("the platform is where the customer saw or bought something")
    if (_SOURCE.search(around) or _READING.search(around)) and not (_BLAME.search(around) or own_post):
        return _("the platform is where the customer saw or bought something")
    intent = re.search(
        r"我|已经|已(?:@|艾特|发|转|挂)|准备|要|会|都在|全在|疯|让(?:大家|网友|所有人|更多人)|就把|就发|就去发",
        around,
    )
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
