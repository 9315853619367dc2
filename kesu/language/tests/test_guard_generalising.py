"""Issue 15, third round: the guard's general mechanisms, one kind of miss or false alarm each.

The examples here are new sentences (not the rows of the check sets): each shows what a
mechanism catches or lets pass, so a later edit that breaks a kind fails here by name. The two
fresh check sets written for this round are measured against the goals at the end.
"""

from pathlib import Path

import pytest

from kesu.language.matcher import Matcher, PhraseEntry
from kesu.language.phonetic import expand_words, is_word, same_char
from kesu.language.selectors import evaluate_guard, seed_matcher

from .guard_checks import assert_caught, assert_passes

DATA = Path(__file__).parent / "data"
MATCHER = seed_matcher()

MISSES = [
    # A homophone in a two-character phrase, or at the start of a three-character one, when the
    # character makes no word with its neighbours (a slip of the pinyin keyboard).
    ("typo_short", "改装的不型，保修不认"),
    ("typo_short", "这个方案不形的"),
    ("typo_short", "步知道，系统里查不到"),
    ("typo_short", "部知道呢，你问问别人"),
    # Adverbs slipped inside a longer phrase.
    ("filler", "别总是催我"),
    ("filler", "你就先听我说完"),
    ("filler", "能做的我们都已经真做了"),
    # Word groups: chat and northern forms, verbs of doing, 到底/究竟, 应该/该.
    ("word_group", "你到底想咋样啊"),
    ("word_group", "这个我们弄不了"),
    ("word_group", "你究竟懂不懂"),
    ("word_group", "这问题你该问销售"),
    ("word_group", "说了好几遍了你怎么还不明白"),
    # Single characters that stand for one another: 说/讲, 遍/回/次, 想/要.
    ("fellow", "跟你讲了多少回了"),
    ("fellow", "你到底要怎么样"),
    # Paraphrases written beside the phrases.
    ("paraphrase", "跟我们有什么关系啊"),
    ("paraphrase", "你明天再打吧，今天没空"),
    ("paraphrase", "我不造"),
    ("paraphrase", "是你自己没注意看说明书"),
    ("paraphrase", "这事我都讲了三回了"),
    ("paraphrase", "我早上已经和您解释过了"),
    ("paraphrase", "主任开会呢，你等会打过来"),
    ("paraphrase", "最多也就能这样"),
]

ALARMS = [
    # A two-character homophone that is a word of its own is that word.
    ("word_not_typo", "这件事您不信的话，可以看检测报告"),
    ("word_not_typo", "从停车场步行到展厅两分钟"),
    ("word_not_typo", "这款车的外观不新潮，但是很耐用"),
    # A homophone inside a longer phrase that belongs to a word outside the match (处理 ≠ 你).
    ("word_not_typo", "对处理结果不满意，可以向厂家热线投诉反映，我们全力配合"),
    # The promise comes a clause later.
    ("promise_later", "具体几号到港我现在还不知道，船公司还没发通知，明天我一早就帮您问"),
    ("promise_later", "我也不清楚为什么会这样，等技师看完，今天下班前给您打电话"),
    ("promise_later", "配件只能等下周到，这几天我们给您提供一台代步车"),
    # 不行 describing a worn part, or followed by a promise.
    ("worn_part", "火花塞已经不行了，这次保养一起换掉"),
    ("worn_part", "电池有点不行了，我们帮您免费检测一下"),
    ("worn_part", "减震效果不行，建议更换"),
    # Someone else's words reported in quotes.
    ("quoted", "您刚才说“喂，怎么没声音”，可能是信号问题，我重新打给您"),
    ("quoted", "电话里只听到“喂喂”两声就断了，我马上回拨"),
    # A third party does not know, not the agent.
    ("third_party", "很多新车主不知道这个设置，我教您一下"),
    # A refusal that goes on to offer something.
    ("offer", "这个折扣我确实做不到了，不过可以送您一年的免费洗车"),
    # 说过的 + noun is a relative clause, not 说过了.
    ("relative", "我刚才已经和您说过的两个方案，您看哪个合适"),
    # A one-character phrase (^喂) that begins a word is that word.
    ("word_not_typo", "您好，喂食器不属于车辆配件，这边帮您查一下附近的门店"),
    # A condition the customer reported, not an order to speak up.
    ("reported", "您反映车载电话总是听不清，我们已经预约了检测"),
    # 解释过 followed by the humble offer the seed alternative itself makes.
    ("humble", "我已经跟您解释过了，可能我没说清楚，我再给您解释一下"),
]


