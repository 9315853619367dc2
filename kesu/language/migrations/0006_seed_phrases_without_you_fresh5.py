"""Issue 15, the sixth fresh set (guard_fresh5): the seeded phrases' new paraphrases and polite contexts.

Seed phrases said without their 你 (急什么, 着什么急, 自己看着办, ^什么态度$), 没办法 said bare as a
refusal (with the customer's or a colleague's reported words as polite context), 听不懂吗,
不是我(们)的事, 说了N遍了 with any count, 规矩/规定就这样 and 就这规定, and a recommendation to
replace after 不行 describing a worn part.

Each changed field of a seeded phrase is set to its new value only where it still holds the value
seeded before (an organisation's own edit is left alone); each touched list gets a new stamp, so
every process recompiles its matcher. The values are frozen here, not read from seed.py, so this
migration does the same thing whenever it runs.
"""

import uuid

from django.db import migrations

# seed key -> field -> (value seeded before, new value)
CHANGES = {'just_wait': {'variants': ('程序…就是…这样|流程…就是…这样|规定…就是…这样|制度…就是…这样|只有等着|只能等着|你就等着吧|等着吧|慢慢等着吧|耐心等着吧|除了等…没别的|等就是了|等着就是了|只能干等|除了等…没',
                            '程序…就是…这样|流程…就是…这样|规定…就是…这样|制度…就是…这样|只有等着|只能等着|你就等着吧|等着吧|慢慢等着吧|耐心等着吧|除了等…没别的|等就是了|等着就是了|只能干等|除了等…没|规矩…就…这样|规定…就…这样|就这规定|就这个规定|就这规矩|就这么规定|规矩就是规矩|规定就是规定')},
 'no_choice': {'polite_before': ('',
                                 '您…觉得|您…认为|您嫌|您…说|您担心|您怕|您是说|您的意思|您…反映|您觉着|您…感觉|客户…觉得|如果|要是|万一|假如|是否|会不会|担心|以免|免得|您…讲|说$|讲$'),
               'variants': ('我们…也…没…办法|我…也…没有…办法|我…也…没辙|我们…也…没辙|没办法的事|我…有什么办法|我们…能怎么办|我…也…没招|我…也…无能为力|我们…也…无能为力|爱莫能助|我…也…没法子',
                            '我们…也…没…办法|我…也…没有…办法|我…也…没辙|我们…也…没辙|没办法的事|我…有什么办法|我们…能怎么办|我…也…没招|我…也…无能为力|我们…也…无能为力|爱莫能助|我…也…没法子|^没办法|没办法$')},
 'no_use_hurrying': {'exceptions': ('', '急什么时候'),
                     'variants': ('你…急也没有用|急也没有用|着急也没有用|急…有什么用|着急…有什么用|你急…什么|你…着什么急|急…也…没用|着急…也…没用|急…也…没有用',
                                  '你…急也没有用|急也没有用|着急也没有用|急…有什么用|着急…有什么用|你急…什么|你…着什么急|急…也…没用|着急…也…没用|急…也…没有用|^急什么|急什么$|着什么急')},
 'no_way': {'polite_after': ('的话|我…帮你|我…为你|我…替你|我们…帮你|我们…为你|给你…查|给你…回|给你…答复|给你…打|给你…申请|给你…安排|帮你…查|帮你…问|帮你…确认|帮你…核实|帮你…了解|帮你…联系|帮你…申请|帮你…争取|帮你…协调|帮你…转|给你…查|我…查|我…问问|我…问一下|我…确认|我…核实|我…了解一下|我…咨询|我…联系|我…落实|我…跟进|我…请示|我…申请|给你答复|给你回复|答复你|回复你|通知你|再告诉你|马上告诉你|我…转给|转接|我们会…配合|我一定|我们一定|我会尽快|我们会尽快|我…争取|我…安排|我们…安排|马上…安排|马上…检查|确认一下|核实一下|查一下|问一下|了解一下|确认|核实|核查|查清|问清|查到|陪着你|陪你|全程|给你…解释|请…过来|叫…过来|发给你|给你…提供|给你…换|给你…说法|给你…交代|给你…处理|给你…回拨|给你…检测|为你…处理|我…处理|马上处理|尽快处理|再催|再告诉你|就告诉你|稍等|帮你|给你…打电话|给你…回电|给你…发|反馈给|给你…结果|更换|换掉|换新|换一',
                             '的话|我…帮你|我…为你|我…替你|我们…帮你|我们…为你|给你…查|给你…回|给你…答复|给你…打|给你…申请|给你…安排|帮你…查|帮你…问|帮你…确认|帮你…核实|帮你…了解|帮你…联系|帮你…申请|帮你…争取|帮你…协调|帮你…转|给你…查|我…查|我…问问|我…问一下|我…确认|我…核实|我…了解一下|我…咨询|我…联系|我…落实|我…跟进|我…请示|我…申请|给你答复|给你回复|答复你|回复你|通知你|再告诉你|马上告诉你|我…转给|转接|我们会…配合|我一定|我们一定|我会尽快|我们会尽快|我…争取|我…安排|我们…安排|马上…安排|马上…检查|确认一下|核实一下|查一下|问一下|了解一下|确认|核实|核查|查清|问清|查到|陪着你|陪你|全程|给你…解释|请…过来|叫…过来|发给你|给你…提供|给你…换|给你…说法|给你…交代|给你…处理|给你…回拨|给你…检测|为你…处理|我…处理|马上处理|尽快处理|再催|再告诉你|就告诉你|稍等|帮你|给你…打电话|给你…回电|给你…发|反馈给|给你…结果|更换|换掉|换新|换一|建议…换|需要…换|得换|该换')},
 'not_my_business': {'exceptions': ('', '的事先|的事故'),
                     'variants': ('跟我…没…关系|和我们…没…关系|跟我们…没…关系|不关…我…事|关我什么事|关我们什么事|不是我的责任|不是我们的责任|跟我们…无关|与我们无关|不归我们负责|不是我…负责|我…管不着|我们…管不着|关我屁事|跟我…有什么关系|跟我们…有什么关系|和我…有什么关系|和我们…有什么关系',
                                  '跟我…没…关系|和我们…没…关系|跟我们…没…关系|不关…我…事|关我什么事|关我们什么事|不是我的责任|不是我们的责任|跟我们…无关|与我们无关|不归我们负责|不是我…负责|我…管不着|我们…管不着|关我屁事|跟我…有什么关系|跟我们…有什么关系|和我…有什么关系|和我们…有什么关系|不是我的事|不是我们的事')},
 'still_dont_get_it': {'exceptions': ('', '有…听不懂|哪…听不懂|什么…听不懂|地方…听不懂'),
                       'variants': ('说了…半天…还…不|怎么…还是…不明白|怎么…还是…不懂|怎么还是听不懂|怎么就…听不懂|怎么…听不明白|你是不是…听不懂|你…听不懂人话|说了…多少遍|跟你…说了…多少|讲了…多少遍|这都…听不懂|还不明白吗|还不懂吗|遍了…你还不明白|遍了…你还不懂|遍了…你还听不懂|遍…你…还是不明白|听不懂中文',
                                    '说了…半天…还…不|怎么…还是…不明白|怎么…还是…不懂|怎么还是听不懂|怎么就…听不懂|怎么…听不明白|你是不是…听不懂|你…听不懂人话|说了…多少遍|跟你…说了…多少|讲了…多少遍|这都…听不懂|还不明白吗|还不懂吗|遍了…你还不明白|遍了…你还不懂|遍了…你还听不懂|遍…你…还是不明白|听不懂中文|听不懂吗')},
 'suit_yourself': {'variants': ('你…自己…看着办|你自个…看着办|随你便|随你怎么|爱咋咋地|爱找谁…找谁',
                                '你…自己…看着办|你自个…看着办|随你便|随你怎么|爱咋咋地|爱找谁…找谁|自己看着办|自个…看着办')},
 'told_you_already': {'exceptions': ('', '说的|讲的|说明|听说|据说'),
                      'variants': ('不是…讲过了吗|不是…告诉过你|讲过好几遍|已经…跟你…说过了|已经…和你…说过了|已经…跟你…说过$|已经…和你…说过$|已经说过了$|早…说过了|早就…告诉…你|说过…几遍了|说过…好几次|跟你…说过…了$|和你…说过…了$|跟你…讲过…了$|不是…告诉你了吗|不是…跟你说了吗|不是…和你说了吗|之前…就说过了$|早就说过了$|就说过了$|不是…说了吗|已经…跟你…解释过了|已经…和你…解释过了|都说了…遍|都讲了…遍',
                                   '不是…讲过了吗|不是…告诉过你|讲过好几遍|已经…跟你…说过了|已经…和你…说过了|已经…跟你…说过$|已经…和你…说过$|已经说过了$|早…说过了|早就…告诉…你|说过…几遍了|说过…好几次|跟你…说过…了$|和你…说过…了$|跟你…讲过…了$|不是…告诉你了吗|不是…跟你说了吗|不是…和你说了吗|之前…就说过了$|早就说过了$|就说过了$|不是…说了吗|已经…跟你…解释过了|已经…和你…解释过了|都说了…遍|都讲了…遍|说了…遍了')},
 'what_attitude': {'variants': ('你…这…什么态度|你这…态度|你…啥态度|什么…态度…啊', '你…这…什么态度|你这…态度|你…啥态度|什么…态度…啊|^什么态度$')},
 'what_do_you_want': {'variants': ('你到底…想…怎样|你到底…要…怎么样|你到底…想…咋样|你…想咋样$|你…要咋样$|你…究竟…想…怎样|你…到底想干嘛|你想干什么$',
                                   '你到底…想…怎样|你到底…要…怎么样|你到底…想…咋样|你…想咋样$|你…要咋样$|你…究竟…想…怎样|你…到底想干嘛|你想干什么$|^到底…想…怎么样$')}}


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    _apply(apps, new=True)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    _apply(apps, new=False)


def _apply(apps, *, new):  # type: ignore[no-untyped-def]
    ForbiddenPhrase = apps.get_model("language", "ForbiddenPhrase")
    LanguageProfile = apps.get_model("language", "LanguageProfile")
    touched = set()
    for seed_key, fields in CHANGES.items():
        for field, (before, after) in fields.items():
            old, value = (before, after) if new else (after, before)
            rows = ForbiddenPhrase.objects.filter(seed_key=seed_key, **{field: old})
            touched.update(rows.values_list("organization_id", flat=True))
            rows.update(**{field: value})
    for organization_id in touched:
        LanguageProfile.objects.filter(organization_id=organization_id).update(stamp=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [("language", "0005_seed_paraphrases_fresh_sets")]

    operations = [migrations.RunPython(forward, backward)]
