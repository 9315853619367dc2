"""The forbidden-phrase matcher: a small pattern language compiled to regular expressions.

Pure Python, no database: :mod:`kesu.language.services` loads an organisation's list, compiles it
once into a :class:`Matcher` and caches it until the list changes.

The pattern language (what a manager may type in the "matching" and "exceptions" fields):

* Spaces, punctuation, full-/half-width forms and traditional characters never matter: the text
  and the pattern are both put in the normal form of :mod:`kesu.language.normalize`.
* ``你`` also matches ``您`` and ``妳``; ``您`` matches only ``您`` (useful in exceptions:
  ``不知道您`` is polite, ``不知道你在说什么`` is not).
* ``…`` (or ``...``, ``*``, ``×``) — up to :data:`GAP` other characters may stand here
  (``这…我…做不到`` catches ``这个我真的做不到``).
* ``|`` separates alternative wordings.
* ``^`` at the start of a wording: only at the start of the text or of a clause (``^喂``);
  ``$`` at the end: only at the end of the text or of a clause.

How a phrase is found (issue 15): every wording of the pattern and of the entry's
``variants`` is matched on the text's *sound key* (:mod:`kesu.language.phonetic`), so a
homophone typed on a pinyin keyboard (不知到, 我也没半法) still matches; a match then counts only
when few enough of its characters differ from the pattern's (:func:`tolerance_for`: none in a
two-character wording). Particles (啊 了 的 呀 …), punctuation, emoji and spaces may stand
between the characters of a phrase; a particle a wording ends with is required (by kind).
``polite_before`` / ``polite_after`` wordings found within :data:`CONTEXT_WINDOW` characters
(before: in the same sentence) make a hit polite, unless negated (我没法帮您查) or put on the
customer (你自己去查).

Exceptions are wordings that contain the phrase but are polite (``不行驶``, ``行不行``,
``实在不行``): a hit that shares two or more characters with an exception found in the text does
not count. Exceptions are
matched strictly — no punctuation may stand between their characters.
"""

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from kesu.core.normalize import HARD, MARKERS, SOFT, normalize, normalize_char
from kesu.language import learned as learned_reading
from kesu.language.phonetic import (
    FILLERS,
    PARTICLES,
    YOU,
    expand_words,
    is_word,
    key,
    pattern_readings,
    readings,
    same_char,
)

GAP = 5  # characters an ellipsis in a pattern stands for
MAX_JOIN = 3  # spaces/punctuation tolerated between two characters of a phrase
MAX_CHECK_CHARS = 20_000  # texts are checked up to this length (the complaint text limit)
MAX_HITS = 200
CONTEXT_WINDOW = 16  # characters before a hit searched for the entry's polite wordings
# … and after it: a promise often comes a clause later (我还不知道结果，一有消息我第一时间通知您).
CONTEXT_AFTER = 40
MAX_FILLERS = 2  # adverbs (FILLERS) that may stand inside one match of a longer phrase
_GAP_TOKENS = ("……", "…", "...", "*", "＊", "×")
_YOU = f"[{YOU}]"
_YOU_CHARS = frozenset(YOU)
_CLAUSE_START = f"(?:^|(?<=[{re.escape(MARKERS)}]))"
_CLAUSE_END = f"(?=[{re.escape(MARKERS)}]|$)"


class PatternError(ValueError):
    """A pattern that cannot be used: ``code`` is "empty" or "single_character"."""

    def __init__(self, code: str, wording: str = ""):
        super().__init__(f"{code}: {wording}" if wording else code)
        self.code = code
        self.wording = wording


@dataclass(frozen=True)
class _Wording:
    regex: str
    literal_count: int
    first_chars: frozenset[str]
    needs: frozenset[str]  # characters every match contains (so the text must contain them)
    needs_you: bool  # … and one of 你您妳伱


# What a text must contain for a pattern to have a chance: one wording whose ``needs`` are all in
# it (and, when ``needs_you``, one of 你您妳伱). A cheap set test that spares most regex scans.
_Requirements = tuple[tuple[frozenset[str], bool], ...]


def _may_match(requirements: _Requirements, present: set[str]) -> bool:
    return any(
        needs <= present and not (needs_you and present.isdisjoint(_YOU_CHARS))
        for needs, needs_you in requirements
    )


def _split_alternatives(source: str) -> list[str]:
    return [part.strip() for part in re.split(r"[|｜]", source) if part.strip()]


def _compile_wording(wording: str, *, strict: bool) -> _Wording:
    anchored_start = wording.startswith("^")
    anchored_end = wording.endswith("$")
    body = wording[1 if anchored_start else 0 : len(wording) - (1 if anchored_end else 0)]
    for token in _GAP_TOKENS:
        body = body.replace(token, "\x00")
    elements: list[str] = []  # one character each, "\x00" for a gap
    for char in body:
        if char == "\x00":
            if elements and elements[-1] != "\x00":
                elements.append("\x00")
            continue
        normal = normalize_char(char)
        if normal in MARKERS:
            continue  # punctuation inside a pattern is decoration
        elements.append(char if char == "您" else normal)
    while elements and elements[-1] == "\x00":
        elements.pop()
    literals = [e for e in elements if e != "\x00"]
    if not literals:
        raise PatternError("empty", wording)
    # Between two characters of a phrase any punctuation may stand ("听不清！大声点"); next to a
    # gap only soft punctuation, so a gap never reaches over the end of a sentence.
    join = "" if strict else f"[{re.escape(MARKERS)}]{{0,{MAX_JOIN}}}"
    soft_join = "" if strict else f"[{re.escape(SOFT)}]{{0,{MAX_JOIN}}}"
    gap = f"[^{re.escape(MARKERS)}]{{0,{GAP}}}?" if strict else f"[^{re.escape(HARD)}]{{0,{GAP}}}?"
    regex = ""
    previous = ""
    for element in elements:
        if element == "\x00":
            part = gap
        elif element in "你妳伱":
            part = _YOU
        else:
            part = re.escape(element)
        if previous:
            regex += soft_join if "\x00" in (previous, element) else join
        regex += part
        previous = element
    if anchored_start:
        regex = _CLAUSE_START + regex
    if anchored_end:
        regex += _CLAUSE_END
    first = literals[0]
    first_chars = _YOU_CHARS if first in "你妳伱" else frozenset({first})
    needs = frozenset(e for e in literals if e not in "你妳伱")
    needs_you = any(e in "你妳伱" for e in literals)
    return _Wording(regex, len(literals), first_chars, needs, needs_you)


