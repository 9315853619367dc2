"""Sound keys for the guard: one character per syllable, so a regex can match by sound.

An agent typing on a phone's pinyin keyboard picks a homophone (不知到, 我也没半法), a character
of the same syllable with another tone, or one of the pairs regional accents blur on the keyboard's
fuzzy setting. The guard therefore matches on a *key* string as long as the normal form
(:mod:`kesu.core.normalize`), offsets staying 1:1:

* every Chinese character becomes one private-use character standing for its folded syllable
  (toneless; zh→z, ch→c, sh→s, l→n; ang→an, eng→en, ing→in);
* 你/您/妳/伱 share one key, and so do the near-synonyms 跟/和/与 and 他/她/它;
* particles (:data:`PARTICLES`), punctuation markers, letters and digits stay themselves.

A text character gets its most common reading; a pattern character every reading it has (up to
:data:`MAX_READINGS`), so 还 in a pattern matches both hai and huan. How many characters of a
sound match may differ from the pattern is the matcher's decision (few, and never in short phrases).
"""

import threading
from functools import cache
from importlib import resources

from pypinyin import Style, pinyin

# Particles that may stand inside or after a phrase without changing it (啊 了 的 呀 吧 嘛 呢 哦 …).
PARTICLES = "啊了的呀吧嘛呢哦啦嘞呗哈哇喔噢咯喽哟儿"  # 儿: erhua (哪儿, 会儿)
YOU = "你您妳伱侬恁"  # 侬: Shanghainese 你 (侬讲点道理好伐); 恁: Henan 你/您
# Characters that count as the same character (not just the same sound) when a match is verified.
# 木有/冇 are how chat spells 没有; 甚么 is the older spelling of 什么 (急甚么, 甚么态度); 侬 and
# 伊 are Wu for 你 and 他 (伊在听电话，侬等歇再打).
SAME = {
    "您": "你",
    "妳": "你",
    "伱": "你",
    "侬": "你",
    "伊": "他",
    "跟": "和",
    "与": "和",
    "她": "他",
    "它": "他",
    "作": "做",
    "木": "没",
    "冇": "没",
    "甚": "什",
    # Henan 恁/俺 (恁让俺把话说完), Wu 勿/搭 (我做勿到, 搭侬讲过), Cantonese 係 (我係…)
    "恁": "你",
    "俺": "我",
    "勿": "不",
    "搭": "和",
    "係": "是",
}
# Adverbs an agent slips into a phrase without changing it (别老是催, 你先听我说完, 有没有点道理):
# the matcher lets a few of them stand between the characters of a longer phrase.
FILLERS = "是真都就也还又再先老总可点要"
# Words that stand for one another in any phrase (a pattern written with one matches the others):
# chat and northern forms (咋, 啥, 晓得), verbs of doing and their "cannot" endings, 想/要.
# Each group is expanded when a phrase is compiled, longest member first.
WORD_GROUPS: tuple[tuple[str, ...], ...] = (
    ("怎么样", "怎样", "咋样"),
    ("干什么", "干嘛", "干啥"),
    ("怎么办", "咋整", "咋搞"),
    ("怎么", "咋"),
    ("什么", "啥"),
    ("知道", "晓得"),
    ("告诉过", "说过"),
    ("做不到", "做不了", "做不来", "办不到", "办不了", "搞不了", "搞不定", "干不了", "弄不了"),
    ("没有用", "没用"),
    # south-western and Wu forms (莫得办法, 等歇再打, 好伐)
    ("没办法", "莫得办法", "没得办法", "莫办法"),
    ("不行", "不得行", "唔得"),  # south-western and Cantonese 不行
    ("等会", "等歇", "等一歇"),
    ("好不好", "好伐"),
    ("到底", "究竟"),
    ("应该", "该"),
    ("多少", "好多", "好几"),
)
# Single characters that stand for one another in a phrase (说/讲, 遍/回/次, 想/要): a pattern's
# character also matches its fellows by sound and counts as the same character when verified.
# (跟/和, 作/做 … are in SAME instead, which folds the text itself.)
FELLOWS: dict[str, str] = {
    "说": "讲",
    "讲": "说",
    "遍": "回次",
    "回": "遍次",
    "次": "遍回",
    "想": "要",
    "要": "想",
    "老": "总",
    "总": "老",
}
MAX_READINGS = 2
_KEY_BASE = 0xE000  # private-use area: never typed by anyone
_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def fold(syllable: str) -> str:
    """The syllable as the fuzzy pinyin keyboard treats it (tone already dropped)."""
    for long, short in _INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in _FINALS:
        if syllable.endswith(long):
            syllable = syllable[: -len(long)] + short
            break
    return syllable


