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

from pypinyin import Style, pinyin

# Particles that may stand inside or after a phrase without changing it (啊 了 的 呀 吧 嘛 呢 哦 …).
PARTICLES = "啊了的呀吧嘛呢哦啦嘞呗哈哇喔噢咯喽哟儿"  # 儿: erhua (哪儿, 会儿)
YOU = "你您妳伱"
# Characters that count as the same character (not just the same sound) when a match is verified.
# 木有/冇 are how chat spells 没有.
SAME = {
    "您": "你",
    "妳": "你",
    "伱": "你",
    "跟": "和",
    "与": "和",
    "她": "他",
    "它": "他",
    "作": "做",
    "木": "没",
    "冇": "没",
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


def same_char(text_char: str, pattern_char: str) -> bool:
    """Whether the text has the pattern's character (after 你/您 and near-synonym folding)."""
    return SAME.get(text_char, text_char) == SAME.get(pattern_char, pattern_char)


__all__ = ["PARTICLES", "SAME", "YOU", "fold", "key", "readings", "same_char"]
