"""Emotion intensity (calm / upset / angry) and the customer's behaviour with its stance.

A lexicon of insults, threats, anger, worry, impatience and plain dissatisfaction, amplified by
intensifiers (太, 简直, 居然…) and exclamation marks, damped by calming words (谢谢, 满意). The
behaviour with the most evidence picks the stance of seed 004 (DOMAIN.md): "handle the mood
before the matter".
"""

import re
from dataclasses import dataclass, field
from typing import cast

from kesu.complaints.choices import Emotion

from . import emotion_learned
from .choices import STANCES, Behaviour
from .lexicon import CALMING_TERMS, EMOTION_TERMS, INTENSIFIERS, NEUTRAL_TERMS, RESOLVED_TERMS, SETTLING_TERMS
from .matcher import Lexicon, fast_start
from .text import CLASSIFY_CHARS, prepare

_ENTRIES: list[tuple[str, object]] = [
    (w, ("emotion", weight, behaviour)) for w, (weight, behaviour) in EMOTION_TERMS.items()
]
_ENTRIES += [(w, ("calm", weight, None)) for w, weight in CALMING_TERMS.items()]
_ENTRIES += [(w, ("settle", weight, None)) for w, weight in SETTLING_TERMS.items()]
_ENTRIES += [(w, ("intensifier", 0.0, None)) for w in INTENSIFIERS]
_ENTRIES += [(w, ("neutral", 0.0, None)) for w in NEUTRAL_TERMS]
_LEXICON = Lexicon(_ENTRIES)
_ANGRY_EMOJI = frozenset("😡🤬😠💢👿😤🖕")
_SAD_EMOJI = frozenset("😭😢😞😩😫😒🙄")
_HAPPY_EMOJI = frozenset("😊😀😁😄👍❤🙏🌹💯😘")