def compile_pattern(source: str, *, strict: bool = False) -> tuple[re.Pattern[str], frozenset[str]]:
    """A regular expression over normalised text, and the characters a match can start with.

    Raises :class:`PatternError` for an empty pattern or a wording of a single character
    without ``^``/``$`` (it would fire everywhere).
    """
    regex, starts, _ = _compile_source(source, strict=strict)
    return regex, starts


def _compile_source(source: str, *, strict: bool) -> tuple[re.Pattern[str], frozenset[str], _Requirements]:
    """:func:`compile_pattern`, plus what a text must contain for the pattern to match."""
    wordings = _split_alternatives(source)
    if not wordings:
        raise PatternError("empty")
    compiled: list[_Wording] = []
    for wording in wordings:
        item = _compile_wording(wording, strict=strict)
        if item.literal_count < 2 and not (wording.startswith("^") or wording.endswith("$")):
            raise PatternError("single_character", wording)
        compiled.append(item)
    starts: set[str] = set()
    for item in compiled:
        starts |= item.first_chars
    # Longer wordings first, so the longest sensible span is highlighted.
    ordered = sorted(compiled, key=lambda w: -w.literal_count)
    requirements = tuple(dict.fromkeys((w.needs, w.needs_you) for w in compiled))
    return re.compile("|".join(f"(?:{w.regex})" for w in ordered)), frozenset(starts), requirements


@dataclass(frozen=True)
class PhraseEntry:
    """One forbidden phrase as the matcher needs it (from the database or the seed list).

    ``variants``: more wordings (the phrase's common paraphrases), in the pattern language.
    ``polite_before`` / ``polite_after``: wordings that, found within :data:`CONTEXT_WINDOW`
    characters before (in the same sentence) or after a hit, make it polite (不知道 followed by
    我帮您查一下; 不行 after 如果您觉得). Both are data kept and edited beside the phrase.
    """

    phrase: str
    alternative: str
    situation: str = ""
    pattern: str = ""
    exceptions: str = ""
    entry_id: int | None = None
    variants: str = ""
    polite_before: str = ""
    polite_after: str = ""


@dataclass(frozen=True)
class Hit:
    phrase: str
    start: int
    end: int
    suggestion: str
    situation: str
    matched: str
    entry_id: int | None = None
    reading: str = "wording"  # or "learned": found by :mod:`kesu.language.learned`


@dataclass(frozen=True)
class Advisory:
    kind: str
    start: int
    end: int
    matched: str
    suggestion: str


@dataclass
class GuardResult:
    hits: list[Hit] = field(default_factory=list)
    advisories: list[Advisory] = field(default_factory=list)
    checked_chars: int = 0
    truncated: bool = False
    override: Any = None  # the GuardOverride logged when an agent sent it anyway

    @property
    def ok(self) -> bool:
        return not self.hits

    @property
    def phrases(self) -> list[str]:
        return sorted({hit.phrase for hit in self.hits})


@dataclass(frozen=True)
class _SoundWording:
    """One wording compiled over the sound key (:mod:`kesu.language.phonetic`).

    Every literal is a group, so a match can be checked character by character: how many of its
    characters may differ from the pattern (a homophone typed by mistake) is ``tolerance``.
    """

    regex: re.Pattern[str]  # with a group per literal, run only where ``scan`` found a match
    scan: re.Pattern[str]  # the same without groups: Python's re scans faster without them
    literals: tuple[str, ...]
    needs: frozenset[str]  # key characters every match contains
    needs_any: tuple[frozenset[str], ...]  # … and one of each of these (a character of many readings)
    tolerance: int
    last_only: bool  # the one tolerated difference must be the last character (3-character wordings)
    fillers: bool  # adverbs (FILLERS) may stand between its characters (wordings of 3+ characters)
    gapped: frozenset[int]  # literal indexes that follow a gap (…), where anything may stand


@dataclass(frozen=True)
class _Compiled:
    entry: PhraseEntry
    wordings: tuple[_SoundWording, ...]
    exceptions: re.Pattern[str] | None
    exceptions_require: _Requirements
    polite_before: re.Pattern[str] | None
    polite_after: re.Pattern[str] | None
    verbatim: str = ""  # the phrase's sound key, when long enough to be said word for word


def tolerance_for(literal_count: int) -> tuple[int, bool]:
    """How many characters of a sound match may differ from the pattern, and whether only the last.

    Two-character wordings (不行, 喂…) match by character only: 不幸 and 步行 are words of their
    own. Three characters tolerate one homophone at the end (不知到); longer ones one in six.
    """
    if literal_count <= 2:
        return 0, False
    if literal_count == 3:
        return 1, True
    return (1 if literal_count <= 6 else 2), False


# A final particle is replaced only by one of its kind: 说过了 is not 说过的.
_PARTICLE_KINDS = ("了啦", "的", "儿", "".join(c for c in PARTICLES if c not in "了啦的儿"))
_PLURAL = f"{re.escape(readings('们')[0])}?"
_SOUND_JOIN = f"[{re.escape(MARKERS + PARTICLES)}]{{0,{MAX_JOIN + 3}}}"
_FILLER_KEYS = "".join(dict.fromkeys(readings(c)[0] for c in FILLERS))
_FILLER_JOIN = f"[{re.escape(MARKERS + PARTICLES + _FILLER_KEYS)}]{{0,{MAX_JOIN + 3}}}?"
_FILLER_CHARS = frozenset(FILLERS)
_JOIN_CHARS = frozenset(MARKERS + PARTICLES)
_SOUND_GAP = f"[^{re.escape(HARD)}]{{0,{GAP}}}?"
_SOUND_END = f"(?=[{re.escape(PARTICLES)}]*(?:[{re.escape(MARKERS)}]|$))"