def test_a_promise_after_a_negation_in_the_same_clause_is_no_promise():
    assert not MATCHER.check("不行，我们也没办法帮您").ok
    assert not MATCHER.check("不知道，这个我不能帮您查").ok
    # … but a negation in an earlier clause does not cancel it
    assert MATCHER.check("还不知道厂家会不会同意，我今天就帮您提交申请").ok


def test_an_agent_quoting_their_own_refusal_is_still_caught():
    assert not MATCHER.check("我说“不行”就是不行").ok


def test_the_dictionary_and_the_word_groups():
    assert is_word("不幸") and is_word("步行") and not is_word("不型")
    assert "你到底想咋样" in expand_words("你到底想怎么样")
    assert "这…我…搞不定" in expand_words("这…我…做不到")
    assert same_char("讲", "说") and same_char("回", "遍") and not same_char("说", "回")


def test_fillers_never_follow_a_negation():
    matcher = Matcher([PhraseEntry(phrase="不知道", alternative="我查一下")])
    assert matcher.check("这样不就知道了吗").ok
    assert not matcher.check("我不知道").ok


# The sixth round (guard_fresh5): variants of the seed phrases that set showed, by kind. Rude
# phrases the seed list does not hold (没空搭理你, 买不起就别买 …) are an organisation's own to add.
FRESH5_MISSES = [
    # A seed phrase said without its 你, where it stays unambiguous.
    ("without_you", "急什么呀，一个个来"),
    ("without_you", "急啥，配件还没到"),
    ("without_you", "急甚么，师傅马上就来"),
    ("without_you", "着什么急，师傅在吃饭"),
    ("without_you", "什么态度！"),
    ("without_you", "自己看着办吧，我管不了"),
    ("without_you", "到底想怎么样啊"),
    # 没办法 said bare, as the whole refusal, typed as it sounds or with an emoji.
    ("bare_no_choice", "没办法，厂家不给批"),
    ("bare_no_choice", "没办法的，这是总部定的"),
    ("bare_no_choice", "没办法🤷"),
    ("bare_no_choice", "没办发，系统锁了"),
    ("bare_no_choice", "这个真没办法"),
    # 听不懂吗, with 您 or spaces.
    ("dont_get_it", "您听不懂吗，我再说最后一次"),
    ("dont_get_it", "你们听 不懂 吗？？"),
    # Not my (our) business, said as 不是…的事.
    ("not_my_business", "这不是我的事，你找销售"),
    ("not_my_business", "那不是我们的事了"),
    # Told N times, any count.
    ("told_n_times", "我都说了五遍了"),
    ("told_n_times", "跟你说了一百遍了还问"),
    ("told_n_times", "我讲了好几回了"),
    # The rules are the rules.
    ("rules_are_rules", "规矩就这样，改不了"),
    ("rules_are_rules", "我们就这规定，谁来都一样"),
    ("rules_are_rules", "公司就这个规定"),
]

FRESH5_ALARMS = [
    # The same words where they do not refuse.
    ("without_you", "您着急什么时候提车？我帮您优先安排"),
    ("without_you", "甚至可以免费给您升级导航"),
    ("bare_no_choice", "实在没办法按时交车，我们会给您安排代步车"),
    ("bare_no_choice", "您说没办法联系上销售，我这边帮您转过去"),
    ("bare_no_choice", "前台跟您讲没办法，是她说错了，我向您道歉"),
    ("bare_no_choice", "这个确实没办法，不过我马上帮您申请特批"),
    ("dont_get_it", "还有哪里听不懂吗？我再慢慢给您讲一遍"),
    ("dont_get_it", "您有什么地方听不懂吗？我换个说法"),
    ("not_my_business", "这不是我们的事先约定，我帮您核实一下合同"),
    ("told_n_times", "按您说的检查了三遍了，没发现漏油"),
    ("told_n_times", "说明书我看了三遍了，上面写的是一万公里保养"),
    ("told_n_times", "我已经帮您确认了两遍了，预约没有问题"),
    ("rules_are_rules", "这个规矩我先给您解释一下"),
    # 不行 describing a worn part, followed by a recommendation to replace it.
    ("worn_part", "后刹车片不行了，建议这次一起换"),
    ("worn_part", "这块电瓶不行了，为了冬天好启动，建议您换一块"),
    ("worn_part", "机油滤芯不行了，该换了"),
]