# --- cues beyond single words -------------------------------------------------------------------
# How people say they are upset without an emotion word: they accuse ("是不是乱修"), count the
# failures ("修了三次了还", "又坏了"), set an ultimatum ("今天不给说法就…"), are sarcastic
# ("真是好服务啊", "呵呵") or just state what went wrong ("等了一个多小时", "菜都凉了", "少送了").
# (name, pattern, weight, behaviour). Folded text: half-width punctuation, lower case.
_N = r"[一二两三四五六七八九十几多\d]+"
_CUES: tuple[tuple[str, str, float, str | None], ...] = (
    (
        "accusation",
        r"是不是(?:在|又|故意|存心)?(?:乱修|乱收|骗|坑|糊弄|忽悠|故意|偷|换了|黑|耍|当我|欺负|看我|觉得我|没修|根本)|"
        r"你们是不是|能不能有点|有没有点|责任心|管不了|玩手机|都说正常|说是正常|说正常|到底|永远是|永远都|一天一个|还说是我|说是我|怪我|赖我|怪到我|说我自己|都没[^,。!?]{0,4}出来|搞不定|"
        r"有没有人能?(?:做主|管)|有人管吗|谁来负责|谁负责|不当回事|不当一回事|不重视|不上心|只要不出|一问三不知|才有人|"
        r"没人接|没人理|不理人|爱答不理|不打电话|没打电话|没通知|不通知|也不说一声|没说一声|当傻子|当猴耍|自己信吗|你们自己信|骗鬼|骗谁|糊弄谁|拿顾客当|天花乱坠|全变了|变卦|不认了|翻脸|"
        r"说变就变|出尔反尔|说话不算|放我?鸽子|爽约|多收|乱收费|多扣|糊弄|忽悠|敷衍|搪塞|推卸|推脱|推来推去|踢皮球|甩锅|耍我|当我傻|当我是|把我当|骗我|坑我|"
        r"睁眼说瞎话|说一套做一套|偷工减料|以次充好|扯皮|装傻|不认账|不承认|赖账|狡辩|找借口|借口|"
        r"有没有良心|良心呢|还有没有|讲不讲理|什么态度|啥态度|这是什么|这叫什么|这算什么|算什么|凭啥|凭什么|"
        r"怎么(?:能|可以|好意思)|好意思|想怎样|想怎么样|你们?这是什么意思|这是啥意思|什么意思啊|会不会修|到底会不会|"
        r"随便(?:拆|弄|看|搞|修)|就是这么(?:修|做|服务|对待|办事)|还叫什么|这就是你们(?:说的|的)|你们就是这么|"
        r"是摆设|摆设吗|打官腔|等死|长点心|长长心|"
        # what is plain to see, done behind the customer's back (明摆着是压价, 私自给我开的)
        r"明摆着|摆明了|分明是|私自|擅自",
        1.0,
        Behaviour.ANGRY,
    ),
    (
        "repetition",
        rf"修了{_N}[次回遍]|第{_N}[次回遍]|{_N}[次回遍]了|又(?!快|好|便宜|干净|热情|专业|香|大|多|是一年|一次光临)|照样|反而|"
        r"更(?:抖|响|严重|差|厉害|糟)|每次[^,。!?]{0,6}都|第二天就|没几天就|刚[^,。!?]{0,6}就(?:坏|又|出|漏|响|不|亮)|"
        r"(?:两天|几天|一周|一个月|没多久|没几天|才[^,。!?]{0,4})就(?:坏|没|不|出|漏|响|亮|掉|断|裂|开胶|起球|褪色)|"
        r"好几[次回遍趟]|"
        rf"一而再|再而三|第几次|受够|{_N}趟|跑了{_N}|说了多少|多少遍|多少次|几遍了|说了{_N}遍|常客|"
        rf"跟{_N}个[^,。!?]{{0,3}}(?:讲|说)过|从头(?:说|讲)|重新(?:说|讲)一遍|"
        rf"(?:进厂|返厂|回厂|返修|进店|去了|来了)[^,。!?]{{0,3}}{_N}次|"
        r"还是(?:没|不|一样|老样子|有|那样|这样|坏)|再次|一次又一次|反反复复|反复|三番五次|屡次|每次都|次次|"
        r"老是|总是|一直(?:没|不|都|在|是)|依旧|依然|仍然|越修越|修不好|没修好|没解决|不解决|拖了|一拖再拖|"
        rf"等了{_N}|{_N}(?:个)?(?:小时|天|周|星期|个月)(?:了|都|还|才)",
        0.9,
        Behaviour.PERSISTENT,
    ),
    (
        "ultimatum",
        r"今天(?:不|再不|必须|一定要)|最后一次|最后通牒|限你们|给你们[一二两三\d]+天|否则|不然(?:我|就)|再不[^,。!?]{0,8}就|"
        r"看着办|别怪我|后果自负|等着|说法|给个交代|交代|最后的耐心|耐心(?:有限|用完|耗尽|被)|没耐心|"
        r"要么[^,。!?]{0,8}要么|没有第三|二选一|必须给我|最后一遍|再推|要是再|如果再|下班前|准话|"
        r"到底(?:哪天|什么时候|退不退|修不修|给不给|管不管|怎么)",
        1.0,
        Behaviour.PERSISTENT,
    ),
    (
        "sarcasm",
        r"真是好|好服务啊|真是(?:厉害|可以|佩服|服了|好样的|贴心|周到|专业|牛|绝了|醉了|够了)|呵呵|服了|醉了|佩服|真行|真有你们|"
        r"厉害了|谢谢你们全家|说什么就是什么|反正|吃亏的是我|还糟|真是一流|一流啊|连个[^,。!?]{0,8}都|连[^,。!?]{0,6}都(?:没|不)|"
        r"比[^,。!?]{0,6}(?:还|更)(?:糟|差|慢|贵|烂|难)|让我体验|体验了一把|见识了|度日如年|开了眼|好家伙|厉害厉害|感谢你们的[^,。!?]{0,6}(?:拖|坑|骗|敷衍)|好一个|也是够了|真是够|真够|够可以的|"
        r"真棒啊|真好啊|可真|太好了吧|666|what|囧|无力吐槽|奇葩|神马|醉醉|长见识|开眼|够厉害|修成了|真会|不愧是|"
        r"(?:效率|速度|服务)真(?:高|快|好)啊|跟找宝一样|没毛病$|做梦去吧|想得美",
        1.0,
        Behaviour.ANGRY,
    ),
    (
        # irony no praise word can soften: thanks for a harm, a loss called a saving, praise in
        # scare quotes (体验真是"丰富")
        "irony",
        r"感谢[^,。!?]{0,6}帮我(?:减轻|节省|省了|省下|锻炼)|省得我(?:自己)?|(?:顺手|顺便|还)帮我(?:把[^,。!?]{0,6})?(?:卸|弄坏|摔|刮|划|丢|扔)|"
        r"(?:效率|速度)真(?:高|快)[^。!?]{0,20}(?:终于|才)|真是[\"“'‘][^\"”'’]{1,6}[\"”'’]|"
        # a promise in scare quotes, then remarked on ("预计两小时"的含义, 这个"免费"挺有意思的)
        r"[\"“'‘][^\"”'’]{1,8}[\"”'’](?:的含义|挺有意思|真有意思|还真|真(?:挺|是)?(?:准|准时|灵|快))|"
        r"深刻体会到|学到了[。!]?$|(?:车|漆|外观|灯)倒是挺|越(?:做|调|弄|修|整)越(?:歪|差|糟|坏|响|严重|偏)|"
        # one word of praise after a failure (越做越歪，专业。), a word said twice (细节啊，细节)
        r"[,，](?:专业|厉害|优秀|高效|牛|靠谱)[。!！]?$|(?P<twice>[\u4e00-\u9fff]{2})啊[,，](?P=twice)",
        1.0,
        Behaviour.ANGRY,
    ),
    (
        "complaint",
        # what went wrong, said plainly (delivery, food, service, a car)
        r"慢|迟到|迟了|晚了|超时|太久|好久|半天|等到|等半天|凉了|冷了|凉透|不热|洒了?|撒了?|漏了|漏液|破了|碎了|坨了|黏|粘|糊了|"
        r"少了|太少|好少|很少|量少|分量少|份量少|少给|少送|漏送|没送|送错|错了|给错|没给|没有给|不给|没有(?:筷子|勺子|餐具|饮料|发票|汤)|"
        r"忘了|忘记|咸|太淡|没味|没有味|无味|油腻|太油|太辣|不辣|太甜|太酸|太硬|硬了|嚼不动|腥|馊|变质|异物|头发|虫|苍蝇|"
        r"坏了|臭|发霉|不新鲜|难吃|不好吃|不好喝|一般|不怎么样|不如|还不如|不值|太贵|好贵|很贵|贵了|缺斤少两|"
        r"不满|失望|差评|退款|退钱|投诉|凑合|勉强|将就|不推荐|别点|踩雷|后悔|再也不|不会再|不再|拉黑|取消|没人|不回|不接|"
        r"不理|不管|态度|怎么回事|为什么|为啥|咋回事|怎么搞|搞什么|什么鬼|没法|不能吃|倒了|扔了|浪费|"
        r"白跑|白等|耽误|误工|"
        # waiting
        r"[\d一两俩半几多]个?多?半?(?:小时|钟头)|才(?:送)?(?:到|来|送到|送来|拿到)|还没(?:到|送|来|拿)|没到|迟迟|催|"
        # not as it should be
        r"不太|不是很|不大|不够|不怎么|没什么|没啥|没有想象|没想象|跟图片|和图片|与图片|图片上|实物|货不对板|不符|不一样|"
        r"太多了|全是|都是(?:肥|皮|骨|汤|面|渣|油)|肥肉|生的|没熟|不熟|夹生|不干净|脏|不稠|不脆|不香|不入味|太干|干巴|"
        r"难喝|难以下咽|没法吃|吃不了|拉肚子|肚子疼|闹肚子|"
        # the customer will not come back, or grades it low
        r"以后不(?:订|点|来|买|会)|下次不(?:订|点|来|会|买)|不订了|不点了|不来了|不买了|零分|(?<![\d.])0分(?!钟)|[一1]星|0星|一颗星|"
        r"没收到|没有收到|没送来|没有送来|没来|联系不上|不负责|不靠谱|没按|未按|不按|没有按|说了[^,。!?]{0,8}(?:还是|结果|又)|"
        r"结果|说好的|竟然|居然|蔫|很稀|太稀|老了|太老|太小|较长|过长|漫长|不准|没准|吼|不足|没以前|不如以前|"
        r"比以前(?:少|差|小|贵)|没有以前|只有|就那么|打错|还没(?:开始|弄|修|动|处理|人|消息|结果|回复)|趴窝|早知道|"
        r"不到[^。!?]{0,10}就|拉胯|睡不着|睡不好|噪音|吵|[潮霉怪臭异腥]味|也就那样|就那样|一般般|不过如此|咬不动|硬得|"
        r"关不严|关不上|另外买|另外收|还要另外|另收费|排队|要[^,。!?]{1,6}才(?:热|好|到|来|能)|"
        r"(?:买|点|订|要)的是[^,。!?]{0,6},[^,。!?]{0,4}(?:来|到|给)的(?:是|却)|"
        r"化了|化掉|是冷的|冷的|有点生|烤焦|焦了|糊味|压扁|压坏|变形|像是别人|退回来|一点[^,。!?]{1,4}都(?:没有|不)|"
        r"不敢坐|不敢开|开会|时有时无|心惊胆战|却(?:要|是|不|没|收|说)|居然要|还要收|辣哭|辣死|咸死|难吃死|眼泪都|解决不了|修不了|不给办|没人管|没办法|这么贵|那么贵|价格贵|挺贵|真贵|偏贵|这么旧|很旧|太旧|"
        r"旧的|性价比[^,。!?]{0,3}低|极低|没声音|不工作|用不了|不能用|打不开|连不上|穿不上|用不上|偏小|偏大|不合身|"
        r"自己出运费|才发现|还没退|没退|不退|错字|忘给|忘带|没带|淡了|有点淡|偏淡|偏咸|偏辣|"
        r"逗我|开玩笑|搞笑|可笑|离谱|坑|气人|哎|唉|。。|\.\.\.|…|\?\?",
        0.9,
        None,
    ),
)
_CUE_PATTERN = re.compile(
    fast_start("|".join(f"(?P<c{i}>{body})" for i, (_, body, _w, _b) in enumerate(_CUES)))
)
# Said of something that did not go wrong: "不慢", "没洒", "一点也不咸".
_CUE_NEGATED = re.compile(r"(?:不|没|没有|无|未|不会|一点也不|一点都不|并不|也不|都不|毫不)[^,。!?]{0,1}$")
# Polite or neutral phrases that contain a cue ("不好意思", "一般来说", "慢慢来", "问题不大").
_NOT_A_CUE = re.compile(
    r"不好意思|一般来说|一般情况|一般都|慢慢|慢走|慢用|没问题|问题不大|无问题|不是问题|有问题随时|有什么问题|有问题请|"
    r"请问|咨询|态度好|态度很好|态度不错|态度非常好|态度特别好|态度热情|态度超好|态度挺好|不如意|忘不了|交代一下|说法是|"
    r"再次感谢|再次光临|总是很|一直很|一直都很|一直挺|每次都很|每次都是很|还是很|还是挺|还是不错|还是好|还是喜欢|依然很|依旧很|"
    r"第一次|还没开始用|还没用|还没试|还没开始吃|第[一二两三四五六七八九十几\d]+次(?:购买|光顾|回购|入住|下单|买)|一如既往|慢的话|没给差评|不给差评|不会差评|呵呵哒|"
    # a plain fact about the customer, not displeasure (我上班不太方便看微信, 不太清楚是什么)
    r"不太方便|不大方便|不太清楚是|不大清楚是|"
    # a result awaited (有结果发短信就行), not "结果又坏了"
    r"有结果|出结果|结果出来"
)
# "不错，就是送得太慢了": after a contrast the complaint is what the customer came to say.
_CONTRAST = re.compile(r"但是|但|可是|就是|不过|只是|然而|可惜|却")