@functools.lru_cache(maxsize=8192)
def _compile_sound(wording: str) -> _SoundWording:
    """A wording as a regex over the sound key: particles inside the pattern become optional.

    Kept per wording for the process's life (it depends on nothing else): every dealer starts
    from the same seed list, and compiling its ~400 sound regexes takes most of a second — once
    per process, not once per dealer and per edit of its list."""
    anchored_start = wording.startswith("^")
    anchored_end = wording.endswith("$")
    body = wording[1 if anchored_start else 0 : len(wording) - (1 if anchored_end else 0)]
    for token in _GAP_TOKENS:
        body = body.replace(token, "\x00")
    elements: list[str] = []
    for char in body:
        if char == "\x00":
            if elements and elements[-1] != "\x00":
                elements.append("\x00")
            continue
        normal = normalize_char(char)
        if normal in MARKERS or normal in PARTICLES:
            continue  # punctuation is decoration; particles may or may not be typed
        elements.append(normal)
    # A particle the wording ends with is required (我也急呀 is not 我也记); inside it is optional.
    ends_with_particle = bool(body.rstrip()) and normalize_char(body.rstrip()[-1]) in PARTICLES
    while elements and elements[-1] == "\x00" and not ends_with_particle:
        elements.pop()  # a gap before a final particle stays: 你去问…吧
    while elements and elements[0] == "\x00":
        elements.pop(0)
    literals = tuple(e for e in elements if e != "\x00")
    if not literals:
        raise PatternError("empty", wording)
    if len(literals) < 2 and not (anchored_start or anchored_end):
        raise PatternError("single_character", wording)
    parts: list[tuple[str, bool]] = []  # (regex, is a literal)
    fillers = len(literals) >= 3
    join = _FILLER_JOIN if fillers else _SOUND_JOIN
    if anchored_start:
        parts.append((_CLAUSE_START, False))
    previous = ""
    for element in elements:
        if element == "\x00":
            parts.append((_SOUND_GAP, False))
        else:
            if previous and previous != "\x00":
                parts.append((join, False))
            codes = pattern_readings(element)
            parts.append((re.escape(codes[0]) if len(codes) == 1 else f"[{''.join(sorted(codes))}]", True))
            if element == "你":
                parts.append((_PLURAL, False))  # 你们 for 你: 你们自己看着办
        previous = element
    if ends_with_particle:
        final = normalize_char(body.rstrip()[-1])
        kind = next(group for group in _PARTICLE_KINDS if final in group)
        parts.append((f"[{re.escape(MARKERS)}]{{0,{MAX_JOIN}}}[{re.escape(kind)}]", False))
    if anchored_end:
        parts.append((_SOUND_END, False))
    regex = "".join(f"({part})" if literal else part for part, literal in parts)
    scan = "".join(part for part, _ in parts)
    needs = frozenset(pattern_readings(e)[0] for e in literals if len(pattern_readings(e)) == 1)
    needs_any = tuple(
        dict.fromkeys(frozenset(pattern_readings(e)) for e in literals if len(pattern_readings(e)) > 1)
    )
    tolerance, last_only = tolerance_for(len(literals))
    gapped: set[int] = set()
    index = 0
    for position, element in enumerate(elements):
        if element != "\x00":
            if position and elements[position - 1] == "\x00":
                gapped.add(index)
            index += 1
    return _SoundWording(
        re.compile(regex),
        re.compile(scan),
        literals,
        needs,
        needs_any,
        tolerance,
        last_only,
        fillers,
        frozenset(gapped),
    )


def _sound_wordings(entry: PhraseEntry) -> tuple[_SoundWording, ...]:
    """Every wording of the pattern and the variants, with the wordings :data:`WORD_GROUPS` make
    of them (咋 for 怎么, 搞不了 for 做不到 …)."""
    sources = _split_alternatives(entry.pattern or entry.phrase) + _split_alternatives(entry.variants)
    expanded = [variant for source in sources for variant in expand_words(source)]
    # Wordings that differ only by fellows (说过/讲过) compile to one regex: keep one of each.
    unique = {item.regex.pattern: item for item in (_compile_sound(w) for w in dict.fromkeys(expanded))}
    compiled = list(unique.values())
    return tuple(sorted(compiled, key=lambda w: -len(w.literals)))


def _typo(normal: str, position: int, start: int = -1, end: int = -1) -> bool:
    """Whether the character at ``position`` reads as a slip of the keyboard: it makes no word
    with the character before or after it (不型 for 不行, but 不幸, 步行 and 不信 are words).

    Given the match's ``start:end``, only neighbours outside the match count: 这不管我的事 is a
    slip for 不关 although 不管 is a word, but the 理 of 处理 is no slip for 你.
    """
    before = normal[max(0, position - 1) : position + 1]
    after = normal[position : position + 2]
    if start >= 0:
        return not ((position - 1 < start and is_word(before)) or (position + 1 >= end and is_word(after)))
    return not (is_word(before) or is_word(after))


def _fillers_fit(wording: _SoundWording, match: re.Match[str], normal: str) -> bool:
    """Whether what stands between the characters of a match is punctuation, particles or at
    most :data:`MAX_FILLERS` adverbs, none of them right after a negation (不就知道 is not 不知道)."""
    count = 0
    for index in range(1, len(wording.literals)):
        if index in wording.gapped:
            continue
        low, high = match.end(index), match.start(index + 1)
        for position in range(low, high):
            char = normal[position]
            if char in _JOIN_CHARS or (char == "们" and normal[position - 1] in _YOU_CHARS):
                continue
            if char not in _FILLER_CHARS or normal[position - 1] in _NEGATIONS:
                return False
            count += 1
            if count > MAX_FILLERS:
                return False
    return True