# The seventh round (guard_fresh6): reported words in any quotes or said by a named speaker, a
# firm answer promised later, a re-check's result, a bad line with an adverb inside, a homophone
# for the first character of a long phrase, and one more paraphrase of "your own problem".
FRESH6_MISSES = [
    ("homophone_at_start", "那部关我们的事，找保险公司"),
    ("homophone_at_start", "这部跟我们没关系"),
    ("own_problem", "您的问题您自己去解决"),
    ("own_problem", "自己的问题自己解决，别打过来了"),
    # The agent quoting their own words, or no reporting word before the quote, stays theirs.
    ("own_quote", "我讲『不行』就是不行"),
    ("own_quote", "这个「我也没办法」，您自己想想吧"),
]

FRESH6_ALARMS = [
    ("quoted", "您在评价里写到售后说了『这我做不到』，我们已经约谈了这位员工"),
    ("quoted", "您提到的‘你自己看着办’这种话，门店经理已经向您道歉了吗？"),
    ("quoted", "您转述的《只能等》那条短信是系统自动发的，措辞不当，我们马上改"),
    ("quoted", "前台跟我说「不行」，我再帮您问问主管"),
    ("reported_plain", "您说您爱人提到过销售讲您什么都不会，这太不应该了，我们一定严肃处理"),
    ("reported_plain", "您同事讲过您怎么用也不会，其实这个菜单确实藏得深"),
    ("firm_answer", "这个补贴政策我现在还不知道，等厂家文件下来我给您个准话"),
    ("firm_answer", "具体哪天到货我不清楚，周五之前一定给您准信"),
    ("test_result", "胎压传感器换了还是不行，故障码没消，我们今天再查一遍线路"),
    ("test_result", "刹车异响复检还是不行，师傅下午重新装一下"),
    ("bad_line", "您那边风很大，我听不大清楚，请您靠近话筒再说一次"),
    ("bad_line", "电话有点断断续续，听不太清，您方便换个地方吗"),
    ("word_before", "这全部是我的责任，我给您补上"),
]


def test_the_customer_told_something_still_flags_what_the_agent_adds():
    assert not MATCHER.check("您讲了我也不知道").ok  # the agent stands between
    assert not MATCHER.check("你说你怎么用也不会").ok  # 你说你… is rhetoric, not a report
    assert not MATCHER.check("免费检测不行，要收费").ok  # no re-check: a refusal


# The eighth round (guard_fresh7): promises worded as a verb, 您 and a channel, a test's result, a
# customer's report of what staff said, the complaint channel explained, a measure word of times
# that is a verb, and paraphrases of eight phrases.
FRESH7_MISSES = [
    ("attitude_tone", "你这是啥口气，冲谁大呼小叫呢"),
    ("attitude_tone", "你吼什么吼，我又不是聋子"),
    ("own_fault_named", "那是你自己的毛病，别赖在我们店头上"),
    ("own_fault_named", "自己保养不到位，别赖到变速箱上"),
    ("cannot_use", "连个导航你都用不来吗"),
    ("cannot_use", "这么简单的设置都弄不明白"),
    ("did_all_left_to_you", "该做的都做完了，剩下的你们自己想办法"),
    ("teach_me", "你说这该怎么弄，要不你来教教我"),
    ("how_long", "你还要说多久啊，后面还有客户"),
    ("how_long", "你有完没完"),
    ("common_sense", "开了三年车，这点常识都没有？"),
    ("common_sense", "自家的车你自己都不了解"),
    # The brush-off stays: 你, or 您 without the procedure, the channel or the right.
    ("go_complain", "不满意你可以投诉啊"),
    ("go_complain", "不服您可以去投诉"),
    # 遍/回/次 after a count is still "times".
    ("times", "说了几回了，你还不明白"),
    ("times", "我都讲了n遍了"),
]

FRESH7_ALARMS = [
    ("promise_channel", "维修进度我这会儿还不知道，等车间报上来我第一时间通知您"),
    ("promise_channel", "新的报价我还不清楚，晚上核算好了发您短信"),
    ("promise_channel", "具体原因我暂时不知道，中午问过技师后回您个电话"),
    ("test_result", "冷却液渗漏检测做了，保压试验也不行，还要进一步排查"),
    ("customer_report", "您刚才说服务顾问对您讲这车修不好，是这样吗？这个说法不妥，我来核实"),
    ("customer_report", "您反映前台那个小姑娘说你急什么，我们已经批评了她，向您道歉"),
    ("customer_report", "您说维修工甩了一句爱找谁找谁，这太不应该了，我代表门店向您道歉"),
    ("complaint_channel", "按照流程您可以向厂家热线投诉，这是您的正当权利，我把号码发给您"),
    ("complaint_channel", "您可以通过官方渠道投诉，我们全力配合"),
    ("verb_not_times", "我上午被客户回了一句话，说过了"),
    # Look-alikes of the new paraphrases.
    ("look_alike", "您这个口气我理解，换我也着急"),
    ("look_alike", "这个常识很多车主都没有，我给您讲一下"),
    ("look_alike", "该做的检查我们都做了，结果都正常，您放心"),
    ("look_alike", "不用您自己想办法，我们来安排拖车"),
    ("look_alike", "您自己可能也不了解这个功能，我给您演示一下"),
]


