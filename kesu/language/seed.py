"""The seed lists every organisation starts from (data only; no models imported here).

Forbidden phrases (服务忌语) with their polite alternatives (服务用语): the table in DOMAIN.md
"Language", seeds 004 (客服人员培训资料: 情景会话用语) and 002 (语言得体: 伤人自尊的语言), plus a few
blame-shifting phrases every call-centre manual lists. The matching patterns and exceptions are
written here (see :mod:`kesu.language.matcher` for the pattern language).

Standard replies (标准应答语) by situation and objection type, written for this product from the
method of seed 001 (认同感受、使异议具体化、不争辩、给客户留面子、超出权限时坦率承认并约定答复时间)
and the service phrases of seed 004. Placeholders: {customer_name}, {dealer}, {agent_number},
{promised_time}.

Keys are stable: a changed seed text never overwrites an organisation's edited copy.
"""

from typing import TypedDict


class _BasePhrase(TypedDict):
    key: str
    situation: str
    phrase: str
    pattern: str
    exceptions: str
    alternative: str


class SeedContext(TypedDict):
    variants: str
    polite_before: str
    polite_after: str


class SeedPhrase(_BasePhrase, SeedContext):
    pass


class SeedReply(TypedDict):
    key: str
    title: str
    situation: str
    objection_nature: str
    objection_content: str
    text: str