_GOES_ON = frozenset("是有在")


def _slip_at_start(wording: _SoundWording, match: re.Match[str], normal: str, position: int) -> bool:
    """Whether a homophone typed for the first character of a long phrase is a slip although it
    makes a word with the character before the match (这部关我的事: 这部 is a word, 部关 none).

    Only in a phrase of four or more characters whose second follows the first without a gap,
    never for 你 (理 in 处理 is no 你), only when it makes no word with that second character, and
    not when the rest reads on after the word (这全部是我的责任: 是/有/在 go on from 全部).
    """
    return (
        len(wording.literals) >= 4
        and position == match.start(1)
        and 1 not in wording.gapped
        and wording.literals[0] not in _YOU_CHARS
        and normal[match.start(2)] not in _GOES_ON
        and not is_word(normal[position] + normal[match.start(2)])
    )


# A measure word of times (遍/回/次) after a gap counts only after a count (说了三遍了, 说了好几回了,
# 讲了无数次): 被回了一句 is the verb 回 (to answer), not "times".
_MEASURES = frozenset("遍回次")
_COUNTS = frozenset("一二两三四五六七八九十百千万几多数0123456789nx")  # n遍 (normalised N遍): "umpteen"


def _counted(wording: _SoundWording, match: re.Match[str], normal: str) -> bool:
    """Whether every measure word that follows a gap in the wording follows a count in the text."""
    for index in wording.gapped:
        if wording.literals[index] in _MEASURES:
            position = match.start(index + 1)
            if normal[position - 1 : position] not in _COUNTS:
                return False
    return True


def _close_enough(wording: _SoundWording, match: re.Match[str], normal: str) -> bool:
    """Whether few enough characters of a sound match differ from the pattern's.

    Within :func:`tolerance_for` any homophone counts; beyond it (a two-character phrase, or a
    three-character one off before its end) one more when it is a typo (:func:`_typo`).
    """
    if wording.fillers and not _fillers_fit(wording, match, normal):
        return False
    if not _counted(wording, match, normal):
        return False
    if len(wording.literals) == 1:  # ^喂: not the first character of a word (喂养, 喂食)
        at = match.start(1)
        pair = normal[at : at + 2]
        if len(pair) == 2 and pair[1] != pair[0] and is_word(pair):
            return False
    differ: list[int] = []
    for index, literal in enumerate(wording.literals):
        position = match.start(index + 1)
        if not same_char(normal[position], literal):
            differ.append(position)
            if len(differ) > max(1, wording.tolerance):
                return False
    if not differ:
        return True
    last = match.start(len(wording.literals))
    if len(differ) <= wording.tolerance and not (wording.last_only and differ[0] != last):
        start, end = match.start(1), match.end(len(wording.literals))
        return all(
            _typo(normal, position, start, end) or _slip_at_start(wording, match, normal, position)
            for position in differ
        )
    return len(differ) == 1 and len(wording.literals) >= 2 and _typo(normal, differ[0])


def _optional(source: str) -> re.Pattern[str] | None:
    if not source.strip():
        return None
    return _compile_source(source, strict=True)[0]


_NEGATIONS = frozenset("不没别无")
_NEGATING_PAIRS = frozenset({"不能", "没法", "无法", "不会", "不用", "不想", "不愿", "不再"})
# … and a few words before it: 我也没办法帮您, 这个我们不可能给您换.
_NEGATING_WORDS = ("没办法", "没法", "无法", "不能", "不可能", "不会", "帮不了")
# The customer's request restated (你要我把旧电瓶也给你免费换了): no promise of the agent's.
_REQUESTED = ("你要我", "您要我", "你让我", "您让我", "要我把", "让我把", "非要我", "还要我")
_FOR_YOU = frozenset("给为帮替向跟和")


def _clause_before(normal: str, start: int, width: int) -> str:
    """Up to ``width`` characters before ``start``, within its clause (会不会同意，我帮您 is no
    negated promise)."""
    before = normal[max(0, start - width) : start]
    cut = max(before.rfind(HARD), before.rfind(SOFT))
    return before[cut + 1 :]


def _negated(normal: str, match: re.Match[str]) -> bool:
    """Whether a polite wording is no promise: negated (我没法帮您查, 我也不了解) or put on the
    customer (你自己查一下)."""
    start = match.start()
    before = normal[max(0, start - 4) : start]
    return (
        normal[start - 1 : start] in _NEGATIONS
        # 你确认一下: the customer is to do it (给您同步 is the agent's act, for the customer)
        or (normal[start - 1 : start] in _YOU_CHARS and normal[start - 2 : start - 1] not in _FOR_YOU)
        or normal[max(0, start - 2) : start] in _NEGATING_PAIRS
        or not _NEGATIONS.isdisjoint(match.group().replace("不过", ""))  # 不过 is "but"
        or "自己" in before
        or any(word in _clause_before(normal, start, 6) for word in _NEGATING_WORDS)
        or any(word in _clause_before(normal, start, 12) for word in _REQUESTED)
        or "你去" in before
        or "您去" in before
    )


SENTENCE_TAIL = 4  # characters (particles, marks) a hit may stand from the end of its sentence


def _in_a_later_sentence(normal: str, end: int, at: int) -> bool:
    """Whether a polite wording at ``at`` stands in a later sentence than the hit ending at
    ``end`` while the hit's own sentence goes on after it: the agent went on to justify the phrase
    (我也没有办法呀，总不能从展车上拆下来吧。代步车的事我再申请一下), so a promise sentences later does not
    soften it. A phrase that ends its sentence may be softened by the next (不知道。这样吧，我帮您查)."""
    first_end = normal.find(HARD, end, at)
    return first_end >= 0 and first_end - end > SENTENCE_TAIL