def test_a_customer_report_needs_another_speaker_and_the_agent_taking_it_up():
    assert not MATCHER.check("您说的没错，我跟您讲这不可能，对吧").ok  # the agent is the speaker
    assert not MATCHER.check("您说销售跟您讲这不可能").ok  # nothing taken up: no apology, no check
    assert not MATCHER.check("免费检测也不行，要收费").ok  # no test that failed: a refusal
    assert not MATCHER.check("这事我不知道，第一时间没人通知我").ok  # 第一时间 but no promise


def test_guard_fresh12_read_blind_and_never_tuned_on_keeps_its_first_reading():
    """guard_fresh12, written after every change of the fifth round (two thirds of its polite
    replies everyday ones) and read once: 37/40 caught, 3/60 flagged. Never tuned on (the sixth
    round's fixes for other sets brought it to 38/40 and 2/60)."""
    figures = evaluate_guard(DATA / "guard_fresh12.tsv")
    assert figures["recall"] >= 0.92 and figures["false_alarm_rate"] <= 0.06, figures


@pytest.mark.parametrize("name", ["guard_fresh16.tsv", "guard_fresh19.tsv"])
def test_guard_fresh16_and_fresh19_read_blind_and_never_tuned_on_keep_their_first_readings(name):
    """guard_fresh16 and guard_fresh19, written blind during the sixth round and each read once
    with its final code (fresh19 after fresh18's fixes): 36/40 caught and 1/60 flagged, both.
    Never tuned on: the honest figures of the round."""
    figures = evaluate_guard(DATA / name)
    assert figures["recall"] >= 0.87 and figures["false_alarm_rate"] <= 0.034, figures


def test_guard_fresh8_read_blind_and_never_tuned_on_keeps_its_first_reading():
    """guard_fresh8, written blind after fresh7's fixes and read once: 40/40 caught, 2/40 polite
    replies flagged (a refusal of authority followed by escalation, 不行 as a result already
    mended). Never tuned on: it is the honest figure."""
    figures = evaluate_guard(DATA / "guard_fresh8.tsv")
    assert figures["recall"] >= 0.97 and figures["false_alarm_rate"] <= 0.06, figures


# The ninth round (guard_fresh9): an act begun now, a progress report or a recheck as the promise;
# 不行 after tries that all failed or before the repair that ended it, or the customer's mention;
# the customer's view before 这不可能; a phrase asked of oneself; help after 这不关我的事; a
# colleague's words reported and apologised for; quoted words running on in one clause; and the
# department and urging paraphrases.
FRESH9_MISSES = [
    ("department", "保险那块不归我们管，你找保险公司去"),
    ("department", "这不是我们部门的事情，你打别的电话"),
    ("department_sound", "这不是我们部门的是，你问前台"),
    ("urging", "催了配件也不会早到一天"),
    ("urging", "您再催也快不了，厂家没发货"),
    # Still rude: relaying the words without taking them back, 不行 as a flat refusal.
    ("relayed", "经理说了，急也没用"),
    ("refusal", "延保不行，规定就是规定"),
]

FRESH9_ALARMS = [
    ("act_now", "这个配件号我一时也不知道，我这就去库房问"),
    ("act_now", "油耗偏高的原因我现在还不清楚，我马上调数据出来看"),
    ("progress", "我也没办法今天就给您确切日期，不过每天中午我给您报一次进度"),
    ("recheck", "老王说能做的都做了，其实还有没查到的地方，我们再给您复查一次"),
    ("tries_failed", "刷了两次程序都不行，后来换了控制模块现在已经正常了"),
    ("tries_failed", "调了好几次都不行，最后发现是线束接触不良，已经修好了"),
    ("customer_mention", "您提到空调制冷不行，我们安排给您查一下冷媒压力"),
    ("customer_view", "您认为这个价格不可能接受，我理解，我再去跟经理申请"),
    ("asked_of_oneself", "我们只能这样吗？我再去跟厂家争取一次"),
    ("department_help", "这个不是我们部门管的，但我帮您转给保险专员，您稍等"),
    ("colleague_reported", "之前那位顾问跟您说急也没用，确实不礼貌，我向您道歉"),
    ("quoted_clause", "您反映前台说规定就是这样只能等，这个说法不对，我来核实"),
    ("told_to_call", "您说售后的人叫您过一会再打，是我们的疏忽，我现在回您电话"),
]