UPSET_AT = 0.9
ANGRY_AT = 3.0
# Where behaviours tie, the first listed wins: insults are the strongest evidence.
_PRIORITY = (
    Behaviour.RUDE,
    Behaviour.ANGRY,
    Behaviour.FLUSTERED,
    Behaviour.IRRITABLE,
    Behaviour.INSISTS,
    Behaviour.PERSISTENT,
)


@dataclass
class EmotionResult:
    value: str
    confidence: float
    behaviour: str
    intensity: float
    words: list[str] = field(default_factory=list)

    @property
    def stance(self) -> str:
        return str(STANCES[Behaviour(self.behaviour)])

    @property
    def label(self) -> str:
        return str(Emotion(self.value).label)

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)

    @property
    def behaviour_label(self) -> str:
        return str(Behaviour(self.behaviour).label)

    def as_dict(self) -> dict[str, object]:
        return {
            "value": self.value,
            "label": self.label,
            "confidence": self.confidence,
            "intensity": self.intensity,
            "behaviour": self.behaviour,
            "behaviour_label": self.behaviour_label,
            "stance": self.stance,
            "words": self.words,
        }


def _marks(text: str) -> tuple[int, bool]:
    exclamations = text.count("!")
    doubled = "!!" in text or "?!" in text or "!?" in text or "??" in text
    return exclamations, doubled