_BASE_PHRASES: list[_BasePhrase] = [
    {
        "key": "not_heard",
        "situation": "not_heard",
        "phrase": "听不清，大声点！",
        "pattern": "听不清…大声|听不见…大声|大声点|大点声|^听不清$|^听不清楚$|^听不见$|你…大声说",
        "exceptions": "麻烦您…大声|请您…大声",
        "alternative": "对不起，我没听清楚，请您重复一遍好吗？",
    },
    {
        "key": "opening_wei",
        "situation": "opening",
        "phrase": "喂……",
        "pattern": "^喂",
        "exceptions": "",
        "alternative": "您好！××，××号为您服务",
    },
    {
        "key": "be_reasonable",
        "situation": "explanation",
        "phrase": "你讲不讲道理",
        "pattern": "讲不讲道理|你…不讲道理|你…讲点道理|你…有没有道理",
        "exceptions": "",
        "alternative": "我们正尽力做到……，但是目前还只能做到……",
    },
    {
        "key": "go_complain",
        "situation": "explanation",
        "phrase": "你可以投诉",
        "pattern": "你…可以…投诉|你…去投诉|投诉吧|投诉去吧|随便投诉|投诉…随便你|你爱…投诉",
        # Information, addressed with 您: the procedure or the channel (按流程您可以投诉到厂家).
        "exceptions": (
            "按流程…您…投诉|按照流程…您…投诉|按规定…您…投诉|按程序…您…投诉|流程上…您…投诉|渠道…您…投诉"
            "|您…通过…投诉|您…有权…投诉"
        ),
        "alternative": "我们正尽力做到……，但是目前还只能做到……",
    },
    {
        "key": "impossible",
        "situation": "extra_request",
        "phrase": "这不可能",
        "pattern": "这…不可能|那…不可能|不可能的|绝对不可能|根本不可能|^不可能$",
        # … and a consequence ruled out (这个不可能影响保修), not a request refused
        "exceptions": (
            "不可能再|不可能让您|不可能是您|不可能是恁|不可能会让您|不可能影响|不可能导致|不可能造成|不可能损坏|不可能伤到"
        ),
        "alternative": "我一定尽力",
    },
    {
        "key": "cannot_do",
        "situation": "extra_request",
        "phrase": "这我做不到",
        "pattern": "这…我…做不到|这…做不到|我…做不到|我…办不到|这…办不到",
        "exceptions": "如果…做不到|要是…做不到|万一…做不到|承诺…做不到|做不到的事|做不到的承诺",
        "alternative": "我一定尽力",
    },
    {
        "key": "no_way",
        "situation": "extra_request",
        "phrase": "不行",
        "pattern": "不行",
        "exceptions": (
            "不行驶|不行车|不行人|行不行|不行的话|实在不行|如果…不行|要是…不行|万一…不行|不行使|不行动|不行走"
            # … "otherwise" before an offer (不行您先回去歇着，车好了给您开过去)
            "|不行您先|不行你先|不行就先"
        ),
        "alternative": "我一定尽力",
    },
    {
        "key": "stop_urging",
        "situation": "urging",
        "phrase": "你别催我，我也急呀",
        "pattern": "你…别催|别催了|别再催|别老催|催也没用|催什么|我也急呀|我也急啊|我也很急呀",
        "exceptions": "",
        "alternative": "我一定尽快给您答复／我会在××答复您／我们正在为您联系",
    },
    {
        "key": "no_choice",
        "situation": "urging",
        "phrase": "我也没办法呀",
        "pattern": "我…也…没…办法|我…也没辙|没办法呀|没办法啊|我能怎么办|我能有什么办法",
        # … of the customer's wait, which the agent cannot accept (我也没办法接受让您等这么久)
        # … or an apology for a delay (没办法按时交车真的很抱歉)
        "exceptions": (
            "没办法接受|没法接受|没…办法…接受|没办法按时|没办法准时|没办法及时|没办法当天"
            # … unable to do a thing, not giving up (合格证没到，没办法去上牌)
            "|没办法去|没办法上牌"
        ),
        "alternative": "我一定尽快给您答复／我们正在为您联系",
    },
    {
        "key": "just_wait",
        "situation": "no_result",
        "phrase": "我们的程序就是这样，只有等",
        "pattern": "程序就是这样|流程就是这样|规定就是这样|制度就是这样|只有等|只能等|你…等着吧|慢慢等吧",
        "exceptions": "只有等…才|只能等…才",
        "alternative": "我已经和××联系过了，还没有答复，我会再次跟进，一有结果马上通知您",
    },
    {
        "key": "no_use_hurrying",
        "situation": "anxious",
        "phrase": "你急也没用",
        "pattern": "你…急也没用|急也没用|着急也没用|你急什么|急什么急|你着什么急",
        "exceptions": "急什么时候|急刹|急刹车|急踩|急加速|急转弯|急打方向",
        "alternative": "您别着急，请稍等！",
    },
    {
        "key": "what_attitude",
        "situation": "anxious",
        "phrase": "你什么态度",
        "pattern": "你…什么态度|什么态度啊|什么态度呀",
        "exceptions": "",
        "alternative": "您别着急，请稍等！",
    },
    {
        "key": "dont_know",
        "situation": "unknown",
        "phrase": "不知道",
        "pattern": "不知道|不晓得|哪知道|不清楚$",
        "exceptions": (
            "不知道您|不知道…您|不知道是否|不知道…是否|不知道能否|不知道…能否|不知道能不能"
            "|不知道…能不能|不知道可否|不知道…方不方便|不知道…方便|不知道…有没有"
            "|如果…不知道|要是…不知道|万一…不知道|有…不清楚|如果…不清楚|让您…不知道"
            "|不找借口|不找理由"
            "|不知道怎么回事|听不清楚|听不清"
            "|听不太清|听不大清|听不很清|听不怎么清|听得不…清"  # a bad line, with an adverb inside
        ),
        "alternative": "不好意思，这个问题我不是很清楚，我查一下再给您答复好吗？",
    },
    {
        "key": "ask_someone_else",
        "situation": "other_department",
        "phrase": "这个问题你应该问××，我无法回答你",
        "pattern": (
            "你…应该问|你…应该去问|你去问…吧|你去找…吧|我无法回答|我回答不了|我没法回答"
            "|不归我管|不归我们管|不是我管的|你找别人"
        ),
        "exceptions": "暂时无法回答|暂时回答不了",
        "alternative": "不好意思，这里是客服部，请您打××部门电话××，他们可以告诉您",
    },
    {
        "key": "only_this",
        "situation": "dissatisfied",
        "phrase": "我们只能做到这样",
        "pattern": "只能做到这样|只能做到这个程度|只能这样了|就只能这样|最多只能这样|只能这么办",
        "exceptions": "只能做到这样吗|只能做到这样么|只能这样吗|只能这样了吗|只能这么办吗",
        "alternative": "您是希望……吗？我一定尽快……",
    },
    {
        "key": "did_all_we_could",
        "situation": "dissatisfied",
        "phrase": "能做的我们都做了",
        "pattern": "能做的…都做了|能做的…都已经做了|该做的我们都做了",
        "exceptions": "",
        "alternative": "您是希望……吗？我一定尽快……",
    },
    {
        "key": "teach_me",
        "situation": "dissatisfied",
        "phrase": "那你教我怎么样做",
        "pattern": "你教我…怎么…做|你来教我|你教教我|那你说怎么办|你说怎么办吧",
        "exceptions": "",
        "alternative": "您是希望……吗？我一定尽快……",
    },
    {
        "key": "still_dont_get_it",
        "situation": "not_understood",
        "phrase": "说了半天你怎么还不明白！",
        "pattern": (
            "说了半天…不明白|说了半天…不懂|怎么还不明白|怎么还不懂|怎么还听不懂|你…怎么就听不懂"
            "|说了多少遍|跟你说了多少"
        ),
        "exceptions": "有…听不懂|哪…听不懂|什么…听不懂|地方…听不懂",
        "alternative": "可能我没说清楚，我再给您解释一下",
    },
    {
        "key": "told_you_already",
        "situation": "not_understood",
        "phrase": "我刚才已经和你说过了",
        "pattern": (
            "和你说过了$|跟你说过了$|告诉过你了$|跟你讲过了$|和你讲过了$|不是…说过了吗"
            "|说过好几遍|说过多少次|刚才…说过了$|都说过了$"
        ),
        "exceptions": (
            "说的|讲的|说明|听说|据说"
            # told a colleague, not the customer (我刚才已经跟车间说过了，他们会优先安排)
            "|跟车间…说过|跟师傅…说过|跟经理…说过|跟厂家…说过|跟技师…说过|跟同事…说过|跟他们…说过|跟仓库…说过"
            "|和车间…说过|跟技术…说过|跟前台…说过|跟领导…说过"
        ),
        "alternative": "可能我没说清楚，我再给您解释一下",
    },
    {
        "key": "done_talking",
        "situation": "arguing",
        "phrase": "你说完了吗？",
        "pattern": "你…说完了吗|你…说完没|你到底…说完",
        "exceptions": "",
        "alternative": "您是否可以让我……？或许能有更好的方法",
    },
    {
        "key": "let_me_finish",
        "situation": "arguing",
        "phrase": "你让我说完好吗？",
        "pattern": "你让我…说完|让我说完好吗|让我把话说完|你听我说完",
        "exceptions": "",
        "alternative": "您是否可以让我……？或许能有更好的方法",
    },
    {
        "key": "call_later",
        "situation": "person_busy",
        "phrase": "他（她）在讲电话，你过一会再打吧",
        "pattern": (
            "过一会…再打|过会儿…再打|等会…再打|等一会…再打|晚点…再打|晚些…再打|待会…再打"
            "|一会儿…再打过来|你…稍后再打"
        ),
        "exceptions": "我再打|我们再打|再打给您|再给您打|我…再打给您",
        "alternative": "对不起，他（她）正在讲电话，请问我可以帮到您吗？",
    },
    {
        "key": "cant_even_use_it",
        "situation": "respect",
        "phrase": "你怎么用也不会？",
        "pattern": (
            "你…怎么用也不会|你怎么…也不会|你怎么…都不会|你什么也不会|你什么都不会"
            "|连这个都不会|这么简单…都不会|这都不会用|这都不会吗"
        ),
        "exceptions": ("不会影响|不会有|不会再|不会让|不会给|不会收|不会产生|不会损|不会出现|不会耽误"),
        "alternative": "这个操作确实容易混淆，我再一步一步给您演示一遍。",
    },
    {
        "key": "do_you_understand",
        "situation": "respect",
        "phrase": "你懂不懂最基本的……",
        "pattern": "懂不懂|你懂吗|你…到底懂不懂|你不懂就别|你不懂别",
        "exceptions": "",
        "alternative": "我再给您详细解释一下，有不明白的地方您随时问我。",
    },
    {
        "key": "not_my_business",
        "situation": "blame",
        "phrase": "这不关我的事",
        "pattern": "不关我的事|不关我事|不关我们的事|跟我没关系|和我没关系|与我无关|不是我负责的",
        "exceptions": "的事先|的事故",
        "alternative": "这件事我来帮您跟进，我先了解一下具体情况。",
    },
    {
        "key": "your_own_fault",
        "situation": "blame",
        "phrase": "这是你自己的问题",
        "pattern": "是你自己的问题|你自己…造成的|怪你自己|是你自己的责任|谁让你",
        "exceptions": "不是您自己的问题|不是你自己的问题|不是您自己造成的|不是你自己造成的",
        "alternative": "我们一起看看是哪里出了问题，我先帮您检查一下。",
    },
    {
        "key": "what_do_you_want",
        "situation": "arguing",
        "phrase": "你到底想怎么样",
        "pattern": "你到底想怎么样|你到底要怎样|你…想怎么样$|你想怎样$",
        "exceptions": "",
        "alternative": "您是希望……吗？我一定尽快……",
    },
    {
        "key": "suit_yourself",
        "situation": "explanation",
        "phrase": "你自己看着办",
        "pattern": "你自己看着办|你看着办吧|随便你|爱找谁找谁|你爱…找谁",
        "exceptions": (
            "随便您|不用你…自己…想办法|不需要你…自己…想办法|不必你…自己…想办法|不会让你…自己…想办法"
        ),
        "alternative": "我们正尽力做到……，但是目前还只能做到……",
    },
    {
        "key": "thats_my_attitude",
        "situation": "arguing",
        "phrase": "我就是这个态度",
        "pattern": "我就是这个态度|我就这态度|我态度…怎么了",
        "exceptions": "",
        "alternative": "如果我刚才的语气让您不舒服，非常抱歉。",
    },
]