def _polite_context(item: _Compiled, normal: str, start: int, end: int, *, after: bool = True) -> bool:
    """Whether a polite wording stands close before (same sentence) or, with ``after``, after the
    hit."""
    if after and item.polite_after is not None:
        for match in item.polite_after.finditer(normal, end, min(len(normal), end + CONTEXT_AFTER + 20)):
            if match.start() - end > CONTEXT_AFTER or _in_a_later_sentence(normal, end, match.start()):
                break
            if not _negated(normal, match):
                return True
    if item.polite_before is not None:
        low = max(0, start - CONTEXT_WINDOW - 20)
        for match in item.polite_before.finditer(normal, low, start):
            if start - match.end() <= CONTEXT_WINDOW and HARD not in normal[match.end() : start]:
                return True
    return False


# Quotes: an opening mark and the mark that closes it (straight quotes open and close alike: the
# parity of the ones before tells which). 《》 quotes a notice's or a document's own wording.
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》", '"': '"', "'": "'"}
_CLOSING = frozenset("”」』’》")
_QUOTE_REACH = 60  # characters back from a hit searched for the quote it stands in
_REPORTING = (
    "说",
    "听到",
    "听见",
    "提到",
    "提过",
    "那句",
    "问",
    "讲",
    "转述",
    "反馈",
    "反映",
    "投诉",
    "原话",
    "写",
)
# The agent reporting their own words (我说“不行”), not words said to them (前台跟我说“…”): the
# agent speaks the reporting word nearest the quote (我写的是：顾客称客服说“…” reports the 客服).
_SPEAKER_SELF = re.compile("(?<![跟和对给向听])我们?(?:刚才|刚刚|就|也|都|只|是)?$")


def _reported_by_another(before: str) -> bool:
    """Whether a reporting word stands before the quote and the nearest one is not the agent's
    own (我说, 我们写)."""
    nearest = max(before.rfind(word) for word in _REPORTING)
    return nearest >= 0 and _SPEAKER_SELF.search(before[:nearest]) is None


# Reported speech without quotes: a reporting verb that says it was said (讲过, 提到 …) …
_SAID = re.compile(
    "说过|讲过|说了|讲了|提到|提过|转述|反映|反馈|抱怨|埋怨|(?:(?<=您)|(?<=刚才)|(?<=之前))问(?:我们|我|过|了)?(?!题)"
)
# … by someone named before it (您, 您儿子, 同事), past these adverbs …
_SAID_ADVERBS = (
    "刚才",
    "刚刚",
    "前面",
    "上次",
    "上回",
    "早就",
    "之前",
    "以前",
    "曾经",
    "已经",
    "一直",
    "总是",
    "老是",
    "也",
    "都",
    "还",
    "曾",
    "又",
    "总",
)
# … who is not the agent, nor 你 (你说你… is rhetoric), nor a word that names no speaker.
_NOT_SPEAKER = frozenset("我你妳伱跟和对给向把就是不早没别才哎唉嗯么" + PARTICLES)  # 哎呀说了半天: no speaker
_SAID_REACH = 4  # characters at most between the reporting verb and the hit


def _quote_opening(original: str, start: int) -> int:
    """Where the quote a hit stands in opens, or -1: the hit is inside quoted words, or the quote
    opens right after the hit's 你/您 (讲过您「怎么……」)."""
    lead = start
    while lead < len(original) and lead - start < 2 and original[lead] in _YOU_CHARS:
        lead += 1
    if lead > start and original[lead : lead + 1] in _QUOTE_PAIRS:
        char = original[lead]
        if char not in "\"'" or not original.count(char, 0, lead) % 2:
            return lead
    for position in range(start - 1, max(-1, start - _QUOTE_REACH - 1), -1):
        char = original[position]
        if char in _CLOSING:
            return -1
        if char in _QUOTE_PAIRS:
            if char in "\"'" and original.count(char, 0, position) % 2:
                return -1  # a straight quote that closes: the hit comes after the quoted words
            return position
    return -1