# The tenth round (guard_fresh10): news passed on as soon as there is any; a part set right; 给您
# before a promise; the customer's own question reported; a quote opening inside a match; the
# seed's own polite wording of 让我说完; and 能办的都办了 / 你还想怎么着.
FRESH10_MISSES = [
    ("did_all", "能办的手续我们都办了，你还要怎样"),
    ("what_do_you_want", "都给你换了，你还想怎么着"),
    ("own_question_retort", "您问我，我问谁去"),
]

FRESH10_ALARMS = [
    ("news_when_any", "具体到货日期我还不清楚，已经跟厂家催了，一有消息就短信告诉您"),
    ("set_right", "做完检测了，之前胎压传感器不行，现在已经调好了"),
    ("for_you", "我也没办法给您准确的时间，不过每天下班前我给您同步一次维修进度"),
    ("own_question", "您刚才问我们讲不讲道理，我理解您的心情，咱们把单据一张张对一下"),
    ("quote_inside", "工单里您写到前台回了句“你可以投诉”，我们已核实并处理，向您道歉"),
    ("seed_wording", "您能否让我先把检测结果讲完？或许有更好的办法"),
]


# The eleventh round (guard_fresh11): a call with a time, a step taken first, the matter passed
# up, a test still failing after an update, a part to be changed; told to a colleague; the
# reporting word nearest a quote; and paraphrases of seven phrases.
FRESH11_MISSES = [
    ("cantonese", "唔知道啊，你自己问返师傅"),
    ("hurry", "你再急没用，厂家不发货我也没办法变出来"),
    ("did_all", "我们已经尽全力了，再多的真给不了"),
    ("teach_me", "你说不对，那你来告诉我这车该怎么修"),
    ("still_dont_get_it", "这句话我要重复几遍你才明白"),
    ("not_heard", "听不见，你嗓门放大点"),
    ("let_me_finish", "你先别插嘴，等我说完"),
]

FRESH11_ALARMS = [
    ("call_with_time", "检测结果现在还不知道，下午四点前给您电话"),
    ("step_first", "排放检测这次没通过，年检暂时不行，我们先给您做一次清洗"),
    ("passed_up", "系统升级后导航还是不行，我已经报给厂家技术支持了"),
    ("part_to_change", "技师说刹车片已经不行了要换，我给您报个价"),
    ("new_time", "您明天没办法过来也没关系，我给您改约到周六"),
    ("told_colleague", "我刚才已经跟仓库说过了，配件到了第一个给您装"),
    ("quote_nearest", "记录里我写的是：客户称顾问回了句“你可以投诉”，您看这样写对吗"),
]


# The thirteenth and fourteenth rounds (guard_fresh13, guard_fresh14): Wu and south-western
# forms (侬, 伊, 莫得办法, 等歇, 好伐, 咋整); complaining by phone; waiting as a queue; not knowing
# how to use a thing after so long; a phrase said whole before a promise. Polite: something made
# ready for the customer after the phrase, 没办法接受 for the customer's wait, a consequence ruled
# out, and a customer quoting words said to them with their own 我们.
FRESH13_MISSES = [
    ("wu_you", "侬讲讲道理好伐，保修单上写得清清爽爽"),
    ("wu_he", "伊在接电话，侬等歇再打好伐"),
    ("southwest", "莫得办法，总部批不下来"),
    ("northeast", "配件不到我能咋整，你问厂家去"),
    ("by_phone", "嫌贵你就去打投诉电话，号码官网上有"),
    ("queue", "大家都在排，你也排着吧"),
    ("after_so_long", "买了半年了还不会用吗？说明书上都有"),
    ("said_whole", "规定就是这样，只能等。下周我再给您打电话"),
    ("said_whole", "流程就是这样，只有等着，有消息我发您短信"),
]

# The fifteenth round (guard_fresh15, long replies): a seed phrase said word for word at the end
# of its clause is not softened by a promise after it; calls worded as useless; said once already;
# complaining anywhere; nothing but waiting; Cantonese.
FRESH15_MISSES = [
    ("verbatim_homophone", "您说的全额报销，我问过主管了，这我做不倒，最多报一半，我今天就给您走流程"),
    ("verbatim_emoji", "配件还没到 我也😔没办法呀。到了第一时间给您打电话"),
    ("calls_useless", "车间还在排查，您隔十分钟打过来一次也没用，着急也解决不了"),
    ("said_once", "我前面说过一遍了，这个属于人为损坏"),
    ("anywhere", "方案就这样了，您不接受的话随便您去哪里告"),
    ("only_waiting", "审批一层一层走，您除了干等没有别的办法"),
    ("cantonese", "我哋嘅流程就系咁，净系得等"),
]