@dataclass
class _CueHeat:
    heat: float = 0.0
    by_behaviour: dict[str, float] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)
    last: int = -1  # where the last cue starts
    sarcasm: bool = False  # sarcasm or accusation: praise words around it are ironic
    spans: list[tuple[int, int]] = field(default_factory=list)
    demand: bool = False  # an ultimatum matched: 解释清楚 is then what is demanded, not what was done
    ironic: bool = False  # an irony cue matched: its praise words fool the learned reading too
    polite: list[tuple[int, int]] = field(default_factory=list)  # phrases that contain no cue


def _cues(folded: str) -> _CueHeat:
    """Heat from the cues, by behaviour; the words; where the last one starts; sarcasm."""
    heat = 0.0
    by_behaviour: dict[str, float] = {}
    words: list[str] = []
    last = -1
    sarcasm = False
    demand = False
    ironic = False
    spans = [(m.start(), m.end()) for m in _NOT_A_CUE.finditer(folded)]
    found: list[tuple[int, int]] = []
    for match in _CUE_PATTERN.finditer(folded):
        if match.end() == match.start():
            continue
        if any(s <= match.start() < e for s, e in spans):
            continue
        index = int((match.lastgroup or "c0")[1:])
        name, _body, weight, behaviour = _CUES[index]
        if name == "complaint" and _CUE_NEGATED.search(folded[max(0, match.start() - 5) : match.start()]):
            continue
        word = match.group()
        found.append((match.start(), match.end()))
        gain = weight / 3 if word in words else weight
        if word not in words:
            words.append(word)
        heat += gain
        last = match.start()
        sarcasm = sarcasm or name in ("sarcasm", "irony", "accusation")  # praise words there are ironic
        demand = demand or name == "ultimatum"
        ironic = ironic or name == "irony"
        if behaviour:
            by_behaviour[behaviour] = by_behaviour.get(behaviour, 0.0) + gain
    return _CueHeat(heat, by_behaviour, words, last, sarcasm, found, demand, ironic, spans)