def _opening_inside(original: str, start: int, end: int) -> int:
    """Where a quote opens inside the hit's first characters, or -1: a wording with a gap may
    start on the reporting verb (说了句“说了半天…”)."""
    for position in range(start, min(end, start + 4)):
        char = original[position]
        if char in _QUOTE_PAIRS and char not in "\"'":
            return position
    return -1


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text[start:end]``."""
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007  (the last one is kept)
        pass
    return found


def _without_trailing(speaker: str, words: tuple[str, ...]) -> str:
    """``speaker`` without the words (adverbs, 跟您…) at its end, however many and in any order."""
    stripped = True
    while stripped:
        stripped = False
        for word in words:
            if speaker.endswith(word):
                speaker, stripped = speaker[: -len(word)], True
    return speaker


def _said_by_another(normal: str, start: int, end: int) -> bool:
    """Whether a hit is reported speech without quotes, in its own clause: 您儿子讲过您怎么……,
    同事提到…. The reporting verb stands just before the hit or in its gap (a wording with …
    may start at the speaker); not when the agent is the speaker or stands between the verb
    and the hit (您讲了我也不知道)."""
    clause = _clause_before(normal, start, CONTEXT_WINDOW)
    text = clause + normal[start:end]
    said = _last(_SAID, text, 0, len(text) - 2)
    if said is None:
        return False
    if said.end() <= len(clause) and (len(clause) - said.end() > _SAID_REACH or "我" in clause[said.end() :]):
        return False
    if said.group().startswith("问") and normal[start : start + 1] == "我":
        return False  # 您问我，我问谁: the agent answering, not the question reported
    speaker = _without_trailing(text[: said.start()], _SAID_ADVERBS)
    if speaker.endswith("们"):
        speaker = speaker[:-1]
    if not speaker or speaker[-1] in _NOT_SPEAKER or not "\u3400" <= speaker[-1] <= "\u9fff":
        return False
    return not (speaker[-1] == "您" and speaker[-2:-1] in ("跟", "和", "对", "给", "向"))


# A customer's report of what staff said (您说销售跟您讲…, 您反映那位顾问说…, 您说上次被回了一句…):
# the customer reporting (您 + a reporting verb, not 跟您说: that is the agent speaking) …
_CUSTOMER_REPORTS = re.compile(
    "(?<![跟和对给向])您(?:刚才|之前|上次|也|还|一直)?(?:说|讲|反映|反馈|提到|提过|投诉|描述)"
)
# … then, just before the hit, someone else saying it (讲, 说了句, 回了一句, 甩了一句) …
_QUOTING = re.compile(
    "(?:说|讲|回|骂|吼|怼|甩|丢)(?:了|过)?一?句(?:话)?|的(?:这|那)句(?:话)?|(?:说|讲)(?:了|过|道)?|(?:让|叫|要)(?:您|你)"
)
_QUOTING_ADDRESSEE = ("跟您", "和您", "对您", "给您", "向您", "冲您")
_QUOTING_REACH = 2  # characters at most between what introduces the words and the hit …
_QUOTED_CLAUSE = 12  # … or, within one clause, how far the quoted words may run before the hit
# … and the agent taking it up: an apology, a promise to act, or a check that it was so.
_ACKNOWLEDGES = re.compile(
    "抱歉|道歉|对不起|不应该|不该|不对|不妥|不当|不合适|处理|反馈|核实|调查|录音|交代|记下|记录|批评|对吧|是吗|是吧|对吗"
    "|失误|疏忽|太冲|不礼貌|其实|复查|再给您|跟进"
)


def _introduces(before: str, quoting: re.Match[str]) -> bool:
    """Whether the words ``quoting`` found introduce run on to the hit at the end of ``before``:
    right before it, or in the same clause (服务顾问说程序就是这样只有等)."""
    between = before[quoting.end() :]
    return len(between) <= _QUOTING_REACH or (
        len(between) <= _QUOTED_CLAUSE and not any(mark in between for mark in MARKERS)
    )


def _customer_reports(normal: str, start: int, end: int) -> bool:
    """Whether a hit is what the customer reports someone else said, taken up by the agent.

    The customer's report (您说, 您反映) opens the hit's sentence; just before the hit another
    speaker says it (销售跟您讲…, 那位顾问说…, 被回了一句…), not the agent (您说的我都说了…);
    and the agent apologises, promises to act or checks it (before or after the words)."""
    low = max(0, start - CONTEXT_WINDOW - 12)
    before = normal[low:start]
    cut = before.rfind(HARD)
    opener = _last(_CUSTOMER_REPORTS, before, cut + 1, len(before))
    if opener is None:
        return False
    quoting = next(
        (found for found in _QUOTING.finditer(before, opener.end()) if _introduces(before, found)), None
    )
    if quoting is None:
        return False
    speaker = _without_trailing(before[opener.end() : quoting.start()], (*_QUOTING_ADDRESSEE, *_SAID_ADVERBS))
    said_to_them = quoting.group().startswith("的")  # 您说的这句…: words said to the customer
    if not said_to_them and (not speaker or speaker[-1] in _NOT_SPEAKER):
        return False
    # the agent between the quoting and the hit is the agent speaking (您说的我都说了…), unless a
    # 句 says words are quoted, whose own 我 it is (被回了一句我们的程序就是这样)
    if "我" in before[quoting.end() :] and "句" not in quoting.group():
        return False
    around = normal[max(0, low - CONTEXT_WINDOW) : low + opener.start()] + normal[end : end + CONTEXT_AFTER]
    return _ACKNOWLEDGES.search(around) is not None


# A colleague's words the agent reports and takes back (那位师傅说你急也没用，确实太冲了，对不起):
# someone on the staff, named just before the words, said them …
_STAFF_SAID = re.compile(
    "(?:师傅|销售|顾问|前台|同事|经理|技师|员工|店员|客服|专员|保安|接待|主管|店长|那位|那个人|他|她|[老小][\u4e00-\u9fff])"
    "(?:当时|之前|刚才|上次)?(?:说|讲|回|跟您说|跟您讲|对您说|和您说)(?:了|过|道)?(?:一?句)?[你您]?$"
)


def _staff_reported(normal: str, start: int, end: int) -> bool:
    """Whether a hit is a colleague's words that the agent reports and then apologises for or
    takes up (:data:`_ACKNOWLEDGES`, after the words): without that, relaying the words
    (经理说了，急也没用) is the agent saying them."""
    clause = _clause_before(normal, start, CONTEXT_WINDOW)
    # the hit may begin with the words that introduce it (顾问跟[您说急也没用])
    if not any(_STAFF_SAID.search(clause + normal[start : start + extra]) for extra in (0, 1, 2)):
        return False
    return _ACKNOWLEDGES.search(normal, end, end + CONTEXT_AFTER) is not None


def _reported(original: str, normal: str, start: int, end: int) -> bool:
    """Whether a hit is someone else's words the agent reports: in quotes after a reporting word
    (您刚才说“喂，听不到”, 您转述的「……」, 您提到前台说『……』, 一直只听到“喂喂”), or said by a
    named speaker without quotes (:func:`_said_by_another`). "我说“不行”" stays the agent's own."""
    opening = _quote_opening(original, start)
    if opening < 0:
        opening = _opening_inside(original, start, end)
    if opening >= 0:
        before = original[max(0, opening - 12) : opening]
        return _reported_by_another(before)
    return (
        _said_by_another(normal, start, end)
        or _customer_reports(normal, start, end)
        or _staff_reported(normal, start, end)
    )


# "您 not 你" (seed 004: 用"您"取代"你"; "请问您找哪位?" not "谁"). Advisories never block.
_ADVISORIES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("who", re.compile(f"{_YOU}?[,]?找谁"), "请问您找哪位？"),
    ("who", re.compile(f"{_YOU}[,]?是谁"), "请问您贵姓？"),
    ("nin", re.compile("[你妳伱](?!们)"), "您"),
)