# The seventeenth round (guard_fresh17, chat): dares and shrugs in chat wording; an interjection
# before 说了 names no speaker (哎呀说了半天…).
FRESH17_MISSES = [
    ("dare", "想投诉就去投呗，消协厂家随你挑"),
    ("the_way_it_goes", "亲，流程就是这么走的，您就只能等了哈"),
    ("mind_your_tone", "哥，您注意下态度，这么冲谁愿意搭理呀"),
    ("shrug", "那你说怎么弄嘛，你教我，我照做"),
    ("interjection", "哎呀说了半天你咋还没听懂呢，这个不在保修范围"),
    ("done", "说完了没？该我说了吧"),
]

# The eighteenth round (guard_fresh18, phone transcripts): no punctuation, fillers.
FRESH18_MISSES = [
    ("teach_me", "那你教我啊 你教我该怎么跟保险公司讲 我照着做"),
    ("so_many_times", "呃 我都说了这么多遍了 您还是不明白吗"),
]

FRESH18_ALARMS = [
    ("greeting_twice", "喂 喂您好 这边是售后 您那边能听清吗"),
    ("quoted_words", "您说的那句 不知道 是哪位同事说的 这样回答不对 我先向您道歉"),
    ("diagnosis", "故障码读出来就是 呃 传感器信号不行 跟您的驾驶习惯没关系 我们走保修"),
]

FRESH15_ALARMS = [
    ("phrase_begins_clause", "我也没办法现在就给您确切日期，不过明早十点前我一定回您电话"),
    ("phrase_begins_clause", "这我做不到当场答复，我先记下来，下午三点前给您结果"),
]

FRESH13_ALARMS = [
    ("made_ready", "上牌不归我们管，是车管所办的，不过我可以给您把要带的材料整理好"),
    ("cannot_accept_wait", "我们也没办法接受让您空跑一趟，所以明早我们上门取车"),
    ("consequence_ruled_out", "这个贴膜不可能影响保修，您放心贴"),
    ("consequence_ruled_out", "换这个滤芯不可能导致发动机故障的，请放心"),
    ("quoted_with_own_we", "您说上次打电话被回了一句我们的规定就是这样只能等，这是我们的失误，我向您道歉"),
    ("steps", "流程就是这样，先定损再维修，我帮您约定损员"),
]


def test_guard_fresh13_to_fresh15_read_blind_keep_their_fixed_figures():
    """Written blind after the fifth round and read once: guard_fresh13 40/40 caught and 2/60
    polite replies flagged; guard_fresh14 (dialect, voice-to-text) 33/40 and 0/60; guard_fresh15
    (long replies, read after fresh13's and fresh14's fixes) 33/40 and 0/60; guard_fresh17 (chat)
    34/40 and 0/60; guard_fresh18 (phone transcripts) 38/40 and 3/60. After their kinds were fixed:
    40/40 and 0, all five."""
    for name in (
        "guard_fresh13.tsv",
        "guard_fresh14.tsv",
        "guard_fresh15.tsv",
        "guard_fresh17.tsv",
        "guard_fresh18.tsv",
    ):
        figures = evaluate_guard(DATA / name)
        assert figures["recall"] >= 0.97 and figures["false_alarm_rate"] < 0.02, (name, figures)


def test_guard_fresh11_read_blind_keeps_its_fixed_figures():
    """guard_fresh11, written blind after fresh10's fixes and read once: 41/50 caught and 8/60
    polite replies flagged (13 %). After its kinds were fixed: 48/50 and 1/60 (a near-homophone
    没油 for 没用, the seed phrase said whole before a promise, and 不可能出现 said of a part)."""
    figures = evaluate_guard(DATA / "guard_fresh11.tsv")
    assert figures["recall"] >= 0.95 and figures["false_alarm_rate"] < 0.02, figures


def test_guard_fresh10_read_blind_keeps_its_fixed_figures():
    """guard_fresh10, written blind after fresh9's fixes and read once: 49/50 caught and 6/50
    polite replies flagged (12 %). After its kinds were fixed: 50/50 and 0."""
    figures = evaluate_guard(DATA / "guard_fresh10.tsv")
    assert figures["recall"] >= 0.98 and figures["false_alarm_rate"] < 0.02, figures