def _calming_counts(folded: str, start: int, end: int, cues: _CueHeat, calm_from: int) -> bool:
    return (
        not cues.sarcasm
        and start >= calm_from
        and not any(s < end and start < e for s, e in cues.spans)  # "说好的" is no "好的"
    )


# "每次都说修好了", "以为解决了": a claim the customer does not believe, not the matter closed.
_CLAIMED = re.compile(r"(?:说|说是|号称|声称|以为|保证|答应|承诺)[^,。!?]{0,2}$")


def _settles(folded: str, word: str, start: int, cues: _CueHeat) -> bool:
    """Whether a settling word counts: not claimed by someone else (每次都说修好了), and a word
    that closes the matter (问题解决, 修好了) only with no complaint cue after it (修好了，第二天又响)
    and no ultimatum (给你们三天时间解释清楚)."""
    if _CLAIMED.search(folded[max(0, start - 4) : start]):
        return False
    return word not in RESOLVED_TERMS or (cues.last < start and not cues.demand)


def _weigh_learned(
    folded: str, value: str, intensity: float, conf: float, words: list[str], settled: bool, ironic: bool
) -> tuple[str, float, float]:
    """The rules' reading, unless the learned one (:mod:`.emotion_learned`) is sure: upset in words
    the lexicon lacks lifts calm to upset (never to angry, nor when the customer says the matter is
    settled: ``settled``) and shows the words that weighed; praise
    it is sure of overrules the cues ("不错，就是电视太小了", "每次都住这里！") — but not sarcasm
    (``ironic``: "感谢你们帮我省了拆箱的力气"), whose praise words fool it."""
    chance = emotion_learned.probability(folded)
    veto = emotion_learned.VETO_ANGRY_BELOW if value == "angry" else emotion_learned.VETO_UPSET_BELOW
    if value != "calm" and chance < veto and not ironic:
        return "calm", intensity, round(0.95 - chance, 2)
    if value == "calm" and chance >= emotion_learned.LIFT_AT and not settled:
        words += [w for w in emotion_learned.opinion(folded).words if w not in words]
        return "upset", max(intensity, UPSET_AT), round(min(0.95, chance * 0.8), 2)
    return value, intensity, conf