def advisories_for(normal: str, original: str) -> list[Advisory]:
    found: list[Advisory] = []
    taken: list[tuple[int, int]] = []
    for kind, regex, suggestion in _ADVISORIES:
        for match in regex.finditer(normal):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            found.append(Advisory(kind, start, end, original[start:end], suggestion))
            if len(found) >= MAX_HITS:
                return sorted(found, key=lambda a: a.start)
    return sorted(found, key=lambda a: a.start)


def _explains(exc_start: int, exc_end: int, start: int, end: int) -> bool:
    """Whether a polite wording found at ``exc_start:exc_end`` accounts for a hit.

    It does when it shares at least two characters with the hit (or all of a one-character
    hit): ``行不行`` explains the 不行 inside it, but only touches the first 不行 of 不行不行.
    """
    shared = min(exc_end, end) - max(exc_start, start)
    return shared >= min(2, end - start)


class _PoliteSpans:
    """The spans of an entry's exceptions in one text, for asking which of them explain a hit.

    ``finditer`` yields non-overlapping spans left to right, so both the starts and the ends are
    sorted: the spans that overlap a hit are one run, found by bisecting the ends. Only those can
    share a character with it, so a check costs O(log n + overlapping spans) instead of a scan
    of every span — dense text ("行不行" × 6,000) stays near-linear.
    """

    __slots__ = ("ends", "starts")

    def __init__(self, regex: re.Pattern[str], normal: str):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for match in regex.finditer(normal):
            self.starts.append(match.start())
            self.ends.append(match.end())

    def explain(self, start: int, end: int) -> bool:
        """Whether any exception span explains the hit ``start:end`` (see :func:`_explains`)."""
        starts, ends = self.starts, self.ends
        needed = min(2, end - start)  # _explains, inlined: this runs once per match
        index = bisect_right(ends, start)  # spans before it end at or before the hit's start
        count = len(starts)
        while index < count and starts[index] < end:
            if min(ends[index], end) - max(starts[index], start) >= needed:
                return True
            index += 1
        return False


def _compile_entry(entry: PhraseEntry) -> _Compiled:
    exceptions = None
    exceptions_require: _Requirements = ()
    if entry.exceptions.strip():
        exceptions, _, exceptions_require = _compile_source(entry.exceptions, strict=True)
    wordings = _sound_wordings(entry)
    return _Compiled(
        entry,
        wordings,
        exceptions,
        exceptions_require,
        _optional(entry.polite_before),
        _optional(entry.polite_after),
        _verbatim_key(entry.phrase),
    )


VERBATIM_MIN = 5  # characters a phrase needs before it counts as said word for word


_NOT_SAID = frozenset(MARKERS + PARTICLES + " …")


def _sound_only(normal: str, keyed: str) -> str:
    """The sound key of a normalised text (``keyed`` is its key) without markers, particles and
    spaces: what was said."""
    return "".join(k for c, k in zip(normal, keyed, strict=True) if c not in _NOT_SAID)


@functools.cache
def _keyed_word(text: str) -> str:
    return key(normalize(text))


def _as_said(sounds: str) -> str:
    """What was said, 没有 read as 没 (我也没有办法呀 says 我也没办法呀 word for word)."""
    return sounds.replace(_keyed_word("没有"), _keyed_word("没"))


def _verbatim_key(phrase: str) -> str:
    normal = normalize(phrase.replace("××", "").replace("……", ""))
    said = _as_said(_sound_only(normal, key(normal)))
    return said if len(said) >= VERBATIM_MIN else ""


# What may follow a phrase said whole before its clause ends: particles, emoji, spaces, marks.
_TRAILING = re.compile(rf"[{re.escape(PARTICLES)}\W_]*")


def _verbatim(item: _Compiled, normal: str, keyed: str, start: int, end: int) -> bool:
    """Whether the hit says the seed phrase word for word (by sound: 这我做不倒) and ends its
    clause there: a promise after it (最多给您打个九折, 我马上给您转账) does not soften the phrase
    itself, as it softens a part of it or the phrase beginning a longer clause (我也没办法立刻答复)."""
    if not item.verbatim or item.verbatim not in _as_said(_sound_only(normal[start:end], keyed[start:end])):
        return False
    # ``_TRAILING`` ends in ``*``: it always matches, if only the empty string
    tail = _TRAILING.match(normal, end).group()  # type: ignore[union-attr]
    return end + len(tail) == len(normal) or any(mark in tail for mark in MARKERS)


# What may stand between the parts of a phrase said whole: punctuation, particles and the
# addressee (程序就是这样，只能等; 流程就是这么走的，您就只能等了).
_BETWEEN_PARTS = re.compile(f"[{re.escape(MARKERS + PARTICLES)}\\s你您就也]{{0,4}}")


def _said_whole(held: list[tuple[int, int]], normal: str) -> list[tuple[int, int]]:
    """Two parts of one phrase said back to back ("程序就是这样，只能等") are the phrase said whole:
    a promise after it ("…到时候我给您打电话") softens a part, not the whole. Each such pair is one
    span."""
    held.sort()
    whole: list[tuple[int, int]] = []
    for (start, end), (next_start, next_end) in zip(held, held[1:], strict=False):
        if (
            end <= next_start
            and _BETWEEN_PARTS.fullmatch(normal, end, next_start)
            and normal[start:end] != normal[next_start:next_end]  # parts, not one word said twice (喂 喂您好)
        ):
            if whole and whole[-1][1] > start:
                continue
            whole.append((start, next_end))
    return whole


def _hit(entry: PhraseEntry, original: str, start: int, end: int, reading: str = "wording") -> Hit:
    return Hit(
        phrase=entry.phrase,
        start=start,
        end=end,
        suggestion=entry.alternative,
        situation=entry.situation,
        matched=original[start:end],
        entry_id=entry.entry_id,
        reading=reading,
    )