def test_guard_fresh9_read_blind_keeps_its_fixed_figures():
    """guard_fresh9, written blind after fresh8 and read once at first: 56/60 caught and 12/60
    polite replies flagged (20 %). After its kinds were fixed: 59/60 and 0 (the one left is a
    refusal followed by an alternative, 重喷的话不行，只能给您抛光处理)."""
    figures = evaluate_guard(DATA / "guard_fresh9.tsv")
    assert figures["recall"] >= 0.98 and figures["false_alarm_rate"] < 0.02, figures


# Every round's sentences, caught or passing by kind.
ROUNDS = {
    "general": (MISSES, ALARMS),
    "fresh5": (FRESH5_MISSES, FRESH5_ALARMS),
    "fresh6": (FRESH6_MISSES, FRESH6_ALARMS),
    "fresh7": (FRESH7_MISSES, FRESH7_ALARMS),
    "fresh9": (FRESH9_MISSES, FRESH9_ALARMS),
    "fresh10": (FRESH10_MISSES, FRESH10_ALARMS),
    "fresh11": (FRESH11_MISSES, FRESH11_ALARMS),
    "fresh13": (FRESH13_MISSES, FRESH13_ALARMS),
    "fresh15": (FRESH15_MISSES, FRESH15_ALARMS),
    "fresh17": (FRESH17_MISSES, []),
    "fresh18": (FRESH18_MISSES, FRESH18_ALARMS),
}
CAUGHT = [(name, kind, text) for name, (misses, _) in ROUNDS.items() for kind, text in misses]
PASSING = [(name, kind, text) for name, (_, alarms) in ROUNDS.items() for kind, text in alarms]


@pytest.mark.parametrize(("round_", "kind", "text"), CAUGHT, ids=[f"{r}:{k}:{t}" for r, k, t in CAUGHT])
def test_a_variant_of_each_kind_is_caught(round_, kind, text):
    assert_caught(MATCHER, text, kind)


@pytest.mark.parametrize(("round_", "kind", "text"), PASSING, ids=[f"{r}:{k}:{t}" for r, k, t in PASSING])
def test_a_polite_reply_of_each_kind_passes(round_, kind, text):
    assert_passes(MATCHER, text, kind)


@pytest.mark.parametrize(
    ("name", "recall_floor"),
    [
        # Written before the fixes they measure (docs/benchmarks.md has the first readings).
        ("guard_fresh2.tsv", 0.97),
        ("guard_fresh3.tsv", 0.97),
        ("guard_fresh4.tsv", 0.97),
        # Read blind: 34/60 caught and 1/60 false alarm before its kinds were fixed, 45/60 and 0
        # after; the rest are rude phrases the seed list does not hold.
        ("guard_fresh5.tsv", 0.74),
        # Read blind: 58/60 caught and 7/60 false alarms before its kinds were fixed, 60/60 and 0.
        ("guard_fresh6.tsv", 0.98),
        # Read blind: 43/50 caught and 8/50 false alarms (16 %) before, 50/50 and 0 after.
        ("guard_fresh7.tsv", 0.98),
    ],
)
def test_the_fresh_sets_keep_their_figures(name, recall_floor):
    figures = evaluate_guard(DATA / name)
    assert figures["recall"] >= recall_floor
    assert figures["false_alarm_rate"] < 0.02


def test_guard_fresh21_read_blind_and_never_tuned_on_keeps_its_first_reading():
    """guard_fresh21, written blind in the seventh round and read once with its final code: 36/40
    caught (35 by wordings, 1 by the learned reading) and 3/60 acceptable replies flagged (all by
    wordings). Never tuned nor trained on: the honest figure of the round."""
    figures = evaluate_guard(DATA / "guard_fresh21.tsv")
    assert figures["recall"] >= 0.87 and figures["false_alarm_rate"] <= 0.067, figures


@pytest.mark.parametrize(
    "name",
    [
        "guard_fresh20.tsv",
        "guard_fresh22.tsv",
        "guard_fresh23.tsv",
        "guard_fresh24.tsv",
        "guard_fresh26.tsv",
        "guard_fresh28.tsv",
        "guard_fresh29.tsv",
        "guard_fresh30.tsv",
        "guard_fresh31.tsv",
        "guard_fresh32.tsv",
    ],
)
def test_the_seventh_rounds_tuned_sets_keep_their_readings(name):
    """Written blind in the seventh round and read once: fresh20 and 22 by the wordings alone
    (38/40 and 37/40, none flagged), fresh23, 24 and 26 with the learned reading (32/40 and 36/40,
    none flagged; 37/40, 1/60), fresh28 (formal replies) 26/40, none flagged, fresh29 (short replies)
    39/40, 2/60, fresh30 (dialects) 33/40, 2/60, fresh31 (sales) 39/40, 0/60, fresh32 (long replies restating
    the customer) 34/40, 1/60; their kinds then
    led to changes and the learned reading was fitted on them."""
    figures = evaluate_guard(DATA / name)
    floor = 0.85 if name == "guard_fresh32.tsv" else 0.92  # long replies restating the customer
    assert figures["recall"] >= floor and figures["false_alarm_rate"] <= 0.02, figures