# Paraphrases and polite contexts, per phrase (issue 15): what an agent really types in place of
# the seed wording (near-synonyms 跟/和, 还是/还, 没有用/没用, another ending), and the words around
# a short phrase that make it polite. Homophones, traditional characters, 你/您, particles,
# emoji and spaces need no wording here: the matcher folds them.

# A promise to find out or to help, said after the phrase (不知道，我马上帮您查一下); 你 in a
# context wording stands for 你 and 您 alike.
HELP = (
    "我…帮你|我…为你|我…替你|我们…帮你|我们…为你|给你…查|给你…回|给你…答复|给你…打|给你…申请|给你…安排|帮你…查|帮你…问|帮你…确认"
    "|帮你…核实|帮你…了解|帮你…联系|帮你…申请|帮你…争取|帮你…协调|帮你…转|给你…查|我…查|我…问问"
    "|我…问一下|我…确认|我…核实|我…了解一下|我…咨询|我…联系|我…落实|我…跟进|我…请示|我…申请"
    "|给你答复|给你回复|答复你|回复你|通知你|再告诉你|马上告诉你|我…转给|转接|我们会…配合|我一定|我们一定|我会尽快"
    "|我们会尽快|我…争取|我…安排|我们…安排|马上…安排|马上…检查|确认一下|核实一下|查一下|问一下|了解一下"
    "|确认|核实|核查|查清|问清|查到|陪着你|陪你|全程|给你…解释|请…过来|叫…过来"
    "|发给你|给你…提供|给你…换|给你…说法|给你…交代|给你…处理|给你…回拨|给你…检测|为你…处理"
    "|我…处理|马上处理|尽快处理|再催|再告诉你|就告诉你|稍等"
    "|帮你|给你…打电话|给你…回电|给你…发|反馈给|给你…结果"
    # … or worded as a firm answer to come (给您准信, 给您个准话, 回电给您)
    "|给你…准信|给你…准话|给你…回话|给你…回音|给你…答案|给你…信儿|给你…确切|给你…确定|告知你|回电给你"
    # … or as a verb, 您 and a channel (回您个电话, 发您微信, 打您手机), or 第一时间 + 您
    "|回你…电话|回你…消息|回你…信息|回你…微信|回你…短信|发你…微信|发你…短信|发你…消息|发你…信息"
    "|发你…邮件|发你…邮箱|打你…电话|打你…手机|拨你…电话|加你…微信|第一时间…你"
    # … or as an act begun now (我现在就打给车间问, 我这就去问), a progress report or a recheck
    # (每天给您报一次进度, 再给您免费复查一次)
    "|我现在就|我这就|我马上|我立刻|我立马|打给…问|去…问|给你…报|报…进度|同步…进度|给你…更新|再给你"
    # … or news passed on as soon as there is any (一有消息马上微信告诉您)
    "|一有消息|有消息…告诉你|有消息…通知你|有结果…告诉你|马上…告诉你|已经…催了|跟…催了"
    # … a call with a time (明天上午十点前给您电话), a step taken first for the customer (先给您清洗),
    # the matter passed up (已经报给厂家技术部), a new time offered (给您改约)
    "|给你…电话|先给你|我们先|报给|上报|给你改|给你约"
    # … or something made ready for the customer (我可以给您列个清单, 给您整理好材料)
    "|我可以给你|给你列|给你…整理|给你…准备"
)
# What makes 不行 describe a worn part rather than refuse (刹车片已经不行了，我们给您换新的).
WORN = "已经|有点|有些|快要|老化|磨损|效果"
# … or a part or system said to be failing (电瓶不行了, 离合器不行了, 这个减震是不行了): a diagnosis
PARTS = (
    "电瓶|电池|蓄电池|离合|减震|避震|刹车片|刹车盘|轮胎|火花塞|压缩机|水泵|油泵|马达|电机|轴承|皮带|"
    "灯泡|雨刮|线束|传感器|模块|节温器|冷凝器|散热器|发电机|启动机|起动机|变速箱|球头|衬套|胶套|"
    "空调|滤芯|喇叭|玻璃升降|门锁|钥匙电池|这个件|零件|配件"
)
REPLACE = "更换|换掉|换新|换一|建议…换|需要…换|得换|该换|要换"
# … or the result of a check done again or still the same (复测还是不行, 试了还是不行), not a
# refusal (免费检测不行 stays one).
TESTED = (
    # … a diagnosis read out (诊断仪读出来的结果就是…通讯不行)
    "诊断|读出来|检测结果|结果就是|结果显示|故障码|测出来|"
    "复测|复检|复查|测…还是|试…还是|调…还是|修…还是|换…还是|查…还是|测…仍然|试…仍然|测…依然|试…依然"
    # … a test that did not pass either (压力测试也不行, 试了也不行)
    "|测试…也|试验…也|路试…也|试车…也|试了…也|测了…也|试过…也|测过…也"
    # … tried several times, all failing (试了几次都不行, 测了三次都不行)
    "|试了…都|测了…都|试过…都|测过…都|调了…都|换了…都|刷了…都|检查了…都|跑了…都"
    "|升级…还是|更新…还是|刷…还是|重启…还是|这次…没通过|没通过"
)
# … followed by the further check it calls for (不行，还要进一步排查).
FURTHER = "进一步…检查|进一步…检测|进一步…排查|进一步…诊断|进一步…测试"
# … or followed by the repair that ended it (…都不行，后来换了节气门已经好了).
REPAIRED = (
    "已经好了|已经正常|恢复正常|已经换好|已经修好|后来…好了|后来…正常|现在…好了|现在…正常"
    # … or set right (外倾角不行，现在已经调回标准范围)
    "|调回|调好了|调整好|现在已经"
)
# The customer's own judgement or a condition, said just before the phrase (如果您觉得…不行).
JUDGEMENT = (
    "您…觉得|您…认为|您嫌|您…说|您担心|您怕|您是说|您的意思|您…反映|您觉着|您…感觉|客户…觉得"
    "|如果|要是|万一|假如|是否|会不会|担心|以免|免得"
    # … or what the customer mentioned (您提到高速上隔音不行)
    "|您…提到|您…提过|您…描述|您…形容"
)
# The customer's view said just before a phrase (您觉得这个方案不可能接受): narrower than
# JUDGEMENT, whose 您…说 would also pass 您说的没错，我跟您讲这不可能.
VIEW = "您…觉得|您…认为|您觉着|您…感觉|您的意思|您是说|客户…觉得"
SEED_CONTEXT: dict[str, SeedContext] = {
    "not_heard": {
        "variants": (
            "听不到…大声|听不清楚…大声|大声一点|大声些|说大声点|声音大点|声音大一点|你…大点声"
            "|嗓门…大点|嗓门放大|听不见…大声|声音…太小…听不见"
        ),
        "polite_before": (
            "麻烦您|请您|劳驾您|能否请您|可以请您|您方便|能不能请您|辛苦您|抱歉|不好意思|对不起|信号不"
            "|提到|反映|一直|总是|经常"
        ),
        "polite_after": "麻烦你|请你|劳驾你",
    },
    "opening_wei": {
        "variants": "",
        "polite_before": "说$",  # the customer's words reported: 您刚才说“喂，听不到”
        "polite_after": "您好",
    },
    "be_reasonable": {
        "variants": (
            "讲不讲理|你…不讲理|你…讲点理|你…讲讲道理|讲道理好不好|你…蛮不讲理|你…不可理喻"
            # … worded as no reason at all (你这人怎么一点道理都不讲)
            "|道理都不讲|一点道理…都不讲|怎么…不讲道理"
            # … does that make sense to you
            "|讲得通道理吗|这讲得通吗"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "go_complain": {
        "variants": (
            "你…尽管…投诉|你…随便…投诉|想投诉就投诉|要投诉…就…投诉|你…去告|你…告…去|爱…投诉…就…投诉"
            "|投诉…也没用|投诉我…也没用|有本事…投诉|你…去…告…吧|你…去…告我们|有本事…告|爱…投诉…投诉"
            # … by phone (不满意就去打投诉电话呗)
            "|你…就去打…投诉|就去打…投诉|你…去打…投诉"
            # … anywhere (随便您去哪儿告)
            "|随便你…去哪…告|随便你…告|爱去哪…告|你…去哪…告都行"
            # … as a dare in chat (你要投诉就去投呗，随你挑)
            "|投诉…就去投|就去投呗|随你挑"
            # … formal: complain to any department you like
            "|尽可…投诉|向任何部门投诉|随便…哪个部门…投诉"
            # … 随便 first (不满意的话随便您投诉)
            "|随便你…投诉|随便你去投诉"
        ),
        "polite_before": "",
        # … or the customer's right (这是您的权利), and help offered
        "polite_after": "我们会…配合|我们…全力配合|我…帮您|我们…帮您|您的权利|您的权益|您的正当",
    },
    "impossible": {
        "variants": "这…没可能|那是不可能|不可能…的事|这怎么可能|那怎么可能|想都别想|这不肯能|不肯能啊",
        "polite_before": VIEW,
        "polite_after": "",
    },
    "cannot_do": {
        "variants": (
            "这…我…做不了|这…我…办不了|我…做不了|我…办不了|这…做不了|这…办不了|我…干不了|这…干不了"
            "|我…搞不定|这…搞不定|这…我…没法…做|这个…没法…办"
        ),
        "polite_before": "如果|要是|万一|假如|保证|承诺",
        "polite_after": HELP + "|向…经理|找…经理|请…经理|但…可以|不过…可以",
    },
    "no_way": {
        "variants": "那不成|没门|门都没有|不行就是不行|这个不成|没得商量|没有商量的余地",
        "polite_before": JUDGEMENT + "|" + WORN + "|" + TESTED + "|" + PARTS,
        "polite_after": "的话|" + HELP + "|" + REPLACE + "|" + FURTHER + "|" + REPAIRED,
    },
    "stop_urging": {
        "variants": "你…别…催|别…催…了|催…也没有用|催我也没用|催什么催|我比你…急|别再…催了|少催"
        "|催了…也不会|催…有什么用|催…也白催|催…也快不了|催…也没辙|催了…也没用"
        # formal: stop asking, we are even more anxious (请您不要再催了，我们这边比您还着急)
        "|不要再催了|比你还着急|比你还急",
        "polite_before": "",
        "polite_after": "",
    },
    "no_choice": {
        "variants": (
            "我们…也…没…办法|我…也…没有…办法|我…也…没辙|我们…也…没辙|没办法的事|我…有什么办法"
            "|我们…能怎么办|我…也…没招|我…也…无能为力|我们…也…无能为力|爱莫能助|我…也…没法子"
            "|我都…没…办法|我都…没辙"
            "|^没办法|没办法$"
            # … formal: the store is powerless too
            "|亦无能为力|对此…无能为力"
        ),
        # The customer's or a colleague's words reported (您说没办法, 跟您讲没办法), a condition.
        "polite_before": JUDGEMENT + "|您…讲|说$|讲$",
        "polite_after": HELP,
    },
    "just_wait": {
        "variants": (
            "程序…就是…这样|流程…就是…这样|规定…就是…这样|制度…就是…这样|只有等着|只能等着"
            "|你就等着吧|等着吧|慢慢等着吧|耐心等着吧|除了等…没别的|等就是了|等着就是了|只能干等|除了等…没"
            "|规矩…就…这样|规定…就…这样|就这规定|就这个规定|就这规矩|就这么规定|规矩就是规矩|规定就是规定"
            # … as a queue or a rule laid down (流程就摆在那儿，排着吧)
            "|排着吧|你就排着|慢慢排吧|流程…就摆在那|规定…就摆在那|规矩…就摆在那"
            # … nothing but waiting (除了干等没别的办法), and in Cantonese (程序就系咁，净系得等)
            "|除了干等|程序…就系咁|流程…就系咁|净系得等|净系等"
            # … the way it goes (流程就是这么走的，您就只能等了)
            "|流程…就是…这么走|程序…就是…这么走|规定…就是…这么"
        ),
        "polite_before": "",
        "polite_after": HELP + "|先…再|第一步",  # explaining the steps: 流程就是这样，先检测再报价
    },
    "no_use_hurrying": {
        "variants": (
            "你…急也没有用|急也没有用|着急也没有用|急…有什么用|着急…有什么用|你急…什么|你…着什么急"
            "|急…也…没用|着急…也…没用|急…也…没有用|^急什么|急什么$|着什么急|急没用|急也白急"
            # … the calls worded as useless (您一遍遍打过来也没用, 着急也解决不了问题)
            "|打过来…也没用|打…多少…遍…也没用|着急…解决不了|急…解决不了"
            # … formal: no use being anxious
            "|着急也无济于事|急也无济于事|再着急也无济"
            # … 着急上火也白搭
            "|着急…也白搭|急…也白搭"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "what_attitude": {
        "variants": (
            "你…这…什么态度|你这…态度|你…啥态度|什么…态度…啊|^什么态度$"
            # … worded as the tone or the voice (你这什么口气, 跟谁大呼小叫, 你吼什么)
            "|你…什么口气|你…啥口气|什么口气啊|什么口气呀|跟谁…大呼小叫|冲谁…大呼小叫|你…大呼小叫|对谁…大呼小叫"
            "|你…吼什么|你…嚷什么|你…喊什么|你…凶什么|跟谁…吼|冲谁…吼|跟谁…嚷|冲谁…嚷"
            # … told to mind it (麻烦您注意下态度，这么凶谁愿意搭理)
            "|注意…下…态度|注意点…态度|谁愿意搭理|谁愿意理你"
            # … your attitude that day
            "|就您那…态度|就你那…态度|您那个态度"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "dont_know": {
        "variants": (
            "我怎么知道|我哪知道|谁知道呢|天知道|鬼知道|我也不清楚$|不太清楚$|我又不知道|^不造$|我不造|我也不造"
            "|我问谁|^唔知|唔知啊|唔知道"
            # … 冇晓得, 我哪里晓得
            "|冇晓得|没晓得|哪里知道"
        ),
        "polite_before": "您可能|您也许|可能您|很多|不少|大部分|大家|如果|要是|万一|假如|担心",
        "polite_after": HELP + "|要等…才能|等…出来才|才能确定|才能知道",  # … when it will be known
    },
    "ask_someone_else": {
        "variants": (
            "你…应该…问|你…得…去问|你…去问|你…找…问去|你…找…去|你…自己去问|你自己…问问|不归…我…管|不是我…管"
            "|我…管不了|你…找…别人|你…问别人|我…答不了|我…回答不了|这…问题…我…没法…回答|别问我$|别问我们$"
            # … formal: ask elsewhere yourself, no answer here
            "|请自行向…咨询|自行向…咨询|不予答复"
        ),
        "polite_before": "",
        "polite_after": HELP + "|电话|号码|联系你",
    },
    "only_this": {
        "variants": (
            "只能这样了|也就只能这样|只能做到这一步|只能…到这个地步|只能…到这一步|顶多…只能…这样"
            "|最多…只能…这样|没别的办法了$|没有别的办法了$|没别的方案了$|最多…也就…这样|顶多…也就…这样"
        ),
        "polite_before": "",
        "polite_after": HELP,
    },
    "did_all_we_could": {
        "variants": (
            "能做的…都…做了|能做的…都…做过了|能做的…都…做完|能做的…都尽力了|我们…已经…仁至义尽"
            "|该做的都…做了|该做的我们…都…做了|该做的都…做过了|该做的都…做完了"
            "|能办的…都…办了|该办的…都…办了|能办的…都…办过了|已经尽到全力了|已经尽全力了|再多的…也给不了"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "teach_me": {
        "variants": (
            "你教我…怎么…办|你教我…怎么…弄|你教我…怎么…搞|那你…来做|要不你来|你行你来|你说…该怎么办|你说…咋办"
            "|那你来$|那你来啊|那你来吧"
            # … with 来/教教 and 弄/搞 (你来教教我, 你说我该怎么弄)
            "|你…来…教我|你…教教我|你说…该怎么弄|你说…该怎么搞|你说…该咋弄|你来告诉我…怎么|那你…告诉我…该怎么"
            # … as a shrug in chat (那您说怎么弄，您教我，我照做)
            "|那你说…怎么弄|你教我…我照做|你教我…照做|你教我…该怎么|你教我啊|我照着说|我照着做"
            # … formal: kindly instruct us
            "|烦请您指教|请您指教一下|我们到底应该怎么做才能"
        ),
        "polite_before": "",
        "polite_after": "按您|听您|尊重您|我们…照办|我们…安排",
    },
    "still_dont_get_it": {
        "variants": (
            "说了…半天…还…不|怎么…还是…不明白|怎么…还是…不懂|怎么还是听不懂|怎么就…听不懂"
            "|怎么…听不明白|你是不是…听不懂|你…听不懂人话|说了…多少遍|跟你…说了…多少|讲了…多少遍|这都…听不懂|还不明白吗|还不懂吗"
            "|遍了…你还不明白|遍了…你还不懂|遍了…你还听不懂|遍…你…还是不明白|听不懂中文|听不懂吗"
            "|重复几遍…你才|要重复几遍|说几遍…你才|讲几遍…你才"
            # … 还没 for 还不 (说了半天您咋还没明白呢)
            "|说了…半天…还…没明白|说了…半天…还…没懂|说了…半天…还…没听懂"
            # … after saying it so many times (怎么讲了这么多遍你还是不明白)
            "|这么多遍…还是…不明白|这么多遍…还是…不懂|这么多遍…还…不明白|这么多遍…还…不懂"
            # … formal: explained five times, still not understood
            "|还是听不懂|解释不下…遍|为何…还是听不懂"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "told_you_already": {
        "variants": (
            # … in chat: scroll up (我上面不是发过了吗？往上翻翻)
            "不是…发过了吗|往上翻翻|自己往上翻|"
            "不是…讲过了吗|不是…告诉过你|讲过好几遍|已经…跟你…说过了|已经…和你…说过了|已经…跟你…说过$"
            "|已经…和你…说过$|已经说过了$|早…说过了"
            "|早就…告诉…你|说过…几遍了"
            "|说过…好几次|跟你…说过…了$|和你…说过…了$|跟你…讲过…了$|不是…告诉你了吗|不是…跟你说了吗"
            "|不是…和你说了吗|之前…就说过了$|早就说过了$|就说过了$|不是…说了吗|已经…跟你…解释过了"
            "|已经…和你…解释过了|都说了…遍|都讲了…遍|说了…遍了"
            # … said once already, or made clear (我前面讲过一遍了, 都已经跟您讲清楚了)
            "|我…前面…讲过…遍|我…前面…说过…遍|都已经跟你…讲清楚了|都已经跟你…说清楚了"
            # … Wu: 我刚刚已经搭侬讲过一遍了呀
            "|已经…和你…说过…遍"
        ),
        "polite_before": "",
        "polite_after": "我再…解释|再给你…解释|可能…没说清楚|可能…没讲清楚",
    },
    "done_talking": {
        "variants": (
            "你…说够了没|你…讲完了没|你…讲完了吗|你…说完…没有|你…说完没有"
            # … asked as how long it goes on (你还要讲多久, 你有完没完)
            "|你…还要…讲多久|你…还要…说多久|你…要…讲到什么时候|你…要…说到什么时候|你…有完没完|有完没完"
            # … asked in chat (说完没？说完了该我说了)
            "|^说完没|说完了没|该我说了"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "let_me_finish": {
        "variants": (
            "你能不能…听我说完|让我…讲完|你听我…讲完|先让我说完|你…让我…把话…说完|能不能让我…说完|让我…说完$"
            "|你先别说…听我|听我…说完$|先别插嘴|别插嘴|等我…讲完|等我…说完"
        ),
        # asked as the seed's own polite wording (您是否可以让我先讲完？或许能有更好的办法)
        "polite_before": "是否…可以|能否|可否|麻烦你|请你|方便的话",
        "polite_after": "或许|更好的办法|更好的方案",
    },
    "call_later": {
        "variants": (
            "过会…再打|一会…再打|稍后…再打…吧|你…晚点…再来电|你…过…再打来|改天…再打|你…明天再打|明天…再打…吧"
            "|你…晚点…打过来|你…等会…打过来|你…过会…打过来|你…一会…打过来|你…明天…打过来"
            # … on the phone, call back in half an hour
            "|在接电话…过…再打|过半个钟头再打|过一会儿再打给他"
            # … Hokkien-flavoured: 伊咧講電話，你等一下再打來
            "|你等一下再打来|等一下再打来"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "cant_even_use_it": {
        "variants": (
            "怎么…连…都不会|连…都不会用|这么简单…不会|这都…不会|你怎么…什么都不会|你怎么…啥都不会"
            "|教了…多少遍…还不会|怎么…还是不会|你连…都不会"
            # … 用不来 / 弄不明白 for 不会 (这么简单你都用不来)
            "|你…都…用不来|你…也…用不来|连…都…用不来|这么简单…用不来|你…都…弄不明白|这么简单…弄不明白"
            "|你…都…搞不明白|这么简单…搞不明白|你…都…不会用|这么简单…不会用"
            # … after so long (提车三个月了还不会用？)
            "|个月了…还不会用|这么久…还不会用|还不会用吗|还不会用?"
            # … formal: why still not (为何至今还不会操作)
            "|为何…还不会|至今还不会|为何至今…不会"
            # … Cantonese 唔识 (点用都唔识)
            "|点用都唔识|唔识用"
            # … without 连 (一键启动都不会用吗)
            "|都不会用吗"
            # … 怎么用了大半年了还不会呀
            "|怎么…了还不会|怎么…还不会呀"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "do_you_understand": {
        "variants": (
            "你懂什么|你懂个|懂不懂…常识|你…有没有…常识|常识…都不懂|这都不懂|最基本的…都不懂"
            "|你…到底…听懂没|你…到底…懂没懂|你…听没听懂"
            # … 常识 and 了解 (这点常识都没有, 你自己的车自己都不了解)
            "|这点常识…都没|一点常识…都没|连…常识…都没|你…自己…都不了解|你…自己…都不懂"
            # … formal: go and learn the basics first
            "|先去了解…最基本|了解一下最基本的|最基本的…知识都"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "not_my_business": {
        "variants": (
            "跟我…没…关系|和我们…没…关系|跟我们…没…关系|不关…我…事|关我什么事|关我们什么事"
            "|不是我的责任|不是我们的责任|跟我们…无关|与我们无关|不归我们负责|不是我…负责|我…管不着|我们…管不着"
            "|关我屁事|跟我…有什么关系|跟我们…有什么关系|和我…有什么关系|和我们…有什么关系"
            "|不是我的事|不是我们的事"
            # … the department or the desk (这不是我们部门的事, 不归我们管)
            "|不是我们部门的事|不是我们部门管|不归我们部门|不归我们管|不是我们管的|不是我们这边的事"
        ),
        "polite_before": "",
        "polite_after": HELP,
    },
    "your_own_fault": {
        "variants": (
            "你自己…弄坏的|你们自己…弄坏的|你自己…搞的|你们自己…搞的|你自己…的原因|都怪你|是你…操作不当"
            "|你自己…不注意|你自己的问题|是你自己…的问题|你自己…弄的$|怪不了别人|怪不得别人|怨不得别人"
            "|是你自己没"
            "|的问题…你自己…解决|自己的问题…自己解决"
            # … the fault named otherwise (你自己的毛病), or the blame pushed back (别赖到车上)
            "|你自己的毛病|是你…的毛病|你自己…的毛病|别赖…到|别赖在|别赖我们|赖不着|赖不到…我们|别往…身上推"
            "|别怪到…头上|别怪…我们"
        ),
        "polite_before": "不可能|不是|并不是|不会是|绝不是|并非",
        "polite_after": "",
    },
    "what_do_you_want": {
        "variants": (
            "你到底…想…怎样|你到底…要…怎么样|你到底…想…咋样|你…想咋样$|你…要咋样$|你…究竟…想…怎样"
            "|你…到底想干嘛|你想干什么$|^到底…想…怎么样$|你…还想…怎么着|你…想…怎么着"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "suit_yourself": {
        "variants": (
            "你…自己…看着办|你自个…看着办|随你便|随你怎么|爱咋咋地|爱找谁…找谁|自己看着办|自个…看着办"
            # … the rest left to the customer (剩下的你自己想办法)
            "|你自己想办法|你自己…想…办法吧|你们自己想办法|剩下的…你自己…想办法|自己想办法吧"
        ),
        "polite_before": "",
        "polite_after": "",
    },
    "thats_my_attitude": {
        "variants": "我…就这…态度|我态度…就这样|我…态度…不好…怎么了|我…就是这…态度",
        "polite_before": "",
        "polite_after": "",
    },
}
_NO_CONTEXT: SeedContext = {"variants": "", "polite_before": "", "polite_after": ""}


def _with_context(base: _BasePhrase) -> SeedPhrase:
    extra = SEED_CONTEXT.get(base["key"], _NO_CONTEXT)
    return {**base, **extra}  # type: ignore[typeddict-item]


SEED_PHRASES: list[SeedPhrase] = [_with_context(item) for item in _BASE_PHRASES]


SEED_REPLIES: list[SeedReply] = [
    {
        "key": "opening",
        "title": "开首接线语",
        "situation": "opening",
        "objection_nature": "",
        "objection_content": "",
        "text": "您好！{dealer}，{agent_number}号为您服务，请问有什么可以帮您？",
    },
    {
        "key": "receive_apology",
        "title": "受理投诉：致歉并约定答复",
        "situation": "receive",
        "objection_nature": "",
        "objection_content": "",
        "text": (
            "{customer_name}您好，给您添麻烦了，非常抱歉。您反映的情况我已经详细记录下来，"
            "我们会尽快核实，并在{promised_time}前给您答复。"
        ),
    },
    {
        "key": "not_heard",
        "title": "没听清",
        "situation": "not_heard",
        "objection_nature": "",
        "objection_content": "",
        "text": "对不起，我没听清楚，请您重复一遍好吗？",
    },
    {
        "key": "confirm_demand",
        "title": "确认客户诉求",
        "situation": "receive",
        "objection_nature": "",
        "objection_content": "",
        "text": (
            "{customer_name}，我跟您确认一下：您是希望我们先把车辆的问题彻底查清楚，"
            "再给您一个书面的处理方案，对吗？"
        ),
    },
    {
        "key": "anxious",
        "title": "客户着急",
        "situation": "anxious",
        "objection_nature": "",
        "objection_content": "",
        "text": "{customer_name}，您别着急，我非常理解您现在的心情，我马上帮您查一下，请稍等！",
    },
    {
        "key": "urging",
        "title": "客户反复催促",
        "situation": "urging",
        "objection_nature": "",
        "objection_content": "",
        "text": (
            "{customer_name}，让您久等了，非常抱歉。我们正在为您联系，我会在{promised_time}前给您答复。"
        ),
    },
    {
        "key": "no_result",
        "title": "暂无结果",
        "situation": "no_result",
        "objection_nature": "",
        "objection_content": "",
        "text": (
            "{customer_name}您好，我已经和相关部门联系过了，目前还没有最终答复，"
            "我会再次跟进，一有结果马上通知您。"
        ),
    },
    {
        "key": "unknown",
        "title": "不清楚的问题",
        "situation": "unknown",
        "objection_nature": "",
        "objection_content": "",
        "text": "不好意思，这个问题我不是很清楚，我查一下再给您答复好吗？",
    },
    {
        "key": "other_department",
        "title": "其他部门的问题",
        "situation": "other_department",
        "objection_nature": "",
        "objection_content": "",
        "text": (
            "不好意思，这个问题由我们售后服务部负责，我已经把您的情况转给他们，"
            "请他们在{promised_time}前直接给您回电，您看可以吗？"
        ),
    },
    {
        "key": "extra_request",
        "title": "客户提出额外要求",
        "situation": "extra_request",
        "objection_nature": "",
        "objection_content": "",
        "text": (
            "{customer_name}，您的要求我已经记下了。这超出了我个人能决定的范围，"
            "但我一定尽力帮您向上申请，并在{promised_time}前给您答复。"
        ),
    },
    {
        "key": "dissatisfied",
        "title": "不满意处理结果",
        "situation": "dissatisfied",
        "objection_nature": "",
        "objection_content": "",
        "text": (
            "{customer_name}，您是希望我们在现有方案的基础上再做些什么吗？"
            "请您具体说一说，我一定尽快和服务经理商量，给您一个答复。"
        ),
    },
    {
        "key": "not_understood",
        "title": "客户没听明白",
        "situation": "not_understood",
        "objection_nature": "",
        "objection_content": "",
        "text": "可能我刚才没说清楚，我再给您解释一下。",
    },
    {
        "key": "arguing",
        "title": "与客户意见不一致",
        "situation": "arguing",
        "objection_nature": "",
        "objection_content": "",
        "text": (
            "{customer_name}，您说的情况我都记下了。您是否可以让我把检测结果和处理思路简单介绍一下？"
            "或许我们能一起找到更好的办法。"
        ),
    },
    {
        "key": "person_busy",
        "title": "找的人正忙",
        "situation": "person_busy",
        "objection_nature": "",
        "objection_content": "",
        "text": "对不起，他正在讲电话，请问我可以帮到您吗？或者我请他忙完后马上给您回电。",
    },
    {
        "key": "price_true",
        "title": "维修费用偏高（真实异议）",
        "situation": "objection",
        "objection_nature": "true",
        "objection_content": "price",
        "text": (
            "{customer_name}，我理解您觉得这次的费用偏高。费用主要是配件和工时两部分，"
            "我把明细逐项给您说明一下；哪一项您有疑问，我们一起核对。"
        ),
    },
    {
        "key": "price_false",
        "title": "以价格为由（虚假异议）",
        "situation": "objection",
        "objection_nature": "false",
        "objection_content": "price",
        "text": (
            "{customer_name}，我们的工时和配件价格都按厂家统一标准执行，明细随时可以给您查看。"
            "除了价格，您对这次维修还有哪些地方不太放心？您说出来，我们一并帮您解决。"
        ),
    },
    {
        "key": "price_hidden",
        "title": "挑剔质量、实为要求优惠（隐藏异议）",
        "situation": "objection",
        "objection_nature": "hidden",
        "objection_content": "price",
        "text": (
            "{customer_name}，您提到的几处问题我都记下了，会请技术主管逐一检查确认。"
            "另外想听听您的想法：在费用方面，您是不是也有一些顾虑？我可以帮您看看有没有适用的优惠。"
        ),
    },
    {
        "key": "product_true",
        "title": "怀疑车辆质量（真实异议）",
        "situation": "objection",
        "objection_nature": "true",
        "objection_content": "product",
        "text": (
            "{customer_name}，车辆出现这样的情况，换成是我也会很担心。我们已经安排技术人员"
            "为您的车做全面检测，结果出来后我会第一时间告诉您，并给您书面说明。"
        ),
    },
    {
        "key": "product_false",
        "title": "对正常现象的误解（虚假异议）",
        "situation": "objection",
        "objection_nature": "false",
        "objection_content": "product",
        "text": (
            "{customer_name}，谢谢您这么细心。您提到的声音，技术人员检测后确认属于该车型的正常工作声音，"
            "对行车安全没有影响。如果您方便，我请技术主管当面给您演示和说明，您看可以吗？"
        ),
    },
    {
        "key": "need_true",
        "title": "不需要建议的项目（需求异议）",
        "situation": "objection",
        "objection_nature": "true",
        "objection_content": "need",
        "text": (
            "{customer_name}，这个项目我们是根据您车辆目前的里程和检测结果建议的，并不是强制项目。"
            "您可以根据自己的用车情况决定，需要的时候随时联系我，我帮您预约。"
        ),
    },
    {
        "key": "need_hidden",
        "title": "说不需要、另有顾虑（隐藏异议）",
        "situation": "objection",
        "objection_nature": "hidden",
        "objection_content": "need",
        "text": (
            "您说暂时不需要，我完全尊重您的决定。方便说说您主要是担心哪方面吗？"
            "是费用、时间，还是对效果不太放心？我好给您更合适的建议。"
        ),
    },
    {
        "key": "purchase_time",
        "title": "以后再说（购买时间异议）",
        "situation": "objection",
        "objection_nature": "false",
        "objection_content": "purchase_time",
        "text": (
            "{customer_name}，您说过段时间再处理也可以。我想了解一下，是最近时间不方便，"
            "还是对方案还有顾虑？如果是时间问题，我们可以为您预约周末，或者安排上门取送车。"
        ),
    },
    {
        "key": "staff",
        "title": "对服务人员不满（客服人员异议）",
        "situation": "objection",
        "objection_nature": "true",
        "objection_content": "staff",
        "text": (
            "{customer_name}，我们服务人员的态度给您带来了不愉快，我代表{dealer}向您郑重道歉。"
            "这件事我已经报告服务经理，我们会认真处理，并在{promised_time}前把处理结果告诉您。"
        ),
    },
    {
        "key": "service",
        "title": "对服务方式或时间不满（服务异议）",
        "situation": "objection",
        "objection_nature": "true",
        "objection_content": "service",
        "text": (
            "{customer_name}，让您等了这么久，真的非常抱歉。我们会改进预约和派工的安排；"
            "这次我们为您免费洗车并安排专人跟进进度，您看这样可以吗？"
        ),
    },
    {
        "key": "ability_to_pay",
        "title": "费用超出预算（支付能力异议）",
        "situation": "objection",
        "objection_nature": "true",
        "objection_content": "ability_to_pay",
        "text": (
            "{customer_name}，我理解这笔费用对您来说是一笔不小的开支。我们先帮您确认哪些项目"
            "属于保修范围；另外也可以为您介绍分期付款的方式，您看哪种更合适？"
        ),
    },
    {
        "key": "follow_up",
        "title": "处理后回访",
        "situation": "follow_up",
        "objection_nature": "",
        "objection_content": "",
        "text": (
            "{customer_name}您好，我是{dealer}客户关系中心{agent_number}号。您的车辆问题处理完已经"
            "有几天了，想了解一下现在车辆使用情况如何？对我们的处理您还满意吗？"
        ),
    },
    {
        "key": "closing",
        "title": "结束通话",
        "situation": "closing",
        "objection_nature": "",
        "objection_content": "",
        "text": "感谢您的来电，{dealer}{agent_number}号祝您用车愉快，再见！",
    },
]