class Matcher:
    """A compiled list. Build once per list version; :meth:`check` is thread-safe.

    A check normalises the text (traditional → simplified, punctuation → markers), keys it by
    sound, and scans only the wordings whose sounds all occur in the text (a set test spares the
    rest). A sound match counts when few enough of its characters differ from the pattern's,
    no exception explains it and no polite wording stands around it. Offsets are the original
    text's: the normal form and the key are as long as the text.
    """

    def __init__(self, entries: list[PhraseEntry], *, skip_invalid: bool = False, learned: bool = False):
        """Compile ``entries``; with ``skip_invalid`` an entry that does not compile is left out
        (listed in ``skipped``) instead of raising :class:`PatternError`. ``learned``: a text in
        which no wording is found is read by :mod:`kesu.language.learned` too (the services'
        matchers; off, the matcher is the pattern language alone)."""
        self.compiled: list[_Compiled] = []
        self.skipped: list[PhraseEntry] = []
        for entry in entries:
            try:
                self.compiled.append(_compile_entry(entry))
            except PatternError:
                if not skip_invalid:
                    raise
                self.skipped.append(entry)
        self.learned = learned
        self._by_phrase = {item.entry.phrase: item.entry for item in reversed(self.compiled)}

    def check(self, text: str) -> GuardResult:
        truncated = len(text) > MAX_CHECK_CHARS
        original = text[:MAX_CHECK_CHARS]
        normal = normalize(original)
        keyed = key(normal)
        present = set(keyed)
        chars = set(normal)
        hits: list[Hit] = []
        found_any = False  # a wording found, taken or excused
        for item in self.compiled:
            spans, found = self._spans(item, original, normal, keyed, present, chars)
            found_any = found_any or found
            for start, end in spans:
                hits.append(_hit(item.entry, original, start, end))
                if len(hits) >= MAX_HITS:
                    break
            if len(hits) >= MAX_HITS:
                break
        if not found_any and self.learned:  # an excused wording stays the matcher's call
            hits = self._learned_hit(original, normal, keyed)
        hits.sort(key=lambda h: (h.start, -h.end))
        return GuardResult(
            hits=hits,
            advisories=advisories_for(normal, original),
            checked_chars=len(original),
            truncated=truncated,
        )

    def _learned_hit(self, original: str, normal: str, keyed: str) -> list[Hit]:
        """The learned reading's clause that sounds most like a listed phrase, shown with it; not a
        clause holding an entry's exception, the list's own word that those words are polite there
        (我们绝不会承诺做不到的事情: 做不到的事)."""
        for start, end in learned_reading.rude_clauses(original):
            if self._excepted(normal, start, end):
                continue
            phrase = learned_reading.closest_seed(keyed[start:end])
            entry = self._by_phrase.get(phrase or "")
            if entry is None:
                continue
            return [_hit(entry, original, start, end, reading="learned")]
        return []

    def _excepted(self, normal: str, start: int, end: int) -> bool:
        clause = normal[start:end]
        return any(item.exceptions is not None and item.exceptions.search(clause) for item in self.compiled)

    @staticmethod
    def _spans(
        item: _Compiled,
        original: str,
        normal: str,
        keyed: str,
        present: set[str],
        chars: set[str],
    ) -> tuple[list[tuple[int, int]], bool]:
        """Where ``item``'s wordings are said rudely: matched, not explained by an exception, not
        reported, and not in a polite context — unless said whole (:func:`_said_whole`); and
        whether any wording was found at all, rude or excused."""
        taken: list[tuple[int, int]] = []
        held: list[tuple[int, int]] = []  # excused only by a polite wording around them
        polite: _PoliteSpans | None = None
        any_found = False
        for wording in item.wordings:
            if not wording.needs <= present:
                continue
            if wording.needs_any and any(present.isdisjoint(a) for a in wording.needs_any):
                continue
            for found in wording.scan.finditer(keyed):
                start, end = found.span()
                if start == end or any(s < end and start < e for s, e in chain(taken, held)):
                    continue
                match = wording.regex.match(keyed, start)
                if match is None or not _close_enough(wording, match, normal):
                    continue
                end = match.end()
                any_found = True
                if item.exceptions is not None and _may_match(item.exceptions_require, chars):
                    if polite is None:
                        polite = _PoliteSpans(item.exceptions, normal)
                    if polite.explain(start, end):
                        continue
                if _reported(original, normal, start, end):
                    continue
                if _polite_context(item, normal, start, end) and (
                    not _verbatim(item, normal, keyed, start, end)
                    or _polite_context(item, normal, start, end, after=False)
                ):
                    held.append((start, end))
                    continue
                taken.append((start, end))
                if len(taken) >= MAX_HITS:
                    return taken, True
        return taken + _said_whole(held, normal), any_found


def pattern_problems(
    *,
    phrase: str,
    pattern: str,
    exceptions: str,
    variants: str = "",
    polite_before: str = "",
    polite_after: str = "",
) -> dict[str, PatternError]:
    """Field name → what is wrong with it; empty when the entry can be compiled."""
    problems: dict[str, PatternError] = {}
    source, name = (pattern, "pattern") if pattern.strip() else (phrase, "phrase")
    try:
        compile_pattern(source)
        for wording in _split_alternatives(source):
            _compile_sound(wording)
    except PatternError as exc:
        problems[name] = exc
    if variants.strip():
        try:
            compile_pattern(variants)
            for wording in _split_alternatives(variants):
                _compile_sound(wording)
        except PatternError as exc:
            problems["variants"] = exc
    for field_name, value in (
        ("exceptions", exceptions),
        ("polite_before", polite_before),
        ("polite_after", polite_after),
    ):
        if value.strip():
            try:
                compile_pattern(value, strict=True)
            except PatternError as exc:
                problems[field_name] = exc
    return problems


__all__ = [
    "CONTEXT_AFTER",
    "CONTEXT_WINDOW",
    "GAP",
    "MAX_CHECK_CHARS",
    "SOFT",
    "Advisory",
    "GuardResult",
    "Hit",
    "Matcher",
    "PatternError",
    "PhraseEntry",
    "compile_pattern",
    "pattern_problems",
]