# The seventh round (guard_fresh20 to 24, and everyday staff talk), in new words: south-western
# and Cantonese 不行; 我也没有办法呀 said whole before a promise; the customer's request restated
# (你要我给你免费换) is no promise; scroll up in chat; no reason at all; 都 for 也; a typed slip.
SEVENTH_ROUND_RUDE = [
    "这个价格不得行哦",
    "唔得喎，冇得改",
    "我也没有办法呀，等件到了我通知您",
    "这个我做不到，你要我给你免费换新的，那是厂家定的",
    "不是发过了吗，自己往上翻翻",
    "你这个人一点道理都不讲",
    "保险不赔我都冇办法",
    "这不肯能的，系统里没有记录",
    # the phrase justified in its own sentence, help only sentences later (guard_fresh23, 26)
    "我也没有办法呀，总不能把展车拆了给您装吧。代步车的事我再去申请",
    "这个真不行，合同签了就是签了，改不了的。发票我下午给您寄过去",
    # formal disguise (guard_fresh28), in new words
    "用户手册上写得很清楚，实在不明白您为何至今还不会连蓝牙",
    "建议您先去了解一下最基本的用车常识，再来和我们沟通",
    "对于电池检测周期，本店亦无能为力，请您谅解",
    "置换补贴不能叠加，这个不成，没得商量",
    "若您仍不认可，您尽可向任何部门投诉",
    "您再着急也无济于事，请耐心等待通知",
    "请您不要再催了，我们这边比您还着急",
    "定损争议请自行向保险公司咨询，本店不予答复",
    "那烦请您指教一下，我们到底应该怎么做才能让您满意",
    "不满意的话随便您投诉，电话就在单子上",
    # dialects (guard_fresh30), in new words
    "恁让俺把话说完行不行",
    "迭个我做勿到,侬自家想办法",
    "我上趟已经搭你讲过两遍了",
    "个导航点用都唔识㗎",
    "保险几时赔我哪里晓得",
    "经理在讲电话，你等一下再打来",
    "一键启动都不会用吗？踩住刹车按一下就行",
    "您在那儿着急上火也白搭，拖车最少一个半小时",
]
# … and what they flagged falsely in casual talk: 不行 of a part, 急刹 as driving, 不知道 followed
# by when it will be known.
SEVENTH_ROUND_FINE = [
    "您这个水泵不行了，漏水，得换",
    "电瓶不行了，冷车打不着",
    "新胎前一百公里别急刹",
    "具体哪天到货我还不知道，要等厂家排产出来才能确定",
    "急加速的时候有顿挫是正常的吗？我帮您查一下",
    # a phrase that ends its sentence, softened by the next
    "我也不知道。这样吧，我帮您联系一下厂家",
    "这个我现在还不知道呢。您稍等，我问一下车间",
    # "otherwise" before an offer; an apology for a delay (guard_fresh29)
    "不行您先回去休息，车修好了我让师傅给您送过去",
    "没办法准时交车真的很抱歉，这次的工时费我们免了",
    "这不可能是恁操作的问题，是俺们没装好，免费给恁重新弄",
    "合格证还没到，没办法去上正式牌照，我们明天陪您去车管所",
]


@pytest.mark.parametrize("text", SEVENTH_ROUND_RUDE)
def test_the_seventh_rounds_rude_kinds_are_caught_by_a_wording(text):
    hits = seed_matcher().check(text).hits
    assert [hit for hit in hits if hit.reading == "wording"], hits


@pytest.mark.parametrize("text", SEVENTH_ROUND_FINE)
def test_the_seventh_rounds_casual_talk_passes(text):
    assert seed_matcher().check(text).ok


@pytest.mark.parametrize("name", ["guard_fresh25.tsv", "guard_fresh27.tsv"])
def test_guard_fresh25_and_fresh27_read_blind_and_never_tuned_on_keep_their_first_readings(name):
    """guard_fresh25 and guard_fresh27, written blind in the seventh round, committed unread and
    read once with its final code (1b223ff): 40/40 caught with 1/60 and 0/60 acceptable replies
    flagged. Never tuned nor trained on: the honest figures of the round."""
    figures = evaluate_guard(DATA / name)
    assert figures["recall"] >= 0.95 and figures["false_alarm_rate"] <= 0.034, figures