_CODES: dict[str, str] = {}
_CODES_LOCK = threading.Lock()


def _code(syllable: str) -> str:
    """The key character of a folded syllable; the lock keeps one code per syllable when two
    threads meet a new syllable at once."""
    folded = fold(syllable)
    with _CODES_LOCK:
        code = _CODES.get(folded)
        if code is None:
            code = chr(_KEY_BASE + len(_CODES))
            _CODES[folded] = code
    return code


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@cache
def readings(char: str) -> tuple[str, ...]:
    """The key characters ``char`` may sound like, most common first; ``(char,)`` for non-Han."""
    canonical = SAME.get(char, char)
    if canonical in PARTICLES or not _is_han(canonical):
        return (canonical,)
    found = pinyin(canonical, style=Style.NORMAL, heteronym=True)[0]
    codes = [_code(s) for s in found[:MAX_READINGS] if s.isalpha() and s.isascii()]
    return tuple(dict.fromkeys(codes)) or (canonical,)


class _KeyTable(dict[int, str]):
    """``str.translate`` table from a normalised character to its key (learned on first use)."""

    def __missing__(self, code: int) -> str:
        value = readings(chr(code))[0]
        if len(self) < 100_000:
            self[code] = value
        return value


_TABLE = _KeyTable()


def key(normal: str) -> str:
    """The sound key of a normalised text; ``len(key(t)) == len(t)``."""
    return normal.translate(_TABLE)


@cache
def _dictionary_words() -> frozenset[str]:
    """The two-character words of jieba's dictionary (the language's own words, e.g. 不幸, 步行)."""
    text = (resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
    return frozenset(line[:2] for line in text.splitlines() if line[2:3] == " ")


def is_word(pair: str) -> bool:
    """Whether two characters are a word of their own: a homophone forming a word is no typo."""
    return pair in _dictionary_words()


def expand_words(wording: str, limit: int = 16) -> list[str]:
    """``wording`` and the wordings :data:`WORD_GROUPS` make of it (up to ``limit``)."""
    found = [wording]
    for group in WORD_GROUPS:
        for current in list(found):
            member = next((m for m in group if m in current), None)
            if member is None:
                continue
            for other in group:
                if other != member and len(found) < limit:
                    found.append(current.replace(member, other))
    return list(dict.fromkeys(found))


@cache
def pattern_readings(char: str) -> tuple[str, ...]:
    """What a pattern's character may sound like in a text: its readings and its fellows'."""
    codes = list(readings(char))
    for fellow in FELLOWS.get(char, ""):
        codes.append(readings(fellow)[0])
    return tuple(dict.fromkeys(codes))


def same_char(text_char: str, pattern_char: str) -> bool:
    """Whether the text has the pattern's character (after 你/您 and near-synonym folding)."""
    text = SAME.get(text_char, text_char)
    pattern = SAME.get(pattern_char, pattern_char)
    return text == pattern or text in FELLOWS.get(pattern, "")


__all__ = [
    "FELLOWS",
    "FILLERS",
    "PARTICLES",
    "SAME",
    "WORD_GROUPS",
    "YOU",
    "expand_words",
    "fold",
    "is_word",
    "key",
    "pattern_readings",
    "readings",
    "same_char",
]