def analyse(text: object) -> EmotionResult:
    folded = prepare(text, CLASSIFY_CHARS)
    cues = _cues(folded)
    contrast = max((m.end() for m in _CONTRAST.finditer(folded)), default=-1)
    # Calming words before a contrast that a complaint follows do not calm ("好吃，但是太慢").
    calm_from = contrast if 0 <= contrast <= cues.last else 0
    heat = 0.0
    calm = 0.0
    intensifiers = 0
    settled = False  # the customer says the matter is closed or they are not upset: no lift
    by_behaviour: dict[str, float] = {}
    words: list[str] = []
    for word, _start, _end, payloads in _LEXICON.find(folded):
        kind, weight, word_behaviour = cast(tuple[str, float, str | None], payloads[0])
        if kind == "intensifier":
            intensifiers += 1
            continue
        if kind == "neutral":
            continue
        if kind in ("calm", "settle") and any(s <= _start < e for s, e in cues.polite):
            continue  # inside a phrase with no feeling in it (不太方便接电话)
        repeated = word in words
        gain = weight / 3 if repeated else weight
        if not repeated:
            words.append(word)
        if kind in ("calm", "settle"):
            before = folded[max(0, _start - 4) : _start]
            if _CUE_NEGATED.search(before) or before[-2:] in ("不算", "不够"):
                heat += 0.9  # "不算好吃", "不太满意"
                continue
            if kind == "settle":
                if _settles(folded, word, _start, cues):
                    calm += gain
                    settled = True
            elif _calming_counts(folded, _start, _end, cues, calm_from):
                calm += gain
        else:
            heat += gain
            if word_behaviour:
                by_behaviour[word_behaviour] = by_behaviour.get(word_behaviour, 0.0) + gain
    heat += cues.heat
    for name, gained in cues.by_behaviour.items():
        by_behaviour[name] = by_behaviour.get(name, 0.0) + gained
    words += [w for w in cues.words if w not in words]
    exclamations, doubled = _marks(folded)
    angry_emoji = sum(ch in _ANGRY_EMOJI for ch in folded)
    sad_emoji = sum(ch in _SAD_EMOJI for ch in folded)
    happy_emoji = sum(ch in _HAPPY_EMOJI for ch in folded)
    heat += min(angry_emoji, 3) * 1.0 + min(sad_emoji, 3) * 0.5
    if angry_emoji:
        by_behaviour[Behaviour.ANGRY] = by_behaviour.get(Behaviour.ANGRY, 0.0) + angry_emoji
    calm += min(happy_emoji, 3) * 0.5
    intensity = heat * (1 + 0.15 * min(intensifiers, 4))
    if heat:
        intensity += 0.35 * min(exclamations, 6) + (0.5 if doubled else 0.0)
    intensity = round(max(0.0, intensity - calm), 2)
    if intensity >= ANGRY_AT:
        value, margin = "angry", intensity - ANGRY_AT
    elif intensity >= UPSET_AT:
        value, margin = "upset", min(intensity - UPSET_AT, ANGRY_AT - intensity)
    else:
        value, margin = "calm", UPSET_AT - intensity
    conf = round(min(0.95, 0.55 + 0.4 * min(1.0, margin)), 2)
    if isinstance(text, str) and folded.strip():
        value, intensity, conf = _weigh_learned(folded, value, intensity, conf, words, settled, cues.ironic)
    if value == "calm":
        behaviour = Behaviour.CALM
    elif by_behaviour:
        best = max(by_behaviour.values())
        behaviour = next(b for b in _PRIORITY if by_behaviour.get(b, 0.0) == best)
    else:
        behaviour = Behaviour.ANGRY  # upset without a telling word: frustrated → stay friendly
    return EmotionResult(
        value=value,
        confidence=conf,
        behaviour=str(behaviour),
        intensity=intensity,
        words=words[:12],
    )
